"""Header aliases: the one table of how real files name each column, and the matcher.

Headers are compared case-, space- and punctuation-insensitively (``"Case Ref."`` equals
``"case ref"``); a user can map any field to any header with ``--map FIELD=HEADER``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..errors import UsageError

# How many rows at the top of a sheet may hold titles before the header row.
HEADER_SEARCH_ROWS = 30
# The fields whose cells are dates.
DATE_FIELDS = ("decision_date", "received_date", "date_recorded")

# Field → the header spellings met in real files. Each spelling belongs to one field only.
ALIASES: dict[str, tuple[str, ...]] = {
    "reference": (
        "case reference",
        "reference",
        "ref",
        "case ref",
        "case number",
        "case no",
        "case id",
        "complaint reference",
        "our reference",
    ),
    "authority": (
        "authority",
        "council",
        "organisation",
        "organization",
        "authority name",
        "council name",
        "organisation name",
        "local authority",
        "body",
    ),
    "decision_date": (
        "decision date",
        "date decided",
        "decided",
        "date of decision",
        "decided date",
        "final decision date",
    ),
    "outcome": ("decision", "outcome", "decision outcome", "final decision"),
    "remedy_by_authority": (
        "remedy provided by authority",
        "satisfactory remedy provided by authority",
        "remedied by authority",
        "remedy by authority",
        "satisfactory remedy",
        "satisfactory remedy by authority",
        "remedy provided by council",
    ),
    "category": ("category", "service area", "subject", "service", "subject category"),
    "received_date": ("received date", "date received", "received"),
    "date_recorded": (
        "date recorded",
        "recorded date",
        "compliance date",
        "date compliance recorded",
        "compliance recorded",
    ),
    "compliance_outcome": (
        "compliance outcome",
        "compliance",
        "compliance status",
        "compliance decision",
    ),
    "authority_type": ("authority type", "council type", "type", "organisation type"),
    "year": ("year", "period", "financial year", "business year", "reporting year"),
    # Population tables (for upheld decisions per 100,000 residents).
    "gss_code": ("gss code", "code", "ons code", "la code", "lad code", "area code"),
    "population": (
        "population",
        "residents",
        "mid year population",
        "mid-year estimate",
        "population estimate",
    ),
    # Counts in the Ombudsman's published per-authority tables.
    "advice_given": ("advice given",),
    "closed_after_initial_enquiries": (
        "closed after initial enquiries",
        "closed after initial enquiry",
    ),
    "incomplete_invalid": (
        "incomplete invalid",
        "incomplete/invalid",
        "invalid or incomplete",
        "incomplete or invalid",
    ),
    "referred_back": ("referred back for local resolution", "referred back"),
    "not_upheld": ("not upheld",),
    "upheld": ("upheld",),
    "complied": ("complied", "complied on time"),
    "complied_late": ("complied late",),
    "not_complied": ("not complied",),
}

FIELDS: tuple[str, ...] = tuple(ALIASES)


def header_key(text: object) -> str:
    """``"Case Ref."`` → ``"caseref"``: lower case, ``&`` as ``and``, only letters and digits."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower().replace("&", "and"))


_KEY_TO_FIELD: dict[str, str] = {}
for _field, _spellings in ALIASES.items():
    for _spelling in (_field, *_spellings):
        _key = header_key(_spelling)
        if _KEY_TO_FIELD.setdefault(_key, _field) != _field:  # pragma: no cover - table check
            raise AssertionError(f"alias {_spelling!r} names two fields")


def field_for(header: object) -> str | None:
    """The field a header names, or None."""
    if header is None:
        return None
    return _KEY_TO_FIELD.get(header_key(header))


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["outcome=Result", "authority=Body name"]`` → ``{"outcome": "Result", ...}``."""
    out: dict[str, str] = {}
    for item in items:
        field, sep, header = item.partition("=")
        field = field.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not header.strip():
            raise UsageError(f"--map {item!r}: write it as FIELD=HEADER, e.g. outcome=Result")
        if field not in ALIASES:
            raise UsageError(
                f"--map {item!r}: unknown field {field!r}; fields: {', '.join(FIELDS)}"
            )
        out[field] = header.strip()
    return out


def match_headers(
    headers: list[object], mapping: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Field → column index for a header row. Explicit ``mapping`` wins over aliases; the first
    column wins when two name the same field (the caller may report the duplicate)."""
    found: dict[str, int] = {}
    mapped_keys = {header_key(h): f for f, h in (mapping or {}).items()}
    for i, h in enumerate(headers):
        if h is None:
            continue
        key = header_key(h)
        field = mapped_keys.get(key)
        if field is None:
            field = _KEY_TO_FIELD.get(key)
            if field is not None and mapping and field in mapping:
                continue  # the user pointed this field at another column
        if field is not None and field not in found:
            found[field] = i
    return found


def duplicate_fields(
    headers: list[object], mapping: Mapping[str, str] | None = None
) -> dict[str, list[int]]:
    """Fields named by more than one column: field → column indexes."""
    seen: dict[str, list[int]] = {}
    mapped_keys = {header_key(h): f for f, h in (mapping or {}).items()}
    for i, h in enumerate(headers):
        if h is None:
            continue
        key = header_key(h)
        field = mapped_keys.get(key) or _KEY_TO_FIELD.get(key)
        if field:
            seen.setdefault(field, []).append(i)
    return {f: cols for f, cols in seen.items() if len(cols) > 1}


def find_header_row(
    rows: Sequence[Sequence[object]], mapping: Mapping[str, str] | None
) -> int | None:
    """Index of the first row with at least two recognised headers (the most, if several),
    among the first :data:`HEADER_SEARCH_ROWS`."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = len(match_headers(list(row), mapping))
        if score > best_score:
            best, best_score = i, score
            if score >= 4:
                break
    return best


def date_columns(
    rows: Sequence[Sequence[object]], mapping: Mapping[str, str] | None
) -> tuple[int, list[int]] | None:
    """The header row's index among a sheet's first rows and the positions of its date
    columns, or None if no header row is found."""
    h = find_header_row(rows, mapping)
    if h is None:
        return None
    fields = match_headers(list(rows[h]), mapping)
    return h, sorted(fields[f] for f in DATE_FIELDS if f in fields)
