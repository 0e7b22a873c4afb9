"""Contacts for letters: who each council's annual review letter is addressed to, and who it
is shared with.

A contacts file is CSV or Excel with one row per council and the columns council, name, job
title and email (headers matched like every other header: case and punctuation ignored, a few
aliases). Any number of "shared with" columns (headed ``cc``, ``copy to``, ``shared with``,
numbered or not) name who else the letter goes to, several in a cell separated by ``;`` or line
breaks; a header may carry their role (``Shared with: Leader of the Council``, ``cc (Chair of
Scrutiny)``), which is added to each name in it. Councils are matched with the register's
resolution, exactly as in decision files: a name that matches no council is an error with "did
you mean", never a silent guess.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path

from ..councils import Register
from ..errors import DataError
from ..outcomes import normalise_text
from ..read.headers import header_key
from .fields import DEFAULT_JOB_TITLE, Contact

_ALIASES: dict[str, tuple[str, ...]] = {
    "council": (
        "council",
        "authority",
        "organisation",
        "organization",
        "local authority",
        "council name",
        "authority name",
        "body",
    ),
    "name": ("name", "contact", "contact name", "chief executive", "addressee", "full name"),
    "job_title": ("job title", "title", "role", "position"),
    "email": ("email", "e-mail", "email address", "e-mail address"),
}
_KEYS = {header_key(a): field for field, names in _ALIASES.items() for a in names}
# "Shared with" columns: the words a header starts with, then (optionally) a number or a role.
_SHARED = re.compile(
    r"^\s*(?:copies to|copy to|copies|copy|cc|c\.c\.|shared with|share with|sharing with)"
    r"(?![a-z])[\s\d:.,;()\[\]–—-]*(.*?)[\s\d:.,;()\[\]–—-]*$",
    re.IGNORECASE,
)


def shared_column(header: str) -> str | None:
    """For a "shared with" column's header, the role it gives its names (``""`` for none);
    None for any other header. ``"cc 2"`` → ``""``, ``"Shared with: Leader"`` → ``"Leader"``."""
    m = _SHARED.match(header)
    return None if m is None else m.group(1).strip()


def _shared(cell: str, role: str) -> list[str]:
    names = [n.strip() for n in re.split(r"[;\n]", cell) if n.strip()]
    return [f"{n}, {role}" if role and role.lower() not in n.lower() else n for n in names]


def _rows_of(path: Path) -> list[list[object]]:
    """The first sheet of a workbook (read within the limits every workbook is read in), or a
    CSV file's rows."""
    from ..read import guards, workbook
    from ..read.text import decode_text

    kind = workbook.sniff(path)
    if kind == "encrypted":
        raise DataError(f"{path}: the workbook is password-protected; save an unprotected copy")
    if kind != "csv":
        book = workbook.parse(path, None, kind)
        if not book.tables:
            return []
        table = next(iter(book.tables.values()))
        columns = [c.to_pylist() for c in table.columns]
        return [list(r) for r in zip(*columns, strict=True)]
    text = decode_text(path, guards.MAX_CSV_BYTES)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[list[object]] = []
    try:
        for r in reader:
            rows.append(list(r))
    except csv.Error as e:
        raise DataError(f"{path.name}, line {reader.line_num}: not readable as CSV ({e})") from None
    return rows


def _cell(v: object) -> str:
    return "" if v is None else str(v).strip()


def read_contacts(
    path: str | Path,
    reg: Register,
    year: str,
    bodies: Mapping[str, str] | None = None,
) -> dict[str, Contact]:
    """Contacts by council key (GSS code, or ``name:<normalised name>`` for a body outside the
    register that is in the data: ``bodies`` maps those keys to names).

    Raises :class:`DataError` naming the file and row for a missing column, a blank name, an
    unknown council or a council listed twice.
    """
    p = Path(path)
    rows = _rows_of(p)
    header_at = next((i for i, r in enumerate(rows) if any(_cell(c) for c in r)), None)
    if header_at is None:
        raise DataError(f"{p.name}: the contacts file is empty")
    columns: dict[str, int] = {}
    shared: list[tuple[int, str]] = []  # "shared with" columns and the role each gives
    for i, h in enumerate(rows[header_at]):
        field = _KEYS.get(header_key(_cell(h)))
        role = shared_column(_cell(h)) if field is None else None
        if field and field not in columns:
            columns[field] = i
        elif role is not None:
            shared.append((i, role))
    missing = [f for f in ("council", "name") if f not in columns]
    if missing:
        raise DataError(
            f"{p.name}: no {' or '.join(repr(m.replace('_', ' ')) for m in missing)} column; "
            "a contacts file needs the columns council, name, job title and email"
        )
    body_keys = dict(bodies or {})
    out: dict[str, Contact] = {}
    first_row: dict[str, int] = {}
    for n, r in enumerate(rows[header_at + 1 :], start=header_at + 2):

        def get(field: str, r: list[object] = r) -> str:
            i = columns.get(field)
            return _cell(r[i]) if i is not None and i < len(r) else ""

        council_text = get("council")
        if not council_text and not any(_cell(c) for c in r):
            continue
        where = f"{p.name}, row {n}"
        if not council_text:
            raise DataError(f"{where}: no council named")
        council = reg.resolve(council_text, year)
        if council is not None:
            key, official = council.gss_code, council.name
        elif "name:" + normalise_text(council_text) in body_keys:
            key = "name:" + normalise_text(council_text)
            official = body_keys[key]
        else:
            hint = reg.suggestions(council_text)
            msg = f"{where}: no council called {council_text!r}"
            if hint:
                msg += f"; did you mean {' or '.join(repr(h) for h in hint)}?"
            raise DataError(msg)
        name = get("name")
        if not name:
            raise DataError(f"{where}: no name for {official}")
        if key in out:
            raise DataError(f"{where}: {official} is listed twice (rows {first_row[key]} and {n})")
        first_row[key] = n
        out[key] = Contact(
            name=name,
            job_title=get("job_title") or DEFAULT_JOB_TITLE,
            email=get("email") or None,
            shared_with=tuple(
                x for i, role in shared if i < len(r) for x in _shared(_cell(r[i]), role)
            ),
        )
    return out
