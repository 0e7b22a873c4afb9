"""How council figures look in tables and Markdown: the display columns, defined once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..figures import FIGURE_COLUMNS, SMALL_NUMBER
from ..rounding import (
    NA,
    format_count,
    format_difference,
    format_number,
    format_percent,
    round_half_up,
)
from ..tables import Column, count, group_name, is_missing

# Keys written by --format csv/json for council figures (raw numbers, unrounded rates): every
# figure column but the internal ones.
FIGURE_KEYS: tuple[str, ...] = tuple(
    c for c in FIGURE_COLUMNS if c not in ("in_group", "complied_total", "authority_key")
)

SMALL_NOTE = f"* based on fewer than {SMALL_NUMBER} cases: read with care."
COMPARISON_NOTE = (
    "vs similar: the council's cases tested (exact binomial, two-sided) against the pooled rate "
    "of the other councils of its group that year: higher or lower when p < 0.05, similar "
    "otherwise, too few when no result on so few cases could differ."
)
INTERVAL_NOTE = "95% CI: the Wilson score interval of the rate (whole percents, rounded half up)."

# the word shown for each comparison (``*_comparison`` columns)
_WORDS = {"higher": "higher", "lower": "lower", "similar": "similar", "too few cases": "too few"}


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


def interval_text(r: dict[str, Any], short: str) -> str:
    """A rate's 95% interval, compactly: ``80–93%``; ``n/a`` without cases."""
    low, high = r.get(f"{short}_rate_low"), r.get(f"{short}_rate_high")
    if r.get("_benchmark"):
        return ""
    if is_missing(low) or is_missing(high):
        return NA
    return f"{round_half_up(low)}–{round_half_up(high)}%"


def comparison_text(r: dict[str, Any], short: str) -> str:
    """How a rate compares with the council's peers in a word (``higher``, ``similar``,
    ``lower``, ``too few``); ``n/a`` where there is no test (no group, no cases)."""
    if r.get("_benchmark"):
        return ""
    word = r.get(f"{short}_comparison")
    return NA if is_missing(word) else _WORDS.get(str(word), str(word))


# Which columns a terminal too narrow for all of them leaves out first (``Column.priority``;
# ``--wide`` shows them all): the council and its three rates with their counts always, then
# the group figures, then decisions and the comparisons with similar councils, then upheld per
# 100k, differences, intervals and the group's name, then the year. Where every row has
# the same group figure (compare, whose last row is the group's average) the group columns go
# first (SAME).
ALWAYS, GROUP, COUNTS, DETAIL, YEAR, SAME = 0, 1, 2, 3, 4, 5


def comparison_columns(
    short: str, *, interval: bool = False, word: bool = True, priority: int = COUNTS
) -> list[Column]:
    """The display columns of one rate's fair comparison: its interval and its word (the word
    left out of a narrow terminal at ``priority``)."""
    cols = []
    if interval:
        cols.append(
            Column(
                f"{short}_ci",
                "95% CI",
                lambda r: interval_text(r, short),
                numeric=True,
                priority=DETAIL,
            )
        )
    if word:
        cols.append(
            Column(
                f"{short}_vs", "vs similar", lambda r: comparison_text(r, short), priority=priority
            )
        )
    return cols


# Each rate's display: key, heading, the heading of its group's figure, and the numerator and
# denominator behind it.
_RATES = (
    ("uphold", "Upheld", "Group upheld", "upheld", "investigations"),
    ("compliance", "Complied", "Group complied", "complied_total", "compliance_outcomes"),
    ("remedy", "Remedied by council", "Group remedied", "remedy_by_authority", "upheld"),
)


def _rate_columns(
    short: str,
    heading: str,
    group_heading: str,
    num: str,
    den: str,
    extra: Callable[[str], list[Column]],
    group_priority: int,
    comparisons: bool,
    intervals: bool,
) -> list[Column]:
    rate = f"{short}_rate"
    return [
        Column(short, heading, lambda r: rate_text(r, rate, num, den), numeric=True),
        *comparison_columns(short, interval=intervals, word=False),
        Column(
            f"group_{short}",
            group_heading,
            lambda r: format_percent(r.get(f"group_{rate}")),
            numeric=True,
            priority=group_priority,
        ),
        *extra(short),
        # where the group figure is every row's (compare), the word is what tells rows apart
        *comparison_columns(
            short, word=comparisons, priority=GROUP if group_priority == SAME else COUNTS
        ),
    ]


# The Ombudsman's 2024-25 counts of the complaints dealt with (decisions), by kind.
_DEALT_WITH = (
    ("not_for_us", "Not for us"),
    ("assessed_and_closed", "Assessed and closed"),
    ("investigated", "Investigated"),
)


def figure_columns(
    *,
    with_year: bool = True,
    with_type: bool = True,
    differences: bool = False,
    dealt_with: bool = False,
    extra: Callable[[str], list[Column]] | None = None,
    lead: Sequence[Column] | None = None,
    one_group: bool = False,
    comparisons: bool = True,
    intervals: bool = False,
) -> list[Column]:
    """Display columns for council figures: each rate with its counts beside its group's figure,
    then upheld per 100,000 residents beside its group's.

    ``differences`` adds the rounded differences from the group; ``dealt_with`` adds the
    2024-25 counts (not for us, assessed and closed, investigated) after the decisions;
    ``extra(short)`` adds columns after each rate's group figure (``short`` is ``uphold``,
    ``compliance`` or ``remedy``); ``lead`` replaces the leading council/group/year columns;
    ``one_group`` says every row has the same group figures (then a narrow terminal leaves them
    out first, and keeps the comparisons with similar councils). ``comparisons`` adds each
    rate's comparison with similar councils in a word (``vs similar``), and ``intervals`` its
    95% interval after the rate (``95% CI``): see :func:`comparison_columns`. Each column has the
    priority (:data:`ALWAYS` … :data:`SAME`) that chooses what a narrow terminal shows.
    """
    if lead is not None:
        cols = list(lead)
    else:
        cols = [Column("council", "Council")]
        if with_type:
            cols.append(
                # a council abolished before the year (or not yet made) is in no group then
                Column(
                    "type",
                    "Group",
                    lambda r: group_name(r.get("type") if r.get("in_group", True) else None),
                    priority=DETAIL,
                )
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
    if dealt_with:
        for key, heading in _DEALT_WITH:
            cols.append(
                Column(
                    key, heading, lambda r, k=key: count(r.get(k)), numeric=True, priority=DETAIL
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
            comparisons,
            intervals,
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
                    priority=DETAIL,
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
    cols.append(
        Column(
            "group_per100k",
            "Group per 100k",
            lambda r: "" if r.get("_benchmark") else format_number(r.get("group_upheld_per_100k")),
            numeric=True,
            priority=SAME if one_group else DETAIL,
        )
    )
    return cols


def population_note(records: Iterable[dict[str, Any]]) -> str:
    """Which populations the per-100k figures of some council-years use, e.g. ``"Upheld per
    100k: upheld decisions per 100,000 residents, with the ONS mid-year estimate of mid-2021
    for 2022-23 and mid-2022 for 2023-24 (each year uses the one before it begins); n/a where
    there is none (2026-27)."``, naming a user's table and how many councils it gave."""
    ons: dict[str, set[str]] = {}
    given: dict[tuple[str, str], int] = {}
    missing: set[str] = set()
    for r in records:
        if r.get("_benchmark"):
            continue
        year, source = str(r.get("year")), r.get("population_source")
        if not isinstance(source, str):
            if isinstance(r.get("gss_code"), str):  # a council (other bodies have none)
                missing.add(year)
        elif source.startswith("ONS "):
            ons.setdefault(year, set()).add(source.removeprefix("ONS "))
        else:
            given[(source, year)] = given.get((source, year), 0) + 1
    parts = []
    if ons:
        each = [f"{' and '.join(sorted(m))} for {y}" for y, m in sorted(ons.items())]
        parts.append(
            "with the ONS mid-year estimate of "
            + (", ".join(each[:-1]) + " and " + each[-1] if len(each) > 1 else each[0])
            + " (each year uses the one before it begins)"
        )
    for (source, year), n in sorted(given.items()):
        parts.append(f"{source} for {format_count(n, 'council')} in {year}")
    if missing:
        parts.append(f"n/a where there is none ({', '.join(sorted(missing))})")
    if not parts:
        parts.append("n/a: no population for any of these authorities")
    return "Upheld per 100k: upheld decisions per 100,000 residents, " + "; ".join(parts) + "."


def group_count_notes(bench: Iterable[dict[str, Any]]) -> list[str]:
    """Over how many councils each group figure is taken, one line per group and year (rows of
    :func:`lgsco_stats.figures.group_benchmarks`)."""
    from ..councils import GROUP_LABELS

    out = []
    for b in bench:
        out.append(
            f"{GROUP_LABELS.get(b['type'], b['type'])} {b['year']}: "
            f"{format_count(int(b['councils']), 'council')} in the group; its figures over "
            f"{b['uphold_councils']} (upheld), {b['compliance_councils']} (complied), "
            f"{b['remedy_councils']} (remedied), {b['per_100k_councils']} (per 100k)."
        )
    return out


def _comparison_line(r: dict[str, Any]) -> str:
    """``No comparison for Kent County Council 2023-24: only one other county council …`` (the
    note without its closing ``: no comparison``), or, where only some figures have none,
    ``Brighton … 2024-25: no comparison for the satisfactory remedy rate: …``."""
    note = str(r["comparison_note"])
    if note.startswith("no comparison"):
        return f"{r['council']} {r['year']}: {note}."
    return f"No comparison for {r['council']} {r['year']}: {note.removesuffix(': no comparison')}."


def comparison_notes(records: Iterable[dict[str, Any]], limit: int = 10) -> list[str]:
    """One line per council-year whose group figures are no comparison (too few other councils:
    ``comparison_note``), at most ``limit`` and then how many more."""
    lines = [
        _comparison_line(r)
        for r in records
        if isinstance(r.get("comparison_note"), str) and not r.get("_benchmark")
    ]
    if len(lines) > limit:
        lines = [*lines[:limit], f"… and {len(lines) - limit} more (see comparison_note in CSV)."]
    return lines
