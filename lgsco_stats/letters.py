"""Annual review letters: the facts and sentences a letter template fills in.

Everything here is pure: :func:`letter_context` takes one council-year's figures (a record of
:data:`lgsco_stats.figures.FIGURE_COLUMNS`), its decisions by category, its contact and the
letter's settings, and returns :class:`Fields` (nested dicts) for a Jinja2 template. Each rule
that chooses wording from the figures is a small function of its own (``*_sentence``,
:func:`comparison`), so that it can be tested alone. Rendering the template and writing Word or PDF
files live in :mod:`lgsco_stats.letter_render`, :mod:`lgsco_stats.letter_docx` and
:mod:`lgsco_stats.letter_pdf`.

The default templates say what the Ombudsman's letters say, in our own words; every percentage
is shown by :func:`lgsco_stats.rounding.format_percent` (whole percent, halves up).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import outcomes as oc
from .councils import GROUP_LABELS, GROUPS, slugify
from .figures import SMALL_NUMBER
from .rounding import format_number, format_percent, shown_difference
from .years import start_year

OMBUDSMAN = "Local Government and Social Care Ombudsman"
OMBUDSMAN_HEADING = "Local Government & Social Care Ombudsman"
DEFAULT_JOB_TITLE = "Chief Executive"

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


@dataclass(frozen=True)
class Contact:
    """Who a council's letter goes to (one row of a contacts file)."""

    name: str
    job_title: str = DEFAULT_JOB_TITLE
    email: str | None = None


@dataclass(frozen=True)
class Settings:
    """What every letter of a run shares: its date and who signs it."""

    date: dt.date
    signatory: str | None = None
    signatory_title: str = OMBUDSMAN
    average: str = "mean"


class Fields(dict[str, Any]):
    """A dict of letter fields that knows its own dotted path (``council``, ``stats.uphold``), so
    that a template asking for a field that is not there can be told which one."""

    def __init__(self, path: str, values: Mapping[str, Any]) -> None:
        super().__init__()
        self.path = path
        for key, value in values.items():
            self[key] = _wrap(f"{path}.{key}" if path else key, value)


def _wrap(path: str, value: Any) -> Any:
    if isinstance(value, Fields):
        return value
    if isinstance(value, Mapping):
        return Fields(path, value)
    if isinstance(value, list):
        return [_wrap(f"{path}[{i}]", v) for i, v in enumerate(value)]
    return value


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
    """``"based on 3 investigations"`` when a rate rests on fewer than ``SMALL_NUMBER`` cases
    (and at least one); ``""`` otherwise."""
    if denominator is None or not 0 < denominator < SMALL_NUMBER:
        return ""
    noun = singular if denominator == 1 else plural or singular + "s"
    return f"based on {denominator} {noun}"


def _care(note: str) -> str:
    return f" This figure is {note}, too few to read much into." if note else ""


def uphold_sentence(
    upheld: int | None, investigations: int | None, rate: float | None, benchmark: float | None
) -> str:
    """The uphold rate in words. No detailed investigations in the year → say so, never 0% or
    n/a."""
    if upheld is None or investigations is None:
        return "The data for the year do not say how many complaints we upheld."
    if investigations == 0:
        return (
            "We did not investigate any complaints about the council in detail this year, so "
            "there is no uphold rate to report."
        )
    counts = of_text(upheld, investigations)
    if investigations == 1:
        verdict = "upheld it" if upheld else "did not uphold it"
        text = (
            f"We investigated one complaint about the council in detail and {verdict} "
            f"({counts}, {format_percent(rate)})."
        )
    else:
        text = (
            f"We investigated {count_text(investigations, 'complaint')} about the council in "
            f"detail and upheld {format_percent(rate)} of them ({counts})."
        )
    note = small_number_note(investigations, "investigation")
    return " ".join(s for s in (text + _care(note), comparison_sentence(rate, benchmark)) if s)


def remedy_sentence(
    remedied: int | None, upheld: int | None, rate: float | None, benchmark: float | None
) -> str:
    """Upheld complaints the council had already put right before they reached us."""
    if remedied is None or upheld is None:
        return "The data for the year do not say how many complaints the council had remedied."
    if upheld == 0:
        return (
            "As we upheld no complaints about the council this year, there is no "
            "satisfactory remedy rate to report."
        )
    if remedied == 0:
        text = (
            "In none of the complaints we upheld had the council already offered a remedy "
            f"we found satisfactory before the complaint came to us (0 of {upheld:,}, 0%)."
        )
    else:
        text = (
            f"In {format_percent(rate)} of the complaints we upheld "
            f"({of_text(remedied, upheld)}), the council had already accepted it was at fault "
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
) -> str:
    """Compliance with our recommendations. Every one carried out → welcomed; any not carried
    out → how many, and a request to learn from them. Decided on the counts, not the rounded
    rate: 199 of 200 shows as 100% but one case was still not complied with."""
    if complied is None or outcomes is None:
        return (
            "The data for the year do not say whether the council carried out our recommendations."
        )
    if outcomes == 0:
        return (
            "We did not record the outcome of any recommendation to the council this year, so "
            "there is no compliance rate to report."
        )
    missed = outcomes - complied
    late_text = f", {number_text(late)} of them late" if late else ""
    if missed == 0:
        text = (
            f"The council carried out our recommendations in every one of the "
            f"{count_text(outcomes, 'case')} whose outcome we recorded this year "
            f"({format_percent(rate)}{late_text}). We welcome this, and thank the council for "
            "acting on what we asked."
        )
    else:
        text = (
            f"The council carried out our recommendations in {format_percent(rate)} of the "
            f"cases whose outcome we recorded this year ({of_text(complied, outcomes)}"
            f"{late_text}). In {count_text(missed, 'case')} it did not. We ask the council to "
            f"look again at {'that case' if missed == 1 else 'those cases'}, to find out why "
            "our recommendations were not carried out, and to learn from "
            f"{'it' if missed == 1 else 'them'} so that it does not happen again."
        )
    note = small_number_note(outcomes, "recorded outcome")
    return " ".join(s for s in (text + _care(note), comparison_sentence(rate, benchmark)) if s)


def per_100k_sentence(upheld: int | None, population: int | None, per_100k: float | None) -> str:
    """Upheld decisions per 100,000 residents, where the population is known; ``""`` otherwise."""
    if upheld is None or not population or per_100k is None or _missing(per_100k):
        return ""
    return (
        f"Measured against the number of people the council serves, we upheld "
        f"{format_number(per_100k)} complaints for every 100,000 residents "
        f"({upheld:,} upheld, population {population:,})."
    )


def average_phrase(average: str) -> str:
    """How "the average of similar authorities" is taken: the mean of the member councils' rates
    (councils with no cases left out) or the pooled rate of all their cases."""
    if average == "pooled":
        return "the pooled rate: all the group's cases taken together"
    return "the mean of the councils' own rates, leaving out councils with no cases"


def group_sentence(
    group: str | None,
    in_group: bool,
    average: str,
    year: str,
    councils: Mapping[str, int | None],
    note: str | None = None,
    members: int | None = None,
) -> str:
    """Which authorities the council is compared with and how their average is taken (and over
    how many councils each figure's average runs); for a body in no comparison group, a sentence
    saying so and no average."""
    if group is None or not in_group:
        why = f" ({note})" if note else ""
        names = ", ".join(group_plural(g) for g in GROUPS[:-1]) + f" and {group_plural(GROUPS[-1])}"
        return (
            f"We compare councils with similar authorities ({names}). The council is in none "
            f"of these groups in {year}{why}, so this letter gives its own figures without an "
            "average to compare them with."
        )
    size = f"the {members:,} {group_plural(group)}" if members else f"the {group_plural(group)}"
    n = {k: ("?" if v is None else f"{v:,}") for k, v in councils.items()}
    over = (
        f"{n.get('uphold')} councils for complaints upheld, {n.get('compliance')} for "
        f"compliance and {n.get('remedy')} for remedies"
    )
    return (
        f"We compare each figure with the average for similar authorities: {size} with "
        f"decisions in {year}. The average is {average_phrase(average)} ({over})."
    )


def dealt_with(row: Mapping[str, Any]) -> Fields | None:
    """The complaints dealt with in the year by the Ombudsman's 2024-25 grouping (not for us,
    assessed and closed, investigated); None when any outcome count is not reported."""
    counts = {code: _int(row.get(code)) for code in oc.OUTCOMES}
    if any(v is None for v in counts.values()):
        return None
    groups = dict.fromkeys(oc.GROUP_LABELS, 0)
    for code, n in counts.items():
        groups[oc.OUTCOME_GROUPS[code]] += n or 0
    total = sum(groups.values())
    rows = [{"label": oc.GROUP_LABELS[g], "count": groups[g]} for g in oc.GROUP_LABELS]

    def were(n: int) -> str:
        return f"{n:,} {'was' if n == 1 else 'were'}"

    parts = [
        f"{were(groups[oc.NOT_FOR_US])} not for us to look at (referred back to the council, "
        "incomplete or invalid, or given advice)",
        f"{were(groups[oc.ASSESSED_AND_CLOSED])} assessed and closed after initial enquiries",
        f"{were(groups[oc.INVESTIGATED])} investigated in detail",
    ]
    sentence = (
        (
            f"We dealt with {count_text(total, 'complaint')} about the council this year: "
            + "; ".join(parts[:-1])
            + f"; and {parts[-1]}."
        )
        if total
        else ("We did not deal with any complaints about the council this year.")
    )
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


def addressee(council: str, contact: Contact | None) -> Fields:
    """Name, job title, organisation and salutation; without a contact, the Chief Executive."""
    if contact is None:
        lines = [f"The {DEFAULT_JOB_TITLE}", council]
        return Fields(
            "addressee",
            {
                "name": "",
                "job_title": DEFAULT_JOB_TITLE,
                "email": "",
                "organisation": council,
                "lines": lines,
                "salutation": f"Dear {DEFAULT_JOB_TITLE}",
            },
        )
    lines = [contact.name, contact.job_title or DEFAULT_JOB_TITLE, council]
    if contact.email:
        lines.append(contact.email)
    return Fields(
        "addressee",
        {
            "name": contact.name,
            "job_title": contact.job_title or DEFAULT_JOB_TITLE,
            "email": contact.email or "",
            "organisation": council,
            "lines": lines,
            "salutation": f"Dear {contact.name}",
        },
    )


# --------------------------------------------------------------------------- the context


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(math.isnan(v))
    except TypeError:
        return str(v) in ("<NA>", "NaT", "nan")


def _int(v: Any) -> int | None:
    return None if _missing(v) else int(v)


def _float(v: Any) -> float | None:
    return None if _missing(v) else float(v)


_STATS = (
    # key, label, rate column, numerator, denominator, group councils column
    (
        "uphold",
        "Complaints upheld",
        "uphold_rate",
        "upheld",
        "investigations",
        "investigation",
        "group_uphold_councils",
    ),
    (
        "compliance",
        "Compliance with our recommendations",
        "compliance_rate",
        "complied_total",
        "compliance_outcomes",
        "recorded outcome",
        "group_compliance_councils",
    ),
    (
        "remedy",
        "Satisfactory remedies provided by the council",
        "remedy_rate",
        "remedy_by_authority",
        "upheld",
        "upheld complaint",
        "group_remedy_councils",
    ),
)


def _stat(
    row: Mapping[str, Any],
    key: str,
    label: str,
    rate_col: str,
    num: str,
    den: str,
    noun: str,
    councils_col: str,
) -> dict[str, Any]:
    value, group_value = _float(row.get(rate_col)), _float(row.get(f"group_{rate_col}"))
    numerator, denominator = _int(row.get(num)), _int(row.get(den))
    if denominator is None:
        shown = "not reported"
    elif denominator == 0:
        shown = {
            "uphold": "no investigations",
            "compliance": "none recorded",
            "remedy": "none upheld",
        }[key]
    else:
        shown = f"{format_percent(value)} ({of_text(numerator, denominator)})"
    return {
        "label": label,
        "value": value,
        "text": format_percent(value),
        "numerator": numerator,
        "denominator": denominator,
        "counts": of_text(numerator, denominator),
        "shown": shown,
        "small": bool(small_number_note(denominator, noun)),
        "basis": small_number_note(denominator, noun),
        "group_value": group_value,
        "group_text": format_percent(group_value) if row.get("in_group") else "",
        "group_councils": _int(row.get(councils_col)),
        "comparison": comparison(value, group_value) or "",
    }


def letter_context(
    row: Mapping[str, Any],
    settings: Settings,
    *,
    contact: Contact | None = None,
    categories: Mapping[str, int] | None = None,
    received: Mapping[str, int] | None = None,
) -> Fields:
    """Every field of one council's letter for one year.

    Parameters
    ----------
    row : one record of :func:`lgsco_stats.figures.council_figures` (``FIGURE_COLUMNS``; missing
        values as None or NaN).
    settings : the letter date, signatory and which average the figures used.
    contact : the council's chief executive (None: "The Chief Executive").
    categories : decisions in the year by category (case-level data only; None if unknown).
    received : complaints received in the year by category (published tables; None if unknown).

    Returns
    -------
    :class:`Fields`; ``lgsco-stats letter --fields`` lists them all.
    """
    year = str(row["year"])
    name = str(row["council"])
    group = row.get("type") if isinstance(row.get("type"), str) else None
    in_group = bool(row.get("in_group")) and group is not None
    stats = {s[0]: _stat(row, *s) for s in _STATS}
    upheld, population = _int(row.get("upheld")), _int(row.get("population"))
    per_100k = _float(row.get("upheld_per_100k"))
    stats["uphold"]["sentence"] = uphold_sentence(
        upheld,
        _int(row.get("investigations")),
        stats["uphold"]["value"],
        stats["uphold"]["group_value"],
    )
    stats["remedy"]["sentence"] = remedy_sentence(
        _int(row.get("remedy_by_authority")),
        upheld,
        stats["remedy"]["value"],
        stats["remedy"]["group_value"],
    )
    stats["compliance"]["sentence"] = compliance_sentence(
        _int(row.get("complied_total")),
        _int(row.get(oc.COMPLIED_LATE)),
        _int(row.get("compliance_outcomes")),
        stats["compliance"]["value"],
        stats["compliance"]["group_value"],
    )
    small = [f"{s['label'].lower()} {s['basis']}" for s in stats.values() if s["small"]]
    councils = {
        "uphold": _int(row.get("group_uphold_councils")),
        "compliance": _int(row.get("group_compliance_councils")),
        "remedy": _int(row.get("group_remedy_councils")),
    }
    breakdown = dealt_with(row)
    cats = category_rows(categories)
    signatory_lines = [s for s in (settings.signatory, *settings.signatory_title.split(";")) if s]
    return Fields(
        "",
        {
            "ombudsman": {"name": OMBUDSMAN, "heading": OMBUDSMAN_HEADING},
            "letter": {
                "date": format_date(settings.date),
                "date_iso": settings.date.isoformat(),
                "title": f"Annual Review letter {title_year(year)}",
                "year": year,
                "year_end": year_end_text(year),
                "file_stem": f"{slugify(name)}-{year}",
            },
            "council": {
                "name": name,
                "gss_code": row.get("gss_code") or "",
                "group": group or "",
                "group_label": group_plural(group) if group else "",
                "in_group": in_group,
                "group_note": row.get("group_note") or "",
                "population": population,
                "population_text": f"{population:,}" if population else "",
            },
            "addressee": addressee(name, contact),
            "signatory": {
                "name": settings.signatory or "",
                "title": settings.signatory_title,
                "lines": signatory_lines,
            },
            "counts": {
                "decisions": _int(row.get("decisions")),
                **{code: _int(row.get(code)) for code in oc.OUTCOMES},
                "investigations": _int(row.get("investigations")),
                "remedy_by_authority": _int(row.get("remedy_by_authority")),
                "compliance_outcomes": _int(row.get("compliance_outcomes")),
                **{code: _int(row.get(code)) for code in oc.COMPLIANCE_OUTCOMES},
            },
            "stats": stats,
            "per_100k": {
                "value": per_100k,
                "text": format_number(per_100k) if population else "",
                "sentence": per_100k_sentence(upheld, population, per_100k),
            },
            "average": {
                "kind": settings.average,
                "column": (f"Average of {group_plural(group)}" if in_group and group else ""),
                "sentence": group_sentence(
                    group,
                    in_group,
                    settings.average,
                    year,
                    councils,
                    row.get("group_note") or None,
                    _int(row.get("group_councils")),
                ),
                "councils": _int(row.get("group_councils")),
            },
            "small_numbers": {
                "any": bool(small),
                "sentence": (
                    "Some of these figures rest on very few cases ("
                    + "; ".join(small)
                    + "): a single complaint moves them a long way."
                    if small
                    else ""
                ),
            },
            "dealt_with": breakdown
            if breakdown is not None
            else {
                "total": None,
                "not_for_us": None,
                "assessed_and_closed": None,
                "investigated": None,
                "rows": [],
                "sentence": "",
            },
            "categories": cats,
            "received": category_rows(received),
        },
    )


def flatten(fields: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """Every leaf field as ``(dotted.path, value)``; lists of records show their first record
    as ``name[0].field`` (and an empty list as itself)."""
    for key, value in fields.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            yield from flatten(value, path)
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            yield path, f"list of {len(value)}"
            yield from flatten(value[0], f"{path}[0]")
        else:
            yield path, value
