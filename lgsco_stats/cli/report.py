"""``lgsco-stats report``: a static report site from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import AverageKind, AverageOpt, DbOpt, YearOpt


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
    average: AverageOpt = AverageKind.mean,
    db: DbOpt = None,
) -> None:
    """Write a static report site that works opened from disk with no network: an index of
    every council (a table you can sort and search), a page per group and a page per council
    with its figures, its trend chart, its place in its group and its letters.

    The site shows --year (default: the latest year with decisions in the store); trends use
    every year.

    \b
    Example: lgsco-stats report --output site/
    """
    from importlib.metadata import PackageNotFoundError, version

    from ..councils import register
    from ..errors import NotFound
    from ..report.site import build_site, chart_jobs
    from ..rounding import format_count
    from ..years import parse_year
    from . import render
    from .data import all_figures, default_year

    years, figures = all_figures(db, average.value)

    chosen = parse_year(year) if year else default_year(db)
    if chosen not in set(figures["year"]):
        raise NotFound(f"no data for {chosen}; years in the store: {', '.join(years)}")
    try:
        v = version("lgsco-stats")
    except PackageNotFoundError:
        v = "(not installed)"
    reg = register()
    with render.Progress("Drawing charts", chart_jobs(figures, chosen, reg)) as bar:
        result = build_site(
            figures,
            chosen,
            output,
            reg=reg,
            average=average.value,
            letters=letters,
            version=v,
            progress=bar.advance,
        )
    made = [
        format_count(result.councils, "council page"),
        format_count(result.groups, "group page"),
        format_count(result.charts, "chart"),
        format_count(result.letters, "letter"),
    ]
    render.message(f"Wrote {result.path}/index.html: {', '.join(made)}, for {result.year}.")
