"""Where ``lgsco-stats compute`` spends its time, step by step.

Runs the real command in this process (``compute FILE --format json --db TMP``, stdout thrown
away) with a timer around each step of the pipeline, several times, and prints each step's
own time (time in the steps it calls is shown under those), wall and CPU, median of the runs::

    python benchmarks/profile_compute.py                  # the cached 200k workbook
    python benchmarks/profile_compute.py --size 20k
    python benchmarks/profile_compute.py FILE.xlsx --json profile.json

Runs after the first find the lazy imports done (fastexcel, Typer's pydantic) and the register
loaded, so the medians show the work itself; ``run.py`` times whole fresh processes.

The timers wrap module functions by name (see ``STEPS``), so they cost a few microseconds per
call and are only put on functions called a handful of times; a sampling profiler gives the
detail inside a step::

    py-spy record -o compute.svg -- python -m lgsco_stats compute FILE --db /tmp/x.db -f json
    python -m pyinstrument -m lgsco_stats compute FILE --db /tmp/x.db -f json
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workbooks import ROOT, SIZES, ensure_workbook  # noqa: E402

# (module, attribute, what the step does). A class method is written "Class.method".
STEPS: tuple[tuple[str, str, str], ...] = (
    ("lgsco_stats.read.files", "read_raw", "open the workbook, find headers, fastexcel → pandas"),
    ("lgsco_stats.read.sheets", "_typed_frame", "typed rows → pandas, checked against first rows"),
    ("lgsco_stats.read.cells", "text", "cells → stripped text (the reference column)"),
    ("lgsco_stats.read.cells", "distinct", "distinct values of a column, stripped, codes"),
    ("lgsco_stats.read.cells", "blank_check", "check required cells are not blank"),
    ("lgsco_stats.read.dates", "date_column", "typed date columns → days, check range"),
    ("lgsco_stats.read.dates", "parse_column", "parse text date columns, check range"),
    ("lgsco_stats.read.decisions", "years_of", "date → financial year"),
    ("lgsco_stats.read.cells", "codes", "map each distinct value (outcomes, flags, dates)"),
    ("lgsco_stats.read.files", "sheet_kind", "a sheet's kind from its headers and outcomes"),
    ("lgsco_stats.read.decisions", "note_rows", "rows of a case list that are notes"),
    ("lgsco_stats.read.files", "check_duplicates", "duplicate case references"),
    ("lgsco_stats.read.files", "read_files", "rest of reading (frames, concat, checks)"),
    ("lgsco_stats.councils", "register", "load the register of councils"),
    ("lgsco_stats.councils", "Register.resolve", "resolve each distinct (authority, year)"),
    ("lgsco_stats.counts", "attach_councils", "rest of attach_councils (keys per row)"),
    ("lgsco_stats.store.blobs", "decision_table", "decisions → Arrow rows of the store"),
    ("lgsco_stats.store.blobs", "compliance_table", "compliance → Arrow rows of the store"),
    ("lgsco_stats.store.blobs", "check_rows", "store's own checks of the rows"),
    ("lgsco_stats.store.blobs", "decode", "read stored years back (Arrow IPC)"),
    ("lgsco_stats.store.blobs", "by_year", "split the load's rows by year"),
    ("lgsco_stats.store.blobs", "rows_digest", "digest of a year's rows (is it stored already?)"),
    ("lgsco_stats.store.blobs", "encode", "year's rows → compressed Arrow IPC"),
    ("lgsco_stats.store.blobs", "count_rows", "counts per authority of a year's rows"),
    ("lgsco_stats.store.blobs", "merge_rows", "rest of merging rows into stored years"),
    ("lgsco_stats.store.database", "file_hash", "SHA-256 of the workbook"),
    ("lgsco_stats.store.database", "Store.save", "rest of the save + SQLite commit"),
    ("lgsco_stats.store.database", "Store.count_parts", "count tables → frames"),
    ("lgsco_stats.counts", "combine_counts", "combine decision/compliance/published counts"),
    ("lgsco_stats.figures", "council_figures", "rates, group benchmarks, differences"),
    ("lgsco_stats.counts", "unmatched", "bodies outside the register"),
    ("lgsco_stats.tables", "records", "figures frame → records"),
    ("lgsco_stats.cli.render", "prepare", "output text (JSON)"),
)


@dataclass
class Timing:
    label: str
    what: str
    calls: int = 0
    wall: float = 0.0  # own time: the time in timed steps it calls is taken off
    cpu: float = 0.0  # CPU time of the thread that ran it
    worker: bool = False  # ran on a worker thread (overlapping the main thread's steps)


class Timers:
    def __init__(self) -> None:
        self.table: dict[str, Timing] = {}
        # [child wall, child cpu] per open step, per thread: a step run on a worker thread
        # overlaps the main thread's steps in wall time.
        self._local = threading.local()

    @property
    def _stack(self) -> list[list[float]]:
        if not hasattr(self._local, "stack"):
            self._local.stack = []
        return self._local.stack  # type: ignore[no-any-return]

    def wrap(self, label: str, what: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        timing = self.table.setdefault(label, Timing(label, what))

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([0.0, 0.0])
            timing.worker = threading.current_thread() is not threading.main_thread()
            w0, c0 = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                wall, cpu = time.perf_counter() - w0, time.thread_time() - c0
                child = self._stack.pop()
                timing.calls += 1
                timing.wall += wall - child[0]
                timing.cpu += cpu - child[1]
                if self._stack:
                    self._stack[-1][0] += wall
                    self._stack[-1][1] += cpu

        return timed

    def install(self, steps: Sequence[tuple[str, str, str]]) -> None:
        for module_name, attr, what in steps:
            module = importlib.import_module(module_name)
            owner: Any = module
            name = attr
            if "." in attr:
                cls, name = attr.split(".")
                owner = getattr(module, cls)
            setattr(
                owner,
                name,
                self.wrap(f"{module_name.rsplit('.', 1)[-1]}.{attr}", what, getattr(owner, name)),
            )


@contextlib.contextmanager
def stdout_to_devnull() -> Iterator[None]:
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


def profile(book: Path, repeat: int = 1) -> list[list[tuple[str, str, int, float, float]]]:
    """Run compute on ``book`` ``repeat`` times in this process; per run, the rows
    (step, what, calls, own wall, own CPU), the first row the imports (paid by the first run
    only, and counted in each run's rows) and the last one the time outside the steps."""
    w0, c0 = time.perf_counter(), time.process_time()
    import pandas  # noqa: F401  (what every command pays first)

    import lgsco_stats.figures  # noqa: F401
    import lgsco_stats.read.files  # noqa: F401
    import lgsco_stats.store  # noqa: F401
    from lgsco_stats.cli import app

    imported_wall, imported_cpu = time.perf_counter() - w0, time.process_time() - c0

    timers = Timers()
    timers.install(STEPS)
    runs = []
    for _ in range(repeat):
        for t in timers.table.values():
            t.calls, t.wall, t.cpu = 0, 0.0, 0.0
        w0, c0 = time.perf_counter(), time.process_time()
        with tempfile.TemporaryDirectory(prefix="lgsco-profile-") as tmp, stdout_to_devnull():
            try:
                app(
                    ["compute", str(book), "--format", "json", "--db", str(Path(tmp) / "s.db")],
                    standalone_mode=False,
                )
            except SystemExit as e:
                if e.code:
                    raise
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        rows = [("imports", "import pandas and the core", 1, imported_wall, imported_cpu)]
        main_steps = [t for t in timers.table.values() if t.calls and not t.worker]
        rows += [(t.label, t.what, t.calls, t.wall, t.cpu) for t in main_steps]
        rows += [
            (t.label, "[worker thread] " + t.what, t.calls, t.wall, t.cpu)
            for t in timers.table.values()
            if t.calls and t.worker
        ]
        rows.append(
            (
                "(untimed)",
                "main thread: CLI, Typer, messages, between the steps",
                1,
                wall - sum(t.wall for t in main_steps),
                cpu - sum(r[4] for r in rows[1:]),
            )
        )
        rows.append(("(run)", "the whole run, imports included (wall, process CPU)", 1,
                     wall + imported_wall, cpu + imported_cpu))  # fmt: skip
        runs.append(rows)
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time each step of lgsco-stats compute.")
    p.add_argument("file", nargs="?", type=Path, help="workbook (default: the cached --size one)")
    p.add_argument("--size", choices=list(SIZES), default="200k")
    p.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs in this process; each step's median is shown (default 3)",
    )
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the table as JSON")
    args = p.parse_args(argv)
    book = args.file or ensure_workbook(args.size, lambda t: print(t, file=sys.stderr))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))  # this checkout's package, not an installed one
    runs = profile(book, max(args.repeat, 1))
    rows = [
        (
            label,
            what,
            calls,
            statistics.median(r[i][3] for r in runs),
            statistics.median(r[i][4] for r in runs),
        )
        for i, (label, what, calls, _, _) in enumerate(runs[0])
    ]
    wall, cpu = rows[-1][3], rows[-1][4]
    print(
        f"lgsco-stats compute {book.name}: {wall:.2f} s wall, {cpu:.2f} s CPU (medians over "
        f"{len(runs)} runs; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores). "
        "Steps marked [worker thread] overlap the main thread's."
    )
    print(f"  {'step':<28} {'what':<66} {'calls':>5} {'wall':>8} {'CPU':>8} {'share':>6}")
    for label, what, calls, w, c in rows:
        print(f"  {label:<28} {what:<66} {calls:>5} {w:>7.3f}s {c:>7.3f}s {w / wall:>6.1%}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "file": book.name,
                    "wall_s": wall,
                    "cpu_s": cpu,
                    "runs": len(runs),
                    "steps": [
                        dict(zip(("step", "what", "calls", "wall_s", "cpu_s"), r, strict=True))
                        for r in rows
                    ],
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
