"""Word letters: a Markdown letter (see :mod:`lgsco_stats.letters.render`) as a ``.docx`` with
real headings, paragraphs, bulleted lists and a table of figures, A4 with 2 cm margins, pages
numbered "Page 2 of 3" in the footer.

Built with python-docx from markdown-it's tokens: ``#`` → Heading 1 (the letter's title), ``##``
→ Heading 2, ``###`` → Heading 3, lists → "List Bullet", tables → a Word table ("Table Grid",
cells padded, the header row shaded), ``**bold**`` and ``*italic*`` → runs, a trailing
backslash → a line break. The closing ("Yours sincerely") keeps with the paragraph before it
and with the name and titles after it, and leaves room for a signature.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from ..escape import xml_text
from .render import closing_at, markdown_tokens, table_cells

FONT = "Arial"
# Cell padding in twentieths of a point (Word's default is 0 above and below, 0.19 cm aside).
CELL_MARGINS = {"top": 60, "bottom": 60, "left": 115, "right": 115}
SIGNATURE_SPACE = Pt(42)  # room for a handwritten signature after the closing


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), value)
    return el


def _page_numbers(section: Any) -> None:
    """ "Page N of M" at the right of the footer, from Word's own PAGE and NUMPAGES fields."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
        run = para.add_run(text)
        run.font.size = Pt(8.5)
        simple = _element("w:fldSimple", instr=f" {field} ")
        number = _element("w:r")
        props = _element("w:rPr")
        props.append(_element("w:sz", val="17"))
        number.append(props)
        shown = _element("w:t")
        shown.text = "1"
        number.append(shown)
        simple.append(number)
        para._p.append(simple)


def _setup(doc: Any, title: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", 15), ("Heading 2", 12.5), ("Heading 3", 11)):
        st = styles[name]
        st.font.name = FONT
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        st.paragraph_format.space_before = Pt(12 if name != "Heading 1" else 14)
        st.paragraph_format.space_after = Pt(4)
        st.paragraph_format.keep_with_next = True
    _page_numbers(section)
    props = doc.core_properties
    props.title = title
    props.author = ""
    props.comments = "Made by lgsco-stats"


@functools.cache
def _blank() -> bytes:
    """An empty letter document with the page and styles set, made once per process (looking
    styles up by name is what costs in python-docx, so paragraphs get style ids directly)."""
    doc = Document()
    _setup(doc, "")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _paragraph(doc: Any, style_id: str | None = None) -> Any:
    para = doc.add_paragraph()
    if style_id:
        para._p.get_or_add_pPr().style = style_id
    return para


def _inline(paragraph: Any, token: Any) -> None:
    """Add an inline token's children to a paragraph as runs."""
    bold = italic = False
    for child in token.children or []:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind in ("text", "code_inline"):
            run = paragraph.add_run(xml_text(child.content))
            run.bold = bold or None
            run.italic = italic or None
        elif kind == "softbreak":
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()


def _table(doc: Any, tokens: list[Any], start: int) -> int:
    """Add the table whose ``table_open`` is at ``start``; return the index after it."""
    rows, right, header_rows, end = table_cells(tokens, start)
    ncols = max((len(r) for r in rows), default=0)
    table = doc.add_table(rows=len(rows), cols=ncols)
    table._tbl.tblPr.style = "TableGrid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = _element("w:tblCellMar")
    for side, twips in CELL_MARGINS.items():
        margins.append(_element(f"w:{side}", w=str(twips), type="dxa"))
    table._tbl.tblPr.append(margins)
    for r, cells in enumerate(rows):
        for c, inline in enumerate(cells):
            para = table.cell(r, c).paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            _inline(para, inline)
            if r < header_rows:
                for run in para.runs:
                    run.bold = True
                table.cell(r, c)._tc.get_or_add_tcPr().append(
                    _element("w:shd", val="clear", color="auto", fill="E8E8E8")
                )
            if c < len(right) and right[c]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    widths = [Cm(8.5)] + [Cm(8.5 / (ncols - 1))] * (ncols - 1) if ncols > 1 else [Cm(17)]
    for c, column in enumerate(table.columns):  # the grid, which LibreOffice reads
        column.width = widths[min(c, len(widths) - 1)]
    for row in table.rows:
        row._tr.get_or_add_trPr().append(_element("w:cantSplit"))  # a row stays on one page
        for c, cell in enumerate(row.cells):
            cell.width = widths[min(c, len(widths) - 1)]
    _paragraph(doc).paragraph_format.space_after = Pt(0)
    return end


class DocxMaker:
    """Makes Word letters from one parsed blank document, emptied and refilled for each letter
    (parsing python-docx's template anew costs more than writing the letter)."""

    def __init__(self) -> None:
        self.doc = Document(io.BytesIO(_blank()))
        self._body = self.doc.element.body

    def make(self, markdown_text: str, title: str) -> bytes:
        """A ``.docx`` file's bytes for a Markdown letter."""
        from docx.oxml.ns import qn

        doc = self.doc
        for child in list(self._body):
            if child.tag != qn("w:sectPr"):
                self._body.remove(child)
        # Word's document properties hold at most 255 characters (python-docx raises beyond)
        doc.core_properties.title = xml_text(title)[:255]
        tokens = markdown_tokens(markdown_text)
        closing = closing_at(tokens)
        list_depth = 0
        previous = None  # the last paragraph before the closing keeps with it
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if closing is not None and i >= closing and t.type == "paragraph_open":
                # the signature block: the closing with room to sign, then the name, titles and
                # who it is shared with, each kept with the next (and the closing with the
                # paragraph before it)
                para = _paragraph(doc)
                _inline(para, tokens[i + 1])
                form = para.paragraph_format
                form.keep_with_next = True
                if i == closing:
                    form.space_after = SIGNATURE_SPACE
                    if previous is not None:
                        previous.paragraph_format.keep_with_next = True
                else:
                    form.keep_together = True
                i += 3
                continue
            if t.type == "heading_open":
                level = int(t.tag[1])
                para = _paragraph(doc, f"Heading{min(level, 3)}")
                _inline(para, tokens[i + 1])
                i += 3
                continue
            if t.type in ("bullet_list_open", "ordered_list_open"):
                list_depth += 1
            elif t.type in ("bullet_list_close", "ordered_list_close"):
                list_depth -= 1
            elif t.type == "paragraph_open":
                para = _paragraph(doc, "ListBullet" if list_depth else None)
                _inline(para, tokens[i + 1])
                previous = para
                i += 3
                continue
            elif t.type == "table_open":
                i = _table(doc, tokens, i)
                continue
            elif t.type == "hr":
                _paragraph(doc)
            i += 1
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()


def markdown_to_docx(markdown_text: str, title: str) -> bytes:
    """A ``.docx`` file's bytes for a Markdown letter (use :class:`DocxMaker` for many)."""
    return DocxMaker().make(markdown_text, title)
