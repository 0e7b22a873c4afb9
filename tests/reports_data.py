"""A small two-year store for the trend, summary, chart and report tests, worked out by hand.

2022-23 (decided 1 June 2022):
  Somerset County Council (county)   6 upheld, 4 not upheld  -> 60%; remedy 3 of 6 -> 50%
  Kent County Council (county)       9 upheld, 1 not upheld  -> 90%; remedy 0 of 9 -> 0%
  county mean uphold (60 + 90) / 2 = 75; mean remedy (50 + 0) / 2 = 25
2023-24 (decided 1 June 2023):
  Somerset Council (unitary)         8 upheld, 2 not upheld  -> 80%; remedy 2 of 8 -> 25%
                                     + 5 closed after initial enquiries (15 decisions)
  Dorset Council (unitary)           5 upheld, 5 not upheld  -> 50%; remedy 0 of 5 -> 0%
  Kent County Council (county)       9 upheld, 1 not upheld  -> 90%
  Transport for London (no group)    1 upheld, 1 not upheld  -> 50% (2 cases: under 10)
  unitary mean uphold (80 + 50) / 2 = 65; pooled (8 + 5) / (10 + 10) = 65
  national pooled uphold (8 + 5 + 9 + 1) / (10 + 10 + 10 + 2) = 23 / 32 = 71.875 -> 72%
Compliance outcomes (recorded 1 September 2023): Somerset Council 3 complied, 1 complied late,
1 not complied -> 4 / 5 = 80%; Dorset 2 complied -> 100%.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.conftest import DECISION_HEADER, write_xlsx

Y1 = dt.datetime(2022, 6, 1)
Y2 = dt.datetime(2023, 6, 1)

SPEC: list[tuple[dt.datetime, str, str, int, str | None]] = [
    (Y1, "Somerset County Council", "Upheld", 3, "Yes"),
    (Y1, "Somerset County Council", "Upheld", 3, None),
    (Y1, "Somerset County Council", "Not upheld", 4, None),
    (Y1, "Kent County Council", "Upheld", 9, None),
    (Y1, "Kent County Council", "Not upheld", 1, None),
    (Y2, "Somerset Council", "Upheld", 2, "Yes"),
    (Y2, "Somerset Council", "Upheld", 6, None),
    (Y2, "Somerset Council", "Not upheld", 2, None),
    (Y2, "Somerset Council", "Closed after initial enquiries", 5, None),
    (Y2, "Dorset Council", "Upheld", 5, None),
    (Y2, "Dorset Council", "Not upheld", 5, None),
    (Y2, "Kent County Council", "Upheld", 9, None),
    (Y2, "Kent County Council", "Not upheld", 1, None),
    (Y2, "Transport for London", "Upheld", 1, None),
    (Y2, "Transport for London", "Not upheld", 1, None),
]

COMPLIANCE: list[tuple[str, str, int]] = [
    ("Somerset Council", "Complied", 3),
    ("Somerset Council", "Complied late", 1),
    ("Somerset Council", "Not complied", 1),
    ("Dorset Council", "Complied", 2),
]

CATEGORIES = ("Housing", "Adult care services", "Education & children's services")


def rows(
    spec: Sequence[tuple[dt.datetime, str, str, int, str | None]] = SPEC,
) -> list[tuple[Any, ...]]:
    """Decision rows with unique references; categories cycle Housing, Adult care, Education."""
    out: list[tuple[Any, ...]] = [DECISION_HEADER]
    n = 0
    for when, authority, outcome, count, remedy in spec:
        for _ in range(count):
            n += 1
            out.append(
                (f"22 {n:03d} {when.year}", authority, when, outcome, remedy, CATEGORIES[n % 3])
            )
    return out


def compliance_rows() -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = [("Reference", "Authority", "Date recorded", "Compliance outcome")]
    n = 0
    for authority, outcome, count in COMPLIANCE:
        for _ in range(count):
            n += 1
            out.append((f"23 {n:03d} C", authority, dt.datetime(2023, 9, 1), outcome))
    return out


def workbook(path: Path) -> Path:
    return write_xlsx(path, {"Decisions": rows(), "Compliance": compliance_rows()})
