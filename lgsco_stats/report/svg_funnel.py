"""The funnel plot of the report site's group pages, as SVG text (see :mod:`.svg`): each
council a point, its rate against the number of cases behind it, around the group's rate with
the limits that chance alone would keep a council within."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .svg import (
    _LIMIT_STYLE,
    COUNCIL,
    GRID,
    GROUP,
    HIGHLIGHT,
    MUTED,
    _e,
    _legend,
    _missing,
    _n,
    _open,
    format_percent,
)


@dataclass(frozen=True)
class FunnelPoint:
    """One council on a funnel plot: its cases and rate, and where it falls."""

    name: str
    cases: int
    value: float  # percent
    outside: str | None = None  # "above" or "below" the outer limits, else None
    href: str | None = None


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits (percent) at a grid of case numbers, for a group's pooled rate."""

    cases: Sequence[float]
    low95: Sequence[float]
    high95: Sequence[float]
    low998: Sequence[float]
    high998: Sequence[float]
    centre: float
    widened_low: Sequence[float] | None = None  # limits widened for over-dispersion (99.8%)
    widened_high: Sequence[float] | None = None


def _nice_ceiling(v: float) -> float:
    if v <= 10:
        return 10.0
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return float(step * mag)
    return float(10 * mag)


def funnel_chart(
    chart_id: str,
    points: Sequence[FunnelPoint],
    limits: FunnelLimits,
    *,
    title: str,
    rate_label: str,
    case_label: str,
) -> str:
    """Each council a point (its rate against its number of cases), the group's pooled rate as
    the centre line, and the 95% and 99.8% limits around it; councils outside the 99.8% limits
    are named beside their point. A legend lists only what is drawn."""
    width = 720.0
    xmax = _nice_ceiling(max([p.cases for p in points] + [10]) * 1.05)
    outside = [p for p in points if p.outside]
    legend: list[tuple[str, str]] = []
    if any(not p.outside for p in points):
        legend.append(("point", "council"))
    if outside:
        legend.append(("outside", "outside the 99.8% limits"))
    legend.append(("centre", f"group rate {format_percent(limits.centre)}"))
    legend += [("limit95", "95% limits"), ("limit998", "99.8% limits")]
    if limits.widened_low is not None and limits.widened_high is not None:
        legend.append(("widened", "99.8% limits widened for over-dispersion"))
    legend_svg, legend_h = _legend(chart_id, legend, 8, 14, width - 16)
    left, right, top = 52.0, 16.0, 26.0 + legend_h
    height = top + 330.0
    bottom = height - 40.0
    plot_w, plot_h = width - left - right, bottom - top

    def x_of(n: float) -> float:
        return left + plot_w * max(0.0, min(xmax, n)) / xmax

    def y_of(v: float) -> float:
        return bottom - plot_h * max(0.0, min(100.0, v)) / 100.0

    named = "; ".join(
        f"{p.name} {format_percent(p.value)} of {p.cases} ({p.outside})" for p in outside
    )
    desc = (
        f"{title}. {len(points)} councils, each its {rate_label} against its number of "
        f"{case_label}; the group's rate is {format_percent(limits.centre)}. "
    )
    desc += f"Outside the 99.8% limits: {named}." if outside else "No council is outside them."
    out = _open(chart_id, width, height, title, desc)
    out += legend_svg
    out.append(f'<g stroke="{GRID}" stroke-width="1">')
    for v in range(0, 101, 20):
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y_of(v))}" x2="{_n(left + plot_w)}" '
            f'y2="{_n(y_of(v))}"/>'
        )
    out.append("</g>")
    ticks = [xmax * i / 5 for i in range(6)]
    out.append(f'<g font-size="11" fill="{MUTED}">')
    for v in range(0, 101, 20):
        out.append(f'<text x="{_n(left - 5)}" y="{_n(y_of(v) + 4)}" text-anchor="end">{v}%</text>')
    for t in ticks:
        out.append(
            f'<text x="{_n(x_of(t))}" y="{_n(bottom + 15)}" text-anchor="middle">'
            f"{int(t) if float(t).is_integer() else _n(t)}</text>"
        )
    out.append(
        f'<text x="{_n(left + plot_w / 2)}" y="{_n(bottom + 32)}" text-anchor="middle">'
        f"{_e(case_label.capitalize())} (number of cases)</text>"
    )
    out.append("</g>")
    out.append(
        f'<path d="M{_n(left)} {_n(top)}V{_n(bottom)}H{_n(left + plot_w)}" stroke="#333" '
        'fill="none"/>'
    )

    def curve(values: Sequence[float], style: str) -> str:
        pts = [
            f"{_n(x_of(n))},{_n(y_of(v))}"
            for n, v in zip(limits.cases, values, strict=True)
            if not _missing(v) and n <= xmax
        ]
        return f'<polyline points="{" ".join(pts)}" {style}/>' if len(pts) > 1 else ""

    out.append('<g class="limits">')
    for values, kind in (
        (limits.low95, "limit95"),
        (limits.high95, "limit95"),
        (limits.low998, "limit998"),
        (limits.high998, "limit998"),
    ):
        out.append(curve(values, _LIMIT_STYLE[kind]))
    if limits.widened_low is not None and limits.widened_high is not None:
        out.append(curve(limits.widened_low, _LIMIT_STYLE["widened"]))
        out.append(curve(limits.widened_high, _LIMIT_STYLE["widened"]))
    y = y_of(limits.centre)
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" '
        f'stroke="{GROUP}" stroke-width="1.6"/>'
    )
    out.append("</g>")
    out.append('<g class="points">')
    for p in sorted(points, key=lambda p: p.outside is not None):
        fill = HIGHLIGHT if p.outside else COUNCIL
        tip = f"{p.name}: {format_percent(p.value)} of {p.cases} {case_label}"
        if p.outside:
            tip += f" ({p.outside} the 99.8% limits)"
        out.append(
            f'<circle cx="{_n(x_of(p.cases))}" cy="{_n(y_of(p.value))}" r="4" fill="{fill}" '
            f'fill-opacity="0.85" stroke="#000" stroke-width="0.8"><title>{_e(tip)}</title>'
            "</circle>"
        )
    out.append("</g>")
    out.append('<g class="names" font-size="11">')
    for p in outside:
        x, y = x_of(p.cases), y_of(p.value)
        anchor = "end" if x > left + plot_w * 0.75 else "start"
        dx = -7 if anchor == "end" else 7
        text = f'<text x="{_n(x + dx)}" y="{_n(y + 4)}" text-anchor="{anchor}">{_e(p.name)}</text>'
        out.append(f'<a href="{_e(p.href)}">{text}</a>' if p.href else text)
    out.append("</g></svg>")
    return "".join(out)
