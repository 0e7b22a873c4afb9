"""``lgsco-stats councils``: look up or list the register of councils."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .options import FormatOpt, OutputOpt, TypeOpt, WideOpt, YearOpt
from .render import Column, Format

KEYS = (
    "gss_code",
    "name",
    "short_name",
    "type",
    "start_date",
    "end_date",
    "population",
    "region",
    "aliases",
    "replaced_by",
)


def councils(
    query: Annotated[
        str | None,
        typer.Argument(
            help="A council's name, short name, alias or GSS code (or part of a name).",
            show_default=False,
        ),
    ] = None,
    type_: TypeOpt = None,
    year: YearOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Look up a council in the register, or list the councils of a group or year.

    \b
    Example: lgsco-stats councils southampton
    """
    from ..councils import GROUP_LABELS, Council, register
    from ..errors import NotFound, UsageError
    from ..populations import CREDIT, ons_population, population_year
    from ..rounding import format_count
    from . import render
    from .render import output_format

    fmt = output_format(fmt, output)
    reg = register()
    y = year  # already a financial year (the option's parser)
    if query:
        # The one resolver every command uses; where it finds several councils this lists
        # them, and where it finds none, the councils with the text anywhere in a name.
        chosen: list[Council]
        try:
            chosen = [reg.get(query, y)]
        except UsageError:
            chosen = reg.candidates(query) or reg.word_matches(query, y)
        except NotFound:
            chosen = reg.search(query)
            if not chosen:
                raise
    else:
        chosen = list(reg.councils)
    if type_ is not None:
        chosen = [c for c in chosen if c.type == type_]
    if y is not None:
        chosen = [c for c in chosen if c.existed_in(y)]
    rows: list[dict[str, Any]] = [
        {
            "gss_code": c.gss_code,
            "name": c.name,
            "short_name": c.short_name,
            "type": c.type,
            "start_date": c.start_date.isoformat() if c.start_date else None,
            "end_date": c.end_date.isoformat() if c.end_date else None,
            "population": c.population if y is None else ons_population(c.gss_code, y),
            "region": c.region,
            "aliases": "; ".join(c.aliases),
            "replaced_by": "; ".join(c.replaced_by),
        }
        for c in chosen
    ]
    columns = [
        Column("name", "Council"),
        Column("gss_code", "GSS code"),
        Column("type", "Group", lambda r: GROUP_LABELS[r["type"]]),
        Column("start_date", "From", lambda r: r["start_date"] or "before 2015", priority=2),
        Column("end_date", "Until", lambda r: r["end_date"] or "", priority=2),
        Column(
            "population",
            f"Population (mid-{2020 if y is None else population_year(y)})",
            lambda r: f"{r['population']:,}" if r["population"] else "",
            numeric=True,
            priority=1,
        ),
        Column("region", "Region", priority=3),
    ]
    if len(rows) == 1 and fmt is Format.table:
        columns.append(Column("aliases", "Also called", priority=4))
    title = format_count(len(rows), "council")
    notes = ["Register: mySociety UK local authority names and codes (CC BY 4.0)."]
    if y is None:
        notes.append("Population: mid-2020 estimate, as the register gives it; --year YYYY-YY "
                     "shows the ONS estimate the figures of that year use.")  # fmt: skip
    else:
        mid = population_year(y)
        if any(r["population"] for r in rows):
            notes.append(f"Population: ONS mid-{mid}, the estimate {y}'s per-100k figures use. "
                         f"{CREDIT}.")  # fmt: skip
        elif rows:
            notes.append(f"Population: none shipped for mid-{mid}, so {y} has no per-100k "
                         "figures (see compute --population).")  # fmt: skip
        if y < "2015-16":
            notes.append("The register begins on 1 April 2015: councils abolished before then "
                         f"are not in it, so this is not the full list for {y}.")  # fmt: skip
    render.emit(
        rows,
        fmt,
        output,
        columns=columns,
        keys=KEYS,
        title=title,
        notes=notes,
        wide=wide,
    )
