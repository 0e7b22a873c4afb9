"""Writing files: whole or not at all (a temporary file beside the target, then a rename), with
the permissions a new file would have."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError


def usual_mode(path: str | Path, *, folder: bool = False) -> None:
    """Give a file or folder made by ``tempfile`` (private: 0600/0700) the permissions a newly
    created one would have under the user's umask, before it is renamed into place."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, (0o777 if folder else 0o666) & ~umask)


def atomic_target(path: Path) -> tuple[int, str]:
    """A temporary file beside ``path`` (its descriptor and name), to be renamed onto it."""
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
