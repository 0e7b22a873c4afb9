"""``lgsco-stats trend``: a council's figures for every year in the store, each beside the
average of the group it was in that year."""

from __future__ import annotations

from typing import Any

from .options import AverageKind, AverageOpt, CouncilOpt, DbOpt, FormatOpt, OutputOpt, WideOpt
from .render import Column


def _change_text(r: dict[str, Any], short: str) -> str:
    from ..rounding import NA, format_difference

    v, ch = r.get(f"{short}_rate"), r.get(f"{short}_change")
    if v is None or ch is None:
        return NA
    return format_difference(v, v - ch)


def trend(
    council: CouncilOpt,
    average: AverageOpt = AverageKind.mean,
    db: DbOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Show a council's figures for every year in the store, each beside the average of the
    group it was in that year, with the change since the previous year.

    A council that changed type but kept its name (Somerset, North Yorkshire: counties until
    March 2023, unitaries after) is followed across the change. Changes are in percentage
    points between the rounded rates shown. "vs similar" compares each year's rate with the
    pooled rate of the group's other councils that year (exact binomial test); --wide adds
    each rate's 95% interval.

    \b
    Example: lgsco-stats trend --council kent
    """
    from .render import output_format

    fmt = output_format(fmt, output)
    from ..councils import register
    from ..errors import NotFound
    from ..report.trends import (
        TREND_COLUMNS,
        council_series,
        council_trend,
        history_notes,
        no_figures,
    )
    from ..tables import group_name, records
    from . import render
    from .data import all_figures
    from .views import (
        COMPARISON_NOTE,
        DETAIL,
        INTERVAL_NOTE,
        SMALL_NOTE,
        figure_columns,
        population_note,
    )

    reg = register()
    years, figures = all_figures(db, average.value)
    name, keys = council_series(reg, council, figures)
    table = council_trend(figures, keys)
    if table.empty:
        raise NotFound(no_figures(reg, name, council, years))
    rows = records(table)
    names = list(dict.fromkeys(table["council"]))

    lead = [Column("year", "Year")]
    if len(names) > 1:
        # (several names: a successor's year can have two rows, told apart by the name)
        lead.append(Column("council", "Council"))
    lead.append(
        Column(
            "type",
            "Group",
            lambda r: group_name(r.get("type") if r.get("in_group") else None),
            priority=DETAIL,
        )
    )
    columns = figure_columns(
        lead=lead,
        intervals=wide,
        extra=lambda short: [
            Column(
                f"{short}_change",
                "± prev.",
                lambda r: _change_text(r, short),
                numeric=True,
                priority=DETAIL,
            )
        ],
    )
    how = (
        "the mean of the group's councils' figures"
        if average.value == "mean"
        else "the pooled figure of all the group's cases (per 100k: its upheld over its population)"
    )
    notes = [
        SMALL_NOTE,
        f"Group = {how}; ± prev. = change in points since the year before "
        "(n/a when that year has no rate).",
        population_note(rows),
        COMPARISON_NOTE,
        *([INTERVAL_NOTE] if wide else []),
        *history_notes(table),
    ]
    render.emit(
        rows,
        fmt,
        output,
        columns=columns,
        keys=list(TREND_COLUMNS),
        title=f"{' / '.join(names)}: figures by year",
        notes=notes,
        wide=wide,
    )
