"""Writing a test workbook: the one helper the fixtures and the corpus scripts share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    merges: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """A workbook with the given sheets (each a list of rows, the header row included), and
    cells merged as ``merges`` says (sheet → ranges such as ``"B4:E4"``)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for cells in (merges or {}).get(name, ()):
            ws.merge_cells(cells)
    wb.save(path)
    return path
