"""Date cells: text in the ways people write dates, Excel serial numbers, and typed date
columns, each checked to lie between 2000 and today."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import cells
from .columns import Distinct

if TYPE_CHECKING:
    from .cells import Loc

# Dates outside these bounds are errors: the Ombudsman's case data starts long after 2000.
EARLIEST_DATE = dt.date(2000, 1, 1)

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: object) -> dt.date | None:
    """A date cell as text → date. Real Excel dates (read as ISO text), ISO text, UK day-first
    text (01/04/2023 is 1 April), ``1 April 2023``, and Excel serial numbers. None if unreadable."""
    s = str(text).strip()
    try:
        m = _ISO.match(s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DMY.match(s)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if _SERIAL.match(s):
            return _EXCEL_EPOCH + dt.timedelta(days=int(float(s)))
        for fmt in ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%d/%m/%y"):
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    except (ValueError, OverflowError):
        return None
    return None


def parse_column(
    values: Distinct, rows: pd.Series, fname: str, loc: Loc, today: dt.date | None, required: bool
) -> pd.Series:
    """Parse a date column (each distinct value once, range checked once); errors name the
    rows and the values (and such dates are missing in the result)."""
    if required:
        cells.blank_check(values.blank, rows, fname, loc)
    parsed = cells.map_distinct(values, rows, parse_date, fname, loc, "date")
    latest = today or dt.date.today()
    codes = values.codes
    for why, test in (
        ("before 2000", lambda d: d < EARLIEST_DATE),
        ("in the future", lambda d: d > latest),
    ):
        out_of_range = [i for i, d in enumerate(parsed) if d is not None and test(d)]
        if out_of_range:
            bad = np.isin(codes, out_of_range)
            first = int(codes[bad][0])
            loc.error(fname, rows[bad].tolist(), f"date {values.values[first]!r} is {why}")
            for i in out_of_range:
                parsed[i] = None
    lookup = np.array([*parsed, None], dtype="datetime64[s]")  # None: NaT, for code -1
    return pd.Series(lookup[codes], index=rows.index)


def date_column(
    frame: pd.DataFrame,
    fields: Mapping[str, int],
    fname: str,
    rows: pd.Series,
    loc: Loc,
    today: dt.date | None,
    required: bool,
) -> pd.Series:
    """A date field's column: cells read as dates (a large sheet's date columns, see
    :mod:`.workbook`) are taken as they are, text is parsed by :func:`parse_column`."""
    column = frame[fields[fname]]
    if not pd.api.types.is_datetime64_any_dtype(column):
        return parse_column(loc.distinct(fname), rows, fname, loc, today, required)
    days = column.to_numpy().astype("datetime64[D]")
    blank = np.isnat(days)
    if required:
        cells.blank_check(blank, rows, fname, loc)
    latest = np.datetime64(today or dt.date.today(), "D")
    early = days < np.datetime64(EARLIEST_DATE, "D")
    late = days > latest
    for bad, why in ((early, "before 2000"), (late, "in the future")):
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            text = pd.Timestamp(column.iloc[first]).strftime("%Y-%m-%d %H:%M:%S")
            loc.error(fname, rows[bad].tolist(), f"date {text!r} is {why}")
    if early.any() or late.any():
        days = np.where(early | late, np.datetime64("NaT"), days)
    return pd.Series(days.astype("datetime64[s]"), index=rows.index)
