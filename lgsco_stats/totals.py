"""What a published table gives instead of counts: a total without its parts (``Investigated``
without ``Not upheld``, ``Not for us`` without its three outcomes, ``Complied`` of any timing),
or a rate without the counts behind it. :func:`totals` makes every total the figures need from
its parts where they are known, else takes it as given; :func:`with_given_rates` takes a
published rate where its counts are not known.

Counts here are (values, missing) pairs of numpy arrays, as :func:`lgsco_stats.counts.masked`
gives them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from . import outcomes as oc
from .counts import masked_rate


def add(*counts: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The sum of count columns (values, missing); missing where any of them is."""
    values = counts[0][0].copy()
    missing = counts[0][1].copy()
    for v, m in counts[1:]:
        values += v
        missing |= m
    values[missing] = 0
    return values, missing


def or_given(
    derived: tuple[np.ndarray, np.ndarray], given: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """A total from its parts where every part is known, else the total as given."""
    (values, missing), (g, g_missing) = derived, given
    use = missing & ~g_missing
    values, missing = values.copy(), missing.copy()
    values[use] = g[use]
    missing[use] = False
    return values, missing


def totals(
    cnt: dict[str, tuple[np.ndarray, np.ndarray]],
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The counts with each total the figures need: from its parts, or as a published table
    gave it (reading has checked that both agree where both are given)."""
    out = dict(cnt)
    out["investigations"] = or_given(add(cnt[oc.UPHELD], cnt[oc.NOT_UPHELD]), cnt[oc.INVESTIGATED])
    out[oc.INVESTIGATED] = out["investigations"]
    nfu = [cnt[o] for o in oc.OUTCOMES if oc.OUTCOME_GROUPS[o] == oc.NOT_FOR_US]
    out[oc.NOT_FOR_US] = or_given(add(*nfu), cnt[oc.NOT_FOR_US])
    out[oc.ASSESSED_AND_CLOSED] = add(
        *(cnt[o] for o in oc.OUTCOMES if oc.OUTCOME_GROUPS[o] == oc.ASSESSED_AND_CLOSED)
    )
    dealt = add(out[oc.NOT_FOR_US], out[oc.ASSESSED_AND_CLOSED], out[oc.INVESTIGATED])
    out[oc.DEALT_WITH] = or_given(dealt, cnt[oc.DEALT_WITH])
    out["decisions"] = or_given(add(*(cnt[c] for c in oc.OUTCOMES)), out[oc.DEALT_WITH])
    out["complied_total"] = or_given(
        add(cnt[oc.COMPLIED], cnt[oc.COMPLIED_LATE]), cnt[oc.COMPLIED_TOTAL]
    )
    out["compliance_outcomes"] = or_given(
        add(out["complied_total"], cnt[oc.NOT_COMPLIED]), cnt[oc.COMPLIANCE_TOTAL]
    )
    return out


def with_given_rates(
    rates: dict[str, np.ndarray],
    counts_of_rate: Mapping[str, tuple[str, str]],
    plain: pd.DataFrame,
    cnt: dict[str, tuple[np.ndarray, np.ndarray]],
) -> dict[str, np.ndarray]:
    """Each rate from its counts (``counts_of_rate``: rate → numerator and denominator
    columns), or the rate a published table gave where a count behind it is not known (a zero
    denominator stays n/a: 0 of 0 is no rate, whatever was printed)."""
    out = dict(rates)
    for name, (num, den) in counts_of_rate.items():
        given, given_missing = masked_rate(plain, name)
        use = (cnt[num][1] | cnt[den][1]) & ~given_missing
        out[name] = np.where(use, given, rates[name])
    return out
