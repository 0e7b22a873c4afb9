"""Rules that must hold for any table of decisions (hypothesis)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgsco_stats.counts import attach, counts_of
from lgsco_stats.figures import council_figures
from lgsco_stats.outcomes import OUTCOMES, UPHELD
from lgsco_stats.read.dataset import DECISION_COLUMNS, Dataset
from lgsco_stats.store import Store

COUNCILS = ["Kent", "Leeds", "Southampton", "Portsmouth", "Hull", "Transport for London"]

decision = st.tuples(
    st.sampled_from(COUNCILS),
    st.sampled_from(OUTCOMES),
    st.booleans(),
    st.dates(dt.date(2019, 4, 1), dt.date(2021, 3, 31)),
    st.sampled_from(["Housing", "Planning and development", None]),
)


def dataset(rows: list[tuple[str, str, bool, dt.date, str | None]]) -> Dataset:
    frame = pd.DataFrame(
        {
            "reference": [f"R{i:05d}" for i in range(len(rows))],
            "authority": [r[0] for r in rows],
            "decision_date": pd.to_datetime([r[3] for r in rows]),
            "outcome": [r[1] for r in rows],
            "remedy_by_authority": [r[2] and r[1] == UPHELD for r in rows],
            "category": [r[4] for r in rows],
            "received_date": pd.Series(pd.NaT, index=range(len(rows)), dtype="datetime64[us]"),
            "source": "generated",
            "row": range(2, len(rows) + 2),
        }
    )
    from lgsco_stats.years import years_of

    frame["year"] = years_of(frame["decision_date"])
    return Dataset(decisions=frame[list(DECISION_COLUMNS)])


def figures(ds: Dataset, average: str = "mean") -> pd.DataFrame:
    return council_figures(counts_of(ds), average=average)


RATE_COLUMNS = [
    "uphold_rate",
    "remedy_rate",
    "compliance_rate",
    "group_uphold_rate",
    "group_remedy_rate",
]
fast = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(st.lists(decision, min_size=1, max_size=60), st.sampled_from(["mean", "pooled"]))
def test_rates_are_percentages_or_na(rows, average) -> None:
    f = figures(dataset(rows), average)
    for c in RATE_COLUMNS:
        v = f[c].to_numpy(dtype=float, na_value=np.nan)
        ok = np.isnan(v) | ((v >= 0) & (v <= 100))
        assert ok.all(), c


@fast
@given(st.lists(decision, min_size=1, max_size=60))
def test_outcome_counts_sum_to_decisions(rows) -> None:
    f = figures(dataset(rows))
    assert (f[list(OUTCOMES)].sum(axis=1) == f["decisions"]).all()
    assert int(f["decisions"].sum()) == len(rows)
    assert (f["investigations"] == f["upheld"] + f["not_upheld"]).all()


@fast
@given(st.lists(decision, min_size=1, max_size=60), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows, rnd) -> None:
    ds = dataset(rows)
    shuffled = ds.decisions.sample(frac=1, random_state=rnd.randint(0, 10**6))
    a = figures(ds)
    b = figures(Dataset(decisions=shuffled.reset_index(drop=True)))
    pd.testing.assert_frame_equal(a, b)


def _store_figures(parts: list[Dataset], path: Path) -> pd.DataFrame:
    with Store(path) as s:
        for ds in parts:
            data = attach(ds)
            s.save(data.decisions, data.compliance, data.published)
        return council_figures(s.counts())


store_settings = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@store_settings
@given(st.lists(decision, min_size=1, max_size=40))
def test_loading_twice_equals_loading_once(rows) -> None:
    ds = dataset(rows)
    with tempfile.TemporaryDirectory() as d:
        once = _store_figures([ds], Path(d) / "a.db")
        twice = _store_figures([ds, ds], Path(d) / "b.db")
    pd.testing.assert_frame_equal(once, twice)


@store_settings
@given(st.lists(decision, min_size=2, max_size=40), st.integers(min_value=1, max_value=39))
def test_splitting_a_file_in_two_gives_the_same_figures(rows, cut) -> None:
    ds = dataset(rows)
    cut = min(cut, len(rows) - 1)
    first = Dataset(decisions=ds.decisions.iloc[:cut].reset_index(drop=True))
    second = Dataset(decisions=ds.decisions.iloc[cut:].reset_index(drop=True))
    with tempfile.TemporaryDirectory() as d:
        whole = _store_figures([ds], Path(d) / "a.db")
        split = _store_figures([first, second], Path(d) / "b.db")
    pd.testing.assert_frame_equal(whole, split)
    # and the store agrees with computing from the file alone
    pd.testing.assert_frame_equal(whole, figures(ds), check_dtype=False)
