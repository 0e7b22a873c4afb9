"""A store that is damaged, changed by hand or another program's file is the file's problem
(issue 18): one line naming the store, exit 1, never "unexpected … this is a bug", and the file
left as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lgsco_stats.store import SCHEMA_VERSION
from tests.conftest import decisions_rows


@pytest.fixture
def store(cli, make_xlsx, db_path: Path) -> Path:
    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    assert cli("compute", path).exit_code == 0
    return db_path


def _one_line(r, *words: str) -> None:
    assert r.exit_code == 1, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
    assert "unexpected" not in r.stderr and "bug" not in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) <= 2, r.stderr  # the line and at most a hint


def _root_page(db: Path, table: str) -> int:
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        return int(row[0])
    finally:
        con.close()


COMMANDS = [
    ("compare", "--type", "county"),
    ("letter", "--signatory", "A Person", "--council", "Kent", "--year", "2019-20"),
    ("db", "export", "{tmp}/out.xlsx"),
    ("compute", "{data}"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_damaged_page(cli, store: Path, tmp_path: Path, make_xlsx, command) -> None:
    # The decision counts' first page overwritten: SQLite says "database disk image is
    # malformed" when a command reads it.
    page = _root_page(store, "decision_counts")
    with open(store, "r+b") as f:
        f.seek(4096 * (page - 1))
        f.write(b"\xff" * 64)
    before = store.read_bytes()
    data = make_xlsx({"D": decisions_rows([("Leeds", "Upheld", 1, None)])}, name="leeds.xlsx")
    args = [a.format(tmp=tmp_path, data=data) for a in command]
    r = cli(*args)
    _one_line(r, str(store), "malformed")
    assert store.read_bytes() == before


def test_db_check_says_a_damaged_store_is_damaged(cli, store: Path) -> None:
    page = _root_page(store, "decision_counts")
    with open(store, "r+b") as f:
        f.seek(4096 * (page - 1))
        f.write(b"\xff" * 64)
    r = cli("db", "check")
    _one_line(r, str(store), "malformed")


@pytest.mark.parametrize("version", [SCHEMA_VERSION, SCHEMA_VERSION - 1])
def test_another_programs_file_with_our_version(cli, tmp_path: Path, make_xlsx, version) -> None:
    # the store's schema version, or an older one (which would be migrated, were it a store)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()
    before = other.read_bytes()
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 1, None)])}, name="kent.xlsx")
    for args in (("compare", "--type", "county"), ("db", "check"), ("compute", data)):
        r = cli(*args, "--db", other)
        _one_line(r, f"{other}: a SQLite file that is not an lgsco-stats store")
    assert other.read_bytes() == before


@pytest.mark.parametrize("table", ["published", "case_rows"])
def test_a_table_dropped_by_hand(cli, store: Path, make_xlsx, table: str) -> None:
    con = sqlite3.connect(store)
    con.execute(f"DROP TABLE {table}")
    con.commit()
    con.close()
    before = store.read_bytes()
    data = make_xlsx({"D": decisions_rows([("Leeds", "Upheld", 1, None)])}, name="leeds.xlsx")
    for args in (("compare", "--type", "county"), ("db", "check"), ("compute", data)):
        r = cli(*args)
        _one_line(r, f"{store}: the store has lost a table ({table})")
    assert store.read_bytes() == before


def test_a_failure_after_the_save_never_hides_it(
    cli, make_xlsx, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever goes wrong once the load is in the store (here a bug in making the table), the
    # user is told first that it was read and saved.
    from lgsco_stats.cli import render

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("made the table wrong")

    monkeypatch.setattr(render, "prepare", broken)
    data = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    r = cli("compute", data)
    assert r.exit_code == 1
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("Read 2 decisions for 2019-20; saved in")
    assert "unexpected RuntimeError: made the table wrong" in r.stderr
    con = sqlite3.connect(db_path)  # the load is there, whole
    assert con.execute("SELECT count(*) FROM loads").fetchone()[0] == 1
    con.close()
