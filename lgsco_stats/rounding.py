"""Rounding and display of rates: the one place where a percentage becomes text.

The Ombudsman rounds to the nearest whole percent with halves rounded up (ROUND_HALF_UP);
Python's ``round`` rounds halves to even and must not be used for published figures.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NA = "n/a"


def rate(numerator: float | None, denominator: float | None) -> float | None:
    """Percentage ``100 * numerator / denominator``; None for an empty or unknown denominator."""
    if numerator is None or denominator is None:
        return None
    if _missing(numerator) or _missing(denominator) or denominator == 0:
        return None
    return 100.0 * float(numerator) / float(denominator)


def _missing(x: object) -> bool:
    try:
        return x is None or bool(math.isnan(x))  # type: ignore[arg-type]
    except TypeError:
        return x is None or str(x) in {"<NA>", "NaT"}


def round_half_up(value: float, places: int = 0) -> Decimal:
    """Round half up: 87.5 → 88, 89.58 → 90, 0.5 → 1, 2.45 (1 place) → 2.5.

    Works from the shortest decimal repr of the float, so 2.675 rounds as written (2.68).
    """
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(numerator: float | None, denominator: float | None) -> str:
    """Whole-percent text of a rate from its counts: 53 of 61 → ``"87%"``; 0 of 0 → ``"n/a"``."""
    return format_percent(rate(numerator, denominator))


def format_percent(value: float | None, places: int = 0) -> str:
    """A rate already in percent as ``"87%"`` (half up), or ``"n/a"`` when missing."""
    if value is None or _missing(value):
        return NA
    return f"{round_half_up(value, places)}%"


def format_number(value: float | None, places: int = 1) -> str:
    """A figure such as upheld per 100,000 residents: ``1.25`` → ``"1.3"``; missing → ``"n/a"``."""
    if value is None or _missing(value):
        return NA
    return str(round_half_up(value, places))


def shown_difference(value: float | None, benchmark: float | None) -> int | None:
    """The difference between two rates as a reader sees them: each rounded half up first.

    87.4% against 86.6% shows as 87% and 87%, so the difference shown is 0, not +1.
    """
    if value is None or benchmark is None or _missing(value) or _missing(benchmark):
        return None
    return int(round_half_up(value) - round_half_up(benchmark))


def format_difference(value: float | None, benchmark: float | None, places: int = 0) -> str:
    """:func:`shown_difference` as signed text: ``+3``, ``-12``, ``0``, or ``n/a``; with
    ``places`` (per-100k figures: 1), of the figures rounded to that many decimals:
    14.596 against 9.568 → ``+5.0``; equal as shown → ``0.0``."""
    if places == 0:
        d = shown_difference(value, benchmark)
        if d is None:
            return NA
        return f"{d:+d}" if d else "0"
    if value is None or benchmark is None or _missing(value) or _missing(benchmark):
        return NA
    diff = round_half_up(value, places) - round_half_up(benchmark, places)
    return f"{diff:+}" if diff else f"{Decimal(0).quantize(Decimal(1).scaleb(-places))}"


def format_count(n: int, singular: str, plural: str | None = None) -> str:
    """A count with its noun, in digits as messages and tables show counts: ``1 body``,
    ``4 bodies`` (``plural`` given), ``1,978 compliance outcomes``."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"
