"""Counts per council and year: resolving each authority name against the register, tallying
case-level rows, and combining them with published tables (case-level data wins).

The frames here have one row per authority key and year with :data:`~lgsco_stats.outcomes.
COUNT_COLUMNS` (Int64, missing = not reported), :data:`~lgsco_stats.outcomes.GIVEN_RATES`
(Float64 percentages a published table gave, missing where it gave none), ``authority`` (the
name as given) and ``gss_code``; :mod:`lgsco_stats.figures` turns them into rates and
benchmarks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import outcomes as oc
from .councils import Register, register
from .errors import DataError, UsageError, rows_text
from .outcomes import COUNT_COLUMNS, GIVEN_RATES, normalise_text
from .read.columns import text_column

if TYPE_CHECKING:
    from .read.dataset import Dataset

KEY = ["authority_key", "year"]
LABELS = ["authority_key", "year", "authority", "gss_code"]
COLUMNS = [*LABELS, *COUNT_COLUMNS, *GIVEN_RATES]


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


def attach_councils(
    frame: pd.DataFrame, reg: Register | None = None, aliases: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Add ``gss_code`` and ``authority_key`` to rows with ``authority`` and ``year`` columns.

    Each distinct (authority, year) is resolved once against the register, after the user's
    ``aliases`` (normalised name → GSS code, see :func:`~lgsco_stats.read.aliases.
    read_aliases`). A name that matches no council keeps ``gss_code`` missing and the key
    ``name:<normalised name>``: a body outside the register, with its own figures and no group.
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
        alias = aliases.get(normalise_text(name)) if aliases else None
        if alias is not None:
            codes[(name, year)] = alias
            continue
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
    out["gss_code"] = text_column(gss, which, out.index)
    out["authority_key"] = text_column(keys, which, out.index)
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
            f.loc[f["gss_code"].isna(), ["authority", "gss_code"]]
            for f in (self.decisions, self.compliance, self.published)
        ]
        return unmatched(pd.concat(frames), reg)

    def unresolved(self, reg: Register | None = None) -> list[Unresolved]:
        """Names outside the register with where each first appears and its suggestions."""
        reg = reg or register()
        frames = [
            f.loc[f["gss_code"].isna(), ["authority", "source", "row"]]
            for f in (self.decisions, self.compliance, self.published)
        ]
        rows = pd.concat(frames, ignore_index=True)
        out = []
        for name, group in rows.groupby("authority", sort=True):
            places = [(str(s), int(r)) for s, r in zip(group["source"], group["row"], strict=True)]
            out.append(Unresolved(str(name), places, len(group), reg.suggestions(str(name))))
        return out


@dataclass(frozen=True)
class Unresolved:
    """A name the register does not know: where it appears (``rows`` in all) and the councils
    whose names are close."""

    name: str
    places: list[tuple[str, int]]
    rows: int
    suggestions: list[str]

    def text(self) -> str:
        by_source: dict[str, list[int]] = {}
        for source, row in self.places:
            by_source.setdefault(source, []).append(row)
        where = "; ".join(f"{s}, {rows_text(r)}" for s, r in by_source.items())
        close = (
            f"; did you mean {' or '.join(repr(c) for c in self.suggestions)}?"
            if self.suggestions
            else ""
        )
        return f"{where}: {self.name!r} is not a council in the register{close}"


def attach(
    ds: Dataset, reg: Register | None = None, aliases: Mapping[str, str] | None = None
) -> Attached:
    """Resolve every authority in a :class:`Dataset`; a published table naming one council twice
    for a year (even spelt two ways: "Kent" and "Kent County Council") is an error."""
    reg = reg or register()
    pub = attach_councils(ds.published, reg, aliases)
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
        attach_councils(ds.decisions, reg, aliases),
        attach_councils(ds.compliance, reg, aliases),
        pub,
        attach_councils(ds.received, reg, aliases),
    )


def unmatched(frame: pd.DataFrame, reg: Register | None = None) -> list[tuple[str, list[str]]]:
    """Bodies outside the register in an attached frame: (name, "did you mean" suggestions)."""
    reg = reg or register()
    names = frame.loc[frame["gss_code"].isna(), "authority"].drop_duplicates()
    return [(n, reg.suggestions(n)) for n in sorted(names)]


# --------------------------------------------------------------------------- counts


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
        # a flag not reported on some row (a file without the column) is not reported for the
        # authority and year
        values = pd.array(frame[flag], dtype="boolean")
        unknown = np.asarray(values.isna(), dtype=np.float64)
        known = values.to_numpy(dtype=np.float64, na_value=0.0)
        total = np.bincount(which, weights=known, minlength=n).astype(np.int64)
        missing = np.bincount(which, weights=unknown, minlength=n) > 0
        table[flag] = pd.arrays.IntegerArray(total, missing)
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
    return _typed(out)


def compliance_counts(compliance: pd.DataFrame) -> pd.DataFrame:
    """Complied, complied late and not complied per authority and year of recording."""
    if compliance.empty:
        return _empty_counts()
    out = _tally(compliance, oc.COMPLIANCE_OUTCOMES)
    return _typed(out)


def published_counts(published: pd.DataFrame) -> pd.DataFrame:
    """Counts and given rates from attached published tables (blank cells stay missing: not
    reported)."""
    if published.empty:
        return _empty_counts()
    return _typed(published[[c for c in COLUMNS if c in published.columns]].copy())


def missing_column(n: int, dtype: str) -> pd.api.extensions.ExtensionArray:
    """A column of ``n`` missing counts (``Int64``) or rates (``Float64``), made without a
    list of ``None``."""
    if dtype == "Float64":
        return pd.arrays.FloatingArray(np.zeros(n), np.ones(n, dtype=bool))
    return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))


def counts_frame(columns: Mapping[str, Sequence[object]], n: int) -> pd.DataFrame:
    """A counts frame (``COLUMNS``) of ``n`` rows from the columns given (the labels as text,
    counts Int64, rates Float64), the others missing; every column at once (a column added
    later is an insert into the frame's index)."""
    types = ["str"] * 4 + ["Float64" if c in GIVEN_RATES else "Int64" for c in COLUMNS[4:]]
    return pd.DataFrame(
        {
            c: pd.array(list(columns[c]), dtype=t) if c in columns else missing_column(n, t)
            for c, t in zip(COLUMNS, types, strict=True)
        }
    )


def with_count_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A counts frame with every count and given rate column, those it lacks missing (a
    frame made by hand, or before totals and rates were kept)."""
    lacking = [c for c in (*COUNT_COLUMNS, *GIVEN_RATES) if c not in frame.columns]
    if not lacking:
        return frame
    frame = frame.copy()
    for c in lacking:
        frame[c] = missing_column(len(frame), "Float64" if c in GIVEN_RATES else "Int64")
    return frame


def _empty_counts() -> pd.DataFrame:
    return _typed(pd.DataFrame(columns=LABELS))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every count (Int64) and given rate (Float64) column, missing where it
    has none."""
    n = len(frame)
    for c in COUNT_COLUMNS:
        frame[c] = (
            pd.array(frame[c], dtype="Int64")
            if c in frame.columns and n
            else pd.array([pd.NA] * n, dtype="Int64")
        )
    for c in GIVEN_RATES:
        frame[c] = (
            pd.array(frame[c], dtype="Float64")
            if c in frame.columns and n
            else pd.array([pd.NA] * n, dtype="Float64")
        )
    for c in LABELS:
        frame[c] = frame[c].astype(object)
    return frame[COLUMNS]


# The columns of each part: case-level data of a part wins over a published row's, whole.
_DECISION_PART = [*oc.DECISION_COUNTS, *(r for r in GIVEN_RATES if oc.RATE_PART[r] == "decisions")]
_COMPLIANCE_PART = [
    *oc.COMPLIANCE_COUNTS,
    *(r for r in GIVEN_RATES if oc.RATE_PART[r] == "compliance"),
]
# The columns case-level data counts (the others are totals and rates it never gives)
_CASE_LEVEL = {*oc.OUTCOMES, "remedy_by_authority", *oc.COMPLIANCE_OUTCOMES}


def masked(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A count column as int64 values (0 where missing) and its missing mask."""
    arr = pd.array(frame[column], dtype="Int64")
    return arr.to_numpy(dtype=np.int64, na_value=0), np.asarray(arr.isna(), dtype=bool)


def masked_rate(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """A given rate column as float64 values (NaN where missing) and its missing mask."""
    arr = pd.array(frame[column], dtype="Float64")
    return arr.to_numpy(dtype=np.float64, na_value=np.nan), np.asarray(arr.isna(), dtype=bool)


def _objects(frame: pd.DataFrame, column: str) -> list[object]:
    return frame[column].astype(object).tolist()  # type: ignore[no-any-return]


def combine_counts(
    decisions: pd.DataFrame, compliance: pd.DataFrame, published: pd.DataFrame
) -> pd.DataFrame:
    """One row of counts per authority and year.

    Case-level data wins over a published table for the same authority and year, part by part:
    decision counts come from case-level decisions where there are any, otherwise from the
    published row; compliance counts likewise from compliance outcomes, otherwise the published
    row.

    Rows are in order of authority key and year, each with the name and code it first came
    with (decisions, then compliance, then published). The frames are a few thousand rows at
    most (one per authority and year), so this is plain Python and numpy over the columns
    rather than pandas joins: a command that reads the store starts noticeably faster.
    """
    frames = [f for f in (decisions, compliance, published) if not f.empty]
    if not frames:
        return _empty_counts()
    labels: dict[str, list[object]] = {
        c: [] for c in ("authority_key", "year", "authority", "gss_code")
    }
    position: dict[tuple[object, object], int] = {}
    for f in frames:
        for k, y, a, g in zip(*(_objects(f, c) for c in labels), strict=True):
            if (k, y) not in position:
                position[(k, y)] = len(position)
                for c, v in zip(labels, (k, y, a, g), strict=True):
                    labels[c].append(v)
    n = len(position)
    # In key order whatever order the parts came in: a group's mean then adds its councils'
    # rates in the same order (and gives the same last digit) from the store or from files.
    ordered = sorted(position)
    labels = {c: [v[position[key]] for key in ordered] for c, v in labels.items()}
    position = {key: i for i, key in enumerate(ordered)}

    def rows_of(frame: pd.DataFrame) -> dict[tuple[object, object], int]:
        if frame.empty:
            return {}
        keys = zip(_objects(frame, "authority_key"), _objects(frame, "year"), strict=True)
        return {key: i for i, key in enumerate(keys)}

    published_rows = rows_of(published)
    out: dict[str, object] = {c: pd.Series(v, dtype=object) for c, v in labels.items()}
    for part, case_level in ((_DECISION_PART, decisions), (_COMPLIANCE_PART, compliance)):
        case_rows = rows_of(case_level)
        # where each row's counts of this part come from: a case-level row, else a published one
        from_case = np.full(n, -1, dtype=np.int64)
        from_pub = np.full(n, -1, dtype=np.int64)
        for key, i in position.items():
            if key in case_rows:
                from_case[i] = case_rows[key]
            elif key in published_rows:
                from_pub[i] = published_rows[key]
        # Case-level data is complete for its years: a council with decisions but no compliance
        # outcome recorded in a year where others have some has 0 of them, not "not reported".
        fill = None
        if case_rows:
            case_years = set(_objects(case_level, "year"))
            fill = np.fromiter(
                (key[1] in case_years and key not in published_rows for key in position),
                dtype=bool,
                count=n,
            )
        for c in part:
            rate = c in GIVEN_RATES
            values = np.full(n, np.nan) if rate else np.zeros(n, dtype=np.int64)
            missing = np.ones(n, dtype=bool)
            for source, rows in ((case_level, from_case), (published, from_pub)):
                if source.empty or (source is case_level and c not in _CASE_LEVEL):
                    continue  # case-level counts have no totals or rates: missing
                v, m = masked_rate(source, c) if rate else masked(source, c)
                at = rows >= 0
                values[at] = v[rows[at]]
                missing[at] = m[rows[at]]
            if fill is not None and c in _CASE_LEVEL:
                missing &= ~(fill & (from_case < 0))
            out[c] = (
                pd.arrays.FloatingArray(np.where(missing, 0.0, values), missing)
                if rate
                else pd.arrays.IntegerArray(values, missing)
            )
    return pd.DataFrame(out)[COLUMNS]


def counts_of(
    ds: Dataset, reg: Register | None = None, aliases: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Counts per authority and year from a :class:`Dataset` (resolving the names)."""
    return attach(ds, reg, aliases).counts()
