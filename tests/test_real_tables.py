"""The corpus in tests/data/real/ (made by tests/data/make_real.py): tables laid out the way the
Ombudsman, a council officer and a journalist lay them out. Every expected figure is worked out
by hand in the comment beside it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from lgsco_stats.errors import DataError
from lgsco_stats.figures import figures_of
from lgsco_stats.read.files import read_file, read_files
from lgsco_stats.rounding import format_percent
from tests.data import make_real

REAL = Path(__file__).parent / "data" / "real"


def by_council(f: pd.DataFrame, year: str | None = None) -> dict[str, dict]:
    rows = f if year is None else f[f["year"] == year]
    return {r["council"]: r for r in rows.to_dict("records")}


def pct(x: float) -> str:
    return format_percent(x)


def messages(ds, level: str) -> list[str]:
    return [p.text for p in ds.problems if p.level == level]


def test_the_corpus_is_what_the_script_makes() -> None:
    assert {p.name for p in REAL.iterdir()} == set(make_real.MAKERS)


def test_the_ombudsmans_own_table() -> None:
    # Title rows, a merged group heading, an uphold rate and a total column, an England row,
    # a blank row and two footnotes; the year only in the title "Decisions made 2023-24".
    ds = read_file(REAL / "lgsco-2023-24-table.xlsx")
    f = figures_of(ds)
    got = by_council(f)
    assert len(got) == 6 and "England" not in got  # the England row is a total, not a body
    assert set(f["year"]) == {"2023-24"}
    [report] = ds.reports
    assert report.header_row == 5
    assert report.year_source == "the title 'Decisions made 2023-24' (row 2)"
    assert report.skipped == {"a total": [12], "notes": [14, 15]}
    assert "skipped row 12: a total; rows 14-15: notes" in " ".join(messages(ds, "note"))
    assert messages(ds, "warning") == []  # its uphold rates and totals agree with its counts
    kent = got["Kent County Council"]
    # 76 upheld of 76 + 10 = 86 investigated: 88.37 → 88%; 2+80+10+40+10+76 = 218 decisions
    assert (kent["upheld"], kent["investigations"], kent["decisions"]) == (76, 86, 218)
    assert pct(kent["uphold_rate"]) == "88%"
    # Croydon 43 of 48 = 89.58 → 90% (domain.md: published 90, truncation would give 89)
    assert pct(got["London Borough of Croydon"]["uphold_rate"]) == "90%"
    # spelt the Ombudsman's way, found in the register
    assert pct(got["City of Bradford Metropolitan District Council"]["uphold_rate"]) == "71%"
    assert pct(got["Wakefield Metropolitan District Council"]["uphold_rate"]) == "71%"  # 10/14
    leeds = got["Leeds City Council"]
    assert pct(leeds["uphold_rate"]) == "69%"  # 37 / 54 = 68.52
    # metropolitan mean: (37/54 + 30/42 + 10/14 + 2/5) / 4 = (68.52 + 71.43 + 71.43 + 40) / 4
    assert leeds["group_uphold_rate"] == pytest.approx((3700 / 54 + 3000 / 42 + 1000 / 14 + 40) / 4)
    assert pct(leeds["group_uphold_rate"]) == "63%"
    # no remedy or compliance columns: not reported, never 0
    assert pd.isna(kent["remedy_by_authority"]) and math.isnan(kent["remedy_rate"])
    assert math.isnan(kent["compliance_rate"])


def test_a_council_officers_case_workbook() -> None:
    # Decisions headed "Our ref, Council, Date decided, Decision, Remedy provided by authority
    # (Y/N), Service area" under a title, a Source: footnote; compliance outcomes on a sheet
    # headed "reference, authority, recorded, outcome".
    ds = read_file(REAL / "council-casework.xlsx")
    assert [r.kind for r in ds.reports] == ["decisions", "compliance"]
    assert ds.reports[0].skipped == {"notes": [15]}
    assert len(ds.decisions) == 10 and len(ds.compliance) == 5
    f = figures_of(ds)
    y1 = by_council(f, "2022-23")["Southampton City Council"]
    # 2022-23: 3 upheld, 2 not upheld, 1 closed: 3/5 = 60%; remedies 1 of 3 = 33%
    assert (y1["decisions"], y1["upheld"], y1["not_upheld"]) == (6, 3, 2)
    assert pct(y1["uphold_rate"]) == "60%" and pct(y1["remedy_rate"]) == "33%"
    # recorded 1 Aug 2022 complied, 3 Oct 2022 late, 20 Jan 2023 not: (1 + 1) / 3 = 67%
    assert (y1["complied"], y1["complied_late"], y1["not_complied"]) == (1, 1, 1)
    assert pct(y1["compliance_rate"]) == "67%"
    y2 = by_council(f, "2023-24")["Southampton City Council"]
    # 2023-24 (one date typed as text, 15/06/2023): 2 upheld, 1 not upheld, 1 referred back:
    # 2/3 = 67%; remedies "N" and "no": 0 of 2 = 0%; 2 complied of 2 = 100%
    assert (y2["decisions"], y2["upheld"], y2["investigations"]) == (4, 2, 3)
    assert pct(y2["uphold_rate"]) == "67%" and pct(y2["remedy_rate"]) == "0%"
    assert pct(y2["compliance_rate"]) == "100%"
    # categories under every published name, one canonical list
    assert set(ds.decisions["category"]) == {
        "Adult care services",
        "Housing",
        "Environmental services",
        "Education and children's services",
        "Planning and development",
        "Benefits and tax",
    }


def test_a_council_officers_own_tracker(cli) -> None:
    # From column B under a title; compliance beside each decision; dates as text; a notes
    # column; a "Total cases: 5" line; a summary sheet "Summary 2023-24".
    path = REAL / "officer-workbook.xlsx"
    r = cli("inspect", path)
    assert r.exit_code == 0, r.stderr
    assert "B  Case number               reference" in r.stdout
    assert "J  Officer notes             ignored" in r.stdout
    assert "rows: 5 read; skipped row 11: notes" in r.stdout
    assert "years: 2023-24 (1 row), from the sheet's name 'Summary 2023-24'" in r.stdout
    r = cli("compute", path, "-f", "json", "--no-store")
    got = {x["year"]: x for x in json.loads(r.stdout)}
    y = got["2023-24"]
    # case-level data wins over the summary row: 3 upheld, 1 not upheld, 1 closed: 3/4 = 75%;
    # remedies "Yes", blank, "No" on the upheld: 1 of 3 = 33%; compliance recorded 1 Aug and
    # 20 Dec 2023 (complied, late): 2/2 = 100%
    assert (y["decisions"], y["upheld"], y["not_upheld"]) == (5, 3, 1)
    assert pct(y["uphold_rate"]) == "75%" and pct(y["remedy_rate"]) == "33%"
    assert pct(y["compliance_rate"]) == "100%"
    # not complied, recorded 15 June 2024: in 2024-25, 0 of 1
    assert (got["2024-25"]["not_complied"], got["2024-25"]["compliance_outcomes"]) == (1, 1)
    assert "compliance rate n/a" not in r.stderr  # the case-level columns give it


def test_a_journalists_table_in_the_2024_25_vocabulary() -> None:
    # "Complaints dealt with, Not for us, Assessed and closed, Investigated, Upheld" (no Not
    # upheld column), compliance as a percentage "based on N compliance outcomes", a title line
    # with the year, an n/a and a Total line.
    ds = read_file(REAL / "journalist-2024-25.csv")
    assert ds.reports[0].year_source.startswith("the title 'Ombudsman complaints 2024-25")
    assert ds.reports[0].skipped == {"a total": [6]}
    got = by_council(figures_of(ds))
    assert set(got) == {"Cornwall Council", "Kent County Council", "Birmingham City Council"}
    cornwall = got["Cornwall Council"]
    # 49 upheld of 56 investigated = 87.5 → 88% (domain.md: Cornwall 2024-25); not upheld
    # follows: 56 - 49 = 7; 40 + 24 + 56 = 120 dealt with
    assert (cornwall["upheld"], cornwall["not_upheld"], cornwall["decisions"]) == (49, 7, 120)
    assert pct(cornwall["uphold_rate"]) == "88%"
    assert pct(cornwall["remedy_rate"]) == "10%"  # 5 / 49 = 10.2
    # compliance published as 100% of 30 outcomes: the rate as given, its count beside it
    assert cornwall["compliance_rate"] == 100.0 and cornwall["compliance_outcomes"] == 30
    assert pd.isna(cornwall["complied_total"])
    kent = got["Kent County Council"]
    assert pct(kent["uphold_rate"]) == "83%"  # 100 / 120 = 83.3
    assert pct(kent["remedy_rate"]) == "7%"  # 7 / 100
    assert kent["compliance_rate"] == 99.0
    brum = got["Birmingham City Council"]
    assert pct(brum["uphold_rate"]) == "77%"  # 115 / 150 = 76.7
    assert pct(brum["remedy_rate"]) == "17%"  # 20 / 115 = 17.4
    assert math.isnan(brum["compliance_rate"])  # n/a: not reported
    assert any("'n/a' read as not reported" in m for m in messages(ds, "note"))


def test_a_sheet_per_year_loads_without_year(cli) -> None:
    # sheets "2022-23" and "FY 23-24", counts typed as text, Complied and Not complied only
    r = cli("compute", REAL / "sheet-per-year.xlsx", "-f", "json", "--no-store")
    assert r.exit_code == 0, r.stderr
    got = {(x["council"], x["year"]): x for x in json.loads(r.stdout)}
    assert {y for _, y in got} == {"2022-23", "2023-24"}
    s1 = got[("Southampton City Council", "2022-23")]
    # 12 / (12 + 8) = 60%; "Complied" with no "Complied late" is any timing: 11 / 12 = 92%
    assert pct(s1["uphold_rate"]) == "60%" and pct(s1["compliance_rate"]) == "92%"
    p1 = got[("Portsmouth City Council", "2022-23")]
    # Not upheld "n/a": no uphold rate (never 9 / 9); compliance 5 / 5 = 100%
    assert p1["uphold_rate"] is None and pct(p1["compliance_rate"]) == "100%"
    s2 = got[("Southampton City Council", "2023-24")]
    # " 15 " and "5": 75%; compliance "-" and "–": not reported
    assert pct(s2["uphold_rate"]) == "75%" and s2["compliance_rate"] is None
    p2 = got[("Portsmouth City Council", "2023-24")]
    assert pct(p2["uphold_rate"]) == "50%" and pct(p2["compliance_rate"]) == "80%"  # 4 / 5
    # the second sheet's Total says 26 upheld where its rows add to 15 + 10 = 25
    assert "the total 'Total' is not the sum of the rows above it ('Upheld': 26 given, 25" in (
        r.stderr
    )
    assert "2023-24 from the sheet's name 'FY 23-24'" in r.stderr
    assert "Total" not in {c for c, _ in got}


def test_a_table_of_rates_without_counts(cli) -> None:
    r = cli("compute", REAL / "rates-only.xlsx", "-f", "json")
    assert r.exit_code == 0, r.stderr
    got = {x["council"]: x for x in json.loads(r.stdout)}
    kent = got["Kent County Council"]
    assert kent["uphold_rate"] == 85.0 and kent["investigations"] == 120
    assert kent["upheld"] is None  # not invented from the rate
    # county means of the published rates: (85 + 80 + 75) / 3 = 80; (7 + 10 + 5) / 3 = 7.33;
    # (100 + 99 + 100) / 3 = 99.67
    assert kent["group_uphold_rate"] == pytest.approx(80.0)
    assert kent["group_remedy_rate"] == pytest.approx(22 / 3)
    assert kent["group_compliance_rate"] == pytest.approx(299 / 3)
    # pooled averages need counts: none here, and the output says so
    r = cli("compute", REAL / "rates-only.xlsx", "--average", "pooled", "--no-store")
    assert "Pooled uphold rate averages need counts: 3 council-years" in r.stdout
    # the letter works from the published rate
    r = cli("letter", "--council", "kent", "--year", "2023-24", "--date", "2024-07-01")
    assert r.exit_code == 0, r.stderr
    assert "We upheld 85% of the complaints we investigated" in r.stdout
    assert "the rate as published" in r.stdout
    assert "| Complaints upheld | 85% (of 120), as published |" in r.stdout
    # the summary ranks counted rates only: these have none to rank, and it still works
    r = cli("summary", "--year", "2023-24")
    assert r.exit_code == 0, r.stderr


def test_rates_in_excel_percent_cells() -> None:
    ds = read_file(REAL / "rates-as-fractions.xlsx")
    got = by_council(figures_of(ds))
    # 0.85 shown as 85% in Excel is 85%; 1 is 100% (the column's numbers are all at most 1)
    assert got["Kent County Council"]["uphold_rate"] == pytest.approx(85.0)
    assert got["Kent County Council"]["compliance_rate"] == pytest.approx(100.0)
    assert got["Surrey County Council"]["compliance_rate"] == pytest.approx(99.0)


def test_every_set_of_columns_that_determines_compliance() -> None:
    # Kent: 20 outcomes, 19 complied (2 of them late), 1 not complied, written four ways
    f = figures_of(read_file(REAL / "compliance-shapes.xlsx"))
    got = {r["year"]: r for r in f.to_dict("records")}
    for year in ("2021-22", "2022-23", "2023-24", "2024-25"):
        assert (got[year]["complied_total"], got[year]["compliance_outcomes"]) == (19, 20), year
        assert pct(got[year]["compliance_rate"]) == "95%"  # 19 / 20
    assert got["2023-24"]["complied_late"] == 2
    assert pd.isna(got["2021-22"]["complied_late"])  # not reported, not 0


def test_merged_headings_over_no_and_percent() -> None:
    ds = read_file(REAL / "merged-no-and-percent.xlsx")
    got = by_council(figures_of(ds))
    # "No." under "Upheld" is the count, "%" the rate (checked against the counts: it agrees)
    assert pct(got["Leeds City Council"]["uphold_rate"]) == "69%"  # 37 / 54
    assert pct(got["Kirklees Council"]["uphold_rate"]) == "80%"  # 20 / 25
    assert messages(ds, "warning") == []
    fields = {
        c["header"] + "/" + c["column"]: c["field"] for c in ds.reports[0].as_dict()["columns"]
    }
    assert fields == {
        "Council/A": "authority",
        "No./B": "upheld",
        "%/C": "uphold_rate",
        "No./D": "not_upheld",
        "%/E": None,  # a not-upheld rate: nothing to read it as
    }


BROKEN = [
    "row 2, column 'Investigated': '1,5' is not a count (a comma separates thousands only in "
    "groups of three, as in 1,234)",
    "row 3, column 'Upheld': '1,2,3' is not a count",
    "row 4: 'Remedied by authority' is more than 'Upheld' (10 against 5)",
    "rows 5, 6, 8: 'Upheld' + 'Not upheld' add up to more than 'Investigated'",
    "row 7, column 'Investigated': '5000000000000000000' is beyond any real value (the limit is "
    "1,000,000,000)",
    "row 8, column 'Upheld': '-3' is negative",
    "row 9, column 'Not upheld': '5.5' is not a whole number",
    "row 9, column 'Upheld': '4.5' is not a whole number",
    "row 10, column 'Investigated': 'ten' is not a number",
    "row 11: 'Investigated' is not 'Upheld' + 'Not upheld' (20 given, 15 from the parts)",
]


def test_every_broken_count_in_one_run(cli, db_path: Path) -> None:
    r = cli("compute", REAL / "broken-counts.xlsx")
    assert r.exit_code == 1 and r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines[0] == f"Error: {len(BROKEN)} problems; nothing was stored:"
    for expected, line in zip(BROKEN, lines[1:], strict=False):
        assert "broken-counts.xlsx, sheet 'Table', " in line and expected in line
    assert not db_path.exists() or "Table" not in db_path.read_bytes().decode("latin-1")


def test_more_than_twenty_problems(make_xlsx) -> None:
    rows = [("Authority", "Year", "Upheld", "Not upheld")]
    rows += [(f"Council {i}", "2023-24", f"x{i}", 1) for i in range(25)]
    with pytest.raises(DataError) as e:
        read_file(make_xlsx({"T": rows}))
    lines = e.value.message.splitlines()
    assert lines[0] == "25 problems; nothing was stored:"
    assert len(lines) == 1 + 20 + 1 and lines[-1] == "  and 5 more"
    assert "row 2, column 'Upheld': 'x0' is not a number" in lines[1]


def test_excel_error_cells_are_named() -> None:
    ds = read_file(REAL / "excel-errors.xlsx")
    warnings = " ".join(messages(ds, "warning"))
    assert "column 'Upheld': Excel error cells read as not reported: B3 #N/A" in warnings
    assert "column 'Not upheld': Excel error cells read as not reported: C4 #DIV/0!" in warnings
    got = by_council(figures_of(ds))
    assert pct(got["Kent County Council"]["uphold_rate"]) == "67%"  # 10 / 15
    assert math.isnan(got["Leeds City Council"]["uphold_rate"])
    assert math.isnan(got["Surrey County Council"]["uphold_rate"])


def test_digits_of_other_scripts_are_read_with_a_note() -> None:
    ds = read_file(REAL / "other-digits.csv")
    got = by_council(figures_of(ds))
    assert pct(got["Kent County Council"]["uphold_rate"]) == "60%"  # ١٢ / (١٢ + ٨) = 12 / 20
    assert pct(got["Leeds City Council"]["uphold_rate"]) == "75%"  # １２ / 16
    assert "read '١٢' as 12, '１２' as 12" in " ".join(messages(ds, "note"))


def test_names_the_register_does_not_know(cli, db_path: Path) -> None:
    names = REAL / "misspelt-names.csv"
    r = cli("compute", names, "--no-store")
    assert r.exit_code == 0
    assert (
        "Warning: misspelt-names.csv, rows 2, 3: 'Southhampton' is not a council in the "
        "register; did you mean 'Southampton City Council'"
    ) in r.stderr
    r = cli("compute", names, "--strict-names")
    assert r.exit_code == 1 and not db_path.exists()
    assert "2 problems; nothing was stored" in r.stderr and "'Soton CC'" in r.stderr
    r = cli("compute", names, "--aliases", REAL / "our-names.csv", "--strict-names", "-f", "json")
    assert r.exit_code == 0, r.stderr
    [southampton] = json.loads(r.stdout)
    # all three rows are Southampton's: 2 upheld of 3 = 67%
    assert southampton["council"] == "Southampton City Council"
    assert pct(southampton["uphold_rate"]) == "67%"
    assert southampton["remedy_rate"] is None  # no remedy column: not reported, never 0%


def test_bad_aliases_are_named(cli, tmp_path: Path) -> None:
    bad = tmp_path / "aliases.csv"
    bad.write_text("name,council\nSouthhampton,Southhampton City\nSoton,\n", encoding="utf-8")
    r = cli("compute", REAL / "misspelt-names.csv", "--aliases", bad)
    assert r.exit_code == 1
    assert "row 2: no council called 'Southhampton City'; did you mean" in r.stderr
    assert "row 3: write a name and the council it means" in r.stderr


def test_a_map_header_not_in_the_file(cli) -> None:
    r = cli("compute", REAL / "council-casework.xlsx", "--map", "outcome=Result")
    assert r.exit_code == 1
    assert "--map outcome='Result': no column is headed 'Result'; the headers are: " in r.stderr
    assert "'Our ref'" in r.stderr and "'recorded'" in r.stderr


def test_inspect_says_how_each_sheet_is_read(cli, db_path: Path) -> None:
    r = cli("inspect", REAL / "council-casework.xlsx", REAL / "lgsco-2023-24-table.xlsx")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "kind: compliance outcomes (one row per outcome), as its column 'outcome' holds " in out
    assert "C  recorded   date_recorded" in out
    assert "rows: 6 read; skipped row 12: a total; rows 14-15: notes" in out
    assert "years: 2023-24 (6 rows), from the title 'Decisions made 2023-24' (row 2)" in out
    assert "satisfactory remedy rate: no: needs" in out
    assert "compute would load 10 decisions and 5 compliance outcomes and 6 published rows" in out
    assert not db_path.exists()  # nothing stored
    r = cli("inspect", REAL / "sheet-per-year.xlsx", "--format", "json")
    data = json.loads(r.stdout)
    assert data["would_load"] is True
    first = data["sheets"][0]
    assert first["kind"] == "published" and first["year_from"] == "the sheet's name '2022-23'"
    assert {c["header"]: c["field"] for c in first["columns"]}["Complied"] == "complied_total"
    assert data["sheets"][2]["kind"] is None  # the sheet of notes


def test_inspect_of_a_file_that_would_not_load(cli) -> None:
    r = cli("inspect", REAL / "broken-counts.xlsx")
    assert r.exit_code == 1
    assert "not understood: 10" in r.stdout
    assert "compute would not load these files: 10 problems; nothing was stored." in r.stdout
    assert r.stderr.startswith("Error: 10 problems; nothing was stored:")
    r = cli("inspect", REAL / "broken-counts.xlsx", "-f", "json")
    data = json.loads(r.stdout)
    assert data["would_load"] is False and len(data["errors"]) == 10


def test_workbook_of_all_three_kinds(make_xlsx) -> None:
    # One workbook: decisions, compliance outcomes headed "date", and a published table
    decisions = [
        ("Reference", "Authority", "Decision date", "Outcome"),
        ("1", "Kent", "2019-05-01", "Upheld"),
        ("2", "Kent", "2019-06-01", "Not upheld"),
    ]
    compliance = [
        ("Reference", "Council", "Date", "Outcome"),
        ("1", "Kent", "2019-09-01", "Complied"),
    ]
    table = [("Council", "Upheld", "Not upheld"), ("Leeds", 3, 1)]
    ds = read_files(
        [make_xlsx({"Cases": decisions, "Compliance": compliance, "Leeds 2019-20": table})]
    )
    assert [r.kind for r in ds.reports] == ["decisions", "compliance", "published"]
    got = by_council(figures_of(ds))
    assert pct(got["Kent County Council"]["uphold_rate"]) == "50%"  # 1 / 2
    assert pct(got["Kent County Council"]["compliance_rate"]) == "100%"  # 1 / 1
    assert pct(got["Leeds City Council"]["uphold_rate"]) == "75%"  # 3 / 4, year from the name


def test_no_letter_or_page_for_a_total_or_a_footnote(cli, tmp_path: Path) -> None:
    # On main before this issue, "England" and the "Source:" line became bodies: letter --all
    # wrote them letters and the report made them pages.
    assert cli("compute", REAL / "lgsco-2023-24-table.xlsx").exit_code == 0
    r = cli(
        "letter", "--all", "--year", "2023-24", "--signatory", "A. Ombudsman",
        "--output", tmp_path / "letters",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / "letters").iterdir())
    assert len(names) == 6
    assert not [n for n in names if n.startswith(("england", "source", "note", "total"))]


def test_inspect_counts_one_row_in_the_singular(cli, tmp_path) -> None:
    # a one-council table typed by hand, semicolons as a European Excel writes them
    path = tmp_path / "one.csv"
    path.write_text("Authority;Year;Investigated;Upheld\nSouthampton City Council;2023-24;40;30\n")
    r = cli("inspect", path)
    assert r.exit_code == 0, r.stderr
    assert "years: 2023-24 (1 row), from the column 'Year'" in r.stdout
    assert "compute would load 1 published row for 2023-24; nothing was stored." in r.stdout


def test_inspect_refuses_a_bare_year_as_compute_does(cli, tmp_path) -> None:
    path = tmp_path / "one.csv"
    path.write_text("Authority,Investigated,Upheld\nSouthampton City Council,40,30\n")
    for command in ("inspect", "compute"):
        r = cli(command, path, "--year", "2019")
        assert r.exit_code == 2, command
        assert "'2019' could be 2019-20 or 2018-19" in r.stderr
    r = cli("inspect", path, "--year", "2019-20")
    assert r.exit_code == 0 and "years: 2019-20 (1 row), from --year" in r.stdout
