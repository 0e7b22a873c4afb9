"""Rendering for the CLI: the one place that uses Rich, and the one writer of output files.

Data goes to stdout (or ``--output FILE``), messages to stderr. Tables are Rich tables on a
terminal and plain aligned text when piped; ``csv`` and ``json`` carry raw numbers (unrounded
rates); ``markdown`` and tables show whole percents rounded half up.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


def _width() -> int | None:
    w = os.environ.get("TERMINAL_WIDTH") or os.environ.get("COLUMNS")
    return int(w) if w and w.isdigit() else None


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, width=_width(), soft_wrap=True)


def message(text: str, *, style: str | None = None) -> None:
    """A message for the user on stderr (never data)."""
    err_console().print(text, style=style, markup=False)


def error(text: str, hint: str | None = None) -> None:
    c = err_console()
    c.print(f"Error: {text}", style="bold red", markup=False)
    if hint:
        c.print(f"Hint: {hint}", style="yellow", markup=False)


# --------------------------------------------------------------------------- cells


def is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return str(v) in ("<NA>", "NaT", "nan")


def plain(v: object) -> Any:
    """A cell as a JSON/CSV value: numpy scalars to Python, missing to None."""
    if is_missing(v):
        return None
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        v = v.item()  # type: ignore[union-attr]
    return v


def safe_cell(v: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (see :mod:`lgsco_stats.export`)."""
    from ..export import neutralise

    return neutralise(v)


@dataclass(frozen=True)
class Column:
    """A column for display: its heading and how to show it from a whole record (by default the
    value under ``key``)."""

    key: str
    heading: str
    show: Callable[[dict[str, Any]], str] | None = None
    numeric: bool = False

    def text(self, record: dict[str, Any]) -> str:
        if self.show is not None:
            return self.show(record)
        v = record.get(self.key)
        return "" if is_missing(v) else str(v)


# --------------------------------------------------------------------------- writing


def write_text(text: str, output: Path | None) -> None:
    """Write to ``output`` atomically (temp file + rename), or to stdout."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(output, text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temp file in the same folder, then a rename."""
    path = Path(path)
    try:
        _write_atomic(path, data)
    except OSError as e:
        from ..errors import OutputError

        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    from ..export import usual_mode

    usual_mode(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with _suppress():
            os.unlink(tmp)
        raise


class _suppress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


def to_csv(records: Sequence[dict[str, Any]], keys: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(keys)
    for r in records:
        w.writerow(["" if plain(r.get(k)) is None else safe_cell(plain(r.get(k))) for k in keys])
    return buf.getvalue()


def to_json(records: Sequence[dict[str, Any]], keys: Sequence[str]) -> str:
    """A JSON array with one object per line: readable, and written by json's C encoder
    (``indent`` would switch it to the pure-Python one, ten times slower)."""
    if not records:
        return "[]\n"
    lines = []
    for r in records:
        row = {k: r.get(k) for k in keys}
        try:
            # Most cells are already Python values: the encoder asks _json_value only for the
            # others (numpy scalars, pandas' NA), instead of a Python call for every cell.
            lines.append(json.dumps(row, ensure_ascii=False, allow_nan=False, default=_json_value))
        except ValueError:  # a float NaN, which plain() makes null
            row = {k: plain(v) for k, v in row.items()}
            lines.append(json.dumps(row, ensure_ascii=False, allow_nan=False))
    return "[\n" + ",\n".join(lines) + "\n]\n"


def _json_value(v: object) -> Any:
    out = plain(v)
    if out is v:
        raise TypeError(f"{type(v).__name__} is not JSON")
    return out


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    title: str | None = None,
    notes: Sequence[str] = (),
) -> str:
    lines = []
    if title:
        lines += [f"## {_md_escape(title)}", ""]
    lines.append("| " + " | ".join(_md_escape(c.heading) for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.numeric else "---" for c in columns) + "|")
    for r in records:
        lines.append("| " + " | ".join(_md_escape(c.text(r)) for c in columns) + " |")
    if notes:
        lines.append("")
        lines += [f"{_md_escape(n)}  " for n in notes]
    return "\n".join(lines) + "\n"


def to_table_text(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    highlight: Callable[[dict[str, Any]], bool] | None = None,
    footer: Sequence[dict[str, Any]] = (),
    terminal: bool | None = None,
) -> str:
    """A Rich table (on a terminal) or a plain aligned table (piped or to a file)."""
    on_terminal = sys.stdout.isatty() if terminal is None else terminal
    if not on_terminal:
        return plain_table(
            records, columns, title=title, notes=notes, highlight=highlight, footer=footer
        )
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=title,
        box=box.SIMPLE_HEAVY if on_terminal else box.SIMPLE,
        header_style="bold" if on_terminal else None,
        title_style="bold" if on_terminal else None,
        show_edge=False,
    )
    for c in columns:
        # On a narrow terminal cells wrap at spaces ("94%" above "(17/18)"): nothing is cut,
        # and names keep a readable width while the numbers make room.
        longest = max((len(c.text(r)) for r in records), default=0)
        table.add_column(
            c.heading,
            justify="right" if c.numeric else "left",
            overflow="fold",
            min_width=None if c.numeric else min(longest, 28),
        )
    for r in records:
        style = "bold reverse" if highlight and highlight(r) and on_terminal else None
        cells = [c.text(r) for c in columns]
        if highlight and highlight(r) and not on_terminal:
            cells[0] = "> " + cells[0]
        table.add_row(*cells, style=style)
    if footer:
        table.add_section()
        for r in footer:
            table.add_row(*[c.text(r) for c in columns], style="italic" if on_terminal else None)
    # The terminal's own width (or $TERMINAL_WIDTH / $COLUMNS when set, as in tests).
    width = _width() or shutil.get_terminal_size((120, 40)).columns
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=on_terminal,
        no_color=not on_terminal or "NO_COLOR" in os.environ,
        highlight=False,
        color_system="auto" if on_terminal else None,
    )
    console.print(table)
    for n in notes:
        console.print(n, markup=False, style="dim" if on_terminal else None)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


def plain_table(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    highlight: Callable[[dict[str, Any]], bool] | None = None,
    footer: Sequence[dict[str, Any]] = (),
) -> str:
    """Aligned plain text for pipes and files: a header, a rule, the rows (``>`` marks a
    highlighted one), a rule and the footer rows, then the notes. No colour, no wrapping."""
    rows = []
    for r in records:
        cells = [c.text(r) for c in columns]
        if highlight and highlight(r):
            cells[0] = "> " + cells[0]
        rows.append(cells)
    foot = [[c.text(r) for c in columns] for r in footer]
    heads = [c.heading for c in columns]
    widths = [max(len(x[i]) for x in [heads, *rows, *foot]) for i in range(len(columns))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(w) if c.numeric else cell.ljust(w)
            for cell, w, c in zip(cells, widths, columns, strict=True)
        ]
        return " " + "   ".join(parts).rstrip()

    rule = " " + "   ".join("-" * w for w in widths)
    out = [title] if title else []
    out += [line(heads), rule, *(line(x) for x in rows)]
    if foot:
        out += [rule, *(line(x) for x in foot)]
    out += list(notes)
    return "\n".join(out) + "\n"


def emit(
    records: Sequence[dict[str, Any]], fmt: Format, output: Path | None, **options: Any
) -> None:
    """Write records in the chosen format to stdout or a file (``options`` as for
    :func:`prepare`)."""
    write_text(prepare(records, fmt, output, **options), output)


def prepare(
    records: Sequence[dict[str, Any]],
    fmt: Format,
    output: Path | None,
    *,
    columns: Sequence[Column],
    keys: Sequence[str],
    title: str | None = None,
    notes: Sequence[str] = (),
    highlight: Callable[[dict[str, Any]], bool] | None = None,
    footer: Sequence[dict[str, Any]] = (),
) -> str:
    """The text :func:`emit` writes (for a terminal when ``output`` is None and stdout is one)."""
    if fmt is Format.json:
        text = to_json(records, keys)
    elif fmt is Format.csv:
        text = to_csv(records, keys)
    elif fmt is Format.markdown:
        text = to_markdown([*records, *footer], columns, title, notes)
    else:
        text = to_table_text(
            records,
            columns,
            title=title,
            notes=notes,
            highlight=highlight,
            footer=footer,
            terminal=None if output is None else False,
        )
    return text


class Progress:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, description: str, total: int) -> None:
        self._bar = None
        if sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err_console(),
                transient=True,
            )
            self._task = self._bar.add_task(description, total=total)

    def __enter__(self) -> Progress:
        if self._bar:
            self._bar.start()
        return self

    def advance(self, n: int = 1) -> None:
        if self._bar:
            self._bar.advance(self._task, n)

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.stop()


class Status:
    """A spinner with a message on stderr when it is a terminal."""

    def __init__(self, text: str) -> None:
        self._status = err_console().status(text) if sys.stderr.isatty() else None

    def __enter__(self) -> Status:
        if self._status:
            self._status.start()
        return self

    def update(self, text: str) -> None:
        if self._status:
            self._status.update(text)

    def __exit__(self, *exc: object) -> None:
        if self._status:
            self._status.stop()
