"""The charts: the site's SVG (lgsco_stats.report.svg, svg_funnel) and the matplotlib charts
of ``lgsco-stats chart``: what is drawn where, the legend listing only what is drawn, titles in
plain words, the group line kept off the labels and broken at a change of type, and names
escaped. Layout is checked from the SVG's own coordinates."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from lgsco_stats.report import svg
from lgsco_stats.report.svg_funnel import FunnelLimits, FunnelPoint, funnel_chart
from tests.site_data import site_workbook

NS = {"s": "http://www.w3.org/2000/svg"}


def tree(text: str) -> ET.Element:
    return ET.fromstring(text)


def legend_texts(root: ET.Element) -> list[str]:
    g = root.find("s:g[@class='legend']", NS)
    assert g is not None
    return [t.text or "" for t in g.findall("s:text", NS)]


def point(year, value, num, den, group_value, group):
    return svg.TrendPoint(year, value, num, den, group_value, group)


def trend(points, name="Somerset Council"):
    return svg.trend_chart(
        "t", points, name=name, rate_label="uphold rate", average="mean", small=10
    )


def test_trend_chart_legend_lists_only_what_is_drawn():
    # every bar on 10 or more cases, no group figure: neither "fewer than" nor "group average"
    only_bars = tree(trend([point("2022-23", 60.0, 6, 10, None, None)]))
    assert legend_texts(only_bars) == ["Somerset Council"]
    # one bar on 4 cases and a group figure: both, and no ordinary bar
    small = tree(trend([point("2023-24", 75.0, 3, 4, 58.0, "unitary")]))
    assert legend_texts(small) == [
        "fewer than 10 cases (*)",
        "group average (mean)",
    ]


def test_trend_chart_labels_sit_above_the_plot_and_the_group_line_breaks_at_a_change():
    points = [
        point("2021-22", 50.0, 19, 38, 75.0, "county"),
        point("2022-23", 41.0, 14, 34, 73.0, "county"),
        point("2023-24", 80.0, 12, 15, 70.0, "unitary"),
        point("2024-25", 100.0, 9, 9, 99.0, "unitary"),
    ]
    root = tree(trend(points))
    bars = root.findall("s:g[@class='bars']/s:rect", NS)
    top = min(float(b.get("y")) for b in bars)  # the 100% bar reaches the top of the plot
    labels = [t for t in root.findall("s:g[@class='bars']/s:text", NS) if t.text and "%" in t.text]
    assert [t.text for t in labels] == ["50%", "41%", "80%", "100%"]
    assert all(float(t.get("y")) < top for t in labels)  # above every bar and line
    lines = root.findall("s:g[@class='group-line']/s:polyline", NS)
    # two runs (county 2021-22 to 2022-23, unitary 2023-24 to 2024-25), each drawn with a white
    # edge under it: never a line from the county average to the unitary one
    runs = {ln.get("points") for ln in lines}
    assert len(runs) == 2 and all(len(r.split()) == 2 for r in runs)
    ys = [float(p.split(",")[1]) for r in runs for p in r.split()]
    assert all(y >= top for y in ys)
    years = [t.text for t in root.findall("s:g[@class='bars']/s:text", NS)]
    assert "county" in years and "unitary" in years  # the group under each year
    assert "2021-22" in years  # one text: a year never wraps


def test_a_chart_escapes_names_and_says_what_it_shows():
    text = trend([point("2023-24", 50.0, 1, 2, None, None)], name='<script>alert("x")</script>')
    assert "<script>" not in text
    root = tree(text)  # still well-formed
    assert root.get("role") == "img"
    title = root.find("s:title", NS)
    desc = root.find("s:desc", NS)
    assert title is not None and title.text == '<script>alert("x")</script>: uphold rate by year'
    assert desc is not None and "2023-24 50%" in (desc.text or "")


def test_ranked_chart_puts_labels_right_of_the_100_mark_and_ranks_highest_first():
    bars = [
        svg.RankedBar("Dorset Council", 50.0, 5, 10),
        svg.RankedBar("Hull City Council", 100.0, 3, 3),
        svg.RankedBar("Somerset Council", 80.0, 8, 10, href="../councils/somerset-council.html"),
        svg.RankedBar("Isles of Scilly", None, 0, 0),
    ]
    text = svg.ranked_chart(
        "r",
        bars,
        title="Uphold rate",
        rate_label="uphold rate",
        benchmark=57.5,
        benchmark_label="group average 58% (mean of 3 councils)",
        small=10,
    )
    root = tree(text)
    rects = root.findall("s:g[@class='bars']/s:rect", NS)
    names = [r.find("s:title", NS).text.split(":")[0] for r in rects]
    assert names == ["Hull City Council", "Somerset Council", "Dorset Council"]  # n/a: no bar
    x0 = float(rects[0].get("x"))
    full = x0 + float(rects[0].get("width"))  # Hull's 100%
    values = [
        t
        for t in root.findall("s:g[@class='bars']/s:text", NS)
        if (t.text or "").strip().endswith("%") or (t.text or "").startswith("n/a")
    ]
    assert [v.text.strip() for v in values] == ["100%", "80%", "50%", "n/a"]
    assert all(float(v.get("x")) > full for v in values)  # labels right of 100%
    line = [ln for ln in root.findall("s:line", NS) if ln.get("stroke-dasharray") == "5 3"][0]
    assert x0 < float(line.get("x1")) < full  # 57.5% lies between 0 and 100%
    # names link to their pages; the legend: councils, small numbers, the average
    assert 'href="../councils/somerset-council.html"' in text
    assert legend_texts(root) == [
        "councils",
        "fewer than 10 cases (*)",
        "group average 58% (mean of 3 councils)",
    ]


def test_funnel_chart_names_councils_beyond_the_outer_limits_apart():
    limits = FunnelLimits(
        cases=[1, 10, 50],
        low95=[0.0, 30.0, 50.0],
        high95=[100.0, 90.0, 75.0],
        low998=[0.0, 20.0, 45.0],
        high998=[100.0, 95.0, 80.0],
        centre=62.0,
    )
    text = funnel_chart(
        "f",
        [
            FunnelPoint("Kent County Council", 20, 90.0, "above_998"),
            FunnelPoint("Essex County Council", 21, 89.0, "above_998"),  # next to Kent
            FunnelPoint("Surrey County Council", 12, 25.0, "below_95"),
            FunnelPoint("Dorset Council", 10, 50.0),
        ],
        limits,
        title="Uphold rates",
        rate_label="uphold rate",
        case_label="investigations",
    )
    root = tree(text)
    names = root.findall("s:g[@class='names']/s:text", NS)
    # only the councils beyond the 99.8% limits are named, their names apart
    assert sorted(t.text for t in names) == ["Essex County Council", "Kent County Council"]
    y = sorted(float(t.get("y")) for t in names)
    assert y[1] - y[0] >= 13
    assert legend_texts(root) == [
        "within the 95% limits",
        "beyond a 95% limit",
        "beyond a 99.8% limit (named)",
        "group rate 62%",
        "95% limits",
        "99.8% limits",
    ]
    assert "Beyond the 99.8% limits: Kent County Council 90% of 20 (above)" in text
    # within: a circle; beyond a limit: a triangle pointing the way it lies
    marks = root.find("s:g[@class='points']", NS)
    assert len(marks.findall("s:circle", NS)) == 1 and len(marks.findall("s:path", NS)) == 3


# --------------------------------------------------------------------------- lgsco-stats chart


@pytest.fixture
def loaded(cli, tmp_path):
    r = cli("compute", site_workbook(tmp_path / "data.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    return cli


def _svg_text(path) -> str:
    return " ".join(t.strip() for t in ET.fromstring(path.read_bytes()).itertext() if t.strip())


def test_chart_of_a_group_with_min_cases_leaves_small_councils_out(loaded, tmp_path):
    out = tmp_path / "unitary.svg"
    # unitaries 2023-24: Somerset 10 and Dorset 10 investigations, Hull 3, Southampton 2
    r = loaded("chart", "--type", "unitary", "--year", "2023-24", "--min-cases", "5", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "2 unitary councils (2 with fewer than 5 cases not drawn)" in r.stderr
    text = _svg_text(out)
    assert "Somerset Council" in text and "Dorset Council" in text
    assert "Hull City Council" not in text and "Southampton City Council" not in text
    assert "Councils with fewer than 5 investigations are not drawn: 2 left out" in text
    # titles in plain words, and the legend lists only what is drawn: no small bar is left
    assert "labels: rate rounded half up" not in text
    assert "Beside each bar: the rate and the investigations behind it" in text
    assert "fewer than 10 cases" not in text
    assert "group average 58% (mean of 4 councils)" in text


def test_chart_of_a_council_has_a_plain_title_and_a_legend_of_what_is_drawn(loaded, tmp_path):
    out = tmp_path / "dorset.svg"
    r = loaded("chart", "--council", "dorset", "--rate", "uphold", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = _svg_text(out)
    assert "labels:" not in text
    assert "Above each bar: the rate and the cases behind it" in text
    # Dorset 2023-24: 5 of 10 (not a small number), against the unitary mean 58%
    assert "Dorset Council, fewer than 10 cases" not in text
    assert "average of its group that year (mean of the group's councils)" in text
    out = tmp_path / "tfl.svg"
    r = loaded("chart", "--council", "transport for london", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = _svg_text(out)
    # 1 of 2 only, and no group: the legend has the small bar and nothing else
    assert "Transport for London, fewer than 10 cases (*)" in text
    assert "average of its group" not in text and "(no comparison group)" in text


def test_site_says_no_cases_where_nothing_was_counted_and_not_reported_where_a_count_is_blank():
    from lgsco_stats.report.pages import rate_cells, trend_svg

    # Surrey 2023-24 of a case list: compliance outcomes only (1 of 2 complied), no decisions
    only_compliance = {
        "year": "2023-24", "type": "county", "upheld": None, "investigations": None,
        "decisions": None, "uphold_rate": None, "complied_total": 1, "compliance_outcomes": 2,
        "compliance_rate": 50.0,
    }  # fmt: skip
    assert rate_cells(only_compliance, "uphold", 10)["cases"] == "no cases"
    assert rate_cells(only_compliance, "compliance", 10)["cases"] == "1 of 2*"
    # a published row that gives decisions and investigations but leaves upheld blank
    blank_upheld = {**only_compliance, "decisions": 90, "investigations": 30}
    assert rate_cells(blank_upheld, "uphold", 10)["cases"] == "not reported"
    chart = trend_svg("t", [only_compliance, {**blank_upheld, "year": "2024-25"}], "uphold",
                      "Surrey County Council", "mean", 10)  # fmt: skip
    assert chart.count(">no cases</text>") == 1 and chart.count(">not reported</text>") == 1
