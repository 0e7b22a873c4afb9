"""What a new user met trying the tool from the README and hand-made spreadsheets (the QA
round after issues 14, 15 and 17): each test failed before its fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import decisions_rows

COMPLIANCE_HEADER = ("Reference", "Authority", "Date recorded", "Compliance outcome")


def _somerset_after_the_change(make_xlsx) -> Path:
    """Somerset Council (unitary from April 2023) with decisions in 2023-24, beside two
    compliance outcomes recorded in May 2023 for the abolished Somerset County Council, and
    Kent and Dorset so that both groups have members."""
    decisions = decisions_rows(
        [
            ("Somerset Council", "Upheld", 3, None),
            ("Somerset Council", "Not upheld", 1, None),
            ("Dorset Council", "Upheld", 1, None),
            ("Kent County Council", "Upheld", 2, None),
        ],
        start=dt.date(2023, 6, 1),
    )
    compliance = [
        COMPLIANCE_HEADER,
        ("C1", "Somerset County Council", dt.datetime(2023, 5, 1), "Complied"),
        ("C2", "Somerset County Council", dt.datetime(2023, 5, 2), "Complied"),
    ]
    return make_xlsx({"Decisions": decisions, "Compliance": compliance})


def test_compute_table_puts_an_abolished_council_in_no_group(cli, make_xlsx) -> None:
    # Somerset County Council was abolished on 31 March 2023: its 2023-24 row (two compliance
    # outcomes) is in no comparison group, as trend and the JSON's group_note say; the table's
    # Group column said "County councils".
    r = cli("compute", _somerset_after_the_change(make_xlsx))
    assert r.exit_code == 0, r.stderr
    row = next(line for line in r.stdout.splitlines() if "Somerset County Council" in line)
    assert "County councils" not in row
    assert row.split()[3] == "none"  # Somerset County Council  none  2023-24 …
    kent = next(line for line in r.stdout.splitlines() if "Kent County Council" in line)
    assert "County councils" in kent

