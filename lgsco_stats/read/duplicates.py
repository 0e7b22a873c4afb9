"""The same case reference (or authority and year of a published table) given twice."""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from ..outcomes import normalise_text
from .columns import all_distinct
from .dataset import Dataset


def check_duplicates(ds: Dataset) -> None:
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
        )
    if len(ds.compliance):
        with_ref = ds.compliance[ds.compliance["reference"].notna()]
        without = ds.compliance[ds.compliance["reference"].isna()]
        with_ref = _dedupe(
            with_ref,
            ["reference"],
            ["authority", "date_recorded", "outcome"],
            "compliance outcome for case reference",
        )
        ds.compliance = pd.concat([with_ref, without], ignore_index=True)
    if len(ds.published):
        key = ds.published["authority"].map(normalise_text) + "|" + ds.published["year"]
        dup = key.duplicated(keep=False)
        if dup.any():
            first = ds.published[dup].iloc[0]
            same = ds.published[dup & (key == key[dup].iloc[0])]
            places = " and ".join(
                f"{s}, row {r}" for s, r in zip(same["source"], same["row"], strict=True)
            )
            raise DataError(
                f"{first['authority']!r} {first['year']} appears twice in the published table: "
                f"{places}"
            )


def _dedupe(frame: pd.DataFrame, key: list[str], content: list[str], what: str) -> pd.DataFrame:
    if len(key) == 1 and all_distinct(frame[key[0]]):
        return frame  # the usual case, found by one hash pass in Arrow
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return frame
    sub = frame[dup]
    distinct = sub.drop_duplicates(key + content)
    clash = distinct.duplicated(key, keep=False)
    if clash.any():
        ref = distinct[clash].iloc[0][key[0]]
        rows = frame[frame[key[0]] == ref]
        places = " and ".join(
            f"{s}, row {r}" for s, r in zip(rows["source"], rows["row"], strict=True)
        )
        raise DataError(f"{what} {ref!r} appears twice with different contents: {places}")
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)
