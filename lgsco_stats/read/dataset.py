"""What reading gives: a :class:`Dataset` of three DataFrames with fixed columns.

Every frame carries ``source`` (file name, sheet) and ``row`` (the 1-based row in the sheet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..outcomes import COUNT_COLUMNS, GIVEN_RATES
from .problems import Problem

DECISION_COLUMNS = (
    "reference",
    "authority",
    "decision_date",
    "year",
    "outcome",
    "remedy_by_authority",
    "category",
    "received_date",
    "source",
    "row",
)
COMPLIANCE_COLUMNS = ("reference", "authority", "date_recorded", "year", "outcome", "source", "row")
PUBLISHED_COLUMNS = ("authority", "year", *COUNT_COLUMNS, *GIVEN_RATES, "source", "row")
# Complaints received by category, from published tables' category columns (long form).
RECEIVED_COLUMNS = ("authority", "year", "category", "received", "source", "row")


@dataclass
class Dataset:
    """What one or more files hold, in three frames with the ``*_COLUMNS`` columns, with the
    warnings and notes reading made (``problems``: errors are raised, never kept) and what it
    found in each sheet (``reports``, see :class:`~.report.SheetReport`)."""

    decisions: pd.DataFrame = field(default_factory=lambda: empty(DECISION_COLUMNS))
    compliance: pd.DataFrame = field(default_factory=lambda: empty(COMPLIANCE_COLUMNS))
    published: pd.DataFrame = field(default_factory=lambda: empty(PUBLISHED_COLUMNS))
    sheets: list[str] = field(default_factory=list)
    received: pd.DataFrame = field(default_factory=lambda: empty(RECEIVED_COLUMNS))
    problems: list[Problem] = field(default_factory=list)
    reports: list[Any] = field(default_factory=list)
    # What the user should know about how the files were read (a hidden sheet was read), for
    # the command line to show; reading never prints.
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[str]:
        ys: set[str] = set()
        for f in (self.decisions, self.compliance, self.published):
            ys.update(y for y in f["year"].dropna().unique())
        return sorted(ys)

    def __len__(self) -> int:
        return len(self.decisions) + len(self.compliance) + len(self.published)


def empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
