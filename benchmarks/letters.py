"""Time ``lgsco-stats letter --all`` for every council of the shipped example year, per format.

    python benchmarks/letters.py            # all four formats, results in benchmarks/letters.md

Each run is a fresh process (start-up, reading the store and writing the files included), on a
store loaded from ``examples/decisions.xlsx`` (2019-20, 347 bodies).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("markdown", "html", "docx", "pdf")


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lgsco_stats", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LGSCO_STATS_DB": f"{tmp}/store.db", "PYTHONPATH": str(ROOT)}
        run(["compute", "examples/decisions.xlsx", "--format", "csv", "-o", f"{tmp}/f.csv"], env)
        rows = []
        for fmt in FORMATS:
            seconds = run(["letter", "--all", "--format", fmt, "--date", "2020-07-22",
                           "--output", f"{tmp}/{fmt}"], env)
            n = len(list(Path(tmp, fmt).iterdir()))
            rows.append((fmt, n, seconds))
            print(f"{fmt:9} {n} letters {seconds:6.2f} s  {1000 * seconds / n:6.1f} ms/letter")


if __name__ == "__main__":
    main()
