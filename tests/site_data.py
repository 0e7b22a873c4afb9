"""The report site tests' data: tests/reports_data.py's two years and three more councils of
2023-24 (decided 1 June 2023), so that groups have members enough to compare, and names a
search must tell apart. Worked by hand:

  Hull City Council (unitary)          3 upheld, 0 not upheld -> 100%; remedy 0 of 3 -> 0%
  Southampton City Council (unitary)   0 upheld, 2 not upheld -> 0%; no upheld, no remedy rate
  Solihull MBC (metropolitan, alone)   1 upheld -> 100%

  unitary 2023-24 uphold: Somerset 80, Dorset 50, Hull 100, Southampton 0
      mean (80 + 50 + 100 + 0) / 4 = 57.5 -> 58%; Somerset +22 (80 - 58), 2nd of 4
  unitary 2023-24 remedy: Somerset 25 (2 of 8), Dorset 0 (0 of 5), Hull 0 (0 of 3)
      mean 25 / 3 = 8.33 -> 8%; Somerset +17, 1st of 3
  unitary 2023-24 compliance: Somerset 80 (4 of 5), Dorset 100 (2 of 2): only one other
      council has a rate besides each, too few for a comparison (figures.MIN_OTHERS = 2)
  county 2022-23: Somerset County Council and Kent only: no comparison
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_xlsx
from tests.reports_data import SPEC, Y2, compliance_rows, rows

EXTRA = [
    (Y2, "Hull City Council", "Upheld", 3, None),
    (Y2, "Southampton City Council", "Not upheld", 2, None),
    (Y2, "Solihull Metropolitan Borough Council", "Upheld", 1, None),
]


def site_workbook(path: Path) -> Path:
    return write_xlsx(path, {"Decisions": rows([*SPEC, *EXTRA]), "Compliance": compliance_rows()})
