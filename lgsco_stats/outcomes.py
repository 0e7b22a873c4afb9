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

# Totals a published table may give instead of (or beside) their parts. Each identity holds in
# every published page checked (domain.md sections 2 and 9): complaints dealt with = not for us
# + assessed and closed + investigated, and investigated = upheld + not upheld. "Assessed and
# closed" is the one outcome "closed after initial enquiries", so it is that count.
DEALT_WITH = "dealt_with"
COMPLIED_TOTAL = "complied_total"  # complied, on time or late
COMPLIANCE_TOTAL = "compliance_outcomes"

TOTALS: dict[str, tuple[str, ...]] = {
    INVESTIGATED: (UPHELD, NOT_UPHELD),
    NOT_FOR_US: (REFERRED_BACK, INCOMPLETE_INVALID, ADVICE_GIVEN),
    DEALT_WITH: (NOT_FOR_US, CLOSED, INVESTIGATED),
    COMPLIED_TOTAL: (COMPLIED, COMPLIED_LATE),
    COMPLIANCE_TOTAL: (COMPLIED_TOTAL, NOT_COMPLIED),
}
# A count that is some of another without being one of its summed parts: remedies by the
# authority are some of the upheld decisions.
SUBSETS: dict[str, str] = {"remedy_by_authority": UPHELD}

# The counts kept per authority and year, by part (decisions, compliance outcomes): each
# outcome, remedies by the authority, and the totals a published table may give without their
# parts. Case-level data has only the outcomes and remedies; the totals follow from them.
DECISION_COUNTS: tuple[str, ...] = (
    *OUTCOMES,
    "remedy_by_authority",
    INVESTIGATED,
    NOT_FOR_US,
    DEALT_WITH,
)
COMPLIANCE_COUNTS: tuple[str, ...] = (*COMPLIANCE_OUTCOMES, COMPLIED_TOTAL, COMPLIANCE_TOTAL)
COUNT_COLUMNS: tuple[str, ...] = (*DECISION_COUNTS, *COMPLIANCE_COUNTS)

# The rates a published table may give (the figures' rate columns, figures.RATES), as
# percentages: used where the counts behind them were not published. Each belongs to a part:
# case-level data of that part wins over it.
GIVEN_RATES: tuple[str, ...] = ("uphold_rate", "remedy_rate", "compliance_rate")
RATE_PART: dict[str, str] = {
    "uphold_rate": "decisions",
    "remedy_rate": "decisions",
    "compliance_rate": "compliance",
}

COUNT_LABELS: dict[str, str] = {
    **OUTCOME_LABELS,
    "remedy_by_authority": "Satisfactory remedy provided by the authority",
    **COMPLIANCE_LABELS,
    INVESTIGATED: "Investigated",
    NOT_FOR_US: "Not for us",
    DEALT_WITH: "Complaints dealt with",
    COMPLIED_TOTAL: "Complied (on time or late)",
    COMPLIANCE_TOTAL: "Compliance outcomes",
    "uphold_rate": "Uphold rate",
    "remedy_rate": "Satisfactory remedy rate",
    "compliance_rate": "Compliance rate",
}

# The published categories (service areas): one canonical list, and the names each has been
# published under since 2014 (as normalise_text gives them).
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
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    "Adult care services": (
        "adult care services",
        "adult social care",
        "adult social care services",
        "adult care",
    ),
    "Benefits and tax": ("benefits and tax", "benefits and council tax"),
    "Corporate and other services": ("corporate and other services", "corporate services"),
    "Education and children's services": (
        "education and childrens services",
        "childrens services and education",
        "education and children",
        "children and education",
    ),
    "Environmental services": (
        "environmental services",
        "environmental services and regulation",
        "environmental services public protection and regulation",
        "environmental services and public protection",
        "environment and regulation",
    ),
    "Highways and transport": ("highways and transport", "transport and highways"),
    "Housing": ("housing",),
    "Planning and development": ("planning and development",),
    "Other": ("other",),
}


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
    # 2024-25: the outcomes written with their group
    ("investigated not upheld", NOT_UPHELD),
    ("investigated and not upheld", NOT_UPHELD),
    ("investigated upheld", UPHELD),
    ("investigated and upheld", UPHELD),
    ("assessed and closed", CLOSED),
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
    ("compliance late", COMPLIED_LATE),
    ("compliance on time", COMPLIED),
)

_TICKS = {"✓", "✔", "☑"}
_TRUE = {"yes", "y", "true", "t", "1", "1 0", "x"}
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
    """A yes/no cell: yes/y/true/1/x/✓ → True; no/n/false/0/blank → False; anything else →
    None."""
    if value is None:
        return False
    s = normalise_text(value) if str(value).strip() not in _TICKS else "x"
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return None


def category_of(text: object) -> str | None:
    """The published category a text names, or None: any name it has been published under
    ("Adult social care" → "Adult care services"; "Environmental services, public protection
    and regulation" → "Environmental services"), alone or followed by a sub-category ("Benefits
    and tax > COVID-19" → "Benefits and tax")."""
    s = normalise_text(text)
    best: tuple[int, str] | None = None
    for cat, names in CATEGORY_NAMES.items():
        for name in names:
            if (s == name or s.startswith(name + " ")) and (best is None or len(name) > best[0]):
                best = (len(name), cat)
    if best is None and s:  # the first words of a category's name ("Planning", "Highways")
        best = next(((0, c) for c in CATEGORIES if normalise_text(c).startswith(s + " ")), None)
    return best[1] if best else None


def canonical_category(text: object) -> str:
    """A category as written → the published category it names, or the text as written."""
    return category_of(text) or str(text).strip()


_RECEIVED_PREFIXES = ("received ", "complaints received ", "received complaints ")


def received_category_header(header: object) -> str | None:
    """A published table's column of complaints received in a category ("Housing",
    "Received: Housing", "Complaints received - Adult social care") → the category, or None."""
    if header is None:
        return None
    s = normalise_text(header)
    for prefix in _RECEIVED_PREFIXES:
        if s.startswith(prefix):
            s = s[len(prefix) :]
            break
    for cat, names in CATEGORY_NAMES.items():
        if s in names:
            return cat
    return None
