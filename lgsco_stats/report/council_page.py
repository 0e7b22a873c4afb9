"""A council's page: every year of its figures, each beside its group of that year, its
decisions by outcome and by category, complaints received, and its letters."""

from __future__ import annotations

from typing import Any

from .. import outcomes as oc
from ..councils import GROUP_LABELS, GROUP_SINGULAR, lower_label
from ..figures import PER_100K, RATE_LABELS, RATES
from ..rounding import format_number
from ..tables import is_missing
from .pages import (
    CASE_WORDS,
    DEALT_WITH,
    OUTCOME_GROUP_KEYS,
    RATE_ORDER,
    Entity,
    Site,
    count_text,
    format_difference,
    group_code,
    group_path,
    outcome_groups,
    place_text,
    present,
    statistic_columns,
    trend_svg,
)
from .trends import previous_year


def _history(e: Entity) -> str:
    if len(e.history) <= 1:
        return ""
    parts = []
    for c in e.history:
        span = (
            f"until {c.end_date:%-d %B %Y}"
            if c.end_date
            else f"from {c.start_date:%-d %B %Y}"
            if c.start_date
            else ""
        )
        parts.append(f"{c.name} ({GROUP_SINGULAR[c.type]}, {span})")
    return "; ".join(parts) + ". Each year is compared with the group the council was in then."


def council_rows(site: Site, e: Entity) -> list[tuple[dict[str, Any], bool]]:
    """The entity's figure rows, oldest year first, each with whether it is the year's
    ``primary`` row (:func:`lgsco_stats.report.trends.council_trend`'s rule): the council that
    existed that year, in its group, else the first of the lineage. Another row of the same year
    (compliance outcomes recorded for Somerset County Council after its abolition) follows it
    under its own name, never merged into it."""
    position = {k: i for i, k in enumerate(e.keys)}
    rows = [r for k in e.keys for r in site.by_key.get(k, [])]
    rows.sort(key=lambda r: (r["year"], not r["in_group"], position[r["authority_key"]]))
    out, seen = [], set()
    for r in rows:
        out.append((r, r["year"] not in seen))
        seen.add(r["year"])
    return out


def council_context(site: Site, e: Entity, letters: list[dict[str, str]]) -> dict[str, Any] | None:
    """The template variables of ``councils/<slug>.html``, or None when the entity has no
    figures in the years the site shows."""
    root = "../"
    every = council_rows(site, e)
    shown = [(r, primary) for r, primary in every if r["year"] in site.shown]
    if not shown:
        return None
    rows = [r for r, _ in shown]
    main = [r for r, primary in shown if primary]
    of_year = {r["year"]: r for r, primary in every if primary}
    # the figures up front: the latest year with decisions (a later year may hold only
    # compliance outcomes recorded after its last decisions)
    decided = [r for r in main if r.get("decisions") is not None]
    latest = (decided or main)[-1]
    name = e.name
    base = f"data/councils/{e.slug}"
    common_keys = ["year", "council", "gss_code", "type"]

    def label(r: dict[str, Any], primary: bool) -> str:
        return r["year"] if primary else f"{r['year']} ({r['council']})"

    def group_cell(r: dict[str, Any]) -> dict[str, Any]:
        g = group_code(r)
        return {
            "label": GROUP_LABELS[g] if g else "none",
            "href": root + group_path(g, r["year"]) if g and r["year"] in site.shown else None,
            "note": r.get("group_note"),
        }

    # One download of the figures by year serves the three rates' tables and the one per
    # 100,000 (one file instead of four: a site of every year has 367 council pages)
    by_year_keys: list[str] = list(common_keys)
    rates = []
    for short in RATE_ORDER:
        rate = f"{short}_rate"
        num, den = RATES[rate]
        table = []
        for r, primary in shown:
            prev = of_year.get(previous_year(r["year"])) if primary else None
            table.append(
                {
                    "year": r["year"],
                    "other": "" if primary else r["council"],
                    "grp": group_cell(r),
                    **site.cells(r, short),
                    "change": format_difference(r.get(rate), prev.get(rate))
                    if prev is not None
                    else "n/a",
                }
            )
        keys = [
            *common_keys,
            num,
            den,
            rate,
            *[c for c in statistic_columns(short)[:2] if site.has(c)],
            f"group_{rate}",
            f"group_{short}_councils",
            f"{short}_difference",
            *[c for c in statistic_columns(short)[2:] if site.has(c)],
            f"{short}_rank",
            f"{short}_ranked",
        ]
        by_year_keys += [k for k in keys if k not in by_year_keys]
        rates.append(
            {
                "short": short,
                "label": RATE_LABELS[rate].capitalize(),
                "cases": CASE_WORDS[short],
                "chart": trend_svg(f"trend-{short}", main, short, name, site.average, site.small),
                "rows": table,
            }
        )

    per100k = []
    for r, primary in shown:
        per100k.append(
            {
                "year": r["year"],
                "other": "" if primary else r["council"],
                "grp": group_cell(r),
                "upheld": count_text(r.get("upheld")),
                "population": count_text(r.get("population")),
                "source": r.get("population_source") or "",
                "value": format_number(r.get(PER_100K)),
                "group_value": format_number(r.get(f"group_{PER_100K}")),
                "difference": format_difference(r.get(PER_100K), r.get(f"group_{PER_100K}"), 1),
                "place": place_text(
                    r.get("per_100k_rank"), r.get("per_100k_ranked"), r.get("per_100k_joint")
                ),
            }
        )
    per100k_keys = present(
        [
            *common_keys,
            "upheld",
            "population",
            "population_year",
            "population_source",
            PER_100K,
            f"group_{PER_100K}",
            "group_per_100k_councils",
            "per_100k_difference",
            "per_100k_rank",
            "per_100k_ranked",
        ],
        site.columns,
    )
    by_year_keys += [k for k in per100k_keys if k not in by_year_keys]
    by_year = site.downloads.add(f"{base}-by-year", by_year_keys, rows, root)

    outcome_rows: list[dict[str, Any]] = []
    grouping_rows: list[dict[str, Any]] = []
    others: list[str] = []  # the council's name on a row that is not its year's primary one
    for r, primary in shown:
        outcome_rows.append(
            {"year": r["year"], "council": r["council"], "decisions": r.get("decisions")}
            | {o: r.get(o) for o in oc.OUTCOMES}
        )
        grouping_rows.append({"year": r["year"], **outcome_groups(r)})
        others.append("" if primary else r["council"])
    notes = [
        f"{label(r, primary)}: {text}."
        for r, primary in shown
        for text in (r.get("group_note"), r.get("comparison_note"))
        if isinstance(text, str)
    ]

    def by_category(
        what: str, years: list[str], table: list[dict[str, Any]]
    ) -> dict[str, str] | None:
        """The download of a table of counts by category (a column per year), if any."""
        if not table:
            return None
        return site.downloads.add(f"{base}-{what}", ["category", *years], table, root)

    cat_years, categories = site.counts_by_category(site.category_rows, e.keys)
    rec_years, received = site.counts_by_category(site.received_rows, e.keys)

    group = group_code(latest)
    summary = {
        "year": latest["year"],
        "stats": [
            {
                "label": RATE_LABELS[f"{s}_rate"].capitalize(),
                **site.cells(latest, s),
                "councils": latest.get(f"group_{s}_councils") if group else None,
            }
            for s in RATE_ORDER
        ],
        "per100k": format_number(latest.get(PER_100K)),
        "group_per100k": format_number(latest.get(f"group_{PER_100K}")),
        "per100k_councils": latest.get("group_per_100k_councils") if group else None,
        "per100k_difference": format_difference(
            latest.get(PER_100K), latest.get(f"group_{PER_100K}"), 1
        ),
        "per100k_place": place_text(
            latest.get("per_100k_rank"), latest.get("per_100k_ranked"), latest.get("per_100k_joint")
        ),
        "population": count_text(latest.get("population")),
        "population_source": latest.get("population_source") or "",
        # the Ombudsman's 2024-25 counts of the year's decisions
        "dealt_with": [
            (label, count_text(n))
            for label, n in zip(
                (
                    "Complaints dealt with (decisions)",
                    "Not for us",
                    "Assessed and closed",
                    "Investigated",
                ),
                (outcome_groups(latest)[k] for k in (DEALT_WITH, *OUTCOME_GROUP_KEYS)),
                strict=True,
            )
        ],
        "comparison_note": latest.get("comparison_note"),
    }
    return {
        "root": root,
        "name": name,
        "slug": e.slug,
        "codes": [c.gss_code for c in e.history] or ([e.council.gss_code] if e.council else []),
        "population": e.council.population if e.council else None,
        "history": _history(e),
        "group_label": GROUP_LABELS[group] if group else "No comparison group",
        "group_href": root + group_path(group, latest["year"]) if group else None,
        "group_note": latest.get("group_note"),
        "summary": summary,
        "rates": rates,
        "stats": site.has("uphold_comparison"),
        "per100k": per100k,
        "per100k_group": site.has(f"group_{PER_100K}"),
        "by_year_downloads": by_year,
        "notes": notes,
        "outcomes": [o | {"other": x} for o, x in zip(outcome_rows, others, strict=True)],
        "outcome_labels": oc.OUTCOME_LABELS,
        "outcome_keys": oc.OUTCOMES,
        # the outcomes and their 2024-25 grouping: one download for both tables
        "outcome_downloads": site.downloads.add(
            f"{base}-outcomes",
            ["year", "council", "decisions", *oc.OUTCOMES, *OUTCOME_GROUP_KEYS, DEALT_WITH],
            [o | g for o, g in zip(outcome_rows, grouping_rows, strict=True)],
            root,
        ),
        "grouping": [g | {"other": x} for g, x in zip(grouping_rows, others, strict=True)],
        "grouping_labels": {**oc.GROUP_LABELS, DEALT_WITH: "Dealt with"},
        "grouping_keys": [*OUTCOME_GROUP_KEYS, DEALT_WITH],
        "categories": categories,
        "category_years": cat_years,
        "category_downloads": by_category("categories", cat_years, categories),
        "received": received,
        "received_years": rec_years,
        "received_downloads": by_category("received", rec_years, received),
        "letters": letters,
        "lower_label": lower_label,
        "is_missing": is_missing,
    }
