"""Rendering for the CLI: the one place that uses Rich, and the one writer of output files.

Data goes to stdout (or ``--output FILE``), messages to stderr. Tables are Rich tables on a
terminal and plain aligned text when piped; ``csv`` and ``json`` carry raw numbers (unrounded
rates); ``markdown`` and tables show whole percents rounded half up.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..escape import printable
from ..output import is_stdout, write_atomic
from ..tables import Column, plain_table, to_csv, to_json, to_markdown

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


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
    """A message for the user on stderr (never data): printed as text, never as Rich markup or
    emoji codes, with any control characters (from a name or a file name) removed."""
    err_console().print(printable(text), style=style, markup=False, emoji=False)


def error(text: str, hint: str | None = None) -> None:
    c = err_console()
    c.print(f"Error: {printable(text)}", style="bold red", markup=False, emoji=False)
    if hint:
        c.print(f"Hint: {printable(hint)}", style="yellow", markup=False, emoji=False)


def cell(text: str) -> Text:
    """A table cell (or title) for Rich: text as it is, never markup (``[link=…]``, ``[/]``)."""
    from rich.text import Text

    return Text(printable(text))


# --------------------------------------------------------------------------- cells


# --------------------------------------------------------------------------- writing


def write_text(text: str, output: Path | None) -> None:
    """Write to ``output`` atomically (temp file + rename), or to stdout (no ``--output``, or
    ``--output -``)."""
    if is_stdout(output):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    assert output is not None
    write_atomic(output, text.encode("utf-8"))


def write_bytes(data: bytes, output: Path | None) -> None:
    """Write a file's bytes to ``output`` atomically, or to stdout (``--output -``)."""
    if is_stdout(output):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    assert output is not None
    write_atomic(output, data)


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
        title=cell(title) if title else None,
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
            cell(c.heading),
            justify="right" if c.numeric else "left",
            overflow="fold",
            min_width=None if c.numeric else min(longest, 28),
        )
    for r in records:
        style = "bold reverse" if highlight and highlight(r) and on_terminal else None
        cells = [c.text(r) for c in columns]
        if highlight and highlight(r) and not on_terminal:
            cells[0] = "> " + cells[0]
        table.add_row(*map(cell, cells), style=style)
    if footer:
        table.add_section()
        for r in footer:
            footing = [cell(c.text(r)) for c in columns]
            table.add_row(*footing, style="italic" if on_terminal else None)
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
        console.print(cell(n), style="dim" if on_terminal else None)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


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
            terminal=None if is_stdout(output) else False,
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
                TextColumn("{task.description}", markup=False),
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
        self._status = err_console().status(cell(text)) if sys.stderr.isatty() else None

    def __enter__(self) -> Status:
        if self._status:
            self._status.start()
        return self

    def update(self, text: str) -> None:
        if self._status:
            self._status.update(cell(text))

    def __exit__(self, *exc: object) -> None:
        if self._status:
            self._status.stop()
