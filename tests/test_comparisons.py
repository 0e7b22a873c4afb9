"""The comparison columns of the figures (issue 15): interval, peer rate, p-value and word, on a
published table typed as a council officer would type it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lgsco_stats.figures import COMPARISON_COLUMNS, FIGURE_COLUMNS, council_figures, figures_of
from lgsco_stats.read.files import read_file
from lgsco_stats.statistics import dispersion_table, funnel_data

HEADER = ("Authority", "Year", "Upheld", "Not upheld", "Remedied by authority")
# Unitary councils, two years. Southampton's peers in 2019-20 are Portsmouth, Bristol and the
# Isle of Wight: (29 + 50 + 1) / (39 + 60 + 1) = 80 / 100 = 0.8 exactly, so its 17 of 17 is the
# issue's worked example (p = 2 × 0.8^17 = 0.045036, "higher"); in 2020-21 its 16 of 16 against
# the same peers gives 2 × 0.8^16 = 0.056295, "similar". Plymouth has no investigations.
# Districts: Ashford 2 of 10 against its peers Dover's 60 of 90 and Canterbury's 7 of 10,
# (60 + 7) / (90 + 10) = 67 / 100, is the 0.006335.
ROWS = [
    HEADER,
    ("Southampton City Council", "2019-20", 17, 0, 2),
    ("Portsmouth", "2019-20", 29, 10, None),
    ("BRISTOL CITY COUNCIL", "2019-20", 50, 10, 5),
    ("Isle of Wight", "2019-20", 1, 0, 0),
    ("Plymouth City Council", "2019-20", 0, 0, None),
    ("Southampton", "2020-21", 16, 0, 1),
    ("Portsmouth City Council", "2020-21", 29, 10, None),
    ("Bristol", "2020-21", 50, 10, 5),
    ("Isle of Wight Council", "2020-21", 1, 0, 0),
    ("Ashford Borough Council", "2019/20", 2, 8, 1),
    ("Dover District Council", "2019/20", 60, 30, 10),
    ("Canterbury City Council", "2019-20", 7, 3, 1),
    ("Transport for London", "2019-20", 5, 5, 1),
]


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    from tests.conftest import write_xlsx

    path = write_xlsx(tmp_path_factory.mktemp("t") / "published.xlsx", {"Table 2": ROWS})
    return figures_of(read_file(path))


def at(f: pd.DataFrame, name: str, year: str = "2019-20") -> pd.Series:
    return f[(f["council"] == name) & (f["year"] == year)].iloc[0]


def test_columns_are_in_the_figures(figures: pd.DataFrame) -> None:
    assert list(figures.columns) == list(FIGURE_COLUMNS)
    assert list(FIGURE_COLUMNS[-len(COMPARISON_COLUMNS) :]) == list(COMPARISON_COLUMNS)
    for r in ("uphold", "remedy", "compliance"):
        for field in ("rate_low", "rate_high", "peer_rate", "p_value", "comparison"):
            assert f"{r}_{field}" in COMPARISON_COLUMNS


def test_worked_examples(figures: pd.DataFrame) -> None:
    s = at(figures, "Southampton City Council")
    assert s["uphold_peer_rate"] == pytest.approx(80.0)  # 80 / 100, Southampton left out
    assert s["uphold_p_value"] == pytest.approx(0.045036, abs=5e-7)
    assert s["uphold_comparison"] == "higher"
    # Wilson 17/17: high exactly 100; low = 34 / (2 × 20.841459) = 0.815682
    assert s["uphold_rate_high"] == 100.0
    assert s["uphold_rate_low"] == pytest.approx(81.5682, abs=5e-5)
    s2 = at(figures, "Southampton City Council", "2020-21")
    assert s2["uphold_p_value"] == pytest.approx(0.056295, abs=5e-7)
    assert s2["uphold_comparison"] == "similar"
    a = at(figures, "Ashford Borough Council")
    assert a["uphold_peer_rate"] == pytest.approx(67.0)
    assert a["uphold_p_value"] == pytest.approx(0.006335, abs=5e-7)
    assert a["uphold_comparison"] == "lower"
    # Dover's peers are Ashford and Canterbury, (2 + 7) / (10 + 10) = 0.45: 60 of 90 is far
    # beyond chance (2 × P(X ≥ 60) for X ~ Binomial(90, 0.45): 5.595149e-05 with SciPy's binom.sf)
    d = at(figures, "Dover District Council")
    assert d["uphold_peer_rate"] == pytest.approx(45.0)
    assert d["uphold_p_value"] == pytest.approx(5.595149e-05, rel=1e-5)
    assert d["uphold_comparison"] == "higher"


def test_other_outcomes(figures: pd.DataFrame) -> None:
    # Portsmouth 29 of 39 against (17 + 50 + 1) / (17 + 60 + 1) = 68 / 78 = 0.871795:
    # P(X ≤ 29) for X ~ Binomial(39, 0.871795) = 0.022485 (SciPy binom.cdf), so p = 0.044970
    p = at(figures, "Portsmouth City Council")
    assert p["uphold_peer_rate"] == pytest.approx(100 * 68 / 78)
    assert p["uphold_p_value"] == pytest.approx(0.044970, abs=5e-7)
    assert p["uphold_comparison"] == "lower"
    # Bristol 50 of 60 (0.833) against 47 / 57 = 0.824561: both tails above 1/2, p = 1
    b = at(figures, "Bristol City Council")
    assert b["uphold_p_value"] == 1.0 and b["uphold_comparison"] == "similar"
    # Isle of Wight, 1 of 1 against 96 / 116 = 0.827586: 0 of 1 would give 2 × 0.172414 =
    # 0.345, 1 of 1 gives 1: no result of one case can differ
    w = at(figures, "Isle of Wight Council")
    assert w["uphold_comparison"] == "too few cases"
    assert w["uphold_p_value"] == 1.0


def test_no_test_without_cases_group_or_counts(figures: pd.DataFrame) -> None:
    ply = at(figures, "Plymouth City Council")  # 0 investigations: no rate, no interval
    for field in ("rate_low", "rate_high", "p_value"):
        assert math.isnan(ply[f"uphold_{field}"])
    assert pd.isna(ply["uphold_comparison"])
    # its peers are still there: Plymouth adds no cases, so the others' pooled rate is the
    # whole group's, (17 + 29 + 50 + 1) / (17 + 39 + 60 + 1) = 97 / 117
    assert ply["uphold_peer_rate"] == pytest.approx(100 * 97 / 117)
    tfl = at(figures, "Transport for London")  # no comparison group: interval only
    assert tfl["uphold_rate_low"] == pytest.approx(23.6593, abs=5e-5)  # Wilson 5/10
    assert math.isnan(tfl["uphold_peer_rate"]) and pd.isna(tfl["uphold_comparison"])
    # no compliance columns in the table: not reported, so no interval and no test
    s = at(figures, "Southampton City Council")
    assert math.isnan(s["compliance_rate_low"]) and pd.isna(s["compliance_comparison"])
    # Portsmouth's remedies are blank (not reported): it is no one's peer for remedies
    # Southampton remedy 2 of 17 against Bristol 5/50 + Wight 0/1 = 5 / 51
    assert s["remedy_peer_rate"] == pytest.approx(100 * 5 / 51)


def test_the_published_average_stays(figures: pd.DataFrame) -> None:
    s = at(figures, "Southampton City Council")
    # the mean of the members' rates (100, 74.36, 83.33, 100; Plymouth has none) is unchanged
    assert s["group_uphold_rate"] == pytest.approx((100 + 2900 / 39 + 5000 / 60 + 100) / 4)


def test_empty_figures_have_the_columns() -> None:
    counts = pd.DataFrame(columns=["authority_key", "authority", "gss_code", "year"])
    assert list(council_figures(counts).columns) == list(FIGURE_COLUMNS)


def test_funnel_data(figures: pd.DataFrame) -> None:
    fun = funnel_data(figures, "unitary", "2019-20", "uphold")
    # points: the four councils with investigations; Plymouth has none
    assert sorted(fun.points["council"]) == [
        "Bristol City Council",
        "Isle of Wight Council",
        "Portsmouth City Council",
        "Southampton City Council",
    ]
    assert fun.left_out == ("Plymouth City Council",)
    assert fun.target == pytest.approx(100 * 97 / 117)  # (17 + 29 + 50 + 1) / (17 + 39 + 60 + 1)
    lim = fun.limits
    assert lim["n"].iloc[0] == 1 and lim["n"].iloc[-1] >= 60
    assert (lim["low_998"] <= lim["low_95"]).all() and (lim["high_95"] <= lim["high_998"]).all()
    by = fun.points.set_index("council")
    # Portsmouth 29/39 = 74.4% against p0 = 97/117 = 82.9%: at n = 39 the exact 95% limits are
    # rp = qbinom(0.025) = 27, a = (pbinom(27) - 0.025) / dbinom(27) = 0.051633, (27 - a)/39 =
    # 69.10%, and high (37 - 0.900828)/39 = 92.56% (R's formulas evaluated with SciPy): within
    assert by.loc["Portsmouth City Council", "position"] == "within"
    n39 = lim[lim["n"] == 39].iloc[0]
    assert (n39["low_95"], n39["high_95"]) == pytest.approx((69.0984, 92.5620), abs=5e-4)
    # Southampton 17 of 17 is compared at 16.5 of 17 (mid-p): P(X = 17) = 0.829060^17 =
    # 0.041301, half of it 0.020650 < 0.025 (above the 95% limit) but not < 0.001
    assert by.loc["Southampton City Council", "position"] == "above_95"
    # 1 of 1 at 100% is the likeliest result (0.829): within, though at x itself it would be
    # above (1 > (1 - 0.001/0.829)/1)
    assert by.loc["Isle of Wight Council", "position"] == "within"
    # over-dispersed (phi = 2.23, tau2 = 0.021): the widened limits classify too
    assert fun.widened and by.loc["Southampton City Council", "widened_position"] is not None
    assert fun.dispersion.councils == 4


def test_dispersion_table(figures: pd.DataFrame) -> None:
    t = dispersion_table(figures)
    assert set(t["rate"]) == {"uphold", "remedy", "compliance"}
    u = t[(t["type"] == "district") & (t["year"] == "2019-20") & (t["rate"] == "uphold")].iloc[0]
    assert u["councils"] == 3 and u["pooled_rate"] == pytest.approx(100 * 69 / 110)
    c = t[(t["type"] == "unitary") & (t["rate"] == "compliance")].iloc[0]
    assert c["councils"] == 0 and math.isnan(c["phi"])


def test_no_council_in_any_group(make_xlsx) -> None:
    # only bodies outside the groups: intervals, and no test anywhere (never an index error)
    rows = [
        HEADER,
        ("Transport for London", "2019-20", 5, 5, 1),
        ("Greater London Authority", "2019-20", 0, 2, 0),
    ]
    f = figures_of(read_file(make_xlsx({"T": rows})))
    assert f["uphold_comparison"].isna().all() and f["uphold_peer_rate"].isna().all()
    assert f["uphold_rate_low"].notna().all()


def test_counts_beyond_any_real_council(make_xlsx) -> None:
    # A mistyped table (a billion investigations): an interval, but no test, no peer, no funnel
    # point and no part in φ and τ² (MOST_CASES), and it takes no time or memory to say so.
    rows = [
        HEADER,
        ("Southampton", "2019-20", 999_999_999, 1, 0),
        ("Portsmouth", "2019-20", 29, 10, 0),
        ("Bristol", "2019-20", 50, 10, 0),
        ("Plymouth", "2019-20", 10, 10, 0),
    ]
    f = figures_of(read_file(make_xlsx({"T": rows})))
    s = at(f, "Southampton City Council")
    assert s["uphold_rate_low"] == pytest.approx(100.0, abs=1e-4)
    assert pd.isna(s["uphold_comparison"]) and math.isnan(s["uphold_p_value"])
    p = at(f, "Portsmouth City Council")
    assert p["uphold_peer_rate"] == pytest.approx(100 * 60 / 80)  # Bristol and Plymouth
    fun = funnel_data(f, "unitary", "2019-20")
    assert fun.left_out == ("Southampton City Council",) and len(fun.points) == 3
    d = dispersion_table(f)
    assert d[(d["type"] == "unitary") & (d["rate"] == "uphold")]["councils"].iloc[0] == 3


def test_too_few_peers_is_no_comparison(make_xlsx) -> None:
    # As for the group figures (figures.MIN_OTHERS): with only one other council with cases, the
    # peers are no comparison; with two, they are. Two districts, then a third.
    two = [HEADER, ("Ashford", "2019-20", 2, 8, 0), ("Dover", "2019-20", 67, 33, 0)]
    f = figures_of(read_file(make_xlsx({"T": two})))
    assert f["uphold_peer_rate"].isna().all() and f["uphold_comparison"].isna().all()
    assert f["uphold_rate_low"].notna().all()  # the intervals stay
    three = [*two, ("Canterbury", "2019-20", 0, 0, 0)]  # a third with no cases: still one other
    f = figures_of(read_file(make_xlsx({"T": three}, name="three.xlsx")))
    assert f["uphold_comparison"].isna().all()
    three = [*two, ("Canterbury", "2019-20", 1, 1, 0)]
    f = figures_of(read_file(make_xlsx({"T": three}, name="three-b.xlsx")))
    assert f["uphold_comparison"].notna().all()
