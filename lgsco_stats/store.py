"""The store: a local SQLite database of everything loaded, so that later commands work without
the spreadsheets.

Tables (open it in Datasette or the sqlite3 shell):

``case_rows``          the case-level rows of one kind (``decisions`` or ``compliance``) and year,
                       as one compressed Arrow IPC file per kind and year (``data``), in the
                       order loaded, with a digest of its rows; a reference loaded again
                       replaces its row;
``decision_counts``    outcome counts per authority and year, kept with ``case_rows``;
``compliance_counts``  compliance outcome counts per authority and year, likewise;
``published``          one row per authority and year from published tables (replaced as a whole);
``received``           complaints received per authority, year and category (published tables);
``authorities``        each authority name as given, with the council it resolved to
                       (``gss_code``) or ``name:…`` for a body outside the register;
``loads``              one row per file loaded (by content hash);
``meta``               the schema version (also ``PRAGMA user_version``).

The ``*_readable`` views show the counts and published rows with names and file names;
``lgsco-stats db export`` writes every case row out as CSV or Excel.

Why case rows are not one SQLite row each: inserting 200,000 rows into SQLite took 0.8 s of a
3 s load (about 4 s at 1,000,000 rows), and the store was five times larger (23 MB against
4.7 MB for 200,000 decisions). One compressed Arrow file per year is written in a few
hundredths of a second and read back as fast. Each row keeps its key (the case reference), so
the replacement rule is the same: a load looks up the stored keys, drops the rows it replaces
and rewrites only the years whose rows changed. A year whose digest is that of the load's rows
for it is known unchanged without being read back, so loading a file again costs less than
loading it the first time.

A load is one transaction (``BEGIN IMMEDIATE``): it either lands whole or leaves the store exactly
as it was; a second process loading at the same time waits for the first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import outcomes as oc
from .columns import all_distinct
from .errors import StoreError
from .reading import COUNT_COLUMNS

SCHEMA_VERSION = 4
ENV_VAR = "LGSCO_STATS_DB"
APP_NAME = "lgsco-stats"

# The two kinds of case rows, each with the column that identifies a row and the outcomes
# counted per authority and year.
KINDS = ("decisions", "compliance")
_KEY = {"decisions": "reference", "compliance": "key"}
_OUTCOMES = {"decisions": oc.OUTCOMES, "compliance": oc.COMPLIANCE_OUTCOMES}
_DATES = {"decisions": ("decision_date", "received_date"), "compliance": ("date_recorded",)}


_COUNTS_TABLE = {"decisions": "decision_counts", "compliance": "compliance_counts"}


def _count_table(kind: str) -> str:
    """A count table: per authority id and year, the number of each outcome (and, for
    decisions, of decisions and of remedies before the complaint)."""
    extra = "decisions INTEGER NOT NULL, remedy_by_authority INTEGER NOT NULL, "
    return (
        f"CREATE TABLE IF NOT EXISTS {_COUNTS_TABLE[kind]} ("
        "authority_id INTEGER NOT NULL REFERENCES authorities (id), year TEXT NOT NULL, "
        + (extra if kind == "decisions" else "")
        + ", ".join(f"{o} INTEGER NOT NULL" for o in _OUTCOMES[kind])
        + ", PRIMARY KEY (authority_id, year)) WITHOUT ROWID;"
    )


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
CREATE TABLE IF NOT EXISTS case_rows (
    kind TEXT NOT NULL CHECK (kind IN ('decisions', 'compliance')),
    year TEXT NOT NULL,
    rows INTEGER NOT NULL,
    digest TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (kind, year)
);
{_count_table("decisions")}
{_count_table("compliance")}
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
CREATE VIEW IF NOT EXISTS published_readable AS
    SELECT a.authority, a.gss_code, p.authority_key, p.year,
           {", ".join(f"p.{c}" for c in COUNT_COLUMNS)}, l.file AS source, p.row
    FROM published p JOIN authorities a ON a.id = p.authority_id
    LEFT JOIN loads l ON l.id = p.load_id;
CREATE VIEW IF NOT EXISTS decision_counts_readable AS
    SELECT a.authority, a.gss_code, a.authority_key, c.*
    FROM decision_counts c JOIN authorities a ON a.id = c.authority_id;
CREATE VIEW IF NOT EXISTS compliance_counts_readable AS
    SELECT a.authority, a.gss_code, a.authority_key, c.*
    FROM compliance_counts c JOIN authorities a ON a.id = c.authority_id;
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
            # not enforced row by row.
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
        version, tables = self._version()
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
            with self.transaction() as db:
                # Looked at again inside the write lock: another process may have created or
                # migrated the store meanwhile.
                version, tables = self._version()
                if version < SCHEMA_VERSION:
                    _create_or_migrate(db, tables)

    def _version(self) -> tuple[int, set[str]]:
        # The version and the tables in one read: another process creating the store at this
        # moment is seen either not at all or whole.
        own = not self.db.in_transaction
        if own:
            self.db.execute("BEGIN")
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            tables = {
                r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            if own:
                self.db.execute("COMMIT")
        return int(version), tables

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
        year and category loaded again replaces its count). A case reference (or, for
        compliance outcomes without one, the file and row) loaded again replaces its row,
        whatever year it was in; a year whose rows end up as they were is not rewritten, so
        loading a file again writes nothing.
        """
        years: set[str] = set()
        try:
            with self.transaction() as db:
                load_id = self._load_id(db, files, decisions, compliance, published)
                rec = received if received is not None and len(received) else None
                frames = [decisions, compliance, published] + ([rec] if rec is not None else [])
                id_dec, id_comp, id_pub, *id_rec = self._authority_ids(db, frames)
                if rec is not None:
                    db.executemany(
                        "INSERT OR REPLACE INTO received VALUES (?,?,?,?,?,?,?)",
                        zip(
                            _objects(rec["authority_key"]),
                            _objects(rec["year"]),
                            _objects(rec["category"]),
                            id_rec[0].tolist(),
                            [int(x) for x in rec["received"]],
                            [load_id] * len(rec),
                            rec["row"].astype(int).tolist(),
                            strict=True,
                        ),
                    )
                    years.update(rec["year"].unique())
                if len(decisions):
                    _merge_rows(db, "decisions", _decision_table(decisions, id_dec, load_id))
                    years.update(decisions["year"].unique())
                if len(compliance):
                    _merge_rows(db, "compliance", _compliance_table(compliance, id_comp, load_id))
                    years.update(compliance["year"].unique())
                if len(published):
                    cols = ["authority_key", "year", "authority_id", *COUNT_COLUMNS]
                    frame = published.assign(authority_id=id_pub)
                    marks = ",".join("?" * (len(cols) + 2))
                    db.executemany(
                        f"INSERT OR REPLACE INTO published ({','.join(cols)}, row, load_id) "
                        f"VALUES ({marks})",
                        [(*r, load_id) for r in _plain_rows(frame[[*cols, "row"]])],
                    )
                    years.update(published["year"].unique())
        except (sqlite3.DatabaseError, _BadRows) as e:
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
    def _authority_ids(db: sqlite3.Connection, frames: Sequence[pd.DataFrame]) -> list[np.ndarray]:
        """Each frame's authority id per row, for its (authority as given, authority_key) pair,
        adding new pairs to ``authorities``. A key is the GSS code, or ``name:…`` for a body
        outside the register (which has no code)."""
        from .figures import factorize_pairs

        factorized = [
            factorize_pairs(f["authority"], f["authority_key"]) if len(f) else (None, [])
            for f in frames
        ]
        pairs = sorted({p for _, uniques in factorized for p in uniques})  # type: ignore[misc]
        db.executemany(
            "INSERT OR IGNORE INTO authorities (authority, authority_key, gss_code) VALUES (?,?,?)",
            [(a, k, None if k.startswith("name:") else k) for a, k in pairs],
        )
        ids = {
            (a, k): i
            for i, a, k in db.execute("SELECT id, authority, authority_key FROM authorities")
        }
        out = []
        for codes, uniques in factorized:
            lookup = np.asarray([ids[p] for p in uniques], dtype=np.int64)  # type: ignore[index]
            out.append(lookup[codes] if codes is not None else lookup)
        return out

    # ----------------------------------------------------------------- reading

    def years(self) -> list[str]:
        rows = self.db.execute(
            "SELECT year FROM case_rows UNION SELECT DISTINCT year FROM published ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    def decision_years(self) -> list[str]:
        """Years with decisions (case-level or published), leaving out years that hold only
        compliance outcomes recorded after the last decisions."""
        rows = self.db.execute(
            "SELECT year FROM case_rows WHERE kind = 'decisions' "
            "UNION SELECT DISTINCT year FROM published ORDER BY 1"
        ).fetchall()
        return [r[0] for r in rows]

    def is_empty(self) -> bool:
        return not self.years()

    def row_counts(self) -> dict[str, int]:
        """How many decisions, compliance outcomes and published rows the store holds."""
        n = dict.fromkeys((*KINDS, "published"), 0)
        for kind, rows in self.db.execute("SELECT kind, sum(rows) FROM case_rows GROUP BY kind"):
            n[kind] = int(rows)
        n["published"] = self.db.execute("SELECT count(*) FROM published").fetchone()[0]
        return n

    def counts(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """Counts per authority and year (the frame :func:`figures.combine_counts` makes)."""
        from .figures import combine_counts

        return combine_counts(*self.count_parts(years))

    def count_parts(
        self, years: Sequence[str] | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Decision, compliance and published counts per authority key and year, separately,
        in key order.

        The count tables are by authority id; SQLite sums them by authority key (several
        spellings of one council's name are one council), naming each key by its least
        spelling, as the count of loaded rows does."""
        where, params = _years_clause(years, "c.")
        parts = []
        for table, cols in (
            ("decision_counts", [*oc.OUTCOMES, "remedy_by_authority"]),
            ("compliance_counts", list(oc.COMPLIANCE_OUTCOMES)),
            ("published", list(COUNT_COLUMNS)),
        ):
            # A key's gss_code is the key itself or, for a body outside the register, missing
            # for every spelling: min() is the one value. A published row is one per key.
            total = "sum" if table != "published" else ""  # published: one row, as it is
            sums = ", ".join(f"{total}(c.{c}) AS {c}" for c in cols)
            rows = self.db.execute(
                f"SELECT a.authority_key, c.year, min(a.authority), min(a.gss_code), {sums} "
                f"FROM {table} c JOIN authorities a ON a.id = c.authority_id {where} "
                "GROUP BY a.authority_key, c.year ORDER BY a.authority_key, c.year",
                params,
            ).fetchall()
            names = ["authority_key", "year", "authority", "gss_code", *cols]
            columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
            frame = pd.DataFrame(
                {
                    n: pd.array(list(v), dtype="str" if i < 4 else "Int64")
                    for i, (n, v) in enumerate(zip(names, columns, strict=True))
                }
            )
            for c in COUNT_COLUMNS:
                if c not in cols:
                    frame[c] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
            parts.append(frame[["authority_key", "year", "authority", "gss_code", *COUNT_COLUMNS]])
        return parts[0], parts[1], parts[2]

    def case_rows(self, kind: str, years: Sequence[str] | None = None) -> Any:
        """The stored rows of one kind (``decisions`` or ``compliance``) as an Arrow table with
        a ``year`` column, by year, each year's rows in the order they were loaded."""
        import pyarrow as pa

        where, params = _years_clause(years)
        where = (where + " AND" if where else "WHERE") + " kind = ?"
        tables = []
        for year, data in self.db.execute(
            f"SELECT year, data FROM case_rows {where} ORDER BY year", (*params, kind)
        ):
            t = _decode(data)
            tables.append(t.append_column("year", pa.array([year] * t.num_rows, pa.string())))
        if not tables:
            empty = _schemas()[kind].empty_table()
            return empty.append_column("year", pa.array([], pa.string()))
        return pa.concat_tables(tables)

    def decisions(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """The stored decisions (all, or of some years), with readable names."""
        return self._readable("decisions", years)

    def _readable(self, kind: str, years: Sequence[str] | None = None) -> pd.DataFrame:
        """One kind's stored rows with names and file names, by year and key (case reference):
        the same order however the rows came to be loaded."""
        rows = self.case_rows(kind, years).to_pandas()
        rows = rows.sort_values(["year", _KEY[kind]], kind="stable", ignore_index=True)
        auth = pd.read_sql_query(
            "SELECT id AS authority_id, authority, gss_code, authority_key FROM authorities",
            self.db,
        )
        loads = pd.read_sql_query("SELECT id AS load_id, file AS source FROM loads", self.db)
        rows = rows.merge(auth, on="authority_id", how="left").merge(
            loads, on="load_id", how="left"
        )
        for c in _DATES[kind]:
            rows[c] = _iso(rows[c])
        if kind == "decisions":
            rows["remedy_by_authority"] = rows["remedy_by_authority"].astype(int)
            cols = [
                "reference", "authority", "gss_code", "authority_key", "year", "decision_date",
                "outcome", "remedy_by_authority", "category", "received_date", "source", "row",
            ]  # fmt: skip
        else:
            cols = [
                "reference", "authority", "gss_code", "authority_key", "year", "date_recorded",
                "outcome", "source", "row",
            ]  # fmt: skip
        return rows[cols]

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
        rows = self.case_rows("decisions", years)
        frame = pd.DataFrame(
            {
                "authority_id": rows.column("authority_id").to_numpy(),
                "year": rows.column("year").to_pandas(),
                "category": rows.column("category").to_pandas(),
            }
        ).dropna(subset=["category"])
        auth = pd.read_sql_query(
            "SELECT id AS authority_id, authority_key FROM authorities", self.db
        )
        frame = frame.merge(auth, on="authority_id", how="left")
        out = frame.groupby(["authority_key", "year", "category"]).size()
        return out.rename("decisions").reset_index()

    def table(self, name: str) -> pd.DataFrame:
        """A table as people read it: decisions, compliance and published with names."""
        if name in KINDS:
            return self._readable(name)
        views = {"published": "published_readable", "loads": "loads"}
        if name not in views:
            raise StoreError(f"no table {name!r} in the store")
        return pd.read_sql_query(f"SELECT * FROM {views[name]}", self.db)

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and by reading every stored year back:
        each decodes, has its stated number of rows and digest, known outcomes, authorities and
        loads, each reference once and in one year only, and counts that match its rows (empty
        if no problem)."""
        problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in self.db.execute("PRAGMA foreign_key_check")]
        authorities = {r[0] for r in self.db.execute("SELECT id FROM authorities")}
        loads = {r[0] for r in self.db.execute("SELECT id FROM loads")}
        for kind in KINDS:
            seen: set[str] = set()
            for year, rows, digest, data in self.db.execute(
                "SELECT year, rows, digest, data FROM case_rows WHERE kind = ? ORDER BY year",
                (kind,),
            ).fetchall():
                name = f"{kind} {year}"
                try:
                    t = _decode(data)
                except Exception as e:  # Arrow raises several types for a damaged file
                    problems.append(f"{name}: cannot be read ({e})")
                    continue
                if t.schema != _schemas()[kind]:
                    problems.append(f"{name}: unexpected columns {t.schema.names}")
                    continue
                if t.num_rows != rows:
                    problems.append(f"{name}: {t.num_rows} rows stored, {rows} recorded")
                if _digest(t) != digest:
                    problems.append(f"{name}: its digest does not match its rows")
                frame = t.to_pandas()
                keys = frame[_KEY[kind]]
                if keys.duplicated().any():
                    problems.append(f"{name}: a key stored twice")
                if seen.intersection(keys):
                    problems.append(f"{name}: keys also stored in another year")
                seen.update(keys)
                bad = int((~frame["outcome"].isin(_OUTCOMES[kind])).sum())
                if bad:
                    problems.append(f"{name}: {bad} rows have an unknown outcome")
                if not set(frame["authority_id"]) <= authorities:
                    problems.append(f"{name}: rows of an authority not in the store")
                if not set(frame["load_id"].dropna().astype(int)) <= loads:
                    problems.append(f"{name}: rows of a load not in the store")
                stored = self.db.execute(
                    f"SELECT * FROM {_COUNTS_TABLE[kind]} WHERE year = ? ORDER BY authority_id",
                    (year,),
                ).fetchall()
                if stored != _tallies(kind, year, t):
                    problems.append(f"{name}: its counts do not match its rows")
        return problems


def _years_clause(years: Sequence[str] | None, prefix: str = "") -> tuple[str, tuple[str, ...]]:
    if years is None:
        return "", ()
    return f"WHERE {prefix}year IN ({','.join('?' * len(years))})", tuple(years)


# --------------------------------------------------------------------------- case rows


@functools.cache
def _schemas() -> dict[str, Any]:
    """The Arrow schema of each kind of case row (pyarrow is imported when first needed)."""
    import pyarrow as pa

    return {
        "decisions": pa.schema(
            [
                ("reference", pa.string(), False),
                ("authority_id", pa.int64(), False),
                ("decision_date", pa.date32(), False),
                ("outcome", pa.string(), False),
                ("remedy_by_authority", pa.bool_(), False),
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


def _decision_table(d: pd.DataFrame, ids: np.ndarray, load_id: int | None) -> Any:
    """Attached decisions as Arrow rows of the store, with their year."""
    import pyarrow as pa

    n = len(d)
    t = pa.table(
        {
            "reference": _text(d["reference"]),
            "authority_id": ids,
            "decision_date": _date(d["decision_date"]),
            "outcome": _text(d["outcome"]),
            "remedy_by_authority": d["remedy_by_authority"].astype(bool).to_numpy(),
            "category": _text(d["category"]),
            "received_date": _date(d["received_date"]),
            "load_id": pa.array([load_id] * n, pa.int64()),
            "row": d["row"].astype(np.int64).to_numpy(),
        },
        schema=_schemas()["decisions"],
    )
    return t.append_column("year", _text(d["year"]))


def _compliance_table(c: pd.DataFrame, ids: np.ndarray, load_id: int | None) -> Any:
    """Attached compliance outcomes as Arrow rows of the store, with their year. An outcome
    with no case reference is keyed by its file and row."""
    import pyarrow as pa

    ref = c["reference"].astype(object).where(c["reference"].notna(), None)
    fallback = c["source"].astype(str) + "#" + c["row"].astype(str)
    key = ref.where(ref.notna(), fallback)
    t = pa.table(
        {
            "key": _text(key),
            "reference": _text(ref),
            "authority_id": ids,
            "date_recorded": _date(c["date_recorded"]),
            "outcome": _text(c["outcome"]),
            "load_id": pa.array([load_id] * len(c), pa.int64()),
            "row": c["row"].astype(np.int64).to_numpy(),
        },
        schema=_schemas()["compliance"],
    )
    return t.append_column("year", _text(c["year"]))


def _merge_rows(db: sqlite3.Connection, kind: str, new: Any) -> None:
    """Put a load's rows of one kind (an Arrow table with a ``year`` column) into the store.

    Stored rows with a key of the load are dropped, wherever their year; each year whose rows
    change is written again whole, with its counts; a year left as it was is not touched.

    A year whose stored rows are exactly the load's rows for it (same digest) is left alone
    without being read: none of the load's other rows can be stored in it, as they would be in
    the load twice, and none of its keys can be stored in another year, as a key is stored
    once. Loading a file again therefore reads nothing back. Other years are read back and
    their keys looked up in the load's."""
    import pyarrow as pa
    import pyarrow.compute as pc

    _check_rows(kind, new)
    key = _KEY[kind]
    incoming = _by_year(new)
    # A key twice in one year is refused here (one hash pass per year: a year's keys fit the
    # processor's caches, a million keys at once do not). A key in two years of one load is
    # refused by reading, which knows the rows; were it given, both rows would be kept, by
    # this path and by the one that reads every year back alike, and `check` would say so.
    for year, rows in incoming.items():
        if not all_distinct(rows.column(key)):
            raise _BadRows(f"{kind}: a {key} appears twice in {year} in one load")
    digests = {year: _digest(rows) for year, rows in incoming.items()}
    same = {
        year
        for year, digest in db.execute("SELECT year, digest FROM case_rows WHERE kind = ?", (kind,))
        if digests.get(year) == digest
    }
    for year in same:
        del incoming[year]
    if not incoming:
        return
    # the keys of the years still to merge, the only ones that can replace stored rows
    keys = pa.concat_arrays([a for rows in incoming.values() for a in rows.column(key).chunks])
    skip = sorted(same)
    stored = [
        (year, _decode(data))
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
        _put_rows(db, kind, year, changed[year])
    for year in sorted(incoming):  # years not stored before
        _put_rows(db, kind, year, incoming[year], digests[year])


def _by_year(rows: Any) -> dict[str, Any]:
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


def _digest(rows: Any) -> str:
    """SHA-256 of one year's rows written as an uncompressed Arrow IPC stream. Equal digests
    mean equal rows; rows built another way may write differently, which only costs a
    rewrite."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, rows.schema) as w:
        w.write_table(rows)
    return hashlib.sha256(sink.getvalue()).hexdigest()


class _BadRows(Exception):
    """Rows that the store must not take (a bug in the caller: reading checks all this)."""


def _check_rows(kind: str, rows: Any) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    for field in _schemas()[kind]:
        missing = rows.column(field.name).null_count
        if not field.nullable and missing:
            raise _BadRows(f"{missing} {kind} rows have no {field.name}")
    known = pc.is_in(rows.column("outcome"), value_set=pa.array(_OUTCOMES[kind]))
    unknown = len(known) - pc.sum(known).as_py() if len(known) else 0
    if unknown:
        raise _BadRows(f"{unknown} {kind} rows have an unknown outcome")


def _put_rows(
    db: sqlite3.Connection, kind: str, year: str, rows: Any, digest: str | None = None
) -> None:
    """Replace one kind and year's rows and counts (an empty table removes the year);
    ``digest`` is the rows' :func:`_digest` when the caller has it."""
    db.execute("DELETE FROM case_rows WHERE kind = ? AND year = ?", (kind, year))
    db.execute(f"DELETE FROM {_COUNTS_TABLE[kind]} WHERE year = ?", (year,))
    if rows.num_rows == 0:
        return
    db.execute(
        "INSERT INTO case_rows (kind, year, rows, digest, data) VALUES (?,?,?,?,?)",
        (kind, year, rows.num_rows, digest or _digest(rows), _encode(rows)),
    )
    tallies = _tallies(kind, year, rows)
    marks = ",".join("?" * len(tallies[0]))
    db.executemany(f"INSERT INTO {_COUNTS_TABLE[kind]} VALUES ({marks})", tallies)


def _tallies(kind: str, year: str, rows: Any) -> list[tuple[object, ...]]:
    """The count table's rows for one year's case rows: per authority id, in id order, the
    number of decisions and remedies (decisions only) and of each outcome."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = _OUTCOMES[kind]
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
        remedy = np.bincount(
            which,
            weights=rows.column("remedy_by_authority").to_numpy(zero_copy_only=False),
            minlength=len(uniq),
        )
        for i, a in enumerate(uniq.tolist()):
            out.append((a, year, int(total[i]), int(remedy[i]), *table[i].tolist()))
    else:
        for i, a in enumerate(uniq.tolist()):
            out.append((a, year, *table[i].tolist()))
    return out


def _codec() -> str | None:
    import pyarrow as pa

    return next((c for c in ("zstd", "lz4") if pa.Codec.is_available(c)), None)


def _encode(rows: Any) -> bytes:
    """One year's rows as an Arrow IPC file (zstd-compressed where pyarrow has zstd)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    options = ipc.IpcWriteOptions(compression=_codec())
    with ipc.new_file(sink, rows.schema, options=options) as w:
        w.write_table(rows)
    return bytes(sink.getvalue())


def _decode(data: bytes) -> Any:
    import pyarrow as pa
    import pyarrow.ipc as ipc

    return ipc.open_file(pa.py_buffer(data)).read_all()


def _text(series: pd.Series) -> Any:
    """Text for Arrow, missing (None, NaN, NA) as null."""
    import pyarrow as pa

    return pa.array(series, pa.string(), from_pandas=True)


def _date(series: pd.Series) -> Any:
    import pyarrow as pa

    values = pd.to_datetime(series).to_numpy().astype("datetime64[D]")
    return pa.array(values, pa.date32(), mask=np.isnat(values))


# --------------------------------------------------------------------------- migration


def _create_or_migrate(db: sqlite3.Connection, tables: set[str]) -> None:
    """Create the schema, or bring an older store to this version, inside the caller's
    transaction. Versions 1 and 2 kept one SQLite row per case row; those rows move to
    ``case_rows`` unchanged (version 1 also lacked ``received``, which is created). Version 3
    had no digest of each year's rows: each year is read once to make it."""
    views = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
    for view in set(views) & {"decisions_readable", "compliance_readable", "decision_counts",
                              "compliance_counts"}:  # fmt: skip
        db.execute(f"DROP VIEW {view}")
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    columns = {r[1] for r in db.execute("PRAGMA table_info(case_rows)")}
    if "digest" not in columns:  # version 3
        db.execute("ALTER TABLE case_rows ADD COLUMN digest TEXT NOT NULL DEFAULT ''")
        for kind, year, data in db.execute("SELECT kind, year, data FROM case_rows").fetchall():
            db.execute(
                "UPDATE case_rows SET digest = ? WHERE kind = ? AND year = ?",
                (_digest(_decode(data)), kind, year),
            )
    for kind in KINDS:
        if kind in tables:  # the version 1 and 2 table of one SQLite row per case row
            names = ", ".join(_schemas()[kind].names)
            old = pd.read_sql_query(f"SELECT {names}, year FROM {kind}", db)
            _merge_old_rows(db, kind, old)
            db.execute(f"DROP TABLE {kind}")
    db.execute(f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _merge_old_rows(db: sqlite3.Connection, kind: str, old: pd.DataFrame) -> None:
    import pyarrow as pa

    if old.empty:
        return
    schema = _schemas()[kind]
    columns = {}
    for field in schema:
        values = old[field.name]
        if pa.types.is_date32(field.type):
            columns[field.name] = _date(values)
        elif pa.types.is_string(field.type):
            columns[field.name] = _text(values)
        elif pa.types.is_boolean(field.type):
            columns[field.name] = values.astype(bool).to_numpy()
        else:
            columns[field.name] = pa.array(values.astype("Int64"), pa.int64())
    table = pa.table(columns, schema=schema).append_column("year", _text(old["year"]))
    _merge_rows(db, kind, table)


# --------------------------------------------------------------------------- helpers


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


def _plain_rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    cols = [_objects(frame[c]) for c in frame.columns]
    return [
        tuple(int(v) if hasattr(v, "__index__") and not isinstance(v, bool) else v for v in row)
        for row in zip(*cols, strict=True)
    ]
