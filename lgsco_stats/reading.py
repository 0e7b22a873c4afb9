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

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import outcomes as oc
from . import workbook
from .columns import Distinct, all_distinct, distinct_text, text_column
from .errors import DataError, UsageError, rows_text, where
from .headers import HEADER_SEARCH_ROWS, duplicate_fields, find_header_row, match_headers
from .years import parse_year, years_of

DECISION_COLUMNS = (
    "reference",
    "authority",
    "decision_date",
    "year",
    "outcome",
    "remedy_by_authority",
    "category",
    "received_date",
    "source",
    "row",
)
COMPLIANCE_COLUMNS = ("reference", "authority", "date_recorded", "year", "outcome", "source", "row")
COUNT_COLUMNS = (*oc.OUTCOMES, "remedy_by_authority", *oc.COMPLIANCE_OUTCOMES)
PUBLISHED_COLUMNS = ("authority", "year", *COUNT_COLUMNS, "source", "row")
# Complaints received by category, from published tables' category columns (long form).
RECEIVED_COLUMNS = ("authority", "year", "category", "received", "source", "row")

# Dates outside these bounds are errors: the Ombudsman's case data starts long after 2000.
EARLIEST_DATE = dt.date(2000, 1, 1)

_DECISION_REQUIRED = ("reference", "authority", "decision_date", "outcome")
_COMPLIANCE_REQUIRED = ("authority", "date_recorded")


@dataclass
class Dataset:
    """What one or more files hold, in three frames with the ``*_COLUMNS`` columns."""

    decisions: pd.DataFrame = field(default_factory=lambda: _empty(DECISION_COLUMNS))
    compliance: pd.DataFrame = field(default_factory=lambda: _empty(COMPLIANCE_COLUMNS))
    published: pd.DataFrame = field(default_factory=lambda: _empty(PUBLISHED_COLUMNS))
    sheets: list[str] = field(default_factory=list)
    received: pd.DataFrame = field(default_factory=lambda: _empty(RECEIVED_COLUMNS))

    @property
    def years(self) -> list[str]:
        ys: set[str] = set()
        for f in (self.decisions, self.compliance, self.published):
            ys.update(y for y in f["year"].dropna().unique())
        return sorted(ys)

    def __len__(self) -> int:
        return len(self.decisions) + len(self.compliance) + len(self.published)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


# --------------------------------------------------------------------------- raw sheets


@dataclass
class RawSheet:
    """A sheet's cells as text: ``header`` is the header row, ``frame`` the rows below it."""

    file: str
    sheet: str | None
    header: list[object]
    frame: pd.DataFrame  # columns are positions 0..n-1, values str or missing
    first_row: int  # the sheet row number (1-based) of frame's first row

    @property
    def label(self) -> str:
        return where(self.file, self.sheet)


def read_raw(
    path: str | Path, sheet: str | None = None, mapping: Mapping[str, str] | None = None
) -> list[RawSheet]:
    """Every sheet of a file (or the one named) with its header row found, cells as text."""
    p = Path(path)
    kind = workbook.sniff(p)
    if kind == "encrypted":
        raise DataError(f"{p}: the workbook is password-protected; save an unprotected copy")
    if kind == "csv":
        if sheet is not None:
            raise UsageError(f"--sheet {sheet!r}: {p} is a CSV file, which has no sheets")
        return [_read_csv(p, mapping)]
    return _read_workbook(p, sheet, kind, mapping)


def _read_workbook(
    p: Path, sheet: str | None, kind: str, mapping: Mapping[str, str] | None
) -> list[RawSheet]:
    book = workbook.parsed(p, sheet, kind, mapping)
    out: list[RawSheet] = []
    for name, table in book.tables.items():
        first = book.first_rows.get(name, 1)
        head = book.heads.get(name)
        if head is not None:
            typed = _typed_frame(table, head)
            if typed is not None:
                header = head.rows[head.header]
                out.append(RawSheet(str(p), name, header, typed, first + head.header + 1))
                continue
            table = workbook.parse_text(p, name)  # not as expected: read it again, as text
        if table.num_rows == 0:
            continue
        top = table.slice(0, HEADER_SEARCH_ROWS)
        cols = [top.column(i).to_pylist() for i in range(top.num_columns)]
        rows = [list(r) for r in zip(*cols, strict=True)]
        h = find_header_row(rows, mapping)
        if h is None:
            out.append(RawSheet(str(p), name, [], pd.DataFrame(), 1))
            continue
        frame = table.slice(h + 1).to_pandas()
        frame.columns = range(frame.shape[1])
        out.append(RawSheet(str(p), name, rows[h], frame, first + h + 1))
    return out


def _typed_frame(table: Any, head: workbook.Head) -> pd.DataFrame | None:
    """The rows below the header of a sheet parsed with typed dates, as a frame; None unless its
    first rows hold, cell by cell, what the sheet's first rows as text hold below the header (a
    date as the same day), with at least one value among them."""
    frame = table.to_pandas()
    frame.columns = range(frame.shape[1])
    below = head.rows[head.header + 1 :]
    width = len(head.rows[0]) if head.rows else 0
    if frame.shape[1] < width:
        return None
    dates = {j for j in range(frame.shape[1]) if pd.api.types.is_datetime64_any_dtype(frame[j])}
    seen = False
    for i in range(min(len(below), len(frame))):
        for j in range(frame.shape[1]):
            text = below[i][j] if j < len(below[i]) else None
            value = frame.iat[i, j]
            if text is None:
                same = bool(pd.isna(value))
            elif j in dates:
                same = not pd.isna(value) and parse_date(text) == value.date()
            else:
                same = text == value
            if not same:
                return None
            seen = seen or text is not None
    return frame if seen else None


def _decode(p: Path) -> str:
    data = p.read_bytes()
    if b"\x00" in data[:4096]:
        raise DataError(f"{p}: not a spreadsheet or CSV file (it holds binary data)")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise DataError(f"{p}: not a spreadsheet or CSV file (not readable as text)")


def _read_csv(p: Path, mapping: Mapping[str, str] | None) -> RawSheet:
    text = _decode(p)
    if not text.strip():
        raise DataError(f"{p}: the file is empty")
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    sample = "\n".join(lines)
    delimiter = ","
    best = 0
    for d in (",", ";", "\t", "|"):
        rows = list(csv.reader(io.StringIO(sample), delimiter=d))
        h = find_header_row([list(r) for r in rows], mapping)
        if h is not None:
            n = len(match_headers(list(rows[h]), mapping))
            if n > best:
                best, delimiter = n, d
    rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    h = find_header_row([list(r) for r in rows], mapping)
    if h is None:
        return RawSheet(str(p), None, [], pd.DataFrame(), 1)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=h + 1,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=range(len(rows[h])))
    except (pd.errors.ParserError, ValueError) as e:
        raise DataError(f"{p}: not a readable CSV file ({workbook.short(e)})") from None
    header: list[object] = [x if x.strip() else None for x in rows[h]]
    if frame.shape[1] < len(header):
        for i in range(frame.shape[1], len(header)):
            frame[i] = pd.NA
    frame.columns = range(frame.shape[1])
    header += [None] * (frame.shape[1] - len(header))
    return RawSheet(str(p), None, header, frame, h + 2)


# --------------------------------------------------------------------------- recognising


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
        frame = without_blank_rows(raw.frame)
        rows = pd.Series(frame.index + raw.first_row, index=frame.index)
        loc = _Loc(raw, fields)
        if kind == "decisions":
            dec, comp = _decisions(frame, rows, fields, loc, today)
            parts["decisions"].append(dec)
            if comp is not None:
                parts["compliance"].append(comp)
        elif kind == "compliance":
            parts["compliance"].append(_compliance(frame, rows, fields, loc, today))
        else:
            pub = _published(frame, rows, fields, loc, year)
            parts["published"].append(pub)
            parts["received"].append(_received(frame, rows, fields, loc, pub))
        ds.sheets.append(raw.label)
    if not ds.sheets:
        labels = [r for r in raws if r.header]
        if not raws:
            raise DataError(f"{path}: no data: every sheet is empty")
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
        received=pd.concat([s.received for s in sets], ignore_index=True),
    )
    check_duplicates(ds)
    return ds


@dataclass
class _Loc:
    raw: RawSheet
    fields: dict[str, int]

    def col(self, fname: str) -> str:
        return str(self.raw.header[self.fields[fname]])

    def at(self, fname: str, rows: list[int]) -> str:
        return (
            f"{where(self.raw.file, self.raw.sheet)}, {rows_text(rows)}, column {self.col(fname)!r}"
        )


def _text(frame: pd.DataFrame, fields: Mapping[str, int], fname: str) -> pd.Series:
    """A column as stripped text, blank cells missing (vectorised: no Python call per cell)."""
    if fname not in fields:
        return pd.Series(None, index=frame.index, dtype=object)
    s = frame[fields[fname]].astype("str").str.strip()
    return s.where(s != "")


def _distinct(frame: pd.DataFrame, fields: Mapping[str, int], fname: str) -> Distinct:
    """A column of few distinct values (an authority, an outcome, a date) as those values,
    stripped, and a code per row: the same text as :func:`_text`, stripped once per value."""
    if fname not in fields:
        return Distinct(np.full(len(frame), -1, dtype=np.int64), [])
    return distinct_text(frame[fields[fname]])


def _require(
    frame: pd.DataFrame, fields: Mapping[str, int], need: Sequence[str], loc: _Loc, kind: str
) -> None:
    missing = [f for f in need if f not in fields]
    if missing:
        from .headers import ALIASES

        names = "; ".join(
            f"{f} (e.g. {', '.join(repr(a) for a in ALIASES[f][:3])})" for f in missing
        )
        raise DataError(
            f"{loc.raw.label}: looks like {kind} but has no column for {names}",
            hint="name it with --map FIELD=HEADER",
        )


def without_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows with at least one value (a column with no blank cell means every row has one,
    which is found without looking at the rows)."""
    if any(not frame[c].hasnans for c in frame.columns):
        return frame
    return frame.dropna(how="all")


def _blank_check(blank: Any, rows: pd.Series, fname: str, loc: _Loc) -> None:
    """``blank``: which rows have no value (a boolean Series or array on ``rows``' rows)."""
    blank = np.asarray(blank)
    if blank.any():
        bad = rows[blank].tolist()
        if blank.all():
            raise DataError(f"{loc.at(fname, bad[:1])}: every value is blank")
        raise DataError(f"{loc.at(fname, bad)}: blank {fname.replace('_', ' ')}")


def _codes(
    values: Distinct, rows: pd.Series, fn: object, fname: str, loc: _Loc, what: str
) -> pd.Series:
    """Map each distinct value once with ``fn``; unknown values are an error listing each with
    its rows."""
    mapped = _map_distinct(values, rows, fn, fname, loc, what)
    if mapped and all(isinstance(m, str) for m in mapped):
        return text_column(mapped, values.codes, rows.index)
    lookup = pd.Series([*mapped, None], dtype=object)
    return pd.Series(lookup.take(values.codes).to_numpy(), index=rows.index, dtype=object)


def _map_distinct(
    values: Distinct, rows: pd.Series, fn: object, fname: str, loc: _Loc, what: str
) -> list[Any]:
    """``fn`` of each distinct value; a value ``fn`` gives None for is an error listing each
    such value with its rows."""
    mapped = [fn(u) for u in values.values]  # type: ignore[operator]
    unknown = [i for i, m in enumerate(mapped) if m is None]
    if unknown:
        parts = []
        for i in unknown[:5]:
            r = rows[values.codes == i].tolist()
            parts.append(f"{values.values[i]!r} ({rows_text(r, 3)})")
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise DataError(
            f"{where(loc.raw.file, loc.raw.sheet)}, column {loc.col(fname)!r}: unknown {what} "
            + ", ".join(parts)
            + more
        )
    return mapped


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: object) -> dt.date | None:
    """A date cell as text → date. Real Excel dates (read as ISO text), ISO text, UK day-first
    text (01/04/2023 is 1 April), ``1 April 2023``, and Excel serial numbers. None if unreadable."""
    s = str(text).strip()
    try:
        m = _ISO.match(s)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DMY.match(s)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if _SERIAL.match(s):
            return _EXCEL_EPOCH + dt.timedelta(days=int(float(s)))
        for fmt in ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%d/%m/%y"):
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    except (ValueError, OverflowError):
        return None
    return None


def _dates(
    values: Distinct, rows: pd.Series, fname: str, loc: _Loc, today: dt.date | None, required: bool
) -> pd.Series:
    """Parse a date column (each distinct value once, range checked once); errors name the
    rows and the values."""
    if required:
        _blank_check(values.blank, rows, fname, loc)
    parsed = _map_distinct(values, rows, parse_date, fname, loc, "date")
    latest = today or dt.date.today()
    out_of_range = [i for i, d in enumerate(parsed) if d < EARLIEST_DATE or d > latest]
    codes = values.codes
    if out_of_range:
        bad = np.isin(codes, out_of_range)
        r = rows[bad].tolist()
        first = int(codes[bad][0])
        why = "before 2000" if parsed[first] < EARLIEST_DATE else "in the future"
        raise DataError(f"{loc.at(fname, r)}: date {values.values[first]!r} is {why}")
    lookup = np.array([*parsed, None], dtype="datetime64[s]")  # None: NaT, for code -1
    return pd.Series(lookup[codes], index=rows.index)


def _date_column(
    frame: pd.DataFrame,
    fields: Mapping[str, int],
    fname: str,
    rows: pd.Series,
    loc: _Loc,
    today: dt.date | None,
    required: bool,
) -> pd.Series:
    """A date field's column: cells read as dates (a large sheet's date columns, see
    :mod:`.workbook`) are taken as they are, text is parsed by :func:`_dates`."""
    column = frame[fields[fname]]
    if not pd.api.types.is_datetime64_any_dtype(column):
        return _dates(_distinct(frame, fields, fname), rows, fname, loc, today, required)
    days = column.to_numpy().astype("datetime64[D]")
    blank = np.isnat(days)
    if required:
        _blank_check(blank, rows, fname, loc)
    latest = np.datetime64(today or dt.date.today(), "D")
    early = days < np.datetime64(EARLIEST_DATE, "D")
    bad = early | (days > latest)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        text = pd.Timestamp(column.iloc[first]).strftime("%Y-%m-%d %H:%M:%S")
        why = "before 2000" if early[first] else "in the future"
        raise DataError(f"{loc.at(fname, rows[bad].tolist())}: date {text!r} is {why}")
    return pd.Series(days.astype("datetime64[s]"), index=rows.index)


def _source(loc: _Loc) -> str:
    return where(Path(loc.raw.file).name, loc.raw.sheet)


def _decisions(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: _Loc,
    today: dt.date | None,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    _require(frame, fields, _DECISION_REQUIRED, loc, "one row per decision")
    out = pd.DataFrame(index=frame.index)
    out["reference"] = _text(frame, fields, "reference")
    _blank_check(out["reference"].isna(), rows, "reference", loc)
    authority = _distinct(frame, fields, "authority")
    _blank_check(authority.blank, rows, "authority", loc)
    out["authority"] = authority.column(frame.index)
    out["decision_date"] = _date_column(frame, fields, "decision_date", rows, loc, today, True)
    out["year"] = years_of(out["decision_date"])
    outcome = _distinct(frame, fields, "outcome")
    _blank_check(outcome.blank, rows, "outcome", loc)
    out["outcome"] = _codes(outcome, rows, oc.outcome_code, "outcome", loc, "outcome")
    if "remedy_by_authority" in fields:
        remedy = _codes(
            _distinct(frame, fields, "remedy_by_authority"),
            rows,
            oc.flag_value,
            "remedy_by_authority",
            loc,
            "yes/no value",
        )
        remedy = remedy.fillna(False).astype(bool)
        wrong = remedy & (out["outcome"] != oc.UPHELD)
        if wrong.any():
            raise DataError(
                f"{loc.at('remedy_by_authority', rows[wrong].tolist())}: remedy by authority is "
                "marked on a decision that is not upheld"
            )
        out["remedy_by_authority"] = remedy
    else:
        out["remedy_by_authority"] = False
    if "category" in fields:
        category = _distinct(frame, fields, "category")
        out["category"] = category.column(frame.index)
    else:
        out["category"] = _text(frame, fields, "category")
    if "received_date" in fields:
        out["received_date"] = _date_column(frame, fields, "received_date", rows, loc, today, False)
    else:
        out["received_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us]")
    out["source"] = _source(loc)
    out["row"] = rows
    compliance = None
    comp_field = "compliance_outcome" if "compliance_outcome" in fields else None
    if comp_field:
        has = ~_distinct(frame, fields, comp_field).blank
        if has.any():
            sub = frame[has]
            if "date_recorded" not in fields:
                raise DataError(
                    f"{loc.raw.label}: compliance outcomes need a 'Date recorded' column "
                    "(a compliance outcome counts in the year it was recorded)"
                )
            compliance = _compliance_rows(sub, rows[has], fields, loc, today, comp_field)
    return out.reset_index(drop=True)[list(DECISION_COLUMNS)], compliance


def _compliance(
    frame: pd.DataFrame, rows: pd.Series, fields: dict[str, int], loc: _Loc, today: dt.date | None
) -> pd.DataFrame:
    comp_field = "compliance_outcome" if "compliance_outcome" in fields else "outcome"
    _require(frame, fields, _COMPLIANCE_REQUIRED, loc, "compliance outcomes")
    return _compliance_rows(frame, rows, fields, loc, today, comp_field)


def _compliance_rows(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: _Loc,
    today: dt.date | None,
    comp_field: str,
) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    out["reference"] = _text(frame, fields, "reference")
    authority = _distinct(frame, fields, "authority")
    _blank_check(authority.blank, rows, "authority", loc)
    out["authority"] = authority.column(frame.index)
    out["date_recorded"] = _date_column(frame, fields, "date_recorded", rows, loc, today, True)
    out["year"] = years_of(out["date_recorded"])
    value = _distinct(frame, fields, comp_field)
    _blank_check(value.blank, rows, comp_field, loc)
    out["outcome"] = _codes(value, rows, oc.compliance_code, comp_field, loc, "compliance outcome")
    out["source"] = _source(loc)
    out["row"] = rows
    return out.reset_index(drop=True)[list(COMPLIANCE_COLUMNS)]


_COUNT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


def _counts(values: pd.Series, rows: pd.Series, fname: str, loc: _Loc) -> pd.Series:
    """A count column: blank → missing (not reported); whole non-negative numbers only."""
    s = values.map(lambda x: x.replace(",", "") if isinstance(x, str) else x, na_action="ignore")
    ok = s.isna() | s.astype(str).str.match(_COUNT)
    if not ok.all():
        r = rows[~ok].tolist()
        raise DataError(f"{loc.at(fname, r)}: {values[~ok].iloc[0]!r} is not a number")
    num = pd.to_numeric(s, errors="coerce")
    frac = num.notna() & (num != num.round())
    if frac.any():
        raise DataError(
            f"{loc.at(fname, rows[frac].tolist())}: {values[frac].iloc[0]!r} is not a whole number"
        )
    neg = num.notna() & (num < 0)
    if neg.any():
        raise DataError(f"{loc.at(fname, rows[neg].tolist())}: {values[neg].iloc[0]!r} is negative")
    return num.astype("Int64")


def _published(
    frame: pd.DataFrame, rows: pd.Series, fields: dict[str, int], loc: _Loc, year: str | None
) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    out["authority"] = _text(frame, fields, "authority")
    _blank_check(out["authority"].isna(), rows, "authority", loc)
    if "year" in fields:

        def _year(v: object) -> str | None:
            try:
                return parse_year(v)
            except UsageError:
                return None

        y = _distinct(frame, fields, "year")
        _blank_check(y.blank, rows, "year", loc)
        out["year"] = _codes(y, rows, _year, "year", loc, "year (write it like 2019-20)")
    elif year is not None:
        out["year"] = parse_year(year)
    else:
        raise UsageError(
            f"{loc.raw.label}: a published table with no Year column: say which year it covers "
            "with --year, e.g. --year 2023-24"
        )
    for c in COUNT_COLUMNS:
        if c in fields:
            out[c] = _counts(_text(frame, fields, c), rows, c, loc)
        else:
            out[c] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    out["source"] = _source(loc)
    out["row"] = rows
    return out.reset_index(drop=True)[list(PUBLISHED_COLUMNS)]


def _received(
    frame: pd.DataFrame, rows: pd.Series, fields: dict[str, int], loc: _Loc, published: pd.DataFrame
) -> pd.DataFrame:
    """Complaints received by category: a published table's columns named after the published
    categories ("Housing", "Received: Adult care services"), as long rows. A blank cell is not
    reported and gives no row."""
    taken = set(fields.values())
    parts = []
    for i, header in enumerate(loc.raw.header):
        category = None if i in taken else oc.received_category_header(header)
        if category is None:
            continue
        name = f"received:{category}"
        counts = _counts(
            _text(frame, {name: i}, name), rows, name, _Loc(loc.raw, {**fields, name: i})
        )
        part = pd.DataFrame(
            {
                "authority": published["authority"].to_numpy(),
                "year": published["year"].to_numpy(),
                "category": category,
                "received": counts.to_numpy(),
                "source": published["source"].to_numpy(),
                "row": published["row"].to_numpy(),
            }
        )
        parts.append(part[part["received"].notna()])
    if not parts:
        return _empty(RECEIVED_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["received"] = out["received"].astype("Int64")
    return out[list(RECEIVED_COLUMNS)]


# --------------------------------------------------------------------------- duplicates


def check_duplicates(ds: Dataset) -> None:
    """The same case reference twice with different contents (or an authority-year twice in a
    published table) is an error naming both places; exact repeats are dropped."""
    if len(ds.decisions):
        ds.decisions = _dedupe(
            ds.decisions,
            ["reference"],
            [
                "authority",
                "decision_date",
                "outcome",
                "remedy_by_authority",
                "category",
                "received_date",
            ],
            "case reference",
        )
    if len(ds.compliance):
        with_ref = ds.compliance[ds.compliance["reference"].notna()]
        without = ds.compliance[ds.compliance["reference"].isna()]
        with_ref = _dedupe(
            with_ref,
            ["reference"],
            ["authority", "date_recorded", "outcome"],
            "compliance outcome for case reference",
        )
        ds.compliance = pd.concat([with_ref, without], ignore_index=True)
    if len(ds.published):
        from .outcomes import normalise_text

        key = ds.published["authority"].map(normalise_text) + "|" + ds.published["year"]
        dup = key.duplicated(keep=False)
        if dup.any():
            first = ds.published[dup].iloc[0]
            same = ds.published[dup & (key == key[dup].iloc[0])]
            places = " and ".join(
                f"{s}, row {r}" for s, r in zip(same["source"], same["row"], strict=True)
            )
            raise DataError(
                f"{first['authority']!r} {first['year']} appears twice in the published table: "
                f"{places}"
            )


def _dedupe(frame: pd.DataFrame, key: list[str], content: list[str], what: str) -> pd.DataFrame:
    if len(key) == 1 and all_distinct(frame[key[0]]):
        return frame  # the usual case, found by one hash pass in Arrow
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return frame
    sub = frame[dup]
    distinct = sub.drop_duplicates(key + content)
    clash = distinct.duplicated(key, keep=False)
    if clash.any():
        ref = distinct[clash].iloc[0][key[0]]
        rows = frame[frame[key[0]] == ref]
        places = " and ".join(
            f"{s}, row {r}" for s, r in zip(rows["source"], rows["row"], strict=True)
        )
        raise DataError(f"{what} {ref!r} appears twice with different contents: {places}")
    return frame.drop_duplicates(key, keep="first").reset_index(drop=True)
