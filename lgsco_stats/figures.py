"""The statistics: counts per council and year, the three rates, and the group benchmarks.

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

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from . import outcomes as oc
from .councils import GROUPS, Register, register
from .errors import DataError, UsageError
from .outcomes import normalise_text
from .reading import COUNT_COLUMNS, Dataset

Average = Literal["mean", "pooled"]
AVERAGES: tuple[str, ...] = ("mean", "pooled")

# A rate on fewer cases than this is flagged as based on small numbers.
SMALL_NUMBER = 10

KEY = ["authority_key", "year"]

# rate name → (numerator column, denominator column)
RATES: dict[str, tuple[str, str]] = {
    "uphold_rate": ("upheld", "investigations"),
    "remedy_rate": ("remedy_by_authority", "upheld"),
    "compliance_rate": ("complied_total", "compliance_outcomes"),
}
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


# --------------------------------------------------------------------------- councils


def factorize_pairs(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, list[tuple[object, object]]]:
    """Codes and distinct pairs of two columns, like ``pd.factorize`` on their zip but without
    building a MultiIndex (which costs seconds on a million rows)."""
    ca, ua = pd.factorize(a, use_na_sentinel=False)
    cb, ub = pd.factorize(b, use_na_sentinel=False)
    combined = ca.astype(np.int64) * max(len(ub), 1) + cb
    codes, uniq = pd.factorize(combined)
    la, lb, n = list(ua), list(ub), max(len(ub), 1)
    pairs = [(la[u // n], lb[u % n]) for u in uniq.tolist()]
    return codes, pairs


def attach_councils(frame: pd.DataFrame, reg: Register | None = None) -> pd.DataFrame:
    """Add ``gss_code`` and ``authority_key`` to rows with ``authority`` and ``year`` columns.

    Each distinct (authority, year) is resolved once against the register. A name that matches
    no council keeps ``gss_code`` missing and the key ``name:<normalised name>``: a body outside
    the register, with its own figures and no group.
    """
    reg = reg or register()
    out = frame.copy()
    if out.empty:
        out["gss_code"] = pd.Series(dtype=object)
        out["authority_key"] = pd.Series(dtype=object)
        return out
    codes: dict[tuple[str, str], str | None] = {}
    which, uniques = factorize_pairs(out["authority"], out["year"])
    for name, year in uniques:
        try:
            c = reg.resolve(name, year)
        except UsageError as e:
            rows = out.loc[(out["authority"] == name) & (out["year"] == year)]
            first = rows.iloc[0]
            raise DataError(f"{first['source']}, row {first['row']}, authority: {e}") from None
        codes[(name, year)] = c.gss_code if c else None
    # Map back through the distinct pairs: one lookup per pair, not per row.
    gss = [codes[(a, y)] for a, y in uniques]
    keys = [
        g if g is not None else "name:" + normalise_text(a)
        for g, (a, _) in zip(gss, uniques, strict=True)
    ]
    out["gss_code"] = np.asarray(gss, dtype=object)[which]
    out["authority_key"] = np.asarray(keys, dtype=object)[which]
    return out


@dataclass(frozen=True)
class Attached:
    """A :class:`Dataset`'s three frames with ``gss_code`` and ``authority_key`` added."""

    decisions: pd.DataFrame
    compliance: pd.DataFrame
    published: pd.DataFrame
    received: pd.DataFrame | None = None

    def counts(self) -> pd.DataFrame:
        return combine_counts(
            decision_counts(self.decisions),
            compliance_counts(self.compliance),
            published_counts(self.published),
        )

    def bodies(self, reg: Register | None = None) -> list[tuple[str, list[str]]]:
        """Names outside the register, each with its "did you mean" suggestions."""
        frames = [
            f[["authority", "gss_code"]] for f in (self.decisions, self.compliance, self.published)
        ]
        return unmatched(pd.concat(frames), reg)


def attach(ds: Dataset, reg: Register | None = None) -> Attached:
    """Resolve every authority in a :class:`Dataset`; a published table naming one council twice
    for a year (even spelt two ways: "Kent" and "Kent County Council") is an error."""
    reg = reg or register()
    pub = attach_councils(ds.published, reg)
    if len(pub):
        dup = pub.duplicated(KEY, keep=False)
        if dup.any():
            first = pub[dup].iloc[0]
            same = pub[
                dup
                & (pub["authority_key"] == first["authority_key"])
                & (pub["year"] == first["year"])
            ]
            places = " and ".join(
                f"{s}, row {r} ({a!r})"
                for s, r, a in zip(same["source"], same["row"], same["authority"], strict=True)
            )
            raise DataError(f"one council twice for {first['year']} in a published table: {places}")
    return Attached(
        attach_councils(ds.decisions, reg),
        attach_councils(ds.compliance, reg),
        pub,
        attach_councils(ds.received, reg),
    )


def unmatched(frame: pd.DataFrame, reg: Register | None = None) -> list[tuple[str, list[str]]]:
    """Bodies outside the register in an attached frame: (name, "did you mean" suggestions)."""
    reg = reg or register()
    names = frame.loc[frame["gss_code"].isna(), "authority"].drop_duplicates()
    return [(n, reg.suggestions(n)) for n in sorted(names)]


# --------------------------------------------------------------------------- counts


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """authority_key, year → the name as first given and the gss_code (one row per key-year)."""
    return frame.groupby(KEY, sort=False).agg(
        authority=("authority", "min"), gss_code=("gss_code", "first")
    )


def _tally(frame: pd.DataFrame, values: tuple[str, ...], flag: str | None = None) -> pd.DataFrame:
    """Counts of each of ``values`` in the ``outcome`` column (and of a true ``flag``) per
    authority key and year, with the name as given and the GSS code: one bincount, no per-group
    Python code."""
    which, pairs = factorize_pairs(frame["authority_key"], frame["year"])
    n = len(pairs)
    code = pd.Categorical(frame["outcome"], categories=list(values)).codes.astype(np.int64)
    counts = np.bincount(which * len(values) + code, minlength=n * len(values))
    table = pd.DataFrame(counts.reshape(n, len(values)), columns=list(values))
    if flag is not None:
        table[flag] = np.bincount(
            which, weights=frame[flag].to_numpy(dtype=float), minlength=n
        ).astype(np.int64)
    table["authority_key"] = [k for k, _ in pairs]
    table["year"] = [y for _, y in pairs]
    # the name as given (the first in sort order, as the store's min() gives) and the code,
    # from the distinct (pair, spelling) combinations rather than from every row
    _, spellings = factorize_pairs(pd.Series(which), frame["authority"])
    label: dict[int, str] = {}
    for w, a in spellings:
        if w not in label or a < label[w]:
            label[w] = a
    first_row = np.unique(which, return_index=True)[1]
    table["authority"] = [label[w] for w in range(n)]
    table["gss_code"] = frame["gss_code"].to_numpy(dtype=object)[first_row]
    return table


def decision_counts(decisions: pd.DataFrame) -> pd.DataFrame:
    """Outcome counts and remedies per authority and year from attached case-level decisions."""
    if decisions.empty:
        return _empty_counts()
    out = _tally(decisions, oc.OUTCOMES, "remedy_by_authority")
    for c in oc.COMPLIANCE_OUTCOMES:
        out[c] = pd.NA
    return _typed(out)


def compliance_counts(compliance: pd.DataFrame) -> pd.DataFrame:
    """Complied, complied late and not complied per authority and year of recording."""
    if compliance.empty:
        return _empty_counts()
    out = _tally(compliance, oc.COMPLIANCE_OUTCOMES)
    for c in (*oc.OUTCOMES, "remedy_by_authority"):
        out[c] = pd.NA
    return _typed(out)


def published_counts(published: pd.DataFrame) -> pd.DataFrame:
    """Counts from attached published tables (blank cells stay missing: not reported)."""
    if published.empty:
        return _empty_counts()
    return _typed(
        published[["authority_key", "year", "authority", "gss_code", *COUNT_COLUMNS]].copy()
    )


def _empty_counts() -> pd.DataFrame:
    return _typed(
        pd.DataFrame(columns=["authority_key", "year", "authority", "gss_code", *COUNT_COLUMNS])
    )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for c in COUNT_COLUMNS:
        frame[c] = pd.array(frame[c], dtype="Int64") if len(frame) else pd.Series(dtype="Int64")
    for c in ("authority_key", "year", "authority", "gss_code"):
        frame[c] = frame[c].astype(object)
    return frame[["authority_key", "year", "authority", "gss_code", *COUNT_COLUMNS]]


_DECISION_PART = [*oc.OUTCOMES, "remedy_by_authority"]
_COMPLIANCE_PART = list(oc.COMPLIANCE_OUTCOMES)


def combine_counts(
    decisions: pd.DataFrame, compliance: pd.DataFrame, published: pd.DataFrame
) -> pd.DataFrame:
    """One row of counts per authority and year.

    Case-level data wins over a published table for the same authority and year, part by part:
    decision counts come from case-level decisions where there are any, otherwise from the
    published row; compliance counts likewise from compliance outcomes, otherwise the published
    row. Rows are in order of authority key and year.
    """
    frames = [f for f in (decisions, compliance, published) if not f.empty]
    if not frames:
        return _empty_counts()
    labels = pd.concat([f[["authority_key", "year", "authority", "gss_code"]] for f in frames])
    labels = labels.drop_duplicates(KEY).set_index(KEY)
    out = labels.copy()
    for part in (_DECISION_PART, _COMPLIANCE_PART):
        case_level = decisions if part is _DECISION_PART else compliance
        case = case_level.set_index(KEY)[part] if not case_level.empty else None
        pub = published.set_index(KEY)[part] if not published.empty else None
        if case is not None and pub is not None:
            pub = pub.loc[~pub.index.isin(case.index)]
            chosen = pd.concat([case, pub])
        else:
            chosen = case if case is not None else pub
        if chosen is None:
            for c in part:
                out[c] = pd.NA
            continue
        out = out.join(chosen, how="left")
        # Case-level data is complete for its years: a council with decisions but no compliance
        # outcome recorded in a year where others have some has 0 of them, not "not reported".
        if not case_level.empty:
            case_years = set(case_level["year"])
            from_pub = (
                out.index.isin(published.set_index(KEY).index)
                if not published.empty
                else np.zeros(len(out), dtype=bool)
            )
            fill = out.index.get_level_values("year").isin(case_years) & ~from_pub
            out.loc[fill, part] = out.loc[fill, part].fillna(0)
    # In key order whatever order the parts came in: a group's mean then adds its councils'
    # rates in the same order (and gives the same last digit) from the store or from files.
    return _typed(out.sort_index().reset_index())


def add_counts(*parts: pd.DataFrame) -> pd.DataFrame:
    """Sum count frames of the same part (e.g. decision counts from two sources) by authority
    and year; a count missing from every frame stays missing."""
    frames = [p for p in parts if not p.empty]
    if not frames:
        return _empty_counts()
    if len(frames) == 1:
        return frames[0]
    both = pd.concat(frames, ignore_index=True)
    labels = both.groupby(KEY, sort=False).agg(
        authority=("authority", "min"), gss_code=("gss_code", "first")
    )
    sums = both.groupby(KEY, sort=False)[list(COUNT_COLUMNS)].sum(min_count=1)
    return _typed(labels.join(sums).reset_index())


def counts_of(ds: Dataset, reg: Register | None = None) -> pd.DataFrame:
    """Counts per authority and year from a :class:`Dataset` (resolving the names)."""
    return attach(ds, reg).counts()


# --------------------------------------------------------------------------- figures


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    n = num.astype("Float64")
    d = den.astype("Float64")
    r = (n * 100.0 / d).where(d > 0)
    return r.astype("float64")


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
    """
    average = check_average(average)
    reg = reg or register()
    if counts.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FIGURE_COLUMNS})
    f = counts.copy()
    by_code = reg.by_code
    f["council"] = [
        by_code[g].name if isinstance(g, str) and g in by_code else a
        for g, a in zip(f["gss_code"], f["authority"], strict=True)
    ]
    f["type"] = [
        by_code[g].type if isinstance(g, str) and g in by_code else None for g in f["gss_code"]
    ]
    in_group, notes = [], []
    for g, y in zip(f["gss_code"], f["year"], strict=True):
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
    f["in_group"] = in_group
    f["group_note"] = notes
    f["decisions"] = f[list(oc.OUTCOMES)].sum(axis=1, skipna=False).astype("Int64")
    f["investigations"] = (f[oc.UPHELD] + f[oc.NOT_UPHELD]).astype("Int64")
    f["complied_total"] = (f[oc.COMPLIED] + f[oc.COMPLIED_LATE]).astype("Int64")
    f["compliance_outcomes"] = (f["complied_total"] + f[oc.NOT_COMPLIED]).astype("Int64")
    for name, (num, den) in RATES.items():
        f[name] = _ratio(f[num], f[den])
    pop = pd.Series(
        [
            by_code[g].population if isinstance(g, str) and g in by_code else None
            for g in f["gss_code"]
        ],
        index=f.index,
        dtype="Float64",
    )
    if populations is not None and not populations.empty:
        # A row with no year serves every year that has no figure of its own.
        dated = populations[populations["year"].notna()]
        undated = populations[populations["year"].isna()]
        spread = (
            f[["gss_code", "year"]]
            .drop_duplicates()
            .merge(undated[["gss_code", "population"]], on="gss_code")
        )
        populations = pd.concat([dated, spread]).drop_duplicates(["gss_code", "year"])
        p = populations.set_index(["gss_code", "year"])["population"]
        given = pd.Series(
            p.reindex(pd.MultiIndex.from_frame(f[["gss_code", "year"]])).to_numpy(),
            index=f.index,
            dtype="Float64",
        )
        pop = given.fillna(pop)
    f["population"] = pop.astype("Int64")
    f["upheld_per_100k"] = (f[oc.UPHELD].astype("Float64") * 100_000 / pop).where(pop > 0)
    f["upheld_per_100k"] = f["upheld_per_100k"].astype("float64")
    bench = group_benchmarks(f, average)
    b = bench.set_index(["type", "year"])
    idx = pd.MultiIndex.from_frame(f[["type", "year"]].astype(object))
    for rate in RATES:
        short = rate.removesuffix("_rate")
        gv = b[rate].reindex(idx).to_numpy(dtype="float64", na_value=np.nan)
        f[f"group_{rate}"] = np.where(f["in_group"], gv, np.nan)
        gn = b[f"{short}_councils"].reindex(idx).to_numpy(dtype="float64", na_value=np.nan)
        f[f"group_{short}_councils"] = pd.array(np.where(f["in_group"], gn, np.nan), dtype="Int64")
        f[f"{short}_difference"] = f[rate] - f[f"group_{rate}"]
    gc = b["councils"].reindex(idx).to_numpy(dtype="float64", na_value=np.nan)
    f["group_councils"] = pd.array(np.where(f["in_group"], gc, np.nan), dtype="Int64")
    f["average"] = average
    f = f.sort_values(
        ["year", "council"],
        key=lambda s: s.str.lower() if s.name == "council" else s,
        kind="stable",
    )
    return f[list(FIGURE_COLUMNS)].reset_index(drop=True)


def group_benchmarks(figures: pd.DataFrame, average: str = "mean") -> pd.DataFrame:
    """One row per group and year: each rate's benchmark and how many councils it covers.

    ``figures`` needs ``type``, ``year``, ``in_group`` and the count and rate columns that
    :func:`council_figures` makes. Councils outside a group (no type, or not existing that year)
    are never members. A council whose rate is n/a (no cases, or a count not reported) is left
    out of that rate's benchmark.
    """
    average = check_average(average)
    members = figures[figures["in_group"].astype(bool)]
    if members.empty:
        return pd.DataFrame(columns=list(BENCHMARK_COLUMNS))
    by = members.groupby(["type", "year"], sort=False)
    out = by.size().rename("councils").to_frame()
    for rate, (num, den) in RATES.items():
        short = rate.removesuffix("_rate")
        has = members[rate].notna()
        usable = members[has].groupby(["type", "year"], sort=False)
        out[f"{short}_councils"] = usable.size().reindex(out.index, fill_value=0)
        if average == "mean":
            out[rate] = usable[rate].mean().reindex(out.index)
        else:
            sums = usable[[num, den]].sum().reindex(out.index)
            out[rate] = 100.0 * sums[num].astype(float) / sums[den].astype(float)
    for c in (
        "upheld",
        "investigations",
        "remedy_by_authority",
        "compliance_outcomes",
        "complied_total",
    ):
        out[c] = by[c].sum(min_count=0).astype("int64")
    out["average"] = average
    out = out.reset_index()
    order = {g: i for i, g in enumerate(GROUPS)}
    out = out.sort_values(
        ["year", "type"], key=lambda s: s.map(order) if s.name == "type" else s
    ).reset_index(drop=True)
    for c in ("uphold_rate", "remedy_rate", "compliance_rate"):
        out[c] = out[c].astype("float64")
    return out[list(BENCHMARK_COLUMNS)]


def figures_of(ds: Dataset, average: str = "mean", reg: Register | None = None) -> pd.DataFrame:
    """Load-to-figures in one call: :func:`counts_of` then :func:`council_figures`."""
    reg = reg or register()
    return council_figures(counts_of(ds, reg), reg, average)
