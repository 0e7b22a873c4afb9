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


# --------------------------------------------------------------------------- targets (issue 18)


@pytest.fixture
def loaded(cli, make_xlsx) -> None:
    from tests.conftest import decisions_rows

    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, "yes")])}, name="kent.xlsx")
    assert cli("compute", path).exit_code == 0


def _one_line(r, *words: str) -> None:
    assert r.exit_code == 1, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "bug" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_output_naming_the_store_is_refused(cli, loaded, db_path: Path, tmp_path: Path) -> None:
    before = db_path.read_bytes()
    r = cli("compare", "--type", "county", "-f", "csv", "--output", db_path)
    _one_line(r, f"refused to write {db_path}: it is the store")
    # any SQLite file, by its first bytes, even when not the store in use
    other = tmp_path / "other.db"
    other.write_bytes(before)
    r = cli("compare", "--type", "county", "-f", "csv", "--output", other)
    _one_line(r, "it is an SQLite database")
    assert db_path.read_bytes() == before and other.read_bytes() == before


def test_output_refused_before_a_load_is_saved(cli, make_xlsx, db_path: Path) -> None:
    from tests.conftest import decisions_rows

    path = make_xlsx({"D": decisions_rows([("Kent", "Upheld", 2, None)])}, name="kent.xlsx")
    r = cli("compute", path, "-f", "csv", "--output", "/dev/null")
    _one_line(r, "refused to write /dev/null: it is not a regular file")
    assert "Read 2 decisions" not in r.stderr
    assert not db_path.exists()  # nothing was loaded: the command stopped first


def test_output_onto_a_symbolic_link_is_refused(cli, loaded, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    link = tmp_path / "figures.csv"
    link.symlink_to(precious)
    r = cli("compare", "--type", "county", "-f", "csv", "--output", link)
    _one_line(r, f"refused to write {link}: it is a symbolic link")
    assert link.is_symlink() and precious.read_text() == "keep me\n"


def test_output_dash_is_standard_output(cli, loaded, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli("compare", "--type", "county", "-f", "csv", "--output", "-")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("council,") and "Kent County Council" in r.stdout
    assert not (tmp_path / "-").exists()
    one = ("--council", "Kent", "--year", "2019-20", "--format", "pdf", "-o", "-")
    r = cli("letter", "--signatory", "A Person", *one)
    assert r.exit_code == 0, r.stderr
    assert r.stdout_bytes.startswith(b"%PDF-")
    assert not (tmp_path / "-").exists()
    r = cli("letter", "--signatory", "A Person", "--all", "--year", "2019-20", "--output", "-")
    assert r.exit_code == 2 and "give a folder" in r.stderr


def test_letters_are_not_written_over_links(cli, loaded, tmp_path: Path) -> None:
    out = tmp_path / "letters"
    out.mkdir()
    precious = tmp_path / "precious.md"
    precious.write_text("keep me\n")
    (out / "kent-county-council-2019-20.md").symlink_to(precious)
    r = cli(
        "letter", "--all", "--year", "2019-20", "--format", "markdown", "--output", out,
        "--signatory", "A Person",
    )  # fmt: skip
    _one_line(r, "kent-county-council-2019-20.md: it is a symbolic link")
    assert precious.read_text() == "keep me\n"
    assert [p.name for p in out.iterdir()] == [
        "kent-county-council-2019-20.md"
    ]  # nothing else written


def test_site_copies_only_regular_letter_files(cli, loaded, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the user's private key\n")
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "kent-county-council-2019-20.md").write_text("# Kent's letter\n")
    (letters / "kent-county-council-2020-21.txt").symlink_to(secret)  # a link named like a letter
    site = tmp_path / "site"
    r = cli("report", "--year", "2019-20", "--letters", letters, "--output", site)
    assert r.exit_code == 0, r.stderr
    copied = sorted(p.name for p in (site / "letters").iterdir())
    assert copied == ["kent-county-council-2019-20.md"]
    assert all("private key" not in p.read_text() for p in site.rglob("*") if p.is_file())


def test_site_output_may_not_be_a_link(cli, loaded, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "site"
    link.symlink_to(real)
    r = cli("report", "--output", link)
    assert r.exit_code == 2 and "a symbolic link" in r.stderr
