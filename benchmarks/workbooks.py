"""Synthetic workbooks for the benchmarks: generated once with a fixed seed, cached.

The workbooks come from ``examples/make_examples.py`` (ten years, 2014-15 to 2023-24, every
council of each year, about a tenth as many compliance outcomes as decisions) and are written to
``benchmarks/.cache/`` (git-ignored). A workbook is written to a temporary name and renamed when
complete, so an interrupted run never leaves a half-written file in the cache.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
SEED = 5
YEARS = tuple(f"{y}-{(y + 1) % 100:02d}" for y in range(2014, 2024))
SIZES = {"20k": 20_000, "200k": 200_000, "1m": 1_000_000}


def workbook_path(size: str) -> Path:
    return CACHE / f"decisions-{size}-seed{SEED}.xlsx"


def ensure_workbook(size: str, log=print) -> Path:
    """The cached workbook of ``size`` (a key of ``SIZES``), generating it if missing."""
    path = workbook_path(size)
    if path.exists():
        return path
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        import make_examples
    finally:
        sys.path.pop(0)
    began = time.perf_counter()
    log(f"generating {path.name} ({SIZES[size]:,} decisions, seed {SEED}); this is done once")
    decisions, compliance = make_examples.generate(SIZES[size], YEARS, SEED)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    make_examples.write_xlsx(tmp, decisions, compliance)
    tmp.replace(path)
    log(
        f"  {len(decisions):,} decisions, {len(compliance):,} compliance outcomes "
        f"in {time.perf_counter() - began:.0f} s"
    )
    return path


if __name__ == "__main__":
    for name in sys.argv[1:] or list(SIZES):
        ensure_workbook(name)
