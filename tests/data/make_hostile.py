"""Hostile inputs made by script: small files built to take memory, time or the terminal.

Each function writes one file and returns its path; the tests (``tests/test_hostile.py``) make
them in a temporary folder, so nothing here is committed as data. Sizes are chosen to show each
problem while keeping the suite fast: the file is what a hostile sender would mail, a few KB to
a few MB, whatever the size it claims to inflate to.

    python tests/data/make_hostile.py DIR     # write every one of them into DIR, to try by hand
"""

from __future__ import annotations

import struct
import sys
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADER = ("Reference", "Authority", "Decision date", "Outcome")
ROWS = (
    ("19 000 001", "Kent County Council", "2019-05-01", "Upheld"),
    ("19 000 002", "Kent County Council", "2019-06-01", "Not upheld"),
)


def _cells(rows: Iterable[Iterable[str]], start: int = 1) -> str:
    out = []
    for n, row in enumerate(rows, start=start):
        cells = "".join(
            f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for i, v in enumerate(row)
        )
        out.append(f'<row r="{n}">{cells}</row>')
    return "".join(out)


def sheet_xml(body: str, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{_MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'.encode()


def decisions_xml(extra: str = "", dimension: str | None = None) -> bytes:
    """A small decisions sheet (a header and two rows) followed by ``extra`` row XML."""
    return sheet_xml(_cells([HEADER, *ROWS]) + extra, dimension)


def xlsx(
    path: Path,
    sheets: Mapping[str, bytes],
    *,
    shared: bytes | None = None,
    states: Mapping[str, str] | None = None,
) -> Path:
    """A workbook from sheet XML written by hand (and optionally a shared-strings part);
    ``states`` marks sheets ``hidden`` or ``veryHidden``."""
    names = list(sheets)
    states = states or {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        over = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_CT}.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        if shared is not None:
            over += (
                f'<Override PartName="/xl/sharedStrings.xml" '
                f'ContentType="{_CT}.sharedStrings+xml"/>'
            )
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            f'ContentType="{_CT}.sheet.main+xml"/>{over}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        entries = "".join(
            f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"'
            + (f' state="{states[n]}"' if n in states else "")
            + "/>"
            for i, n in enumerate(names, start=1)
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
            f'xmlns:r="{_REL}"><sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        if shared is not None:
            rels += (
                f'<Relationship Id="rId{len(names) + 1}" Type="{_REL}/sharedStrings" '
                'Target="sharedStrings.xml"/>'
            )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">{rels}'
            "</Relationships>",
        )
        for i, n in enumerate(names, start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheets[n])
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return path


# --------------------------------------------------------------------------- memory


def far_cell(path: Path, ref: str = "XFD100000", *, dimension: bool = False) -> Path:
    """A decisions sheet with one more cell, far away (``XFD100000``: the last column, row
    100,000). A reader that makes the sheet one dense block allocates every cell between."""
    extra = f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c></row>'
    return xlsx(path, {"Decisions": decisions_xml(extra, f"A1:{ref}" if dimension else None)})


def far_cell_without_references(path: Path, columns: int = 20_000) -> Path:
    """The same far cell reached without naming it: ``columns`` empty cells with no ``r``
    attribute before one with a value (readers place such cells one after the other)."""
    extra = '<row r="4">' + "<c></c>" * columns + "<c><v>1</v></c></row>"
    return xlsx(path, {"Decisions": decisions_xml(extra)})


def far_population_cell(path: Path, ref: str = "XFD100000") -> Path:
    """A population table (council, population) with one far-away cell."""
    rows = [("Council", "Population"), ("Kent", "1589100")]
    body = "".join(
        f'<row r="{n}">'
        + "".join(
            f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for i, v in enumerate(r)
        )
        + "</row>"
        for n, r in enumerate(rows, start=1)
    )
    body += f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c></row>'
    return xlsx(path, {"Population": sheet_xml(body)})


def repeated_shared_string(path: Path, size: int = 1 << 20, cells: int = 2_000) -> Path:
    """One shared string of ``size`` characters referenced by ``cells`` cells of a category
    column: the file holds the text once, a reader that copies it per cell ``cells`` times."""
    shared = (
        f'<sst xmlns="{_MAIN}" count="{cells + 1}" uniqueCount="2"><si><t>Category</t></si>'
        f"<si><t>{'A' * size}</t></si></sst>"
    ).encode()
    head = _cells([HEADER])
    head = head.replace("</row>", '<c r="E1" t="s"><v>0</v></c></row>')
    rows = []
    for n in range(2, cells + 2):
        rows.append(
            f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>R{n}</t></is></c>'
            f'<c r="B{n}" t="inlineStr"><is><t>Kent</t></is></c>'
            f'<c r="C{n}" t="inlineStr"><is><t>2019-05-01</t></is></c>'
            f'<c r="D{n}" t="inlineStr"><is><t>Upheld</t></is></c>'
            f'<c r="E{n}" t="s"><v>1</v></c></row>'
        )
    return xlsx(path, {"Decisions": sheet_xml(head + "".join(rows))}, shared=shared)


def claimed_strings(path: Path, count: int = 4_000_000_000) -> Path:
    """A shared-strings part that claims ``count`` strings (readers reserve room for them)."""
    shared = f'<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}"><si><t>x</t></si></sst>'
    return xlsx(path, {"Decisions": decisions_xml()}, shared=shared.encode())


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand from already-deflated members (name, deflated bytes, CRC-32,
    inflated size): the same deflated stream can stand for many members at no cost."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, size in members:
        n = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size, len(n), 0
        )
        out += n + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(data),
            size,
            len(n),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += n
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + end))
    return path


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def many_large_sheets(path: Path, sheets: int = 120, each: int = 63 << 20) -> Path:
    """``sheets`` sheets of ``each`` bytes of XML (63 MiB: under a per-member limit of 64 MiB),
    every one the same deflated stream: a few MB of file that inflates to gigabytes."""
    small = Path(str(path) + ".tmp")
    xlsx(small, {f"S{i}": b"" for i in range(1, sheets + 1)})
    filler = b"<row/>" * ((each - 200) // 6)
    body = f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode() + filler
    body += b"</sheetData></worksheet>"
    sheet = _deflate(body)
    members = []
    with zipfile.ZipFile(small) as z:
        for info in z.infolist():
            if info.filename.startswith("xl/worksheets/"):
                members.append((info.filename, *sheet))
            else:
                members.append((info.filename, *_deflate(z.read(info.filename))))
    small.unlink()
    return _raw_zip(path, members)


def many_sheets_large_strings(path: Path, sheets: int = 200, strings: int = 4 << 20) -> Path:
    """``sheets`` tiny sheets sharing one shared-strings part of ``strings`` bytes: a reader
    made per sheet reads the shared strings once per sheet."""
    n = strings // 16
    shared = (
        f'<sst xmlns="{_MAIN}" count="{n}" uniqueCount="{n}">'
        + "".join(f"<si><t>s{i:011d}</t></si>" for i in range(n))
        + "</sst>"
    ).encode()
    return xlsx(path, {f"S{i}": decisions_xml() for i in range(1, sheets + 1)}, shared=shared)


def repeated_ods(path: Path, columns: int = 97, rows: int = 999_000) -> Path:
    """An OpenDocument sheet of one row of ``columns`` cells repeated ``rows`` times: under a
    kilobyte of file, a reader expands every repetition."""
    cell = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
    cell += "</table:table-cell>"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Decisions">'
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" '
        'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        "</table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    del cell
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(zipfile.ZipInfo("content.xml"), content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(
            zipfile.ZipInfo("META-INF/manifest.xml"),
            manifest,
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return path


def hidden_sheets(path: Path) -> Path:
    """Three decision sheets: one visible, one hidden, one very hidden."""
    third = ("19 000 003", "Leeds City Council", "2019-07-01", "Upheld")
    return xlsx(
        path,
        {
            "Visible": decisions_xml(),
            "Old": sheet_xml(_cells([HEADER, third])),
            "Secret": sheet_xml(
                _cells([HEADER, ("19 000 004", "Leeds City Council", "2019-08-01", "Upheld")])
            ),
        },
        states={"Old": "hidden", "Secret": "veryHidden"},
    )


# --------------------------------------------------------------------------- text files


def utf8_with_a_bad_byte(path: Path) -> Path:
    """A UTF-8 CSV ("King’s Lynn" with a curly apostrophe) with one byte that is not UTF-8 on
    line 3 (a cp1252 pound sign pasted in)."""
    text = (
        "Reference,Authority,Decision date,Outcome\n"
        "19 000 001,King’s Lynn and West Norfolk,01/05/2019,Upheld\n"
        "19 000 002,Kent County Council,02/05/2019,Not upheld\n"
    ).encode()
    lines = text.split(b"\n")
    lines[2] = lines[2].replace(b"Kent", b"Kent \xa3")
    path.write_bytes(b"\n".join(lines))
    return path


def long_field_csv(path: Path, size: int = 200_000) -> Path:
    """A CSV whose second row has a field of ``size`` characters (over the csv module's
    default limit of 131,072)."""
    path.write_text(
        f"Reference,Authority,Decision date,Outcome\n19 000 001,{'K' * size},01/05/2019,Upheld\n",
        encoding="utf-8",
    )
    return path


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        far_cell(folder / "far-cell.xlsx"),
        far_cell(folder / "far-cell-10000.xlsx", "XFD10000"),
        far_cell_without_references(folder / "far-cell-no-refs.xlsx"),
        far_population_cell(folder / "far-population.xlsx"),
        repeated_shared_string(folder / "repeated-shared-string.xlsx"),
        claimed_strings(folder / "claimed-strings.xlsx"),
        many_large_sheets(folder / "many-large-sheets.xlsx"),
        many_sheets_large_strings(folder / "many-sheets-large-strings.xlsx"),
        repeated_ods(folder / "repeated.ods"),
        hidden_sheets(folder / "hidden-sheets.xlsx"),
        utf8_with_a_bad_byte(folder / "utf8-bad-byte.csv"),
        long_field_csv(folder / "long-field.csv"),
    ]


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")):
        print(p, p.stat().st_size)
