"""Typed exceptions raised by the core; the CLI renders each as one line and an exit code."""

from __future__ import annotations


class LgscoError(Exception):
    """Base class for every error the tool reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class DataError(LgscoError):
    """The input data is wrong: names the file, sheet, row and column where it can."""

    exit_code = 1


class UsageError(LgscoError):
    """The command was called wrongly (unknown type, bad option value)."""

    exit_code = 2


class NotFound(LgscoError):
    """Something asked for is not there: a council, a year with no data."""

    exit_code = 1


class OutputError(LgscoError):
    """An output file or folder cannot be written (permissions, a missing or read-only disk)."""

    exit_code = 1


class StoreError(LgscoError):
    """The store cannot be used: corrupt, locked, from another version."""

    exit_code = 1


def where(
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> str:
    """Format a location as ``file, sheet 'S', row 12, column 'Outcome'``."""
    parts: list[str] = []
    if file:
        parts.append(file)
    if sheet:
        parts.append(f"sheet {sheet!r}")
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


def rows_text(rows: list[int], limit: int = 5) -> str:
    """``row 4`` / ``rows 4, 9, 12`` / ``rows 4, 9, 12, 15, 20 and 37 more``."""
    rows = sorted(rows)
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = ", ".join(str(r) for r in rows[:limit])
    more = len(rows) - limit
    return f"rows {shown}" + (f" and {more} more" if more > 0 else "")
