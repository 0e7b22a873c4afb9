"""Reading decision spreadsheets into typed DataFrames.

Excel (``.xlsx``, ``.xlsm``, ``.xls``) and OpenDocument (``.ods``) workbooks are read with
fastexcel (calamine, in Rust, straight into Arrow), every cell as text, so that this module decides
what a value means and can name the row of any value it cannot read; only the date columns of a
large ``.xlsx`` sheet are read as dates (:mod:`.workbook`), and checked against the text of the
sheet's first rows. CSV files are read with pandas' C parser (UTF-8, falling back to cp1252;
``,``, ``;`` or tab separated).

Each sheet is recognised by its headers and its values, never by its name, as one of three
kinds (:mod:`.kinds`): decisions, compliance outcomes or a published table. A workbook may hold
all three. Every problem of every file is gathered (:mod:`.problems`) and raised at the end as
one error; warnings and notes come back with the :class:`Dataset`.

The result is a :class:`Dataset` of three DataFrames with fixed columns (see ``*_COLUMNS``).
Every frame carries ``source`` (file name, sheet) and ``row`` (the 1-based row in the sheet).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from ..councils import Register, register
from ..errors import DataError
from . import cells
from .dataset import Dataset
from .decisions import read_compliance, read_decisions
from .duplicates import check_duplicates
from .headers import HEADER_SEARCH_ROWS, duplicate_fields, header_key, match_headers
from .kinds import sheet_kind
from .layout import year_of_sheet
from .problems import Problems
from .published import read_published
from .report import SheetReport, rates_of, set_columns, sheet_report
from .sheets import NOT_A_SPREADSHEET, TEXT_SUFFIXES, RawSheet, read_raw
from .workbook import WORKBOOK_SUFFIXES


class _Parts:
    """The frames read so far, by kind."""

    def __init__(self) -> None:
        self.frames: dict[str, list[pd.DataFrame]] = {
            k: [] for k in ("decisions", "compliance", "published", "received")
        }

    def add(self, kind: str, frame: pd.DataFrame | None) -> None:
        if frame is not None:
            self.frames[kind].append(frame)

    def into(self, ds: Dataset) -> None:
        for kind, frames in self.frames.items():
            if any(len(f) for f in frames) or (frames and kind != "received"):
                setattr(ds, kind, pd.concat(frames, ignore_index=True))

    @property
    def rows(self) -> int:
        return sum(len(f) for k, fs in self.frames.items() if k != "received" for f in fs)


def _read_sheet(
    raw: RawSheet,
    parts: _Parts,
    problems: Problems,
    mapping: Mapping[str, str] | None,
    year: str | None,
    today: dt.date | None,
    reg: Register,
) -> SheetReport:
    report = sheet_report(raw, dict(mapping or {}))
    if not raw.header:
        return report
    fields = match_headers(raw.header, mapping, raw.group)
    frame = cells.without_blank_rows(raw.frame)
    rows = pd.Series(frame.index + raw.first_row, index=frame.index)
    loc = cells.Loc(raw, fields, problems, frame)
    kind = sheet_kind(fields, loc.distinct("outcome") if "outcome" in fields else None)
    report.kind, report.why = kind.kind, kind.why
    if kind.kind is None:
        report.why = "not decisions, compliance outcomes or a published table"
        return report
    fields = kind.fields
    loc = loc.with_fields(fields)
    for fname, cols in duplicate_fields(raw.header, mapping, raw.group).items():
        if fname in fields:
            names = " and ".join(repr(raw.header[c]) for c in cols)
            raise DataError(
                f"{raw.label}: columns {names} both mean {fname!r}; rename one or use "
                f"--map {fname}=HEADER"
            )
    if kind.kind == "decisions":
        dec, comp, report.skipped = read_decisions(frame, rows, loc, today)
        parts.add("decisions", dec)
        parts.add("compliance", comp)
        report.rows_read = len(dec)
        report.year_source = "the decision dates"
        report.years = _years(dec)
        if comp is not None:
            report.year_source += " (compliance outcomes: the dates recorded)"
    elif kind.kind == "compliance":
        comp, report.skipped = read_compliance(frame, rows, loc, today)
        parts.add("compliance", comp)
        report.rows_read = len(comp)
        report.year_source = "the dates recorded"
        report.years = _years(comp)
    else:
        above_first = raw.header_row - len(raw.above)
        sheet_year = year_of_sheet(raw.sheet, raw.above, above_first)
        pub, received, info = read_published(frame, rows, fields, loc, year, sheet_year, reg)
        fields = loc.fields
        parts.add("published", pub)
        parts.add("received", received)
        report.rows_read, report.skipped, report.year_source = (
            info.rows,
            info.skipped,
            info.year_source,
        )
        report.years = _years(pub)
    set_columns(report, raw, fields)
    report.rates = rates_of(kind.kind, set(fields))
    return report


def _years(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["year"].dropna().value_counts()
    return {str(y): int(n) for y, n in sorted(counts.items())}


def _read_one(
    path: str | Path,
    ds: Dataset,
    parts: _Parts,
    problems: Problems,
    *,
    sheet: str | None,
    mapping: Mapping[str, str] | None,
    year: str | None,
    today: dt.date | None,
    reg: Register,
) -> list[RawSheet]:
    """Read one file into ``parts``, its problems into ``problems``; its sheets."""
    try:
        raws = read_raw(path, sheet, mapping)
    except DataError as e:
        problems.add("error", e.message, file=str(path), placed=True)
        return []
    before = parts.rows
    read: list[str] = []
    for raw in raws:
        try:
            report = _read_sheet(raw, parts, problems, mapping, year, today, reg)
        except DataError as e:  # a problem that stops the reading of this sheet
            problems.add("error", e.message, file=raw.file, sheet=raw.sheet, placed=True)
            report = SheetReport(raw.file, raw.sheet, why=e.message)
        ds.reports.append(report)
        if report.kind is not None:
            read.append(raw.label)
            if raw.hidden:
                ds.notes.append(hidden_note(raw.label, raw.hidden))
    ds.sheets += read
    if not raws:
        problems.error(f"{path}: no data: every sheet is empty")
    elif not read and not problems.errors:
        with_header = [r for r in raws if r.header]
        if not with_header and Path(path).suffix.lower() not in (
            *WORKBOOK_SUFFIXES,
            *TEXT_SUFFIXES,
        ):
            problems.error(f"{path}: {NOT_A_SPREADSHEET}")
        elif not with_header:
            problems.error(
                f"{path}: no header row found (looked for column names such as Reference, "
                f"Authority, Decision date, Outcome in the first {HEADER_SEARCH_ROWS} rows of "
                "every sheet)"
            )
        else:
            seen = "; ".join(
                f"{r.label}: {', '.join(str(h) for h in r.header if h)}" for r in with_header[:3]
            )
            problems.error(
                f"{path}: no sheet has the columns of decisions, compliance outcomes or a "
                f"published table (headers found: {seen})"
            )
    elif read and parts.rows == before and not problems.errors:
        problems.error(f"{'; '.join(read)}: a header row but no data rows")
    return raws


def _check_mapping(mapping: Mapping[str, str] | None, raws: Sequence[RawSheet]) -> list[str]:
    """The ``--map`` headers that no sheet has, each with the headers the sheets do have."""
    if not mapping:
        return []
    headers: list[str] = []
    keys: set[str] = set()
    for raw in raws:
        for h in raw.header:
            if h is not None and str(h).strip():
                keys.add(header_key(h))
                if str(h).strip() not in headers:
                    headers.append(str(h).strip())
    shown = ", ".join(repr(h) for h in headers[:30]) + (" …" if len(headers) > 30 else "")
    return [
        f"--map {f}={h!r}: no column is headed {h!r}; the headers are: {shown or 'none found'}"
        for f, h in mapping.items()
        if header_key(h) not in keys
    ]


def inspect_files(
    paths: Sequence[str | Path],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    year: str | None = None,
    today: dt.date | None = None,
    reg: Register | None = None,
) -> tuple[Dataset, Problems]:
    """Read files as :func:`read_files` does, but return every problem instead of raising
    (the :class:`Dataset` is whole only when there is no error): ``inspect`` shows them."""
    reg = reg or register()
    problems = Problems()
    ds = Dataset()
    parts = _Parts()
    raws: list[RawSheet] = []
    for p in paths:
        raws += _read_one(
            p, ds, parts, problems, sheet=sheet, mapping=mapping, year=year, today=today, reg=reg
        )
    for line in _check_mapping(mapping, raws):
        problems.add("usage" if not raws else "error", line, placed=True)
    parts.into(ds)
    check_duplicates(ds, problems)
    ds.problems = problems.of("warning", "note")
    return ds, problems


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
    column for everything that cannot be read (every problem, in one error).

    Parameters
    ----------
    path : the spreadsheet or CSV.
    sheet : read only this sheet (default: every sheet; sheets with no recognisable header row
        are skipped, and a file with none is an error).
    mapping : field → header, overriding the alias table (``{"outcome": "Result"}``).
    year : the financial year of a published table whose year is not in a Year column, its
        sheet's name or a title (``"2023-24"``).
    today : dates after this are errors (default: today).
    """
    return read_files([path], sheet=sheet, mapping=mapping, year=year, today=today)


def read_files(
    paths: Sequence[str | Path],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    year: str | None = None,
    today: dt.date | None = None,
) -> Dataset:
    """Read several files into one :class:`Dataset`, checking duplicates across them; every
    problem of every file is raised as one error."""
    ds, problems = inspect_files(paths, sheet=sheet, mapping=mapping, year=year, today=today)
    problems.raise_errors()
    return ds
