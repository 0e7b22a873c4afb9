"""Rounding: whole percents, halves up, as the Ombudsman publishes them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lgsco_stats.rounding import (
    format_difference,
    format_number,
    format_percent,
    percent,
    rate,
    round_half_up,
    shown_difference,
)


@pytest.mark.parametrize(
    ("num", "den", "published"),
    [
        (53, 61, "87%"),  # Kent 2022-23 uphold: 86.89 -> 87
        (4, 53, "8%"),  # Kent 2022-23 remedy: 7.55 -> 8
        (37, 54, "69%"),  # Leeds 2022-23 uphold: 68.52 -> 69
        (5, 37, "14%"),  # Leeds 2022-23 remedy: 13.51 -> 14
        (49, 56, "88%"),  # Cornwall 2024-25: exactly 87.5 -> 88 (half up, not to even)
        (11, 12, "92%"),  # Southampton 2019-20 compliance: 91.67 -> 92
        (43, 48, "90%"),  # Croydon 2023-24: 89.58 -> 90 (truncation would give 89)
    ],
)
def test_published_figures(num: int, den: int, published: str) -> None:
    assert percent(num, den) == published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (87.5, "88"),
        (0.5, "1"),
        (2.5, "3"),
        (1.5, "2"),
        (86.49, "86"),
        (99.5, "100"),
        (0.0, "0"),
        (100.0, "100"),
        (12.5, "13"),
    ],
)
def test_halves_round_up(value: float, expected: str) -> None:
    # Python's round(2.5) == 2 and round(12.5) == 12: half to even, which the Ombudsman doesn't use.
    assert round_half_up(value) == Decimal(expected)


def test_one_decimal_place() -> None:
    assert format_number(1.25) == "1.3"
    assert format_number(2.675, 2) == "2.68"  # as written, despite binary 2.67499...
    assert format_number(None) == "n/a"


def test_empty_denominator_is_na_not_zero() -> None:
    assert rate(0, 0) is None
    assert percent(0, 0) == "n/a"
    assert percent(5, None) == "n/a"
    assert format_percent(float("nan")) == "n/a"
    assert percent(0, 7) == "0%"


def test_differences_are_between_the_figures_a_reader_sees() -> None:
    # 87.4 shows as 87 and 86.6 as 87: the difference shown is 0, not +1.
    assert shown_difference(87.4, 86.6) == 0
    assert format_difference(92.0, 99.5) == "-8"  # 92 vs 100
    assert format_difference(90.5, 80.0) == "+11"  # 91 vs 80
    assert format_difference(None, 80.0) == "n/a"
