"""A file's sheets as text: the header row found, the rows below it as a frame of text cells.

Excel (``.xlsx``, ``.xlsm``, ``.xls``) and OpenDocument (``.ods``) workbooks are read with
fastexcel (calamine, in Rust, straight into Arrow), every cell as text, so that reading decides
what a value means and can name the row of any value it cannot read; only the date columns of a
large ``.xlsx`` sheet are read as dates (:mod:`.workbook`), and checked against the text of the
sheet's first rows. CSV files are read with pandas' C parser (UTF-8, falling back to cp1252;
``,``, ``;`` or tab separated).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError, UsageError, where
from . import workbook
from .dates import parse_date
from .headers import HEADER_SEARCH_ROWS, find_header_row, match_headers
from .text import read_limited, text_encoding


@dataclass
class RawSheet:
    """A sheet's cells as text: ``header`` is the header row, ``frame`` the rows below it,
    ``above`` the rows above it (titles, merged group headings)."""

    file: str
    sheet: str | None
    header: list[object]
    frame: pd.DataFrame  # columns are positions 0..n-1, values str or missing
    first_row: int  # the sheet row number (1-based) of frame's first row
    above: list[list[object]] = field(default_factory=list)
    hidden: str | None = None  # "hidden" or "veryhidden": the workbook does not show the sheet

    @property
    def header_row(self) -> int:
        """The header's row number in the sheet."""
        return self.first_row - 1

    @property
    def group(self) -> list[object] | None:
        """The row just above the header (merged group headings, or a title), if any."""
        return self.above[-1] if self.above else None

    @property
    def label(self) -> str:
        return where(self.file, self.sheet)


def read_raw(
    path: str | Path, sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> list[RawSheet]:
    """Every sheet of a file (or the one named) with its header row found, cells as text."""
    p = Path(path)
    kind = workbook.sniff(p)
    if kind == "encrypted":
        raise DataError(f"{p}: the workbook is password-protected; save an unprotected copy")
    if kind == "csv":
        if sheet is not None:
            raise UsageError(f"--sheet {sheet!r}: {p} is a CSV file, which has no sheets")
        return [_read_csv(p, mapping)]
    return _read_workbook(p, sheet, kind, mapping)


def _read_workbook(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None
) -> list[RawSheet]:
    book = workbook.parsed(p, sheet, kind, mapping)
    out: list[RawSheet] = []
    for name, table in book.tables.items():
        first = book.first_rows.get(name, 1)
        head = book.heads.get(name)
        if head is not None:
            typed = _typed_frame(table, head)
            if typed is not None:
                header = head.rows[head.header]
                above = [list(r) for r in head.rows[: head.header]]
                out.append(RawSheet(str(p), name, header, typed, first + head.header + 1, above))
                continue
            table = workbook.parse_text(p, name)  # not as expected: read it again, as text
        if table.num_rows == 0:
            continue
        top = table.slice(0, HEADER_SEARCH_ROWS)
        cols = [top.column(i).to_pylist() for i in range(top.num_columns)]
        rows = [list(r) for r in zip(*cols, strict=True)]
        h = find_header_row(rows, mapping)
        if h is None:
            out.append(RawSheet(str(p), name, [], pd.DataFrame(), 1))
            continue
        frame = table.slice(h + 1).to_pandas()
        frame.columns = range(frame.shape[1])
        out.append(RawSheet(str(p), name, rows[h], frame, first + h + 1, rows[:h]))
    for raw in out:
        raw.hidden = book.hidden.get(str(raw.sheet))
    return out


def _typed_frame(table: Any, head: workbook.Head) -> pd.DataFrame | None:
    """The rows below the header of a sheet parsed with typed dates, as a frame; None unless its
    first rows hold, cell by cell, what the sheet's first rows as text hold below the header (a
    date as the same day), with at least one value among them."""
    frame = table.to_pandas()
    frame.columns = range(frame.shape[1])
    below = head.rows[head.header + 1 :]
    width = len(head.rows[0]) if head.rows else 0
    if frame.shape[1] < width:
        return None
    dates = {j for j in range(frame.shape[1]) if pd.api.types.is_datetime64_any_dtype(frame[j])}
    seen = False
    for i in range(min(len(below), len(frame))):
        for j in range(frame.shape[1]):
            text = below[i][j] if j < len(below[i]) else None
            value = frame.iat[i, j]
            if text is None:
                same = bool(pd.isna(value))
            elif j in dates:
                same = not pd.isna(value) and parse_date(text) == value.date()
            else:
                same = text == value
            if not same:
                return None
            seen = seen or text is not None
    return frame if seen else None


# A CSV's header row is looked for in its first lines, within this many bytes.
CSV_HEAD_BYTES = 4 << 20
# Rows pandas parses at a time: its parse of a whole file takes 3-4 times the file in memory;
# in pieces, about twice (a 63 MB file: 330 MB peak whole, 244 MB in pieces, and faster).
CSV_CHUNK_ROWS = 100_000


@contextlib.contextmanager
def _fields_up_to(n: int) -> Iterator[None]:
    """Let Python's csv module read fields of up to ``n`` characters (131,072 by default; the
    sample it sniffs is already bounded, and pandas, which reads the file, has no such limit)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, n + 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_frame(p: Path, encoding: str, delimiter: str, skip: int) -> pd.DataFrame:
    """A CSV file's rows below its header as text (missing as NA), read in pieces from the
    file itself (never as one string in memory)."""
    pieces = pd.read_csv(
        p,
        encoding=encoding,
        sep=delimiter,
        header=None,
        skiprows=skip,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        engine="c",
        chunksize=CSV_CHUNK_ROWS,
    )
    with pieces:
        parts = list(pieces)
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True)


# Names a CSV file may have: a text file of another name (README.md) is not a spreadsheet.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", "")
NOT_A_SPREADSHEET = (
    "not a spreadsheet (lgsco-stats reads .xlsx, .xls, .ods and .csv files of decisions, "
    "compliance outcomes or published tables)"
)
_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _unreadable_csv(p: Path, delimiter: str, e: Exception) -> DataError:
    """Why pandas could not read a text file as CSV, in the file's terms: a file not named as
    a CSV is not a spreadsheet; a row wider than the rows above names its line."""
    if p.suffix.lower() not in TEXT_SUFFIXES:
        return DataError(f"{p}: {NOT_A_SPREADSHEET}")
    m = _RAGGED.search(str(e))
    if m:
        wanted, line, saw = m.groups()
        return DataError(
            f"{p}, line {line}: {saw} values where the rows above have {wanted} (a "
            f"{delimiter!r} inside a value needs the value in double quotes)"
        )
    return DataError(f"{p}: not a readable CSV file ({workbook.short(e)})")


def _csv_head(p: Path) -> tuple[str, str]:
    """A CSV file's encoding and its first lines, as text (at most :data:`CSV_HEAD_BYTES`)."""
    from .guards import MAX_CSV_BYTES

    data = read_limited(p, MAX_CSV_BYTES)
    enc = text_encoding(p, data)
    head = data[:CSV_HEAD_BYTES]
    del data
    return enc, head.decode(enc, errors="ignore")


def _read_csv(p: Path, mapping: Mapping[str, str] | None) -> RawSheet:
    enc, text = _csv_head(p)
    if not text.strip():
        raise DataError(f"{p}: the file is empty")
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    sample = "\n".join(lines)
    delimiter = ","
    best = 0
    with _fields_up_to(len(sample)):
        for d in (",", ";", "\t", "|"):
            rows = list(csv.reader(io.StringIO(sample), delimiter=d))
            h = find_header_row([list(r) for r in rows], mapping)
            if h is not None:
                n = len(match_headers(list(rows[h]), mapping, rows[h - 1] if h else None))
                if n > best:
                    best, delimiter = n, d
        rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    h = find_header_row([list(r) for r in rows], mapping)
    if h is None:
        return RawSheet(str(p), None, [], pd.DataFrame(), 1)
    try:
        frame = _csv_frame(p, enc, delimiter, h + 1)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=range(len(rows[h])))
    except (pd.errors.ParserError, ValueError) as e:
        raise _unreadable_csv(p, delimiter, e) from None
    header: list[object] = [x if x.strip() else None for x in rows[h]]
    if frame.shape[1] < len(header):
        for i in range(frame.shape[1], len(header)):
            frame[i] = pd.NA
    frame.columns = range(frame.shape[1])
    header += [None] * (frame.shape[1] - len(header))
    above: list[list[object]] = [[x if x.strip() else None for x in r] for r in rows[:h]]
    return RawSheet(str(p), None, header, frame, h + 2, above)
