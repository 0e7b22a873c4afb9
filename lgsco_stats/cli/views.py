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
        if not is_missing(r.get(rate_key)):  # a published rate without its counts
            return format_percent(r.get(rate_key)) + (
                "" if is_missing(den) else f" (of {int(den)})"
            )
        return NA  # a count not reported (a published table without that column)
    if int(den) == 0:
        return f"{NA} (0)"
    star = "*" if int(den) < SMALL_NUMBER else ""
    return f"{format_percent(r.get(rate_key))} ({int(num)}/{int(den)}){star}"


# Each rate's display: key, heading, and the numerator and denominator behind it.
_RATES = (
    ("uphold", "Upheld", "upheld", "investigations"),
    ("compliance", "Complied", "complied_total", "compliance_outcomes"),
    ("remedy", "Remedied by council", "remedy_by_authority", "upheld"),
)


def _rate_columns(
    short: str, heading: str, num: str, den: str, extra: Callable[[str], list[Column]]
) -> list[Column]:
    rate = f"{short}_rate"
    return [
        Column(short, heading, lambda r: rate_text(r, rate, num, den), numeric=True),
        Column(
            f"group_{short}",
            "Group",
            lambda r: format_percent(r.get(f"group_{rate}")),
            numeric=True,
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
) -> list[Column]:
    """Display columns for council figures: each rate with its counts beside its group's figure,
    then upheld per 100,000 residents.

    ``differences`` adds the rounded differences from the group; ``extra(short)`` adds columns
    after each rate's group figure (``short`` is ``uphold``, ``compliance`` or ``remedy``);
    ``lead`` replaces the leading council/group/year columns.
    """
    if lead is not None:
        cols = list(lead)
    else:
        cols = [Column("council", "Council")]
        if with_type:
            cols.append(Column("type", "Group", lambda r: group_name(r.get("type"))))
        if with_year:
            cols.append(Column("year", "Year"))
    cols.append(Column("decisions", "Decisions", lambda r: count(r.get("decisions")), numeric=True))
    for short, heading, num, den in _RATES:
        cols += _rate_columns(short, heading, num, den, extra or (lambda _s: []))
    if differences:
        labels = {"uphold": "± upheld", "compliance": "± complied", "remedy": "± remedied"}
        for short, *_ in _RATES:
            rate = f"{short}_rate"
            cols.append(
                Column(
                    f"d_{short}",
                    labels[short],
                    lambda r, rate=rate: format_difference(r.get(rate), r.get(f"group_{rate}")),
                    numeric=True,
                )
            )
    cols.append(
        Column(
            "per100k",
            "Upheld per 100k",
            lambda r: format_number(r.get("upheld_per_100k")),
            numeric=True,
        )
    )
    return cols
