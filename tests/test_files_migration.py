"""A store from the previous release (schema revision 0011), its letter files on disk in the
offices' letters folders, upgraded: every file moves into the store checked against its recorded
SHA-256, a file that differs is kept as found and reported by name, an edited draft is kept as it
is now, a missing file is reported; and that release's backups restore with their files in the store.
On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest
from sqlalchemy import create_engine, inspect, select, text

from correspondence.cli import app
from correspondence.files.versions import read_bytes, versions_of
from correspondence.records.models import Base, Letter
from correspondence.records.store import SCHEMA_HEAD, Store, _alembic_config
from correspondence.register import backup as backups
from correspondence.register.search import is_search_object
from tests.conftest import Cli, assert_clean_error, empty_postgresql_database

NOW = dt.datetime(2019, 2, 1, 9, 30, tzinfo=dt.timezone.utc)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class OldStore:
    """A store at revision 0011 with its letter files on disk, and what each file should become."""

    url: str
    kent_folder: Path  # KENT names its own letters folder
    default_folder: Path  # DEF names none: letters/ in the working folder
    files: dict[str, bytes] = field(default_factory=dict)  # reference -> the file's bytes now on disk
    recorded: dict[str, str] = field(default_factory=dict)  # reference -> the SHA-256 its record holds


def _letter(letter_id: int, office_id: int, reference: str, status: str, file_path: str | None, recorded: str | None) -> dict:
    return {"id": letter_id, "office_id": office_id, "reference": reference, "direction": "in" if status == "received" else "out",
            "letter_date": dt.date(2019, 2, 1), "sender": "", "addressee_name": "Home Secretary", "addressee_role": "Home Secretary",
            "addressee_address": "", "cc": "", "subject": f"Letter {reference}", "kind": "other", "status": status,
            "file_path": file_path, "file_sha256": recorded, "created_at": NOW, "body_text": "",
            "sent_on": dt.date(2019, 2, 1) if status == "sent" else None}


def build_0011_store(url: str, tmp_path: Path) -> OldStore:
    """As the previous release left it: two offices (KENT with its own folder, DEF using the default
    letters/), and letters whose files are intact, tampered, edited, missing or kept outside any folder."""
    from alembic import command

    store = Store(url)
    config = _alembic_config()
    with store.engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0011")
    old = OldStore(url, tmp_path / "kent letters", tmp_path / "letters")
    inbox = tmp_path / "inbox"
    for folder in (old.kent_folder / "imported", old.default_folder / "imported", inbox):
        folder.mkdir(parents=True)
    sent, tampered, drafted, edited = b"KENT/1 as sent", b"KENT/2 as sent", b"KENT/3 as drafted", b"KENT/3 as drafted, then edited in Word"
    files = {  # reference: (office, status, where it lies, bytes on disk or None for missing, bytes when recorded)
        "KENT/1": (1, "sent", "KENT-1.docx", sent, sent),
        "KENT/2": (1, "sent", "KENT-2.docx", b"KENT/2 overwritten by someone", tampered),
        "KENT/3": (1, "draft", "KENT-3.docx", edited, drafted),
        "KENT/4": (1, "draft", "KENT-4.docx", None, b"KENT/4 as drafted"),
        "MPS/9": (1, "received", str(inbox / "reply.txt"), b"A reply kept where it arrived", b"A reply kept where it arrived"),
        "DEF/1": (2, "sent", "imported/DEF-1.txt", b"DEF/1 as sent", b"DEF/1 as sent"),
    }
    letters, events, ledger = [], [], []
    for number, (reference, (office_id, status, where, on_disk, when_recorded)) in enumerate(files.items(), start=1):
        folder = old.kent_folder if office_id == 1 else old.default_folder
        if on_disk is not None:
            path = Path(where) if Path(where).is_absolute() else folder.joinpath(*PurePosixPath(where).parts)
            path.write_bytes(on_disk)
            old.files[reference] = on_disk
        old.recorded[reference] = sha(when_recorded)
        letter = _letter(number, office_id, reference, status, where, sha(when_recorded))
        letters.append(letter)
        if status != "received":
            ledger.append({"id": number, "office_id": office_id, "reference": reference,
                           "reference_key": reference.upper(), "issued_at": NOW})
        logged = {key: (value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value) for key, value in letter.items()}
        events.append({"id": number, "occurred_at": NOW, "actor": "clerk", "entity": "letters", "entity_id": number,
                       "change": "create", "data": logged})
    tables = Base.metadata.tables
    with store.engine.begin() as connection:
        connection.execute(tables["forces"].insert(), [{"id": 1, "name": "Kent Police", "chief_officer_title": "Chief Constable"}])
        connection.execute(tables["offices"].insert(), [
            {"id": 1, "name": "Kent OPCC", "short_name": "KENT", "address": "", "signatory_name": "", "signatory_title": "",
             "reference_scheme": "KENT/{seq}", "force_id": 1, "date_format": "%-d %B %Y", "letterhead": "", "letters_dir": str(old.kent_folder)},
            {"id": 2, "name": "Default OPCC", "short_name": "DEF", "address": "", "signatory_name": "", "signatory_title": "",
             "reference_scheme": "DEF/{seq}", "force_id": 1, "date_format": "%-d %B %Y", "letterhead": "", "letters_dir": None},
        ])
        connection.execute(tables["letters"].insert(), letters)
        connection.execute(tables["issued_references"].insert(), ledger)
        connection.execute(tables["events"].insert(), events)
        if connection.dialect.name == "postgresql":
            for name in ("forces", "offices", "letters", "issued_references", "events"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"))
    store.dispose()
    return old


@pytest.fixture
def old_store(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> OldStore:
    monkeypatch.chdir(tmp_path)  # DEF's letters are in the default folder: letters/ here
    return build_0011_store(db_url, tmp_path)


def test_upgrading_moves_every_letter_file_into_the_store_checked_against_its_record(old_store):
    store = Store(old_store.url)
    assert store.current_revision() == "0011"
    assert store.migrate() is True
    with store.reading() as session:
        letters = {letter.reference: letter for letter in session.scalars(select(Letter))}
        stored = {reference: versions_of(session, letter=letter) for reference, letter in letters.items()}
        content = {reference: read_bytes(session, versions[-1]) for reference, versions in stored.items() if versions}
        why = {reference: versions[-1].why for reference, versions in stored.items() if versions}
        recorded_now = {reference: letter.file_sha256 for reference, letter in letters.items()}
    notes = list(store.migration_notes)
    store.dispose()

    # every file found is in the store, byte for byte, one version each, and still where it was
    assert content == old_store.files
    assert all(len(versions) == 1 for versions in stored.values() if versions)
    assert (old_store.kent_folder / "KENT-1.docx").read_bytes() == old_store.files["KENT/1"]
    # intact ones as recorded
    for reference in ("KENT/1", "MPS/9", "DEF/1"):
        assert sha(content[reference]) == recorded_now[reference] == old_store.recorded[reference]
    # the tampered sent letter: kept as found, marked, reported by name; its record unchanged
    assert "NOT the file recorded when it was sent" in why["KENT/2"]
    assert recorded_now["KENT/2"] == old_store.recorded["KENT/2"] != sha(content["KENT/2"])
    assert any(note.startswith("letter KENT/2:") and "is not the file recorded when it was sent" in note for note in notes)
    # the draft edited in Word: kept as it is now, and its record follows it
    assert content["KENT/3"] == b"KENT/3 as drafted, then edited in Word" and recorded_now["KENT/3"] == sha(content["KENT/3"])
    assert "edited since it was drafted" in why["KENT/3"]
    # the missing file: reported by name, nothing stored
    assert stored["KENT/4"] == []
    assert any(note.startswith("letter KENT/4:") and "could not be read" in note for note in notes)
    assert len(notes) == 2

    # what the office sees afterwards
    cli = Cli(old_store.url)
    result = cli("check")
    assert_clean_error(result, "2 letter file(s) missing, changed or damaged")
    assert "KENT/2" in result.stdout and "CHANGED since it was sent" in result.stdout
    assert "KENT/4" in result.stdout and "MISSING" in result.stdout
    assert "checked 6 letter file(s): 4 as recorded" in result.stdout
    moved = [event for event in cli.json("history", "--entity", "file_versions") if event["actor"] == "migration 0012"]
    assert len(moved) == 5


def test_the_restore_knows_the_previous_releases_schema(old_store):
    """restore loads an old backup at revision 0011 before migrating it: what it expects of that
    schema must be what the migrations build (PostgreSQL's search column aside: no export holds it)."""
    engine = create_engine(old_store.url)
    with engine.connect() as connection:
        found = inspect(connection)
        reflected = {name: {column["name"] for column in found.get_columns(name) if not is_search_object(column["name"])}
                     for name in found.get_table_names() if name in Base.metadata.tables}
    engine.dispose()
    assert backups.tables_at(backups.BEFORE_FILES, "test") == reflected


def old_backup(old: OldStore, path: Path) -> None:
    """A backup as the previous release wrote it (format 1): records.json at revision 0011 and each
    letter file under letters/OFFICE/, with manifest.json giving each file's SHA-256 and state."""
    engine = create_engine(old.url)
    tables: dict[str, list[dict]] = {}
    with engine.connect() as connection:
        for name, columns in backups.tables_at(backups.BEFORE_FILES, "test").items():
            table = Base.metadata.tables[name]
            chosen = [column for column in table.columns if column.name in columns]
            encoders = [(column.name, backups._encoder(column)) for column in chosen]
            rows = connection.execute(select(*chosen).order_by(*table.primary_key.columns))
            tables[name] = [{key: None if value is None else encode(value) for (key, encode), value in zip(encoders, row)} for row in rows]
    engine.dispose()
    data = {"checksum": backups.checksum(tables), "counts": {name: len(rows) for name, rows in tables.items()},
            "format": backups.FORMAT, "schema_revision": backups.BEFORE_FILES, "tables": tables, "version": 2}
    records = json.dumps(data).encode()
    offices = {row["id"]: row for row in tables["offices"]}
    entries, missing = [], []
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("records.json", records)
        for row in tables["letters"]:
            office = offices[row["office_id"]]
            folder = Path(office["letters_dir"]) if office["letters_dir"] else old.default_folder
            recorded = Path(row["file_path"])
            source = recorded if recorded.is_absolute() else folder / row["file_path"]
            inside = PurePosixPath("external", f"{row['id']}-{recorded.name}") if recorded.is_absolute() else PurePosixPath(row["file_path"])
            base = {"letter_id": row["id"], "office": office["short_name"], "reference": row["reference"], "status": row["status"]}
            if not source.exists():
                missing.append({**base, "file_path": row["file_path"], "path": str(source)})
                continue
            content = source.read_bytes()
            member = str(PurePosixPath("letters", office["short_name"], inside))
            archive.writestr(member, content)
            same = sha(content) == row["file_sha256"]
            state = {"sent": "matches what was sent" if same else "CHANGED since it was sent",
                     "draft": "matches what was drafted" if same else "edited since it was drafted"}.get(
                         row["status"], "matches what was recorded" if same else "CHANGED since it was recorded")
            entries.append({**base, "file_path": row["file_path"], "member": member, "sha256": sha(content), "size": len(content), "state": state})
        archive.writestr("manifest.json", json.dumps({
            "format": backups.BACKUP_FORMAT, "version": 1, "tool_version": "0.1.0", "schema_revision": backups.BEFORE_FILES,
            "records": {"member": "records.json", "sha256": sha(records), "size": len(records)}, "files": entries, "missing": missing}))


@pytest.fixture
def elsewhere(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same kind as db_url's, on "another machine"."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    with empty_postgresql_database("corr_old") as url:
        yield url


def test_a_backup_from_the_previous_release_restores_with_its_files_in_the_store(old_store, elsewhere, tmp_path):
    backup = tmp_path / "before-upgrade.zip"
    old_backup(old_store, backup)
    restored_folder = tmp_path / "restored letters"
    result = Cli(elsewhere).runner.invoke(app, ["restore", str(backup), "--db", elsewhere, "--letters", str(restored_folder)])
    assert result.exit_code == 0, result.output
    assert "and 5 file version(s)" in result.stdout
    assert f"KENT's mirror folder: {restored_folder / 'KENT'}" in result.stdout
    warnings = result.stderr.splitlines()
    assert "warning: KENT/2: its file was CHANGED since it was sent when the backup was made" in warnings
    assert any(line.startswith("warning: letter KENT/2:") and "is not the file recorded when it was sent" in line for line in warnings)
    assert any(line.startswith("warning: KENT/4: its file was missing when the backup was made") for line in warnings)

    store = Store(elsewhere)
    assert store.current_revision() == SCHEMA_HEAD
    with store.reading() as session:
        content = {letter.reference: read_bytes(session, versions[-1]) for letter in session.scalars(select(Letter))
                   if (versions := versions_of(session, letter=letter))}
    store.dispose()
    assert content == old_store.files  # every file that was in the backup, byte for byte, now in the store
    assert_clean_error(Cli(elsewhere)("check"), "2 letter file(s) missing, changed or damaged")


def test_the_first_command_after_an_upgrade_names_each_file_that_differs_or_is_missing(old_store):
    """The notes are said where the person upgrading sees them, once: by the command that migrated."""
    from tests.conftest import Cli

    cli = Cli(old_store.url)
    first = cli.ok("letter", "list")
    assert "note: letter KENT/2:" in first.stderr and "is not the file recorded when it was sent" in first.stderr
    assert "note: letter KENT/4:" in first.stderr and "could not be read" in first.stderr
    assert "note:" not in cli.ok("letter", "list").stderr  # upgraded: nothing more to say
    problems = cli("check")
    assert problems.exit_code == 1 and "KENT/2" in problems.stdout and "KENT/4" in problems.stdout
