"""Rendering for the CLI: the one place that uses Rich, and the one writer of output files.

Data goes to stdout (or ``--output FILE``), messages to stderr. Tables are Rich tables on a
terminal and plain aligned text when piped; ``csv``, ``json`` and ``xlsx`` carry raw numbers
(unrounded rates); ``markdown`` and tables show whole percents rounded half up. The output
file's suffix chooses the format when ``--format`` is not given (:func:`output_format`).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..escape import printable
from ..output import is_stdout, write_atomic
from ..tables import Column, plain_table, to_csv, to_json, to_markdown

if TYPE_CHECKING:
    from rich.console import Console


class Format(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


# What each word of --format means (``md`` is markdown), and the format each output suffix
# gives when --format is not given.
FORMAT_WORDS: dict[str, Format] = {**{f.value: f for f in Format}, "md": Format.markdown}
SUFFIX_FORMATS: dict[str, Format] = {
    ".csv": Format.csv,
    ".json": Format.json,
    ".md": Format.markdown,
    ".markdown": Format.markdown,
    ".xlsx": Format.xlsx,
    ".txt": Format.table,
}


def output_format(fmt: Format | None, output: Path | None) -> Format:
    """The format to write: ``--format`` if given, else the ``--output`` file's suffix (a file
    without one gets the plain table), else a table. A suffix that contradicts ``--format``, or
    one that names no format without ``--format``, is a usage error; so is xlsx to stdout."""
    from ..errors import UsageError

    suffix = output.suffix.lower() if output is not None else ""
    by_suffix = SUFFIX_FORMATS.get(suffix)
    known = ", ".join(dict.fromkeys(SUFFIX_FORMATS))
    if fmt is None:
        if suffix and by_suffix is None:
            raise UsageError(
                f"--output {output}: lgsco-stats does not write {suffix} files; end the name "
                f"in {known}, or say the format with --format"
            )
        fmt = by_suffix or Format.table
    elif by_suffix is not None and by_suffix is not fmt:
        raise UsageError(
            f"--format {fmt.value} and --output {output} disagree (a {suffix} file is "
            f"{by_suffix.value}); drop --format, or give the file a name to match"
        )
    if fmt is Format.xlsx and is_stdout(output):
        raise UsageError("--format xlsx writes a workbook: give the file with --output NAME.xlsx")
    return fmt


@dataclass(frozen=True)
class Workbook:
    """Records to be written as an Excel workbook: the data sheet (raw values under ``keys``,
    as in CSV) and a sheet with the title and notes."""

    sheet: str
    records: Sequence[dict[str, Any]]
    keys: Sequence[str]
    about: Sequence[str] = ()


def _sheet_name(title: str | None) -> str:
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in (title or ""))
    name = " ".join(name.split()).strip(" '")  # "A / B: x" → "A B x", not "A  B x"
    return name[:31].rstrip() or "data"


def _width() -> int | None:
    w = os.environ.get("TERMINAL_WIDTH") or os.environ.get("COLUMNS")
    return int(w) if w and w.isdigit() else None


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, width=_width(), soft_wrap=True)


def _say(text: str, style: str | None) -> None:
    """One message on stderr: styled by Rich on a terminal; piped or redirected, the same text
    plainly (what Rich writes there too, without importing it: 40 ms of a command's start)."""
    if sys.stderr.isatty():
        err_console().print(text, style=style, markup=False, emoji=False)
    else:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def message(text: str, *, style: str | None = None) -> None:
    """A message for the user on stderr (never data): printed as text, never as Rich markup or
    emoji codes, with any control characters (from a name or a file name) removed."""
    _say(printable(text), style)


def error(text: str, hint: str | None = None) -> None:
    """``Error: text`` on stderr; an error listing several problems keeps one line each (each
    line printable: the data in it is quoted by the core, its breaks escaped)."""
    lines = "\n".join(printable(line) for line in str(text).split("\n"))
    _say(f"Error: {lines}", "bold red")
    if hint:
        _say(f"Hint: {printable(hint)}", "yellow")


# --------------------------------------------------------------------------- cells


# --------------------------------------------------------------------------- writing


def write_text(text: str | Workbook, output: Path | None, *, what: str | None = None) -> None:
    """Write to ``output`` atomically (temp file + rename), or to stdout; a :class:`Workbook`
    through :func:`lgsco_stats.export.write_xlsx` (text stays text, never a formula). A file
    written is said on stderr (``Wrote NAME: what.``), as chart and letter say theirs."""
    if isinstance(text, Workbook):
        assert output is not None  # output_format refuses xlsx to stdout
        import pandas as pd

        from ..export import write_xlsx
        from ..tables import plain

        data = pd.DataFrame(
            [[plain(r.get(k)) for k in text.keys] for r in text.records],
            columns=list(text.keys),
            dtype=object,
        )
        sheets = {text.sheet: data}
        if text.about:
            sheets["about" if text.sheet != "about" else "notes"] = pd.DataFrame(
                {"about": list(text.about)}, dtype=object
            )
        write_xlsx(sheets, output)
    elif is_stdout(output):  # no --output, or --output -
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    else:
        assert output is not None
        write_atomic(output, text.encode("utf-8"))
    message(f"Wrote {output}: {what}." if what else f"Wrote {output}.")


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
    wide: bool = False,
) -> str:
    """A Rich table (on a terminal) or a plain aligned table (piped or to a file).

    On a terminal the table fits its width: a rate and its counts are never broken, headings and
    text columns wrap at spaces, and where that is not enough the columns of the highest
    :attr:`Column.priority` are left out (all of that priority together), with a note naming
    them and how to see them. ``wide`` keeps every column, at the width they need."""
    on_terminal = sys.stdout.isatty() if terminal is None else terminal
    if not on_terminal:
        return plain_table(
            records, columns, title=title, notes=notes, highlight=highlight, footer=footer
        )
    from rich.console import Console
    from rich.text import Text

    # The terminal's own width (or $TERMINAL_WIDTH / $COLUMNS when set, as in tests).
    width = _width() or shutil.get_terminal_size((120, 40)).columns
    cells = [[c.text(r) for c in columns] for r in [*records, *footer]]
    shown = list(range(len(columns)))
    sizes = _sizes(columns, cells, TEXT_MIN_WIDTH)
    tight = _sizes(columns, cells, TEXT_TIGHT)
    widths = _fit([sizes[i] for i in shown], width)
    while widths is None and not wide:
        top = max(columns[i].priority for i in shown)
        if top <= 1:  # names wrap more before a group figure (or a column always shown) goes
            widths = _fit([tight[i] for i in shown], width)
            sizes = tight if widths is not None else sizes
        if widths is not None or not top:
            break
        shown = [i for i in shown if columns[i].priority != top]
        widths = _fit([sizes[i] for i in shown], width)
    if widths is None:  # --wide, or too narrow even for the columns always shown
        widths = [sizes[i][1] if wide else sizes[i][0] for i in shown]
    table = _rich_table(records, columns, shown, widths, cells, title, highlight)
    console = Console(
        file=io.StringIO(),
        width=max(width, sum(widths) + _GAP * (len(widths) - 1)),
        force_terminal=True,
        no_color="NO_COLOR" in os.environ,
        highlight=False,
    )
    console.print(table)
    left_out = list(dict.fromkeys(c.heading for i, c in enumerate(columns) if i not in shown))
    if left_out:
        notes = [
            *notes,
            f"Not shown at {width} columns: {', '.join(left_out)} (--wide shows them; "
            "--format csv gives every figure).",
        ]
    for n in notes:
        console.print(Text(printable(n), style="dim"), width=width)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


# Space between two columns (no edges, padding collapsed); a text column wraps at spaces down to
# TEXT_MIN_WIDTH (or its longest cell, if narrower) before columns are left out.
_GAP = 2
TEXT_MIN_WIDTH = 26
TEXT_TIGHT = 14  # ... and down to this to keep the group figures (Column.priority 1)


def _sizes(
    columns: Sequence[Column], cells: list[list[str]], text_min: int
) -> list[tuple[int, int, bool]]:
    """Each column's narrowest and natural width: a number column is never narrower than its
    widest cell; text wraps at spaces; a heading wraps at spaces, never inside a word."""
    from rich.cells import cell_len

    out = []
    for i, c in enumerate(columns):
        texts = [row[i] for row in cells]
        longest = max((cell_len(t) for t in texts), default=0)
        word = max((cell_len(w) for t in [c.heading, *texts] for w in t.split()), default=1)
        least = max(longest if c.numeric else min(longest, text_min), word)
        out.append((least, max(longest, cell_len(c.heading), least), c.numeric))
    return out


def _fit(sizes: list[tuple[int, int, bool]], width: int) -> list[int] | None:
    """Column widths (from (narrowest, natural, numeric) sizes) that fill at most ``width``:
    every column at its natural width if that fits, else from the narrowest, the space left
    going to text columns first (names wrap less), then to numbers (headings wrap less); None
    if even the narrowest do not fit."""
    room = width - _GAP * (len(sizes) - 1)
    if sum(most for _, most, _ in sizes) <= room:
        return [most for _, most, _ in sizes]
    widths = [least for least, _, _ in sizes]
    spare = room - sum(widths)
    if spare < 0:
        return None
    for i in sorted(range(len(sizes)), key=lambda i: sizes[i][2]):
        give = min(spare, sizes[i][1] - widths[i])
        widths[i] += give
        spare -= give
    return widths


def _rich_table(
    records: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    shown: Sequence[int],
    widths: Sequence[int],
    cells: list[list[str]],
    title: str | None,
    highlight: Callable[[dict[str, Any]], bool] | None,
) -> Any:
    """The Rich table of the ``shown`` columns at ``widths``; every cell is text, never
    markup; the rows after ``records`` are the footer."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=Text(printable(title), style="bold") if title else None,
        box=box.SIMPLE_HEAVY,
        header_style="bold",
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for i, w in zip(shown, widths, strict=True):
        c = columns[i]
        table.add_column(
            Text(printable(c.heading)),
            justify="right" if c.numeric else "left",
            width=w,
            overflow="fold",
        )
    for n, row in enumerate(cells):
        if n == len(records):
            table.add_section()
        if n >= len(records):
            style = "italic"
        else:
            style = "bold reverse" if highlight and highlight(records[n]) else None
        table.add_row(*(Text(row[i]) for i in shown), style=style)
    return table


def emit(
    records: Sequence[dict[str, Any]], fmt: Format, output: Path | None, **options: Any
) -> None:
    """Write records in the chosen format to stdout or a file (``options`` as for
    :func:`prepare`)."""
    from ..rounding import format_count

    rows = format_count(len(records), "row")
    write_text(prepare(records, fmt, output, **options), output, what=rows)


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
    wide: bool = False,
) -> str | Workbook:
    """What :func:`emit` writes (for a terminal when ``output`` is None and stdout is one)."""
    if fmt is Format.xlsx:
        return Workbook(_sheet_name(title), records, keys, [t for t in (title, *notes) if t])
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
            wide=wide,
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
        self._status = err_console().status(_text(text)) if sys.stderr.isatty() else None

    def __enter__(self) -> Status:
        if self._status:
            self._status.start()
        return self

    def update(self, text: str) -> None:
        if self._status:
            self._status.update(_text(text))

    def __exit__(self, *exc: object) -> None:
        if self._status:
            self._status.stop()


def _text(text: str) -> Any:
    """Text for Rich that is never read as markup (a file named ``[/].xlsx``)."""
    from rich.text import Text

    return Text(printable(text))
