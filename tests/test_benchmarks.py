"""The benchmark harness's logic (benchmarks/run.py): no timing is asserted here, only that
checks are judged right, errors carry no number, and a missing command is reported as not run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import run as bench  # noqa: E402


def measure(
    name: str, seconds: list[float], returncode: int = 0, stderr: str = "", cpu: float = 0.5
) -> bench.Measure:
    m = bench.Measure(name, name, ["x"])
    m.runs = [bench.Run(s, cpu, 1000, returncode, stderr) for s in seconds]
    return m


def test_ratio_check_uses_medians():
    # medians: 3.0 (of 1, 3, 9) and 2.0 (of 2, 2, 5) -> 1.5, at the limit of <= 1.5
    c = bench.ratio_check(
        "compute", "t", measure("a", [1, 3, 9]), measure("b", [2, 2, 5]), "<=", 1.5
    )
    assert c.value == pytest.approx(1.5)
    assert c.status == "PASS"
    c = bench.ratio_check(
        "compute", "t", measure("a", [4, 4, 4]), measure("b", [2, 2, 2]), "<=", 1.5
    )  # 4 / 2 = 2 > 1.5
    assert c.status == "FAIL"


def test_at_least_check():
    # 10 / 1.25 = 8, below the required 10
    c = bench.ratio_check("compute", "t", measure("slow", [10]), measure("fast", [1.25]), ">=", 10)
    assert c.value == pytest.approx(8)
    assert c.status == "FAIL"


def test_a_failed_run_gives_an_error_and_no_number():
    broken = measure(
        "compute",
        [0.1, 0.2],
        returncode=1,
        stderr="Usage: x\n╭─ Error ─╮\n│ No such command 'letter'. │\n╰─────╯",
    )
    assert broken.median is None
    assert broken.error == "exit 1, No such command 'letter'."
    c = bench.ratio_check("startup", "t", broken, measure("ref", [0.1]), "<=", 1.3)
    assert c.value is None
    assert c.status == "ERROR"


def test_letters_not_run_when_the_command_is_missing(monkeypatch, tmp_path, capsys):
    args = argparse.Namespace(quiet=True, repeat=1, slow_repeat=1)
    b = bench.Bench(args, tmp_path)
    monkeypatch.setattr(b, "letter_available", lambda: (False, "no letter command"))
    b.letters()
    assert [c.status for c in b.checks] == ["NOT RUN"] * 4
    assert all(c.value is None for c in b.checks)
    assert "not run: no letter command" in capsys.readouterr().out


def test_run_once_reports_exit_code_and_stderr():
    r = bench.run_once([sys.executable, "-c", "import sys; sys.exit('broken')"])
    assert r.returncode == 1
    assert r.stderr == "broken"
    assert r.peak_kib > 0


@pytest.mark.parametrize("text", ["", "2m", "20k,5k"])
def test_unknown_sizes_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        bench.parse_sizes(text)


def test_sizes():
    assert bench.parse_sizes("20K, 1m") == ["20k", "1m"]
