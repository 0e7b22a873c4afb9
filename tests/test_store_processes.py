"""The store against real processes: a load killed half-way, and two loads at once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from tests.conftest import decisions_rows, stored_decisions

ROOT = Path(__file__).resolve().parents[1]

SLOW_LOAD = textwrap.dedent(
    """
    import sys, time
    from lgsco_stats.store import blobs as store
    from lgsco_stats.cli import main

    original = store.put_rows
    flag = sys.argv[1]

    def slow(*args, **kwargs):
        original(*args, **kwargs)
        # the year's rows are written, inside the transaction, which is not yet committed
        open(flag, "w").close()
        time.sleep(120)

    store.put_rows = slow
    sys.argv = ["lgsco-stats", "compute", sys.argv[2], "--db", sys.argv[3], "-f", "json"]
    main()
    """
)


def snapshot(db: Path) -> list[object]:
    con = sqlite3.connect(db)
    try:
        return [
            con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
            for t in (
                "case_rows",
                "decision_counts",
                "compliance_counts",
                "published",
                "authorities",
            )
        ]
    finally:
        con.close()


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def test_load_killed_half_way_leaves_store_as_before(cli, make_xlsx, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 5, None)])}, name="first.xlsx")
    assert cli("compute", first, "--db", db).exit_code == 0
    before = snapshot(db)
    big = make_xlsx({"D": decisions_rows([("Leeds", "Not upheld", 2000, None)])}, name="big.xlsx")
    flag = tmp_path / "half-way"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_LOAD, str(flag), str(big), str(db)],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not flag.exists():
            assert proc.poll() is None, proc.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the load never reached half-way"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(db) == before
    r = cli("db", "check", "--db", db)
    assert r.exit_code == 0, r.stderr
    r = cli("compute", big, "--db", db, "-f", "json")
    assert r.exit_code == 0, r.stderr
    # big.xlsx's first five references are first.xlsx's five: replaced, not added
    assert stored_decisions(db) == 2000


def test_two_loads_at_once_both_land(make_xlsx, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    a = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 3000, None)])}, name="a.xlsx")
    rows = decisions_rows([("Leeds", "Not upheld", 3000, None)])
    rows = [rows[0]] + [("L" + r[0], *r[1:]) for r in rows[1:]]  # other references
    b = make_xlsx({"D": rows}, name="b.xlsx")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "lgsco_stats", "compute", str(p), "--db", str(db), "-f", "json"],
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for p in (a, b)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert stored_decisions(db) == 6000
