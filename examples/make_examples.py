"""Make synthetic case-level Ombudsman decision workbooks.

The data are SYNTHETIC: drawn at random with a fixed seed to look like the case-level
decisions the Local Government and Social Care Ombudsman (LGSCO) makes about English councils.
They are not real decisions and no figure in them describes a real council (except the
Southampton 2019-20 compliance count, which copies its published 11 of 12, so the example can
be checked against the real annual review letter).

Run ``python examples/make_examples.py`` to rebuild the shipped ``examples/decisions.xlsx``
(about 17,000 decisions made in 2019-20, seed 2020); see ``--help`` for bigger files.

The library use is two calls::

    decisions, compliance = generate(1_000_000, ["2015-16", ..., "2024-25"], seed=1)
    write_xlsx("big.xlsx", decisions, compliance)

The script reads the council register ``lgsco_stats/data/councils.csv`` but imports nothing
from ``lgsco_stats``: the test data stay independent of the code they test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
COUNCILS_CSV = HERE.parent / "lgsco_stats" / "data" / "councils.csv"

DEFAULT_ROWS = 17_000
DEFAULT_YEARS = ("2019-20",)
DEFAULT_SEED = 2020
DEFAULT_OUTPUT = HERE / "decisions.xlsx"

DECISION_COLUMNS = [
    "Reference",
    "Authority",
    "Category",
    "Received date",
    "Decision date",
    "Outcome",
    "Remedy provided by authority",
]
COMPLIANCE_COLUMNS = ["Reference", "Authority", "Date recorded", "Compliance outcome"]

# Outcome codes index this tuple. The first two are the detailed investigations.
UPHELD, NOT_UPHELD, CLOSED, REFERRED, INVALID, ADVICE = range(6)
OUTCOMES = (
    "Upheld",
    "Not upheld",
    "Closed after initial enquiries",
    "Referred back for local resolution",
    "Incomplete/Invalid",
    "Advice given",
)
# National mix of the decisions that are not investigations (36 + 34 + 6 + 2 = 78 of 100);
# investigations make up the other 22, varying by council.
NOT_INVESTIGATED_SHARES = {CLOSED: 34.0, REFERRED: 36.0, INVALID: 6.0, ADVICE: 2.0}
INVESTIGATED_SHARE = 0.22

# Days from receipt to decision, by outcome: (shortest, longest). Quick triage outcomes come
# soon after receipt; investigations take months.
RECEIPT_LAG_DAYS = {
    UPHELD: (60, 300),
    NOT_UPHELD: (60, 300),
    CLOSED: (14, 200),
    REFERRED: (2, 40),
    INVALID: (2, 80),
    ADVICE: (2, 80),
}

COMPLIED, COMPLIED_LATE, NOT_COMPLIED = range(3)
COMPLIANCE_OUTCOMES = ("Complied", "Complied late", "Not complied")
NOT_COMPLIED_SHARE = 0.006
COMPLIANCE_LAG_DAYS = (20, 120)
MIN_DAYS_TO_RECORD = 7  # when clamping to the year: fewer days left means no outcome yet

CATEGORIES = (
    "Adult care services",
    "Benefits and tax",
    "Corporate and other services",
    "Education and children's services",
    "Environmental services",
    "Highways and transport",
    "Housing",
    "Planning and development",
    "Other",
)
# Relative weights of the categories above, by council type: counties run social care,
# schools and roads; districts run planning, housing, benefits and bins.
CATEGORY_WEIGHTS = {
    "county": (30, 1, 6, 36, 4, 17, 1, 3, 2),
    "district": (0.3, 15, 11, 0.3, 17, 5, 22, 26, 3),
    "metropolitan": (18, 11, 7, 21, 8, 10, 13, 9, 3),
    "london_borough": (14, 13, 8, 17, 8, 10, 20, 8, 2),
    "unitary": (18, 10, 7, 21, 9, 11, 11, 11, 2),
}
# Uphold more likely for children's services and care, less for planning: log-odds shifts,
# offset per council so that its expected uphold rate stays the one it drew.
CATEGORY_UPHOLD_SHIFT = (0.15, -0.05, -0.1, 0.25, -0.1, -0.2, 0.0, -0.35, -0.1)

# Per-type means of the per-council rates; each council draws its own around them.
UPHOLD_MEAN = {
    "county": 0.75,
    "district": 0.55,
    "metropolitan": 0.70,
    "london_borough": 0.72,
    "unitary": 0.68,
}
REMEDY_MEAN = {
    "county": 0.07,
    "district": 0.10,
    "metropolitan": 0.10,
    "london_borough": 0.13,
    "unitary": 0.11,
}
# Decisions per resident relative to a county: single-tier councils run every service,
# districts only some.
VOLUME_PER_RESIDENT = {
    "county": 1.0,
    "district": 0.45,
    "metropolitan": 1.5,
    "london_borough": 1.6,
    "unitary": 1.4,
}
DEFAULT_POPULATION = 100_000
MIN_DECISIONS_PER_COUNCIL = 3

# Bodies within the Ombudsman's remit that are not councils (no comparison group), with the
# weights of their categories.
OTHER_BODIES = {
    "Hampshire and Isle of Wight Fire and Rescue Authority": {
        "Other": 5,
        "Corporate and other services": 3,
        "Environmental services": 2,
    },
    "Peak District National Park Authority": {
        "Planning and development": 8,
        "Environmental services": 1,
        "Corporate and other services": 1,
    },
    "Greater Manchester Combined Authority": {
        "Corporate and other services": 4,
        "Highways and transport": 3,
        "Housing": 1,
        "Other": 2,
    },
    "Transport for London": {
        "Highways and transport": 17,
        "Corporate and other services": 2,
        "Other": 1,
    },
}
OTHER_BODY_DECISIONS = (3, 8)  # inclusive range per body and year

# The special cases of the shipped example.
SOUTHAMPTON = "E06000045"  # 2019-20: 12 compliance outcomes, 11 complied (92%)
SOUTHAMPTON_YEAR = "2019-20"
SOUTHAMPTON_COMPLIANCE = 12
ISLES_OF_SCILLY = "E06000053"  # no detailed investigations in any year

OFFICIAL_NAME_SHARE = 0.85  # the rest is split between short name and upper-case name

_MIN_DAILY_BLOCK = 55
_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")
# Fixed timestamp written into the workbook so that the same data give the same bytes.
_FIXED_STAMP = dt.datetime(2020, 1, 1)


def parse_year(year: str) -> tuple[np.datetime64, np.datetime64]:
    """Return the first and last day of a financial year written like ``"2019-20"``."""
    match = _YEAR_RE.match(year)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValueError(f"not a financial year like '2019-20': {year!r}")
    start = int(match[1])
    return np.datetime64(f"{start}-04-01", "D"), np.datetime64(f"{start + 1}-03-31", "D")


def load_councils(path: str | Path = COUNCILS_CSV) -> pd.DataFrame:
    """Read the council register: one row per council, text columns, blanks as ``""``."""
    councils = pd.read_csv(path, dtype=str, keep_default_na=False)
    return councils.reset_index(drop=True)


def councils_in_year(councils: pd.DataFrame, year: str) -> np.ndarray:
    """Boolean mask of the councils that existed for the whole financial year ``year``."""
    start, end = parse_year(year)
    started = councils["start_date"].eq("") | councils["start_date"].le(str(start))
    not_ended = councils["end_date"].eq("") | councils["end_date"].ge(str(end))
    return (started & not_ended).to_numpy()


def _normalise(name: str) -> str:
    name = name.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def _entities(councils: pd.DataFrame) -> pd.DataFrame:
    """The register's councils followed by the other bodies, with their spellings.

    ``spell_short`` is the council's short name where that names one council only (in the
    whole register, counting aliases), else its official name.
    """
    claims: dict[str, set[str]] = {}
    for code, name, short, aliases in councils[
        ["gss_code", "name", "short_name", "aliases"]
    ].itertuples(index=False):
        for spelling in [name, short, *aliases.split(";")]:
            if spelling:
                claims.setdefault(_normalise(spelling), set()).add(code)
    unique_short = [
        len(claims[_normalise(short)]) == 1 if short else False for short in councils["short_name"]
    ]
    population = pd.to_numeric(councils["population"], errors="coerce")
    table = pd.DataFrame(
        {
            "gss_code": councils["gss_code"],
            "name": councils["name"],
            "lgsco_type": councils["lgsco_type"],
            "population": population.fillna(DEFAULT_POPULATION).to_numpy(dtype=float),
            "spell_short": np.where(unique_short, councils["short_name"], councils["name"]),
            "spell_upper": councils["name"].str.upper(),
        }
    )
    others = pd.DataFrame(
        {
            "gss_code": "",
            "name": list(OTHER_BODIES),
            "lgsco_type": "",
            "population": np.nan,
            "spell_short": list(OTHER_BODIES),
            "spell_upper": list(OTHER_BODIES),
        }
    )
    return pd.concat([table, others], ignore_index=True)


def _beta(rng: np.random.Generator, mean: np.ndarray, concentration: float) -> np.ndarray:
    return rng.beta(mean * concentration, (1.0 - mean) * concentration)


def _council_parameters(rng: np.random.Generator, entities: pd.DataFrame) -> dict[str, np.ndarray]:
    """Draw each body's character once: volume, investigation share, rates, category mix."""
    kind = entities["lgsco_type"].to_numpy(dtype=object)
    is_council = kind != ""
    n = len(entities)

    def by_type(table: dict[str, float], other: float) -> np.ndarray:
        return np.array([table.get(k, other) for k in kind], dtype=float)

    weights = np.zeros((n, len(CATEGORIES)))
    for i, k in enumerate(kind):
        if k:
            weights[i] = CATEGORY_WEIGHTS[k]
        else:
            spec = OTHER_BODIES[entities.at[i, "name"]]
            weights[i] = [spec.get(c, 0.0) for c in CATEGORIES]
    weights *= rng.lognormal(0.0, 0.2, size=weights.shape)
    weights /= weights.sum(axis=1, keepdims=True)
    p_upheld = np.where(is_council, _beta(rng, by_type(UPHOLD_MEAN, 0.6), 15.0), 0.6)

    return {
        "volume": entities["population"].to_numpy()
        * by_type(VOLUME_PER_RESIDENT, 0.0)
        * rng.lognormal(0.0, 0.3, size=n),
        "p_investigated": _beta(rng, np.full(n, INVESTIGATED_SHARE), 60.0),
        "p_remedy": _beta(rng, by_type(REMEDY_MEAN, 0.10), 20.0),
        "p_late": _beta(rng, np.full(n, 0.17), 8.0),
        "category_cdf": np.cumsum(weights, axis=1),
        "uphold_logit": _uphold_logits(p_upheld, weights),
    }


def _uphold_logits(p_upheld: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Log-odds of upholding per body and category, averaging to ``p_upheld`` per body.

    Adds ``CATEGORY_UPHOLD_SHIFT`` to each body's log-odds, then finds by Newton's method the
    offset ``c`` for which sum_k weights_k * sigmoid(logit(p) + shift_k + c) = p.
    """
    p = np.clip(p_upheld, 1e-6, 1 - 1e-6)[:, None]
    base = np.log(p / (1 - p)) + np.asarray(CATEGORY_UPHOLD_SHIFT)[None, :]
    offset = np.zeros_like(p)
    for _ in range(20):
        q = 1 / (1 + np.exp(-(base + offset)))
        f = (weights * q).sum(axis=1, keepdims=True) - p
        offset -= f / (weights * q * (1 - q)).sum(axis=1, keepdims=True)
    return base + offset


def _allocate(
    rng: np.random.Generator, n: int, volume: np.ndarray, minimum: int = MIN_DECISIONS_PER_COUNCIL
) -> np.ndarray:
    """Split ``n`` decisions between bodies: ``minimum`` each, the rest by ``volume``."""
    minimum = min(minimum, n // max(len(volume), 1))
    rest = n - minimum * len(volume)
    return minimum + rng.multinomial(rest, volume / volume.sum())


def _pick(
    rng: np.random.Generator, cdf: np.ndarray, row: np.ndarray, chunk: int = 200_000
) -> np.ndarray:
    """One draw for each entry of ``row`` from that row of ``cdf`` (cumulative, rows x k)."""
    u = rng.random(len(row))
    out = np.empty(len(row), dtype=np.int64)
    for start in range(0, len(row), chunk):  # chunks keep the (chunk x k) temporary small
        part = cdf[row[start : start + chunk]]
        below = part < (u[start : start + chunk] * part[:, -1])[:, None]
        out[start : start + chunk] = below.sum(axis=1)
    return np.minimum(out, cdf.shape[1] - 1)


def _not_investigated(rng: np.random.Generator, size: int) -> np.ndarray:
    codes = np.fromiter(NOT_INVESTIGATED_SHARES, dtype=np.int8)
    shares = np.fromiter(NOT_INVESTIGATED_SHARES.values(), dtype=float)
    return rng.choice(codes, size=size, p=shares / shares.sum())


def _lagged(rng: np.random.Generator, low: np.ndarray, high: np.ndarray, skew: float) -> np.ndarray:
    """Whole days in [low, high], more of them near ``low`` when ``skew`` > 1."""
    u = rng.random(len(low)) ** skew
    return np.minimum(low + np.floor(u * (high - low + 1)), high).astype(np.int64)


def _references(rng: np.random.Generator, received: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique references "YY NNN NNN": the year of receipt, then a number within that year.

    Numbers rise with the receipt date: each day of the year owns a block of numbers as large
    as the busiest day's receipts (at least ``_MIN_DAILY_BLOCK``, roughly the Ombudsman's
    real daily intake), and that day's cases are spread over its block with small random gaps.
    So a case received in late July 2019 reads like "19 011 234". If a year's blocks would
    not fit in six digits (over ~2,700 cases received on one day), that year's references
    use seven, "YY NNNNNNN", so they stay unique.

    Returns the references (fixed-width text) and a number that sorts like them.
    """
    n = len(received)
    if n == 0:
        return np.empty(0, dtype="U10"), np.empty(0, dtype=np.int64)
    order = np.lexsort((rng.random(n), received))
    day = received[order]
    starts = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    per_day = np.diff(np.r_[starts, n])
    count = np.repeat(per_day, per_day)
    rank = np.arange(n) - np.repeat(starts, per_day)

    year = day.astype("datetime64[Y]")
    day_of_year = (day - year.astype("datetime64[D]")).astype(np.int64)
    yy = year.astype(np.int64) + 1970
    year_starts = np.flatnonzero(np.r_[True, yy[1:] != yy[:-1]])
    block = np.maximum(np.maximum.reduceat(count, year_starts), _MIN_DAILY_BLOCK)
    if (block * 366 > 9_999_999).any():
        raise ValueError("too many decisions received on one day for unique references")
    block = np.repeat(block, np.diff(np.r_[year_starts, n]))

    # Cases of a day at rank*step plus a jitter below step-1: strictly increasing, unique.
    step = block / count
    within = np.floor(rank * step + rng.random(n) * (step - 1)).astype(np.int64)
    number = day_of_year * block + 1 + within
    wide = block * 366 > 999_999

    # Spell them out as ASCII digits, ten bytes a reference, without a Python loop.
    def digit(value: np.ndarray, k: int) -> np.ndarray:
        return (value // 10**k % 10 + ord("0")).astype(np.uint8)

    text = np.full((n, 10), ord(" "), dtype=np.uint8)
    text[:, 0], text[:, 1] = digit(yy, 1), digit(yy, 0)
    for col, k in zip((3, 4, 5, 7, 8, 9), (5, 4, 3, 2, 1, 0), strict=True):
        text[:, col] = digit(number, k)
    if wide.any():
        text[wide, 3:10] = np.stack([digit(number[wide], k) for k in range(6, -1, -1)], axis=1)
    refs = np.empty(n, dtype="U10")
    refs[order] = text.view("S10").ravel().astype("U10")
    key = np.empty(n, dtype=np.int64)
    key[order] = (yy % 100) * 10_000_000 + number
    return refs, key


def generate(
    n_decisions: int,
    years: Sequence[str],
    seed: int,
    *,
    include_other_bodies: bool = True,
    clamp_compliance: bool | None = None,
    councils: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw synthetic decisions and compliance outcomes.

    Parameters
    ----------
    n_decisions
        Total number of decisions, split evenly between the years.
    years
        Financial years like ``"2019-20"``. Each year's decisions go to the councils that
        existed for the whole year (at least three each, the rest in proportion to
        population), plus a handful about four bodies outside the register.
    seed
        Seed for ``numpy.random.default_rng``; the same arguments give identical frames.
    include_other_bodies
        Add the fire authority, national park, combined authority and Transport for London.
    clamp_compliance
        Keep every compliance outcome in the year of its decision. ``None`` (default) clamps
        when there is a single year, so that a one-year file is complete in itself.
    councils
        The register (default: ``lgsco_stats/data/councils.csv``).

    Returns
    -------
    decisions
        One row per decision, columns ``DECISION_COLUMNS``: Reference, Authority, Category,
        Received date, Decision date (``datetime64[us]``), Outcome, Remedy provided by
        authority ("Yes" or missing). Sorted by decision date, then reference.
    compliance
        One row per compliance outcome, columns ``COMPLIANCE_COLUMNS``: Reference and
        Authority as on the decision, Date recorded, Compliance outcome.
    """
    years = list(years)
    if not years:
        raise ValueError("give at least one year")
    if len(set(years)) != len(years):
        raise ValueError(f"a year is repeated: {years}")
    if n_decisions < 0:
        raise ValueError("n_decisions must not be negative")
    bounds = [parse_year(y) for y in years]
    clamp_all = len(years) == 1 if clamp_compliance is None else clamp_compliance
    councils = load_councils() if councils is None else councils.reset_index(drop=True)

    rng = np.random.default_rng(seed)
    entities = _entities(councils)
    params = _council_parameters(rng, entities)
    n_councils = len(councils)
    other_ids = np.arange(n_councils, len(entities))

    # Who gets how many decisions in which year.
    per_year = np.full(len(years), n_decisions // len(years))
    per_year[: n_decisions % len(years)] += 1
    entity_parts, year_parts = [], []
    for y, (year, n_year) in enumerate(zip(years, per_year, strict=True)):
        ids = np.flatnonzero(councils_in_year(councils, year))
        extra = rng.integers(OTHER_BODY_DECISIONS[0], OTHER_BODY_DECISIONS[1] + 1, len(other_ids))
        if not include_other_bodies or n_year - extra.sum() < MIN_DECISIONS_PER_COUNCIL * len(ids):
            extra = np.zeros(0, dtype=np.int64)
        volume = params["volume"][ids] * rng.lognormal(0.0, 0.1, len(ids))
        counts = np.r_[_allocate(rng, int(n_year - extra.sum()), volume), extra]
        entity_parts.append(np.repeat(np.r_[ids, other_ids[: len(extra)]], counts))
        year_parts.append(np.full(counts.sum(), y, dtype=np.int64))
    entity = np.concatenate(entity_parts)
    year_idx = np.concatenate(year_parts)
    n = len(entity)
    gss = entities["gss_code"].to_numpy(dtype=object)

    # Category, then outcome (uphold depends a little on the category).
    category = _pick(rng, params["category_cdf"], entity)
    investigated = rng.random(n) < params["p_investigated"][entity]
    logit = params["uphold_logit"][entity, category]
    upheld = rng.random(n) < 1 / (1 + np.exp(-logit))
    outcome = _not_investigated(rng, n)
    outcome[investigated] = np.where(upheld[investigated], UPHELD, NOT_UPHELD)

    scilly = gss[entity] == ISLES_OF_SCILLY
    outcome[scilly] = _not_investigated(rng, int(scilly.sum()))

    remedy = (outcome == UPHELD) & (rng.random(n) < params["p_remedy"][entity])

    # Southampton 2019-20: enough upheld decisions without a remedy for 12 compliance outcomes.
    southampton = np.zeros(n, dtype=bool)
    if SOUTHAMPTON_YEAR in years:
        southampton = (gss[entity] == SOUTHAMPTON) & (year_idx == years.index(SOUTHAMPTON_YEAR))
        wanted = SOUTHAMPTON_COMPLIANCE + 1
        if southampton.sum() >= wanted:
            have = int((southampton & (outcome == UPHELD) & ~remedy).sum())
            if have < wanted:
                spare = np.flatnonzero(southampton & (outcome >= CLOSED))
                spare = np.r_[spare, np.flatnonzero(southampton & (outcome == NOT_UPHELD))]
                outcome[spare[: wanted - have]] = UPHELD
        if (southampton & (outcome == UPHELD) & ~remedy).sum() < SOUTHAMPTON_COMPLIANCE:
            southampton[:] = False  # too few decisions to show the case (tiny files)

    # Dates: decisions on working days of their year; receipt some days before.
    decided = np.empty(n, dtype="datetime64[D]")
    year_end = np.empty(n, dtype="datetime64[D]")
    for y, (start, end) in enumerate(bounds):
        rows = np.flatnonzero(year_idx == y)
        days = np.arange(start, end + 1)
        days = days[np.is_busday(days)]
        decided[rows] = days[rng.integers(0, len(days), len(rows))]
        year_end[rows] = end
    lag = np.array([RECEIPT_LAG_DAYS[o] for o in range(len(OUTCOMES))])[outcome]
    received = decided - _lagged(rng, lag[:, 0], lag[:, 1], skew=1.6)
    reference, reference_key = _references(rng, received)

    spelling = np.where(rng.random(n) < OFFICIAL_NAME_SHARE, 0, rng.integers(1, 3, n))
    names = entities[["name", "spell_short", "spell_upper"]].to_numpy(dtype=object)
    authority = names[entity, spelling]

    # Compliance: most upheld decisions with a recommended remedy get an outcome; few of those
    # where the council had already put things right do. Clamped rows are recorded by the end
    # of their year; a decision made in its year's last days then has none yet.
    clamp = np.full(n, clamp_all) | (gss[entity] == SOUTHAMPTON)
    room = (year_end - decided).astype(np.int64)
    in_time = ~clamp | (room >= MIN_DAYS_TO_RECORD)
    upheld_rows = outcome == UPHELD
    p_recorded = np.where(remedy, 0.15, 0.87)
    has_compliance = upheld_rows & (rng.random(n) < p_recorded) & in_time & ~southampton
    late = rng.random(n) < params["p_late"][entity]
    result = np.where(late, COMPLIED_LATE, COMPLIED)
    result[rng.random(n) < NOT_COMPLIED_SHARE] = NOT_COMPLIED
    if southampton.any():
        pool = np.flatnonzero(southampton & upheld_rows & ~remedy & in_time)
        if len(pool) < SOUTHAMPTON_COMPLIANCE:
            pool = np.flatnonzero(southampton & upheld_rows & ~remedy)
        chosen = rng.choice(pool, size=SOUTHAMPTON_COMPLIANCE, replace=False)
        has_compliance[chosen] = True
        result[chosen] = np.where(late[chosen], COMPLIED_LATE, COMPLIED)
        result[chosen[0]] = NOT_COMPLIED
    high = np.full(n, COMPLIANCE_LAG_DAYS[1])
    high = np.where(clamp, np.minimum(high, room), high)
    low = np.minimum(COMPLIANCE_LAG_DAYS[0], high)
    recorded = decided + _lagged(rng, low, high, skew=1.3)

    # Sorted by date, then reference, before the frames are built (no second copy).
    order = np.lexsort((reference_key, decided))
    decisions = pd.DataFrame(
        {
            "Reference": reference[order],
            "Authority": authority[order],
            "Category": np.asarray(CATEGORIES, dtype=object)[category[order]],
            "Received date": received[order].astype("datetime64[us]"),
            "Decision date": decided[order].astype("datetime64[us]"),
            "Outcome": np.asarray(OUTCOMES, dtype=object)[outcome[order]],
            "Remedy provided by authority": np.where(remedy[order], "Yes", None),
        }
    )
    rows = np.flatnonzero(has_compliance)
    rows = rows[np.lexsort((reference_key[rows], recorded[rows]))]
    compliance = pd.DataFrame(
        {
            "Reference": reference[rows],
            "Authority": authority[rows],
            "Date recorded": recorded[rows].astype("datetime64[us]"),
            "Compliance outcome": np.asarray(COMPLIANCE_OUTCOMES, dtype=object)[result[rows]],
        }
    )
    return decisions, compliance


_WIDTHS = {
    "Reference": 13,
    "Authority": 44,
    "Category": 34,
    "Received date": 14,
    "Decision date": 14,
    "Outcome": 34,
    "Remedy provided by authority": 16,
    "Date recorded": 14,
    "Compliance outcome": 20,
}


def _cell_values(frame: pd.DataFrame, start: int, stop: int) -> list[list[object]]:
    """Columns of rows ``start:stop`` as Python values: dates as ``datetime.date``, gaps None."""
    columns = []
    for name in frame.columns:
        column = frame[name].iloc[start:stop]
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            days = column.to_numpy(dtype="datetime64[D]")
            columns.append(days.astype(object).tolist())
        else:
            columns.append(column.to_numpy(dtype=object, na_value=None).tolist())
    return columns


def _write_sheet(workbook, title: str, frame: pd.DataFrame, chunk: int = 50_000) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for i, name in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 16)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in frame.columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for start in range(0, len(frame), chunk):
        for row in zip(*_cell_values(frame, start, start + chunk), strict=True):
            sheet.append(row)


def _make_reproducible(path: Path) -> None:
    """Rewrite the zip with fixed timestamps so that the same data give the same bytes."""
    stamp = _FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_STAMP.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            if info.filename == "docProps/core.xml":
                text = src.read(info).decode("utf-8")
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rf"\g<1>{stamp}\g<2>",
                    text,
                )
                dst.writestr(fixed, text.encode("utf-8"))
                continue
            # Stream: a million-row sheet is hundreds of MB of XML.
            big = info.file_size > zipfile.ZIP64_LIMIT // 2
            with src.open(info) as fin, dst.open(fixed, "w", force_zip64=big) as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
    tmp.replace(path)


def write_xlsx(
    path: str | Path,
    decisions: pd.DataFrame,
    compliance: pd.DataFrame,
    *,
    reproducible: bool = True,
) -> Path:
    """Write the two frames as sheets ``Decisions`` and ``Compliance`` of one workbook.

    Uses openpyxl's write-only mode, converting the frames a chunk of rows at a time, so a
    million rows fit in modest memory. Date columns become real Excel dates (yyyy-mm-dd).
    With ``reproducible`` (default) the workbook's timestamps are fixed, so the same frames
    give a byte-identical file; this costs one extra pass over the zip.
    """
    from openpyxl import Workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "examples/make_examples.py (synthetic data)"
    workbook.properties.title = "Synthetic LGSCO decisions"
    workbook.properties.created = _FIXED_STAMP
    _write_sheet(workbook, "Decisions", decisions[DECISION_COLUMNS])
    _write_sheet(workbook, "Compliance", compliance[COMPLIANCE_COLUMNS])
    workbook.save(path)
    if reproducible:
        _make_reproducible(path)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a workbook of SYNTHETIC Ombudsman decisions (sheets Decisions and "
        "Compliance). The defaults rebuild examples/decisions.xlsx.",
    )
    parser.add_argument(
        "--rows",
        type=int,
        default=DEFAULT_ROWS,
        help=f"number of decisions, split evenly between the years (default {DEFAULT_ROWS})",
    )
    parser.add_argument(
        "--years",
        nargs="+",
        default=list(DEFAULT_YEARS),
        metavar="YYYY-YY",
        help="financial years (default: 2019-20)",
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="workbook to write (default: examples/decisions.xlsx)",
    )
    args = parser.parse_args(argv)
    try:
        for year in args.years:
            parse_year(year)
    except ValueError as error:
        parser.error(str(error))

    began = time.perf_counter()
    decisions, compliance = generate(args.rows, args.years, args.seed)
    drawn = time.perf_counter()
    write_xlsx(args.output, decisions, compliance)
    done = time.perf_counter()
    print(
        f"wrote {args.output}: {len(decisions):,} decisions, {len(compliance):,} compliance "
        f"outcomes ({drawn - began:.1f} s to draw, {done - drawn:.1f} s to write)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
