"""``lgsco-stats letter``: annual review letters for one council or all, as Markdown, HTML, Word
or PDF."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .options import AverageKind, AverageOpt, DbOpt, TypeOpt, YearOpt, choose

if TYPE_CHECKING:
    from ..letters.fields import Settings


class LetterFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    docx = "docx"
    pdf = "pdf"


_FORMAT_WORDS = {**{f.value: f for f in LetterFormat}, "md": LetterFormat.markdown}


def _letter_format(value: Any) -> LetterFormat:
    return choose(value, LetterFormat, _FORMAT_WORDS, "letter format")


_BY_SUFFIX = {
    ".md": LetterFormat.markdown,
    ".markdown": LetterFormat.markdown,
    ".html": LetterFormat.html,
    ".htm": LetterFormat.html,
    ".docx": LetterFormat.docx,
    ".pdf": LetterFormat.pdf,
}
CONFIG_KEYS = ("signatory", "signatory_title", "date", "contacts", "template")


def _format_of(output: Path, fmt: LetterFormat | None) -> LetterFormat | None:
    """The format a letter file's suffix gives (None without a suffix); a suffix that is not a
    letter's, or that contradicts --format, is a usage error (never Markdown under a .doc
    name)."""
    from ..errors import UsageError

    suffix = output.suffix.lower()
    by_suffix = _BY_SUFFIX.get(suffix)
    if suffix and by_suffix is None:
        word = " (Word letters are .docx)" if suffix in (".doc", ".rtf", ".odt") else ""
        raise UsageError(
            f"--output {output}: a letter is written as .md, .html, .docx or .pdf, not "
            f"{suffix}{word}"
        )
    if fmt is not None and by_suffix is not None and by_suffix is not fmt:
        raise UsageError(
            f"--format {fmt.value} and --output {output} disagree (a {suffix} file is "
            f"{by_suffix.value}); drop --format, or give the file a name to match"
        )
    return fmt or by_suffix


def read_config(path: Path) -> dict[str, Any]:
    """A TOML config file's letter settings (``signatory``, ``signatory-title``, ``date``,
    ``contacts``, ``template``); paths are relative to the config file."""
    import tomllib

    from ..errors import UsageError
    from ..letters.render import MAX_TEMPLATE_BYTES

    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:  # a few settings: as small as a template
            raise UsageError(f"{path}: refused: a config file of {path.stat().st_size:,} bytes")
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise UsageError(f"cannot read the config file {path}: {e.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise UsageError(f"{path}: not a TOML config file ({e})") from None
    except RecursionError:  # tomllib reads nested arrays by recursion
        raise UsageError(f"{path}: not a TOML config file (nested too deeply)") from None
    section = data.get("letter", data)
    if not isinstance(section, dict):
        raise UsageError(f"{path}: [letter] must be a table of settings")
    out: dict[str, Any] = {}
    for key, value in section.items():
        k = key.replace("-", "_")
        if k not in CONFIG_KEYS:
            raise UsageError(
                f"{path}: unknown setting {key!r}; the settings are "
                + ", ".join(c.replace("_", "-") for c in CONFIG_KEYS)
            )
        if k == "date" and isinstance(value, dt.date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise UsageError(f"{path}: {key} must be text")
        if k in ("contacts", "template"):
            value = str((path.parent / value).resolve())
        out[k] = value
    return out


def parse_date(text: str) -> dt.date:
    """A letter date written as input files write dates (2020-07-22, 22/07/2020, 22 July 2020);
    a day that does not exist (2020-02-30) or text that is no date is a usage error."""
    from ..errors import UsageError
    from ..read.dates import parse_date as read_date

    day = read_date(text)
    if day is None or not text.strip() or text.strip().replace(".", "").isdigit():
        raise UsageError(
            f"--date {text!r} is not a date; write it as 2020-07-22, 22/07/2020 or 22 July 2020"
        )
    return day


def letter(
    council: Annotated[
        str | None,
        typer.Option("--council", "-c", help="The council (name, short name, alias or GSS code)."),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="A letter for every council with data in the year, one file each, into "
            "--output DIR.",
        ),
    ] = False,
    year: YearOpt = None,
    type_: TypeOpt = None,
    fmt: Annotated[
        LetterFormat | None,
        typer.Option(
            "--format",
            "-f",
            parser=_letter_format,
            metavar="[markdown|html|docx|pdf]",
            show_default=False,
            help="markdown (or md), html, docx or pdf (default: from the --output file's "
            "suffix, .md, .html, .docx or .pdf, else markdown).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (one council) or folder (with --all; created if "
            "missing). Without it, or with '-', one letter is printed to stdout.",
        ),
    ] = None,
    contacts: Annotated[
        Path | None,
        typer.Option(
            "--contacts",
            help="CSV or Excel file: council, name, job title, email (the chief "
            "executive each letter is addressed to).",
            dir_okay=False,
        ),
    ] = None,
    signatory: Annotated[
        str | None,
        typer.Option(
            "--signatory",
            help="Who signs the letters (or signatory in --config); needed with --all.",
        ),
    ] = None,
    signatory_title: Annotated[
        str | None,
        typer.Option(
            "--signatory-title",
            help="The signatory's title(s); separate lines with ';'. Default: "
            "Local Government and Social Care Ombudsman.",
        ),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The letter date, YYYY-MM-DD (default: today).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="TOML file with signatory, signatory-title, date, contacts, template "
            "(options given on the command line win).",
            dir_okay=False,
            envvar="LGSCO_STATS_CONFIG",
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="Your own Jinja2 template (Markdown, or HTML for --format html).",
            dir_okay=False,
        ),
    ] = None,
    fields: Annotated[
        bool,
        typer.Option(
            "--fields",
            help="List every field a template may use, with its value for an example "
            "council (--council, or the first in the year), and exit.",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes making Word or PDF letters with --all (default: "
            "one per CPU, at most 4, for 24 letters or more).",
        ),
    ] = None,
    average: AverageOpt = AverageKind.mean,
    db: DbOpt = None,
) -> None:
    """Write annual review letters: each council's figures for a year beside the average of
    similar authorities, with compliance, remedies and the complaints dealt with, as Markdown,
    HTML, Word or PDF.

    \b
    Example: lgsco-stats letter --council southampton --year 2019-20 --format pdf -o s.pdf
    """
    from ..errors import UsageError

    settings_file = read_config(config) if config else {}
    if fields:
        _fields(
            council,
            year,
            average.value,
            db,
            settings_file,
            signatory,
            signatory_title,
            date,
            contacts,
        )
        return
    if council and all_:
        raise UsageError(
            "--council and --all exclude each other: --council NAME writes one letter, --all "
            "one for every council"
        )
    if not council and not all_:
        raise UsageError("say which letters: --council NAME for one, or --all for every council")
    if type_ is not None and not all_:
        raise UsageError("--type chooses councils for --all; with --council leave it out")
    chosen = fmt
    if output is not None and not all_ and not output.is_dir():
        chosen = _format_of(output, fmt)
    template_path = template or (
        Path(settings_file["template"]) if "template" in settings_file else None
    )
    from ..letters.render import HTML, LetterTemplate

    tmpl = LetterTemplate.from_file(template_path) if template_path else LetterTemplate.default()
    if chosen is None:
        chosen = LetterFormat.html if tmpl.kind == HTML else LetterFormat.markdown
    if tmpl.kind == HTML and chosen is not LetterFormat.html:
        raise UsageError(
            f"{tmpl.name} is an HTML template: it makes --format html only; use a "
            "Markdown template for markdown, docx or pdf"
        )
    if all_:
        if output is None or str(output) == "-":
            raise UsageError("--all writes one file per council: give a folder with --output DIR")
        if output.exists() and not output.is_dir():
            raise UsageError(f"--output {output} is a file; --all needs a folder")
    elif output is None and chosen in (LetterFormat.docx, LetterFormat.pdf):
        raise UsageError(f"--format {chosen.value} writes a file: give it with --output FILE")

    settings = _settings(settings_file, signatory, signatory_title, date, average.value)
    if not settings.signatory:
        if all_:
            raise UsageError(
                "--all signs every letter: say who signs them with --signatory NAME (or "
                'signatory = "NAME" in the --config file)'
            )
        from . import render

        render.message(
            "No --signatory: the letter is signed with the title alone; give --signatory NAME "
            "(or signatory in the --config file).",
            style="yellow",
        )
    _write(
        council,
        all_,
        year,
        type_ if type_ else None,
        chosen,
        output,
        contacts or (Path(settings_file["contacts"]) if "contacts" in settings_file else None),
        settings,
        tmpl,
        db,
        jobs,
    )


def _settings(
    from_file: dict[str, Any],
    signatory: str | None,
    signatory_title: str | None,
    date: str | None,
    average: str,
) -> Settings:
    from ..letters.fields import OMBUDSMAN, Settings

    date_text = date if date is not None else from_file.get("date")
    return Settings(
        date=parse_date(date_text) if date_text is not None else dt.date.today(),
        signatory=signatory if signatory is not None else from_file.get("signatory"),
        signatory_title=(
            signatory_title
            if signatory_title is not None
            else from_file.get("signatory_title", OMBUDSMAN)
        ),
        average=average,
    )


def _write(
    council: str | None,
    all_: bool,
    year: str | None,
    group: str | None,
    fmt: LetterFormat,
    output: Path | None,
    contacts: Path | None,
    settings: Settings,
    tmpl: Any,
    db: Path | None,
    jobs: int | None,
) -> None:
    import sys

    from ..letters.batch import (
        Letters,
        has_data,
        make_files,
        render_all,
        render_letter,
        write_letters,
    )
    from ..output import is_stdout, write_atomic
    from . import render
    from .data import figures_for_year

    chosen, counts = figures_for_year(db, year)
    letters = Letters(db, chosen, counts, settings.average, contacts)
    if council:
        fields = letters.context(letters.find(council), settings)
        data, title = render_letter(fields, fmt.value, tmpl)
        if isinstance(data, str) and is_stdout(output):  # Word or PDF to standard output
            render.write_bytes(_one_file(data, title, fields, fmt), None)
            return
        if isinstance(data, str):  # Word or PDF
            target = _target(output, fields, fmt)
            make_files([(str(target), data, title, fields["letter"]["date_iso"])], fmt.value, 1)
            render.message(f"Wrote {target}")
            return
        if is_stdout(output):
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            return
        target = _target(output, fields, fmt)
        write_atomic(target, data)
        render.message(f"Wrote {target}")
        return
    assert output is not None
    rows = [r for r in letters.rows if group is None or r.get("type") == group]
    with_data = [r for r in rows if has_data(r)]
    skipped = len(rows) - len(with_data)
    if not with_data:
        from ..errors import NotFound

        raise NotFound(
            f"no council{' of that type' if group else ''} has decisions in {letters.year}"
        )
    made = render_all(letters, with_data, settings, fmt.value, tmpl, output)
    with render.Progress(f"Letters {letters.year}", len(made)) as progress:
        write_letters(made, fmt.value, tmpl, output, jobs, progress.advance)
    from ..rounding import format_count

    note = f"; skipped {skipped} with no decisions in {letters.year}" if skipped else ""
    addressed = sum(1 for r in with_data if str(r["authority_key"]) in letters.contacts)
    to = f" ({addressed} addressed from --contacts)" if contacts else ""
    wrote = format_count(len(made), f"{fmt.value} letter")
    render.message(f"Wrote {wrote} for {letters.year} to {output}{to}{note}.")


def _one_file(text: str, title: str, fields: Any, fmt: LetterFormat) -> bytes:
    """A Word or PDF letter's bytes, made here (for standard output)."""
    if fmt is LetterFormat.pdf:
        from ..letters.pdf import markdown_to_pdf

        date = dt.date.fromisoformat(fields["letter"]["date_iso"])
        return markdown_to_pdf(text, title, date)
    from ..letters.word import markdown_to_docx

    return markdown_to_docx(text, title)


def _target(output: Path | None, fields: Any, fmt: LetterFormat) -> Path:
    from ..letters.batch import SUFFIX

    assert output is not None
    if output.is_dir():
        return output / f"{fields['letter']['file_stem']}{SUFFIX[fmt.value]}"
    return output


def _fields(
    council: str | None,
    year: str | None,
    average: str,
    db: Path | None,
    from_file: dict[str, Any],
    signatory: str | None,
    signatory_title: str | None,
    date: str | None,
    contacts: Path | None,
) -> None:
    from ..letters.batch import Letters, has_data
    from ..letters.fields import flatten
    from . import render
    from .data import figures_for_year
    from .render import Column, Format

    settings = _settings(from_file, signatory, signatory_title, date, average)
    chosen, counts = figures_for_year(db, year)
    letters = Letters(
        db,
        chosen,
        counts,
        average,
        contacts or (Path(from_file["contacts"]) if "contacts" in from_file else None),
    )
    if council:
        row = letters.find(council)
    else:
        row = next((r for r in letters.rows if r.get("in_group") and has_data(r)), letters.rows[0])
    fields = letters.context(row, settings)
    rows = [{"field": p, "value": "" if v is None else str(v)} for p, v in flatten(fields)]
    render.emit(
        rows,
        Format.table,
        None,
        columns=[Column("field", "Field"), Column("value", f"Value for {row['council']}")],
        keys=["field", "value"],
        title=f"Letter fields ({letters.year}); use them as {{{{ council.name }}}}",
    )
