from __future__ import annotations

from lgsco_stats.read.files import read_file
from tests.conftest import decisions_rows


def test_compute_then_compare(cli, make_xlsx):
    path = make_xlsx(
        {
            "Decisions": decisions_rows(
                [
                    ("Kent County Council", "Upheld", 53, None),
                    ("Kent County Council", "Not upheld", 8, None),
                ]
            )
        }
    )
    assert len(read_file(path).decisions) == 61
    r = cli("compute", path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    assert '"uphold_rate":86.88524590163935' in r.stdout
    r = cli("compare", "--type", "county")
    assert r.exit_code == 0, r.stderr
    assert "87% (53/61)" in r.stdout
