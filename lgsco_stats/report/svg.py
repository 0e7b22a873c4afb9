"""The report site's charts as SVG text, drawn here with no plotting library: a rate year by
year against the group's average, a group's councils ranked, and a funnel plot.

Each function returns one ``<svg>`` element to place inline in a page: text stays text (crisp at
any zoom, searchable, read by screen readers), every mark has a tooltip (``<title>``), the chart
has a title and a description in words (``role="img"``, ``aria-labelledby``), and nothing is
fetched. The same figures are always in a table beside the chart. Drawing a chart is a few
hundred string joins (tens of microseconds), against ~0.3 s for a matplotlib figure.

Every piece of data that reaches the SVG (a council's name above all) is escaped here. Charts
read in greyscale: the council's bars are dark, small-number bars white with hatching, the group
average a black dashed line with diamonds. Labels sit where no line runs: above the plot for
the trend, in a column of their own right of the 100% mark for the ranked chart. A legend lists
only what is drawn.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..escape import printable
from ..rounding import format_percent as _format_percent

# Rates repeat (a group's average on every member's row, 50%, 100%): each is rounded once.
format_percent = functools.lru_cache(maxsize=65536)(_format_percent)

# Okabe-Ito colours (safe for colour-blind readers), chosen to differ in lightness as well.
COUNCIL = "#0072B2"  # blue, dark in greyscale
HIGHLIGHT = "#E69F00"  # orange, light in greyscale
GROUP = "#000000"
GRID = "#dddddd"
INK = "#1b1b1b"
MUTED = "#555555"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
# Average width of a character of the 12 px font, for laying out labels (generous: DejaVu).
CHAR = 6.8


_LIMIT_STYLE = {
    "limit95": f'stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="6 3" fill="none"',
    "limit998": f'stroke="{INK}" stroke-width="1.2" fill="none"',
    "widened": f'stroke="{HIGHLIGHT}" stroke-width="1.6" stroke-dasharray="2 3" fill="none"',
}


def _e(text: object) -> str:
    """Data as SVG text: control characters out (XML cannot hold them), markup escaped."""
    return escape(printable(str(text)), quote=True)


def _n(x: float) -> str:
    """A coordinate with one decimal at most: short files, the same text for the same chart."""
    s = format(x, ".1f")
    return s[:-2] if s[-1] == "0" else s


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart" id="{_e(chart_id)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" width="{_n(width)}" height="{_n(height)}" '
        f'role="img" aria-labelledby="{_e(chart_id)}-t {_e(chart_id)}-d" '
        f'font-family="{_e(FONT)}" font-size="12" fill="{INK}">',
        f'<title id="{_e(chart_id)}-t">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-d">{_e(desc)}</desc>',
        f'<defs><pattern id="{_e(chart_id)}-h" patternUnits="userSpaceOnUse" width="5" '
        'height="5" patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{COUNCIL}" stroke-width="1.6"/></pattern>'
        "</defs>",
    ]


def counts_text(num: object, den: object, small: int, counted: bool = True) -> str:
    """``"8/10"``, ``"3/4*"`` under ``small`` cases, ``"no cases"`` (none, or nothing counted
    at all: ``counted`` false, see :func:`lgsco_stats.figures.nothing_counted`), ``"not
    reported"`` (a count missing where others of its part were given)."""
    if _missing(den) or _missing(num):
        return "not reported" if counted else "no cases"
    if int(den) == 0:  # type: ignore[call-overload]
        return "no cases"
    star = "*" if int(den) < small else ""  # type: ignore[call-overload]
    return f"{int(num)}/{int(den)}{star}"  # type: ignore[call-overload]


def _bar_style(chart_id: str, small: bool, highlight: bool = False) -> str:
    if highlight:
        return f'fill="{HIGHLIGHT}" stroke="#000" stroke-width="1.2"'
    if small:
        return f'fill="url(#{_e(chart_id)}-h)" stroke="{COUNCIL}" stroke-width="1"'
    return f'fill="{COUNCIL}" stroke="#333" stroke-width="0.6"'


def _legend(
    chart_id: str, items: Sequence[tuple[str, str]], x: float, y: float, width: float
) -> tuple[list[str], float]:
    """A legend of ``(kind, text)`` items (kind ``bar``, ``small``, ``highlight``, ``line`` (a
    dashed line with a diamond), ``dashed``, ``centre``, ``point``, ``beyond95``, ``outside``,
    ``limit95``, ``limit998``, ``widened``) in rows that fit
    ``width``; returns the elements and the height used (16 px a row)."""
    out = ['<g class="legend">']
    left, row = x, 0
    for kind, text in items:
        w = _item_width(text)
        if x > left and x + w > left + width:
            x, row = left, row + 1
        yy = y + 16 * row
        if kind in ("bar", "small", "highlight"):
            style = _bar_style(chart_id, kind == "small", kind == "highlight")
            out.append(f'<rect x="{_n(x)}" y="{_n(yy - 9)}" width="14" height="10" {style}/>')
        elif kind == "line":
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(yy - 4)}" x2="{_n(x + 14)}" y2="{_n(yy - 4)}" '
                f'stroke="{GROUP}" stroke-width="1.6" stroke-dasharray="4 2"/>'
                f'<path d="M{_n(x + 7)} {_n(yy - 8)}l4 4-4 4-4-4z" fill="{GROUP}"/>'
            )
        elif kind == "dashed":
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(yy - 4)}" x2="{_n(x + 14)}" y2="{_n(yy - 4)}" '
                f'stroke="{GROUP}" stroke-width="1.6" stroke-dasharray="5 3"/>'
            )
        elif kind == "centre":
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(yy - 4)}" x2="{_n(x + 14)}" y2="{_n(yy - 4)}" '
                f'stroke="{GROUP}" stroke-width="1.6"/>'
            )
        elif kind in ("limit95", "limit998", "widened"):
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(yy - 4)}" x2="{_n(x + 14)}" y2="{_n(yy - 4)}" '
                f"{_LIMIT_STYLE[kind]}/>"
            )
        elif kind == "point":
            out.append(
                f'<circle cx="{_n(x + 7)}" cy="{_n(yy - 4)}" r="4" fill="{COUNCIL}" '
                'stroke="#000" stroke-width="0.6"/>'
            )
        elif kind in ("beyond95", "outside"):
            fill = HIGHLIGHT if kind == "outside" else "#fff"
            out.append(
                f'<path d="M{_n(x + 7)} {_n(yy - 10)}l5.5 9.5h-11z" fill="{fill}" '
                'stroke="#000" stroke-width="1"/>'
            )
        out.append(f'<text x="{_n(x + 19)}" y="{_n(yy)}">{_e(text)}</text>')
        x += w
    out.append("</g>")
    return out, 16.0 * (row + 1) if items else 0.0


def _item_width(text: str) -> float:
    return 19 + len(text) * CHAR + 16


# --------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class TrendPoint:
    """One year of a council's rate: its counts, its group's figure and which group."""

    year: str
    value: float | None
    numerator: int | None
    denominator: int | None
    group_value: float | None
    group: str | None  # the group's short name that year ("county"); None outside a group
    counted: bool = True  # False: nothing of the rate's part counted ("no cases")


def trend_chart(
    chart_id: str,
    points: Sequence[TrendPoint],
    *,
    name: str,
    rate_label: str,
    average: str,
    small: int,
) -> str:
    """A rate year by year: the council's bars, its group's average as a dashed line.

    Above the plot a row of labels gives each year's rate and its cases, where neither bars nor
    the line go. Below each year the group is named where the council's group changed (Somerset:
    county until 2022-23, unitary from 2023-24); the group line is broken at such a change and
    where a year has no group figure, so it never joins two different groups' averages.
    """
    n = max(len(points), 1)
    slot = max(58.0, min(120.0, 660.0 / n))
    left, right = 46.0, 10.0
    width = max(left + slot * n + right, 340.0)
    slot = (width - left - right) / n
    changed = len({p.group for p in points}) > 1

    def y_of(v: float) -> float:
        return bottom - plot_h * max(0.0, min(100.0, v)) / 100.0

    drawn_bar = any(
        not _missing(p.value) and not (p.denominator is not None and p.denominator < small)
        for p in points
    )
    drawn_small = any(
        not _missing(p.value) and p.denominator is not None and p.denominator < small
        for p in points
    )
    drawn_group = any(not _missing(p.group_value) for p in points)
    legend: list[tuple[str, str]] = []
    if drawn_bar:
        legend.append(("bar", name))
    if drawn_small:
        legend.append(("small", f"fewer than {small} cases (*)"))
    if drawn_group:
        legend.append(("line", f"group average ({average})"))
    shown = "; ".join(
        f"{p.year} {format_percent(p.value)}"
        + (f" (group {format_percent(p.group_value)})" if not _missing(p.group_value) else "")
        for p in points
    )
    desc = f"Bar chart of {name}'s {rate_label} by year against its group's average: {shown}."
    legend_svg, legend_h = _legend(chart_id, legend, 8, 14, width - 16)
    top, plot_h = 44.0 + legend_h, 150.0
    bottom = top + plot_h
    height = bottom + (46 if changed else 30)
    out = _open(chart_id, width, height, f"{name}: {rate_label} by year", desc)
    out += legend_svg
    # grid and axis
    out.append(f'<g class="axis" stroke="{GRID}" stroke-width="1">')
    for v in range(0, 101, 20):
        y = y_of(v)
        out.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - right)}" y2="{_n(y)}"/>')
    out.append("</g>")
    out.append(f'<g font-size="11" fill="{MUTED}" text-anchor="end">')
    for v in range(0, 101, 20):
        out.append(f'<text x="{_n(left - 5)}" y="{_n(y_of(v) + 4)}">{v}%</text>')
    out.append("</g>")
    # bars, labels above the plot, years below
    bar_w = min(slot * 0.6, 44.0)
    out.append('<g class="bars">')
    for i, p in enumerate(points):
        cx = left + slot * (i + 0.5)
        small_bar = p.denominator is not None and p.denominator < small
        cases = counts_text(p.numerator, p.denominator, small, p.counted)
        tip = f"{p.year}: {format_percent(p.value)} ({cases})"
        if not _missing(p.group_value):
            tip += f"; group average {format_percent(p.group_value)}"
        if not _missing(p.value):
            y = y_of(float(p.value))  # type: ignore[arg-type]
            out.append(
                f'<rect x="{_n(cx - bar_w / 2)}" y="{_n(y)}" width="{_n(bar_w)}" '
                f'height="{_n(max(bottom - y, 0.5))}" {_bar_style(chart_id, small_bar)}>'
                f"<title>{_e(tip)}</title></rect>"
            )
        out.append(
            f'<text x="{_n(cx)}" y="{_n(top - 20)}" text-anchor="middle" font-weight="600">'
            f"{_e(format_percent(p.value))}</text>"
            f'<text x="{_n(cx)}" y="{_n(top - 7)}" text-anchor="middle" font-size="10.5" '
            f'fill="{MUTED}">{_e(cases)}</text>'
        )
        out.append(
            f'<text x="{_n(cx)}" y="{_n(bottom + 16)}" text-anchor="middle" font-size="11">'
            f"{_e(p.year)}</text>"
        )
        if changed:
            out.append(
                f'<text x="{_n(cx)}" y="{_n(bottom + 30)}" text-anchor="middle" font-size="10.5" '
                f'fill="{MUTED}">{_e(p.group or "no group")}</text>'
            )
    out.append("</g>")
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(width - right)}" y2="{_n(bottom)}" '
        'stroke="#333" stroke-width="1"/>'
    )
    # the group line, in runs of one group with a figure each year
    runs: list[list[tuple[float, float, str]]] = []
    prev_group: str | None = None
    for i, p in enumerate(points):
        if _missing(p.group_value):
            prev_group = None
            continue
        cx = left + slot * (i + 0.5)
        mark = (
            cx,
            y_of(float(p.group_value)),
            f"{p.year}: group average "  # type: ignore[arg-type]
            f"{format_percent(p.group_value)} ({p.group or 'no group'})",
        )
        if runs and prev_group == p.group and p.group is not None:
            runs[-1].append(mark)
        else:
            runs.append([mark])
        prev_group = p.group
    out.append('<g class="group-line">')
    for run in runs:
        if len(run) > 1:
            d = " ".join(f"{_n(x)},{_n(y)}" for x, y, _ in run)
            out.append(
                f'<polyline points="{d}" fill="none" stroke="#fff" stroke-width="4"/>'
                f'<polyline points="{d}" fill="none" stroke="{GROUP}" stroke-width="1.6" '
                'stroke-dasharray="5 3"/>'
            )
        for x, y, tip in run:
            out.append(
                f'<path d="M{_n(x)} {_n(y - 5)}l5 5-5 5-5-5z" fill="{GROUP}" stroke="#fff" '
                f'stroke-width="1"><title>{_e(tip)}</title></path>'
            )
    out.append("</g></svg>")
    return "".join(out)


# --------------------------------------------------------------------------- ranked


@dataclass(frozen=True)
class RankedBar:
    """One council in a group's ranked chart."""

    name: str
    value: float | None
    numerator: int | None
    denominator: int | None
    href: str | None = None
    highlight: bool = False


def ranked_chart(
    chart_id: str,
    bars: Sequence[RankedBar],
    *,
    title: str,
    rate_label: str,
    benchmark: float | None,
    benchmark_label: str,
    small: int,
    max_name: int = 44,
) -> str:
    """A group's councils ranked by a rate, highest first, the group average as a line.

    Names are on the left (linked to their pages when ``href`` is given, cut at ``max_name``
    characters with the whole name in the tooltip), each bar's rate and cases in a column right
    of the 100% mark, so the group line never runs through a label. Councils with no rate come
    last with "n/a". Every row is 18 px whatever the number of councils.
    """
    rows = sorted(
        bars,
        key=lambda b: (_missing(b.value), -(b.value or 0.0), b.name.lower()),
    )
    names = [b.name if len(b.name) <= max_name else b.name[: max_name - 1] + "…" for b in rows]
    name_w = min(max((len(s) for s in names), default=10) * CHAR + 12, max_name * CHAR + 12)
    x0 = name_w + 6
    plot_w = 380.0
    lab_x = x0 + plot_w + 26
    width = lab_x + 118
    row_h = 18.0

    def x_of(v: float) -> float:
        return x0 + plot_w * max(0.0, min(100.0, v)) / 100.0

    drawn = [b for b in rows if not _missing(b.value)]
    legend: list[tuple[str, str]] = []
    if any(b.highlight for b in drawn):
        legend.append(("highlight", next(b.name for b in drawn if b.highlight)))
    if any(
        not b.highlight and not (b.denominator is not None and b.denominator < small) for b in drawn
    ):
        legend.append(("bar", "councils" if not legend else "other councils"))
    if any(not b.highlight and b.denominator is not None and b.denominator < small for b in drawn):
        legend.append(("small", f"fewer than {small} cases (*)"))
    if not _missing(benchmark):
        legend.append(("dashed", benchmark_label))
    legend_svg, legend_h = _legend(chart_id, legend, 8, 14, width - 16)
    top = 44.0 + legend_h
    height = top + row_h * max(len(rows), 1) + 30
    ranked = "; ".join(f"{b.name} {format_percent(b.value)}" for b in rows if not _missing(b.value))
    desc = f"{title}. Councils from highest to lowest {rate_label}: {ranked}."
    if not _missing(benchmark):
        desc += f" {benchmark_label.capitalize()}."
    out = _open(chart_id, width, height, title, desc)
    out += legend_svg
    bottom = top + row_h * len(rows)
    out.append(f'<g stroke="{GRID}" stroke-width="1">')
    for v in range(0, 101, 20):
        x = x_of(v)
        out.append(f'<line x1="{_n(x)}" y1="{_n(top - 6)}" x2="{_n(x)}" y2="{_n(bottom)}"/>')
    out.append("</g>")
    out.append(f'<g font-size="11" fill="{MUTED}" text-anchor="middle">')
    for v in range(0, 101, 20):
        out.append(f'<text x="{_n(x_of(v))}" y="{_n(top - 10)}">{v}%</text>')
        out.append(f'<text x="{_n(x_of(v))}" y="{_n(bottom + 16)}">{v}%</text>')
    out.append("</g>")
    out.append(
        f'<text x="{_n(lab_x)}" y="{_n(top - 10)}" font-size="11" fill="{MUTED}">'
        "rate (cases)</text>"
    )
    out.append('<g class="bars">')
    for i, (b, shown_name) in enumerate(zip(rows, names, strict=True)):
        y = top + row_h * i
        small_bar = b.denominator is not None and b.denominator < small
        cases = counts_text(b.numerator, b.denominator, small)
        tip = f"{b.name}: {format_percent(b.value)} ({cases})"
        label = f'<text x="{_n(x0 - 6)}" y="{_n(y + 13)}" text-anchor="end"'
        label += ' font-weight="700">' if b.highlight else ">"
        label += f"<title>{_e(b.name)}</title>{_e(shown_name)}</text>"
        if b.href:
            label = f'<a href="{_e(b.href)}">{label}</a>'
        out.append(label)
        if not _missing(b.value):
            out.append(
                f'<rect x="{_n(x0)}" y="{_n(y + 3)}" '
                f'width="{_n(max(x_of(float(b.value)) - x0, 0.5))}" height="12" '  # type: ignore[arg-type]
                f"{_bar_style(chart_id, small_bar, b.highlight)}><title>{_e(tip)}</title></rect>"
            )
        out.append(
            f'<text x="{_n(lab_x)}" y="{_n(y + 13)}">{_e(format_percent(b.value))} '
            f'<tspan fill="{MUTED}" font-size="10.5">({_e(cases)})</tspan></text>'
        )
    out.append("</g>")
    out.append(
        f'<line x1="{_n(x0)}" y1="{_n(top - 6)}" x2="{_n(x0)}" y2="{_n(bottom)}" stroke="#333"/>'
    )
    if not _missing(benchmark):
        x = x_of(float(benchmark))  # type: ignore[arg-type]
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="#fff" '
            f'stroke-width="4"/><line x1="{_n(x)}" y1="{_n(top - 4)}" x2="{_n(x)}" '
            f'y2="{_n(bottom)}" stroke="{GROUP}" stroke-width="1.6" stroke-dasharray="5 3">'
            f"<title>{_e(benchmark_label)}</title></line>"
        )
    out.append("</svg>")
    return "".join(out)
