"""The index page of a year: England's figures, the comparison groups and every council, with
a search box that knows every name the command line accepts."""

from __future__ import annotations

from typing import Any

from ..councils import GROUP_LABELS, lower_label
from ..figures import BENCHMARK_COLUMNS, RATES
from .pages import RATE_ORDER, Site, group_code, group_path
from .summary import pooled_totals


def _sort(v: Any) -> str:
    """A cell's ``data-sort`` value: a number as text, empty when missing."""
    return "" if v is None or v != v else f"{float(v):.6f}"


def index_context(site: Site, year: str) -> dict[str, Any]:
    """The template variables of the index page of ``year`` (``index.html`` for the default
    year, ``years/<year>.html`` for the others)."""
    root = "" if year == site.default else "../"
    rows = site.by_year.get(year, [])
    stats = site.has("uphold_comparison")
    per100k_group = site.has("group_upheld_per_100k")
    councils = []
    for r in sorted(rows, key=lambda r: str(r["council"]).lower()):
        g = group_code(r)
        e = site.entities[r["authority_key"]]
        cells = {short: site.cells(r, short) for short in RATE_ORDER}
        sort = {short: _sort(r.get(f"{short}_rate")) for short in RATE_ORDER}
        sort.update({f"group_{s}": _sort(r.get(f"group_{s}_rate")) for s in RATE_ORDER})
        councils.append(
            {
                "name": r["council"],
                "href": site.council_href(r["authority_key"], root),
                "slug": e.slug,
                "group": g or "none",
                "group_label": GROUP_LABELS[g] if g else "No comparison group",
                "group_href": root + group_path(g, year) if g else None,
                "decisions": r.get("decisions"),
                "cells": cells,
                "sort": sort,
                "per100k": r.get("upheld_per_100k"),
                "group_per100k": r.get("group_upheld_per_100k"),
            }
        )
    groups = []
    for g in site.groups_of(year):
        b = site.bench[(g, year)]
        groups.append(
            {
                "code": g,
                "label": GROUP_LABELS[g],
                "href": root + group_path(g, year),
                "b": b,
            }
        )
    totals = pooled_totals(site.frame[site.frame["year"] == year])
    national = {k: (None if isinstance(v, float) and v != v else v) for k, v in totals.items()}
    keys = site.figure_keys()
    downloads = {
        "councils": site.downloads.add(f"data/councils-{year}", keys, rows, root),
        "groups": site.downloads.add(
            f"data/groups-{year}",
            [c for c in BENCHMARK_COLUMNS if c != "average"] + ["average"],
            [site.bench[(g, year)] for g in site.groups_of(year)],
            root,
        ),
    }
    return {
        "root": root,
        "year": year,
        "year_links": site.year_links(year, root),
        "national": national,
        "groups": groups,
        "councils": councils,
        "has_no_group": any(c["group"] == "none" for c in councils),
        "stats": stats,
        "per100k_group": per100k_group,
        "downloads": downloads,
        # every page, not only this year's rows: a name of a council with no figures this
        # year still finds its page
        "search_index": site.search(root),
        "all_data": {"json": f"{root}data/site-data.json", "csv": f"{root}data/figures.csv"},
        "rate_labels": {s: RATES[f"{s}_rate"] for s in RATE_ORDER},
        "lower_label": lower_label,
    }
