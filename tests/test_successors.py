"""A council that changed type (Somerset: a county until March 2023, a unitary after) in trend,
chart and report, when the abolished council still has rows after its abolition (compliance
outcomes recorded in 2023-24 for Somerset County Council). Both rows appear, each under its own
name; the successor's year is never replaced by the other one.

Hand-made workbook (decisions on 1 June of each year, compliance recorded 1 September 2023):

2022-23  Somerset County Council  6 upheld, 4 not upheld -> 60%
         Kent County Council      9 upheld, 1 not upheld -> 90%
         Essex County Council     3 upheld, 7 not upheld -> 30%
         county mean (60 + 90 + 30) / 3 = 60%
2023-24  Somerset Council         8 upheld, 2 not upheld -> 80%; compliance 3 + 1 late of 5 = 80%
         Dorset Council           5 upheld, 5 not upheld -> 50%; compliance 2 of 2 = 100%
         Wiltshire Council        7 upheld, 3 not upheld -> 70%; compliance 1 of 2 = 50%
         unitary mean uphold (80 + 50 + 70) / 3 = 66.67 -> 67%; compliance
         (80 + 100 + 50) / 3 = 76.67 -> 77%
         Kent County Council      9 of 10: the only county in 2023-24, no comparison
         Somerset County Council  no decisions; 2 complied (recorded after its abolition)
Per 100,000 (2022-23 uses mid-2021, 2023-24 mid-2022):
  Somerset CC 2022-23: 6e5 / 573,119 = 1.0469 -> 1.0
  Somerset Council 2023-24: 8e5 / 576,852 = 1.38684 -> 1.4; Dorset 5e5 / 383,274 = 1.30455;
  Wiltshire 7e5 / 515,885 = 1.35689; unitary mean 4.04828 / 3 = 1.34943 -> 1.3
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import DECISION_HEADER, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
Y1, Y2 = dt.datetime(2022, 6, 1), dt.datetime(2023, 6, 1)
DECISIONS = [
    (Y1, "Somerset County Council", 6, 4),
    (Y1, "Kent County Council", 9, 1),
    (Y1, "Essex County Council", 3, 7),
    (Y2, "Somerset Council", 8, 2),
    (Y2, "Dorset Council", 5, 5),
    (Y2, "Wiltshire Council", 7, 3),
    (Y2, "Kent County Council", 9, 1),
]
COMPLIANCE = [
    ("Somerset Council", "Complied", 3),
    ("Somerset Council", "Complied late", 1),
    ("Somerset Council", "Not complied", 1),
    ("Dorset Council", "Complied", 2),
    ("Wiltshire Council", "Complied", 1),
    ("Wiltshire Council", "Not complied", 1),
    ("Somerset County Council", "Complied", 2),
]


def _workbook(path: Path) -> Path:
    rows: list[tuple[object, ...]] = [DECISION_HEADER]
    n = 0
    for when, authority, upheld, not_upheld in DECISIONS:
        for outcome, count in (("Upheld", upheld), ("Not upheld", not_upheld)):
            for _ in range(count):
                n += 1
                rows.append(
                    (f"{when.year % 100} {n:03d} 001", authority, when, outcome, None, "Housing")
                )
    comp: list[tuple[object, ...]] = [
        ("Reference", "Authority", "Date recorded", "Compliance outcome")
    ]
    for i, (authority, outcome, _count) in enumerate(
        (c for c in COMPLIANCE for _ in range(c[2])), start=1
    ):
        comp.append((f"C{i:03d}", authority, dt.datetime(2023, 9, 1), outcome))
    return write_xlsx(path, {"Decisions": rows, "Compliance": comp})


@pytest.fixture
def loaded(cli, tmp_path):
    r = cli("compute", _workbook(tmp_path / "somerset.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    return cli


def test_trend_keeps_the_successors_year_and_the_abolished_councils_row(loaded):
    r = loaded("trend", "--council", "somerset", "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(x["year"], x["council"], x["primary"]) for x in rows] == [
        ("2022-23", "Somerset County Council", True),
        ("2023-24", "Somerset Council", True),
        ("2023-24", "Somerset County Council", False),
    ]
    county, unitary, leftover = rows
    assert county["uphold_rate"] == pytest.approx(60.0)
    assert county["group_uphold_rate"] == pytest.approx(60.0)  # (60 + 90 + 30) / 3
    assert (unitary["decisions"], unitary["upheld"], unitary["investigations"]) == (10, 8, 10)
    assert unitary["type"] == "unitary" and unitary["in_group"] is True
    assert unitary["group_uphold_rate"] == pytest.approx(200 / 3)  # (80 + 50 + 70) / 3
    assert unitary["uphold_change"] == pytest.approx(20.0)  # 80 after 60
    assert unitary["compliance_rate"] == pytest.approx(80.0)  # only its own 4 of 5
    assert unitary["group_compliance_rate"] == pytest.approx(230 / 3)  # (80 + 100 + 50) / 3
    assert unitary["population_year"] == 2022
    assert unitary["upheld_per_100k"] == pytest.approx(8e5 / 576_852)
    assert unitary["group_upheld_per_100k"] == pytest.approx(
        (8e5 / 576_852 + 5e5 / 383_274 + 7e5 / 515_885) / 3
    )
    # the abolished council's outcomes recorded after April 2023: its own row, no group
    assert (leftover["decisions"], leftover["compliance_outcomes"]) == (0, 2)
    assert leftover["in_group"] is False and leftover["compliance_rate"] == pytest.approx(100.0)
    assert leftover["compliance_change"] is None and leftover["upheld_per_100k"] is None


def test_trend_table_shows_both_rows_and_says_why(loaded):
    r = loaded("trend", "--council", "Somerset County Council")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    unitary = next(x for x in lines if x.startswith(" 2023-24   Somerset Council "))
    assert "Unitary councils" in unitary and "80% (8/10)" in unitary and "+20" in unitary
    assert "67%" in unitary and "1.4" in unitary and "1.3" in unitary
    leftover = next(x for x in lines if x.startswith(" 2023-24   Somerset County Council"))
    assert "none" in leftover and "100% (2/2)*" in leftover
    assert (
        "From 2023-24: Somerset Council, a unitary council (until 2022-23: Somerset County "
        "Council, a county council)" in r.stdout
    )
    assert "2023-24: Somerset County Council: abolished 31 March 2023" in r.stdout
    assert "mid-2021 for 2022-23 and mid-2022 for 2023-24" in r.stdout


def test_trend_of_a_group_of_one_says_there_is_no_comparison(loaded):
    r = loaded("trend", "--council", "kent", "--format", "json")
    rows = {x["year"]: x for x in json.loads(r.stdout)}
    assert rows["2022-23"]["group_uphold_rate"] == pytest.approx(60.0)
    later = rows["2023-24"]
    assert later["group_uphold_rate"] is None and later["group_councils"] == 1
    assert later["comparison_note"] == (
        "no other county council in the store for 2023-24: no comparison"
    )
    r = loaded("trend", "--council", "kent")
    assert "2023-24: no other county council in the store for 2023-24: no comparison." in r.stdout


def test_chart_draws_the_successors_year(loaded, tmp_path):
    out = tmp_path / "somerset.svg"
    r = loaded("chart", "--council", "somerset", "--output", out)
    assert r.exit_code == 0, r.stderr
    text = " ".join(t.strip() for t in ET.fromstring(out.read_bytes()).itertext() if t.strip())
    assert "80% 8/10" in text  # Somerset Council's 2023-24 uphold rate
    assert "100% 2/2*" in text  # the county's leftover compliance outcomes, a bar of their own
    assert "2023-24 unitary" in text and "2023-24 no group" in text and "2022-23 county" in text


def test_site_page_of_the_successor_agrees_with_itself(loaded, tmp_path):
    out = tmp_path / "site"
    r = loaded("report", "--output", out)
    assert r.exit_code == 0, r.stderr
    page = (out / "councils" / "somerset-council.html").read_text(encoding="utf-8")
    # the figures up front: 2023-24, the latest year with decisions
    figures = page.split('<h2 id="latest">')[1].split('<h2 id="uphold">')[0]
    assert '<td class="num">80%</td><td class="num">8 of 10</td>' in figures and "67%" in figures
    assert "+13" in figures  # 80 against 67 as shown
    assert "(3 councils)" in figures
    assert "576,852 (ONS mid-2022 estimate)" in page
    # the 2024-25 counts: 10 dealt with, none not for us or assessed and closed, 10 investigated
    for label, n in (
        ("Complaints dealt with (decisions)", 10),
        ("Not for us", 0),
        ("Assessed and closed", 0),
        ("Investigated", 10),
    ):
        assert f'<th scope="row">{label}</th><td class="num">{n}</td>' in figures
    years = page.split('<h2 id="uphold">')[1].split('<h2 id="compliance">')[0]
    rows = re.findall(
        r'<tr><th scope="row" class="year">([^<]+)(?:<br><span class="note">([^<]+)</span>)?'
        r"</th><td>(?:<a [^>]+>)?([^<]+)<",
        years,
    )
    # the county's leftover row of 2023-24 is named, in no group
    assert rows == [
        ("2022-23", "", "County councils"),
        ("2023-24", "", "Unitary councils"),
        ("2023-24", "Somerset County Council", "none"),
    ]
    assert '<td class="num">80%</td><td class="num">8 of 10</td>' in years
    kent = (out / "councils" / "kent-county-council.html").read_text(encoding="utf-8")
    assert "no other county council in the store for 2023-24: no comparison" in kent


def _example_module():
    spec = importlib.util.spec_from_file_location(
        "make_examples", ROOT / "examples" / "make_examples.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_three_year_example(cli, tmp_path):
    # The README's example (make_examples --rows 60000 --years 2021-22 2022-23 2023-24 --seed 7),
    # written as CSV rather than a workbook: the same rows, read in a second instead of seven.
    decisions, compliance = _example_module().generate(60_000, ["2021-22", "2022-23", "2023-24"], 7)
    decisions.to_csv(tmp_path / "decisions.csv", index=False)
    compliance.to_csv(tmp_path / "compliance.csv", index=False)
    r = cli("compute", tmp_path / "decisions.csv", tmp_path / "compliance.csv", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    for name, successor, county in (
        ("somerset", "Somerset Council", "Somerset County Council"),
        ("north yorkshire", "North Yorkshire Council", "North Yorkshire County Council"),
    ):
        r = cli("trend", "--council", name, "--format", "json")
        assert r.exit_code == 0, r.stderr
        rows = [(x["year"], x["council"], x["primary"]) for x in json.loads(r.stdout)]
        assert rows == [
            ("2021-22", county, True),
            ("2022-23", county, True),
            ("2023-24", successor, True),
            ("2023-24", county, False),
            ("2024-25", successor, True),
        ]
    r = cli("trend", "--council", "somerset")
    line = next(x for x in r.stdout.splitlines() if x.startswith(" 2023-24   Somerset Council "))
    assert "145" in line and "82% (31/38)" in line and "Unitary councils" in line
