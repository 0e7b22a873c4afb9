"""Reading decision spreadsheets into typed DataFrames.

Excel (``.xlsx``, ``.xlsm``, ``.xls``) and OpenDocument (``.ods``) workbooks are read with
fastexcel (calamine, in Rust, straight into Arrow), every cell as text, so that this module decides
what a value means and can name the row of any value it cannot read; only the date columns of a
large ``.xlsx`` sheet are read as dates (:mod:`.workbook`), and checked against the text of the
sheet's first rows. CSV files are read with
pandas' C parser (UTF-8, falling back to cp1252; ``,``, ``;`` or tab separated).

Each sheet is recognised by its headers, never by its name, as one of three kinds:

``decisions``
    one row per decision: reference, authority, decision date, outcome, optionally remedy by
    authority, category, received date, and compliance outcome and date recorded;
``compliance``
    one row per compliance outcome: reference, authority, date recorded, outcome;
``published``
    one row per authority (and year): counts of each outcome, remedies and compliance outcomes.

The result is a :class:`Dataset` of three DataFrames with fixed columns (see ``*_COLUMNS``).
Every frame carries ``source`` (file name, sheet) and ``row`` (the 1-based row in the sheet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..outcomes import COUNT_COLUMNS
from . import cells
from .dataset import Dataset
from .decisions import read_compliance, read_decisions
from .duplicates import check_duplicates
from .headers import HEADER_SEARCH_ROWS, duplicate_fields, match_headers
from .published import read_published, read_received
from .sheets import read_raw
from .workbook import WORKBOOK_SUFFIXES

# Names a CSV file may have: a file of any other name with no header row is not a spreadsheet.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".tab", "")


def sheet_kind(fields: Iterable[str]) -> str | None:
    """Which kind of table a set of recognised fields makes, or None."""
    f = set(fields)
    counts = f & set(COUNT_COLUMNS)
    if "decision_date" in f or ("reference" in f and "outcome" in f and "date_recorded" not in f):
        return "decisions"
    if "date_recorded" in f and ("outcome" in f or "compliance_outcome" in f):
        return "compliance"
    if "authority" in f and counts:
        return "published"
    return None


def hidden_note(label: str, state: str) -> str:
    """The note that a sheet the workbook hides was read like the others."""
    how = "very hidden (only a macro can show it)" if state == "veryhidden" else "hidden"
    return f"{label}: the sheet is {how} in the workbook; it was read like the others."


def read_file(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    year: str | None = None,
    today: dt.date | None = None,
) -> Dataset:
    """Read one file into a :class:`Dataset`; raise :class:`DataError` naming file, sheet, row and
    column for anything that cannot be read.

    Parameters
    ----------
    path : the spreadsheet or CSV.
    sheet : read only this sheet (default: every sheet; sheets with no recognisable header row
        are skipped, and a file with none is an error).
    mapping : field → header, overriding the alias table (``{"outcome": "Result"}``).
    year : the financial year of a published table that has no year column (``"2023-24"``).
    today : dates after this are errors (default: today).
    """
    raws = read_raw(path, sheet, mapping)
    ds = Dataset()
    parts: dict[str, list[pd.DataFrame]] = {
        "decisions": [],
        "compliance": [],
        "published": [],
        "received": [],
    }
    for raw in raws:
        if not raw.header:
            continue
        fields = match_headers(raw.header, mapping)
        kind = sheet_kind(fields)
        if kind is None:
            continue
        dups = duplicate_fields(raw.header, mapping)
        for fname, cols in dups.items():
            if fname in fields:
                names = " and ".join(repr(raw.header[c]) for c in cols)
                raise DataError(
                    f"{raw.label}: columns {names} both mean {fname!r}; rename one or use "
                    f"--map {fname}=HEADER"
                )
        frame = cells.without_blank_rows(raw.frame)
        rows = pd.Series(frame.index + raw.first_row, index=frame.index)
        loc = cells.Loc(raw, fields)
        if kind == "decisions":
            dec, comp = read_decisions(frame, rows, fields, loc, today)
            parts["decisions"].append(dec)
            if comp is not None:
                parts["compliance"].append(comp)
        elif kind == "compliance":
            parts["compliance"].append(read_compliance(frame, rows, fields, loc, today))
        else:
            pub = read_published(frame, rows, fields, loc, year)
            parts["published"].append(pub)
            parts["received"].append(read_received(frame, rows, fields, loc, pub))
        ds.sheets.append(raw.label)
        if raw.hidden:
            ds.notes.append(hidden_note(raw.label, raw.hidden))
    if not ds.sheets:
        labels = [r for r in raws if r.header]
        if not raws:
            raise DataError(f"{path}: no data: every sheet is empty")
        if not labels and Path(path).suffix.lower() not in (*WORKBOOK_SUFFIXES, *TEXT_SUFFIXES):
            raise DataError(
                f"{path}: not a spreadsheet (lgsco-stats reads .xlsx, .xls, .ods and .csv files "
                "of decisions, compliance outcomes or published tables)"
            )
        if not labels:
            raise DataError(
                f"{path}: no header row found (looked for column names such as Reference, "
                f"Authority, Decision date, Outcome in the first {HEADER_SEARCH_ROWS} rows of "
                "every sheet)",
                hint="name the columns with --map FIELD=HEADER, e.g. --map outcome=Result",
            )
        seen = "; ".join(
            f"{r.label}: {', '.join(str(h) for h in r.header if h)}" for r in labels[:3]
        )
        msg = (
            f"{path}: no sheet has the columns of decisions, compliance outcomes or a "
            "published table"
        )
        raise DataError(
            msg + (f" (headers found: {seen})" if seen else " (no header row found)"),
            hint="name the columns with --map FIELD=HEADER, e.g. --map outcome=Result",
        )
    if not any(len(f) for k, fs in parts.items() if k != "received" for f in fs):
        raise DataError(f"{'; '.join(ds.sheets)}: a header row but no data rows")
    if parts["decisions"]:
        ds.decisions = pd.concat(parts["decisions"], ignore_index=True)
    if parts["compliance"]:
        ds.compliance = pd.concat(parts["compliance"], ignore_index=True)
    if parts["published"]:
        ds.published = pd.concat(parts["published"], ignore_index=True)
    if any(len(f) for f in parts["received"]):
        ds.received = pd.concat(parts["received"], ignore_index=True)
    check_duplicates(ds)
    return ds


def read_files(
    paths: Sequence[str | Path],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    year: str | None = None,
    today: dt.date | None = None,
) -> Dataset:
    """Read several files into one :class:`Dataset`, checking duplicates across them."""
    sets = [read_file(p, sheet=sheet, mapping=mapping, year=year, today=today) for p in paths]
    if len(sets) == 1:
        return sets[0]
    ds = Dataset(
        decisions=pd.concat([s.decisions for s in sets], ignore_index=True),
        compliance=pd.concat([s.compliance for s in sets], ignore_index=True),
        published=pd.concat([s.published for s in sets], ignore_index=True),
        sheets=[x for s in sets for x in s.sheets],
        notes=[x for s in sets for x in s.notes],
        received=pd.concat([s.received for s in sets], ignore_index=True),
    )
    check_duplicates(ds)
    return ds
