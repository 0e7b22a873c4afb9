"""Count and rate cells as people write them.

A count cell may be:

- **not reported**: blank, ``n/a``, ``N/A``, ``-``, ``–``, ``..``, ``*``, ``<5``, ``c``, ``x``
  (suppressed or not available): missing, never 0; one note names the column and its rows;
- **a whole number**, with stray spaces, stored as text, with thousands separators in groups of
  three (``1,234``, ``1 234``), as Excel writes a whole float (``12.0``), or in other scripts'
  digits (``١٢``, ``１２``: read as 12, with a note);
- **an Excel error** (``#N/A``, ``#DIV/0!``, ``#REF!``, ``#VALUE!``): not reported, with a
  warning naming the cells (Excel's own error cells are found in the sheet's XML, as the parser
  gives them as blank: :mod:`.error_cells`);
- anything else is an error: a negative or fractional count, ``1,5`` or ``1,2,3`` (a comma
  separates thousands only in groups of three), a count beyond :data:`COUNT_LIMIT`, other text.

A rate cell is a percentage (``87%``, ``87``, ``87.5``) or, where a whole column is written
as fractions of one (Excel's percent cells: ``0.87``), a fraction; 0 to 100.

:data:`COUNT_LIMIT` and :data:`POPULATION_LIMIT` refuse values beyond any real one: the
Ombudsman decides about 20,000 complaints a year in all, and England has 57 million residents.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

# A count of one council's complaints in a year above this is not a real count (a typo, a
# pasted reference, an overflowed formula); the whole country's are about 20,000.
COUNT_LIMIT = 1_000_000_000
# A council's population above this is not a real population (England: 57 million).
POPULATION_LIMIT = 100_000_000

# Cells that mean "not reported" (compared in lower case, spaces collapsed).
NOT_REPORTED = frozenset(
    {
        "n/a",
        "na",
        "n.a.",
        "n a",
        "-",
        "–",
        "—",
        "--",
        "..",
        "...",
        "*",
        "**",
        "c",
        "x",
        ":",
        "not available",
        "not reported",
        "suppressed",
        "unknown",
    }
)
_SUPPRESSED = re.compile(r"^(?:<|≤|<=)\s*\d+$")  # "<5": a small number withheld
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#DIV/0!",
        "#REF!",
        "#VALUE!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#GETTING_DATA",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)

_WHOLE = re.compile(r"^\d+$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_SPACED = re.compile(r"^\d{1,3}(?: \d{3})+$")
_WHOLE_FLOAT = re.compile(r"^\d+\.0+$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d+$")
_DECIMAL = re.compile(r"^\d*\.\d+$|^\d+\.\d*$")
_COMMAS = re.compile(r"^\d[\d,]*\d$")
_NEGATIVE = re.compile(r"^[-−]\s*\d")
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " "})


@dataclass(frozen=True)
class Cell:
    """What a count or rate cell holds: ``value`` (None when not reported or wrong), and
    ``kind``: ``number``, ``digits`` (a number in other digits), ``missing`` (not reported),
    ``excel`` (an Excel error) or ``error`` (``why`` says what is wrong)."""

    kind: str
    value: float | int | None = None
    why: str = ""
    percent: bool = False  # written with a % sign


def _ascii_digits(s: str) -> tuple[str, bool]:
    """Digits of any script as ASCII, and full-width punctuation as ASCII ("１，２３４" →
    "1,234"); whether anything changed."""
    if s.isascii():
        return s, False
    out = []
    for ch in s:
        if ch.isdecimal() and not ch.isascii():
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(unicodedata.normalize("NFKC", ch) if ord(ch) >= 0xFF00 else ch)
    t = "".join(out)
    return t, t != s


def _plain(text: object) -> str:
    return " ".join(str(text).translate(_SPACES).split())


def parse_count(text: object, limit: int = COUNT_LIMIT) -> Cell:
    """A count cell (see the module's docstring)."""
    s = _plain(text)
    low = s.lower()
    if not s or low in NOT_REPORTED or _SUPPRESSED.match(s):
        return Cell("missing")
    if s.upper() in EXCEL_ERRORS:
        return Cell("excel", why=s.upper())
    s, converted = _ascii_digits(s)
    kind = "digits" if converted else "number"
    value: int | None = None
    if _WHOLE.match(s):
        value = int(s)
    elif _THOUSANDS.match(s):
        value = int(s.replace(",", ""))
    elif _SPACED.match(s):
        value = int(s.replace(" ", ""))
    elif _WHOLE_FLOAT.match(s):
        value = int(s.split(".")[0])
    elif _SCIENTIFIC.match(s):
        f = float(s)
        if math.isfinite(f) and f == int(f):
            value = int(f)
        else:
            return Cell("error", why="is not a whole number")
    elif _NEGATIVE.match(s):
        return Cell("error", why="is negative")
    elif _DECIMAL.match(s):
        return Cell("error", why="is not a whole number")
    elif _COMMAS.match(s):
        return Cell(
            "error",
            why="is not a count (a comma separates thousands only in groups of three, as in 1,234)",
        )
    else:
        return Cell("error", why="is not a number")
    if value > limit:
        return Cell("error", why=f"is beyond any real value (the limit is {limit:,})")
    return Cell(kind, value)


def parse_rate(text: object) -> Cell:
    """A rate cell: a percentage with or without ``%``, or a fraction (the caller decides
    whether a column of numbers of at most 1 is fractions); 0 to 100."""
    s = _plain(text)
    low = s.lower()
    if not s or low in NOT_REPORTED or _SUPPRESSED.match(s):
        return Cell("missing")
    if s.upper() in EXCEL_ERRORS:
        return Cell("excel", why=s.upper())
    s, converted = _ascii_digits(s)
    percent = s.endswith("%")
    number = s.rstrip("%").strip()
    try:
        value = float(number)
    except ValueError:
        return Cell("error", why="is not a rate (write it like 87% or 87)")
    if not math.isfinite(value) or value < 0:
        return Cell("error", why="is not a rate (write it like 87% or 87)")
    if value > 100:
        return Cell("error", why="is above 100%")
    return Cell("digits" if converted else "number", value, percent=percent)
