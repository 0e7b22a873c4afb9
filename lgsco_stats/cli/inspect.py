"""``lgsco-stats inspect``: how files are understood, sheet by sheet, before anything is stored."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any

import typer

from ..rounding import format_count
from .options import FilesArg, MapOpt, OutputOpt, SheetOpt, TableYearOpt


class InspectFormat(str, Enum):
    table = "table"
    json = "json"


def inspect(
    files: FilesArg,
    sheet: SheetOpt = None,
    map_: MapOpt = None,
    year: TableYearOpt = None,
    fmt: Annotated[
        InspectFormat,
        typer.Option("--format", "-f", help="Output format: table or json.", case_sensitive=False),
    ] = InspectFormat.table,
    output: OutputOpt = None,
) -> None:
    """Show how files would be read, without storing anything: for each sheet its kind, header
    row, what each column is taken to be (or "ignored"), where the year came from, the rows
    read and skipped and why, the cells not understood, and which rates it can give.

    Exits 0 when compute would load the files, 1 (with compute's messages) when not.

    \b
    Example: lgsco-stats inspect table-2023-24.xlsx
    Example: lgsco-stats inspect decisions.xlsx --map outcome=Result --format json
    """
    from ..errors import DataError, UsageError
    from ..read.files import inspect_files
    from ..read.headers import parse_mapping
    from ..read.problems import error_text
    from . import render

    mapping = parse_mapping(map_ or [])
    ds, problems = inspect_files(files, sheet=sheet, mapping=mapping, year=year)
    errors = problems.errors
    data = _as_data(ds, problems)
    if fmt is InspectFormat.json:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = _as_text(data)
    render.write_text(text, output)
    if errors:
        cls = UsageError if all(p.level == "usage" for p in errors) else DataError
        mapped = any("--map" in p.text or "no column for" in p.text for p in errors)
        hint = "name a column with --map FIELD=HEADER" if mapped else None
        raise cls(error_text(errors), hint=hint)


def _as_data(ds: Any, problems: Any) -> dict[str, Any]:
    """Everything inspect shows, as plain data (the JSON output)."""
    from ..errors import where

    sheets = []
    for r in ds.reports:
        mine = [p for p in problems.items if p.file == r.file and p.sheet == r.sheet]
        mine.sort(key=lambda p: min(p.rows, default=0))
        prefix = where(r.file, r.sheet) + ", "

        def said(p: Any, prefix: str = prefix) -> str:  # the place within the sheet
            return p.text[len(prefix) :] if p.text.startswith(prefix) else p.text

        sheets.append(
            {
                **r.as_dict(),
                "kind_label": r.kind_label,
                "not_understood": [said(p) for p in mine if p.level in ("error", "usage")],
                "warnings": [said(p) for p in mine if p.level == "warning"],
                "notes": [
                    said(p)
                    for p in mine
                    if p.level == "note" and not p.text.split(": ", 1)[-1].startswith("skipped ")
                ],
            }
        )
    placed = {(s["file"], s["sheet"]) for s in sheets}
    other = [p for p in problems.items if (p.file, p.sheet) not in placed]
    errors = problems.errors
    return {
        "would_load": not errors,
        "rows": {
            "decisions": len(ds.decisions),
            "compliance": len(ds.compliance),
            "published": len(ds.published),
        },
        "years": ds.years if not errors else [],
        "sheets": sheets,
        "other_problems": [p.as_dict() for p in other],
        "errors": [p.text for p in errors],
    }


def _as_text(data: dict[str, Any]) -> str:
    from ..read.problems import ranges

    lines: list[str] = []
    for s in data["sheets"]:
        name = s["file"] + (f", sheet {s['sheet']!r}" if s["sheet"] is not None else "")
        lines.append(name)
        if s["kind"] is None:
            lines.append(f"  not read: {s['why'] or 'not decisions, compliance or a table'}")
            if s["columns"]:
                headers = ", ".join(repr(c["header"]) for c in s["columns"][:12])
                lines.append(f"  header row {s['header_row']}: {headers}")
            lines.append("")
            continue
        lines.append(f"  kind: {s['kind_label']}, as {s['why']}")
        lines.append(f"  header row: {s['header_row']}")
        width = max((len(c["header"]) for c in s["columns"]), default=0)
        for c in s["columns"]:
            field = c["field"] or "ignored"
            lines.append(f"    {c['column']:>3}  {c['header']:<{width}}  {field}")
        years = ", ".join(f"{y} ({format_count(n, 'row')})" for y, n in s["years"].items())
        years = years or "none"
        lines.append(f"  years: {years}, from {s['year_from'] or 'nowhere'}")
        skipped = "; ".join(f"{ranges(rows)}: {why}" for why, rows in s["skipped"].items())
        read = f"  rows: {s['rows_read']:,} read"
        lines.append(read + (f"; skipped {skipped}" if skipped else ""))
        bad = s["not_understood"]
        lines.append("  not understood: " + ("none" if not bad else f"{len(bad)}"))
        lines += [f"    {b}" for b in bad[:20]]
        if len(bad) > 20:
            lines.append(f"    and {len(bad) - 20} more")
        for rate, verdict in s["rates"].items():
            lines.append(f"  {rate}: {verdict}")
        for level in ("warnings", "notes"):
            for text in s[level]:
                lines.append(f"  {level[:-1]}: {text}")
        lines.append("")
    for p in data["other_problems"]:
        lines.append(f"{p['level']}: {p['message']}")
    rows = data["rows"]
    words = {
        "decisions": "decision",
        "compliance": "compliance outcome",
        "published": "published row",
    }
    what = [format_count(n, words[k]) for k, n in rows.items() if n]
    if data["would_load"]:
        years = ", ".join(data["years"]) or "no year"
        lines.append(
            f"compute would load {' and '.join(what) or 'nothing'} for {years}; nothing was stored."
        )
    else:
        problems = format_count(len(data["errors"]), "problem")
        lines.append(f"compute would not load these files: {problems}; nothing was stored.")
    return "\n".join(lines) + "\n"
