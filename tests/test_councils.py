from __future__ import annotations

import pytest

from lgsco_stats.councils import name_key, parse_group, register, slugify
from lgsco_stats.errors import NotFound, UsageError


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Southampton", "E06000045"),
        ("Southampton City Council", "E06000045"),
        ("SOUTHAMPTON CITY COUNCIL", "E06000045"),
        ("Southampton CC", "E06000045"),
        ("southampton ua", "E06000045"),
        ("London Borough of Barking & Dagenham", "E09000002"),
        ("Barking and Dagenham", "E09000002"),
        ("Kirklees Metropolitan Borough Council", "E08000034"),
        ("St Helens Metropolitan Borough Council", "E08000013"),
        ("St. Helens", "E08000013"),
        ("Royal Borough of Windsor & Maidenhead", "E06000040"),
        ("Kingston upon Hull", "E06000010"),
        ("Hull", "E06000010"),
        ("Kingston upon Hull, City of", "E06000010"),
        ("E06000045", "E06000045"),
        ("e06000045", "E06000045"),
        ("Kent County Council", "E10000016"),
        ("City of London", "E09000001"),
        ("Colchester City Council", "E07000071"),
    ],
)
def test_name_forms(name: str, code: str) -> None:
    c = register().resolve(name, "2019-20")
    assert c is not None and c.gss_code == code


def test_hull_is_never_solihull() -> None:
    assert register().resolve("Hull", "2019-20").gss_code == "E06000010"  # type: ignore[union-attr]
    assert register().resolve("Solihull", "2019-20").gss_code == "E08000029"  # type: ignore[union-attr]
    # and a part of a name is not a match
    assert register().resolve("hampton", "2019-20") is None


def test_somerset_county_then_unitary() -> None:
    reg = register()
    assert reg.resolve("Somerset", "2022-23").gss_code == "E10000027"  # type: ignore[union-attr]
    assert reg.resolve("Somerset", "2023-24").gss_code == "E06000066"  # type: ignore[union-attr]
    assert reg.resolve("Somerset County Council", "2022-23").type == "county"  # type: ignore[union-attr]
    assert reg.resolve("North Yorkshire", "2023-24").type == "unitary"  # type: ignore[union-attr]


def test_ambiguous_without_year_picks_current() -> None:
    assert register().resolve("Somerset").gss_code == "E06000066"  # type: ignore[union-attr]


def test_abolished_council_still_resolves_after_abolition() -> None:
    # Decisions about Dorset County Council can come after April 2019: the name resolves to the
    # old council, which did not exist in 2019-20 (the figures layer leaves it out of the group).
    c = register().resolve("Forest Heath District Council", "2020-21")
    assert c is not None and c.gss_code.startswith("E07") and not c.existed_in("2020-21")


def test_did_you_mean() -> None:
    with pytest.raises(NotFound, match="did you mean 'Southampton City Council'"):
        register().get("Southamptn", "2019-20")


def test_no_suggestion_for_nonsense() -> None:
    with pytest.raises(NotFound) as e:
        register().get("Quxxly Fire Authority", "2019-20")
    assert "did you mean" not in str(e.value)


def test_members_per_year_match_the_register_readme() -> None:
    reg = register()
    # councils.README.md: 2019-20 county 26, district 192, metropolitan 36, London 33, unitary 56
    counts = {
        g: len(reg.members(g, "2019-20"))
        for g in ("county", "district", "metropolitan", "london_borough", "unitary")
    }
    assert counts == {
        "county": 26,
        "district": 192,
        "metropolitan": 36,
        "london_borough": 33,
        "unitary": 56,
    }
    # 2023-24: 21, 164, 36, 33, 63 (317 in all)
    assert sum(len(reg.members(g, "2023-24")) for g in counts) == 317


def test_name_keys_are_unique_except_reorganised_councils() -> None:
    # Only names shared by a council and its successor of the same name may collide.
    reg = register()
    shared = {k: cs for k, cs in reg._by_key.items() if len(cs) > 1}
    assert set(shared) == {"buckinghamshire", "dorset", "north yorkshire", "somerset"}


def test_parse_group() -> None:
    assert parse_group("London borough") == "london_borough"
    assert parse_group("Unitary") == "unitary"
    with pytest.raises(UsageError):
        parse_group("parish")


def test_slug_is_safe() -> None:
    assert slugify("King’s Lynn & West Norfolk") == "kings-lynn-and-west-norfolk"
    assert "/" not in slugify("../../etc/passwd") and ".." not in slugify("../x")


def test_name_key_strips_council_words() -> None:
    assert name_key("The Royal Borough of Kingston upon Thames") == "kingston upon thames"


def test_successors_of_an_abolished_council_and_of_one_that_still_exists() -> None:
    from lgsco_stats.councils import register

    reg = register()
    # the register: Bournemouth Borough Council E06000028 ended 2019-03-31, replaced by BCP
    # E06000058; the North Yorkshire districts by North Yorkshire Council
    assert [c.name for c in reg.successors(reg.get("Bournemouth Borough Council"))] == [
        "Bournemouth, Christchurch and Poole Council"
    ]
    assert [c.gss_code for c in reg.successors(reg.get("Harrogate Borough Council"))] == [
        "E06000065"
    ]
    assert reg.successors(reg.get("Southampton City Council")) == []
