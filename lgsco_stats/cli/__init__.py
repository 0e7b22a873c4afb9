"""The ``lgsco-stats`` command line: a thin Typer layer over the library.

Each command lives in its own module and imports the heavy parts of the library (pandas and
everything built on it) inside its function, so that ``--help`` stays fast.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit, TyperException

from ..errors import LgscoError
from ..read import allocator

_DEBUG = {"on": bool(os.environ.get("LGSCO_STATS_DEBUG"))}


class _Group(TyperGroup):
    """Renders the library's errors as one line and an exit code; a traceback only with --debug.

    ``--debug`` may come anywhere before a ``--``: before the command's name or after it, as a
    user adds it to the command line that just failed."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        cut = args.index("--") if "--" in args else len(args)
        head = [a for a in args[:cut] if a != "--debug"]
        _DEBUG["on"] = len(head) < cut or bool(os.environ.get("LGSCO_STATS_DEBUG"))
        return super().parse_args(ctx, [*head, *args[cut:]])

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
        finally:
            # A command may freeze what its imports made (compute does, mid-load); whatever it
            # froze goes back to the collector once it returns, should the process go on; so
            # does Arrow's memory pool, which compute changes.
            gc.unfreeze()
            allocator.restore()


def _version(asked: bool) -> None:
    """``--version``: print the version and exit, before any command is looked for."""
    if not asked:
        return
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _v

    try:
        typer.echo(f"lgsco-stats {_v('lgsco-stats')}")
    except PackageNotFoundError:
        typer.echo("lgsco-stats (version unknown: not installed)")
    raise typer.Exit(0)


def _root(
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Show a traceback for an error (also accepted after the command's name).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            is_eager=True,
            expose_value=False,
            callback=_version,
        ),
    ] = False,
) -> None:
    # --debug is taken out of the command line by _Group.parse_args, wherever it is.
    del debug


# Every command, in the order --help lists them: name → (module of lgsco_stats.cli, function);
# ``db`` is a group of its own.
_COMMANDS: dict[str, tuple[str, str]] = {
    "compute": ("compute", "compute"),
    "inspect": ("inspect", "inspect"),
    "compare": ("compare", "compare"),
    "councils": ("councils", "councils"),
    "letter": ("letter", "letter"),
    "db": ("db", "app"),
    "trend": ("trend", "trend"),
    "summary": ("summary", "summary"),
    "chart": ("chart", "chart"),
    "report": ("report", "report"),
}
_ROOT_FLAGS = ("--debug", "--version")


def _make_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with the one command ``only`` (what a run of
    that command needs: Typer turns each registered command's signature into Click options
    on every run, which costs about as much for nine commands as the command's own work)."""
    from importlib import import_module

    new = typer.Typer(
        cls=_Group,
        name="lgsco-stats",
        help=(
            "Complaint statistics for English councils from Local Government and Social Care "
            "Ombudsman decisions: uphold, compliance and satisfactory remedy rates per council "
            "and year, benchmarked against similar councils.\n\n"
            "Start with: lgsco-stats compute decisions.xlsx"
        ),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        add_completion=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new.callback()(_root)
    for name, (module, attr) in _COMMANDS.items():
        if only is not None and name != only:
            continue
        target = getattr(import_module(f".{module}", __name__), attr)
        if name == "db":
            new.add_typer(target, name="db")
        else:
            new.command(name)(target)
    return new


def _command_in(args: list[str]) -> str | None:
    """The command a command line runs, if it names one after the root's flags; None for
    anything else (--help, a mistyped command), which then sees every command."""
    for a in args:
        if a in _ROOT_FLAGS:
            continue
        return a if a in _COMMANDS else None
    return None


def __getattr__(name: str) -> Any:
    # ``app``, with every command, is made on first use (tests and scripts import it); the
    # console script makes only the command it runs.
    if name == "app":
        app = globals()["app"] = _make_app()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point."""
    import atexit

    # The process ends when the command does: spare the garbage collector's passes over every
    # object at exit (pandas and pyarrow alone make ~50 ms of them); the memory goes back
    # with the process, and every file and the store are closed by then.
    atexit.register(gc.freeze)
    try:
        _make_app(_command_in(sys.argv[1:]))()
    except BrokenPipeError:  # `lgsco-stats ... | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
