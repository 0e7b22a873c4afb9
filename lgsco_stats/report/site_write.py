"""Writing the report site's files: pages and downloads, on a worker thread (creating a file
costs 0.1-0.4 ms here, and a site of every year has about 6,000), and the council pages in a
second process while this one makes the others (:func:`run_apart`)."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import json
import multiprocessing
import os
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from ..errors import OutputError
from ..export import FORMULA_START
from ..figures import BENCHMARK_COLUMNS
from ..tables import json_line, records, to_json
from .pages import Entity, Site, group_path, index_path


class _Files:
    """Writes files on a worker thread while the caller makes the next ones: ``write`` queues
    a file (path within ``root``, text), the thread creates it. The first error is raised
    when the block ends, as an :class:`OutputError`; files queued after it are not written."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.queue: queue.SimpleQueue[tuple[Path, str] | None] = queue.SimpleQueue()
        self.error: OSError | None = None
        self.thread = threading.Thread(target=self._run, name="lgsco-site-files", daemon=True)
        self.thread.start()

    def write(self, path: str, text: str) -> None:
        self.queue.put((self.root / path, text))

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:
                try:
                    self._write(*item)
                except OSError as e:
                    self.error = e

    @staticmethod
    def _write(path: Path, text: str) -> None:
        data = text.encode("utf-8")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

    def __enter__(self) -> _Files:
        return self

    def __exit__(self, *exc: object) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None and exc[0] is None:
            e = self.error
            raise OutputError(f"cannot write the site: {e.strerror or e} ({e.filename})") from None


_FORMULA = tuple(FORMULA_START)


def _csv(
    rows: list[dict[str, Any]], keys: Sequence[str], cache: dict[int, str] | None = None
) -> str:
    """:func:`lgsco_stats.tables.to_csv` for rows of plain Python values (``records`` output:
    missing values are None, which csv writes as empty), faster: only text is looked at for
    formulas. ``cache`` keeps each row's line by the row's identity, for tables that share
    ``keys``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(keys)

    def cells(r: dict[str, Any]) -> list[Any]:
        return [
            "'" + v if type(v) is str and v.startswith(_FORMULA) else v for v in map(r.get, keys)
        ]

    if cache is None:
        w.writerows(map(cells, rows))
        return buf.getvalue()
    line = io.StringIO()
    one = csv.writer(line, lineterminator="\n")
    head = buf.getvalue()
    out = [head]
    for r in rows:
        text = cache.get(id(r))
        if text is None:
            line.seek(0)
            line.truncate()
            one.writerow(cells(r))
            text = cache[id(r)] = line.getvalue()
        out.append(text)
    return "".join(out)


def _json(
    rows: list[dict[str, Any]], keys: Sequence[str], cache: dict[int, str] | None = None
) -> str:
    """:func:`lgsco_stats.tables.to_json` (an array, an object a line); ``cache`` keeps each
    row's line by the row's identity, for tables that share ``keys``."""
    if cache is None:
        return to_json(rows, keys)
    if not rows:
        return "[]\n"
    lines = []
    for r in rows:
        line = cache.get(id(r))
        if line is None:
            line = cache[id(r)] = json_line({k: r.get(k) for k in keys})
        lines.append(line)
    return "[\n" + ",\n".join(lines) + "\n]\n"


def write_downloads(site: Site, files: _Files, start: int = 0) -> int:
    """The tables the pages offer from the ``start``-th one on, as CSV (formula-like text
    neutralised) and JSON; how many."""
    new = site.downloads.files[start:]
    full = site.figure_keys()
    for path, keys, rows in new:
        shared = keys == full
        files.write(f"{path}.csv", _csv(rows, keys, site.csv_lines if shared else None))
        files.write(f"{path}.json", _json(rows, keys, site.json_lines if shared else None))
    return len(new)


def write_site_data(site: Site, files: _Files) -> None:
    """The whole site's data in one JSON file, and every council's figures in one CSV."""
    shown = [r for r in site.rows if r["year"] in site.shown]
    keys = site.figure_keys()
    files.write("data/figures.csv", _csv(shown, keys, site.csv_lines))

    parts = {
        "figures": _json(shown, keys, site.json_lines),
        "groups": to_json(
            [b for b in site.benchmarks if b["year"] in site.shown], BENCHMARK_COLUMNS
        ),
        "categories": to_json(
            records(site.categories[site.categories["year"].isin(site.shown)]),
            ["authority_key", "year", "category", "decisions"],
        ),
        "received": to_json(
            records(site.received[site.received["year"].isin(site.shown)]),
            ["authority_key", "year", "category", "received"],
        ),
    }
    head = json.dumps({"years": site.years, "average": site.average})[:-1]
    body = ",".join(f'"{k}":{v.rstrip()}' for k, v in parts.items())
    files.write("data/site-data.json", f"{head},{body}}}\n")


@dataclass
class Part:
    """The pages to make, in two parts that can run side by side: :meth:`overview` (the index
    of each year, the group pages and the site's data) and :meth:`councils` (every council's
    page); each writes its own files and downloads."""

    env: Environment
    common: dict[str, Any]
    site: Site
    tmp: Path
    pages: dict[str, Entity]
    letters: dict[str, list[dict[str, str]]]

    def _render(self, files: _Files, path: str, template: str, context: dict[str, Any]) -> None:
        files.write(path, self.env.get_template(template).render(**self.common, **context))

    def overview(self, progress: Callable[[int], None] | None = None) -> dict[str, int]:
        """The group pages (with the funnel plots' statistics) and the site's data."""
        from .group_page import group_context

        site, charts, groups = self.site, 0, 0
        start = len(site.downloads.files)
        with _Files(self.tmp) as files:
            for y in site.years:
                for g in site.groups_of(y):
                    ctx = group_context(site, g, y)
                    charts += (ctx["chart"] is not None) + len(ctx["funnels"])
                    self._render(files, group_path(g, y), "group.html.j2", ctx)
                    groups += 1
                    if progress:
                        progress(1)
            tables = write_downloads(site, files, start)
            write_site_data(site, files)
        return {"groups": groups, "charts": charts, "tables": tables}

    def councils(self) -> dict[str, int]:
        """Every council's page, and the index of each year."""
        from .council_page import council_context
        from .index_page import index_context

        site, n, charts = self.site, 0, 0
        start = len(site.downloads.files)
        with _Files(self.tmp) as files:
            for slug, e in self.pages.items():
                ctx = council_context(site, e, self.letters.get(slug, []))
                if ctx is None:
                    continue
                charts += len(ctx["rates"])
                self._render(files, f"councils/{slug}.html", "council.html.j2", ctx)
                n += 1
            for y in site.years:
                ctx = index_context(site, y)
                self._render(files, index_path(y, site.default), "index.html.j2", ctx)
            tables = write_downloads(site, files, start)
        return {"councils": n, "indexes": len(site.years), "charts": charts, "tables": tables}


# The work a forked process does: set just before the fork, so that the child inherits it
# (nothing is pickled but the small result).
_APART: list[Callable[[], dict[str, int]]] = []


def _run_apart() -> dict[str, int]:
    return _APART[0]()


@contextlib.contextmanager
def run_apart(work: Callable[[], dict[str, int]], fork: bool) -> Iterator[Any]:
    """Run ``work`` in a forked process while the block runs here (``fork``), or here after the
    block; yields an object whose ``result()`` is the work's result (or raises its error).

    The fork happens before this process starts any thread of its own (the block's file
    writer), and the child uses none of the parent's: it makes pages from Python objects."""
    if not fork or "fork" not in multiprocessing.get_all_start_methods():
        box: list[Any] = []
        yield _Lazy(box)
        box.append(work())
        return
    _APART[:] = [work]
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    # Frozen objects are never visited by the child's collector, which would otherwise write to
    # every object the child inherited and so copy every page of this process's memory.
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        future = pool.submit(_run_apart)  # the fork
        if not frozen:
            gc.unfreeze()
        try:
            yield future
        except BaseException:
            future.cancel()
            raise
        future.result()  # its error, if any, here
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _APART.clear()


class _Lazy:
    def __init__(self, box: list[Any]) -> None:
        self.box = box

    def result(self) -> dict[str, int]:
        value: dict[str, int] = self.box[0]
        return value
