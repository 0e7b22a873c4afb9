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
    """One council on a funnel plot: its cases and rate, and where it falls against the exact
    limits (:func:`lgsco_stats.statistics.funnel_positions`' words)."""

    name: str
    cases: int
    value: float  # percent
    position: str = "within"  # within, above_95, below_95, above_998, below_998
    href: str | None = None

    @property
    def beyond(self) -> str | None:
        """``"95"`` or ``"998"``: the outermost limit the council is beyond, else None."""
        return None if self.position == "within" else self.position.rsplit("_", 1)[1]


@dataclass(frozen=True)
class FunnelLimits:
    """Control limits (percent) at a grid of case numbers, around a group's pooled rate; the
    widened ones (over-dispersion) as ``(low_95, high_95, low_998, high_998)`` or None."""

    cases: Sequence[float]
    low95: Sequence[float]
    high95: Sequence[float]
    low998: Sequence[float]
    high998: Sequence[float]
    centre: float
    widened: tuple[Sequence[float], ...] | None = None


def _axis(v: float) -> tuple[float, float]:
    """The case axis for a largest number of cases ``v``: its end and the step of its ticks,
    a round step (1, 2, 2.5 or 5 times a power of ten) giving four to six ticks."""
    v = max(v, 10.0)
    mag = 10 ** math.floor(math.log10(v / 5))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if v / (s * mag) <= 5)
    return math.ceil(v / step) * step, step


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label heights moved apart so that no two are closer than ``gap`` (in order, each pushed
    down past the one above it)."""
    out: list[float] = []
    for y in ys:
        out.append(max(y, out[-1] + gap) if out else y)
    return out


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
    xmax, step = _axis(max([p.cases for p in points] + [10]) * 1.05)
    named = [p for p in points if p.beyond == "998"]
    legend: list[tuple[str, str]] = []
    if any(p.beyond is None for p in points):
        legend.append(("point", "within the 95% limits"))
    if any(p.beyond == "95" for p in points):
        legend.append(("beyond95", "beyond a 95% limit"))
    if named:
        legend.append(("outside", "beyond a 99.8% limit (named)"))
    legend.append(("centre", f"group rate {format_percent(limits.centre)}"))
    legend += [("limit95", "95% limits"), ("limit998", "99.8% limits")]
    if limits.widened is not None:
        legend.append(("widened", "limits widened for over-dispersion"))
    legend_svg, legend_h = _legend(chart_id, legend, 8, 14, width - 16)
    left, right, top = 52.0, 16.0, 26.0 + legend_h
    height = top + 330.0
    bottom = height - 40.0
    plot_w, plot_h = width - left - right, bottom - top

    def x_of(n: float) -> float:
        return left + plot_w * max(0.0, min(xmax, n)) / xmax

    def y_of(v: float) -> float:
        return bottom - plot_h * max(0.0, min(100.0, v)) / 100.0

    listed = "; ".join(
        f"{p.name} {format_percent(p.value)} of {p.cases} ({p.position.split('_')[0]})"
        for p in named
    )
    desc = (
        f"{title}. {len(points)} councils, each its {rate_label} against its number of "
        f"{case_label}; the group's rate is {format_percent(limits.centre)}. "
    )
    desc += f"Beyond the 99.8% limits: {listed}." if named else "None is beyond the 99.8% limits."
    out = _open(chart_id, width, height, title, desc)
    out += legend_svg
    out.append(f'<g stroke="{GRID}" stroke-width="1">')
    for v in range(0, 101, 20):
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y_of(v))}" x2="{_n(left + plot_w)}" '
            f'y2="{_n(y_of(v))}"/>'
        )
    out.append("</g>")
    ticks = [step * i for i in range(int(round(xmax / step)) + 1)]
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
    for values in limits.widened or ():
        out.append(curve(values, _LIMIT_STYLE["widened"]))
    y = y_of(limits.centre)
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" '
        f'stroke="{GROUP}" stroke-width="1.6"/>'
    )
    out.append("</g>")
    out.append('<g class="points">')
    for p in sorted(points, key=lambda p: p.beyond or ""):
        x, y = x_of(p.cases), y_of(p.value)
        tip = f"{p.name}: {format_percent(p.value)} of {p.cases} {case_label}"
        if p.beyond:
            side = p.position.split("_")[0]
            tip += f" ({side} the {'99.8' if p.beyond == '998' else '95'}% limit)"
        out.append(_marker(p, x, y, tip))
    out.append("</g>")
    out.append('<g class="names" font-size="11">')
    # names right of their point (left of it in the last quarter), spread apart where two
    # would touch; a thin line joins a name moved away from its point
    placed = sorted(named, key=lambda p: y_of(p.value))
    sides: dict[bool, list[FunnelPoint]] = {True: [], False: []}
    for p in placed:
        sides[x_of(p.cases) > left + plot_w * 0.75].append(p)
    for at_end, group in sides.items():
        ys = _spread([y_of(p.value) + 4 for p in group], 13.0)
        for p, ty in zip(group, ys, strict=True):
            x, y = x_of(p.cases), y_of(p.value)
            dx = -8 if at_end else 8
            anchor = "end" if at_end else "start"
            if ty - 4 - y > 2:
                out.append(
                    f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + dx)}" y2="{_n(ty - 4)}" '
                    f'stroke="{MUTED}" stroke-width="0.6"/>'
                )
            text = f'<text x="{_n(x + dx)}" y="{_n(ty)}" text-anchor="{anchor}">{_e(p.name)}</text>'
            out.append(f'<a href="{_e(p.href)}">{text}</a>' if p.href else text)
    out.append("</g></svg>")
    return "".join(out)


def _marker(p: FunnelPoint, x: float, y: float, tip: str) -> str:
    """A circle within the 95% limits; a triangle pointing up or down beyond one: white beyond
    a 95% limit, orange beyond a 99.8% one (readable in greyscale by shape and fill)."""
    title = f"<title>{_e(tip)}</title>"
    if p.beyond is None:
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{COUNCIL}" fill-opacity="0.8" '
            f'stroke="#000" stroke-width="0.6">{title}</circle>'
        )
    fill = HIGHLIGHT if p.beyond == "998" else "#fff"
    up = p.position.startswith("above")
    d = f"M{_n(x)} {_n(y - 6)}l5.5 9.5h-11z" if up else f"M{_n(x)} {_n(y + 6)}l5.5-9.5h-11z"
    return f'<path d="{d}" fill="{fill}" stroke="#000" stroke-width="1">{title}</path>'
