"""Population tables supplied by the user, for upheld decisions per 100,000 residents.

The package ships the ONS mid-year estimates (:mod:`lgsco_stats.populations`); a user may give
their own: a CSV or workbook with a council (name or GSS code), a population and optionally a
statistics year (``2023-24``; or ``mid-2022`` for an estimate, which serves the year the
mid-(Y-1) rule gives it; without one, the figure serves every year). A figure given replaces
the shipped one for that council-year, and outputs name the file it came from.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from ..councils import Register, register
from ..errors import DataError, UsageError, rows_text, where
from ..years import parse_year, year_label
from .cells import without_blank_rows
from .headers import match_headers
from .numbers import POPULATION_LIMIT
from .sheets import read_raw

_MID_YEAR = re.compile(r"(?i)^mid[\s-]*(\d{4})$")
_BARE_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")


def _year(value: object, place: str) -> str:
    """The statistics year a row of a population table serves: a financial year as written
    (``2023-24``), or an ONS estimate named by its mid-year (``mid-2022``), which serves the
    year that begins the April after next (mid-(Y-1) for Y-(Y+1): 2023-24). A bare year is
    refused: ``2022`` could be the mid-2022 estimate (for 2023-24) or the year 2022-23."""
    text = str(value).strip()
    m = _MID_YEAR.match(text)
    if m:
        return year_label(int(m.group(1)) + 1)
    m = _BARE_YEAR.match(text)
    if m:
        y = int(m.group(1))
        raise DataError(
            f"{place}: {text!r} could be the mid-{y} estimate (which serves {year_label(y + 1)}) "
            f"or the year {year_label(y)}: write mid-{y} for an estimate, or the financial "
            "year the population is for"
        )
    try:
        return parse_year(text, bare=False)
    except UsageError as e:
        raise DataError(f"{place}: {e.message}") from None


def read_population(path: str | Path, reg: Register | None = None) -> pd.DataFrame:
    """``gss_code``, ``year`` (None = every year), ``population`` and ``source`` (the file's
    name) rows from a file."""
    reg = reg or register()
    for raw in read_raw(path):
        fields = match_headers(raw.header)
        if "population" not in fields or not ({"authority", "gss_code"} & set(fields)):
            continue
        frame = without_blank_rows(raw.frame)
        rows = frame.index + raw.first_row
        name_col = fields.get("gss_code", fields.get("authority"))
        out = []
        unknown: dict[str, list[int]] = {}
        for (_, r), n in zip(frame.iterrows(), rows, strict=True):
            name = r[name_col]
            year = (
                _year(
                    r[fields["year"]],
                    f"{where(str(path), raw.sheet, int(n))}, column {raw.header[fields['year']]!r}",
                )
                if "year" in fields and pd.notna(r[fields["year"]])
                else None
            )
            council = reg.resolve(str(name), year) if pd.notna(name) else None
            if council is None:
                unknown.setdefault(str(name), []).append(int(n))
                continue
            value = str(r[fields["population"]]).replace(",", "").strip()
            try:
                pop = float(value)
            except ValueError:
                raise DataError(
                    f"{where(str(path), raw.sheet, int(n))}, column "
                    f"{raw.header[fields['population']]!r}: {value!r} is not a "
                    "number"
                ) from None
            if not math.isfinite(pop) or pop <= 0 or pop != int(pop):
                raise DataError(
                    f"{where(str(path), raw.sheet, int(n))}: population {value!r} "
                    "is not a positive whole number"
                )
            if pop > POPULATION_LIMIT:
                raise DataError(
                    f"{where(str(path), raw.sheet, int(n))}: population {value!r} is beyond any "
                    f"real value (the limit is {POPULATION_LIMIT:,})"
                )
            out.append((council.gss_code, year, int(pop)))
        if unknown:
            name, bad = next(iter(unknown.items()))
            hint = reg.suggestions(name)
            raise DataError(
                f"{where(str(path), raw.sheet)}, {rows_text(bad)}: no council called {name!r}"
                + (f"; did you mean {' or '.join(repr(h) for h in hint)}?" if hint else "")
            )
        table = pd.DataFrame(out, columns=["gss_code", "year", "population"])
        table["source"] = Path(path).name
        return table
    raise DataError(f"{path}: no sheet with a council (or GSS code) column and a population column")
