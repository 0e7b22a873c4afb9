"""Upheld decisions per 100,000 residents: the shipped ONS estimates, the mid-(Y-1) rule, the
group's per-100k figure (mean and pooled) and a user's own populations.

Expected values are worked out by hand from the populations in ``data/populations.csv`` (the
working is beside each test); the first two are figures the Ombudsman published.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lgsco_stats import populations as pops
from lgsco_stats.errors import DataError
from lgsco_stats.figures import figures_of, group_benchmarks
from lgsco_stats.read.files import read_file
from lgsco_stats.read.population import read_population
from lgsco_stats.rounding import format_number

HEADER = "Authority,Year,Upheld,Not upheld\n"


def published(tmp_path: Path, rows: str, name: str = "table.csv") -> Path:
    """A published table as a council officer would type it: a CSV of upheld and not upheld."""
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def figures(path: Path, average: str = "mean") -> pd.DataFrame:
    return figures_of(read_file(path), average=average)


def one(f: pd.DataFrame, code: str, year: str) -> pd.Series:
    return f[(f["gss_code"] == code) & (f["year"] == year)].iloc[0]


# --------------------------------------------------------------------------- the rule


def test_population_year_rule() -> None:
    # year Y-(Y+1) uses mid-(Y-1)
    assert pops.population_year("2022-23") == 2021
    assert pops.population_year("2023-24") == 2022
    assert pops.population_year("2015-16") == 2014


def test_shipped_table_has_every_row_and_the_checked_figures() -> None:
    table = pops.ons_populations()
    assert len(table) == 3716  # the README's row count
    assert table[("E06000045", 2020)] == 252_872  # Southampton, equals the register's mid-2020
    assert table[("E08000025", 2022)] == 1_157_603  # Birmingham
    assert table[("E10000016", 2022)] == 1_593_191  # Kent


def test_croydon_2022_23_as_published(tmp_path: Path) -> None:
    # The Ombudsman: Croydon 2022-23, 57 upheld, 14.6 per 100,000. Mid-2021: 390,506.
    # 5,700,000 / 390,506 = 14.596 -> 14.6 (mid-2020's 386,710 would give 14.7).
    f = figures(published(tmp_path, "Croydon,2022-23,57,11\n"))
    c = one(f, "E09000008", "2022-23")
    assert (c["population"], c["population_year"]) == (390_506, 2021)
    assert c["population_source"] == "ONS mid-2021"
    assert c["upheld_per_100k"] == pytest.approx(57e5 / 390_506)
    assert format_number(c["upheld_per_100k"]) == "14.6"


def test_birmingham_2023_24_as_published(tmp_path: Path) -> None:
    # The Ombudsman: Birmingham 2023-24, 115 upheld. Mid-2022: 1,157,603.
    # 11,500,000 / 1,157,603 = 9.934 -> 9.9.
    f = figures(published(tmp_path, "Birmingham City Council,2023-24,115,20\n"))
    b = one(f, "E08000025", "2023-24")
    assert (b["population"], b["population_year"]) == (1_157_603, 2022)
    assert format_number(b["upheld_per_100k"]) == "9.9"


def test_first_year_uses_mid_2014_and_the_year_before_has_none(tmp_path: Path) -> None:
    # 2015-16 uses mid-2014 (Croydon 376,040): 57e5 / 376,040 = 15.158 -> 15.2.
    # 2014-15 would need mid-2013, which is not in the table: n/a, not mid-2014's figure.
    f = figures(published(tmp_path, "Croydon,2015-16,57,11\nCroydon,2014-15,57,11\n"))
    first = one(f, "E09000008", "2015-16")
    assert (first["population"], first["population_year"]) == (376_040, 2014)
    assert format_number(first["upheld_per_100k"]) == "15.2"
    before = one(f, "E09000008", "2014-15")
    assert pd.isna(before["population"]) and pd.isna(before["population_year"])
    assert pd.isna(before["population_source"])
    assert math.isnan(before["upheld_per_100k"])
    assert format_number(before["upheld_per_100k"]) == "n/a"


def test_a_year_with_no_estimate_has_no_per_100k(tmp_path: Path) -> None:
    # 2026-27 needs mid-2025, not yet published: n/a, never mid-2024's figure.
    f = figures(published(tmp_path, "Croydon,2026-27,57,11\n"))
    c = one(f, "E09000008", "2026-27")
    assert pd.isna(c["population"]) and math.isnan(c["upheld_per_100k"])
    assert math.isnan(c["group_upheld_per_100k"])


def test_council_that_changed_type_uses_each_years_code(tmp_path: Path) -> None:
    # Somerset: 2022-23 the county E10000027 (mid-2021: 573,119), 2023-24 the unitary
    # E06000066 (mid-2022: 576,852). 20e5 / 573,119 = 3.490 -> 3.5; 31e5 / 576,852 = 5.374 -> 5.4.
    f = figures(published(tmp_path, "Somerset,2022-23,20,5\nSomerset,2023-24,31,7\n"))
    county = one(f, "E10000027", "2022-23")
    assert (county["type"], county["population"], county["population_year"]) == (
        "county",
        573_119,
        2021,
    )
    assert format_number(county["upheld_per_100k"]) == "3.5"
    unitary = one(f, "E06000066", "2023-24")
    assert (unitary["type"], unitary["population"], unitary["population_year"]) == (
        "unitary",
        576_852,
        2022,
    )
    assert format_number(unitary["upheld_per_100k"]) == "5.4"


def test_abolished_council_after_abolition_has_no_population(tmp_path: Path) -> None:
    # Somerset County Council in 2023-24 (abolished March 2023): mid-2022 has no E10000027.
    f = figures(published(tmp_path, "Somerset County Council,2023-24,0,0\n"))
    c = one(f, "E10000027", "2023-24")
    assert not c["in_group"] and pd.isna(c["population"]) and math.isnan(c["upheld_per_100k"])


# --------------------------------------------------------------------------- the group's figure

# Four London boroughs, 2022-23, with mid-2021 populations:
#   Croydon   57 / 390,506 = 14.59645
#   Lambeth   40 / 317,498 = 12.59850
#   Southwark 30 / 306,374 =  9.79195
#   Barnet     5 / 388,639 =  1.28654
LONDON = (
    "London Borough of Croydon,2022-23,57,11\n"
    "Lambeth,2022-23,40,10\n"
    "Southwark Council,2022-23,30,9\n"
    "London Borough of Barnet,2022-23,5,20\n"
)


def test_group_mean_of_per_100k(tmp_path: Path) -> None:
    # mean = (14.59645 + 12.59850 + 9.79195 + 1.28654) / 4 = 38.27344 / 4 = 9.56836 -> 9.6
    f = figures(published(tmp_path, LONDON))
    b = group_benchmarks(f).iloc[0]
    assert (b["type"], b["per_100k_councils"]) == ("london_borough", 4)
    assert b["upheld_per_100k"] == pytest.approx(9.568361, abs=1e-6)
    assert format_number(b["upheld_per_100k"]) == "9.6"
    assert b["population"] == 390_506 + 317_498 + 306_374 + 388_639
    croydon = one(f, "E09000008", "2022-23")
    assert croydon["group_upheld_per_100k"] == pytest.approx(b["upheld_per_100k"])
    assert croydon["group_per_100k_councils"] == 4
    # 14.59645 - 9.56836 = 5.02809
    assert croydon["per_100k_difference"] == pytest.approx(5.028085, abs=1e-6)


def test_group_pooled_per_100k(tmp_path: Path) -> None:
    # pooled = (57 + 40 + 30 + 5) x 100,000 / (390,506 + 317,498 + 306,374 + 388,639)
    #        = 13,200,000 / 1,403,017 = 9.40830 -> 9.4 (the mean is 9.6: they differ)
    f = figures(published(tmp_path, LONDON), average="pooled")
    b = group_benchmarks(f, average="pooled").iloc[0]
    assert b["upheld_per_100k"] == pytest.approx(132e5 / 1_403_017)
    assert format_number(b["upheld_per_100k"]) == "9.4"
    assert one(f, "E09000022", "2022-23")["group_upheld_per_100k"] == pytest.approx(9.408297)


def test_group_per_100k_leaves_out_a_council_without_population(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Barnet's mid-2021 estimate taken out of the table: Barnet has no per-100k figure and is
    # left out of the group's. mean = (14.59645 + 12.59850 + 9.79195) / 3 = 12.32897 -> 12.3;
    # pooled = 127e5 / (390,506 + 317,498 + 306,374) = 127e5 / 1,014,378 = 12.51999 -> 12.5.
    table = {k: v for k, v in pops.ons_populations().items() if k != ("E09000003", 2021)}
    monkeypatch.setattr(pops, "ons_populations", lambda: table)
    path = published(tmp_path, LONDON)
    f = figures(path)
    barnet = one(f, "E09000003", "2022-23")
    assert math.isnan(barnet["upheld_per_100k"]) and pd.isna(barnet["population_year"])
    b = group_benchmarks(f).iloc[0]
    assert b["per_100k_councils"] == 3 and b["councils"] == 4
    assert format_number(b["upheld_per_100k"]) == "12.3"
    assert one(f, "E09000008", "2022-23")["group_per_100k_councils"] == 3
    # Barnet has no figure of its own, so no note about comparing it
    assert pd.isna(barnet["comparison_note"])
    pooled = group_benchmarks(figures(path, "pooled"), "pooled").iloc[0]
    assert pooled["upheld_per_100k"] == pytest.approx(127e5 / 1_014_378)
    assert format_number(pooled["upheld_per_100k"]) == "12.5"


# --------------------------------------------------------------------------- a user's table


def test_user_population_replaces_the_shipped_one(tmp_path: Path) -> None:
    # A user's file gives Croydon 400,000 for 2022-23: 57e5 / 400,000 = 14.25 -> 14.3 (half up).
    # Lambeth, not in the file, keeps ONS mid-2021.
    given = tmp_path / "pops.csv"
    given.write_text('Council,Year,Population\nCroydon,2022-23,"400,000"\n', encoding="utf-8")
    table = read_population(given)
    from lgsco_stats.figures import council_figures

    ds = read_file(published(tmp_path, LONDON))
    from lgsco_stats.counts import counts_of

    f = council_figures(counts_of(ds), populations=table)
    c = one(f, "E09000008", "2022-23")
    assert c["population"] == 400_000 and pd.isna(c["population_year"])
    assert c["population_source"] == "pops.csv"
    assert format_number(c["upheld_per_100k"]) == "14.3"
    lam = one(f, "E09000022", "2022-23")
    assert (lam["population"], lam["population_source"]) == (317_498, "ONS mid-2021")


def test_a_population_files_years(tmp_path: Path) -> None:
    # "mid-2021" is the ONS estimate of mid-2021, which serves 2022-23 (mid-(Y-1) for Y-(Y+1));
    # "2022-23" is the year itself; a bare "2022" could be either and is refused, naming the
    # file, row and column (it was read as 2021-22, and 2022-23 silently kept ONS's figure).
    given = tmp_path / "pops.csv"
    given.write_text(
        "Council,Year,Population\nCroydon,mid-2021,400000\nLambeth,2022-23,300000\n",
        encoding="utf-8",
    )
    table = read_population(given)
    assert sorted(zip(table["gss_code"], table["year"], strict=True)) == [
        ("E09000008", "2022-23"),
        ("E09000022", "2022-23"),
    ]
    bare = tmp_path / "bare.csv"
    bare.write_text("Council,Year,Population\nCroydon,2022,400000\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_population(bare)
    message = str(e.value)
    assert "bare.csv, row 2, column 'Year'" in message
    assert "'2022' could be the mid-2022 estimate (which serves 2023-24) or the year 2022-23" in (
        message
    )
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Council,Year,Population\nCroydon,last year,400000\n", encoding="utf-8")
    with pytest.raises(DataError, match="wrong.csv, row 2, column 'Year'"):
        read_population(wrong)


def test_letter_of_a_year_with_no_estimate(cli, tmp_path: Path) -> None:
    # 2026-27 needs mid-2025, not published: the letter's per-100k row is n/a and it says why;
    # remedies are not in the table, so "not reported" (never "n/a ()" or 0%).
    path = published(
        tmp_path, "Croydon,2026-27,57,11\nLambeth,2026-27,40,10\nSouthwark,2026-27,30,9\n"
    )
    assert cli("compute", path, "--format", "csv").exit_code == 0
    r = cli("letter", "--council", "croydon", "--year", "2026-27", "--date", "2027-07-01")
    assert r.exit_code == 0, r.stderr
    assert "| Upheld decisions per 100,000 residents | n/a | n/a |" in r.stdout
    assert "no ONS population estimate for the council for mid-2025" in r.stdout
    assert "| Satisfactory remedies provided by the council | not reported | n/a |" in r.stdout


def test_letter_per_100k_row_beside_the_group(cli, tmp_path: Path) -> None:
    # London 2022-23 (see LONDON): Croydon 14.6 against the mean 9.6, population of mid-2021
    assert cli("compute", published(tmp_path, LONDON), "--format", "csv").exit_code == 0
    r = cli("letter", "--council", "croydon", "--year", "2022-23", "--date", "2023-07-01")
    assert r.exit_code == 0, r.stderr
    assert "| Upheld decisions per 100,000 residents | 14.6 | 9.6 |" in r.stdout
    assert "(57 upheld; population 390,506, the ONS estimate for mid-2021)" in r.stdout
    assert "This is above the average of similar authorities (9.6)." in r.stdout
    assert "and 4 for upheld decisions per 100,000 residents" in r.stdout


def test_councils_of_a_year_show_the_estimate_that_year_uses(cli) -> None:
    # Southampton's row of the shipped table: mid-2022 252,689 (2023-24), mid-2020 252,872
    # (the register's own figure, shown without --year).
    r = cli("councils", "southampton", "--year", "2023-24", "-f", "csv")
    assert r.exit_code == 0 and "252689" in r.stdout
    r = cli("councils", "southampton", "--year", "2023-24")
    assert "Population (mid-2022)" in r.stdout and "252,689" in r.stdout
    assert "ONS mid-2022, the estimate 2023-24's per-100k figures use" in r.stdout
    r = cli("councils", "southampton")
    assert "Population (mid-2020)" in r.stdout and "252,872" in r.stdout
    # No estimate shipped for mid-2025: said, not filled from another year.
    r = cli("councils", "southampton", "--year", "2026-27", "-f", "json")
    assert '"population":null' in r.stdout
    r = cli("councils", "southampton", "--year", "2026-27")
    assert "none shipped for mid-2025" in r.stdout
    # Before the register's first year the list cannot be whole, and says so.
    r = cli("councils", "--year", "2010-11")
    assert r.exit_code == 0 and "The register begins on 1 April 2015" in r.stdout
    assert "The register begins" not in cli("councils", "--year", "2015-16").stdout
