"""Per-row text columns spread from distinct values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lgsco_stats.read.columns import distinct_text, text_column


def test_text_column_spreads_values_over_rows() -> None:
    index = pd.Index([10, 11, 12, 13, 14])
    got = text_column(["upheld", None, "not_upheld"], np.array([0, 2, -1, 1, 0]), index)
    assert list(got.index) == [10, 11, 12, 13, 14]
    assert got.isna().tolist() == [False, False, True, True, False]
    assert got.dropna().tolist() == ["upheld", "not_upheld", "upheld"]
    assert got.dtype == pd.Series(["x"]).dtype  # pandas' own text dtype, as read columns have


def test_text_column_of_no_rows() -> None:
    got = text_column([], np.array([], dtype=np.int64), pd.RangeIndex(0))
    assert len(got) == 0 and got.dtype == pd.Series(["x"]).dtype


def test_all_distinct() -> None:
    import pyarrow as pa

    from lgsco_stats.read.columns import all_distinct

    assert all_distinct(pd.Series(["19 001 001", "19 002 002", "20 001 001"]))
    assert not all_distinct(pd.Series(["19 001 001", "19 002 002", "19 001 001"]))
    assert all_distinct(pd.Series(["a", None]))  # one missing value is one value
    assert not all_distinct(pd.Series(["a", None, None]))
    assert all_distinct(pa.array(["a", "b"])) and not all_distinct(pa.array(["b", "b"]))
    assert all_distinct(pd.Series([], dtype="str"))


def test_distinct_text_strips_each_value_once_in_first_seen_order() -> None:
    got = distinct_text(pd.Series([" b", "a", None, "b  ", "", "   ", "a", "c"], dtype="str"))
    # worked by hand: "b" first (row 0), then "a" (row 1), then "c" (row 7); blanks are -1
    assert got.values == ["b", "a", "c"]
    assert got.codes.tolist() == [0, 1, -1, 0, -1, -1, 1, 2]
    assert got.blank.tolist() == [False, False, True, False, True, True, False, False]


def test_distinct_text_of_columns_pandas_may_hold() -> None:
    # an object column with NaN (older pandas), a column of several Arrow chunks (a concat),
    # and an empty one
    got = distinct_text(pd.Series(["x", float("nan"), " x"], dtype=object))
    assert (got.values, got.codes.tolist()) == (["x"], [0, -1, 0])
    parts = pd.concat([pd.Series(["p", "q"], dtype="str"), pd.Series(["q ", "r"], dtype="str")])
    got = distinct_text(parts.reset_index(drop=True))
    assert (got.values, got.codes.tolist()) == (["p", "q", "r"], [0, 1, 1, 2])
    got = distinct_text(pd.Series([], dtype="str"))
    assert (got.values, got.codes.tolist()) == ([], [])


def test_distinct_values_spread_back_over_their_rows() -> None:
    got = distinct_text(pd.Series(["b ", None, " a", "b"], dtype="str")).column(
        pd.Index([7, 8, 9, 10])
    )
    assert got.index.tolist() == [7, 8, 9, 10]
    assert got.tolist()[0] == "b" and pd.isna(got.iloc[1]) and got.tolist()[2:] == ["a", "b"]
