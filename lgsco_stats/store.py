"""The store: a local SQLite database of everything loaded, so that later commands work without
the spreadsheets.

Tables (readable in Datasette or the sqlite3 shell):

``decisions``   one row per case reference (a reference loaded again replaces its row);
``compliance``  one row per compliance outcome (keyed by case reference, or by source row where
                the file has no reference);
``published``   one row per authority and year from published tables (replaced as a whole);
``loads``       one row per file loaded (by content hash);
``meta``        the schema version.

Views ``decision_counts`` and ``compliance_counts`` show the counts per authority and year.

A load is one transaction (``BEGIN IMMEDIATE``): it either lands whole or leaves the store exactly
as it was; a second process loading at the same time waits for the first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import outcomes as oc
from .errors import StoreError
from .reading import COUNT_COLUMNS

SCHEMA_VERSION = 1
ENV_VAR = "LGSCO_STATS_DB"
APP_NAME = "lgsco-stats"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS decisions (
    reference TEXT PRIMARY KEY,
    authority TEXT NOT NULL,
    gss_code TEXT,
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    outcome TEXT NOT NULL,
    remedy_by_authority INTEGER NOT NULL,
    category TEXT,
    received_date TEXT,
    source TEXT,
    row INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS decisions_by_year ON decisions (year, authority_key);
CREATE TABLE IF NOT EXISTS compliance (
    key TEXT PRIMARY KEY,
    reference TEXT,
    authority TEXT NOT NULL,
    gss_code TEXT,
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    date_recorded TEXT NOT NULL,
    outcome TEXT NOT NULL,
    source TEXT,
    row INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS compliance_by_year ON compliance (year, authority_key);
CREATE TABLE IF NOT EXISTS published (
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    authority TEXT NOT NULL,
    gss_code TEXT,
    {", ".join(f"{c} INTEGER" for c in COUNT_COLUMNS)},
    source TEXT,
    row INTEGER,
    PRIMARY KEY (authority_key, year)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS loads (
    sha256 TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    decisions INTEGER NOT NULL,
    compliance INTEGER NOT NULL,
    published INTEGER NOT NULL
);
CREATE VIEW IF NOT EXISTS decision_counts AS
    SELECT authority_key, year, min(authority) AS authority, min(gss_code) AS gss_code,
           count(*) AS decisions,
           {", ".join(f"sum(outcome = '{o}') AS {o}" for o in oc.OUTCOMES)},
           sum(remedy_by_authority) AS remedy_by_authority
    FROM decisions GROUP BY authority_key, year;
CREATE VIEW IF NOT EXISTS compliance_counts AS
    SELECT authority_key, year, min(authority) AS authority, min(gss_code) AS gss_code,
           {", ".join(f"sum(outcome = '{o}') AS {o}" for o in oc.COMPLIANCE_OUTCOMES)}
    FROM compliance GROUP BY authority_key, year;
"""


def default_path() -> Path:
    """``$LGSCO_STATS_DB`` or the user data directory's ``lgsco-stats.db``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "lgsco-stats.db"


@dataclass(frozen=True)
class LoadSummary:
    """What one load wrote."""

    decisions: int
    compliance: int
    published: int
    years: tuple[str, ...]


def file_hash(paths: Sequence[str | Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


class Store:
    """An open store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_path()
        if not self.path.exists():
            if not create:
                raise StoreError(
                    f"no store at {self.path}: load data first with 'lgsco-stats compute FILE'"
                )
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create the store's folder {self.path.parent}: "
                                 f"{e.strerror}") from None
        try:
            self.db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            self.db.execute("PRAGMA foreign_keys = ON")
            self._check_schema()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable lgsco-stats store ({e})") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # ----------------------------------------------------------------- schema

    def _check_schema(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == 0 and tables:
            raise StoreError(
                f"{self.path}: a SQLite file that is not an lgsco-stats store (no schema version)"
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: made by a newer lgsco-stats (schema {version}, this one reads "
                f"{SCHEMA_VERSION}); upgrade lgsco-stats"
            )
        if version < SCHEMA_VERSION:
            # One script, one transaction: a store is created whole or not at all.
            self.db.executescript(
                "BEGIN IMMEDIATE;" + _SCHEMA
                + f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"
                + f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``; anything raised rolls back everything."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as e:
            raise StoreError(f"{self.path}: the store is busy or locked ({e})") from None
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # ----------------------------------------------------------------- writing

    def save(
        self,
        decisions: pd.DataFrame,
        compliance: pd.DataFrame,
        published: pd.DataFrame,
        *,
        files: Sequence[str | Path] = (),
    ) -> LoadSummary:
        """Write attached frames (with ``gss_code`` and ``authority_key``) in one transaction."""
        years: set[str] = set()
        try:
            with self.transaction() as db:
                if len(decisions):
                    db.executemany(
                        "INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                        "ON CONFLICT (reference) DO UPDATE SET authority = excluded.authority, "
                        "gss_code = excluded.gss_code, authority_key = excluded.authority_key, "
                        "year = excluded.year, decision_date = excluded.decision_date, "
                        "outcome = excluded.outcome, "
                        "remedy_by_authority = excluded.remedy_by_authority, "
                        "category = excluded.category, received_date = excluded.received_date, "
                        "source = excluded.source, row = excluded.row"
                        + _unless_same(_DECISION_VALUES),
                        _in_key_order(_decision_rows(decisions)),
                    )
                    years.update(decisions["year"].unique())
                if len(compliance):
                    db.executemany(
                        "INSERT INTO compliance VALUES (?,?,?,?,?,?,?,?,?,?) "
                        "ON CONFLICT (key) DO UPDATE SET reference = excluded.reference, "
                        "authority = excluded.authority, gss_code = excluded.gss_code, "
                        "authority_key = excluded.authority_key, year = excluded.year, "
                        "date_recorded = excluded.date_recorded, outcome = excluded.outcome, "
                        "source = excluded.source, row = excluded.row"
                        + _unless_same(_COMPLIANCE_VALUES),
                        _in_key_order(_compliance_rows(compliance)),
                    )
                    years.update(compliance["year"].unique())
                if len(published):
                    cols = ["authority_key", "year", "authority", "gss_code", *COUNT_COLUMNS,
                            "source", "row"]
                    marks = ",".join("?" * len(cols))
                    db.executemany(
                        f"INSERT OR REPLACE INTO published ({','.join(cols)}) VALUES ({marks})",
                        _plain_rows(published[cols]),
                    )
                    years.update(published["year"].unique())
                if files:
                    db.execute(
                        "INSERT OR REPLACE INTO loads VALUES (?,?,?,?,?,?)",
                        (file_hash(files), ", ".join(Path(f).name for f in files),
                         dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                         len(decisions), len(compliance), len(published)),
                    )
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: the load was not saved ({e}); the store is "
                             "unchanged") from None
        return LoadSummary(len(decisions), len(compliance), len(published),
                           tuple(sorted(years)))

    # ----------------------------------------------------------------- reading

    def years(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT year FROM decisions UNION SELECT DISTINCT year FROM compliance "
            "UNION SELECT DISTINCT year FROM published ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    def is_empty(self) -> bool:
        return not self.years()

    def counts(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """Counts per authority and year (the frame :func:`figures.combine_counts` makes)."""
        from .figures import combine_counts

        where, params = "", ()
        if years is not None:
            where = f"WHERE year IN ({','.join('?' * len(years))})"
            params = tuple(years)
        dec = pd.read_sql_query(
            f"SELECT * FROM decision_counts {where}", self.db, params=params)
        comp = pd.read_sql_query(
            f"SELECT * FROM compliance_counts {where}", self.db, params=params)
        pub = pd.read_sql_query(
            f"SELECT authority_key, year, authority, gss_code, {', '.join(COUNT_COLUMNS)} "
            f"FROM published {where}", self.db, params=params)
        for frame, cols in ((dec, [*oc.OUTCOMES, "remedy_by_authority"]),
                            (comp, list(oc.COMPLIANCE_OUTCOMES))):
            for c in COUNT_COLUMNS:
                if c not in frame:
                    frame[c] = pd.NA
            for c in cols:
                frame[c] = frame[c].astype("Int64")
        for c in COUNT_COLUMNS:
            pub[c] = pub[c].astype("Int64")
        return combine_counts(dec, comp, pub)

    def decisions(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """The stored decisions (all, or of some years)."""
        where, params = "", ()
        if years is not None:
            where = f"WHERE year IN ({','.join('?' * len(years))})"
            params = tuple(years)
        return pd.read_sql_query(f"SELECT * FROM decisions {where}", self.db, params=params)

    def category_counts(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """Decisions per authority, year and category (case-level data only)."""
        where, params = "WHERE category IS NOT NULL", ()
        if years is not None:
            where += f" AND year IN ({','.join('?' * len(years))})"
            params = tuple(years)
        return pd.read_sql_query(
            "SELECT authority_key, year, category, count(*) AS decisions FROM decisions "
            f"{where} GROUP BY authority_key, year, category", self.db, params=params)

    def table(self, name: str) -> pd.DataFrame:
        if name not in ("decisions", "compliance", "published", "loads"):
            raise StoreError(f"no table {name!r} in the store")
        return pd.read_sql_query(f"SELECT * FROM {name}", self.db)

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and the schema check (empty if none)."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in self.db.execute("PRAGMA foreign_key_check")]
        bad = self.db.execute(
            f"SELECT count(*) FROM decisions WHERE outcome NOT IN "
            f"({','.join(repr(o) for o in oc.OUTCOMES)})").fetchone()[0]
        if bad:
            problems.append(f"{bad} decisions have an unknown outcome")
        bad = self.db.execute(
            f"SELECT count(*) FROM compliance WHERE outcome NOT IN "
            f"({','.join(repr(o) for o in oc.COMPLIANCE_OUTCOMES)})").fetchone()[0]
        if bad:
            problems.append(f"{bad} compliance outcomes are unknown")
        return problems


def _iso(series: pd.Series) -> list[str | None]:
    s = pd.to_datetime(series)
    text = s.dt.strftime("%Y-%m-%d")
    return text.astype(object).where(s.notna(), None).tolist()


def _objects(series: pd.Series) -> list[object]:
    return series.astype(object).where(series.notna(), None).tolist()


# The non-key columns of the two case-level tables.
_DECISION_VALUES = ("authority", "gss_code", "authority_key", "year", "decision_date", "outcome",
                    "remedy_by_authority", "category", "received_date", "source", "row")
_COMPLIANCE_VALUES = ("reference", "authority", "gss_code", "authority_key", "year",
                      "date_recorded", "outcome", "source", "row")


def _unless_same(columns: Sequence[str]) -> str:
    """An upsert's ``WHERE``: update only rows that differ (``IS NOT`` treats NULLs as equal).

    Loading a file again then writes nothing: no row or index entry is rewritten, so the second
    load is no slower than the first and the store's pages (and size) stay as they were."""
    return (f" WHERE ({', '.join(columns)}) IS NOT "
            f"({', '.join('excluded.' + c for c in columns)})")


def _in_key_order(rows: Iterator[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """Rows sorted by their first value, the table's primary key.

    Files come in date order, which scatters the keys (case references) over the B-tree;
    inserting in key order appends instead: at 1M rows the insert takes half the time and the
    file is 3% smaller. Keys are unique within a load, so the order changes nothing stored."""
    return sorted(rows, key=lambda r: r[0])  # type: ignore[arg-type,return-value]


def _decision_rows(d: pd.DataFrame) -> Iterator[tuple[object, ...]]:
    return zip(
        _objects(d["reference"]), _objects(d["authority"]), _objects(d["gss_code"]),
        _objects(d["authority_key"]), _objects(d["year"]), _iso(d["decision_date"]),
        _objects(d["outcome"]), d["remedy_by_authority"].astype(int).tolist(),
        _objects(d["category"]), _iso(d["received_date"]), _objects(d["source"]),
        d["row"].astype(int).tolist(), strict=True,
    )


def _compliance_rows(c: pd.DataFrame) -> Iterator[tuple[object, ...]]:
    refs = _objects(c["reference"])
    sources = _objects(c["source"])
    rows = c["row"].astype(int).tolist()
    keys = [r if r is not None else f"{s}#{n}" for r, s, n in zip(refs, sources, rows,
                                                                   strict=True)]
    return zip(
        keys, refs, _objects(c["authority"]), _objects(c["gss_code"]),
        _objects(c["authority_key"]), _objects(c["year"]), _iso(c["date_recorded"]),
        _objects(c["outcome"]), sources, rows, strict=True,
    )


def _plain_rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    cols = [_objects(frame[c]) for c in frame.columns]
    return [tuple(int(v) if hasattr(v, "__index__") and not isinstance(v, bool) else v
                  for v in row) for row in zip(*cols, strict=True)]
