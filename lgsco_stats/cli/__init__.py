"""The ``lgsco-stats`` command line: a thin Typer layer over the library.

Each command lives in its own module and imports the heavy parts of the library (pandas and
everything built on it) inside its function, so that ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from ..errors import LgscoError

_DEBUG = {"on": bool(os.environ.get("LGSCO_STATS_DEBUG"))}


class _Group(TyperGroup):
    """Renders the library's errors as one line and an exit code; a traceback only with --debug."""

    def invoke(self, ctx: typer.Context) -> Any:
        from . import render

        try:
            return super().invoke(ctx)
        except LgscoError as e:
            if _DEBUG["on"]:
                raise
            render.error(e.message, e.hint)
            raise typer.Exit(e.exit_code) from None
        except (Exit, Abort, TyperException, BrokenPipeError):
            # Typer bundles its own Click: --help, exits and usage errors are its own classes;
            # Typer renders them. A closed pipe (`| head`) is handled in main().
            raise
        except KeyboardInterrupt:
            render.error("interrupted")
            raise typer.Exit(130) from None
        except OSError as e:  # a disk or permission problem met outside the core's own checks
            if _DEBUG["on"]:
                raise
            where = f"{e.filename}: " if e.filename else ""
            render.error(f"{where}{e.strerror or e}")
            raise typer.Exit(1) from None
        except MemoryError:
            render.error("out of memory")
            raise typer.Exit(1) from None
        except Exception as e:  # a bug, not a user mistake: still no traceback by default
            if _DEBUG["on"]:
                raise
            render.error(
                f"unexpected {type(e).__name__}: {e}",
                "this is a bug in lgsco-stats; run again with --debug to see the traceback",
            )
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    name="lgsco-stats",
    help=(
        "Complaint statistics for English councils from Local Government and Social Care "
        "Ombudsman decisions: uphold, compliance and satisfactory remedy rates per council and "
        "year, benchmarked against similar councils.\n\n"
        "Start with: lgsco-stats compute decisions.xlsx"
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", is_eager=True)
    ] = False,
) -> None:
    if version:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as _v

        try:
            typer.echo(_v("lgsco-stats"))
        except PackageNotFoundError:
            typer.echo("unknown (not installed)")
        raise typer.Exit(0)
    _DEBUG["on"] = debug or bool(os.environ.get("LGSCO_STATS_DEBUG"))


def _register() -> None:
    from . import compare, compute, councils, db, letter, reports

    app.command("compute")(compute.compute)
    app.command("compare")(compare.compare)
    app.command("councils")(councils.councils)
    app.command("letter")(letter.letter)
    app.add_typer(db.app, name="db")
    for name in ("trend", "summary", "chart", "report"):
        app.command(name)(getattr(reports, name))


_register()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `lgsco-stats ... | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
