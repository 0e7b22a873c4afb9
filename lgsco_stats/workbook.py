"""Opening workbook files: what kind a file is (from its bytes), a guard against zip bombs, and
parsing every sheet with fastexcel (calamine, in Rust) into Arrow tables of text, the sheets side
by side.

:func:`parsing` begins that parse on a worker thread, so that a command can import pandas and the
rest of the program meanwhile (calamine releases Python's lock while it parses); :func:`parsed`
then hands over the result, or parses there and then. None of this imports pandas.
"""

from __future__ import annotations

import contextlib
import re
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataError, UsageError, where

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


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
class Parsed:
    """A workbook's sheets as Arrow tables of text (no header row taken), in workbook order, and
    each sheet's first row number (calamine's tables start at the first cell with a value)."""

    tables: dict[str, Any] = field(default_factory=dict)
    first_rows: dict[str, int] = field(default_factory=dict)


def parse(p: Path, sheet: str | None, kind: str) -> Parsed:
    """Every sheet of a workbook (or the one named), every cell as text."""
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

    def load(name: str) -> Any:
        # One parse per sheet: calamine reads the whole sheet whatever n_rows says, so the
        # header row is found in the first rows of the full table rather than in a second read.
        # Each sheet has its own reader: sheets are parsed side by side (calamine lets go of
        # Python's lock), so a workbook takes about as long as its largest sheet.
        sheet_reader = reader if len(names) == 1 else fastexcel.read_excel(str(p))
        return sheet_reader.load_sheet(name, header_row=None, dtypes="string").to_arrow()

    with ThreadPoolExecutor(max_workers=max(1, min(len(names), os.cpu_count() or 1))) as pool:
        jobs = [(name, pool.submit(load, name)) for name in names]
        for name, job in jobs:  # in workbook order: the first sheet that fails is the error
            try:
                out.tables[name] = job.result()
            except Exception as e:
                for _, other in jobs:
                    other.cancel()
                raise DataError(f"{where(str(p), name)}: cannot be read ({short(e)})") from None
    return out


class _Job:
    """A workbook being parsed on the worker thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Parsed | None = None
        self.error: BaseException | None = None


_jobs: dict[tuple[str, str | None], _Job] = {}


@contextlib.contextmanager
def parsing(paths: Sequence[Path], sheet: str | None = None) -> Iterator[None]:
    """Within this block, the workbooks among ``paths`` are being parsed on a worker thread for
    the reader; a parse the reader did not take is dropped at the end (a later read of the file
    parses it afresh)."""
    keys = start(paths, sheet)
    try:
        yield
    finally:
        for key in keys:
            _jobs.pop(key, None)


def start(paths: Sequence[Path], sheet: str | None = None) -> list[tuple[str, str | None]]:
    """Begin parsing these workbooks, one after the other, on a daemon thread (a program that
    stops early does not wait for it); CSV files and anything else are left to the reader.
    Returns the jobs' keys: use :func:`parsing`, which drops the jobs the reader did not take."""
    todo = []
    for p in map(Path, paths):
        key = (str(p), sheet)
        _jobs[key] = job = _Job()  # a newer parse replaces one not taken
        todo.append((p, job))
    if not todo:
        return []

    def run() -> None:
        for p, job in todo:
            try:
                kind = sniff(p)
                if kind in ("xlsx", "xls", "ods"):
                    job.result = parse(p, sheet, kind)
            except BaseException as e:  # raised again by parsed(), in the caller's thread
                job.error = e
            finally:
                job.done.set()

    threading.Thread(target=run, name="lgsco-workbooks", daemon=True).start()
    return [(str(p), sheet) for p, _ in todo]


def parsed(p: Path, sheet: str | None, kind: str) -> Parsed:
    """The parse :func:`start` began for this file, or a parse now."""
    job = _jobs.pop((str(p), sheet), None)
    if job is not None:
        job.done.wait()
        if job.error is not None:
            raise job.error
        if job.result is not None:
            return job.result
    return parse(p, sheet, kind)


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
    out: dict[str, int] = {}
    try:
        with zipfile.ZipFile(p) as z:
            wb = z.read("xl/workbook.xml")
            rels = z.read("xl/_rels/workbook.xml.rels")
            targets = {
                m.group(1).decode(): m.group(2).decode()
                for m in re.finditer(
                    rb'<Relationship[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels
                )
            }
            targets.update(
                {
                    m.group(2).decode(): m.group(1).decode()
                    for m in re.finditer(
                        rb'<Relationship[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels
                    )
                }
            )
            for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
                attrs = m.group(1)
                nm = re.search(rb'\bname="([^"]*)"', attrs)
                rid = re.search(rb'\br:id="([^"]*)"|\bid="([^"]*)"', attrs)
                if not nm or not rid:
                    continue
                target = targets.get((rid.group(1) or rid.group(2)).decode())
                if not target:
                    continue
                member = target.lstrip("/") if target.startswith("/") else "xl/" + target
                name = _xml_unescape(nm.group(1).decode("utf-8"))
                with z.open(member) as f:
                    chunk = f.read(1 << 16)
                c = _CELL.search(chunk)
                if c:
                    out[name] = int(c.group(1))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    return out


def _xml_unescape(s: str) -> str:
    return (
        s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )
