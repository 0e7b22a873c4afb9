"""Options shared by several commands, defined once."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .render import FORMAT_WORDS, Format

# The ranked charts' default minimum of cases (chart --type, and the site's group pages):
# figures.SMALL_NUMBER, under which every output flags a rate as based on small numbers, so that
# 1 upheld of 1 does not top a ranking (written here: figures imports pandas, which --help must
# not; a test checks the two agree).
MIN_CASES = 10

E = TypeVar("E", bound=Enum)


class AverageKind(str, Enum):
    mean = "mean"
    pooled = "pooled"


def words(text: str) -> str:
    """An option's value as its words: lower case, spaces, hyphens and underscores as one space
    (``"London_Borough"`` → ``"london borough"``)."""
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def choose(value: Any, kind: type[E], table: dict[str, E], what: str) -> E:
    """The member of ``kind`` a word of ``table`` names; anything else is a bad parameter
    that lists the choices (the enum's values)."""
    if isinstance(value, kind):
        return value
    # the table's words as a user's are read (``uphold-comparison`` is ``uphold comparison``)
    table = {words(k): v for k, v in table.items()}
    found = table.get(words(str(value)))
    if found is None:
        import difflib

        close = difflib.get_close_matches(words(str(value)), list(table), n=1, cutoff=0.6)
        hint = f"; did you mean {table[close[0]].value!r}?" if close else ""
        raise typer.BadParameter(
            f"{value!r} is not a {what}: choose {', '.join(m.value for m in kind)}{hint}"
        )
    return found


def parse_format(value: Any) -> Format:
    return choose(value, Format, FORMAT_WORDS, "format")


FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        parser=parse_format,
        metavar="[table|csv|json|markdown|xlsx]",
        show_default=False,
        help="Output format: table, csv, json, markdown (or md) or xlsx; default: from the "
        "--output file's suffix (.csv, .json, .md, .xlsx, .txt), else table.",
    ),
]


def _output_allowed(value: Path | None) -> Path | None:
    """Refuse an ``--output`` that must not be replaced before the command does any work (a
    load is not saved only for its figures to find they cannot be written)."""
    from ..output import check_target, is_stdout

    if not is_stdout(value):
        assert value is not None
        check_target(value)
    return value


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write to this file instead of stdout ('-' is stdout).",
        dir_okay=False,
        writable=True,
        callback=_output_allowed,
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


def parse_year_option(value: Any) -> str:
    """A financial year typed on the command line, as ``2019-20``; ``2019`` alone is refused
    ("2019-20 or 2018-19?")."""
    from ..errors import UsageError
    from ..years import parse_year

    try:
        return parse_year(value, bare=False)
    except UsageError as e:
        raise typer.BadParameter(e.message) from None


YearOpt = Annotated[
    str | None,
    typer.Option(
        "--year",
        "-y",
        parser=parse_year_option,
        metavar="YYYY-YY",  # without it, --help shows the parser's name
        help="Financial year, e.g. 2019-20 (the year ending 31 March 2020).",
    ),
]


# What compute and inspect read: the files, a sheet, headers named by the user, and the year of
# a published table that does not say its own.
FilesArg = Annotated[
    list[Path],
    typer.Argument(
        help="Spreadsheets (.xlsx, .xls, .ods) or CSV files of decisions, compliance outcomes "
        "or published per-council tables.",
        exists=True,
        dir_okay=False,
        readable=True,
        show_default=False,
    ),
]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", help="Read only this sheet (default: every sheet).")
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="FIELD=HEADER",
        help="Say which column holds a field, e.g. --map outcome=Result (repeatable).",
    ),
]
TableYearOpt = Annotated[
    str | None,
    typer.Option(
        "--year",
        "-y",
        parser=parse_year_option,
        metavar="YYYY-YY",
        help="Year of a published table whose year is not in a Year column, its sheet's name "
        "or a title row, e.g. 2023-24.",
    ),
]


def parse_type(value: Any) -> str:
    """A comparison group as users write it and as the output shows it ("london borough",
    "County councils", "met") → its code (``councils.parse_group``)."""
    from ..councils import parse_group
    from ..errors import UsageError

    try:
        return parse_group(str(value))
    except UsageError as e:
        raise typer.BadParameter(e.message) from None


TypeOpt = Annotated[
    str | None,
    typer.Option(
        "--type",
        "-t",
        parser=parse_type,
        metavar="[county|district|metropolitan|unitary|london_borough]",
        help="Comparison group, as written here or as the output shows it (e.g. 'London "
        "boroughs', 'unitary councils').",
    ),
]


# The rates as options name them (``--sort``, ``--rate``), by the words the output shows too.
RATE_WORDS: dict[str, str] = {
    "uphold": "uphold",
    "upheld": "uphold",
    "uphold rate": "uphold",
    "compliance": "compliance",
    "complied": "compliance",
    "compliance rate": "compliance",
    "remedy": "remedy",
    "remedied": "remedy",
    "remedied by council": "remedy",
    "remedy rate": "remedy",
    "satisfactory remedy": "remedy",
    "satisfactory remedy rate": "remedy",
}
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
        help="Show every column: each rate's 95% interval (Wilson) too, and on a terminal every "
        "column even where they do not fit its width (by default a narrow terminal leaves out "
        "the least needed ones, and says which). CSV and JSON always carry every figure.",
    ),
]
