"""Every field of one council's letter for one year (:func:`letter_context`), from its figures,
its decisions by category, its contact and the run's settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import outcomes as oc
from ..councils import slugify
from ..rounding import format_number, format_percent
from ..small_groups import MIN_OTHERS
from .fields import (
    DEFAULT_JOB_TITLE,
    OMBUDSMAN,
    OMBUDSMAN_HEADING,
    Contact,
    Fields,
    Settings,
    as_float,
    as_int,
)
from .wording import (
    and_list,
    category_rows,
    comparison,
    compliance_sentence,
    dealt_with,
    format_date,
    group_plural,
    group_sentence,
    interval_text,
    of_text,
    peer_phrase,
    peer_sentence,
    per_100k_sentence,
    remedy_sentence,
    small_number_note,
    title_year,
    uphold_sentence,
    year_end_text,
)


def addressee(council: str, contact: Contact | None) -> Fields:
    """Name, job title, organisation and salutation, and who else the letter is shared with
    (the contacts file's "shared with" or "cc" columns); without a contact, the Chief
    Executive."""
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
                "shared_with": [],
                "shared_with_text": "",
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
            "shared_with": list(contact.shared_with),
            "shared_with_text": and_list(contact.shared_with),
        },
    )


# The average column's cell for a figure too few other councils have (see group_sentence).
NO_COMPARISON = "no comparison"

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
        "Satisfactory remedies provided by the {noun}",
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
    who: str,
) -> dict[str, Any]:
    value, group_value = as_float(row.get(rate_col)), as_float(row.get(f"group_{rate_col}"))
    numerator, denominator = as_int(row.get(num)), as_int(row.get(den))
    if numerator is None and value is not None and value == value:
        # a rate published without its counts (with the number of cases, where given)
        of = f" (of {denominator:,})" if denominator else ""
        shown = f"{format_percent(value)}{of}, as published"
    elif denominator is None or numerator is None:  # a count not reported
        shown = "not reported"
    elif denominator == 0:
        shown = {
            "uphold": "no investigations",
            "compliance": "none recorded",
            "remedy": "none upheld",
        }[key]
    else:
        shown = f"{format_percent(value)} ({of_text(numerator, denominator)})"
    # in a group, with a figure of its own, but no group figure: too few other councils
    alone = bool(row.get("in_group")) and value is not None and group_value is None
    if not row.get("in_group"):
        group_text = ""
    elif alone:
        group_text = NO_COMPARISON
    else:
        group_text = format_percent(group_value)
    return {
        "label": label.format(noun=who),
        "value": value,
        "text": format_percent(value),
        "numerator": numerator,
        "denominator": denominator,
        "counts": of_text(numerator, denominator),
        "shown": shown,
        "small": bool(small_number_note(denominator, noun)),
        "basis": small_number_note(denominator, noun),
        "group_value": group_value,
        "group_text": group_text,
        "group_councils": as_int(row.get(councils_col)),
        "alone": alone,
        "comparison": comparison(value, group_value) or "",
        **_peer(row, key, noun, denominator),
    }


def _peer(row: Mapping[str, Any], key: str, noun: str, denominator: int | None) -> dict[str, Any]:
    """A figure's fair comparison (issue 15): its 95% interval, the pooled rate of the other
    councils of its group, the exact test's p-value and word, and the words for a letter."""
    low, high = as_float(row.get(f"{key}_rate_low")), as_float(row.get(f"{key}_rate_high"))
    peer = as_float(row.get(f"{key}_peer_rate"))
    word = row.get(f"{key}_comparison")
    word = word if isinstance(word, str) else ""
    return {
        "interval_low": low,
        "interval_high": high,
        "interval_text": interval_text(low, high),
        "peer_rate": peer,
        "peer_text": format_percent(peer) if peer is not None else "",
        "p_value": as_float(row.get(f"{key}_p_value")),
        "peer_comparison": word,
        "peer_phrase": peer_phrase(word, denominator, noun),
        "peer_sentence": peer_sentence(word, denominator, peer, noun),
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
    # A body outside the register (Transport for London, a fire authority) is not a council.
    noun = "council" if row.get("gss_code") else "authority"
    stats = {s[0]: _stat(row, *s, noun) for s in _STATS}
    upheld, population = as_int(row.get("upheld")), as_int(row.get("population"))
    per_100k = as_float(row.get("upheld_per_100k"))
    per_100k_group = as_float(row.get("group_upheld_per_100k"))
    per_100k_alone = in_group and per_100k is not None and per_100k_group is None
    source = row.get("population_source") if isinstance(row.get("population_source"), str) else None
    is_council = isinstance(row.get("gss_code"), str) and bool(row.get("gss_code"))
    stats["uphold"]["sentence"] = uphold_sentence(
        upheld,
        as_int(row.get("investigations")),
        stats["uphold"]["value"],
        stats["uphold"]["group_value"],
        noun=noun,
    )
    stats["remedy"]["sentence"] = remedy_sentence(
        as_int(row.get("remedy_by_authority")),
        upheld,
        stats["remedy"]["value"],
        stats["remedy"]["group_value"],
        noun=noun,
    )
    stats["compliance"]["sentence"] = compliance_sentence(
        as_int(row.get("complied_total")),
        as_int(row.get(oc.COMPLIED_LATE)),
        as_int(row.get("compliance_outcomes")),
        stats["compliance"]["value"],
        stats["compliance"]["group_value"],
        noun=noun,
    )
    small = [
        f"the figure for {s['label'].lower()} is {s['basis']}" for s in stats.values() if s["small"]
    ]
    councils = {
        "uphold": as_int(row.get("group_uphold_councils")),
        "compliance": as_int(row.get("group_compliance_councils")),
        "remedy": as_int(row.get("group_remedy_councils")),
        "per_100k": as_int(row.get("group_per_100k_councils")),
    }
    alone = {k: bool(stats[k]["alone"]) for k in ("uphold", "compliance", "remedy")}
    alone["per_100k"] = per_100k_alone
    members = as_int(row.get("group_councils"))
    # a group figure to compare with for at least one of the council's figures
    compared = in_group and not all(alone.values()) and (members or 0) - 1 >= MIN_OTHERS
    breakdown = dealt_with(row, noun=noun)
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
                "noun": noun,
                "nouns": "councils" if noun == "council" else "authorities",
                "group_note": row.get("group_note") or "",
                "population": population,
                "population_text": f"{population:,}" if population else "",
                "population_year": as_int(row.get("population_year")),
                "population_source": source or "",
            },
            "addressee": addressee(name, contact),
            "signatory": {
                "name": settings.signatory or "",
                "title": settings.signatory_title,
                "lines": signatory_lines,
            },
            "counts": {
                "decisions": as_int(row.get("decisions")),
                **{code: as_int(row.get(code)) for code in oc.OUTCOMES},
                "investigations": as_int(row.get("investigations")),
                "remedy_by_authority": as_int(row.get("remedy_by_authority")),
                "compliance_outcomes": as_int(row.get("compliance_outcomes")),
                **{code: as_int(row.get(code)) for code in oc.COMPLIANCE_OUTCOMES},
            },
            "stats": stats,
            "per_100k": {
                "value": per_100k,
                # n/a for a council with no population estimate for the year; nothing for a
                # body outside the register (it has no population to measure against)
                "text": format_number(per_100k) if population or is_council else "",
                "group_value": per_100k_group,
                "group_text": (NO_COMPARISON if per_100k_alone else format_number(per_100k_group))
                if in_group
                else "",
                "group_councils": councils["per_100k"],
                "alone": per_100k_alone,
                "population_year": as_int(row.get("population_year")),
                "source": source or "",
                "sentence": per_100k_sentence(
                    upheld,
                    population,
                    per_100k,
                    source=source,
                    benchmark=per_100k_group,
                    year=year,
                    council=is_council,
                    noun=noun,
                ),
            },
            "average": {
                "kind": settings.average,
                "column": (f"Average of {group_plural(group)}" if in_group and group else ""),
                "compared": compared,
                "sentence": group_sentence(
                    group,
                    in_group,
                    settings.average,
                    year,
                    councils,
                    row.get("group_note") or None,
                    members,
                    alone,
                    noun=noun,
                ),
                "councils": members,
            },
            "small_numbers": {
                "any": bool(small),
                "sentence": (
                    "Some of these figures rest on very few cases, and a single complaint moves "
                    "them a long way: " + "; ".join(small) + "."
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
