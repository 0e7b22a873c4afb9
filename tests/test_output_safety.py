"""Outputs built from hostile names: HTML escaped, file names kept inside the output folder,
files readable by others as any new file would be (not private temp-file permissions)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

EVIL = "<script>alert(1)</script>"
EVERY_LETTER = ("letter", "--all", "--year", "2019-20", "--signatory", "A Signatory")
CLIMB = "../../etc/evil <b>x</b>"


@pytest.fixture
def hostile(cli, tmp_path: Path) -> Path:
    path = tmp_path / "evil.csv"
    path.write_text(
        "Reference,Authority,Decision date,Outcome\n"
        f"R1,{EVIL},2019-05-01,Upheld\nR2,{CLIMB},2019-05-01,Upheld\n"
        "R3,Kent,2019-05-01,Upheld\n",
        encoding="utf-8",
    )
    assert cli("compute", path).exit_code == 0
    return tmp_path


def test_html_letters_escape_names_and_stay_in_their_folder(cli, hostile: Path) -> None:
    out = hostile / "letters"
    r = cli(*EVERY_LETTER, "--format", "html", "--output", out)
    assert r.exit_code == 0, r.stderr
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 3
    assert all("/" not in f and not f.startswith(".") for f in files)
    assert not (hostile.parent / "etc").exists()
    for f in out.iterdir():
        text = f.read_text()
        assert EVIL not in text and "<b>x</b>" not in text
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in f.read_text() for f in out.iterdir())


def test_output_files_get_ordinary_permissions(cli, hostile: Path) -> None:
    old = os.umask(0o022)
    try:
        out = hostile / "figures.csv"
        assert cli("compare", "--type", "county", "-f", "csv", "-o", out).exit_code == 0
        letters = hostile / "letters"
        assert cli(*EVERY_LETTER, "--format", "markdown", "--output", letters).exit_code == 0
        site = hostile / "site"
        assert cli("report", "--output", site).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert {stat.S_IMODE(p.stat().st_mode) for p in letters.iterdir()} == {0o644}
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
