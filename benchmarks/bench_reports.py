"""Time trend, summary, chart and report on synthetic multi-year data.

    python benchmarks/bench_reports.py [--rows 60000] [--years 2021-22 2022-23 2023-24]

Makes the workbook with examples/make_examples.py (cached in benchmarks/.cache), loads it into a
fresh store, then runs each command in a fresh process (what a user waits for, start-up
included) and draws charts in-process (per chart). Prints medians as JSON; write them to
benchmarks/results-*.json to keep them (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "examples"))


def run(args: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "lgsco_stats", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - t


def median_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(fn() for _ in range(n))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=60_000)
    ap.add_argument("--years", nargs="+", default=["2021-22", "2022-23", "2023-24"])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    import make_examples

    cache = HERE / ".cache"
    cache.mkdir(exist_ok=True)
    book = cache / f"decisions-{a.rows}-{'_'.join(a.years)}.xlsx"
    if not book.exists():
        dec, comp = make_examples.generate(a.rows, a.years, seed=7)
        make_examples.write_xlsx(book, dec, comp)
    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    env = {**os.environ, "LGSCO_STATS_DB": str(work / "store.db"), "PYTHONPATH": str(ROOT)}
    out: dict[str, object] = {"rows": a.rows, "years": a.years, "cpus": os.cpu_count()}
    try:
        run(["compute", str(book), "--format", "csv"], env)
        year = a.years[-1]
        out["help_s"] = median_of(a.repeat, lambda: run(["report", "--help"], env))
        out["trend_s"] = median_of(a.repeat, lambda: run(["trend", "-c", "kent"], env))
        out["summary_s"] = median_of(a.repeat, lambda: run(["summary", "-y", year], env))
        for ext in ("png", "svg"):
            out[f"chart_council_{ext}_s"] = median_of(
                a.repeat,
                lambda e=ext: run(["chart", "-c", "kent", "-o", str(work / f"k.{e}")], env),
            )
            out[f"chart_district_{ext}_s"] = median_of(
                a.repeat,
                lambda e=ext: run(
                    ["chart", "-t", "district", "-y", year, "-o", str(work / f"d.{e}")], env
                ),
            )

        # in-process: one trend chart (SVG), as the site draws it
        from lgsco_stats.councils import register
        from lgsco_stats.figures import council_figures
        from lgsco_stats.report import charts, trends
        from lgsco_stats.store import Store

        reg = register()
        with Store(work / "store.db", create=False) as st:
            figures = council_figures(st.counts(), reg)
        t = trends.council_trend(figures, ["E10000016"])
        charts.trend_chart(t, "Kent County Council", "svg")  # warm up
        out["trend_chart_svg_each_s"] = median_of(
            10, lambda: _timed(lambda: charts.trend_chart(t, "Kent", "svg"))
        )

        from lgsco_stats.report.site import build_site

        def site() -> float:
            target = work / "site"
            shutil.rmtree(target, ignore_errors=True)
            t0 = time.perf_counter()
            build_site(figures, year, target, reg=reg)
            return time.perf_counter() - t0

        out["site_build_one_year_s"] = median_of(1, site)
        pages = list((work / "site").rglob("*.html"))
        out["site_pages"] = len(pages)
        out["site_mb"] = round(
            sum(p.stat().st_size for p in (work / "site").rglob("*") if p.is_file()) / 1e6, 1
        )
        out["report_cli_s"] = run(["report", "-o", str(work / "site-cli"), "-y", year], env)
        with open("/proc/loadavg") as f:
            out["load_average_after"] = f.read().split()[:3]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}, indent=2
        )
    )
    return 0


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())
