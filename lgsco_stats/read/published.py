"""Published per-authority tables: counts of each outcome, remedies and compliance outcomes (or
the rates without them) per authority and year, and complaints received by category.

A table is read from whatever columns it has (see :mod:`.identities` for how counts are made
whole and checked). A column is read for what its values are as well as its header: a count
column of percentages (``Upheld`` holding ``87%``) is a rate; ``Complied`` without ``Complied
late`` beside it is compliance of any timing. Rows that are not an authority's (totals,
regions, notes) are skipped (:mod:`.layout`). Cells are read as :mod:`.numbers` says.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import outcomes as oc
from ..councils import Register
from ..errors import UsageError
from ..years import parse_year
from . import cells, layout, numbers
from .dataset import PUBLISHED_COLUMNS, RECEIVED_COLUMNS, empty
from .error_cells import column_letters, error_cells
from .identities import check_and_complete, check_rates

# A count column whose values are percentages is this rate.
_AS_RATE = {
    oc.UPHELD: "uphold_rate",
    "remedy_by_authority": "remedy_rate",
    oc.COMPLIED: "compliance_rate",
    oc.COMPLIED_TOTAL: "compliance_rate",
    "compliance_outcome": "compliance_rate",
}


@dataclass
class PublishedSheet:
    """What reading a published table found, for ``inspect``: each row skipped and why, where
    its year came from, and how many rows were read."""

    skipped: dict[str, list[int]] = field(default_factory=dict)
    year_source: str = ""
    rows: int = 0


def settle_fields(fields: dict[str, int], frame: pd.DataFrame, loc: cells.Loc) -> dict[str, int]:
    """The fields of a published table as its values show them: a count column of
    percentages is a rate, a compliance column of numbers is the compliance rate, and
    ``Complied`` with no ``Complied late`` column is compliance of any timing."""
    f = dict(fields)
    for name in list(f):
        if name not in _AS_RATE:
            continue
        texts = [str(v).strip() for v in frame[f[name]].dropna().tolist()]
        texts = [t for t in texts if t]
        percents = sum(t.endswith("%") for t in texts)
        numeric = sum(numbers.parse_count(t).kind != "error" for t in texts)
        as_rate = name == "compliance_outcome" and numeric >= len(texts) / 2 and texts
        as_rate = as_rate or (texts and percents >= len(texts) / 2)
        if as_rate and _AS_RATE[name] not in f:
            rate = _AS_RATE[name]
            f[rate] = f.pop(name)
            loc.fields = f
            loc.note("note", rate, [], f"{loc.col(rate)!r} holds percentages: read as the {rate}")
        elif name == "compliance_outcome":
            f.pop(name)  # a compliance column of text in a published table: not understood
    if oc.COMPLIED in f and oc.COMPLIED_LATE not in f and oc.COMPLIED_TOTAL not in f:
        f[oc.COMPLIED_TOTAL] = f.pop(oc.COMPLIED)
        loc.fields = f
        loc.note(
            "note",
            oc.COMPLIED_TOTAL,
            [],
            f"{loc.col(oc.COMPLIED_TOTAL)!r} with no 'Complied late' column: read as complied "
            "on time or late",
        )
    loc.fields = f
    return f


def read_counts(
    values: pd.Series,
    rows: pd.Series,
    fname: str,
    loc: cells.Loc,
    errors: dict[tuple[int, int], str] | None = None,
    limit: int = numbers.COUNT_LIMIT,
) -> pd.Series:
    """A count column (text cells) → Int64, missing = not reported; every cell that is not a
    count is an error naming its value and rows, and one note names the cells read as not
    reported (see :mod:`.numbers`)."""
    return _read_column(values, rows, fname, loc, errors, lambda t: numbers.parse_count(t, limit))


def _read_column(
    values: pd.Series,
    rows: pd.Series,
    fname: str,
    loc: cells.Loc,
    errors: dict[tuple[int, int], str] | None,
    parse: object,
    rate: bool = False,
) -> pd.Series:
    texts = values.astype(object).where(values.notna(), None).tolist()
    sheet_rows = [int(r) for r in rows]
    parsed = {t: parse(t) for t in set(texts) if t is not None}  # type: ignore[operator]
    out: list[float | None] = []
    missing: dict[str, list[int]] = {}
    digits: dict[str, list[int]] = {}
    wrong: dict[tuple[str, str], list[int]] = {}
    excel: list[str] = []
    col = loc.fields[fname]
    for t, r in zip(texts, sheet_rows, strict=True):
        cell = parsed.get(t) if t is not None else None
        if cell is None:
            error = (errors or {}).get((r, col))
            if error is not None:
                excel.append(f"{column_letters(col)}{r} {error}")
            out.append(None)
            continue
        if cell.kind in ("number", "digits"):
            out.append(cell.value)
            if cell.kind == "digits":
                digits.setdefault(str(t), []).append(r)
        elif cell.kind == "missing":
            missing.setdefault(str(t).strip(), []).append(r)
            out.append(None)
        elif cell.kind == "excel":
            excel.append(f"row {r} {cell.why}")
            out.append(None)
        else:
            wrong.setdefault((str(t), cell.why), []).append(r)
            out.append(None)
    for (t, why), rs in wrong.items():
        loc.error(fname, rs, f"{t!r} {why}")
    if missing:
        marks = ", ".join(repr(m) for m in missing)
        loc.note(
            "note",
            fname,
            sorted(r for rs in missing.values() for r in rs),
            f"{marks} read as not reported",
        )
    if digits:
        shown = ", ".join(f"{t!r} as {parsed[t].value}" for t in list(digits)[:3])
        loc.note("note", fname, sorted(r for rs in digits.values() for r in rs), f"read {shown}")
    if excel:
        loc.note(
            "warning",
            fname,
            [],
            f"Excel error cells read as not reported: {', '.join(excel[:10])}"
            + (f" and {len(excel) - 10} more" if len(excel) > 10 else ""),
        )
    dtype = "Float64" if rate else "Int64"
    return pd.Series(pd.array(out, dtype=dtype), index=values.index)


def read_rates(
    values: pd.Series, rows: pd.Series, fname: str, loc: cells.Loc, errors: dict | None
) -> pd.Series:
    """A rate column → Float64 percentages. A column whose every number is at most 1 and
    none written with % is fractions of one (Excel's percent cells): 0.87 is 87%."""
    got = _read_column(values, rows, fname, loc, errors, numbers.parse_rate, rate=True)
    texts = [str(v) for v in values.dropna().tolist() if str(v).strip()]
    cells_ = [numbers.parse_rate(t) for t in texts]
    nums = [c for c in cells_ if c.value is not None]
    if nums and not any(c.percent for c in nums) and all(c.value <= 1 for c in nums):  # type: ignore[operator]
        if any(c.value not in (0, 1) for c in nums) or len(nums) > 2:
            got = got * 100
            eg = next((c.value for c in nums if c.value not in (0, 1)), nums[0].value)
            loc.note(
                "note",
                fname,
                [],
                f"rates written as fractions of one (Excel's percent cells): {eg:g} read as "
                f"{eg * 100:g}%",
            )
    return got


def _skip_rows(
    names: pd.Series,
    counts: dict[str, pd.Series],
    rates: dict[str, pd.Series],
    rows: pd.Series,
    frame: pd.DataFrame,
    loc: cells.Loc,
    reg: Register,
) -> tuple[np.ndarray, dict[str, list[int]]]:
    """Which rows are an authority's; the others by why they are not (totals and notes)."""
    n = len(names)
    keep = np.ones(n, dtype=bool)
    skipped: dict[str, list[int]] = {"a total": [], "notes": []}
    matrix = np.column_stack(
        [
            pd.array(counts[c], dtype="Int64").to_numpy(dtype=np.float64, na_value=np.nan)
            for c in counts
        ]
        or [np.full(n, np.nan)]
    )
    has_number = ~np.isnan(matrix).all(axis=1)
    for r in rates.values():
        has_number |= np.asarray(r.notna(), dtype=bool)
    sheet_rows = rows.to_numpy()
    name_list = names.tolist()
    section: list[int] = []
    kept: list[int] = []
    other_text = frame.notna().sum(axis=1).to_numpy() - names.notna().to_numpy()

    def is_council(name: object) -> bool:
        try:
            return bool(reg.candidates(str(name)))
        except UsageError:
            return True

    def compare(row: np.ndarray, idx: list[int]) -> tuple[bool, int | None]:
        """Whether ``row`` is the sum of rows ``idx`` (at least two, on every count both
        have, at least one, not all 0), and the first count where it is not."""
        if len(idx) < 2:
            return False, None
        total = matrix[idx].sum(axis=0)
        both = ~np.isnan(row) & ~np.isnan(total)
        if not both.any():
            return False, None
        differ = both & (row != total)
        if differ.any():
            return False, int(np.flatnonzero(differ)[0])
        return bool(row[both].sum() > 0), None

    for i in range(n):
        name = name_list[i]
        blank = name is None or (isinstance(name, float) and np.isnan(name))
        if not has_number[i]:
            if blank and other_text[i] == 0:
                keep[i] = False  # nothing at all (a row of spaces)
                continue
            wordy = not blank and (layout.note_text(name) or layout.total_name(name))
            if blank or (wordy and not is_council(name)):
                keep[i] = False
                why = "a total" if not blank and layout.total_name(name) else "notes"
                skipped[why].append(int(sheet_rows[i]))
            continue
        named_total = not blank and layout.total_name(name) and not is_council(name)
        row = matrix[i]
        of_section, differ = compare(row, section)
        of_all, _ = compare(row, kept)
        if named_total or ((blank or not is_council(name)) and (of_section or of_all)):
            keep[i] = False
            skipped["a total"].append(int(sheet_rows[i]))
            if named_total and not (of_section or of_all) and differ is not None:
                column = list(counts)[differ]
                header = loc.col(column) if column in loc.fields else column
                loc.note(
                    "warning",
                    None,
                    [int(sheet_rows[i])],
                    f"the total {str(name).strip()!r} is not the sum of the rows above it "
                    f"({header!r}: {int(row[differ])} given, "
                    f"{int(matrix[section, differ].sum())} summed)",
                )
            section = []
            continue
        section.append(i)
        kept.append(i)
    return keep, {why: rows for why, rows in skipped.items() if rows}


def read_published(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: cells.Loc,
    year: str | None,
    sheet_year: tuple[str, str] | None,
    reg: Register,
) -> tuple[pd.DataFrame, pd.DataFrame, PublishedSheet]:
    """The authorities' rows of a published table (``PUBLISHED_COLUMNS``), its complaints
    received by category (``RECEIVED_COLUMNS``) and what was skipped.

    ``year`` is ``--year``; ``sheet_year`` a year found in the sheet's name or title, with where
    it was found."""
    info = PublishedSheet()
    fields = settle_fields(fields, frame, loc)
    errors = error_cells(loc.raw.file, loc.raw.sheet)
    names = cells.text(frame, fields, "authority")
    counts = {
        c: (
            read_counts(cells.text(frame, fields, c), rows, c, loc, errors)
            if c in fields
            else pd.Series(pd.array([pd.NA] * len(frame), dtype="Int64"), index=frame.index)
        )
        for c in oc.COUNT_COLUMNS
    }
    rates = {
        r: read_rates(cells.text(frame, fields, r), rows, r, loc, errors)
        for r in oc.GIVEN_RATES
        if r in fields
    }
    categories = _category_columns(loc)
    received = {
        cat: read_counts(cells.text(frame, {name: i}, name), rows, name, _loc_with(loc, name, i))
        for cat, (name, i) in categories.items()
    }
    keep, info.skipped = _skip_rows(names, counts, rates, rows, frame, loc, reg)
    frame, rows, names = frame[keep], rows[keep], names[keep]
    counts = {c: v[keep] for c, v in counts.items()}
    rates = {r: v[keep] for r, v in rates.items()}
    received = {c: v[keep] for c, v in received.items()}
    if any(info.skipped.values()):
        loc.note("note", None, [], layout.skipped_line(info.skipped))
    info.rows = len(frame)
    out = pd.DataFrame(index=frame.index)
    out["authority"] = names
    cells.blank_check(names.isna(), rows, "authority", loc)
    out["year"] = _years(frame, rows, fields, loc, year, sheet_year, info)
    check_and_complete(counts, rows, loc)
    check_rates(counts, rates, rows, loc)
    for c in oc.COUNT_COLUMNS:
        out[c] = counts[c]
    for r in oc.GIVEN_RATES:
        out[r] = rates[r] if r in rates else pd.Series(pd.NA, index=out.index, dtype="Float64")
    out["source"] = cells.source(loc)
    out["row"] = rows
    published = out.reset_index(drop=True)[list(PUBLISHED_COLUMNS)]
    return published, _received(published, received), info


def _years(
    frame: pd.DataFrame,
    rows: pd.Series,
    fields: dict[str, int],
    loc: cells.Loc,
    year: str | None,
    sheet_year: tuple[str, str] | None,
    info: PublishedSheet,
) -> pd.Series | str | None:
    if "year" in fields:

        def _year(v: object) -> str | None:
            try:
                return parse_year(v)
            except UsageError:
                return layout.year_in_text(v)

        y = cells.distinct(frame, fields, "year")
        cells.blank_check(y.blank, rows, "year", loc)
        info.year_source = f"the column {loc.col('year')!r}"
        return cells.codes(y, rows, _year, "year", loc, "year (write it like 2019-20)")
    if sheet_year is not None:
        found, where = sheet_year
        info.year_source = where
        if year is not None and year != found:
            loc.note(
                "warning", None, [], f"the year {found} from {where} is used, not --year {year}"
            )
        return found
    if year is not None:
        info.year_source = "--year"
        return year
    loc.problems.add(
        "usage",
        f"{loc.raw.label}: a published table with no year: no Year column, no year in the "
        "sheet's name or a title above the table; say which year it covers with --year, "
        "e.g. --year 2023-24",
        file=loc.raw.file,
        sheet=loc.raw.sheet,
        placed=True,
    )
    return None


def _category_columns(loc: cells.Loc) -> dict[str, tuple[str, int]]:
    """Columns of complaints received by category: category → (field name, column)."""
    taken = set(loc.fields.values())
    out: dict[str, tuple[str, int]] = {}
    for i, header in enumerate(loc.raw.header):
        category = None if i in taken else oc.received_category_header(header)
        if category is not None and category not in out:
            out[category] = (f"received:{category}", i)
    return out


def _loc_with(loc: cells.Loc, name: str, i: int) -> cells.Loc:
    return cells.Loc(loc.raw, {**loc.fields, name: i}, loc.problems, loc.frame)


def _received(published: pd.DataFrame, received: dict[str, pd.Series]) -> pd.DataFrame:
    """Complaints received by category as long rows; a blank cell is not reported and gives no
    row."""
    parts = []
    for category, counts in received.items():
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
        return empty(RECEIVED_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["received"] = out["received"].astype("Int64")
    return out[list(RECEIVED_COLUMNS)]
