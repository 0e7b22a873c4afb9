"""Large sheets have their date columns parsed as dates (workbook, xlsx_head): whatever a sheet
holds, reading it that way gives what reading it as text gives, or the same error.

Each workbook below is read twice, once with every sheet large enough for typed dates and once
with none, and the two datasets compared frame by frame."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import fastexcel
import openpyxl
import pandas as pd
import pytest

from lgsco_stats.errors import DataError
from lgsco_stats.read import workbook
from lgsco_stats.read.dataset import Dataset
from lgsco_stats.read.files import read_file
from lgsco_stats.read.xlsx_head import head_workbook, sheet_members
from tests.conftest import decisions_rows

DAY = dt.datetime(2019, 6, 1)


def _read(path: Path, typed: bool, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Any:
    monkeypatch.setattr(workbook, "TYPED_FROM_BYTES", 0 if typed else 1 << 62)
    try:
        return read_file(path, **kw)
    except DataError as e:
        return str(e)


def _same(path: Path, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> tuple[Any, int]:
    """The dataset (or error) read both ways, which must agree, and how many sheets the typed
    read had to read again as text."""
    again = []
    text_parse = workbook.parse_text

    def counted(p: Path, name: str) -> Any:
        again.append(name)
        return text_parse(p, name)

    monkeypatch.setattr(workbook, "parse_text", counted)
    typed = _read(path, True, monkeypatch, **kw)
    plain = _read(path, False, monkeypatch, **kw)
    assert type(typed) is type(plain)
    if isinstance(plain, str):
        assert typed == plain
    else:
        assert isinstance(typed, Dataset)
        for name in ("decisions", "compliance", "published"):
            pd.testing.assert_frame_equal(getattr(typed, name), getattr(plain, name))
        assert typed.sheets == plain.sheets
    return typed, len(again)


def _heads(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.setattr(workbook, "TYPED_FROM_BYTES", 0)
    return {n: h.header for n, h in workbook.parse(path, None, "xlsx").heads.items()}


def _sheet(path: Path, cells: dict[str, Any], rows: list[tuple[Any, ...]], at: str = "A1") -> Path:
    """A one-sheet workbook with ``rows`` written from cell ``at`` and single ``cells`` set."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "D"
    col0 = openpyxl.utils.column_index_from_string("".join(c for c in at if c.isalpha()))
    row0 = int("".join(c for c in at if c.isdigit()))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ws.cell(row=row0 + i, column=col0 + j, value=value)
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def _many(n: int = 60) -> list[tuple[Any, ...]]:
    return decisions_rows([("Kent", "Upheld", n // 2, None), ("Essex", "Not upheld", n // 2, None)])


def test_a_plain_sheet_is_read_typed_and_gives_the_same(make_xlsx, monkeypatch) -> None:
    comp = [("Reference", "Authority", "Date recorded", "Compliance outcome")] + [
        (f"19 {i:03d} 000", "Kent", DAY, "Complied") for i in range(1, 50)
    ]
    path = make_xlsx({"D": _many(), "C": comp})
    assert _heads(path, monkeypatch) == {"D": 0, "C": 0}
    ds, again = _same(path, monkeypatch)
    assert again == 0 and len(ds.decisions) == 60 and len(ds.compliance) == 49
    assert str(ds.decisions["decision_date"].dtype) == "datetime64[s]"


def test_titles_and_empty_rows_above_the_header_and_data_from_column_c(
    tmp_path: Path, monkeypatch
) -> None:
    path = _sheet(tmp_path / "t.xlsx", {"C2": "Decisions 2019-20", "D3": "(draft)"}, _many(), "C6")
    assert _heads(path, monkeypatch) == {"D": 4}  # from row 2: 2, 3, (4, 5 empty), header 6
    ds, again = _same(path, monkeypatch)
    assert again == 0 and ds.decisions["row"].tolist()[:2] == [7, 8]


def test_dates_with_times_blank_received_dates_and_a_received_column(
    tmp_path: Path, monkeypatch
) -> None:
    rows: list[tuple[Any, ...]] = [("Reference", "Authority", "Received", "Decided", "Outcome")]
    for i in range(50):
        received = None if i % 3 else dt.datetime(2019, 1, 1 + i % 28, 13, 45)
        rows.append((f"R{i}", "Kent", received, dt.datetime(2019, 6, 1, 23, 59), "Upheld"))
    ds, again = _same(_sheet(tmp_path / "t.xlsx", {}, rows), monkeypatch)
    assert again == 0
    assert ds.decisions["received_date"].isna().sum() == 33
    assert ds.decisions["decision_date"].iloc[0] == pd.Timestamp(2019, 6, 1)


def test_a_date_column_mixing_text_and_dates_is_read_as_text(tmp_path: Path, monkeypatch) -> None:
    rows = _many()
    rows[45] = (*rows[45][:2], "01/06/2019", *rows[45][3:])  # day first: 1 June
    ds, again = _same(_sheet(tmp_path / "t.xlsx", {}, rows), monkeypatch)
    assert again == 0 and ds.decisions["decision_date"].nunique() == 1


def test_serial_numbers_for_dates_are_read_again_as_text(tmp_path: Path, monkeypatch) -> None:
    rows = [(*r[:2], 43617 if i else r[2], *r[3:]) for i, r in enumerate(_many())]  # 1 June 2019
    ds, again = _same(_sheet(tmp_path / "t.xlsx", {}, rows), monkeypatch)
    assert again == 0  # a column of numbers is not taken typed: the text parse reads it
    assert ds.decisions["decision_date"].iloc[0] == pd.Timestamp(2019, 6, 1)
    assert _heads(_sheet(tmp_path / "t.xlsx", {}, rows), monkeypatch) == {}


def test_a_stray_cell_left_of_the_data_below_the_first_rows(tmp_path: Path, monkeypatch) -> None:
    # The sheet's cells start a column further left than its first rows': the typed rows do
    # not line up with the first rows, and the sheet is read again as text (an error here: the
    # stray cell's row has no reference).
    path = _sheet(tmp_path / "t.xlsx", {"A70": "stray"}, _many(), "B1")
    result, again = _same(path, monkeypatch)
    assert again == 1 and "blank reference" in result


def test_errors_in_typed_dates_are_the_text_errors(tmp_path: Path, monkeypatch) -> None:
    future = [
        (*r[:2], dt.datetime(2031, 1, 1), *r[3:]) if i in (44, 50) else r
        for i, r in enumerate(_many())
    ]
    result, _ = _same(
        _sheet(tmp_path / "f.xlsx", {}, future), monkeypatch, today=dt.date(2026, 1, 1)
    )
    assert "rows 45, 51" in result and "date '2031-01-01 00:00:00' is in the future" in result
    old = [
        (*r[:2], dt.datetime(1999, 3, 1), *r[3:]) if i == 3 else r for i, r in enumerate(_many())
    ]
    result, _ = _same(_sheet(tmp_path / "o.xlsx", {}, old), monkeypatch)
    assert "row 4" in result and "before 2000" in result
    blank = [(*r[:2], None, *r[3:]) if i == 40 else r for i, r in enumerate(_many())]
    result, _ = _same(_sheet(tmp_path / "b.xlsx", {}, blank), monkeypatch)
    assert "row 41, column 'Decision date': blank decision date" in result


def test_a_header_found_only_with_a_mapping(tmp_path: Path, monkeypatch) -> None:
    rows = [("Case", "Body", "When", "Result")] + [r[:3] + (r[3],) for r in _many()[1:]]
    path = _sheet(tmp_path / "t.xlsx", {}, rows)
    mapping = {
        "reference": "Case",
        "authority": "Body",
        "decision_date": "When",
        "outcome": "Result",
    }
    ds, again = _same(path, monkeypatch, mapping=mapping)
    assert again == 0 and len(ds.decisions) == 60


def test_short_and_dateless_sheets_are_read_as_text(make_xlsx, monkeypatch) -> None:
    published = [("Authority", "Year", "Upheld", "Not upheld")] + [
        (f"Council {i}", "2019-20", i, 1) for i in range(60)
    ]
    path = make_xlsx({"short": decisions_rows([("Kent", "Upheld", 3, None)]), "P": published})
    assert _heads(path, monkeypatch) == {}
    _same(path, monkeypatch)


def _excel_like(path: Path, rows: list[tuple[Any, ...]]) -> Path:
    """A one-sheet workbook written as Excel writes one: text as shared strings (in the order
    first met), dates as serial numbers styled as dates, prefixed ``x:`` elements."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings: dict[str, int] = {}
    body = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{openpyxl.utils.get_column_letter(c + 1)}{r}"
            if value is None:
                continue
            if isinstance(value, dt.datetime):
                serial = (value - dt.datetime(1899, 12, 30)).days
                cells.append(f'<x:c r="{ref}" s="1"><x:v>{serial}</x:v></x:c>')
            else:
                i = strings.setdefault(str(value), len(strings))
                cells.append(f'<x:c r="{ref}" t="s"><x:v>{i}</x:v></x:c>')
        body.append(f'<x:row r="{r}">{"".join(cells)}</x:row>')
    sheet = (
        f'<x:worksheet xmlns:x="{main}"><x:dimension ref="A1:Z{len(rows)}"/>'
        f"<x:sheetData>{''.join(body)}</x:sheetData></x:worksheet>"
    )
    items = "".join(f"<x:si><x:t>{t}</x:t></x:si>" for t in strings)
    n = len(strings)
    shared = f'<x:sst xmlns:x="{main}" count="{n}" uniqueCount="{n}">{items}</x:sst>'
    package = "application/vnd.openxmlformats-package."
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    styles = (
        f'<styleSheet xmlns="{main}"><fonts count="1"><font/></fonts><fills count="1"><fill/>'
        '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{package}relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(
                f'<Override PartName="/xl/{part}.xml" ContentType="{office}{kind}+xml"/>'
                for part, kind in (
                    ("workbook", "sheet.main"),
                    ("worksheets/sheet1", "worksheet"),
                    ("sharedStrings", "sharedStrings"),
                    ("styles", "styles"),
                )
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="D" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
        "xl/styles.xml": styles,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def test_an_excel_like_workbook_with_shared_strings(tmp_path: Path, monkeypatch) -> None:
    rows = [("Decisions",), (), *_many(300)]
    path = _excel_like(tmp_path / "x.xlsx", rows)
    assert _heads(path, monkeypatch) == {"D": 2}  # the title, an empty row, the header
    ds, again = _same(path, monkeypatch)
    assert again == 0 and len(ds.decisions) == 300 and ds.decisions["row"].iloc[0] == 4
    assert ds.decisions["decision_date"].iloc[0] == pd.Timestamp(2019, 6, 1)


def test_the_first_rows_of_a_sheet_as_the_whole_sheet_gives_them(tmp_path: Path) -> None:
    # Excel writes text as shared strings: the cut copy keeps only those its rows use
    rows = [("Title",), (), *_many(400)]
    path = _excel_like(tmp_path / "s.xlsx", rows)
    small = head_workbook(str(path), "D", 12)
    assert small is not None
    whole = fastexcel.read_excel(str(path)).load_sheet("D", header_row=None, dtypes="string")
    head = fastexcel.read_excel(small).load_sheet("D", header_row=None, dtypes="string")
    top = head.to_arrow()  # 12 rows as the XML lists them, the empty row 2 among them
    assert top.num_rows == 12 and top.to_pylist() == whole.to_arrow().slice(0, 12).to_pylist()
    with zipfile.ZipFile(path) as z:
        shared = len(z.read("xl/sharedStrings.xml"))
    with zipfile.ZipFile(io.BytesIO(small)) as z:
        assert len(z.read("xl/sharedStrings.xml")) < shared / 10
    # a large part the cells do not need (a pivot cache, a picture) is left out
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/pivotCache/pivotCacheRecords1.xml", "<r/>" * 600_000)
    small = head_workbook(str(path), "D", 12)
    assert small is not None
    with zipfile.ZipFile(io.BytesIO(small)) as z:
        assert "xl/pivotCache/pivotCacheRecords1.xml" not in z.namelist()
    head = fastexcel.read_excel(small).load_sheet("D", header_row=None, dtypes="string")
    assert head.to_arrow().to_pylist() == top.to_pylist()
    assert head_workbook(str(path), "D", 10_000) is None  # no more rows than that
    assert head_workbook(str(path), "nope", 12) is None


def test_sheet_members_unescape_names_whatever_the_attribute_order() -> None:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as z:
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Q&amp;A &#39;24&#x27; &lt;1&gt;" sheetId="1" r:id="rId1"/>'
            '<sheet r:id="rId2" sheetId="2" name="Plain"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            "<Relationships>"
            f'<Relationship Target="worksheets/sheet1.xml" Type="{rel}/worksheet" Id="rId1"/>'
            f'<Relationship Id="rId2" Type="{rel}/worksheet" Target="/xl/worksheets/b.xml"/>'
            "</Relationships>",
        )
    with zipfile.ZipFile(book) as z:
        assert sheet_members(z) == {
            "Q&A '24' <1>": "xl/worksheets/sheet1.xml",
            "Plain": "xl/worksheets/b.xml",
        }
