"""The lgsco-stats benchmark suite: times each target of issue 5 against its reference.

Run from anywhere (it times the package of the checkout it lives in)::

    python benchmarks/run.py                         # 20k and 200k rows, 5 runs each
    python benchmarks/run.py --sizes 20k,200k,1m --slow-repeat 1 --json results.json
    python benchmarks/run.py --only startup letters  # some targets only

Every timed thing runs as a fresh subprocess (so imports count), several times, and a target
runs interleaved with its references (A, B, A, B, ...) so that a slow spell of the machine hits
both. Each run is preceded by one untimed warm-up of each command (bytecode cache, page cache).
The table shows medians; peak memory is the run's ``ru_maxrss`` from ``os.wait4``. Ratios are
checked against the issue's targets and marked PASS or FAIL; a target that could not be run says
so and carries no number.

Targets (see ``benchmarks/README.md``):

``compute``  ``lgsco-stats compute FILE --format json`` into a fresh store, against reading every
             sheet with fastexcel into pandas (at most 1.5x) and ``pandas.read_excel`` with
             openpyxl plus a groupby (at least 10x slower than compute); peak memory.
``startup``  ``--help`` against ``import typer, rich`` (at most 1.5x); ``compare``, ``councils``
             and ``letter`` for one council on a filled store against ``import pandas`` (1.3x).
``letters``  ``letter --all`` for one year as md, html (under 2 s), docx and pdf (under 15 s).
``reload``   loading the same workbook into the same store again: no slower than the first
             load, and the store's size unchanged.
``site``     ``lgsco-stats report`` (every year of the 200k workbook's store) against
             ``compute`` of that workbook into a fresh store, interleaved: at most 3x.

Only the standard library is used here; the workbooks come from ``examples/make_examples.py``
(see ``workbooks.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workbooks import ROOT, SIZES, ensure_workbook  # noqa: E402

PY = sys.executable
GROUPS = ("compute", "startup", "letters", "reload", "site")
# The store for the start-up targets: ten years, as many decisions as the Ombudsman makes about
# councils in about ten years.
STARTUP_STORE_SIZE = "200k"
# The letters target: a store holding one year, every council (the shipped example).
LETTER_WORKBOOK = ROOT / "examples" / "decisions.xlsx"
LETTER_YEAR = "2019-20"
# format → limit, seconds
LETTER_FORMATS = {"markdown": 2.0, "html": 2.0, "docx": 15.0, "pdf": 15.0}
# "No slower than the first load": medians of a few runs differ by a few percent from noise
# alone, so the second load passes if its median is within this factor of the first's.
RELOAD_NOISE = 1.05
MEMORY_LIMIT_KIB = 24 * 1024 * 1024  # the 24 GiB machine
# The site target (issue 16): the report site for the ten years of this workbook's store, at most
# SITE_LIMIT times compute of the same workbook.
SITE_SIZE = "200k"
SITE_LIMIT = 3.0
# The workbook sizes the issue sets the compute ratios for.
TARGET_SIZES = ("200k", "1m")

FASTEXCEL_SCRIPT = """\
import sys, fastexcel
reader = fastexcel.read_excel(sys.argv[1])
frames = {n: reader.load_sheet(n).to_pandas() for n in reader.sheet_names}
print(sum(len(f) for f in frames.values()))
"""
OPENPYXL_SCRIPT = """\
import sys, pandas as pd
sheets = pd.read_excel(sys.argv[1], sheet_name=None, engine="openpyxl")
counts = sheets["Decisions"].groupby(["Authority", "Outcome"]).size()
compliance = sheets["Compliance"].groupby(["Authority", "Compliance outcome"]).size()
print(len(counts), len(compliance))
"""
UNZIP_SCRIPT = """\
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    print(sum(len(z.read(n)) for n in z.namelist() if n.startswith("xl/worksheets/")))
"""


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system CPU seconds: less disturbed than wall time by a busy machine
    peak_kib: int
    returncode: int
    stderr: str


# The checkout whose package is timed (--project changes it).
PROJECT = {"root": ROOT}


def run_once(argv: Sequence[str], *, stdout: Path | None = None, cwd: Path | None = None) -> Run:
    """Run ``argv`` to completion in a fresh process: wall time, peak RSS (KiB) and exit code.

    stdout goes to ``stdout`` (a file) or /dev/null; the last lines of stderr are kept.
    """
    with tempfile.TemporaryFile() as err:
        out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
        try:
            began = time.perf_counter()
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=cwd or PROJECT["root"],
                env=child_env(),
            )
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - began
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdout:
                out.close()  # type: ignore[union-attr]
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return Run(
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss,
        proc.returncode,
        "\n".join(text.strip().splitlines()[-8:]),
    )


def first_error(run: Run) -> str:
    """The exit code and the first line of stderr that says something (not a box border)."""
    lines = [ln.strip(" │╭╮╰╯─") for ln in run.stderr.splitlines()]
    said = next(
        (ln for ln in lines if ln and ln != "Error" and not ln.startswith(("Usage:", "Try "))), ""
    )
    return f"exit {run.returncode}" + (f", {said}" if said else "")


def child_env() -> dict[str, str]:
    """The environment of every timed process: this checkout's package first, no colour, no
    store from the caller's environment."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT["root"]), *filter(None, [env.get("PYTHONPATH")])]
    )
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "120"
    for var in ("LGSCO_STATS_DB", "LGSCO_STATS_DEBUG", "PYTHONDONTWRITEBYTECODE"):
        env.pop(var, None)
    return env


def lgsco(*args: object) -> list[str]:
    return [PY, "-m", "lgsco_stats", *map(str, args)]


@dataclass
class Measure:
    """One timed command and its runs."""

    name: str
    label: str
    argv: list[str]
    role: str = "reference"  # "reference", "target" or "info"
    max_runs: int | None = None  # fewer runs for a slow reference
    before: Callable[[], None] | None = field(default=None, repr=False)  # untimed setup
    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> list[Run]:
        return [r for r in self.runs if r.returncode == 0]

    @property
    def error(self) -> str | None:
        bad = [r for r in self.runs if r.returncode != 0]
        if not bad:
            return None
        return first_error(bad[0])

    @property
    def median(self) -> float | None:
        if not self.runs or self.error:
            return None
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu_median(self) -> float | None:
        if not self.runs or self.error:
            return None
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_kib(self) -> int | None:
        return max((r.peak_kib for r in self.runs), default=None)

    def summary(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "role": self.role,
            "command": " ".join(Path(a).name if a == PY else a for a in self.argv),
            "median_s": self.median,
            "runs_s": [r.seconds for r in self.runs],
            "cpu_median_s": self.cpu_median,
            "cpu_s": [r.cpu for r in self.runs],
            "peak_kib": [r.peak_kib for r in self.runs],
            "error": self.error,
        }


def interleave(
    measures: Sequence[Measure], repeat: int, log: Callable[[str], None], warm_up: bool = True
) -> None:
    """Run every measure ``repeat`` times, round-robin; one untimed warm-up each first."""
    if warm_up:
        for m in measures:
            if m.before:
                m.before()
            r = run_once(m.argv)
            if r.returncode != 0:
                m.runs.append(r)  # an error: do not time it again
    for i in range(repeat):
        ran = []
        for m in measures:
            if m.error or (m.max_runs is not None and i >= m.max_runs):
                continue
            if m.before:
                m.before()
            m.runs.append(run_once(m.argv))
            ran.append(m)
        log(
            f"  run {i + 1}/{repeat}: "
            + ", ".join(f"{m.name} {m.runs[-1].seconds:.2f}s" for m in ran)
        )


# --------------------------------------------------------------------------- checks


@dataclass
class Check:
    """One target: ``value`` compared with ``limit`` by ``op``; status PASS, FAIL, INFO (shown,
    not judged), NOT RUN or ERROR (no value for the last two)."""

    group: str
    target: str
    value: float | None
    op: str  # "<=" or ">="
    limit: float
    unit: str  # "x" (a ratio), "s" or "MiB"
    status: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not self.status:
            if self.value is None:
                self.status = "ERROR"
            elif self.op == "<=":
                self.status = "PASS" if self.value <= self.limit else "FAIL"
            else:
                self.status = "PASS" if self.value >= self.limit else "FAIL"


def ratio_check(
    group: str, target: str, top: Measure, bottom: Measure, op: str, limit: float, note: str = ""
) -> Check:
    a, b = top.median, bottom.median
    if a is None or b is None:
        why = top.error or bottom.error or "not measured"
        return Check(group, target, None, op, limit, "x", "ERROR", why)
    ca, cb = top.cpu_median, bottom.cpu_median
    cpu = f"CPU-time ratio {ca / cb:.2f}x" if ca and cb else ""
    return Check(group, target, a / b, op, limit, "x", note="; ".join(filter(None, [note, cpu])))


def not_run(group: str, target: str, op: str, limit: float, unit: str, why: str) -> Check:
    return Check(group, target, None, op, limit, unit, "NOT RUN", why)


# --------------------------------------------------------------------------- the groups


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.sections: list[dict[str, object]] = []
        self.checks: list[Check] = []

    def log(self, text: str) -> None:
        if not self.args.quiet:
            print(text, file=sys.stderr, flush=True)

    def section(self, title: str, measures: Sequence[Measure], notes: Sequence[str] = ()) -> None:
        self.sections.append(
            {"title": title, "measures": [m.summary() for m in measures], "notes": list(notes)}
        )
        print_section(title, measures, notes)

    def fresh(self, path: Path) -> Callable[[], None]:
        """A setup step that removes a store (and SQLite's side files) or a folder."""

        def clean() -> None:
            if path.is_dir():
                shutil.rmtree(path)
            for p in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)

        return clean

    def fill_store(self, workbook: Path, db: Path) -> None:
        self.fresh(db)()
        r = run_once(lgsco("compute", workbook, "--format", "json", "--db", db))
        if r.returncode != 0:
            raise SystemExit(f"could not fill a store from {workbook.name}: {r.stderr}")

    # ----------------------------------------------------------------- 1. compute

    def compute(self, size: str) -> None:
        book = ensure_workbook(size, self.log)
        db = self.work / f"compute-{size}.db"
        self.log(f"compute, {size}: {book.name}")
        unzip = Measure(
            "unzip",
            "inflate the sheet XML only (floor)",
            [PY, "-c", UNZIP_SCRIPT, str(book)],
            role="info",
        )
        fast = Measure(
            "fastexcel", "fastexcel → pandas, every sheet", [PY, "-c", FASTEXCEL_SCRIPT, str(book)]
        )
        compute = Measure(
            "compute",
            "lgsco-stats compute --format json",
            lgsco("compute", book, "--format", "json", "--db", db),
            role="target",
            before=self.fresh(db),
        )
        slow = Measure(
            "openpyxl",
            "pandas.read_excel(openpyxl) + groupby",
            [PY, "-c", OPENPYXL_SCRIPT, str(book)],
            max_runs=self.args.slow_repeat,
        )
        measures = [unzip, fast, compute, slow]
        small = SIZES[size] <= 200_000
        interleave(
            measures, self.args.repeat if small else self.args.slow_repeat, self.log, warm_up=small
        )
        self.section(
            f"compute, {size} rows ({book.stat().st_size / 2**20:.1f} MiB workbook)", measures
        )
        ratios = [
            ratio_check("compute", f"{size}: compute / fastexcel read", compute, fast, "<=", 1.5),
            ratio_check("compute", f"{size}: openpyxl script / compute", slow, compute, ">=", 10),
        ]
        if size not in TARGET_SIZES:
            # The issue sets the ratios for 200,000 and 1,000,000 rows; smaller workbooks are
            # shown for information (start-up is most of their time), never failed.
            for c in ratios:
                if c.status in ("PASS", "FAIL"):
                    c.note = "; ".join(filter(None, [f"info: was {c.status}", c.note]))
                    c.status = "INFO"
        self.checks += ratios
        peak = compute.peak_kib if not compute.error else None
        self.checks.append(
            Check(
                "compute",
                f"{size}: compute peak memory",
                None if peak is None else peak / 1024,
                "<=",
                MEMORY_LIMIT_KIB / 1024,
                "MiB",
            )
        )

    # ----------------------------------------------------------------- 2. start-up

    def letter_available(self) -> tuple[bool, str]:
        r = run_once(lgsco("letter", "--help"))
        if r.returncode == 0:
            return True, ""
        return False, f"'lgsco-stats letter --help' fails: {first_error(r)}"

    def startup(self) -> None:
        book = ensure_workbook(STARTUP_STORE_SIZE, self.log)
        db = self.work / "startup.db"
        self.log(f"start-up: filling a store from {book.name}")
        self.fill_store(book, db)
        has_letter, why = self.letter_available()
        base = Measure(
            "typer+rich", 'python -c "import typer, rich"', [PY, "-c", "import typer, rich"]
        )
        help_ = Measure("help", "lgsco-stats --help", lgsco("--help"), role="target")
        pandas = Measure("pandas", 'python -c "import pandas"', [PY, "-c", "import pandas"])
        commands = [
            Measure(
                "compare",
                "compare --type unitary",
                lgsco("compare", "--type", "unitary", "--db", db),
                role="target",
            ),
            Measure(
                "councils", "councils southampton", lgsco("councils", "southampton"), role="target"
            ),
        ]
        if has_letter:
            commands.append(
                Measure(
                    "letter-one",
                    "letter --council southampton",
                    lgsco("letter", "--council", "southampton", "--db", db),
                    role="target",
                )
            )
        measures = [base, help_, pandas, *commands]
        interleave(measures, self.args.repeat, self.log)
        self.section(
            f"start-up (store: {book.name}, ten years)",
            measures,
            [] if has_letter else [f"letter --council southampton not run: {why}"],
        )
        self.checks.append(
            ratio_check("startup", "--help / import typer, rich", help_, base, "<=", 1.5)
        )
        for m in commands:
            self.checks.append(
                ratio_check("startup", f"{m.label} / import pandas", m, pandas, "<=", 1.3)
            )
        if not has_letter:
            self.checks.append(
                not_run(
                    "startup", "letter --council southampton / import pandas", "<=", 1.3, "x", why
                )
            )

    # ----------------------------------------------------------------- 3. letters

    def letters(self) -> None:
        has_letter, why = self.letter_available()
        if not has_letter:
            self.log(f"letters: not run: {why}")
            for fmt, limit in LETTER_FORMATS.items():
                self.checks.append(
                    not_run("letters", f"letter --all --format {fmt}", "<=", limit, "s", why)
                )
            self.sections.append({"title": "letters", "measures": [], "notes": [f"not run: {why}"]})
            print(f"\nletters: not run: {why}")
            return
        db = self.work / "letters.db"
        self.log(f"letters: filling a one-year store from {LETTER_WORKBOOK.name}")
        self.fill_store(LETTER_WORKBOOK, db)
        measures = []
        for fmt in LETTER_FORMATS:
            out = self.work / f"letters-{fmt}"
            measures.append(
                Measure(
                    fmt,
                    f"letter --all --year {LETTER_YEAR} --format {fmt}",
                    lgsco(
                        "letter",
                        "--all",
                        "--year",
                        LETTER_YEAR,
                        "--format",
                        fmt,
                        "--output",
                        out,
                        "--signatory",  # --all asks who signs (issue 17)
                        "Benchmark Signatory",
                        "--db",
                        db,
                    ),
                    role="target",
                    before=self.fresh(out),
                )
            )
        interleave(measures, self.args.repeat, self.log)
        notes = []
        for m in measures:
            out = self.work / f"letters-{m.name}"
            files = sum(1 for p in out.rglob("*") if p.is_file()) if out.exists() else 0
            notes.append(f"{m.name}: {files} files written by the last run")
        self.section(f"letters, every council of {LETTER_YEAR}", measures, notes)
        for m, limit in zip(measures, LETTER_FORMATS.values(), strict=True):
            self.checks.append(
                Check(
                    "letters",
                    f"letter --all --format {m.name}",
                    m.median,
                    "<=",
                    limit,
                    "s",
                    note=m.error or "",
                )
            )

    # ----------------------------------------------------------------- 4. reload

    def reload(self, size: str) -> None:
        book = ensure_workbook(size, self.log)
        db = self.work / f"reload-{size}.db"
        self.log(f"reload, {size}: {book.name}")
        first = Measure(
            "first",
            "first load into an empty store",
            lgsco("compute", book, "--format", "json", "--db", db),
            role="target",
        )
        again = Measure("again", "the same workbook again", first.argv, role="target")
        sizes: list[tuple[int, int]] = []
        same_output = True
        repeat = self.args.repeat if SIZES[size] <= 200_000 else self.args.slow_repeat
        for i in range(repeat):
            self.fresh(db)()
            outs = [self.work / "reload-1.json", self.work / "reload-2.json"]
            first.runs.append(run_once(first.argv, stdout=outs[0]))
            before = db.stat().st_size if db.exists() else 0
            again.runs.append(run_once(again.argv, stdout=outs[1]))
            after = db.stat().st_size if db.exists() else 0
            sizes.append((before, after))
            same_output &= outs[0].read_bytes() == outs[1].read_bytes()
            self.log(
                f"  run {i + 1}/{repeat}: first {first.runs[-1].seconds:.2f}s, "
                f"again {again.runs[-1].seconds:.2f}s, store {before:,} → {after:,} bytes"
            )
        grew = [(b, a) for b, a in sizes if a != b]
        notes = [
            f"store size after the first load {sizes[0][0]:,} bytes, after the second "
            f"{sizes[0][1]:,} bytes",
            "printed figures identical after both loads: " + ("yes" if same_output else "NO"),
        ]
        self.section(f"reload, {size} rows", [first, again], notes)
        self.checks.append(
            ratio_check(
                "reload",
                f"{size}: second load / first load",
                again,
                first,
                "<=",
                RELOAD_NOISE,
                note=f"{RELOAD_NOISE}x allows for noise between medians",
            )
        )
        self.checks.append(
            Check(
                "reload",
                f"{size}: store size change on the second load (bytes)",
                float(max((a - b for b, a in sizes), key=abs)) if sizes else None,
                "<=",
                0,
                "B",
                status="" if sizes else "ERROR",
                note="" if not grew else f"{len(grew)} of {len(sizes)} runs changed the size",
            )
        )
        if self.checks[-1].value is not None and self.checks[-1].value < 0:
            self.checks[-1].status = "FAIL"  # shrinking is a change too

    # ----------------------------------------------------------------- 5. site

    def site(self) -> None:
        book = ensure_workbook(SITE_SIZE, self.log)
        db = self.work / "site.db"
        self.log(f"site: filling a store from {book.name}")
        self.fill_store(book, db)
        out = self.work / "site"
        compute_db = self.work / "site-compute.db"
        compute = Measure(
            "compute",
            "compute --format json (fresh store)",
            lgsco("compute", book, "--format", "json", "--db", compute_db),
            before=self.fresh(compute_db),
        )
        report = Measure(
            "report",
            "report --output DIR (every year)",
            lgsco("report", "--output", out, "--db", db),
            role="target",
            before=self.fresh(out),
        )
        # one process and two side by side, for information (the default chooses by the load)
        one, two = (
            Measure(
                f"report-j{j}",
                f"report --output DIR --jobs {j}",
                lgsco("report", "--output", out, "--db", db, "--jobs", j),
                role="info",
                before=self.fresh(out),
            )
            for j in (1, 2)
        )
        measures = [compute, report, one, two]
        interleave(measures, self.args.repeat, self.log)
        files = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
        size = sum(p.stat().st_size for p in files)
        pages = sum(1 for p in files if p.suffix == ".html")
        notes = [
            f"the last report wrote {len(files):,} files ({pages:,} pages), {size / 2**20:.1f} MiB"
        ]
        self.section(f"site, store of {book.name} (ten years)", measures, notes)
        self.checks.append(
            ratio_check("site", f"{SITE_SIZE}: report / compute", report, compute, "<=", SITE_LIMIT)
        )
        for m in (one, two):
            c = ratio_check(
                "site", f"{SITE_SIZE}: {m.label} / compute", m, compute, "<=", SITE_LIMIT
            )
            if c.status in ("PASS", "FAIL"):
                c.note = "; ".join(filter(None, [f"info: was {c.status}", c.note]))
                c.status = "INFO"
            self.checks.append(c)


# --------------------------------------------------------------------------- printing


def fmt_seconds(s: float | None) -> str:
    return "—" if s is None else f"{s:.3f} s" if s < 10 else f"{s:.1f} s"


def print_section(title: str, measures: Sequence[Measure], notes: Sequence[str]) -> None:
    print(f"\n{title}")
    print(
        f"  {'':<12} {'what':<44} {'median':>9} {'min':>9} {'max':>9} {'CPU':>9} "
        f"{'peak MiB':>9} {'runs':>5}"
    )
    for m in measures:
        times = [r.seconds for r in m.runs]
        if m.error:
            print(f"  {m.name:<12} {m.label:<44} ERROR {m.error}")
            continue
        peak = f"{m.peak_kib / 1024:,.0f}" if m.peak_kib else "—"
        print(
            f"  {m.name:<12} {m.label:<44} {fmt_seconds(m.median):>9} "
            f"{fmt_seconds(min(times, default=None)):>9} "
            f"{fmt_seconds(max(times, default=None)):>9} {fmt_seconds(m.cpu_median):>9} "
            f"{peak:>9} {len(times):>5}"
        )
    for n in notes:
        print(f"  note: {n}")


def format_value(c: Check) -> str:
    if c.value is None:
        return "—"
    if c.unit == "x":
        return f"{c.value:.2f}x"
    if c.unit == "s":
        return fmt_seconds(c.value)
    if c.unit == "MiB":
        return f"{c.value:,.0f} MiB"
    return f"{c.value:,.0f} {c.unit}"


def fmt_load(load: Sequence[float]) -> str:
    return " ".join(f"{x:.1f}" for x in load)


def print_checks(checks: Sequence[Check]) -> None:
    print("\ntargets")
    for c in checks:
        limit = format_value(Check(c.group, "", c.limit, c.op, c.limit, c.unit))
        line = (
            f"  {c.status:<7} {c.group:<8} {c.target:<56} {format_value(c):>10} "
            f"{c.op.replace('<=', '≤').replace('>=', '≥')} {limit}"
        )
        print(line + (f"  ({c.note})" if c.note else ""))


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, object]:
    """Where the figures came from: CPU, cores, memory, Python, package versions, commit."""
    from importlib import metadata

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    mem_kib = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    except OSError:
        pass
    versions = {}
    for pkg in (
        "pandas",
        "numpy",
        "fastexcel",
        "pyarrow",
        "openpyxl",
        "typer",
        "rich",
        "jinja2",
        "python-docx",
        "fpdf2",
    ):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT["root"]), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "project": str(PROJECT["root"]),
        "commit": commit,
        "load_average": os.getloadavg(),
    }


# --------------------------------------------------------------------------- main


def parse_sizes(text: str) -> list[str]:
    sizes = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown or not sizes:
        raise argparse.ArgumentTypeError(
            f"unknown size {', '.join(unknown) or repr(text)}: choose from {', '.join(SIZES)}"
        )
    return sizes


def positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="Time lgsco-stats against the targets of issue 5 and their references "
        "(fresh process per run, interleaved, medians)."
    )
    p.add_argument(
        "--sizes",
        type=parse_sizes,
        default=["20k", "200k"],
        help="workbook sizes for compute and reload, comma separated: 20k, 200k, 1m "
        "(default 20k,200k)",
    )
    p.add_argument("--repeat", type=positive, default=5, help="runs per measure (default 5)")
    p.add_argument(
        "--slow-repeat",
        type=positive,
        default=3,
        help="runs of the openpyxl reference, and of everything on 1m rows (default 3)",
    )
    p.add_argument(
        "--only",
        nargs="+",
        choices=GROUPS,
        metavar="TARGET",
        help=f"run only these targets: {', '.join(GROUPS)}",
    )
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    p.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="time the lgsco_stats package of another checkout (e.g. main, to compare "
        "with this branch); workbooks still come from this one",
    )
    p.add_argument(
        "--generate",
        action="store_true",
        help="only generate (and cache) the workbooks of --sizes, then stop",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.generate:
        for s in args.sizes:
            print(ensure_workbook(s))
        return 0
    groups = args.only or list(GROUPS)
    if args.project:
        if not (args.project / "lgsco_stats" / "__init__.py").is_file():
            build_parser().error(f"--project {args.project}: no lgsco_stats package there")
        PROJECT["root"] = args.project.resolve()
    info = machine()
    print(
        f"lgsco-stats benchmarks, {info['date']}, {PROJECT['root']} at "
        f"{info['commit'] or 'an unknown commit'}"
    )
    print(
        f"{info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB, Python "
        f"{info['python']}, pandas {info['packages']['pandas']}, fastexcel "
        f"{info['packages']['fastexcel']}; {args.repeat} runs (slow: {args.slow_repeat})"
    )
    with tempfile.TemporaryDirectory(prefix="lgsco-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        for size in args.sizes:
            if "compute" in groups:
                bench.compute(size)
        if "startup" in groups:
            bench.startup()
        if "letters" in groups:
            bench.letters()
        for size in args.sizes:
            if "reload" in groups:
                bench.reload(size)
        if "site" in groups:
            bench.site()
    info["load_average_after"] = os.getloadavg()
    print_checks(bench.checks)
    print(
        f"\nload average (1, 5, 15 min) before {fmt_load(info['load_average'])}, after "
        f"{fmt_load(info['load_average_after'])} on {info['cores']} cores: a load above the "
        "core count means other processes competed for the CPU (compare the CPU column)"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "args": {
                        "sizes": args.sizes,
                        "repeat": args.repeat,
                        "slow_repeat": args.slow_repeat,
                        "only": groups,
                    },
                    "sections": bench.sections,
                    "checks": [asdict(c) for c in bench.checks],
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"\nwrote {args.json}")
    return 1 if any(c.status in ("FAIL", "ERROR") for c in bench.checks) else 0


if __name__ == "__main__":
    sys.exit(main())
