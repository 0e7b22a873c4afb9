"""Getting figures out of the store for commands that do not read spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def store_years(db: Path | None) -> list[str]:
    from ..errors import NotFound
    from ..store import Store

    with Store(db, create=False) as st:
        years = st.years()
    if not years:
        raise NotFound("the store is empty: load data first with 'lgsco-stats compute FILE'")
    return years


def figures_for_year(db: Path | None, year: str | None) -> tuple[str, pd.DataFrame]:
    """The year asked for (or the latest in the store) and the store's counts for it."""
    from ..errors import NotFound
    from ..store import Store
    from ..years import parse_year

    with Store(db, create=False) as st:
        years = st.years()
        if not years:
            raise NotFound("the store is empty: load data first with 'lgsco-stats compute FILE'")
        chosen = parse_year(year) if year else years[-1]
        if chosen not in years:
            raise NotFound(f"no data for {chosen}; years in the store: {', '.join(years)}")
        return chosen, st.counts([chosen])
