"""A comparison group's page for one year: its councils ranked, its funnel plots, every
member's figures and the group's averages year by year."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..councils import GROUP_LABELS, lower_label
from ..figures import BENCHMARK_COLUMNS, RATE_LABELS, RATES
from ..small_groups import MIN_AVERAGED
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
from .svg_funnel import FunnelLimits, FunnelPoint, funnel_chart


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
            # the "average" of a single council is that council: no line (as `chart --type`)
            bench.get("uphold_rate")
            if (bench.get("uphold_councils") or 0) >= MIN_AVERAGED
            else None,
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


LIMIT_NAMES = ("low_95", "high_95", "low_998", "high_998")
# Case numbers the site's funnel limits are worked out at: enough for a smooth curve 720 px wide
FUNNEL_GRID = 40


def _funnels(site: Site, group: str, year: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The group's funnel plots, one per rate with at least three councils with cases
    (:func:`lgsco_stats.statistics.funnel_data`), drawn as SVG."""
    from ..statistics import funnel_data

    href = {r["council"]: r["href"] for r in rows}
    out = []
    for short in RATE_ORDER:
        rate = f"{short}_rate"
        den = RATES[rate][1]
        if sum(1 for r in rows if (r.get(den) or 0) > 0) < 3:
            continue  # fewer than three points: no funnel to speak of
        f = funnel_data(site.group_frame(group, year), group, year, short, grid=FUNNEL_GRID)
        if len(f.points) < 3:
            continue
        lim = f.limits
        widened = (
            tuple(
                lim[f"widened_{k}"].tolist() for k in ("low_95", "high_95", "low_998", "high_998")
            )
            if f.widened
            else None
        )
        limits = FunnelLimits(
            cases=lim["n"].tolist(),
            low95=lim["low_95"].tolist(),
            high95=lim["high_95"].tolist(),
            low998=lim["low_998"].tolist(),
            high998=lim["high_998"].tolist(),
            centre=f.target,
            widened=widened,
        )
        points = [
            FunnelPoint(c, int(n), float(v), str(pos), href.get(c))
            for c, n, v, pos in zip(
                f.points["council"],
                f.points["denominator"],
                f.points["rate"],
                f.points["position"],
                strict=True,
            )
        ]
        label = RATE_LABELS[rate]
        title = f"Funnel plot: {label} of the {lower_label(GROUP_LABELS[group])}, {year}"
        chart = funnel_chart(
            f"funnel-{short}-svg",
            points,
            limits,
            title=title,
            rate_label=label,
            case_label=CASE_WORDS[short],
        )
        out.append(
            {
                "short": short,
                "label": label.capitalize(),
                "cases": CASE_WORDS[short],
                "chart": Markup(chart),  # noqa: S704 - svg_funnel escapes every piece of data
                "beyond": [p.name for p in points if p.beyond == "998"],
                "widened": f.widened,
                "phi": f.dispersion.phi,
                "left_out": len(f.left_out),
            }
        )
    return out
