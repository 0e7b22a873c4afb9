"""Tables on a terminal of ordinary width (issue 17): at 80 and 100 columns the default table
fits, never breaks a rate or a heading word, says which group figure each "Group" column is,
and says what it left out and how to see it (--wide, --format csv). Rendered by Rich as on a
real terminal (render.to_table_text(terminal=True))."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from lgsco_stats.cli import render
from tests.conftest import decisions_rows

SPEC = [
    # long names and three-digit counts: the widest cells a real table has
    ("Cheshire West and Chester Council", "Upheld", 123, "Yes"),
    ("Cheshire West and Chester Council", "Not upheld", 27, None),
    ("North East Lincolnshire Council", "Upheld", 3, None),
    ("Southampton City Council", "Upheld", 38, None),
    ("Southampton City Council", "Not upheld", 19, None),
    ("Portsmouth", "Upheld", 9, None),
    ("Portsmouth", "Not upheld", 1, None),
    ("Kent County Council", "Upheld", 53, None),
    ("Kent County Council", "Not upheld", 8, None),
    ("Royal Borough of Windsor and Maidenhead", "Not upheld", 4, None),
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RATE = re.compile(r"(?:\d+%|n/a) \((?:[\d,]+/[\d,]+|0)\)\*?")


@pytest.fixture
def terminal(cli, make_xlsx, monkeypatch):
    """Runs a command as on a terminal of a given width; returns its table as plain text."""
    r = cli("compute", make_xlsx({"D": decisions_rows(SPEC)}), "-f", "json")
    assert r.exit_code == 0, r.stderr
    real = render.to_table_text

    def on_a_terminal(*args, **kwargs):
        return real(*args, **{**kwargs, "terminal": True})

    monkeypatch.setattr(render, "to_table_text", on_a_terminal)

    def run(width: int, *args: str) -> str:
        monkeypatch.setenv("TERMINAL_WIDTH", str(width))
        r = cli(*args)
        assert r.exit_code == 0, r.stderr
        return ANSI.sub("", r.stdout)

    return run


def _rates(cli, args):
    """Every rate with its counts that the plain table of the same command shows."""
    return set(RATE.findall(cli(*args).stdout))


def _header(text: str) -> list[str]:
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("━"))
    return lines[1:rule]  # the title, then the heading lines down to the rule


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize(
    "args",
    [("compare", "--type", "unitary"), ("trend", "-c", "kent"), ("councils", "--type", "county")],
    ids=lambda a: a[0],
)
def test_the_table_fits_and_never_breaks_a_rate(cli, terminal, width, args) -> None:
    text = terminal(width, *args)
    for line in text.splitlines():
        assert cell_len(line) <= width, line
    # every rate the table shows is one the plain table shows: none cut across two lines
    shown = set(RATE.findall(text))
    assert shown <= _rates(cli, args)
    if args[0] == "compare":
        assert {"82% (123/150)", "67% (38/57)", "90% (9/10)"} <= shown
    if args[0] == "trend":
        assert "87% (53/61)" in shown


@pytest.mark.parametrize("width", [80, 100])
def test_headings_wrap_at_spaces_never_inside_a_word(terminal, width) -> None:
    text = terminal(width, "compare", "--type", "unitary")
    words = set(
        "Unitary councils 2019-20 Council Decisions Upheld Group upheld Complied complied "
        "Remedied by council remedied ± per 100k vs similar".split()
    )
    for line in _header(text):
        for word in line.split():
            assert word in words, f"{word!r} is a broken heading in:\n{text}"


def test_at_80_and_100_what_is_shown_and_what_is_left_out(terminal, make_xlsx, tmp_path) -> None:
    path = str(make_xlsx({"D": decisions_rows(SPEC)}, name="again.xlsx"))
    at100 = terminal(100, "compute", path)
    head = " ".join(_header(at100))
    for word in ("Council", "Upheld", "Complied", "Remedied", "Group upheld"):
        assert word.split()[0] in head
    # the three group figures, each headed with its rate
    assert head.count("Group") == 3
    assert all(w in head for w in ("upheld", "complied", "remedied"))
    assert "Cheshire West and Chester" in at100 and "82% (123/150)" in at100
    note = " ".join(at100[at100.index("Not shown at 100 columns:") :].split())
    assert "--wide shows them" in note and "--format csv gives every figure" in note

    at80 = terminal(80, "compute", path)
    assert "82% (123/150)" in at80 and "Remedied" in " ".join(_header(at80))
    note = " ".join(at80[at80.index("Not shown at 80 columns:") :].split())
    for left_out in ("Decisions", "Group upheld", "Upheld per 100k"):
        assert left_out in note


def test_compare_at_80_keeps_the_rates_and_the_group_average_row(terminal) -> None:
    text = terminal(80, "compare", "--type", "unitary", "--council", "southampton")
    lines = text.splitlines()
    soton = next(line for line in lines if line.startswith("Southampton City Council"))
    assert "67% (38/57)" in soton
    average = next(line for line in lines if line.startswith("Unitary councils average"))
    assert "%" in average  # the group's figures, in the rate columns
    assert "Group upheld" in text  # named among the columns left out


@pytest.mark.parametrize("width", [80, 100])
def test_wide_shows_every_column_without_breaking_any(cli, terminal, width) -> None:
    text = terminal(width, "compare", "--type", "unitary", "--wide")
    header = _header(text)[-1]
    for heading in ("Decisions", "Group upheld", "± complied", "Upheld per 100k"):
        assert heading in header  # every heading on one line
    assert "Not shown" not in text
    soton = next(line for line in text.splitlines() if line.startswith("Southampton"))
    # 38/57 = 66.7% shows as 67%, on the same line as its group's figure and the difference
    assert "67% (38/57)" in soton and re.search(r"[+-]\d+", soton)


def test_piped_and_files_get_every_column(cli, make_xlsx, tmp_path) -> None:
    # (not the terminal fixture: it makes every table a terminal's, files included)
    assert cli("compute", make_xlsx({"D": decisions_rows(SPEC)}), "-f", "json").exit_code == 0
    out = tmp_path / "table.txt"
    assert cli("compare", "--type", "unitary", "-o", out).exit_code == 0
    first = out.read_text().splitlines()[1]
    for heading in ("Decisions", "Group upheld", "± complied", "Upheld per 100k"):
        assert heading in first


def test_terminal_cells_are_text_not_markup(terminal, cli, tmp_path) -> None:
    data = tmp_path / "d.csv"
    name = "[bold]Fake[/bold] Authority"
    data.write_text(f"Reference,Authority,Decision date,Outcome\n1,{name},2019-06-01,Upheld\n")
    assert cli("compute", data, "-f", "json").exit_code == 0
    text = terminal(100, "trend", "--council", "[bold]Fake[/bold] Authority")
    assert "[bold]Fake[/bold] Authority" in text


def test_compare_at_100_keeps_how_each_council_compares(terminal) -> None:
    # every row of compare has the same group figures (the last row is the group's average):
    # at 100 columns the comparison with similar councils stays and the group columns go
    text = terminal(100, "compare", "--type", "unitary")
    head = " ".join(_header(text))
    assert head.count("similar") == 3 and "Group upheld" not in head
    note = " ".join(text[text.index("Not shown at 100 columns:") :].split())
    assert "Group upheld" in note and "vs similar" not in note


def test_trend_across_a_successor_names_each_row(cli, make_xlsx, terminal) -> None:
    # Somerset: the county until March 2023, the unitary after; a successor's year can have a
    # row for each, so the council column stays, and names wrap before the group figures go.
    import datetime as dt

    rows = (
        decisions_rows(
            [
                ("Somerset County Council", "Upheld", 3, None),
                ("Somerset County Council", "Not upheld", 1, None),
            ],
            start=dt.date(2022, 6, 1),
        )
        + decisions_rows([("Somerset Council", "Upheld", 2, None)], start=dt.date(2023, 6, 1))[1:]
    )
    rows = [r if i == 0 else (f"S{i:04d}", *r[1:]) for i, r in enumerate(rows)]
    assert cli("compute", make_xlsx({"D": rows}, name="somerset.xlsx"), "-f", "json").exit_code == 0
    text = terminal(100, "trend", "--council", "somerset")
    head = " ".join(_header(text))
    assert "Council" in head and "Group" in head and "upheld" in head
    lines = text.splitlines()
    assert any(x.startswith("2022-23") and "Somerset County" in x for x in lines), text
    assert any(x.startswith("2023-24") and "Somerset Council" in x for x in lines), text
