"""``lgsco-stats letter``: annual review letters for one council or all, as Markdown, HTML, Word
or PDF."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from lgsco_stats.cli.options import AverageKind, AverageOpt, DbOpt, TypeOpt, YearOpt

if TYPE_CHECKING:
    from lgsco_stats.letters import Settings


class LetterFormat(str, Enum):  # noqa: UP042 - like the other option enums
    markdown = "markdown"
    html = "html"
    docx = "docx"
    pdf = "pdf"


SUFFIX = {
    LetterFormat.markdown: ".md",
    LetterFormat.html: ".html",
    LetterFormat.docx: ".docx",
    LetterFormat.pdf: ".pdf",
}
_BY_SUFFIX = {
    ".md": LetterFormat.markdown,
    ".markdown": LetterFormat.markdown,
    ".html": LetterFormat.html,
    ".htm": LetterFormat.html,
    ".docx": LetterFormat.docx,
    ".pdf": LetterFormat.pdf,
}
CONFIG_KEYS = ("signatory", "signatory_title", "date", "contacts", "template")


def read_config(path: Path) -> dict[str, Any]:
    """A TOML config file's letter settings (``signatory``, ``signatory-title``, ``date``,
    ``contacts``, ``template``); paths are relative to the config file."""
    import tomllib

    from lgsco_stats.errors import UsageError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise UsageError(f"cannot read the config file {path}: {e.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"{path}: not a TOML config file ({e})") from None
    section = data.get("letter", data)
    if not isinstance(section, dict):
        raise UsageError(f"{path}: [letter] must be a table of settings")
    out: dict[str, Any] = {}
    for key, value in section.items():
        k = key.replace("-", "_")
        if k not in CONFIG_KEYS:
            raise UsageError(
                f"{path}: unknown setting {key!r}; the settings are "
                + ", ".join(c.replace("_", "-") for c in CONFIG_KEYS)
            )
        if k == "date" and isinstance(value, dt.date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise UsageError(f"{path}: {key} must be text")
        if k in ("contacts", "template"):
            value = str((path.parent / value).resolve())
        out[k] = value
    return out


def parse_date(text: str) -> dt.date:
    from lgsco_stats.errors import UsageError

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--date {text!r}: write the date as YYYY-MM-DD, e.g. 2020-07-22"
        ) from None


def _years_with_data(db: Path | None, key: str) -> list[str]:
    from lgsco_stats.store import Store

    with Store(db, create=False) as st:
        counts = st.counts()
    rows = counts[counts["authority_key"] == key]
    return sorted(str(y) for y in rows["year"] if y is not None) if len(rows) else []


def _has_data(r: dict[str, Any]) -> bool:
    from lgsco_stats.cli.render import is_missing

    return any(
        not is_missing(r.get(c)) and int(r[c]) > 0
        for c in ("decisions", "investigations", "compliance_outcomes")
    )


def _key(r: dict[str, Any]) -> str:
    return str(r["authority_key"])


def letter(
    council: Annotated[
        str | None,
        typer.Option("--council", "-c", help="The council (name, short name, alias or GSS code)."),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="A letter for every council with data in the year, one file each, into "
            "--output DIR.",
        ),
    ] = False,
    year: YearOpt = None,
    type_: TypeOpt = None,
    fmt: Annotated[
        LetterFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            show_default=False,
            help="markdown, html, docx or pdf (default: from the --output file's suffix, else "
            "markdown).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (one council) or folder (with --all; created if "
            "missing). Without it, one letter is printed to stdout.",
        ),
    ] = None,
    contacts: Annotated[
        Path | None,
        typer.Option(
            "--contacts",
            help="CSV or Excel file: council, name, job title, email (the chief "
            "executive each letter is addressed to).",
            dir_okay=False,
        ),
    ] = None,
    signatory: Annotated[
        str | None, typer.Option("--signatory", help="Who signs the letters.")
    ] = None,
    signatory_title: Annotated[
        str | None,
        typer.Option(
            "--signatory-title",
            help="The signatory's title(s); separate lines with ';'. Default: "
            "Local Government and Social Care Ombudsman.",
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The letter date, YYYY-MM-DD (default: today).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="TOML file with signatory, signatory-title, date, contacts, template "
            "(options given on the command line win).",
            dir_okay=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Your own Jinja2 template (Markdown, or HTML for --format html).",
            dir_okay=False,
        ),
    ] = None,
    fields: Annotated[
        bool,
        typer.Option(
            "--fields",
            help="List every field a template may use, with its value for an example "
            "council (--council, or the first in the year), and exit.",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes making Word or PDF letters with --all (default: "
            "one per CPU, at most 4, for 24 letters or more).",
        ),
    ] = None,
    average: AverageOpt = AverageKind.mean,
    db: DbOpt = None,
) -> None:
    """Write annual review letters: each council's figures for a year beside the average of
    similar authorities, with compliance, remedies and the complaints dealt with, as Markdown,
    HTML, Word or PDF.

    \b
    Example: lgsco-stats letter --council southampton --year 2019-20 --format pdf -o s.pdf
    """
    from lgsco_stats.errors import UsageError

    settings_file = read_config(config) if config else {}
    if fields:
        _fields(
            council,
            year,
            average.value,
            db,
            settings_file,
            signatory,
            signatory_title,
            date,
            contacts,
        )
        return
    if bool(council) == all_:
        raise UsageError("say which letters: --council NAME for one, or --all for every council")
    if type_ is not None and not all_:
        raise UsageError("--type chooses councils for --all; with --council leave it out")
    chosen = fmt
    if chosen is None and output is not None and not all_:
        chosen = _BY_SUFFIX.get(output.suffix.lower())
    template_path = template or (
        Path(settings_file["template"]) if "template" in settings_file else None
    )
    from lgsco_stats.letter_render import HTML, LetterTemplate

    tmpl = LetterTemplate.from_file(template_path) if template_path else LetterTemplate.default()
    if chosen is None:
        chosen = LetterFormat.html if tmpl.kind == HTML else LetterFormat.markdown
    if tmpl.kind == HTML and chosen is not LetterFormat.html:
        raise UsageError(
            f"{tmpl.name} is an HTML template: it makes --format html only; use a "
            "Markdown template for markdown, docx or pdf"
        )
    if all_:
        if output is None:
            raise UsageError("--all writes one file per council: give a folder with --output DIR")
        if output.exists() and not output.is_dir():
            raise UsageError(f"--output {output} is a file; --all needs a folder")
    elif output is None and chosen in (LetterFormat.docx, LetterFormat.pdf):
        raise UsageError(f"--format {chosen.value} writes a file: give it with --output FILE")

    settings = _settings(settings_file, signatory, signatory_title, date, average.value)
    _write(
        council,
        all_,
        year,
        type_.value if type_ else None,
        chosen,
        output,
        contacts or (Path(settings_file["contacts"]) if "contacts" in settings_file else None),
        settings,
        tmpl,
        db,
        jobs,
    )


def _settings(
    from_file: dict[str, Any],
    signatory: str | None,
    signatory_title: str | None,
    date: str | None,
    average: str,
) -> Settings:
    from lgsco_stats.letters import OMBUDSMAN, Settings

    date_text = date or from_file.get("date")
    return Settings(
        date=parse_date(date_text) if date_text else dt.date.today(),
        signatory=signatory if signatory is not None else from_file.get("signatory"),
        signatory_title=(
            signatory_title
            if signatory_title is not None
            else from_file.get("signatory_title", OMBUDSMAN)
        ),
        average=average,
    )


class _Letters:
    """The figures of a year and everything needed to turn a council's row into a letter."""

    def __init__(
        self, db: Path | None, year: str | None, average: str, contacts: Path | None
    ) -> None:
        from lgsco_stats.cli.data import figures_for_year
        from lgsco_stats.cli.views import records
        from lgsco_stats.contacts import read_contacts
        from lgsco_stats.councils import register
        from lgsco_stats.figures import council_figures
        from lgsco_stats.store import Store

        self.db = db
        self.reg = register()
        self.year, counts = figures_for_year(db, year)
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
        from lgsco_stats.errors import NotFound
        from lgsco_stats.outcomes import normalise_text

        c = self.reg.resolve(name, self.year)
        key = c.gss_code if c else "name:" + normalise_text(name)
        row = next((r for r in self.rows if _key(r) == key), None)
        if c is None and row is None:
            self.reg.get(name, self.year)  # raises NotFound with "did you mean"
        if row is None or not _has_data(row):
            label = c.name if c else name
            years = [y for y in _years_with_data(self.db, key) if y != self.year]
            raise NotFound(
                f"no decisions for {label} in {self.year}; years with data: "
                + (", ".join(years) if years else "none")
            )
        return row

    def context(self, row: dict[str, Any], settings: Settings) -> Any:
        from lgsco_stats.letters import letter_context

        key = _key(row)
        return letter_context(
            row,
            settings,
            contact=self.contacts.get(key),
            categories=self.categories.get(key),
            received=self.received.get(key),
        )


def _render(fields: Any, fmt: LetterFormat, tmpl: Any) -> tuple[bytes | str, str]:
    """A letter as final bytes (Markdown, HTML) or as Markdown still to be made into Word or PDF
    (str), with its title."""
    from lgsco_stats.letter_render import HTML, html_page

    text = tmpl.render(fields)
    title = f"{fields['letter']['title']}: {fields['council']['name']}"
    if tmpl.kind == HTML or fmt is LetterFormat.markdown:
        return text.encode("utf-8"), title
    if fmt is LetterFormat.html:
        return html_page(text, title).encode("utf-8"), title
    return text, title


# Worker processes for Word and PDF letters: each makes its maker once (the PDF fonts come cut
# down from the main process), then turns Markdown into files.
_MAKER: dict[str, Any] = {}


def _maker(fmt: str, fonts: dict[str, Path] | None) -> Any:
    if fmt == LetterFormat.pdf.value:
        from lgsco_stats.letter_pdf import PdfMaker

        return PdfMaker(fonts)
    from lgsco_stats.letter_docx import DocxMaker

    return DocxMaker()


def _init_worker(fmt: str, fonts: dict[str, Path] | None) -> None:
    _MAKER["maker"] = _maker(fmt, fonts)


def _make_files(jobs: list[tuple[str, str, str, str]]) -> int:
    """(path, Markdown, title, date) → files, in a worker process; returns how many."""
    from lgsco_stats.cli.render import write_atomic

    maker = _MAKER["maker"]
    for path, text, title, date in jobs:
        args = (
            (text, title, dt.date.fromisoformat(date)) if hasattr(maker, "fonts") else (text, title)
        )
        write_atomic(Path(path), bytes(maker.make(*args)))
    return len(jobs)


def _jobs_for(count: int, jobs: int | None) -> int:
    """Worker processes to use: --jobs, else one per CPU (at most 4) for 24 letters or more."""
    import os

    if jobs is not None:
        return max(1, jobs)
    return min(os.cpu_count() or 1, 4) if count >= 24 else 1


def _write(
    council: str | None,
    all_: bool,
    year: str | None,
    group: str | None,
    fmt: LetterFormat,
    output: Path | None,
    contacts: Path | None,
    settings: Settings,
    tmpl: Any,
    db: Path | None,
    jobs: int | None,
) -> None:
    import sys

    from lgsco_stats.cli import render

    letters = _Letters(db, year, settings.average, contacts)
    binary = fmt in (LetterFormat.docx, LetterFormat.pdf) and tmpl.kind != "html"
    if council:
        fields = letters.context(letters.find(council), settings)
        data, title = _render(fields, fmt, tmpl)
        if isinstance(data, str):  # Word or PDF
            target = _target(output, fields, fmt)
            _make_binary([(str(target), data, title, fields["letter"]["date_iso"])], fmt, 1, None)
            render.message(f"Wrote {target}")
            return
        if output is None:
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            return
        target = _target(output, fields, fmt)
        render.write_atomic(target, data)
        render.message(f"Wrote {target}")
        return
    assert output is not None
    rows = [r for r in letters.rows if group is None or r.get("type") == group]
    with_data = [r for r in rows if _has_data(r)]
    skipped = len(rows) - len(with_data)
    if not with_data:
        from lgsco_stats.errors import NotFound

        raise NotFound(
            f"no council{' of that type' if group else ''} has decisions in {letters.year}"
        )
    # Every letter is rendered before any file is written: a template error stops the run
    # with nothing half done.
    names: set[str] = set()
    made: list[tuple[str, bytes | str, str, str]] = []
    for r in with_data:
        fields = letters.context(r, settings)
        name = f"{fields['letter']['file_stem']}{SUFFIX[fmt]}"
        if name in names:  # two bodies with the same name: keep both
            name = f"{fields['letter']['file_stem']}-{len(names)}{SUFFIX[fmt]}"
        names.add(name)
        data, title = _render(fields, fmt, tmpl)
        made.append((str(output / name), data, title, fields["letter"]["date_iso"]))
    output.mkdir(parents=True, exist_ok=True)
    with render.Progress(f"Letters {letters.year}", len(made)) as progress:
        if not binary:
            for path, data, _, _ in made:
                render.write_atomic(Path(path), data)  # type: ignore[arg-type]
                progress.advance()
        else:
            _make_binary(made, fmt, _jobs_for(len(made), jobs), progress)
    note = f"; skipped {skipped} with no decisions in {letters.year}" if skipped else ""
    addressed = sum(1 for r in with_data if _key(r) in letters.contacts)
    to = f" ({addressed} addressed from --contacts)" if contacts else ""
    render.message(
        f"Wrote {len(made)} {fmt.value} letters for {letters.year} to {output}{to}{note}."
    )


def _target(output: Path | None, fields: Any, fmt: LetterFormat) -> Path:
    assert output is not None
    if output.is_dir():
        return output / f"{fields['letter']['file_stem']}{SUFFIX[fmt]}"
    return output


def _make_binary(
    made: list[tuple[str, Any, str, str]], fmt: LetterFormat, workers: int, progress: Any
) -> None:
    import contextlib

    jobs = [(path, str(text), title, date) for path, text, title, date in made]
    with contextlib.ExitStack() as stack:
        fonts = None
        if fmt is LetterFormat.pdf:
            from lgsco_stats.letter_pdf import PdfMaker

            fonts = stack.enter_context(PdfMaker()).fonts
        if workers <= 1 or len(jobs) < 2:
            _init_worker(fmt.value, fonts)
            for job in jobs:
                n = _make_files([job])
                if progress is not None:
                    progress.advance(n)
            return
        from concurrent.futures import ProcessPoolExecutor, as_completed

        size = max(1, min(16, len(jobs) // (workers * 4)))
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(
            workers, initializer=_init_worker, initargs=(fmt.value, fonts)
        ) as pool:
            for done in as_completed([pool.submit(_make_files, c) for c in chunks]):
                progress.advance(done.result())


def _fields(
    council: str | None,
    year: str | None,
    average: str,
    db: Path | None,
    from_file: dict[str, Any],
    signatory: str | None,
    signatory_title: str | None,
    date: str | None,
    contacts: Path | None,
) -> None:
    from lgsco_stats.cli import render
    from lgsco_stats.cli.render import Column, Format
    from lgsco_stats.letters import flatten

    settings = _settings(from_file, signatory, signatory_title, date, average)
    letters = _Letters(
        db,
        year,
        average,
        contacts or (Path(from_file["contacts"]) if "contacts" in from_file else None),
    )
    if council:
        row = letters.find(council)
    else:
        row = next((r for r in letters.rows if r.get("in_group") and _has_data(r)), letters.rows[0])
    fields = letters.context(row, settings)
    rows = [{"field": p, "value": "" if v is None else str(v)} for p, v in flatten(fields)]
    render.emit(
        rows,
        Format.table,
        None,
        columns=[Column("field", "Field"), Column("value", f"Value for {row['council']}")],
        keys=["field", "value"],
        title=f"Letter fields ({letters.year}); use them as {{{{ council.name }}}}",
    )
