"""A comparison group's page for one year: its councils ranked, its funnel plots, every
member's figures and the group's averages year by year."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..councils import GROUP_LABELS, lower_label
from ..figures import BENCHMARK_COLUMNS, RATE_LABELS, RATES
from .pages import (
    CASE_WORDS,
    RATE_ORDER,
    Site,
    group_code,
    group_path,
    index_path,
    ranked_svg,
)
from .svg import format_percent


def group_context(site: Site, group: str, year: str) -> dict[str, Any]:
    """The template variables of ``groups/<group>-<year>.html``."""
    root = "../"
    label = GROUP_LABELS[group]
    members = sorted(
        (r for r in site.by_year.get(year, []) if group_code(r) == group),
        key=lambda r: str(r["council"]).lower(),
    )
    bench = site.bench[(group, year)]
    rows = []
    for r in members:
        rows.append(
            {
                **r,
                "href": site.council_href(r["authority_key"], root),
                "cells": {s: site.cells(r, s) for s in RATE_ORDER},
            }
        )
    # The ranked chart: councils with at least --min-cases investigations
    num, den = RATES["uphold_rate"]
    drawn = [r for r in rows if (r.get(den) or 0) >= max(site.min_cases, 1)]
    left_out = len(rows) - len(drawn)
    over = (
        f"{format_percent(bench['uphold_rate'])} "
        f"({site.average} of {bench['uphold_councils']} councils)"
    )
    title = f"Uphold rate of each of the {lower_label(label)}, {year}"
    chart = (
        ranked_svg(
            f"ranked-{group}",
            drawn,
            "uphold",
            title,
            bench.get("uphold_rate"),
            f"group average {over}",
            site.small,
        )
        if drawn
        else None
    )
    funnels = _funnels(site, group, year, rows)
    history = []
    for y in site.years:
        b = site.bench.get((group, y))
        if b is None:
            continue
        history.append(
            {
                **b,
                "href": root + group_path(group, y) if y != year else None,
            }
        )
    keys = site.figure_keys()
    downloads = {
        "members": site.downloads.add(f"data/groups/{group}-{year}", keys, members, root),
        "averages": site.downloads.add(
            f"data/groups/{group}-averages",
            list(BENCHMARK_COLUMNS),
            [site.bench[(group, y)] for y in site.years if (group, y) in site.bench],
            root,
        ),
    }
    return {
        "root": root,
        "year": year,
        "group": group,
        "label": label,
        "members": rows,
        "bench": bench,
        "history": history,
        "chart": chart,
        "chart_title": title,
        "drawn": len(drawn),
        "left_out": left_out,
        "min_cases": max(site.min_cases, 1),
        "funnels": funnels,
        "stats": site.has("uphold_comparison"),
        "downloads": downloads,
        "index_href": root + index_path(year, site.default),
        "year_links": [
            {"year": y, "href": root + group_path(group, y), "current": y == year}
            for y in site.years
            if (group, y) in site.bench
        ],
    }


def _funnels(site: Site, group: str, year: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The group's funnel plots, one per rate, when the figures carry the statistics."""
    try:
        from .funnel import funnel_svg
    except ImportError:  # the statistics are not there yet
        return []
    out = []
    for short in RATE_ORDER:
        rate = f"{short}_rate"
        chart: Markup | None = funnel_svg(site, group, year, rows, short)
        if chart is not None:
            out.append(
                {
                    "short": short,
                    "label": RATE_LABELS[rate].capitalize(),
                    "cases": CASE_WORDS[short],
                    "chart": chart,
                }
            )
    return out
