"""A year's national picture: national and per-group totals (rates pooled: the sum of numerators
over the sum of denominators), decisions and complaints received by category, and the councils
with the highest and lowest rates among those with at least ``SMALL_NUMBER`` cases; and the
summary as text (:func:`summary_sections`, :func:`summary_rows`, :func:`summary_document`).

Pure functions over the frame :func:`lgsco_stats.figures.council_figures` makes. Nothing here
prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import outcomes as oc
from ..councils import GROUP_LABELS, GROUPS
from ..figures import RATES, SMALL_NUMBER
from ..outcomes import canonical_category
from ..rounding import format_percent
from ..rounding import rate as percent_of
from ..statistics import dispersion_table
from ..tables import Column, Section, count, group_name, plain, records
from .dispersion import dispersion_records, dispersion_rows, dispersion_section
from .trends import RATE_KEYS

# The 2024-25 grouping of outcomes, as columns of the summary.
OUTCOME_GROUP_KEYS: tuple[str, ...] = (oc.NOT_FOR_US, oc.ASSESSED_AND_CLOSED, oc.INVESTIGATED)

# The counts a summary gives for each scope (England, each group, no group). ``dealt_with`` is
# the Ombudsman's 2024-25 name for the decisions: not for us + assessed and closed + investigated.
SUMMARY_COUNTS: tuple[str, ...] = (
    "councils",
    "decisions",
    *oc.OUTCOMES,
    "dealt_with",
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
    dispersion: pd.DataFrame | None = None  # statistics.DISPERSION_COLUMNS: φ, τ² per group


def pooled_totals(frame: pd.DataFrame) -> dict[str, object]:
    """Sums of the counts and the pooled rates of some council-year rows.

    A rate pools only the rows where both its numerator and denominator are known (a blank
    published cell is "not reported", not 0); ``*_councils`` says how many rows had a
    non-empty denominator. A count that no row reports is None (not reported), not 0. The
    2024-25 counts (``dealt_with``, ``not_for_us``, ``assessed_and_closed``, ``investigated``)
    are the sums of the councils' own where ``frame`` has them, else of the outcome totals.
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
    for g in ("dealt_with", *OUTCOME_GROUP_KEYS):
        if g in frame:  # the councils' own counts (council_figures' columns)
            known = frame[g].dropna()
            out[g] = int(known.sum()) if len(known) else None
            continue
        parts = (
            [out["decisions"]]
            if g == "dealt_with"
            else [out[o] for o in oc.OUTCOMES if oc.OUTCOME_GROUPS[o] == g]
        )
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
    return Summary(year, totals, cats, extremes(f, top), top, got, dispersion_table(f))


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
        # counted rates only: a rate published without its numerator has no "N of M" to show
        ok = figures[
            figures[den].notna()
            & (figures[den].fillna(0) >= SMALL_NUMBER)
            & figures[rate].notna()
            & figures[num].notna()
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


# --------------------------------------------------------------------------- as text


def scope_label(scope: str) -> str:
    if scope == NATIONAL:
        return "England (all authorities)"
    if scope == NO_GROUP:
        return "No comparison group"
    return GROUP_LABELS[scope]


def _counter(key: str) -> Callable[[dict[str, Any]], str]:
    return lambda r: count(r[key])


SUMMARY_CSV_KEYS: tuple[str, ...] = (
    "section",
    "scope",
    "measure",
    "value",
    "numerator",
    "denominator",
)


def _records(s: Summary) -> tuple[list[dict[str, Any]], ...]:
    return (
        records(s.totals),
        records(s.categories),
        records(s.received) if s.received is not None else [],
        records(s.extremes),
    )


def summary_document(s: Summary) -> dict[str, Any]:
    """The summary as one JSON-ready document (raw numbers, unrounded rates, missing as None)."""
    totals, cats, rec, ext = _records(s)
    doc = {
        "year": s.year,
        "rates": "pooled",
        "small_number": SMALL_NUMBER,
        "totals": [{k: plain(v) for k, v in r.items()} for r in totals],
        "categories": [{k: plain(v) for k, v in r.items()} for r in cats],
        "received": [{k: plain(v) for k, v in r.items()} for r in rec],
        "extremes": [{k: plain(v) for k, v in r.items()} for r in ext],
        "dispersion": dispersion_records(s.dispersion) if s.dispersion is not None else [],
    }
    return doc


def summary_rows(s: Summary) -> list[dict[str, Any]]:
    """The summary as long rows of :data:`SUMMARY_CSV_KEYS`, one measure each (for CSV)."""
    totals, cats, rec, ext = _records(s)
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
    if s.dispersion is not None:
        long += dispersion_rows(s.dispersion)
    return long


def summary_sections(s: Summary) -> list[Section]:
    """The summary as titled tables with display columns (rates rounded half up, with their
    counts): England and the groups, decisions by outcome and by category, complaints received,
    and the highest and lowest of each rate."""
    totals, cats, rec, ext = _records(s)

    def rate_cell(key: str, num: str, den: str) -> Any:
        def show(r: dict[str, Any]) -> str:
            if r[den] is None or r[num] is None:
                return "n/a"  # a count not reported
            if not r[den]:
                return "n/a (0)"
            return f"{format_percent(r[key])} ({int(r[num]):,}/{int(r[den]):,})"

        return show

    sections: list[Section] = []
    cols = [
        Column("scope", "Scope", lambda r: scope_label(r["scope"])),
        # (a narrow terminal leaves out the counts before the rates: Column.priority)
        Column("councils", "Authorities", numeric=True, priority=2),
        Column(
            "dealt_with", "Dealt with", lambda r: count(r["dealt_with"]), numeric=True, priority=1
        ),
        *[
            Column(g, oc.GROUP_LABELS[g], _counter(g), numeric=True, priority=2)
            for g in OUTCOME_GROUP_KEYS
        ],
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
        Section(
            f"England and the comparison groups {s.year} (rates pooled)",
            totals,
            cols,
            [
                "Dealt with = the decisions: not for us + assessed and closed + investigated "
                "(the Ombudsman's 2024-25 counts); investigated = upheld + not upheld (the "
                "detailed investigations)."
            ],
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
        Section(
            f"Decisions by outcome {s.year}",
            outcome_rows,
            [
                Column("outcome", "Outcome"),
                Column("group", "Group (2024-25 wording)"),
                Column("decisions", "Decisions", lambda r: count(r["decisions"]), numeric=True),
                Column(
                    "share",
                    "Share of decisions",
                    lambda r: format_percent(percent_of(r["decisions"], n)),
                    numeric=True,
                ),
            ],
            [],
        )
    )
    if cats:
        sections.append(
            Section(
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
            Section(
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
            Section(
                f"Highest and lowest {short} rates {s.year}",
                rows,
                [
                    Column("end", "End"),
                    Column("position", "#", numeric=True),
                    Column("council", "Council"),
                    Column("type", "Group", lambda r: group_name(r.get("type")), priority=1),
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
    spread = dispersion_section(s.dispersion, s.year) if s.dispersion is not None else None
    return [*sections, spread] if spread else sections
