"""What each page of the report site shows: plain data for the templates, and the tables a
reader can download beside each table.

Pure functions over :func:`lgsco_stats.figures.council_figures` output (every year), the group
benchmarks and the store's category counts. Display text (rounded rates, counts, intervals,
comparisons in words) is made here, once per cell, so that the templates only lay it out;
downloads carry the raw values (unrounded rates, counts, missing as empty) under the same column
names as ``compute --format csv``.

Columns that later parts of the figures add are shown when present: the interval and the
comparison with similar councils (``r_rate_low``, ``r_rate_high``, ``r_peer_rate``,
``r_p_value``, ``r_comparison`` for r in uphold, remedy, compliance) and the group's upheld
decisions per 100,000 residents (``group_upheld_per_100k``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from markupsafe import Markup

from .. import outcomes as oc
from ..councils import GROUP_SINGULAR, Council, name_key
from ..figures import RATE_LABELS, RATES, counted_in
from ..rounding import format_difference as _format_difference
from ..tables import is_missing
from . import svg
from .svg import format_percent

# Each group average is compared with every member's rate: each pair is worked out once.
format_difference = functools.lru_cache(maxsize=65536)(_format_difference)

# Short names of the three rates, in the order the Ombudsman's letters give them.
RATE_ORDER: tuple[str, ...] = ("uphold", "compliance", "remedy")
CASE_WORDS: dict[str, str] = {
    "uphold": "investigations",
    "compliance": "compliance outcomes",
    "remedy": "upheld complaints",
}
COMPARISON_WORDS: dict[str, str] = {
    "higher": "higher than similar councils",
    "lower": "lower than similar councils",
    "similar": "not clearly different",
    "too few cases": "too few cases to tell",
}
# The 2024-25 grouping of outcomes and the total it adds up to.
OUTCOME_GROUP_KEYS: tuple[str, ...] = (oc.NOT_FOR_US, oc.ASSESSED_AND_CLOSED, oc.INVESTIGATED)
DEALT_WITH = "dealt_with"


def statistic_columns(short: str) -> tuple[str, ...]:
    """The interval and comparison columns of a rate (present once the figures carry them)."""
    return (
        f"{short}_rate_low",
        f"{short}_rate_high",
        f"{short}_peer_rate",
        f"{short}_p_value",
        f"{short}_comparison",
    )


@dataclass(frozen=True)
class Entity:
    """One council (or body outside the register) with a page: its authority keys over the
    years (a council that changed type has two) and its display details."""

    key: str
    keys: tuple[str, ...]
    name: str
    slug: str
    council: Council | None
    history: tuple[Council, ...]


# --------------------------------------------------------------------------- downloads


@dataclass
class Downloads:
    """The tables to write beside the pages: ``add`` returns the links a page shows."""

    files: list[tuple[str, Sequence[str], list[dict[str, Any]]]] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)

    def add(
        self, path: str, keys: Sequence[str], rows: list[dict[str, Any]], root: str
    ) -> dict[str, str]:
        """``path`` (site-relative, no extension) holds ``rows`` under ``keys``; the links are
        relative to a page whose way back to the site's root is ``root``. A path already
        added (a table several pages show) is written once."""
        if path not in self.paths:
            self.paths.add(path)
            self.files.append((path, list(keys), rows))
        return {"csv": f"{root}{path}.csv", "json": f"{root}{path}.json"}


def present(keys: Iterable[str], columns: Iterable[str]) -> list[str]:
    have = set(columns)
    return [k for k in keys if k in have]


# --------------------------------------------------------------------------- cells


def _num(v: Any) -> int | None:
    return None if is_missing(v) else int(v)


def count_text(v: Any) -> str:
    return "n/a" if is_missing(v) else f"{int(v):,}"


def interval_text(low: Any, high: Any) -> str:
    """``"55–74%"`` (each end rounded half up); ``"n/a"`` without an interval."""
    if is_missing(low) or is_missing(high):
        return "n/a"
    return f"{format_percent(low).removesuffix('%')}–{format_percent(high)}"


def comparison_text(word: Any) -> str:
    return "n/a" if is_missing(word) else COMPARISON_WORDS.get(str(word), str(word))


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def place_text(rank: Any, of: Any, joint: Any) -> str:
    """``"3rd highest of 62"`` (``"joint 3rd highest of 62"``); empty without a rank."""
    if is_missing(rank) or is_missing(of):
        return ""
    return f"{'joint ' if joint else ''}{ordinal(int(rank))} highest of {int(of)}"


def add_ranks(figures: pd.DataFrame) -> pd.DataFrame:
    """Each member's place in its group and year for each rate and for upheld decisions per
    100,000 residents: ``r_rank`` (1 = highest, ties share the higher place), ``r_ranked``
    (members with the figure) and ``r_joint`` (tied), for r in uphold, compliance, remedy and
    per_100k."""
    out = figures.copy()
    member = out["in_group"].astype(bool)
    columns = {short: f"{short}_rate" for short in RATE_ORDER}
    if "upheld_per_100k" in out:
        columns["per_100k"] = "upheld_per_100k"
    for short, column in columns.items():
        rate = out[column].astype("float64").where(member)
        keys = [out["type"].where(member), out["year"]]
        grouped = rate.groupby(keys, dropna=True)
        out[f"{short}_rank"] = grouped.rank(method="min", ascending=False).astype("Int64")
        out[f"{short}_ranked"] = grouped.transform("count").astype("Int64").where(rate.notna())
        ties = rate.groupby([*keys, rate], dropna=True).transform("size")
        out[f"{short}_joint"] = (ties > 1).reindex(out.index, fill_value=False)
    return out


def rate_cells(r: dict[str, Any], short: str, small: int) -> dict[str, str]:
    """A rate and what goes beside it, as text: value, cases, interval, group, comparison."""
    rate = f"{short}_rate"
    num, den = RATES[rate]
    d = r.get(den)
    if is_missing(d) or is_missing(r.get(num)):
        cases = "not reported" if counted_in(r, rate) else "no cases"
    elif int(d) == 0:
        cases = "no cases"
    else:
        cases = f"{int(r[num])} of {int(d)}" + ("*" if int(d) < small else "")
    return {
        "value": format_percent(r.get(rate)),
        "cases": cases,
        "interval": interval_text(r.get(f"{rate}_low"), r.get(f"{rate}_high")),
        "group": format_percent(r.get(f"group_{rate}")),
        "difference": format_difference(r.get(rate), r.get(f"group_{rate}")),
        "peer": format_percent(r.get(f"{short}_peer_rate")),
        "comparison": comparison_text(r.get(f"{short}_comparison")),
        "against": "n/a"
        if is_missing(r.get(f"{short}_comparison"))
        else str(r[f"{short}_comparison"]),
        "p_value": "" if is_missing(r.get(f"{short}_p_value")) else f"{r[f'{short}_p_value']:.3g}",
        "place": place_text(
            r.get(f"{short}_rank"), r.get(f"{short}_ranked"), r.get(f"{short}_joint")
        ),
    }


def group_code(r: dict[str, Any]) -> str | None:
    t = r.get("type")
    return t if isinstance(t, str) and r.get("in_group") else None


def outcome_groups(r: dict[str, Any]) -> dict[str, int | None]:
    """The 2024-25 grouping of one row's decisions: a figure column of that name where the
    figures carry one, else the sum of its outcomes (n/a when one of them is not reported)."""
    out: dict[str, int | None] = {}
    for g in OUTCOME_GROUP_KEYS:
        if g in r and not is_missing(r[g]):
            out[g] = int(r[g])
            continue
        parts = [r.get(o) for o in oc.OUTCOMES if oc.OUTCOME_GROUPS[o] == g]
        out[g] = None if any(is_missing(p) for p in parts) else sum(int(p) for p in parts)  # type: ignore[arg-type]
    if DEALT_WITH in r and not is_missing(r[DEALT_WITH]):
        out[DEALT_WITH] = int(r[DEALT_WITH])
    else:
        vals = [out[g] for g in OUTCOME_GROUP_KEYS]
        out[DEALT_WITH] = None if any(v is None for v in vals) else sum(vals)  # type: ignore[arg-type]
    return out


# --------------------------------------------------------------------------- search


def search_names(entity: Entity) -> list[str]:
    """Every name the command line accepts for an entity: names, short names and aliases of
    the council and its predecessors under the same name, and its GSS codes."""
    names: list[str] = [entity.name]
    for c in entity.history or ((entity.council,) if entity.council else ()):
        names += [c.name, c.short_name, *c.aliases, c.gss_code]
    return list(dict.fromkeys(n for n in names if n))


def search_index(entries: Sequence[tuple[Entity, str]]) -> Markup:
    """The compact index the index page's search box uses, as JSON safe inside ``<script>``:
    the name-matching words of :func:`lgsco_stats.councils.name_key` and, per page, its href,
    its name and the matching keys of all its names (``[href, name, [key, ...]]``)."""
    from ..councils import _PREFIXES, _SUFFIXES

    pages = []
    for e, href in entries:
        keys = list(dict.fromkeys(k for k in (name_key(n) for n in search_names(e)) if k))
        pages.append([href, e.name, keys])
    data = {"prefixes": list(_PREFIXES), "suffixes": list(_SUFFIXES), "pages": pages}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # nothing in it can end the script element or start markup
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - JSON with <, > and & escaped, inside a JSON script


# --------------------------------------------------------------------------- charts


def trend_svg(
    chart_id: str, rows: Sequence[dict[str, Any]], short: str, name: str, average: str, small: int
) -> Markup:
    rate = f"{short}_rate"
    num, den = RATES[rate]
    points = [
        svg.TrendPoint(
            year=r["year"],
            value=None if is_missing(r.get(rate)) else float(r[rate]),
            numerator=_num(r.get(num)),
            denominator=_num(r.get(den)),
            group_value=None if is_missing(r.get(f"group_{rate}")) else float(r[f"group_{rate}"]),
            group=GROUP_SINGULAR[g].removesuffix(" council") if (g := group_code(r)) else None,
            counted=counted_in(r, rate),
        )
        for r in rows
    ]
    return Markup(  # noqa: S704 - svg escapes every piece of data it draws
        svg.trend_chart(
            chart_id,
            points,
            name=name,
            rate_label=RATE_LABELS[rate],
            average=f"{average} of the group's councils",
            small=small,
        )
    )


def ranked_svg(
    chart_id: str,
    members: Sequence[dict[str, Any]],
    short: str,
    title: str,
    benchmark: float | None,
    benchmark_label: str,
    small: int,
) -> Markup:
    rate = f"{short}_rate"
    num, den = RATES[rate]
    bars = [
        svg.RankedBar(
            name=str(r["council"]),
            value=None if is_missing(r.get(rate)) else float(r[rate]),
            numerator=_num(r.get(num)),
            denominator=_num(r.get(den)),
            href=r.get("href"),
        )
        for r in members
    ]
    return Markup(  # noqa: S704 - svg escapes every piece of data it draws
        svg.ranked_chart(
            chart_id,
            bars,
            title=title,
            rate_label=RATE_LABELS[rate],
            benchmark=benchmark,
            benchmark_label=benchmark_label,
            small=small,
        )
    )


def float_or_none(v: Any) -> float | None:
    return None if is_missing(v) else float(v)


def wide(
    long: Iterable[tuple[str, str, Any]], years: Sequence[str], order: Sequence[str]
) -> list[dict[str, Any]]:
    """``(year, category, count)`` triples as one row per category with a column per year
    (known categories in ``order`` first, others after in name order)."""
    table: dict[str, dict[str, Any]] = {}
    for year, cat, v in long:
        table.setdefault(str(cat), {})[str(year)] = None if is_missing(v) else int(v)
    known = [c for c in order if c in table]
    rest = sorted(c for c in table if c not in set(order))
    return [{"category": c, **{y: table[c].get(y) for y in years}} for c in [*known, *rest]]


# --------------------------------------------------------------------------- the pages


def index_path(year: str, default: str) -> str:
    """The index page of a year, from the site's root: ``index.html`` for the default year."""
    return "index.html" if year == default else f"years/{year}.html"


def group_path(group: str, year: str) -> str:
    return f"groups/{group}-{year}.html"


@dataclass
class Site:
    """Everything the pages are made from, indexed once.

    ``rows`` are the figure records of every year (:func:`add_ranks` columns included), which
    pages look up by authority key and by year; ``years`` are the years the site shows (all
    the store's, or the one of ``--year``), ``default`` the one ``index.html`` shows.
    """

    frame: pd.DataFrame
    rows: list[dict[str, Any]]
    benchmarks: list[dict[str, Any]]
    categories: pd.DataFrame
    received: pd.DataFrame
    entities: dict[str, Entity]
    years: list[str]
    default: str
    average: str
    small: int
    min_cases: int
    columns: frozenset[str]
    downloads: Downloads = field(default_factory=Downloads)

    def __post_init__(self) -> None:
        self.by_key: dict[str, list[dict[str, Any]]] = {}
        self.by_year: dict[str, list[dict[str, Any]]] = {}
        for r in self.rows:
            self.by_key.setdefault(r["authority_key"], []).append(r)
            self.by_year.setdefault(r["year"], []).append(r)
        self.bench: dict[tuple[str, str], dict[str, Any]] = {
            (b["type"], b["year"]): b for b in self.benchmarks
        }
        self.shown = set(self.years)
        self._cells: dict[tuple[int, str], dict[str, str]] = {}
        self._search: dict[str, Markup] = {}
        self._groups: dict[tuple[str, str], pd.DataFrame] = {}
        self._figure_keys: list[str] | None = None
        # a figure row's JSON and CSV line with every figure column, by the row's identity
        # (rows live as long as the site)
        self.json_lines: dict[int, str] = {}
        self.csv_lines: dict[int, str] = {}
        self.category_rows = _by_key(self.categories, "decisions")
        self.received_rows = _by_key(self.received, "received")

    @property
    def average_text(self) -> str:
        if self.average == "mean":
            return "the mean of the group's councils' figures"
        return "pooled: all the group's cases, and its population, together"

    def group_frame(self, group: str, year: str) -> pd.DataFrame:
        """The figures of one group and year with the columns the funnel plots read (group,
        council and each rate's counts), cut once per year: the statistics' functions select
        rows of it for each rate, at a cost that grows with its columns."""
        key = (group, year)
        out = self._groups.get(key)
        if out is None:
            counts = [c for pair in RATES.values() for c in pair]
            keep = ["council", "gss_code", "type", "year", "in_group", *dict.fromkeys(counts)]
            frame = self.frame.loc[self.frame["year"] == year, keep]
            for g, part in frame.groupby("type", sort=False):
                self._groups[(str(g), year)] = part
            out = self._groups.setdefault(key, frame.iloc[0:0])
        return out

    def cells(self, r: dict[str, Any], short: str) -> dict[str, str]:
        """:func:`rate_cells` of a row, worked out once (the index, the group page and the
        council page all show it)."""
        key = (id(r), short)
        out = self._cells.get(key)
        if out is None:
            out = self._cells[key] = rate_cells(r, short, self.small)
        return out

    def search(self, root: str) -> Markup:
        """The index pages' search index (:func:`search_index`) of every page, for pages
        whose way back to the root is ``root``."""
        out = self._search.get(root)
        if out is None:
            seen: dict[str, Entity] = {}
            for e in self.entities.values():
                seen.setdefault(e.slug, e)
            entries = [(e, f"{root}councils/{e.slug}.html") for e in seen.values()]
            out = self._search[root] = search_index(entries)
        return out

    def has(self, column: str) -> bool:
        return column in self.columns

    def council_href(self, key: str, root: str) -> str:
        return f"{root}councils/{self.entities[key].slug}.html"

    def groups_of(self, year: str) -> list[str]:
        from ..councils import GROUPS

        return [g for g in GROUPS if (g, year) in self.bench]

    def year_links(self, current: str, root: str) -> list[dict[str, Any]]:
        return [
            {"year": y, "href": root + index_path(y, self.default), "current": y == current}
            for y in self.years
        ]

    def counts_by_category(
        self, table: dict[str, list[tuple[str, str, Any]]], keys: Iterable[str]
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """The years shown that have counts by category for these keys, and the counts as one
        row per category (a column per year)."""
        triples = [t for k in keys for t in table.get(k, []) if t[0] in self.shown]
        years = sorted({t[0] for t in triples})
        from ..outcomes import CATEGORIES

        return years, wide(triples, years, CATEGORIES) if triples else []

    def figure_keys(self) -> list[str]:
        """The columns of a download of figure rows: the figures' own (the internal
        authority key left out), then the places in the group (per 100,000 too); the same
        list every call (downloads of it share their rows' JSON)."""
        if self._figure_keys is None:
            from ..figures import FIGURE_COLUMNS

            extra = [c for short in RATE_ORDER for c in statistic_columns(short)]
            extra += ["group_upheld_per_100k"]
            extra += [
                c
                for short in (*RATE_ORDER, "per_100k")
                for c in (f"{short}_rank", f"{short}_ranked")
            ]
            keys = [c for c in FIGURE_COLUMNS if c != "authority_key"]
            self._figure_keys = keys + [c for c in extra if c in self.columns and c not in keys]
        return self._figure_keys


def _by_key(frame: pd.DataFrame, value: str) -> dict[str, list[tuple[str, str, Any]]]:
    """``authority_key`` → its ``(year, category, value)`` rows, each category as published
    ("Education & children's services" is "Education and children's services"), the counts of
    two spellings of one category added up."""
    sums: dict[tuple[str, str, str], Any] = {}
    if frame is None or frame.empty:
        return {}
    names: dict[str, str] = {}
    for k, y, c, v in zip(
        frame["authority_key"].tolist(),
        frame["year"].tolist(),
        frame["category"].tolist(),
        frame[value].tolist(),
        strict=True,
    ):
        name = names.get(c)
        if name is None:
            name = names[c] = oc.canonical_category(c)
        key = (k, y, name)
        if is_missing(v):
            sums.setdefault(key, None)
        else:
            sums[key] = (sums.get(key) or 0) + int(v)
    out: dict[str, list[tuple[str, str, Any]]] = {}
    for (k, y, c), v in sums.items():
        out.setdefault(k, []).append((y, c, v))
    return out
