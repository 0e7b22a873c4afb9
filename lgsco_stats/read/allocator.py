"""Which allocator Arrow's columns come from while a command runs (importing this is cheap: it
imports pyarrow only when asked to change the allocator)."""

from __future__ import annotations

import os
from typing import Any

_REPLACED: list[Any] = []


def use_system_malloc() -> None:
    """Have Arrow allocate with the C library's ``malloc`` rather than its default pool
    (mimalloc in pyarrow's wheels), unless ``ARROW_DEFAULT_MEMORY_POOL`` says otherwise.

    Measured on the million-row benchmark workbook, reading and matching a load after the parse
    took 1.6-2.1 s with mimalloc and 0.9-1.1 s with ``malloc`` (jemalloc did as well as
    ``malloc``). The columns built there are large and short-lived; mimalloc asks the kernel
    for huge pages for them (``MADV_HUGEPAGE``, which makes a kernel that defragments on request
    compact memory on the spot) and hands freed pages back (``MADV_DONTNEED``) only to fault
    them in again: the process spent 0.75 s more in the kernel. :func:`restore` puts the
    previous pool back."""
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:
        return
    import pyarrow as pa

    _REPLACED.append(pa.default_memory_pool())
    pa.set_memory_pool(pa.system_memory_pool())


def restore() -> None:
    """Undo :func:`use_system_malloc` (nothing if it was not used)."""
    if _REPLACED:
        import pyarrow as pa

        pa.set_memory_pool(_REPLACED[0])
        _REPLACED.clear()
