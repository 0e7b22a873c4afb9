from __future__ import annotations

import pytest

from lgsco_stats.outcomes import compliance_code, flag_value, outcome_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Upheld", "upheld"),
        ("upheld", "upheld"),
        ("UPHELD", "upheld"),
        ("Upheld: fault and injustice", "upheld"),
        ("Upheld - maladministration no injustice", "upheld"),
        ("Not upheld", "not_upheld"),
        ("Not Upheld", "not_upheld"),
        ("NOT UPHELD: no fault", "not_upheld"),
        ("Closed after initial enquiries", "closed_after_initial_enquiries"),
        ("Closed after initial enquiries - out of jurisdiction", "closed_after_initial_enquiries"),
        ("Referred back for local resolution", "referred_back"),
        ("Incomplete/Invalid", "incomplete_invalid"),
        ("Invalid or incomplete", "incomplete_invalid"),
        ("Advice given", "advice_given"),
        ("  advice   given ", "advice_given"),
    ],
)
def test_outcome_spellings(text: str, code: str) -> None:
    assert outcome_code(text) == code


@pytest.mark.parametrize("text", ["Upheldish", "Withdrawn", "", "Fault", "Not", "Premature"])
def test_unknown_outcomes_are_not_guessed(text: str) -> None:
    assert outcome_code(text) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Complied", "complied"),
        ("complied late", "complied_late"),
        ("Complied - late", "complied_late"),
        ("Not complied", "not_complied"),
        ("NOT COMPLIED", "not_complied"),
        ("Complied on time", "complied"),
    ],
)
def test_compliance_spellings(text: str, code: str) -> None:
    assert compliance_code(text) == code


def test_compliance_unknown() -> None:
    assert compliance_code("Pending") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        ("1", True),
        ("1.0", True),
        ("No", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("", False),
        (None, False),
        ("maybe", None),
    ],
)
def test_flags(text: object, value: bool | None) -> None:
    assert flag_value(text) is value
