"""The register: search in letters' text, the spreadsheet export, threads, versions, and nothing lost."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from correspondence.cli import app
from tests.conftest import PG_VARIABLE, SEEDS, Cli, assert_clean_error, requires_seeds, snapshot


def refs(cli, *filters):
    return [letter["reference"] or f"#{letter['id']}" for letter in cli.json("letter", "list", *filters)]


@requires_seeds
def test_text_search_reaches_inside_the_letter_files(example_cli):
    cli = example_cli
    cli.ok("office", "add", "--name", "Archive", "--short", "ARCH")
    cli.ok("letter", "import", str(SEEDS / "letter-west-mercia-pcc-to-home-secretary-2020-01-06.txt"), "--office", "ARCH")
    # words only in the body of the letters, not in any reference, subject or name
    assert refs(cli, "--text", "Athena management system") == ["JC/jpi"]
    assert refs(cli, "--text", "diary appointments") == ["MOPAC06092018-D2188"]  # from the drafted annex
    assert refs(cli, "--text", "recorded accurately") == ["JC/jpi", "MOPAC06092018-D2188"]  # "recorded" stems
    assert refs(cli, "--text", "harassment", "--office", "ARCH") == ["JC/jpi"]
    assert refs(cli, "--text", "xylophone") == []


def test_list_is_limited_and_says_so(example_cli):
    for number in range(3):
        example_cli.ok("letter", "log", "--office", "MOPAC", "--ref", f"L-{number}", "--date", f"{number + 1}/1/2020")
    result = example_cli("letter", "list", "--limit", "2")
    assert result.exit_code == 0
    assert "showing the newest 2 of 5 letters" in result.stderr
    assert len(example_cli.json("letter", "list", "--limit", "2")) == 2


def test_export_csv_and_xlsx_hold_every_letter(example_cli, tmp_path):
    cli = example_cli
    cli.ok("letter", "log", "--office", "MOPAC", "--ref", "X&Y/1", "--date", "2/1/2020", "--subject", 'Stop & search, "data" <2020>')
    cli.ok("letter", "export", "--csv", str(tmp_path / "register.csv"))
    with (tmp_path / "register.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Reference"] for row in rows] == ["", "MOPAC06092018-D2188", "X&Y/1"]  # oldest first
    assert rows[2]["Subject"] == 'Stop & search, "data" <2020>'
    assert rows[1]["Addressee"] == "Rt Hon Sajid Javid MP" and rows[1]["Kind"] == "s55 response"
    assert (rows[1]["File"], rows[1]["Version"]) == ("MOPAC06092018-D2188.docx", "1") and len(rows[1]["SHA-256"]) == 64  # the current version
    assert rows[2]["File"] == rows[2]["SHA-256"] == ""  # logged without a file

    from openpyxl import load_workbook

    cli.ok("letter", "export", "--xlsx", str(tmp_path / "register.xlsx"), "--direction", "out")
    sheet = load_workbook(tmp_path / "register.xlsx").active
    values = list(sheet.values)
    assert values[0][:4] == ("Reference", "Date", "Direction", "Status")
    assert [row[0] for row in values[1:]] == ["MOPAC06092018-D2188", "X&Y/1"]
    assert values[1][1].date().isoformat() == "2018-09-07"  # a real date, not text
    assert_clean_error(cli("letter", "export", "--csv", str(tmp_path / "register.csv")), "already exists")
    assert_clean_error(cli("letter", "export"), "give one of --csv FILE or --xlsx FILE")


def test_thread_lists_the_inspection_response_replies_and_versions_in_date_order(example_cli):
    cli = example_cli
    cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018")
    cli.ok("letter", "log", "--office", "MOPAC", "--direction", "in", "--date", "1/10/2018", "--sender", "Home Office",
           "--subject", "Thank you for your response", "--inspection", "1")
    version = cli.json("letter", "supersede", "MOPAC06092018-D2188", "--date", "2/10/2018")
    shown = cli.json("letter", "show", "MOPAC06092018-D2188")
    assert shown["about"] == "inspection 1: The Metropolitan Police Service: Crime Data Integrity inspection 2018, published 17 July 2018"
    assert [(t["date"], t["direction"], t["kind"], t["reference"]) for t in shown["thread"]] == [
        ("2018-08-20", "in", "reply", None),
        ("2018-09-07", "out", "s55 response", "MOPAC06092018-D2188"),
        ("2018-10-01", "in", "other", None),
        ("2018-10-02", "out", "s55 response", "MOPAC06092018-D2188-v2"),
    ]
    assert version["status"] == "draft"
    assert cli.json("letter", "show", "MOPAC06092018-D2188-v2")["supersedes"] == "MOPAC06092018-D2188"
    text_view = cli.ok("letter", "show", "MOPAC06092018-D2188").stdout
    assert "-> 7 September 2018  MOPAC06092018-D2188  out, s55 response, sent" in text_view


def test_a_sent_letter_cannot_be_changed_only_superseded(example_cli, tmp_path):
    cli = example_cli
    cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018")
    original = tmp_path / "letters" / "MOPAC06092018-D2188.docx"
    sent_bytes = original.read_bytes()
    before = snapshot(cli.db_url)
    engine = create_engine(cli.db_url)
    for statement in ("UPDATE letters SET subject = 'changed' WHERE reference = 'MOPAC06092018-D2188'",
                      "DELETE FROM letters WHERE reference = 'MOPAC06092018-D2188'"):
        with pytest.raises(DBAPIError, match="supersede"):
            with engine.begin() as connection:
                connection.execute(text(statement))
    engine.dispose()
    assert snapshot(cli.db_url) == before
    version = cli.json("letter", "supersede", "MOPAC06092018-D2188", "--ref", "MOPAC08092018-D2190")
    copy = Path(version["copy"])
    assert copy.name == "MOPAC08092018-D2190.docx" and copy.read_bytes() == sent_bytes
    assert copy.stat().st_mode & 0o200  # the copy to edit in Word is the user's to change
    assert version["file_sha256"] == hashlib.sha256(sent_bytes).hexdigest()  # the correction starts as the letter sent
    assert original.read_bytes() == sent_bytes
    assert cli.json("letter", "show", "MOPAC06092018-D2188")["file_intact"] is True
    assert_clean_error(cli("letter", "supersede", "MOPAC08092018-D2190"), "only a sent letter is superseded")


def test_show_says_which_version_is_the_letter_and_a_copy_on_disk_changes_nothing(example_cli, tmp_path):
    """The file is the store's current version: an edit in Word comes back as a new version, and a
    copy changed on disk (even the mirror's) is not the letter."""
    cli = example_cli
    path = tmp_path / "letters" / "MOPAC06092018-D2188.docx"
    assert cli.json("letter", "show", "MOPAC06092018-D2188")["file"] == "version 1 of 1, MOPAC06092018-D2188.docx: current version as recorded"
    _add_paragraph(path, "The Commissioner adds that the new crime bureau opened in August.")
    assert "version 1 of 1" in cli.json("letter", "show", "MOPAC06092018-D2188")["file"]  # an edit on disk is not yet the letter
    cli.ok("letter", "version", "add", "MOPAC06092018-D2188", str(path), "--why", "the Commissioner's paragraph")
    shown = cli.json("letter", "show", "MOPAC06092018-D2188")
    assert shown["file"].startswith("version 2 of 2") and shown["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [v["why"] for v in shown["versions"]] == ["drafted", "the Commissioner's paragraph"]
    cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018")
    assert cli.json("letter", "show", "MOPAC06092018-D2188")["file"].endswith("matches what was sent")
    with path.open("ab") as handle:
        handle.write(b"tampered")
    assert cli.json("letter", "show", "MOPAC06092018-D2188")["file"].endswith("matches what was sent")
    out = tmp_path / "as-sent.docx"
    cli.ok("letter", "file", "MOPAC06092018-D2188", "--to", str(out))
    assert hashlib.sha256(out.read_bytes()).hexdigest() == shown["file_sha256"]  # the letter sent, byte for byte
    assert_clean_error(cli("letter", "version", "add", "MOPAC06092018-D2188", str(path), "--why", "late"), "a sent letter takes no new version")


def test_a_paragraph_added_in_word_is_found_once_the_version_is_stored(example_cli, tmp_path):
    cli = example_cli
    path = tmp_path / "letters" / "MOPAC06092018-D2188.docx"
    _add_paragraph(path, "The Deputy Mayor will also review the handling of xylophone thefts.")
    assert refs(cli, "--text", "xylophone") == []  # the register holds the letter as stored
    cli.ok("letter", "version", "add", "MOPAC06092018-D2188", str(path), "--why", "a paragraph on thefts")
    assert refs(cli, "--text", "xylophone") == ["MOPAC06092018-D2188"]


def _add_paragraph(path: Path, text: str) -> None:
    from docx import Document

    document = Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))


def _rich_store(cli: Cli, tmp_path: Path) -> None:
    """The example plus one of everything: imports, drafts, sent, superseded, updates, actions."""
    cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018")
    cli.ok("letter", "supersede", "MOPAC06092018-D2188", "--date", "8/9/2018")
    cli.ok("inspection", "import", str(SEEDS / "report-hmicfrs-met-cdi-2018-07-17.txt"), "--programme", "CDI re-read")
    cli.ok("update", "add", "2:A3", "--status", "complete", "--text", "Done & dusted: “N100” <ok>.", "--date", "1/10/2018")
    cli.ok("action", "update", "1:2", "--status", "done")
    cli.ok("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022")
    cli.ok("role", "add", "Chief Constable", "A Person", "--from", "1/1/2020", "--office", "MOPAC")


@requires_seeds
def test_export_and_restore_round_trip_every_record_exactly(example_cli, tmp_path):
    cli = example_cli
    _rich_store(cli, tmp_path)
    first = tmp_path / "first.json"
    cli.ok("export", "--out", str(first))
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = cli.runner.invoke(app, ["restore", str(first), "--db", target])
    assert restored.exit_code == 0, restored.output
    second = tmp_path / "second.json"
    Cli(target).ok("export", "--out", str(second))
    assert json.loads(first.read_text()) == json.loads(second.read_text())
    assert {name: len(rows) for name, rows in json.loads(first.read_text())["tables"].items()}["events"] > 50
    # the restored database works: search, sequences and rules carry on
    restored_cli = Cli(target)
    assert refs(restored_cli, "--text", "diary appointments") == ["MOPAC06092018-D2188-v2", "MOPAC06092018-D2188"]
    assert_clean_error(restored_cli("letter", "log", "--office", "MOPAC", "--ref", "MOPAC06092018-D2188", "--date", "1/1/2019"),
                       "has already been used")
    restored_cli.ok("letter", "log", "--office", "MOPAC", "--ref", "NEW-1", "--date", "1/1/2019")


@requires_seeds
@pytest.mark.skipif(not os.environ.get(PG_VARIABLE), reason=f"{PG_VARIABLE} is not set: no PostgreSQL to move to")
def test_an_office_moves_from_sqlite_to_postgresql(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = Cli(f"sqlite:///{tmp_path / 'office.db'}")
    source.ok("example")
    _rich_store(source, tmp_path)
    export = tmp_path / "office.json"
    source.ok("export", "--out", str(export))
    import uuid

    from tests.conftest import _pg_base_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_base_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        target = f"{_pg_base_url()}?options=-csearch_path%3D{schema}"
        Cli(target).runner.invoke(app, ["restore", str(export), "--db", target])
        again = tmp_path / "again.json"
        Cli(target).ok("export", "--out", str(again))
        assert json.loads(export.read_text()) == json.loads(again.read_text())
        assert refs(Cli(target), "--text", "diary appointments") == ["MOPAC06092018-D2188-v2", "MOPAC06092018-D2188"]
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_restore_refuses_a_database_in_use_and_a_foreign_file(example_cli, tmp_path):
    export = tmp_path / "e.json"
    example_cli.ok("export", "--out", str(export))
    before = snapshot(example_cli.db_url)
    assert_clean_error(example_cli("restore", str(export)), "already holds records", "new, empty database")
    assert snapshot(example_cli.db_url) == before
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    assert_clean_error(example_cli("restore", str(other)), "not a correspondence export")
    assert_clean_error(example_cli("export", "--out", str(export)), "already exists")
