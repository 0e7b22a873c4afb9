"""Case-level tables: one row per decision (with compliance outcomes in columns of their own,
where given), or one row per compliance outcome.

This is the hot path of a load (a national year is 20,000 rows, ten years 200,000): every
column is read per distinct value (:meth:`~.cells.Loc.distinct`), never cell by cell, except
the reference, whose values are all distinct.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .. import outcomes as oc
from ..years import years_of
from . import cells, dates, layout
from .dataset import COMPLIANCE_COLUMNS, DECISION_COLUMNS

_DECISION_REQUIRED = ("reference", "authority", "decision_date", "outcome")
_COMPLIANCE_REQUIRED = ("authority", "date_recorded")


def note_rows(frame: pd.DataFrame, rows: pd.Series, loc: cells.Loc, key: list[str]) -> np.ndarray:
    """Rows of a case list that are notes or totals, not cases: no value in any of ``key``'s
    columns, at most two cells of text, one of them a note or a total ("Source: case
    system", "Total"). Found without a look at any row when every key cell is filled."""
    cols = [loc.fields[k] for k in key if k in loc.fields]
    if not cols:
        return np.zeros(len(frame), dtype=bool)
    empty = np.logical_and.reduce([frame[c].isna().to_numpy() for c in cols])
    if not empty.any():
        return empty
    out = np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(empty).tolist():
        texts = [str(v).strip() for v in frame.iloc[i].dropna().tolist() if str(v).strip()]
        out[i] = len(texts) <= 2 and any(layout.note_text(t) or layout.total_name(t) for t in texts)
    return out


def _skip_notes(
    frame: pd.DataFrame, rows: pd.Series, loc: cells.Loc, key: list[str]
) -> tuple[pd.DataFrame, pd.Series, cells.Loc, dict[str, list[int]]]:
    notes = note_rows(frame, rows, loc, key)
    if not notes.any():
        return frame, rows, loc, {}
    skipped = {"notes": rows[notes].astype(int).tolist()}
    loc.note("note", None, [], layout.skipped_line(skipped))
    frame, rows = frame[~notes], rows[~notes]
    return frame, rows, loc.with_fields(loc.fields, frame), skipped


def read_decisions(
    frame: pd.DataFrame,
    rows: pd.Series,
    loc: cells.Loc,
    today: dt.date | None,
) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, list[int]]]:
    """Decisions (``DECISION_COLUMNS``), the compliance outcomes given on the same rows, and
    the rows skipped as notes. A sheet without a remedy column has its remedies not reported
    (missing), never "no"."""
    fields = loc.fields
    cells.require(fields, _DECISION_REQUIRED, loc, "one row per decision")
    frame, rows, loc, skipped = _skip_notes(frame, rows, loc, ["decision_date", "outcome"])
    out = pd.DataFrame(index=frame.index)
    out["reference"] = cells.text(frame, fields, "reference")
    cells.blank_check(out["reference"].isna(), rows, "reference", loc)
    authority = loc.distinct("authority")
    cells.blank_check(authority.blank, rows, "authority", loc)
    out["authority"] = authority.column(frame.index)
    out["decision_date"] = dates.date_column(frame, fields, "decision_date", rows, loc, today, True)
    out["year"] = years_of(out["decision_date"])
    outcome = loc.distinct("outcome")
    cells.blank_check(outcome.blank, rows, "outcome", loc)
    out["outcome"] = cells.codes(outcome, rows, oc.outcome_code, "outcome", loc, "outcome")
    if "remedy_by_authority" in fields:
        remedy = cells.codes(
            loc.distinct("remedy_by_authority"),
            rows,
            oc.flag_value,
            "remedy_by_authority",
            loc,
            "yes/no value",
        )
        remedy = remedy.fillna(False).astype(bool)
        wrong = remedy & (out["outcome"] != oc.UPHELD) & out["outcome"].notna()
        if wrong.any():
            loc.error(
                "remedy_by_authority",
                rows[wrong].tolist(),
                "remedy by authority is marked on a decision that is not upheld",
            )
        out["remedy_by_authority"] = pd.array(remedy.to_numpy(), dtype="boolean")
    else:
        out["remedy_by_authority"] = pd.array([pd.NA] * len(frame), dtype="boolean")
    if "category" in fields:
        category = loc.distinct("category")
        named = [oc.canonical_category(v) for v in category.values]
        out["category"] = cells.text_column(named, category.codes, frame.index)
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
    if "compliance_outcome" in fields:
        has = ~loc.distinct("compliance_outcome").blank
        if has.any():
            if "date_recorded" not in fields:
                loc.error(
                    "compliance_outcome",
                    [],
                    "compliance outcomes need a 'Date recorded' column (a compliance outcome "
                    "counts in the year it was recorded)",
                )
            else:
                sub = frame[has]
                compliance = compliance_rows(
                    sub, rows[has], loc.with_fields(fields, sub), today, "compliance_outcome"
                )
    return out.reset_index(drop=True)[list(DECISION_COLUMNS)], compliance, skipped


def read_compliance(
    frame: pd.DataFrame, rows: pd.Series, loc: cells.Loc, today: dt.date | None
) -> tuple[pd.DataFrame, dict[str, list[int]]]:
    """Compliance outcomes (``COMPLIANCE_COLUMNS``) and the rows skipped as notes."""
    cells.require(loc.fields, _COMPLIANCE_REQUIRED, loc, "compliance outcomes")
    frame, rows, loc, skipped = _skip_notes(
        frame, rows, loc, ["date_recorded", "compliance_outcome"]
    )
    return compliance_rows(frame, rows, loc, today, "compliance_outcome"), skipped


def compliance_rows(
    frame: pd.DataFrame,
    rows: pd.Series,
    loc: cells.Loc,
    today: dt.date | None,
    comp_field: str,
) -> pd.DataFrame:
    fields = loc.fields
    out = pd.DataFrame(index=frame.index)
    out["reference"] = cells.text(frame, fields, "reference")
    authority = loc.distinct("authority")
    cells.blank_check(authority.blank, rows, "authority", loc)
    out["authority"] = authority.column(frame.index)
    out["date_recorded"] = dates.date_column(frame, fields, "date_recorded", rows, loc, today, True)
    out["year"] = years_of(out["date_recorded"])
    value = loc.distinct(comp_field)
    cells.blank_check(value.blank, rows, comp_field, loc)
    out["outcome"] = cells.codes(
        value, rows, oc.compliance_code, comp_field, loc, "compliance outcome"
    )
    out["source"] = cells.source(loc)
    out["row"] = rows
    return out.reset_index(drop=True)[list(COMPLIANCE_COLUMNS)]
