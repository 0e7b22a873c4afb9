"""Text measured for laying out the matplotlib charts: titles wrapped to the figure's width and
legends given as many columns as fit, so that nothing is cut at the edge of the image whatever a
council's name ("Bournemouth, Christchurch and Poole Council (formerly …)").

Widths are measured with matplotlib's own Agg text engine at 72 dpi (one pixel a point), the
engine and fonts that draw the PNG; the SVG keeps text as text, drawn by the viewer's font of the
same family, so a little room is left at each edge.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

_RENDERER = RendererAgg(1, 1, 72)

# matplotlib's legend spacing, in font sizes (rcParams' defaults)
HANDLE = 2.0 + 0.8  # legend.handlelength + legend.handletextpad
COLUMN_GAP = 2.0  # legend.columnspacing
BORDER = 2 * (0.4 + 0.5)  # legend.borderpad + legend.borderaxespad, each side


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width in points of ``text`` (its widest line) in the charts' font."""
    font = FontProperties(size=size, weight=weight)
    return max(
        (
            _RENDERER.get_text_width_height_descent(line, font, ismath=False)[0]
            for line in text.split("\n")
        ),
        default=0.0,
    )


def wrap(text: str, size: float, width: float, weight: str = "normal") -> str:
    """``text`` with each line broken between words to fit ``width`` points (a word wider than
    that stays whole on its own line)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and text_width(candidate, size, weight) > width:
                out.append(line)
                line = word
            else:
                line = candidate
        out.append(line)
    return "\n".join(out)


def item_width(label: str, size: float) -> float:
    """The width in points of one legend entry (its handle, the gap and the label)."""
    return HANDLE * size + text_width(label, size)


def legend_columns(labels: Sequence[str], size: float, width: float, most: int) -> int:
    """How many columns (at most ``most``) a legend of ``labels`` can have within ``width``
    points: the widest entries side by side, with matplotlib's gaps, must fit."""
    widths = sorted((item_width(s, size) for s in labels), reverse=True)
    for k in range(min(most, len(widths)), 1, -1):
        if sum(widths[:k]) + (k - 1) * COLUMN_GAP * size + BORDER * size <= width:
            return k
    return 1


def fit_labels(labels: Sequence[str], size: float, width: float) -> list[str]:
    """Legend labels wrapped so that each entry, alone on its row, fits ``width`` points."""
    room = width - HANDLE * size - BORDER * size
    return [wrap(s, size, room) for s in labels]
