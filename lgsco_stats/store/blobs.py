"""Case rows as the store keeps them: one compressed Arrow IPC file per kind and year, with a
digest of its rows, and their count tables.

Why case rows are not one SQLite row each: see :mod:`lgsco_stats.store`.
"""

from __future__ import annotations

import functools
import hashlib
import sqlite3
from typing import Any

import numpy as np
import pandas as pd

from ..read.columns import all_distinct
from .schema import COUNTS_TABLE, KEY, OUTCOMES


@functools.cache
def schemas() -> dict[str, Any]:
    """The Arrow schema of each kind of case row (pyarrow is imported when first needed)."""
    import pyarrow as pa

    return {
        "decisions": pa.schema(
            [
                ("reference", pa.string(), False),
                ("authority_id", pa.int64(), False),
                ("decision_date", pa.date32(), False),
                ("outcome", pa.string(), False),
                ("remedy_by_authority", pa.bool_()),  # null: the file had no remedy column
                ("category", pa.string()),
                ("received_date", pa.date32()),
                ("load_id", pa.int64()),
                ("row", pa.int64()),
            ]
        ),
        "compliance": pa.schema(
            [
                ("key", pa.string(), False),
                ("reference", pa.string()),
                ("authority_id", pa.int64(), False),
                ("date_recorded", pa.date32(), False),
                ("outcome", pa.string(), False),
                ("load_id", pa.int64()),
                ("row", pa.int64()),
            ]
        ),
    }


def decision_table(d: pd.DataFrame, ids: np.ndarray, load_id: int | None) -> Any:
    """Attached decisions as Arrow rows of the store, with their year."""
    import pyarrow as pa

    n = len(d)
    t = pa.table(
        {
            "reference": text_array(d["reference"]),
            "authority_id": ids,
            "decision_date": date_array(d["decision_date"]),
            "outcome": text_array(d["outcome"]),
            "remedy_by_authority": pa.array(
                pd.array(d["remedy_by_authority"], dtype="boolean"), pa.bool_()
            ),
            "category": text_array(d["category"]),
            "received_date": date_array(d["received_date"]),
            "load_id": pa.array([load_id] * n, pa.int64()),
            "row": d["row"].astype(np.int64).to_numpy(),
        },
        schema=schemas()["decisions"],
    )
    return t.append_column("year", text_array(d["year"]))


def compliance_table(c: pd.DataFrame, ids: np.ndarray, load_id: int | None) -> Any:
    """Attached compliance outcomes as Arrow rows of the store, with their year. An outcome
    with no case reference is keyed by its file and row."""
    import pyarrow as pa

    ref = c["reference"].astype(object).where(c["reference"].notna(), None)
    fallback = c["source"].astype(str) + "#" + c["row"].astype(str)
    key = ref.where(ref.notna(), fallback)
    t = pa.table(
        {
            "key": text_array(key),
            "reference": text_array(ref),
            "authority_id": ids,
            "date_recorded": date_array(c["date_recorded"]),
            "outcome": text_array(c["outcome"]),
            "load_id": pa.array([load_id] * len(c), pa.int64()),
            "row": c["row"].astype(np.int64).to_numpy(),
        },
        schema=schemas()["compliance"],
    )
    return t.append_column("year", text_array(c["year"]))


def merge_rows(db: sqlite3.Connection, kind: str, new: Any) -> set[str]:
    """Put a load's rows of one kind (an Arrow table with a ``year`` column) into the store;
    the years written (none when the store held these rows already).

    Stored rows with a key of the load are dropped, wherever their year; each year whose rows
    change is written again whole, with its counts; a year left as it was is not touched.

    A year whose stored rows are exactly the load's rows for it (same digest) is left alone
    without being read: none of the load's other rows can be stored in it, as they would be in
    the load twice, and none of its keys can be stored in another year, as a key is stored
    once. Loading a file again therefore reads nothing back. Other years are read back and
    their keys looked up in the load's."""
    import pyarrow as pa
    import pyarrow.compute as pc

    check_rows(kind, new)
    key = KEY[kind]
    incoming = by_year(new)
    # A key twice in one year is refused here (one hash pass per year: a year's keys fit the
    # processor's caches, a million keys at once do not). A key in two years of one load is
    # refused by reading, which knows the rows; were it given, both rows would be kept, by
    # this path and by the one that reads every year back alike, and `check` would say so.
    for year, rows in incoming.items():
        if not all_distinct(rows.column(key)):
            raise BadRows(f"{kind}: a {key} appears twice in {year} in one load")
    digests = {year: rows_digest(rows) for year, rows in incoming.items()}
    same = {
        year
        for year, digest in db.execute("SELECT year, digest FROM case_rows WHERE kind = ?", (kind,))
        if digests.get(year) == digest
    }
    for year in same:
        del incoming[year]
    if not incoming:
        return set()
    # the keys of the years still to merge, the only ones that can replace stored rows
    keys = pa.concat_arrays([a for rows in incoming.values() for a in rows.column(key).chunks])
    skip = sorted(same)
    stored = [
        (year, decode(data))
        for year, data in db.execute(
            f"SELECT year, data FROM case_rows WHERE kind = ? "
            f"AND year NOT IN ({','.join('?' * len(skip))}) ORDER BY year",
            (kind, *skip),
        )
    ]
    # Which stored rows this load replaces: one lookup in the load's keys for all years.
    hits = (
        pc.is_in(pa.chunked_array([t.column(key) for _, t in stored]), value_set=keys)
        if stored
        else None
    )
    changed: dict[str, Any] = {}
    offset = 0
    for year, old in stored:
        hit = hits.slice(offset, old.num_rows)  # type: ignore[union-attr]
        offset += old.num_rows
        replaced = pc.any(hit).as_py()
        if year not in incoming and not replaced:
            continue
        kept = old.filter(pc.invert(hit)) if replaced else old
        if year in incoming:
            rows = incoming.pop(year)
            if kept.num_rows:
                rows = pa.concat_tables([kept, rows]).combine_chunks()
        else:
            rows = kept
        if not rows.equals(old):
            changed[year] = rows
    for year in sorted(changed):
        put_rows(db, kind, year, changed[year])
    for year in sorted(incoming):  # years not stored before
        put_rows(db, kind, year, incoming[year], digests[year])
    return set(changed) | set(incoming)


def by_year(rows: Any) -> dict[str, Any]:
    """A table's rows per value of its ``year`` column (dropped), each in the table's order."""
    import pyarrow as pa
    import pyarrow.compute as pc

    years = pc.dictionary_encode(rows.column("year")).combine_chunks()
    codes = years.indices.to_numpy(zero_copy_only=False)
    rows = rows.drop_columns(["year"])
    if len(codes) > 1 and (codes[1:] < codes[:-1]).any():
        order = np.argsort(codes, kind="stable")
        rows = rows.take(pa.array(order))
    counts = np.bincount(codes, minlength=len(years.dictionary)).tolist()
    out: dict[str, Any] = {}
    start = 0
    for year, n in zip(years.dictionary.to_pylist(), counts, strict=True):
        out[year] = rows.slice(start, n).combine_chunks()
        start += n
    return out


def rows_digest(rows: Any) -> str:
    """SHA-256 of one year's rows written as an uncompressed Arrow IPC stream. Equal digests
    mean equal rows; rows built another way may write differently, which only costs a
    rewrite."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, rows.schema) as w:
        w.write_table(rows)
    return hashlib.sha256(sink.getvalue()).hexdigest()


class BadRows(Exception):
    """Rows that the store must not take (a bug in the caller: reading checks all this)."""


def check_rows(kind: str, rows: Any) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    for field in schemas()[kind]:
        missing = rows.column(field.name).null_count
        if not field.nullable and missing:
            raise BadRows(f"{missing} {kind} rows have no {field.name}")
    known = pc.is_in(rows.column("outcome"), value_set=pa.array(OUTCOMES[kind]))
    unknown = len(known) - pc.sum(known).as_py() if len(known) else 0
    if unknown:
        raise BadRows(f"{unknown} {kind} rows have an unknown outcome")


def put_rows(
    db: sqlite3.Connection, kind: str, year: str, rows: Any, digest: str | None = None
) -> None:
    """Replace one kind and year's rows and counts (an empty table removes the year);
    ``digest`` is the rows' :func:`rows_digest` when the caller has it."""
    db.execute("DELETE FROM case_rows WHERE kind = ? AND year = ?", (kind, year))
    db.execute(f"DELETE FROM {COUNTS_TABLE[kind]} WHERE year = ?", (year,))
    if rows.num_rows == 0:
        return
    db.execute(
        "INSERT INTO case_rows (kind, year, rows, digest, data) VALUES (?,?,?,?,?)",
        (kind, year, rows.num_rows, digest or rows_digest(rows), encode(rows)),
    )
    tallies = count_rows(kind, year, rows)
    marks = ",".join("?" * len(tallies[0]))
    db.executemany(f"INSERT INTO {COUNTS_TABLE[kind]} VALUES ({marks})", tallies)


def count_rows(kind: str, year: str, rows: Any) -> list[tuple[object, ...]]:
    """The count table's rows for one year's case rows: per authority id, in id order, the
    number of decisions and remedies (decisions only) and of each outcome."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = OUTCOMES[kind]
    ids = rows.column("authority_id").to_numpy()
    # Authority ids are small numbers: their positions by one bincount, not a sort.
    present = np.bincount(ids) if len(ids) else np.zeros(0, np.int64)
    uniq = np.flatnonzero(present)
    position = np.zeros(len(present), np.int64)
    position[uniq] = np.arange(len(uniq))
    which = position[ids]
    code = pc.index_in(rows.column("outcome"), value_set=pa.array(values)).to_numpy(
        zero_copy_only=False
    )
    code = np.nan_to_num(code, nan=len(values)).astype(np.int64)  # unknown: counted nowhere
    width = len(values) + 1
    table = np.bincount(which * width + code, minlength=len(uniq) * width)
    table = table.reshape(len(uniq), width)[:, : len(values)]
    out: list[tuple[object, ...]] = []
    if kind == "decisions":
        total = np.bincount(which, minlength=len(uniq))
        flag = rows.column("remedy_by_authority")
        remedy = np.bincount(
            which,
            weights=pc.fill_null(flag, False).to_numpy(zero_copy_only=False),
            minlength=len(uniq),
        )
        # an authority with a decision whose remedy was not reported has no remedy count
        unknown = np.bincount(
            which,
            weights=pc.is_null(flag).to_numpy(zero_copy_only=False),
            minlength=len(uniq),
        )
        for i, a in enumerate(uniq.tolist()):
            r = None if unknown[i] else int(remedy[i])
            out.append((a, year, int(total[i]), r, *table[i].tolist()))
    else:
        for i, a in enumerate(uniq.tolist()):
            out.append((a, year, *table[i].tolist()))
    return out


def codec() -> str | None:
    import pyarrow as pa

    return next((c for c in ("zstd", "lz4") if pa.Codec.is_available(c)), None)


def encode(rows: Any) -> bytes:
    """One year's rows as an Arrow IPC file (zstd-compressed where pyarrow has zstd)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression=codec())
    with ipc.new_file(sink, rows.schema, options=options) as w:
        w.write_table(rows)
    return bytes(sink.getvalue())


def decode(data: bytes) -> Any:
    import pyarrow as pa
    import pyarrow.ipc as ipc

    return ipc.open_file(pa.py_buffer(data)).read_all()


def text_array(series: pd.Series) -> Any:
    """Text for Arrow, missing (None, NaN, NA) as null."""
    import pyarrow as pa

    return pa.array(series, pa.string(), from_pandas=True)


def date_array(series: pd.Series) -> Any:
    import pyarrow as pa

    values = pd.to_datetime(series).to_numpy().astype("datetime64[D]")
    return pa.array(values, pa.date32(), mask=np.isnat(values))
