"""What reading found wrong or worth saying: :class:`Problem` records, gathered for a whole run
so that a file with three problems takes one run to clear, not three.

Reading never prints and never stops at the first bad cell: each check adds a problem (an error,
a warning or a note) and goes on. At the end of a run :meth:`Problems.raise_errors` raises one
:class:`~lgsco_stats.errors.DataError` listing the errors (at most :data:`SHOWN`, then "and N
more"), so that nothing is stored when any is an error; warnings and notes travel with the
:class:`~.dataset.Dataset` for the command line to print.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import DataError, UsageError, rows_text, where

# How many errors one message lists before "and N more".
SHOWN = 20
LEVELS = ("error", "usage", "warning", "note")


@dataclass(frozen=True)
class Problem:
    """One thing reading found: ``level`` is ``error`` (nothing is stored), ``usage`` (an
    option is needed, e.g. ``--year``), ``warning`` (loaded, but look) or ``note`` (how
    something was read). ``text`` is the whole line, its place first."""

    level: str
    text: str
    file: str | None = None
    sheet: str | None = None
    rows: tuple[int, ...] = ()
    column: str | None = None

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "message": self.text,
            "file": self.file,
            "sheet": self.sheet,
            "rows": list(self.rows),
            "column": self.column,
        }


def place(
    file: str | None, sheet: str | None, rows: Sequence[int] = (), column: str | None = None
) -> str:
    """``file, sheet 'S', rows 4, 9, column 'Upheld'``."""
    text = where(file, sheet)
    if rows:
        text += (", " if text else "") + rows_text(list(rows))
    if column is not None:
        text += (", " if text else "") + f"column {column!r}"
    return text


@dataclass
class Problems:
    """The problems of one run, in the order found."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        level: str,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        rows: Iterable[int] = (),
        column: str | None = None,
        placed: bool = False,
    ) -> Problem:
        """Add a problem; ``message`` is prefixed with its place unless ``placed`` says it
        already names it."""
        rows = tuple(int(r) for r in rows)
        text = message
        if not placed:
            at = place(file, sheet, rows, column)
            text = f"{at}: {message}" if at else message
        problem = Problem(level, text, file, sheet, rows, column)
        self.items.append(problem)
        return problem

    def error(self, message: str, **where: object) -> Problem:
        return self.add("error", message, **where)  # type: ignore[arg-type]

    def warning(self, message: str, **where: object) -> Problem:
        return self.add("warning", message, **where)  # type: ignore[arg-type]

    def note(self, message: str, **where: object) -> Problem:
        return self.add("note", message, **where)  # type: ignore[arg-type]

    def of(self, *levels: str) -> list[Problem]:
        return [p for p in self.items if p.level in levels]

    @property
    def errors(self) -> list[Problem]:
        return self.of("error", "usage")

    def raise_errors(self) -> None:
        """Raise one error listing every error found (a :class:`UsageError` when the only
        problems are options the command needs), or do nothing."""
        errors = self.errors
        if not errors:
            return
        usage = all(p.level == "usage" for p in errors)
        cls = UsageError if usage else DataError
        hint = None
        if any("--map" in p.text for p in errors) or any("no column for" in p.text for p in errors):
            hint = "name a column with --map FIELD=HEADER, e.g. --map outcome=Result"
        raise cls(error_text(errors), hint=hint)


def error_text(errors: Sequence[Problem]) -> str:
    """One line for one error; a count and one indented line each for several (at most
    :data:`SHOWN`, then "and N more")."""
    if len(errors) == 1:
        return errors[0].text
    # by file, sheet and row, in the order found otherwise
    errors = sorted(errors, key=lambda p: (p.file or "", p.sheet or "", min(p.rows, default=0)))
    lines = [f"{len(errors)} problems; nothing was stored:"]
    lines += [f"  {p.text}" for p in errors[:SHOWN]]
    if len(errors) > SHOWN:
        lines.append(f"  and {len(errors) - SHOWN} more")
    return "\n".join(lines)


def ranges(rows: Iterable[int]) -> str:
    """``[12]`` → ``"row 12"``; ``[14, 15, 17]`` → ``"rows 14-15, 17"``."""
    rs = sorted(set(rows))
    parts: list[str] = []
    i = 0
    while i < len(rs):
        j = i
        while j + 1 < len(rs) and rs[j + 1] == rs[j] + 1:
            j += 1
        parts.append(str(rs[i]) if i == j else f"{rs[i]}-{rs[j]}")
        i = j + 1
    word = "row" if len(rs) == 1 else "rows"
    return f"{word} {', '.join(parts)}"
