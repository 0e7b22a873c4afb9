"""Complaints received by category, from the category columns of published tables."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from lgsco_stats.errors import DataError
from lgsco_stats.figures import council_figures
from lgsco_stats.read.files import read_file
from lgsco_stats.rounding import format_percent
from lgsco_stats.store import SCHEMA_VERSION, Store

TABLE = [
    (
        "Authority",
        "Year",
        "Upheld",
        "Not upheld",
        "Adult care services",
        "Received: Housing",
        "Environmental services, public protection and regulation",
        "Other",
    ),
    ("Kent County Council", "2022-23", 53, 8, 120, None, 14, 3),
    ("Leeds", "2022-23", 37, 17, 80, 95, 0, None),
]


def test_category_columns_are_read(make_xlsx) -> None:
    ds = read_file(make_xlsx({"T": TABLE}))
    got = {
        (a, c): n
        for a, c, n in ds.received[["authority", "category", "received"]].itertuples(index=False)
    }
    # a blank cell is "not reported": no row (Kent's housing, Leeds' other); a written 0 is 0
    assert got == {
        ("Kent County Council", "Adult care services"): 120,
        ("Kent County Council", "Environmental services"): 14,
        ("Kent County Council", "Other"): 3,
        ("Leeds", "Adult care services"): 80,
        ("Leeds", "Housing"): 95,
        ("Leeds", "Environmental services"): 0,
    }
    assert len(ds.published) == 2


def test_bad_category_count(make_xlsx) -> None:
    rows = [TABLE[0], (*TABLE[1][:4], "lots", *TABLE[1][5:])]
    with pytest.raises(DataError, match=r"row 2, column 'Adult care services'.*not a number"):
        read_file(make_xlsx({"T": rows}))


def test_stored_and_written_in_the_letter(cli, make_xlsx, db_path: Path) -> None:
    assert cli("compute", make_xlsx({"T": TABLE})).exit_code == 0
    with Store(db_path, create=False) as st:
        rec = st.received_counts(["2022-23"])
    assert int(rec["received"].sum()) == 120 + 14 + 3 + 80 + 95 + 0
    r = cli("letter", "--council", "kent", "--year", "2022-23", "--date", "2023-07-01")
    assert r.exit_code == 0, r.stderr
    assert "### Complaints received by service area" in r.stdout
    assert "- Adult care services: 120" in r.stdout
    assert "- Environmental services: 14" in r.stdout
    assert (
        "Housing" not in r.stdout.split("### Complaints received by service area")[1].split("##")[0]
    )
    # loading it again changes nothing
    assert cli("compute", make_xlsx({"T": TABLE})).exit_code == 0
    with Store(db_path, create=False) as st:
        assert len(st.received_counts()) == 6


@pytest.mark.parametrize("version", [1, 2, 3])
def test_older_store_is_migrated(db_path: Path, version: int) -> None:
    # tests/data/store-v2.sql: a store written by lgsco-stats with schema 2 (one SQLite row per
    # case row): Kent 2019-20 3 upheld (all remedied) and 2 not upheld, Leeds 2019-20 2 upheld,
    # Transport for London 1 upheld, Leeds 2020-21 2 not upheld; Kent complied 2019-20, Leeds
    # did not comply 2020-21. Schema 1 is the same without the `received` table; store-v3.sql
    # is the same store as schema 3 wrote it (Arrow files without a digest).
    con = sqlite3.connect(db_path)
    dump = "store-v3.sql" if version == 3 else "store-v2.sql"
    con.executescript((Path(__file__).parent / "data" / dump).read_text())
    if version == 1:
        con.execute("DROP TABLE received")
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()
    with Store(db_path) as st:
        assert st.check() == []
        assert len(st.received_counts()) == 0
        assert st.row_counts() == {"decisions": 10, "compliance": 2, "published": 0}
        assert st.years() == ["2019-20", "2020-21"]
        f = council_figures(st.counts()).set_index(["authority_key", "year"])
        assert len(st.decisions()) == 10
    kent = f.loc[("E10000016", "2019-20")]
    assert (kent["upheld"], kent["not_upheld"], kent["remedy_by_authority"]) == (3, 2, 3)
    assert (kent["complied"], kent["not_complied"]) == (1, 0)
    assert f.loc[("E08000035", "2019-20"), "upheld"] == 2
    assert f.loc[("E08000035", "2020-21"), "not_upheld"] == 2
    assert f.loc[("E08000035", "2020-21"), "not_complied"] == 1
    assert f.loc[("name:transport for london", "2019-20"), "upheld"] == 1
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    # decisions and compliance of two years, each with its digest (check() recomputed them)
    digests = con.execute("SELECT count(*) FROM case_rows WHERE length(digest) = 64")
    assert digests.fetchone() == (4,)
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert "decisions" not in names and "decisions_readable" not in names


def test_summary_shows_received_by_category(cli, make_xlsx) -> None:
    import json

    assert cli("compute", make_xlsx({"T": TABLE})).exit_code == 0
    r = cli("summary", "--year", "2022-23")
    assert r.exit_code == 0, r.stderr
    assert "Complaints received by category 2022-23" in r.stdout
    doc = json.loads(cli("summary", "--year", "2022-23", "-f", "json").stdout)
    got = {x["category"]: x["received"] for x in doc["received"]}
    # Kent 120 + Leeds 80 adult care; Leeds 95 housing; Kent 14 + Leeds 0 environmental; Kent 3
    assert got == {
        "Adult care services": 200,
        "Environmental services": 14,
        "Housing": 95,
        "Other": 3,
    }
    share = {x["category"]: x["share"] for x in doc["received"]}
    assert share["Adult care services"] == pytest.approx(100 * 200 / 312)


def test_every_command_copes_with_a_published_table_missing_counts(
    cli, make_xlsx, tmp_path: Path
) -> None:
    # The table has no remedy, compliance or other outcome columns: those figures are n/a.
    assert cli("compute", make_xlsx({"T": TABLE})).exit_code == 0
    for args in (
        ("compare", "--type", "county"),
        ("trend", "--council", "kent"),
        ("summary",),
        ("chart", "--council", "kent", "--output", tmp_path / "k.png"),
        ("chart", "--type", "county", "--rate", "remedy", "--output", tmp_path / "c.svg"),
        ("letter", "--council", "kent", "--format", "pdf", "--output", tmp_path / "k.pdf"),
        ("report", "--output", tmp_path / "site"),
    ):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.stderr)


def test_a_schema_4_store_is_migrated(db_path: Path) -> None:
    # tests/data/store-v4.sql: the schema 2 store above as schema 4 wrote it (lgsco-stats at
    # 13b372e), with a published table loaded: Kent 2022-23 8 not upheld, 53 upheld, 4 remedies,
    # 60 complied, 2 late, 1 not complied; Leeds 2022-23 17 not upheld, 37 upheld, 5 remedies,
    # compliance blank. Schema 5 adds published totals and rates (missing for these rows) and
    # makes a decision's remedy nullable (every stored decision keeps its flag).
    con = sqlite3.connect(db_path)
    con.executescript((Path(__file__).parent / "data" / "store-v4.sql").read_text())
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    with Store(db_path) as st:
        assert st.check() == []
        assert st.row_counts() == {"decisions": 10, "compliance": 2, "published": 2}
        assert st.years() == ["2019-20", "2020-21", "2022-23"]
        f = council_figures(st.counts()).set_index(["authority_key", "year"])
        assert st.decisions()["remedy_by_authority"].notna().all()
    kent = f.loc[("E10000016", "2019-20")]
    assert (kent["upheld"], kent["not_upheld"], kent["remedy_by_authority"]) == (3, 2, 3)
    kent = f.loc[("E10000016", "2022-23")]
    # 53 / (53 + 8) = 86.9 → 87%; 4 / 53 = 7.5 → 8%; (60 + 2) / 63 = 98.4 → 98%
    assert format_percent(kent["uphold_rate"]) == "87%"
    assert format_percent(kent["remedy_rate"]) == "8%"
    assert format_percent(kent["compliance_rate"]) == "98%"
    leeds = f.loc[("E08000035", "2022-23")]
    assert pd.isna(leeds["compliance_outcomes"]) and math.isnan(leeds["compliance_rate"])
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 5
    cols = {r[1] for r in con.execute("PRAGMA table_info(published)")}
    assert {"investigated", "dealt_with", "uphold_rate", "compliance_rate"} <= cols
    assert con.execute("SELECT count(*) FROM published WHERE uphold_rate IS NULL").fetchone() == (
        2,
    )
    notnull = {r[1]: r[3] for r in con.execute("PRAGMA table_info(decision_counts)")}
    assert notnull["remedy_by_authority"] == 0 and notnull["decisions"] == 1
    con.close()
