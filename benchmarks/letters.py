"""Time ``lgsco-stats letter --all`` for every council of the shipped example year, per format.

    python benchmarks/letters.py            # all four formats (results: benchmarks/README.md)

Each run is a fresh process (start-up, reading the store and writing the files included), on a
store loaded from ``examples/decisions.xlsx`` (2019-20, 347 bodies).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("markdown", "html", "docx", "pdf")


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one fresh process. The CPU time is the
    figure to compare across runs: these machines are shared, and wall time grows with load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lgsco_stats", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LGSCO_STATS_DB": f"{tmp}/store.db", "PYTHONPATH": str(ROOT)}
        run(["compute", "examples/decisions.xlsx", "--format", "csv", "-o", f"{tmp}/f.csv"], env)
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for fmt in FORMATS:
            wall, cpu = run(
                [
                    "letter",
                    "--all",
                    "--format",
                    fmt,
                    "--date",
                    "2020-07-22",
                    "--output",
                    f"{tmp}/{fmt}",
                    "--signatory",
                    "Benchmark Signatory",
                ],
                env,
            )
            n = len(list(Path(tmp, fmt).iterdir()))
            print(
                f"{fmt:9} {n} letters  wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
                f"{1000 * cpu / n:5.1f} ms cpu/letter"
            )


if __name__ == "__main__":
    main()
