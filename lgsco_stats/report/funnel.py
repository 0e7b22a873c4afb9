"""The funnel plot (issue 15): each council of a group as a point, its rate against its number
of cases, around the group's pooled rate, with exact binomial limits at 95% and 99.8% and, when
the councils are over-dispersed, the widened limits; the data is
:func:`lgsco_stats.statistics.funnel_data`'s, the look :mod:`lgsco_stats.report.charts`' (call
:func:`lgsco_stats.report.charts.funnel_chart`).

Readable in greyscale: the centre line is solid black, the 95% limits dashed, the 99.8% solid
grey, the widened ones dash-dot and lighter; councils within the limits are grey circles,
beyond a 95% limit white triangles (pointing up or down), beyond 99.8% black ones.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from ..councils import GROUP_LABELS, lower_label
from ..rounding import format_percent
from .charts import _LABEL_BOX, _STYLE, GROUP, HIGHLIGHT, _rate_title, _save, plt

if TYPE_CHECKING:
    from ..statistics import Funnel

# The cases behind each rate, as the funnel's x axis names them.
CASES: dict[str, tuple[str, str]] = {
    "uphold": ("investigations", "Detailed investigations (upheld + not upheld)"),
    "compliance": ("compliance outcomes", "Compliance outcomes recorded"),
    "remedy": ("upheld complaints", "Upheld complaints"),
}
# point styles by position against the exact limits: marker, face colour, legend label
_POINTS = {
    "within": ("o", "#BBBBBB", "within the 95% limits"),
    "above_95": ("^", "#FFFFFF", "beyond a 95% limit"),
    "below_95": ("v", "#FFFFFF", None),
    "above_998": ("^", "#000000", "beyond a 99.8% limit"),
    "below_998": ("v", "#000000", None),
}
_LIMIT_LINES = {"95": ("--", 1.2), "998": ("-", 1.0)}  # exact limits: line style, width


def draw_funnel(funnel: Funnel, fmt: str = "png", highlight: str | None = None) -> bytes:
    """A funnel plot (``funnel`` from :func:`lgsco_stats.statistics.funnel_data`): each
    council's rate against its number of cases, the group's pooled rate as the centre line, the
    exact 95% (dashed) and 99.8% (solid) limits and, when the group is over-dispersed (τ² > 0),
    the widened limits (dash-dot), with a note that says which apply.

    Councils beyond an exact limit are named (short names; councils on the same point share a
    label; bold when beyond a widened limit too); ``highlight`` (a GSS code) is an orange
    diamond, always named.
    """
    noun, axis = CASES[funnel.rate]
    label = _rate_title(funnel.rate)
    pts, lim = funnel.points, funnel.limits
    n = lim["n"].to_numpy(dtype=float)
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(9.5, 6.6), layout="constrained")
        handles: list[Artist] = [
            ax.axhline(
                funnel.target,
                color=GROUP,
                lw=1.6,
                label=f"pooled rate {format_percent(funnel.target)}",
            )
        ]
        for c, (style, width) in _LIMIT_LINES.items():
            for side in ("low", "high"):
                (line,) = ax.plot(n, lim[f"{side}_{c}"], color="#333333", ls=style, lw=width)
                if funnel.widened:
                    (wide,) = ax.plot(
                        n, lim[f"widened_{side}_{c}"], color="#777777", ls="-.", lw=width - 0.2
                    )
            line.set_label(f"{c.replace('998', '99.8')}% limits (exact binomial)")
            handles.append(line)
        if funnel.widened:
            wide.set_label("widened for over-dispersion")
            handles.append(wide)
        for pos, (marker, face, text) in _POINTS.items():
            sel = pts[(pts["position"] == pos) & (pts["gss_code"] != highlight)]
            # councils on the same point: one marker, its area growing with their number
            same = sel.groupby(["denominator", "rate"], sort=False).size().reset_index()
            ax.scatter(
                same["denominator"],
                same["rate"],
                marker=marker,
                s=(30 if pos == "within" else 42) * same[0].to_numpy() ** 0.5,
                facecolors=face,
                edgecolors="#000000",
                linewidths=0.8,
                zorder=4,
            )
            if text:  # the legend's own marker: a group may have no council of this kind
                handles.append(
                    Line2D(
                        [], [], ls="", marker=marker, mfc=face, mec="#000000", ms=6.5, label=text
                    )
                )
        chosen = pts[pts["gss_code"] == highlight]
        if highlight and len(chosen):
            ax.scatter(
                chosen["denominator"],
                chosen["rate"],
                s=90,
                marker="D",
                facecolors=HIGHLIGHT,
                edgecolors="#000000",
                linewidths=1.4,
                zorder=5,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="",
                    marker="D",
                    mfc=HIGHLIGHT,
                    mec="#000000",
                    ms=7,
                    label=str(chosen["council"].iloc[0]),
                )
            )
        ax.set_xlim(0, max(10.0, float(n.max()) if len(n) else 10.0))
        ax.set_ylim(-2, 104)
        ax.set_yticks(range(0, 101, 20))
        ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_xlabel(axis)
        ax.set_ylabel(f"{label} (%)")
        ax.grid(color="#e4e4e4", linewidth=0.6, zorder=0)
        fig.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False, fontsize=8)
        d = funnel.dispersion
        if funnel.widened:
            how = (
                f"Over-dispersed: φ = {d.phi:.2f}, τ² = {d.tau2:.4f}. The councils vary more than "
                "chance alone would make them; the dash-dot limits allow for that (random "
                "effects, arcsine scale). Names in bold are beyond those too."
            )
        elif d.councils:
            how = f"Not over-dispersed (φ = {d.phi:.2f}, τ² = 0): the exact limits apply."
        else:
            how = f"No council has {noun} to draw."
        how += " A larger marker stands for several councils with the same figures."
        if funnel.left_out:
            how += (
                f" Not drawn: {len(funnel.left_out)} with no {noun} or no usable counts (not "
                "reported, or beyond any real council)."
            )
        group = GROUP_LABELS.get(funnel.group, funnel.group)
        fig.suptitle(
            f"{group} {funnel.year}: {label.lower()} against {noun} (funnel plot, "
            f"{d.councils} {lower_label(group)})",
            fontweight="bold",
        )
        ax.set_title(textwrap.fill(how, 120), fontsize=8, loc="left")
        _name_points(fig, ax, pts, funnel.widened, highlight)
        return _save(fig, fmt)


def _name_points(fig: Figure, ax: Any, pts: pd.DataFrame, widened: bool, code: str | None) -> None:
    """Name the councils beyond a limit (and the highlighted one) beside their points: one
    label per point shared by the councils on it, moved up or down (within the plot) until it
    overlaps no other label."""
    from ..councils import register

    by_code = register().by_code
    named = pts[(pts["position"] != "within") | (pts["gss_code"] == code)]
    if named.empty:
        return
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = ax.get_window_extent(renderer)
    placed: list[Any] = []
    spots = named.groupby(["denominator", "rate"], sort=False)
    for (x, y), rows in sorted(spots, key=lambda kv: (-kv[0][1], kv[0][0])):
        names = sorted(
            by_code[g].short_name if g in by_code else str(c)
            for g, c in zip(rows["gss_code"], rows["council"], strict=True)
        )
        bold = (rows["gss_code"] == code).any() or (
            widened and (rows["widened_position"] != "within").any()
        )
        right = x < ax.get_xlim()[1] * 0.7
        text = ax.annotate(
            textwrap.fill(", ".join(names), 48),
            (x, y),
            xytext=(8 if right else -8, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=7,
            fontweight="bold" if bold else "normal",
            zorder=6,
            bbox=_LABEL_BOX,
            arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5},
        )
        for dy in [0, *(k * s for k in range(8, 200, 8) for s in (-1, 1))]:
            text.set_position((8 if right else -8, dy))
            box = text.get_window_extent(renderer).expanded(1.02, 1.2)
            inside = frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in placed):
                break
        placed.append(text.get_window_extent(renderer).expanded(1.02, 1.2))
