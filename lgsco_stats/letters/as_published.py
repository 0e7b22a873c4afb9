"""The letter's sentence on a rate that a published table gave without the counts behind it
(``wording`` says the rest)."""

from __future__ import annotations

from ..rounding import format_percent

_TEXT = {
    "uphold": "We upheld {rate} of the complaints we investigated about the {noun} in detail "
    "(the rate as published, without its counts).",
    "remedy": "In {rate} of the complaints we upheld, the {noun} had already offered a remedy we "
    "found satisfactory before the complaint came to us (the rate as published, without its "
    "counts).",
    "compliance": "The {noun} carried out our recommendations in {rate} of the cases whose "
    "outcome we recorded this year (the rate as published{based}).",
}


def as_published(key: str, rate: float | None, noun: str, comparison: str, based: str = "") -> str:
    """``key`` (uphold, remedy or compliance) in words, then ``comparison`` (the sentence that
    sets it beside the group's, or ``""``); ``based`` says how many cases, where known."""
    text = _TEXT[key].format(rate=format_percent(rate), noun=noun, based=based)
    return f"{text} {comparison}" if comparison else text
