"""PDF letters: a Markdown letter as an A4 PDF with embedded Unicode fonts and real, selectable
text (fpdf2, with a small layout of its own: headings, paragraphs, bullets, a table with borders).

fpdf2's built-in fonts are Latin-1 only (a curly apostrophe breaks them), so the letter embeds
DejaVu Sans (shipped with matplotlib). Parsing the full DejaVu files costs ~0.1 s per document;
:class:`PdfMaker` therefore cuts them down once per process to the Latin, punctuation and currency
characters a letter uses (about 50 kB each, ~80 ms once) and every document loads those.
Characters outside that set fall back to the full font files.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
from pathlib import Path
from typing import Any

from .render import closing_at, markdown_tokens, table_cells

FAMILY = "DejaVu"
_STYLES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
# Basic Latin, Latin-1, curly quotes, dashes, the bullet, the euro and ™: every glyph kept costs
# time in each document (fpdf2 subsets the font again when it writes a PDF). Letters with other
# characters (Welsh ŵ, Polish ł in a name) use the full font files.
_KEEP = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    0x2013,
    0x2014,
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2022,
    0x2026,
    0x20AC,
    0x2122,
]
_KEEP_SET = frozenset(_KEEP)
# The faces a letter uses (italic Markdown is set upright: the default letter has none).
_USED = ("", "B")


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class PdfMaker:
    """Makes PDF letters; holds the cut-down fonts for the life of the object (use ``with``)."""

    def __init__(self, fonts: dict[str, Path] | None = None) -> None:
        """Cut the fonts down (into a temporary folder this object removes), or use the cut-down
        fonts of another maker (``fonts``: how worker processes share the main one's)."""
        self._tmp = None if fonts else tempfile.TemporaryDirectory(prefix="lgsco-fonts-")
        self.fonts = fonts or self._subset_fonts(Path(self._tmp.name))  # type: ignore[union-attr]

    def __enter__(self) -> PdfMaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()

    @staticmethod
    def _subset_fonts(into: Path) -> dict[str, Path]:
        from fontTools import subset

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        out: dict[str, Path] = {}
        for style in _USED:
            name = _STYLES[style]
            opts = subset.Options()
            opts.layout_features = []
            opts.name_IDs = ["*"]
            opts.notdef_outline = True
            opts.hinting = False
            font = subset.load_font(str(font_dir() / name), opts)
            sub = subset.Subsetter(opts)
            sub.populate(unicodes=_KEEP)
            sub.subset(font)
            path = into / name
            subset.save_font(font, str(path), opts)
            font.close()
            out[style] = path
        return out

    def make(self, markdown_text: str, title: str, date: dt.date | None = None) -> bytes:
        """A PDF file's bytes for a Markdown letter."""
        from fpdf import FPDF

        full = any(ord(ch) not in _KEEP_SET for ch in markdown_text if ch not in "\n\t")
        fonts = {s: font_dir() / _STYLES[s] for s in _USED} if full else self.fonts
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(False)
        for style in _USED:
            pdf.add_font(FAMILY, style, str(fonts[style]))
        pdf.set_title(title)
        pdf.set_creator("lgsco-stats")
        pdf.set_lang("en-GB")
        when = dt.datetime.combine(date or dt.date.today(), dt.time(), tzinfo=dt.UTC)
        pdf.set_creation_date(when)
        pdf.add_page()
        tokens = markdown_tokens(markdown_text)
        layout = _Layout(pdf)
        layout.blocks(tokens, closing_at(tokens))
        layout.number_pages()
        data = bytes(pdf.output())
        for font in pdf.fonts.values():  # fontTools keeps the font files open (lazy loading)
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()
        return data


# --------------------------------------------------------------------------- layout
#
# fpdf2's own text flow (multi_cell, write_html) measures lines character by character and
# costs ~100 ms for a two-page letter; this lays out words with cached widths and places each
# line with ``text()``: a few milliseconds.

MARGIN = 20.0
BODY, SMALL = 10.5, 10.0
HEADINGS = {1: 15.0, 2: 12.5, 3: 11.0}
LEADING = 1.38  # line height as a multiple of the font size
SIGNATURE_SPACE = 16.0  # mm left after the closing for a handwritten signature
FOOTER = 9.0  # size of the page numbers, set in the bottom margin
PT = 25.4 / 72  # mm per point

Run = tuple[str, str]  # (style "" or "B", text)
_WIDTHS: dict[tuple[str, float, str], float] = {}
Piece = tuple[str, str, float]  # (style, text, width in mm)


def _runs(inline: Any) -> list[list[Run]]:
    """An inline token as lines (split at hard breaks) of styled runs; italic is set upright."""
    lines: list[list[Run]] = [[]]
    bold = False
    for child in inline.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind in ("text", "code_inline"):
            lines[-1].append(("B" if bold else "", child.content))
        elif kind == "softbreak":
            lines[-1].append(("", " "))
        elif kind == "hardbreak":
            lines.append([])
    return lines


class _Layout:
    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.y = MARGIN
        self.bottom = pdf.h - MARGIN
        self.width = pdf.w - 2 * MARGIN
        self._font: tuple[str, float] | None = None

    def _set(self, style: str, size: float) -> None:
        if self._font != (style, size):
            self.pdf.set_font(FAMILY, style, size)
            self._font = (style, size)

    def measure(self, style: str, size: float, text: str) -> float:
        """Width in mm from the font's advance widths (cached for the process: every letter
        uses the same DejaVu metrics, cut down or not)."""
        key = (style, size, text)
        w = _WIDTHS.get(key)
        if w is None:
            self._set(style, size)
            cw = self.pdf.current_font.cw
            w = _WIDTHS[key] = sum(cw[ord(c)] for c in text) * size * 0.001 / self.pdf.k
        return w

    def wrap(
        self, lines: list[list[Run]], size: float, width: float, bold: bool = False
    ) -> list[list[Piece]]:
        """Runs as lines of (style, text, width) pieces no wider than ``width``."""
        out: list[list[Piece]] = []
        for runs in lines:
            line: list[Piece] = []
            used = 0.0
            for style, text in runs:
                st = "B" if bold else style
                for part in re.split(r"(\s+)", text):
                    if not part:
                        continue
                    word = " " if part.isspace() else part
                    w = self.measure(st, size, word)
                    if word == " ":
                        if line:
                            line.append((st, word, w))
                            used += w
                        continue
                    for piece, pw in self._pieces(st, size, word, w, width):
                        if line and used + pw > width:
                            while line and line[-1][1] == " ":
                                used -= line.pop()[2]
                            out.append(line)
                            line, used = [], 0.0
                        line.append((st, piece, pw))
                        used += pw
            while line and line[-1][1] == " ":
                line.pop()
            out.append(line)
        return out

    def _pieces(
        self, style: str, size: float, word: str, w: float, width: float
    ) -> list[tuple[str, float]]:
        """A word as pieces no wider than ``width``: itself, or (a name of 300 letters and no
        space, say) cut between characters rather than running off the page."""
        if w <= width or len(word) < 2:
            return [(word, w)]
        out: list[tuple[str, float]] = []
        piece, used = "", 0.0
        for ch in word:  # widths add up character by character (measure sums them too)
            cw = self.measure(style, size, ch)
            if piece and used + cw > width:
                out.append((piece, used))
                piece, used = "", 0.0
            piece += ch
            used += cw
        out.append((piece, used))
        return out

    def draw_line(self, pieces: list[Piece], x: float, baseline: float, size: float) -> None:
        merged: list[Piece] = []  # neighbouring pieces of one style go out as one string
        for st, text, w in pieces:
            if merged and merged[-1][0] == st:
                merged[-1] = (st, merged[-1][1] + text, merged[-1][2] + w)
            else:
                merged.append((st, text, w))
        for st, text, w in merged:
            self._set(st, size)
            self.pdf.text(x, baseline, text)
            x += w

    def need(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.pdf.add_page()
            self.y = MARGIN

    def text_block(
        self,
        lines: list[list[Run]],
        size: float,
        *,
        indent: float = 0.0,
        bold: bool = False,
        space_after: float = 2.6,
    ) -> None:
        lh = size * LEADING * PT
        for pieces in self.wrap(lines, size, self.width - indent, bold):
            self.need(lh)
            self.draw_line(pieces, MARGIN + indent, self.y + size * PT * 0.95, size)
            self.y += lh
        self.y += space_after

    def number_pages(self) -> None:
        """ "Page 2 of 3" at the foot of every page of a letter longer than one."""
        total = self.pdf.pages_count
        if total < 2:
            return
        self.pdf.set_text_color(90, 90, 90)
        for n in range(1, total + 1):
            self.pdf.page = n
            text = f"Page {n} of {total}"
            width = self.measure("", FOOTER, text)
            self._set("", FOOTER)
            self.pdf.text(self.pdf.w - MARGIN - width, self.pdf.h - MARGIN / 2, text)
        self.pdf.page = total
        self.pdf.set_text_color(0, 0, 0)

    def signature_height(self, tokens: list[Any], start: int, closing: int) -> float:
        """The height of the blocks from ``start`` to the end: the paragraph before the
        closing, the closing (with room to sign) and what follows it (the signatory's name and
        titles, who the letter is shared with), as :meth:`blocks` lays them out."""
        height, in_list = 0.0, 0
        for i in range(start, len(tokens)):
            t = tokens[i]
            if t.type in ("bullet_list_open", "ordered_list_open"):
                in_list += 1
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                in_list -= 1
            elif t.type in ("paragraph_open", "heading_open"):
                size = HEADINGS[min(int(t.tag[1]), 3)] if t.type == "heading_open" else BODY
                indent = 6.0 if in_list else 0.0
                lines = self.wrap(_runs(tokens[i + 1]), size, self.width - indent)
                after = (
                    SIGNATURE_SPACE
                    if i == closing
                    else 1.2
                    if in_list
                    else 3.7
                    if t.type == "heading_open"
                    else 2.6
                )
                height += len(lines) * size * LEADING * PT + after
        return height

    def blocks(self, tokens: list[Any], closing: int | None = None) -> None:
        """Lay out a letter's tokens. The paragraph at ``closing`` ("Yours sincerely"), the
        paragraph before it and all that follows it are kept on one page (the closing never
        alone above the name), with room to sign after the closing."""
        keep = _kept_from(tokens, closing)
        i, in_list = 0, 0
        while i < len(tokens):
            t = tokens[i]
            if i == keep and closing is not None:
                rest = self.signature_height(tokens, i, closing)
                if rest <= self.bottom - MARGIN:
                    self.need(rest)
            if i == closing:
                self.text_block(_runs(tokens[i + 1]), BODY, space_after=SIGNATURE_SPACE)
                i += 3
                continue
            if t.type == "heading_open":
                level = min(int(t.tag[1]), 3)
                size = HEADINGS[level]
                self.y += 3.0 if level == 1 else 2.5
                self.need(size * PT * 5)  # keep a heading with what follows
                self.text_block(_runs(tokens[i + 1]), size, bold=True, space_after=1.2)
                i += 3
                continue
            if t.type in ("bullet_list_open", "ordered_list_open"):
                in_list += 1
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                in_list -= 1
                self.y += 1.4
            elif t.type == "paragraph_open":
                runs = _runs(tokens[i + 1])
                if in_list:
                    self.need(BODY * LEADING * PT)
                    self._set("", BODY)
                    self.pdf.text(MARGIN + 1.5, self.y + BODY * PT * 0.95, "\u2022")
                    self.text_block(runs, BODY, indent=6.0, space_after=1.2)
                else:
                    self.text_block(runs, BODY)
                i += 3
                continue
            elif t.type == "table_open":
                i = self.table(tokens, i)
                continue
            i += 1

    def table(self, tokens: list[Any], start: int) -> int:
        rows, right_aligned, header_rows, end = table_cells(tokens, start)
        ncols = max((len(r) for r in rows), default=1)
        first = self.width * (0.5 if ncols > 2 else 0.6 if ncols == 2 else 1.0)
        widths = [first] + [(self.width - first) / max(ncols - 1, 1)] * (ncols - 1)
        pad, size = 1.6, SMALL
        lh = size * LEADING * PT
        self.pdf.set_draw_color(150, 150, 150)
        self.pdf.set_line_width(0.2)
        self.pdf.set_fill_color(232, 232, 232)
        for r, cells in enumerate(rows):
            head = r < header_rows
            laid = [
                self.wrap(_runs(c), size, widths[k] - 2 * pad, bold=head)
                for k, c in enumerate(cells)
            ]
            height = max(len(x) for x in laid) * lh + 2 * pad
            self.need(height)
            x = MARGIN
            for k in range(ncols):
                w = widths[k]
                self.pdf.rect(x, self.y, w, height, style="DF" if head else "D")
                for n, pieces in enumerate(laid[k] if k < len(laid) else []):
                    right = k < len(right_aligned) and right_aligned[k]
                    tx = x + w - pad - sum(p[2] for p in pieces) if right else x + pad
                    self.draw_line(pieces, tx, self.y + pad + n * lh + size * PT * 0.95, size)
                x += w
            self.y += height
        self.y += 4.0
        return end


def _kept_from(tokens: list[Any], closing: int | None) -> int | None:
    """Where the block kept with the signature starts: the paragraph before the closing, if
    one comes after the last heading (a heading keeps with what follows it anyway)."""
    if closing is None:
        return None
    for i in range(closing - 1, -1, -1):
        if tokens[i].type == "heading_open":
            break
        if tokens[i].type == "paragraph_open" and tokens[i].level == 0:
            return i
    return closing


def markdown_to_pdf(markdown_text: str, title: str, date: dt.date | None = None) -> bytes:
    """One PDF letter (cuts the fonts down for this one call; use :class:`PdfMaker` for many)."""
    with PdfMaker() as maker:
        return maker.make(markdown_text, title, date)
