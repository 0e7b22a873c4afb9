"""Charts with matplotlib (Agg backend): a council's rates year by year against its group, a
group's councils ranked with the group average drawn as a line, and a group's funnel plot
(:func:`funnel_chart`, from :func:`lgsco_stats.statistics.funnel_data`).

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

from ..councils import GROUP_LABELS, GROUP_SINGULAR  # noqa: E402
from ..errors import UsageError  # noqa: E402
from ..escape import chart_text  # noqa: E402
from ..figures import RATE_LABELS, RATES, SMALL_NUMBER  # noqa: E402
from ..rounding import format_count, format_percent  # noqa: E402

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


def _counts(num: Any, den: Any) -> str:
    if pd.isna(den) or pd.isna(num):
        return "not reported"
    if int(den) == 0:
        return "no cases"
    star = "*" if int(den) < SMALL_NUMBER else ""
    return f"{int(num)}/{int(den)}{star}"


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


class _TrendCanvas:
    """A trend figure for ``n`` years and some rates, redrawn with each council's figures."""

    def __init__(self, n: int, rates: tuple[str, ...]) -> None:
        self.rates = rates
        x = np.arange(n)
        with plt.rc_context(_STYLE):
            # A fixed layout (no constrained layout, no tight bounding box) draws once. Up to
            # five years the panels stand side by side; more years, one above the other, each
            # as wide as its years need (0.8 inch a year: a label "100%" over "12/12" and a
            # year "2021-22" fit without touching their neighbours).
            if n <= 5:
                width, height = 3.6 * len(rates) + 0.6, 4.6
                self.fig = Figure(figsize=(width, height))
                axes = self.fig.subplots(1, len(rates), squeeze=False)[0]
                self.fig.subplots_adjust(
                    left=0.75 / width, right=0.98, top=0.80, bottom=0.25, wspace=0.38
                )
            else:
                width = max(7.0, 0.8 * n + 1.4)
                height = 3.0 * len(rates) + 1.6
                self.fig = Figure(figsize=(width, height))
                axes = self.fig.subplots(len(rates), 1, squeeze=False)[:, 0]
                self.fig.subplots_adjust(
                    left=0.9 / width,
                    right=0.98,
                    top=1 - 1.0 / height,
                    bottom=1.2 / height,
                    hspace=0.75,
                )
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
            self.title = self.fig.suptitle("", fontweight="bold", y=0.98)

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
        average = str(trend["average"].iloc[0]) if len(trend) else "mean"
        for ax, short, bars, labels, line in self.panels:
            rate = f"{short}_rate"
            num, den = RATES[rate]
            values = trend[rate].to_numpy(dtype=float, na_value=np.nan)
            for b, label, v, n, d in zip(bars, labels, values, trend[num], trend[den], strict=True):
                small = pd.notna(d) and int(d) < SMALL_NUMBER
                b.set_height(0.0 if np.isnan(v) else v)
                b.set_facecolor(SMALL if small else COUNCIL)
                b.set_hatch(SMALL_HATCH if small else "//")
                label.set_text(f"{format_percent(v)}\n{_counts(n, d)}")
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
        # the legend lists only what is drawn
        drawn = [
            (trend[RATES[f"{s}_rate"][1]], trend[f"{s}_rate"]) for _, s, _, _, _ in self.panels
        ]
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
        group_drawn = any(trend[f"group_{s}_rate"].notna().any() for _, s, _, _, _ in self.panels)
        handles: list[Artist] = []
        if big_drawn:
            handles.append(Patch(facecolor=COUNCIL, edgecolor="#333333", hatch="//", label=name))
        if small_drawn:
            handles.append(_small_patch(f"{name}, fewer than {SMALL_NUMBER} cases (*)"))
        if group_drawn:
            handles.append(
                Line2D(
                    [],
                    [],
                    color=GROUP,
                    linestyle="--",
                    marker="D",
                    label=f"average of its group that year ({average} of the group's councils)",
                )
            )
        if self.legend is not None:
            self.legend.remove()
        with plt.rc_context(_STYLE):
            self.legend = self.fig.legend(
                handles=handles,
                loc="lower center",
                ncols=max(len(handles), 1) if len(self.rates) > 1 else 1,
                frameon=False,
            )
        grouped = bool(trend["in_group"].astype(bool).any()) if len(trend) else False
        former = [chart_text(c) for c in dict.fromkeys(trend["council"]) if chart_text(c) != name]
        was = f" (formerly {' and '.join(former)})" if former else ""
        against = "against the average of its group" if grouped else "(no comparison group)"
        self.title.set_text(
            f"{name}{was}: rates by year {against}\n"
            "Above each bar: the rate and the cases behind it"
        )
        with plt.rc_context(_STYLE):
            buf = io.BytesIO()
            metadata = {"Date": None} if fmt == "svg" else {"Software": None}
            self.fig.savefig(buf, format=fmt, dpi=110, metadata=metadata)
            return buf.getvalue()


_CANVASES: dict[tuple[int, tuple[str, ...]], _TrendCanvas] = {}


def group_chart(
    figures: pd.DataFrame,
    group: str,
    year: str,
    short: str = "uphold",
    fmt: str = "png",
    highlight: str | None = None,
    benchmark: float | None = None,
    benchmark_councils: int | None = None,
    average: str = "mean",
    min_cases: int = 0,
) -> bytes:
    """The councils of one group and year ranked by a rate, the group average as a line.

    ``figures`` holds the group's member rows of that year (``council_figures`` columns).
    ``highlight`` is a GSS code drawn in another colour and hatch. Councils with no rate (no
    cases) are listed at the bottom as "n/a"; with ``min_cases``, only councils with at least
    that many cases (the rate's denominator) are drawn, and the title says how many are left
    out. Each bar's rate and cases stand in a column right of the 100% mark, where the group
    line never runs; every row keeps its height whatever the number of councils.
    """
    rate = f"{short}_rate"
    num, den = RATES[rate]
    shown = figures
    if min_cases > 0:
        shown = figures[figures[den].fillna(0).astype("int64") >= min_cases]
    left_out = len(figures) - len(shown)
    f = shown.assign(_name=shown["council"].str.lower())
    f = f.sort_values([rate, "_name"], ascending=[True, False], na_position="first", kind="stable")
    names = [chart_text(n) for n in f["council"]]
    values = f[rate].to_numpy(dtype=float, na_value=np.nan)
    y = np.arange(len(f))
    label = _rate_title(short)
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(figsize=(9, max(3.2, 0.24 * len(f) + 1.9)), layout="constrained")
        colours, hatches, edges = [], [], []
        small_drawn = other_drawn = False
        for code, d, v in zip(f["gss_code"], f[den], values, strict=True):
            small = pd.notna(d) and int(d) < SMALL_NUMBER
            if highlight is not None and code == highlight:
                colours.append(HIGHLIGHT)
                hatches.append("xx")
                edges.append("#000000")
            else:
                colours.append(SMALL if small else COUNCIL)
                hatches.append(SMALL_HATCH if small else "//")
                edges.append("#333333")
                if not np.isnan(v):
                    small_drawn |= small
                    other_drawn |= not small
        bars = ax.barh(
            y,
            np.nan_to_num(values, nan=0.0),
            height=0.7,
            color=colours,
            hatch=hatches,
            edgecolor=edges,
            linewidth=0.8,
            zorder=2,
        )
        # the labels' column, right of the 100% mark: the group line (at most 100%) never
        # crosses it
        for b, v, n, d in zip(bars, values, f[num], f[den], strict=True):
            ax.annotate(
                f"{format_percent(v)} ({_counts(n, d)})",
                (103, b.get_y() + b.get_height() / 2),
                va="center",
                fontsize=7.5,
                zorder=4,
            )
        ax.set_yticks(y, names)
        if highlight is not None:
            for tick, code in zip(ax.get_yticklabels(), f["gss_code"], strict=True):
                if code == highlight:
                    tick.set_fontweight("bold")
        ax.set_xlim(0, 128)
        ax.set_ylim(-0.6, max(len(f), 1) - 0.4)
        ax.set_xticks(range(0, 101, 20))
        ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
        ax.set_xlabel(f"{label} (%)")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
        ax.spines["bottom"].set_bounds(0, 100)
        handles: list[Artist] = []
        if highlight is not None and highlight in set(f["gss_code"]):
            chosen = chart_text(f.loc[f["gss_code"] == highlight, "council"].iloc[0])
            handles.append(
                Patch(facecolor=HIGHLIGHT, edgecolor="#000000", hatch="xx", label=chosen)
            )
        if other_drawn:
            handles.append(
                Patch(
                    facecolor=COUNCIL,
                    edgecolor="#333333",
                    hatch="//",
                    label="other councils" if handles else "councils",
                )
            )
        if small_drawn:
            handles.append(_small_patch(f"fewer than {SMALL_NUMBER} cases (*)"))
        if benchmark is not None and pd.notna(benchmark):
            over = (
                f" of {format_count(benchmark_councils, 'council')}" if benchmark_councils else ""
            )
            ax.axvline(
                benchmark, color=GROUP, linestyle="--", linewidth=1.4, zorder=3, path_effects=_HALO
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    color=GROUP,
                    linestyle="--",
                    label=f"group average {format_percent(benchmark)} ({average}{over})",
                )
            )
        if handles:
            fig.legend(
                handles=handles, loc="outside lower center", ncols=2, frameon=False, fontsize=8
            )
        cases = {"uphold": "investigations", "compliance": "compliance outcomes"}.get(
            short, "upheld complaints"
        )
        note = f"; {left_out} with fewer than {min_cases} {cases} not drawn" if left_out else ""
        fig.suptitle(
            f"{GROUP_LABELS.get(group, group)} {year}: {label.lower()} of each council\n"
            f"Beside each bar: the rate and the {cases} behind it{note}",
            fontweight="bold",
        )
        return _save(fig, fmt)


def funnel_chart(funnel: Funnel, fmt: str = "png", highlight: str | None = None) -> bytes:
    """A group's funnel plot (``funnel`` from :func:`lgsco_stats.statistics.funnel_data`), drawn
    by :func:`lgsco_stats.report.funnel.draw_funnel`: each council's rate against its number of
    cases, the pooled rate, the exact 95% and 99.8% limits, the widened ones when τ² > 0, and
    the councils beyond a limit named; ``highlight`` (a GSS code) drawn apart."""
    from .funnel import draw_funnel

    return draw_funnel(funnel, fmt, highlight)
