"""Every letter of a year: the year's figures and what else a letter needs (:class:`Letters`),
one letter rendered (:func:`render_letter`), and letters written to files, Word and PDF letters by
worker processes (:func:`make_files`, :func:`write_letters`).

Formats are named ``markdown``, ``html``, ``docx`` and ``pdf`` (:data:`SUFFIX`). Every letter of
a run is rendered before any file is written, so a template error stops the run with nothing
half done; each file is written whole or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..output import check_targets, write_atomic
from ..tables import is_missing
from .fields import Settings

if TYPE_CHECKING:
    import pandas as pd

SUFFIX = {"markdown": ".md", "html": ".html", "docx": ".docx", "pdf": ".pdf"}
BINARY = ("docx", "pdf")


def has_data(r: dict[str, Any]) -> bool:
    """Whether a council-year has anything to write a letter about."""
    return any(
        not is_missing(r.get(c)) and int(r[c]) > 0
        for c in ("decisions", "investigations", "compliance_outcomes")
    )


def _key(r: dict[str, Any]) -> str:
    return str(r["authority_key"])


def _years_with_data(db: Path | None, key: str) -> list[str]:
    from ..store import Store

    with Store(db, create=False) as st:
        counts = st.counts()
    rows = counts[counts["authority_key"] == key]
    return sorted(str(y) for y in rows["year"] if y is not None) if len(rows) else []


class Letters:
    """The figures of a year and everything needed to turn a council's row into a letter.

    Parameters
    ----------
    db : the store (None: the default one), for decisions by category, complaints received, and
        the years a council has data in.
    year : the year of the letters, and ``counts`` its counts (``Store.counts([year])``).
    average : ``"mean"`` or ``"pooled"``, for the group figures.
    contacts : a contacts file (CSV or Excel), or None (letters to "The Chief Executive").
    """

    def __init__(
        self,
        db: Path | None,
        year: str,
        counts: pd.DataFrame,
        average: str,
        contacts: Path | None,
    ) -> None:
        from ..councils import register
        from ..figures import council_figures
        from ..store import Store
        from ..tables import records
        from .contacts import read_contacts

        self.db = db
        self.reg = register()
        self.year = year
        self.rows = records(council_figures(counts, self.reg, average))
        with Store(db, create=False) as st:
            cats = st.category_counts([self.year])
            got = st.received_counts([self.year])
        self.received: dict[str, dict[str, int]] = {}
        # (columns as lists: iterating a pandas text column calls back into Arrow per value)
        for key, cat, n in zip(
            *(got[c].tolist() for c in ("authority_key", "category", "received")), strict=True
        ):
            self.received.setdefault(str(key), {})[str(cat)] = int(n)
        self.categories: dict[str, dict[str, int]] = {}
        for key, cat, n in zip(
            *(cats[c].tolist() for c in ("authority_key", "category", "decisions")), strict=True
        ):
            self.categories.setdefault(str(key), {})[str(cat)] = int(n)
        bodies = {_key(r): str(r["council"]) for r in self.rows if not r.get("gss_code")}
        self.contacts = read_contacts(contacts, self.reg, self.year, bodies) if contacts else {}

    def find(self, name: str) -> dict[str, Any]:
        """The figures of the council (or body) called ``name``; NotFound (with "did you mean", or
        the years it has data in) when it has no decisions in the year."""
        from ..councils import Council
        from ..errors import NotFound

        bodies = {_key(r): str(r["council"]) for r in self.rows if not r.get("gss_code")}
        found = self.reg.lookup(name, self.year, bodies=bodies)
        c = found if isinstance(found, Council) else None
        key = c.gss_code if c else str(found)
        row = next((r for r in self.rows if _key(r) == key), None)
        if row is None or not has_data(row):
            label = c.name if c else bodies.get(key, name)
            years = [y for y in _years_with_data(self.db, key) if y != self.year]
            raise NotFound(
                f"no decisions for {label} in {self.year}; years with data: "
                + (", ".join(years) if years else "none")
            )
        return row

    def context(self, row: dict[str, Any], settings: Settings) -> Any:
        """Every field of one council's letter (:func:`~.context.letter_context`)."""
        from .context import letter_context

        key = _key(row)
        return letter_context(
            row,
            settings,
            contact=self.contacts.get(key),
            categories=self.categories.get(key),
            received=self.received.get(key),
        )


def render_letter(fields: Any, fmt: str, tmpl: Any) -> tuple[bytes | str, str]:
    """A letter as final bytes (Markdown, HTML) or as Markdown still to be made into Word or PDF
    (str), with its title."""
    from ..escape import markdown_text, printable
    from .fields import text_fields
    from .render import HTML, html_page

    # Data is text: a Markdown template gets every value escaped for Markdown (the template's
    # own Markdown still works); an HTML template's values are escaped by its autoescaping.
    shown = text_fields(fields, printable if tmpl.kind == HTML else markdown_text)
    text = tmpl.render(shown)
    title = printable(f"{fields['letter']['title']}: {fields['council']['name']}")
    if tmpl.kind == HTML or fmt == "markdown":
        return text.encode("utf-8"), title
    if fmt == "html":
        return html_page(text, title).encode("utf-8"), title
    return text, title


# Worker processes for Word and PDF letters: each makes its maker once (the PDF fonts come cut
# down from the main process), then turns Markdown into files.
_MAKER: dict[str, Any] = {}


def _maker(fmt: str, fonts: dict[str, Path] | None) -> Any:
    if fmt == "pdf":
        from .pdf import PdfMaker

        return PdfMaker(fonts)
    from .word import DocxMaker

    return DocxMaker()


def _init_worker(fmt: str, fonts: dict[str, Path] | None) -> None:
    _MAKER["maker"] = _maker(fmt, fonts)


def _make_files(jobs: list[tuple[str, str, str, str]]) -> int:
    """(path, Markdown, title, date) → files, in a worker process; returns how many."""
    maker = _MAKER["maker"]
    for path, text, title, date in jobs:
        args = (
            (text, title, dt.date.fromisoformat(date)) if hasattr(maker, "fonts") else (text, title)
        )
        write_atomic(Path(path), bytes(maker.make(*args)))
    return len(jobs)


def workers_for(count: int, jobs: int | None) -> int:
    """Worker processes to use: ``jobs``, else one per CPU (at most 4) for 24 letters or more."""
    if jobs is not None:
        return max(1, jobs)
    return min(os.cpu_count() or 1, 4) if count >= 24 else 1


def make_files(
    made: Sequence[tuple[str, Any, str, str]],
    fmt: str,
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Word or PDF files from (path, Markdown, title, ISO date), by ``workers`` processes."""
    jobs = [(path, str(text), title, date) for path, text, title, date in made]
    with contextlib.ExitStack() as stack:
        fonts = None
        if fmt == "pdf":
            from .pdf import PdfMaker

            fonts = stack.enter_context(PdfMaker()).fonts
        if workers <= 1 or len(jobs) < 2:
            _init_worker(fmt, fonts)
            for job in jobs:
                n = _make_files([job])
                if progress is not None:
                    progress(n)
            return
        from concurrent.futures import ProcessPoolExecutor, as_completed

        size = max(1, min(16, len(jobs) // (workers * 4)))
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(fmt, fonts)) as pool:
            for done in as_completed([pool.submit(_make_files, c) for c in chunks]):
                n = done.result()
                if progress is not None:
                    progress(n)


def render_all(
    letters: Letters,
    rows: Sequence[dict[str, Any]],
    settings: Settings,
    fmt: str,
    tmpl: Any,
    output: Path,
) -> list[tuple[str, bytes | str, str, str]]:
    """Every letter of ``rows`` rendered, as (path in ``output``, data, title, ISO date): final
    bytes, or Markdown still to be made into Word or PDF. Two bodies with one name get two
    files."""
    names: set[str] = set()
    made: list[tuple[str, bytes | str, str, str]] = []
    for r in rows:
        fields = letters.context(r, settings)
        name = f"{fields['letter']['file_stem']}{SUFFIX[fmt]}"
        if name in names:  # two bodies with the same name: keep both
            name = f"{fields['letter']['file_stem']}-{len(names)}{SUFFIX[fmt]}"
        names.add(name)
        data, title = render_letter(fields, fmt, tmpl)
        made.append((str(output / name), data, title, fields["letter"]["date_iso"]))
    return made


def write_letters(
    made: Sequence[tuple[str, bytes | str, str, str]],
    fmt: str,
    tmpl: Any,
    output: Path,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write letters :func:`render_all` made into ``output`` (created if missing); every target
    is checked (:func:`~lgsco_stats.output.check_target`) before any letter is written."""
    check_targets(Path(path) for path, *_ in made)
    output.mkdir(parents=True, exist_ok=True)
    if fmt not in BINARY or tmpl.kind == "html":
        for path, data, _, _ in made:
            write_atomic(Path(path), data)  # type: ignore[arg-type]
            if progress is not None:
                progress(1)
        return
    make_files(made, fmt, workers_for(len(made), jobs), progress)
