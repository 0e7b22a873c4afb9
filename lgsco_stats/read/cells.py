"""Reading a sheet's columns: where a cell is (for messages), a column as text or as its distinct
values, and the checks every kind of table makes (required columns, blank cells, unknown
values)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import DataError, rows_text, where
from .columns import Distinct, distinct_text, text_column

if TYPE_CHECKING:  # (an import at run time is circular: sheets → dates → cells → sheets)
    from .sheets import RawSheet


@dataclass
class Loc:
    raw: RawSheet
    fields: dict[str, int]

    def col(self, fname: str) -> str:
        return str(self.raw.header[self.fields[fname]])

    def at(self, fname: str, rows: list[int]) -> str:
        return (
            f"{where(self.raw.file, self.raw.sheet)}, {rows_text(rows)}, column {self.col(fname)!r}"
        )


def text(frame: pd.DataFrame, fields: Mapping[str, int], fname: str) -> pd.Series:
    """A column as stripped text, blank cells missing (vectorised: no Python call per cell)."""
    if fname not in fields:
        return pd.Series(None, index=frame.index, dtype=object)
    s = frame[fields[fname]].astype("str").str.strip()
    return s.where(s != "")


def distinct(frame: pd.DataFrame, fields: Mapping[str, int], fname: str) -> Distinct:
    """A column of few distinct values (an authority, an outcome, a date) as those values,
    stripped, and a code per row: the same text as :func:`text`, stripped once per value."""
    if fname not in fields:
        return Distinct(np.full(len(frame), -1, dtype=np.int64), [])
    return distinct_text(frame[fields[fname]])


def require(
    frame: pd.DataFrame, fields: Mapping[str, int], need: Sequence[str], loc: Loc, kind: str
) -> None:
    missing = [f for f in need if f not in fields]
    if missing:
        from .headers import ALIASES

        names = "; ".join(
            f"{f} (e.g. {', '.join(repr(a) for a in ALIASES[f][:3])})" for f in missing
        )
        raise DataError(
            f"{loc.raw.label}: looks like {kind} but has no column for {names}",
            hint="name it with --map FIELD=HEADER",
        )


def without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with at least one value (a column with no blank cell means every row has one,
    which is found without looking at the rows)."""
    if any(not frame[c].hasnans for c in frame.columns):
        return frame
    return frame.dropna(how="all")


def blank_check(blank: Any, rows: pd.Series, fname: str, loc: Loc) -> None:
    """``blank``: which rows have no value (a boolean Series or array on ``rows``' rows)."""
    blank = np.asarray(blank)
    if blank.any():
        bad = rows[blank].tolist()
        if blank.all():
            raise DataError(f"{loc.at(fname, bad[:1])}: every value is blank")
        raise DataError(f"{loc.at(fname, bad)}: blank {fname.replace('_', ' ')}")


def codes(
    values: Distinct, rows: pd.Series, fn: object, fname: str, loc: Loc, what: str
) -> pd.Series:
    """Map each distinct value once with ``fn``; unknown values are an error listing each with
    its rows."""
    mapped = map_distinct(values, rows, fn, fname, loc, what)
    if mapped and all(isinstance(m, str) for m in mapped):
        return text_column(mapped, values.codes, rows.index)
    lookup = pd.Series([*mapped, None], dtype=object)
    return pd.Series(lookup.take(values.codes).to_numpy(), index=rows.index, dtype=object)


def map_distinct(
    values: Distinct, rows: pd.Series, fn: object, fname: str, loc: Loc, what: str
) -> list[Any]:
    """``fn`` of each distinct value; a value ``fn`` gives None for is an error listing each
    such value with its rows."""
    mapped = [fn(u) for u in values.values]  # type: ignore[operator]
    unknown = [i for i, m in enumerate(mapped) if m is None]
    if unknown:
        parts = []
        for i in unknown[:5]:
            r = rows[values.codes == i].tolist()
            parts.append(f"{values.values[i]!r} ({rows_text(r, 3)})")
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise DataError(
            f"{where(loc.raw.file, loc.raw.sheet)}, column {loc.col(fname)!r}: unknown {what} "
            + ", ".join(parts)
            + more
        )
    return mapped


def source(loc: Loc) -> str:
    return where(Path(loc.raw.file).name, loc.raw.sheet)
