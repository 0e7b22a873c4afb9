"""``lgsco-stats trend``, ``summary``, ``chart`` and ``report``: a council year by year, the
national picture, charts, and a static report site, all from the store."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .options import (
    AverageKind,
    AverageOpt,
    CouncilOpt,
    DbOpt,
    FormatOpt,
    OutputOpt,
    TypeOpt,
    YearOpt,
)
from .render import Column, Format

if TYPE_CHECKING:
    import pandas as pd

    from lgsco_stats.councils import Council, Register


class RateName(StrEnum):
    uphold = "uphold"
    compliance = "compliance"
    remedy = "remedy"


def _all_figures(db: Path | None, average: str) -> tuple[list[str], pd.DataFrame]:
    """Every year in the store and the figures of all of them."""
    from lgsco_stats.councils import register
    from lgsco_stats.errors import NotFound
    from lgsco_stats.figures import council_figures
    from lgsco_stats.store import Store

    with Store(db, create=False) as st:
        years = st.years()
        if not years:
            raise NotFound("the store is empty: load data first with 'lgsco-stats compute FILE'")
        counts = st.counts()
    return years, council_figures(counts, register(), average)


def _lower(label: str) -> str:
    """``"London boroughs"`` stays capitalised; ``"County councils"`` → ``"county councils"``."""
    return label if label.startswith("London") else label.lower()


def _find(reg: Register, name: str, year: str | None = None) -> Council:
    return reg.get(name, year)


def _series(reg: Register, name: str, figures: pd.DataFrame) -> tuple[str, list[str]]:
    """A council's display name and authority keys (its lineage's GSS codes); a body outside
    the register (a fire authority, Transport for London) by its name as loaded."""
    from lgsco_stats.errors import NotFound
    from lgsco_stats.outcomes import normalise_text
    from lgsco_stats.trends import lineage

    try:
        council = _find(reg, name)
    except NotFound:
        key = "name:" + normalise_text(name)
        rows = figures[figures["authority_key"] == key]
        if rows.empty:
            raise
        return str(rows["council"].iloc[-1]), [key]
    return council.name, [c.gss_code for c in lineage(reg, council)]


def _history(trend: pd.DataFrame) -> list[str]:
    """Notes where the council's group changed between years (Somerset 2022-23 → 2023-24)."""
    from lgsco_stats.councils import GROUP_SINGULAR

    notes = []
    prev = None
    for year, name, t, note in zip(
        trend["year"], trend["council"], trend["type"], trend["group_note"], strict=True
    ):
        group = GROUP_SINGULAR.get(t, "no group") if isinstance(t, str) else "no group"
        if prev is not None and (name, group) != prev[1:]:
            notes.append(
                f"From {year}: {name}, a {group} (until {prev[0]}: {prev[1]}, a "
                f"{prev[2]}); each year is compared with the group it was in then."
            )
        if isinstance(note, str):
            notes.append(f"{year}: {note}.")
        prev = (year, name, group)
    return notes


def _change_text(r: dict[str, Any], short: str) -> str:
    from lgsco_stats.rounding import NA, format_difference

    v, ch = r.get(f"{short}_rate"), r.get(f"{short}_change")
    if v is None or ch is None:
        return NA
    return format_difference(v, v - ch)


def trend(
    council: CouncilOpt,
    average: AverageOpt = AverageKind.mean,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Show a council's figures for every year in the store, each beside the average of the
    group it was in that year, with the change since the previous year.

    A council that changed type but kept its name (Somerset, North Yorkshire: counties until
    March 2023, unitaries after) is followed across the change. Changes are in percentage
    points between the rounded rates shown.

    \b
    Example: lgsco-stats trend --council kent
    """
    from lgsco_stats.councils import register
    from lgsco_stats.errors import NotFound
    from lgsco_stats.trends import TREND_COLUMNS, council_trend

    from . import render
    from .views import SMALL_NOTE, figure_columns, group_name, records

    reg = register()
    years, figures = _all_figures(db, average.value)
    name, keys = _series(reg, council, figures)
    table = council_trend(figures, keys)
    if table.empty:
        raise NotFound(f"no data for {name} in the store; years in the store: {', '.join(years)}")
    rows = records(table)
    names = list(dict.fromkeys(table["council"]))

    lead = [Column("year", "Year")]
    if len(names) > 1:
        lead.append(Column("council", "Council"))
    lead.append(Column("type", "Group", lambda r: group_name(r.get("type"))))
    columns = figure_columns(
        lead=lead,
        extra=lambda short: [
            Column(f"{short}_change", "± prev.", lambda r: _change_text(r, short), numeric=True)
        ],
    )
    how = (
        "the mean of the group's councils' rates"
        if average.value == "mean"
        else "the pooled rate of all the group's cases"
    )
    notes = [
        SMALL_NOTE,
        f"Group = {how}; ± prev. = change in points since the year before "
        "(n/a when that year has no rate).",
        *_history(table),
    ]
    render.emit(
        rows,
        fmt,
        output,
        columns=columns,
        keys=list(TREND_COLUMNS),
        title=f"{' / '.join(names)}: figures by year",
        notes=notes,
    )


def summary(
    year: YearOpt = None,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=1,
            max=100,
            help="How many councils to list with the highest and the lowest of each rate.",
        ),
    ] = 5,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Summarise a year (the latest in the store unless --year is given): decisions by outcome,
    investigations and the national uphold, compliance and remedy rates, the same for each
    group, decisions by category, and the councils with the highest and lowest rates.

    National and group rates here are pooled (all the cases together). Councils with fewer than
    10 cases behind a rate are left out of the highest and lowest.

    \b
    Example: lgsco-stats summary --year 2023-24
    """
    from lgsco_stats.councils import register
    from lgsco_stats.figures import council_figures
    from lgsco_stats.store import Store
    from lgsco_stats.trends import summary as make_summary

    from . import render
    from .data import figures_for_year

    chosen, counts = figures_for_year(db, year)
    with Store(db, create=False) as st:
        cats = st.category_counts([chosen])
        received = st.received_counts([chosen])
    figures = council_figures(counts, register(), "mean")
    s = make_summary(figures, chosen, cats, top, received)
    render.write_text(_summary_text(s, fmt), output)


def _scope_label(scope: str) -> str:
    from lgsco_stats.councils import GROUP_LABELS
    from lgsco_stats.trends import NATIONAL, NO_GROUP

    if scope == NATIONAL:
        return "England (all authorities)"
    if scope == NO_GROUP:
        return "No comparison group"
    return GROUP_LABELS[scope]


def _counter(key: str) -> Callable[[dict[str, Any]], str]:
    from .views import count

    return lambda r: count(r[key])


def _summary_text(s: Any, fmt: Format) -> str:
    """The summary in one of the four formats (tables and Markdown: one section per part)."""
    from lgsco_stats import outcomes as oc
    from lgsco_stats.figures import RATES, SMALL_NUMBER
    from lgsco_stats.rounding import format_percent, rate
    from lgsco_stats.trends import OUTCOME_GROUP_KEYS, RATE_KEYS, SUMMARY_COUNTS

    from . import render
    from .views import count, group_name, records

    totals = records(s.totals)
    cats = records(s.categories)
    rec = records(s.received) if s.received is not None else []
    ext = records(s.extremes)
    if fmt is Format.json:
        import json

        doc = {
            "year": s.year,
            "rates": "pooled",
            "small_number": SMALL_NUMBER,
            "totals": [{k: render.plain(v) for k, v in r.items()} for r in totals],
            "categories": [{k: render.plain(v) for k, v in r.items()} for r in cats],
            "received": [{k: render.plain(v) for k, v in r.items()} for r in rec],
            "extremes": [{k: render.plain(v) for k, v in r.items()} for r in ext],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if fmt is Format.csv:
        long: list[dict[str, Any]] = []
        for r in totals:
            for c in SUMMARY_COUNTS:
                long.append({"section": "totals", "scope": r["scope"], "measure": c, "value": r[c]})
            for key, (num, den) in RATES.items():
                long.append(
                    {
                        "section": "totals",
                        "scope": r["scope"],
                        "measure": key,
                        "value": r[key],
                        "numerator": r[num],
                        "denominator": r[den],
                    }
                )
        total = sum(int(r["decisions"]) for r in cats)
        for r in cats:
            long.append(
                {
                    "section": "categories",
                    "scope": "england",
                    "measure": r["category"],
                    "value": r["share"],
                    "numerator": r["decisions"],
                    "denominator": total,
                }
            )
        received_total = sum(int(r["received"]) for r in rec)
        for r in rec:
            long.append(
                {
                    "section": "received",
                    "scope": "england",
                    "measure": r["category"],
                    "value": r["share"],
                    "numerator": r["received"],
                    "denominator": received_total,
                }
            )
        for r in ext:
            long.append(
                {
                    "section": f"{r['end']}_{r['rate']}_rate",
                    "scope": r["council"],
                    "measure": f"position {r['position']}",
                    "value": r["value"],
                    "numerator": r["numerator"],
                    "denominator": r["denominator"],
                }
            )
        return render.to_csv(
            long, ["section", "scope", "measure", "value", "numerator", "denominator"]
        )

    def rate_cell(key: str, num: str, den: str) -> Any:
        def show(r: dict[str, Any]) -> str:
            if r[den] is None or r[num] is None:
                return "n/a"  # a count not reported
            if not r[den]:
                return "n/a (0)"
            return f"{format_percent(r[key])} ({int(r[num]):,}/{int(r[den]):,})"

        return show

    sections: list[tuple[str, list[dict[str, Any]], list[Column], list[str]]] = []
    cols = [
        Column("scope", "Scope", lambda r: _scope_label(r["scope"])),
        Column("councils", "Authorities", numeric=True),
        Column("decisions", "Decisions", lambda r: count(r["decisions"]), numeric=True),
        *[Column(g, oc.GROUP_LABELS[g], _counter(g), numeric=True) for g in OUTCOME_GROUP_KEYS],
        Column(
            "uphold", "Upheld", rate_cell("uphold_rate", "upheld", "investigations"), numeric=True
        ),
        Column(
            "compliance",
            "Complied",
            rate_cell("compliance_rate", "complied_total", "compliance_outcomes"),
            numeric=True,
        ),
        Column(
            "remedy",
            "Remedied by council",
            rate_cell("remedy_rate", "remedy_by_authority", "upheld"),
            numeric=True,
        ),
    ]
    sections.append(
        (
            f"England and the comparison groups {s.year} (rates pooled)",
            totals,
            cols,
            ["Investigated = upheld + not upheld (the detailed investigations)."],
        )
    )
    national = totals[0]
    outcome_rows = [
        {
            "outcome": oc.OUTCOME_LABELS[o],
            "group": oc.GROUP_LABELS[oc.OUTCOME_GROUPS[o]],
            "decisions": national[o],
        }
        for o in oc.OUTCOMES
    ]
    n = national["decisions"]
    sections.append(
        (
            f"Decisions by outcome {s.year}",
            outcome_rows,
            [
                Column("outcome", "Outcome"),
                Column("group", "Group (2024-25 wording)"),
                Column("decisions", "Decisions", lambda r: count(r["decisions"]), numeric=True),
                Column(
                    "share",
                    "Share of decisions",
                    lambda r: format_percent(rate(r["decisions"], n)),
                    numeric=True,
                ),
            ],
            [],
        )
    )
    if cats:
        sections.append(
            (
                f"Decisions by category {s.year}",
                cats,
                [
                    Column("category", "Category"),
                    Column("decisions", "Decisions", lambda r: count(r["decisions"]), numeric=True),
                    Column("share", "Share", lambda r: format_percent(r["share"]), numeric=True),
                ],
                ["Case-level decisions that name a category; published tables carry none."],
            )
        )
    if rec:
        sections.append(
            (
                f"Complaints received by category {s.year}",
                rec,
                [
                    Column("category", "Category"),
                    Column("received", "Received", lambda r: count(r["received"]), numeric=True),
                    Column("share", "Share", lambda r: format_percent(r["share"]), numeric=True),
                ],
                ["From published tables' category columns (complaints received in the year)."],
            )
        )
    for short in RATE_KEYS:
        rows = [r for r in ext if r["rate"] == short]
        if not rows:
            continue
        sections.append(
            (
                f"Highest and lowest {short} rates {s.year}",
                rows,
                [
                    Column("end", "End"),
                    Column("position", "#", numeric=True),
                    Column("council", "Council"),
                    Column("type", "Group", lambda r: group_name(r.get("type"))),
                    Column(
                        "value",
                        "Rate",
                        lambda r: (
                            f"{format_percent(r['value'])} ({r['numerator']}/{r['denominator']})"
                        ),
                        numeric=True,
                    ),
                ],
                [f"Councils with fewer than {SMALL_NUMBER} cases behind the rate are left out."],
            )
        )
    parts = []
    for title, rows, columns, notes in sections:
        if fmt is Format.markdown:
            parts.append(render.to_markdown(rows, columns, title, notes))
        else:
            parts.append(render.to_table_text(rows, columns, title=title, notes=notes))
    return "\n".join(parts)


def chart(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The chart file: .png or .svg.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    council: Annotated[
        str | None,
        typer.Option(
            "--council",
            "-c",
            help="Draw this council year by year against its group (or, with "
            "--year or --type, highlight it among its group).",
        ),
    ] = None,
    type_: TypeOpt = None,
    year: YearOpt = None,
    rate: Annotated[
        RateName | None,
        typer.Option(
            "--rate",
            help="The rate to draw (a council's trend: all three unless given; a group: "
            "uphold unless given).",
            case_sensitive=False,
        ),
    ] = None,
    average: AverageOpt = AverageKind.mean,
    db: DbOpt = None,
) -> None:
    """Draw a chart as PNG or SVG (by the output's extension).

    With --council alone: the council's rates year by year as bars, its group's average as a
    dashed line. With --type (and --year, default the latest): the group's councils ranked, the
    group average as a line, --council highlighted.

    \b
    Example: lgsco-stats chart --type unitary --year 2023-24 --output unitary.svg
    """
    from lgsco_stats.errors import UsageError

    if council is None and type_ is None:
        raise UsageError("say what to draw: --council C (its trend) or --type T (a group)")
    from lgsco_stats.charts import chart_format  # matplotlib is imported here, only when drawing

    fmt = chart_format(output)
    from lgsco_stats.councils import GROUP_LABELS, register
    from lgsco_stats.errors import NotFound
    from lgsco_stats.figures import council_figures, group_benchmarks

    from . import render

    reg = register()
    if council is not None and type_ is None and year is None:
        from lgsco_stats.charts import trend_chart
        from lgsco_stats.trends import council_trend

        years, figures = _all_figures(db, average.value)
        name, keys = _series(reg, council, figures)
        table = council_trend(figures, keys)
        if table.empty:
            raise NotFound(
                f"no data for {name} in the store; years in the store: {', '.join(years)}"
            )
        rates = (rate.value,) if rate else ("uphold", "compliance", "remedy")
        data = trend_chart(table, name, fmt, rates)
        render.write_atomic(output, data)
        render.message(
            f"Wrote {output}: {name}, {len(table)} years "
            f"({table['year'].iloc[0]} to {table['year'].iloc[-1]})."
        )
        return
    from lgsco_stats.charts import group_chart

    from .data import figures_for_year

    chosen, counts = figures_for_year(db, year)
    figures = council_figures(counts, reg, average.value)
    target: Council | None = _find(reg, council, chosen) if council else None
    group = type_.value if type_ else target.type if target else None
    if target is not None and type_ is not None and target.type != group:
        raise UsageError(
            f"{target.name} is in the {GROUP_LABELS[target.type]} group, not "
            f"{GROUP_LABELS[str(group)]}; drop --type or choose --type "
            f"{target.type}"
        )
    members = figures[(figures["type"] == group) & figures["in_group"].astype(bool)]
    if members.empty:
        raise NotFound(f"no {_lower(GROUP_LABELS[str(group)])} have data for {chosen}")
    short = rate.value if rate else "uphold"
    bench = group_benchmarks(figures, average.value)
    b = bench[(bench["type"] == group) & (bench["year"] == chosen)].iloc[0]
    data = group_chart(
        members,
        str(group),
        chosen,
        short,
        fmt,
        highlight=target.gss_code if target else None,
        benchmark=float(b[f"{short}_rate"]),
        benchmark_councils=int(b[f"{short}_councils"]),
        average=average.value,
    )
    render.write_atomic(output, data)
    render.message(
        f"Wrote {output}: {len(members)} {_lower(GROUP_LABELS[str(group)])}, "
        f"{short} rate, {chosen}."
    )


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

    from lgsco_stats.councils import register
    from lgsco_stats.errors import NotFound
    from lgsco_stats.site import build_site, chart_jobs
    from lgsco_stats.years import parse_year

    from . import render

    years, figures = _all_figures(db, average.value)
    from .data import default_year

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
    render.message(
        f"Wrote {result.path}/index.html: {result.councils} council pages, {result.groups} group "
        f"pages, {result.charts} charts, {result.letters} letters, for {result.year}."
    )
