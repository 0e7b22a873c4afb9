"""Data is text: names, categories and contacts from spreadsheets, made safe for each output.

A council or contact in a spreadsheet can be called anything: ``[Click here](https://…)``,
``![](https://…/pixel.png)``, a line break and ``# Heading``, ``<script>``, ``[blink]`` (Rich
markup), ``\\x1b[2J`` (clear the screen). Every output shows such a value as the characters it
is made of, never as markup:

* :func:`printable`: control characters (ANSI escapes, bells, backspaces, the direction
  overrides that reorder what a terminal shows) removed, line and paragraph breaks made spaces.
  For terminals, plain tables and everything below.
* :func:`markdown_text`: :func:`printable`, then every character Markdown gives a meaning
  escaped with a backslash (CommonMark lets any ASCII punctuation be escaped), so a value is one
  line of literal text wherever a template puts it: in a paragraph, a table cell, the start of
  a line. Markdown letters are rendered to HTML, Word and PDF from that text.
* :func:`xml_text`: :func:`printable`, for Word's XML, which cannot hold the other control
  characters at all.

HTML is escaped by Jinja2's autoescaping (the report site, HTML templates); SVG charts by
matplotlib, with ``$`` escaped so that a name is not read as mathematics (:func:`chart_text`).
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL, C1 controls; the bidirectional embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) that make a terminal or page show text in another order.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Line breaks of every kind: a value is one line.
_BREAKS = re.compile("\r\n|[\n\r\t\u0085\u2028\u2029]")
# Characters with a meaning anywhere in a line of Markdown (emphasis, code, links and images,
# raw HTML and autolinks, tables, strikethrough, entities are left: they only spell characters).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
# ... and at the start of a line (once the above are escaped, so * and > are done): a heading
# (# and a space), a list item (- or + and a space; 1. or 1) and a space), a line of = or -
# under a paragraph (a heading too). "0.4" or "-3" start nothing and are left alone.
_LINE_START = re.compile(
    r"^(?:(?P<mark>#{1,6}|[-+])(?=\s|$)|\d{1,9}(?P<dot>[.)])(?=\s|$)|(?P<rule>[=-])[=-]*\s*$)"
)


def printable(value: object) -> str:
    """``str(value)`` with control characters removed and line breaks (and tabs) as spaces."""
    text = str(value)
    if text.isprintable():
        return text
    return _CONTROL.sub("", _BREAKS.sub(" ", text))


def markdown_text(value: object) -> str:
    """A value as one line of literal Markdown text: ``[x](y)`` → ``\\[x\\](y)``."""
    text = _INLINE.sub(r"\\\1", printable(value).strip())
    m = _LINE_START.match(text)
    if m:
        at = m.start(next(g for g in ("mark", "dot", "rule") if m.group(g) is not None))
        text = text[:at] + "\\" + text[at:]
    return text


def xml_text(value: object) -> str:
    """A value Word's XML can hold (no control characters)."""
    return printable(value)


def chart_text(value: object) -> str:
    """A value as a matplotlib label: printable, ``$`` escaped (it starts mathematics)."""
    return printable(value).replace("$", r"\$")
