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

Every parse goes through :mod:`.guards`: the zip's sizes are checked first (:func:`sniff`), on
Linux calamine reads in a child process with capped memory and time, and each sheet calamine
gives is checked for its number of cells and its text before the rest of the tool sees it.
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

from ..errors import DataError, LgscoError, UsageError, where
from . import guards

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
        guards.check_expansion(path, infos)
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


def inflated_size(path: Path, kind: str) -> int:
    """What a workbook's parts inflate to together (a file that is not a zip: its size)."""
    if kind in ("xlsx", "ods"):
        try:
            with zipfile.ZipFile(path) as z:
                return sum(i.file_size for i in z.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
    try:
        return path.stat().st_size
    except OSError:
        return 0


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
    header row, its date columns as timestamps (or text where a column mixes dates and text).
    ``hidden`` names the sheets the workbook hides (``"hidden"`` or ``"veryhidden"``)."""

    tables: dict[str, Any] = field(default_factory=dict)
    first_rows: dict[str, int] = field(default_factory=dict)
    heads: dict[str, Head] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)


def _load(reader: Any, name: str, states: dict[str, str] | None = None, **options: Any) -> Any:
    """A sheet of a fastexcel reader's workbook as an Arrow record batch (its visibility noted
    in ``states``)."""
    guards.progress(name)
    sheet = reader.load_sheet(name, header_row=None, **options)
    if states is not None:
        states[name] = str(getattr(sheet, "visible", "visible"))
    return sheet.to_arrow()


def _as_text(reader: Any, name: str, states: dict[str, str] | None = None) -> Any:
    """A sheet of a fastexcel reader's workbook, every cell as text, no header row taken."""
    return _load(reader, name, states, dtypes="string")


def _unreadable(p: Path, name: str, e: BaseException) -> DataError:
    return DataError(f"{where(str(p), name)}: cannot be read ({short(e)})")


def _task(p: Path, kind: str, work: Any) -> guards.Task:
    try:
        size = p.stat().st_size
    except OSError:
        size = 0

    def explain(sheet: str) -> str | None:
        from .xlsx_head import extent

        got = extent(str(p), sheet) if kind == "xlsx" else None
        if got is None or got[2] <= guards.cell_limit(inflated):
            return None
        return f"its cells span {got[0]}:{got[1]}, a block of {got[2]:,} cells"

    inflated = inflated_size(p, kind)
    return guards.Task(work, str(p), inflated, size, explain)


def parse_text(p: Path, name: str) -> Any:
    """One sheet, every cell as text (an Arrow record batch)."""
    kind = "xlsx" if zipfile.is_zipfile(p) else "xls"

    def work() -> tuple[None, dict[str, Any]]:
        import fastexcel

        try:
            table = _as_text(fastexcel.read_excel(str(p)), name)
        except Exception as e:
            raise _unreadable(p, name, e) from None
        task = _task(p, kind, None)
        guards.check_sheet(where(str(p), name), table, task.inflated, task.file_size)
        return None, {name: table}

    return guards.run(_task(p, kind, work))[1][name]


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
    p: Path,
    reader: Any,
    name: str,
    first_row: int,
    mapping: Mapping[str, str] | None,
    states: dict[str, str] | None = None,
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
    table = _load(
        reader,
        name,
        states,
        skip_rows=first_row + header,
        schema_sample_rows=None,  # a column's type from all its cells, never a sample of them
        dtypes=text,
    )
    for j in dates:
        kind = table.schema.field(j).type
        if not (pa.types.is_timestamp(kind) or pa.types.is_string(kind) or pa.types.is_null(kind)):
            return None
    return table, Head(rows, header)


def _parse_here(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None = None
) -> Parsed:
    """:func:`parse` in this process."""
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
    limits = _task(p, kind, None)
    if not guards.ISOLATE:  # no child to die in its place: look at the cells' references first
        for name in names:
            if why := limits.explain(name) if limits.explain else None:
                raise DataError(f"{where(str(p), name)}: refused: {why}")
    states: dict[str, str] = {}

    def load(name: str, sheet_reader: Any) -> tuple[Any, Head | None]:
        got = None
        if name in typed:
            try:
                got = _parse_typed(
                    p, sheet_reader, name, out.first_rows.get(name, 1), mapping, states
                )
            except Exception:  # the text parse below says what is wrong, if anything is
                got = None
        table, head = got if got is not None else (_as_text(sheet_reader, name, states), None)
        guards.check_sheet(where(str(p), name), table, limits.inflated, limits.file_size)
        return table, head

    # Sheets are parsed side by side (calamine lets go of Python's lock), so a workbook takes
    # about as long as its largest sheet; each worker has a reader of its own (a reader is used
    # by one thread at a time, and each reader reads the shared strings once, so a workbook of
    # a thousand sheets is read by two readers, not a thousand).
    workers = max(1, min(len(names), os.cpu_count() or 1))
    todo = iter(names)
    lock = threading.Lock()
    results: dict[str, tuple[Any, Head | None] | BaseException] = {}

    def drain(n: int) -> None:
        sheet_reader = reader if n == 0 else None
        while True:
            with lock:
                if any(isinstance(v, BaseException) for v in results.values()):
                    return  # a sheet has failed: the rest need not be read
                name = next(todo, None)
            if name is None:
                return
            try:
                if sheet_reader is None:
                    sheet_reader = fastexcel.read_excel(str(p))
                got: tuple[Any, Head | None] | BaseException = load(name, sheet_reader)
            except Exception as e:
                got = e
            with lock:
                results[name] = got

    if workers == 1:
        drain(0)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for f in [pool.submit(drain, n) for n in range(workers)]:
                f.result()
    for name in names:  # in workbook order: the first sheet that fails is the error
        if name not in results:
            continue
        got = results[name]
        if isinstance(got, LgscoError):
            raise got
        if isinstance(got, BaseException):
            raise _unreadable(p, name, got) from None
        out.tables[name], head = got
        if head is not None:
            out.heads[name] = head
    out.hidden = {n: v for n, v in states.items() if v != "visible" and n in out.tables}
    return out


def _pack(book: Parsed) -> tuple[dict[str, Any], dict[str, Any]]:
    heads = {n: (h.rows, h.header) for n, h in book.heads.items()}
    meta = {
        "order": list(book.tables),
        "first_rows": book.first_rows,
        "heads": heads,
        "hidden": book.hidden,
    }
    return meta, book.tables


def _unpack(meta: dict[str, Any], tables: dict[str, Any]) -> Parsed:
    return Parsed(
        tables={n: tables[n] for n in meta["order"]},
        first_rows=meta["first_rows"],
        heads={n: Head(rows, h) for n, (rows, h) in meta["heads"].items()},
        hidden=meta["hidden"],
    )


def _parse_task(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None
) -> guards.Task:
    return _task(p, kind, lambda: _pack(_parse_here(p, sheet, kind, mapping)))


def parse(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None = None
) -> Parsed:
    """Every sheet of a workbook (or the one named), every cell as text, or the large ones with
    typed dates (``mapping`` helps find their header rows), within :mod:`.guards`' limits."""
    return _unpack(*guards.run(_parse_task(p, sheet, kind, mapping)))


class _Job:
    """A workbook being parsed on the worker thread (or in the reading child)."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: Parsed | None = None
        self.error: BaseException | None = None
        self.child: tuple[guards.Isolated, int] | None = None


_Key = tuple[str, str | None, tuple[tuple[str, str], ...]]
_jobs: dict[_Key, _Job] = {}
_children: dict[_Key, guards.Isolated] = {}


def _key(p: Path, sheet: str | None, mapping: Mapping[str, str] | None) -> _Key:
    return (str(p), sheet, tuple(sorted((mapping or {}).items())))


@contextlib.contextmanager
def parsing(
    paths: Sequence[Path], sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> Iterator[None]:
    """Within this block, the workbooks among ``paths`` are being parsed (in a child process on
    Linux, on a worker thread elsewhere) for the reader; a parse the reader did not take is
    dropped at the end (a later read of the file parses it afresh)."""
    keys = start(paths, sheet, mapping)
    try:
        yield
    finally:
        children = {_children.pop(key) for key in keys if key in _children}
        for key in keys:
            _jobs.pop(key, None)
        for child in children:
            child.close()


def start(
    paths: Sequence[Path], sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> list[_Key]:
    """Begin parsing these workbooks, one after the other: in one child process (Linux), or on a
    daemon thread (a program that stops early does not wait for it); CSV files and anything
    else are left to the reader. Returns the jobs' keys: use :func:`parsing`, which drops the
    jobs the reader did not take."""
    todo = []
    for p in map(Path, paths):
        _jobs[_key(p, sheet, mapping)] = job = _Job()  # a newer parse replaces one not taken
        todo.append((p, job))
    if not todo:
        return []
    keys = [_key(p, sheet, mapping) for p, _ in todo]
    if guards.ISOLATE:
        tasks, jobs = [], []
        for p, job in todo:
            try:
                kind = sniff(p)
            except BaseException as e:  # raised again by parsed(), in the caller's thread
                job.error = e
                job.done.set()
                continue
            if kind not in ("xlsx", "xls", "ods"):
                job.done.set()
                continue
            tasks.append(_parse_task(p, sheet, kind, mapping))
            jobs.append(job)
        if tasks:
            try:
                child = guards.Isolated(tasks)
            except OSError:  # no child to be had: each is parsed when the reader asks for it
                for job in jobs:
                    job.done.set()
                return keys
            for i, job in enumerate(jobs):
                job.child = (child, i)
            for key in keys:
                _children[key] = child
        return keys

    def run() -> None:
        for p, job in todo:
            try:
                kind = sniff(p)
                if kind in ("xlsx", "xls", "ods"):
                    job.result = _parse_here(p, sheet, kind, mapping)
            except BaseException as e:  # raised again by parsed(), in the caller's thread
                job.error = e
            finally:
                job.done.set()

    threading.Thread(target=run, name="lgsco-workbooks", daemon=True).start()
    return keys


def parsed(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None = None
) -> Parsed:
    """The parse :func:`start` began for this file, or a parse now."""
    job = _jobs.pop(_key(p, sheet, mapping), None)
    if job is not None:
        if job.child is not None:
            child, i = job.child
            got = child.result(i)
            if got is not None:
                return _unpack(*got)
        else:
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
