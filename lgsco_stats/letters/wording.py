"""The letter's wording rules: numbers and dates in prose, and each sentence that the figures
choose (``*_sentence``, :func:`comparison`), each a small function that can be tested alone.

The default templates say what the Ombudsman's letters say, in our own words; every percentage
is shown by :func:`lgsco_stats.rounding.format_percent` (whole percent, halves up).

One number style, applied by :func:`number_text` and :func:`count_text`: a count in a sentence
is a word from zero to nine ("four complaints", "based on four investigations") and digits from
10 ("57 complaints", "1,234"); counts in tables, lists and brackets are digits ("(38 of 57)",
"(11 of 12, 1 late)"); percentages and per-100,000 figures are always digits. Each sentence
names its addressee with ``noun``: "the council", or "the authority" for a body that is not a
council (Transport for London, a fire authority).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .. import outcomes as oc
from ..councils import GROUP_LABELS, GROUP_SINGULAR, GROUPS
from ..figures import SMALL_NUMBER
from ..populations import population_year
from ..rounding import format_number, format_percent, round_half_up, shown_difference
from ..small_groups import MIN_OTHERS
from ..years import start_year
from .as_published import as_published
from .fields import Fields, as_int, missing

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SMALL_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


# --------------------------------------------------------------------------- small words


def format_date(day: dt.date) -> str:
    """``2020-07-22`` → ``"22 July 2020"`` (no leading zero, English month whatever the locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def number_text(n: int) -> str:
    """Counts in prose: 0-9 as words (``"no"``, ``"one"`` … ``"nine"``), then ``"1,234"``."""
    return _SMALL_WORDS[n] if 0 <= n < len(_SMALL_WORDS) else f"{n:,}"


def count_text(n: int, singular: str, plural: str | None = None) -> str:
    """``count_text(1, "case")`` → ``"one case"``; ``(3, "case")`` → ``"three cases"``."""
    return f"{number_text(n)} {singular if n == 1 else plural or singular + 's'}"


def and_list(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``; items with commas of their own are kept apart
    by semicolons (``"A, Leader; B, Chair; and C"``); one item as itself; none as ``""``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if any("," in x for x in items):
        return "; ".join(items[:-1]) + f"; and {items[-1]}"
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def of_text(numerator: int | None, denominator: int | None) -> str:
    """``"38 of 57"`` (digits, as in a table), or ``""`` when a count is unknown."""
    if numerator is None or denominator is None:
        return ""
    return f"{numerator:,} of {denominator:,}"


def year_end_text(year: str) -> str:
    """``"2019-20"`` → ``"31 March 2020"``."""
    return f"31 March {start_year(year) + 1}"


def title_year(year: str) -> str:
    """The year a letter is titled with: the year ending, ``"2019-20"`` → ``"2020"``."""
    return str(start_year(year) + 1)


def group_plural(group: str) -> str:
    """``"unitary"`` → ``"unitary councils"``; ``"london_borough"`` → ``"London boroughs"``."""
    label = GROUP_LABELS[group]
    return label if label.startswith("London") else label[0].lower() + label[1:]


# --------------------------------------------------------------------------- wording rules


def comparison(value: float | None, benchmark: float | None) -> str | None:
    """How a council's rate stands against its group's, as the reader sees both (each rounded
    half up to a whole percent first): ``"above"``, ``"below"``, ``"equal"``; None when either is
    missing. 87.4 against 86.6 shows as 87% and 87%, so it is ``"equal"``."""
    d = shown_difference(value, benchmark)
    if d is None:
        return None
    return "above" if d > 0 else "below" if d < 0 else "equal"


def comparison_sentence(value: float | None, benchmark: float | None) -> str:
    """``"This is above the average of similar authorities (67%)."``; ``""`` without a
    benchmark (a body with no comparison group, or a group with no rate)."""
    how = comparison(value, benchmark)
    if how is None:
        return ""
    where = {"above": "above", "below": "below", "equal": "the same as"}[how]
    return f"This is {where} the average of similar authorities ({format_percent(benchmark)})."


def small_number_note(denominator: int | None, singular: str, plural: str | None = None) -> str:
    """``"based on three investigations"`` when a rate rests on fewer than ``SMALL_NUMBER``
    cases (and at least one); ``""`` otherwise."""
    if denominator is None or not 0 < denominator < SMALL_NUMBER:
        return ""
    return f"based on {count_text(denominator, singular, plural)}"


def _care(note: str) -> str:
    return f" This figure is {note}, too few to read much into." if note else ""


def uphold_sentence(
    upheld: int | None,
    investigations: int | None,
    rate: float | None,
    benchmark: float | None,
    *,
    noun: str = "council",
) -> str:
    """The uphold rate in words. No detailed investigations in the year → say so, never 0% or
    n/a."""
    if upheld is None or investigations is None:
        if not missing(rate):  # a published rate without its counts
            return as_published("uphold", rate, noun, comparison_sentence(rate, benchmark))
        return "The data for the year do not say how many complaints we upheld."
    if investigations == 0:
        return (
            f"We did not investigate any complaints about the {noun} in detail this year, so "
            "there is no uphold rate to report."
        )
    counts = of_text(upheld, investigations)
    if investigations == 1:
        verdict = "upheld it" if upheld else "did not uphold it"
        text = (
            f"We investigated one complaint about the {noun} in detail and {verdict} "
            f"({counts}, {format_percent(rate)})."
        )
    else:
        text = (
            f"We investigated {count_text(investigations, 'complaint')} about the {noun} in "
            f"detail and upheld {format_percent(rate)} of them ({counts})."
        )
    note = small_number_note(investigations, "investigation")
    return " ".join(s for s in (text + _care(note), comparison_sentence(rate, benchmark)) if s)


def remedy_sentence(
    remedied: int | None,
    upheld: int | None,
    rate: float | None,
    benchmark: float | None,
    *,
    noun: str = "council",
) -> str:
    """Upheld complaints the council had already put right before they reached us."""
    if remedied is None or upheld is None:
        if not missing(rate):  # a published rate without its counts
            return as_published("remedy", rate, noun, comparison_sentence(rate, benchmark))
        return f"The data for the year do not say how many complaints the {noun} had remedied."
    if upheld == 0:
        return (
            f"As we upheld no complaints about the {noun} this year, there is no "
            "satisfactory remedy rate to report."
        )
    if remedied == 0:
        text = (
            f"In none of the complaints we upheld had the {noun} already offered a remedy "
            f"we found satisfactory before the complaint came to us (0 of {upheld:,}, 0%)."
        )
    else:
        text = (
            f"In {format_percent(rate)} of the complaints we upheld "
            f"({of_text(remedied, upheld)}), the {noun} had already accepted it was at fault "
            "and offered a remedy we found satisfactory before the complaint came to us. We "
            "welcome this: putting things right early saves residents time and worry."
        )
    note = small_number_note(upheld, "upheld complaint")
    return " ".join(s for s in (text + _care(note), comparison_sentence(rate, benchmark)) if s)


def compliance_sentence(
    complied: int | None,
    late: int | None,
    outcomes: int | None,
    rate: float | None,
    benchmark: float | None,
    *,
    noun: str = "council",
) -> str:
    """Compliance with our recommendations. Every one carried out → welcomed; any not carried
    out → how many, and a request to learn from them. Decided on the counts, not the rounded
    rate: 199 of 200 shows as 100% but one case was still not complied with."""
    if complied is None or outcomes is None:
        if not missing(rate):  # a published rate without its counts
            based = f", based on {count_text(outcomes, 'compliance outcome')}" if outcomes else ""
            return as_published(
                "compliance", rate, noun, comparison_sentence(rate, benchmark), based
            )
        return (
            f"The data for the year do not say whether the {noun} carried out our recommendations."
        )
    if outcomes == 0:
        return (
            f"We did not record the outcome of any recommendation to the {noun} this year, so "
            "there is no compliance rate to report."
        )
    missed = outcomes - complied
    late_text = f", {late:,} late" if late else ""  # in brackets: digits
    if missed == 0:
        text = (
            f"The {noun} carried out our recommendations in every one of the "
            f"{count_text(outcomes, 'case')} whose outcome we recorded this year "
            f"({format_percent(rate)}{late_text}). We welcome this, and thank the {noun} for "
            "acting on what we asked."
        )
    else:
        text = (
            f"The {noun} carried out our recommendations in {format_percent(rate)} of the "
            f"cases whose outcome we recorded this year ({of_text(complied, outcomes)}"
            f"{late_text}). In {count_text(missed, 'case')} it did not. We ask the {noun} to "
            f"look again at {'that case' if missed == 1 else 'those cases'}, to find out why "
            "our recommendations were not carried out, and to learn from "
            f"{'it' if missed == 1 else 'them'} so that it does not happen again."
        )
    note = small_number_note(outcomes, "recorded outcome")
    return " ".join(s for s in (text + _care(note), comparison_sentence(rate, benchmark)) if s)


def population_text(population: int, source: str | None) -> str:
    """``"population 252,796, the ONS estimate for mid-2018"``, or the file a user gave it in."""
    if source and source.startswith("ONS mid-"):
        return f"population {population:,}, the ONS estimate for {source.removeprefix('ONS ')}"
    if source:
        return f"population {population:,}, from {source}"
    return f"population {population:,}"


def per_100k_comparison(value: float | None, benchmark: float | None) -> str:
    """``"This is above the average of similar authorities (2.9)."`` comparing the figures as
    shown (one decimal, halves up); ``""`` without both."""
    if value is None or benchmark is None or missing(value) or missing(benchmark):
        return ""
    mine, theirs = round_half_up(value, 1), round_half_up(benchmark, 1)
    where = "above" if mine > theirs else "below" if mine < theirs else "the same as"
    return f"This is {where} the average of similar authorities ({theirs})."


def per_100k_sentence(
    upheld: int | None,
    population: int | None,
    per_100k: float | None,
    *,
    source: str | None = None,
    benchmark: float | None = None,
    year: str | None = None,
    council: bool = False,
    noun: str = "council",
) -> str:
    """Upheld decisions per 100,000 residents and the population it is measured against (which
    mid-year's estimate); for a council with no estimate for the year, a sentence saying so;
    ``""`` for a body outside the register or a year whose upheld count is not reported."""
    if upheld is None:
        return ""
    if not population or per_100k is None or missing(per_100k):
        if not council or year is None:
            return ""
        return (
            "We cannot give upheld decisions per 100,000 residents for this year: there is no "
            f"ONS population estimate for the council for mid-{population_year(year)}, the one "
            f"{year} is measured against."
        )
    text = (
        f"Measured against the number of people the {noun} serves, we upheld "
        f"{format_number(per_100k)} complaints for every 100,000 residents "
        f"({upheld:,} upheld; {population_text(population, source)})."
    )
    return " ".join(x for x in (text, per_100k_comparison(per_100k, benchmark)) if x)


def average_phrase(average: str) -> str:
    """How "the average of similar authorities" is taken: the mean of the member councils' rates
    (councils with no cases left out) or the pooled rate of all their cases."""
    if average == "pooled":
        return (
            "the pooled rate: all the group's cases taken together (per 100,000 residents: "
            "the group's upheld complaints over its population)"
        )
    return "the mean of the councils' own figures, leaving out councils with no cases"


_FIGURE_NAMES = {
    "uphold": "complaints upheld",
    "compliance": "compliance",
    "remedy": "remedies",
    "per_100k": "upheld decisions per 100,000 residents",
}


def _others(n: int) -> str:
    return "no other" if n <= 0 else "only one other"


def group_sentence(
    group: str | None,
    in_group: bool,
    average: str,
    year: str,
    councils: Mapping[str, int | None],
    note: str | None = None,
    members: int | None = None,
    alone: Mapping[str, bool] | None = None,
    *,
    noun: str = "council",
) -> str:
    """Which authorities the council is compared with, how their average is taken and over how
    many councils each figure's average runs; for a body in no comparison group, a sentence
    saying so and no average.

    ``councils`` is the number of councils behind each group figure (``uphold``,
    ``compliance``, ``remedy``, ``per_100k``) and ``alone`` says which of the council's figures
    have too few other councils behind them to compare with. A group with fewer than
    ``MIN_OTHERS`` councils besides this one is no comparison at all: the council would be
    compared mostly with itself.
    """
    if group is None or not in_group:
        why = f" ({note})" if note else ""
        names = ", ".join(group_plural(g) for g in GROUPS[:-1]) + f" and {group_plural(GROUPS[-1])}"
        return (
            f"We compare councils with similar authorities ({names}). The {noun} is in none "
            f"of these groups in {year}{why}, so this letter gives its own figures without an "
            "average to compare them with."
        )
    singular = GROUP_SINGULAR[group]
    if members is not None and members - 1 < MIN_OTHERS:
        besides = members - 1
        there = (
            f"There is no other {singular} in the store for {year}"
            if besides <= 0
            else f"There is only one other {singular} in the store for {year}, too few to "
            "make an average of similar authorities"
        )
        plural = group_plural(group)
        return (
            f"We compare each figure with the average for similar authorities ({plural}). "
            f"{there}, so this letter gives the {noun}'s own figures without an average to "
            "compare them with."
        )
    size = (
        f"the {number_text(members)} {group_plural(group)}"
        if members
        else f"the {group_plural(group)}"
    )
    n = {k: ("?" if v is None else f"{v:,}") for k, v in councils.items()}
    parts = [
        f"{n.get('uphold')} {'council' if councils.get('uphold') == 1 else 'councils'} for "
        "complaints upheld",
        f"{n.get('compliance')} for compliance",
        f"{n.get('remedy')} for remedies",
    ]
    if "per_100k" in n:
        parts.append(f"{n['per_100k']} for upheld decisions per 100,000 residents")
    over = ", ".join(parts[:-1]) + f" and {parts[-1]}"
    text = (
        f"We compare each figure with the average for similar authorities: {size} with "
        f"decisions in {year}. The average is {average_phrase(average)} ({over})."
    )
    short = [k for k, on in (alone or {}).items() if on]
    if short:
        parts = [
            f"{_FIGURE_NAMES[k]} ({_others((councils.get(k) or 0) - 1)} {singular} has a figure)"
            for k in short
        ]
        listed = ", ".join(parts[:-1]) + f" or {parts[-1]}" if len(parts) > 1 else parts[0]
        text += f" There is no average to compare the {noun} with for {listed}."
    return text


def dealt_with(row: Mapping[str, Any], *, noun: str = "council") -> Fields | None:
    """The complaints dealt with in the year by the Ombudsman's 2024-25 grouping (not for us,
    assessed and closed, investigated): the figures' ``dealt_with``, ``not_for_us``,
    ``assessed_and_closed`` and ``investigated`` where the row has them, else summed from the
    outcomes; None when any of them is not reported. The sentence names the groups that had
    complaints."""
    groups: dict[str, int] = {}
    if all(g in row for g in oc.GROUP_LABELS):
        for g in oc.GROUP_LABELS:
            n = as_int(row.get(g))
            if n is None:
                return None
            groups[g] = n
    else:
        counts = {code: as_int(row.get(code)) for code in oc.OUTCOMES}
        if any(v is None for v in counts.values()):
            return None
        groups = dict.fromkeys(oc.GROUP_LABELS, 0)
        for code, n in counts.items():
            groups[oc.OUTCOME_GROUPS[code]] += n or 0
    total = sum(groups.values())
    rows = [{"label": oc.GROUP_LABELS[g], "count": groups[g]} for g in oc.GROUP_LABELS]

    what = {
        oc.NOT_FOR_US: f"not for us to look at (referred back to the {noun}, incomplete or "
        "invalid, or given advice)",
        oc.ASSESSED_AND_CLOSED: "assessed and closed after initial enquiries",
        oc.INVESTIGATED: "investigated in detail",
    }
    had = [(groups[g], what[g]) for g in (oc.NOT_FOR_US, oc.ASSESSED_AND_CLOSED, oc.INVESTIGATED)]
    had = [(n, text) for n, text in had if n]
    about = f"We dealt with {count_text(total, 'complaint')} about the {noun} this year"
    if not total:
        sentence = f"We did not deal with any complaints about the {noun} this year."
    elif len(had) == 1:
        every = "it was" if total == 1 else "both were" if total == 2 else "all of them were"
        sentence = f"{about}: {every} {had[0][1]}."
    else:
        parts = [f"{number_text(n)} {'was' if n == 1 else 'were'} {text}" for n, text in had]
        sentence = f"{about}: " + "; ".join(parts[:-1]) + f"; and {parts[-1]}."
    return Fields(
        "dealt_with",
        {
            "total": total,
            "not_for_us": groups[oc.NOT_FOR_US],
            "assessed_and_closed": groups[oc.ASSESSED_AND_CLOSED],
            "investigated": groups[oc.INVESTIGATED],
            "rows": rows,
            "sentence": sentence,
        },
    )


def category_rows(counts: Mapping[str, int] | None) -> list[dict[str, Any]]:
    """Decisions by category in the published order (others after, by name); zeros left out."""
    if not counts:
        return []
    order = {c: i for i, c in enumerate(oc.CATEGORIES)}
    names = sorted((c for c, n in counts.items() if n), key=lambda c: (order.get(c, len(order)), c))
    return [{"name": c, "count": int(counts[c])} for c in names]


# --------------------------------------------------------------------------- fair comparisons


def peer_phrase(
    comparison: str | None, denominator: int | None, singular: str, plural: str | None = None
) -> str:
    """How a rate compares with similar councils (its ``*_comparison``), in plain words:
    ``"higher than similar councils, more than chance would explain with 57 investigations"``,
    ``"not clearly different from similar councils: four investigations are too few to tell"``;
    ``""`` where there is no comparison (no group, no cases, no peers)."""
    if not comparison or denominator is None or denominator <= 0:
        return ""
    cases = count_text(denominator, singular, plural)  # in prose: "four investigations"
    if comparison in ("higher", "lower"):
        return f"{comparison} than similar councils, more than chance would explain with {cases}"
    if comparison == "too few cases":
        return (
            f"not clearly different from similar councils: {cases} "
            f"{'is' if denominator == 1 else 'are'} too few to tell"
        )
    if comparison == "similar":
        return (
            f"not clearly different from similar councils: with {cases}, the difference is "
            "within what chance would explain"
        )
    return ""


def peer_sentence(
    comparison: str | None,
    denominator: int | None,
    peer_rate: float | None,
    singular: str,
    plural: str | None = None,
) -> str:
    """The comparison with the council's peers as a sentence: ``"Taking the other similar
    councils' cases together (82%), this figure is higher than similar councils, more than
    chance would explain with 57 investigations."``; ``""`` without a comparison."""
    phrase = peer_phrase(comparison, denominator, singular, plural)
    if not phrase or peer_rate is None or missing(peer_rate):
        return ""
    return (
        f"Taking the other similar councils' cases together ({format_percent(peer_rate)}), "
        f"this figure is {phrase}."
    )


def interval_text(low: float | None, high: float | None) -> str:
    """A 95% interval in prose: ``"54% to 78%"``; ``""`` when unknown."""
    if low is None or high is None or missing(low) or missing(high):
        return ""
    return f"{format_percent(low)} to {format_percent(high)}"
