"""One number style in every letter (issue 17: "four complaints … based on 4 investigations"):
a count in a sentence is a word from zero to nine and digits from 10; counts in tables, lists
and brackets are digits. Checked on letters written by `letter --all` and read back, for
councils with every small count, and a body that is not a council says "the authority"."""

from __future__ import annotations

import re

import pytest

from tests.conftest import decisions_rows

WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
COUNCILS = ["Kent", "Hull", "Leeds", "Portsmouth", "Camden", "Wigan", "Derby", "York", "Bury"]


def spec():
    out = []
    for i, name in enumerate(COUNCILS):
        # upheld 0..8, not upheld 1..9 (some under 10, some over), remedies on even councils
        out.append((name, "Upheld", i, "Yes" if i % 2 else None))
        out.append((name, "Not upheld", i + 1 + (8 if i > 5 else 0), None))
        out.append((name, "Closed after initial enquiries", i % 3, None))
        out.append((name, "Advice given", 1 if i == 4 else 0, None))
    out.append(("Transport for London", "Upheld", 3, None))
    out.append(("Transport for London", "Referred back for local resolution", 1, None))
    return [row for row in out if row[2]]


@pytest.fixture
def letters(cli, make_xlsx, tmp_path):
    r = cli("compute", make_xlsx({"D": decisions_rows(spec())}), "-f", "json")
    assert r.exit_code == 0, r.stderr
    out = tmp_path / "letters"
    r = cli("letter", "--all", "--output", out, "--signatory", "Pat Example", "-f", "md")
    assert r.exit_code == 0, r.stderr
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.md"))}


def prose(markdown: str) -> list[str]:
    """The letter's sentences: not its tables, lists, headings, date or signature lines."""
    out = []
    for para in markdown.split("\n\n"):
        para = para.strip()
        if not para or para[0] in "|-#*" or "\\" in para or re.fullmatch(r"\d+ \w+ \d{4}", para):
            continue
        out.append(para)
    return out


def test_counts_in_sentences_are_words_below_ten_and_digits_in_brackets(letters) -> None:
    assert len(letters) == len(COUNCILS) + 1
    for name, text in letters.items():
        for para in prose(text):
            outside = re.sub(r"\([^)]*\)", "()", para)
            # a lone digit 0-9 in a sentence (not part of 10, 0.4, 100,000, 67%, 2019-20)
            lone = re.findall(r"(?<![\d.,%-])\b\d\b(?![\d.,%-])", outside)
            assert not lone, f"{name}: digits in prose: {para}"
            # a number word for ten or more is never written
            assert not re.search(r"\b(ten|eleven|twelve)\b", outside), f"{name}: {para}"
            for inside in re.findall(r"\(([^)]*)\)", para):
                assert not re.search(rf"\b({'|'.join(WORDS)})\b", inside), f"{name}: {para}"


def test_the_words_actually_appear(letters) -> None:
    text = "\n".join(letters.values())
    assert "based on three investigations" in text  # Hull: 1 upheld, 2 not upheld
    assert re.search(r"We investigated (one|two|three|four|five|six|seven|eight|nine) ", text)
    assert re.search(r"We investigated \d\d complaints", text)


def test_a_body_that_is_not_a_council_is_the_authority(letters) -> None:
    tfl = letters["transport-for-london-2019-20.md"]
    assert "the authority" in tfl and "Satisfactory remedies provided by the authority" in tfl
    assert "the council" not in tfl and "authoritys" not in tfl
    assert "## Resources for authorities" in tfl
    kent = letters["kent-county-council-2019-20.md"]
    assert "the authority" not in kent and "the council" in kent
