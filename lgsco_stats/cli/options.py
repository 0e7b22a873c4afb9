"""Options shared by several commands, defined once."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .render import Format


class AverageKind(str, Enum):
    mean = "mean"
    pooled = "pooled"


class GroupType(str, Enum):
    county = "county"
    district = "district"
    metropolitan = "metropolitan"
    unitary = "unitary"
    london_borough = "london_borough"


FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format", "-f", help="Output format: table, csv, json or markdown.", case_sensitive=False
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout.",
        dir_okay=False,
        writable=True,
    ),
]
DbOpt = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="The store (default: $LGSCO_STATS_DB or the user data folder).",
        envvar="LGSCO_STATS_DB",
        dir_okay=False,
    ),
]
AverageOpt = Annotated[
    AverageKind,
    typer.Option(
        "--average",
        help="Group benchmark: the mean of the councils' rates, or the "
        "pooled rate (sum of numerators over sum of denominators).",
        case_sensitive=False,
    ),
]
YearOpt = Annotated[
    str | None,
    typer.Option(
        "--year", "-y", help="Financial year, e.g. 2019-20 (the year ending 31 March 2020)."
    ),
]
TypeOpt = Annotated[
    GroupType | None,
    typer.Option("--type", "-t", help="Comparison group.", case_sensitive=False),
]
PopulationOpt = Annotated[
    Path | None,
    typer.Option(
        "--population",
        help="A CSV or workbook of council (or GSS code), population "
        "and optionally year, replacing the shipped ONS estimates (year Y-(Y+1) uses "
        "mid-(Y-1)) for upheld decisions per 100,000 residents where it gives one.",
        exists=True,
        dir_okay=False,
    ),
]
CouncilOpt = Annotated[
    str,
    typer.Option(
        "--council", "-c", help="A council's name, short name or GSS code.", show_default=False
    ),
]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Tables and Markdown: add each rate's 95% interval (Wilson) beside it. CSV and "
        "JSON always carry the intervals, peer rates and p-values.",
    ),
]
