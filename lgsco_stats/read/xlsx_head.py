"""The first rows of a sheet of an ``.xlsx`` workbook, read without reading the rest.

A workbook is a zip of XML: each sheet's cells are ``<row>`` elements in row order, and text
cells may point into the shared strings. :func:`head_workbook` writes a small workbook in memory
with the same parts, in which one sheet is cut after its first rows (and the shared strings
after the last one those rows use): the same reader then gives those rows exactly as it would
give them from the whole file, for a fraction of the time. None of this imports pandas.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from typing import IO

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_EMPTY_SHEET = f'<worksheet xmlns="{_MAIN}"><sheetData/></worksheet>'.encode()
_ROW = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ITEM = re.compile(rb"<(?:\w+:)?si[\s/>]")
_SHARED = re.compile(rb"<(?:\w+:)?c\b[^>]*?\bt=\"s\"[^>]*>\s*<(?:\w+:)?v>\s*(\d+)\s*<")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
_CHUNK = 1 << 16
# A part of the workbook that its cells do not need (pictures, pivot caches, …) is left out of
# the small copy once it is this large.
_SKIP_FROM = 1 << 20
_NEEDED = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _relationships(rels: bytes) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, target) of a ``.rels`` part."""
    out = {}
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
        attrs = m.group(1)
        rid = re.search(rb'\bId="([^"]*)"', attrs)
        kind = re.search(rb'\bType="([^"]*)"', attrs)
        target = re.search(rb'\bTarget="([^"]*)"', attrs)
        if rid and target:
            out[rid.group(1).decode()] = (
                kind.group(1).decode() if kind else "",
                target.group(1).decode(),
            )
    return out


def _member(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def sheet_members(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip member holding its XML, in workbook order."""
    wb = z.read("xl/workbook.xml")
    rels = _relationships(z.read("xl/_rels/workbook.xml.rels"))
    out = {}
    for m in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)/?>", wb):
        attrs = m.group(1)
        name = re.search(rb'\bname="([^"]*)"', attrs)
        rid = re.search(rb'\br:id="([^"]*)"|\bid="([^"]*)"', attrs)
        if not name or not rid:
            continue
        rel = rels.get((rid.group(1) or rid.group(2)).decode())
        if rel:
            # XML's escapes (&amp;, &#39;, …) are HTML's too
            out[html.unescape(name.group(1).decode("utf-8"))] = _member(rel[1])
    return out


def _cut(f: IO[bytes], pattern: re.Pattern[bytes], count: int) -> tuple[bytes, bool]:
    """The start of a stream up to its ``count``-th match of ``pattern`` (0-based), and
    whether it was cut there (False: the stream has fewer matches and was read whole)."""
    data = bytearray()
    seen = pos = 0
    while True:
        chunk = f.read(_CHUNK)
        data += chunk
        # a tag may straddle two chunks: until the end, only matches starting well before the
        # end of what was read count, and the search goes on from there
        limit = len(data) - 64 if chunk else len(data)
        for m in pattern.finditer(data, pos):
            if m.start() >= limit:
                break
            if seen == count:
                return bytes(data[: m.start()]), True
            seen += 1
            pos = m.end()
        pos = max(pos, limit)
        if not chunk:
            return bytes(data), False


def head_workbook(path: str, name: str, rows: int) -> bytes | None:
    """A copy of the workbook whose sheet ``name`` holds only its first ``rows`` rows (rows as
    the XML lists them, empty ones included), or None: the sheet has no more rows than that,
    or the workbook is not laid out as expected."""
    try:
        with zipfile.ZipFile(path) as z:
            members = sheet_members(z)
            target = members.get(name)
            if target is None or not target.endswith(".xml"):
                return None
            with z.open(target) as f:
                head, cut = _cut(f, _ROW, rows)
            if not cut:
                return None
            root = re.search(rb"<(\w+:)?worksheet[\s>]", head)
            data = re.search(rb"<(\w+:)?sheetData[\s>]", head)
            if root is None or data is None:
                return None
            sheet = (
                _DIMENSION.sub(b"", head)
                + b"</"
                + (data.group(1) or b"")
                + b"sheetData></"
                + (root.group(1) or b"")
                + b"worksheet>"
            )
            rels = _relationships(z.read("xl/_rels/workbook.xml.rels"))
            shared = next(
                (_member(t) for k, t in rels.values() if k.endswith("/sharedStrings")), None
            )
            styles = {_member(t) for k, t in rels.values() if k.endswith("/styles")}
            needed = max((int(m.group(1)) for m in _SHARED.finditer(sheet)), default=-1)
            others = set(members.values()) - {target}
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as small:
                for info in z.infolist():
                    n = info.filename
                    if n == target:
                        small.writestr(n, sheet)
                    elif n in others:
                        small.writestr(n, _EMPTY_SHEET)
                    elif n == shared:
                        with z.open(n) as f:
                            items, cut = _cut(f, _ITEM, needed + 1)
                        if cut:
                            close = re.search(rb"<(\w+:)?sst[\s>]", items)
                            prefix = (close.group(1) or b"") if close else b""
                            items += b"</" + prefix + b"sst>"
                        small.writestr(n, items)
                    elif info.file_size < _SKIP_FROM or n in _NEEDED or n in styles:
                        small.writestr(n, z.read(n))
            return out.getvalue()
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Za-z]{1,4})0*(\d{1,10})\"")
_EXPLAIN_UP_TO = 64 << 20


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def extent(path: str, name: str) -> tuple[str, str, int] | None:
    """The block of cells a sheet's references span, from its first and last rows and
    columns: ``("A1", "XFD100000", 1_638_400_000)``; None if the sheet is not found, its XML is
    larger than 64 MiB, or its cells name no references. For messages about a sheet refused."""
    try:
        with zipfile.ZipFile(path) as z:
            member = sheet_members(z).get(name)
            if member is None or z.getinfo(member).file_size > _EXPLAIN_UP_TO:
                return None
            data = z.read(member)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    cols = rows = None
    for m in _REF.finditer(data):
        c, r = _column(m.group(1)), int(m.group(2))
        cols = (c, c) if cols is None else (min(cols[0], c), max(cols[1], c))
        rows = (r, r) if rows is None else (min(rows[0], r), max(rows[1], r))
    if cols is None or rows is None:
        return None
    cells = (cols[1] - cols[0] + 1) * (rows[1] - rows[0] + 1)
    return f"{_letters(cols[0])}{rows[0]}", f"{_letters(cols[1])}{rows[1]}", cells
