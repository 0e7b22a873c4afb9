"""Loading a workbook into the store again: nothing changes (rows, figures, file size); a
corrected workbook with the same case references replaces the old rows."""

from __future__ import annotations

from tests.conftest import decisions_rows

KENT = "Kent County Council"


def test_loading_the_same_workbook_again_changes_nothing(cli, make_xlsx, db_path):
    path = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    (KENT, "Upheld", 3, None),
                    (KENT, "Not upheld", 1, None),
                ]
            )
        }
    )
    assert cli("compute", path, "--format", "json").exit_code == 0
    size = db_path.stat().st_size
    first = cli("compare", "--type", "county", "--format", "json").stdout
    r = cli("compute", path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert db_path.stat().st_size == size
    assert cli("compare", "--type", "county", "--format", "json").stdout == first


def test_a_corrected_workbook_replaces_the_rows(cli, make_xlsx):
    # references 1-3 upheld, 4 not upheld: 3 of 4 investigations upheld = 75%
    before = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    (KENT, "Upheld", 3, None),
                    (KENT, "Not upheld", 1, None),
                ]
            )
        },
        name="before.xlsx",
    )
    # the same four references, reference 3 now not upheld: 2 of 4 = 50%
    after = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    (KENT, "Upheld", 2, None),
                    (KENT, "Not upheld", 2, None),
                ]
            )
        },
        name="after.xlsx",
    )
    assert cli("compute", before).exit_code == 0
    assert "75% (3/4)" in cli("compare", "--type", "county").stdout
    r = cli("compute", after)
    assert r.exit_code == 0, r.stderr
    out = cli("compare", "--type", "county").stdout
    assert "50% (2/4)" in out
    assert "75%" not in out
