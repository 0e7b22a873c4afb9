"""Small files made to take memory or time (issue 18; made by tests/data/make_hostile.py): each
is refused with one line naming the file (and sheet), exit 1, the store unchanged, and, where
memory is the danger, a peak well below a gigabyte, measured with ``os.wait4`` on a fresh
process (which counts the process calamine reads in)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from lgsco_stats.read import guards, workbook
from tests.conftest import decisions_rows
from tests.data import make_bad, make_hostile

ROOT = Path(__file__).resolve().parents[1]
# "A file of a few KB never needs more than a few hundred MB": the whole process tree's peak.
PEAK = 700 << 20


def measured(*args: object) -> tuple[int, str, int]:
    """Run lgsco-stats in a fresh process: its exit code, stderr and peak memory in bytes (the
    largest of it and the processes it waited for, from ``wait4``)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "lgsco_stats", *map(str, args)],
            stdout=out,
            stderr=err,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        return proc.returncode, err.read().decode(), usage.ru_maxrss * 1024


@pytest.fixture
def baseline(cli, make_xlsx, db_path: Path) -> bytes:
    path = make_xlsx({"D": decisions_rows([("Leeds", "Upheld", 3, None)])}, name="base.xlsx")
    assert cli("compute", path).exit_code == 0
    return db_path.read_bytes()


def _refused(code: int, stderr: str, path: Path, *words: str) -> None:
    assert code == 1, stderr
    assert str(path) in stderr and "refused" in stderr, stderr
    for w in words:
        assert w in stderr, stderr
    assert "Traceback" not in stderr and "bug" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


@pytest.mark.parametrize(
    ("ref", "cells"), [("XFD100000", "1,638,400,000 cells"), ("XFD10000", "163,840,000 cells")]
)
def test_one_far_away_cell(tmp_path: Path, baseline: bytes, db_path: Path, ref, cells) -> None:
    # A 1.6 KB workbook whose sheet holds a header, two rows and one cell at XFD100000:
    # calamine would make a block of 16,384 columns x 100,000 rows = 1,638,400,000 cells
    # (32 bytes each: 52 GB) and abort the process.
    path = make_hostile.far_cell(tmp_path / "far.xlsx", ref)
    assert path.stat().st_size < 4096
    code, err, peak = measured("compute", path)
    _refused(code, err, path, "sheet 'Decisions'", f"A1:{ref}", cells)
    assert peak < PEAK
    assert db_path.read_bytes() == baseline


def test_far_away_cell_in_a_population_file(
    tmp_path: Path, make_xlsx, baseline: bytes, db_path: Path
) -> None:
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    pop = make_hostile.far_population_cell(tmp_path / "population.xlsx")
    code, err, peak = measured("compute", data, "--population", pop)
    _refused(code, err, pop, "A1:XFD100000")
    assert peak < PEAK
    assert db_path.read_bytes() == baseline


def test_one_long_string_in_many_cells(tmp_path: Path, baseline: bytes, db_path: Path) -> None:
    # One shared string of 1 MiB referenced by 2,000 cells: 45 KB of file, 2 GB of text once
    # each cell has its copy.
    path = make_hostile.repeated_shared_string(tmp_path / "strings.xlsx")
    assert path.stat().st_size < 64 << 10
    code, err, peak = measured("compute", path)
    _refused(code, err, path, "sheet 'Decisions'", "of memory")
    assert peak < PEAK
    assert db_path.read_bytes() == baseline


def test_text_beyond_what_the_file_holds_is_refused_before_reading_on(
    cli, tmp_path: Path, baseline: bytes, db_path: Path
) -> None:
    # 100 cells sharing a 1 MiB string: 100 MiB of text, under the memory limit but over the
    # text a 20 KB file may stand for (64 MiB + 8 x its inflated XML of about 1.2 MB).
    path = make_hostile.repeated_shared_string(tmp_path / "strings.xlsx", cells=100)
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "sheet 'Decisions'", "of text")
    assert db_path.read_bytes() == baseline


def test_shared_strings_that_claim_billions(tmp_path: Path, baseline: bytes, db_path: Path):
    # uniqueCount="4000000000": calamine reserves room for that many strings first.
    path = make_hostile.claimed_strings(tmp_path / "claims.xlsx")
    code, err, peak = measured("compute", path)
    _refused(code, err, path, "of memory")
    assert peak < PEAK
    assert db_path.read_bytes() == baseline


def test_repeated_rows_in_opendocument(tmp_path: Path, baseline: bytes, db_path: Path) -> None:
    # 807 bytes: one row of 97 cells repeated 999,000 times (96.9 million cells).
    path = make_hostile.repeated_ods(tmp_path / "rows.ods")
    assert path.stat().st_size < 1024
    code, err, peak = measured("compute", path)
    _refused(code, err, path, "of memory")
    assert peak < PEAK
    assert db_path.read_bytes() == baseline


def test_many_sheets_that_pass_a_per_part_limit(
    cli, tmp_path: Path, baseline: bytes, db_path: Path
) -> None:
    # 40 sheets of 63 MiB each (under 64 MiB, where a per-part check began) from one deflated
    # stream: 3.9 MB of file, 2.5 GB inflated, a ratio of about 650 for the workbook as a whole.
    path = make_hostile.many_large_sheets(tmp_path / "sheets.xlsx", sheets=40)
    assert path.stat().st_size < 8 << 20
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "would inflate", "zip bomb")
    assert db_path.read_bytes() == baseline


def test_a_row_of_cells_without_references(
    cli, tmp_path: Path, baseline: bytes, db_path: Path
) -> None:
    # 20,000 empty <c></c> before one value: readers place such cells one after another, so
    # the row is 20,001 columns wide with no reference to look for.
    path = make_hostile.far_cell_without_references(tmp_path / "wide.xlsx")
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "20,001 columns wide", "2,048")
    assert db_path.read_bytes() == baseline


def test_many_sheets_read_by_one_reader_per_worker(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 200 tiny sheets sharing 4 MiB of shared strings: a reader per sheet read the shared
    # strings 200 times (1,000 sheets and 60 MiB took 4.5 minutes); one per worker reads
    # them once per worker. Counted in this process (no child), where the readers are made.
    import fastexcel

    made = []
    real = fastexcel.read_excel

    def counting(source: object, *args: object, **kwargs: object) -> object:
        if isinstance(source, str):
            made.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(guards, "ISOLATE", False)
    monkeypatch.setattr(fastexcel, "read_excel", counting)
    path = make_hostile.many_sheets_large_strings(tmp_path / "many.xlsx")
    r = cli("compute", path, "--no-store", "-f", "json")
    assert r.exit_code == 0, r.stderr
    # each of the 200 sheets holds the same two Kent decisions; read as one dataset they are
    # the same references twice, which is an error only if their contents differ: they don't
    assert len(made) <= 1 + (os.cpu_count() or 1)


def test_reading_that_takes_too_long_is_stopped(
    cli, baseline: bytes, db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not guards.ISOLATE:
        pytest.skip("the time limit is the reading child's, and there is none here")
    monkeypatch.setattr(guards, "SECONDS_FLOOR", 0.0)
    monkeypatch.setattr(guards, "SECONDS_PER_MIB", 0.0)
    path = make_hostile.far_cell(tmp_path / "slow.xlsx", "D4")  # an ordinary small sheet
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "took longer than")
    assert db_path.read_bytes() == baseline


def test_without_a_child_the_sheet_checks_still_hold(
    cli, tmp_path: Path, baseline: bytes, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where calamine reads in-process (no fork), a far cell that fits in memory (XFD300:
    # 16,384 x 300 = 4,915,200 cells, 157 MB in calamine) is refused before reading goes on.
    monkeypatch.setattr(guards, "ISOLATE", False)
    path = make_hostile.far_cell(tmp_path / "far.xlsx", "XFD300")
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "16,384 columns wide")
    assert db_path.read_bytes() == baseline
    path = make_hostile.far_cell(tmp_path / "far2.xlsx", "CV50000")  # 100 x 50,000 = 5,000,000
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "5,000,000 cells")


def test_zip_bomb_in_a_contacts_file(cli, tmp_path: Path, make_xlsx) -> None:
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", data).exit_code == 0
    bomb = make_bad.zip_bomb(tmp_path / "contacts.xlsx", expanded_bytes=1 << 30)
    r = cli("letter", "--council", "Kent", "--year", "2019-20", "--contacts", bomb)
    _refused(r.exit_code, r.stderr, bomb, "zip bomb")


def test_legitimate_workbooks_are_within_the_limits() -> None:
    # The limits leave room for what real files hold: a sheet of 1,048,576 rows by 16 columns
    # whose XML is at least 20 bytes a cell (335 MB) may have its 16.8 million cells, and a
    # workbook of 5 MB inflating to 50 MB gets over 1 GB of address space for its reader.
    xml = 1_048_576 * 16 * 20
    assert guards.cell_limit(xml) >= 1_048_576 * 16
    assert guards.memory_limit(50 << 20) > 1 << 30
    assert workbook.HEAD_ROWS < guards.MAX_COLUMNS
