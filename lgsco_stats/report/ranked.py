"""A group's councils ranked by a rate (``lgsco-stats chart --type T``), with matplotlib.

A rank is fair to small councils only among councils with enough cases: 1 upheld of 1 is 100%
and would top the chart. :func:`ranked` leaves out the councils with fewer than ``min_cases``
cases behind the rate (the command's default is ``SMALL_NUMBER``, 10, the figure under which
every output flags a rate as based on small numbers), keeps a council the user asked to see
whatever its cases, and the chart says what it left out. The group average is drawn only over
at least ``MIN_AVERAGED`` councils: the "average" of one council is that council.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from ..councils import GROUP_LABELS
from ..escape import chart_text
from ..figures import RATES, SMALL_NUMBER, nothing_counted
from ..rounding import format_count, format_percent
from ..small_groups import MIN_AVERAGED
from .chart_layout import fit_labels, legend_columns, wrap
from .charts import (
    _HALO,
    _STYLE,
    COUNCIL,
    GROUP,
    HIGHLIGHT,
    SMALL,
    SMALL_HATCH,
    _counts,
    _rate_title,
    _save,
    _small_patch,
    plt,
)

# What the cases behind each rate are called.
CASES = {
    "uphold": "investigations",
    "compliance": "compliance outcomes",
    "remedy": "upheld complaints",
}

_WIDTH = 9.0  # inches


def ranked(
    figures: pd.DataFrame, short: str, min_cases: int = 0, highlight: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The councils drawn, highest rate first, and those left out for too few cases.

    Parameters
    ----------
    figures : a group's member rows of one year (:func:`council_figures` columns; ``council``,
        ``gss_code``, the rate and its two counts are read).
    short : ``uphold``, ``compliance`` or ``remedy``.
    min_cases : councils with fewer cases than this behind the rate (its denominator; a count
        not reported is none) are left out, except ``highlight`` (a GSS code), which is drawn
        whatever its cases.

    Returns
    -------
    ``(drawn, left_out)``: ``drawn`` ordered by rate, highest first, ties by name (A to Z) and
    councils without a rate last; ``left_out`` by name.
    """
    rate = f"{short}_rate"
    cases = figures[RATES[rate][1]].astype("Float64").fillna(0).to_numpy(dtype=float)
    chosen = (figures["gss_code"] == highlight).to_numpy(dtype=bool) if highlight else False
    keep = (cases >= min_cases) | chosen
    named = figures.assign(_name=figures["council"].str.lower())
    drawn = named[keep].sort_values(
        [rate, "_name"], ascending=[False, True], na_position="last", kind="stable"
    )
    left_out = named[~keep].sort_values("_name", kind="stable")
    return drawn.drop(columns="_name"), left_out.drop(columns="_name")


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
    ``highlight`` is a GSS code drawn in another colour and hatch. Which councils are drawn and
    in what order is :func:`ranked`'s; the title says how many were left out for fewer than
    ``min_cases`` cases. Councils with no rate (no cases) are listed at the bottom as "n/a".
    The group average (``benchmark``, over ``benchmark_councils``) is drawn when at least
    ``MIN_AVERAGED`` councils are behind it. Each bar's rate and cases stand in a column right
    of the 100% mark, where the group line never runs; every row keeps its height whatever the
    number of councils; the title and legend are wrapped to the chart's width.
    """
    rate = f"{short}_rate"
    num, den = RATES[rate]
    drawn, left_out = ranked(figures, short, min_cases, highlight)
    f = drawn.iloc[::-1]  # matplotlib's rows go bottom up
    names = [chart_text(n) for n in f["council"]]
    values = f[rate].to_numpy(dtype=float, na_value=np.nan)
    counted = ~nothing_counted(f, rate)
    y = np.arange(len(f))
    label = _rate_title(short)
    cases = CASES[short]
    room = (_WIDTH - 0.3) * 72
    with plt.rc_context(_STYLE):
        fig, ax = plt.subplots(
            figsize=(_WIDTH, max(3.2, 0.24 * len(f) + 2.3)), layout="constrained"
        )
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
        for b, v, n, d, c in zip(bars, values, f[num], f[den], counted, strict=True):
            ax.annotate(
                f"{format_percent(v)} ({_counts(n, d, bool(c))})",
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
        averaged = benchmark_councils is None or benchmark_councils >= MIN_AVERAGED
        if benchmark is not None and pd.notna(benchmark) and averaged:
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
            labels = [str(h.get_label()) for h in handles]
            ncols = legend_columns(labels, 8, room, 2)
            if ncols == 1:
                for h, text in zip(handles, fit_labels(labels, 8, room), strict=True):
                    h.set_label(text)
            fig.legend(
                handles=handles, loc="outside lower center", ncols=ncols, frameon=False, fontsize=8
            )
        notes = ranked_notes(
            drawn, left_out, short, min_cases, highlight, None if averaged else benchmark_councils
        )
        title = fig.suptitle("", fontweight="bold")
        heading = (
            f"{GROUP_LABELS.get(group, group)} {year}: {label.lower()} of each council\n"
            f"Beside each bar: the rate and the {cases} behind it"
        )
        title.set_text(wrap("\n".join([heading, *notes]), title.get_fontsize(), room, "bold"))
        return _save(fig, fmt)


def ranked_notes(
    drawn: pd.DataFrame,
    left_out: pd.DataFrame,
    short: str,
    min_cases: int,
    highlight: str | None,
    too_few_averaged: int | None,
) -> list[str]:
    """The ranked chart's notes under its title: who is left out for too few cases (and a
    highlighted council drawn all the same), and why no group average is drawn."""
    cases = CASES[short]
    den = RATES[f"{short}_rate"][1]
    notes = []
    if min_cases > 0:
        n = len(left_out)
        out = f"{n} left out" if n else "none left out"
        note = f"Councils with fewer than {min_cases} {cases} are not drawn: {out}"
        below = drawn[
            (drawn["gss_code"] == highlight)
            & (drawn[den].astype("Float64").fillna(0) < min_cases).to_numpy(dtype=bool)
        ]
        for who, d in zip(below["council"], below[den], strict=True):
            d = 0 if pd.isna(d) else int(d)
            note += f"; {chart_text(who)} ({d}) is drawn as chosen"
        notes.append(note)
    if too_few_averaged is not None:
        has = "no council has" if too_few_averaged == 0 else "only one council has"
        notes.append(f"No group average: {has} a rate")
    return notes
