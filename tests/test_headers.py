from __future__ import annotations

import pytest

from lgsco_stats.errors import UsageError
from lgsco_stats.read.headers import field_for, match_headers, parse_mapping


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Case reference", "reference"),
        ("Reference", "reference"),
        ("Ref", "reference"),
        ("Case Ref.", "reference"),
        ("Authority", "authority"),
        ("Council", "authority"),
        ("Organisation", "authority"),
        ("Decision date", "decision_date"),
        ("Date decided", "decision_date"),
        ("Decided", "decision_date"),
        ("DECISION", "outcome"),
        ("Outcome", "outcome"),
        ("Remedy provided by authority", "remedy_by_authority"),
        ("Satisfactory remedy provided by authority", "remedy_by_authority"),
        ("Remedied by authority", "remedy_by_authority"),
        ("Category", "category"),
        ("Service area", "category"),
        ("Received date", "received_date"),
        ("Date recorded", "date_recorded"),
        ("Compliance outcome", "compliance_outcome"),
        ("Authority type", "authority_type"),
        ("Year", "year"),
        ("Period", "year"),
        ("Incomplete/Invalid", "incomplete_invalid"),
        ("Not upheld", "not_upheld"),
        ("Referred back for local resolution", "referred_back"),
        ("Closed after initial enquiries", "closed_after_initial_enquiries"),
        ("  case_reference ", "reference"),
    ],
)
def test_aliases(header: str, field: str) -> None:
    assert field_for(header) == field


def test_unknown_header() -> None:
    assert field_for("Notes") is None


def test_mapping_overrides_aliases() -> None:
    headers = ["Ref", "Body", "Result", "Outcome", "When"]
    mapping = parse_mapping(["authority=Body", "outcome=Result", "decision_date=When"])
    assert match_headers(headers, mapping) == {
        "reference": 0,
        "authority": 1,
        "outcome": 2,
        "decision_date": 4,
    }


@pytest.mark.parametrize("item", ["outcome", "colour=Red", "outcome="])
def test_bad_mapping(item: str) -> None:
    with pytest.raises(UsageError):
        parse_mapping([item])


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # qualifiers in brackets are dropped; a % makes a header a rate
        ("Remedy provided by authority (Y/N)", "remedy_by_authority"),
        ("Authority (LGSCO name)", "authority"),
        ("Upheld (number)", "upheld"),
        ("Uphold rate (%)", "uphold_rate"),
        ("Upheld (%)", "uphold_rate"),
        ("% upheld", "uphold_rate"),
        ("Percentage of complaints upheld", "uphold_rate"),
        ("Compliance (%)", "compliance_rate"),
        # "No." / "number of" / "the", and council = authority = organisation
        ("No. of complaints upheld", "upheld"),
        ("Number of compliance outcomes", "compliance_outcomes"),
        ("Satisfactory remedy provided by council", "remedy_by_authority"),
        ("Satisfactory remedy provided by the organisation", "remedy_by_authority"),
        ("The council's name", "authority"),
        ("Council name", "authority"),
        ("Our ref", "reference"),
        ("Case No.", "reference"),
        # the 2024-25 vocabulary
        ("Complaints dealt with", "dealt_with"),
        ("Not for us", "not_for_us"),
        ("Assessed and closed", "closed_after_initial_enquiries"),
        ("Investigated", "investigated"),
        ("Compliance with Ombudsman recommendations", "compliance_rate"),
        # dates whose meaning the sheet's kind decides
        ("recorded", "date_recorded"),
        ("Date", "date"),
    ],
)
def test_headers_as_people_write_them(header: str, field: str) -> None:
    assert field_for(header) == field


def test_merged_group_heading_gives_a_column_its_meaning() -> None:
    # "Upheld" merged over "No." and "%": the row above the header, blank to the right of a
    # merged cell's text
    above = [None, "Upheld", None, "Not upheld"]
    header = ["Council", "No.", "%", "No."]
    assert match_headers(header, None, above) == {
        "authority": 0,
        "upheld": 1,
        "uphold_rate": 2,
        "not_upheld": 3,
    }
    # a title in the first cell alone is not a group heading
    assert match_headers(header, None, ["Decisions 2023-24", None, None, None]) == {"authority": 0}
