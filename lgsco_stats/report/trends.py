"""Trends: a council's figures year by year.

Pure functions over the frame :func:`lgsco_stats.figures.council_figures` makes (one row per
council and year, ``FIGURE_COLUMNS``). Nothing here prints, rounds for display or draws.

- :func:`lineage` follows a council that changed type but not name (Somerset County Council,
  a county until March 2023, became Somerset Council, a unitary, in April 2023), so that its
  trend runs across the change and shows the group of each year; :func:`council_series` finds
  the keys of a council (or of a body outside the register) by any name.
- :func:`council_trend` gives one row per year: the three rates with their counts, the group
  figure of that year, the change since the previous year and upheld per 100,000 residents;
  :func:`history_notes` says where the council's group changed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..councils import GROUP_SINGULAR, Council, Register, name_key
from ..errors import NotFound
from ..figures import COMPARISON_COLUMNS
from ..outcomes import normalise_text
from ..years import start_year, year_label

# Short names of the three rates, in the order the Ombudsman's letters give them.
RATE_KEYS: tuple[str, ...] = ("uphold", "compliance", "remedy")

TREND_COLUMNS: tuple[str, ...] = (
    "year",
    "council",
    "gss_code",
    "type",
    "in_group",
    "group_note",
    "decisions",
    "upheld",
    "investigations",
    "uphold_rate",
    "group_uphold_rate",
    "uphold_change",
    "complied_total",
    "compliance_outcomes",
    "compliance_rate",
    "group_compliance_rate",
    "compliance_change",
    "remedy_by_authority",
    "remedy_rate",
    "group_remedy_rate",
    "remedy_change",
    "group_councils",
    "population",
    "upheld_per_100k",
    "upheld_per_100k_change",
    "average",
    *COMPARISON_COLUMNS,
)

# --------------------------------------------------------------------------- trend


def lineage(reg: Register, council: Council) -> list[Council]:
    """The council and the councils it continues or is continued by under the same name.

    A predecessor is a council whose ``replaced_by`` is exactly this council and whose short name
    is the same (Somerset County Council → Somerset Council); districts merged into a new
    unitary are not the same council and are left out. Ordered oldest first.
    """

    def same_name(a: Council, b: Council) -> bool:
        return name_key(a.short_name) == name_key(b.short_name)

    chain = [council]
    current = council
    while True:  # walk back
        before = [
            c
            for c in reg.councils
            if c.replaced_by == (current.gss_code,) and same_name(c, current)
        ]
        if len(before) != 1 or before[0] in chain:
            break
        current = before[0]
        chain.insert(0, current)
    current = council
    while len(current.replaced_by) == 1:  # walk forward
        nxt = reg.by_code.get(current.replaced_by[0])
        if nxt is None or nxt in chain or not same_name(nxt, current):
            break
        chain.append(nxt)
        current = nxt
    return chain


def council_trend(figures: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per year for the authority keys given (a council's :func:`lineage` codes).

    Parameters
    ----------
    figures : :func:`council_figures` output for any number of years.
    keys : ``authority_key`` values (GSS codes, or ``name:…`` for bodies outside the register).

    Returns
    -------
    DataFrame with ``TREND_COLUMNS``, oldest year first. ``*_change`` is the change in
    percentage points since the previous financial year (NaN when that year has no rate), and
    ``upheld_per_100k_change`` likewise; the group figures are those of the group the council
    was in that year.
    """
    rows = figures[figures["authority_key"].isin(keys)].copy()
    rows = rows.sort_values("year", kind="stable").drop_duplicates("year", keep="last")
    by_start = {start_year(y): i for i, y in zip(rows.index, rows["year"], strict=True)}
    for short in RATE_KEYS:
        rows[f"{short}_change"] = _change(rows, f"{short}_rate", by_start)
    rows["upheld_per_100k_change"] = _change(rows, "upheld_per_100k", by_start)
    return rows[list(TREND_COLUMNS)].reset_index(drop=True)


def _change(rows: pd.DataFrame, column: str, by_start: dict[int, object]) -> list[float]:
    out = []
    for year, value in zip(rows["year"], rows[column], strict=True):
        prev = by_start.get(start_year(year) - 1)
        before: Any = rows.at[prev, column] if prev is not None else np.nan
        out.append(float(value) - float(before) if pd.notna(value) and pd.notna(before) else np.nan)
    return out


def previous_year(year: str) -> str:
    """``"2023-24"`` → ``"2022-23"``."""
    return year_label(start_year(year) - 1)


def council_series(reg: Register, name: str, figures: pd.DataFrame) -> tuple[str, list[str]]:
    """A council's display name and authority keys (its lineage's GSS codes); a body outside
    the register (a fire authority, Transport for London) by its name as loaded."""
    try:
        council = reg.get(name)
    except NotFound:
        key = "name:" + normalise_text(name)
        rows = figures[figures["authority_key"] == key]
        if rows.empty:
            raise
        return str(rows["council"].iloc[-1]), [key]
    return council.name, [c.gss_code for c in lineage(reg, council)]


def history_notes(trend: pd.DataFrame) -> list[str]:
    """Notes where the council's group changed between years (Somerset 2022-23 → 2023-24)."""
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
