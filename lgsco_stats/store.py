"""The store: a local SQLite database of everything loaded, so that later commands work without
the spreadsheets.

Tables (open it in Datasette or the sqlite3 shell):

``decisions``    one row per case reference (a reference loaded again replaces its row);
``compliance``   one row per compliance outcome (keyed by case reference, or by source row where
                 the file has no reference);
``published``    one row per authority and year from published tables (replaced as a whole);
``authorities``  each authority name as given, with the council it resolved to (``gss_code``) or
                 ``name:…`` for a body outside the register;
``loads``        one row per file loaded (by content hash);
``meta``         the schema version (also ``PRAGMA user_version``).

The ``*_readable`` views show decisions, compliance outcomes and published rows with names and
file names, and ``decision_counts`` and ``compliance_counts`` the counts per authority and year.

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

import numpy as np
import pandas as pd

from . import outcomes as oc
from .errors import StoreError
from .reading import COUNT_COLUMNS

SCHEMA_VERSION = 2
ENV_VAR = "LGSCO_STATS_DB"
APP_NAME = "lgsco-stats"

_SCHEMA = f"""
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
CREATE TABLE IF NOT EXISTS decisions (
    reference TEXT PRIMARY KEY,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    year TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    outcome TEXT NOT NULL,
    remedy_by_authority INTEGER NOT NULL,
    category TEXT,
    received_date TEXT,
    load_id INTEGER REFERENCES loads (id),
    row INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS compliance (
    key TEXT PRIMARY KEY,
    reference TEXT,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    year TEXT NOT NULL,
    date_recorded TEXT NOT NULL,
    outcome TEXT NOT NULL,
    load_id INTEGER REFERENCES loads (id),
    row INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS published (
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    {", ".join(f"{c} INTEGER" for c in COUNT_COLUMNS)},
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
CREATE VIEW IF NOT EXISTS decisions_readable AS
    SELECT d.reference, a.authority, a.gss_code, a.authority_key, d.year, d.decision_date,
           d.outcome, d.remedy_by_authority, d.category, d.received_date,
           l.file AS source, d.row
    FROM decisions d JOIN authorities a ON a.id = d.authority_id
    LEFT JOIN loads l ON l.id = d.load_id;
CREATE VIEW IF NOT EXISTS compliance_readable AS
    SELECT c.reference, a.authority, a.gss_code, a.authority_key, c.year, c.date_recorded,
           c.outcome, l.file AS source, c.row
    FROM compliance c JOIN authorities a ON a.id = c.authority_id
    LEFT JOIN loads l ON l.id = c.load_id;
CREATE VIEW IF NOT EXISTS published_readable AS
    SELECT a.authority, a.gss_code, p.authority_key, p.year,
           {", ".join(f"p.{c}" for c in COUNT_COLUMNS)}, l.file AS source, p.row
    FROM published p JOIN authorities a ON a.id = p.authority_id
    LEFT JOIN loads l ON l.id = p.load_id;
CREATE VIEW IF NOT EXISTS decision_counts AS
    SELECT a.authority_key, d.year, min(a.authority) AS authority, min(a.gss_code) AS gss_code,
           count(*) AS decisions,
           {", ".join(f"sum(d.outcome = '{o}') AS {o}" for o in oc.OUTCOMES)},
           sum(d.remedy_by_authority) AS remedy_by_authority
    FROM decisions d JOIN authorities a ON a.id = d.authority_id
    GROUP BY a.authority_key, d.year;
CREATE VIEW IF NOT EXISTS compliance_counts AS
    SELECT a.authority_key, c.year, min(a.authority) AS authority, min(a.gss_code) AS gss_code,
           {", ".join(f"sum(c.outcome = '{o}') AS {o}" for o in oc.COMPLIANCE_OUTCOMES)}
    FROM compliance c JOIN authorities a ON a.id = c.authority_id
    GROUP BY a.authority_key, c.year;
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
    load_id: int | None = None


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
                raise StoreError(
                    f"cannot create the store's folder {self.path.parent}: {e.strerror}"
                ) from None
        try:
            self.db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            # REFERENCES clauses document the links (Datasette shows names for ids); they are
            # not enforced row by row, which would double the cost of a large load.
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
        # Read the version and the tables in one read transaction: another process creating
        # the store at this moment is seen either not at all or whole.
        self.db.execute("BEGIN")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            self.db.execute("COMMIT")
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
            # One script, one transaction: a store is created (or a version 1 store given the
            # `received` table of version 2) whole or not at all. Every statement of the schema
            # is CREATE … IF NOT EXISTS, so the same script migrates.
            self.db.executescript(
                "BEGIN IMMEDIATE;"
                + _SCHEMA
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
        received: pd.DataFrame | None = None,
    ) -> LoadSummary:
        """Write attached frames (with ``gss_code`` and ``authority_key``) in one transaction.

        ``received`` holds complaints received by category from published tables (a council,
        year and category loaded again replaces its count).

        Decisions are inserted in order of reference: SQLite's B-tree then appends instead of
        splitting pages at random, which makes a 1,000,000-row load several times faster.
        """
        years: set[str] = set()
        try:
            with self.transaction() as db:
                load_id = self._load_id(db, files, decisions, compliance, published)
                rec = received if received is not None and len(received) else None
                frames = [decisions, compliance, published] + ([rec] if rec is not None else [])
                ids = self._authority_ids(db, frames)
                if rec is not None:
                    db.executemany(
                        "INSERT OR REPLACE INTO received VALUES (?,?,?,?,?,?,?)",
                        zip(
                            _objects(rec["authority_key"]),
                            _objects(rec["year"]),
                            _objects(rec["category"]),
                            _id_column(rec, ids),
                            [int(x) for x in rec["received"]],
                            [load_id] * len(rec),
                            rec["row"].astype(int).tolist(),
                            strict=True,
                        ),
                    )
                    years.update(rec["year"].unique())
                if len(decisions):
                    db.executemany(
                        "INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?) "
                        "ON CONFLICT (reference) DO UPDATE SET "
                        "authority_id = excluded.authority_id, year = excluded.year, "
                        "decision_date = excluded.decision_date, outcome = excluded.outcome, "
                        "remedy_by_authority = excluded.remedy_by_authority, "
                        "category = excluded.category, received_date = excluded.received_date, "
                        "load_id = excluded.load_id, row = excluded.row"
                        + _unless_same(_DECISION_VALUES),
                        _decision_rows(_sorted(decisions, "reference"), ids, load_id),
                    )
                    years.update(decisions["year"].unique())
                if len(compliance):
                    db.executemany(
                        "INSERT INTO compliance VALUES (?,?,?,?,?,?,?,?) "
                        "ON CONFLICT (key) DO UPDATE SET reference = excluded.reference, "
                        "authority_id = excluded.authority_id, year = excluded.year, "
                        "date_recorded = excluded.date_recorded, outcome = excluded.outcome, "
                        "load_id = excluded.load_id, row = excluded.row"
                        + _unless_same(_COMPLIANCE_VALUES),
                        _compliance_rows(_sorted(compliance, "reference"), ids, load_id),
                    )
                    years.update(compliance["year"].unique())
                if len(published):
                    cols = ["authority_key", "year", "authority_id", *COUNT_COLUMNS]
                    frame = published.assign(authority_id=_id_column(published, ids))
                    marks = ",".join("?" * (len(cols) + 2))
                    db.executemany(
                        f"INSERT OR REPLACE INTO published ({','.join(cols)}, row, load_id) "
                        f"VALUES ({marks})",
                        [(*r, load_id) for r in _plain_rows(frame[[*cols, "row"]])],
                    )
                    years.update(published["year"].unique())
        except sqlite3.DatabaseError as e:
            raise StoreError(
                f"{self.path}: the load was not saved ({e}); the store is unchanged"
            ) from None
        return LoadSummary(
            len(decisions), len(compliance), len(published), tuple(sorted(years)), load_id
        )

    @staticmethod
    def _load_id(
        db: sqlite3.Connection,
        files: Sequence[str | Path],
        decisions: pd.DataFrame,
        compliance: pd.DataFrame,
        published: pd.DataFrame,
    ) -> int | None:
        if not files:
            return None
        digest = file_hash(files)
        db.execute(
            "INSERT INTO loads (sha256, file, loaded_at, decisions, compliance, published) "
            "VALUES (?,?,?,?,?,?) ON CONFLICT (sha256) DO UPDATE SET loaded_at = "
            "excluded.loaded_at",
            (
                digest,
                ", ".join(Path(f).name for f in files),
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                len(decisions),
                len(compliance),
                len(published),
            ),
        )
        row = db.execute("SELECT id FROM loads WHERE sha256 = ?", (digest,)).fetchone()
        return int(row[0])

    @staticmethod
    def _authority_ids(
        db: sqlite3.Connection, frames: Sequence[pd.DataFrame]
    ) -> dict[tuple[str, str], int]:
        """(authority as given, authority_key) → id, adding new ones."""
        pairs: set[tuple[str, str, str | None]] = set()
        for f in frames:
            if len(f):
                u = f[["authority", "authority_key", "gss_code"]].drop_duplicates()
                for a, k, g in u.itertuples(index=False):
                    pairs.add((a, k, g if isinstance(g, str) else None))
        db.executemany(
            "INSERT OR IGNORE INTO authorities (authority, authority_key, gss_code) VALUES (?,?,?)",
            sorted(pairs, key=lambda p: (p[0], p[1])),
        )
        return {
            (a, k): i
            for i, a, k in db.execute("SELECT id, authority, authority_key FROM authorities")
        }

    # ----------------------------------------------------------------- reading

    def years(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT year FROM decisions UNION SELECT DISTINCT year FROM compliance "
            "UNION SELECT DISTINCT year FROM published ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    def decision_years(self) -> list[str]:
        """Years with decisions (case-level or published), leaving out years that hold only
        compliance outcomes recorded after the last decisions."""
        rows = self.db.execute(
            "SELECT DISTINCT year FROM decisions UNION SELECT DISTINCT year FROM published "
            "ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    def is_empty(self) -> bool:
        return not self.years()

    def counts(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """Counts per authority and year (the frame :func:`figures.combine_counts` makes)."""
        from .figures import combine_counts

        return combine_counts(*self.count_parts(years))

    def count_parts(
        self, years: Sequence[str] | None = None, *, exclude_load: int | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Decision, compliance and published counts per authority key and year, separately.

        ``exclude_load`` leaves out the decisions and compliance outcomes last written by that
        load (a caller that holds them in memory counts them faster there). Aggregates by the
        integer authority id in SQL, then by authority key in pandas: cheaper than joining every
        decision to its authority."""
        where, params = _years_clause(years)
        rows_where, rows_params = where, params
        if exclude_load is not None:
            rows_where = (where + " AND" if where else "WHERE") + " load_id IS NOT ?"
            rows_params = (*params, exclude_load)
        auth = pd.read_sql_query(
            "SELECT id AS authority_id, authority, gss_code, authority_key FROM authorities",
            self.db,
        )
        dec = pd.read_sql_query(
            "SELECT authority_id, year, "
            + ", ".join(f"sum(outcome = '{o}') AS {o}" for o in oc.OUTCOMES)
            + ", sum(remedy_by_authority) AS remedy_by_authority "
            f"FROM decisions {rows_where} GROUP BY authority_id, year",
            self.db,
            params=rows_params,
        )
        comp = pd.read_sql_query(
            "SELECT authority_id, year, "
            + ", ".join(f"sum(outcome = '{o}') AS {o}" for o in oc.COMPLIANCE_OUTCOMES)
            + f" FROM compliance {rows_where} GROUP BY authority_id, year",
            self.db,
            params=rows_params,
        )
        pub = pd.read_sql_query(
            f"SELECT authority_id, year, {', '.join(COUNT_COLUMNS)} FROM published {where}",
            self.db,
            params=params,
        )
        parts = []
        for frame, cols in (
            (dec, [*oc.OUTCOMES, "remedy_by_authority"]),
            (comp, list(oc.COMPLIANCE_OUTCOMES)),
            (pub, list(COUNT_COLUMNS)),
        ):
            f = frame.merge(auth, on="authority_id", how="left")
            for c in COUNT_COLUMNS:
                f[c] = (
                    f[c].astype("Int64")
                    if c in f
                    else pd.Series(pd.NA, index=f.index, dtype="Int64")
                )
            if frame is not pub and len(f):
                labels = f.groupby(["authority_key", "year"]).agg(
                    authority=("authority", "min"), gss_code=("gss_code", "first")
                )
                sums = f.groupby(["authority_key", "year"])[cols].sum(min_count=1)
                f = labels.join(sums).reset_index()
                for c in COUNT_COLUMNS:
                    if c not in cols:
                        f[c] = pd.Series(pd.NA, index=f.index, dtype="Int64")
            parts.append(f[["authority_key", "year", "authority", "gss_code", *COUNT_COLUMNS]])
        return parts[0], parts[1], parts[2]

    def decisions(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """The stored decisions (all, or of some years), with readable names."""
        where, params = _years_clause(years)
        return pd.read_sql_query(
            f"SELECT * FROM decisions_readable {where}", self.db, params=params
        )

    def received_counts(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """Complaints received per authority key, year and category (from published tables)."""
        where, params = _years_clause(years)
        return pd.read_sql_query(
            f"SELECT authority_key, year, category, received FROM received {where}",
            self.db,
            params=params,
        )

    def category_counts(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """Decisions per authority, year and category (case-level data only)."""
        where, params = _years_clause(years, "d.")
        where = (where + " AND" if where else "WHERE") + " d.category IS NOT NULL"
        return pd.read_sql_query(
            "SELECT a.authority_key, d.year, d.category, count(*) AS decisions "
            "FROM decisions d JOIN authorities a ON a.id = d.authority_id "
            f"{where} GROUP BY a.authority_key, d.year, d.category",
            self.db,
            params=params,
        )

    def table(self, name: str) -> pd.DataFrame:
        """A table as people read it: decisions, compliance and published with names."""
        views = {
            "decisions": "decisions_readable",
            "compliance": "compliance_readable",
            "published": "published_readable",
            "loads": "loads",
        }
        if name not in views:
            raise StoreError(f"no table {name!r} in the store")
        return pd.read_sql_query(f"SELECT * FROM {views[name]}", self.db)

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and the schema check (empty if none)."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in self.db.execute("PRAGMA foreign_key_check")]
        bad = self.db.execute(
            f"SELECT count(*) FROM decisions WHERE outcome NOT IN "
            f"({','.join(repr(o) for o in oc.OUTCOMES)})"
        ).fetchone()[0]
        if bad:
            problems.append(f"{bad} decisions have an unknown outcome")
        bad = self.db.execute(
            f"SELECT count(*) FROM compliance WHERE outcome NOT IN "
            f"({','.join(repr(o) for o in oc.COMPLIANCE_OUTCOMES)})"
        ).fetchone()[0]
        if bad:
            problems.append(f"{bad} compliance outcomes are unknown")
        return problems


def _years_clause(years: Sequence[str] | None, prefix: str = "") -> tuple[str, tuple[str, ...]]:
    if years is None:
        return "", ()
    return f"WHERE {prefix}year IN ({','.join('?' * len(years))})", tuple(years)


# The non-key columns of the two case-level tables.
_DECISION_VALUES = (
    "authority_id",
    "year",
    "decision_date",
    "outcome",
    "remedy_by_authority",
    "category",
    "received_date",
    "load_id",
    "row",
)
_COMPLIANCE_VALUES = (
    "reference",
    "authority_id",
    "year",
    "date_recorded",
    "outcome",
    "load_id",
    "row",
)


def _unless_same(columns: Sequence[str]) -> str:
    """An upsert's ``WHERE``: update only rows that differ (``IS NOT`` treats NULLs as equal).
    Loading a file again then rewrites no row: no slower than the first load, and the store's
    pages (and size) stay as they were."""
    return f" WHERE ({', '.join(columns)}) IS NOT ({', '.join('excluded.' + c for c in columns)})"


def _sorted(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows in order of a text column (Arrow's sort: about 0.3 s for 1,000,000 references)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    order = pc.sort_indices(pa.array(frame[column].astype(str).to_numpy(), type=pa.string()))
    return frame.take(order.to_numpy())


def _iso(series: pd.Series) -> list[str | None]:
    """Dates as ISO text, formatting each distinct date once (a year has 365)."""
    codes, uniq = pd.factorize(pd.to_datetime(series), use_na_sentinel=True)
    lookup = np.asarray([*(u.strftime("%Y-%m-%d") for u in uniq), None], dtype=object)
    return lookup[codes].tolist()  # type: ignore[no-any-return]


def _objects(series: pd.Series) -> list[object]:
    """Values for SQLite, missing as None, each distinct value converted once."""
    codes, uniq = pd.factorize(series, use_na_sentinel=True)
    lookup = np.asarray([*uniq.tolist(), None], dtype=object)
    return lookup[codes].tolist()  # type: ignore[no-any-return]


def _id_column(frame: pd.DataFrame, ids: dict[tuple[str, str], int]) -> list[int]:
    from .figures import factorize_pairs

    codes, uniques = factorize_pairs(frame["authority"], frame["authority_key"])
    lookup = np.asarray([ids[(a, k)] for a, k in uniques], dtype=np.int64)  # type: ignore[index]
    return lookup[codes].tolist()  # type: ignore[no-any-return]


def _decision_rows(
    d: pd.DataFrame, ids: dict[tuple[str, str], int], load_id: int | None
) -> Iterator[tuple[object, ...]]:
    n = len(d)
    return zip(
        _objects(d["reference"]),
        _id_column(d, ids),
        _objects(d["year"]),
        _iso(d["decision_date"]),
        _objects(d["outcome"]),
        d["remedy_by_authority"].astype(int).tolist(),
        _objects(d["category"]),
        _iso(d["received_date"]),
        [load_id] * n,
        d["row"].astype(int).tolist(),
        strict=True,
    )


def _compliance_rows(
    c: pd.DataFrame, ids: dict[tuple[str, str], int], load_id: int | None
) -> Iterator[tuple[object, ...]]:
    refs = _objects(c["reference"])
    sources = _objects(c["source"])
    rows = c["row"].astype(int).tolist()
    keys = [r if r is not None else f"{s}#{n}" for r, s, n in zip(refs, sources, rows, strict=True)]
    return zip(
        keys,
        refs,
        _id_column(c, ids),
        _objects(c["year"]),
        _iso(c["date_recorded"]),
        _objects(c["outcome"]),
        [load_id] * len(c),
        rows,
        strict=True,
    )


def _plain_rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    cols = [_objects(frame[c]) for c in frame.columns]
    return [
        tuple(int(v) if hasattr(v, "__index__") and not isinstance(v, bool) else v for v in row)
        for row in zip(*cols, strict=True)
    ]
