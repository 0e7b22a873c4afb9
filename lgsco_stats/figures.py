"""The statistics: the three rates per council and year, and the group benchmarks, from the
counts of :mod:`lgsco_stats.counts`.

Definitions (see ``domain.md`` section 4), for one council and one year:

======================  ==================================  ===============================
statistic               numerator                           denominator
======================  ==================================  ===============================
uphold rate             upheld                              upheld + not upheld
remedy rate             upheld with remedy by authority     upheld
compliance rate         complied + complied late            all compliance outcomes
upheld per 100,000      upheld × 100,000                    population
======================  ==================================  ===============================

Rates are unrounded percentages (floats, NaN for an empty or unknown denominator); rounding for
display lives in :mod:`lgsco_stats.rounding`. The population of year Y-(Y+1) is the ONS estimate
for mid-(Y-1) (:mod:`lgsco_stats.populations`). A group's benchmark is the mean of its member
councils' figures (councils with an empty denominator or no population left out) or, with
``average="pooled"``, the sum of the numerators over the sum of the denominators (for per 100,000:
the group's upheld over the group's population). Members are the councils of the group that
existed in the year and have data for it.

A group figure is a comparison for a council only when it is taken over at least
``MIN_OTHERS`` councils besides the council itself: otherwise the council's ``group_*`` figure and
difference are NaN and ``comparison_note`` says why ("no other unitary council in the store for
2019-20"). :func:`group_benchmarks` still gives the group's own figure, with its council counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from . import outcomes as oc
from .councils import GROUPS, Register, register
from .counts import counts_of, masked, with_count_columns
from .errors import UsageError
from .outcomes import COUNT_COLUMNS, GIVEN_RATES
from .populations import per_100k, populations_for
from .small_groups import MIN_OTHERS, no_comparison_notes
from .tables import is_missing
from .totals import totals, with_given_rates

if TYPE_CHECKING:
    from .read.dataset import Dataset

Average = Literal["mean", "pooled"]
AVERAGES: tuple[str, ...] = ("mean", "pooled")

# A rate on fewer cases than this is flagged as based on small numbers.
SMALL_NUMBER = 10

# rate name → (numerator column, denominator column)
RATES: dict[str, tuple[str, str]] = {
    "uphold_rate": ("upheld", "investigations"),
    "remedy_rate": ("remedy_by_authority", "upheld"),
    "compliance_rate": ("complied_total", "compliance_outcomes"),
}
assert set(RATES) == set(GIVEN_RATES)  # the rates a published table may give are these
RATE_LABELS: dict[str, str] = {
    "uphold_rate": "uphold rate",
    "remedy_rate": "satisfactory remedy rate",
    "compliance_rate": "compliance rate",
}
PER_100K = "upheld_per_100k"
# The counts of each part of a council's year (oc.RATE_PART), with the totals the figures add.
PART_COUNTS: dict[str, tuple[str, ...]] = {
    "decisions": ("decisions", *oc.DECISION_COUNTS, "investigations", "assessed_and_closed"),
    "compliance": oc.COMPLIANCE_COUNTS,
}
# Every figure a group has: figure → (numerator, denominator, scale). A rate is a percentage; the
# per-100k figure is upheld × 100,000 over the population.
GROUP_FIGURES: dict[str, tuple[str, str, float]] = {
    **{rate: (num, den, 100.0) for rate, (num, den) in RATES.items()},
    PER_100K: ("upheld", "population", 100_000.0),
}
# figure → its short name in column names (``group_{short}_councils``, ``{short}_difference``)
SHORT: dict[str, str] = {
    "uphold_rate": "uphold",
    "remedy_rate": "remedy",
    "compliance_rate": "compliance",
    PER_100K: "per_100k",
}
FIGURE_LABELS: dict[str, str] = {
    **RATE_LABELS,
    PER_100K: "upheld decisions per 100,000 residents",
}
# The Ombudsman's 2024-25 counts: complaints dealt with = not for us + assessed and closed +
# investigated, each the sum of its outcomes (``outcomes.OUTCOME_GROUPS``). ``dealt_with`` is
# the same count as ``decisions`` and ``investigated`` as ``investigations``, under the names
# the Ombudsman now publishes.
DEALT_WITH_COLUMNS: tuple[str, ...] = (
    "dealt_with",
    oc.NOT_FOR_US,
    oc.ASSESSED_AND_CLOSED,
    oc.INVESTIGATED,
)

# The fair comparisons of each rate (:func:`lgsco_stats.statistics.add_comparisons`): its
# Wilson 95% interval (percent), the pooled rate of the other councils of its group that year
# (percent), the exact binomial p-value against it and the word for it.
COMPARISON_FIELDS: tuple[str, ...] = ("rate_low", "rate_high", "peer_rate", "p_value", "comparison")
COMPARISON_COLUMNS: tuple[str, ...] = tuple(
    f"{rate.removesuffix('_rate')}_{field}" for rate in RATES for field in COMPARISON_FIELDS
)

FIGURE_COLUMNS: tuple[str, ...] = (
    "council",
    "gss_code",
    "type",
    "year",
    "decisions",
    *oc.OUTCOMES,
    "investigations",
    *DEALT_WITH_COLUMNS,
    "remedy_by_authority",
    "compliance_outcomes",
    *oc.COMPLIANCE_OUTCOMES,
    "complied_total",
    "uphold_rate",
    "remedy_rate",
    "compliance_rate",
    "population",
    "population_year",
    "population_source",
    "upheld_per_100k",
    "in_group",
    "group_note",
    "comparison_note",
    "group_uphold_rate",
    "group_remedy_rate",
    "group_compliance_rate",
    "group_upheld_per_100k",
    "group_councils",
    "group_uphold_councils",
    "group_remedy_councils",
    "group_compliance_councils",
    "group_per_100k_councils",
    "uphold_difference",
    "remedy_difference",
    "compliance_difference",
    "per_100k_difference",
    "average",
    "authority_key",
    *COMPARISON_COLUMNS,
)

BENCHMARK_COLUMNS: tuple[str, ...] = (
    "type",
    "year",
    "average",
    "councils",
    "uphold_rate",
    "uphold_councils",
    "remedy_rate",
    "remedy_councils",
    "compliance_rate",
    "compliance_councils",
    "upheld_per_100k",
    "per_100k_councils",
    "upheld",
    "investigations",
    "remedy_by_authority",
    "compliance_outcomes",
    "complied_total",
    "population",
)


def check_average(average: str) -> Average:
    if average not in AVERAGES:
        raise UsageError(f"unknown average {average!r}: choose mean or pooled")
    return average  # type: ignore[return-value]


# --------------------------------------------------------------------------- figures


def _ratio(num: tuple[np.ndarray, np.ndarray], den: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """``num × 100 / den`` as floats; NaN where either is missing or ``den`` is not above 0."""
    (n, n_missing), (d, d_missing) = num, den
    ok = ~n_missing & ~d_missing & (d > 0)
    out = np.full(len(n), np.nan)
    out[ok] = n[ok].astype(np.float64) * 100.0 / d[ok].astype(np.float64)
    return out


def _int_array(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values, missing)


def _int_or_na(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Floats (whole numbers or NaN) as an Int64 array."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


# --------------------------------------------------------------------------- figures


def council_figures(
    counts: pd.DataFrame,
    reg: Register | None = None,
    average: str = "mean",
    populations: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rates and benchmarks per council and year from counts (see :func:`combine_counts`).

    Parameters
    ----------
    counts : one row per authority_key and year with ``COUNT_COLUMNS`` (Int64, missing = not
        reported), ``authority`` (the name as given) and ``gss_code``.
    average : ``"mean"`` of the members' figures (default) or ``"pooled"``.
    populations : optional ``gss_code``, ``year``, ``population`` (and ``source``) rows of a
        user's table that replace the shipped ONS estimates for those council-years.

    Returns
    -------
    DataFrame with ``FIGURE_COLUMNS``, sorted by year and council name. ``population_year`` is
    the mid-year of the ONS estimate used (missing for a user's figure), ``population_source``
    names it (``"ONS mid-2022"`` or the user's file).

    The arithmetic runs on numpy arrays, one column at a time, and the frame is built once at
    the end: a year is a few hundred rows, where pandas' per-operation overhead would be most
    of the time of a command that reads the store.
    """
    average = check_average(average)
    reg = reg or register()
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FIGURE_COLUMNS})
    by_code = reg.by_code
    gss = counts["gss_code"].tolist()
    years = counts["year"].tolist()
    council = [
        by_code[g].name if isinstance(g, str) and g in by_code else a
        for g, a in zip(gss, counts["authority"].tolist(), strict=True)
    ]
    types = [by_code[g].type if isinstance(g, str) and g in by_code else None for g in gss]
    in_group, notes = [], []
    for g, y in zip(gss, years, strict=True):
        if not isinstance(g, str):
            in_group.append(False)
            notes.append("outside the register of councils: no comparison group")
            continue
        c = by_code[g]
        if c.existed_in(y):
            in_group.append(True)
            notes.append(None)
        elif c.end_date is not None and c.end_date.isoformat() < y[:4] + "-04-01":
            in_group.append(False)
            notes.append(f"abolished {c.end_date:%-d %B %Y}: in no comparison group in {y}")
        else:
            in_group.append(False)
            notes.append(f"did not exist in {y}: in no comparison group")
    member = np.asarray(in_group, dtype=bool)
    n = len(counts)
    plain = with_count_columns(counts.reset_index(drop=True))
    cnt = totals({c: masked(plain, c) for c in COUNT_COLUMNS})
    values: dict[str, np.ndarray] = with_given_rates(
        {name: _ratio(cnt[num], cnt[den]) for name, (num, den) in RATES.items()}, RATES, plain, cnt
    )
    pop_values, pop_years, pop_sources = populations_for(gss, years, populations)
    pop_missing = np.isnan(pop_values)
    cnt["population"] = (np.where(pop_missing, 0, pop_values).astype(np.int64), pop_missing)
    values[PER_100K] = per_100k(*cnt[oc.UPHELD], pop_values)
    bench = _benchmarks(types, years, member, values, cnt, average)
    columns: dict[str, object] = {
        "council": council,
        "gss_code": plain["gss_code"],
        "type": types,
        "year": plain["year"],
        "decisions": _int_array(*cnt["decisions"]),
        **{c: plain[c] for c in oc.OUTCOMES},
        "investigations": _int_array(*cnt["investigations"]),
        **{c: _int_array(*cnt[c]) for c in DEALT_WITH_COLUMNS},
        "remedy_by_authority": plain["remedy_by_authority"],
        "compliance_outcomes": _int_array(*cnt["compliance_outcomes"]),
        **{c: plain[c] for c in oc.COMPLIANCE_OUTCOMES},
        "complied_total": _int_array(*cnt["complied_total"]),
        **{rate: values[rate] for rate in RATES},
        "population": _int_array(*cnt["population"]),
        "population_year": pop_years,
        "population_source": pop_sources,
        PER_100K: values[PER_100K],
        "in_group": member,
        "group_note": notes,
    }
    # each member's group and year → its benchmark row (the rows of other councils stay NaN)
    where = {(t, y): i for i, (t, y) in enumerate(zip(bench["type"], bench["year"], strict=True))}
    row = np.fromiter(
        (where[(t, y)] if m else -1 for t, y, m in zip(types, years, in_group, strict=True)),
        dtype=np.int64,
        count=n,
    )

    def of_group(column: list[object]) -> np.ndarray:
        out = np.full(n, np.nan)
        out[member] = np.asarray(column, dtype=np.float64)[row[member]]
        return out

    members = of_group(bench["councils"])
    # how many other councils are behind each group figure (the council's own is one of them
    # when it has the figure); too few, and the group figure is no comparison, whether or not
    # the council has a figure of its own (else a council without one is shown the group's
    # figure of a single other council); ``alone`` marks those that have one, for the notes
    has = {f: ~np.isnan(values[f]) for f in GROUP_FIGURES}
    others = {f: of_group(bench[f"{SHORT[f]}_councils"]) - has[f] for f in GROUP_FIGURES}
    alone = {f: member & has[f] & (others[f] < MIN_OTHERS) for f in GROUP_FIGURES}
    lonely = member & (members - 1 < MIN_OTHERS)  # too few councils in the group at all
    for f in GROUP_FIGURES:
        group_value = of_group(bench[f])
        group_value[(member & (others[f] < MIN_OTHERS)) | lonely] = np.nan
        columns[f"group_{f}"] = group_value
    columns["group_councils"] = _int_or_na(members)
    for f in GROUP_FIGURES:
        columns[f"group_{SHORT[f]}_councils"] = _int_or_na(of_group(bench[f"{SHORT[f]}_councils"]))
    for f in GROUP_FIGURES:
        columns[f"{SHORT[f]}_difference"] = values[f] - columns[f"group_{f}"]  # type: ignore[operator]
    columns["comparison_note"] = no_comparison_notes(
        types,
        years,
        members,
        {FIGURE_LABELS[f]: others[f] for f in GROUP_FIGURES},
        {FIGURE_LABELS[f]: alone[f] for f in GROUP_FIGURES},
    )
    columns["average"] = [average] * n
    columns["authority_key"] = plain["authority_key"]
    f = pd.DataFrame({c: columns[c] for c in FIGURE_COLUMNS if c not in COMPARISON_COLUMNS})
    from .statistics import add_comparisons  # (statistics reads RATES from here)

    if all(isinstance(y, str) for y in years) and all(
        isinstance(c, str) and c.isascii() for c in council
    ):
        # ASCII names lower-case the same in Python as in pandas: sort here, skipping pandas'
        # string kernels (the same stable order)
        lowered = [c.lower() for c in council]
        order = sorted(range(n), key=lambda i: (years[i], lowered[i]))
        return add_comparisons(f.take(order).reset_index(drop=True))
    f = f.sort_values(
        ["year", "council"],
        key=lambda s: s.str.lower() if s.name == "council" else s,
        kind="stable",
    )
    return add_comparisons(f.reset_index(drop=True))


_BENCH_SUMS = (
    "upheld",
    "investigations",
    "remedy_by_authority",
    "compliance_outcomes",
    "complied_total",
    "population",
)
# every count column a benchmark reads: the sums it reports and each figure's two counts
_BENCH_COUNTS = frozenset(
    {*_BENCH_SUMS, *(c for num, den, _ in GROUP_FIGURES.values() for c in (num, den))}
)


def _benchmarks(
    types: list[object],
    years: list[object],
    member: np.ndarray,
    values: dict[str, np.ndarray],
    counts: dict[str, tuple[np.ndarray, np.ndarray]],
    average: str,
) -> dict[str, list[object]]:
    """:func:`group_benchmarks`'s columns (one list each) from the members' columns.

    ``values`` holds each of ``GROUP_FIGURES`` per row (NaN: no figure), ``counts`` the count
    columns (values, missing) including ``population``."""
    groups: dict[tuple[object, object], list[int]] = {}
    for i in np.flatnonzero(member).tolist():
        groups.setdefault((types[i], years[i]), []).append(i)
    number = {key: g for g, key in enumerate(groups)}
    order = {g: i for i, g in enumerate(GROUPS)}
    keys = sorted(groups, key=lambda k: (k[1], order.get(k[0], len(order))))  # type: ignore[arg-type]
    out: dict[str, list[object]] = {c: [] for c in BENCHMARK_COLUMNS}
    value_lists = {f: values[f].tolist() for f in GROUP_FIGURES}
    count_lists = {c: (counts[c][0].tolist(), counts[c][1].tolist()) for c in _BENCH_COUNTS}
    means: dict[str, dict[int, float]] = {}
    if average == "mean":
        for f in GROUP_FIGURES:
            column = value_lists[f]
            usable = [i for i in np.flatnonzero(member).tolist() if column[i] == column[i]]
            # pandas' grouped mean, members in row order as before: it sums a group in one of
            # two ways depending on the row order, and a benchmark stays the same to the bit
            codes = np.asarray([number[(types[i], years[i])] for i in usable], dtype=np.int64)
            grouped = pd.Series([column[i] for i in usable], dtype=np.float64).groupby(
                codes, sort=False
            )
            means[f] = grouped.mean().to_dict() if usable else {}
    for key in keys:
        rows = groups[key]
        out["type"].append(key[0])
        out["year"].append(key[1])
        out["average"].append(average)
        out["councils"].append(len(rows))
        for f, (num, den, scale) in GROUP_FIGURES.items():
            column = value_lists[f]
            usable = [i for i in rows if column[i] == column[i]]  # figure not NaN
            out[f"{SHORT[f]}_councils"].append(len(usable))
            if average == "mean":
                out[f].append(means[f].get(number[key], float("nan")))
                continue
            # pooled: councils whose rate was published without its counts cannot add to the
            # sums, and are left out (nor counted in ``*_councils``)
            (nums, n_missing), (dens, d_missing) = count_lists[num], count_lists[den]
            usable = [i for i in usable if not n_missing[i] and not d_missing[i]]
            out[f"{SHORT[f]}_councils"][-1] = len(usable)
            out[f].append(
                scale * float(sum(nums[i] for i in usable)) / float(sum(dens[i] for i in usable))
                if usable
                else float("nan")
            )
        for c in _BENCH_SUMS:
            v, m = count_lists[c]
            out[c].append(sum(v[i] for i in rows if not m[i]))
    return out


def _bench_frame(columns: dict[str, list[object]]) -> pd.DataFrame:
    ints = {"councils", *(f"{SHORT[f]}_councils" for f in GROUP_FIGURES), *_BENCH_SUMS}
    return pd.DataFrame(
        {
            c: np.asarray(v, dtype=np.int64)
            if c in ints
            else np.asarray(v, dtype=np.float64)
            if c in GROUP_FIGURES
            else v
            for c, v in columns.items()
        }
    )


def group_benchmarks(figures: pd.DataFrame, average: str = "mean") -> pd.DataFrame:
    """One row per group and year: each figure's benchmark and how many councils it covers.

    ``figures`` needs ``type``, ``year``, ``in_group`` and the count, population and figure
    columns that :func:`council_figures` makes. Councils outside a group (no type, or not
    existing that year) are never members. A council whose figure is n/a (no cases, a count not
    reported, no population) is left out of that figure's benchmark. Returns
    ``BENCHMARK_COLUMNS``: ``upheld_per_100k`` is the mean of the members' per-100k figures, or
    pooled, the group's upheld × 100,000 over its population (both over ``per_100k_councils``).
    """
    average = check_average(average)
    member = figures["in_group"].astype(bool).to_numpy()
    if not member.any():
        return pd.DataFrame(columns=list(BENCHMARK_COLUMNS))
    return _bench_frame(
        _benchmarks(
            figures["type"].tolist(),
            figures["year"].tolist(),
            member,
            {f: figures[f].to_numpy(dtype=np.float64, na_value=np.nan) for f in GROUP_FIGURES},
            {c: masked(figures, c) for c in _BENCH_COUNTS},
            average,
        )
    )


def nothing_counted(frame: pd.DataFrame, rate: str) -> np.ndarray:
    """Rows with no ``rate`` and none of the counts of its part: nothing to compute it from.

    A council whose year in the data holds compliance outcomes only has no decision count at
    all, so its uphold and remedy rates have no cases behind them ("no cases"); a row with some
    decision counts but a blank where the rate's own count goes (a published table's empty
    cell) is "not reported". ``frame`` holds ``rate`` and any of ``PART_COUNTS`` of its part
    (:func:`council_figures` or :func:`lgsco_stats.report.trends.council_trend` columns).
    """
    columns = [c for c in PART_COUNTS[oc.RATE_PART[rate]] if c in frame.columns]
    empty = frame[columns].isna().all(axis=1).to_numpy(dtype=bool) if columns else True
    return frame[rate].isna().to_numpy(dtype=bool) & empty


def counted_in(row: Mapping[str, Any], rate: str) -> bool:
    """Whether a row (a record of :func:`council_figures`) has ``rate`` or any count of its
    part: the rule of :func:`nothing_counted` for one record, as the site's pages hold them."""
    if not is_missing(row.get(rate)):
        return True
    return any(not is_missing(row.get(c)) for c in PART_COUNTS[oc.RATE_PART[rate]])


def figures_of(ds: Dataset, average: str = "mean", reg: Register | None = None) -> pd.DataFrame:
    """Load-to-figures in one call: :func:`counts_of` then :func:`council_figures`."""
    reg = reg or register()
    return council_figures(counts_of(ds, reg), reg, average)
