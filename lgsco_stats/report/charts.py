"""Charts with matplotlib (Agg backend): a council's rates year by year against its group, a
group's councils ranked with the group average drawn as a line (:mod:`.ranked`), and a group's
funnel plot (:func:`funnel_chart`, from :func:`lgsco_stats.statistics.funnel_data`).

Imported only by the commands that draw (matplotlib takes ~0.4 s to import). Every chart is
readable in greyscale: the council's bars are hatched, the highlighted council is hatched
differently and outlined, the group average is a black dashed line with diamond markers, and
every bar is labelled with its rate and its counts. Percentages are rounded for display by
:mod:`lgsco_stats.rounding` (half up), the same as every other output.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.artist import Artist  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FixedFormatter, PercentFormatter  # noqa: E402

from ..councils import GROUP_SINGULAR  # noqa: E402
from ..errors import UsageError  # noqa: E402
from ..escape import chart_text  # noqa: E402
from ..figures import RATE_LABELS, RATES, SMALL_NUMBER, nothing_counted  # noqa: E402
from ..rounding import format_percent  # noqa: E402
from .chart_layout import fit_labels, legend_columns, wrap  # noqa: E402
from .svg import counts_text  # noqa: E402

if TYPE_CHECKING:
    from ..statistics import Funnel

FORMATS: tuple[str, ...] = ("png", "svg")

# Okabe-Ito colours (safe for colour-blind readers), chosen to differ in lightness as well.
COUNCIL = "#0072B2"  # blue, dark in greyscale
HIGHLIGHT = "#E69F00"  # orange, light in greyscale
SMALL = "#FFFFFF"  # small-number bars: white, hatched the other way
SMALL_HATCH = "\\\\"  # two backslashes: the other diagonal from the council bars' "//"
GROUP = "#000000"

_STYLE: Any = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.6,
    "svg.fonttype": "none",  # text stays text: small, searchable, accessible
    "svg.hashsalt": "lgsco-stats",  # the same chart gives the same file
}


# A white edge keeps the black group line visible where it crosses the dark bars.
_HALO = [patheffects.withStroke(linewidth=3.2, foreground="white")]

# Labels sit on a light box so the bars' hatching does not run through the text.
_LABEL_BOX = {
    "boxstyle": "square,pad=0.1",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.85,
}


def chart_format(path: Path | str) -> str:
    """``png`` or ``svg`` from a file name's extension; anything else is a usage error."""
    ext = Path(path).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise UsageError(
            f"cannot draw a chart as {Path(path).name!r}: the output must end in .png or .svg"
        )
    return ext


def _save(fig: Figure, fmt: str, tight: bool = True) -> bytes:
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, dpi=110, bbox_inches="tight" if tight else None, metadata=metadata)
    plt.close(fig)
    return buf.getvalue()


def _counts(num: Any, den: Any, counted: bool = True) -> str:
    """The cases behind a rate, as the site's charts write them (:func:`svg.counts_text`)."""
    return counts_text(
        None if pd.isna(num) else int(num),
        None if pd.isna(den) else int(den),
        SMALL_NUMBER,
        counted,
    )


def _small_patch(label: str) -> Patch:
    """The legend's entry for a bar on fewer than ``SMALL_NUMBER`` cases."""
    return Patch(facecolor=SMALL, edgecolor="#333333", hatch=SMALL_HATCH, label=label)


def _rate_title(short: str) -> str:
    return RATE_LABELS[f"{short}_rate"].capitalize()


def trend_chart(
    trend: pd.DataFrame,
    name: str,
    fmt: str = "png",
    rates: Sequence[str] = ("uphold", "compliance", "remedy"),
) -> bytes:
    """One panel per rate: the council's rate each year as bars, its group's as a line.

    ``trend`` is :func:`lgsco_stats.report.trends.council_trend` output. Where the council's group
    changed (Somerset 2022-23 county, 2023-24 unitary) the year labels name the group.

    The figure for a number of years and rates is built once per process and its artists are
    updated for each council (the report site draws one chart per council): building a figure
    costs as much as drawing it.
    """
    key = (len(trend), tuple(rates))
    canvas = _CANVASES.get(key)
    if canvas is None:
        canvas = _CANVASES[key] = _TrendCanvas(len(trend), tuple(rates))
    return canvas.draw(trend, name, fmt)


# The trend's layout, in inches: each panel's plot is as wide as its years need (0.8 inch a
# year: a label "100%" over "12/12" and a year "2021-22" fit without touching their neighbours)
_YEAR_W, _PANEL_MIN_W = 0.8, 2.7
_LEFT, _RIGHT, _BETWEEN = 0.8, 0.25, 0.95  # the y axis' labels; room right; between two panels
_SIDE_MAX_W = 13.0  # wider than this side by side, the panels stand one above the other
_AXES_H, _STACK_GAP = 2.6, 1.5  # a plot's height; between two stacked plots (years, titles)


class _TrendCanvas:
    """A trend figure for ``n`` years and some rates, redrawn with each council's figures."""

    def __init__(self, n: int, rates: tuple[str, ...]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.rates = rates
        x = np.arange(n)
        k = len(rates)
        self.panel_w = max(_PANEL_MIN_W, _YEAR_W * n)
        side = _LEFT + k * self.panel_w + (k - 1) * _BETWEEN + _RIGHT
        self.side = k == 1 or side <= _SIDE_MAX_W
        self.width = side if self.side else max(7.0, _LEFT + self.panel_w + _RIGHT)
        with plt.rc_context(_STYLE):
            # A fixed layout (no constrained layout, no tight bounding box) draws once; each
            # draw sets the height the title's and the legend's lines need (see _layout).
            self.fig = Figure(figsize=(self.width, 5.0))
            FigureCanvasAgg(self.fig)  # to measure the title and the legend as drawn
            grid = self.fig.subplots(1 if self.side else k, k if self.side else 1, squeeze=False)
            axes = grid[0] if self.side else grid[:, 0]
            self.panels = []
            for ax, short in zip(axes, rates, strict=True):
                bars = ax.bar(
                    x,
                    np.zeros(n),
                    width=0.6,
                    color=COUNCIL,
                    edgecolor="#333333",
                    hatch="//",
                    linewidth=0.8,
                    zorder=2,
                )
                # A row of labels above the 100% line, where neither bars nor the group line go
                labels = [
                    ax.annotate("", (float(i), 103), ha="center", va="bottom", fontsize=8, zorder=4)
                    for i in x
                ]
                (line,) = ax.plot(
                    x,
                    np.zeros(n),
                    color=GROUP,
                    linestyle="--",
                    marker="D",
                    markersize=5,
                    markeredgecolor="white",
                    linewidth=1.4,
                    zorder=5,
                    path_effects=_HALO,
                )
                ax.set_title(_rate_title(short))
                ax.set_xticks(x, [""] * n)
                ax.set_xlim(-0.6, n - 0.4)
                ax.set_ylim(0, 124)
                ax.set_yticks(range(0, 101, 20))
                ax.axhline(100, color="#999999", linewidth=0.6, zorder=1)
                ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
                ax.set_ylabel(f"{_rate_title(short)} (%)")
                ax.set_xlabel("Financial year")
                ax.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=0)
                self.panels.append((ax, short, bars, labels, line))
            self.legend: Any = None
            self.title = self.fig.suptitle("", fontweight="bold", va="top")

    def _layout(self, handles: list[Artist], two_lines: bool) -> None:
        """Wrap the title and lay the legend out in the figure's width, then size the figure so
        that the title, the panels, the years and the legend each have the room they need."""
        room = (self.width - 0.3) * 72  # points, a little margin at each edge
        size = self.title.get_fontsize()
        self.title.set_text(wrap(self.title.get_text(), size, room, "bold"))
        labels = [str(h.get_label()) for h in handles]
        ncols = legend_columns(labels, 9, room, len(handles) if len(self.rates) > 1 else 1)
        if ncols == 1:
            for h, label in zip(handles, fit_labels(labels, 9, room), strict=True):
                h.set_label(label)
        if self.legend is not None:
            self.legend.remove()
        with plt.rc_context(_STYLE):
            self.legend = self.fig.legend(
                handles=handles, loc="lower center", ncols=max(ncols, 1), frameon=False
            )
        renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        dpi = self.fig.dpi
        title_h = self.title.get_window_extent(renderer).height / dpi
        legend_h = self.legend.get_window_extent(renderer).height / dpi if handles else 0.0
        top = 0.12 + title_h + 0.5  # the title, then each panel's own title
        bottom = (0.9 if two_lines else 0.72) + 0.1 + legend_h  # years, "Financial year"
        k = len(self.rates)
        plots = _AXES_H if self.side else k * _AXES_H + (k - 1) * _STACK_GAP
        height = top + plots + bottom
        self.fig.set_size_inches(self.width, height)
        self.fig.subplots_adjust(
            left=_LEFT / self.width,
            right=1 - _RIGHT / self.width,
            top=1 - top / height,
            bottom=bottom / height,
            wspace=_BETWEEN / self.panel_w,
            hspace=_STACK_GAP / _AXES_H,
        )
        self.title.set_y(1 - 0.12 / height)
        self.legend.set_bbox_to_anchor((0.5, 0.04 / height), transform=self.fig.transFigure)

    def draw(self, trend: pd.DataFrame, name: str, fmt: str) -> bytes:
        # a row in no group (a council's compliance outcomes recorded after its abolition,
        # beside its successor's year) is labelled so, not with the group it used to be in
        groups = [
            GROUP_SINGULAR[t].removesuffix(" council")
            if isinstance(t, str) and t in GROUP_SINGULAR and bool(g)
            else "no group"
            for t, g in zip(trend["type"], trend["in_group"], strict=True)
        ]
        changed = len(set(groups)) > 1
        ticks = [
            f"{y}\n{g}" if changed else str(y) for y, g in zip(trend["year"], groups, strict=True)
        ]
        said: set[str] = set()  # the words under the rates: "no cases", "not reported"
        for ax, short, bars, labels, line in self.panels:
            rate = f"{short}_rate"
            num, den = RATES[rate]
            values = trend[rate].to_numpy(dtype=float, na_value=np.nan)
            counted = ~nothing_counted(trend, rate)
            for b, label, v, n, d, c in zip(
                bars, labels, values, trend[num], trend[den], counted, strict=True
            ):
                small = pd.notna(d) and int(d) < SMALL_NUMBER
                b.set_height(0.0 if np.isnan(v) else v)
                b.set_facecolor(SMALL if small else COUNCIL)
                b.set_hatch(SMALL_HATCH if small else "//")
                cases = _counts(n, d, bool(c))
                said.add(cases)
                label.set_text(f"{format_percent(v)}\n{cases}")
            # the group line joins years of one group only: a gap where the group changes
            # (Somerset: county until 2022-23, unitary from 2023-24)
            gx: list[float] = []
            gy: list[float] = []
            group_values = trend[f"group_{rate}"].to_numpy(dtype=float, na_value=np.nan)
            for i, (v, g) in enumerate(zip(group_values, groups, strict=True)):
                if i and g != groups[i - 1]:
                    gx.append(i - 0.5)
                    gy.append(np.nan)
                gx.append(float(i))
                gy.append(v)
            line.set_data(gx, gy)
            ax.xaxis.set_major_formatter(FixedFormatter(ticks))
        name = chart_text(name)  # data is text: a "$" in a name starts no mathematics
        handles = trend_legend(trend, name, [s for _, s, _, _, _ in self.panels], groups)
        grouped = bool(trend["in_group"].astype(bool).any()) if len(trend) else False
        former = [chart_text(c) for c in dict.fromkeys(trend["council"]) if chart_text(c) != name]
        was = f" (formerly {' and '.join(former)})" if former else ""
        compared = any(trend[f"group_{s}_rate"].notna().any() for _, s, _, _, _ in self.panels)
        against = (
            "against the average of its group"
            if compared
            else "(its group too small to compare with)"
            if grouped
            else "(no comparison group)"
        )
        self.title.set_text(
            f"{name}{was}: rates by year {against}\n"
            f"Above each bar: the rate and the cases behind it{_words_note(said)}"
        )
        self._layout(handles, changed)
        with plt.rc_context(_STYLE):
            buf = io.BytesIO()
            metadata = {"Date": None} if fmt == "svg" else {"Software": None}
            self.fig.savefig(buf, format=fmt, dpi=110, metadata=metadata)
            return buf.getvalue()


def _words_note(said: set[str]) -> str:
    """What "no cases" and "not reported" under a rate mean, for those the chart shows."""
    notes = []
    if "no cases" in said:
        notes.append("no cases: none in the data for that year")
    if "not reported" in said:
        notes.append("not reported: a count the data left blank")
    return "".join(f"; {n}" for n in notes)


def names_by_year(trend: pd.DataFrame, groups: Sequence[str]) -> list[str]:
    """Each name the council's bars were drawn under, with its years: ``["Somerset County
    Council: 2019-20 to 2022-23, and 2023-24 (no group)", "Somerset Council: 2023-24 to
    2024-25"]``; one name, and the list is that name alone.

    ``groups`` are the year labels' groups, one per row of ``trend``; a row that is not the
    year's ``primary`` (the abolished council's compliance outcomes beside its successor's
    year) is named with its group.
    """
    names = list(dict.fromkeys(trend["council"]))
    if len(names) <= 1:
        return [chart_text(n) for n in names]
    out = []
    for who in names:
        years: list[str] = []
        extra: list[str] = []
        for c, y, primary, g in zip(
            trend["council"], trend["year"], trend["primary"], groups, strict=True
        ):
            if c != who:
                continue
            if bool(primary):
                years.append(str(y))
            else:
                extra.append(f"{y} ({g})")
        span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}" if years else ""
        also = ", ".join(extra)
        text = f"{span}, and {also}" if span and also else span or also
        out.append(f"{chart_text(who)}: {text}")
    return out


def trend_legend(
    trend: pd.DataFrame, name: str, rates: Sequence[str], groups: Sequence[str]
) -> list[Artist]:
    """The trend's legend entries, for what is drawn only: the council's bars (under each name
    it had, by year, when it had more than one), small-number bars, and the group line when
    some year has a group figure (none where the group is too small to compare with:
    :func:`lgsco_stats.figures.council_figures` leaves those NaN)."""
    drawn = [(trend[RATES[f"{s}_rate"][1]], trend[f"{s}_rate"]) for s in rates]
    small_drawn = any(
        pd.notna(v) and pd.notna(d) and int(d) < SMALL_NUMBER
        for dens, vals in drawn
        for d, v in zip(dens, vals, strict=True)
    )
    big_drawn = any(
        pd.notna(v) and not (pd.notna(d) and int(d) < SMALL_NUMBER)
        for dens, vals in drawn
        for d, v in zip(dens, vals, strict=True)
    )
    group_drawn = any(trend[f"group_{s}_rate"].notna().any() for s in rates)
    names = names_by_year(trend, groups)
    who = "\n".join(names) if names else name
    handles: list[Artist] = []
    if big_drawn:
        handles.append(Patch(facecolor=COUNCIL, edgecolor="#333333", hatch="//", label=who))
    if small_drawn:
        handles.append(
            _small_patch(
                f"fewer than {SMALL_NUMBER} cases (*)"
                if big_drawn and len(names) > 1
                else f"{who}, fewer than {SMALL_NUMBER} cases (*)"
            )
        )
    if group_drawn:
        handles.append(
            Line2D(
                [],
                [],
                color=GROUP,
                linestyle="--",
                marker="D",
                label=f"average of its group that year ({average_of(trend)} of the group's "
                "councils)",
            )
        )
    return handles


def average_of(frame: pd.DataFrame) -> str:
    return str(frame["average"].iloc[0]) if len(frame) else "mean"


_CANVASES: dict[tuple[int, tuple[str, ...]], _TrendCanvas] = {}


def group_chart(*args: Any, **kwargs: Any) -> bytes:
    """A group's councils ranked: :func:`lgsco_stats.report.ranked.group_chart`."""
    from .ranked import group_chart as draw

    return draw(*args, **kwargs)


def funnel_chart(funnel: Funnel, fmt: str = "png", highlight: str | None = None) -> bytes:
    """A group's funnel plot (``funnel`` from :func:`lgsco_stats.statistics.funnel_data`), drawn
    by :func:`lgsco_stats.report.funnel.draw_funnel`: each council's rate against its number of
    cases, the pooled rate, the exact 95% and 99.8% limits, the widened ones when τ² > 0, and
    the councils beyond a limit named; ``highlight`` (a GSS code) drawn apart."""
    from .funnel import draw_funnel

    return draw_funnel(funnel, fmt, highlight)
