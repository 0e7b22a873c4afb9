"""Trends: a council's figures year by year.

Pure functions over the frame :func:`lgsco_stats.figures.council_figures` makes (one row per
council and year, ``FIGURE_COLUMNS``). Nothing here prints, rounds for display or draws.

- :func:`lineage` follows a council that changed type but not name (Somerset County Council,
  a county until March 2023, became Somerset Council, a unitary, in April 2023), so that its
  trend runs across the change and shows the group of each year; :func:`council_series` finds
  the keys of a council (or of a body outside the register) by any name.
- :func:`council_trend` gives a row per year: the three rates with their counts, the group
  figure of that year, the change since the previous year and upheld per 100,000 residents.
  In a year where two councils of the lineage have data (compliance outcomes recorded for
  Somerset County Council after April 2023, beside Somerset Council's decisions), both rows are
  kept, each under its own name: the council that existed that year comes first (``primary``)
  and is the one whose change is measured. :func:`history_notes` says where the council's group
  changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..councils import GROUP_SINGULAR, Council, Register, name_key
from ..errors import LgscoError
from ..figures import COMPARISON_COLUMNS
from ..years import start_year, year_label

# Short names of the three rates, in the order the Ombudsman's letters give them.
RATE_KEYS: tuple[str, ...] = ("uphold", "compliance", "remedy")

TREND_COLUMNS: tuple[str, ...] = (
    "year",
    "council",
    "gss_code",
    "type",
    "primary",
    "in_group",
    "group_note",
    "comparison_note",
    "decisions",
    "dealt_with",
    "not_for_us",
    "assessed_and_closed",
    "investigated",
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
    "group_uphold_councils",
    "group_compliance_councils",
    "group_remedy_councils",
    "group_per_100k_councils",
    "population",
    "population_year",
    "population_source",
    "upheld_per_100k",
    "group_upheld_per_100k",
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
    """The rows of the authority keys given (a council's :func:`lineage` codes), year by year.

    Parameters
    ----------
    figures : :func:`council_figures` output for any number of years.
    keys : ``authority_key`` values (GSS codes, or ``name:…`` for bodies outside the register),
        oldest council first.

    Returns
    -------
    DataFrame with ``TREND_COLUMNS``, oldest year first. Each year's first row is ``primary``:
    the council that existed that year (in its group), else the first of ``keys``. Another row
    of the same year (a council's compliance outcomes recorded after its abolition) follows it,
    under its own name, and is never merged into it or put in its place. ``*_change`` is the
    change in percentage points of a primary row since the previous financial year's primary
    row (NaN when that year has no rate, and on rows that are not primary), and
    ``upheld_per_100k_change`` likewise; the group figures are those of the group the council
    was in that year.
    """
    rows = figures[figures["authority_key"].isin(keys)].copy()
    position = {k: i for i, k in enumerate(keys)}
    rows["_order"] = [
        (y, not bool(g), position.get(k, len(position)))
        for y, g, k in zip(rows["year"], rows["in_group"], rows["authority_key"], strict=True)
    ]
    rows = rows.sort_values("_order", kind="stable").drop(columns="_order")
    rows["primary"] = ~rows["year"].duplicated(keep="first")
    main = rows[rows["primary"]]
    by_start = {start_year(y): i for i, y in zip(main.index, main["year"], strict=True)}
    for short in RATE_KEYS:
        rows[f"{short}_change"] = _change(rows, f"{short}_rate", by_start)
    rows["upheld_per_100k_change"] = _change(rows, "upheld_per_100k", by_start)
    return rows[list(TREND_COLUMNS)].reset_index(drop=True)


def _change(rows: pd.DataFrame, column: str, by_start: dict[int, object]) -> list[float]:
    out = []
    for i, year, value, primary in zip(
        rows.index, rows["year"], rows[column], rows["primary"], strict=True
    ):
        prev = by_start.get(start_year(year) - 1)
        before: Any = rows.at[prev, column] if prev is not None else np.nan
        ok = (
            primary and pd.notna(value) and pd.notna(before) and by_start.get(start_year(year)) == i
        )
        out.append(float(value) - float(before) if ok else np.nan)
    return out


def previous_year(year: str) -> str:
    """``"2023-24"`` → ``"2022-23"``."""
    return year_label(start_year(year) - 1)


def council_series(reg: Register, name: str, figures: pd.DataFrame) -> tuple[str, list[str]]:
    """A council's display name and authority keys (its lineage's GSS codes); a body outside
    the register (a fire authority, Transport for London) by its name as loaded."""
    outside = figures[figures["gss_code"].isna()]
    bodies = dict(zip(outside["authority_key"], outside["council"], strict=True))
    council = reg.lookup(name, bodies={str(k): str(v) for k, v in bodies.items()})
    if not isinstance(council, Council):
        return bodies[council], [council]
    return council.name, [c.gss_code for c in lineage(reg, council)]


def no_figures(reg: Register, name: str, council: str, years: Sequence[str]) -> str:
    """Why a council's series is empty: ``no data for Bournemouth Borough Council in the store;
    years in the store: 2019-20; it was replaced on 1 April 2019 by Bournemouth, Christchurch
    and Poole Council (--council "Bournemouth, Christchurch and Poole Council")``, the
    successors named where the council (``council`` as the user wrote it) was replaced."""
    text = f"no data for {name} in the store; years in the store: {', '.join(years) or 'none'}"
    try:
        found = reg.lookup(council)
    except LgscoError:
        return text
    if not isinstance(found, Council) or found.end_date is None:
        return text
    after = [c.name for c in reg.successors(found)]
    if not after:
        return text
    day = found.end_date + dt.timedelta(days=1)
    hint = after[0] if len(after) == 1 else None
    text += f"; it was replaced on {day:%-d %B %Y} by {' and '.join(after)}"
    return text + (f' (--council "{hint}")' if hint else "")


def history_notes(trend: pd.DataFrame) -> list[str]:
    """Notes where the council's group changed between years (Somerset 2022-23 → 2023-24), and
    on each row that is not in a group or has no comparison (naming the council when a year has
    two rows)."""
    notes = []
    prev = None
    two = set(trend.loc[~trend["primary"].astype(bool), "year"])
    for year, name, t, note, primary, why in zip(
        trend["year"],
        trend["council"],
        trend["type"],
        trend["group_note"],
        trend["primary"],
        trend["comparison_note"],
        strict=True,
    ):
        group = GROUP_SINGULAR.get(t, "no group") if isinstance(t, str) else "no group"
        if primary and prev is not None and (name, group) != prev[1:]:
            notes.append(
                f"From {year}: {name}, a {group} (until {prev[0]}: {prev[1]}, a "
                f"{prev[2]}); each year is compared with the group it was in then."
            )
        who = f"{name}: " if year in two else ""
        for text in (note, why):
            if isinstance(text, str):
                notes.append(f"{year}: {who}{text}.")
        if primary:
            prev = (year, name, group)
    return notes
