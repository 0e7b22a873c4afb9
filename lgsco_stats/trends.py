"""Trends and summaries: a council's figures year by year, and national and per-group totals.

Pure functions over the frame :func:`lgsco_stats.figures.council_figures` makes (one row per
council and year, ``FIGURE_COLUMNS``). Nothing here prints, rounds for display or draws.

- :func:`lineage` follows a council that changed type but not name (Somerset County Council,
  a county until March 2023, became Somerset Council, a unitary, in April 2023), so that its
  trend runs across the change and shows the group of each year.
- :func:`council_trend` gives one row per year: the three rates with their counts, the group
  figure of that year, the change since the previous year and upheld per 100,000 residents.
- :func:`summary` gives, for one year, the national and per-group totals (rates pooled: the sum
  of numerators over the sum of denominators), decisions by category, and the councils with the
  highest and lowest rates among those with at least ``SMALL_NUMBER`` cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import outcomes as oc
from .councils import GROUPS, Council, Register, name_key
from .figures import RATES, SMALL_NUMBER
from .outcomes import canonical_category
from .years import start_year, year_label

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
)

# The 2024-25 grouping of outcomes, as columns of the summary.
OUTCOME_GROUP_KEYS: tuple[str, ...] = (oc.NOT_FOR_US, oc.ASSESSED_AND_CLOSED, oc.INVESTIGATED)

# The counts a summary gives for each scope (England, each group, no group).
SUMMARY_COUNTS: tuple[str, ...] = (
    "councils",
    "decisions",
    *oc.OUTCOMES,
    *OUTCOME_GROUP_KEYS,
    "investigations",
    "remedy_by_authority",
    "compliance_outcomes",
    "complied_total",
)

SUMMARY_COLUMNS: tuple[str, ...] = (
    "scope",
    "year",
    *SUMMARY_COUNTS,
    "uphold_rate",
    "uphold_councils",
    "compliance_rate",
    "compliance_councils",
    "remedy_rate",
    "remedy_councils",
)

EXTREME_COLUMNS: tuple[str, ...] = (
    "rate",
    "end",
    "position",
    "council",
    "gss_code",
    "type",
    "value",
    "numerator",
    "denominator",
)

# scope values of the summary besides the five groups
NATIONAL = "england"
NO_GROUP = "no_group"


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


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Summary:
    """One year's national picture.

    ``totals``: one row per scope (``england``, then the five groups that have data, then
    ``no_group`` for bodies and abolished councils outside any group) with ``SUMMARY_COLUMNS``;
    the groups and ``no_group`` add up to ``england``. ``categories``: ``category``,
    ``decisions``, ``share`` (percent of decisions with a category). ``extremes``: the councils
    with the highest and lowest of each rate, ``EXTREME_COLUMNS``.
    """

    year: str
    totals: pd.DataFrame
    categories: pd.DataFrame
    extremes: pd.DataFrame
    top: int
    received: pd.DataFrame | None = None  # category, received, share (published tables)


def pooled_totals(frame: pd.DataFrame) -> dict[str, object]:
    """Sums of the counts and the pooled rates of some council-year rows.

    A rate pools only the rows where both its numerator and denominator are known (a blank
    published cell is "not reported", not 0); ``*_councils`` says how many rows had a
    non-empty denominator. A count that no row reports is None (not reported), not 0.
    """
    out: dict[str, object] = {"councils": len(frame)}
    for c in (
        "decisions",
        *oc.OUTCOMES,
        "investigations",
        "remedy_by_authority",
        "compliance_outcomes",
        "complied_total",
    ):
        known = frame[c].dropna()
        out[c] = int(known.sum()) if len(known) else None
    for g in OUTCOME_GROUP_KEYS:
        parts = [out[o] for o in oc.OUTCOMES if oc.OUTCOME_GROUPS[o] == g]
        out[g] = (
            None if all(p is None for p in parts) else sum(int(p) for p in parts if p is not None)
        )  # type: ignore[call-overload]
    for rate, (num, den) in RATES.items():
        short = rate.removesuffix("_rate")
        usable = frame[frame[num].notna() & frame[den].notna() & (frame[den].fillna(0) > 0)]
        out[f"{short}_councils"] = len(usable)
        d = float(usable[den].sum()) if len(usable) else 0.0
        out[rate] = 100.0 * float(usable[num].sum()) / d if d > 0 else np.nan
    return out


def summary(
    figures: pd.DataFrame,
    year: str,
    categories: pd.DataFrame | None = None,
    top: int = 5,
    received: pd.DataFrame | None = None,
) -> Summary:
    """The national and per-group totals of a year, decisions by category, highest and lowest.

    Parameters
    ----------
    figures : :func:`council_figures` output (only ``year``'s rows are used).
    categories : optional ``year``, ``category``, ``decisions`` rows (the store's
        ``category_counts``); decisions without a category are not in it.
    top : how many councils to list at each end of each rate.
    received : optional ``year``, ``category``, ``received`` rows (the store's
        ``received_counts``): complaints received, from published tables.
    """
    f = figures[figures["year"] == year]
    rows = [{"scope": NATIONAL, "year": year, **pooled_totals(f)}]
    for g in GROUPS:
        members = f[(f["type"] == g) & f["in_group"].astype(bool)]
        if len(members):
            rows.append({"scope": g, "year": year, **pooled_totals(members)})
    rest = f[~f["in_group"].astype(bool)]
    if len(rest):
        rows.append({"scope": NO_GROUP, "year": year, **pooled_totals(rest)})
    totals = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))

    cats = pd.DataFrame(columns=["category", "decisions", "share"])
    if categories is not None and len(categories):
        c = categories[categories["year"] == year]
        if len(c):
            named = c.assign(category=c["category"].map(canonical_category))
            sums = named.groupby("category", sort=False)["decisions"].sum()
            order = {k: i for i, k in enumerate(oc.CATEGORIES)}
            sums = sums.sort_index(key=lambda s: s.map(lambda x: order.get(x, len(order))))
            total = float(sums.sum())
            cats = pd.DataFrame(
                {
                    "category": sums.index,
                    "decisions": sums.to_numpy(dtype=int),
                    "share": 100.0 * sums.to_numpy(dtype=float) / total,
                }
            )
    got = None
    if received is not None and len(received):
        r = received[received["year"] == year]
        if len(r):
            sums = r.groupby("category", sort=False)["received"].sum()
            order = {k: i for i, k in enumerate(oc.CATEGORIES)}
            sums = sums.sort_index(key=lambda s: s.map(lambda x: order.get(x, len(order))))
            got = pd.DataFrame(
                {
                    "category": sums.index,
                    "received": sums.to_numpy(dtype=int),
                    "share": 100.0 * sums.to_numpy(dtype=float) / float(sums.sum() or 1),
                }
            )
    return Summary(year, totals, cats, extremes(f, top), top, got)


def extremes(figures: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The ``top`` councils with the highest and the lowest of each rate, leaving out rates on
    fewer than ``SMALL_NUMBER`` cases. Ties are broken by more cases first, then by name.

    With fewer than ``2 * top`` councils left, each end gets half of them; no council is listed
    at both ends (ties: with every rate at 100%, the "lowest" are the next ones down the list).
    """
    out = []
    for short in RATE_KEYS:
        rate = f"{short}_rate"
        num, den = RATES[rate]
        ok = figures[
            figures[den].notna() & (figures[den].fillna(0) >= SMALL_NUMBER) & figures[rate].notna()
        ]
        ok = ok.assign(_den=ok[den].astype(float), _name=ok["council"].str.lower())
        n = min(top, len(ok) // 2) if len(ok) > 1 else len(ok)
        pool = ok
        for end, ascending in (("highest", False), ("lowest", True)):
            ranked = pool.sort_values(
                [rate, "_den", "_name"], ascending=[ascending, False, True], kind="stable"
            ).head(n)
            pool = pool.drop(ranked.index)  # never both highest and lowest (ties at 100%)
            for i, rec in enumerate(ranked.to_dict("records"), start=1):
                out.append(
                    {
                        "rate": short,
                        "end": end,
                        "position": i,
                        "council": rec["council"],
                        "gss_code": rec["gss_code"],
                        "type": rec["type"],
                        "value": rec[rate],
                        "numerator": int(rec[num]),
                        "denominator": int(rec[den]),
                    }
                )
    return pd.DataFrame(out, columns=list(EXTREME_COLUMNS))
