"""A published table and the case-level rows it summarises give the same figures, whatever
vocabulary the table is written in and whatever columns determine its compliance, and however
it is dressed: a title row, a totals row and a note row change nothing (hypothesis)."""

from __future__ import annotations

import csv
import math
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lgsco_stats.figures import figures_of
from lgsco_stats.read.files import read_files

COUNCILS = [
    "Kent County Council",
    "Surrey County Council",
    "Leeds City Council",
    "Southampton City Council",
    "Portsmouth City Council",
]
OUTCOME_TEXT = {
    "advice_given": "Advice given",
    "closed_after_initial_enquiries": "Closed after initial enquiries",
    "incomplete_invalid": "Incomplete/Invalid",
    "referred_back": "Referred back for local resolution",
    "not_upheld": "Not upheld",
    "upheld": "Upheld",
}
COMPARED = [
    "decisions",
    "upheld",
    "investigations",
    "remedy_by_authority",
    "complied_total",
    "compliance_outcomes",
    "uphold_rate",
    "remedy_rate",
    "compliance_rate",
    "group_uphold_rate",
    "group_remedy_rate",
    "group_compliance_rate",
]

small = st.integers(0, 5)


@st.composite
def council_counts(draw: st.DrawFn) -> dict[str, int]:
    c = {k: draw(small) for k in OUTCOME_TEXT}
    c["remedy"] = draw(st.integers(0, c["upheld"]))
    c["complied"], c["late"], c["not_complied"] = draw(small), draw(small), draw(small)
    return c


tables = st.dictionaries(st.sampled_from(COUNCILS), council_counts(), min_size=1, max_size=5)
vocabulary = st.sampled_from(["2014", "2024-25"])
compliance_columns = st.sampled_from(
    ["all three", "outcomes and complied", "outcomes and not complied", "complied and not"]
)
dress = st.fixed_dictionaries(
    {"title": st.booleans(), "total": st.booleans(), "note": st.booleans()}
)


def write_cases(folder: Path, table: dict[str, dict[str, int]]) -> list[Path]:
    """The case-level rows: a decision per count, in 2022-23; a compliance outcome per count,
    recorded in 2022-23."""
    decisions = [["Reference", "Authority", "Decision date", "Outcome", "Remedy by authority"]]
    compliance = [["Reference", "Authority", "Date recorded", "Compliance outcome"]]
    n = 0
    for council, c in table.items():
        for code, text in OUTCOME_TEXT.items():
            for k in range(c[code]):
                n += 1
                remedy = "Y" if code == "upheld" and k < c["remedy"] else "N"
                decisions.append([f"22 {n:06d}", council, "01/06/2022", text, remedy])
        for key, text in (("complied", "Complied"), ("late", "Complied late"),
                          ("not_complied", "Not complied")):  # fmt: skip
            for _ in range(c[key]):
                n += 1
                compliance.append([f"22 {n:06d}", council, "01/09/2022", text])
    paths = [folder / "decisions.csv", folder / "compliance.csv"]
    for path, rows in zip(paths, (decisions, compliance), strict=True):
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
    return paths


def write_table(
    path: Path, table: dict[str, dict[str, int]], words: str, shape: str, dressed: dict
) -> Path:
    """The published table of the same counts, in one vocabulary and compliance shape."""

    def rows_of(c: dict[str, int]) -> dict[str, int]:
        investigated = c["upheld"] + c["not_upheld"]
        not_for_us = c["referred_back"] + c["incomplete_invalid"] + c["advice_given"]
        closed = c["closed_after_initial_enquiries"]
        out: dict[str, int] = {}
        if words == "2014":
            out.update({text: c[code] for code, text in OUTCOME_TEXT.items()})
        else:
            out["Complaints dealt with"] = not_for_us + closed + investigated
            out["Not for us"] = not_for_us
            out["Assessed and closed"] = closed
            out["Investigated"] = investigated
            out["Upheld"] = c["upheld"]
        out["Satisfactory remedy provided by council"] = c["remedy"]
        complied = c["complied"] + c["late"]
        outcomes = complied + c["not_complied"]
        if shape == "all three":
            out.update({"Complied": c["complied"], "Complied late": c["late"],
                        "Not complied": c["not_complied"]})  # fmt: skip
        elif shape == "outcomes and complied":
            out.update({"Compliance outcomes": outcomes, "Complied": complied})
        elif shape == "outcomes and not complied":
            out.update({"Compliance outcomes": outcomes, "Not complied": c["not_complied"]})
        else:
            out.update({"Complied": complied, "Not complied": c["not_complied"]})
        return out

    body = {council: rows_of(c) for council, c in table.items()}
    header = ["Council", "Year", *next(iter(body.values()))]
    lines: list[list[object]] = []
    if dressed["title"]:
        lines += [["Complaints decided by the Ombudsman"], []]
    lines.append(header)
    lines += [[council, "2022-23", *row.values()] for council, row in body.items()]
    if dressed["total"]:
        sums = [sum(r[k] for r in body.values()) for k in header[2:]]
        lines.append(["Total", "", *sums])
    if dressed["note"]:
        lines += [[], ["Source: the Ombudsman's annual review data"]]
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(lines)
    return path


def same(a: object, b: object) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, vocabulary, compliance_columns, dress)
def test_a_published_table_gives_the_figures_of_its_cases(table, words, shape, dressed) -> None:
    assume(all(sum(c[k] for k in OUTCOME_TEXT) > 0 for c in table.values()))  # every council
    assume(any(c["complied"] + c["late"] + c["not_complied"] for c in table.values()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = figures_of(read_files(write_cases(folder, table)))
        path = write_table(folder / "table.csv", table, words, shape, dressed)
        ds = read_files([path])
        published = figures_of(ds)
    assert [w for w in ds.problems if w.level == "warning"] == []
    cases = cases.set_index("council")
    published = published.set_index("council")
    assert sorted(cases.index) == sorted(published.index)
    for council in cases.index:
        for column in COMPARED:
            a, b = cases.loc[council, column], published.loc[council, column]
            assert same(a, b), (council, column, a, b)


def test_dressing_a_table_changes_nothing(tmp_path: Path) -> None:
    # The same table bare, then with a title row, a totals row and a note row, each alone and
    # all together: the same figures (Kent 76 of 86 = 88%, Leeds 37 of 54 = 69%).
    extra = {"complied": 60, "late": 2, "not_complied": 1}
    table = {
        "Kent County Council": {
            **dict.fromkeys(OUTCOME_TEXT, 0), "upheld": 76, "not_upheld": 10, "remedy": 6, **extra
        },
        "Leeds City Council": {
            **dict.fromkeys(OUTCOME_TEXT, 1), "upheld": 37, "not_upheld": 17, "remedy": 5, **extra
        },
    }  # fmt: skip
    plain = dict.fromkeys(("title", "total", "note"), False)
    bare = figures_of(
        read_files([write_table(tmp_path / "bare.csv", table, "2014", "all three", plain)])
    )
    rates = dict(zip(bare["council"], bare["uphold_rate"], strict=True))
    assert f"{rates['Kent County Council']:.2f}" == "88.37"  # 76 / 86
    assert f"{rates['Leeds City Council']:.2f}" == "68.52"  # 37 / 54
    for i, dressed in enumerate(
        [
            {"title": True, "total": False, "note": False},
            {"title": False, "total": True, "note": False},
            {"title": False, "total": False, "note": True},
            {"title": True, "total": True, "note": True},
        ]
    ):
        path = write_table(tmp_path / f"t{i}.csv", table, "2014", "all three", dressed)
        got = figures_of(read_files([path]))
        pd.testing.assert_frame_equal(got, bare)
