"""A user's own names for councils (``--aliases FILE``): a CSV or workbook of two columns, a name
as a data file writes it and the council it means (a name the register knows, or a GSS code),
applied before any name is matched to the register.

    name,council
    Southhampton,Southampton City Council
    Bucks CC,E06000060
"""

from __future__ import annotations

from pathlib import Path

from ..councils import Register, register
from ..errors import DataError, UsageError, where
from ..outcomes import normalise_text
from . import guards, workbook
from .text import decode_text

_NAME_HEADERS = {"name", "alias", "as written", "spelling", "written as", "authority name"}
_COUNCIL_HEADERS = {
    "council",
    "authority",
    "gss code",
    "code",
    "council name",
    "means",
    "register name",
}


def read_aliases(path: str | Path, reg: Register | None = None) -> dict[str, str]:
    """Normalised name → GSS code. Every row's council must be one the register knows (with
    "did you mean" where one is close); a name given twice for two councils is an error."""
    reg = reg or register()
    import csv
    import io

    p = Path(path)
    rows: list[tuple[int, list[object]]] = []
    label = str(p)
    kind = workbook.sniff(p)  # the same guards as every file the tool reads
    if kind == "encrypted":
        raise DataError(f"{p}: the workbook is password-protected; save an unprotected copy")
    if kind == "csv":
        text = decode_text(p, guards.MAX_CSV_BYTES)
        rows = [(i + 1, list(r)) for i, r in enumerate(csv.reader(io.StringIO(text)))]
    else:
        book = workbook.parse(p, None, kind)
        name, table = next(iter(book.tables.items()), (None, None))
        if table is not None:
            label = where(str(p), name)
            first = book.first_rows.get(name, 1)
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            rows = [(first + i, list(r)) for i, r in enumerate(zip(*columns, strict=True))]
    rows = [(n, r) for n, r in rows if any(str(c or "").strip() for c in r)]
    if rows:
        first = [normalise_text(c) for c in rows[0][1][:2]]
        if (
            first
            and first[0] in _NAME_HEADERS | {"alias name"}
            and (len(first) < 2 or first[1] in _COUNCIL_HEADERS)
        ):
            rows = rows[1:]
    out: dict[str, str] = {}
    problems: list[str] = []
    for n, r in rows:
        cells = [str(c).strip() if c is not None else "" for c in r[:2]]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            problems.append(f"{where(label, None, n)}: write a name and the council it means")
            continue
        name, council = cells
        try:
            found = reg.resolve(council)
        except UsageError as e:
            problems.append(f"{where(label, None, n)}: {e.message}")
            continue
        if found is None:
            close = reg.suggestions(council)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            problems.append(f"{where(label, None, n)}: no council called {council!r}{hint}")
            continue
        key = normalise_text(name)
        if out.get(key, found.gss_code) != found.gss_code:
            problems.append(f"{where(label, None, n)}: {name!r} is given for two councils")
            continue
        out[key] = found.gss_code
    if not out and not problems:
        raise DataError(f"{label}: no aliases found (two columns: name, council)")
    if problems:
        more = f" and {len(problems) - 20} more" if len(problems) > 20 else ""
        head = problems[0] if len(problems) == 1 else f"{len(problems)} problems in --aliases:"
        body = "" if len(problems) == 1 else "\n" + "\n".join(f"  {x}" for x in problems[:20])
        raise DataError(head + body + more)
    return out
