"""The :class:`Store`: opening, loading into and reading from the SQLite file (see
:mod:`lgsco_stats.store` for its tables)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import outcomes as oc
from ..errors import StoreError
from ..outcomes import COUNT_COLUMNS, GIVEN_RATES
from ..output import protect
from . import blobs, schema
from .schema import COUNTS_TABLE, DATES, KEY, KINDS, OUTCOMES, SCHEMA_VERSION, create_or_migrate

ENV_VAR = "LGSCO_STATS_DB"
APP_NAME = "lgsco-stats"


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
    changed: tuple[str, ...] = ()  # the years whose stored data changed (none: nothing new)


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
        protect(self.path)  # no output is ever written over it
        try:
            self.db = sqlite3.connect(self.path, timeout=120, isolation_level=None)
            # REFERENCES clauses document the links (Datasette shows names for ids); they are
            # not enforced row by row.
            self._check_schema()
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: not a usable lgsco-stats store ({e})") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        self.close()
        if isinstance(error, sqlite3.DatabaseError | pd.errors.DatabaseError):  # not a bug
            raise schema.damaged(self.path, error) from None

    def close(self) -> None:
        self.db.close()

    # ----------------------------------------------------------------- schema

    def _check_schema(self) -> None:
        version, tables = self._version()
        if version == 0 and tables:
            raise StoreError(
                f"{self.path}: a SQLite file that is not an lgsco-stats store (no schema version)"
            )
        if version == SCHEMA_VERSION and (problem := schema.incomplete(self.path, tables)):
            raise problem
        if 0 < version < SCHEMA_VERSION and not {"meta", "authorities"} & tables:
            raise schema.incomplete(self.path, tables)  # not a store of an older version either
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
                    create_or_migrate(db, tables)

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
        changed: set[str] = set()  # only the years of rows that were not stored as they are
        try:
            with self.transaction() as db:
                load_id = self._load_id(db, files, decisions, compliance, published)
                rec = received if received is not None and len(received) else None
                frames = [decisions, compliance, published] + ([rec] if rec is not None else [])
                id_dec, id_comp, id_pub, *id_rec = self._authority_ids(db, frames)
                if rec is not None:
                    changed |= schema.upsert(
                        db,
                        "received",
                        ["authority_key", "year", "category", "authority_id", "received"],
                        ["load_id", "row"],
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
                    changed |= blobs.merge_rows(
                        db, "decisions", blobs.decision_table(decisions, id_dec, load_id)
                    )
                    years.update(decisions["year"].unique())
                if len(compliance):
                    changed |= blobs.merge_rows(
                        db, "compliance", blobs.compliance_table(compliance, id_comp, load_id)
                    )
                    years.update(compliance["year"].unique())
                if len(published):
                    cols = ["authority_key", "year", "authority_id", *COUNT_COLUMNS, *GIVEN_RATES]
                    frame = published.assign(authority_id=id_pub)
                    changed |= schema.upsert(
                        db,
                        "published",
                        cols,
                        ["row", "load_id"],
                        [(*r, load_id) for r in _plain_rows(frame[[*cols, "row"]])],
                    )
                    years.update(published["year"].unique())
        except (sqlite3.DatabaseError, blobs.BadRows) as e:
            raise StoreError(
                f"{self.path}: the load was not saved ({e}); the store is unchanged"
            ) from None
        counted = (len(decisions), len(compliance), len(published), tuple(sorted(years)))
        return LoadSummary(*counted, load_id, tuple(sorted(changed)))

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
        from ..counts import factorize_pairs

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
        from ..counts import combine_counts

        return combine_counts(*self.count_parts(years))

    def count_parts(
        self, years: Sequence[str] | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Decision, compliance and published counts per authority key and year, separately,
        in key order (with a published row's given rates).

        The count tables are by authority id; SQLite sums them by authority key (several
        spellings of one council's name are one council), naming each key by its least
        spelling, as the count of loaded rows does. A count missing for one spelling is missing
        for the key."""
        from ..counts import counts_frame

        where, params = _years_clause(years, "c.")
        parts = []
        for table, cols in (
            ("decision_counts", [*oc.OUTCOMES, "remedy_by_authority"]),
            ("compliance_counts", list(oc.COMPLIANCE_OUTCOMES)),
            ("published", [*COUNT_COLUMNS, *GIVEN_RATES]),
        ):
            # A key's gss_code is the key itself or, for a body outside the register, missing
            # for every spelling: min() is the one value. A published row is one per key.
            sums = ", ".join(schema.key_sum(table, c) for c in cols)
            rows = self.db.execute(
                f"SELECT a.authority_key, c.year, min(a.authority), min(a.gss_code), {sums} "
                f"FROM {table} c JOIN authorities a ON a.id = c.authority_id {where} "
                "GROUP BY a.authority_key, c.year ORDER BY a.authority_key, c.year",
                params,
            ).fetchall()
            names = ["authority_key", "year", "authority", "gss_code", *cols]
            columns = dict(zip(names, zip(*rows, strict=True), strict=True)) if rows else {}
            parts.append(counts_frame(columns, len(rows)))
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
            t = blobs.decode(data)
            tables.append(t.append_column("year", pa.array([year] * t.num_rows, pa.string())))
        if not tables:
            empty = blobs.schemas()[kind].empty_table()
            return empty.append_column("year", pa.array([], pa.string()))
        return pa.concat_tables(tables)

    def decisions(self, years: Sequence[str] | None = None) -> pd.DataFrame:
        """The stored decisions (all, or of some years), with readable names."""
        return self._readable("decisions", years)

    def _readable(self, kind: str, years: Sequence[str] | None = None) -> pd.DataFrame:
        """One kind's stored rows with names and file names, by year and key (case reference):
        the same order however the rows came to be loaded."""
        rows = self.case_rows(kind, years).to_pandas()
        rows = rows.sort_values(["year", KEY[kind]], kind="stable", ignore_index=True)
        auth = pd.read_sql_query(
            "SELECT id AS authority_id, authority, gss_code, authority_key FROM authorities",
            self.db,
        )
        loads = pd.read_sql_query("SELECT id AS load_id, file AS source FROM loads", self.db)
        rows = rows.merge(auth, on="authority_id", how="left").merge(
            loads, on="load_id", how="left"
        )
        for c in DATES[kind]:
            rows[c] = _iso(rows[c])
        if kind == "decisions":
            rows["remedy_by_authority"] = rows["remedy_by_authority"].astype("Int64")
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
        try:
            problems = [r[0] for r in self.db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        except sqlite3.DatabaseError as e:  # too damaged for the check to run
            return [f"SQLite cannot check it: {e}"]
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
                    t = blobs.decode(data)
                except Exception as e:  # Arrow raises several types for a damaged file
                    problems.append(f"{name}: cannot be read ({e})")
                    continue
                if t.schema != blobs.schemas()[kind]:
                    problems.append(f"{name}: unexpected columns {t.schema.names}")
                    continue
                if t.num_rows != rows:
                    problems.append(f"{name}: {t.num_rows} rows stored, {rows} recorded")
                if blobs.rows_digest(t) != digest:
                    problems.append(f"{name}: its digest does not match its rows")
                frame = t.to_pandas()
                keys = frame[KEY[kind]]
                if keys.duplicated().any():
                    problems.append(f"{name}: a key stored twice")
                if seen.intersection(keys):
                    problems.append(f"{name}: keys also stored in another year")
                seen.update(keys)
                bad = int((~frame["outcome"].isin(OUTCOMES[kind])).sum())
                if bad:
                    problems.append(f"{name}: {bad} rows have an unknown outcome")
                if not set(frame["authority_id"]) <= authorities:
                    problems.append(f"{name}: rows of an authority not in the store")
                if not set(frame["load_id"].dropna().astype(int)) <= loads:
                    problems.append(f"{name}: rows of a load not in the store")
                stored = self.db.execute(
                    f"SELECT * FROM {COUNTS_TABLE[kind]} WHERE year = ? ORDER BY authority_id",
                    (year,),
                ).fetchall()
                if stored != blobs.count_rows(kind, year, t):
                    problems.append(f"{name}: its counts do not match its rows")
        return problems


def _years_clause(years: Sequence[str] | None, prefix: str = "") -> tuple[str, tuple[str, ...]]:
    if years is None:
        return "", ()
    return f"WHERE {prefix}year IN ({','.join('?' * len(years))})", tuple(years)


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
