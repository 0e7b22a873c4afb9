"""The wording rules of annual review letters, each on its own (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgsco_stats.letters import context as lc
from lgsco_stats.letters import fields as lf
from lgsco_stats.letters import wording as lt
from lgsco_stats.letters.render import LetterTemplate, TemplateProblem, template_kind


def test_format_date_and_title_year():
    assert lt.format_date(dt.date(2020, 7, 22)) == "22 July 2020"
    assert lt.format_date(dt.date(2024, 1, 5)) == "5 January 2024"
    # 2019-20 ends on 31 March 2020: the letter is titled 2020.
    assert lt.title_year("2019-20") == "2020"
    assert lt.year_end_text("2023-24") == "31 March 2024"


def test_count_text():
    assert lt.count_text(1, "case") == "one case"
    assert lt.count_text(3, "investigation") == "three investigations"
    assert lt.count_text(12, "case") == "12 cases"
    assert lt.count_text(1234, "case") == "1,234 cases"


@pytest.mark.parametrize(
    ("value", "group", "expected"),
    [
        (70.0, 67.0, "above"),
        (60.0, 67.0, "below"),
        # 87.4 shows as 87% and 86.6 as 87%: the reader sees no difference.
        (87.4, 86.6, "equal"),
        # 66.5 rounds half up to 67, 67.4 to 67.
        (66.5, 67.4, "equal"),
        (None, 67.0, None),
        (50.0, None, None),
    ],
)
def test_comparison(value, group, expected):
    assert lt.comparison(value, group) == expected


def test_comparison_sentence():
    assert lt.comparison_sentence(70.0, 66.6) == (
        "This is above the average of similar authorities (67%)."
    )
    assert lt.comparison_sentence(50.0, 50.4) == (
        "This is the same as the average of similar authorities (50%)."
    )
    assert lt.comparison_sentence(50.0, None) == ""


def test_small_number_note():
    # prose: words from one to nine (issue 17: "four complaints … based on 4 investigations")
    assert lt.small_number_note(3, "investigation") == "based on three investigations"
    assert lt.small_number_note(1, "investigation") == "based on one investigation"
    assert lt.small_number_note(9, "investigation") == "based on nine investigations"
    assert lt.small_number_note(10, "investigation") == ""
    assert lt.small_number_note(0, "investigation") == ""
    assert lt.small_number_note(None, "investigation") == ""


def test_uphold_no_investigations_is_said_not_a_rate():
    text = lt.uphold_sentence(0, 0, None, 67.0)
    assert "did not investigate any complaints about the council" in text
    assert "%" not in text and "n/a" not in text


def test_uphold_sentence_with_comparison_and_small_numbers():
    # 2 of 3 = 66.67% → 67%; the group 80.0% → 80%: below.
    text = lt.uphold_sentence(2, 3, 200 / 3, 80.0)
    assert "We investigated three complaints" in text
    assert "upheld 67% of them (2 of 3)" in text
    assert "based on three investigations" in text
    assert text.endswith("This is below the average of similar authorities (80%).")


def test_uphold_one_investigation():
    assert "and upheld it (1 of 1, 100%)" in lt.uphold_sentence(1, 1, 100.0, None)
    assert "did not uphold it (0 of 1, 0%)" in lt.uphold_sentence(0, 1, 0.0, None)


def test_compliance_full_is_welcomed():
    text = lt.compliance_sentence(5, 0, 5, 100.0, 99.0)
    assert "every one of the five cases" in text
    assert "We welcome this" in text
    assert "did not" not in text


def test_compliance_below_full_names_cases_and_asks_to_learn():
    # Southampton 2019-20: 11 of 12 = 91.67% → 92%; one case not complied with.
    text = lt.compliance_sentence(11, 1, 12, 1100 / 12, 99.3)
    # in brackets, digits: "(11 of 12, 1 late)", not "(11 of 12, one of them late)"
    assert "92% of the cases" in text and "(11 of 12, 1 late)" in text
    assert "In one case it did not." in text
    assert "learn from it" in text
    assert "We welcome this" not in text


def test_compliance_decided_on_counts_not_rounded_rate():
    # 199 of 200 = 99.5% shows as 100% (half up), but one case was still not complied with.
    text = lt.compliance_sentence(199, 0, 200, 99.5, None)
    assert "100% of the cases" in text
    assert "In one case it did not." in text
    assert "learn from it" in text


def test_compliance_several_missed():
    text = lt.compliance_sentence(7, 0, 10, 70.0, None)
    assert "In three cases it did not." in text and "learn from them" in text


def test_compliance_none_recorded():
    text = lt.compliance_sentence(0, 0, 0, None, 99.0)
    assert "no compliance rate" in text and "%" not in text


def test_remedy_sentences():
    # 5 of 38 = 13.16% → 13%.
    assert "In 13% of the complaints we upheld (5 of 38)" in lt.remedy_sentence(
        5, 38, 500 / 38, None
    )
    assert "no satisfactory remedy rate" in lt.remedy_sentence(0, 0, None, None)
    assert "(0 of 4, 0%)" in lt.remedy_sentence(0, 4, 0.0, None)


def test_per_100k_only_with_population():
    # 38 upheld × 100,000 / 252,872 = 15.027… → 15.0
    text = lt.per_100k_sentence(38, 252_872, 38 * 100_000 / 252_872)
    assert "15.0 complaints for every 100,000 residents" in text
    assert lt.per_100k_sentence(38, None, None) == ""


def test_per_100k_says_which_estimate_and_compares_as_shown():
    # Croydon 2022-23: 57 × 100,000 / 390,506 = 14.596 → 14.6, against a group's 14.62 → 14.6:
    # the same as shown, though the unrounded figures differ.
    text = lt.per_100k_sentence(
        57, 390_506, 57e5 / 390_506, source="ONS mid-2021", benchmark=14.62, year="2022-23"
    )
    assert "(57 upheld; population 390,506, the ONS estimate for mid-2021)" in text
    assert text.endswith("This is the same as the average of similar authorities (14.6).")
    below = lt.per_100k_sentence(57, 390_506, 57e5 / 390_506, benchmark=14.65)
    assert below.endswith("below the average of similar authorities (14.7).")
    mine = lt.per_100k_sentence(5, 100_000, 5.0, source="pops.csv")
    assert "(5 upheld; population 100,000, from pops.csv)" in mine


def test_per_100k_without_an_estimate_says_so():
    # 2026-27 needs mid-2025: no estimate, no figure, and the letter says why.
    text = lt.per_100k_sentence(3, None, None, year="2026-27", council=True)
    assert "no ONS population estimate for the council for mid-2025" in text
    assert "2026-27" in text
    # a body outside the register has no population at all: nothing to say
    assert lt.per_100k_sentence(3, None, None, year="2026-27", council=False) == ""


def test_group_sentence_names_group_and_average():
    text = lt.group_sentence(
        "unitary",
        True,
        "mean",
        "2019-20",
        {"uphold": 54, "compliance": 53, "remedy": 53},
        members=56,
    )
    assert "the 56 unitary councils with figures for 2019-20" in text
    assert "mean of the councils' own figures" in text
    assert "(54 councils for complaints upheld, 53 for compliance and 53 for remedies)" in text
    pooled = lt.group_sentence(
        "county", True, "pooled", "2019-20", {"uphold": 3, "compliance": 3, "remedy": 2}, members=3
    )
    assert "pooled rate" in pooled and "the three county councils" in pooled


def test_group_sentence_counts_the_per_100k_figure():
    text = lt.group_sentence(
        "unitary",
        True,
        "mean",
        "2019-20",
        {"uphold": 54, "compliance": 53, "remedy": 53, "per_100k": 56},
        members=56,
    )
    assert (
        "(54 councils for complaints upheld, 53 for compliance, 53 for remedies and 56 for "
        "upheld decisions per 100,000 residents)"
    ) in text


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (1, "There is no other unitary council in the store for 2019-20, so"),
        (2, "There is only one other unitary council in the store for 2019-20, too few"),
    ],
)
def test_group_of_one_or_two_is_no_comparison(members, expected):
    counts = dict.fromkeys(("uphold", "compliance", "remedy", "per_100k"), members)
    text = lt.group_sentence("unitary", True, "mean", "2019-20", counts, members=members)
    assert expected in text
    assert "without an average to compare them with" in text
    assert "councils for complaints upheld" not in text  # no "1 councils"


def test_group_sentence_names_a_figure_too_few_others_have():
    # 40 unitaries, but only two have compliance outcomes: this council and one other.
    text = lt.group_sentence(
        "unitary",
        True,
        "mean",
        "2019-20",
        {"uphold": 40, "compliance": 2, "remedy": 38, "per_100k": 40},
        members=40,
        alone={"uphold": False, "compliance": True, "remedy": False, "per_100k": False},
    )
    assert text.endswith(
        "There is no average to compare the council with for compliance (only one other "
        "unitary council has a figure)."
    )


def test_group_sentence_without_group_has_no_average():
    text = lt.group_sentence(None, False, "mean", "2019-20", {}, "outside the register")
    assert "in none of these groups" in text
    assert "without an average" in text
    assert "%" not in text


def test_dealt_with_groups_outcomes():
    row = {
        "advice_given": 1,
        "closed_after_initial_enquiries": 4,
        "incomplete_invalid": 2,
        "referred_back": 3,
        "not_upheld": 5,
        "upheld": 6,
    }
    d = lt.dealt_with(row)
    assert d is not None
    # not for us = advice 1 + invalid 2 + referred 3 = 6; assessed 4; investigated 5 + 6 = 11.
    assert (d["not_for_us"], d["assessed_and_closed"], d["investigated"], d["total"]) == (
        6,
        4,
        11,
        21,
    )
    assert d["sentence"] == (
        "We dealt with 21 complaints about the council this year: six were not for us to look "
        "at (referred back to the council, incomplete or invalid, or given advice); four were "
        "assessed and closed after initial enquiries; and 11 were investigated in detail."
    )
    one = lt.dealt_with({**row, "closed_after_initial_enquiries": 1})
    assert one is not None and "; one was assessed and closed" in one["sentence"]
    # only the groups that had complaints; a body that is not a council is "the authority"
    only = dict.fromkeys(row, 0) | {"upheld": 1, "not_upheld": 1}
    two = lt.dealt_with(only, noun="authority")
    assert two is not None and two["sentence"] == (
        "We dealt with two complaints about the authority this year: both were investigated "
        "in detail."
    )
    assert lt.dealt_with({**row, "upheld": None}) is None


def test_category_rows_in_published_order():
    rows = lt.category_rows({"Housing": 2, "Adult care services": 1, "Zoo": 1, "Other": 0})
    assert [r["name"] for r in rows] == ["Adult care services", "Housing", "Zoo"]
    assert lt.category_rows(None) == []


def test_addressee_default_and_contact():
    a = lc.addressee("Kent County Council", None)
    assert a["lines"] == ["The Chief Executive", "Kent County Council"]
    assert a["salutation"] == "Dear Chief Executive"
    b = lc.addressee(
        "Kent County Council", lf.Contact("Ms A Smith", "Head of Paid Service", "a@kent.example")
    )
    assert b["lines"] == [
        "Ms A Smith",
        "Head of Paid Service",
        "Kent County Council",
        "a@kent.example",
    ]
    assert b["salutation"] == "Dear Ms A Smith"


@given(st.integers(0, 500), st.integers(0, 500))
def test_compliance_welcome_only_when_every_case_complied(complied, extra):
    outcomes = complied + extra
    rate = 100.0 * complied / outcomes if outcomes else None
    text = lt.compliance_sentence(complied, 0, outcomes, rate, None)
    assert ("We welcome this" in text) == (outcomes > 0 and extra == 0)
    assert ("learn from" in text) == (extra > 0)


def test_template_kind():
    assert template_kind("letter.md.j2") == "markdown"
    assert template_kind("mine.html.j2") == "html"
    assert template_kind("mine.HTM") == "html"
    assert template_kind("letter.txt") == "markdown"


def _fields():
    return lf.Fields("", {"council": {"name": "Kent County Council"}, "letter": {"year": "x"}})


def test_template_unknown_field_names_field_and_line():
    t = LetterTemplate(
        "Dear {{ council.name }}\n\nYear {{ letter.year }}\n{{ council.nmae }}\n", "mine.md.j2"
    )
    with pytest.raises(TemplateProblem) as e:
        t.render(_fields())
    assert str(e.value).startswith("mine.md.j2, line 4: unknown field 'council.nmae'")
    assert "did you mean 'council.name'?" in str(e.value)


def test_template_unknown_top_level_field_in_condition():
    t = LetterTemplate("line one\n{% if councll.name %}x{% endif %}\n", "mine.md.j2")
    with pytest.raises(TemplateProblem, match=r"line 2: unknown field 'councll'"):
        t.render(_fields())


def test_template_syntax_error_names_line():
    with pytest.raises(TemplateProblem, match=r"mine.md.j2, line 2: "):
        LetterTemplate("ok\n{% if %}\n", "mine.md.j2")


def test_template_sandboxed():
    t = LetterTemplate("{{ council.__class__.__mro__ }}", "evil.md.j2")
    with pytest.raises(TemplateProblem):
        t.render(_fields())


def test_sentences_name_the_authority_for_a_body_that_is_not_a_council():
    for text in (
        lt.uphold_sentence(2, 3, 200 / 3, None, noun="authority"),
        lt.remedy_sentence(0, 2, 0.0, None, noun="authority"),
        lt.compliance_sentence(1, 0, 2, 50.0, None, noun="authority"),
        lt.per_100k_sentence(3, 100_000, 3.0, noun="authority"),
        lt.group_sentence(None, False, "mean", "2019-20", {}, None, noun="authority"),
    ):
        assert "the authority" in text.lower() and "the council " not in text.lower(), text


def test_and_list():
    assert lt.and_list([]) == ""
    assert lt.and_list(["the Leader"]) == "the Leader"
    assert lt.and_list(["A", "B", "C"]) == "A, B and C"
    assert lt.and_list(["A, Leader", "B"]) == "A, Leader; and B"


def test_compiled_templates_are_cached_and_give_the_same_letter(tmp_path, monkeypatch):
    # The compiled code is kept in LGSCO_STATS_CACHE (a letter's start-up is mostly compiling
    # the template); the same template from the cache renders the same text, reports a
    # missing field on the same line, and a damaged cache file is compiled again.
    from lgsco_stats.letters import render as lr

    monkeypatch.setenv("LGSCO_STATS_CACHE", str(tmp_path / "cache"))
    source = "Dear {{ council.name }}\n{% for x in [1, 2] %}{{ x }}\n{% endfor %}{{ nope }}\n"
    fields = lf.Fields("", {"council": {"name": "Kent County Council"}})

    def problem(t):
        with pytest.raises(TemplateProblem) as e:
            t.render(fields)
        return str(e.value)

    first = LetterTemplate(source, "mine.md.j2")
    files = list((tmp_path / "cache").iterdir())
    assert len(files) == 1
    again = LetterTemplate(source, "mine.md.j2")  # from the cache
    assert problem(first) == problem(again)
    assert "line 3" in problem(again) and "'nope'" in problem(again)
    ok = LetterTemplate(source.replace("{{ nope }}", ""), "mine.md.j2")
    assert ok.render(fields) == "Dear Kent County Council\n1\n2\n"
    files[0].write_bytes(b"not code")
    assert problem(LetterTemplate(source, "mine.md.j2")) == problem(first)
    # another source is another file; no cache at all still compiles
    monkeypatch.setenv("LGSCO_STATS_CACHE", "")
    assert problem(LetterTemplate(source, "mine.md.j2")) == problem(first)
    assert lr.cache_dir() is None
