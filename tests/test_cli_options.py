"""Options as a user of sqlite-utils or csvkit expects them: --version, --debug anywhere, the
output's suffix choosing its format, md for markdown, xlsx everywhere, year and option words,
and the messages a new user met (issue 17)."""

from __future__ import annotations

import pytest

from lgsco_stats.errors import DataError
from tests.conftest import decisions_rows

SPEC = [
    ("Southampton City Council", "Upheld", 3, None),
    ("Southampton", "Not upheld", 1, None),
    ("Portsmouth", "Upheld", 1, None),
    ("Portsmouth", "Not upheld", 1, None),
    ("Kent County Council", "Upheld", 53, None),
    ("Kent County Council", "Not upheld", 8, None),
    ("London Borough of Camden", "Upheld", 2, None),
    ("Camden", "Not upheld", 2, None),
    ("Transport for London", "Upheld", 1, None),
]


@pytest.fixture
def loaded(store_spec):
    return store_spec(SPEC)


def test_version_prints_and_exits_0(cli) -> None:
    from importlib.metadata import version

    r = cli("--version")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"lgsco-stats {version('lgsco-stats')}"
    assert "Missing command" not in r.output


def test_debug_after_the_command_name_shows_the_traceback(cli, make_xlsx) -> None:
    path = make_xlsx({"D": decisions_rows([("Kent", "Maybe", 1, None)])})
    r = cli("compute", path)
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    with pytest.raises(DataError):
        cli("compute", path, "--debug")
    with pytest.raises(DataError):
        cli("--debug", "compute", path)
    # and the next command without it is back to one line
    assert cli("compute", path).exit_code == 1


# --------------------------------------------------------------------------- formats

DATA_COMMANDS = [
    ("compute", "{path}"),
    ("compare", "--type", "unitary"),
    ("councils", "kent"),
    ("trend", "--council", "kent"),
    ("summary",),
]


def _run(cli, loaded, args, *more):
    args = [a.format(path=loaded) for a in args]
    return cli(*args, *more)


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=lambda a: a[0])
def test_the_output_suffix_chooses_the_format(cli, loaded, tmp_path, args) -> None:
    import json

    import openpyxl

    for suffix in (".csv", ".json", ".md", ".xlsx", ".txt"):
        out = tmp_path / f"out{suffix}"
        r = _run(cli, loaded, args, "--output", out)
        assert r.exit_code == 0, (suffix, r.stderr)
        assert r.stdout == ""
        assert f"Wrote {out}" in r.stderr  # a file written is said, as chart and letter say it
        if suffix == ".xlsx":
            wb = openpyxl.load_workbook(out)  # a real workbook, not text under that name
            rows = list(wb.worksheets[0].iter_rows(values_only=True))
            assert len(rows) >= 2 and all(isinstance(h, str) for h in rows[0])
            continue
        text = out.read_text(encoding="utf-8")
        if suffix == ".json":
            assert isinstance(json.loads(text), list | dict)
        elif suffix == ".csv":
            assert "," in text.splitlines()[0] and "|" not in text.splitlines()[0]
        elif suffix == ".md":
            assert text.startswith("## ") and "|---" in text
        else:
            assert not text.startswith(("[", "## ")) and "|---" not in text


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=lambda a: a[0])
def test_a_suffix_that_contradicts_format_is_a_usage_error(cli, loaded, tmp_path, args) -> None:
    out = tmp_path / "out.xlsx"
    r = _run(cli, loaded, args, "--format", "csv", "--output", out)
    assert r.exit_code == 2 and "disagree" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    # a suffix that names no format, with no --format, is refused rather than guessed
    r = _run(cli, loaded, args, "--output", tmp_path / "out.xls")
    assert r.exit_code == 2 and ".xlsx" in r.stderr
    # but --format says what to write whatever the name
    r = _run(cli, loaded, args, "--format", "csv", "--output", tmp_path / "figures.dat")
    assert r.exit_code == 0 and (tmp_path / "figures.dat").read_text().count(",") > 3
    # a workbook is a file
    r = _run(cli, loaded, args, "--format", "xlsx")
    assert r.exit_code == 2 and "--output" in r.stderr and r.stdout == ""


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=lambda a: a[0])
def test_md_is_markdown_everywhere(cli, loaded, args) -> None:
    r = _run(cli, loaded, args, "--format", "md")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("## ") and "|---" in r.stdout
    assert _run(cli, loaded, args, "--format", "MarkDown").stdout == r.stdout


def test_xlsx_keeps_text_as_text(cli, tmp_path) -> None:
    import openpyxl

    # a body whose name a spreadsheet would run as a formula
    path = tmp_path / "decisions.csv"
    path.write_text(
        "Reference,Authority,Decision date,Outcome\n19 001 001,=HYPERLINK(1),2019-06-01,Upheld\n"
    )
    out = tmp_path / "figures.xlsx"
    r = cli("compute", path, "--output", out)
    assert r.exit_code == 0, r.stderr
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("council") + 1)
    assert cell.data_type == "s" and not str(cell.value).startswith("=")
    rate = ws.cell(row=2, column=header.index("uphold_rate") + 1)
    assert rate.value == 100.0  # raw numbers, as in CSV


def test_compare_xlsx_has_the_figures_and_what_they_mean(cli, loaded, tmp_path) -> None:
    import openpyxl

    out = tmp_path / "unitary.xlsx"
    assert cli("compare", "--type", "unitary", "-o", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    head = rows[0]
    row = next(r for r in rows if r[0] == "Southampton City Council")
    soton = dict(zip(head, row, strict=True))
    assert soton["upheld"] == 3 and soton["investigations"] == 4 and soton["uphold_rate"] == 75.0
    about = [r[0] for r in wb["about"].iter_rows(values_only=True)]
    assert "Unitary councils 2019-20" in about and any("mean" in str(a) for a in about)


def test_letter_suffixes(cli, loaded, tmp_path) -> None:
    r = cli("letter", "--council", "southampton", "--output", tmp_path / "out.doc")
    assert r.exit_code == 2 and ".docx" in r.stderr and not (tmp_path / "out.doc").exists()
    r = cli("letter", "--council", "kent", "-f", "pdf", "-o", tmp_path / "kent.md")
    assert r.exit_code == 2 and "disagree" in r.stderr
    r = cli("letter", "--council", "kent", "-f", "md")
    assert r.exit_code == 0 and r.stdout.startswith("**Local Government")
    r = cli("letter", "--council", "kent", "-o", tmp_path / "kent.docx")
    assert r.exit_code == 0 and (tmp_path / "kent.docx").read_bytes()[:2] == b"PK"


# --------------------------------------------------------------------------- years

YEAR_COMMANDS = [
    ("compare", "--type", "unitary"),
    ("summary",),
    ("letter", "--council", "kent"),
    ("letter", "--fields"),
    ("chart", "--type", "county", "--output", "{tmp}/c.png"),
    ("chart", "--council", "kent", "--output", "{tmp}/c.png"),
    ("report", "--output", "{tmp}/site"),
    ("councils", "kent"),
]


@pytest.mark.parametrize("args", YEAR_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_bare_year_is_refused_with_both_readings(cli, loaded, tmp_path, args) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    r = cli(*args, "--year", "2019")
    assert r.exit_code == 2
    assert "'2019' could be 2019-20 or 2018-19" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args", YEAR_COMMANDS[:-1], ids=lambda a: " ".join(a[:2]))
def test_a_year_without_data_lists_the_years_there_are(cli, loaded, tmp_path, args) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    r = cli(*args, "--year", "2015-16")
    assert r.exit_code == 1, r.stderr
    assert "no data for 2015-16; years in the store: 2019-20" in r.stderr
    # the ways people write a financial year still work
    for written in ("2019/20", "2019-2020", "FY2019-20", "year ending 2020"):
        assert cli(*args, "--year", written).exit_code == 0, written


def test_compute_year_of_a_published_table_refuses_a_bare_year(cli, make_xlsx) -> None:
    path = make_xlsx({"T": [("Authority", "Upheld", "Not upheld"), ("Kent", 5, 5)]})
    r = cli("compute", path, "--year", "2023")
    assert r.exit_code == 2 and "2023-24 or 2022-23" in r.stderr
    r = cli("compute", path, "--year", "2023-24", "-f", "json")
    assert r.exit_code == 0 and '"2023-24"' in r.stdout


# --------------------------------------------------------------------------- option words


def test_a_table_written_to_a_file_says_how_many_rows(cli, loaded, tmp_path) -> None:
    out = tmp_path / "kent.csv"
    r = cli("councils", "kent", "-o", out)
    assert r.stderr.strip() == f"Wrote {out}: 1 row."
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2  # header and Kent
    r = cli("councils", "kent", "-o", "-")  # stdout: data only, nothing said
    assert r.stderr == "" and "Kent County Council" in r.stdout


@pytest.mark.parametrize(
    "written", ["london_borough", "london borough", "London Boroughs", "LONDON", "london-borough"]
)
def test_type_takes_the_words_the_output_shows(cli, loaded, written) -> None:
    r = cli("compare", "--type", written, "--format", "csv")
    assert r.exit_code == 0, r.stderr
    assert "London Borough of Camden" in r.stdout and "Kent" not in r.stdout


def test_type_words_of_every_group(cli) -> None:
    from lgsco_stats.councils import GROUP_LABELS, GROUP_SINGULAR

    for code in GROUP_LABELS:
        for written in (code, GROUP_LABELS[code], GROUP_SINGULAR[code], GROUP_LABELS[code].upper()):
            r = cli("councils", "--type", written, "--format", "json")
            assert r.exit_code == 0, (written, r.stderr)
    r = cli("councils", "--type", "parish")
    assert r.exit_code == 2 and "choose one of: county, district" in r.stderr
    assert (
        "[county|district|metropolitan|unitary|london_borough]" in cli("compare", "--help").stdout
    )


def test_sort_takes_the_column_headings(cli, loaded) -> None:
    import json

    def order(*sort: str) -> list[str]:
        r = cli("compare", "--type", "unitary", "--sort", *sort, "-f", "json")
        assert r.exit_code == 0, r.stderr
        return [x["council"] for x in json.loads(r.stdout)]

    # Southampton 3/4 = 75% upheld, Portsmouth 1/2 = 50%: highest first
    assert order("upheld") == order("uphold") == order("Uphold rate")
    assert order("upheld")[:2] == ["Southampton City Council", "Portsmouth City Council"]
    assert (
        order("council") == order("name") == ["Portsmouth City Council", "Southampton City Council"]
    )
    assert order("complied") == order("compliance")
    assert order("Remedied by council") == order("remedy")
    assert order("decisions")[0] == "Southampton City Council"  # 4 decisions against 2
    r = cli("compare", "--type", "unitary", "--sort", "colour")
    assert r.exit_code == 2 and "choose uphold" in r.stderr


def test_chart_rate_takes_the_words_too(cli, loaded, tmp_path) -> None:
    out = tmp_path / "k.svg"
    r = cli("chart", "--type", "county", "--rate", "upheld", "--output", out)
    assert r.exit_code == 0, r.stderr
    assert out.read_text().startswith("<?xml")


# --------------------------------------------------------------------------- messages


def test_council_and_all_exclude_each_other(cli, loaded, tmp_path) -> None:
    r = cli("letter", "--council", "kent", "--all", "--output", tmp_path / "l")
    assert r.exit_code == 2
    assert "--council and --all exclude each other" in r.stderr
    r = cli("letter")
    assert r.exit_code == 2 and "say which letters" in r.stderr


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2020-07-22", "22 July 2020"),
        ("22/07/2020", "22 July 2020"),
        ("1 March 2021", "1 March 2021"),
    ],
)
def test_letter_date_as_input_files_write_dates(cli, loaded, written, shown) -> None:
    r = cli("letter", "--council", "kent", "--date", written)
    assert r.exit_code == 0, r.stderr
    assert f"\n{shown}\n" in r.stdout


@pytest.mark.parametrize("written", ["2020-02-30", "31/04/2020", "tomorrow", "43000", ""])
def test_letter_date_that_is_not_a_date(cli, loaded, written) -> None:
    r = cli("letter", "--council", "kent", "--date", written)
    assert r.exit_code == 2
    assert f"--date {written!r} is not a date" in r.stderr and "Traceback" not in r.stderr


def test_a_file_that_is_not_a_spreadsheet(cli, tmp_path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# lgsco-stats\n\nComplaint statistics, in prose.\n")
    r = cli("compute", readme)
    assert r.exit_code == 1
    assert "README.md: not a spreadsheet" in r.stderr and "header row" not in r.stderr
    # a CSV without the columns is still told what columns were looked for
    table = tmp_path / "other.csv"
    table.write_text("colour,size\nred,1\n")
    r = cli("compute", table)
    assert r.exit_code == 1 and "no header row found" in r.stderr


def test_a_text_file_with_a_table_in_it_is_not_a_spreadsheet_either(cli, tmp_path) -> None:
    # examples/README.md has a Markdown table whose pipes look like a header row to the CSV
    # sniffer; its later lines do not split into as many values, and pandas said "Error
    # tokenizing data. C error: Expected 2 fields in line 4, saw 3"
    notes = tmp_path / "notes.md"
    notes.write_text(
        "| Reference | Authority | Decision date | Outcome |\n|---|---|---|---|\n"
        "| 1 | Kent | 2020-01-01 | Upheld |\nA line | with | more | pipes | than | above |\n"
    )
    r = cli("compute", notes)
    assert r.exit_code == 1, r.stderr
    assert "notes.md: not a spreadsheet" in r.stderr and "tokenizing" not in r.stderr


def test_a_csv_row_wider_than_the_rows_above_names_its_line(cli, tmp_path) -> None:
    # line 5 has a comma inside an unquoted authority: five values under four headings
    table = tmp_path / "decisions.csv"
    table.write_text(
        "Decisions 2019-20\n\nReference,Authority,Decision date,Outcome\n"
        "19 001 001,Kent,2019-06-01,Upheld\n19 001 002,Kingston upon Hull, City of,2019-06-02,"
        "Upheld\n"
    )
    r = cli("compute", table, "--no-store")
    assert r.exit_code == 1
    assert "decisions.csv, line 5: 5 values where the rows above have 4" in r.stderr
    assert "double quotes" in r.stderr and "tokenizing" not in r.stderr


def test_loading_a_file_again_says_nothing_was_new(cli, make_xlsx, db_path) -> None:
    path = make_xlsx({"D": decisions_rows(SPEC)})
    first = cli("compute", path, "-f", "json")
    assert "saved in" in first.stderr and "nothing new" not in first.stderr
    again = cli("compute", path, "-f", "json")
    assert again.exit_code == 0
    assert "nothing new: the store" in again.stderr and "saved in" not in again.stderr
    assert again.stdout == first.stdout
    # a file that changes one decision is new again
    changed = decisions_rows(SPEC)
    changed[1] = (*changed[1][:3], "Not upheld", *changed[1][4:])
    r = cli("compute", make_xlsx({"D": changed}, name="changed.xlsx"), "-f", "json")
    assert "saved in" in r.stderr


def test_published_rows_loaded_again_are_nothing_new(cli, make_xlsx) -> None:
    rows = [
        ("Authority", "Year", "Upheld", "Not upheld", "Housing"),
        ("Kent", "2022-23", 53, 8, 40),
    ]
    path = make_xlsx({"T": rows})
    r = cli("compute", path, "-f", "json")
    assert "Read 1 published row for 2022-23; saved in" in r.stderr
    r = cli("compute", path, "-f", "json")
    assert "Read 1 published row for 2022-23; nothing new" in r.stderr
    rows[1] = ("Kent", "2022-23", 53, 9, 40)
    r = cli("compute", make_xlsx({"T": rows}, name="v2.xlsx"), "-f", "json")
    assert "saved in" in r.stderr


def test_counts_of_one_are_singular(cli, make_xlsx, tmp_path) -> None:
    spec = [("Kent", "Upheld", 1, None), ("Transport for London", "Upheld", 1, None)]
    r = cli("compute", make_xlsx({"D": decisions_rows(spec)}), "-f", "json")
    assert "1 body outside the register" in r.stderr and "1 bodies" not in r.stderr
    r = cli("chart", "--council", "kent", "--output", tmp_path / "k.png")
    assert r.exit_code == 0, r.stderr
    assert "1 year (2019-20)" in r.stderr and "years" not in r.stderr
    r = cli("councils", "E10000016")
    assert r.stdout.startswith("1 council\n")
    r = cli("db", "check")
    assert "(2 decisions, 0 compliance outcomes, 0 published rows;" in r.stderr
