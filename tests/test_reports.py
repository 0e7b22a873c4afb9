"""trend, summary and chart: the library functions and the commands, numbers worked by hand
(see tests/reports_data.py for the data and the arithmetic)."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgsco_stats.councils import register
from lgsco_stats.outcomes import canonical_category
from lgsco_stats.report import summary, trends
from tests.reports_data import workbook


@pytest.fixture
def loaded(cli, tmp_path):
    r = cli("compute", workbook(tmp_path / "two-years.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    return cli


# --------------------------------------------------------------------------- lineage


def test_lineage_follows_a_change_of_type_but_not_a_merger():
    reg = register()
    somerset = reg.by_code["E06000066"]
    assert [c.gss_code for c in trends.lineage(reg, somerset)] == ["E10000027", "E06000066"]
    county = reg.by_code["E10000027"]
    assert [c.gss_code for c in trends.lineage(reg, county)] == ["E10000027", "E06000066"]
    # South Somerset District also became part of Somerset Council: a merger, not the same council
    south = reg.get("South Somerset District Council")
    assert trends.lineage(reg, south) == [south]
    assert [c.gss_code for c in trends.lineage(reg, reg.by_code["E06000065"])] == [
        "E10000023",
        "E06000065",
    ]  # North Yorkshire likewise


# --------------------------------------------------------------------------- trend


def test_trend_follows_somerset_across_its_change_of_group(loaded):
    r = loaded("trend", "--council", "somerset", "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [(x["year"], x["council"], x["type"]) for x in rows] == [
        ("2022-23", "Somerset County Council", "county"),
        ("2023-24", "Somerset Council", "unitary"),
    ]
    first, second = rows
    assert first["uphold_rate"] == pytest.approx(60.0)  # 6 / 10
    # counties 2022-23 are Somerset and Kent: one other council is no comparison (the group's
    # (60 + 90) / 2 = 75 is half Somerset's own); unitaries 2023-24 likewise (Dorset only)
    assert first["group_uphold_rate"] is None and first["group_councils"] == 2
    assert "only one other county council in the store for 2022-23" in first["comparison_note"]
    assert first["uphold_change"] is None  # no 2021-22
    assert second["uphold_rate"] == pytest.approx(80.0)  # 8 / 10
    assert second["group_uphold_rate"] is None
    assert second["uphold_change"] == pytest.approx(20.0)  # 80 - 60
    assert second["remedy_change"] == pytest.approx(-25.0)  # 2/8 = 25 after 3/6 = 50
    assert second["compliance_rate"] == pytest.approx(80.0)  # (3 + 1) / 5
    assert second["compliance_change"] is None  # no compliance in 2022-23
    # 2023-24 uses mid-2022: 8 upheld per 576,852 residents -> 1.3868... per 100,000
    assert second["upheld_per_100k"] == pytest.approx(8 * 100_000 / 576_852)
    assert (second["population_year"], second["population_source"]) == (2022, "ONS mid-2022")


def test_trend_of_a_council_replaced_before_the_data_names_its_successor(loaded, tmp_path):
    # Bournemouth Borough Council ended on 31 March 2019 (the register), merged into BCP: no
    # figures in 2022-23 or 2023-24, and the message says where its residents' council went
    expected = (
        "Error: no data for Bournemouth Borough Council in the store; years in the store: "
        "2022-23, 2023-24; it was replaced on 1 April 2019 by Bournemouth, Christchurch and "
        'Poole Council (--council "Bournemouth, Christchurch and Poole Council")'
    )
    r = loaded("trend", "--council", "Bournemouth Borough Council")
    assert r.exit_code == 1 and r.stderr.strip() == expected
    r = loaded("chart", "--council", "Bournemouth Borough Council", "-o", tmp_path / "b.png")
    assert r.exit_code == 1 and r.stderr.strip() == expected
    r = loaded("compare", "--council", "Bournemouth Borough Council", "--year", "2023-24")
    assert r.exit_code == 2
    assert (
        "for its successor: lgsco-stats compare --council 'Bournemouth, Christchurch and Poole "
        "Council' --year 2023-24; its figures year by year" in r.stderr
    )
    # a council that still exists has no such line
    r = loaded("trend", "--council", "Solihull")
    assert r.exit_code == 1 and "replaced" not in r.stderr


def test_trend_table_shows_groups_changes_and_the_note(loaded):
    r = loaded("trend", "--council", "Somerset County Council")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "County councils" in out and "Unitary councils" in out
    assert "60% (6/10)" in out and "80% (8/10)" in out and "+20" in out
    assert "-25" in out  # remedy 50% -> 25%
    assert "until 2022-23: Somerset County Council, a county council" in out
    assert r.stderr == ""


def test_trend_shown_change_is_between_rounded_rates(loaded):
    """Kent: 90% both years, change 0 (not +0.0 or n/a)."""
    r = loaded("trend", "-c", "kent", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    lines = [x for x in r.stdout.splitlines() if x.startswith("| 2023-24")]
    # counties 2023-24: only Kent, so no group figure to compare with (n/a), and a note says so
    assert lines and "| 90% (9/10) | n/a | 0 |" in lines[0]
    assert "2023-24: no other county council in the store for 2023-24: no comparison." in r.stdout


def test_trend_of_an_unknown_council_says_did_you_mean(loaded):
    r = loaded("trend", "--council", "Somersett")
    assert r.exit_code == 1
    assert "no council called 'Somersett'" in r.stderr and "did you mean" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout


def test_trend_of_a_council_without_data(loaded):
    r = loaded("trend", "--council", "Southampton")
    assert r.exit_code == 1
    assert "no data for Southampton City Council" in r.stderr


def test_trend_on_an_empty_store(cli):
    r = cli("trend", "--council", "kent")
    assert r.exit_code == 1
    assert "load data first" in r.stderr


# --------------------------------------------------------------------------- summary


def test_summary_is_pooled_nationally_and_by_group(loaded):
    r = loaded("summary", "--year", "2023-24", "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    totals = {t["scope"]: t for t in doc["totals"]}
    assert list(totals) == ["england", "county", "unitary", "no_group"]
    eng = totals["england"]
    # 15 Somerset + 10 Dorset + 10 Kent + 2 TfL = 37 decisions; 5 closed; 32 investigated
    assert eng["decisions"] == 37 and eng["closed_after_initial_enquiries"] == 5
    assert eng["investigations"] == 32 and eng["investigated"] == 32
    # the 2024-25 counts: dealt with 37 = not for us 0 + assessed and closed 5 + investigated 32
    assert (eng["dealt_with"], eng["not_for_us"], eng["assessed_and_closed"]) == (37, 0, 5)
    assert eng["uphold_rate"] == pytest.approx(100 * 23 / 32)  # (8 + 5 + 9 + 1) / 32
    assert eng["compliance_rate"] == pytest.approx(100 * 6 / 7)  # (3 + 1 + 2) / (5 + 2)
    assert eng["remedy_rate"] == pytest.approx(100 * 2 / 23)  # 2 remedies of 23 upheld
    assert totals["unitary"]["uphold_rate"] == pytest.approx(65.0)  # (8 + 5) / 20
    # the groups and "no group" add up to England
    for key in ("decisions", "upheld", "investigations", "compliance_outcomes"):
        parts = [t[key] or 0 for s, t in totals.items() if s != "england"]
        assert sum(parts) == eng[key]
    cats = {c["category"]: c["decisions"] for c in doc["categories"]}
    # references 1..57 cycle Adult care (n%3=1), Education (2), Housing (0); 2023-24 is 21..57
    assert cats == {
        "Adult care services": 12,
        "Education and children's services": 12,
        "Housing": 13,
    }


def test_summary_table_lists_highest_and_lowest_without_small_numbers(loaded):
    r = loaded("summary", "--year", "2023-24", "--top", "1")
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert "72% (23/32)" in out  # national, rounded half up from 71.875
    section = out.split("Highest and lowest uphold rates 2023-24")[1].split("\n\n")[0]
    # eligible (10+ investigations): Kent 90%, Somerset 80%, Dorset 50%; TfL (2 cases) left out
    assert "Kent County Council" in section and "90% (9/10)" in section
    assert "Dorset Council" in section and "50% (5/10)" in section
    assert "Transport for London" not in section and "Somerset" not in section


def test_summary_csv_is_one_long_table(loaded):
    r = loaded("summary", "--year", "2023-24", "--format", "csv")
    assert r.exit_code == 0, r.stderr
    frame = pd.read_csv(pd.io.common.StringIO(r.stdout))
    assert list(frame.columns) == [
        "section",
        "scope",
        "measure",
        "value",
        "numerator",
        "denominator",
    ]
    row = frame[(frame["scope"] == "england") & (frame["measure"] == "uphold_rate")].iloc[0]
    assert (row["numerator"], row["denominator"]) == (23, 32)


def test_summary_of_a_year_not_in_the_store(loaded):
    r = loaded("summary", "--year", "2019-20")
    assert r.exit_code == 1
    assert "no data for 2019-20; years in the store: 2022-23, 2023-24" in r.stderr
    r = loaded("summary", "--year", "nineteen")
    assert r.exit_code == 2


def _figures(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {
        "type": "unitary",
        "in_group": True,
        "gss_code": None,
        "decisions": 0,
        "advice_given": 0,
        "closed_after_initial_enquiries": 0,
        "incomplete_invalid": 0,
        "referred_back": 0,
        "remedy_by_authority": 0,
        "compliance_outcomes": 0,
        "complied_total": 0,
        "year": "2023-24",
    }
    out = []
    for r in rows:
        d = {**base, **r}
        d["investigations"] = int(d["upheld"]) + int(d["not_upheld"])  # type: ignore
        d["decisions"] = d["investigations"]
        d["uphold_rate"] = (
            100.0 * int(d["upheld"]) / d["investigations"]  # type: ignore
            if d["investigations"]
            else np.nan
        )
        d["remedy_rate"] = np.nan
        d["compliance_rate"] = np.nan
        out.append(d)
    return pd.DataFrame(out)


def test_extremes_never_list_a_council_at_both_ends():
    f = _figures([{"council": f"C{i}", "upheld": 10, "not_upheld": 0} for i in range(3)])
    ext = summary.extremes(f, top=5)
    up = ext[ext["rate"] == "uphold"]
    # 3 eligible councils, 5 asked for: one at each end, never the same one
    assert len(up) == 2
    assert up["council"].nunique() == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=12))
def test_pooled_rate_lies_between_the_members_rates(counts):
    f = _figures(
        [{"council": f"C{i}", "upheld": u, "not_upheld": n} for i, (u, n) in enumerate(counts)]
    )
    totals = summary.pooled_totals(f)
    rates = [100.0 * u / (u + n) for u, n in counts if u + n]
    if not rates:
        assert math.isnan(totals["uphold_rate"])  # type: ignore[arg-type]
        return
    assert min(rates) - 1e-9 <= totals["uphold_rate"] <= max(rates) + 1e-9  # type: ignore
    assert totals["upheld"] == sum(u for u, _ in counts)


def test_pooled_totals_keep_not_reported_apart_from_zero():
    f = _figures([{"council": "A", "upheld": 1, "not_upheld": 1}])
    f["complied_total"] = pd.array([pd.NA], dtype="Int64")
    f["compliance_outcomes"] = pd.array([pd.NA], dtype="Int64")
    totals = summary.pooled_totals(f)
    assert totals["compliance_outcomes"] is None and math.isnan(totals["compliance_rate"])


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("Housing", "Housing"),
        ("HOUSING", "Housing"),
        ("Education & children's services", "Education and children's services"),
        ("Environmental services, public protection and regulation", "Environmental services"),
        ("Parking", "Parking"),
    ],
)
def test_categories_as_written_meet_the_published_ones(written, category):
    assert canonical_category(written) == category


# --------------------------------------------------------------------------- chart


def test_chart_of_a_council_is_a_png(loaded, tmp_path):
    out = tmp_path / "somerset.png"
    r = loaded("chart", "--council", "somerset", "--output", out)
    assert r.exit_code == 0, r.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 600 and height > 300
    assert "2 years (2022-23 to 2023-24)" in r.stderr


def test_chart_of_a_group_is_an_svg_with_titles_counts_and_the_average(loaded, tmp_path):
    out = tmp_path / "unitary.svg"
    r = loaded(
        "chart", "--type", "unitary", "--year", "2023-24", "--council", "somerset", "--output", out
    )
    assert r.exit_code == 0, r.stderr
    root = ET.fromstring(out.read_bytes())
    text = " ".join(t.strip() for t in root.itertext() if t.strip())
    assert "Unitary councils 2023-24: uphold rate" in text
    assert "80% (8/10)" in text and "50% (5/10)" in text  # rates with counts
    assert "group average 65% (mean of 2 councils)" in text  # (80 + 50) / 2
    assert "Uphold rate (%)" in text and "100%" in text  # axis in percent


def test_chart_rejects_an_unknown_extension_and_nothing_to_draw(loaded, tmp_path):
    r = loaded("chart", "--council", "kent", "--output", tmp_path / "kent.jpg")
    assert r.exit_code == 2
    assert "must end in .png or .svg" in r.stderr
    assert not (tmp_path / "kent.jpg").exists()
    r = loaded("chart", "--output", tmp_path / "x.png")
    assert r.exit_code == 2 and "--council" in r.stderr


def test_chart_council_not_in_the_type_asked(loaded, tmp_path):
    r = loaded(
        "chart",
        "--type",
        "unitary",
        "--council",
        "kent",
        "--year",
        "2023-24",
        "--output",
        tmp_path / "x.svg",
    )
    assert r.exit_code == 2
    assert "Kent County Council is in the County councils group" in r.stderr


def test_chart_group_without_data(loaded, tmp_path):
    r = loaded("chart", "--type", "district", "--output", tmp_path / "x.svg")
    assert r.exit_code == 1
    assert "no district councils have data for 2023-24" in r.stderr


def test_trend_of_a_body_outside_the_register(loaded):
    r = loaded("trend", "--council", "Transport for London", "--format", "json")
    assert r.exit_code == 0, r.stderr
    (row,) = json.loads(r.stdout)
    assert (row["council"], row["type"], row["in_group"]) == ("Transport for London", None, False)
    assert row["uphold_rate"] == pytest.approx(50.0)  # 1 / 2
    assert row["group_uphold_rate"] is None  # no made-up average
