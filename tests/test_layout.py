"""The layout the code promises: a folder per part, modules small enough to read in one sitting,
and a core that never prints, so that a library user can call it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lgsco_stats"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))
CORE = [p for p in MODULES if "cli" not in p.relative_to(PACKAGE).parts and p.name != "__main__.py"]
MAX_LINES = 520  # "about 500 at most"


def _name(p: Path) -> str:
    return str(p.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_module_is_readable_in_one_sitting(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{_name(path)} has {lines} lines: split it where a seam is plain"


@pytest.mark.parametrize("path", CORE, ids=_name)
def test_core_does_not_import_the_command_line(path: Path) -> None:
    # The core takes and returns data; Typer, Rich and the CLI are the command line's.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [("." * node.level) + (node.module or "")]
        else:
            continue
        for name in names:
            top = name.lstrip(".").split(".")[0]
            assert top not in ("typer", "rich", "click"), f"{_name(path)} imports {name}"
            assert "cli" not in name.lstrip(".").split("."), f"{_name(path)} imports {name}"


@pytest.mark.parametrize("part", ["read", "letters", "report", "store", "cli"])
def test_each_part_says_what_it_holds(part: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / part / "__init__.py").read_text("utf-8")))
    assert doc, f"lgsco_stats/{part}/__init__.py has no docstring"
    for module in sorted((PACKAGE / part).glob("*.py")):
        if module.stem != "__init__" and part != "cli":
            assert f"``{module.stem}``" in doc, f"{part}/__init__ does not mention {module.stem}"


def test_every_module_imports_first() -> None:
    # A circular import shows only when a module is the first of its package to be imported:
    # each is imported into a clean slate of lgsco_stats modules, in one process.
    names = [
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in MODULES
        if p.name != "__main__.py"
    ]
    code = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {names!r}:\n"
        "    for m in [m for m in sys.modules if m.split('.')[0] == 'lgsco_stats']:\n"
        "        del sys.modules[m]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as e:\n"
        "        failed.append(f'{name}: {e}')\n"
        "print('\\n'.join(failed))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=PACKAGE.parent,
    )
    assert out.stdout.strip() == "", out.stdout
