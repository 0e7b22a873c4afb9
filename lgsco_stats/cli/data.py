"""Getting figures out of the store for commands that do not read spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    """The year asked for (or the latest with decisions in the store) and its counts."""
    from ..errors import NotFound
    from ..store import Store
    from ..years import parse_year

    with Store(db, create=False) as st:
        # By default the latest year with decisions: a later year may hold only compliance
        # outcomes recorded after its last decisions, which makes a thin comparison. A year with
        # decisions is a year of the store, so then the list of every year (another scan of the
        # store) is not needed.
        decided = [] if year else st.decision_years()
        if decided:
            chosen = decided[-1]
        else:
            years = st.years()
            if not years:
                raise NotFound(
                    "the store is empty: load data first with 'lgsco-stats compute FILE'"
                )
            chosen = parse_year(year) if year else years[-1]
            if chosen not in years:
                raise NotFound(f"no data for {chosen}; years in the store: {', '.join(years)}")
        return chosen, st.counts([chosen])


def default_year(db: Path | None) -> str:
    """The latest year with decisions in the store (or the latest year of any data)."""
    from ..errors import NotFound
    from ..store import Store

    with Store(db, create=False) as st:
        years = st.decision_years() or st.years()
    if not years:
        raise NotFound("the store is empty: load data first with 'lgsco-stats compute FILE'")
    return years[-1]


def all_figures(db: Path | None, average: str) -> tuple[list[str], pd.DataFrame]:
    """Every year in the store and the figures of all of them."""
    from ..councils import register
    from ..errors import NotFound
    from ..figures import council_figures
    from ..store import Store

    with Store(db, create=False) as st:
        years = st.years()
        if not years:
            raise NotFound("the store is empty: load data first with 'lgsco-stats compute FILE'")
        counts = st.counts()
    return years, council_figures(counts, register(), average)


def site_data(
    db: Path | None, average: str
) -> tuple[list[str], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """What the report site needs: every year, the figures of all of them, decisions by
    category (case-level data) and complaints received by category (published tables)."""
    from ..councils import register
    from ..errors import NotFound
    from ..figures import council_figures
    from ..store import Store

    with Store(db, create=False) as st:
        years = st.years()
        if not years:
            raise NotFound("the store is empty: load data first with 'lgsco-stats compute FILE'")
        counts = st.counts()
        categories = st.category_counts()
        received = st.received_counts()
    return years, council_figures(counts, register(), average), categories, received


def council_in_a_group(reg: Any, name: str, year: str, figures: pd.DataFrame) -> Any:
    """The council ``--council`` names, for commands that place it in its group (compare,
    chart); a body outside the register that is in the data is told it has no group."""
    from ..errors import UsageError

    outside = figures[figures["gss_code"].isna()]
    keys, names = outside["authority_key"].tolist(), outside["council"].tolist()
    bodies = {str(k): str(v) for k, v in zip(keys, names, strict=True)}
    found = reg.lookup(name, year, bodies=bodies)
    if isinstance(found, str):
        raise UsageError(
            f"{bodies[found]} is outside the register of councils, so it is in no comparison "
            f"group; its own figures: lgsco-stats trend --council {bodies[found]!r}"
        )
    if not found.existed_in(year):
        # Somerset County Council in 2023-24: compare and chart placed it in the county
        # councils' table or funnel of a year it was in no group (figures.py leaves it out)
        if found.end_date is not None and found.end_date.isoformat() < year[:4] + "-04-01":
            when = f"was abolished on {found.end_date:%-d %B %Y}"
        else:
            when = f"did not exist in {year}"
        after = reg.successors(found)
        by = f" (succeeded by {' and '.join(c.name for c in after)})" if after else ""
        successor = (
            f"for its successor: lgsco-stats compare --council {after[0].name!r} --year {year}; "
            if len(after) == 1 and after[0].existed_in(year)
            else ""
        )
        raise UsageError(
            f"{found.name} {when}{by}, so it is in no comparison group in {year}; {successor}"
            f"its figures year by year: lgsco-stats trend --council {found.name!r}"
        )
    return found
