"""Make the corpus of tables laid out the way people really lay them out, in ``tests/data/real/``.

    python tests/data/make_real.py            # rewrite tests/data/real/ (small files, committed)

Each file is built the way its author would type it, from the domain notes and the issue, not
from what the reader already handles: the Ombudsman's own per-authority table (title rows, a
merged group heading, an England total, a Source: line), a council officer's case workbook (a
compliance sheet headed ``reference, authority, recorded, outcome``), a journalist's CSV in the
2024-25 vocabulary, a workbook with a sheet per year and counts typed as text, a table of rates
without counts, and files whose figures must be refused. The expected figures, worked by hand,
are in ``tests/test_real_tables.py`` beside each check.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # run as a script: the repository, for tests.data.books
    sys.path.insert(0, str(HERE.parents[1]))
from tests.data.books import write_xlsx  # noqa: E402

REAL = HERE / "real"


def _csv(path: Path, lines: Sequence[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ombudsman_table(path: Path) -> Path:
    """The Ombudsman's per-authority table for 2023-24 as its spreadsheet lays it out: two
    title rows, a merged group heading over the outcome columns, an uphold rate and a total,
    councils spelt the Ombudsman's way, an England row, a blank row and two footnotes."""
    header = (
        "Authority",
        "Advice given",
        "Closed after initial enquiries",
        "Incomplete/Invalid",
        "Referred back for local resolution",
        "Not upheld",
        "Upheld",
        "Uphold rate (%)",
        "Total",
    )
    rows = [
        ("Local Government and Social Care Ombudsman",),
        ("Decisions made 2023-24",),
        (),
        (None, "Not investigated", None, None, None, "Investigated", None, None, None),
        header,
        ("Kent County Council", 2, 80, 10, 40, 10, 76, 88, 218),
        ("London Borough of Croydon", 3, 60, 8, 30, 5, 43, 90, 149),
        ("Leeds City Council", 1, 50, 5, 25, 17, 37, 69, 135),
        ("City Of Bradford Metropolitan District Council", 0, 40, 6, 20, 12, 30, 71, 108),
        ("Wakefield City Council", 1, 20, 2, 10, 4, 10, 71, 47),
        ("Trafford Council", 0, 10, 1, 5, 3, 2, 40, 21),
        ("England", 7, 260, 32, 130, 51, 198, 80, 678),
        (),
        ("Source: LGSCO annual review data 2023-24.",),
        ("Note: the uphold rate is upheld decisions as a share of detailed investigations.",),
    ]
    return write_xlsx(path, {"Table 1": rows}, {"Table 1": ["B4:E4", "F4:G4"]})


def council_casework(path: Path) -> Path:
    """A council officer's own workbook of the Ombudsman's decisions about the council: a
    title, the header as the officer named it, a footnote; compliance on a sheet of its own
    headed ``reference, authority, recorded, outcome``."""
    d = dt.datetime
    decisions = [
        ("Ombudsman decisions about the council, 2022-23 and 2023-24",),
        (),
        (
            "Our ref",
            "Council",
            "Date decided",
            "Decision",
            "Remedy provided by authority (Y/N)",
            "Service area",
        ),
        *(
            (ref, "Southampton City Council", day, decision, remedy, area)
            for ref, day, decision, remedy, area in (
                ("22 001 101", d(2022, 5, 4), "Upheld", "Y", "Adult social care"),
                ("22 001 102", d(2022, 7, 12), "Upheld", "N", "Housing"),
                (
                    "22 001 103",
                    d(2022, 9, 1),
                    "Upheld: fault and injustice",
                    "N",
                    "Environmental services, public protection and regulation",
                ),
                ("22 001 104", d(2022, 11, 30), "Not upheld", None, "Housing"),
                (
                    "22 001 105",
                    d(2023, 2, 14),
                    "Not Upheld: no fault",
                    "",
                    "Education & children's services",
                ),  # fmt: skip
                (
                    "22 001 106",
                    d(2023, 3, 31),
                    "Closed after initial enquiries - out of jurisdiction",
                    None,
                    "Planning and development",
                ),
                ("23 002 201", d(2023, 4, 1), "Upheld", "N", "Adult care services"),
                ("23 002 202", "15/06/2023", "Upheld", "no", "Housing"),
                ("23 002 203", d(2023, 10, 2), "Not upheld", None, "Housing"),
                (
                    "23 002 204",
                    d(2024, 1, 9),
                    "Referred back for local resolution",
                    None,
                    "Benefits and tax",
                ),  # fmt: skip
            )
        ),
        (),
        ("Source: LGSCO decision notices received by the complaints team",),
    ]
    compliance = [
        ("reference", "authority", "recorded", "outcome"),
        ("22 001 101", "Southampton City Council", d(2022, 8, 1), "Complied"),
        ("22 001 102", "Southampton City Council", d(2022, 10, 3), "Complied late"),
        ("22 001 103", "Southampton City Council", d(2023, 1, 20), "Not complied"),
        ("23 002 201", "Southampton City Council", d(2023, 6, 5), "Complied"),
        ("23 002 202", "Southampton City Council", d(2023, 9, 18), "Complied"),
    ]
    return write_xlsx(path, {"Decisions": decisions, "Compliance": compliance})


def journalist_2024_25(path: Path) -> Path:
    """A journalist's CSV re-typed from the Ombudsman's 2024-25 council pages: a title line,
    the 2024-25 vocabulary (no Not upheld column), compliance as a percentage "based on N
    compliance outcomes", an n/a and a Total line."""
    return _csv(
        path,
        [
            "Ombudsman complaints 2024-25 (from the council pages),,,,,,,,",
            "Council,Complaints dealt with,Not for us,Assessed and closed,Investigated,Upheld,"
            "Satisfactory remedy provided by council,Compliance with Ombudsman recommendations (%),"
            "Compliance outcomes",
            "Cornwall Council,120,40,24,56,49,5,100%,30",
            "Kent County Council,300,100,80,120,100,7,99%,80",
            "Birmingham City Council,500,200,150,150,115,20,n/a,",
            "Total,920,340,254,326,264,32,,110",
        ],
    )


def sheet_per_year(path: Path) -> Path:
    """A workbook with a sheet per year (named ``2022-23`` and ``FY 23-24``: Excel allows no
    ``/`` in a sheet name), counts typed as text with stray spaces, ``n/a``, ``-`` and ``–``,
    Complied and Not complied with no Complied late column, a Total row on each sheet (the
    second's does not add up) and a sheet of notes."""
    first = [
        ("Authority", "Upheld", "Not upheld", "Complied", "Not complied"),
        ("Southampton", "12", "8", "11", "1"),
        ("Portsmouth", "9", "n/a", "5", "0"),
        ("Total", "21", "8", "16", "1"),
    ]
    second = [
        ("Authority", "Upheld", "Not upheld", "Complied", "Not complied"),
        ("Southampton City Council", " 15 ", "5", "-", "–"),
        ("Portsmouth City Council", "10", "10", "4", "1"),
        ("Total", "26", "15", "4", "1"),
    ]
    notes = [("Figures typed from the council's committee report of July 2024.",)]
    return write_xlsx(path, {"2022-23": first, "FY 23-24": second, "Notes": notes})


def rates_only(path: Path) -> Path:
    """Published rates without the counts behind them (the number of investigations beside the
    uphold rate for two councils), three county councils in 2023-24."""
    rows = [
        (
            "Council",
            "Year",
            "Uphold rate",
            "Investigations",
            "Satisfactory remedy rate",
            "Compliance rate",
        ),
        ("Kent County Council", "2023-24", "85%", 120, "7%", "100%"),
        ("Surrey County Council", "2023-24", "80%", 100, "10%", "99%"),
        ("Hampshire County Council", "2023-24", "75%", None, "5%", "100%"),
    ]
    return write_xlsx(path, {"Rates": rows})


def rates_as_fractions(path: Path) -> Path:
    """Rates in Excel percent cells (stored as fractions of one, shown as 85%)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rates 2023-24"
    ws.append(["Council", "Uphold rate", "Compliance rate"])
    for name, uphold, comp in (("Kent", 0.85, 1), ("Surrey", 0.8, 0.99)):
        ws.append([name, uphold, comp])
        for c in ws[ws.max_row][1:]:
            c.number_format = "0%"
    wb.save(path)
    return path


def compliance_shapes(path: Path) -> Path:
    """Each set of columns that determines a compliance rate, a sheet each (Kent 2023-24: 20
    outcomes, 19 complied of which 2 late, 1 not complied)."""
    head = ("Authority", "Year")
    return write_xlsx(
        path,
        {
            "three columns": [
                (*head, "Complied", "Complied late", "Not complied"),
                ("Kent", "2023-24", 17, 2, 1),
            ],
            "outcomes and complied": [
                (*head, "Compliance outcomes", "Complied"),
                ("Kent", "2024-25", 20, 19),
            ],
            "outcomes and not complied": [
                (*head, "Number of compliance outcomes", "Not complied"),
                ("Kent", "2022-23", 20, 1),
            ],
            "complied and not complied": [
                (*head, "Complied", "Not complied"),
                ("Kent", "2021-22", 19, 1),
            ],
        },
    )


def merged_no_and_percent(path: Path) -> Path:
    """A committee report's table: "Upheld" and "Not upheld" merged over "No." and "%"."""
    rows = [
        ("Complaints decided by the Ombudsman 2023-24",),
        (None, "Upheld", None, "Not upheld", None),
        ("Council", "No.", "%", "No.", "%"),
        ("Leeds City Council", 37, "69%", 17, "31%"),
        ("Kirklees Metropolitan Borough Council", 20, "80%", 5, "20%"),
    ]
    return write_xlsx(path, {"Sheet1": rows}, {"Sheet1": ["B2:C2", "D2:E2"]})


def broken_counts(path: Path) -> Path:
    """Counts that must be refused, every one in one run: ``1,5`` and ``1,2,3`` (not
    thousands), a remedy count above the upheld count, upheld above investigated,
    Investigated that is not Upheld + Not upheld (Dorset), 5×10¹⁸, a negative and a fractional
    count, and words."""
    rows = [
        ("Authority", "Year", "Investigated", "Upheld", "Not upheld", "Remedied by authority"),
        ("Kent", "2023-24", "1,5", 10, 5, 1),
        ("Leeds", "2023-24", 20, "1,2,3", 5, 2),
        ("Surrey", "2023-24", 12, 5, 7, 10),
        ("Essex", "2023-24", 10, 12, None, 0),
        ("Devon", "2023-24", 10, 6, 5, 0),
        ("Norfolk", "2023-24", 5000000000000000000, 3, 2, 0),
        ("Suffolk", "2023-24", 10, -3, 13, 0),
        ("Cumbria", "2023-24", 10, 4.5, 5.5, 0),
        ("Lancashire", "2023-24", "ten", 4, 6, 0),
        ("Dorset", "2023-24", 20, 10, 5, 0),
    ]
    return write_xlsx(path, {"Table": rows})


def excel_errors(path: Path) -> Path:
    """Excel error cells in counts: ``#N/A`` from a failed lookup, ``#DIV/0!``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2023-24"
    ws.append(["Authority", "Upheld", "Not upheld"])
    ws.append(["Kent", 10, 5])
    ws.append(["Leeds", None, 4])
    ws.append(["Surrey", 8, None])
    for ref, text in (("B3", "#N/A"), ("C4", "#DIV/0!")):
        ws[ref].value = text
        ws[ref].data_type = "e"
    wb.save(path)
    return path


def other_digits(path: Path) -> Path:
    """Counts in Arabic-Indic and full-width digits (pasted from another system)."""
    return _csv(
        path,
        [
            "Authority,Year,Upheld,Not upheld",
            "Kent,2023-24,١٢,٨",
            "Leeds,2023-24,１２,４",
        ],
    )


def misspelt_names(path: Path) -> Path:
    """A case list naming a council as nobody else does, and one misspelt."""
    return _csv(
        path,
        [
            "Reference,Authority,Decision date,Outcome",
            "19 001 001,Southhampton,01/06/2019,Upheld",
            "19 001 002,Southhampton,02/06/2019,Not upheld",
            "19 001 003,Soton CC,03/06/2019,Upheld",
        ],
    )


def our_names(path: Path) -> Path:
    """The aliases a council officer keeps for the names in that case list."""
    return _csv(
        path, ["name,council", "Southhampton,Southampton City Council", "Soton CC,E06000045"]
    )


def officer_workbook(path: Path) -> Path:
    """A council officer's own tracker, typed by hand: a bold title from column B, the table
    from column B, compliance in columns beside each decision, dates typed as text, an officer's
    notes column, a "Total cases" line, and a summary sheet named "Summary 2023-24"."""
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "LGSCO cases"
    ws["B1"] = "Portsmouth City Council – Ombudsman cases"
    ws["B1"].font = Font(bold=True, size=14)
    ws["B2"] = "Prepared by the Corporate Complaints Team"
    header = (
        "Case number",
        "Organisation",
        "Date of decision",
        "Final decision",
        "Satisfactory remedy?",
        "Service",
        "Compliance",
        "Date compliance recorded",
        "Officer notes",
    )
    rows = [
        ("23 004 511", "Portsmouth City Council", "12/05/2023",
         "Upheld: maladministration and injustice", "Yes", "Housing", "Complied", "01/08/2023",
         "apology sent"),
        ("23 004 620", "Portsmouth CC", "30/06/2023", "Not upheld: no maladministration", None,
         "Planning", None, None, None),
        ("23 005 001", "Portsmouth City Council", "14/09/2023", "Upheld", None,
         "Adult social care", "Complied late", "20/12/2023", "late - staff sickness"),
        ("23 006 777", "PORTSMOUTH CITY COUNCIL", "02/02/2024", "Closed after initial enquiries",
         None, "Highways", None, None, None),
        ("23 007 123", "Portsmouth City Council", "28/03/2024", "Upheld", "No", "Housing",
         "Not complied", "15/06/2024", "disputed"),
    ]  # fmt: skip
    for i, row in enumerate([header, *rows]):
        for j, v in enumerate(row):
            cell = ws.cell(row=4 + i, column=2 + j, value=v)
            cell.font = Font(bold=i == 0)
    ws.cell(row=11, column=2, value="Total cases: 5")
    summary = wb.create_sheet("Summary 2023-24")
    for r in (
        ("Council", "Upheld", "Not upheld", "Uphold rate (%)"),
        ("Portsmouth City Council", 3, 1, 75),
        ("Total", 3, 1, 75),
    ):
        summary.append(list(r))
    wb.save(path)
    return path


MAKERS = {
    "lgsco-2023-24-table.xlsx": ombudsman_table,
    "council-casework.xlsx": council_casework,
    "officer-workbook.xlsx": officer_workbook,
    "journalist-2024-25.csv": journalist_2024_25,
    "sheet-per-year.xlsx": sheet_per_year,
    "rates-only.xlsx": rates_only,
    "rates-as-fractions.xlsx": rates_as_fractions,
    "compliance-shapes.xlsx": compliance_shapes,
    "merged-no-and-percent.xlsx": merged_no_and_percent,
    "broken-counts.xlsx": broken_counts,
    "excel-errors.xlsx": excel_errors,
    "other-digits.csv": other_digits,
    "misspelt-names.csv": misspelt_names,
    "our-names.csv": our_names,
}


def make(out: Path = REAL) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    return [maker(out / name) for name, maker in MAKERS.items()]


if __name__ == "__main__":
    for p in make(Path(sys.argv[1]) if len(sys.argv) > 1 else REAL):
        print(p)
