"""Options as a user of sqlite-utils or csvkit expects them: --version, --debug anywhere, the
output's suffix choosing its format, md for markdown, xlsx everywhere, year and option words,
and the messages a new user met (issue 17)."""

from __future__ import annotations

import pytest

from lgsco_stats.errors import DataError
from tests.conftest import decisions_rows

SPEC = [
    ("Southampton City Council", "Upheld", 3, None),
    ("Southampton", "Not upheld", 1, None),
    ("Portsmouth", "Upheld", 1, None),
    ("Portsmouth", "Not upheld", 1, None),
    ("Kent County Council", "Upheld", 53, None),
    ("Kent County Council", "Not upheld", 8, None),
    ("London Borough of Camden", "Upheld", 2, None),
    ("Camden", "Not upheld", 2, None),
    ("Transport for London", "Upheld", 1, None),
]


@pytest.fixture
def loaded(cli, make_xlsx):
    path = make_xlsx({"Decisions": decisions_rows(SPEC)})
    r = cli("compute", path, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return path


def test_version_prints_and_exits_0(cli) -> None:
    from importlib.metadata import version

    r = cli("--version")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"lgsco-stats {version('lgsco-stats')}"
    assert "Missing command" not in r.output


def test_debug_after_the_command_name_shows_the_traceback(cli, make_xlsx) -> None:
    path = make_xlsx({"D": decisions_rows([("Kent", "Maybe", 1, None)])})
    r = cli("compute", path)
    assert r.exit_code == 1 and "Traceback" not in r.stderr
    with pytest.raises(DataError):
        cli("compute", path, "--debug")
    with pytest.raises(DataError):
        cli("--debug", "compute", path)
    # and the next command without it is back to one line
    assert cli("compute", path).exit_code == 1
