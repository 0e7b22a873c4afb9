"""Shared fixtures: a temporary store, a CLI runner with fixed width and no colour, and
builders for small workbooks made in code."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from lgsco_stats.cli import app
from tests.data.books import write_xlsx  # noqa: F401 - tests import it from here


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Deterministic output: fixed width, no colour; every test gets its own store."""
    monkeypatch.setenv("TERMINAL_WIDTH", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("LGSCO_STATS_DEBUG", raising=False)
    monkeypatch.setenv("LGSCO_STATS_DB", str(tmp_path / "store.db"))
    monkeypatch.setenv("LGSCO_STATS_CACHE", str(tmp_path / "cache"))  # compiled templates


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


class Cli:
    """Runs the app in-process with stdout and stderr kept apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


DECISION_HEADER = (
    "Reference",
    "Authority",
    "Decision date",
    "Outcome",
    "Remedy provided by authority",
    "Category",
)


def decisions_rows(
    spec: Sequence[tuple[str, str, int, str | None]], start: dt.date = dt.date(2019, 6, 1)
) -> list[tuple[Any, ...]]:
    """Rows of a decisions sheet from ``(authority, outcome, how many, remedy flag)``."""
    rows: list[tuple[Any, ...]] = [DECISION_HEADER]
    n = 0
    for authority, outcome, count, remedy in spec:
        for _ in range(count):
            n += 1
            rows.append(
                (
                    f"19 {n:03d} {n % 997:03d}",
                    authority,
                    dt.datetime.combine(start, dt.time()),
                    outcome,
                    remedy,
                    "Housing",
                )
            )
    return rows


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    def make(sheets: dict[str, Sequence[Sequence[Any]]], name: str = "data.xlsx") -> Path:
        return write_xlsx(tmp_path / name, sheets)

    return make


@pytest.fixture
def store_spec(cli: Cli, make_xlsx: Callable[..., Path]) -> Callable[..., Path]:
    """Store a sheet of decisions made from a spec (see :func:`decisions_rows`) with
    ``compute``, checking that it loaded; the workbook's path."""

    def store(spec: Sequence[tuple[str, str, int, str | None]]) -> Path:
        path = make_xlsx({"Decisions": decisions_rows(spec)})
        r = cli("compute", path, "--format", "json")
        assert r.exit_code == 0, r.stderr
        return path

    return store


def stored_decisions(db: Path) -> int:
    """How many decisions a store holds, read with sqlite3 alone."""
    con = sqlite3.connect(db)
    try:
        sql = "SELECT coalesce(sum(rows), 0) FROM case_rows WHERE kind = 'decisions'"
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()
