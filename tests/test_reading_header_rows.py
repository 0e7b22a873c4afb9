"""The header row is found below title rows in a single load of each sheet, and row numbers in
messages are the sheet's own (guards the one-load reading of workbooks)."""

from __future__ import annotations

import datetime as dt

import pytest

from lgsco_stats.errors import DataError
from lgsco_stats.read.files import read_file
from lgsco_stats.read.sheets import read_raw

HEADER = ["Reference", "Authority", "Decision date", "Outcome"]
DAY = dt.datetime(2019, 6, 3)


def test_header_below_title_rows(make_xlsx):
    path = make_xlsx(
        {
            "Notes": [["Only a note, no table"]],
            "Decisions": [
                ["Decisions about councils"],  # row 1
                [],  # row 2 (empty)
                ["Published June 2020"],  # row 3
                HEADER,  # row 4: the header
                ["19 000 001", "Kent County Council", DAY, "Upheld"],  # row 5
                ["19 000 002", "Kent County Council", DAY, "Not upheld"],  # row 6
            ],
        }
    )
    raws = {r.sheet: r for r in read_raw(path)}
    assert raws["Notes"].header == []
    decisions = raws["Decisions"]
    assert decisions.header == HEADER
    assert decisions.first_row == 5
    assert decisions.frame.shape == (2, 4)
    assert decisions.frame[0].tolist() == ["19 000 001", "19 000 002"]
    ds = read_file(path)
    assert ds.decisions["row"].tolist() == [5, 6]
    assert ds.decisions["outcome"].tolist() == ["upheld", "not_upheld"]


def test_error_names_the_sheet_row_below_title_rows(make_xlsx):
    path = make_xlsx(
        {
            "Decisions": [
                ["Decisions about councils"],  # row 1
                HEADER,  # row 2
                ["19 000 001", "Kent County Council", DAY, "Upheld"],  # row 3
                ["19 000 002", "Kent County Council", DAY, "Sort of"],  # row 4: unknown outcome
            ]
        }
    )
    with pytest.raises(DataError) as e:
        read_file(path)
    assert "'Sort of'" in e.value.message
    assert "row 4" in e.value.message


def test_header_only_sheet_has_no_rows(make_xlsx):
    path = make_xlsx({"Decisions": [HEADER]})
    (raw,) = read_raw(path)
    assert raw.header == HEADER
    assert raw.frame.shape[0] == 0
