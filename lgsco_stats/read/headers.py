"""Header aliases: the one table of how real files name each column, and the matcher.

Headers are read the way a person reads them, so that one short table of aliases covers the
ways publishers write each name:

- case, spaces and punctuation do not matter (``"Case Ref."`` is ``"case ref"``);
- a qualifier in brackets is dropped (``"Remedy provided by authority (Y/N)"``,
  ``"Authority (LGSCO name)"``), but a ``%`` anywhere makes a header a rate
  (``"Upheld (%)"`` and ``"% upheld"`` are the uphold rate, ``"Upheld"`` the count);
- ``"No."``, ``"number of"`` and ``"the"`` are dropped (``"No. of complaints upheld"``);
- council, authority and organisation are one word (``"Satisfactory remedy provided by
  council"`` is ``"satisfactory remedy provided by authority"``);
- a header under a merged group heading is read with it when it means nothing alone
  (``"No."`` and ``"%"`` under ``"Upheld"`` are the upheld count and the uphold rate).

A user can map any field to any header with ``--map FIELD=HEADER``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from ..errors import UsageError

# How many rows at the top of a sheet may hold titles before the header row.
HEADER_SEARCH_ROWS = 30
# The fields whose cells are dates; ``date`` is a date column whose meaning the kind of sheet
# decides (the decision date of decisions, the date recorded of compliance outcomes).
DATE_FIELDS = ("decision_date", "received_date", "date_recorded", "date")

# Field → the header spellings met in real files, as the matcher sees them (see the module's
# docstring: "Council name" and "Organisation name" need no entry of their own). Each spelling
# belongs to one field only.
ALIASES: dict[str, tuple[str, ...]] = {
    "reference": (
        "case reference",
        "reference",
        "ref",
        "case ref",
        "case number",
        "case no",
        "case id",
        "case",
        "complaint reference",
        "our reference",
        "our ref",
        "lgsco reference",
    ),
    "authority": ("authority", "authority name", "local authority", "body", "body name"),
    "decision_date": (
        "decision date",
        "date decided",
        "decided",
        "date of decision",
        "decided date",
        "final decision date",
        "date closed",
        "closed date",
    ),
    "outcome": ("decision", "outcome", "decision outcome", "final decision", "result"),
    "remedy_by_authority": (
        "remedy provided by authority",
        "satisfactory remedy provided by authority",
        "remedied by authority",
        "remedy by authority",
        "satisfactory remedy",
        "satisfactory remedy by authority",
        "satisfactory remedies",
        "satisfactory remedies provided by authority",
        "authority remedied",
    ),
    "category": ("category", "service area", "subject", "service", "subject category"),
    "received_date": ("received date", "date received", "received"),
    "date_recorded": (
        "date recorded",
        "recorded date",
        "recorded",
        "recorded on",
        "compliance date",
        "date compliance recorded",
        "compliance recorded",
        "date of compliance",
        "compliance outcome date",
    ),
    "date": ("date", "dates"),
    "compliance_outcome": (
        "compliance outcome",
        "compliance",
        "compliance status",
        "compliance decision",
        "compliance result",
    ),
    "authority_type": ("authority type", "type", "organisation type"),
    "year": ("year", "period", "financial year", "business year", "reporting year"),
    # Population tables (for upheld decisions per 100,000 residents).
    "gss_code": ("gss code", "code", "ons code", "la code", "lad code", "area code"),
    "population": (
        "population",
        "residents",
        "mid year population",
        "mid year estimate",
        "population estimate",
    ),
    # Counts in the Ombudsman's published per-authority tables, in every vintage's words.
    "advice_given": ("advice given",),
    "closed_after_initial_enquiries": (
        "closed after initial enquiries",
        "closed after initial enquiry",
        "assessed and closed",  # 2024-25: the group of this one outcome
    ),
    "incomplete_invalid": (
        "incomplete invalid",
        "invalid or incomplete",
        "incomplete or invalid",
    ),
    "referred_back": ("referred back for local resolution", "referred back"),
    "not_upheld": ("not upheld", "investigated not upheld", "complaints not upheld"),
    "upheld": (
        "upheld",
        "investigated upheld",
        "complaints upheld",
        "upheld complaints",
        "upheld decisions",
        "decisions upheld",
    ),
    "investigated": (
        "investigated",
        "investigations",
        "detailed investigations",
        "complaints investigated",
    ),
    "not_for_us": ("not for us",),
    "dealt_with": (
        "complaints dealt with",
        "dealt with",
        "decisions",
        "total decisions",
        "decisions made",
        "total",
        "complaints decided",
        "all decisions",
    ),
    "complied": ("complied", "complied on time", "compliance on time"),
    "complied_late": ("complied late", "late compliance"),
    "complied_total": (
        "total complied",
        "complied total",
        "complied on time or late",
        "complied including late",
    ),
    "not_complied": ("not complied", "non compliance", "not complied with"),
    "compliance_outcomes": (
        "compliance outcomes",
        "compliance outcomes recorded",
    ),
    # Published rates (whole percents or fractions), read where a table has no counts.
    "uphold_rate": ("uphold rate", "upheld rate", "complaints upheld rate"),
    "remedy_rate": (
        "remedy rate",
        "satisfactory remedy rate",
        "satisfactory remedies rate",
        "satisfactory remedy provided by authority rate",
        "remedy provided by authority rate",
        "remedied by authority rate",
    ),
    "compliance_rate": (
        "compliance rate",
        "complied rate",
        "compliance with recommendations",
        "compliance with ombudsman recommendations",
    ),
}

FIELDS: tuple[str, ...] = tuple(ALIASES)

_QUALIFIER = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_PERCENT = re.compile(r"%|\bper ?cent(?:age)?\b")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER_OF = re.compile(r"\b(?:total )?(?:number|no|nos|num|count)\.?\s+of\b")
# Words that say a column is a count, dropped at either end ("No. upheld", "Upheld (number)")
_COUNT_WORDS = {"no", "nos", "num", "number", "count", "n"}
_SYNONYMS = {
    "council": "authority",
    "councils": "authority",
    "authorities": "authority",
    "organisation": "authority",
    "organisations": "authority",
    "organization": "authority",
    "organizations": "authority",
}
_DROPPED = {"the", "a", "an"}


def header_words(text: object) -> list[str]:
    """A header as the matcher reads it, word by word (see the module's docstring):
    ``"No. of the Council's complaints upheld (%)"`` → ``["authority", "complaints",
    "upheld", "rate"]``."""
    s = str(text).lower().replace("&", " and ").replace("’", "'").replace("'s", "")
    percent = bool(_PERCENT.search(s))
    s = _QUALIFIER.sub(" ", s)
    s = _NUMBER_OF.sub(" ", s)
    words = [_SYNONYMS.get(w, w) for w in _WORD.findall(s) if w not in _DROPPED]
    if percent:
        words = [w for w in words if w not in ("percent", "percentage", "per", "cent", "of")]
        if "rate" not in words:
            words.append("rate")
    while words and words[0] in _COUNT_WORDS:
        words = words[1:]
    while words and words[-1] in _COUNT_WORDS:
        words = words[:-1]
    return words


def header_key(text: object) -> str:
    """``"Case Ref."`` → ``"caseref"``: :func:`header_words` run together."""
    return "".join(header_words(text))


_KEY_TO_FIELD: dict[str, str] = {}
for _field, _spellings in ALIASES.items():
    for _spelling in (_field.replace("_", " "), *_spellings):
        _key = header_key(_spelling)
        if _KEY_TO_FIELD.setdefault(_key, _field) != _field:  # pragma: no cover - table check
            raise AssertionError(f"alias {_spelling!r} names two fields")


_RATES = ("uphold_rate", "remedy_rate", "compliance_rate")


def _lookup(text: str) -> str | None:
    words = header_words(text)
    field = _KEY_TO_FIELD.get("".join(words))
    if field is None and words[-1:] == ["rate"]:
        # "Compliance with recommendations (%)": a rate's name with a % beside it
        plain = _KEY_TO_FIELD.get("".join(words[:-1]))
        field = plain if plain in _RATES else None
    return field


def field_for(header: object, group: object = None) -> str | None:
    """The field a header names (read with its merged group heading when it means nothing
    alone), or None."""
    if header is None or not str(header).strip():
        return None
    field = _lookup(str(header))
    if field is None and group is not None:
        field = _lookup(f"{group} {header}")
    return field


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


def group_row(above: Sequence[object] | None, width: int) -> list[object]:
    """The merged group headings over each column, from the row above the header: a heading
    covers the blank cells to its right (a merged cell keeps its text in its first cell). A
    row whose only text is in its first cell is a title, not headings."""
    if not above:
        return [None] * width
    cells = [None if c is None or not str(c).strip() else c for c in above[:width]]
    cells += [None] * (width - len(cells))
    if not any(c is not None for c in cells[1:]):
        return [None] * width
    out: list[object] = []
    current: object = None
    for c in cells:
        current = c if c is not None else current
        out.append(current)
    return out


def column_fields(
    headers: Sequence[object],
    mapping: Mapping[str, str] | None = None,
    above: Sequence[object] | None = None,
) -> list[str | None]:
    """Each column's field (None: not understood). An explicit ``mapping`` wins over aliases;
    a column the mapping points a field away from is not that field."""
    mapped = {header_key(h): f for f, h in (mapping or {}).items()}
    groups = group_row(above, len(headers))
    out: list[str | None] = []
    for h, g in zip(headers, groups, strict=True):
        if h is None or not str(h).strip():
            out.append(None)
            continue
        field = mapped.get(header_key(h))
        if field is None:
            field = field_for(h, g)
            if field is not None and mapping and field in mapping:
                field = None  # the user pointed this field at another column
        out.append(field)
    return out


def match_headers(
    headers: Sequence[object],
    mapping: Mapping[str, str] | None = None,
    above: Sequence[object] | None = None,
) -> dict[str, int]:
    """Field → column index for a header row (``above``: the row over it, for merged group
    headings). The first column wins when two name the same field (see
    :func:`duplicate_fields`)."""
    found: dict[str, int] = {}
    for i, field in enumerate(column_fields(headers, mapping, above)):
        if field is not None and field not in found:
            found[field] = i
    return found


def duplicate_fields(
    headers: Sequence[object],
    mapping: Mapping[str, str] | None = None,
    above: Sequence[object] | None = None,
) -> dict[str, list[int]]:
    """Fields named by more than one column: field → column indexes."""
    seen: dict[str, list[int]] = {}
    for i, field in enumerate(column_fields(headers, mapping, above)):
        if field is not None:
            seen.setdefault(field, []).append(i)
    return {f: cols for f, cols in seen.items() if len(cols) > 1}


def find_header_row(
    rows: Sequence[Sequence[object]], mapping: Mapping[str, str] | None
) -> int | None:
    """Index of the first row with at least two recognised headers (the most, if several),
    among the first :data:`HEADER_SEARCH_ROWS`; each row is read with the row above it as its
    group headings."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        above = rows[i - 1] if i > 0 else None
        score = len(match_headers(list(row), mapping, above))
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
    fields = match_headers(list(rows[h]), mapping, rows[h - 1] if h > 0 else None)
    return h, sorted(fields[f] for f in DATE_FIELDS if f in fields)
