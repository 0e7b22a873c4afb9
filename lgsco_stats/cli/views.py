"""How council figures look in tables and Markdown: the display columns, defined once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..figures import FIGURE_COLUMNS, SMALL_NUMBER
from ..rounding import NA, format_difference, format_number, format_percent
from ..tables import Column, count, group_name, is_missing

# Keys written by --format csv/json for council figures (raw numbers, unrounded rates): every
# figure column but the internal ones.
FIGURE_KEYS: tuple[str, ...] = tuple(
    c for c in FIGURE_COLUMNS if c not in ("in_group", "complied_total", "authority_key")
)

SMALL_NOTE = f"* based on fewer than {SMALL_NUMBER} cases: read with care."


def rate_text(r: dict[str, Any], rate_key: str, num_key: str, den_key: str) -> str:
    """``87% (53/61)``; ``5% (1/3)*`` on fewer than SMALL_NUMBER cases; ``n/a (0)`` when empty."""
    if r.get("_benchmark"):
        return format_percent(r.get(rate_key))
    den, num = r.get(den_key), r.get(num_key)
    if is_missing(den) or is_missing(num):
        return NA  # a count not reported (a published table without that column)
    if int(den) == 0:
        return f"{NA} (0)"
    star = "*" if int(den) < SMALL_NUMBER else ""
    return f"{format_percent(r.get(rate_key))} ({int(num)}/{int(den)}){star}"


# Each rate's display: key, heading, the heading of its group's figure, and the numerator and
# denominator behind it.
_RATES = (
    ("uphold", "Upheld", "Group upheld", "upheld", "investigations"),
    ("compliance", "Complied", "Group complied", "complied_total", "compliance_outcomes"),
    ("remedy", "Remedied by council", "Group remedied", "remedy_by_authority", "upheld"),
)

# Which columns a terminal too narrow for all of them leaves out first (``Column.priority``;
# ``--wide`` shows them all): the council and its three rates with their counts always, then
# the group figures, then decisions, then upheld per 100k, differences and the group's name,
# then the year. Where every row has the same group figure (compare, whose last row is the
# group's average) the group columns go first (SAME). A column added here (an interval, a
# comparison) takes one of these, or a higher one to go before them.
ALWAYS, GROUP, COUNTS, DETAIL, YEAR, SAME = 0, 1, 2, 3, 4, 5


def _rate_columns(
    short: str,
    heading: str,
    group_heading: str,
    num: str,
    den: str,
    extra: Callable[[str], list[Column]],
    group_priority: int,
) -> list[Column]:
    rate = f"{short}_rate"
    return [
        Column(short, heading, lambda r: rate_text(r, rate, num, den), numeric=True),
        Column(
            f"group_{short}",
            group_heading,
            lambda r: format_percent(r.get(f"group_{rate}")),
            numeric=True,
            priority=group_priority,
        ),
        *extra(short),
    ]


def figure_columns(
    *,
    with_year: bool = True,
    with_type: bool = True,
    differences: bool = False,
    extra: Callable[[str], list[Column]] | None = None,
    lead: Sequence[Column] | None = None,
    one_group: bool = False,
) -> list[Column]:
    """Display columns for council figures: each rate with its counts beside its group's figure,
    then upheld per 100,000 residents.

    ``differences`` adds the rounded differences from the group; ``extra(short)`` adds columns
    after each rate's group figure (``short`` is ``uphold``, ``compliance`` or ``remedy``);
    ``lead`` replaces the leading council/group/year columns; ``one_group`` says every row has
    the same group figures (then a narrow terminal leaves them out first, and keeps the
    differences). Each column has the priority (:data:`ALWAYS` … :data:`SAME`) that chooses
    what a narrow terminal shows.
    """
    if lead is not None:
        cols = list(lead)
    else:
        cols = [Column("council", "Council")]
        if with_type:
            cols.append(
                Column("type", "Group", lambda r: group_name(r.get("type")), priority=DETAIL)
            )
        if with_year:
            cols.append(Column("year", "Year", priority=YEAR))
    cols.append(
        Column(
            "decisions",
            "Decisions",
            lambda r: count(r.get("decisions")),
            numeric=True,
            priority=COUNTS,
        )
    )
    for short, heading, group_heading, num, den in _RATES:
        cols += _rate_columns(
            short,
            heading,
            group_heading,
            num,
            den,
            extra or (lambda _s: []),
            SAME if one_group else GROUP,
        )
    if differences:
        labels = {"uphold": "± upheld", "compliance": "± complied", "remedy": "± remedied"}
        for short, *_ in _RATES:
            rate = f"{short}_rate"
            cols.append(
                Column(
                    f"d_{short}",
                    labels[short],
                    lambda r, rate=rate: (
                        ""
                        if r.get("_benchmark")
                        else format_difference(r.get(rate), r.get(f"group_{rate}"))
                    ),
                    numeric=True,
                    priority=GROUP if one_group else DETAIL,
                )
            )
    cols.append(
        Column(
            "per100k",
            "Upheld per 100k",
            lambda r: format_number(r.get("upheld_per_100k")),
            numeric=True,
            priority=DETAIL,
        )
    )
    return cols
