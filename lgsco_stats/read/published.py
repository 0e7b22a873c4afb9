"""Published per-authority tables: counts of each outcome, remedies and compliance outcomes per
authority and year, and complaints received by category."""

from __future__ import annotations

import re

import pandas as pd

from .. import outcomes as oc
from ..errors import DataError, UsageError
from ..outcomes import COUNT_COLUMNS
from ..years import parse_year
from . import cells
from .dataset import PUBLISHED_COLUMNS, RECEIVED_COLUMNS, empty

_COUNT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def read_counts(values: pd.Series, rows: pd.Series, fname: str, loc: cells.Loc) -> pd.Series:
    """A count column: blank → missing (not reported); whole non-negative numbers only."""
    s = values.map(lambda x: x.replace(",", "") if isinstance(x, str) else x, na_action="ignore")
    ok = s.isna() | s.astype(str).str.match(_COUNT)
    if not ok.all():
        r = rows[~ok].tolist()
        raise DataError(f"{loc.at(fname, r)}: {values[~ok].iloc[0]!r} is not a number")
    num = pd.to_numeric(s, errors="coerce")
    frac = num.notna() & (num != num.round())
    if frac.any():
        raise DataError(
            f"{loc.at(fname, rows[frac].tolist())}: {values[frac].iloc[0]!r} is not a whole number"
        )
    neg = num.notna() & (num < 0)
    if neg.any():
        raise DataError(f"{loc.at(fname, rows[neg].tolist())}: {values[neg].iloc[0]!r} is negative")
    return num.astype("Int64")


def read_published(
    frame: pd.DataFrame, rows: pd.Series, fields: dict[str, int], loc: cells.Loc, year: str | None
) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    out["authority"] = cells.text(frame, fields, "authority")
    cells.blank_check(out["authority"].isna(), rows, "authority", loc)
    if "year" in fields:

        def _year(v: object) -> str | None:
            try:
                return parse_year(v)
            except UsageError:
                return None

        y = cells.distinct(frame, fields, "year")
        cells.blank_check(y.blank, rows, "year", loc)
        out["year"] = cells.codes(y, rows, _year, "year", loc, "year (write it like 2019-20)")
    elif year is not None:
        out["year"] = parse_year(year)
    else:
        raise UsageError(
            f"{loc.raw.label}: a published table with no Year column: say which year it covers "
            "with --year, e.g. --year 2023-24"
        )
    for c in COUNT_COLUMNS:
        if c in fields:
            out[c] = read_counts(cells.text(frame, fields, c), rows, c, loc)
        else:
            out[c] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    out["source"] = cells.source(loc)
    out["row"] = rows
    return out.reset_index(drop=True)[list(PUBLISHED_COLUMNS)]


def read_received(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: cells.Loc,
    published: pd.DataFrame,
) -> pd.DataFrame:
    """Complaints received by category: a published table's columns named after the published
    categories ("Housing", "Received: Adult care services"), as long rows. A blank cell is not
    reported and gives no row."""
    taken = set(fields.values())
    parts = []
    for i, header in enumerate(loc.raw.header):
        category = None if i in taken else oc.received_category_header(header)
        if category is None:
            continue
        name = f"received:{category}"
        counts = read_counts(
            cells.text(frame, {name: i}, name), rows, name, cells.Loc(loc.raw, {**fields, name: i})
        )
        part = pd.DataFrame(
            {
                "authority": published["authority"].to_numpy(),
                "year": published["year"].to_numpy(),
                "category": category,
                "received": counts.to_numpy(),
                "source": published["source"].to_numpy(),
                "row": published["row"].to_numpy(),
            }
        )
        parts.append(part[part["received"].notna()])
    if not parts:
        return empty(RECEIVED_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["received"] = out["received"].astype("Int64")
    return out[list(RECEIVED_COLUMNS)]
