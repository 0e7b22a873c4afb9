"""Every command has help text with an example and appears in the README, so the docs cannot
drift from the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from lgsco_stats.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_the_report_commands_are_registered():
    assert {"trend", "summary", "chart", "report"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_the_readme(name):
    assert f"lgsco-stats {name}" in README


@pytest.mark.parametrize("name", ["compute", "inspect", "trend", "summary", "chart", "report"])
def test_command_help_has_an_example(cli, name):
    r = cli(name, "--help")
    assert r.exit_code == 0
    assert f"Example: lgsco-stats {name}" in r.stdout
    # each example on a line of its own (Click's \\b paragraph), never run together
    lines = [line.strip() for line in r.stdout.splitlines()]
    examples = [line for line in lines if "Example: " in line]
    assert examples and all(line.startswith("Example: ") for line in examples)
    assert all(line.count("Example: ") == 1 for line in examples)
    assert "\\b" not in r.stdout
