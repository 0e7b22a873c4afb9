"""What a new user met trying the tool from the README and hand-made spreadsheets (the QA
round after issues 14, 15 and 17): each test failed before its fix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from tests.conftest import decisions_rows

COMPLIANCE_HEADER = ("Reference", "Authority", "Date recorded", "Compliance outcome")


def _somerset_after_the_change(make_xlsx) -> Path:
    """Somerset Council (unitary from April 2023) with decisions in 2023-24, beside two
    compliance outcomes recorded in May 2023 for the abolished Somerset County Council, and
    Kent and Dorset so that both groups have members."""
    decisions = decisions_rows(
        [
            ("Somerset Council", "Upheld", 3, None),
            ("Somerset Council", "Not upheld", 1, None),
            ("Dorset Council", "Upheld", 1, None),
            ("Kent County Council", "Upheld", 2, None),
        ],
        start=dt.date(2023, 6, 1),
    )
    compliance = [
        COMPLIANCE_HEADER,
        ("C1", "Somerset County Council", dt.datetime(2023, 5, 1), "Complied"),
        ("C2", "Somerset County Council", dt.datetime(2023, 5, 2), "Complied"),
    ]
    return make_xlsx({"Decisions": decisions, "Compliance": compliance})


def test_compute_table_puts_an_abolished_council_in_no_group(cli, make_xlsx) -> None:
    # Somerset County Council was abolished on 31 March 2023: its 2023-24 row (two compliance
    # outcomes) is in no comparison group, as trend and the JSON's group_note say; the table's
    # Group column said "County councils".
    r = cli("compute", _somerset_after_the_change(make_xlsx))
    assert r.exit_code == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if "Somerset County Council" in line)
    assert "County councils" not in row
    assert row.split()[3] == "none"  # Somerset County Council  none  2023-24 …
    kent = next(line for line in r.stdout.splitlines() if "Kent County Council" in line)
    assert "County councils" in kent


def _one_county_and_unitaries(make_xlsx) -> Path:
    """Kent alone among county councils (a group of one), and two unitary councils with
    decisions but no compliance outcomes."""
    return make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    ("Kent County Council", "Upheld", 5, None),
                    ("Kent County Council", "Not upheld", 2, None),
                    ("Dorset Council", "Upheld", 2, None),
                    ("Portsmouth", "Upheld", 1, None),
                ]
            )
        }
    )


def test_funnel_of_one_council_says_council_not_councils(cli, make_xlsx, tmp_path: Path) -> None:
    path = _one_county_and_unitaries(make_xlsx)
    assert cli("compute", path).exit_code == 0
    out = tmp_path / "f.svg"
    r = cli("chart", "--funnel", "--type", "county", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "funnel plot of 1 county council," in r.stderr
    assert "1 county councils" not in r.stderr
    svg = out.read_text(encoding="utf-8")
    assert "1 county councils" not in svg and "1 county council)" in svg


def test_funnel_with_no_council_to_draw_is_nothing_found(cli, make_xlsx, tmp_path: Path) -> None:
    # neither unitary council has a compliance outcome in 2019-20: a funnel plot of no points
    # was written ("funnel plot of 0 unitary councils") and the command exited 0
    path = _one_county_and_unitaries(make_xlsx)
    assert cli("compute", path).exit_code == 0
    out = tmp_path / "f.png"
    r = cli("chart", "--funnel", "--type", "unitary", "--rate", "compliance", "-o", out)
    assert r.exit_code == 1
    assert r.stderr.count("\n") == 1 and "no unitary council has compliance outcomes" in r.stderr
    assert not out.exists()


def test_a_letter_that_fails_says_the_error_alone(cli, make_xlsx) -> None:
    # `letter --council kingston` (two councils) or a council with no data: the warning that
    # the letter would be signed with the title alone came first, for a letter never written
    assert cli("compute", _one_county_and_unitaries(make_xlsx)).exit_code == 0
    r = cli("letter", "--council", "kingston")
    assert r.exit_code == 2 and "could mean" in r.stderr
    assert "No --signatory" not in r.stderr
    r = cli("letter", "--council", "adur")
    assert r.exit_code == 1 and "No --signatory" not in r.stderr
    # a letter that is written still says it
    r = cli("letter", "--council", "kent")
    assert r.exit_code == 0 and "No --signatory" in r.stderr


def test_help_names_no_function(cli) -> None:
    # `--year <parse_year_option>` in every command's --help: Typer names an option's value after
    # its parser unless it has a metavar
    for command in ("compute", "compare", "councils", "letter", "summary", "chart", "report"):
        r = cli(command, "--help")
        assert r.exit_code == 0
        assert "parse_" not in r.stdout and "_option>" not in r.stdout, command
        assert "--year YYYY-YY" in r.stdout, command


def test_a_name_that_fits_two_councils_gets_them_as_did_you_mean(cli, make_xlsx, tmp_path) -> None:
    # A journalist's table says "Kingston": Royal Borough of Kingston upon Thames or Hull City
    # Council (Kingston upon Hull). It is kept as a body outside the register, as any name that
    # matches no council, but the warning named no council; --council kingston lists both.
    path = make_xlsx(
        {
            "Decisions": decisions_rows(
                [("Kingston", "Upheld", 2, None), ("Kent County Council", "Upheld", 1, None)]
            )
        }
    )
    r = cli("compute", path)
    assert r.exit_code == 0, r.stderr
    said = next(line for line in r.stderr.splitlines() if "'Kingston'" in line)
    assert "did you mean 'Royal Borough of Kingston upon Thames' or 'Hull City Council'?" in said
    # the contacts file for the letters (a store without that body): the same suggestions
    other = tmp_path / "other.db"
    kent = make_xlsx({"Decisions": decisions_rows([("Kent", "Upheld", 1, None)])}, "kent.xlsx")
    assert cli("compute", kent, "--db", other).exit_code == 0
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("Council,Name\nKingston,Jo Bloggs\n", encoding="utf-8")
    r = cli("letter", "--council", "kent", "--contacts", contacts, "--db", other)
    assert r.exit_code == 1
    assert "contacts.csv, row 2: no council called 'Kingston'; did you mean" in r.stderr
    assert "'Hull City Council'" in r.stderr
    # a misspelling still gets its near names ("Hull" never Solihull)
    path = make_xlsx({"Decisions": decisions_rows([("Southhampton", "Upheld", 1, None)])}, "b.xlsx")
    r = cli("compute", path)
    said = next(line for line in r.stderr.splitlines() if "'Southhampton'" in line)
    assert "did you mean 'Southampton City Council'" in said


def test_letters_name_a_borough_with_its_article(cli, make_xlsx) -> None:
    # "the decisions … made about London Borough of Croydon", "… about Council of the Isles of
    # Scilly", "… about Greater Manchester Combined Authority": a name of the form "X of Y", or
    # an authority's, takes "the" in a sentence; "Kent County Council" and "Transport for
    # London" do not. The letter's table keeps the name as it is.
    path = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    ("Croydon", "Upheld", 2, None),
                    ("Isles of Scilly", "Upheld", 1, None),
                    ("Greater Manchester Combined Authority", "Upheld", 1, None),
                    ("Kent", "Upheld", 1, None),
                    ("Transport for London", "Upheld", 1, None),
                ]
            )
        }
    )
    assert cli("compute", path).exit_code == 0
    said = {
        "croydon": "made about the London Borough of Croydon in the year",
        "scilly": "made about the Council of the Isles of Scilly in the year",
        "greater manchester combined authority": (
            "made about the Greater Manchester Combined Authority in the year"
        ),
        "kent": "made about Kent County Council in the year",
        "transport for london": "made about Transport for London in the year",
    }
    for council, sentence in said.items():
        r = cli("letter", "--council", council, "--signatory", "A N Other")
        assert r.exit_code == 0, r.stderr
        assert sentence in r.stdout, council
    r = cli("letter", "--council", "croydon", "--signatory", "A N Other")
    assert "| | London Borough of Croydon |" in r.stdout


def test_full_compliance_on_one_or_two_cases_reads_as_english() -> None:
    from lgsco_stats.letters.wording import compliance_sentence

    # 1 of 1 complied: "in every one of the one case" was written to every council with one
    # recorded outcome (a third of the districts in the example year)
    one = compliance_sentence(1, 0, 1, 100.0, None)
    assert one.startswith("The council carried out our recommendations in the one case whose ")
    assert "every one of the one" not in one
    two = compliance_sentence(2, 1, 2, 100.0, None)
    assert "in both cases whose outcome we recorded this year (100%, 1 late)" in two
    five = compliance_sentence(5, 0, 5, 100.0, None, noun="authority")
    assert "The authority carried out our recommendations in every one of the five cases" in five


def test_no_remedy_on_one_upheld_complaint_reads_as_english() -> None:
    from lgsco_stats.letters.wording import remedy_sentence

    # 0 of 1: "In none of the complaints we upheld …" spoke of several complaints where there
    # was one (52 letters of the example year); 0 of 3 keeps "none of the complaints"
    one = remedy_sentence(0, 1, 0.0, None)
    assert one.startswith("In the one complaint we upheld, the council had not already offered")
    assert "(0 of 1, 0%)" in one
    three = remedy_sentence(0, 3, 0.0, None, noun="authority")
    assert three.startswith("In none of the complaints we upheld had the authority already")


def test_chart_of_a_successor_counts_years_not_rows(cli, make_xlsx, tmp_path: Path) -> None:
    # 2022-23 Somerset County Council; 2023-24 Somerset Council and, beside it, the abolished
    # county's compliance row: two years (three bars). The message said "3 years".
    decisions = decisions_rows(
        [("Somerset County Council", "Upheld", 2, None)], start=dt.date(2022, 6, 1)
    )
    later = decisions_rows([("Somerset Council", "Upheld", 3, None)], start=dt.date(2023, 6, 1))
    decisions += [("23" + r[0][2:], *r[1:]) for r in later[1:]]  # references of their own
    compliance = [
        COMPLIANCE_HEADER,
        ("C1", "Somerset County Council", dt.datetime(2023, 5, 1), "Complied"),
    ]
    path = make_xlsx({"Decisions": decisions, "Compliance": compliance})
    assert cli("compute", path).exit_code == 0
    r = cli("chart", "--council", "somerset", "-o", tmp_path / "s.png")
    assert r.exit_code == 0, r.stderr
    assert "Somerset Council, 2 years (2022-23 to 2023-24)." in r.stderr


def test_compare_and_chart_refuse_a_council_in_a_year_it_did_not_exist(
    cli, make_xlsx, tmp_path: Path
) -> None:
    # `compare --council "Somerset County Council" --year 2023-24` printed the county councils'
    # table of a year the county was abolished in (and not in it); chart --funnel drew it too
    assert cli("compute", _somerset_after_the_change(make_xlsx)).exit_code == 0
    said = (
        "Somerset County Council was abolished on 31 March 2023 (succeeded by Somerset Council), "
        "so it is in no comparison group in 2023-24"
    )
    r = cli("compare", "--council", "Somerset County Council", "--year", "2023-24")
    assert r.exit_code == 2 and said in r.stderr and not r.stdout
    r = cli("chart", "--funnel", "--council", "Somerset County Council", "-o", tmp_path / "f.png")
    assert r.exit_code == 2 and said in r.stderr
    # "somerset" in 2023-24 is the unitary council, as before
    r = cli("compare", "--council", "somerset", "--year", "2023-24")
    assert r.exit_code == 0 and r.stdout.startswith("Unitary councils 2023-24")


def test_a_workbook_sheet_named_after_a_title_has_single_spaces(cli, tmp_path: Path) -> None:
    from lgsco_stats.cli.render import _sheet_name

    # trend's title "Somerset County Council / Somerset Council: figures by year" named its
    # sheet "Somerset County Council  Somers" (the "/" dropped, two spaces left)
    assert _sheet_name("Somerset County Council / Somerset Council: figures by year") == (
        "Somerset County Council Somerse"
    )
    assert _sheet_name("Unitary councils 2019-20") == "Unitary councils 2019-20"
    assert _sheet_name("[]:*?/") == "data"


def test_one_letter_to_a_folder_named_with_a_slash(cli, make_xlsx, tmp_path: Path) -> None:
    # `letter --council kent -o letters/` wrote a file called "letters" (no suffix: a PDF or
    # Markdown file nothing opens), and a later `--all -o letters/` was refused as "a file"
    assert cli("compute", _one_county_and_unitaries(make_xlsx)).exit_code == 0
    folder = tmp_path / "letters"
    r = cli("letter", "--council", "kent", "--signatory", "X", "-o", f"{folder}/", "-f", "pdf")
    assert r.exit_code == 0, r.stderr
    written = folder / "kent-county-council-2019-20.pdf"
    assert folder.is_dir() and written.read_bytes()[:5] == b"%PDF-"
    r = cli("letter", "--council", "dorset", "--signatory", "X", "-o", f"{folder}/")
    assert r.exit_code == 0, r.stderr
    assert "Dorset Council" in (folder / "dorset-council-2019-20.md").read_text(encoding="utf-8")
    r = cli("letter", "--all", "--signatory", "X", "-o", f"{folder}/")
    assert r.exit_code == 0, r.stderr
    # a name without the slash is still a file, as before
    r = cli("letter", "--council", "kent", "--signatory", "X", "-o", tmp_path / "kent.md")
    assert r.exit_code == 0 and (tmp_path / "kent.md").is_file()


def test_a_year_of_compliance_outcomes_alone_claims_no_decisions(cli, make_xlsx) -> None:
    # 2020-21 holds only compliance outcomes recorded after 2019-20's decisions: its letters
    # said "the two county councils with decisions in 2020-21"; there were none
    decisions = decisions_rows(
        [
            ("Kent", "Upheld", 2, None),
            ("Surrey", "Upheld", 1, None),
            ("Essex", "Upheld", 1, None),
        ]
    )
    compliance = [
        COMPLIANCE_HEADER,
        *((f"C{i}", c, dt.datetime(2020, 5, 1), "Complied") for i, c in enumerate(["Kent"] * 2)),
        ("S1", "Surrey", dt.datetime(2020, 5, 1), "Complied"),
        ("E1", "Essex", dt.datetime(2020, 5, 1), "Complied"),
    ]
    assert cli("compute", make_xlsx({"D": decisions, "C": compliance})).exit_code == 0
    r = cli("letter", "--council", "kent", "--year", "2020-21", "--signatory", "X")
    assert r.exit_code == 0, r.stderr
    assert "the three county councils with figures for 2020-21" in r.stdout
    assert "with decisions in" not in r.stdout


def test_summary_workbook_has_an_about_sheet(cli, make_xlsx, tmp_path: Path) -> None:
    # README: "the workbook has the data sheet and an about sheet with the title and notes";
    # summary's had the data alone (what φ and τ² are, what "dealt with" counts: nowhere)
    import openpyxl

    assert cli("compute", _one_county_and_unitaries(make_xlsx)).exit_code == 0
    out = tmp_path / "s.xlsx"
    r = cli("summary", "-o", out)
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb.sheetnames == ["summary 2019-20", "about"]
    about = [row[0] for row in wb["about"].iter_rows(values_only=True)]
    assert "England and the comparison groups 2019-20 (rates pooled)" in about
    assert any(str(a).startswith("Dealt with = the decisions") for a in about)
    assert any(str(a).startswith("φ:") for a in about)


def test_a_mistyped_type_gets_did_you_mean(cli) -> None:
    # `--type londn` listed the types but, unlike --sort or --council, guessed nothing
    r = cli("councils", "--type", "londn")
    assert r.exit_code == 2 and "did you mean 'london_borough'?" in r.stderr
    r = cli("councils", "--type", "unitry")
    assert r.exit_code == 2 and "did you mean 'unitary'?" in r.stderr
    r = cli("councils", "--type", "shire")
    assert r.exit_code == 2 and "did you mean" not in r.stderr


def test_a_mistyped_config_setting_gets_did_you_mean(cli, tmp_path: Path) -> None:
    config = tmp_path / "letters.toml"
    config.write_text('[letter]\nsignatur = "Amerdeep Somal"\n', encoding="utf-8")
    r = cli("letter", "--all", "--config", config, "-o", tmp_path / "l")
    assert r.exit_code == 2
    assert "unknown setting 'signatur'" in r.stderr and "did you mean 'signatory'?" in r.stderr


def test_a_council_without_a_figure_is_not_shown_one_other_councils_as_the_group(
    cli, make_xlsx
) -> None:
    # London 2022-23: Kingston upheld 1 of 1; Sutton had no investigation (one decision closed
    # after initial enquiries). The group's uphold figure is Kingston's alone (100% over one
    # council): Kingston's row said n/a, but Sutton's showed 100% as "Group upheld" while its
    # note said "only one other London borough in the store: no comparison". A group figure
    # over fewer than two councils besides the council (issue 14) is none, with or without
    # the council's own figure.
    path = make_xlsx(
        {
            "D": decisions_rows(
                [
                    ("Kingston upon Thames", "Upheld", 1, None),
                    ("Sutton", "Closed after initial enquiries", 1, None),
                    # unitary 2019-20: only Portsmouth has compliance outcomes (below)
                    ("Southampton", "Upheld", 2, None),
                    ("Portsmouth", "Upheld", 2, None),
                    ("Hull", "Upheld", 2, None),
                    ("Dorset Council", "Upheld", 2, None),
                ]
            ),
            "C": [
                COMPLIANCE_HEADER,
                ("C1", "Portsmouth", dt.datetime(2019, 9, 1), "Complied"),
                ("C2", "Portsmouth", dt.datetime(2019, 9, 2), "Not complied"),
            ],
        }
    )
    r = cli("compute", path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    rows = {x["council"]: x for x in json.loads(r.stdout)}
    sutton = rows["London Borough of Sutton"]
    assert sutton["group_uphold_rate"] is None and sutton["group_remedy_rate"] is None
    # Southampton, Hull and Dorset have no compliance outcomes: the group's 50% is
    # Portsmouth's alone, no comparison for them either (Portsmouth's own: none other)
    for name in ("Southampton City Council", "Hull City Council", "Dorset Council"):
        assert rows[name]["group_compliance_rate"] is None, name
        assert rows[name]["group_uphold_rate"] == 100.0  # three others: a comparison
    assert rows["Portsmouth City Council"]["group_compliance_rate"] is None
    # the group's own figure is still given
    r = cli("compare", "--format", "json")
    unitary = next(b for b in json.loads(r.stdout) if b["type"] == "unitary")
    assert unitary["compliance_rate"] == 50.0 and unitary["compliance_councils"] == 1
