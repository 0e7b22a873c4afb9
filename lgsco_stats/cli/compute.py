"""``lgsco-stats compute``: load spreadsheets into the store and show the councils' figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .options import (
    AverageKind,
    AverageOpt,
    DbOpt,
    FilesArg,
    FormatOpt,
    MapOpt,
    OutputOpt,
    PopulationOpt,
    SheetOpt,
    TableYearOpt,
    WideOpt,
)

# Modules compute needs once the workbook is parsed, imported while the parse runs instead:
# Arrow's conversion to pandas, the store (with sqlite3), and rich for the closing messages.
# That is 30-40 ms the main thread would otherwise spend after the parse, not waiting for it.
_USED_AFTER_THE_PARSE = ("pyarrow.pandas_compat", "lgsco_stats.store", "rich.console")


def compute(
    files: FilesArg,
    sheet: SheetOpt = None,
    map_: MapOpt = None,
    year: TableYearOpt = None,
    average: AverageOpt = AverageKind.mean,
    store: Annotated[
        bool,
        typer.Option(
            "--store/--no-store",
            help="Save what was loaded in the store (default) or only compute from the files.",
        ),
    ] = True,
    population: PopulationOpt = None,
    aliases: Annotated[
        Path | None,
        typer.Option(
            "--aliases",
            help="A CSV or workbook of name, council (or GSS code): your own names for "
            "councils, applied before names are matched to the register.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    strict_names: Annotated[
        bool,
        typer.Option(
            "--strict-names",
            help="Make any name that is not a council in the register an error (nothing is "
            "stored), instead of a body with its own figures and no group.",
        ),
    ] = False,
    db: DbOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Load decision spreadsheets, compute each council's rates for the years they cover, and
    benchmark each council against the average of its group.

    What is loaded is saved in the store, so that compare, councils and letter work without the
    spreadsheets; loading a file again changes nothing. Every problem of the files is listed in
    one run, and nothing is stored when any is an error; `lgsco-stats inspect` shows how a file
    is read without storing it.

    \b
    Example: lgsco-stats compute decisions.xlsx --format csv --output figures.csv
    Example: lgsco-stats compute table-2023-24.xlsx --aliases our-names.csv --strict-names
    """
    import gc
    import importlib

    from ..read import workbook
    from ..read.headers import parse_mapping
    from .render import output_format

    fmt = output_format(fmt, output)
    mapping = parse_mapping(map_ or [])
    # The workbooks are parsed on a worker thread while pandas and the rest are imported.
    with workbook.parsing(files, sheet, mapping):
        from ..councils import register
        from ..counts import attach
        from ..figures import council_figures, group_benchmarks
        from ..read.allocator import use_system_malloc
        from ..read.files import read_files
        from ..read.population import read_population
        from ..rounding import format_count
        from ..tables import records
        from . import render
        from .views import (
            COMPARISON_NOTE,
            FIGURE_KEYS,
            INTERVAL_NOTE,
            SMALL_NOTE,
            comparison_notes,
            figure_columns,
            group_count_notes,
            population_note,
        )

        for module in _USED_AFTER_THE_PARSE:
            importlib.import_module(module)

        # What the imports made lives as long as the process: the collector need not look at
        # it again (a full pass over pandas' and pyarrow's objects took 40 ms mid-load).
        gc.freeze()
        use_system_malloc()  # undone, with the freeze, when the command returns
        from ..read.aliases import read_aliases
        from ..read.report import missing_notes, year_notes

        reg = register()
        own_names = read_aliases(aliases, reg) if aliases else None
        with render.Status(f"Reading {', '.join(f.name for f in files)}…"):
            ds = read_files(files, sheet=sheet, mapping=mapping, year=year)  # parsed by the option
    show_problems(ds.problems)
    for line in year_notes(ds.reports):
        render.message(f"Note: {line}")
    # which rate each sheet cannot give, and why: under a table, on stderr for csv and json
    missing = missing_notes(ds.reports, len(ds.compliance) > 0)
    if fmt.value not in ("table", "markdown"):
        for line in missing:
            render.message(f"Note: {line}")
        missing = []
    how = f"Group = the {average.value} of the group's councils' figures" + (
        " (councils with no cases or no population left out)."
        if average.value == "mean"
        else " (pooled: all the group's cases, and its population, together)."
    )

    def shown(counts: Any) -> tuple[Any, str]:
        figures = council_figures(counts, reg, average.value, pops)
        rows = records(figures)
        notes = [SMALL_NOTE, how, population_note(rows), COMPARISON_NOTE]
        notes += [INTERVAL_NOTE] if wide else []
        if fmt in (render.Format.table, render.Format.markdown):
            notes += comparison_notes(rows)
            notes += group_count_notes(records(group_benchmarks(figures, average.value)))
        notes += missing
        if average.value == "pooled":
            notes += _pooled_notes(figures)
        text = render.prepare(
            rows,
            fmt,
            output,
            columns=figure_columns(dealt_with=True, intervals=wide),
            keys=FIGURE_KEYS,
            title=f"Council figures {', '.join(years)}",
            notes=notes,
            wide=wide,
        )
        return text, format_count(len(rows), "row")

    with render.Status("Matching councils…") as status:
        data = attach(ds, reg, own_names)
        unresolved = data.unresolved(reg)
        if strict_names and unresolved:
            _refuse(unresolved)
        years = ds.years
        pops = read_population(population, reg) if population else None
        if store:
            status.update("Saving to the store…")
            # The figures shown are the store's for these years once the load is in it (the
            # same as the load's alone unless the store holds more for them), read from the
            # count tables the save has just written. Nothing is written before the commit.
            where, counts, saved = _save(db, data, files, years)
        else:
            counts = data.counts()
        bodies = data.bodies(reg)
    # What was read and saved is said before the figures are made: whatever happens to them
    # (an output that cannot be written, or a bug), the user knows the load is in the store.
    parts = []
    if len(ds.decisions):
        parts.append(format_count(len(ds.decisions), "decision"))
    if len(ds.compliance):
        parts.append(format_count(len(ds.compliance), "compliance outcome"))
    if len(ds.published):
        parts.append(format_count(len(ds.published), "published row"))
    said = f"Read {' and '.join(parts) or 'no rows'} for {', '.join(years) or 'no year'}"
    if not store:
        said += " (not saved)."
    elif saved.changed:
        said += f"; saved in {where}."
    else:
        said += f"; nothing new: the store ({where}) already held all of it."
    render.message(said)
    for note in ds.notes:
        render.message(note, style="yellow")
    if bodies:
        names = ", ".join(n for n, _ in bodies[:8]) + (" …" if len(bodies) > 8 else "")
        render.message(
            f"{format_count(len(bodies), 'body', 'bodies')} outside the register of councils "
            f"(their own figures, no comparison group): {names}"
        )
        for u in unresolved:
            if u.suggestions:
                render.message(f"Warning: {u.text()}", style="yellow")
    text, rows = shown(counts)
    render.write_text(text, output, what=rows)


def show_problems(problems: Any, limit: int = 20) -> None:
    """Reading's warnings and notes on stderr: at most ``limit`` of each, then how many more."""
    from . import render

    for level, style in (("warning", "yellow"), ("note", None)):
        items = [p for p in problems if p.level == level]
        for p in items[:limit]:
            render.message(f"{level.capitalize()}: {p.text}", style=style)
        if len(items) > limit:
            render.message(f"… and {len(items) - limit} more {level}s", style=style)


def _pooled_notes(figures: Any) -> list[str]:
    """What a pooled average left out: councils whose rate was published without its counts."""
    from ..figures import RATE_LABELS, RATES

    out = []
    for rate, (num, den) in RATES.items():
        given = figures[rate].notna() & (figures[num].isna() | figures[den].isna())
        n = int((given & figures["in_group"].astype(bool)).sum())
        if n:
            out.append(
                f"Pooled {RATE_LABELS[rate]} averages need counts: {n} council-years with a "
                "published rate but no counts are left out of them."
            )
    return out


def _refuse(unresolved: Any) -> None:
    """--strict-names: every name the register does not know, as one error."""
    from ..errors import DataError
    from ..read.problems import Problems

    problems = Problems()
    for u in unresolved:
        problems.error(u.text(), placed=True)
    try:
        problems.raise_errors()
    except DataError as e:
        raise DataError(
            e.message,
            hint="name them in a file given with --aliases (name, council), or drop "
            "--strict-names to keep them as bodies outside the register",
        ) from None


def _save(db: Path | None, data: Any, files: list[Path], years: list[str]) -> tuple[Path, Any, Any]:
    """Save a load; the store's path, its counts for the load's years and what the save did."""
    from ..store import Store

    with Store(db) as st:
        saved = st.save(
            data.decisions, data.compliance, data.published, files=files, received=data.received
        )
        return st.path, st.counts(years), saved
