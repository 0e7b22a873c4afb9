"""The command line through CliRunner: exit codes, stdout and stderr kept apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import decisions_rows, stored_decisions

ROOT = Path(__file__).resolve().parents[1]

SPEC = [
    ("Southampton City Council", "Upheld", 3, None),
    ("Southampton", "Not upheld", 1, None),
    ("Portsmouth", "Upheld", 1, None),
    ("Portsmouth", "Not upheld", 1, None),
    ("Kent County Council", "Upheld", 53, None),
    ("Kent County Council", "Not upheld", 8, None),
    ("Hampshire Fire and Rescue Authority", "Upheld", 1, None),
    ("Southhampton Counsil", "Upheld", 1, None),
]


@pytest.fixture
def loaded(store_spec) -> Path:
    return store_spec(SPEC)


def test_compute_json_keys_and_raw_numbers(cli, make_xlsx) -> None:
    path = make_xlsx({"Decisions": decisions_rows(SPEC)})
    r = cli("compute", path, "--format", "json")
    assert r.exit_code == 0
    rows = json.loads(r.stdout)
    keys = {
        "council",
        "gss_code",
        "type",
        "year",
        "decisions",
        "investigations",
        "upheld",
        "not_upheld",
        "remedy_by_authority",
        "compliance_outcomes",
        "complied",
        "uphold_rate",
        "remedy_rate",
        "compliance_rate",
        "upheld_per_100k",
        "group_uphold_rate",
        "group_remedy_rate",
        "group_compliance_rate",
        "group_councils",
        "average",
    }
    assert keys <= set(rows[0])
    kent = next(x for x in rows if x["gss_code"] == "E10000016")
    assert kent["uphold_rate"] == pytest.approx(5300 / 61)  # unrounded: 86.885...
    assert kent["type"] == "county" and kent["year"] == "2019-20" and kent["average"] == "mean"
    fire = next(x for x in rows if x["council"] == "Hampshire Fire and Rescue Authority")
    assert fire["gss_code"] is None and fire["type"] is None and fire["group_uphold_rate"] is None
    # messages on stderr, never in the data
    assert "2 bodies outside the register" in r.stderr
    assert "did you mean 'Southampton City Council'" in r.stderr
    assert "Read 69 decisions" in r.stderr


def test_compute_table_when_piped_is_plain(cli, make_xlsx) -> None:
    r = cli("compute", make_xlsx({"D": decisions_rows(SPEC)}))
    assert r.exit_code == 0
    assert "\x1b[" not in r.stdout
    assert re.search(r"Kent County Council\s+county councils?|Kent County Council", r.stdout)
    assert "87% (53/61)" in r.stdout


def test_compute_csv_to_file(cli, make_xlsx, tmp_path: Path) -> None:
    out = tmp_path / "figures.csv"
    r = cli("compute", make_xlsx({"D": decisions_rows(SPEC)}), "-f", "csv", "-o", out)
    assert r.exit_code == 0 and r.stdout == ""
    text = out.read_text()
    assert text.startswith("council,gss_code,type,year,")
    assert "86.88524590163935" in text


def test_compute_markdown(cli, make_xlsx) -> None:
    r = cli("compute", make_xlsx({"D": decisions_rows(SPEC)}), "--format", "markdown")
    # decisions, then the 2024-25 counts: not for us 0, assessed and closed 0, investigated 61
    assert (
        "| Kent County Council | County councils | 2019-20 | 61 | 0 | 0 | 61 | 87% (53/61) |"
        in r.stdout
    )
    # Kent is the only county: no comparison, and the notes say so and over how many councils
    assert (
        "No comparison for Kent County Council 2019-20: no other county council in the store "
        "for 2019-20." in r.stdout
    )
    assert "County councils 2019-20: 1 council in the group; its figures over 1 (upheld)" in (
        r.stdout
    )
    assert "mid-2018 for 2019-20" in r.stdout


def test_compute_no_store(cli, make_xlsx, db_path: Path) -> None:
    r = cli("compute", make_xlsx({"D": decisions_rows(SPEC)}), "--no-store", "-f", "json")
    assert r.exit_code == 0 and not db_path.exists()


def test_compute_pooled(cli, make_xlsx) -> None:
    r = cli("compute", make_xlsx({"D": decisions_rows(SPEC)}), "--average", "pooled", "-f", "json")
    rows = json.loads(r.stdout)
    soton = next(x for x in rows if x["gss_code"] == "E06000045")
    assert soton["average"] == "pooled"
    # Southampton's only fellow unitary is Portsmouth: no comparison for either
    assert soton["group_uphold_rate"] is None and soton["group_councils"] == 2
    r = cli("compare", "--average", "pooled", "-f", "json")
    groups = {x["type"]: x for x in json.loads(r.stdout)}
    # the group's own pooled figure: (3 + 1) upheld over (4 + 2) investigations
    assert groups["unitary"]["uphold_rate"] == pytest.approx(400 / 6)
    assert groups["unitary"]["average"] == "pooled"


def test_bad_data_exit_1_one_line_no_traceback(cli, make_xlsx, db_path: Path) -> None:
    rows = decisions_rows([("Kent", "Upheld", 2, None), ("Kent", "Maybe", 1, None)])
    r = cli("compute", make_xlsx({"D": rows}))
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    assert "unknown outcome 'Maybe' (row 4)" in r.stderr
    assert not db_path.exists() or stored_decisions(db_path) == 0


def test_bad_data_leaves_store_as_it_was(cli, loaded, make_xlsx, db_path: Path) -> None:
    before = db_path.read_bytes()
    rows = decisions_rows([("Leeds", "Upheld", 2, None), ("Leeds", "Nope", 1, None)])
    r = cli("compute", make_xlsx({"D": rows}, name="bad.xlsx"))
    assert r.exit_code == 1
    assert db_path.read_bytes() == before


def test_usage_errors_exit_2(cli, loaded) -> None:
    r = cli("compare", "--type", "parish")
    assert r.exit_code == 2
    r = cli("compute", "no-such-file.xlsx")
    assert r.exit_code == 2
    r = cli("compute", loaded, "--map", "colour=Red")
    assert r.exit_code == 2 and "unknown field 'colour'" in r.stderr
    r = cli("compare", "--type", "county", "--year", "2019-21")
    assert r.exit_code == 2 and "2019-20" in r.stderr


def test_compare(cli, loaded) -> None:
    r = cli("compare", "--type", "unitary", "--year", "2019-20")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    soton = next(i for i, x in enumerate(lines) if x.strip().startswith("Southampton"))
    ports = next(i for i, x in enumerate(lines) if x.strip().startswith("Portsmouth"))
    assert soton < ports  # 75% before 50% (sorted by uphold rate)
    assert "75% (3/4)*" in r.stdout and "50% (1/2)*" in r.stdout
    assert "Unitary councils average (2 councils)" in r.stdout
    assert "63%" in r.stdout  # mean of 75 and 50 = 62.5, half up
    # each council has one other beside it: no comparison, no difference
    assert "+13" not in r.stdout and "+12" not in r.stdout
    assert (
        "No comparison for Southampton City Council 2019-20: only one other unitary council in "
        "the store for 2019-20." in r.stdout
    )
    assert "fewer than 10 cases" in r.stdout


def test_compare_sort_by_name_and_highlight(cli, loaded) -> None:
    r = cli("compare", "--type", "unitary", "--sort", "name", "--council", "southampton")
    lines = [x for x in r.stdout.splitlines() if "City Council" in x]
    assert lines[0].lstrip().startswith("Portsmouth")
    assert "> Southampton City Council" in r.stdout


def test_compare_council_gives_the_group(cli, loaded) -> None:
    r = cli("compare", "--council", "kent", "-f", "json")
    assert r.exit_code == 0
    assert [x["council"] for x in json.loads(r.stdout)] == ["Kent County Council"]


def test_compare_wrong_group_for_council(cli, loaded) -> None:
    r = cli("compare", "--type", "district", "--council", "kent")
    assert r.exit_code == 2 and "County councils group" in r.stderr


def test_compare_unknown_council_did_you_mean(cli, loaded) -> None:
    r = cli("compare", "--council", "Southamptn")
    assert r.exit_code == 1
    assert "did you mean 'Southampton City Council'" in r.stderr


def test_compare_year_with_no_data(cli, loaded) -> None:
    r = cli("compare", "--type", "county", "--year", "2015-16")
    assert r.exit_code == 1
    assert "no data for 2015-16; years in the store: 2019-20" in r.stderr


def test_compare_group_without_data(cli, loaded) -> None:
    r = cli("compare", "--type", "district")
    # nothing found (exit 1), as chart says it of the same group; README: 1 for nothing found
    assert r.exit_code == 1 and "no district councils have data for 2019-20" in r.stderr
    r = cli("compare", "--type", "london borough")
    assert r.exit_code == 1 and "no London boroughs have data for 2019-20" in r.stderr


def test_compare_group_averages(cli, loaded) -> None:
    r = cli("compare")
    assert r.exit_code == 0 and "Unitary councils" in r.stdout and "County councils" in r.stdout


def test_compare_empty_store(cli) -> None:
    r = cli("compare", "--type", "county")
    assert r.exit_code == 1 and "compute" in r.stderr


def test_councils_lookup(cli) -> None:
    r = cli("councils", "southampton")
    assert r.exit_code == 0
    assert "Southampton City Council" in r.stdout and "E06000045" in r.stdout
    r = cli("councils", "--type", "county", "--year", "2023-24", "-f", "json")
    rows = json.loads(r.stdout)
    assert len(rows) == 21 and all(x["type"] == "county" for x in rows)
    r = cli("councils", "Southamptn")
    assert r.exit_code == 1 and "did you mean" in r.stderr
    r = cli("councils", "york", "-f", "json")  # a name: that council only
    assert [x["name"] for x in json.loads(r.stdout)] == ["City of York Council"]
    r = cli("councils", "yorkshire", "-f", "json")  # no council's name: every name containing it
    assert {"East Riding of Yorkshire Council", "North Yorkshire Council"} <= {
        x["name"] for x in json.loads(r.stdout)
    }


def test_db_path_check_export(cli, loaded, db_path: Path, tmp_path: Path) -> None:
    r = cli("db", "path")
    assert r.stdout.strip() == str(db_path)
    r = cli("db", "check")
    assert r.exit_code == 0 and "ok (69 decisions" in r.stderr
    r = cli("db", "export", tmp_path / "all.xlsx")
    assert r.exit_code == 0
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    assert wb.sheetnames == ["figures", "decisions", "compliance", "published"]
    assert sum(1 for _ in wb["decisions"].iter_rows()) == 70
    wb.close()  # a read-only workbook keeps its file open until closed
    r = cli("db", "export", tmp_path / "all.csv")
    assert (tmp_path / "all-figures.csv").exists() and (tmp_path / "all-decisions.csv").exists()
    r = cli("db", "export", tmp_path / "all.txt")
    assert r.exit_code == 2


def test_db_check_finds_corruption(cli, loaded, db_path: Path) -> None:
    data = bytearray(db_path.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    db_path.write_bytes(bytes(data))
    r = cli("db", "check")
    assert r.exit_code == 1 and "Traceback" not in r.stderr


def test_every_command_has_help_and_is_in_the_readme(cli) -> None:
    import typer.main

    from lgsco_stats.cli import app

    group = typer.main.get_command(app)
    readme = (ROOT / "README.md").read_text()
    names = []
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(cmd, "commands", None)
        names += [f"{name} {s}" for s in subs] if subs else [name]
    for name in names:
        r = cli(*name.split(), "--help")
        assert r.exit_code == 0, name
        assert "Example" in r.stdout, f"{name} --help has no example"
        assert f"lgsco-stats {name}" in readme, f"{name} is not in the README"


def test_debug_shows_traceback(cli, make_xlsx) -> None:
    rows = decisions_rows([("Kent", "Maybe", 1, None)])
    path = make_xlsx({"D": rows})
    from lgsco_stats.errors import DataError

    with pytest.raises(DataError):
        cli("--debug", "compute", path)


def test_population_table(cli, loaded, tmp_path: Path) -> None:
    pop = tmp_path / "pop.csv"
    pop.write_text("Council,Year,Population\nSouthampton,2019-20,300000\nE06000044,,200000\n")
    r = cli("compare", "--type", "unitary", "--population", pop, "-f", "json")
    assert r.exit_code == 0, r.stderr
    rows = {x["council"]: x for x in json.loads(r.stdout)}
    # 3 upheld per 300,000 = 1.0 per 100,000; Portsmouth 1 per 200,000 = 0.5 (no year: every year)
    assert rows["Southampton City Council"]["upheld_per_100k"] == pytest.approx(1.0)
    assert rows["Portsmouth City Council"]["upheld_per_100k"] == pytest.approx(0.5)
    bad = tmp_path / "bad.csv"
    bad.write_text("Council,Population\nSouthamptn,1000\n")
    r = cli("compare", "--type", "unitary", "--population", bad)
    assert r.exit_code == 1 and "did you mean 'Southampton City Council'" in r.stderr


def test_published_table_without_remedy_column_shows_na(cli, make_xlsx) -> None:
    # Upheld is reported, remedies are not: the remedy rate is n/a, never a crash or a 0%.
    rows = [("Authority", "Year", "Upheld", "Not upheld"), ("Kent", "2022-23", 53, 8)]
    r = cli("compute", make_xlsx({"T": rows}))
    assert r.exit_code == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if "Kent County Council" in x)
    assert "87% (53/61)" in line and "n/a" in line


def test_unwritable_output_is_one_line_not_a_bug(cli, loaded, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    blocker = locked / "file"
    blocker.write_text("x")
    # a path whose parent is a file cannot be created, whoever runs the test
    for args in (
        ("compare", "--type", "unitary", "-o", blocker / "x.csv"),
        ("db", "export", blocker / "all.xlsx"),
        ("report", "--output", blocker / "site"),
    ):
        r = cli(*args)
        assert r.exit_code == 1, args
        assert "cannot write" in r.stderr and "bug" not in r.stderr, r.stderr
    import gc

    gc.collect()  # nothing half-built is left for the garbage collector to trip over later


def test_compute_allocates_with_malloc_and_gives_the_pool_back(cli, make_xlsx, monkeypatch) -> None:
    # compute has Arrow allocate with malloc (mimalloc cost 0.7 s more at a million rows) and
    # puts the pool it found back when it returns; ARROW_DEFAULT_MEMORY_POOL is obeyed.
    import pyarrow as pa

    from lgsco_stats.read import allocator
    from tests.conftest import decisions_rows

    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])})
    before = pa.default_memory_pool().backend_name
    seen = []
    real = allocator.restore

    def restore() -> None:
        seen.append(pa.default_memory_pool().backend_name)
        real()

    monkeypatch.setattr(allocator, "restore", restore)
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    assert cli("compute", path, "-f", "json").exit_code == 0
    assert seen == ["system"]
    assert pa.default_memory_pool().backend_name == before
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", before)
    assert cli("compute", path, "-f", "json").exit_code == 0
    assert seen == ["system", before]


def test_compute_gives_what_it_froze_back_to_the_collector(cli, make_xlsx) -> None:
    # compute freezes what its imports made (the collector's full passes over it cost ~40 ms
    # mid-load); a process that goes on after the command, like this one, gets it back.
    import gc

    from tests.conftest import decisions_rows

    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])})
    assert cli("compute", path, "-f", "json").exit_code == 0
    assert gc.get_freeze_count() == 0
    assert cli("compute", path, "--sheet", "nope").exit_code == 2  # failing too
    assert gc.get_freeze_count() == 0


def test_comparison_notes_say_no_comparison_once_per_line() -> None:
    from lgsco_stats.cli.views import comparison_notes

    rows = [
        {"council": "Kent County Council", "year": "2023-24",
         "comparison_note": "only one other county council in the store for 2023-24: "
                            "no comparison"},
        {"council": "Brighton and Hove City Council", "year": "2024-25",
         "comparison_note": "no comparison for the satisfactory remedy rate: only one other "
                            "unitary council has one for 2024-25"},
        {"council": "Surrey County Council", "year": "2023-24", "comparison_note": None},
    ]  # fmt: skip
    assert comparison_notes(rows) == [
        "No comparison for Kent County Council 2023-24: only one other county council in the "
        "store for 2023-24.",
        "Brighton and Hove City Council 2024-25: no comparison for the satisfactory remedy "
        "rate: only one other unitary council has one for 2024-25.",
    ]
    many = [dict(rows[0], council=f"C{i}") for i in range(12)]
    assert comparison_notes(many)[-1] == "… and 2 more (see comparison_note in CSV)."
