"""Reading a sheet's columns: where a cell is (for messages), a column as text or as its distinct
values, and the checks every kind of table makes (required columns, blank cells, unknown
values). A check that fails adds an error to the run's :class:`~.problems.Problems` and reading
goes on, so that one run lists every problem of a file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import DataError, rows_text, where
from .columns import Distinct, distinct_text, text_column
from .problems import Problems

if TYPE_CHECKING:  # (an import at run time is circular: sheets → dates → cells → sheets)
    from .sheets import RawSheet


@dataclass
class Loc:
    """A sheet being read: its cells (``frame``, the sheet ``rows`` of its rows), which column
    holds each field, and the run's problems."""

    raw: RawSheet
    fields: dict[str, int]
    problems: Problems = field(default_factory=Problems)
    frame: pd.DataFrame | None = None
    _distinct: dict[int, Distinct] = field(default_factory=dict, repr=False)  # by column

    def col(self, fname: str) -> str:
        return str(self.raw.header[self.fields[fname]])

    def at(self, fname: str, rows: list[int]) -> str:
        return (
            f"{where(self.raw.file, self.raw.sheet)}, {rows_text(rows)}, column {self.col(fname)!r}"
        )

    def error(self, fname: str | None, rows: Sequence[int], message: str) -> None:
        """An error at these rows of a field's column (or of the sheet, with no field)."""
        rows = [int(r) for r in rows]
        if fname is None:
            at = where(self.raw.file, self.raw.sheet) + (f", {rows_text(rows)}" if rows else "")
            column = None
        else:
            at = self.at(fname, rows) if rows else self.where(fname)
            column = self.col(fname)
        self.problems.add(
            "error",
            f"{at}: {message}",
            file=self.raw.file,
            sheet=self.raw.sheet,
            rows=rows,
            column=column,
            placed=True,
        )

    def note(self, level: str, fname: str | None, rows: Sequence[int], message: str) -> None:
        """A warning or note, placed as :meth:`error` places an error."""
        rows = [int(r) for r in rows]
        column = self.col(fname) if fname is not None else None
        self.problems.add(
            level,
            message,
            file=self.raw.file,
            sheet=self.raw.sheet,
            rows=rows,
            column=column,
        )

    def where(self, fname: str) -> str:
        return f"{where(self.raw.file, self.raw.sheet)}, column {self.col(fname)!r}"

    def distinct(self, fname: str) -> Distinct:
        """:func:`distinct` of a field's column, found once per sheet (per column, whatever
        field the column turns out to be)."""
        if fname not in self.fields:
            return Distinct(np.full(len(self.frame), -1, dtype=np.int64), [])  # type: ignore[arg-type]
        col = self.fields[fname]
        if col not in self._distinct:
            assert self.frame is not None
            self._distinct[col] = distinct(self.frame, self.fields, fname)
        return self._distinct[col]

    def with_fields(self, fields: dict[str, int], frame: pd.DataFrame | None = None) -> Loc:
        """The same sheet read with other fields (or fewer rows: the memo is then dropped)."""
        memo = self._distinct if frame is None or frame is self.frame else {}
        return Loc(self.raw, fields, self.problems, self.frame if frame is None else frame, memo)


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


def require(fields: Mapping[str, int], need: Sequence[str], loc: Loc, kind: str) -> None:
    """Raise (for the sheet) when a required column is missing."""
    missing = [f for f in need if f not in fields]
    if missing:
        from .headers import ALIASES

        names = "; ".join(
            f"{f} (e.g. {', '.join(repr(a) for a in ALIASES[f][:3])})" for f in missing
        )
        raise DataError(f"{loc.raw.label}: looks like {kind} but has no column for {names}")


def without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with at least one value (a column with no blank cell means every row has one,
    which is found without looking at the rows)."""
    if any(not frame[c].hasnans for c in frame.columns):
        return frame
    return frame.dropna(how="all")


def blank_check(blank: Any, rows: pd.Series, fname: str, loc: Loc) -> bool:
    """``blank``: which rows have no value (a boolean Series or array on ``rows``' rows); an
    error names them. True when none is blank."""
    blank = np.asarray(blank)
    if not blank.any():
        return True
    bad = rows[blank].tolist()
    if blank.all():
        loc.error(fname, bad[:1], "every value is blank")
    else:
        loc.error(fname, bad, f"blank {fname.replace('_', ' ')}")
    return False


def codes(
    values: Distinct, rows: pd.Series, fn: object, fname: str, loc: Loc, what: str
) -> pd.Series:
    """Map each distinct value once with ``fn``; unknown values are an error listing each with
    its rows (and are missing in the result)."""
    mapped = map_distinct(values, rows, fn, fname, loc, what)
    if mapped and all(isinstance(m, str) for m in mapped):
        return text_column(mapped, values.codes, rows.index)
    lookup = pd.Series([*mapped, None], dtype=object)
    return pd.Series(lookup.take(values.codes).to_numpy(), index=rows.index, dtype=object)


def map_distinct(
    values: Distinct, rows: pd.Series, fn: object, fname: str, loc: Loc, what: str
) -> list[Any]:
    """``fn`` of each distinct value; a value ``fn`` gives None for is an error listing each
    such value with its rows (and stays None)."""
    mapped = [fn(u) for u in values.values]  # type: ignore[operator]
    unknown = [i for i, m in enumerate(mapped) if m is None]
    if unknown:
        parts = []
        every: list[int] = []
        for i in unknown:
            r = rows[values.codes == i].tolist()
            every += r
            if len(parts) < 5:
                parts.append(f"{values.values[i]!r} ({rows_text(r, 3)})")
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        loc.problems.add(
            "error",
            f"{loc.where(fname)}: unknown {what} " + ", ".join(parts) + more,
            file=loc.raw.file,
            sheet=loc.raw.sheet,
            rows=sorted(every),
            column=loc.col(fname),
            placed=True,
        )
    return mapped


def source(loc: Loc) -> str:
    return where(Path(loc.raw.file).name, loc.raw.sheet)
