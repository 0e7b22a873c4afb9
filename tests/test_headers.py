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
