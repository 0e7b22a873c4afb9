"""Over-dispersion in the summary (issue 15): φ and τ² of each group and rate for a year, as a
titled table, as long CSV rows and as JSON records. The numbers are
:func:`lgsco_stats.statistics.dispersion_table`'s; nothing here prints."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from ..councils import GROUP_LABELS
from ..figures import RATE_LABELS
from ..rounding import NA, format_percent
from ..tables import Column, Section, plain, records

DISPERSION_NOTES: tuple[str, ...] = (
    "φ: how far the group's councils spread around its pooled rate, against what chance alone "
    "would give (arcsine z-scores winsorised at the 10th and 90th percentiles, as FunnelPlotR "
    "does); about 1 when the differences are chance alone.",
    "τ²: the variance between councils beyond chance (additive random effects, arcsine scale); "
    "above 0 the funnel plot's limits are widened by it, at 0 the exact limits apply.",
)


def _number(v: Any, places: int) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return NA
    return "0" if v == 0 else f"{float(v):.{places}f}"


def dispersion_section(table: pd.DataFrame, year: str) -> Section | None:
    """The year's φ and τ² as a table (one row per group and rate); None without any."""
    rows = records(table[table["year"] == year]) if len(table) else []
    if not rows:
        return None
    return Section(
        f"Over-dispersion {year} (funnel plots)",
        rows,
        [
            Column("type", "Group", lambda r: GROUP_LABELS.get(r["type"], str(r["type"]))),
            Column("rate", "Rate", lambda r: RATE_LABELS[f"{r['rate']}_rate"]),
            Column("councils", "Councils with cases", numeric=True),
            Column(
                "pooled_rate",
                "Pooled rate",
                lambda r: format_percent(r["pooled_rate"]),
                numeric=True,
            ),
            Column("phi", "φ", lambda r: _number(r["phi"], 2), numeric=True),
            Column("tau2", "τ²", lambda r: _number(r["tau2"], 4), numeric=True),
        ],
        list(DISPERSION_NOTES),
    )


def dispersion_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Long rows (``section``, ``scope``, ``measure``, ``value``, ``denominator``) for the
    summary's CSV: ``uphold_phi`` and ``uphold_tau2`` for each group, and so on, over the
    number of councils with cases."""
    out = []
    for r in records(table):
        for key in ("phi", "tau2"):
            out.append(
                {
                    "section": "dispersion",
                    "scope": r["type"],
                    "measure": f"{r['rate']}_{key}",
                    "value": r[key],
                    "denominator": r["councils"],
                }
            )
    return out


def dispersion_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table as JSON-ready records (missing as None)."""
    return [{k: plain(v) for k, v in r.items()} for r in records(table)]
