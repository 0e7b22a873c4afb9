"""Writing tables out as CSV or Excel, safe to open in a spreadsheet.

Text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or
carriage return) is written with a leading apostrophe, so a council or category named
``=HYPERLINK(...)`` shows as text and runs nothing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .output import atomic_target, check_targets

if TYPE_CHECKING:
    from .store import Store

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``"=1+1"`` → ``"'=1+1"``; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised and missing values as None."""
    out = frame.astype(object).where(frame.notna(), None)
    for c in out.columns:
        if out[c].map(lambda v: isinstance(v, str)).any():
            out[c] = out[c].map(neutralise)
    return out


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as UTF-8 CSV, atomically, with formula-like text neutralised."""
    fd, tmp = atomic_target(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            safe_frame(frame).to_csv(f, index=False, lineterminator="\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path) -> Path:
    """Write frames as sheets of one workbook (openpyxl, write-only), atomically; every text
    cell is stored as text, never as a formula.

    The temporary file is made first: a folder that cannot be written fails before any sheet
    is started (a write-only sheet left unsaved leaves openpyxl's writers half-open)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    fd, tmp = atomic_target(path)
    os.close(fd)
    try:
        wb = Workbook(write_only=True)
        for name, frame in sheets.items():
            ws = wb.create_sheet(title=name[:31])
            ws.append(list(frame.columns))
            safe = safe_frame(frame)
            for row in safe.itertuples(index=False):
                cells = []
                for v in row:
                    if isinstance(v, str):
                        cell = WriteOnlyCell(ws, value=v)
                        cell.data_type = "s"
                        cells.append(cell)
                    else:
                        cells.append(v)
                ws.append(cells)
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def export_store(store: Store, path: Path, average: str = "mean") -> list[Path]:
    """Every table of the store and every council's figures, as one workbook or several CSVs."""
    try:
        return _export_store(store, path, average)
    except OSError as e:
        from .errors import OutputError

        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def _export_store(store: Store, path: Path, average: str) -> list[Path]:
    from .figures import council_figures

    figures = council_figures(store.counts(), average=average).drop(columns=["authority_key"])
    tables = {
        "figures": figures,
        "decisions": store.table("decisions"),
        "compliance": store.table("compliance"),
        "published": store.table("published"),
    }
    if path.suffix.lower() == ".xlsx":
        return [write_xlsx(tables, path)]
    stem = path.with_suffix("")
    paths = {name: Path(f"{stem}-{name}.csv") for name in tables}
    check_targets(paths.values())  # all of them before any is written
    return [write_csv(frame, paths[name]) for name, frame in tables.items()]
