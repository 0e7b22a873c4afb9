"""The corpus in tests/data/bad/ (made by tests/data/make_bad.py): every broken file gets one
clear line naming where the problem is, exit 1 and an unchanged store; every awkward but
legitimate file loads correctly."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.conftest import decisions_rows, stored_decisions
from tests.data import make_bad

BAD = Path(__file__).parent / "data" / "bad"

ERRORS = {
    "empty.xlsx": "the file is empty",
    "not-a-spreadsheet.xlsx": "not an Excel or OpenDocument workbook",
    "truncated.xlsx": "damaged or truncated",
    "password-protected.xlsx": "password-protected",
    "all-sheets-empty.xlsx": "every sheet is empty",
    "header-only.xlsx": "sheet 'Decisions': a header row but no data rows",
    "duplicate-headers.xlsx": "columns 'Outcome' and 'Outcome' both mean 'outcome'",
    "missing-column.xlsx": "no column for decision_date",
    "required-columns-blank.xlsx": "row 2, column 'Reference': every value is blank",
    "unknown-outcomes.xlsx": "unknown outcome 'Withdrawn' (row 5), 'Premature' (row 6)",
    "future-dates.xlsx": "row 5, column 'Decision date': date '2199-05-01 00:00:00' is in the "
    "future",
    "dates-before-2000.xlsx": "row 5, column 'Decision date': date '1998-05-01 00:00:00' is "
    "before 2000",
    "text-in-counts.xlsx": "sheet 'Table', row 3, column 'Upheld': 'thirty' is not a number",
    "negative-counts.xlsx": "row 2, column 'Not upheld': '-8' is negative",
    "decimal-counts.xlsx": "row 2, column 'Upheld': '53.5' is not a whole number",
    "authority-year-twice.xlsx": "one council twice for 2022-23 in a published table",
    "same-reference-different-contents.xlsx": "'19 000 001' appears twice with different contents",
    "garbage.csv": "binary data",
}

LOADS = {
    "header-not-first-row.xlsx": 3,
    "merged-header.xlsx": 4,
    "cp1252.csv": 2,
    "bom.csv": 2,
    "semicolons.csv": 2,
    "formulas-and-links.xlsx": 2,
}


def test_corpus_is_complete() -> None:
    assert {p.name for p in BAD.iterdir()} == set(ERRORS) | set(LOADS)


@pytest.fixture
def baseline(cli, make_xlsx, db_path: Path) -> bytes:
    path = make_xlsx({"D": decisions_rows([("Leeds", "Upheld", 3, None)])}, name="base.xlsx")
    assert cli("compute", path).exit_code == 0
    return db_path.read_bytes()


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_broken_input(cli, baseline: bytes, db_path: Path, name: str) -> None:
    r = cli("compute", BAD / name)
    assert r.exit_code == 1, r.stderr
    assert r.stdout == ""
    assert ERRORS[name] in r.stderr
    assert name in r.stderr  # the file is named
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    if lines[0].endswith("problems; nothing was stored:"):
        # several problems: one line each, each naming the file (then at most a hint)
        n = int(lines[0].split()[1])
        listed = [x for x in lines[1:] if x.startswith("  ")]
        assert len(listed) == n and all(name in x for x in listed)
        assert len(lines) <= n + 2
    else:
        assert len(lines) <= 2  # one line (and at most a hint)
    assert db_path.read_bytes() == baseline


@pytest.mark.parametrize("name", sorted(LOADS))
def test_legitimate_input(cli, name: str) -> None:
    r = cli("compute", BAD / name, "-f", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert sum(x["decisions"] for x in rows) == LOADS[name]


def test_cp1252_name_kept(cli) -> None:
    r = cli("compute", BAD / "cp1252.csv", "-f", "json")
    names = {x["council"] for x in json.loads(r.stdout)}
    # "King’s Lynn and West Norfolk" (curly apostrophe in cp1252) resolves to the council
    assert "Borough Council of King's Lynn and West Norfolk" in names or any(
        "Lynn" in n for n in names
    )


def test_formulas_give_their_values_and_nothing_is_fetched(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    r = cli("compute", BAD / "formulas-and-links.xlsx", "-f", "json", "--no-store")
    assert r.exit_code == 0, r.stderr
    [kent] = json.loads(r.stdout)
    # cached values: "Kent County Council" (from =HYPERLINK), 2 May 2019 (from =DATE), and
    # "Not upheld" (from the external link [1]Data!A1)
    assert kent["council"] == "Kent County Council"
    assert (kent["upheld"], kent["not_upheld"], kent["year"]) == (1, 1, "2019-20")


def test_zip_bomb_is_refused(cli, tmp_path: Path, baseline: bytes, db_path: Path) -> None:
    path = make_bad.zip_bomb(tmp_path / "bomb.xlsx", expanded_bytes=1 << 30)
    assert path.stat().st_size < 4 << 20
    r = cli("compute", path)
    assert r.exit_code == 1
    assert "refused" in r.stderr and "zip bomb" in r.stderr
    assert db_path.read_bytes() == baseline


def test_a_million_rows(cli, tmp_path: Path, db_path: Path) -> None:
    path = make_bad.million_rows(tmp_path / "million.xlsx")
    r = cli("compute", path, "-f", "json")
    assert r.exit_code == 0, r.stderr
    rows = {x["council"]: x for x in json.loads(r.stdout)}
    # rows i = 0..999,999: council i % 5, outcome (i // 5) % 4, so each council has 200,000
    # decisions, 50,000 of each outcome: uphold rate 50,000 / 100,000 = 50%
    kent = rows["Kent County Council"]
    assert kent["decisions"] == 200_000
    assert (kent["upheld"], kent["not_upheld"]) == (50_000, 50_000)
    assert kent["uphold_rate"] == 50.0
    # dates 43556 + i % 365 run from 1 April 2019 to 30 March 2020: all in 2019-20
    assert {x["year"] for x in rows.values()} == {"2019-20"}
    n = stored_decisions(db_path)
    assert n == 1_000_000


@pytest.mark.parametrize(
    ("damaged", "named"),
    [(("sheet2.xml",), "sheet 'C'"), (("sheet1.xml", "sheet2.xml"), "sheet 'D'")],
)
def test_a_damaged_sheet_among_others(
    cli, make_xlsx, baseline: bytes, db_path: Path, damaged: tuple[str, ...], named: str
) -> None:
    # Sheets are parsed side by side; the error is one line naming the first damaged sheet
    # in workbook order, and nothing is stored.
    import zipfile

    comp = [("Reference", "Authority", "Date recorded", "Compliance outcome")]
    comp.append(("19 001 001", "Kent", "2019-09-01", "Complied"))
    good = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)]), "C": comp})
    bad = good.with_name("damaged.xlsx")
    with zipfile.ZipFile(good) as z, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename.endswith(damaged):
                data = data[: len(data) // 2]  # cut off mid-element
            out.writestr(info, data)
    r = cli("compute", bad)
    assert r.exit_code == 1, r.stderr
    assert f"damaged.xlsx, {named}: cannot be read" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert db_path.read_bytes() == baseline
