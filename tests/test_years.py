from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lgsco_stats.errors import UsageError
from lgsco_stats.years import parse_year, year_bounds, year_of, years_of


@pytest.mark.parametrize(
    ("date", "year"),
    [
        (dt.date(2020, 3, 31), "2019-20"),
        (dt.date(2020, 4, 1), "2020-21"),
        (dt.date(2019, 4, 1), "2019-20"),
        (dt.date(2000, 1, 1), "1999-00"),
        (dt.date(2099, 12, 31), "2099-00"),
    ],
)
def test_year_of(date: dt.date, year: str) -> None:
    assert year_of(date) == year


def test_years_of_series_matches_year_of() -> None:
    dates = [dt.date(2020, 3, 31), dt.date(2020, 4, 1), None, dt.date(2023, 12, 1)]
    got = years_of(pd.Series(pd.to_datetime(dates)))
    assert got.isna().tolist() == [False, False, True, False]
    assert got.dropna().tolist() == ["2019-20", "2020-21", "2023-24"]


@pytest.mark.parametrize(
    "text", ["2019-20", "2019/20", "2019-2020", "2019/2020", " 2019 - 20 ", "FY2019-20", "2020"]
)
def test_parse_year_forms(text: str) -> None:
    assert parse_year(text) == "2019-20"


@pytest.mark.parametrize("text", ["2019-21", "19-20", "last year", "2019/2021", ""])
def test_parse_year_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="2019-20"):
        parse_year(text)


def test_year_bounds() -> None:
    assert year_bounds("2023-24") == (dt.date(2023, 4, 1), dt.date(2024, 3, 31))
