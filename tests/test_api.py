from __future__ import annotations

import subprocess
import sys

import lgsco_stats as lg
from tests.conftest import decisions_rows


def test_public_api_resolves() -> None:
    for name in lg.__all__:
        assert getattr(lg, name) is not None, name


def test_library_round_trip(make_xlsx, tmp_path) -> None:
    path = make_xlsx(
        {"D": decisions_rows([("Kent", "Upheld", 53, None), ("Kent", "Not upheld", 8, None)])}
    )
    figures = lg.figures_of(lg.read_files([path]))
    assert lg.format_percent(figures.loc[0, "uphold_rate"]) == "87%"
    with lg.Store(tmp_path / "s.db") as store:
        data = lg.attach(lg.read_file(path))
        store.save(data.decisions, data.compliance, data.published)
        again = lg.council_figures(store.counts(["2019-20"]))
    assert again.loc[0, "upheld"] == 53


def test_help_does_not_import_pandas() -> None:
    code = (
        "import sys\nfrom lgsco_stats.cli import app\n"
        "assert 'pandas' not in sys.modules, 'pandas imported by the CLI module'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
