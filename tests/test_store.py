"""The store: idempotent loads, replacement by reference, all-or-nothing transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from lgsco_stats.counts import attach_councils
from lgsco_stats.errors import StoreError
from lgsco_stats.figures import council_figures
from lgsco_stats.read.files import read_file
from lgsco_stats.store import SCHEMA_VERSION, Store
from tests.conftest import DECISION_HEADER, decisions_rows


def save(store: Store, path: Path) -> None:
    ds = read_file(path)
    store.save(
        attach_councils(ds.decisions),
        attach_councils(ds.compliance),
        attach_councils(ds.published),
        files=[path],
    )


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every stored row, byte for byte (case rows as their stored Arrow files)."""
    con = sqlite3.connect(db)
    out = {
        t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
        for t in ("case_rows", "decision_counts", "compliance_counts", "published", "received")
    }
    con.close()
    return out


def test_loading_twice_changes_nothing(make_xlsx, db_path: Path) -> None:
    path = make_xlsx(
        {"D": decisions_rows([("Kent", "Upheld", 30, None), ("Leeds", "Not upheld", 20, None)])}
    )
    with Store(db_path) as st:
        save(st, path)
    before, size = snapshot(db_path), db_path.stat().st_size
    with Store(db_path) as st:
        save(st, path)
        assert len(st.table("loads")) == 1
    assert snapshot(db_path) == before
    assert db_path.stat().st_size == size


def test_loading_again_reads_no_stored_year_back(
    make_xlsx, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each year's digest says its stored rows are the load's rows: nothing is decoded, nothing
    # written. A year that differs is still read back and merged.
    import lgsco_stats.store.blobs as store

    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 3, None)])})
    with Store(db_path) as st:
        save(st, path)
    before = snapshot(db_path)

    def refuse(data: bytes) -> object:
        raise AssertionError("a stored year was read back")

    with monkeypatch.context() as m:
        m.setattr(store, "decode", refuse)
        with Store(db_path) as st:
            save(st, path)
    assert snapshot(db_path) == before
    rows = decisions_rows([("Kent", "Upheld", 3, None)])
    rows[1] = (*rows[1][:3], "Not upheld", *rows[1][4:])
    with Store(db_path) as st:
        save(st, make_xlsx({"D": rows}, name="b.xlsx"))
        assert st.check() == []
        kent = council_figures(st.counts()).iloc[0]
    assert (kent["upheld"], kent["not_upheld"]) == (2, 1)


def test_loading_a_file_again_after_a_correction_to_one_of_its_years(
    make_xlsx, db_path: Path
) -> None:
    # a.xlsx holds 2019-20 and 2020-21; b.xlsx corrects one 2020-21 decision; a.xlsx again puts
    # it back. On that third load 2019-20 is as a.xlsx left it (same digest: not read back) and
    # 2020-21 alone is merged. By hand: 2019-20 Kent 2 upheld throughout; 2020-21 Kent 2
    # upheld, then 1 upheld and 1 not upheld, then 2 upheld again.
    import datetime as dt

    def rows(second: str, first_year: bool = True) -> list[tuple[object, ...]]:
        r = decisions_rows([("Kent", "Upheld", 2, None)]) if first_year else [DECISION_HEADER]
        r.append(("20 001 001", "Kent", dt.datetime(2020, 6, 1), "Upheld", None, "Housing"))
        r.append(("20 002 002", "Kent", dt.datetime(2020, 6, 1), second, None, "Housing"))
        return r

    a = make_xlsx({"D": rows("Upheld")}, name="a.xlsx")
    b = make_xlsx({"D": rows("Not upheld", first_year=False)}, name="b.xlsx")
    seen = []
    with Store(db_path) as st:
        for path in (a, b, a):
            save(st, path)
            assert st.check() == []
            f = council_figures(st.counts()).set_index("year")
            seen.append(
                (
                    (f.loc["2019-20", "upheld"], f.loc["2019-20", "not_upheld"]),
                    (f.loc["2020-21", "upheld"], f.loc["2020-21", "not_upheld"]),
                )
            )
    assert seen == [((2, 0), (2, 0)), ((2, 0), (1, 1)), ((2, 0), (2, 0))]


def test_a_reference_seen_again_replaces_its_row(make_xlsx, db_path: Path) -> None:
    first = make_xlsx({"D": decisions_rows([("Kent", "Not upheld", 2, None)])}, name="a.xlsx")
    fixed = decisions_rows([("Kent", "Upheld", 1, None)])  # same reference as a.xlsx's first row
    second = make_xlsx({"D": fixed}, name="b.xlsx")
    with Store(db_path) as st:
        save(st, first)
        save(st, second)
        f = council_figures(st.counts())
    kent = f.iloc[0]
    assert (kent["upheld"], kent["not_upheld"]) == (1, 1)


def test_published_row_replaces_authority_year(make_xlsx, db_path: Path) -> None:
    header = ("Authority", "Year", "Upheld", "Not upheld")
    a = make_xlsx({"T": [header, ("Kent", "2022-23", 1, 4)]}, name="a.xlsx")
    b = make_xlsx({"T": [header, ("Kent County Council", "2022-23", 53, 8)]}, name="b.xlsx")
    with Store(db_path) as st:
        save(st, a)
        save(st, b)
        f = council_figures(st.counts())
    assert len(f) == 1 and f.iloc[0]["upheld"] == 53


def test_case_level_wins_over_published_for_the_same_council_year(make_xlsx, db_path: Path) -> None:
    header = ("Authority", "Year", "Upheld", "Not upheld")
    pub = make_xlsx(
        {"T": [header, ("Kent", "2019-20", 100, 100), ("Leeds", "2019-20", 3, 1)]}, name="p.xlsx"
    )
    case = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="c.xlsx")
    with Store(db_path) as st:
        save(st, pub)
        save(st, case)
        f = council_figures(st.counts()).set_index("gss_code")
    assert f.loc["E10000016", "upheld"] == 2  # the case-level count, not 100
    assert f.loc["E08000035", "upheld"] == 3  # published, where there is no case-level data


def test_failed_load_leaves_store_unchanged(make_xlsx, db_path: Path) -> None:
    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 5, None)])})
    with Store(db_path) as st:
        save(st, path)
    before = snapshot(db_path)
    ds = read_file(make_xlsx({"D": decisions_rows([("Leeds", "Upheld", 5, None)])}, name="b.xlsx"))
    dec = attach_councils(ds.decisions)
    broken = dec.copy()
    broken.loc[3, "outcome"] = None  # violates NOT NULL half-way through the insert
    with Store(db_path) as st, pytest.raises(StoreError, match="unchanged"):
        st.save(broken, dec.iloc[0:0], dec.iloc[0:0])
    assert snapshot(db_path) == before


def test_store_from_a_newer_version_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    con = sqlite3.connect(db_path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreError, match="newer lgsco-stats"):
        Store(db_path)


def test_other_sqlite_file_is_refused(db_path: Path) -> None:
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE x (a)")
    con.close()
    with pytest.raises(StoreError, match="not an lgsco-stats store"):
        Store(db_path)


def test_not_a_database(db_path: Path) -> None:
    db_path.write_bytes(b"hello, this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        Store(db_path)


def test_missing_store_is_not_created_by_readers(db_path: Path) -> None:
    with pytest.raises(StoreError, match="compute"):
        Store(db_path, create=False)
    assert not db_path.exists()


def test_readable_views(make_xlsx, db_path: Path) -> None:
    path = make_xlsx(
        {"D": decisions_rows([("Kent", "Upheld", 3, "Yes"), ("Kent", "Not upheld", 1, None)])}
    )
    with Store(db_path) as st:
        save(st, path)
    con = sqlite3.connect(db_path)
    row = con.execute(
        "SELECT authority, year, decisions, upheld, not_upheld, "
        "remedy_by_authority FROM decision_counts_readable"
    ).fetchone()
    assert row == ("Kent", "2019-20", 4, 3, 1, 3)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_counts_roundtrip_equals_in_memory(make_xlsx, db_path: Path) -> None:
    from lgsco_stats.counts import counts_of

    path = make_xlsx(
        {
            "D": decisions_rows(
                [
                    ("Kent", "Upheld", 3, "Yes"),
                    ("Hull", "Not upheld", 2, None),
                    ("Transport for London", "Upheld", 1, None),
                ]
            )
        }
    )
    with Store(db_path) as st:
        save(st, path)
        stored = council_figures(st.counts())
    direct = council_figures(counts_of(read_file(path)))
    pd.testing.assert_frame_equal(stored, direct, check_dtype=False)


def test_counts_sum_every_spelling_of_a_council(make_xlsx, db_path: Path) -> None:
    # "Kent" (2 upheld, 1 remedied; 1 not upheld) and "Kent County Council" (1 upheld, 2 not
    # upheld) are one council: 3 upheld, 3 not upheld, 1 remedy, named by the least spelling.
    # Leeds (1 upheld) stays its own row; published Hull 2019-20 is read as it is.
    rows = decisions_rows(
        [
            ("Kent", "Upheld", 1, "Yes"),
            ("Kent", "Upheld", 1, None),
            ("Kent", "Not upheld", 1, None),
            ("Kent County Council", "Upheld", 1, None),
            ("Kent County Council", "Not upheld", 2, None),
            ("Leeds", "Upheld", 1, None),
        ]
    )
    published = [
        ("Authority", "Year", "Upheld", "Not upheld"),
        ("Hull", "2019-20", 4, 6),
    ]
    with Store(db_path) as st:
        save(st, make_xlsx({"D": rows, "P": published}))
        dec, comp, pub = st.count_parts()
        both = st.counts(["2019-20"])
    assert list(dec["authority_key"]) == ["E08000035", "E10000016"]  # key order: Leeds, Kent
    kent = dec.set_index("authority_key").loc["E10000016"]
    assert kent["authority"] == "Kent"
    assert (kent["upheld"], kent["not_upheld"], kent["remedy_by_authority"]) == (3, 3, 1)
    assert pd.isna(kent["complied"]) and comp.empty
    hull = pub.iloc[0]
    assert (hull["authority"], hull["gss_code"], hull["upheld"], hull["not_upheld"]) == (
        "Hull",
        "E06000010",
        4,
        6,
    )
    assert pd.isna(hull["remedy_by_authority"])
    assert list(both["authority_key"]) == ["E06000010", "E08000035", "E10000016"]


def test_stored_rows_read_back_by_year_and_reference(make_xlsx, db_path: Path) -> None:
    # Rows are kept in the order loaded; read back (and exported) by year and reference,
    # whatever that order was.
    import datetime as dt

    rows = decisions_rows([("Kent", "Upheld", 3, None)])
    rows = [rows[0], *reversed(rows[1:])]  # 19 003 003 (sheet row 2), 002 (4), 001 (5)
    rows.insert(2, ("18 999 999", "Kent", dt.datetime(2018, 6, 1), "Upheld", None, "Housing"))
    with Store(db_path) as st:
        save(st, make_xlsx({"D": rows}))
        got = st.decisions()
        stored = st.case_rows("decisions")
    assert list(zip(got["year"], got["reference"], strict=True)) == [
        ("2018-19", "18 999 999"),
        ("2019-20", "19 001 001"),
        ("2019-20", "19 002 002"),
        ("2019-20", "19 003 003"),
    ]
    assert got["row"].tolist() == [3, 5, 4, 2]
    # as stored: by year, each year's rows in the order of the sheet
    assert stored.column("reference").to_pylist() == [
        "18 999 999",
        "19 003 003",
        "19 002 002",
        "19 001 001",
    ]


def test_a_redated_decision_moves_to_its_new_year(make_xlsx, db_path: Path) -> None:
    import datetime as dt

    first = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 3, None)])}, name="a.xlsx")
    # the same three references, the second decided again in June 2020 (2020-21) as not upheld
    rows = decisions_rows([("Kent", "Upheld", 3, None)])
    rows[2] = (rows[2][0], "Kent", dt.datetime(2020, 6, 1), "Not upheld", None, "Housing")
    with Store(db_path) as st:
        save(st, first)
        save(st, make_xlsx({"D": rows}, name="b.xlsx"))
        assert st.check() == []
        assert st.row_counts()["decisions"] == 3
        f = council_figures(st.counts()).set_index("year")
        assert st.decisions()["reference"].is_unique
    assert (f.loc["2019-20", "upheld"], f.loc["2019-20", "decisions"]) == (2, 2)
    assert (f.loc["2020-21", "not_upheld"], f.loc["2020-21", "decisions"]) == (1, 1)


def test_compliance_outcomes_without_a_reference(make_xlsx, db_path: Path) -> None:
    import datetime as dt

    sheet = [
        ("Authority", "Date recorded", "Compliance outcome"),
        ("Kent", dt.datetime(2019, 9, 1), "Complied"),
        ("Kent", dt.datetime(2019, 9, 2), "Complied"),
        ("Kent", dt.datetime(2019, 9, 3), "Not complied"),
    ]
    path = make_xlsx({"C": sheet})
    with Store(db_path) as st:
        save(st, path)
    before, size = snapshot(db_path), db_path.stat().st_size
    with Store(db_path) as st:
        save(st, path)  # keyed by file and row: the same rows again, not three more
        assert st.check() == []
        kent = council_figures(st.counts()).iloc[0]
        assert list(st.table("compliance")["row"]) == [2, 3, 4]
    assert (kent["complied"], kent["not_complied"]) == (2, 1)
    assert snapshot(db_path) == before and db_path.stat().st_size == size


def test_check_finds_counts_that_do_not_match_the_rows(cli, make_xlsx, db_path: Path) -> None:
    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 3, None)])})
    assert cli("compute", path).exit_code == 0
    assert cli("db", "check").exit_code == 0
    con = sqlite3.connect(db_path)
    con.execute("UPDATE decision_counts SET upheld = 4")
    con.commit()
    r = cli("db", "check")
    assert r.exit_code == 1
    assert "decisions 2019-20: its counts do not match its rows" in r.stderr
    con.execute("UPDATE decision_counts SET upheld = 3")
    con.execute("UPDATE case_rows SET digest = 'x'")
    con.commit()
    r = cli("db", "check")
    assert r.exit_code == 1
    assert r.stderr.count("digest does not match its rows") == 1, r.stderr
    con.execute("UPDATE case_rows SET data = substr(data, 1, 100)")
    con.commit()
    r = cli("db", "check")
    assert r.exit_code == 1 and "decisions 2019-20: cannot be read" in r.stderr
    con.close()


def test_store_refuses_rows_it_must_not_hold(make_xlsx, db_path: Path) -> None:
    ds = read_file(make_xlsx({"D": decisions_rows([("Kent", "Upheld", 3, None)])}))
    dec = attach_councils(ds.decisions)
    twice = pd.concat([dec, dec.iloc[:1]], ignore_index=True)
    unknown = dec.assign(outcome=["upheld", "maybe", "upheld"])
    with Store(db_path) as st:
        for bad, message in ((twice, "appears twice in 2019-20"), (unknown, "unknown outcome")):
            with pytest.raises(StoreError, match=message):
                st.save(bad, dec.iloc[0:0], dec.iloc[0:0])
        assert st.row_counts()["decisions"] == 0


def test_compute_shows_the_stores_figures_for_the_years_it_loads(cli, make_xlsx) -> None:
    import json

    kent = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="k.xlsx")
    rows = decisions_rows([("Leeds", "Not upheld", 3, None)])
    leeds = make_xlsx({"D": [rows[0]] + [("L" + r[0], *r[1:]) for r in rows[1:]]}, name="l.xlsx")

    def councils(*args: object) -> dict[str, int]:
        r = cli("compute", *args, "-f", "json")
        assert r.exit_code == 0, r.stderr
        return {x["council"]: x["decisions"] for x in json.loads(r.stdout)}

    assert councils(kent) == {"Kent County Council": 2}
    both = {"Kent County Council": 2, "Leeds City Council": 3}
    assert councils(leeds) == both
    assert councils(leeds) == both
    assert councils(leeds, "--no-store") == {"Leeds City Council": 3}
