"""``lgsco-stats chart`` as QA found it wanting: a title and legend cut at the image's edge, one
name for every year of a council that changed, "not reported" where nothing was counted, a group
average in the legend where there is none, and a ranking topped by 1 upheld of 1. Each expected
value is worked by hand beside its test."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from lgsco_stats.figures import nothing_counted
from lgsco_stats.report.chart_layout import text_width, wrap
from lgsco_stats.report.charts import _counts
from lgsco_stats.report.ranked import ranked
from tests.conftest import decisions_rows, write_xlsx
from tests.reports_data import workbook
from tests.site_data import site_workbook
from tests.test_successors import _workbook as successors_workbook

BCP = "Bournemouth, Christchurch and Poole Council"


def _text(path) -> str:
    return " ".join(t.strip() for t in ET.fromstring(path.read_bytes()).itertext() if t.strip())


def _edges_blank(png: bytes) -> bool:
    """No ink in the image's outer two pixels: nothing runs off its edge."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    edges = [grey[:2, :], grey[-2:, :], grey[:, :2], grey[:, -2:]]
    return all(int(e.min()) >= 250 for e in edges)


# --------------------------------------------------------------------------- 1. layout


def test_wrap_breaks_between_words_within_the_width():
    text = f"{BCP}: rates by year against the average of its group"
    lines = wrap(text, 10, 200, "bold").split("\n")
    assert len(lines) > 1 and " ".join(lines) == text  # no word lost or cut
    assert all(text_width(line, 10, "bold") <= 200 for line in lines)


@pytest.mark.parametrize("rate", [["--rate", "uphold"], []])
def test_a_long_name_fits_inside_the_trend_chart(cli, tmp_path, rate):
    # One year, BCP 3 upheld of 4 (a small number) against Dorset 1 of 2 and Poole's
    # neighbours: a single-rate panel is 3.75 inches wide (0.8 + 2.7 + 0.25), narrower than
    # the title "Bournemouth, Christchurch and Poole Council: rates by year against the average
    # of its group" and the legend "..., fewer than 10 cases (*)" in one line: both must wrap.
    spec = [(BCP, "Upheld", 3, None), (BCP, "Not upheld", 1, None)]
    spec += [("Dorset Council", "Upheld", 1, None), ("Dorset Council", "Not upheld", 1, None)]
    path = write_xlsx(tmp_path / "bcp.xlsx", {"D": decisions_rows(spec)})
    assert cli("compute", path, "-f", "csv").exit_code == 0
    out = tmp_path / "bcp.png"
    r = cli("chart", "--council", BCP, *rate, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert _edges_blank(out.read_bytes())


@pytest.fixture
def successors(cli, tmp_path):
    r = cli("compute", successors_workbook(tmp_path / "somerset.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    return cli


def test_the_trend_of_a_council_that_changed_fits_and_names_each_year(successors, tmp_path):
    out = tmp_path / "somerset.png"
    assert successors("chart", "--council", "somerset", "-o", out).exit_code == 0
    assert _edges_blank(out.read_bytes())
    # 2. The bars: Somerset County Council's 2022-23 (its primary row) and its 2023-24 row of
    # compliance outcomes recorded after abolition (in no group), and Somerset Council's
    # 2023-24: the legend names each with its years, not "Somerset Council" for all
    svg = tmp_path / "somerset.svg"
    assert successors("chart", "--council", "somerset", "-o", svg).exit_code == 0
    text = _text(svg)
    assert "Somerset County Council: 2022-23, and 2023-24 (no group)" in text
    assert "Somerset Council: 2023-24" in text
    # three bars on fewer than 10 cases besides the named ones (5, 8 and 2 cases): the small
    # entry does not repeat a single name either
    assert "fewer than 10 cases (*)" in text and "Somerset Council, fewer than" not in text


# --------------------------------------------------------------------------- 3. no cases


def test_nothing_counted_tells_no_cases_from_not_reported():
    na = pd.NA
    frame = pd.DataFrame(
        {
            # a: compliance outcomes only (no decision count at all); b: a published row with
            # 5 decisions and its Upheld and Not upheld cells blank; c: a published uphold rate
            # of 85% without its counts; d: 3 of 4 upheld and no compliance outcome counted
            "decisions": pd.array([na, 5, na, 4], dtype="Int64"),
            "upheld": pd.array([na, na, na, 3], dtype="Int64"),
            "investigations": pd.array([na, na, na, 4], dtype="Int64"),
            "remedy_by_authority": pd.array([na, na, na, 0], dtype="Int64"),
            "compliance_outcomes": pd.array([6, na, na, na], dtype="Int64"),
            "complied_total": pd.array([6, na, na, na], dtype="Int64"),
            "uphold_rate": [np.nan, np.nan, 85.0, 75.0],
            "remedy_rate": [np.nan, np.nan, np.nan, 0.0],
            "compliance_rate": [100.0, np.nan, np.nan, np.nan],
        }
    )
    assert nothing_counted(frame, "uphold_rate").tolist() == [True, False, False, False]
    assert nothing_counted(frame, "remedy_rate").tolist() == [True, False, True, False]
    assert nothing_counted(frame, "compliance_rate").tolist() == [False, True, True, True]
    assert _counts(na, na, counted=False) == "no cases"
    assert _counts(na, na) == "not reported"
    assert _counts(0, 0) == "no cases" and _counts(3, 4) == "3/4*"


@pytest.fixture
def two_years(cli, tmp_path):
    r = cli("compute", workbook(tmp_path / "two-years.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    return cli


def test_a_year_without_compliance_outcomes_says_no_cases(two_years, tmp_path):
    # tests/reports_data.py: compliance outcomes are recorded in 2023-24 only, so Somerset
    # County Council's 2022-23 has decisions (6 of 10 upheld) and nothing for compliance
    out = tmp_path / "somerset.svg"
    r = two_years("chart", "--council", "somerset", "--rate", "compliance", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = _text(out)
    assert "n/a no cases" in text and "not reported" not in text
    assert "no cases: none in the data for that year" in text
    assert "80% 4/5*" in text  # Somerset Council 2023-24: 3 + 1 late of 5


# --------------------------------------------------------------------------- 4. group legend


def test_no_group_average_in_the_trend_legend_where_the_group_is_too_small(two_years, tmp_path):
    # counties 2022-23: Somerset and Kent (one other council); unitaries 2023-24: Somerset and
    # Dorset (one other): no year has a group figure, so no line and no legend entry
    out = tmp_path / "somerset.svg"
    assert two_years("chart", "--council", "somerset", "-o", out).exit_code == 0
    text = _text(out)
    assert "average of its group" not in text
    assert "(its group too small to compare with)" in text
    assert "Somerset County Council: 2022-23" in text and "Somerset Council: 2023-24" in text


# --------------------------------------------------------------------------- 5. ranking


def _group(rows):
    return pd.DataFrame(
        {
            "council": [r[0] for r in rows],
            "gss_code": [r[1] for r in rows],
            "upheld": pd.array([r[2] for r in rows], dtype="Int64"),
            "investigations": pd.array([r[3] for r in rows], dtype="Int64"),
            "uphold_rate": [100 * r[2] / r[3] if r[3] else np.nan for r in rows],
        }
    )


def test_the_default_minimum_is_the_small_number():
    from lgsco_stats.cli.options import MIN_CASES
    from lgsco_stats.figures import SMALL_NUMBER

    assert MIN_CASES == SMALL_NUMBER == 10


def test_ranked_leaves_out_small_councils_but_keeps_the_chosen_one():
    group = _group(
        [
            ("Alpha", "E1", 1, 1),  # 100% on 1 case
            ("Bravo", "E2", 9, 10),  # 90%: exactly 10 cases, drawn
            ("Echo", "E5", 3, 12),  # 25%
            ("Charlie", "E3", 5, 20),  # 25%, tied with Echo: by name, Charlie first
            ("Delta", "E4", 0, 0),  # no cases
        ]
    )
    drawn, out = ranked(group, "uphold", 10)
    assert drawn["council"].tolist() == ["Bravo", "Charlie", "Echo"]
    assert out["council"].tolist() == ["Alpha", "Delta"]
    drawn, out = ranked(group, "uphold", 10, highlight="E1")  # Alpha asked for: drawn, first
    assert drawn["council"].tolist() == ["Alpha", "Bravo", "Charlie", "Echo"]
    assert out["council"].tolist() == ["Delta"]
    drawn, out = ranked(group, "uphold", 0)  # every council, no rate last
    assert drawn["council"].tolist() == ["Alpha", "Bravo", "Charlie", "Echo", "Delta"]
    assert out.empty


@pytest.fixture
def site(cli, tmp_path):
    r = cli("compute", site_workbook(tmp_path / "data.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    return cli


def test_the_ranked_chart_leaves_out_fewer_than_10_cases_by_default(site, tmp_path):
    # unitaries 2023-24 (tests/site_data.py): Somerset 8/10, Dorset 5/10, Hull 3/3 (100% on 3
    # cases, which would top the chart), Southampton 0/2: Hull and Southampton left out
    out = tmp_path / "unitary.svg"
    r = site("chart", "--type", "unitary", "--year", "2023-24", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "2 unitary councils (2 with fewer than 10 cases not drawn)" in r.stderr
    text = _text(out)
    assert "Hull City Council" not in text and "Southampton City Council" not in text
    assert "Councils with fewer than 10 investigations are not drawn: 2 left out" in text
    # the average is the group's, over all four councils: (80 + 50 + 100 + 0) / 4 = 57.5 -> 58%
    assert "group average 58% (mean of 4 councils)" in text
    # Hull asked for: drawn with its 3 cases, and the note says so
    r = site("chart", "--type", "unitary", "--year", "2023-24", "--council", "hull", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = _text(out)
    assert "100% (3/3*)" in text and "Hull City Council (3) is drawn as chosen" in text
    assert "1 left out" in text  # Southampton
    # --min-cases 0: all four
    r = site("chart", "--type", "unitary", "--year", "2023-24", "--min-cases", "0", "-o", out)
    assert r.exit_code == 0 and "4 unitary councils," in r.stderr


def test_a_group_of_one_draws_no_average(two_years, tmp_path):
    # counties 2023-24: Kent alone (9 of 10 = 90%): its own rate is no group average
    out = tmp_path / "county.svg"
    r = two_years("chart", "--type", "county", "--year", "2023-24", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = _text(out)
    assert "90% (9/10)" in text
    assert "group average 90%" not in text and "mean of 1 council" not in text
    assert "No group average: only one council has a rate" in text


def test_no_council_with_enough_cases_is_one_line(site, tmp_path):
    # metropolitan 2023-24: Solihull alone, 1 of 1
    r = site("chart", "--type", "metropolitan", "--year", "2023-24", "-o", tmp_path / "m.svg")
    assert r.exit_code == 1
    assert "no metropolitan borough has 10 or more investigations for 2023-24" in r.stderr
    assert "--min-cases 0" in r.stderr and not (tmp_path / "m.svg").exists()


def test_the_sites_ranked_chart_of_a_group_of_one_draws_no_average(site, tmp_path):
    # metropolitan 2023-24: Solihull alone (1 of 1); unitaries 2023-24: four councils, the mean
    # (80 + 50 + 100 + 0) / 4 = 57.5 -> 58% drawn
    out = tmp_path / "site"
    r = site("report", "--output", out, "--min-cases", "1")  # these councils have under 10
    assert r.exit_code == 0, r.stderr
    metropolitan = (out / "groups" / "metropolitan-2023-24.html").read_text(encoding="utf-8")
    chart = metropolitan.split('id="ranked-metropolitan"', 1)[1].split("</svg>", 1)[0]
    assert "Solihull" in chart and "group average" not in chart
    unitary = (out / "groups" / "unitary-2023-24.html").read_text(encoding="utf-8")
    chart = unitary.split('id="ranked-unitary"', 1)[1].split("</svg>", 1)[0]
    assert "group average 58% (mean of 4 councils)" in chart
