"""Per-row text columns made from their distinct values.

Reading and matching work on each distinct value once (an outcome, a date, an authority and
year) and then spread the results back over the rows. Spread as Python objects, a million rows
cost a conversion per row whenever pandas or Arrow takes the column; spread here, in Arrow, the
column is pandas' text dtype from the start.
"""

from __future__ import annotations

from collections.abc import Sequence

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
