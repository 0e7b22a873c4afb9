"""Letters as a reader sees them (issue 17): the signature block kept on one page with room to
sign, numbered pages, padded Word tables, a signatory required for --all, and who the letter is
shared with, from the contacts file. Read back with pypdf and python-docx (no LibreOffice)."""

from __future__ import annotations

import io

import pytest

from lgsco_stats.letters.pdf import markdown_to_pdf
from lgsco_stats.letters.render import markdown_to_html
from lgsco_stats.letters.word import markdown_to_docx

MM_PER_PT = 25.4 / 72
TITLES = (
    "Local Government and Social Care Ombudsman",
    "Chair, Commission for Local Administration",
)
FILLER = "A paragraph of the letter that runs to more than one line of text on the page. " * 3


def _letter(paragraphs: int) -> str:
    body = "\n\n".join(f"Paragraph {i + 1}. {FILLER}" for i in range(paragraphs))
    return (
        "# Annual Review letter 2020\n\n"
        + body
        + "\n\nWe also run training.\n\nYours sincerely\n\nPat Example\\\n"
        + "\\\n".join(TITLES)
        + "\n"
    )


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_signature_block_is_never_split_across_pages() -> None:
    # Every length of letter from one page to three puts the page break somewhere else; the
    # closing, the name, both titles and the paragraph before the closing share a page.
    splits = 0
    for n in range(8, 60):
        pages = _pages(markdown_to_pdf(_letter(n), "t"))
        on = [i for i, text in enumerate(pages) if "Yours sincerely" in text]
        assert len(on) == 1
        page = pages[on[0]]
        assert "Pat Example" in page and all(t in page for t in TITLES), (n, page)
        assert "We also run training." in page
        splits += on[0] > 0 and page.lstrip().startswith("We also run training.")
    assert splits  # some lengths did move the block to a new page, whole


def _baselines(pdf: bytes, page: int) -> dict[str, float]:
    from pypdf import PdfReader

    found: dict[str, float] = {}

    def visit(text, cm, tm, font, size):  # noqa: ARG001 - pypdf's visitor signature
        if text.strip():
            found.setdefault(text.strip(), tm[5])

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def test_room_to_sign_between_the_closing_and_the_name() -> None:
    pdf = markdown_to_pdf(_letter(2), "t")
    at = _baselines(pdf, 0)
    gap_mm = (at["Yours sincerely"] - at["Pat Example"]) * MM_PER_PT
    assert gap_mm > 15, gap_mm  # a line is about 5 mm: three lines and more left to sign in
    docx_bytes = markdown_to_docx(_letter(2), "t")
    import docx

    doc = docx.Document(io.BytesIO(docx_bytes))
    paras = doc.paragraphs
    closing = next(i for i, p in enumerate(paras) if p.text == "Yours sincerely")
    assert paras[closing].paragraph_format.space_after.pt >= 36
    assert paras[closing].paragraph_format.keep_with_next
    assert paras[closing - 1].paragraph_format.keep_with_next  # "We also run training."
    name = paras[closing + 1]
    assert name.text.startswith("Pat Example") and name.paragraph_format.keep_together
    html = markdown_to_html(_letter(1))
    assert '<p class="closing">Yours sincerely</p>' in html
    assert '<p class="signature">Pat Example' in html


def test_pages_are_numbered() -> None:
    pages = _pages(markdown_to_pdf(_letter(30), "t"))
    assert len(pages) >= 2
    for n, text in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in text
    (one,) = _pages(markdown_to_pdf(_letter(1), "t"))
    assert "Page 1 of 1" not in one  # a one-page letter needs no number
    import docx

    doc = docx.Document(io.BytesIO(markdown_to_docx(_letter(1), "t")))
    footer = doc.sections[0].footer._element.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer
    assert "Page " in footer and " of " in footer


def test_word_table_cells_are_padded_and_the_grid_has_widths() -> None:
    import docx
    from docx.oxml.ns import qn

    text = "| | Kent | Average |\n|---|---:|---:|\n| Complaints upheld | 87% (53 of 61) | 80% |\n"
    doc = docx.Document(io.BytesIO(markdown_to_docx(text, "t")))
    table = doc.tables[0]
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None
    for side in ("top", "bottom", "left", "right"):
        assert int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) >= 60
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 3 and grid[0] > grid[1] > 0
    head = table.cell(0, 1)._tc.tcPr.find(qn("w:shd"))
    assert head is not None and head.get(qn("w:fill")) == "E8E8E8"


# --------------------------------------------------------------------------- the command

SPEC = [
    ("Kent County Council", "Upheld", 6, None),
    ("Kent County Council", "Not upheld", 2, None),
    ("Southampton", "Upheld", 3, None),
    ("Southampton", "Not upheld", 1, None),
]


@pytest.fixture
def loaded(store_spec):
    store_spec(SPEC)


def test_all_needs_a_signatory(cli, loaded, tmp_path) -> None:
    r = cli("letter", "--all", "--output", tmp_path / "l")
    assert r.exit_code == 2
    assert "--all signs every letter: say who signs them with --signatory NAME" in r.stderr
    assert not (tmp_path / "l").exists()
    # from the config file, as the message says
    config = tmp_path / "letters.toml"
    config.write_text('[letter]\nsignatory = "Amerdeep Somal"\n', encoding="utf-8")
    r = cli("letter", "--all", "--output", tmp_path / "l", "--config", config)
    assert r.exit_code == 0, r.stderr
    assert "Amerdeep Somal" in (tmp_path / "l" / "kent-county-council-2019-20.md").read_text()


def test_config_from_the_environment(cli, loaded, tmp_path, monkeypatch) -> None:
    config = tmp_path / "letters.toml"
    config.write_text('signatory = "Amerdeep Somal"\n', encoding="utf-8")
    monkeypatch.setenv("LGSCO_STATS_CONFIG", str(config))
    r = cli("letter", "--council", "kent")
    assert r.exit_code == 0 and "Amerdeep Somal\\\n" in r.stdout
    assert "No --signatory" not in r.stderr


def test_one_letter_without_a_signatory_says_so(cli, loaded) -> None:
    r = cli("letter", "--council", "kent")
    assert r.exit_code == 0
    assert "No --signatory: the letter is signed with the title alone" in r.stderr
    assert r.stdout.rstrip().endswith(
        "Yours sincerely\n\nLocal Government and Social Care Ombudsman"
    )


def test_shared_with_from_the_contacts_file(cli, loaded, tmp_path) -> None:
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "Council,Name,Job title,Email,Shared with: Leader of the Council,cc (Chair of Scrutiny),"
        "CC 3\n"
        "Kent,Amanda Beer,Chief Executive,a@kent.example,Cllr Roger Gough,Cllr Ann Allen,"
        '"Monitoring Officer; Head of Complaints"\n'
        "Southampton,Andrew Travers,,,,,\n",
        encoding="utf-8",
    )
    args = ("--contacts", contacts, "--signatory", "Pat Example")
    r = cli("letter", "--council", "kent", *args)
    assert r.exit_code == 0, r.stderr
    assert (
        "This letter is shared with Cllr Roger Gough, Leader of the Council; Cllr Ann Allen, "
        "Chair of Scrutiny; Monitoring Officer; and Head of Complaints."
    ) in r.stdout
    assert r.stdout.index("Pat Example") < r.stdout.index("This letter is shared with")
    r = cli("letter", "--council", "southampton", *args)
    assert r.exit_code == 0 and "shared with" not in r.stdout
    # and in the Word and PDF letters, after the signature, kept with it
    out = tmp_path / "kent.pdf"
    assert cli("letter", "--council", "kent", *args, "-o", out).exit_code == 0
    last = _pages(out.read_bytes())[-1]
    assert "Yours sincerely" in last and "Head of Complaints" in last
