"""Writing files: whole or not at all (a temporary file beside the target, then a rename), with
the permissions a new file would have, and never over something that is not ours to replace.

Every writer (tables, exports, letters, charts, the store's export) goes through
:func:`atomic_target`, which calls :func:`check_target` first: the target may be a new file or
an existing regular file, never a symbolic link, a folder, a device or pipe, the store, or any
other SQLite database. ``-`` is standard output to the command line (:func:`is_stdout`); here it
is refused as a file name.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

STDOUT = "-"
_SQLITE = b"SQLite format 3\x00"
# Stores opened by this process: an output naming one is refused (any other SQLite file that
# exists is refused by its first bytes, which a store not yet opened has too).
_protected: set[str] = set()


def is_stdout(path: str | Path | None) -> bool:
    """Whether an ``--output`` means standard output (not given, or ``-``)."""
    return path is None or str(path) == STDOUT


def protect(path: str | Path) -> None:
    """Never write output over this file (the store calls this when it opens one)."""
    _protected.add(os.path.abspath(path))


def _is_protected(path: Path, st: os.stat_result | None) -> bool:
    names = set(_protected)
    if os.path.abspath(path) in names:
        return True
    if st is None:
        return False
    for name in names:  # the same file by another name (a hard link, a relative path)
        with contextlib.suppress(OSError):
            other = os.stat(name)
            if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                return True
    return False


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(len(_SQLITE)) == _SQLITE
    except OSError:
        return False


def check_target(path: Path) -> None:
    """Refuse to write ``path`` unless it is new or an existing regular file that is neither
    the store nor another SQLite database."""
    if str(path) == STDOUT:
        raise OutputError("'-' means standard output, which cannot be used here: give a file")
    try:
        st: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    if st is not None:
        mode = st.st_mode
        if stat.S_ISLNK(mode):
            raise OutputError(
                f"refused to write {path}: it is a symbolic link (to {os.readlink(path)}); "
                "give the file itself, or a new name"
            )
        if stat.S_ISDIR(mode):
            raise OutputError(f"refused to write {path}: it is a folder; give a file name")
        if not stat.S_ISREG(mode):
            raise OutputError(
                f"refused to write {path}: it is not a regular file (a device, pipe or socket)"
            )
    if _is_protected(path, st):
        raise OutputError(
            f"refused to write {path}: it is the store, which holds every load; give another "
            "file for the output"
        )
    if st is not None and _is_database(path):
        raise OutputError(
            f"refused to write {path}: it is an SQLite database (a store?), not an output "
            "file; give another file"
        )


def check_targets(paths: Iterable[Path]) -> None:
    """:func:`check_target` for every file a command will write, before it writes any."""
    for p in paths:
        check_target(p)


def usual_mode(path: str | Path, *, folder: bool = False) -> None:
    """Give a file or folder made by ``tempfile`` (private: 0600/0700) the permissions a newly
    created one would have under the user's umask, before it is renamed into place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, (0o777 if folder else 0o666) & ~umask)


def atomic_target(path: Path) -> tuple[int, str]:
    """A temporary file beside ``path`` (its descriptor and name), to be renamed onto it, once
    :func:`check_target` has allowed ``path``."""
    path = Path(path)
    check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    usual_mode(tmp)
    return fd, tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temp file in the same folder, then a rename."""
    path = Path(path)
    try:
        fd, tmp = atomic_target(path)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None


def copy_regular(src: Path, dst: Path, what: str = "") -> None:
    """Copy ``src`` to a new file ``dst`` if ``src`` is a regular file, never through a symbolic
    link (one put in its place after it was listed is refused by ``O_NOFOLLOW``)."""
    import shutil

    where = f"{what}: " if what else ""
    try:
        fd = os.open(src, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as e:
        raise OutputError(f"{where}cannot read {src} ({e.strerror or e})") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise OutputError(f"{where}{src} is not a regular file")
        with open(dst, "wb") as out:
            shutil.copyfileobj(f, out)
    usual_mode(dst)
