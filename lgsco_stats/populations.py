"""Populations for upheld decisions per 100,000 residents: the ONS mid-year estimates shipped in
``data/populations.csv`` (see its README), the rule that picks one for a statistics year, and a
user's own table (``--population``) laid over them.

The rule reproduces every per-100k figure the Ombudsman has published that we checked: year
Y-(Y+1) uses the estimate for mid-(Y-1), as first published (2022-23 uses mid-2021, 2023-24 uses
mid-2022). A council-year with no estimate has no population, so no per-100k figure: it is never
filled from another year.

The table is read with the ``csv`` module once per process, on first use (3,716 rows, a few
milliseconds): commands that read the store start within a few percent of ``import pandas``.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Sequence
from importlib import resources
from typing import TYPE_CHECKING

from .years import start_year

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# The credit the Open Government Licence asks for, given beside every use of the table.
CREDIT = "Contains ONS mid-year population estimates (Open Government Licence v3.0)"
FILE = "populations.csv"
# What a user's population table is called where its rows carry no file name.
USER_TABLE = "your population table"


def population_year(year: str) -> int:
    """The mid-year whose estimate a statistics year uses: ``"2023-24"`` → ``2022``."""
    return start_year(year) - 1


def source_label(mid_year: int) -> str:
    """How an output names a shipped estimate: ``2022`` → ``"ONS mid-2022"``."""
    return f"ONS mid-{mid_year}"


@functools.cache
def ons_populations() -> dict[tuple[str, int], int]:
    """The shipped table: (GSS code, mid-year) → population."""
    text = resources.files("lgsco_stats.data").joinpath(FILE).read_text("utf-8")
    rows = csv.reader(text.splitlines())
    header = next(rows)
    code, mid, pop = (header.index(c) for c in ("gss_code", "mid_year", "population"))
    return {(r[code], int(r[mid])): int(r[pop]) for r in rows if r}


def ons_population(gss_code: str, year: str) -> int | None:
    """The estimate the rule gives a council in a statistics year, or None (none published)."""
    return ons_populations().get((gss_code, population_year(year)))


def populations_for(
    gss: Sequence[object], years: Sequence[object], given: pd.DataFrame | None = None
) -> tuple[np.ndarray, pd.arrays.IntegerArray, list[str | None]]:
    """Each council-year's population, the mid-year it is for and where it came from.

    Parameters
    ----------
    gss, years : one GSS code (None for a body outside the register) and statistics year per row.
    given : optional ``gss_code``, ``year`` (None: every year), ``population`` rows of a user's
        table (:func:`lgsco_stats.read.population.read_population`), optionally with ``source``
        (the file's name). A figure given for a council-year replaces the shipped one.

    Returns
    -------
    The populations as floats (NaN where there is none), the mid-years (Int64: missing for a
    user's figure and where there is no population) and the sources (``"ONS mid-2022"``, the
    user's file name, or None).
    """
    import numpy as np
    import pandas as pd

    table = ons_populations()
    mids: dict[object, int] = {}
    values = np.full(len(gss), np.nan)
    mid_years = np.zeros(len(gss), dtype=np.int64)
    no_mid = np.ones(len(gss), dtype=bool)
    sources: list[str | None] = [None] * len(gss)
    user = _user_table(given)
    for i, (g, y) in enumerate(zip(gss, years, strict=True)):
        if not isinstance(g, str) or not isinstance(y, str):
            continue
        mine = user.get((g, y), user.get((g, None)))
        if mine is not None:
            values[i], sources[i] = mine
            continue
        mid = mids.get(y)
        if mid is None:
            mid = mids[y] = population_year(y)
        pop = table.get((g, mid))
        if pop is not None:
            values[i], mid_years[i], no_mid[i] = pop, mid, False
            sources[i] = source_label(mid)
    return values, pd.arrays.IntegerArray(mid_years, no_mid), sources


def _user_table(given: pd.DataFrame | None) -> dict[tuple[str, str | None], tuple[float, str]]:
    """A user's rows as (code, year or None) → (population, source); a dated row wins over an
    undated one for its year by being looked up first."""
    if given is None or given.empty:
        return {}
    names = given["source"].tolist() if "source" in given else [USER_TABLE] * len(given)
    out: dict[tuple[str, str | None], tuple[float, str]] = {}
    for g, y, p, s in zip(
        given["gss_code"].tolist(),
        given["year"].tolist(),
        given["population"].tolist(),
        names,
        strict=True,
    ):
        year = y if isinstance(y, str) else None
        out.setdefault((g, year), (float(p), str(s) if s else USER_TABLE))
    return out


def per_100k(upheld: np.ndarray, upheld_missing: np.ndarray, population: np.ndarray) -> np.ndarray:
    """Upheld decisions per 100,000 residents (unrounded); NaN where either is unknown."""
    import numpy as np

    out = np.full(len(upheld), np.nan)
    ok = ~upheld_missing & (population > 0)
    out[ok] = upheld[ok].astype(np.float64) * 100_000 / population[ok]
    return out
