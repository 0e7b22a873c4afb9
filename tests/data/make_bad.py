"""Make the corpus of broken and awkward inputs in ``tests/data/bad/``.

    python tests/data/make_bad.py            # rewrite tests/data/bad/ (small files, committed)

Two inputs are too large to commit and are made by the tests themselves with the functions here:
a sheet of 1,000,000 rows (:func:`million_rows`) and an xlsx "zip bomb" whose sheet XML expands
to gigabytes (:func:`zip_bomb`). The password-protected workbook needs ``msoffcrypto-tool`` to be
regenerated (the committed copy is used otherwise).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import openpyxl

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a script: the repository, for tests.data.books
    sys.path.insert(0, str(HERE.parents[1]))
from tests.data.books import write_xlsx  # noqa: E402

BAD = HERE / "bad"

HEADER = ("Reference", "Authority", "Decision date", "Outcome")
GOOD_ROWS = [
    ("19 000 001", "Kent County Council", dt.datetime(2019, 5, 1), "Upheld"),
    ("19 000 002", "Kent County Council", dt.datetime(2019, 6, 1), "Not upheld"),
    ("19 000 003", "Leeds City Council", dt.datetime(2019, 7, 1), "Upheld"),
]
COUNT_HEADER = ("Authority", "Year", "Upheld", "Not upheld")


# --------------------------------------------------------------------------- raw xlsx writing


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(ref: str, v: Any) -> str:
    if isinstance(v, tuple):  # (formula, cached value)
        formula, cached = v
        if isinstance(cached, str):
            return f'<c r="{ref}" t="str"><f>{escape(formula)}</f><v>{escape(cached)}</v></c>'
        return f'<c r="{ref}"><f>{escape(formula)}</f><v>{cached}</v></c>'
    if isinstance(v, int | float):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'


def _rows_xml(rows: Iterable[Sequence[Any]]) -> Iterable[bytes]:
    for n, row in enumerate(rows, start=1):
        cells = "".join(_cell(f"{_col(i)}{n}", v) for i, v in enumerate(row) if v is not None)
        yield f'<row r="{n}">{cells}</row>'.encode()


def raw_xlsx(path: Path, rows: Iterable[Sequence[Any]], *, external_link: bool = False) -> Path:
    """A minimal workbook written as XML by hand: fast for big sheets, and able to hold what
    openpyxl cannot write (formulas with cached values, external links)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = (
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{ct}.worksheet+xml"/>'
        )
        if external_link:
            overrides += (
                f'<Override PartName="/xl/externalLinks/externalLink1.xml" '
                f'ContentType="{ct}.externalLink+xml"/>'
            )
        z.writestr(
            "[Content_Types].xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                'package/2006/content-types"><Default Extension="rels" ContentType="application/'
                'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                f'ContentType="application/xml"/>{overrides}</Types>'
            ),
        )
        z.writestr(
            "_rels/.rels",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
        )
        ext = (
            '<externalReferences><externalReference r:id="rId2"/></externalReferences>'
            if external_link
            else ""
        )
        z.writestr(
            "xl/workbook.xml",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rns}><sheets>'
                f'<sheet name="Decisions" sheetId="1" r:id="rId1"/></sheets>{ext}</workbook>'
            ),
        )
        ext_rel = (
            (
                f'<Relationship Id="rId2" Type="{rel}/externalLink" '
                'Target="externalLinks/externalLink1.xml"/>'
            )
            if external_link
            else ""
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                f"{ext_rel}</Relationships>"
            ),
        )
        if external_link:
            z.writestr(
                "xl/externalLinks/externalLink1.xml",
                (
                    f'<?xml version="1.0" encoding="UTF-8"?><externalLink {ns} {rns}>'
                    '<externalBook r:id="rId1"><sheetNames><sheetName val="Data"/></sheetNames>'
                    "</externalBook></externalLink>"
                ),
            )
            z.writestr(
                "xl/externalLinks/_rels/externalLink1.xml.rels",
                (
                    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                    f'<Relationship Id="rId1" Type="{rel}/externalLinkPath" '
                    'Target="http://198.51.100.7/remote.xlsx" TargetMode="External"/>'
                    "</Relationships>"
                ),
            )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'.encode())
            buf = io.BytesIO()
            for chunk in _rows_xml(rows):
                buf.write(chunk)
                if buf.tell() > 1 << 20:
                    f.write(buf.getvalue())
                    buf = io.BytesIO()
            f.write(buf.getvalue())
            f.write(b"</sheetData></worksheet>")
    return path


def million_rows(path: Path, n: int = 1_000_000) -> Path:
    """One sheet of ``n`` decisions (Excel's limit is 1,048,576 rows)."""
    councils = [
        "Kent County Council",
        "Leeds City Council",
        "Southampton City Council",
        "Cornwall Council",
        "Adur District Council",
    ]
    outcomes = [
        "Upheld",
        "Not upheld",
        "Closed after initial enquiries",
        "Referred back for local resolution",
    ]

    def rows() -> Iterable[Sequence[Any]]:
        yield HEADER
        for i in range(n):
            # dates as Excel serial numbers (as many real exports hold them): 43556 = 1 Apr 2019
            yield (f"R{i:07d}", councils[i % 5], 43556 + (i % 365), outcomes[(i // 5) % 4])

    return raw_xlsx(path, rows())


def zip_bomb(path: Path, expanded_bytes: int = 5 << 30) -> Path:
    """A valid-looking xlsx whose sheet XML inflates to ``expanded_bytes`` (default 5 GiB) from a
    few megabytes: an endless run of one empty row repeated."""
    filler = b"<row/>" * (1 << 18)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    raw_xlsx(path, [HEADER])
    # Rewrite the sheet with the bomb (zlib's best ratio on repeated bytes is about 1000:1).
    tmp = path.with_suffix(".tmp")
    with (
        zipfile.ZipFile(path) as src,
        zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(f"<worksheet {ns}><sheetData>".encode())
            written = 0
            while written < expanded_bytes:
                f.write(filler)
                written += len(filler)
            f.write(b"</sheetData></worksheet>")
    tmp.replace(path)
    return path


# --------------------------------------------------------------------------- the corpus


def make(out: Path = BAD) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []

    def add(p: Path) -> None:
        made.append(p)

    (out / "empty.xlsx").write_bytes(b"")
    add(out / "empty.xlsx")
    (out / "not-a-spreadsheet.xlsx").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    add(out / "not-a-spreadsheet.xlsx")
    good = write_xlsx(out / "_good.xlsx", {"Decisions": [HEADER, *GOOD_ROWS]})
    data = good.read_bytes()
    (out / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    good.unlink()
    add(out / "truncated.xlsx")
    add(write_xlsx(out / "all-sheets-empty.xlsx", {"One": [], "Two": []}))
    add(write_xlsx(out / "header-only.xlsx", {"Decisions": [HEADER]}))
    add(
        write_xlsx(
            out / "header-not-first-row.xlsx",
            {
                "Decisions": [
                    ("Decisions about councils, 2019-20",),
                    (),
                    ("Exported 2020-04-02",),
                    HEADER,
                    *GOOD_ROWS,
                ]
            },
        )
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Decisions"
    ws.append(["Decisions 2019-20", None, None, None])
    ws.merge_cells("A1:D1")  # a merged title over the header
    ws.append(list(HEADER))
    for r in GOOD_ROWS:
        ws.append(list(r))
    ws.append(["19 000 004", "Leeds City Council", dt.datetime(2019, 8, 1), "Not upheld"])
    ws.merge_cells("B5:B5")
    wb.save(out / "merged-header.xlsx")
    add(out / "merged-header.xlsx")
    add(
        write_xlsx(
            out / "duplicate-headers.xlsx",
            {"Decisions": [(*HEADER, "Outcome"), *[(*r, "Upheld") for r in GOOD_ROWS]]},
        )
    )
    add(
        write_xlsx(
            out / "missing-column.xlsx",
            {
                "Decisions": [
                    ("Reference", "Authority", "Outcome"),
                    *[(r[0], r[1], r[3]) for r in GOOD_ROWS],
                ]
            },
        )
    )
    add(
        write_xlsx(
            out / "required-columns-blank.xlsx",
            {"Decisions": [HEADER, (None, None, None, None, "x"), (None, None, None, None, "y")]},
        )
    )
    add(
        write_xlsx(
            out / "unknown-outcomes.xlsx",
            {
                "Decisions": [
                    HEADER,
                    *GOOD_ROWS,
                    ("19 000 009", "Kent", dt.datetime(2019, 5, 1), "Withdrawn"),
                    ("19 000 010", "Kent", dt.datetime(2019, 5, 1), "Premature"),
                ]
            },
        )
    )
    add(
        write_xlsx(
            out / "future-dates.xlsx",
            {
                "Decisions": [
                    HEADER,
                    *GOOD_ROWS,
                    ("19 000 011", "Kent", dt.datetime(2199, 5, 1), "Upheld"),
                ]
            },
        )
    )
    add(
        write_xlsx(
            out / "dates-before-2000.xlsx",
            {
                "Decisions": [
                    HEADER,
                    *GOOD_ROWS,
                    ("19 000 012", "Kent", dt.datetime(1998, 5, 1), "Upheld"),
                ]
            },
        )
    )
    add(
        write_xlsx(
            out / "text-in-counts.xlsx",
            {
                "Table": [
                    COUNT_HEADER,
                    ("Kent", "2022-23", 53, 8),
                    ("Leeds", "2022-23", "thirty", 17),
                ]
            },
        )
    )
    add(
        write_xlsx(
            out / "negative-counts.xlsx", {"Table": [COUNT_HEADER, ("Kent", "2022-23", 53, -8)]}
        )
    )
    add(
        write_xlsx(
            out / "decimal-counts.xlsx", {"Table": [COUNT_HEADER, ("Kent", "2022-23", 53.5, 8)]}
        )
    )
    add(
        write_xlsx(
            out / "authority-year-twice.xlsx",
            {
                "Table": [
                    COUNT_HEADER,
                    ("Kent", "2022-23", 53, 8),
                    ("Kent County Council", "2022-23", 50, 8),
                ]
            },
        )
    )
    add(
        write_xlsx(
            out / "same-reference-different-contents.xlsx",
            {
                "Decisions": [
                    HEADER,
                    *GOOD_ROWS,
                    (GOOD_ROWS[0][0], "Kent County Council", dt.datetime(2019, 5, 1), "Not upheld"),
                ]
            },
        )
    )
    (out / "garbage.csv").write_bytes(bytes(range(256)) * 8)
    add(out / "garbage.csv")
    text = (
        "Reference,Authority,Decision date,Outcome\n"
        "19 000 001,King’s Lynn and West Norfolk,01/05/2019,Upheld\n"
        "19 000 002,Kent County Council,02/05/2019,Not upheld\n"
    )
    (out / "cp1252.csv").write_bytes(text.encode("cp1252"))
    add(out / "cp1252.csv")
    (out / "bom.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    add(out / "bom.csv")
    (out / "semicolons.csv").write_bytes(text.replace(",", ";").encode("utf-8"))
    add(out / "semicolons.csv")
    add(
        raw_xlsx(
            out / "formulas-and-links.xlsx",
            [
                HEADER,
                (
                    "19 000 001",
                    ('=HYPERLINK("http://198.51.100.7/x","Kent")', "Kent County Council"),
                    43586,
                    "Upheld",
                ),
                (
                    "19 000 002",
                    "Kent County Council",
                    ("=DATE(2019,5,2)", 43587),
                    ("=[1]Data!A1", "Not upheld"),
                ),
            ],
            external_link=True,
        )
    )
    protected = out / "password-protected.xlsx"
    try:
        import msoffcrypto  # type: ignore[import-untyped]
        from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-untyped]
    except ImportError:
        if not protected.exists():
            print("msoffcrypto-tool is needed to make password-protected.xlsx", file=sys.stderr)
    else:
        del msoffcrypto
        plain = io.BytesIO()
        wb = openpyxl.Workbook()
        wb.active.append(list(HEADER))
        wb.save(plain)
        plain.seek(0)
        with open(protected, "wb") as f:
            OOXMLFile(plain).encrypt("secret", f)
    add(protected)
    return made


if __name__ == "__main__":
    for p in make():
        print(p.relative_to(HERE.parent.parent), p.stat().st_size)
