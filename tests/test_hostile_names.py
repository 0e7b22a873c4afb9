"""Names, categories and contacts are text in every output (issue 18): Markdown, HTML, Word and
PDF letters, Markdown tables, the terminal's Rich tables, the site, SVG charts and file names."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from lgsco_stats.councils import slugify
from lgsco_stats.escape import markdown_text, printable
from lgsco_stats.tables import Column

LINK = "[Click here](https://evil.example)"
PIXEL = "![](https://evil.example/pixel.png)"
HEADING = "Kent Foo\n# Heading"
SCRIPT = "<script>alert(1)</script>"
RICH_LINK = "[link=https://evil.example]Click[/link]"
BLINK = "[blink]Blink[/blink]"
CLOSE = "[/]"
ANSI = "\x1b[2J\x1b[8mhidden"
LONG = "L" * 300
SAME_SLUG = ("Åland Council", "Öland Council", "Üland Council")
MATH = "$x^2$ Council"
NAMES = [LINK, PIXEL, HEADING, SCRIPT, RICH_LINK, BLINK, CLOSE, ANSI, LONG, *SAME_SLUG, MATH]
CATEGORY = "[Cat](https://evil.example) **bold**"


def _inline_text(markdown: str) -> list[str]:
    """The text of each paragraph or table cell markdown-it finds (markup gone)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    out = []
    for t in md.parse(markdown):
        if t.type == "inline":
            out.append("".join(c.content for c in t.children or [] if c.type == "text"))
    return out


HOSTILE = [*NAMES, "1. item", "- dash", "+ plus", "> quote", "===", "---", "a | b", "`code`"]
HOSTILE += ["*em* _em_ **strong**", "<https://evil.example>", "back\\slash", "# x", "12) x"]


@pytest.mark.parametrize("value", HOSTILE)
def test_markdown_text_is_literal_wherever_it_stands(value: str) -> None:
    # markdown_text(v) in a paragraph, at the start of a line, after text and in a table cell
    # is read back by markdown-it as exactly the characters of v (control characters gone,
    # line breaks as spaces), with no link, image, heading, list, quote or HTML.
    want = printable(value).strip()
    shown = markdown_text(value)
    for doc, index in (
        (f"{shown}\n", 0),
        (f"Dear {shown}\n", 0),
        (f"Intro\n\n{shown}\n", 1),
        (f"| a | b |\n|---|---|\n| {shown} | x |\n", 2),
    ):
        md = MarkdownIt("commonmark", {"html": False}).enable("table")
        tokens = md.parse(doc)
        kinds = {t.type for t in tokens} | {
            c.type for t in tokens if t.type == "inline" for c in t.children or []
        }
        assert not kinds & {"link_open", "image", "heading_open", "bullet_list_open"}
        assert not kinds & {"ordered_list_open", "blockquote_open", "html_inline", "code_inline"}
        assert not kinds & {"em_open", "strong_open", "hr", "html_block", "autolink"}
        got = _inline_text(doc)[index]
        assert got == (f"Dear {want}" if doc.startswith("Dear") else want)


def test_printable_removes_what_a_terminal_would_obey() -> None:
    assert printable("\x1b[2J\x1b]8;;https://e\x07x\x1b]8;;\x07") == "[2J]8;;https://ex]8;;"
    assert printable("a\u202eb\u2066c\nd\te") == "abc d e"
    assert printable("King’s Lynn & West Norfolk") == "King’s Lynn & West Norfolk"


def test_slugs_of_different_names_differ() -> None:
    # The register's slugs stay as they were (plain names); names that lose letters on the
    # way to a slug get a hash of their normalised form, so no two names share a page.
    assert slugify("King’s Lynn & West Norfolk") == "kings-lynn-and-west-norfolk"
    assert slugify("Kent County Council") == "kent-county-council"
    slugs = {slugify(n) for n in SAME_SLUG}
    assert len(slugs) == 3 and all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)
    assert slugify("Åland Council").startswith("aland-council-")
    assert slugify("L" * 300) != slugify("L" * 301) and len(slugify("L" * 300)) <= 120
    assert slugify("???") != slugify("Council")


# --------------------------------------------------------------------------- through the CLI


@pytest.fixture
def hostile(cli, tmp_path: Path) -> Path:
    path = tmp_path / "evil.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Reference", "Authority", "Decision date", "Outcome", "Category"])
        for i, n in enumerate([*NAMES, "Kent"]):
            w.writerow([f"R{i}", n, "2019-05-01", "Upheld", CATEGORY])
            w.writerow([f"S{i}", n, "2019-05-02", "Not upheld", "Adult care"])
    contacts = tmp_path / "contacts.csv"
    with open(contacts, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["council", "name", "job title", "email"])
        w.writerow(["Kent", f"{LINK}\n# Boss", PIXEL, "<a@b.c>"])
    r = cli("compute", path)
    assert r.exit_code == 0, r.stderr  # a body named "[/]" no longer breaks the table
    return tmp_path


def test_html_letters_show_names_as_text(cli, hostile: Path) -> None:
    out = hostile / "html"
    r = cli(
        "letter", "--signatory", "A Person", "--all", "--year", "2019-20", "-f", "html", "-o", out,
        "--contacts", hostile / "contacts.csv",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    files = sorted(out.iterdir())
    assert len(files) == len(NAMES) + 1  # every body its own file: the three Ålands too
    for f in files:
        html = f.read_text()
        assert "<a " not in html and "<img" not in html and "<script" not in html
        assert html.count("<h1>") == 1
        assert "\x1b" not in html
    kent = (out / "kent-county-council-2019-20.html").read_text()
    assert "Dear [Mr X](https://evil.example) # Boss" not in kent  # "Mr X" is not the name
    assert "Dear [Click here](https://evil.example) # Boss</p>" in kent
    assert "![](https://evil.example/pixel.png)<br />" in kent
    assert "<li>[Cat](https://evil.example) **bold**: 1</li>" in kent


def test_markdown_word_and_pdf_letters_show_names_as_text(cli, hostile: Path) -> None:
    import docx
    import pypdf

    contacts = hostile / "contacts.csv"
    for fmt in ("markdown", "docx", "pdf"):
        out = hostile / fmt
        args = ("--all", "--year", "2019-20", "-f", fmt, "-o", out, "--contacts", contacts)
        args += ("--signatory", "A Person")
        r = cli("letter", *args)
        assert r.exit_code == 0, r.stderr  # the 300-character name made Word fail
        assert len(list(out.iterdir())) == len(NAMES) + 1
    md = (hostile / "markdown" / "kent-county-council-2019-20.md").read_text()
    assert "Dear [Click here](https://evil.example) # Boss" in _inline_text(md)
    doc = docx.Document(str(hostile / "docx" / "kent-county-council-2019-20.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Dear [Click here](https://evil.example) # Boss" in text
    assert not doc.part.rels or all("hyperlink" not in r.reltype for r in doc.part.rels.values())
    long = docx.Document(str(hostile / "docx" / f"{slugify(LONG)}-2019-20.docx"))
    assert len(long.core_properties.title) == 255
    pdf = pypdf.PdfReader(str(hostile / "pdf" / "kent-county-council-2019-20.pdf"))
    assert "Dear [Click here](https://evil.example) # Boss" in pdf.pages[0].extract_text()


def test_markdown_tables_escape_names(cli, hostile: Path) -> None:
    r = cli("compute", hostile / "evil.csv", "--no-store", "-f", "markdown")
    assert r.exit_code == 0, r.stderr
    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(r.stdout)
    assert "<a " not in html and "<img" not in html and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[Click here](https://evil.example)" in html


def test_rich_tables_print_markup_as_text() -> None:
    from lgsco_stats.cli.render import to_table_text

    rows = [{"council": n, "n": i} for i, n in enumerate([RICH_LINK, BLINK, CLOSE, ANSI, MATH])]
    cols = [Column("council", "Council"), Column("n", "N", numeric=True)]
    out = to_table_text(rows, cols, title=f"Figures {CLOSE}", notes=[BLINK], terminal=True)
    assert "\x1b]8;" not in out  # no terminal hyperlink
    assert "\x1b[5m" not in out and "\x1b[2J" not in out and "\x1b[8m" not in out
    for text in ("[link=https://evil.example]Click[/link]", "[blink]Blink[/blink]", "[/]"):
        assert text in out
    assert "[2J[8mhidden" in out


def test_site_pages_and_charts_show_names_as_text(cli, hostile: Path) -> None:
    site = hostile / "site"
    r = cli("report", "--year", "2019-20", "--output", site)
    assert r.exit_code == 0, r.stderr
    pages = sorted(p.name for p in (site / "councils").iterdir())
    assert len(pages) == len(NAMES) + 1  # three names that slugify alike: three pages
    for p in site.rglob("*.html"):
        html = p.read_text()
        assert "\x1b" not in html and "<script>alert" not in html
        assert 'href="https://evil' not in html and 'src="https://evil' not in html
    # the site's charts are SVG inside the council's page
    page = (site / "councils" / f"{slugify(MATH)}.html").read_text()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "$x^2$ Council" in svg  # the dollars are text, not mathematics
    index = (site / "index.html").read_text()
    for name in SAME_SLUG:
        assert name in index


def test_json_keeps_names_exactly(cli, hostile: Path) -> None:
    # Data formats carry the data: JSON escapes what it must, and nothing is lost.
    r = cli("compute", hostile / "evil.csv", "--no-store", "-f", "json")
    names = {row["council"] for row in json.loads(r.stdout)}
    assert {LINK, SCRIPT, CLOSE, ANSI, LONG} <= names
    r = cli("compute", hostile / "evil.csv", "--no-store", "-f", "csv")
    assert LINK in {row["council"] for row in csv.DictReader(io.StringIO(r.stdout))}
