"""A published table's counts made whole from whatever columns it has, and checked.

The identities of :data:`~lgsco_stats.outcomes.TOTALS` (investigated = upheld + not upheld;
complaints dealt with = not for us + assessed and closed + investigated; compliance outcomes =
complied (on time or late) + not complied; …) give a missing count wherever the others of its
identity are known: ``Investigated`` and ``Upheld`` give ``Not upheld``; ``Complied`` and ``Not
complied`` give the compliance outcomes. Where a table gives every count of an identity they
must agree:

- parts that add up to more than their total, or a remedy count above the upheld count, are
  errors naming the rows (a count cannot be above the total it is part of);
- ``Investigated`` that is not ``Upheld`` + ``Not upheld`` is an error (the issue's rule: both
  say how many were investigated);
- any other total (complaints dealt with, a total, compliance outcomes) that is not the sum of
  its parts is a warning naming the rows, and the figures use the parts;
- a published rate that the counts do not give (90% where 53 of 61 is 87%) is a warning, and
  the figures use the counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import outcomes as oc
from ..rounding import round_half_up
from .cells import Loc

# Totals whose mismatch with their parts is an error rather than a warning.
_STRICT = {oc.INVESTIGATED}
# rate → (numerator, denominator, its total's parts when the denominator is a sum)
_RATES = {
    "uphold_rate": (oc.UPHELD, oc.INVESTIGATED),
    "remedy_rate": ("remedy_by_authority", oc.UPHELD),
    "compliance_rate": (oc.COMPLIED_TOTAL, oc.COMPLIANCE_TOTAL),
}
# A given rate more than this (in points) from the counts' rate disagrees with them.
RATE_TOLERANCE = 0.5 + 1e-9


def _label(c: str, loc: Loc) -> str:
    return repr(loc.col(c)) if c in loc.fields else repr(oc.COUNT_LABELS[c])


def _values(counts: dict[str, pd.Series], c: str) -> tuple[np.ndarray, np.ndarray]:
    arr = pd.array(counts[c], dtype="Int64")
    return arr.to_numpy(dtype=np.int64, na_value=0), np.asarray(arr.isna(), dtype=bool)


def _set(counts: dict[str, pd.Series], c: str, values: np.ndarray, missing: np.ndarray) -> None:
    counts[c] = pd.Series(pd.arrays.IntegerArray(values, missing), index=counts[c].index)


def check_and_complete(counts: dict[str, pd.Series], rows: pd.Series, loc: Loc) -> None:
    """Check a published table's counts against each other (see the module's docstring) and
    fill in every count its identities give, in place. ``counts`` has every column of
    :data:`~lgsco_stats.outcomes.COUNT_COLUMNS` (Int64 on the table's rows, missing = not
    reported); ``rows`` the sheet row of each."""
    sheet_rows = rows.to_numpy()
    _complete(counts, down=False)  # totals from their parts first: they are checked too
    given = {c: _values(counts, c) for c in counts}
    for total, parts in oc.TOTALS.items():
        t, t_missing = given[total]
        if t_missing.all():
            continue
        known = [p for p in parts if not given[p][1].all()]
        if not known:
            continue
        total_of_known = sum(given[p][0] for p in known)
        every = ~t_missing & np.logical_and.reduce([~given[p][1] for p in parts])
        above = ~t_missing & (total_of_known > t)
        names = " + ".join(_label(p, loc) for p in known)
        if above.any():
            loc.error(
                None,
                sheet_rows[above].tolist(),
                f"{names} add up to more than {_label(total, loc)} (a count cannot be above "
                f"the total it is part of: {int(total_of_known[above][0])} against "
                f"{int(t[above][0])})",
            )
        differ = every & ~above & (total_of_known != t)
        if differ.any():
            at = sheet_rows[differ].tolist()
            what = (
                f"{_label(total, loc)} is not {names} ({int(t[differ][0])} given, "
                f"{int(total_of_known[differ][0])} from the parts)"
            )
            if total in _STRICT:
                loc.error(None, at, what)
            else:
                loc.note("warning", None, at, what + "; the figures use the parts")
                t = t.copy()
                t[differ] = total_of_known[differ]
                _set(counts, total, t, t_missing)
                given[total] = _values(counts, total)
    for part, whole in oc.SUBSETS.items():
        (p, p_missing), (w, w_missing) = given[part], given[whole]
        above = ~p_missing & ~w_missing & (p > w)
        if above.any():
            loc.error(
                None,
                sheet_rows[above].tolist(),
                f"{_label(part, loc)} is more than {_label(whole, loc)} ({int(p[above][0])} "
                f"against {int(w[above][0])}): remedies by the authority are some of the "
                "upheld complaints",
            )
    _complete(counts, down=True)


def _complete(counts: dict[str, pd.Series], down: bool) -> None:
    """Fill every total whose parts are known and, with ``down``, every part whose total and
    other parts are known, until none is left to fill."""
    changed = True
    while changed:
        changed = False
        for total, parts in oc.TOTALS.items():
            t, t_missing = _values(counts, total)
            vals = [_values(counts, p) for p in parts]
            every = np.logical_and.reduce([~m for _, m in vals])
            fill = t_missing & every
            if fill.any():
                t = t.copy()
                t[fill] = sum(v for v, _ in vals)[fill]
                _set(counts, total, t, t_missing & ~fill)
                changed = True
                continue
            if not down:
                continue
            for k, (v, m) in enumerate(vals):
                others = [vals[j] for j in range(len(vals)) if j != k]
                rest = sum((ov for ov, _ in others), np.zeros(len(t), np.int64))
                ok = ~t_missing & m & np.logical_and.reduce([~om for _, om in others] or [~m | m])
                ok &= t - rest >= 0
                if ok.any():
                    v = v.copy()
                    v[ok] = (t - rest)[ok]
                    _set(counts, parts[k], v, m & ~ok)
                    changed = True


def check_rates(
    counts: dict[str, pd.Series], rates: dict[str, pd.Series], rows: pd.Series, loc: Loc
) -> None:
    """A given rate that its counts do not give is a warning naming the rows (the figures use
    the counts). A rate of 0 of 0 (printed "0%" on the Ombudsman's pages) is no rate to
    compare."""
    sheet_rows = rows.to_numpy()
    for rate, (num, den) in _RATES.items():
        if rate not in rates:
            continue
        given = pd.array(rates[rate], dtype="Float64")
        g = given.to_numpy(dtype=np.float64, na_value=np.nan)
        n, n_missing = _values(counts, num)
        d, d_missing = _values(counts, den)
        ok = ~np.isnan(g) & ~n_missing & ~d_missing & (d > 0)
        computed = np.full(len(g), np.nan)
        computed[ok] = n[ok] * 100.0 / d[ok]
        bad = ok & (np.abs(computed - g) > RATE_TOLERANCE)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            shown = round_half_up(computed[i])
            loc.note(
                "warning",
                rate,
                sheet_rows[bad].tolist(),
                f"{_label(rate, loc)} {g[i]:g}% is not what the counts give "
                f"({int(n[i])} of {int(d[i])} = {shown}%); the figures use the counts",
            )
