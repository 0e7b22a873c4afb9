"""Whole-column work done in Arrow, shared by reading, matching and the store.

Reading and matching work on each distinct value once (an outcome, a date, an authority and
year) and then spread the results back over the rows (:func:`text_column`). Spread as Python
objects, a million rows cost a conversion per row whenever pandas or Arrow takes the column;
spread here, in Arrow, the column is pandas' text dtype from the start. Keys that must be
unique (case references) are checked by one hash pass (:func:`all_distinct`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def text_column(values: Sequence[str | None], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``values[codes]`` as a text column on ``index``; a code of -1 (or a None value) is a
    missing value."""
    import pyarrow as pa

    codes = np.asarray(codes)
    indices = pa.array(codes, pa.int32(), mask=codes < 0)
    dictionary = pa.array(list(values), pa.string())
    spread = pa.DictionaryArray.from_arrays(indices, dictionary).dictionary_decode()
    column = spread.to_pandas()
    column.index = index  # set, not aligned: to_pandas() numbers the rows from 0
    return column


def all_distinct(values: Any) -> bool:
    """Whether no value occurs twice in a pandas Series or an Arrow array (a missing value
    counts as a value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values, from_pandas=True) if isinstance(values, pd.Series) else values
    return len(pc.unique(array)) == len(array)
