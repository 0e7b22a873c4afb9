"""One council resolver, one behaviour, in every command that takes --council (issue 17):
codes, names, short names and aliases, a unique whole-word match ("scilly"), the candidates
listed when a name fits several, "did you mean" when it fits none, never a fuzzy match."""

from __future__ import annotations

import pytest

from lgsco_stats.councils import register
from lgsco_stats.errors import NotFound, UsageError

SPEC = [
    ("Council of the Isles of Scilly", "Upheld", 2, None),
    ("Isles of Scilly", "Not upheld", 1, None),
    ("Hull City Council", "Upheld", 3, None),
    ("Kingston upon Hull", "Not upheld", 1, None),
    ("Royal Borough of Kingston upon Thames", "Upheld", 1, None),
    ("Kingston upon Thames", "Not upheld", 1, None),
    ("Solihull", "Upheld", 1, None),
    ("Solihull", "Not upheld", 3, None),
    ("Transport for London", "Upheld", 1, None),
]


@pytest.fixture
def loaded(cli, store_spec):
    store_spec(SPEC)
    return cli


def commands(tmp):
    """Every command's way of naming one council, as (args before the name, after it)."""
    return {
        "letter": (["letter", "--council"], []),
        "trend": (["trend", "--council"], ["-f", "json"]),
        "chart": (["chart", "--output", str(tmp / "c.svg"), "--council"], []),
        "compare": (["compare", "-f", "json", "--council"], []),
        "chart group": (
            ["chart", "--output", str(tmp / "g.svg"), "--year", "2019-20", "--council"],
            [],
        ),
    }


NAMES = ["letter", "trend", "chart", "compare", "chart group"]


def run(loaded, tmp_path, command, name):
    before, after = commands(tmp_path)[command]
    return loaded(*before, name, *after)


@pytest.mark.parametrize("command", NAMES)
def test_a_unique_word_finds_the_council(loaded, tmp_path, command) -> None:
    r = run(loaded, tmp_path, command, "scilly")
    assert r.exit_code == 0, r.stderr
    assert "Isles of Scilly" in r.stdout + r.stderr + _svg(tmp_path)


@pytest.mark.parametrize("command", NAMES)
def test_a_word_of_two_councils_lists_both(loaded, tmp_path, command) -> None:
    r = run(loaded, tmp_path, command, "kingston")
    assert r.exit_code == 2, r.stderr
    assert (
        "'kingston' could mean Hull City Council, Royal Borough of Kingston upon Thames" in r.stderr
    )
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("command", NAMES)
def test_hull_is_never_solihull(loaded, tmp_path, command) -> None:
    r = run(loaded, tmp_path, command, "Hull")
    assert r.exit_code == 0, r.stderr
    assert "Solihull" not in r.stdout + r.stderr + _svg(tmp_path)
    assert "Hull City Council" in r.stdout + r.stderr + _svg(tmp_path)


@pytest.mark.parametrize("command", NAMES)
def test_a_misspelling_gets_did_you_mean_never_a_guess(loaded, tmp_path, command) -> None:
    r = run(loaded, tmp_path, command, "Solihul")
    assert r.exit_code == 1
    assert "no council called 'Solihul'; did you mean 'Solihull Metropolitan Borough Council'?" in (
        r.stderr
    )


def _svg(tmp_path) -> str:
    return "".join(p.read_text() for p in tmp_path.glob("*.svg"))


def test_councils_uses_the_same_resolver(cli) -> None:
    r = cli("councils", "scilly", "-f", "json")
    assert r.exit_code == 0 and '"Council of the Isles of Scilly"' in r.stdout
    r = cli("councils", "kingston", "-f", "csv")
    names = sorted(line.split(",")[1] for line in r.stdout.splitlines()[1:])
    assert names == ["Hull City Council", "Royal Borough of Kingston upon Thames"]
    r = cli("councils", "Hull", "-f", "csv")
    assert "Solihull" not in r.stdout and r.stdout.count("\n") == 2
    # browsing: text anywhere in a name, when no council is named
    r = cli("councils", "soli", "-f", "csv")
    assert "Solihull Metropolitan Borough Council" in r.stdout
    r = cli("councils", "Nowhereshire")
    assert r.exit_code == 1 and "no council called 'Nowhereshire'" in r.stderr


def test_bodies_outside_the_register_by_name_and_words(loaded, tmp_path) -> None:
    for name in ("Transport for London", "transport for london", "Transport London"):
        r = loaded("letter", "--council", name)
        assert r.exit_code == 0, (name, r.stderr)
        assert "Transport for London" in r.stdout
        r = loaded("trend", "--council", name, "-f", "json")
        assert r.exit_code == 0 and '"Transport for London"' in r.stdout
    r = loaded("letter", "--council", "Transport for Londno")
    assert r.exit_code == 1 and "did you mean 'Transport for London'?" in r.stderr


def test_lookup_rules() -> None:
    reg = register()
    assert reg.get("E06000053").name == "Council of the Isles of Scilly"
    assert reg.get("scilly").name == "Council of the Isles of Scilly"
    assert reg.get("Kingston upon Hull").name == "Hull City Council"  # the short name
    assert reg.get("hull").name == "Hull City Council"  # an alias, not a part of "Solihull"
    assert reg.get("St Helens").name == reg.get("saint helens").name
    # a word of councils of different years: the one that existed in the year
    assert reg.get("taunton", "2017-18").name == "Taunton Deane Borough Council"
    assert reg.get("taunton", "2020-21").name == "Somerset West and Taunton Council"
    with pytest.raises(UsageError, match="could mean Somerset West and Taunton Council"):
        reg.get("taunton")
    with pytest.raises(UsageError, match="and \\d+ more"):
        reg.get("city")
    with pytest.raises(NotFound, match="did you mean"):
        reg.get("Southamptn")
    with pytest.raises(NotFound):
        reg.get("oli")  # never a part of a word
    bodies = {"name:transport for london": "Transport for London"}
    assert reg.lookup("Transport for London", bodies=bodies) == "name:transport for london"
    assert reg.lookup("london transport", bodies=bodies) == "name:transport for london"
    assert reg.lookup("camden", bodies=bodies).name == "London Borough of Camden"


def test_a_body_has_no_group_to_compare_or_chart_in(loaded, tmp_path) -> None:
    for args in (
        ("compare", "--council", "transport for london"),
        ("chart", "--type", "unitary", "--council", "Transport London", "-o", tmp_path / "c.png"),
    ):
        r = loaded(*args)
        assert r.exit_code == 2, r.stderr
        assert "Transport for London is outside the register of councils" in r.stderr
        assert "lgsco-stats trend --council 'Transport for London'" in r.stderr
