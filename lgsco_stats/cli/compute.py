"""``lgsco-stats compute``: load spreadsheets into the store and show the councils' figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from .options import (
    AverageKind,
    AverageOpt,
    DbOpt,
    FormatOpt,
    OutputOpt,
    PopulationOpt,
    WideOpt,
    parse_year_option,
)

# Modules compute needs once the workbook is parsed, imported while the parse runs instead:
# Arrow's conversion to pandas, the store (with sqlite3), and rich for the closing messages.
# That is 30-40 ms the main thread would otherwise spend after the parse, not waiting for it.
_USED_AFTER_THE_PARSE = ("pyarrow.pandas_compat", "lgsco_stats.store", "rich.console")


def compute(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Spreadsheets (.xlsx, .xls, .ods) or CSV files of decisions, compliance "
            "outcomes or "
            "published per-council tables.",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Read only this sheet (default: every sheet).")
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=HEADER",
            help="Say which column holds a field, e.g. --map outcome=Result (repeatable).",
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            "-y",
            parser=parse_year_option,
            help="Year of a published table that has no Year column, e.g. 2023-24.",
        ),
    ] = None,
    average: AverageOpt = AverageKind.mean,
    store: Annotated[
        bool,
        typer.Option(
            "--store/--no-store",
            help="Save what was loaded in the store (default) or only compute from the files.",
        ),
    ] = True,
    population: PopulationOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Load decision spreadsheets, compute each council's rates for the years they cover, and
    benchmark each council against the average of its group.

    What is loaded is saved in the store, so that compare, councils and letter work without the
    spreadsheets; loading a file again changes nothing.

    \b
    Example: lgsco-stats compute decisions.xlsx --format csv --output figures.csv
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
        from ..years import parse_year
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
        year_label = parse_year(year) if year else None
        reg = register()
        with render.Status(f"Reading {', '.join(f.name for f in files)}…"):
            ds = read_files(files, sheet=sheet, mapping=mapping, year=year_label)
    how = f"Group = the {average.value} of the group's councils' figures" + (
        " (councils with no cases or no population left out)."
        if average.value == "mean"
        else " (pooled: all the group's cases, and its population, together)."
    )

    def shown(counts: Any) -> str:
        figures = council_figures(counts, reg, average.value, pops)
        rows = records(figures)
        notes = [SMALL_NOTE, how, population_note(rows), COMPARISON_NOTE]
        notes += [INTERVAL_NOTE] if wide else []
        if fmt in (render.Format.table, render.Format.markdown):
            notes += comparison_notes(rows)
            notes += group_count_notes(records(group_benchmarks(figures, average.value)))
        return render.prepare(
            rows,
            fmt,
            output,
            columns=figure_columns(dealt_with=True, intervals=wide),
            keys=FIGURE_KEYS,
            title=f"Council figures {', '.join(years)}",
            notes=notes,
            wide=wide,
        )

    with render.Status("Matching councils…") as status:
        data = attach(ds, reg)
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
        for name, close in bodies:
            if close:
                render.message(
                    f"  {name!r}: did you mean {' or '.join(repr(c) for c in close)}?",
                    style="yellow",
                )
    render.write_text(shown(counts), output)


def _save(db: Path | None, data: Any, files: list[Path], years: list[str]) -> tuple[Path, Any, Any]:
    """Save a load; the store's path, its counts for the load's years and what the save did."""
    from ..store import Store

    with Store(db) as st:
        saved = st.save(
            data.decisions, data.compliance, data.published, files=files, received=data.received
        )
        return st.path, st.counts(years), saved
