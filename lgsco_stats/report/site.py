"""The static report site: for every year in the store an index of every council (sortable,
with a search box that knows the register's names) and a page per comparison group; one page
per council with all its years, each beside its group of that year; every table downloadable
as CSV and JSON beside it, and the whole site's data in one file.

Layout of the folder::

    index.html                    the default year (the latest with decisions)
    years/<year>.html             the other years
    groups/<group>-<year>.html    a group in a year: ranked chart, funnel plots, members
    councils/<slug>.html          a council (a council that changed type keeps one page)
    data/...                      the tables as CSV and JSON; data/site-data.json, figures.csv
    letters/...                   the annual review letters given with --letters

The site works opened from disk: pages link to each other by relative paths, the stylesheet and
the small sorting/search script are inlined in each page, charts are SVG inside the pages
(:mod:`lgsco_stats.report.svg`), and nothing is fetched from the internet. HTML is made from
the Jinja2 templates in ``lgsco_stats/report/templates`` with autoescaping on; the data of each
page comes from :mod:`~lgsco_stats.report.pages` and its page modules.

The site is built in a temporary folder next to the output and renamed into place at the end,
so a failed build leaves the previous site (or nothing) behind, never half a site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..councils import Register, lower_label, register, slugify
from ..errors import OutputError, UsageError
from ..escape import printable
from ..figures import SMALL_NUMBER, group_benchmarks
from ..output import copy_regular, usual_mode
from ..rounding import format_count, format_number, format_percent
from ..tables import records
from .pages import Entity, Site, add_ranks
from .site_write import Part, run_apart
from .trends import lineage

# A file in the site's root that marks the folder as made by lgsco-stats: a folder holding it
# may be replaced by a new build; any other non-empty folder is refused.
MARKER = ".lgsco-stats-site"
LETTER_KINDS = {
    ".html": "HTML",
    ".htm": "HTML",
    ".md": "Markdown",
    ".txt": "text",
    ".docx": "Word",
    ".pdf": "PDF",
}


@dataclass(frozen=True)
class SiteResult:
    """What :func:`build_site` wrote."""

    path: Path
    years: tuple[str, ...]
    councils: int
    groups: int
    charts: int
    tables: int
    letters: int


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("lgsco_stats.report", "templates"),
        # names from data are text: no control characters in a page (autoescaping does HTML)
        finalize=lambda v: printable(v) if type(v) is str else v,
        autoescape=select_autoescape(["html", "j2", "js"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["pct"] = format_percent
    env.filters["label_lower"] = lower_label
    env.filters["number"] = format_number
    env.filters["count"] = lambda v: "n/a" if v is None else f"{int(v):,}"
    env.filters["councils"] = lambda v: format_count(int(v), "council")
    return env


def site_years(figures: pd.DataFrame, year: str | None) -> list[str]:
    """The years a site shows: ``year`` alone, or every year of the figures."""
    years = sorted(figures["year"].unique())
    if year is None:
        return years
    if year not in years:
        raise UsageError(f"no data for {year}; years in the store: {', '.join(years)}")
    return [year]


def page_count(figures: pd.DataFrame, year: str | None, reg: Register | None = None) -> int:
    """How many pages :func:`build_site` will write (for a progress bar)."""
    years = set(site_years(figures, year))
    shown = figures[figures["year"].isin(years)]
    ents = _entities(figures, register() if reg is None else reg)
    pages = {ents[k].slug for k in shown["authority_key"]}
    groups = shown.loc[shown["in_group"].astype(bool), ["type", "year"]].drop_duplicates()
    return len(years) + len(groups) + len(pages)


def _entities(figures: pd.DataFrame, reg: Register) -> dict[str, Entity]:
    """authority_key → the entity whose page shows it (lineages share one page)."""
    out: dict[str, Entity] = {}
    slugs: dict[str, str] = {}
    have = set(figures["authority_key"])
    for key, name in (
        figures[["authority_key", "council"]]
        .drop_duplicates("authority_key")
        .itertuples(index=False)
    ):
        if key in out:
            continue
        council = reg.by_code.get(key)
        if council is not None:
            history = tuple(lineage(reg, council))
            present = [c for c in history if c.gss_code in have]
            latest = present[-1] if present else council
            keys = tuple(c.gss_code for c in history)
            ent = Entity(latest.gss_code, keys, latest.name, latest.slug, latest, history)
        else:
            ent = Entity(key, (key,), str(name), slugify(str(name)), None, ())
        slug, n = ent.slug, 1
        while slugs.get(slug, ent.key) != ent.key:  # one slug for two: keep every page
            n += 1
            slug = f"{ent.slug}-{n}"
        if slug != ent.slug:
            ent = Entity(ent.key, ent.keys, ent.name, slug, ent.council, ent.history)
        slugs[slug] = ent.key
        for k in ent.keys:
            out[k] = ent
    return out


def find_letters(folder: Path | None, slugs: Iterable[str]) -> dict[str, list[tuple[str, Path]]]:
    """Letter files ``<slug>-<year>.<ext>`` in ``folder``: slug → [(year, path)], by year."""
    if folder is None:
        return {}
    if not folder.is_dir():
        raise UsageError(f"--letters {folder}: not a folder")
    wanted = set(slugs)
    found: dict[str, list[tuple[str, Path]]] = {}
    import re

    pattern = re.compile(r"^(?P<slug>.+)-(?P<year>\d{4}-\d{2})$")
    for p in sorted(folder.iterdir()):
        # regular files in the folder only: a symbolic link may point anywhere the user can
        # read (~/.ssh/id_rsa named kent-2023-24.txt), which the site would then publish
        if p.is_symlink() or not p.is_file() or p.suffix.lower() not in LETTER_KINDS:
            continue
        m = pattern.match(p.stem)
        if m and m["slug"] in wanted:
            found.setdefault(m["slug"], []).append((m["year"], p))
    return found


def _prepare_folder(out: Path) -> None:
    if str(out) == "-":
        raise UsageError("--output -: the site is a folder of pages; give a folder")
    if out.is_symlink():
        raise UsageError(
            f"--output {out}: a symbolic link; give the folder itself (the site replaces the "
            "folder it is given)"
        )
    if out.exists():
        if not out.is_dir():
            raise UsageError(f"--output {out}: a file, not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise UsageError(
                f"--output {out}: the folder is not empty and was not made by "
                "lgsco-stats report; choose an empty or new folder"
            )


def build_site(
    figures: pd.DataFrame,
    year: str | None,
    out: Path,
    *,
    reg: Register | None = None,
    average: str = "mean",
    letters: Path | None = None,
    version: str = "",
    min_cases: int = 1,
    default_year: str | None = None,
    categories: pd.DataFrame | None = None,
    received: pd.DataFrame | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SiteResult:
    """Write the report site into the folder ``out``.

    Parameters
    ----------
    figures : :func:`council_figures` output for every year in the store (with the statistics
        columns when the figures carry them).
    year : show this year only; None (the default) shows every year of ``figures``.
    letters : a folder of letter files named ``<council slug>-<year>.<ext>``; the ones that
        match a council are copied into ``letters/`` and linked from its page.
    min_cases : a council is drawn on its group's ranked chart from this many investigations
        (every council stays in the tables and on the funnel plots).
    default_year : the year ``index.html`` shows (default: the latest year shown).
    categories : decisions per ``authority_key``, ``year``, ``category`` (``decisions``), as
        :meth:`Store.category_counts` gives them; received : complaints received per
        ``authority_key``, ``year``, ``category`` (``received``), from published tables.
    workers : processes making pages (default: the number of CPUs; 1 makes everything in this
        one); the site is the same to the byte whatever the number.
    progress : called with the number of pages written, as they are.
    """
    reg = reg or register()
    out = Path(out)
    _prepare_folder(out)
    years = site_years(figures, year)
    default = default_year if default_year in years else years[-1]
    env = _environment()
    ents = _entities(figures, reg)
    ranked = add_ranks(figures)
    benches = records(group_benchmarks(figures, average))
    empty = pd.DataFrame(columns=["authority_key", "year", "category", "decisions"])
    site = Site(
        frame=figures,
        rows=records(ranked),
        benchmarks=benches,
        categories=categories if categories is not None else empty,
        received=received
        if received is not None
        else empty.rename(columns={"decisions": "received"}),
        entities=ents,
        years=years,
        default=default,
        average=average,
        small=SMALL_NUMBER,
        min_cases=min_cases,
        columns=frozenset(ranked.columns),
    )
    common = {
        "version": version,
        "site_title": "Council complaint statistics",
        "years": years,
        "small": SMALL_NUMBER,
        "average_text": site.average_text,
    }

    # The temporary folder sits beside the output so that the final rename stays on one disk.
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        usual_mode(tmp, folder=True)
    except OSError as e:
        raise OutputError(f"cannot write {out}: {e.strerror or e}") from None
    try:
        n_workers = workers if workers is not None else (os.cpu_count() or 1)
        written = _write_pages(env, common, site, tmp, letters, progress, n_workers)
        (tmp / MARKER).write_text("made by lgsco-stats report\n", encoding="utf-8")
        tmp.chmod(0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return SiteResult(
        out,
        tuple(years),
        written["councils"],
        written["groups"],
        written["charts"],
        written["tables"],
        written["letters"],
    )


def _write_pages(
    env: Environment,
    common: dict[str, Any],
    site: Site,
    tmp: Path,
    letters: Path | None,
    progress: Callable[[int], None] | None,
    workers: int,
) -> dict[str, int]:
    """Write every page, its downloads and the site's data into ``tmp``.

    The council pages and the indexes (about half of the work) are made in a second process
    when there are two CPUs or more, forked once everything they need is ready; the group pages
    (with the funnel plots' statistics) and the whole site's data are made here meanwhile."""
    for sub in ("councils", "groups", "years", "data", "data/councils", "data/groups", "letters"):
        (tmp / sub).mkdir()
    # one page per entity with figures in a year shown
    shown_keys = {r["authority_key"] for y in site.years for r in site.by_year.get(y, [])}
    pages: dict[str, Entity] = {}
    for k in sorted(shown_keys):
        e = site.entities[k]
        pages.setdefault(e.slug, e)
    slug_of = {c.slug: e for e in pages.values() for c in e.history}
    slug_of.update(pages)
    letters_of, n_letters = _copy_letters(letters, slug_of, tmp)
    job = Part(env, common, site, tmp, pages, letters_of)
    with run_apart(job.councils, workers > 1 and len(pages) >= 24) as councils:
        main = job.overview(progress)
    done = councils.result()
    if progress:
        progress(done["councils"] + done["indexes"])
    return {
        "councils": done["councils"],
        "groups": main["groups"],
        "charts": main["charts"] + done["charts"],
        "tables": main["tables"] + done["tables"],
        "letters": n_letters,
    }


def _copy_letters(
    folder: Path | None, slug_of: dict[str, Entity], tmp: Path
) -> tuple[dict[str, list[dict[str, str]]], int]:
    """Copy the letters that match a page into ``letters/``: page slug → its letters."""
    found = find_letters(folder, slug_of)
    out: dict[str, list[dict[str, str]]] = {}
    n = 0
    for slug, files in found.items():
        e = slug_of[slug]
        for y, p in files:
            copy_regular(p, tmp / "letters" / p.name, "--letters")
            n += 1
            out.setdefault(e.slug, []).append(
                {"year": y, "kind": LETTER_KINDS[p.suffix.lower()], "href": f"../letters/{p.name}"}
            )
    for v in out.values():
        v.sort(key=lambda d: (d["year"], d["kind"]))
    return out, n
