"""``lgsco-stats db``: where the store is, whether it is sound, and getting everything out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import DbOpt

app = typer.Typer(help="The store: its path, an integrity check, and a full export.",
                  no_args_is_help=True)


@app.command("path")
def path(db: DbOpt = None) -> None:
    """Print where the store is (it may not exist yet).

    Example:  lgsco-stats db path
    """
    from ..store import default_path

    typer.echo(str(db or default_path()))
