"""The store's schema: its tables and views, and the migration of older stores to this
version."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

import pandas as pd

from .. import outcomes as oc
from ..errors import StoreError
from ..outcomes import COUNT_COLUMNS, GIVEN_RATES
from . import blobs

SCHEMA_VERSION = 5

# The two kinds of case rows, each with the column that identifies a row and the outcomes
# counted per authority and year.
KINDS = ("decisions", "compliance")
KEY = {"decisions": "reference", "compliance": "key"}
OUTCOMES = {"decisions": oc.OUTCOMES, "compliance": oc.COMPLIANCE_OUTCOMES}
DATES = {"decisions": ("decision_date", "received_date"), "compliance": ("date_recorded",)}


COUNTS_TABLE = {"decisions": "decision_counts", "compliance": "compliance_counts"}


def count_table(kind: str, name: str | None = None) -> str:
    """A count table: per authority id and year, the number of each outcome (and, for
    decisions, of decisions and of remedies before the complaint: NULL when some of its rows
    came from a file without a remedy column)."""
    extra = "decisions INTEGER NOT NULL, remedy_by_authority INTEGER, "
    return (
        f"CREATE TABLE IF NOT EXISTS {name or COUNTS_TABLE[kind]} ("
        "authority_id INTEGER NOT NULL REFERENCES authorities (id), year TEXT NOT NULL, "
        + (extra if kind == "decisions" else "")
        + ", ".join(f"{o} INTEGER NOT NULL" for o in OUTCOMES[kind])
        + ", PRIMARY KEY (authority_id, year)) WITHOUT ROWID;"
    )


SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS loads (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    decisions INTEGER NOT NULL,
    compliance INTEGER NOT NULL,
    published INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS authorities (
    id INTEGER PRIMARY KEY,
    authority TEXT NOT NULL,
    gss_code TEXT,
    authority_key TEXT NOT NULL,
    UNIQUE (authority, authority_key)
);
CREATE TABLE IF NOT EXISTS case_rows (
    kind TEXT NOT NULL CHECK (kind IN ('decisions', 'compliance')),
    year TEXT NOT NULL,
    rows INTEGER NOT NULL,
    digest TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (kind, year)
);
{count_table("decisions")}
{count_table("compliance")}
CREATE TABLE IF NOT EXISTS published (
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    {", ".join(f"{c} INTEGER" for c in COUNT_COLUMNS)},
    {", ".join(f"{c} REAL" for c in GIVEN_RATES)},
    load_id INTEGER REFERENCES loads (id),
    row INTEGER,
    PRIMARY KEY (authority_key, year)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS received (
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    category TEXT NOT NULL,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    received INTEGER NOT NULL,
    load_id INTEGER REFERENCES loads (id),
    row INTEGER,
    PRIMARY KEY (authority_key, year, category)
) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS published_readable AS
    SELECT a.authority, a.gss_code, p.authority_key, p.year,
           {", ".join(f"p.{c}" for c in (*COUNT_COLUMNS, *GIVEN_RATES))}, l.file AS source, p.row
    FROM published p JOIN authorities a ON a.id = p.authority_id
    LEFT JOIN loads l ON l.id = p.load_id;
CREATE VIEW IF NOT EXISTS decision_counts_readable AS
    SELECT a.authority, a.gss_code, a.authority_key, c.*
    FROM decision_counts c JOIN authorities a ON a.id = c.authority_id;
CREATE VIEW IF NOT EXISTS compliance_counts_readable AS
    SELECT a.authority, a.gss_code, a.authority_key, c.*
    FROM compliance_counts c JOIN authorities a ON a.id = c.authority_id;
"""


def key_sum(table: str, column: str) -> str:
    """The SQL of one count of a count table summed over an authority key's spellings (only a
    remedy count may be missing, NULL, for a spelling: then it is missing for the key), or of
    a published row's value as it is (one row per key)."""
    if table == "published":
        return f"c.{column} AS {column}"
    if column == "remedy_by_authority":
        return f"CASE WHEN count(c.{column}) = count(*) THEN sum(c.{column}) END AS {column}"
    return f"sum(c.{column}) AS {column}"


def upsert(
    db: sqlite3.Connection,
    table: str,
    columns: list[str],
    source: list[str],
    rows: Iterable[tuple[object, ...]],
) -> set[str]:
    """Insert rows of ``columns`` then ``source`` (where each came from) into a table whose key
    is ``columns[:2]`` (authority key, year) and, for ``received``, the category; a stored row
    with the key is replaced only where it differs. Returns the years of the rows that changed
    anything: loading the same rows again changes nothing."""
    key = columns[:3] if table == "received" else columns[:2]
    others = [c for c in [*columns, *source] if c not in key]
    every = [*columns, *source]
    sql = (
        f"INSERT INTO {table} ({', '.join(every)}) VALUES ({', '.join('?' * len(every))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in others)
        + f" WHERE ({', '.join(f'{table}.{c}' for c in others)}) IS NOT "
        f"({', '.join(f'excluded.{c}' for c in others)})"
    )
    by_year: dict[object, list[tuple[object, ...]]] = {}
    for r in rows:
        by_year.setdefault(r[1], []).append(r)
    changed = set()
    for year, chunk in by_year.items():
        before = db.total_changes
        db.executemany(sql, chunk)
        if db.total_changes != before:
            changed.add(str(year))
    return changed


def create_or_migrate(db: sqlite3.Connection, tables: set[str]) -> None:
    """Create the schema, or bring an older store to this version, inside the caller's
    transaction. Versions 1 and 2 kept one SQLite row per case row; those rows move to
    ``case_rows`` unchanged (version 1 also lacked ``received``, which is created). Version 3
    had no digest of each year's rows: each year is read once to make it. Version 4 had no
    totals or rates in published rows (added, missing) and a remedy flag on every decision
    (now missing where a file had no remedy column): its decisions are rewritten with the
    flag nullable, their counts unchanged."""
    # Every view is made again from SCHEMA (published_readable gains columns; versions 1 and 2
    # had views named as today's count tables).
    for (view,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall():
        db.execute(f'DROP VIEW "{view}"')
    counts_sql = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'decision_counts'"
    ).fetchone()
    if counts_sql and "remedy_by_authority INTEGER NOT NULL" in counts_sql[0]:  # version < 5
        db.execute(count_table("decisions", "decision_counts_5"))
        db.execute("INSERT INTO decision_counts_5 SELECT * FROM decision_counts")
        db.execute("DROP TABLE decision_counts")
        db.execute("ALTER TABLE decision_counts_5 RENAME TO decision_counts")
    published = {r[1] for r in db.execute("PRAGMA table_info(published)")}
    if published:
        for c in (*COUNT_COLUMNS, *GIVEN_RATES):
            if c not in published:
                kind = "REAL" if c in GIVEN_RATES else "INTEGER"
                db.execute(f"ALTER TABLE published ADD COLUMN {c} {kind}")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    columns = {r[1] for r in db.execute("PRAGMA table_info(case_rows)")}
    if "digest" not in columns:  # version 3
        db.execute("ALTER TABLE case_rows ADD COLUMN digest TEXT NOT NULL DEFAULT ''")
    for kind, year, data, digest in db.execute(
        "SELECT kind, year, data, digest FROM case_rows"
    ).fetchall():
        rows = blobs.decode(data)
        if rows.schema != blobs.schemas()[kind]:  # version 4 and before: the remedy required
            rows = rows.cast(blobs.schemas()[kind])
            data = blobs.encode(rows)
        elif digest:
            continue
        db.execute(
            "UPDATE case_rows SET digest = ?, data = ? WHERE kind = ? AND year = ?",
            (blobs.rows_digest(rows), data, kind, year),
        )
    for kind in KINDS:
        if kind in tables:  # the version 1 and 2 table of one SQLite row per case row
            names = ", ".join(blobs.schemas()[kind].names)
            old = pd.read_sql_query(f"SELECT {names}, year FROM {kind}", db)
            merge_old_rows(db, kind, old)
            db.execute(f"DROP TABLE {kind}")
    db.execute(f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def merge_old_rows(db: sqlite3.Connection, kind: str, old: pd.DataFrame) -> None:
    import pyarrow as pa

    if old.empty:
        return
    schema = blobs.schemas()[kind]
    columns = {}
    for field in schema:
        values = old[field.name]
        if pa.types.is_date32(field.type):
            columns[field.name] = blobs.date_array(values)
        elif pa.types.is_string(field.type):
            columns[field.name] = blobs.text_array(values)
        elif pa.types.is_boolean(field.type):
            columns[field.name] = values.astype(bool).to_numpy()
        else:
            columns[field.name] = pa.array(values.astype("Int64"), pa.int64())
    table = pa.table(columns, schema=schema).append_column("year", blobs.text_array(old["year"]))
    blobs.merge_rows(db, kind, table)


# Every table a store of this schema has (a store missing one was changed by hand).
TABLES = tuple(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA))


def incomplete(path: object, tables: set[str]) -> StoreError | None:
    """The error for a file whose schema version is this one's but whose tables are not all
    there (another program's SQLite file, or a store changed by hand); None if they are."""
    missing = sorted(set(TABLES) - tables)
    if not missing:
        return None
    if not set(TABLES) & tables:
        return StoreError(
            f"{path}: a SQLite file that is not an lgsco-stats store (its schema version "
            "matches, but it has none of the store's tables)"
        )
    return StoreError(
        f"{path}: the store has lost {'tables' if len(missing) > 1 else 'a table'} "
        f"({', '.join(missing)}): it was changed outside lgsco-stats",
        hint="restore a copy of the store, or move it away and load the files again",
    )


def damaged(path: object, error: BaseException) -> StoreError:
    """SQLite's error met using a store: the file's problem (a damaged page, a table changed
    by hand), one line naming it, never a bug."""
    cause = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
    return StoreError(
        f"{path}: the store is damaged ({cause})",
        hint="'lgsco-stats db check' says more; restore a copy of the store, or move it away "
        "and load the files again",
    )
