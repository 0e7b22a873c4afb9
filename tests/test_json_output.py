"""JSON as every command and the site write it (tables.to_json / json_line)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from lgsco_stats.tables import json_line, to_json


def test_values_read_back_as_they_were_and_missing_ones_as_null() -> None:
    row = {
        "council": "King’s Lynn & West Norfolk",  # text stays text, UTF-8, not \\u escapes
        "upheld": np.int64(38),
        "rate": 66.66666666666667,  # the shortest text of the float, as json writes it
        "p": 1.2e-07,
        "none": None,
        "nan": math.nan,
        "na": pd.NA,
        "flag": np.bool_(True),
        "share": np.float64(0.1),
    }
    line = json_line(row)
    assert "\n" not in line and "King’s Lynn" in line
    assert json.loads(line) == {
        "council": "King’s Lynn & West Norfolk",
        "upheld": 38,
        "rate": 66.66666666666667,
        "p": 1.2e-07,
        "none": None,
        "nan": None,
        "na": None,
        "flag": True,
        "share": 0.1,
    }


def test_an_integer_beyond_64_bits_is_still_written() -> None:
    assert json.loads(json_line({"n": 10**20, "x": math.nan})) == {"n": 10**20, "x": None}


def test_an_array_with_an_object_a_line_in_the_order_of_the_keys() -> None:
    rows = [{"b": 1, "a": "x", "extra": 0}, {"a": "y"}]
    text = to_json(rows, ["a", "b"])
    assert text.splitlines() == ["[", '{"a":"x","b":1},', '{"a":"y","b":null}', "]"]
    assert to_json([], ["a"]) == "[]\n"
