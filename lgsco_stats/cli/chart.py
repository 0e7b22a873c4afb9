"""``lgsco-stats chart``: a council against its group year by year, a group ranked, or a group's
funnel plot, as PNG or SVG."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .options import (
    MIN_CASES,
    RATE_WORDS,
    AverageKind,
    AverageOpt,
    DbOpt,
    TypeOpt,
    YearOpt,
    choose,
)

if TYPE_CHECKING:
    pass


class RateName(StrEnum):
    uphold = "uphold"
    compliance = "compliance"
    remedy = "remedy"


def _rate(value: object) -> RateName:
    return choose(value, RateName, {w: RateName(r) for w, r in RATE_WORDS.items()}, "rate")


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
            parser=_rate,
            metavar="[uphold|compliance|remedy]",
            help="The rate to draw (a council's trend: all three unless given; a group: "
            "uphold unless given); upheld, complied and remedied work too.",
        ),
    ] = None,
    min_cases: Annotated[
        int,
        typer.Option(
            "--min-cases",
            help="With --type: draw only councils with at least this many cases behind the "
            "rate (investigations for the uphold rate), so that 1 upheld of 1 does not top "
            "the ranking; the chart says how many it leaves out. A council named with "
            "--council is drawn whatever its cases. 0 draws every council.",
            min=0,
        ),
    ] = MIN_CASES,
    average: AverageOpt = AverageKind.mean,
    funnel: Annotated[
        bool,
        typer.Option(
            "--funnel",
            help="Draw the group's funnel plot: each council's rate against its number of "
            "cases, the pooled rate and exact 95% and 99.8% limits (with --type or --council).",
        ),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Draw a chart as PNG or SVG (by the output's extension).

    With --council alone: the council's rates year by year as bars, its group's average as a
    dashed line. With --type (and --year, default the latest): the group's councils ranked, the
    group average as a line (when two or more councils are behind it), --council highlighted;
    councils with fewer than 10 cases behind the rate are left out, so that a small council's
    1 of 1 does not top the ranking (--min-cases 0 draws them all). With --funnel: the group's
    funnel plot for a rate (uphold unless --rate is given); councils beyond the limits are
    named, and when the councils vary more than chance would make them the widened limits are
    drawn too.

    \b
    Example: lgsco-stats chart --type unitary --year 2023-24 --output unitary.svg
    Example: lgsco-stats chart --type district --min-cases 20 --output districts.png
    Example: lgsco-stats chart --funnel --type unitary --year 2019-20 --rate uphold -o f.svg
    """
    from ..errors import UsageError

    if council is None and type_ is None:
        raise UsageError(
            "say what to draw: --council C (its trend) or --type T (a group"
            + (", for --funnel)" if funnel else ")")
        )
    from ..report.charts import chart_format  # matplotlib is imported here, only when drawing

    fmt = chart_format(output)
    from ..councils import GROUP_LABELS, GROUP_SINGULAR, lower_label, register
    from ..errors import NotFound
    from ..figures import council_figures, group_benchmarks
    from ..rounding import format_count
    from . import render

    reg = register()
    if council is not None and type_ is None and year is None and not funnel:
        from ..report.charts import trend_chart
        from ..report.trends import council_series, council_trend, no_figures
        from .data import all_figures

        years, figures = all_figures(db, average.value)
        name, keys = council_series(reg, council, figures)
        table = council_trend(figures, keys)
        if table.empty:
            raise NotFound(no_figures(reg, name, council, years))
        rates = (rate.value,) if rate else ("uphold", "compliance", "remedy")
        data = trend_chart(table, name, fmt, rates)
        render.write_atomic(output, data)
        first, last = table["year"].iloc[0], table["year"].iloc[-1]
        span = first if first == last else f"{first} to {last}"
        # a year with a successor's row and the abolished council's is one year, two bars
        years_drawn = format_count(table["year"].nunique(), "year")
        render.message(f"Wrote {output}: {name}, {years_drawn} ({span}).")
        return
    from ..report.charts import group_chart
    from .data import council_in_a_group, figures_for_year

    chosen, counts = figures_for_year(db, year)
    figures = council_figures(counts, reg, average.value)
    target = council_in_a_group(reg, council, chosen, figures) if council else None
    group = type_ if type_ else target.type if target else None
    if target is not None and type_ is not None and target.type != group:
        raise UsageError(
            f"{target.name} is in the {GROUP_LABELS[target.type]} group, not "
            f"{GROUP_LABELS[str(group)]}; drop --type or choose --type "
            f"{target.type}"
        )
    members = figures[(figures["type"] == group) & figures["in_group"].astype(bool)]
    if members.empty:
        raise NotFound(f"no {lower_label(GROUP_LABELS[str(group)])} have data for {chosen}")
    short = rate.value if rate else "uphold"
    if funnel:
        from ..report.charts import funnel_chart
        from ..statistics import funnel_data

        fun = funnel_data(figures, str(group), chosen, short)
        if fun.points.empty:  # no council of the group has cases for this rate: nothing to draw
            from ..report.funnel import CASES

            raise NotFound(
                f"no {GROUP_SINGULAR[str(group)]} has {CASES[short][0]} for {chosen}: "
                "no funnel plot to draw"
            )
        data = funnel_chart(fun, fmt, highlight=target.gss_code if target else None)
        render.write_atomic(output, data)
        outside = int((fun.points["position"] != "within").sum())
        widened = (
            f"; over-dispersed (phi {fun.dispersion.phi:.2f}, tau2 {fun.dispersion.tau2:.4f}): "
            "widened limits drawn too"
            if fun.widened
            else ""
        )
        drawn = len(fun.points)
        kind = GROUP_SINGULAR[str(group)] if drawn == 1 else GROUP_LABELS[str(group)]
        render.message(
            f"Wrote {output}: funnel plot of {drawn} "
            f"{lower_label(kind)}, {short} rate, {chosen}; {outside} beyond "
            f"the 95% limits{widened}."
        )
        return
    from ..report.ranked import ranked

    shown, _ = ranked(members, short, min_cases, target.gss_code if target else None)
    if shown.empty:
        from ..report.ranked import CASES

        raise NotFound(
            f"no {GROUP_SINGULAR[str(group)]} has {min_cases} or more {CASES[short]} for "
            f"{chosen}: --min-cases 0 draws every council"
        )
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
        min_cases=min_cases,
    )
    render.write_atomic(output, data)
    drawn = len(shown)
    left_out = f" ({len(members) - drawn} with fewer than {min_cases} cases not drawn)"
    kind = GROUP_SINGULAR[str(group)] if drawn == 1 else GROUP_LABELS[str(group)]
    render.message(
        f"Wrote {output}: {drawn} {lower_label(kind)}"
        f"{left_out if drawn < len(members) else ''}, {short} rate, {chosen}."
    )
