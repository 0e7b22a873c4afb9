"""Reading spreadsheets: shapes, header forms, dates, encodings and the errors users meet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lgsco_stats.errors import DataError, UsageError
from lgsco_stats.read.dates import parse_date
from lgsco_stats.read.files import read_file, read_files
from tests.conftest import decisions_rows, write_xlsx


def test_title_rows_and_aliases(make_xlsx) -> None:
    rows = [
        ("Decisions made 2019-20",),
        (),
        ("Source: case system",),
        (
            "Case Ref.",
            "Council",
            "Date decided",
            "Decision",
            "Remedied by authority",
            "Service area",
            "Date received",
        ),
        (
            "19 000 001",
            "Kent",
            dt.datetime(2019, 5, 1),
            "Upheld",
            "yes",
            "Housing",
            dt.datetime(2019, 1, 2),
        ),
        ("19 000 002", "Kent", dt.datetime(2019, 6, 1), "Not upheld", None, None, None),
    ]
    ds = read_file(make_xlsx({"Sheet1": rows}))
    d = ds.decisions
    assert d["reference"].tolist() == ["19 000 001", "19 000 002"]
    assert d["row"].tolist() == [5, 6]  # sheet rows, counting the title rows
    assert d["remedy_by_authority"].tolist() == [True, False]
    assert d["received_date"].iloc[0] == dt.datetime(2019, 1, 2)
    assert d["year"].tolist() == ["2019-20", "2019-20"]


def test_blank_rows_between_decisions_keep_each_row_its_own_values(make_xlsx) -> None:
    # Blank rows are dropped; every value computed per distinct value (year, outcome) must
    # land on its own row, not be lined up by position across the gap.
    header = ("Reference", "Authority", "Decision date", "Outcome")
    rows = [
        header,
        ("A1", "Kent", dt.datetime(2019, 5, 1), "Upheld"),
        (),
        (),
        ("A2", "Leeds", dt.datetime(2021, 3, 1), "Not upheld"),
        (),
        ("A3", "Kent", dt.datetime(2022, 4, 1), "Upheld"),
    ]
    d = read_file(make_xlsx({"D": rows})).decisions
    assert d["row"].tolist() == [2, 5, 7]
    assert d["year"].tolist() == ["2019-20", "2020-21", "2022-23"]
    assert d["outcome"].tolist() == ["upheld", "not_upheld", "upheld"]


def test_rows_numbered_from_the_sheet_when_first_rows_are_empty(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "Reference", "Authority", "Decision date", "Outcome"
    ws["B4"], ws["C4"], ws["D4"], ws["E4"] = "1", "Kent", "2019-05-01", "Upheld"
    ws["B5"], ws["C5"], ws["D5"], ws["E5"] = "2", "Kent", "2019-05-01", "Nonsense"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(DataError, match=r"row 5, .*'Nonsense'|'Nonsense' \(row 5\)"):
        read_file(tmp_path / "x.xlsx")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2019-04-01 00:00:00", dt.date(2019, 4, 1)),  # a real Excel date, as read
        ("2019-04-01", dt.date(2019, 4, 1)),
        ("2019-04-01T13:45:00", dt.date(2019, 4, 1)),
        ("01/04/2023", dt.date(2023, 4, 1)),  # UK: day first
        ("1/4/2023", dt.date(2023, 4, 1)),
        ("01.04.2023", dt.date(2023, 4, 1)),
        ("43556", dt.date(2019, 4, 1)),  # Excel serial number
        ("43556.5", dt.date(2019, 4, 1)),
        ("1 April 2023", dt.date(2023, 4, 1)),
        ("1 Apr 2023", dt.date(2023, 4, 1)),
    ],
)
def test_date_forms(text: str, date: dt.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["31/02/2023", "2023-13-01", "soon", "13/13/2013"])
def test_bad_dates(text: str) -> None:
    assert parse_date(text) is None


def test_unparseable_date_names_file_sheet_row_column(make_xlsx) -> None:
    rows = decisions_rows([("Kent", "Upheld", 3, None)])
    rows[2] = (*rows[2][:2], "next Tuesday", *rows[2][3:])
    path = make_xlsx({"Decisions": rows})
    with pytest.raises(DataError) as e:
        read_file(path)
    msg = str(e.value)
    assert "data.xlsx" in msg and "sheet 'Decisions'" in msg and "column 'Decision date'" in msg
    assert "'next Tuesday' (row 3)" in msg


def test_unknown_outcomes_listed_with_rows(make_xlsx) -> None:
    rows = decisions_rows(
        [
            ("Kent", "Upheld", 2, None),
            ("Kent", "Withdrawn", 2, None),
            ("Kent", "Fault found", 1, None),
        ]
    )
    with pytest.raises(DataError) as e:
        read_file(make_xlsx({"Decisions": rows}))
    msg = str(e.value)
    assert "unknown outcome" in msg
    assert "'Withdrawn' (rows 4, 5)" in msg and "'Fault found' (row 6)" in msg


def test_values_that_differ_only_in_spaces_are_one_value(make_xlsx) -> None:
    # Each distinct cell is stripped once: "Kent", " Kent" and "Kent  " are one authority, a
    # cell of spaces is blank, and an unknown outcome written three ways is listed once with
    # all its rows.
    rows = decisions_rows([("Kent", "Upheld", 3, None)])
    rows[2] = (rows[2][0], " Kent", rows[2][2], "  Upheld")
    rows[3] = (rows[3][0], "Kent  ", rows[3][2], "Upheld ")
    ds = read_file(make_xlsx({"D": rows}))
    assert ds.decisions["authority"].tolist() == ["Kent"] * 3
    assert ds.decisions["outcome"].tolist() == ["upheld"] * 3
    rows[1] = (rows[1][0], rows[1][1], rows[1][2], "Maybe")
    rows[2] = (rows[2][0], rows[2][1], rows[2][2], " Maybe ")
    rows[3] = (rows[3][0], "   ", rows[3][2], rows[3][3])
    with pytest.raises(DataError, match=r"row 4, column 'Authority': blank authority"):
        read_file(make_xlsx({"D": rows}, name="spaces.xlsx"))
    rows[3] = (rows[3][0], "Kent", rows[3][2], "Maybe  ")
    with pytest.raises(DataError) as e:
        read_file(make_xlsx({"D": rows}, name="maybe.xlsx"))
    assert "unknown outcome 'Maybe' (rows 2, 3, 4)" in str(e.value)


def test_future_and_ancient_dates(make_xlsx) -> None:
    rows = decisions_rows([("Kent", "Upheld", 1, None)], start=dt.date(2031, 1, 1))
    with pytest.raises(DataError, match="in the future"):
        read_file(make_xlsx({"D": rows}), today=dt.date(2026, 1, 1))
    rows = decisions_rows([("Kent", "Upheld", 1, None)], start=dt.date(1999, 1, 1))
    with pytest.raises(DataError, match="before 2000"):
        read_file(make_xlsx({"D": rows}, name="old.xlsx"))


def test_missing_required_column(make_xlsx) -> None:
    rows = [("Reference", "Authority", "Outcome"), ("1", "Kent", "Upheld")]
    with pytest.raises(DataError, match="no column for decision_date"):
        read_file(make_xlsx({"D": rows}))


def test_blank_required_cell(make_xlsx) -> None:
    rows = decisions_rows([("Kent", "Upheld", 3, None)])
    rows[3] = (rows[3][0], None, *rows[3][2:])
    with pytest.raises(DataError, match=r"row 4, column 'Authority': blank authority"):
        read_file(make_xlsx({"D": rows}))


def test_same_reference_twice(make_xlsx) -> None:
    rows = decisions_rows([("Kent", "Upheld", 2, None)])
    rows.append(rows[1])  # an exact repeat is harmless
    ds = read_file(make_xlsx({"D": rows}))
    assert len(ds.decisions) == 2
    rows.append((rows[1][0], "Kent", rows[1][2], "Not upheld", None, None))
    with pytest.raises(
        DataError,
        match=r"'19 001 001' appears twice with different contents.*"
        r"row 2 and .*row 5",
    ):
        read_file(make_xlsx({"D": rows}, name="dup.xlsx"))


def test_same_reference_in_two_years(make_xlsx) -> None:
    # The store refuses a reference twice within a year; across years, reading refuses it.
    rows = decisions_rows([("Kent", "Upheld", 1, None)])
    rows.append((rows[1][0], "Kent", dt.datetime(2021, 6, 1), "Upheld", None, "Housing"))
    with pytest.raises(DataError, match=r"'19 001 001' appears twice.*row 2 and .*row 3"):
        read_file(make_xlsx({"D": rows}))


def test_same_reference_in_two_files(make_xlsx) -> None:
    a = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 1, None)])}, name="a.xlsx")
    b = make_xlsx({"D": decisions_rows([("Kent", "Not upheld", 1, None)])}, name="b.xlsx")
    with pytest.raises(DataError, match=r"a\.xlsx.*b\.xlsx"):
        read_files([a, b])


def test_remedy_flag_on_a_not_upheld_decision(make_xlsx) -> None:
    rows = decisions_rows([("Kent", "Not upheld", 1, "Yes")])
    with pytest.raises(DataError, match="not upheld"):
        read_file(make_xlsx({"D": rows}))


def test_bad_remedy_flag(make_xlsx) -> None:
    rows = decisions_rows([("Kent", "Upheld", 1, "Perhaps")])
    with pytest.raises(DataError, match="unknown yes/no value 'Perhaps'"):
        read_file(make_xlsx({"D": rows}))


def test_mapping_for_unknown_headers(make_xlsx) -> None:
    rows = [("File", "Who", "When", "Verdict"), ("1", "Kent", "2019-05-01", "Upheld")]
    path = make_xlsx({"D": rows})
    with pytest.raises(DataError, match="no header row found"):
        read_file(path)
    ds = read_file(
        path,
        mapping={
            "reference": "File",
            "authority": "Who",
            "decision_date": "When",
            "outcome": "Verdict",
        },
    )
    assert ds.decisions["outcome"].tolist() == ["upheld"]


def test_compliance_columns_on_the_decision_rows(make_xlsx) -> None:
    rows = [
        (
            "Reference",
            "Authority",
            "Decision date",
            "Outcome",
            "Compliance outcome",
            "Date recorded",
        ),
        ("1", "Kent", "2019-05-01", "Upheld", "Complied late", "2020-04-02"),
        ("2", "Kent", "2019-05-01", "Not upheld", None, None),
    ]
    ds = read_file(make_xlsx({"D": rows}))
    assert len(ds.decisions) == 2
    # counted in the year it was recorded, not the year of the decision
    assert ds.compliance[["outcome", "year"]].values.tolist() == [["complied_late", "2020-21"]]


def test_sheet_option(make_xlsx) -> None:
    path = make_xlsx(
        {"A": decisions_rows([("Kent", "Upheld", 1, None)]), "B": [("Notes",), ("nothing here",)]}
    )
    assert len(read_file(path, sheet="A").decisions) == 1
    with pytest.raises(UsageError, match="no sheet named 'C'; sheets: A, B"):
        read_file(path, sheet="C")


CSV_HEADER = "Reference,Authority,Decision date,Outcome\n"


def test_csv_utf8_bom_and_cp1252(tmp_path: Path) -> None:
    body = "1,King’s Lynn and West Norfolk,01/05/2019,Upheld\n"
    (tmp_path / "bom.csv").write_bytes(("\ufeff" + CSV_HEADER + body).encode("utf-8"))
    (tmp_path / "win.csv").write_bytes((CSV_HEADER + body).encode("cp1252"))
    for name in ("bom.csv", "win.csv"):
        d = read_file(tmp_path / name).decisions
        assert d["authority"].tolist() == ["King’s Lynn and West Norfolk"]
        assert d["decision_date"].iloc[0] == dt.datetime(2019, 5, 1)


def test_csv_semicolons_and_title_line(tmp_path: Path) -> None:
    text = (
        "Decisions export;;;\nReference;Authority;Decision date;Outcome\n1;Kent;2019-05-01;Upheld\n"
    )
    (tmp_path / "semi.csv").write_text(text, encoding="utf-8")
    d = read_file(tmp_path / "semi.csv").decisions
    assert d["authority"].tolist() == ["Kent"] and d["row"].tolist() == [3]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.xlsx", b"", "the file is empty"),
        ("bad.xlsx", b"PK\x03\x04garbage", "damaged or truncated"),
        ("bad.xlsx", b"%PDF-1.4 text", "not an Excel or OpenDocument workbook"),
        ("bad.csv", b"\x00\x01\x02binary\xff" * 50, "binary data"),
        ("bad.csv", b"just,some\nwords,here\n", "no header row found"),
    ],
)
def test_not_a_spreadsheet(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_file(path)


def test_truncated_workbook(make_xlsx) -> None:
    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 50, None)])})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="bad|damaged|truncated|not a readable"):
        read_file(path)


def test_published_counts_validation(make_xlsx) -> None:
    header = ("Authority", "Year", "Upheld", "Not upheld")
    for bad, msg in [("lots", "not a number"), (-3, "negative"), (2.5, "not a whole number")]:
        path = make_xlsx({"T": [header, ("Kent", "2022-23", bad, 4)]}, name=f"{msg[:3]}.xlsx")
        with pytest.raises(DataError, match=rf"row 2, column 'Upheld'.*{msg}"):
            read_file(path)


def test_published_authority_year_twice(make_xlsx) -> None:
    header = ("Authority", "Year", "Upheld", "Not upheld")
    path = make_xlsx({"T": [header, ("Kent", "2022-23", 1, 4), ("KENT", "2022-23", 2, 4)]})
    with pytest.raises(DataError, match="appears twice in the published table.*row 2 and .*row 3"):
        read_file(path)


def write_ods(path: Path, rows: list[tuple[object, ...]]) -> Path:
    """A minimal OpenDocument spreadsheet written by hand (text, number and date cells)."""
    import zipfile
    from xml.sax.saxutils import escape

    def cell(v: object) -> str:
        if isinstance(v, dt.date):
            return (
                f'<table:table-cell office:value-type="date" '
                f'office:date-value="{v.isoformat()}"><text:p>{v.isoformat()}</text:p>'
                "</table:table-cell>"
            )
        if isinstance(v, int):
            return (
                f'<table:table-cell office:value-type="float" office:value="{v}">'
                f"<text:p>{v}</text:p></table:table-cell>"
            )
        return (
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}'
            "</text:p></table:table-cell>"
        )

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Decisions">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_opendocument_spreadsheet(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "decisions.ods",
        [
            ("Reference", "Authority", "Decision date", "Outcome"),
            ("19 000 001", "Kent County Council", dt.date(2019, 5, 1), "Upheld"),
            ("19 000 002", "Leeds", dt.date(2020, 4, 1), "Not upheld"),
        ],
    )
    d = read_file(path).decisions
    assert d["authority"].tolist() == ["Kent County Council", "Leeds"]
    assert d["year"].tolist() == ["2019-20", "2020-21"]
    assert d["outcome"].tolist() == ["upheld", "not_upheld"]


def test_a_parse_started_early_gives_the_same_result_and_errors(make_xlsx, tmp_path: Path) -> None:
    import pandas as pd

    from lgsco_stats.read import workbook

    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 3, None)])})
    plain = read_file(path)
    with workbook.parsing([path]):
        early = read_file(path)
        assert not workbook._jobs  # handed over, not kept
    pd.testing.assert_frame_equal(early.decisions, plain.decisions)
    with workbook.parsing([path], sheet="Nope"):  # the worker's error is raised by the reader
        with pytest.raises(UsageError, match="no sheet named 'Nope'"):
            read_file(path, sheet="Nope")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(path.read_bytes()[:300])
    with workbook.parsing([bad]), pytest.raises(DataError, match="bad.xlsx"):
        read_file(bad)
    # a parse nobody took is dropped: the file read later is read as it is then
    with workbook.parsing([path]):
        pass
    assert not workbook._jobs
    write_xlsx(path, {"D": decisions_rows([("Leeds", "Upheld", 1, None)])})
    assert list(read_file(path).decisions["authority"]) == ["Leeds"]
