"""Opening workbook files: what kind a file is (from its bytes), a guard against zip bombs, and
parsing every sheet with fastexcel (calamine, in Rust) into Arrow tables of text, the sheets side
by side.

A large ``.xlsx`` sheet has its date columns parsed as dates, which saves the reader writing each
date out as text (0.2-0.9 s of a million-row sheet): its first rows are read first, from a cut
copy of the workbook (:mod:`.xlsx_head`), to find the header row and the date columns; reading
then checks that the typed rows agree with those first rows, and parses the sheet as text if not.

:func:`parsing` begins that parse on a worker thread, so that a command can import pandas and the
rest of the program meanwhile (calamine releases Python's lock while it parses); :func:`parsed`
then hands over the result, or parses there and then. None of this imports pandas.
"""

from __future__ import annotations

import contextlib
import re
import threading
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, UsageError, where

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
# An .xlsx sheet whose XML is at least this large has its date columns parsed as dates; on a
# smaller one, reading its first rows twice would cost more than writing its dates as text.
TYPED_FROM_BYTES = 4 << 20
# How many rows of a sheet are read first to find its header row: the rows the header may be
# in and a few below it, against which the typed rows are checked.
HEAD_ROWS = 40


def sniff(path: Path) -> str:
    """``xlsx``/``ods`` (zip), ``xls`` (compound file), ``encrypted`` or ``csv``, from the bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder, not a spreadsheet") from None
    except OSError as e:
        raise DataError(f"{path}: cannot be read ({e.strerror})") from None
    if not head:
        raise DataError(f"{path}: the file is empty")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                infos = z.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise DataError(
                f"{path}: not a readable workbook (the zip is damaged or truncated)"
            ) from None
        check_expansion(path, infos)
        names = {i.filename for i in infos}
        if "mimetype" in names and any(n == "content.xml" for n in names):
            return "ods"
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return "xlsx"
        raise DataError(f"{path}: a zip file but not an Excel or OpenDocument workbook")
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        with open(path, "rb") as f:
            blob = f.read(1 << 20)
        if "EncryptedPackage".encode("utf-16-le") in blob:
            return "encrypted"
        return "xls"
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        raise DataError(
            f"{path}: not an Excel or OpenDocument workbook, although its name ends "
            f"{path.suffix} (it may be another kind of file renamed)"
        )
    return "csv"


# A workbook is a zip of XML. A real 1,000,000-row sheet inflates to a few hundred megabytes at
# a ratio of 5 to 15; a "zip bomb" inflates to gigabytes at ratios near 1000. Refuse members
# that would inflate past these limits before any reader sees them.
MAX_MEMBER_BYTES = 4 << 30
MAX_TOTAL_BYTES = 8 << 30
MAX_RATIO = 200
RATIO_CHECK_FROM = 64 << 20


def check_expansion(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for i in infos:
        total += i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if (
            i.file_size > MAX_MEMBER_BYTES
            or total > MAX_TOTAL_BYTES
            or (i.file_size > RATIO_CHECK_FROM and ratio > MAX_RATIO)
        ):
            raise DataError(
                f"{path}: refused: {i.filename} would inflate from "
                f"{i.compress_size:,} to {i.file_size:,} bytes (a zip bomb, or not a real "
                "workbook)"
            )


@dataclass
class Head:
    """A sheet parsed with typed dates: its first rows as text, as the text parse gives them,
    and the index of its header row among them."""

    rows: list[list[object]]
    header: int


@dataclass
class Parsed:
    """A workbook's sheets as Arrow tables of text (no header row taken), in workbook order, and
    each sheet's first row number (calamine's tables start at the first cell with a value).

    A sheet in ``heads`` was parsed with typed dates: its table holds only the rows below its
    header row, its date columns as timestamps (or text where a column mixes dates and text)."""

    tables: dict[str, Any] = field(default_factory=dict)
    first_rows: dict[str, int] = field(default_factory=dict)
    heads: dict[str, Head] = field(default_factory=dict)


def _as_text(reader: Any, name: str) -> Any:
    """A sheet of a fastexcel reader's workbook, every cell as text, no header row taken."""
    return reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()


def _unreadable(p: Path, name: str, e: BaseException) -> DataError:
    return DataError(f"{where(str(p), name)}: cannot be read ({short(e)})")


def parse_text(p: Path, name: str) -> Any:
    """One sheet, every cell as text (an Arrow record batch)."""
    import fastexcel

    try:
        return _as_text(fastexcel.read_excel(str(p)), name)
    except Exception as e:
        raise _unreadable(p, name, e) from None


def _typed_sheets(p: Path, names: Sequence[str]) -> set[str]:
    """The sheets among ``names`` large enough to have their dates parsed as dates."""
    from .xlsx_head import sheet_members

    try:
        with zipfile.ZipFile(p) as z:
            members = sheet_members(z)
            return {
                n
                for n in names
                if n in members
                and members[n].endswith(".xml")
                and z.getinfo(members[n]).file_size >= TYPED_FROM_BYTES
            }
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return set()


def _parse_typed(
    p: Path, reader: Any, name: str, first_row: int, mapping: Mapping[str, str] | None
) -> tuple[Any, Head] | None:
    """A sheet's rows below its header with its date columns typed, and its head; None if its
    header row or date columns are not found, or its date columns hold other values."""
    import fastexcel
    import pyarrow as pa

    from .headers import date_columns
    from .xlsx_head import head_workbook

    small = head_workbook(str(p), name, HEAD_ROWS)
    if small is None:
        return None
    top = _as_text(fastexcel.read_excel(small), name)
    rows = [list(r) for r in zip(*(c.to_pylist() for c in top.columns), strict=True)]
    plan = date_columns(rows, mapping)
    if plan is None or not plan[1] or plan[0] + 1 >= len(rows):
        return None
    header, dates = plan
    # fastexcel names the columns of a sheet read without a header by position; every column
    # but the dates is text, as in the text parse. skip_rows counts from the sheet's first row.
    text = {f"__UNNAMED__{j}": "string" for j in range(top.num_columns) if j not in dates}
    table = reader.load_sheet(
        name,
        header_row=None,
        skip_rows=first_row + header,
        schema_sample_rows=None,  # a column's type from all its cells, never a sample of them
        dtypes=text,
    ).to_arrow()
    for j in dates:
        kind = table.schema.field(j).type
        if not (pa.types.is_timestamp(kind) or pa.types.is_string(kind) or pa.types.is_null(kind)):
            return None
    return table, Head(rows, header)


def parse(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None = None
) -> Parsed:
    """Every sheet of a workbook (or the one named), every cell as text, or the large ones with
    typed dates (``mapping`` helps find their header rows)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    import fastexcel

    try:
        reader = fastexcel.read_excel(str(p))
        names = list(reader.sheet_names)
    except Exception as e:  # calamine raises several types for a damaged file
        raise DataError(f"{p}: not a readable workbook ({short(e)})") from None
    if sheet is not None:
        if sheet not in names:
            raise UsageError(f"{p}: no sheet named {sheet!r}; sheets: {', '.join(names)}")
        names = [sheet]
    out = Parsed(first_rows=first_rows(p) if kind == "xlsx" else {})
    typed = _typed_sheets(p, names) if kind == "xlsx" else set()

    def load(name: str) -> tuple[Any, Head | None]:
        # One parse per sheet: calamine reads the whole sheet whatever n_rows says, so the
        # header row is found in the first rows of the full table rather than in a second read
        # (or, for a large sheet, in a cut copy of the workbook).
        # Each sheet has its own reader: sheets are parsed side by side (calamine lets go of
        # Python's lock), so a workbook takes about as long as its largest sheet.
        sheet_reader = reader if len(names) == 1 else fastexcel.read_excel(str(p))
        if name in typed:
            try:
                got = _parse_typed(p, sheet_reader, name, out.first_rows.get(name, 1), mapping)
            except Exception:  # the text parse below says what is wrong, if anything is
                got = None
            if got is not None:
                return got
        return _as_text(sheet_reader, name), None

    with ThreadPoolExecutor(max_workers=max(1, min(len(names), os.cpu_count() or 1))) as pool:
        jobs = [(name, pool.submit(load, name)) for name in names]
        for name, job in jobs:  # in workbook order: the first sheet that fails is the error
            try:
                out.tables[name], head = job.result()
                if head is not None:
                    out.heads[name] = head
            except Exception as e:
                for _, other in jobs:
                    other.cancel()
                raise _unreadable(p, name, e) from None
    return out


class _Job:
    """A workbook being parsed on the worker thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Parsed | None = None
        self.error: BaseException | None = None


_Key = tuple[str, str | None, tuple[tuple[str, str], ...]]
_jobs: dict[_Key, _Job] = {}


def _key(p: Path, sheet: str | None, mapping: Mapping[str, str] | None) -> _Key:
    return (str(p), sheet, tuple(sorted((mapping or {}).items())))


@contextlib.contextmanager
def parsing(
    paths: Sequence[Path], sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Within this block, the workbooks among ``paths`` are being parsed on a worker thread for
    the reader; a parse the reader did not take is dropped at the end (a later read of the file
    parses it afresh)."""
    keys = start(paths, sheet, mapping)
    try:
        yield
    finally:
        for key in keys:
            _jobs.pop(key, None)


def start(
    paths: Sequence[Path], sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> list[_Key]:
    """Begin parsing these workbooks, one after the other, on a daemon thread (a program that
    stops early does not wait for it); CSV files and anything else are left to the reader.
    Returns the jobs' keys: use :func:`parsing`, which drops the jobs the reader did not take."""
    todo = []
    for p in map(Path, paths):
        _jobs[_key(p, sheet, mapping)] = job = _Job()  # a newer parse replaces one not taken
        todo.append((p, job))
    if not todo:
        return []

    def run() -> None:
        for p, job in todo:
            try:
                kind = sniff(p)
                if kind in ("xlsx", "xls", "ods"):
                    job.result = parse(p, sheet, kind, mapping)
            except BaseException as e:  # raised again by parsed(), in the caller's thread
                job.error = e
            finally:
                job.done.set()

    threading.Thread(target=run, name="lgsco-workbooks", daemon=True).start()
    return [_key(p, sheet, mapping) for p, _ in todo]


def parsed(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None = None
) -> Parsed:
    """The parse :func:`start` began for this file, or a parse now."""
    job = _jobs.pop(_key(p, sheet, mapping), None)
    if job is not None:
        job.done.wait()
        if job.error is not None:
            raise job.error
        if job.result is not None:
            return job.result
    return parse(p, sheet, kind, mapping)


def short(e: BaseException) -> str:
    """An exception's first line, at most 200 characters, for a one-line error."""
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:200]


_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"[A-Z]+(\d+)\"[^>]*?(?<!/)>")


def first_rows(p: Path) -> dict[str, int]:
    """Sheet name → row number of its first non-empty cell.

    calamine's cell range starts at the first cell with a value, so a sheet whose first rows are
    empty would otherwise be numbered from that cell; reading the start of the sheet XML restores
    the real row numbers for messages."""
    from .xlsx_head import sheet_members

    out: dict[str, int] = {}
    try:
        with zipfile.ZipFile(p) as z:
            for name, member in sheet_members(z).items():
                with z.open(member) as f:
                    chunk = f.read(1 << 16)
                c = _CELL.search(chunk)
                if c:
                    out[name] = int(c.group(1))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    return out
