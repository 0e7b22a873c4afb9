"""``lgsco-stats letter``: whole letters against golden files, Word and PDF read back, every
option and every user mistake.

The data: 2019-20 decisions for three county councils, three unitary councils, Hull (a unitary
with few cases), Leeds (the only metropolitan borough: a group of one) and Transport for London
(no comparison group); 2020-21 decisions for Kent only.
Run with UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change (then read the
diff).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.conftest import decisions_rows, write_xlsx

GOLDEN = Path(__file__).parent / "golden"
DATE = ("--date", "2020-07-22")
SIGN = (
    "--signatory",
    "Pat Example",
    "--signatory-title",
    "Local Government and Social Care Ombudsman;Chair, Commission for Local Administration",
)

COMPLIANCE_HEADER = ("Reference", "Authority", "Date recorded", "Compliance outcome")


def _compliance(spec):
    rows = [COMPLIANCE_HEADER]
    n = 0
    for authority, outcome, count in spec:
        for _ in range(count):
            n += 1
            rows.append((f"C{n:03d}", authority, dt.datetime(2019, 9, 1), outcome))
    return rows


@pytest.fixture
def loaded(cli, tmp_path):
    decisions = decisions_rows(
        [
            # Kent: 6 upheld (2 remedied by the council) of 8 investigated = 75%.
            ("Kent County Council", "Upheld", 4, None),
            ("Kent County Council", "Upheld", 2, "Yes"),
            ("Kent County Council", "Not upheld", 2, None),
            ("Kent County Council", "Closed after initial enquiries", 3, None),
            ("Kent County Council", "Referred back for local resolution", 1, None),
            # Essex: 4 of 8 = 50%. Surrey: 1 of 4 = 25%.
            # County mean: (75 + 50 + 25) / 3 = 50%; remedies (33.33 + 0 + 0) / 3 = 11.11 → 11%.
            ("Essex County Council", "Upheld", 4, None),
            ("Essex County Council", "Not upheld", 4, None),
            ("Surrey County Council", "Upheld", 1, None),
            ("Surrey County Council", "Not upheld", 3, None),
            # Southampton: 8 of 10 = 80%. Unitary mean (80 + 66.67 + 50) / 3 = 65.56 → 66%
            # (Portsmouth has no rate and is left out).
            ("Southampton City Council", "Upheld", 7, None),
            ("Southampton City Council", "Upheld", 1, "Yes"),
            ("Southampton City Council", "Not upheld", 2, None),
            # Portsmouth: no detailed investigations at all.
            ("Portsmouth City Council", "Closed after initial enquiries", 2, None),
            # Hull: 2 of 3, small numbers.
            ("Hull City Council", "Upheld", 2, None),
            ("Hull City Council", "Not upheld", 1, None),
            # Bristol: 1 of 2 = 50%.
            ("Bristol City Council", "Upheld", 1, None),
            ("Bristol City Council", "Not upheld", 1, None),
            # Leeds: 3 of 4, the only metropolitan borough: no one to compare it with.
            ("Leeds City Council", "Upheld", 3, None),
            ("Leeds City Council", "Not upheld", 1, None),
            # Transport for London: outside the register, no comparison group.
            ("Transport for London", "Upheld", 1, None),
            ("Transport for London", "Not upheld", 1, None),
        ]
    )
    compliance = _compliance(
        [
            ("Kent County Council", "Complied", 5),  # 5 of 5 = 100%
            ("Southampton City Council", "Complied", 10),  # 10 + 1 late of 12 = 91.67 → 92%
            ("Southampton City Council", "Complied late", 1),
            ("Southampton City Council", "Not complied", 1),
            ("Hull City Council", "Complied", 2),  # 2 of 2
        ]
    )
    path = write_xlsx(tmp_path / "y2019.xlsx", {"Decisions": decisions, "Compliance": compliance})
    r = cli("compute", path)
    assert r.exit_code == 0, r.stderr
    later = decisions_rows([("Kent County Council", "Upheld", 1, None)], start=dt.date(2020, 6, 1))
    later = [later[0]] + [(f"20 {i:03d}", *row[1:]) for i, row in enumerate(later[1:])]
    r = cli("compute", write_xlsx(tmp_path / "y2020.xlsx", {"Decisions": later}))
    assert r.exit_code == 0, r.stderr
    return tmp_path


@pytest.fixture
def contacts_csv(tmp_path):
    p = tmp_path / "contacts.csv"
    p.write_text(
        "Council,Name,Job title,Email\n"
        "Kent,Ms Siân O’Brien,Chief Executive,ceo@kent.example\n"
        "southampton city council,Mr J Bloggs,Interim Chief Executive,\n",
        encoding="utf-8",
    )
    return p


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8")


def letter(cli, *args):
    return cli("letter", "--year", "2019-20", *DATE, *SIGN, *args)


# --------------------------------------------------------------------------- golden letters


def test_golden_full_compliance_with_contact(cli, loaded, contacts_csv):
    r = letter(cli, "--council", "kent", "--contacts", contacts_csv)
    assert r.exit_code == 0, r.stderr
    # 6 of 8 = 75%; county mean (75 + 50 + 25) / 3 = 50%; remedies 2 of 6 = 33%, county
    # (33.33 + 0 + 0) / 3 = 11.11 → 11%. Kent is the only county with compliance outcomes.
    assert "| Complaints upheld | 75% (6 of 8) | 50% |" in r.stdout
    assert "| Compliance with our recommendations | 100% (5 of 5) | no comparison |" in r.stdout
    assert "| Satisfactory remedies provided by the council | 33% (2 of 6) | 11% |" in r.stdout
    assert (
        "Ms Siân O’Brien\\\nChief Executive\\\nKent County Council\\\nceo@kent.example" in r.stdout
    )
    assert "Dear Ms Siân O’Brien" in r.stdout
    assert "We welcome this" in r.stdout
    golden("kent-full-compliance-contact.md", r.stdout)


def test_golden_below_full_compliance_without_contact(cli, loaded):
    r = letter(cli, "--council", "Southampton")
    assert r.exit_code == 0, r.stderr
    assert "| Compliance with our recommendations | 92% (11 of 12) |" in r.stdout
    assert "In one case it did not." in r.stdout
    assert "The Chief Executive\\\nSouthampton City Council" in r.stdout
    golden("southampton-below-full-compliance.md", r.stdout)


def test_golden_no_investigations(cli, loaded):
    r = letter(cli, "--council", "portsmouth")
    assert r.exit_code == 0, r.stderr
    assert "We did not investigate any complaints about the council in detail" in r.stdout
    assert "| Complaints upheld | no investigations |" in r.stdout
    golden("portsmouth-no-investigations.md", r.stdout)


def test_golden_no_group(cli, loaded):
    r = letter(cli, "--council", "Transport for London")
    assert r.exit_code == 0, r.stderr
    assert "in none of these groups" in r.stdout
    assert "average of similar authorities (" not in r.stdout
    golden("tfl-no-group.md", r.stdout)


def test_golden_group_of_one(cli, loaded):
    # Leeds is the only metropolitan borough in the store: its "average" would be its own
    # figures, so the letter says there is no comparison and gives no average column.
    r = letter(cli, "--council", "leeds")
    assert r.exit_code == 0, r.stderr
    assert "There is no other metropolitan borough in the store for 2019-20" in r.stdout
    assert "the 1 metropolitan" not in r.stdout and "1 councils" not in r.stdout
    assert "average of similar authorities (" not in r.stdout
    assert "| | Leeds City Council |\n|---|---:|\n" in r.stdout
    assert "| Complaints upheld | 75% (3 of 4) |\n" in r.stdout
    golden("leeds-group-of-one.md", r.stdout)


def test_golden_small_numbers(cli, loaded):
    r = letter(cli, "--council", "hull")
    assert r.exit_code == 0, r.stderr
    # 2 of 3 = 66.67% → 67%.
    assert "upheld 67% of them (2 of 3). This figure is based on three investigations" in r.stdout
    golden("hull-small-numbers.md", r.stdout)


# --------------------------------------------------------------------------- formats


def test_docx_read_back(cli, loaded, tmp_path):
    import docx

    out = tmp_path / "kent.docx"
    r = letter(cli, "--council", "kent", "--format", "docx", "--output", out)
    assert r.exit_code == 0, r.stderr
    d = docx.Document(str(out))
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Head")]
    assert headings[0] == ("Heading 1", "Annual Review letter 2020")
    assert ("Heading 2", "Complaint statistics") in headings
    cells = [[c.text for c in row.cells] for row in d.tables[0].rows]
    assert cells[0] == ["", "Kent County Council", "Average of county councils"]
    assert cells[1] == ["Complaints upheld", "75% (6 of 8)", "50%"]
    text = "\n".join(p.text for p in d.paragraphs)
    assert "22 July 2020" in text and "Dear Chief Executive" in text
    assert "Pat Example" in text


def test_pdf_text_extracted(cli, loaded, contacts_csv, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "kent.pdf"
    r = letter(cli, "--council", "kent", "--contacts", contacts_csv, "--output", out)
    assert r.exit_code == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    reader = PdfReader(str(out))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Annual Review letter 2020" in text
    assert "Siân O’Brien" in text  # embedded Unicode font
    assert "75% (6 of 8)" in text
    box = reader.pages[0].mediabox  # A4 = 595 × 842 points
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert all(
        "/FontFile2"
        in f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        for f in fonts.values()
    )


def test_html_is_one_page(cli, loaded, tmp_path):
    r = letter(cli, "--council", "kent", "--format", "html")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("<!DOCTYPE html>")
    assert "@page { size: A4" in r.stdout
    assert "<h1>Annual Review letter 2020</h1>" in r.stdout
    assert '<td style="text-align:right">75% (6 of 8)</td>' in r.stdout
    assert "http" not in r.stdout.split("<body>")[0]  # nothing fetched from elsewhere


# --------------------------------------------------------------------------- --all


def test_all_writes_one_file_per_council_and_skips_empty(cli, loaded, tmp_path):
    out = tmp_path / "letters"
    r = cli("letter", *SIGN, "--all", "--year", "2020-21", *DATE, "--output", out)
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["kent-county-council-2020-21.md"]
    r = cli(
        "letter", *SIGN, "--all", "--year", "2019-20", *DATE, "--format", "docx", "--output", out
    )
    assert r.exit_code == 0, r.stderr
    names = sorted(p.name for p in out.glob("*.docx"))
    assert names == [
        "bristol-city-council-2019-20.docx",
        "essex-county-council-2019-20.docx",
        "hull-city-council-2019-20.docx",
        "kent-county-council-2019-20.docx",
        "leeds-city-council-2019-20.docx",
        "portsmouth-city-council-2019-20.docx",
        "southampton-city-council-2019-20.docx",
        "surrey-county-council-2019-20.docx",
        "transport-for-london-2019-20.docx",
    ]
    assert "Wrote 9 docx letters for 2019-20" in r.stderr


def test_all_type_and_contacts(cli, loaded, contacts_csv, tmp_path):
    out = tmp_path / "u"
    r = cli(
        "letter",
        *SIGN,
        "--all",
        "--type",
        "unitary",
        "--contacts",
        contacts_csv,
        *DATE,
        "--year",
        "2019-20",
        "--format",
        "pdf",
        "--output",
        out,
    )
    assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "bristol-city-council-2019-20.pdf",
        "hull-city-council-2019-20.pdf",
        "portsmouth-city-council-2019-20.pdf",
        "southampton-city-council-2019-20.pdf",
    ]
    assert "(1 addressed from --contacts)" in r.stderr


def test_all_says_how_many_skipped(cli, loaded, tmp_path):
    # In 2020-21 only Kent has decisions; the others have rows in no year's counts for it.
    r = cli(
        "letter",
        *SIGN,
        "--all",
        "--type",
        "unitary",
        "--year",
        "2020-21",
        "--output",
        tmp_path / "x",
    )
    assert r.exit_code == 1
    assert "no council of that type has decisions in 2020-21" in r.stderr


# --------------------------------------------------------------------------- options


def test_output_suffix_chooses_format_and_folder_gets_file_name(cli, loaded, tmp_path):
    r = letter(cli, "--council", "kent", "--output", tmp_path / "k.html")
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "k.html").read_text().startswith("<!DOCTYPE html>")
    folder = tmp_path / "dir"
    folder.mkdir()
    r = letter(cli, "--council", "kent", "--format", "docx", "--output", folder)
    assert r.exit_code == 0, r.stderr
    assert (folder / "kent-county-council-2019-20.docx").exists()


def test_config_file(cli, loaded, tmp_path, contacts_csv):
    cfg = tmp_path / "letters.toml"
    cfg.write_text(
        '[letter]\nsignatory = "Jo Config"\nsignatory-title = "Ombudsman"\n'
        'date = 2021-03-04\ncontacts = "contacts.csv"\n',
        encoding="utf-8",
    )
    r = cli("letter", "--council", "kent", "--year", "2019-20", "--config", cfg)
    assert r.exit_code == 0, r.stderr
    assert "4 March 2021" in r.stdout and "Jo Config\\\nOmbudsman" in r.stdout
    assert "Dear Ms Siân O’Brien" in r.stdout
    # the command line wins over the file
    r = cli(
        "letter", "--council", "kent", "--year", "2019-20", "--config", cfg, "--signatory", "Al Cli"
    )
    assert "Al Cli\\\nOmbudsman" in r.stdout


def test_config_unknown_key(cli, loaded, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('signatroy = "x"\n', encoding="utf-8")
    r = cli("letter", "--council", "kent", "--config", cfg)
    assert r.exit_code == 2
    assert "unknown setting 'signatroy'" in r.stderr


def test_default_date_is_today(cli, loaded):
    r = cli("letter", "--council", "kent", "--year", "2019-20")
    assert r.exit_code == 0
    today = dt.date.today()
    assert f"\n{today.day} {today:%B} {today.year}\n" in r.stdout


def test_custom_template(cli, loaded, tmp_path):
    t = tmp_path / "mine.md.j2"
    t.write_text(
        "{{ council.name }}: {{ stats.uphold.text }} vs {{ stats.uphold.group_text }}\n",
        encoding="utf-8",
    )
    r = letter(cli, "--council", "kent", "--template", t)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "Kent County Council: 75% vs 50%\n"


def test_custom_html_template(cli, loaded, tmp_path):
    t = tmp_path / "mine.html.j2"
    t.write_text("<p>{{ council.name }} & {{ addressee.salutation }}</p>\n", encoding="utf-8")
    r = letter(cli, "--council", "kent", "--template", t)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "<p>Kent County Council & Dear Chief Executive</p>\n"
    r = letter(
        cli, "--council", "kent", "--template", t, "--format", "pdf", "-o", tmp_path / "x.pdf"
    )
    assert r.exit_code == 2
    assert "HTML template" in r.stderr


def test_template_misspelt_field(cli, loaded, tmp_path):
    t = tmp_path / "bad.md.j2"
    t.write_text("Dear {{ addressee.name }}\n\n{{ council.nmae }}\n", encoding="utf-8")
    r = letter(cli, "--council", "kent", "--template", t)
    assert r.exit_code == 1
    assert r.stderr.startswith(
        "Error: bad.md.j2, line 3: unknown field 'council.nmae'; did you mean 'council.name'?"
    )
    assert "Traceback" not in r.stderr


def test_fields_lists_every_field(cli, loaded):
    r = cli("letter", "--fields", "--council", "southampton", "--year", "2019-20", *DATE)
    assert r.exit_code == 0, r.stderr
    for field, value in (
        ("council.name", "Southampton City Council"),
        ("stats.compliance.shown", "92% (11 of 12)"),
        ("letter.date", "22 July 2020"),
        ("addressee.salutation", ""),
    ):
        assert field in r.stdout and value in r.stdout


# --------------------------------------------------------------------------- mistakes


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "say which letters"),
        (("--council", "kent", "--all"), 2, "--council and --all exclude each other"),
        (("--council", "kent", "--type", "county"), 2, "--type chooses councils for --all"),
        (("--all",), 2, "give a folder with --output DIR"),
        (("--council", "kent", "--format", "pdf"), 2, "--format pdf writes a file"),
        (("--council", "kent", "--date", "2020-02-30"), 2, "'2020-02-30' is not a date"),
        (("--council", "Solihul"), 1, "did you mean 'Solihull"),
        (
            ("--council", "portsmouth", "--year", "2020-21"),
            1,
            "no decisions for Portsmouth City Council in 2020-21; years with data: 2019-20",
        ),
        (("--council", "kent", "--year", "2018-19"), 1, "no data for 2018-19"),
    ],
)
def test_mistakes(cli, loaded, args, code, message):
    r = cli("letter", *args)
    assert r.exit_code == code, r.stdout
    assert message in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 2


def test_contacts_unknown_council(cli, loaded, tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("council,name\nKent,A\nSouthamptn,B\n", encoding="utf-8")
    r = letter(cli, "--council", "kent", "--contacts", p)
    assert r.exit_code == 1
    assert "c.csv, row 3: no council called 'Southamptn'" in r.stderr


def test_contacts_excel_and_duplicates(cli, loaded, tmp_path):
    p = write_xlsx(
        tmp_path / "c.xlsx",
        {
            "Sheet": [
                ("Authority", "Contact name", "Title", "E-mail"),
                ("Kent County Council", "Dr K", "Head of Paid Service", "k@example.org"),
            ]
        },
    )
    r = letter(cli, "--council", "kent", "--contacts", p)
    assert r.exit_code == 0, r.stderr
    assert "Dr K\\\nHead of Paid Service\\\nKent County Council\\\nk@example.org" in r.stdout
    dup = tmp_path / "d.csv"
    dup.write_text("council,name\nKent,A\nKent County Council,B\n", encoding="utf-8")
    r = letter(cli, "--council", "kent", "--contacts", dup)
    assert r.exit_code == 1
    assert "Kent County Council is listed twice (rows 2 and 3)" in r.stderr


def test_help_has_example(cli):
    r = cli("letter", "--help")
    assert r.exit_code == 0
    assert "Example:" in r.stdout and "--council" in r.stdout


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_all_in_worker_processes_gives_the_same_letters(cli, loaded, tmp_path, fmt):
    one, two = tmp_path / "one", tmp_path / "two"
    for jobs, out in (("1", one), ("2", two)):
        r = cli(
            "letter",
            *SIGN,
            "--all",
            "--year",
            "2019-20",
            *DATE,
            "--format",
            fmt,
            "--jobs",
            jobs,
            "--output",
            out,
        )
        assert r.exit_code == 0, r.stderr
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 9
    if fmt == "pdf":
        from pypdf import PdfReader

        def text(p):
            return " ".join(pg.extract_text() for pg in PdfReader(str(p)).pages)
    else:
        import docx

        def text(p):
            return "\n".join(x.text for x in docx.Document(str(p)).paragraphs)

    for name in names:
        assert text(one / name) == text(two / name)
    # each file holds its own council's letter only (the Word maker reuses one document)
    essex = text(one / f"essex-county-council-2019-20.{fmt}")
    assert "Essex County Council" in essex and "Kent County Council" not in essex


def test_template_error_in_all_writes_nothing(cli, loaded, tmp_path):
    t = tmp_path / "t.md.j2"
    # Only Transport for London has no group: its letter fails, after others rendered fine.
    t.write_text(
        "{{ council.name }}\n{% if not council.in_group %}{{ nope }}{% endif %}\n", encoding="utf-8"
    )
    out = tmp_path / "letters"
    r = cli("letter", *SIGN, "--all", "--year", "2019-20", "--template", t, "--output", out)
    assert r.exit_code == 1
    assert "t.md.j2, line 2: unknown field 'nope'" in r.stderr
    assert not out.exists()
