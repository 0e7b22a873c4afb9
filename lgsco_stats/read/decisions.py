"""Case-level tables: one row per decision (with compliance outcomes in columns of their own,
where given), or one row per compliance outcome."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from .. import outcomes as oc
from ..errors import DataError
from ..years import years_of
from . import cells, dates
from .dataset import COMPLIANCE_COLUMNS, DECISION_COLUMNS

_DECISION_REQUIRED = ("reference", "authority", "decision_date", "outcome")
_COMPLIANCE_REQUIRED = ("authority", "date_recorded")


def read_decisions(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: cells.Loc,
    today: dt.date | None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    cells.require(frame, fields, _DECISION_REQUIRED, loc, "one row per decision")
    out = pd.DataFrame(index=frame.index)
    out["reference"] = cells.text(frame, fields, "reference")
    cells.blank_check(out["reference"].isna(), rows, "reference", loc)
    authority = cells.distinct(frame, fields, "authority")
    cells.blank_check(authority.blank, rows, "authority", loc)
    out["authority"] = authority.column(frame.index)
    out["decision_date"] = dates.date_column(frame, fields, "decision_date", rows, loc, today, True)
    out["year"] = years_of(out["decision_date"])
    outcome = cells.distinct(frame, fields, "outcome")
    cells.blank_check(outcome.blank, rows, "outcome", loc)
    out["outcome"] = cells.codes(outcome, rows, oc.outcome_code, "outcome", loc, "outcome")
    if "remedy_by_authority" in fields:
        remedy = cells.codes(
            cells.distinct(frame, fields, "remedy_by_authority"),
            rows,
            oc.flag_value,
            "remedy_by_authority",
            loc,
            "yes/no value",
        )
        remedy = remedy.fillna(False).astype(bool)
        wrong = remedy & (out["outcome"] != oc.UPHELD)
        if wrong.any():
            raise DataError(
                f"{loc.at('remedy_by_authority', rows[wrong].tolist())}: remedy by authority is "
                "marked on a decision that is not upheld"
            )
        out["remedy_by_authority"] = remedy
    else:
        out["remedy_by_authority"] = False
    if "category" in fields:
        category = cells.distinct(frame, fields, "category")
        out["category"] = category.column(frame.index)
    else:
        out["category"] = cells.text(frame, fields, "category")
    if "received_date" in fields:
        out["received_date"] = dates.date_column(
            frame, fields, "received_date", rows, loc, today, False
        )
    else:
        out["received_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    out["source"] = cells.source(loc)
    out["row"] = rows
    compliance = None
    comp_field = "compliance_outcome" if "compliance_outcome" in fields else None
    if comp_field:
        has = ~cells.distinct(frame, fields, comp_field).blank
        if has.any():
            sub = frame[has]
            if "date_recorded" not in fields:
                raise DataError(
                    f"{loc.raw.label}: compliance outcomes need a 'Date recorded' column "
                    "(a compliance outcome counts in the year it was recorded)"
                )
            compliance = compliance_rows(sub, rows[has], fields, loc, today, comp_field)
    return out.reset_index(drop=True)[list(DECISION_COLUMNS)], compliance


def read_compliance(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: cells.Loc,
    today: dt.date | None,
) -> pd.DataFrame:
    comp_field = "compliance_outcome" if "compliance_outcome" in fields else "outcome"
    cells.require(frame, fields, _COMPLIANCE_REQUIRED, loc, "compliance outcomes")
    return compliance_rows(frame, rows, fields, loc, today, comp_field)


def compliance_rows(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: cells.Loc,
    today: dt.date | None,
    comp_field: str,
) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    out["reference"] = cells.text(frame, fields, "reference")
    authority = cells.distinct(frame, fields, "authority")
    cells.blank_check(authority.blank, rows, "authority", loc)
    out["authority"] = authority.column(frame.index)
    out["date_recorded"] = dates.date_column(frame, fields, "date_recorded", rows, loc, today, True)
    out["year"] = years_of(out["date_recorded"])
    value = cells.distinct(frame, fields, comp_field)
    cells.blank_check(value.blank, rows, comp_field, loc)
    out["outcome"] = cells.codes(
        value, rows, oc.compliance_code, comp_field, loc, "compliance outcome"
    )
    out["source"] = cells.source(loc)
    out["row"] = rows
    return out.reset_index(drop=True)[list(COMPLIANCE_COLUMNS)]
