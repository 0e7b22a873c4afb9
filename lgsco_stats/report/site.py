"""The static report site: an index of every council (sortable, with a search box), a page per
comparison group and a page per council with its figures, its trend chart, its place in its group
and links to its annual review letters.

The site works opened from disk: pages link to each other by relative paths, the stylesheet and
the small sorting/filtering script are inlined in each page, charts are SVG files beside the
pages, and nothing is fetched from the internet (no font, script, style or image URL at all).
HTML is made from the Jinja2 templates in ``lgsco_stats/report/templates`` with autoescaping on.

The site is built in a temporary folder next to the output and renamed into place at the end,
so a failed build leaves the previous site (or nothing) behind, never half a site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..councils import GROUP_LABELS, GROUPS, Council, Register, lower_label, register, slugify
from ..errors import OutputError, UsageError
from ..escape import printable
from ..figures import PER_100K, RATE_LABELS, RATES, SHORT, SMALL_NUMBER, group_benchmarks
from ..output import copy_regular, usual_mode
from ..rounding import format_count, format_difference, format_number, format_percent
from .summary import pooled_totals
from .trends import RATE_KEYS, council_trend, lineage

# A file in the site's root that marks the folder as made by lgsco-stats: a folder holding it
# may be replaced by a new build; any other non-empty folder is refused.
MARKER = ".lgsco-stats-site"
LETTER_KINDS = {
    ".html": "HTML",
    ".htm": "HTML",
    ".md": "Markdown",
    ".txt": "text",
    ".docx": "Word",
    ".pdf": "PDF",
}


@dataclass(frozen=True)
class SiteResult:
    """What :func:`build_site` wrote."""

    path: Path
    year: str
    councils: int
    groups: int
    charts: int
    letters: int


@dataclass(frozen=True)
class _Entity:
    """One council (or body outside the register) with a page: its authority keys over the
    years (a council that changed type has two) and its display details."""

    key: str
    keys: tuple[str, ...]
    name: str
    slug: str
    council: Council | None
    history: tuple[Council, ...]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("lgsco_stats.report", "templates"),
        # names from data are text: no control characters in a page (autoescaping does HTML)
        finalize=lambda v: printable(v) if type(v) is str else v,
        autoescape=select_autoescape(["html", "j2", "js"], default=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["pct"] = format_percent
    env.filters["label_lower"] = lower_label
    env.filters["number"] = format_number
    env.filters["count"] = lambda v: "n/a" if v is None else f"{int(v):,}"
    env.filters["councils"] = lambda v: format_count(int(v), "council")
    return env


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: Any = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return list(out)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def place_in_group(value: float | None, others: Iterable[float]) -> str:
    """``"3rd highest of 62"`` (``"joint 3rd highest of 62"`` when tied); empty without a rate."""
    if value is None or pd.isna(value):
        return ""
    values = [v for v in others if pd.notna(v)]
    higher = sum(1 for v in values if v > value)
    same = sum(1 for v in values if v == value)
    joint = "joint " if same > 1 else ""
    return f"{joint}{_ordinal(higher + 1)} highest of {len(values)}"


def _entities(figures: pd.DataFrame, reg: Register) -> dict[str, _Entity]:
    """authority_key → the entity whose page shows it (lineages share one page)."""
    out: dict[str, _Entity] = {}
    slugs: dict[str, str] = {}
    for key, name in (
        figures[["authority_key", "council"]]
        .drop_duplicates("authority_key")
        .itertuples(index=False)
    ):
        if key in out:
            continue
        council = reg.by_code.get(key)
        if council is not None:
            history = tuple(lineage(reg, council))
            present = [c for c in history if c.gss_code in set(figures["authority_key"])]
            latest = present[-1] if present else council
            keys = tuple(c.gss_code for c in history)
            ent = _Entity(latest.gss_code, keys, latest.name, latest.slug, latest, history)
        else:
            ent = _Entity(key, (key,), str(name), slugify(str(name)), None, ())
        slug, n = ent.slug, 1
        while slugs.get(slug, ent.key) != ent.key:  # one slug for two: keep every page
            n += 1
            slug = f"{ent.slug}-{n}"
        if slug != ent.slug:
            ent = _Entity(ent.key, ent.keys, ent.name, slug, ent.council, ent.history)
        slugs[slug] = ent.key
        for k in ent.keys:
            out[k] = ent
    return out


def find_letters(folder: Path | None, slugs: Iterable[str]) -> dict[str, list[tuple[str, Path]]]:
    """Letter files ``<slug>-<year>.<ext>`` in ``folder``: slug → [(year, path)], by year."""
    if folder is None:
        return {}
    if not folder.is_dir():
        raise UsageError(f"--letters {folder}: not a folder")
    wanted = set(slugs)
    found: dict[str, list[tuple[str, Path]]] = {}
    import re

    pattern = re.compile(r"^(?P<slug>.+)-(?P<year>\d{4}-\d{2})$")
    for p in sorted(folder.iterdir()):
        # regular files in the folder only: a symbolic link may point anywhere the user can
        # read (~/.ssh/id_rsa named kent-2023-24.txt), which the site would then publish
        if p.is_symlink() or not p.is_file() or p.suffix.lower() not in LETTER_KINDS:
            continue
        m = pattern.match(p.stem)
        if m and m["slug"] in wanted:
            found.setdefault(m["slug"], []).append((m["year"], p))
    return found


def _draw_trend(args: tuple[pd.DataFrame, str]) -> bytes:
    from .charts import trend_chart

    trend, name = args
    return trend_chart(trend, name, "svg")


def _draw_group(args: tuple[pd.DataFrame, str, str, float | None, int | None, str]) -> bytes:
    from .charts import group_chart

    members, group, year, bench, n, average = args
    return group_chart(
        members,
        group,
        year,
        "uphold",
        "svg",
        benchmark=bench,
        benchmark_councils=n,
        average=average,
    )


def _run(
    fn: Callable[[Any], bytes],
    jobs: list[Any],
    workers: int,
    progress: Callable[[int], None] | None,
) -> list[bytes]:
    if workers <= 1 or len(jobs) < 8:
        out = []
        for j in jobs:
            out.append(fn(j))
            if progress:
                progress(1)
        return out
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = []
        for r in pool.map(fn, jobs, chunksize=4):
            results.append(r)
            if progress:
                progress(1)
        return results


def _prepare_folder(out: Path) -> None:
    if str(out) == "-":
        raise UsageError("--output -: the site is a folder of pages; give a folder")
    if out.is_symlink():
        raise UsageError(
            f"--output {out}: a symbolic link; give the folder itself (the site replaces the "
            "folder it is given)"
        )
    if out.exists():
        if not out.is_dir():
            raise UsageError(f"--output {out}: a file, not a folder")
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise UsageError(
                f"--output {out}: the folder is not empty and was not made by "
                "lgsco-stats report; choose an empty or new folder"
            )


def chart_jobs(figures: pd.DataFrame, year: str, reg: Register | None = None) -> int:
    """How many charts :func:`build_site` will draw (for a progress bar)."""
    reg = reg or register()
    ents = {
        e.key
        for e in _entities(figures, reg).values()
        if set(e.keys) & set(figures.loc[figures["year"] == year, "authority_key"])
    }
    groups = figures[(figures["year"] == year) & figures["in_group"].astype(bool)]["type"]
    return len(ents) + groups.nunique()


def build_site(
    figures: pd.DataFrame,
    year: str,
    out: Path,
    *,
    reg: Register | None = None,
    average: str = "mean",
    letters: Path | None = None,
    version: str = "",
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> SiteResult:
    """Write the report site for ``year`` into the folder ``out``.

    Parameters
    ----------
    figures : :func:`council_figures` output for every year in the store (trends use them all;
        the index and group pages show ``year``).
    letters : a folder of letter files named ``<council slug>-<year>.<ext>``; the ones that
        match a council are copied into ``letters/`` and linked from its page.
    workers : processes drawing charts (default: the number of CPUs).
    progress : called with 1 after each chart is drawn.
    """
    reg = reg or register()
    out = Path(out)
    _prepare_folder(out)
    years = sorted(figures["year"].unique())
    if year not in years:
        raise UsageError(f"no data for {year}; years in the store: {', '.join(years)}")
    env = _environment()
    average_text = (
        "the mean of the group's councils' figures"
        if average == "mean"
        else "pooled: all the group's cases, and its population, together"
    )
    common = {
        "version": version,
        "site_title": "Council complaint statistics",
        "years": years,
        "small": SMALL_NUMBER,
        "average_text": average_text,
    }
    this = figures[figures["year"] == year]
    ents = _entities(figures, reg)
    benches = group_benchmarks(figures, average)

    # The temporary folder sits beside the output so that the final rename stays on one disk.
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        usual_mode(tmp, folder=True)
    except OSError as e:
        raise OutputError(f"cannot write {out}: {e.strerror or e}") from None
    try:
        for sub in ("councils", "groups", "charts", "letters"):
            (tmp / sub).mkdir()

        # ------------------------------------------------------------ charts
        shown = list(dict.fromkeys(ents[k] for k in this["authority_key"]))
        trends = {e.key: council_trend(figures, list(e.keys)) for e in shown}
        groups_here = [g for g in GROUPS if ((this["type"] == g) & this["in_group"]).any()]
        jobs_t = [(trends[e.key], e.name) for e in shown]
        group_args = []
        for g in groups_here:
            m = this[(this["type"] == g) & this["in_group"].astype(bool)]
            brow = benches[(benches["type"] == g) & (benches["year"] == year)].iloc[0]
            group_args.append(
                (m, g, year, float(brow["uphold_rate"]), int(brow["uphold_councils"]), average)
            )
        n_workers = workers if workers is not None else (os.cpu_count() or 1)
        svgs = _run(_draw_trend, jobs_t, n_workers, progress)
        svgs_g = _run(_draw_group, group_args, n_workers, progress)
        for e, svg in zip(shown, svgs, strict=True):
            (tmp / "charts" / f"{e.slug}.svg").write_bytes(svg)
        for g, svg in zip(groups_here, svgs_g, strict=True):
            (tmp / "charts" / f"group-{g}.svg").write_bytes(svg)

        # ------------------------------------------------------------ letters
        slug_of = {c.slug: e for e in shown for c in (e.history or ())}
        slug_of.update({e.slug: e for e in shown})
        found = find_letters(letters, slug_of)
        letters_of: dict[str, list[dict[str, str]]] = {}
        n_letters = 0
        for slug, files in found.items():
            e = slug_of[slug]
            for y, p in files:
                copy_regular(p, tmp / "letters" / p.name, "--letters")
                n_letters += 1
                letters_of.setdefault(e.key, []).append(
                    {
                        "year": y,
                        "kind": LETTER_KINDS[p.suffix.lower()],
                        "href": f"../letters/{p.name}",
                    }
                )
        for v in letters_of.values():
            v.sort(key=lambda d: (d["year"], d["kind"]))

        # ------------------------------------------------------------ rows
        def row(r: dict[str, Any], root: str) -> dict[str, Any]:
            e = ents[r["authority_key"]]
            t = r["type"] if isinstance(r["type"], str) and r["in_group"] else None
            r = dict(r)
            r["href"] = f"{root}councils/{e.slug}.html"
            r["group_code"] = t or "none"
            r["group_label"] = GROUP_LABELS[t] if t else "No comparison group"
            r["search"] = " ".join(
                x for x in (r["council"], r["group_label"], r["gss_code"] or "") if x
            )
            return r

        rows = [row(r, "") for r in _records(this)]
        national = pooled_totals(this)
        national = {
            k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in national.items()
        }
        group_rows = []
        for g in groups_here:
            b = _records(benches[(benches["type"] == g) & (benches["year"] == year)])[0]
            group_rows.append(
                {**b, "code": g, "label": GROUP_LABELS[g], "href": f"groups/{g}.html"}
            )
        index = env.get_template("index.html.j2").render(
            **common,
            root="",
            year=year,
            other_years=[y for y in years if y != year],
            national=national,
            groups=group_rows,
            councils=rows,
            has_no_group=any(r["group_code"] == "none" for r in rows),
        )
        (tmp / "index.html").write_text(index, encoding="utf-8")

        # ------------------------------------------------------------ group pages
        for g in groups_here:
            m = this[(this["type"] == g) & this["in_group"].astype(bool)]
            members = sorted(
                (row(r, "../") for r in _records(m)), key=lambda r: r["council"].lower()
            )
            b = _records(benches[(benches["type"] == g) & (benches["year"] == year)])[0]
            over_years = _records(benches[benches["type"] == g])
            label = GROUP_LABELS[g]
            alt = (
                f"Bar chart: {lower_label(label)} {year} ranked by uphold rate, from "
                f"{format_percent(m['uphold_rate'].max())} to "
                f"{format_percent(m['uphold_rate'].min())}; the group average is "
                f"{format_percent(b['uphold_rate'])}."
            )
            html = env.get_template("group.html.j2").render(
                **common,
                root="../",
                year=year,
                label=label,
                members=members,
                bench=b,
                benchmarks=over_years,
                chart=f"../charts/group-{g}.svg",
                chart_alt=alt,
            )
            (tmp / "groups" / f"{g}.html").write_text(html, encoding="utf-8")

        # ------------------------------------------------------------ council pages
        for e in shown:
            html = _council_page(
                env, common, e, year, this, trends[e.key], letters_of.get(e.key, [])
            )
            (tmp / "councils" / f"{e.slug}.html").write_text(html, encoding="utf-8")

        (tmp / MARKER).write_text("made by lgsco-stats report\n", encoding="utf-8")
        tmp.chmod(0o755)
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return SiteResult(out, year, len(shown), len(groups_here), len(svgs) + len(svgs_g), n_letters)


def _council_page(
    env: Environment,
    common: dict[str, Any],
    e: _Entity,
    year: str,
    this: pd.DataFrame,
    trend: pd.DataFrame,
    letters: list[dict[str, str]],
) -> str:
    # The year's row of the council that existed that year (Somerset Council in 2023-24, not
    # the compliance outcomes recorded for Somerset County Council after its abolition).
    cur = trend[trend["year"] == year]
    main = cur[cur["primary"].astype(bool)]
    current = _records(main)[0] if len(main) else None
    in_group = bool(current and current["in_group"] and isinstance(current["type"], str))
    group = current["type"] if current and in_group else None
    group_label = GROUP_LABELS[group] if group else "No comparison group"
    stats: list[dict[str, Any]] = []
    per_100k: dict[str, Any] = {}
    if current is not None:
        members = this[(this["type"] == group) & this["in_group"].astype(bool)] if group else None
        for f in (*(f"{short}_rate" for short in RATE_KEYS), PER_100K):
            item = {
                "key": f,
                "group": current[f"group_{f}"],
                "group_councils": current[f"group_{SHORT[f]}_councils"],
                "difference": format_difference(
                    current[f], current[f"group_{f}"], 0 if f in RATES else 1
                ),
                "rank": place_in_group(current[f], members[f]) if members is not None else "",
            }
            if f in RATES:
                num, den = RATES[f]
                stats.append({**item, "label": RATE_LABELS[f].capitalize(), "num": num, "den": den})
            else:
                per_100k = item
    trend_rows = []
    for r in _records(trend):
        t = r["type"] if isinstance(r["type"], str) and r["in_group"] else None
        r["group_label"] = GROUP_LABELS[t] if t else "none"
        # a second row in a year is another council of the lineage: name it
        r["year_label"] = r["year"] if r["primary"] else f"{r['year']} ({r['council']})"
        for short in RATE_KEYS:
            v, ch = r[f"{short}_rate"], r[f"{short}_change"]
            r[f"{short}_shown_change"] = format_difference(v, v - ch) if ch is not None else "n/a"
        trend_rows.append(r)
    history = ""
    if len(e.history) > 1:
        parts = []
        for c in e.history:
            span = (
                f"until {c.end_date:%-d %B %Y}"
                if c.end_date
                else f"from {c.start_date:%-d %B %Y}"
                if c.start_date
                else ""
            )
            parts.append(f"{c.name} ({lower_label(GROUP_LABELS[c.type])}, {span})")
        history = "; ".join(parts) + ". The trend runs across the change."
    alt = _trend_alt(e.name, trend)
    return env.get_template("council.html.j2").render(
        **common,
        root="../",
        year=year,
        name=e.name,
        gss_code=e.council.gss_code if e.council else None,
        population=current["population"] if current else None,
        population_source=current["population_source"] if current else None,
        group_label=group_label,
        group_href=f"../groups/{group}.html" if group else None,
        group_note=current["group_note"] if current else None,
        lineage_text=history,
        current=current,
        stats=stats,
        per_100k=per_100k,
        trend=trend_rows,
        chart=f"../charts/{e.slug}.svg",
        chart_alt=alt,
        letters=letters,
    )


def _trend_alt(name: str, trend: pd.DataFrame) -> str:
    """Alternative text for a trend chart: the uphold rates it shows, in words."""
    parts = []
    for y, v, g in zip(
        trend["year"], trend["uphold_rate"], trend["group_uphold_rate"], strict=True
    ):
        parts.append(f"{y} {format_percent(v)} (group {format_percent(g)})")
    return (
        f"Bar charts of {name}'s uphold, compliance and satisfactory remedy rates by year "
        f"against its group's average. Uphold rate: {'; '.join(parts)}."
    )
