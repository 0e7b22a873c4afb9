"""Rates and benchmarks against figures worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from lgsco_stats.figures import council_figures, figures_of, group_benchmarks
from lgsco_stats.read.files import read_file
from lgsco_stats.rounding import format_number, format_percent
from tests.conftest import decisions_rows

SPEC = [
    ("Southampton City Council", "Upheld", 2, None),
    ("Southampton", "Upheld", 1, "Yes"),
    ("SOUTHAMPTON CITY COUNCIL", "Not upheld", 1, None),
    ("Southampton", "Referred back for local resolution", 4, None),
    ("Portsmouth City Council", "Upheld", 1, None),
    ("Portsmouth City Council", "Not upheld", 1, None),
    ("Council of the Isles of Scilly", "Referred back for local resolution", 2, None),
    ("Kent County Council", "Upheld", 49, None),
    ("Kent County Council", "Upheld: fault and injustice", 4, "Y"),
    ("Kent County Council", "Not upheld", 8, None),
    ("Transport for London", "Upheld", 2, None),
    ("Dorset County Council", "Upheld", 1, None),
]
COMPLIANCE = [
    ("Reference", "Authority", "Date recorded", "Compliance outcome"),
    ("19 001 001", "Southampton", "2019-08-01", "Complied"),
    ("19 002 002", "Southampton", "01/09/2019", "Complied"),
    ("19 003 003", "Southampton", "2019-10-01", "Complied late"),
    ("19 004 004", "Southampton", "2019-11-01", "Not complied"),
]


@pytest.fixture
def figures(make_xlsx) -> pd.DataFrame:
    path = make_xlsx({"Decisions": decisions_rows(SPEC), "Compliance": COMPLIANCE})
    return figures_of(read_file(path, today=dt.date(2026, 1, 1)))


def row(f: pd.DataFrame, code: str) -> pd.Series:
    return f[f["gss_code"] == code].iloc[0]


def test_council_rates(figures: pd.DataFrame) -> None:
    s = row(figures, "E06000045")
    assert (s["decisions"], s["upheld"], s["not_upheld"], s["investigations"]) == (8, 3, 1, 4)
    assert s["uphold_rate"] == pytest.approx(75.0)  # 3 / 4
    assert s["remedy_rate"] == pytest.approx(100 / 3)  # 1 of 3 upheld
    assert s["compliance_rate"] == pytest.approx(75.0)  # (2 + 1 late) / 4
    assert (s["complied"], s["complied_late"], s["not_complied"]) == (2, 1, 1)
    # 2019-20 uses mid-2018: 3 upheld per 252,796 residents = 1.1867 per 100,000
    assert s["upheld_per_100k"] == pytest.approx(3 * 100_000 / 252_796)
    assert format_number(s["upheld_per_100k"]) == "1.2"
    assert (s["population"], s["population_year"]) == (252_796, 2018)
    assert s["population_source"] == "ONS mid-2018"


def test_kent_published_check(figures: pd.DataFrame) -> None:
    k = row(figures, "E10000016")
    assert format_percent(k["uphold_rate"]) == "87%"  # 53 / 61 = 86.89
    assert format_percent(k["remedy_rate"]) == "8%"  # 4 / 53 = 7.55


def test_empty_denominators_are_na(figures: pd.DataFrame) -> None:
    scilly = row(figures, "E06000053")
    assert scilly["investigations"] == 0
    assert math.isnan(scilly["uphold_rate"]) and math.isnan(scilly["remedy_rate"])
    portsmouth = row(figures, "E06000044")
    # no compliance outcomes recorded in a year where the data has some: 0, and no rate
    assert portsmouth["compliance_outcomes"] == 0
    assert math.isnan(portsmouth["compliance_rate"])


def test_mean_benchmark_leaves_out_empty_denominators(figures: pd.DataFrame) -> None:
    b = group_benchmarks(figures).set_index("type").loc["unitary"]
    # unitary uphold: Southampton 75, Portsmouth 50, Scilly n/a (left out) -> mean 62.5 -> 63%
    assert b["uphold_rate"] == pytest.approx(62.5)
    assert format_percent(b["uphold_rate"]) == "63%"
    # remedy: Southampton 33.33, Portsmouth 0 (0 of 1 upheld) -> 16.67
    assert b["remedy_rate"] == pytest.approx((100 / 3 + 0) / 2)
    # compliance: only Southampton has outcomes -> 75
    assert b["compliance_rate"] == pytest.approx(75.0)
    assert (
        b["councils"],
        b["uphold_councils"],
        b["remedy_councils"],
        b["compliance_councils"],
    ) == (3, 2, 2, 1)
    s = row(figures, "E06000045")
    assert (s["group_councils"], s["group_uphold_councils"]) == (3, 2)
    # Besides Southampton, one unitary council has an uphold rate (Portsmouth): the group figure
    # is half Southampton's own, no comparison. Scilly has no rate but is a council in the
    # store, so the group as a whole has two others and each figure is named. Per 100,000:
    # Portsmouth (1 upheld) and Scilly (0 upheld, 0.0 per 100k) are two others: a comparison.
    assert math.isnan(s["group_uphold_rate"]) and math.isnan(s["uphold_difference"])
    assert s["comparison_note"] == (
        "no comparison for the uphold rate: only one other unitary council has one for "
        "2019-20; no comparison for the satisfactory remedy rate: only one other unitary "
        "council has one for 2019-20; no comparison for the compliance rate: no other unitary "
        "council has one for 2019-20"
    )
    assert s["group_upheld_per_100k"] == pytest.approx(
        (3e5 / 252_796 + 1e5 / 215_133 + 0.0) / 3  # mid-2018: Southampton, Portsmouth, Scilly
    )
    assert s["average"] == "mean"


def test_pooled_benchmark(make_xlsx) -> None:
    path = make_xlsx({"Decisions": decisions_rows(SPEC), "Compliance": COMPLIANCE})
    f = figures_of(read_file(path), average="pooled")
    b = group_benchmarks(f, average="pooled").set_index("type").loc["unitary"]
    assert b["uphold_rate"] == pytest.approx(400 / 6)  # (3 + 1) / (4 + 2) = 66.67
    assert format_percent(b["uphold_rate"]) == "67%"
    assert b["remedy_rate"] == pytest.approx(25.0)  # 1 / (3 + 1)
    assert row(f, "E06000045")["average"] == "pooled"


def test_body_outside_register_has_no_group(figures: pd.DataFrame) -> None:
    tfl = figures[figures["council"] == "Transport for London"].iloc[0]
    assert tfl["gss_code"] is None or pd.isna(tfl["gss_code"])
    assert pd.isna(tfl["type"]) and not tfl["in_group"]
    assert tfl["uphold_rate"] == 100.0
    assert math.isnan(tfl["group_uphold_rate"])
    assert "no comparison group" in tfl["group_note"]


def test_abolished_council_is_in_no_group(figures: pd.DataFrame) -> None:
    dorset = row(figures, "E10000009")
    assert not dorset["in_group"]
    assert "abolished 31 March 2019" in dorset["group_note"]
    kent = row(figures, "E10000016")
    # the county group in 2019-20 is Kent alone: Dorset CC no longer existed. The group's
    # figure is Kent's own, so Kent has nothing to be compared with.
    assert kent["group_councils"] == 1
    assert math.isnan(kent["group_uphold_rate"])
    assert (
        kent["comparison_note"] == "no other county council in the store for 2019-20: no comparison"
    )
    county = group_benchmarks(figures).set_index("type").loc["county"]
    assert county["uphold_rate"] == pytest.approx(5300 / 61)


def test_benchmark_table(figures: pd.DataFrame) -> None:
    b = group_benchmarks(figures)
    assert b["type"].tolist() == ["county", "unitary"]
    unitary = b[b["type"] == "unitary"].iloc[0]
    assert unitary["councils"] == 3 and unitary["upheld"] == 4 and unitary["investigations"] == 6


def test_ties_in_mean_and_all_equal(make_xlsx) -> None:
    # Three councils, each 1 of 2 upheld: mean and pooled are both exactly 50.
    path = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    (name, outcome, 1, None)
                    for name in ("Leeds", "Bradford", "Wakefield")
                    for outcome in ("Upheld", "Not upheld")
                ]
            )
        }
    )
    for avg in ("mean", "pooled"):
        f = figures_of(read_file(path), average=avg)
        assert f["group_uphold_rate"].tolist() == [50.0, 50.0, 50.0]
        assert f["uphold_difference"].tolist() == [0.0, 0.0, 0.0]
        assert f["comparison_note"].isna().all()


PUBLISHED = [
    (
        "Authority",
        "Year",
        "Advice given",
        "Closed after initial enquiries",
        "Incomplete/Invalid",
        "Referred back for local resolution",
        "Not upheld",
        "Upheld",
        "Satisfactory remedy provided by authority",
    ),
    ("Leeds City Council", "2022-23", 3, 40, 10, 50, 17, 37, 5),
    ("Bradford", "2022-23", 1, 30, 5, 40, 10, None, 2),
    ("Kent County Council", "2022/23", 0, 60, 12, 70, 8, 53, 4),
]


def test_published_table(make_xlsx) -> None:
    f = figures_of(read_file(make_xlsx({"Table": PUBLISHED})))
    leeds = row(f, "E08000035")
    assert format_percent(leeds["uphold_rate"]) == "69%"  # 37 / 54
    assert format_percent(leeds["remedy_rate"]) == "14%"  # 5 / 37
    assert leeds["decisions"] == 3 + 40 + 10 + 50 + 17 + 37
    brad = row(f, "E08000032")
    # a blank Upheld cell is "not reported": no uphold rate, no total, never a 0
    assert pd.isna(brad["upheld"]) and math.isnan(brad["uphold_rate"])
    assert pd.isna(brad["decisions"])
    # metropolitan mean covers Leeds only (Bradford's rate is unknown): no comparison for Leeds
    b = group_benchmarks(f).set_index("type").loc["metropolitan"]
    assert b["uphold_rate"] == pytest.approx(3700 / 54)
    assert leeds["group_uphold_councils"] == 1 and math.isnan(leeds["group_uphold_rate"])
    assert (
        "only one other metropolitan borough in the store for 2022-23" in leeds["comparison_note"]
    )
    # compliance columns absent: not reported
    assert pd.isna(leeds["compliance_outcomes"]) and math.isnan(leeds["compliance_rate"])


def test_published_table_needs_year(make_xlsx) -> None:
    from lgsco_stats.errors import UsageError

    rows = [r[:1] + r[2:] for r in PUBLISHED]
    path = make_xlsx({"Table": rows})
    with pytest.raises(UsageError, match="--year"):
        read_file(path)
    f = figures_of(read_file(path, year="2022-23"))
    assert set(f["year"]) == {"2022-23"}


def test_council_figures_from_counts_directly() -> None:
    # The library works on a counts frame without any file.
    counts = pd.DataFrame(
        {
            "authority_key": ["E06000045"],
            "year": ["2019-20"],
            "authority": ["Southampton"],
            "gss_code": ["E06000045"],
            "advice_given": [0],
            "closed_after_initial_enquiries": [0],
            "incomplete_invalid": [0],
            "referred_back": [0],
            "not_upheld": [1],
            "upheld": [1],
            "remedy_by_authority": [0],
            "complied": [11],
            "complied_late": [0],
            "not_complied": [1],
        }
    )
    for c in counts.columns[4:]:
        counts[c] = counts[c].astype("Int64")
    f = council_figures(counts)
    assert format_percent(f.loc[0, "compliance_rate"]) == "92%"  # 11 / 12


def test_attach_councils_keeps_each_rows_council_whatever_the_index() -> None:
    from lgsco_stats.counts import attach_councils

    frame = pd.DataFrame(
        {
            "authority": ["Kent", "Transport for London", "Leeds", "Kent"],
            "year": ["2019-20", "2019-20", "2020-21", "2020-21"],
        },
        index=[7, 3, 42, 5],
    )
    got = attach_councils(frame)
    assert list(got.index) == [7, 3, 42, 5]
    assert got["gss_code"].isna().tolist() == [False, True, False, False]
    assert got["authority_key"].tolist() == [
        "E10000016",
        "name:transport for london",
        "E08000035",
        "E10000016",
    ]


def test_2024_25_counts_from_case_level_outcomes(figures: pd.DataFrame) -> None:
    # Southampton: 3 upheld + 1 not upheld investigated; 4 referred back are not for us.
    s = row(figures, "E06000045")
    assert (s["dealt_with"], s["not_for_us"], s["assessed_and_closed"], s["investigated"]) == (
        8,
        4,
        0,
        4,
    )
    # Scilly: 2 referred back: dealt with 2, all not for us, none investigated (a real 0)
    scilly = row(figures, "E06000053")
    assert (scilly["dealt_with"], scilly["not_for_us"], scilly["investigated"]) == (2, 2, 0)


def test_2024_25_counts_from_a_published_table(make_xlsx) -> None:
    f = figures_of(read_file(make_xlsx({"Table": PUBLISHED})))
    leeds = row(f, "E08000035")
    # not for us = advice 3 + invalid 10 + referred back 50 = 63; assessed and closed 40;
    # investigated 17 + 37 = 54; dealt with 63 + 40 + 54 = 157 (the decisions)
    assert (
        leeds["not_for_us"],
        leeds["assessed_and_closed"],
        leeds["investigated"],
        leeds["dealt_with"],
    ) == (63, 40, 54, 157)
    assert leeds["dealt_with"] == leeds["decisions"]
    brad = row(f, "E08000032")
    # Bradford's Upheld is blank: investigated and dealt with are not reported; the others are
    # 1 + 5 + 40 = 46 not for us and 30 assessed and closed
    assert pd.isna(brad["investigated"]) and pd.isna(brad["dealt_with"])
    assert (brad["not_for_us"], brad["assessed_and_closed"]) == (46, 30)
