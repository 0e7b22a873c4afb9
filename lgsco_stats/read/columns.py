"""Whole-column work done in Arrow, shared by reading, matching and the store.

Reading and matching work on each distinct value once (an outcome, a date, an authority and
year): :func:`distinct_text` finds a column's distinct values, stripped, and each row's code,
and :func:`text_column` spreads the results back over the rows. Spread as Python
objects, a million rows cost a conversion per row whenever pandas or Arrow takes the column;
spread here, in Arrow, the column is pandas' text dtype from the start. Keys that must be
unique (case references) are checked by one hash pass (:func:`all_distinct`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Distinct:
    """A text column as its distinct values and a code per row: ``values[codes[i]]`` is row
    ``i``'s value, and a code of -1 is a blank cell."""

    codes: np.ndarray
    values: list[str]

    @property
    def blank(self) -> np.ndarray:
        return self.codes < 0

    def column(self, index: pd.Index) -> pd.Series:
        """The values spread over the rows, as a text column on ``index``."""
        return text_column(self.values, self.codes, index)


def distinct_text(column: pd.Series) -> Distinct:
    """A column's values stripped of surrounding white space, a cell that is then empty being
    blank, as :class:`Distinct` values in the order they first occur.

    Only the distinct values are stripped, so a column of a million cells and a few hundred
    values costs one hash pass in Arrow; two values that differ only in their spaces become one.
    Stripping is Arrow's ``utf8_trim_whitespace``, as pandas' ``str.strip`` on text columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(column, pa.string(), from_pandas=True)  # a pandas text column: no copy
    if isinstance(text, pa.ChunkedArray):  # a column made by concatenating: 1-6 ms a million
        text = text.combine_chunks()
    encoded = pc.dictionary_encode(text)
    stripped = pc.utf8_trim_whitespace(encoded.dictionary).to_pylist()
    values: dict[str, int] = {}
    remap = [-1 if not s else values.setdefault(s, len(values)) for s in stripped]
    lookup = np.asarray([*remap, -1], dtype=np.int64)  # the last: a missing cell
    indices = pc.fill_null(encoded.indices, len(remap)).to_numpy(zero_copy_only=False)
    return Distinct(lookup[indices], list(values))


def all_distinct(values: Any) -> bool:
    """Whether no value occurs twice in a pandas Series or an Arrow array (a missing value
    counts as a value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values, from_pandas=True) if isinstance(values, pd.Series) else values
    return len(pc.unique(array)) == len(array)
