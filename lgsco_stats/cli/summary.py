"""``lgsco-stats summary``: a year's national and per-group totals, decisions by category, and
the highest and lowest councils (the text itself is made by :mod:`lgsco_stats.report.summary`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from . import render
from .options import DbOpt, FormatOpt, OutputOpt, WideOpt, YearOpt
from .render import Format

if TYPE_CHECKING:
    from ..report.summary import Summary


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
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Summarise a year (the latest in the store unless --year is given): decisions by outcome,
    investigations and the national uphold, compliance and remedy rates, the same for each
    group, decisions by category, and the councils with the highest and lowest rates.

    National and group rates here are pooled (all the cases together). Councils with fewer than
    10 cases behind a rate are left out of the highest and lowest.

    \b
    Example: lgsco-stats summary --year 2023-24
    """
    from .render import output_format

    fmt = output_format(fmt, output)
    from ..councils import register
    from ..figures import council_figures
    from ..report.summary import summary as make_summary
    from ..store import Store
    from . import render
    from .data import figures_for_year

    chosen, counts = figures_for_year(db, year)
    with Store(db, create=False) as st:
        cats = st.category_counts([chosen])
        received = st.received_counts([chosen])
    figures = council_figures(counts, register(), "mean")
    s = make_summary(figures, chosen, cats, top, received)
    render.write_text(_summary_text(s, fmt, wide), output)


def _summary_text(s: Summary, fmt: Format, wide: bool = False) -> str | render.Workbook:
    """The summary in one of the formats (tables and Markdown: one section per part; CSV and
    Excel: the long rows, one measure each)."""
    from ..report.summary import SUMMARY_CSV_KEYS, summary_document, summary_rows, summary_sections
    from ..tables import to_csv, to_markdown
    from . import render

    if fmt is Format.xlsx:
        return render.Workbook(f"summary {s.year}", summary_rows(s), SUMMARY_CSV_KEYS)
    if fmt is Format.json:
        import json

        text = json.dumps(summary_document(s), indent=2, ensure_ascii=False, allow_nan=False)
        return text + "\n"
    if fmt is Format.csv:
        return to_csv(summary_rows(s), SUMMARY_CSV_KEYS)
    parts = []
    for sec in summary_sections(s):
        if fmt is Format.markdown:
            parts.append(to_markdown(sec.records, sec.columns, sec.title, sec.notes))
        else:
            parts.append(
                render.to_table_text(
                    sec.records, sec.columns, title=sec.title, notes=sec.notes, wide=wide
                )
            )
    return "\n".join(parts)
