"""The outcome vocabulary: the six decision outcomes, the three compliance outcomes, and how
real files spell them. This is the one place that knows these words.
"""

from __future__ import annotations

import re

# Decision outcomes, in the order the Ombudsman publishes them. The code is the column name
# used in every DataFrame and in the store.
UPHELD = "upheld"
NOT_UPHELD = "not_upheld"
CLOSED = "closed_after_initial_enquiries"
REFERRED_BACK = "referred_back"
INCOMPLETE_INVALID = "incomplete_invalid"
ADVICE_GIVEN = "advice_given"

OUTCOMES: tuple[str, ...] = (
    ADVICE_GIVEN,
    CLOSED,
    INCOMPLETE_INVALID,
    REFERRED_BACK,
    NOT_UPHELD,
    UPHELD,
)

OUTCOME_LABELS: dict[str, str] = {
    ADVICE_GIVEN: "Advice given",
    CLOSED: "Closed after initial enquiries",
    INCOMPLETE_INVALID: "Incomplete/Invalid",
    REFERRED_BACK: "Referred back for local resolution",
    NOT_UPHELD: "Not upheld",
    UPHELD: "Upheld",
}

# The 2024-25 grouping: complaints dealt with = not for us + assessed and closed + investigated.
INVESTIGATED = "investigated"
ASSESSED_AND_CLOSED = "assessed_and_closed"
NOT_FOR_US = "not_for_us"

OUTCOME_GROUPS: dict[str, str] = {
    UPHELD: INVESTIGATED,
    NOT_UPHELD: INVESTIGATED,
    CLOSED: ASSESSED_AND_CLOSED,
    REFERRED_BACK: NOT_FOR_US,
    INCOMPLETE_INVALID: NOT_FOR_US,
    ADVICE_GIVEN: NOT_FOR_US,
}

GROUP_LABELS: dict[str, str] = {
    NOT_FOR_US: "Not for us",
    ASSESSED_AND_CLOSED: "Assessed and closed",
    INVESTIGATED: "Investigated",
}

# Compliance outcomes. Late compliance still counts as compliance.
COMPLIED = "complied"
COMPLIED_LATE = "complied_late"
NOT_COMPLIED = "not_complied"

COMPLIANCE_OUTCOMES: tuple[str, ...] = (COMPLIED, COMPLIED_LATE, NOT_COMPLIED)
COMPLIANCE_LABELS: dict[str, str] = {
    COMPLIED: "Complied",
    COMPLIED_LATE: "Complied late",
    NOT_COMPLIED: "Not complied",
}

# The counts kept per authority and year: each decision outcome, remedies by the authority, and
# each compliance outcome.
COUNT_COLUMNS: tuple[str, ...] = (*OUTCOMES, "remedy_by_authority", *COMPLIANCE_OUTCOMES)

# The published categories (service areas).
CATEGORIES: tuple[str, ...] = (
    "Adult care services",
    "Benefits and tax",
    "Corporate and other services",
    "Education and children's services",
    "Environmental services",
    "Highways and transport",
    "Housing",
    "Planning and development",
    "Other",
)


_NOT_WORD = re.compile(r"[^\w']+|_")


def normalise_text(value: object) -> str:
    """Lower case, ``&`` as ``and``, punctuation as spaces, spaces collapsed."""
    s = str(value).strip().lower().replace("&", " and ").replace("’", "'")
    s = _NOT_WORD.sub(" ", s)
    s = s.replace("'", "")
    return " ".join(s.split())


# Prefix rules, tried in order on the normalised text; the first that matches wins. "not upheld"
# comes before "upheld" only for readability: a normalised value starting "not upheld" can never
# start "upheld".
_OUTCOME_PREFIXES: tuple[tuple[str, str], ...] = (
    ("not upheld", NOT_UPHELD),
    ("upheld", UPHELD),
    ("closed after initial enquiries", CLOSED),
    ("closed after initial enquiry", CLOSED),
    ("referred back for local resolution", REFERRED_BACK),
    ("referred back", REFERRED_BACK),
    ("incomplete invalid", INCOMPLETE_INVALID),
    ("incomplete or invalid", INCOMPLETE_INVALID),
    ("invalid or incomplete", INCOMPLETE_INVALID),
    ("invalid incomplete", INCOMPLETE_INVALID),
    ("advice given", ADVICE_GIVEN),
)

_COMPLIANCE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("not complied", NOT_COMPLIED),
    ("non compliance", NOT_COMPLIED),
    ("did not comply", NOT_COMPLIED),
    ("complied late", COMPLIED_LATE),
    ("late compliance", COMPLIED_LATE),
    ("remedy complied late", COMPLIED_LATE),
    ("complied", COMPLIED),
    ("remedy complied", COMPLIED),
)

_TRUE = {"yes", "y", "true", "t", "1", "1 0"}
_FALSE = {"no", "n", "false", "f", "0", "0 0", ""}


def _match(value: object, rules: tuple[tuple[str, str], ...]) -> str | None:
    s = normalise_text(value)
    for prefix, code in rules:
        if s == prefix or s.startswith(prefix + " "):
            return code
    return None


def outcome_code(value: object) -> str | None:
    """The outcome code a spelling means (``"Upheld: fault and injustice"`` → ``"upheld"``), or
    ``None`` when it matches none: the caller reports it, never guesses."""
    return _match(value, _OUTCOME_PREFIXES)


def compliance_code(value: object) -> str | None:
    """The compliance code a spelling means (``"Complied late"`` → ``"complied_late"``), or None."""
    return _match(value, _COMPLIANCE_PREFIXES)


def flag_value(value: object) -> bool | None:
    """A yes/no cell: yes/y/true/1 → True; no/n/false/0/blank → False; anything else → None."""
    if value is None:
        return False
    s = normalise_text(value)
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return None


def category_of(text: object) -> str | None:
    """The published category a text names, or None ("Environmental services, public protection
    and regulation" → "Environmental services"; "Education & children's services" →
    "Education and children's services")."""
    s = normalise_text(text)
    for cat in CATEGORIES:
        c = normalise_text(cat)
        if s == c or s.startswith(c + " ") or c.startswith(s + " "):
            return cat
    return None


def canonical_category(text: object) -> str:
    """A category as written → the published category it names, or the text as written."""
    return category_of(text) or str(text).strip()


_RECEIVED_PREFIXES = ("received ", "complaints received ", "received complaints ")


def received_category_header(header: object) -> str | None:
    """A published table's column of complaints received in a category ("Housing",
    "Received: Housing", "Complaints received - Adult care services") → the category, or None."""
    if header is None:
        return None
    s = normalise_text(header)
    for prefix in _RECEIVED_PREFIXES:
        if s.startswith(prefix):
            s = s[len(prefix) :]
            break
    for cat in CATEGORIES:
        if s == normalise_text(cat):
            return cat
    if s.startswith("environmental services"):
        return "Environmental services"
    return None
