"""Excel's error cells (``#N/A``, ``#DIV/0!``, …) of an ``.xlsx`` sheet.

The workbook parser gives an error cell as a blank one, which would read as "not reported"
without a word; published tables are read with a look at their sheet's XML for cells of type
``e``, so that each can be named. Only small sheets are looked at (a published table is a few
hundred rows): a case-level sheet's error cells are in columns that may not be blank anyway.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# A sheet's XML larger than this is not a published table: not looked at.
MAX_BYTES = 16 << 20

_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^>]*\bt="e")[^>]*?\br="([A-Z]+)(\d+)"[^>]*>(.*?)</(?:\w+:)?c>', re.S
)
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# a cell with content (not a self-closing, style-only one): where the parser's columns start
_FILLED = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"[^>]*(?<!/)>')


def column_index(letters: str) -> int:
    """``"A"`` → 0, ``"AB"`` → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letters(index: int) -> str:
    """0 → ``"A"``, 27 → ``"AB"``."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def error_cells(path: str | Path, sheet: str | None) -> dict[tuple[int, int], str]:
    """(sheet row, column) → the error text of each error cell of an ``.xlsx`` sheet, columns
    counted as the parser counts them (from the sheet's first column with a value); empty for
    other files, a sheet not found, or one too large to be a published table."""
    from .xlsx_head import sheet_members

    if sheet is None:
        return {}
    try:
        with zipfile.ZipFile(path) as z:
            member = sheet_members(z).get(sheet)
            if member is None or z.getinfo(member).file_size > MAX_BYTES:
                return {}
            data = z.read(member)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    found = list(_ERROR_CELL.finditer(data))
    if not found:
        return {}
    first = min(column_index(m.group(1).decode()) for m in _FILLED.finditer(data))
    out: dict[tuple[int, int], str] = {}
    for m in found:
        value = _VALUE.search(m.group(3))
        text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
        out[(int(m.group(2)), column_index(m.group(1).decode()) - first)] = text
    return out


def first_column(path: str | Path, sheet: str | None) -> int:
    """The index of an ``.xlsx`` sheet's first column with a value (where the parser's columns
    start), from the start of its XML; 0 for other files."""
    from .xlsx_head import sheet_members

    if sheet is None:
        return 0
    try:
        with zipfile.ZipFile(path) as z:
            member = sheet_members(z).get(sheet)
            if member is None:
                return 0
            with z.open(member) as f:
                chunk = f.read(1 << 18)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return 0
    found = [column_index(m.group(1).decode()) for m in _FILLED.finditer(chunk)]
    return min(found) if found else 0
