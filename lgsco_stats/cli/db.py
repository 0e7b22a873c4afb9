"""``lgsco-stats db``: where the store is, whether it is sound, and getting everything out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import DbOpt

app = typer.Typer(
    help="The store: its path, an integrity check, and a full export.", no_args_is_help=True
)


@app.command("path")
def path(db: DbOpt = None) -> None:
    """Print where the store is (it may not exist yet).

    \b
    Example: lgsco-stats db path
    """
    from ..store import default_path

    typer.echo(str(db or default_path()))


@app.command("check")
def check(db: DbOpt = None) -> None:
    """Check the store's integrity (SQLite's own check, and every stored year read back and
    recounted); exit 1 if it fails.

    \b
    Example: lgsco-stats db check
    """
    from ..errors import StoreError
    from ..rounding import format_count
    from ..store import Store
    from . import render

    with Store(db, create=False) as st:
        problems = st.check()
        years = st.years()
        n = st.row_counts()
    if problems:
        raise StoreError(f"{st.path}: " + "; ".join(problems[:5]))
    held = [
        format_count(n["decisions"], "decision"),
        format_count(n["compliance"], "compliance outcome"),
        format_count(n["published"], "published row"),
    ]
    render.message(f"{st.path}: ok ({', '.join(held)}; years {', '.join(years) or 'none'})")


@app.command("export")
def export(
    file: Annotated[
        Path,
        typer.Argument(
            help="An .xlsx workbook (one sheet per table) or a .csv name (one CSV per table, "
            "named NAME-decisions.csv and so on).",
            dir_okay=False,
            show_default=False,
        ),
    ],
    db: DbOpt = None,
) -> None:
    """Write everything in the store out: decisions, compliance outcomes, published rows and
    every council's figures, so that nothing is locked in.

    Cells that a spreadsheet would run as formulas (starting =, +, -, @) are written as text.

    \b
    Example: lgsco-stats db export everything.xlsx
    """
    from ..errors import UsageError
    from ..export import export_store
    from ..store import Store
    from . import render

    suffix = file.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UsageError(f"{file}: export to a .xlsx or .csv file")
    with Store(db, create=False) as st:
        written = export_store(st, file)
    render.message("Wrote " + ", ".join(str(p) for p in written))
