"""Small files made to take memory or time (issue 18; made by tests/data/make_hostile.py): each
is refused with one line naming the file (and sheet), exit 1, the store unchanged, and, where
memory is the danger, a peak well below a gigabyte, measured with ``os.wait4`` on a fresh
process (which counts the process calamine reads in)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lgsco_stats.read import guards
from tests.conftest import decisions_rows
from tests.data import make_bad, make_hostile

# One council's letter, signed (an unsigned letter is warned of).
KENT_LETTER = ("--signatory", "A Person", "--council", "Kent", "--year", "2019-20")

ROOT = Path(__file__).resolve().parents[1]
# "A file of a few KB never needs more than a few hundred MB": the whole process tree's peak.
PEAK = 700 << 20


# A process's peak memory counts what it was before it ran the program: a child of this test
# process starts as a copy of it (hundreds of MB). So a small process starts the command and
# reports the command's own peak, from wait4 (which counts the processes the command waited
# for: the one calamine reads in).
_MEASURE = """
import os, subprocess, sys
cmd = [sys.executable, "-m", "lgsco_stats", *sys.argv[1:]]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(p.pid, 0)
p.returncode = os.waitstatus_to_exitcode(status)
print(p.returncode, usage.ru_maxrss * 1024)
"""


def measured(*args: object) -> tuple[int, str, int]:
    """Run lgsco-stats in a fresh process: its exit code, stderr and peak memory in bytes."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    code, peak = (int(x) for x in done.stdout.split())
    return code, done.stderr, peak


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
    # 60 tiny sheets sharing 1 MiB of shared strings: a reader per sheet read the shared
    # strings 60 times (1,000 sheets and 60 MiB took 4.5 minutes); one per worker reads
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
    path = make_hostile.many_sheets_large_strings(tmp_path / "many.xlsx", 60, 1 << 20)
    r = cli("compute", path, "--no-store", "-f", "json")
    assert r.exit_code == 0, r.stderr
    # each of the 60 sheets holds the same two Kent decisions; read as one dataset they are
    # the same references twice, which is an error only if their contents differ: they don't
    assert len(made) <= 1 + (os.cpu_count() or 1)


def test_reading_that_takes_too_long_is_stopped(
    cli, baseline: bytes, db_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if not guards.ISOLATE:
        pytest.skip("the time limit is the reading child's, and there is none here")
    import time

    from lgsco_stats.read import workbook

    real = workbook._parse_here

    def slow(*args: object, **kwargs: object) -> object:  # a reader that takes its time
        time.sleep(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(workbook, "_parse_here", slow)  # the child is a fork: it has it too
    monkeypatch.setattr(guards, "SECONDS_FLOOR", 0.5)
    monkeypatch.setattr(guards, "SECONDS_PER_MIB", 0.0)
    path = make_hostile.far_cell(tmp_path / "slow.xlsx", "D4")  # an ordinary small sheet
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "took longer than")
    assert db_path.read_bytes() == baseline


def test_without_a_child_the_sheet_checks_still_hold(
    cli, tmp_path: Path, baseline: bytes, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where calamine reads in-process (no fork), the cells' references are looked at first: a
    # block too large for the file is refused before calamine allocates it (XFD100000 here,
    # in the test's own process); cells placed without references are refused once read, by
    # the column limit.
    monkeypatch.setattr(guards, "ISOLATE", False)
    path = make_hostile.far_cell(tmp_path / "far.xlsx", "XFD100000")
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "its cells span A1:XFD100000")
    path = make_hostile.far_cell(tmp_path / "far2.xlsx", "CV50000")  # 100 x 50,000 = 5,000,000
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "a block of 5,000,000 cells")
    path = make_hostile.far_cell_without_references(tmp_path / "wide.xlsx")
    r = cli("compute", path)
    _refused(r.exit_code, r.stderr, path, "20,001 columns wide")
    assert db_path.read_bytes() == baseline


def test_zip_bomb_in_a_contacts_file(cli, tmp_path: Path, make_xlsx) -> None:
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", data).exit_code == 0
    bomb = make_bad.zip_bomb(tmp_path / "contacts.xlsx", expanded_bytes=128 << 20)
    r = cli("letter", *KENT_LETTER, "--contacts", bomb)
    _refused(r.exit_code, r.stderr, bomb, "zip bomb")


def test_legitimate_workbooks_are_within_the_limits() -> None:
    # The limits leave room for what real files hold: a sheet of 1,048,576 rows by 16 columns
    # whose XML is at least 20 bytes a cell (335 MB) may have its 16.8 million cells, and a
    # workbook of 5 MB inflating to 50 MB gets over 1 GB of address space for its reader.
    xml = 1_048_576 * 16 * 20
    assert guards.cell_limit(xml) >= 1_048_576 * 16
    assert guards.memory_limit(50 << 20) > 1 << 30


# --------------------------------------------------------------------------- text files


def test_utf8_file_with_one_bad_byte_names_its_line(
    cli, tmp_path: Path, baseline: bytes, db_path: Path
) -> None:
    # "King’s Lynn" (E2 80 99 in UTF-8) on line 2 and a cp1252 pound sign (A3) on line 3:
    # decoding it all as cp1252 made the name "Kingâ€™s Lynn", a body outside the register.
    path = make_hostile.utf8_with_a_bad_byte(tmp_path / "decisions.csv")
    r = cli("compute", path)
    assert r.exit_code == 1, r.stderr
    assert f"{path}, line 3 (byte 0xA3): not UTF-8" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert db_path.read_bytes() == baseline


def test_a_csv_field_over_128_kb_loads(cli, tmp_path: Path) -> None:
    # Python's csv module stops at 131,072 characters a field ("unexpected Error ... bug");
    # the header row is found in a bounded sample and pandas, which reads the rows, has no
    # such limit. The 200,000-character authority is a body outside the register.
    path = make_hostile.long_field_csv(tmp_path / "long.csv")
    r = cli("compute", path, "--no-store", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert '"decisions":1' in r.stdout


def test_a_csv_larger_than_the_limit_is_refused(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guards, "MAX_CSV_BYTES", 1000)
    path = tmp_path / "big.csv"
    rows = "R,Kent,2019-05-01,Upheld\n" * 50
    path.write_text("Reference,Authority,Decision date,Outcome\n" + rows)
    r = cli("compute", path)
    assert r.exit_code == 1
    assert f"{path}: refused: 1,292 bytes, more than the 1,000" in r.stderr


def test_a_large_csv_takes_memory_in_proportion(tmp_path: Path) -> None:
    # 16 MB of decisions: read as one string, then a StringIO (4 bytes a character), then
    # parsed whole, it took 7.6 times its size; read by pandas from the file in pieces, the
    # whole command (imports, reading, matching, figures) stays under 300 MB + 6 x the file.
    path = tmp_path / "big.csv"
    line = "R{:08d},Kent County Council,01/05/2019,Upheld,Adult care services\n"
    with open(path, "w") as f:
        f.write("Reference,Authority,Decision date,Outcome,Category\n")
        f.writelines(line.format(i) for i in range(250_000))
    size = path.stat().st_size
    code, err, peak = measured("compute", path, "--no-store", "-f", "csv")
    assert code == 0, err
    assert peak < (300 << 20) + 6 * size


def test_hidden_sheets_are_read_and_said(cli, tmp_path: Path) -> None:
    path = make_hostile.hidden_sheets(tmp_path / "hidden.xlsx")
    r = cli("compute", path, "--no-store", "-f", "json")
    assert r.exit_code == 0, r.stderr
    # two decisions on the visible sheet, one each on the hidden and the very hidden one
    assert "Read 4 decisions" in r.stderr
    assert f"{path}, sheet 'Old': the sheet is hidden in the workbook" in r.stderr
    assert f"{path}, sheet 'Secret': the sheet is very hidden (only a macro can show it)" in (
        r.stderr
    )
    assert "sheet 'Visible'" not in r.stderr


def test_a_contacts_field_over_128_kb_is_one_line(cli, make_xlsx, tmp_path: Path) -> None:
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", data).exit_code == 0
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(f"council,name\nKent,{'N' * 200_000}\n", encoding="utf-8")
    r = cli("letter", *KENT_LETTER, "--contacts", contacts)
    assert r.exit_code == 1, r.stderr
    assert "contacts.csv, line 2: not readable as CSV (field larger than field limit" in r.stderr
    assert "bug" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- templates

TEMPLATES = {
    "recursion.md.j2": (
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        "calls itself without end",
    ),
    "loop.md.j2": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "took longer than",
    ),
    "output.md.j2": (
        "{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}",
        "grew past 2,000,000 characters",
    ),
    "repeat.md.j2": ("{{ 'A' * 10**10 }}", "line 1: a repetition of 10,000,000,000"),
    "center.md.j2": ("{{ council.name|center(10**10) }}", "line 1: an argument to center"),
    "method.md.j2": ("{{ council.name.ljust(10**10) }}", "line 1: an argument to ljust"),
    "width.md.j2": ("{{ '%9999999999d' % 1 }}", "line 1: a width in a format"),
    "replace.md.j2": (
        "{{ ('A' * 100000)|replace('A', 'A' * 100000) }}",
        "line 1: a replacement of 10,000,000,000",
    ),
}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_runaway_templates_stop_with_one_line(
    cli, make_xlsx, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    from lgsco_stats.letters import render

    monkeypatch.setattr(render, "MAX_RENDER_SECONDS", 0.5)  # 10 s in use
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", data).exit_code == 0
    source, said = TEMPLATES[name]
    (tmp_path / name).write_text(source, encoding="utf-8")
    out = tmp_path / "letters"
    args = ("--all", "--year", "2019-20", "--template", tmp_path / name, "--output", out)
    r = cli("letter", "--signatory", "A Person", *args)
    assert r.exit_code == 1, r.stderr
    assert f"{name}" in r.stderr and said in r.stderr, r.stderr
    assert "bug" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not out.exists() or not any(out.iterdir())  # every letter is rendered first


def test_a_template_larger_than_a_letter_is_refused(cli, tmp_path: Path, make_xlsx) -> None:
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", data).exit_code == 0
    big = tmp_path / "big.md.j2"
    big.write_text("x" * (2 << 20), encoding="utf-8")
    r = cli("letter", *KENT_LETTER, "--template", big)
    assert r.exit_code == 1, r.stderr
    assert "refused: a template of 2,097,152 bytes" in r.stderr


def test_ordinary_template_arithmetic_still_works(cli, tmp_path: Path, make_xlsx) -> None:
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", data).exit_code == 0
    t = tmp_path / "ok.md.j2"
    t.write_text(
        "{{ '-' * 3 }} {{ '%5.1f' % 2.25 }} {{ '{:,}'.format(1589100) }} {{ 2 ** 10 }}\n",
        encoding="utf-8",
    )
    r = cli("letter", *KENT_LETTER, "--template", t)
    assert r.exit_code == 0, r.stderr
    # '%5.1f' % 2.25 is "  2.2" (2.25 is stored as 2.25 exactly; Python rounds half to even)
    assert r.stdout == "---   2.2 1,589,100 1024\n"


def test_without_a_process_to_spare_reading_goes_on(
    cli, make_xlsx, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fork can fail (no memory to copy the page tables, a process limit): the workbook is then
    # read in this process, within the limits that hold there.
    import os as os_module

    def no_fork() -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os_module, "fork", no_fork)
    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    r = cli("compute", path, "--no-store", "-f", "csv")
    assert r.exit_code == 0, r.stderr
    assert "Kent County Council" in r.stdout


def test_a_config_nested_without_end_is_one_line(cli, tmp_path: Path, make_xlsx) -> None:
    # tomllib reads nested arrays by recursion: 5,000 of them was "unexpected RecursionError".
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", data).exit_code == 0
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    r = cli("letter", *KENT_LETTER, "--config", deep)
    assert r.exit_code == 2, r.stderr
    assert "not a TOML config file (nested too deeply)" in r.stderr and "bug" not in r.stderr
