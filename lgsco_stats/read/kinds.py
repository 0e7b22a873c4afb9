"""The kind of a sheet, from its headers and its values, as a person tells them apart.

``decisions``
    one row per decision: an outcome column holding decision outcomes (Upheld, Not upheld, …)
    beside a reference or a date;
``compliance``
    one row per compliance outcome: an outcome column holding compliance outcomes (Complied,
    Complied late, Not complied), whatever its date column is called (``Date recorded``,
    ``Recorded``, ``Date``, even ``Decision date``);
``published``
    one row per authority (and year): an authority column beside counts or rates.

A workbook may hold all three, a sheet each. A date column whose header does not say which
date it is (``Date``) takes its meaning from the kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import outcomes as oc
from .columns import Distinct
from .headers import FIELDS

# The fields of a published table's counts and rates.
COUNT_FIELDS = frozenset(oc.COUNT_COLUMNS) | {oc.COMPLIED_TOTAL}
RATE_FIELDS = frozenset(oc.GIVEN_RATES)
KINDS = ("decisions", "compliance", "published")
KIND_LABELS = {
    "decisions": "decisions (one row per decision)",
    "compliance": "compliance outcomes (one row per outcome)",
    "published": "a published table (one row per authority)",
}
assert COUNT_FIELDS <= set(FIELDS) and RATE_FIELDS <= set(FIELDS)


@dataclass(frozen=True)
class Kind:
    """A sheet's kind (None: none of the three), why, and its fields as that kind reads them."""

    kind: str | None
    why: str
    fields: dict[str, int]


def _outcome_vocabulary(values: Distinct) -> tuple[int, int]:
    """How many of a column's distinct values are decision outcomes, and how many are
    compliance outcomes."""
    decisions = sum(oc.outcome_code(v) is not None for v in values.values)
    compliance = sum(oc.compliance_code(v) is not None for v in values.values)
    return decisions, compliance


def sheet_kind(fields: dict[str, int], outcome_values: Distinct | None) -> Kind:
    """The kind of a sheet with these recognised fields; ``outcome_values`` are the distinct
    values of its ``outcome`` column (None when it has none)."""
    f = dict(fields)
    has_outcome = "outcome" in f or "compliance_outcome" in f
    case_like = "reference" in f or any(d in f for d in ("decision_date", "date_recorded", "date"))
    if has_outcome and case_like:
        if "outcome" in f and outcome_values is not None:
            decisions, compliance = _outcome_vocabulary(outcome_values)
            is_compliance = compliance > decisions
            why = f"its column {'outcome'!r} holds " + (
                "compliance outcomes" if is_compliance else "decision outcomes"
            )
        else:  # a compliance outcome column and no decision outcome column
            is_compliance = True
            why = "it has a compliance outcome column and no decision outcome column"
        if is_compliance:
            if "outcome" in f:
                f["compliance_outcome"] = f.pop("outcome")
            for date in ("date", "decision_date"):
                if "date_recorded" not in f and date in f:
                    f["date_recorded"] = f.pop(date)
            return Kind("compliance", why, f)
        if "decision_date" not in f and "date" in f:
            f["decision_date"] = f.pop("date")
        return Kind("decisions", why, f)
    if "authority" in f and (set(f) & (COUNT_FIELDS | RATE_FIELDS)):
        return Kind("published", "it has an authority column and counts or rates", f)
    if "decision_date" in f and "reference" in f:
        return Kind("decisions", "it has a reference and a decision date", f)
    return Kind(None, "", f)
