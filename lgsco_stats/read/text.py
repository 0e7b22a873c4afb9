"""Text files' bytes as text: their size limited, their encoding found (UTF-8 or cp1252), a
UTF-8 file with a few bytes that are not named by line rather than read as cp1252. Used for CSV
files (:mod:`.sheets`) and contacts lists."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import DataError

_CHUNK = 16 << 20
# A well-formed UTF-8 sequence of more than one byte (a curly apostrophe is E2 80 99).
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def read_limited(p: Path, limit: int) -> bytes:
    size = p.stat().st_size
    if size > limit:
        raise DataError(
            f"{p}: refused: {size:,} bytes, more than the {limit:,} a text file may have "
            "(save it as a workbook, or split it)"
        )
    return p.read_bytes()


def _not_utf8(data: bytes) -> tuple[list[int], int]:
    """Where the bytes that are not UTF-8 are (the first five) and how many there are."""
    view = memoryview(data)
    pos, first, count = 3 if data.startswith(b"\xef\xbb\xbf") else 0, [], 0
    while pos < len(data):
        end = min(len(data), pos + _CHUNK)
        try:
            _, used = codecs.utf_8_decode(view[pos:end], "strict", end == len(data))
            pos += max(used, 1) if end == len(data) else used
        except UnicodeDecodeError as e:
            count += 1
            if len(first) < 5:
                first.append(pos + e.start)
            pos += e.end
    return first, count


def text_encoding(p: Path, data: bytes) -> str:
    """``"utf-8-sig"`` or ``"cp1252"`` for a text file's bytes.

    UTF-8 (with or without a byte-order mark) is read as UTF-8; a file that is not UTF-8 at all
    is read as cp1252 (Windows' Western encoding, which Excel's "CSV" saves). A file that is
    UTF-8 but for a few bytes is an error naming their lines: reading it all as cp1252 would
    turn every UTF-8 character into two or three wrong ones ("King’s" into "Kingâ€™s")."""
    if b"\x00" in data[:4096]:
        raise DataError(f"{p}: not a spreadsheet or CSV file (it holds binary data)")
    first, count = _not_utf8(data)
    if not count:
        return "utf-8-sig"
    multi = 0
    for _ in _UTF8_MULTI.finditer(data):
        multi += 1
        if multi >= count:
            break
    if multi >= count:
        newline = b"\n"
        shown = ", ".join(
            f"line {data.count(newline, 0, i) + 1} (byte 0x{data[i]:02X})" for i in first
        )
        more = f" and {count - len(first)} more" if count > len(first) else ""
        raise DataError(
            f"{p}, {shown}{more}: not UTF-8, though the rest of the file is; save the file "
            "as UTF-8 again, or retype the character there"
        )
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            str(view[start : start + _CHUNK], "cp1252")
    except UnicodeDecodeError:
        raise DataError(f"{p}: not a spreadsheet or CSV file (not readable as text)") from None
    return "cp1252"


def decode_text(p: Path, limit: int) -> str:
    """A whole text file (a contacts list), decoded as :func:`text_encoding` says."""
    data = read_limited(p, limit)
    return data.decode(text_encoding(p, data))
