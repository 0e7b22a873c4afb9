"""The fair comparisons where users see them (issue 15): compare, trend, compute, CSV and JSON,
and the letters' words. The data is tests/test_comparisons.py's published table, whose values
are worked out there."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from lgsco_stats.letters.wording import interval_text, peer_phrase, peer_sentence
from tests.test_comparisons import ROWS


@pytest.fixture
def stored(cli, make_xlsx) -> Path:
    path = make_xlsx({"Table 2": ROWS}, name="published.xlsx")
    r = cli("compute", path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return path


def line_of(text: str, name: str) -> str:
    return next(x for x in text.splitlines() if name in x)


def test_compare_says_it_in_a_word(cli, stored) -> None:
    r = cli("compare", "--type", "unitary", "--year", "2019-20")
    assert r.exit_code == 0, r.stderr
    assert "vs similar" in r.stdout
    assert "higher" in line_of(r.stdout, "Southampton City Council")
    assert "lower" in line_of(r.stdout, "Portsmouth City Council")
    assert "too few" in line_of(r.stdout, "Isle of Wight Council")
    assert "similar" in line_of(r.stdout, "Bristol City Council")
    assert "n/a" in line_of(r.stdout, "Plymouth City Council")
    assert "exact binomial" in r.stdout  # the note says what the word means
    assert "95% CI" not in r.stdout


def test_compare_wide_shows_the_interval(cli, stored) -> None:
    r = cli("compare", "--type", "unitary", "--year", "2019-20", "--wide")
    assert r.exit_code == 0, r.stderr
    # Wilson 17/17: 81.5682% to 100% → 82–100%; 29/39: 58.89% to 85.43% (test_comparisons'
    # formula; z² = 3.841459, 4·29·(10/39) = 29.7436, sqrt(33.5850) = 5.795258, × z = 11.3585,
    # (61.8415 ∓ 11.3585)/85.6829 = 0.589183 and 0.854312)
    assert "82–100%" in line_of(r.stdout, "Southampton City Council")
    assert "59–85%" in line_of(r.stdout, "Portsmouth City Council")
    assert "95% CI" in r.stdout and "Wilson" in r.stdout


def test_compare_sort_by_comparison(cli, stored) -> None:
    r = cli(
        "compare", "--type", "unitary", "--year", "2019-20", "--sort", "uphold-comparison",
        "--format", "csv",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    names = [row["council"] for row in csv.DictReader(io.StringIO(r.stdout))]
    # higher first, then similar, too few cases, lower, and no test last
    assert names == [
        "Southampton City Council",
        "Bristol City Council",
        "Isle of Wight Council",
        "Portsmouth City Council",
        "Plymouth City Council",
    ]


def test_machine_formats_carry_every_field(cli, stored) -> None:
    r = cli("compare", "--type", "unitary", "--year", "2019-20", "--format", "json")
    rows = {row["council"]: row for row in json.loads(r.stdout)}
    s = rows["Southampton City Council"]
    for short in ("uphold", "remedy", "compliance"):
        for field in ("rate_low", "rate_high", "peer_rate", "p_value", "comparison"):
            assert f"{short}_{field}" in s
    assert s["uphold_p_value"] == pytest.approx(0.045036, abs=5e-7)
    assert s["uphold_peer_rate"] == pytest.approx(80.0)
    assert s["uphold_rate_high"] == 100.0
    assert s["compliance_rate_low"] is None and s["compliance_comparison"] is None
    assert s["group_uphold_rate"] is not None  # the published average stays beside it
    r = cli("compare", "--type", "unitary", "--year", "2019-20", "--format", "csv")
    row = next(
        x for x in csv.DictReader(io.StringIO(r.stdout)) if x["council"] == "Bristol City Council"
    )
    assert row["uphold_p_value"] == "1.0" and row["uphold_comparison"] == "similar"
    assert row["compliance_comparison"] == ""


def test_trend_shows_it(cli, stored) -> None:
    r = cli("trend", "--council", "southampton")
    assert r.exit_code == 0, r.stderr
    assert "higher" in line_of(r.stdout, "2019-20")
    assert "similar" in line_of(r.stdout, "2020-21")
    r = cli("trend", "--council", "southampton", "--format", "json")
    years = json.loads(r.stdout)
    assert years[1]["uphold_p_value"] == pytest.approx(0.056295, abs=5e-7)
    r = cli("trend", "--council", "southampton", "--wide", "--format", "markdown")
    assert "95% CI" in r.stdout and "| 82–100% |" in r.stdout


def test_compute_table_shows_it(cli, make_xlsx) -> None:
    r = cli("compute", make_xlsx({"T": ROWS}), "--wide", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    ashford = line_of(r.stdout, "Ashford")
    # 2 of 10: Wilson 5.67% to 50.98% → 6–51%; lower than Dover's and Canterbury's 67 of 100
    assert "6–51%" in ashford and "lower" in ashford


def test_letter_says_it_in_plain_words(cli, stored, tmp_path: Path) -> None:
    r = cli("letter", "--council", "southampton", "--year", "2019-20", "--format", "markdown")
    assert r.exit_code == 0, r.stderr
    text = " ".join(r.stdout.split())
    assert (
        "Taking the other similar councils' cases together (80%), this figure is higher than "
        "similar councils, more than chance would explain with 17 investigations." in text
    )
    r = cli("letter", "--council", "isle of wight", "--year", "2019-20", "--format", "markdown")
    text = " ".join(r.stdout.split())
    phrase = "not clearly different from similar councils: one investigation is too few to tell"
    assert phrase in text
    r = cli("letter", "--council", "southampton", "--year", "2019-20", "--fields")
    assert "stats.uphold.peer_comparison" in r.stdout and "stats.uphold.interval_text" in r.stdout


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize(
    ("word", "n", "noun", "phrase"),
    [
        ("higher", 57, "investigation",
         "higher than similar councils, more than chance would explain with 57 investigations"),
        ("lower", 1234, "recorded outcome",
         "lower than similar councils, more than chance would explain with 1,234 recorded "
         "outcomes"),
        ("too few cases", 4, "investigation",
         "not clearly different from similar councils: four investigations are too few to tell"),
        ("too few cases", 1, "upheld complaint",
         "not clearly different from similar councils: one upheld complaint is too few to tell"),
        ("similar", 57, "investigation",
         "not clearly different from similar councils: with 57 investigations, the difference "
         "is within what chance would explain"),
        (None, 57, "investigation", ""),
        ("higher", 0, "investigation", ""),
        ("higher", None, "investigation", ""),
    ],
)  # fmt: skip
def test_peer_phrase(word: str | None, n: int | None, noun: str, phrase: str) -> None:
    assert peer_phrase(word, n, noun) == phrase


def test_peer_sentence_and_interval_text() -> None:
    assert peer_sentence("lower", 10, 67.0, "investigation") == (
        "Taking the other similar councils' cases together (67%), this figure is lower than "
        "similar councils, more than chance would explain with 10 investigations."
    )
    assert peer_sentence("similar", 10, None, "investigation") == ""  # no peers, no sentence
    assert interval_text(53.72, 77.51) == "54% to 78%"  # halves up, as every percent
    assert interval_text(None, 77.5) == ""


# --------------------------------------------------------------------------- funnel plots


def svg_text(path: Path) -> str:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(path.read_bytes())
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def test_chart_funnel_svg(cli, stored, tmp_path: Path) -> None:
    out = tmp_path / "f.svg"
    r = cli(
        "chart", "--funnel", "--type", "unitary", "--year", "2019-20", "--rate", "uphold",
        "--output", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    text = svg_text(out)
    assert "Unitary councils 2019-20: uphold rate against investigations (funnel plot, 4" in text
    # the centre line is the pooled rate of the councils drawn: 97 / 117 = 82.9% → 83%
    assert "pooled rate 83%" in text
    assert "95% limits (exact binomial)" in text and "99.8% limits (exact binomial)" in text
    # over-dispersed (test_comparisons: φ = 2.23, τ² = 0.0209): widened limits, and it says so
    assert "Over-dispersed: φ = 2.23, τ² = 0.0209" in text
    assert "widened for over-dispersion" in text
    # beyond a limit and named: Southampton (17/17, above the 95% limit); Isle of Wight's
    # 1 of 1 is within; Plymouth (no investigations) is not drawn and the note says so
    assert "Southampton" in text and "Isle of Wight" not in text
    assert "Not drawn: 1 with no investigations" in text
    assert "funnel plot of 4 unitary councils" in r.stderr and "widened limits" in r.stderr


def test_chart_funnel_png_highlight_and_usage(cli, stored, tmp_path: Path) -> None:
    out = tmp_path / "f.png"
    r = cli("chart", "--funnel", "--council", "bristol", "--year", "2019-20", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = cli("chart", "--funnel", "--output", tmp_path / "x.svg")
    assert r.exit_code == 2 and "--type" in r.stderr and "--funnel" in r.stderr
    # districts around 69/110 = 62.7%: Ashford's 2 of 10 is below the 95% limit (25.9% at
    # n = 10; mid-p P(X ≤ 1) + P(X = 2)/2 = 0.0042 < 0.025 with SciPy) and named; Dover's 60 of
    # 90 is within (72.0% high at n = 90), Canterbury's 7 of 10 too (87.2%): not named
    out = tmp_path / "d.svg"
    r = cli("chart", "--funnel", "--type", "district", "--year", "2019-20", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = svg_text(out)
    assert "Ashford" in text and "Dover" not in text and "Canterbury" not in text
    # a rate no council has cases for: an empty funnel, said in the plot, not a crash
    out = tmp_path / "c.svg"
    r = cli("chart", "--funnel", "--type", "unitary", "--year", "2019-20", "--rate", "compliance",
            "-o", out)  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert "No council has compliance outcomes" in svg_text(out)


# --------------------------------------------------------------------------- summary


def test_summary_reports_phi_and_tau2(cli, stored) -> None:
    # Unitary uphold 2019-20, by hand (a calculator for the arcsines): p0 = 97/117 = 0.829060,
    # asin√p0 = 1.144557. z = (asin√(x/n) - 1.144557)·2√n: 17/17 → (1.570796 - 1.144557)·2√17
    # = 3.514856; 29/39 → (1.039827 - …)·2√39 = -1.308087; 50/60 → 0.088374; 1/1 → 0.852478.
    # Sorted -1.308087, 0.088374, 0.852478, 3.514856: the 10th percentile (position 0.3) is
    # -0.889148, the 90th (2.7) 2.716142, so 3.514856 → 2.716142 and -1.308087 → -0.889148.
    # φ = (2.716142² + 0.889148² + 0.088374² + 0.852478²) / 4 = 8.902542 / 4 = 2.225636.
    # Iφ = 8.902542 > 3: w = 68, 156, 240, 4, Σw = 468, Σw² = 86,576, Σw²/Σw = 184.991453,
    # τ² = 5.902542 / 283.008547 = 0.020856.
    r = cli("summary", "--year", "2019-20", "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = json.loads(r.stdout)["dispersion"]
    u = next(x for x in rows if x["type"] == "unitary" and x["rate"] == "uphold")
    assert u["councils"] == 4 and u["pooled_rate"] == pytest.approx(100 * 97 / 117)
    assert u["phi"] == pytest.approx(2.225636, abs=1e-6)
    assert u["tau2"] == pytest.approx(0.020856, abs=1e-6)
    # no compliance counts in the table: nothing to measure, null (not 0)
    c = next(x for x in rows if x["type"] == "unitary" and x["rate"] == "compliance")
    assert c["councils"] == 0 and c["phi"] is None and c["tau2"] is None
    r = cli("summary", "--year", "2019-20")
    assert "Over-dispersion 2019-20" in r.stdout
    line = next(x for x in r.stdout.splitlines() if "Unitary councils" in x and "uphold" in x)
    assert "2.23" in line and "0.0209" in line
    r = cli("summary", "--year", "2019-20", "--format", "csv")
    got = {
        (row["scope"], row["measure"]): row
        for row in csv.DictReader(io.StringIO(r.stdout))
        if row["section"] == "dispersion"
    }
    assert float(got[("unitary", "uphold_tau2")]["value"]) == pytest.approx(0.020856, abs=1e-6)
    assert got[("unitary", "uphold_phi")]["denominator"] == "4"
