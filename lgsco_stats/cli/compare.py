"""``lgsco-stats compare``: every council of a group beside the group's average."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from .options import (
    RATE_WORDS,
    AverageKind,
    AverageOpt,
    DbOpt,
    FormatOpt,
    OutputOpt,
    PopulationOpt,
    TypeOpt,
    WideOpt,
    YearOpt,
    choose,
)
from .render import Format


class SortBy(StrEnum):
    uphold = "uphold"
    remedy = "remedy"
    compliance = "compliance"
    uphold_comparison = "uphold-comparison"
    remedy_comparison = "remedy-comparison"
    compliance_comparison = "compliance-comparison"
    decisions = "decisions"
    per_100k = "per_100k"
    name = "name"


# The column each order sorts on, and the words for it (the columns' own headings among them).
_SORT_KEYS = {
    SortBy.uphold: "uphold_rate",
    SortBy.remedy: "remedy_rate",
    SortBy.compliance: "compliance_rate",
    SortBy.decisions: "decisions",
    SortBy.per_100k: "upheld_per_100k",
}
_SORT_WORDS = {
    **{m.value: m for m in SortBy},
    **{w: SortBy(short) for w, short in RATE_WORDS.items()},
    "council": SortBy.name,
    "per 100k": SortBy.per_100k,
    "per100k": SortBy.per_100k,
    "upheld per 100k": SortBy.per_100k,
}


def _sort_by(value: Any) -> SortBy:
    return choose(value, SortBy, _SORT_WORDS, "sort order")


def compare(
    type_: TypeOpt = None,
    year: YearOpt = None,
    sort: Annotated[
        SortBy,
        typer.Option(
            "--sort",
            parser=_sort_by,
            metavar="[uphold|compliance|remedy|RATE-comparison|decisions|per_100k|name]",
            help="Order councils by a rate, by decisions or upheld per 100k (highest first), by "
            "how a rate compares with similar councils (RATE-comparison, e.g. "
            "uphold-comparison: higher first, the clearest first; then similar and too few, "
            "highest first; lower last), or by name; the columns' headings work too (upheld, "
            "complied, remedied, council).",
        ),
    ] = SortBy.uphold,
    council: Annotated[
        str | None,
        typer.Option(
            "--council",
            "-c",
            help="Highlight this council (and use its group when --type is not given).",
        ),
    ] = None,
    average: AverageOpt = AverageKind.mean,
    population: PopulationOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Compare every council of a group with the group's average for a year (the latest in the
    store unless --year is given). Without --type or --council, list the five groups' averages.

    Rates on fewer than 10 cases are marked with *. "vs similar" says whether each rate is
    higher or lower than the pooled rate of the group's other councils by more than chance
    would explain (exact binomial test, p < 0.05), similar, or on too few cases to tell;
    --wide adds each rate's 95% interval.

    \b
    Example: lgsco-stats compare --type unitary --year 2019-20 --council southampton
    Example: lgsco-stats compare --type district --sort uphold-comparison --wide
    """
    from .render import output_format

    fmt = output_format(fmt, output)
    from ..councils import GROUP_LABELS, register
    from ..errors import UsageError
    from ..figures import council_figures, group_benchmarks
    from ..read.population import read_population
    from ..rounding import format_count
    from ..tables import records
    from . import render
    from .data import council_in_a_group, figures_for_year
    from .views import (
        COMPARISON_NOTE,
        FIGURE_KEYS,
        INTERVAL_NOTE,
        SMALL_NOTE,
        comparison_notes,
        figure_columns,
        population_note,
    )

    reg = register()
    chosen_year, counts = figures_for_year(db, year)
    pops = read_population(population, reg) if population else None
    figures = council_figures(counts, reg, average.value, pops)
    target = None
    group = type_ if type_ else None
    if council:
        target = council_in_a_group(reg, council, chosen_year, figures)
        if group is None:
            group = target.type
        elif target.type != group:
            raise UsageError(
                f"{target.name} is in the {GROUP_LABELS[target.type]} group, not "
                f"{GROUP_LABELS[group]}; drop --type or choose --type {target.type}"
            )
    how = (
        "the mean of the councils' figures"
        if average.value == "mean"
        else "the pooled figure of all the group's cases (per 100k: its upheld over its population)"
    )
    if group is None:
        bench = group_benchmarks(figures, average.value)
        bench = bench[bench["year"] == chosen_year]
        rows = records(bench)
        from ..rounding import format_number, format_percent
        from .render import Column

        def pct(key: str, n: str) -> Any:
            return lambda r: f"{format_percent(r[key])} ({format_count(r[n], 'council')})"

        columns = [
            Column("type", "Group", lambda r: GROUP_LABELS[r["type"]]),
            Column("councils", "Councils with data", numeric=True),
            Column("uphold_rate", "Upheld", pct("uphold_rate", "uphold_councils"), numeric=True),
            Column(
                "compliance_rate",
                "Complied",
                pct("compliance_rate", "compliance_councils"),
                numeric=True,
            ),
            Column(
                "remedy_rate",
                "Remedied by council",
                pct("remedy_rate", "remedy_councils"),
                numeric=True,
            ),
            Column(
                "upheld_per_100k",
                "Upheld per 100k",
                lambda r: (
                    f"{format_number(r['upheld_per_100k'])} "
                    f"({format_count(r['per_100k_councils'], 'council')})"
                ),
                numeric=True,
            ),
        ]
        render.emit(
            rows,
            fmt,
            output,
            columns=columns,
            keys=list(bench.columns),
            title=f"Group averages {chosen_year} ({how})",
            notes=[population_note(records(figures[figures["in_group"]]))],
            wide=wide,
        )
        return
    members = figures[(figures["type"] == group) & figures["in_group"]].copy()
    if members.empty:
        raise UsageError(f"no {GROUP_LABELS[group].lower()} have data for {chosen_year}")
    if sort is SortBy.name:
        members = members.sort_values("council", key=lambda s: s.str.lower())
    elif sort.value.endswith("-comparison"):
        from ..statistics import by_comparison

        members = by_comparison(members, sort.value.removesuffix("-comparison"))
    else:
        members = members.sort_values(
            [_SORT_KEYS[sort], "council"],
            ascending=[False, True],
            na_position="last",
            kind="stable",
        )
    bench = group_benchmarks(figures, average.value)
    b = bench[(bench["type"] == group) & (bench["year"] == chosen_year)].iloc[0]
    footer = [
        {
            "council": (
                f"{GROUP_LABELS[group]} average ({format_count(int(b['councils']), 'council')})"
            ),
            "uphold_rate": b["uphold_rate"],
            "compliance_rate": b["compliance_rate"],
            "remedy_rate": b["remedy_rate"],
            "upheld_per_100k": b["upheld_per_100k"],
            "group_uphold_rate": b["uphold_rate"],
            "group_compliance_rate": b["compliance_rate"],
            "group_remedy_rate": b["remedy_rate"],
            "decisions": "",
            "_benchmark": True,
        }
    ]
    code = target.gss_code if target else None
    member_rows = records(members)
    over = (
        f"upheld over {format_count(int(b['uphold_councils']), 'council')}, complied over "
        f"{b['compliance_councils']}, remedied over {b['remedy_councils']}, per 100k over "
        f"{b['per_100k_councils']}"
    )
    notes = [
        SMALL_NOTE,
        f"Group = {how}; {over} (councils with no cases, or no population, have no figure and "
        "are left out)."
        if average.value == "mean"
        else f"Group = {how}; {over}.",
        population_note(member_rows),
        *comparison_notes(member_rows),
        COMPARISON_NOTE,
        *([INTERVAL_NOTE] if wide else []),
    ]
    render.emit(
        member_rows,
        fmt,
        output,
        columns=figure_columns(
            with_year=False, with_type=False, differences=True, one_group=True, intervals=wide
        ),
        keys=FIGURE_KEYS,
        title=f"{GROUP_LABELS[group]} {chosen_year}",
        notes=notes,
        highlight=(lambda r: r.get("gss_code") == code) if code else None,
        footer=footer if fmt in (Format.table, Format.markdown) else (),
        wide=wide,
    )
