"""How people lay out a table around its rows: the year in the sheet's name or a title, and
rows that are not an authority's (totals, subtotals, regions, group headings, notes).

The year of a published table, first found wins: a Year column; the sheet's name (``2023-24``,
``2023/24``, ``23-24``, ``FY 2023-24``, ``Decisions 2023-24``); a title row above the header
(``Decisions made 2019-20``); ``--year``.

Rows that are skipped, each listed in one note ("skipped row 12: a total; rows 14-15: notes"):

- **totals**: an authority named Total, Grand total, Subtotal, England, National, All
  authorities (or councils), a region (London, South East, …), a group (County councils, …),
  or an average; or a row named nothing a council is called whose counts are the sums of the
  rows above it;
- **notes**: a row of text with no counts (``Source: LGSCO …``, ``* fewer than 5``).

A total whose counts are not the sum of the rows it totals is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..errors import UsageError
from ..outcomes import normalise_text
from ..years import parse_year

_YEAR_IN_TEXT = re.compile(
    r"(?<![\d/])(?:fy\s*)?(20\d{2}|\d{2})\s*(?:-|/|–|_|to)\s*(20\d{2}|\d{2})(?![\d/])", re.I
)


def year_in_text(text: object) -> str | None:
    """The one financial year a sheet name or title names (``"FY 2023-24"``, ``"23-24"``,
    ``"Decisions made 2019/20"``), or None (no year, or two different ones)."""
    if text is None:
        return None
    found = set()
    for m in _YEAR_IN_TEXT.finditer(str(text)):
        first, second = m.group(1), m.group(2)
        start = int(first) if len(first) == 4 else 2000 + int(first)
        try:
            found.add(parse_year(f"{start}-{second}"))
        except UsageError:
            continue
    return found.pop() if len(found) == 1 else None


def year_of_sheet(
    sheet: str | None, above: Sequence[Sequence[object]], first_row: int = 1
) -> tuple[str, str] | None:
    """A year from the sheet's name, else from a title row above the header (``above``, the
    first of them at sheet row ``first_row``): (year, where it came from), or None."""
    if sheet:
        y = year_in_text(sheet)
        if y:
            return y, f"the sheet's name {sheet!r}"
    for i, row in enumerate(above):
        for cell in row:
            y = year_in_text(cell) if isinstance(cell, str) else None
            if y:
                return y, f"the title {str(cell).strip()!r} (row {first_row + i})"
    return None


_TOTAL_WORDS = ("total", "totals", "grand total", "sub total", "subtotal", "sum")
_TOTAL_NAMES = {
    "england",
    "england total",
    "total england",
    "england and wales",
    "national",
    "national total",
    "all",
    "all authorities",
    "all councils",
    "all local authorities",
    "all bodies",
    "all organisations",
    "average",
    "mean",
    "median",
    "england average",
    "national average",
    "all councils average",
}
_REGIONS = {
    "north east",
    "north west",
    "yorkshire and the humber",
    "yorkshire and humber",
    "yorkshire",
    "east midlands",
    "west midlands",
    "east of england",
    "east",
    "eastern",
    "london",
    "greater london",
    "inner london",
    "outer london",
    "south east",
    "south west",
}
_GROUPS = {
    "county councils",
    "counties",
    "county",
    "district councils",
    "districts",
    "district",
    "shire districts",
    "metropolitan boroughs",
    "metropolitan borough councils",
    "metropolitan districts",
    "metropolitan",
    "unitary councils",
    "unitary authorities",
    "unitaries",
    "unitary",
    "london boroughs",
    "london borough councils",
    "other bodies",
    "other authorities",
    "fire authorities",
    "national parks",
}
_NOTE_START = re.compile(
    r"^(?:source|sources|note|notes|nb|n\.b\.|key|figures|data|\*|†|‡|#|\d+[.)]\s|\(\d+\)|"
    r"please|this table|these figures|excludes|includes|updated|published|created|prepared)",
    re.I,
)


def total_name(name: object) -> bool:
    """Whether an authority cell names a total, a region, a group or an average rather than
    an authority ("Total", "England", "Grand total", "South East", "County councils",
    "Total: London boroughs")."""
    s = normalise_text(name)
    s = re.sub(r"\b(?:region|regions)\b", "", s).strip()
    if not s:
        return False
    if s in _TOTAL_NAMES or s in _REGIONS or s in _GROUPS:
        return True
    first = s.split()[0]
    if first in ("total", "totals", "subtotal", "sum") or s.startswith(
        ("grand total", "sub total")
    ):
        return True
    return any(s.endswith(" " + w) for w in _TOTAL_WORDS) and not s.endswith(" council total")


def note_text(text: object) -> bool:
    """Whether a cell reads as a note rather than a name: it starts as notes do ("Source:",
    "Note", "*", "1."), reads as a sentence (a full stop or colon in it), or is long (ten
    words or more, or over 80 characters: the longest council names have eight words)."""
    s = str(text).strip()
    if not s:
        return False
    if _NOTE_START.match(s):
        return True
    if s.endswith(".") or ". " in s or ": " in s:
        return True
    return len(s.split()) >= 10 or len(s) > 80


def skipped_line(skipped: dict[str, list[int]]) -> str:
    """``{"a total": [12], "notes": [14, 15]}`` → ``"skipped row 12: a total; rows 14-15:
    notes"``."""
    from .problems import ranges

    parts = [f"{ranges(rows)}: {why}" for why, rows in skipped.items() if rows]
    return "skipped " + "; ".join(parts)
