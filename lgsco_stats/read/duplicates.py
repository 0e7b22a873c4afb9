"""The same case reference (or authority and year of a published table) given twice."""

from __future__ import annotations

import pandas as pd

from ..outcomes import normalise_text
from .columns import all_distinct
from .dataset import Dataset
from .problems import Problems


def check_duplicates(ds: Dataset, problems: Problems) -> None:
    """The same case reference twice with different contents (or an authority-year twice in a
    published table) is an error naming both places; exact repeats are dropped."""
    if len(ds.decisions):
        ds.decisions = _dedupe(
            ds.decisions,
            ["reference"],
            [
                "authority",
                "decision_date",
                "outcome",
                "remedy_by_authority",
                "category",
                "received_date",
            ],
            "case reference",
            problems,
        )
    if len(ds.compliance):
        with_ref = ds.compliance[ds.compliance["reference"].notna()]
        without = ds.compliance[ds.compliance["reference"].isna()]
        with_ref = _dedupe(
            with_ref,
            ["reference"],
            ["authority", "date_recorded", "outcome"],
            "compliance outcome for case reference",
            problems,
        )
        ds.compliance = pd.concat([with_ref, without], ignore_index=True)
    if len(ds.published):
        names = ds.published["authority"].map(normalise_text, na_action="ignore")
        key = names.fillna("") + "|" + ds.published["year"].fillna("")
        dup = key.duplicated(keep=False) & names.notna()
        for k in key[dup].drop_duplicates().tolist()[:10]:
            same = ds.published[key == k]
            first = same.iloc[0]
            places = " and ".join(
                f"{s}, row {r}" for s, r in zip(same["source"], same["row"], strict=True)
            )
            problems.error(
                f"{first['authority']!r} {first['year']} appears twice in the published table: "
                f"{places}"
            )


def _dedupe(
    frame: pd.DataFrame, key: list[str], content: list[str], what: str, problems: Problems
) -> pd.DataFrame:
    if len(key) == 1 and all_distinct(frame[key[0]]):
        return frame  # the usual case, found by one hash pass in Arrow
    dup = frame.duplicated(key, keep=False) & frame[key[0]].notna()  # blank: an error already
    if not dup.any():
        return frame
    sub = frame[dup]
    distinct = sub.drop_duplicates(key + content)
    clash = distinct.duplicated(key, keep=False)
    for ref in distinct[clash][key[0]].drop_duplicates().tolist()[:50]:
        rows = frame[frame[key[0]] == ref]
        places = " and ".join(
            f"{s}, row {r}" for s, r in zip(rows["source"], rows["row"], strict=True)
        )
        problems.error(f"{what} {ref!r} appears twice with different contents: {places}")
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)
