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
display lives in :mod:`lgsco_stats.rounding`. A group's benchmark is the mean of its member
councils' rates (councils with an empty denominator left out) or, with ``average="pooled"``, the
sum of the numerators over the sum of the denominators. Members are the councils of the group that
existed in the year and have data for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from . import outcomes as oc
from .councils import GROUPS, Register, register
from .counts import counts_of, masked, masked_rate, with_count_columns
from .errors import UsageError
from .outcomes import COUNT_COLUMNS, GIVEN_RATES

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

FIGURE_COLUMNS: tuple[str, ...] = (
    "council",
    "gss_code",
    "type",
    "year",
    "decisions",
    *oc.OUTCOMES,
    "investigations",
    "remedy_by_authority",
    "compliance_outcomes",
    *oc.COMPLIANCE_OUTCOMES,
    "complied_total",
    "uphold_rate",
    "remedy_rate",
    "compliance_rate",
    "population",
    "upheld_per_100k",
    "in_group",
    "group_note",
    "group_uphold_rate",
    "group_remedy_rate",
    "group_compliance_rate",
    "group_councils",
    "group_uphold_councils",
    "group_remedy_councils",
    "group_compliance_councils",
    "uphold_difference",
    "remedy_difference",
    "compliance_difference",
    "average",
    "authority_key",
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
    "upheld",
    "investigations",
    "remedy_by_authority",
    "compliance_outcomes",
    "complied_total",
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


def _add(*counts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The sum of count columns (values, missing); missing where any of them is."""
    values = counts[0][0].copy()
    missing = counts[0][1].copy()
    for v, m in counts[1:]:
        values += v
        missing |= m
    values[missing] = 0
    return values, missing


def _int_array(values: np.ndarray, missing: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.arrays.IntegerArray(values, missing)


def _int_or_na(values: np.ndarray) -> pd.arrays.IntegerArray:
    """Floats (whole numbers or NaN) as an Int64 array."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


# ----------------------------------------------------------------- totals and published rates
# What a published table gives instead of counts: a total without its parts (Investigated
# without Not upheld), or a rate without the counts behind it.


def _or_given(
    derived: tuple[np.ndarray, np.ndarray], given: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """A total from its parts where every part is known, else the total as given."""
    (values, missing), (g, g_missing) = derived, given
    use = missing & ~g_missing
    values, missing = values.copy(), missing.copy()
    values[use] = g[use]
    missing[use] = False
    return values, missing


def _totals(
    cnt: dict[str, tuple[np.ndarray, np.ndarray]],
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The counts with each total the rates need: from its parts, or as a published table gave
    it (reading has checked that both agree where both are given)."""
    out = dict(cnt)
    out["decisions"] = _or_given(_add(*(cnt[c] for c in oc.OUTCOMES)), cnt[oc.DEALT_WITH])
    out["investigations"] = _or_given(
        _add(cnt[oc.UPHELD], cnt[oc.NOT_UPHELD]), cnt[oc.INVESTIGATED]
    )
    out["complied_total"] = _or_given(
        _add(cnt[oc.COMPLIED], cnt[oc.COMPLIED_LATE]), cnt[oc.COMPLIED_TOTAL]
    )
    out["compliance_outcomes"] = _or_given(
        _add(out["complied_total"], cnt[oc.NOT_COMPLIED]), cnt[oc.COMPLIANCE_TOTAL]
    )
    return out


def _with_given_rates(
    rates: dict[str, np.ndarray], plain: pd.DataFrame, cnt: dict[str, tuple[np.ndarray, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Each rate from its counts, or the rate a published table gave where a count behind it
    is not known (a zero denominator stays n/a: 0 of 0 is no rate, whatever was printed)."""
    out = {}
    for name, (num, den) in RATES.items():
        given, given_missing = masked_rate(plain, name)
        use = (cnt[num][1] | cnt[den][1]) & ~given_missing
        out[name] = np.where(use, given, rates[name])
    return out


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
    average : ``"mean"`` of the members' rates (default) or ``"pooled"``.
    populations : optional ``gss_code``, ``year``, ``population`` rows that replace the register's
        mid-2020 figures for those council-years.

    Returns
    -------
    DataFrame with ``FIGURE_COLUMNS``, sorted by year and council name.

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
    cnt = _totals({c: masked(plain, c) for c in COUNT_COLUMNS})
    rates = {name: _ratio(cnt[num], cnt[den]) for name, (num, den) in RATES.items()}
    rates = _with_given_rates(rates, plain, cnt)
    pop = pd.array(
        [by_code[g].population if isinstance(g, str) and g in by_code else None for g in gss],
        dtype="Float64",
    )
    if populations is not None and not populations.empty:
        # A row with no year serves every year that has no figure of its own.
        dated = populations[populations["year"].notna()]
        undated = populations[populations["year"].isna()]
        spread = (
            plain[["gss_code", "year"]]
            .drop_duplicates()
            .merge(undated[["gss_code", "population"]], on="gss_code")
        )
        populations = pd.concat([dated, spread]).drop_duplicates(["gss_code", "year"])
        p = populations.set_index(["gss_code", "year"])["population"]
        given = pd.array(
            p.reindex(pd.MultiIndex.from_frame(plain[["gss_code", "year"]])).to_numpy(),
            dtype="Float64",
        )
        pop = given.fillna(pop)
    pop_values = pop.to_numpy(dtype=np.float64, na_value=np.nan)
    upheld, upheld_missing = cnt[oc.UPHELD]
    per_100k = np.full(n, np.nan)
    ok = ~upheld_missing & (pop_values > 0)
    per_100k[ok] = upheld[ok].astype(np.float64) * 100_000 / pop_values[ok]
    bench = _benchmarks(types, years, member, rates, cnt, average)
    columns: dict[str, object] = {
        "council": council,
        "gss_code": plain["gss_code"],
        "type": types,
        "year": plain["year"],
        "decisions": _int_array(*cnt["decisions"]),
        **{c: plain[c] for c in oc.OUTCOMES},
        "investigations": _int_array(*cnt["investigations"]),
        "remedy_by_authority": plain["remedy_by_authority"],
        "compliance_outcomes": _int_array(*cnt["compliance_outcomes"]),
        **{c: plain[c] for c in oc.COMPLIANCE_OUTCOMES},
        "complied_total": _int_array(*cnt["complied_total"]),
        **rates,
        "population": pop.astype("Int64"),
        "upheld_per_100k": per_100k,
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

    def of_group(values: list[float] | list[int]) -> np.ndarray:
        out = np.full(n, np.nan)
        out[member] = np.asarray(values, dtype=np.float64)[row[member]]
        return out

    for rate in RATES:
        columns[f"group_{rate}"] = of_group(bench[rate])
    columns["group_councils"] = _int_or_na(of_group(bench["councils"]))
    for rate in RATES:
        short = rate.removesuffix("_rate")
        columns[f"group_{short}_councils"] = _int_or_na(of_group(bench[f"{short}_councils"]))
    for rate in RATES:
        short = rate.removesuffix("_rate")
        columns[f"{short}_difference"] = rates[rate] - columns[f"group_{rate}"]  # type: ignore[operator]
    columns["average"] = [average] * n
    columns["authority_key"] = plain["authority_key"]
    f = pd.DataFrame({c: columns[c] for c in FIGURE_COLUMNS})
    if all(isinstance(y, str) for y in years) and all(
        isinstance(c, str) and c.isascii() for c in council
    ):
        # ASCII names lower-case the same in Python as in pandas: sort here, skipping pandas'
        # string kernels (the same stable order)
        lowered = [c.lower() for c in council]
        order = sorted(range(n), key=lambda i: (years[i], lowered[i]))
        return f.take(order).reset_index(drop=True)
    f = f.sort_values(
        ["year", "council"],
        key=lambda s: s.str.lower() if s.name == "council" else s,
        kind="stable",
    )
    return f.reset_index(drop=True)


_BENCH_SUMS = (
    "upheld",
    "investigations",
    "remedy_by_authority",
    "compliance_outcomes",
    "complied_total",
)
# every count column a benchmark reads: the sums it reports and each rate's two counts
_BENCH_COUNTS = frozenset({*_BENCH_SUMS, *(c for pair in RATES.values() for c in pair)})


def _benchmarks(
    types: list[object],
    years: list[object],
    member: np.ndarray,
    rates: dict[str, np.ndarray],
    counts: dict[str, tuple[np.ndarray, np.ndarray]],
    average: str,
) -> dict[str, list[object]]:
    """:func:`group_benchmarks`'s columns (one list each) from the members' columns."""
    groups: dict[tuple[object, object], list[int]] = {}
    for i in np.flatnonzero(member).tolist():
        groups.setdefault((types[i], years[i]), []).append(i)
    number = {key: g for g, key in enumerate(groups)}
    order = {g: i for i, g in enumerate(GROUPS)}
    keys = sorted(groups, key=lambda k: (k[1], order.get(k[0], len(order))))  # type: ignore[arg-type]
    out: dict[str, list[object]] = {c: [] for c in BENCHMARK_COLUMNS}
    rate_lists = {r: rates[r].tolist() for r in RATES}
    count_lists = {c: (counts[c][0].tolist(), counts[c][1].tolist()) for c in _BENCH_COUNTS}
    means: dict[str, dict[int, float]] = {}
    if average == "mean":
        for rate in RATES:
            values = rate_lists[rate]
            usable = [i for i in np.flatnonzero(member).tolist() if values[i] == values[i]]
            # pandas' grouped mean, members in row order as before: it sums a group in one of
            # two ways depending on the row order, and a benchmark stays the same to the bit
            codes = np.asarray([number[(types[i], years[i])] for i in usable], dtype=np.int64)
            grouped = pd.Series([values[i] for i in usable], dtype=np.float64).groupby(
                codes, sort=False
            )
            means[rate] = grouped.mean().to_dict() if usable else {}
    for key in keys:
        rows = groups[key]
        out["type"].append(key[0])
        out["year"].append(key[1])
        out["average"].append(average)
        out["councils"].append(len(rows))
        for rate, (num, den) in RATES.items():
            short = rate.removesuffix("_rate")
            values = rate_lists[rate]
            usable = [i for i in rows if values[i] == values[i]]  # rate not NaN
            out[f"{short}_councils"].append(len(usable))
            if average == "mean":
                out[rate].append(means[rate].get(number[key], float("nan")))
            else:
                # pooled: councils whose rate was published without its counts cannot add to
                # the sums, and are left out (they are not counted in ``*_councils``)
                (nums, n_missing), (dens, d_missing) = count_lists[num], count_lists[den]
                usable = [i for i in usable if not n_missing[i] and not d_missing[i]]
                out[f"{short}_councils"][-1] = len(usable)
                out[rate].append(
                    100.0
                    * float(sum(nums[i] for i in usable))
                    / float(sum(dens[i] for i in usable))
                    if usable
                    else float("nan")
                )
        for c in _BENCH_SUMS:
            v, m = count_lists[c]
            out[c].append(sum(v[i] for i in rows if not m[i]))
    return out


def _bench_frame(columns: dict[str, list[object]]) -> pd.DataFrame:
    ints = {"councils", *(f"{r.removesuffix('_rate')}_councils" for r in RATES), *_BENCH_SUMS}
    return pd.DataFrame(
        {
            c: np.asarray(v, dtype=np.int64)
            if c in ints
            else np.asarray(v, dtype=np.float64)
            if c in RATES
            else v
            for c, v in columns.items()
        }
    )


def group_benchmarks(figures: pd.DataFrame, average: str = "mean") -> pd.DataFrame:
    """One row per group and year: each rate's benchmark and how many councils it covers.

    ``figures`` needs ``type``, ``year``, ``in_group`` and the count and rate columns that
    :func:`council_figures` makes. Councils outside a group (no type, or not existing that year)
    are never members. A council whose rate is n/a (no cases, or a count not reported) is left
    out of that rate's benchmark.
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
            {r: figures[r].to_numpy(dtype=np.float64, na_value=np.nan) for r in RATES},
            {c: masked(figures, c) for c in _BENCH_COUNTS},
            average,
        )
    )


def figures_of(ds: Dataset, average: str = "mean", reg: Register | None = None) -> pd.DataFrame:
    """Load-to-figures in one call: :func:`counts_of` then :func:`council_figures`."""
    reg = reg or register()
    return council_figures(counts_of(ds, reg), reg, average)
