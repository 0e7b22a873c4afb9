"""How each sheet was understood, for ``lgsco-stats inspect`` and the notes of ``compute``: its
kind, header row, each column's field, where its year came from, the rows read and skipped, and
which rates it can give."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import outcomes as oc
from .error_cells import column_letters, first_column
from .headers import column_fields
from .kinds import KIND_LABELS
from .sheets import RawSheet

# Each rate: its label and, per kind of sheet, whether the sheet can give it.
RATE_LABELS = {
    "uphold_rate": "uphold rate",
    "remedy_rate": "satisfactory remedy rate",
    "compliance_rate": "compliance rate",
}
_NEEDS = {
    "uphold_rate": (oc.UPHELD, oc.INVESTIGATED),
    "remedy_rate": ("remedy_by_authority", oc.UPHELD),
    "compliance_rate": (oc.COMPLIED_TOTAL, oc.COMPLIANCE_TOTAL),
}
_NEEDS_TEXT = {
    "uphold_rate": "'Upheld' with 'Not upheld' or 'Investigated', or an uphold rate",
    "remedy_rate": "'Satisfactory remedy provided by the authority' with 'Upheld', or a "
    "satisfactory remedy rate",
    "compliance_rate": "two of 'Complied', 'Not complied' and 'Compliance outcomes' (with "
    "'Complied late' where complied is on time only), or a compliance rate",
}


@dataclass
class ColumnReport:
    """A column: its position among the parser's columns, its header and its field."""

    index: int
    header: str
    field: str | None


@dataclass
class SheetReport:
    """What reading made of one sheet (``kind`` None: not read, ``why`` says why)."""

    file: str
    sheet: str | None
    kind: str | None = None
    why: str = ""
    header_row: int | None = None
    columns: list[ColumnReport] = field(default_factory=list)
    year_source: str = ""
    years: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    skipped: dict[str, list[int]] = field(default_factory=dict)
    rates: dict[str, str] = field(default_factory=dict)
    _first: int | None = field(default=None, repr=False)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind or "", "not read")

    def letter(self, column: ColumnReport) -> str:
        """A column's letter in the sheet (the parser's columns start at the sheet's first
        column with a value: found when first asked, as only ``inspect`` shows letters)."""
        if self._first is None:
            self._first = first_column(self.file, self.sheet)
        return column_letters(self._first + column.index)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "kind": self.kind,
            "why": self.why,
            "header_row": self.header_row,
            "columns": [
                {"column": self.letter(c), "header": c.header, "field": c.field}
                for c in self.columns
            ],
            "year_from": self.year_source,
            "years": self.years,
            "rows_read": self.rows_read,
            "skipped": {why: rows for why, rows in self.skipped.items() if rows},
            "rates": {RATE_LABELS[r]: v for r, v in self.rates.items()},
        }


def sheet_report(raw: RawSheet, mapping: dict[str, str] | None) -> SheetReport:
    """A report with the sheet's header and columns as the aliases read them (the rest is
    filled in as it is read: :func:`set_columns` gives each column its final field)."""
    report = SheetReport(raw.file, raw.sheet)
    if not raw.header:
        report.why = "no header row found"
        return report
    report.header_row = raw.header_row
    set_columns(report, raw, column_fields(raw.header, mapping, raw.group))
    return report


def set_columns(
    report: SheetReport, raw: RawSheet, fields: list[str | None] | dict[str, int]
) -> None:
    """Each column's field: a list by column, or the field → column of a sheet as read (a
    column no field took is ignored)."""
    if isinstance(fields, dict):
        by_column = {i: f for f, i in fields.items()}
        fields = [by_column.get(i) for i in range(len(raw.header))]
    report.columns = [
        ColumnReport(i, str(h).strip(), f)
        for i, (h, f) in enumerate(zip(raw.header, fields, strict=True))
        if h is not None and str(h).strip()
    ]


def known_counts(fields: set[str]) -> set[str]:
    """The counts a set of columns determines, through the identities of
    :data:`~lgsco_stats.outcomes.TOTALS` (``Investigated`` and ``Upheld`` give ``Not
    upheld``)."""
    known = set(fields)
    if oc.COMPLIED in known and oc.COMPLIED_LATE not in known:
        known.add(oc.COMPLIED_TOTAL)  # compliance of any timing
    changed = True
    while changed:
        changed = False
        for total, parts in oc.TOTALS.items():
            missing = [p for p in parts if p not in known]
            if total not in known and not missing:
                known.add(total)
                changed = True
            elif total in known and len(missing) == 1:
                known.add(missing[0])
                changed = True
    return known


def rates_of(kind: str | None, fields: set[str]) -> dict[str, str]:
    """Which rates a sheet of this kind with these fields can give, and why not."""
    if kind == "decisions":
        out = {"uphold_rate": "yes"}
        out["remedy_rate"] = (
            "yes"
            if "remedy_by_authority" in fields
            else "no: no remedy column (remedies not reported, never taken as none)"
        )
        out["compliance_rate"] = (
            "yes, from the compliance columns of this sheet"
            if {"compliance_outcome", "date_recorded"} <= fields
            else "no: no compliance outcomes on this sheet (they may be on another)"
        )
        return out
    if kind == "compliance":
        return {
            "uphold_rate": "no: compliance outcomes only",
            "remedy_rate": "no: compliance outcomes only",
            "compliance_rate": "yes",
        }
    if kind != "published":
        return {}
    known = known_counts(fields)
    out = {}
    for rate, (num, den) in _NEEDS.items():
        if num in known and den in known:
            out[rate] = "yes, from the counts"
        elif rate in fields:
            out[rate] = "yes, the published rate (without its counts: pooled averages leave it out)"
        else:
            out[rate] = f"no: needs {_NEEDS_TEXT[rate]}"
    return out


def missing_notes(reports: list[SheetReport], has_compliance: bool) -> list[str]:
    """One line per file and rate it cannot give, saying which columns are missing (an absent
    column is not a zero: the rate is n/a), or that it gives a rate without its counts; the
    sheets of a file that say the same are named together. A published sheet's missing rate
    is not mentioned where case-level data of the load gives it (case-level data wins)."""
    from ..errors import where

    given = {"compliance_rate": has_compliance}
    given["uphold_rate"] = any(r.kind == "decisions" for r in reports)
    given["remedy_rate"] = any(
        r.kind == "decisions" and r.rates.get("remedy_rate") == "yes" for r in reports
    )
    said: dict[tuple[str, str], list[str | None]] = {}
    for r in reports:
        for rate, verdict in r.rates.items():
            name = RATE_LABELS[rate]
            if verdict.startswith("no: no compliance outcomes") and has_compliance:
                continue
            if r.kind == "published" and verdict.startswith("no") and given[rate]:
                continue
            if verdict.startswith("no: compliance outcomes only"):
                continue
            if verdict.startswith("no"):
                line = f"{name} n/a, {verdict[4:]}"
            elif verdict.startswith("yes, the published rate"):
                line = f"{name} as published, without the counts behind it"
            else:
                continue
            said.setdefault((r.file.rsplit("/", 1)[-1], line), []).append(r.sheet)
    out = []
    for (file, line), sheets in said.items():
        named = [s for s in sheets if s is not None]
        if len(named) > 1:
            shown = ", ".join(repr(s) for s in named[:4]) + (" …" if len(named) > 4 else "")
            out.append(f"{file}, sheets {shown}: {line}")
        else:
            out.append(f"{where(file, named[0] if named else None)}: {line}")
    return out


def year_notes(reports: list[SheetReport]) -> list[str]:
    """Where each published table's year came from (case-level years come from the dates)."""
    from ..errors import where

    return [
        f"{where(r.file, r.sheet)}: {', '.join(r.years) or 'no year'} from {r.year_source}"
        for r in reports
        if r.kind == "published" and r.year_source and r.years
    ]
