"""What reading a file may cost, in one place: every file the tool opens (decisions, populations,
contacts, templates) goes through these limits, and SECURITY.md lists them with their tests.

A workbook is a zip of XML that a reader inflates and expands: a few kilobytes can name a cell
at ``XFD1048576`` (calamine then allocates every cell between it and ``A1``), a string a million
characters long that 10,000 cells share, a row repeated a million times in OpenDocument, or
parts that inflate to gigabytes. Three layers keep such files from aborting the tool or taking
gigabytes:

1. **Before any reader**, the zip's own directory: the workbook as a whole may inflate to at
   most :data:`MAX_INFLATED` bytes, and no more than :data:`MAX_RATIO` times its compressed size
   once past :data:`RATIO_FROM` (:func:`check_expansion`).
2. **While calamine reads**, on Linux, it reads in a child process (:class:`Isolated`) whose
   address space is capped at :func:`memory_limit` (a floor plus a multiple of the file's
   inflated size) and whose time is capped at :func:`time_limit`; a child that dies of it is
   one line about the file, never the tool aborting. Elsewhere calamine reads in-process,
   after an ``.xlsx`` sheet's cell references have been looked at for a block over
   :func:`cell_limit` (:func:`lgsco_stats.read.xlsx_head.extent`).
3. **Before the rest of the tool sees a sheet**, its size as calamine gives it: at most
   :data:`MAX_COLUMNS` columns, :func:`cell_limit` cells (rows times columns, empty ones
   included) and :func:`text_limit` bytes of text (:func:`check_sheet`), so that a file of a
   few kilobytes never becomes a frame of hundreds of megabytes.

CSV files are text: they are limited by size (:data:`MAX_CSV_BYTES`) and read with memory
proportional to that. Letter templates have limits of their own, on their size and on what
rendering one letter may make and take (:mod:`lgsco_stats.letters.render`).

None of this imports pandas.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError, LgscoError, UsageError

# --------------------------------------------------------------------------- the limits

# A workbook's parts inflated together. The largest real sheet Excel can hold, 1,048,576 rows
# of ~20 short cells, is about 1.5 GB of XML; our million-row test sheet is 247 MB.
MAX_INFLATED = 4 << 30
# Real workbooks compress 5-15 times (ours: 10-12); a "zip bomb" 1000 times.
MAX_RATIO = 100
RATIO_FROM = 64 << 20
# Cells (rows x columns of the block calamine makes of a sheet, empty ones included) that any
# sheet may have, and how many more per byte of the workbook's inflated XML: a real cell takes
# at least 20 bytes of XML, so a quarter of a cell per byte leaves room for a sheet five times
# emptier than full, while one far-away cell in a small file is refused.
CELL_FLOOR = 4_000_000
CELLS_PER_BYTE = 0.25
# Columns in one sheet: the rest of reading works column by column (about half a millisecond
# each), and no table of decisions or figures is wider than a few dozen. Excel's own limit is
# 16,384; calamine has none for cells placed one after another without a reference.
MAX_COLUMNS = 2_048
# Text in one sheet's cells: a floor, and how many times the inflated XML (shared strings let
# a short XML cell stand for a long text; a council name in a 28-byte cell is about twice that).
TEXT_FLOOR = 64 << 20
TEXT_PER_BYTE = 8
# The reading child's address space beyond what it inherits: a floor, and how many times the
# inflated size (calamine's cells, its block, the Arrow table: about 4-5 times the XML). The
# address space counts what pyarrow maps (about 300 MB, little of it ever in memory) and each
# thread's stack and heap arena; what the child actually uses stays well below.
MEMORY_FLOOR = 640 << 20
MEMORY_PER_BYTE = 8
# Time for the child to read a workbook: a floor and seconds per inflated MiB (a million-row
# sheet, 247 MiB, reads in 3-5 s on the team's machine).
SECONDS_FLOOR = 120.0
SECONDS_PER_MIB = 0.5
# A CSV takes about 6 times its size through the whole of compute (2-3 for the read itself):
# 1 GiB is ten times a million decisions.
MAX_CSV_BYTES = 1 << 30


def _size(n: float) -> str:
    """``1536`` → ``"1.5 KB"``; bytes in the units people read."""
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,.0f} {unit}" if unit == "bytes" or n >= 100 else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TB"  # pragma: no cover


def check_expansion(path: Path, infos: Sequence[zipfile.ZipInfo]) -> int:
    """Refuse a zip that would inflate past :data:`MAX_INFLATED`, or whose parts together
    inflate more than :data:`MAX_RATIO` times their compressed size (once past
    :data:`RATIO_FROM`); returns the inflated size of the whole workbook."""
    inflated = sum(i.file_size for i in infos)
    compressed = sum(i.compress_size for i in infos)
    biggest = max(infos, key=lambda i: i.file_size, default=None)
    ratio = inflated / max(compressed, 1)
    if inflated > MAX_INFLATED or (inflated > RATIO_FROM and ratio > MAX_RATIO):
        part = (
            f"; the largest part, {biggest.filename}, {_size(biggest.file_size)}"
            if biggest is not None and len(infos) > 1
            else ""
        )
        raise DataError(
            f"{path}: refused: its {len(infos):,} parts would inflate from "
            f"{_size(compressed)} to {_size(inflated)}{part} (a zip bomb, or not a real "
            f"workbook; the limit is {_size(MAX_INFLATED)}, and {MAX_RATIO} times the "
            "compressed size)"
        )
    return inflated


def cell_limit(inflated: int) -> int:
    return int(CELL_FLOOR + CELLS_PER_BYTE * inflated)


def text_limit(inflated: int) -> int:
    return int(TEXT_FLOOR + TEXT_PER_BYTE * inflated)


def memory_limit(inflated: int) -> int:
    return int(MEMORY_FLOOR + MEMORY_PER_BYTE * inflated)


def time_limit(inflated: int) -> float:
    return SECONDS_FLOOR + SECONDS_PER_MIB * inflated / (1 << 20)


def check_sheet(label: str, table: Any, inflated: int, file_size: int) -> None:
    """Refuse a sheet (an Arrow table or record batch, as calamine gives it) with more cells or
    text than a workbook of ``inflated`` bytes of XML can honestly hold."""
    cells = table.num_rows * table.num_columns
    if table.num_columns > MAX_COLUMNS:
        raise DataError(
            f"{label}: refused: it is {table.num_columns:,} columns wide; the limit is "
            f"{MAX_COLUMNS:,} (a cell far to the right of the others?)"
        )
    if cells > cell_limit(inflated):
        raise DataError(
            f"{label}: refused: its cells make a block of {table.num_columns:,} columns by "
            f"{table.num_rows:,} rows ({cells:,} cells, empty ones included) from a file of "
            f"{_size(file_size)}; the limit for this file is {cell_limit(inflated):,} cells "
            "(a cell far from the others, or rows repeated many times)"
        )
    text = sum(_text_bytes(c) for c in table.columns)
    if text > text_limit(inflated):
        raise DataError(
            f"{label}: refused: its cells hold {_size(text)} of text from a file of "
            f"{_size(file_size)}; the limit for this file is {_size(text_limit(inflated))} "
            "(the same long text in many cells)"
        )


def _text_bytes(column: Any) -> int:
    kind = str(column.type)
    if "string" not in kind and "binary" not in kind:
        return 0
    return int(column.nbytes)


# --------------------------------------------------------------------------- the child
#
# The child is a fork of this process: it has every module this one has, and must not import
# any other (a thread of this process may hold an import lock the child would wait on for
# ever), so the modules it uses are imported before the fork (:func:`_ready`).
#
# Messages go from the child up a pipe, each a 4-byte length and a pickle: ("start", i),
# ("sheet", i, name) before calamine reads a sheet, ("done", i, meta, tables) with the
# offsets of the task's Arrow tables in the shared data file, or ("error", i, kind, message,
# hint). The parent reads them on a thread, enforces the time limit, and maps the data file.

ISOLATE = sys.platform.startswith("linux") and hasattr(os, "fork")


@dataclass
class Task:
    """One call to run in the child: ``work()`` returns (meta, {key: Arrow table}); ``label``
    names the file in messages, ``inflated`` sets its limits."""

    work: Callable[[], tuple[Any, dict[Any, Any]]]
    label: str
    inflated: int
    file_size: int
    explain: Callable[[str], str | None] | None = None  # why a sheet of it was refused
    done: threading.Event = field(default_factory=threading.Event)
    meta: Any = None
    tables: dict[Any, Any] | None = None
    error: BaseException | None = None


_current: dict[str, Any] = {"pipe": None, "task": None}


def progress(sheet: str) -> None:
    """Say, from inside a task, which sheet calamine is about to read (named if it dies)."""
    pipe = _current["pipe"]
    if pipe is not None:
        _send(pipe, ("sheet", _current["task"], sheet))


def _send(fd: int, message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack("<I", len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _ready() -> None:
    """Import, in this thread, what the child will use."""
    import concurrent.futures.thread  # noqa: F401
    import html  # noqa: F401
    import io  # noqa: F401
    import re  # noqa: F401
    import resource  # noqa: F401

    import fastexcel  # noqa: F401
    import pyarrow  # noqa: F401
    import pyarrow.ipc  # noqa: F401

    from . import headers, workbook, xlsx_head  # noqa: F401


def _address_space() -> int:
    """This process's virtual size now (what a child inherits)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class Isolated:
    """Tasks run one after the other in a child process with capped memory and time.

    ``Isolated(tasks)`` forks at once; each task's ``done`` is set when it has finished (or the
    child has died); :meth:`result` waits for one. Use as a context manager, or call
    :meth:`close`, which stops a child still working on tasks nobody took."""

    def __init__(self, tasks: Sequence[Task]) -> None:
        import warnings

        # With no other thread alive nothing can hold an import lock, and the child imports
        # what it needs itself (pyarrow while calamine reads); otherwise import it first.
        if threading.active_count() > 1:
            _ready()
        self.tasks = list(tasks)
        self._data = tempfile.TemporaryFile(prefix="lgsco-read-")
        read_end, write_end = os.pipe()
        try:
            with warnings.catch_warnings():  # Python 3.12 warns about fork with threads alive
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            for fd in (read_end, write_end):
                os.close(fd)
            self._data.close()
            raise
        if pid == 0:  # pragma: no cover - the child, seen through its messages
            os.close(read_end)
            self._child(write_end)
        os.close(write_end)
        self.pid = pid
        self._read = read_end
        self._reaped = False
        self._thread = threading.Thread(target=self._listen, name="lgsco-read", daemon=True)
        self._thread.start()

    # ----------------------------------------------------------------- in the child

    def _child(self, pipe: int) -> None:  # pragma: no cover - runs in the forked child
        import resource

        status = 0
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)  # calamine's panic and allocation messages are not for users
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            _current["pipe"] = pipe
            if "pyarrow.ipc" not in sys.modules:  # the tables need it once calamine is done
                threading.Thread(target=_ready, daemon=True).start()
            hard = resource.getrlimit(resource.RLIMIT_AS)[1]
            for i, task in enumerate(self.tasks):
                _current["task"] = i
                limit = _address_space() + memory_limit(task.inflated)
                if hard != resource.RLIM_INFINITY:
                    limit = min(limit, hard)
                resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
                _send(pipe, ("start", i))
                try:
                    meta, tables = task.work()
                    offsets = self._write(tables)
                    del tables
                except LgscoError as e:
                    _send(pipe, ("error", i, type(e).__name__, e.message, e.hint))
                except MemoryError:
                    _send(pipe, ("memory", i))
                except Exception as e:  # noqa: BLE001 - reported to the parent as it is
                    _send(pipe, ("failed", i, type(e).__name__, str(e)[:500]))
                else:
                    _send(pipe, ("done", i, meta, offsets))
        except BaseException:
            status = 1
        finally:
            os._exit(status)

    def _write(self, tables: dict[Any, Any]) -> dict[Any, tuple[int, int]]:  # pragma: no cover
        import pyarrow as pa

        out = {}
        f = self._data
        for key, table in tables.items():
            f.seek(0, os.SEEK_END)
            start = f.tell()
            sink = pa.PythonFile(f, mode="w")
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write(table)
            f.flush()
            out[key] = (start, f.tell() - start)
        return out

    # ----------------------------------------------------------------- in the parent

    def _listen(self) -> None:
        buf = b""
        current: int | None = None
        sheet: str | None = None
        deadline = None
        try:
            while True:
                timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
                ready, _, _ = select.select([self._read], [], [], timeout)
                if not ready:  # out of time: the task is refused, the child stopped
                    self._kill()
                    if current is not None:
                        task = self.tasks[current]
                        self._fail(
                            current,
                            DataError(
                                f"{self._where(task, sheet)}: refused: reading it took longer "
                                f"than {time_limit(task.inflated):g} seconds (the limit for "
                                f"a file of {_size(task.file_size)})"
                            ),
                        )
                    break
                chunk = os.read(self._read, 1 << 16)
                if not chunk:
                    break
                buf += chunk
                while len(buf) >= 4:
                    (n,) = struct.unpack("<I", buf[:4])
                    if len(buf) < 4 + n:
                        break
                    message = pickle.loads(buf[4 : 4 + n])
                    buf = buf[4 + n :]
                    kind, i = message[0], message[1]
                    if kind == "start":
                        current, sheet = i, None
                        deadline = time.monotonic() + time_limit(self.tasks[i].inflated)
                    elif kind == "sheet":
                        sheet = message[2]
                    else:
                        self._finish(i, message, sheet)
                        current, deadline = None, None
        finally:
            os.close(self._read)
            self._data.close()  # what was mapped stays mapped
            status = self._reap()
            if current is not None and not self.tasks[current].done.is_set():
                self._fail(current, self._death(self.tasks[current], sheet, status))
            for task in self.tasks:  # tasks the child never reached: the caller reads them
                task.done.set()

    def _finish(self, i: int, message: tuple[Any, ...], sheet: str | None) -> None:
        task = self.tasks[i]
        kind = message[0]
        if kind == "done":
            try:
                task.meta, task.tables = message[2], self._map(message[3])
            except Exception as e:  # noqa: BLE001 - a data file we cannot read back
                task.error = DataError(f"{task.label}: cannot be read ({e})")
        elif kind == "error":
            cls = {"UsageError": UsageError}.get(message[2], DataError)
            task.error = cls(message[3], hint=message[4])
        elif kind == "memory":
            task.error = self._death(task, sheet, None)
        else:
            where = f"{task.label}, sheet {sheet!r}" if sheet else task.label
            task.error = DataError(f"{where}: cannot be read ({message[2]}: {message[3]})")
        task.done.set()

    def _fail(self, i: int, error: BaseException) -> None:
        self.tasks[i].error = error
        self.tasks[i].done.set()

    def _map(self, offsets: dict[Any, tuple[int, int]]) -> dict[Any, Any]:
        import mmap

        import pyarrow as pa

        if not offsets:
            return {}
        mm = mmap.mmap(self._data.fileno(), 0, access=mmap.ACCESS_READ)
        whole = pa.py_buffer(mm)
        out = {}
        for key, (start, length) in offsets.items():
            reader = pa.ipc.open_stream(whole.slice(start, length))
            out[key] = reader.read_next_batch()
        return out

    @staticmethod
    def _where(task: Task, sheet: str | None) -> str:
        return f"{task.label}, sheet {sheet!r}" if sheet else task.label

    def _death(self, task: Task, sheet: str | None, status: int | None) -> BaseException:
        if status is not None and os.WIFSIGNALED(status):
            if os.WTERMSIG(status) == signal.SIGINT:
                return KeyboardInterrupt()
        why = task.explain(sheet) if task.explain is not None and sheet else None
        need = (
            f"reading it needed more than {_size(memory_limit(task.inflated))} of memory, the "
            f"limit for a file of {_size(task.file_size)}"
        )
        if why:
            return DataError(f"{self._where(task, sheet)}: refused: {why} ({need})")
        return DataError(
            f"{self._where(task, sheet)}: refused: {need} (a sheet whose cells reach far beyond "
            "its data, the same long text in many cells, or rows repeated many times)"
        )

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def _reap(self) -> int | None:
        if self._reaped:
            return None
        self._reaped = True
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return None

    def result(self, i: int) -> tuple[Any, dict[Any, Any]] | None:
        """Task ``i``'s (meta, tables); None if the child never reached it; raises its error."""
        task = self.tasks[i]
        task.done.wait()
        if task.error is not None:
            raise task.error
        if task.tables is None:
            return None
        return task.meta, task.tables

    def close(self) -> None:
        """Stop the child if it is still working, and wait for the listening thread."""
        if not all(t.done.is_set() for t in self.tasks):
            self._kill()
        self._thread.join()

    def __enter__(self) -> Isolated:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run(task: Task) -> tuple[Any, dict[Any, Any]]:
    """Run one task in a child (or here, where there is no child to be had) and give its
    (meta, tables); the tables' memory is mapped from the child's output and stays readable."""
    if not ISOLATE:
        return task.work()
    try:
        child = Isolated([task])
    except OSError:  # no process to be had (memory, a process limit): read here
        return task.work()
    with child:
        got = child.result(0)
    return got if got is not None else task.work()  # a child that never started: read here
