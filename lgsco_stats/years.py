"""The statistics year: the financial year 1 April to 31 March, written ``2019-20``.

This module is the one place that turns a date into its year and parses year labels.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

_LABEL = re.compile(r"^\s*(?:fy\s*)?(\d{4})\s*[-/–_ ]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)
_ENDING = re.compile(r"^\s*(?:ye|year ending|ending)?\s*(?:31\s*march\s*)?(\d{4})\s*$", re.I)


def year_label(start_year: int) -> str:
    """``2019`` → ``"2019-20"``: the year that starts on 1 April ``start_year``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def start_year(label: str) -> int:
    """``"2019-20"`` → ``2019``."""
    return int(parse_year(label)[:4])


def year_of(date: dt.date) -> str:
    """The financial year of a date: 31 March 2020 → ``"2019-20"``, 1 April 2020 → ``"2020-21"``."""
    return year_label(date.year if date.month >= 4 else date.year - 1)


def years_of(dates: pd.Series) -> pd.Series:
    """Vectorised :func:`year_of` for a datetime Series; missing dates give missing years."""
    import pandas as pd

    from .read.columns import text_column

    # Each distinct date once (ten years of decisions have about 3,650).
    codes, uniques = pd.factorize(pd.to_datetime(dates), use_na_sentinel=True)
    return text_column([year_of(d) for d in uniques], codes, dates.index)


def year_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a financial year."""
    y = start_year(label)
    return dt.date(y, 4, 1), dt.date(y + 1, 3, 31)


_BARE = re.compile(r"^\s*(\d{4})\s*$")


def parse_year(text: object, *, bare: bool = True) -> str:
    """Normalise a year as users and publishers write it to ``"2019-20"``.

    Accepts ``2019-20``, ``2019/20``, ``2019-2020``, ``2019/2020``, ``FY2019-20``, ``year ending
    2020`` and (``bare``, as publishers' Year columns write it) a single year ``2020``, the year
    ending 31 March 2020. With ``bare=False`` (a year typed on the command line) a single year
    is refused with the two years it could mean. Raises :class:`UsageError` otherwise.
    """
    s = str(text).strip()
    m = _BARE.match(s)
    if m and not bare:
        y = int(m.group(1))
        raise UsageError(
            f"{s!r} could be {year_label(y)} or {year_label(y - 1)}: write the financial "
            f"year, e.g. {year_label(y)} (1 April {y} to 31 March {y + 1})"
        )
    m = _LABEL.match(s)
    if m:
        first, second = int(m.group(1)), m.group(2)
        expected = (first + 1) % 100 if len(second) == 2 else first + 1
        if int(second) != expected:
            raise UsageError(f"{s!r} is not a financial year: write it like 2019-20")
        return year_label(first)
    m = _ENDING.match(s)
    if m:
        return year_label(int(m.group(1)) - 1)
    raise UsageError(f"{s!r} is not a financial year: write it like 2019-20")
