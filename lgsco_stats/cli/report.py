"""``lgsco-stats report``: a static report site from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import MIN_CASES, AverageKind, AverageOpt, DbOpt, YearOpt


def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The folder to write the site into (created; a folder made by "
            "an earlier report is replaced).",
            file_okay=False,
            show_default=False,
        ),
    ],
    year: YearOpt = None,
    letters: Annotated[
        Path | None,
        typer.Option(
            "--letters",
            help="A folder of annual review letters named <council slug>-<year>.<ext> "
            "(e.g. southampton-city-council-2019-20.html): each council's page "
            "links to its own.",
            file_okay=False,
            exists=True,
        ),
    ] = None,
    min_cases: Annotated[
        int,
        typer.Option(
            "--min-cases",
            help="Draw a council on its group's ranked chart only from this many "
            "investigations, so that 1 upheld of 1 does not top the ranking, as chart --type "
            "does; 0 or 1 draws every council with investigations (every council stays in "
            "the tables and on the funnel plots).",
            min=0,
        ),
    ] = MIN_CASES,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes making pages: 2 makes the council pages beside the others "
            "(default: 2 when a second CPU is idle, by the load average, else 1).",
        ),
    ] = None,
    average: AverageOpt = AverageKind.mean,
    db: DbOpt = None,
) -> None:
    """Write a static report site that works opened from disk with no network: for every year
    in the store an index of every council (a table you can sort and search by any name the
    command line accepts) and a page per comparison group (councils ranked, funnel plots); a
    page per council with all its years, each beside its group of that year, its decisions by
    outcome and category, and its letters. Every table can be downloaded as CSV or JSON, and
    data/site-data.json holds all of it.

    With --year the site shows that year only; index.html shows the latest year with
    decisions, the other years are a link away.

    \b
    Example: lgsco-stats report --output site/
    Example: lgsco-stats report --output site-2023/ --year 2023-24 --min-cases 5
    """
    from importlib.metadata import PackageNotFoundError, version

    from ..councils import register
    from ..errors import NotFound
    from ..report.site import build_site, page_count
    from ..rounding import format_count
    from ..years import parse_year
    from . import render
    from .data import default_year, site_data

    years, figures, categories, received = site_data(db, average.value)
    # What the load made lives to the end: the collector need not visit it again (and the
    # process that makes the council pages inherits it untouched). Undone when the command
    # returns (cli/__init__.py).
    import gc

    gc.freeze()
    chosen = parse_year(year) if year else None
    if chosen is not None and chosen not in set(figures["year"]):
        raise NotFound(f"no data for {chosen}; years in the store: {', '.join(years)}")
    try:
        v = version("lgsco-stats")
    except PackageNotFoundError:
        v = "(not installed)"
    reg = register()
    with render.Progress("Writing pages", page_count(figures, chosen, reg)) as bar:
        result = build_site(
            figures,
            chosen,
            output,
            reg=reg,
            average=average.value,
            letters=letters,
            version=v,
            min_cases=min_cases,
            default_year=chosen or default_year(db),
            categories=categories,
            received=received,
            workers=jobs if jobs is not None else _idle_cpus(),
            progress=bar.advance,
        )
    span = (
        result.years[0]
        if len(result.years) == 1
        else f"{len(result.years)} years, {result.years[0]} to {result.years[-1]}"
    )
    made = [
        format_count(result.councils, "council page"),
        format_count(result.groups, "group page"),
        format_count(result.charts, "chart"),
        format_count(result.tables, "table") + " to download",
        format_count(result.letters, "letter"),
    ]
    render.message(f"Wrote {result.path}/index.html: {', '.join(made)}, for {span}.")


def _idle_cpus() -> int:
    """2 when this machine has a second CPU nobody is using (1-minute load average at least
    half a CPU below the CPUs), else 1: a second process costs about a sixth more CPU time
    (its copy of the memory it writes) and only pays where a CPU would otherwise wait."""
    import os

    cpus = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return 1
    return 2 if cpus >= 2 and load < cpus - 0.5 else 1
