"""The reading rules one by one: count and rate cells, years in names and titles, totals and
notes, the kind of a sheet, the identities of a published table's counts."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from lgsco_stats.errors import DataError, UsageError
from lgsco_stats.figures import figures_of
from lgsco_stats.outcomes import category_of, compliance_code, flag_value, outcome_code
from lgsco_stats.read.files import read_file
from lgsco_stats.read.layout import note_text, total_name, year_in_text
from lgsco_stats.read.numbers import COUNT_LIMIT, parse_count, parse_rate
from lgsco_stats.read.population import read_population
from lgsco_stats.read.problems import ranges
from lgsco_stats.read.report import known_counts
from lgsco_stats.rounding import format_percent


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("1,234", 1234),
        ("12,345,678", 12345678),
        ("1 234", 1234),
        ("1\u00a0234", 1234),  # a no-break space between thousands
        ("12.0", 12),  # a whole number as Excel writes a float
        ("0", 0),
        ("١٢", 12),  # Arabic-Indic
        ("１２", 12),  # full-width
        ("１，２３４", 1234),
        (str(COUNT_LIMIT), COUNT_LIMIT),
    ],
)
def test_counts_as_people_write_them(text: str, value: int) -> None:
    assert parse_count(text).value == value


@pytest.mark.parametrize(
    "text", ["", " ", "n/a", "N/A", "-", "–", "—", "..", "*", "<5", "< 5", "c", "x", "NA"]
)
def test_not_reported(text: str) -> None:
    cell = parse_count(text)
    assert cell.kind == "missing" and cell.value is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1,5", "groups of three"),
        ("1,2,3", "groups of three"),
        ("12,34", "groups of three"),
        ("-3", "negative"),
        ("12.5", "not a whole number"),
        ("5e18", "beyond any real value"),
        ("5000000000000000000", "beyond any real value"),
        (str(COUNT_LIMIT + 1), "beyond any real value"),
        ("thirty", "not a number"),
        ("12 cases", "not a number"),
    ],
)
def test_counts_that_are_errors(text: str, why: str) -> None:
    cell = parse_count(text)
    assert cell.kind == "error" and why in cell.why


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#n/a"])
def test_excel_errors_written_as_text(text: str) -> None:
    assert parse_count(text).kind == "excel"


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [("87%", 87.0, True), ("87 %", 87.0, True), ("87.5", 87.5, False), ("0.87", 0.87, False)],
)
def test_rates(text: str, value: float, percent: bool) -> None:
    cell = parse_rate(text)
    assert (cell.value, cell.percent) == (value, percent)


@pytest.mark.parametrize("text", ["101%", "-5%", "high"])
def test_rates_that_are_errors(text: str) -> None:
    assert parse_rate(text).kind == "error"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2023-24", "2023-24"),
        ("2023/24", "2023-24"),
        ("23-24", "2023-24"),
        ("FY 2023-24", "2023-24"),
        ("FY23-24", "2023-24"),
        ("2023-2024", "2023-24"),
        ("Decisions made 2019-20", "2019-20"),
        ("Complaints 2019 to 2020", "2019-20"),
        ("Sheet1", None),
        ("2019-20 and 2020-21", None),  # two years: neither
        ("01/04/2023", None),  # a date is not a year
        ("2023-25", None),
    ],
)
def test_years_in_names_and_titles(text: str, year: str | None) -> None:
    assert year_in_text(text) == year


@pytest.mark.parametrize(
    "name",
    [
        "Total",
        "TOTAL",
        "Grand total",
        "Sub-total",
        "England",
        "England total",
        "All authorities",
        "All councils",
        "South East",
        "Yorkshire and the Humber",
        "London",
        "County councils",
        "London boroughs",
        "Total: London boroughs",
        "Average",
    ],
)
def test_names_of_totals(name: str) -> None:
    assert total_name(name)


@pytest.mark.parametrize(
    "name",
    ["Kent County Council", "Southend-on-Sea", "Isles of Scilly", "Greater London Authority"],
)
def test_names_of_authorities(name: str) -> None:
    assert not total_name(name)


def test_notes() -> None:
    assert note_text("Source: LGSCO annual review data")
    assert note_text("* fewer than five complaints")
    assert note_text("1. Figures exclude premature complaints")
    assert note_text("Figures are for the year ending 31 March 2024 and exclude some bodies")
    assert not note_text("Kent County Council")
    assert not note_text("Council of the Isles of Scilly")


def test_ranges() -> None:
    assert ranges([12]) == "row 12"
    assert ranges([15, 14, 17]) == "rows 14-15, 17"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Investigated - upheld", "upheld"),
        ("Investigated: not upheld", "not_upheld"),
        ("Assessed and closed", "closed_after_initial_enquiries"),
    ],
)
def test_the_2024_25_outcome_words(text: str, code: str) -> None:
    assert outcome_code(text) == code


def test_compliance_and_flags_of_every_vintage() -> None:
    assert compliance_code("Remedy complied late") == "complied_late"
    assert compliance_code("Non-compliance") == "not_complied"
    assert [flag_value(x) for x in ("x", "✓", "X", "", None)] == [True, True, True, False, False]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Adult social care", "Adult care services"),
        ("Adult Care Services", "Adult care services"),
        ("Environmental services and regulation", "Environmental services"),
        ("Environmental services, public protection and regulation", "Environmental services"),
        ("Education & children's services", "Education and children's services"),
        ("Education and Children’s Services", "Education and children's services"),
        ("Benefits and tax > COVID-19", "Benefits and tax"),
        ("Corporate and other services", "Corporate and other services"),
        ("Highways and transport", "Highways and transport"),
        ("Planning", "Planning and development"),
        ("Gardening", None),
    ],
)
def test_categories_under_all_their_names(text: str, category: str | None) -> None:
    assert category_of(text) == category


@pytest.mark.parametrize(
    ("columns", "rates"),
    [
        ({"upheld", "not_upheld"}, {"investigated"}),
        ({"upheld", "investigated"}, {"not_upheld"}),
        ({"complied", "not_complied"}, {"compliance_outcomes"}),  # complied: any timing
        ({"compliance_outcomes", "not_complied"}, {"complied_total"}),
        ({"complied", "complied_late", "not_complied"}, {"compliance_outcomes"}),
        ({"dealt_with", "not_for_us", "closed_after_initial_enquiries"}, {"investigated"}),
    ],
)
def test_counts_a_set_of_columns_determines(columns: set[str], rates: set[str]) -> None:
    assert rates <= known_counts(columns)


def test_a_case_list_without_a_remedy_column_has_no_remedy_rate(make_xlsx) -> None:
    rows = [
        ("Reference", "Authority", "Decision date", "Outcome"),
        ("1", "Kent", dt.datetime(2019, 5, 1), "Upheld"),
        ("2", "Kent", dt.datetime(2019, 5, 2), "Upheld"),
    ]
    [kent] = figures_of(read_file(make_xlsx({"D": rows}))).to_dict("records")
    # 2 upheld, remedies not reported: n/a, never "0% (0/2)"
    assert kent["upheld"] == 2 and pd.isna(kent["remedy_by_authority"])
    assert math.isnan(kent["remedy_rate"])


def test_a_case_list_with_a_note_and_a_total_row(make_xlsx) -> None:
    rows = [
        ("Reference", "Authority", "Decision date", "Outcome"),
        ("1", "Kent", dt.datetime(2019, 5, 1), "Upheld"),
        ("2", "Kent", dt.datetime(2019, 5, 2), "Not upheld"),
        ("Total", 2),
        (),
        ("Source: case management system, extracted 1 May 2020",),
    ]
    ds = read_file(make_xlsx({"D": rows}))
    assert len(ds.decisions) == 2
    assert ds.reports[0].skipped == {"notes": [4, 6]}
    # a broken case row is still an error, not a note
    rows.insert(3, ("3", "Kent", None, None))
    with pytest.raises(DataError, match="row 4, column 'Decision date': blank decision date"):
        read_file(make_xlsx({"D": rows}, name="broken.xlsx"))


def test_the_kind_of_a_sheet_from_its_values(make_xlsx) -> None:
    # "Date" alone: the decision date of decisions, the date recorded of compliance outcomes
    rows = [("Ref", "Council", "Date", "Outcome"), ("1", "Kent", "2019-05-01", "Upheld")]
    comp = [("Ref", "Council", "Date", "Outcome"), ("1", "Kent", "2019-09-01", "Complied late")]
    ds = read_file(make_xlsx({"A": rows, "B": comp}))
    assert [r.kind for r in ds.reports] == ["decisions", "compliance"]
    assert ds.decisions["year"].tolist() == ["2019-20"]
    assert ds.compliance[["outcome", "year"]].values.tolist() == [["complied_late", "2019-20"]]


def test_a_published_table_with_no_year_anywhere(make_xlsx) -> None:
    path = make_xlsx({"Sheet1": [("Authority", "Upheld", "Not upheld"), ("Kent", 1, 1)]})
    with pytest.raises(UsageError, match="no year: no Year column, no year in the sheet's name"):
        read_file(path)
    assert read_file(path, year="2023-24").published["year"].tolist() == ["2023-24"]


def test_the_sheet_name_wins_over_year_with_a_warning(make_xlsx) -> None:
    ds = read_file(
        make_xlsx({"2022-23": [("Authority", "Upheld", "Not upheld"), ("Kent", 1, 1)]}),
        year="2023-24",
    )
    assert ds.published["year"].tolist() == ["2022-23"]
    assert "the year 2022-23 from the sheet's name '2022-23' is used, not --year 2023-24" in (
        " ".join(p.text for p in ds.problems)
    )


def test_a_redundant_rate_that_disagrees_is_a_warning(make_xlsx) -> None:
    rows = [
        ("Authority", "Year", "Upheld", "Not upheld", "Uphold rate"),
        ("Kent", "2022-23", 53, 8, "87%"),  # 53 / 61 = 86.9: agrees
        ("Leeds", "2022-23", 37, 17, "75%"),  # 37 / 54 = 68.5, not 75
    ]
    ds = read_file(make_xlsx({"T": rows}))
    [warning] = [p for p in ds.problems if p.level == "warning"]
    assert warning.rows == (3,)
    assert "'Uphold rate' 75% is not what the counts give (37 of 54 = 69%)" in warning.text
    got = {r["council"]: r for r in figures_of(ds).to_dict("records")}
    assert format_percent(got["Leeds City Council"]["uphold_rate"]) == "69%"  # the counts'


def test_a_total_column_that_disagrees_is_a_warning(make_xlsx) -> None:
    rows = [
        (
            "Authority",
            "Year",
            "Complaints dealt with",
            "Not for us",
            "Assessed and closed",
            "Investigated",
            "Upheld",
        ),  # fmt: skip
        ("Kent", "2024-25", 30, 5, 5, 10, 8),  # 5 + 5 + 10 = 20, not 30
    ]
    ds = read_file(make_xlsx({"T": rows}))
    [warning] = [p.text for p in ds.problems if p.level == "warning"]
    assert "'Complaints dealt with' is not 'Not for us' + 'Assessed and closed' + " in warning
    assert "(30 given, 20 from the parts); the figures use the parts" in warning
    [kent] = figures_of(ds).to_dict("records")
    assert kent["decisions"] == 20 and kent["not_upheld"] == 2  # 10 investigated - 8 upheld


def test_a_population_beyond_any_real_one(tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("Council,Population\nKent,100000000000000000000\n", encoding="utf-8")
    with pytest.raises(DataError, match="beyond any real value"):
        read_population(path)
