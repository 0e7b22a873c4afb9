"""PDF letters: a Markdown letter as an A4 PDF with embedded Unicode fonts and real, selectable
text (fpdf2 rendering the letter's HTML).

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

from .letter_render import markdown_to_html

FAMILY = "DejaVu"
_STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
           "BI": "DejaVuSans-BoldOblique.ttf"}
# Basic Latin to Latin Extended-B, general punctuation (curly quotes, dashes), the euro and ™.
_KEEP = [*range(0x20, 0x250), *range(0x2000, 0x2070), 0x20AC, 0x2122, 0x2212]
_KEEP_SET = frozenset(_KEEP)


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


class PdfMaker:
    """Makes PDF letters; holds the cut-down fonts for the life of the object (use ``with``)."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="lgsco-fonts-")
        self.fonts = self._subset_fonts(Path(self._tmp.name))

    def __enter__(self) -> PdfMaker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._tmp.cleanup()

    @staticmethod
    def _subset_fonts(into: Path) -> dict[str, Path]:
        from fontTools import subset

        logging.getLogger("fontTools").setLevel(logging.ERROR)
        out: dict[str, Path] = {}
        for style, name in _STYLES.items():
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
        from fpdf.fonts import FontFace

        full = any(ord(ch) not in _KEEP_SET for ch in markdown_text if ch not in "\n\t")
        fonts = {s: font_dir() / n for s, n in _STYLES.items()} if full else self.fonts
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(20, 20, 20)
        pdf.set_auto_page_break(True, margin=20)
        for style, path in fonts.items():
            pdf.add_font(FAMILY, style, str(path))
        pdf.set_title(title)
        pdf.set_creator("lgsco-stats")
        pdf.set_lang("en-GB")
        when = dt.datetime.combine(date or dt.date.today(), dt.time(), tzinfo=dt.UTC)
        pdf.set_creation_date(when)
        pdf.add_page()
        pdf.set_font(FAMILY, size=10.5)
        html = _pdf_html(markdown_to_html(markdown_text))
        pdf.write_html(
            html,
            font_family=FAMILY,
            table_line_separators=True,
            tag_styles={
                "h1": FontFace(family=FAMILY, emphasis="B", size_pt=15),
                "h2": FontFace(family=FAMILY, emphasis="B", size_pt=12.5),
                "h3": FontFace(family=FAMILY, emphasis="B", size_pt=11),
                "p": FontFace(family=FAMILY, size_pt=10.5),
                "li": FontFace(family=FAMILY, size_pt=10.5),
            },
        )
        data = bytes(pdf.output())
        for font in pdf.fonts.values():  # fontTools keeps the font files open (lazy loading)
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()
        return data


def _pdf_html(html: str) -> str:
    """markdown-it's HTML with the table attributes fpdf2 understands: grid borders, full
    width, left or right alignment per cell (fpdf2 ignores ``style``), a wide first column."""

    def cell(m: re.Match[str]) -> str:
        tag, style = m.group(1), m.group(2) or ""
        align = "right" if "right" in style else "center" if "center" in style else "left"
        return f'<{tag} align="{align}">'

    html = html.replace("<table>", '<table border="1" width="100%" cellpadding="1.5">')
    html = re.sub(r'<(td|th)(?: style="([^"]*)")?>', cell, html)

    def widths(m: re.Match[str]) -> str:
        row = m.group(0)
        n = row.count("<th ")
        if n < 2:
            return row
        first = 50 if n > 2 else 60
        rest = (100 - first) / (n - 1)
        parts = row.split("<th ")
        out = parts[0] + f'<th width="{first}%" ' + parts[1]
        for p in parts[2:]:
            out += f'<th width="{rest:g}%" ' + p
        return out

    return re.sub(r"<thead>\s*<tr>.*?</tr>", widths, html, count=0, flags=re.S)


def markdown_to_pdf(markdown_text: str, title: str, date: dt.date | None = None) -> bytes:
    """One PDF letter (cuts the fonts down for this one call; use :class:`PdfMaker` for many)."""
    with PdfMaker() as maker:
        return maker.make(markdown_text, title, date)

