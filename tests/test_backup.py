"""Nothing lost means the letters too: one-file backups of records and letter files, restoring
them on another machine into another folder, letters folders that move, and `corr check`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from correspondence.cli import app
from tests.conftest import SEEDS, Cli, assert_clean_error, requires_seeds

MOPAC_LETTER = "MOPAC06092018-D2188"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def letter_files(folder: Path) -> dict[str, str]:
    """Every file under ``folder``, by its path inside it, with its SHA-256."""
    return {str(path.relative_to(folder)): sha(path) for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def office_with_letters(example_cli, tmp_path):
    """The example plus a sent letter, an edited draft, an imported original and a new version."""
    cli = example_cli
    cli.ok("letter", "sent", MOPAC_LETTER, "--date", "7/9/2018")
    cli.ok("letter", "supersede", MOPAC_LETTER, "--date", "8/9/2018")
    edited = tmp_path / "letters" / f"{MOPAC_LETTER}-v2.docx"
    with edited.open("ab") as handle:
        handle.write(b"edited in Word")
    cli.ok("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022")
    received = tmp_path / "reply.txt"
    received.write_text("Our ref: MPS/1\n4 May 2022\nDear Deputy Mayor\nThank you.\nYours sincerely\nMark Rowley\n", encoding="utf-8")
    cli.ok("letter", "import", str(received), "--office", "MOPAC", "--direction", "in")
    return cli


def test_a_backup_is_one_file_that_restores_records_and_letters_on_another_machine(office_with_letters, tmp_path):
    cli = office_with_letters
    original = letter_files(tmp_path / "letters")
    assert len(original) == 4 and "imported/MPS-1.txt" in original
    backup = tmp_path / "office.zip"
    result = cli.ok("backup", str(backup))
    assert "and 4 letter file(s)" in result.stdout and result.stderr == ""
    with zipfile.ZipFile(backup) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert {entry["member"]: entry["sha256"] for entry in manifest["files"]} == {
            f"letters/MOPAC/{name}": digest for name, digest in original.items()
        }

    # another machine: another working folder, another database, and the old folder gone
    shutil.rmtree(tmp_path / "letters")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.chdir(elsewhere)
    target = f"sqlite:///{elsewhere / 'restored.db'}"
    restored = Cli(target).runner.invoke(app, ["restore", str(backup), "--db", target, "--letters", "office-letters"])
    assert restored.exit_code == 0, restored.output
    assert "and 4 letter file(s)" in restored.stdout
    assert f"MOPAC's letters folder: {elsewhere / 'office-letters'}" in restored.stdout
    assert letter_files(elsewhere / "office-letters") == original
    sent = elsewhere / "office-letters" / f"{MOPAC_LETTER}.docx"
    assert not sent.stat().st_mode & 0o222  # still read-only for everyone

    there = Cli(target)
    assert there.json("letter", "show", MOPAC_LETTER)["file"] == "matches what was sent"
    assert there.json("letter", "show", f"{MOPAC_LETTER}-v2")["file"].startswith("edited since it was drafted")
    assert "4 as recorded" in there.ok("check").stdout
    assert_clean_error(there("letter", "log", "--office", "MOPAC", "--ref", MOPAC_LETTER, "--date", "1/1/2019"), "already been used")
    there.ok("letter", "sent", f"{MOPAC_LETTER}-v2", "--date", "9/9/2018")  # and work carries on there


def test_a_backup_taken_while_others_work_is_consistent(example_cli, tmp_path):
    if not example_cli.db_url.startswith("sqlite"):
        pytest.skip("the reader below holds an SQLite read transaction; PostgreSQL reads in a snapshot anyway")
    engine = create_engine(example_cli.db_url)
    with engine.connect() as reader:  # someone else is reading mid-transaction
        reader.execute(text("BEGIN"))
        reader.execute(text("SELECT count(*) FROM letters"))
        example_cli.ok("backup", str(tmp_path / "copy.zip"))
        reader.execute(text("ROLLBACK"))
    engine.dispose()
    with zipfile.ZipFile(tmp_path / "copy.zip") as archive:
        records = json.loads(archive.read("records.json"))
    assert [row["reference"] for row in records["tables"]["letters"]] == [None, MOPAC_LETTER]
    assert_clean_error(example_cli("backup", str(tmp_path / "copy.zip")), "already exists", "never overwrites")


def test_a_backup_warns_of_missing_and_changed_files_but_keeps_the_rest(example_cli, tmp_path):
    cli = example_cli
    cli.ok("letter", "sent", MOPAC_LETTER, "--date", "7/9/2018")
    sent = tmp_path / "letters" / f"{MOPAC_LETTER}.docx"
    sent.chmod(0o644)
    sent.write_bytes(b"overwritten by someone")
    result = cli.ok("backup", str(tmp_path / "b.zip"))
    assert f"warning: {MOPAC_LETTER}: CHANGED since it was sent (see 'corr check')" in result.stderr
    target = f"sqlite:///{tmp_path / 'r.db'}"
    restored = Cli(target).runner.invoke(app, ["restore", str(tmp_path / "b.zip"), "--db", target, "--letters", str(tmp_path / "r")])
    assert restored.exit_code == 0, restored.output
    assert f"warning: {MOPAC_LETTER}: its file was CHANGED since it was sent when the backup was made" in restored.stderr


def test_restore_refuses_an_sqlite_file_with_what_to_do(example_cli, tmp_path):
    if not example_cli.db_url.startswith("sqlite"):
        pytest.skip("an SQLite file is what is being restored")
    database = Path(example_cli.db_url.removeprefix("sqlite:///"))
    target = f"sqlite:///{tmp_path / 'new.db'}"
    result = Cli(target).runner.invoke(app, ["restore", str(database), "--db", target])
    assert_clean_error(result, "is an SQLite database file", f"--db {database}")
    assert not (tmp_path / "new.db").exists()


def test_a_moved_letters_folder_still_works(example_cli, tmp_path):
    cli = example_cli
    cli.ok("letter", "sent", MOPAC_LETTER, "--date", "7/9/2018")
    draft = cli.json("draft", "annex", "1", "--office", "MOPAC", "--date", "1/9/2018")
    moved = tmp_path / "shared drive" / "MOPAC letters"
    moved.parent.mkdir()
    shutil.move(tmp_path / "letters", moved)
    assert_clean_error(cli("check"), "2 letter file(s) missing or changed", "MISSING")
    changed = cli.ok("office", "set", "MOPAC", "--letters", str(moved))
    assert "changed letters folder" in changed.stdout
    assert cli.json("letter", "show", MOPAC_LETTER)["file_path"] == str(moved / f"{MOPAC_LETTER}.docx")
    assert "2 as recorded" in cli.ok("check").stdout
    cli.ok("letter", "sent", draft["reference"], "--date", "2/9/2018")
    assert cli.json("office", "show", "MOPAC")["letters_folder"] == str(moved)
    assert_clean_error(cli("office", "set", "MOPAC", "--letters", str(tmp_path / "nowhere")), "no such folder")


def test_check_lists_missing_and_changed_files_and_passes_edited_drafts(example_cli, tmp_path):
    cli = example_cli
    folder = tmp_path / "letters"
    cli.ok("letter", "sent", MOPAC_LETTER, "--date", "7/9/2018")
    followup = cli.json("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022")
    annex = cli.json("draft", "annex", "1", "--office", "MOPAC", "--date", "1/9/2018")
    assert "checked 3 letter file(s): 3 as recorded, 0 missing or changed" in cli.ok("check").stdout

    with Path(followup["file"]).open("ab") as handle:  # a draft edited in Word: expected
        handle.write(b"more words")
    Path(annex["file"]).unlink()
    sent = folder / f"{MOPAC_LETTER}.docx"
    sent.chmod(0o644)
    sent.write_bytes(b"not what was sent")
    result = cli("check")
    assert_clean_error(result, "2 letter file(s) missing or changed")
    assert "CHANGED since it was sent" in result.stdout and "MISSING" in result.stdout
    assert followup["reference"] not in result.stdout.split("checked")[0]
    assert "(1 drafts edited since drafting, as expected)" in result.stdout
    checked = {item["reference"]: item for item in json.loads(cli("check", "--json").stdout)}
    assert checked[followup["reference"]]["problem"] is False
    assert checked[annex["reference"]]["state"].startswith("MISSING")
    # marking the missing draft sent is refused, naming the file and 'corr check'
    assert_clean_error(cli("letter", "sent", annex["reference"], "--date", "2/9/2018"), "is missing", "corr check")


@requires_seeds
def test_an_export_restored_and_exported_again_is_the_same_document(example_cli, tmp_path):
    cli = example_cli
    cli.ok("letter", "sent", MOPAC_LETTER, "--date", "7/9/2018")
    cli.ok("letter", "import", str(SEEDS / "letter-west-mercia-pcc-to-home-secretary-2020-01-06.txt"), "--office", "MOPAC")
    first = tmp_path / "first.json"
    cli.ok("export", "--out", str(first))
    data = json.loads(first.read_text())
    assert data["counts"]["letters"] == 3 and len(data["checksum"]) == 64
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    assert Cli(target).runner.invoke(app, ["restore", str(first), "--db", target]).exit_code == 0
    second = tmp_path / "second.json"
    Cli(target).ok("export", "--out", str(second))
    assert json.loads(first.read_text()) == json.loads(second.read_text())


_RUN_AND_SAY_NICENESS = """
import os, sys
from correspondence.cli import main
sys.argv = ["corr", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    if stop.code:
        raise
print("niceness", os.nice(0), file=sys.stderr)
"""


def _niceness_after(arguments: list[str], cwd: Path, **environment: str) -> int:
    import subprocess
    import sys

    env = {**os.environ, **environment}
    result = subprocess.run([sys.executable, "-c", _RUN_AND_SAY_NICENESS, *arguments], cwd=cwd, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return int(result.stderr.rsplit("niceness", 1)[1])


def test_bulk_commands_give_way_to_a_colleagues_command(tmp_path):
    """A backup, an export and a check (which read everything) lower their own CPU priority, so on
    a shared machine a colleague's `corr due` or the web workspace does not wait for them; other
    commands keep theirs, and CORR_BACKGROUND_NICENESS sets the level (0: none)."""
    started_at = os.nice(0)
    if started_at >= 10:
        pytest.skip(f"this test run already has niceness {started_at}: nothing lower to see")
    url = f"sqlite:///{tmp_path / 'office.db'}"
    default = {"CORR_BACKGROUND_NICENESS": ""}
    assert _niceness_after(["init", "--db", url], tmp_path, **default) == started_at
    assert _niceness_after(["due", "--db", url], tmp_path, **default) == started_at
    for bulk in (["export", "--out", "all.json"], ["backup", "office.zip"], ["check"], ["letter", "export", "--csv", "register.csv"]):
        assert _niceness_after([*bulk, "--db", url], tmp_path, **default) == 10, bulk
    assert _niceness_after(["export", "--out", "again.json", "--db", url], tmp_path, CORR_BACKGROUND_NICENESS="0") == started_at
    assert _niceness_after(["check", "--db", url], tmp_path, CORR_BACKGROUND_NICENESS="15") == 15
    assert (tmp_path / "all.json").stat().st_size > 0 and (tmp_path / "office.zip").is_file() and (tmp_path / "register.csv").is_file()


def test_a_wrong_background_niceness_is_refused_with_the_variable_named(tmp_path, monkeypatch):
    cli = Cli(f"sqlite:///{tmp_path / 'office.db'}")
    cli.ok("init")
    monkeypatch.setenv("CORR_BACKGROUND_NICENESS", "fast")
    result = cli.fails("export", "--out", str(tmp_path / "x.json"))
    assert_clean_error(result, "CORR_BACKGROUND_NICENESS: 'fast' is not a whole number from 0 to 19")
    assert not (tmp_path / "x.json").exists()
