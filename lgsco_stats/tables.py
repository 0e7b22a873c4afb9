"""Records and the plain formats they are written in: records from a DataFrame, display
columns, and CSV, JSON, Markdown and plain aligned text (the terminal's Rich tables are the
CLI's, :mod:`lgsco_stats.cli.render`).

CSV and JSON carry raw values (unrounded rates, missing as empty or null); Markdown and plain
text show each :class:`Column`'s display text. Text a spreadsheet would run as a formula is
neutralised in CSV (:func:`lgsco_stats.export.neutralise`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .escape import markdown_text, printable
from .rounding import NA


def is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return str(v) in ("<NA>", "NaT", "nan")


def plain(v: object) -> Any:
    """A cell as a JSON/CSV value: numpy scalars to Python, missing to None."""
    if is_missing(v):
        return None
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        v = v.item()  # type: ignore[union-attr]
    return v


def safe_cell(v: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (see :mod:`lgsco_stats.export`)."""
    from .export import neutralise

    return neutralise(v)


@dataclass(frozen=True)
class Column:
    """A column for display: its heading and how to show it from a whole record (by default the
    value under ``key``).

    ``priority`` says which columns a terminal too narrow for all of them leaves out: 0 is
    always shown; the highest are left out first (``--wide`` shows them all). Files and pipes
    get every column."""

    key: str
    heading: str
    show: Callable[[dict[str, Any]], str] | None = None
    numeric: bool = False
    priority: int = 0

    def text(self, record: dict[str, Any]) -> str:
        """The cell as it is shown: text, with no control characters (:func:`printable`)."""
        if self.show is not None:
            return printable(self.show(record))
        v = record.get(self.key)
        return "" if is_missing(v) else printable(v)


@dataclass(frozen=True)
class Section:
    """A titled table for display: its records, columns and notes."""

    title: str
    records: list[dict[str, Any]]
    columns: list[Column]
    notes: list[str]


def count(v: Any) -> str:
    """A count for display: ``"1,234"``, ``"n/a"`` when missing (not reported)."""
    return "" if v == "" else NA if is_missing(v) else f"{int(v):,}"


def group_name(v: Any) -> str:
    """A group's label (``"Unitary councils"``), ``"none"`` without one."""
    from .councils import GROUP_LABELS

    return "none" if is_missing(v) else GROUP_LABELS.get(str(v), str(v))


def to_csv(records: Sequence[dict[str, Any]], keys: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(keys)
    for r in records:
        w.writerow(["" if plain(r.get(k)) is None else safe_cell(plain(r.get(k))) for k in keys])
    return buf.getvalue()


def to_json(records: Sequence[dict[str, Any]], keys: Sequence[str]) -> str:
    """A JSON array with one object per line (``keys`` in order): readable, and quick to write
    (:func:`json_line`)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json_line({k: r.get(k) for k in keys}) for r in records) + "\n]\n"


def json_line(row: dict[str, Any]) -> str:
    """One object as JSON on one line: numpy scalars as numbers, missing values (None, NaN,
    pandas' NA) as null, text as UTF-8 text.

    Written by orjson, several times faster than the json module (a table of figures of 3,632
    rows and 59 columns: 0.11 s with json, 0.03 s a line at a time with orjson), with the
    same numbers (the shortest text
    that reads back as the same float). What orjson refuses (an integer beyond 64 bits) is
    written by the json module."""
    import orjson

    try:
        return orjson.dumps(row, default=_json_value).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps({k: plain(v) for k, v in row.items()}, ensure_ascii=False)


def _json_value(v: object) -> Any:
    out = plain(v)
    if out is v:
        raise TypeError(f"{type(v).__name__} is not JSON")
    return out


def _md_escape(text: str) -> str:
    """A cell, title or note as literal Markdown text (links, images, HTML, pipes escaped)."""
    return markdown_text(text)


def to_markdown(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    title: str | None = None,
    notes: Sequence[str] = (),
) -> str:
    lines = []
    if title:
        lines += [f"## {_md_escape(title)}", ""]
    lines.append("| " + " | ".join(_md_escape(c.heading) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for r in records:
        lines.append("| " + " | ".join(_md_escape(c.text(r)) for c in columns) + " |")
    if notes:
        lines.append("")
        lines += [f"{_md_escape(n)}  " for n in notes]
    return "\n".join(lines) + "\n"


def plain_table(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    highlight: Callable[[dict[str, Any]], bool] | None = None,
    footer: Sequence[dict[str, Any]] = (),
) -> str:
    """Aligned plain text for pipes and files: a header, a rule, the rows (``>`` marks a
    highlighted one), a rule and the footer rows, then the notes. No colour, no wrapping."""
    rows = []
    for r in records:
        cells = [c.text(r) for c in columns]
        if highlight and highlight(r):
            cells[0] = "> " + cells[0]
        rows.append(cells)
    foot = [[c.text(r) for c in columns] for r in footer]
    heads = [c.heading for c in columns]
    widths = [max(len(x[i]) for x in [heads, *rows, *foot]) for i in range(len(columns))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(w) if c.numeric else cell.ljust(w)
            for cell, w, c in zip(cells, widths, columns, strict=True)
        ]
        return " " + "   ".join(parts).rstrip()

    rule = " " + "   ".join("-" * w for w in widths)
    out = [printable(title)] if title else []
    out += [line(heads), rule, *(line(x) for x in rows)]
    if foot:
        out += [rule, *(line(x) for x in foot)]
    out += [printable(n) for n in notes]
    return "\n".join(out) + "\n"


def records(frame: Any) -> list[dict[str, Any]]:
    """DataFrame rows as dicts (missing values as None), with the Python values (int, float,
    bool, str) that ``frame.astype(object).where(frame.notna(), None).to_dict("records")``
    gives.

    Numeric, boolean and text columns are converted a column at a time (``tolist``), several
    times faster than pandas' boxing of every value; columns of any other kind (or holding
    anything but text in an object column) still go through pandas."""
    if not frame.columns.is_unique:
        out: list[dict[str, Any]] = (
            frame.astype(object).where(frame.notna(), None).to_dict("records")
        )
        return out
    names = frame.columns.tolist()
    columns: list[list[Any] | None] = []
    others: list[int] = []
    for i, (_, s) in enumerate(frame.items()):
        values = _plain_values(s)
        columns.append(values)
        if values is None:
            others.append(i)
    if others:
        rest = frame.iloc[:, others]
        boxed = rest.astype(object).where(rest.notna(), None).to_dict("list")
        for i in others:
            columns[i] = boxed[names[i]]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]  # type: ignore[arg-type]


def _plain_values(s: Any) -> list[Any] | None:
    """A column's values as Python int, float, bool or str (None where missing), or None when
    the column holds anything else."""
    import numpy as np
    import pandas as pd

    dtype = s.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "ib" or (dtype.kind == "f" and dtype.itemsize == 8):
            arr = s.to_numpy()
            values = arr.tolist()
            if dtype.kind == "f" and np.isnan(arr).any():
                return [None if v != v else v for v in values]
            return values  # type: ignore[no-any-return]
        if dtype.kind == "O":
            out = []
            for v in s.tolist():
                if type(v) is str:
                    out.append(v)
                elif v is None or (type(v) is float and v != v):
                    out.append(None)
                else:
                    return None
            return out
        return None
    if isinstance(dtype, pd.StringDtype):
        return [v if type(v) is str else None for v in s.tolist()]
    if isinstance(dtype, (pd.Int64Dtype, pd.Int32Dtype, pd.Float64Dtype, pd.BooleanDtype)):
        arr = s.array
        kind = {"i": "int64", "f": "float64", "b": "bool"}[dtype.kind]
        fill = {"int64": 0, "float64": 0.0, "bool": False}[kind]
        values = arr.to_numpy(dtype=kind, na_value=fill).tolist()
        missing = np.asarray(arr.isna())
        if missing.any():
            for i in missing.nonzero()[0].tolist():
                values[i] = None
        return values  # type: ignore[no-any-return]
    return None
