"""When a group's figure is a comparison for one of its councils, and the note that says why not.

A group figure (the mean or pooled figure of the councils of a type in a year) compares a council
with similar authorities only when at least ``MIN_OTHERS`` councils besides the council itself
are behind it: with none, the "average of similar authorities" is the council's own figure; with
one, it is half the council's own. :func:`lgsco_stats.figures.council_figures` leaves such a
council's group figure and difference as NaN and gives :func:`no_comparison_notes` as its
``comparison_note``; the letters word the same rule (:func:`lgsco_stats.letters.wording.
group_sentence`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .councils import GROUP_SINGULAR

MIN_OTHERS = 2


def _others_text(n: int) -> str:
    return "no other" if n <= 0 else "only one other"


def no_comparison_notes(
    types: Sequence[object],
    years: Sequence[object],
    members: np.ndarray,
    others: Mapping[str, np.ndarray],
    alone: Mapping[str, np.ndarray],
) -> list[str | None]:
    """Why a member council has no group figure to compare with, for each row (None: every
    figure it has can be compared).

    Parameters
    ----------
    types, years : each row's group (``unitary``) and year.
    members : the number of councils in the row's group that year (NaN outside a group).
    others : figure label → the other councils behind the group's figure, for each row.
    alone : figure label → whether the row has that figure and too few others have it.

    A group with fewer than ``MIN_OTHERS`` other councils in the year is no comparison at all
    ("no other unitary council in the store for 2019-20: no comparison"); otherwise each figure
    of the council's that too few other councils have is named.
    """
    out: list[str | None] = [None] * len(types)
    lonely = members - 1 < MIN_OTHERS  # NaN (not a member) compares False
    for mask in alone.values():
        lonely |= mask
    for i in np.flatnonzero(lonely).tolist():
        singular = GROUP_SINGULAR.get(str(types[i]), "council")
        year = years[i]
        besides = int(members[i]) - 1
        if besides < MIN_OTHERS:
            out[i] = f"{_others_text(besides)} {singular} in the store for {year}: no comparison"
            continue
        out[i] = "; ".join(
            f"no comparison for the {label}: {_others_text(int(others[label][i]))} "
            f"{singular} has one for {year}"
            for label, mask in alone.items()
            if mask[i]
        )
    return out


# A group average over fewer councils than this is not drawn on a ranked chart: the "average"
# of a single council is that council.
MIN_AVERAGED = 2
