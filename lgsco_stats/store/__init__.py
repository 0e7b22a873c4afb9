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

Modules: ``database`` (the :class:`Store`: loading, reading back, checking), ``schema`` (the
tables and the migration of older stores), ``blobs`` (case rows as Arrow files, and their
counts).

A load is one transaction (``BEGIN IMMEDIATE``): it either lands whole or leaves the store exactly
as it was; a second process loading at the same time waits for the first.
"""

from .database import ENV_VAR, LoadSummary, Store, default_path, file_hash
from .schema import KINDS, SCHEMA_VERSION

__all__ = [
    "ENV_VAR",
    "KINDS",
    "SCHEMA_VERSION",
    "LoadSummary",
    "Store",
    "default_path",
    "file_hash",
]
