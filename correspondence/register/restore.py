"""Restoring an export or a backup into a new, empty database: checked whole before anything is
written, then written all or nothing.

Checks, each naming what failed: the file is a complete zip (or export) whose every member has the
SHA-256 its manifest gives; every table is present with the row count the export wrote; the rows
have the checksum the export wrote; every reference a letter carries is in its office's ledger (a
ledger emptied in an export would let a sent reference be used again); and every sent letter is
as the event log says it was sent. Only then are the rows written in one transaction and the
letter files into the letters folder, and a failure at that point removes the files again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, func, select, text
from sqlalchemy.orm import Session

from correspondence.files.inputs import read_text
from correspondence.files.letter_files import default_folder, make_read_only, open_new
from correspondence.organisation.reference_schemes import reference_key
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import Base, Event
from correspondence.records.store import Store, current_actor
from correspondence.records.transactions import WRITTEN_FILES, in_one_transaction
from correspondence.register import backup as backups

# Which columns of a sent letter must agree with what the event log recorded when it was sent.
SENT_FIELDS = ("office_id", "reference", "direction", "letter_date", "status", "sent_on", "file_sha256", "subject",
               "addressee_name", "addressee_role", "cc", "kind")


@dataclass
class Restored:
    counts: dict[str, int]
    files: int = 0
    folders: dict[str, Path] = field(default_factory=dict)  # office -> its letters folder now
    warnings: list[str] = field(default_factory=list)


def restore(store: Store, path: Path, letters_dir: Path | None = None) -> Restored:
    """Load an export or a backup into an empty database; all or nothing."""
    kind = _kind_of(path)
    if kind == "sqlite":
        raise InvalidInput(
            f"{path} is an SQLite database file (as an older backup made), not a backup or export",
            steps=[Step("use_database_file", "use it as the database as it is, or make a backup of it", path=str(path))],
        )
    if kind == "zip":
        return _restore_backup(store, path, letters_dir)
    data = read_export(path)
    return _write(store, path, data, letters_dir, files=None)


# --- reading and checking ----------------------------------------------------------------------


def read_export(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{path}: not a correspondence export ({error})") from None
    return check_export(data, str(path))


def check_export(data: Any, source: str) -> dict[str, Any]:
    """The export, if it is whole and consistent; else an error naming the first problem."""
    if not isinstance(data, dict) or data.get("format") != backups.FORMAT or not isinstance(data.get("tables"), dict):
        raise InvalidInput(f"{source}: not a correspondence export")
    if data.get("version") != backups.VERSION:
        raise InvalidInput(f"{source}: export format version {data.get('version')} is not one this tool reads "
                           f"(version {backups.VERSION}); export it again with this version of correspondence; nothing restored")
    tables, counts = data["tables"], data.get("counts")
    if not isinstance(counts, dict) or not isinstance(data.get("checksum"), str):
        raise InvalidInput(f"{source}: the export has no row counts or checksum, so it cannot be checked; nothing restored")
    for table in Base.metadata.sorted_tables:
        if not isinstance(tables.get(table.name), list):
            raise InvalidInput(f"{source}: the {table.name} table is missing from the export; nothing restored")
        if counts.get(table.name) != len(tables[table.name]):
            raise InvalidInput(f"{source}: {table.name} has {len(tables[table.name])} rows but the export wrote "
                               f"{counts.get(table.name)}; it was cut short or edited, so nothing was restored")
        for row in tables[table.name]:
            if not isinstance(row, dict) or set(row) != {column.name for column in table.columns}:
                raise InvalidInput(f"{source}: {table.name} row {row.get('id') if isinstance(row, dict) else row!r} "
                                   "does not have this table's columns; nothing restored")
    unknown = sorted(set(tables) - {table.name for table in Base.metadata.sorted_tables})
    if unknown:
        raise InvalidInput(f"{source}: unknown table {unknown[0]} in the export; nothing restored")
    if backups.checksum(tables) != data["checksum"]:
        raise InvalidInput(f"{source}: the records do not match the checksum the export wrote; "
                           "it was damaged or edited, so nothing was restored")
    _check_ledger(tables, source)
    _check_sent_letters(tables, source)
    return data


def _check_ledger(tables: dict[str, list[dict[str, Any]]], source: str) -> None:
    ledger = {(row["office_id"], row["reference_key"]) for row in tables["issued_references"]}
    for row in tables["issued_references"]:
        if reference_key(row["reference"] or "") != row["reference_key"]:
            raise InvalidInput(f"{source}: ledger row {row['id']} ({row['reference']}) is inconsistent; nothing restored")
    for letter in tables["letters"]:
        if letter["direction"] == "out" and letter["reference"] and (letter["office_id"], reference_key(letter["reference"])) not in ledger:
            raise InvalidInput(
                f"{source}: letter {letter['reference']} is missing from its office's ledger of used references, "
                "so the reference could be given out again; nothing restored"
            )


def _check_sent_letters(tables: dict[str, list[dict[str, Any]]], source: str) -> None:
    """Each sent letter must be as the event log says it became: replaying its events (created
    with these values, then changed from and to) must give the row the export holds."""
    replayed: dict[int, dict[str, Any]] = {}
    for event in tables["events"]:
        if event["entity"] != "letters" or event["entity_id"] is None or not isinstance(event["data"], dict):
            continue
        if event["change"] == "create":
            replayed[event["entity_id"]] = dict(event["data"])
        elif event["change"] == "update" and event["entity_id"] in replayed:
            for column, change in event["data"].items():
                if isinstance(change, list) and len(change) == 2:
                    replayed[event["entity_id"]][column] = change[1]
    for letter in tables["letters"]:
        if letter["status"] != "sent":
            continue
        name = letter["reference"] or f"#{letter['id']}"
        logged = replayed.get(letter["id"])
        if logged is None:
            raise InvalidInput(f"{source}: sent letter {name} has no record in the event log; nothing restored")
        for column in SENT_FIELDS:
            if _comparable(logged.get(column)) != _comparable(letter[column]):
                raise InvalidInput(
                    f"{source}: sent letter {name}'s {column} is {letter[column]!r} but the event log says "
                    f"{logged.get(column)!r}; a sent letter never changes, so the export was edited; nothing restored"
                )


def _comparable(value: Any) -> Any:
    return None if value is None else str(value)


def _kind_of(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            start = handle.read(16)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path}: is a folder, not a backup") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror or error})") from None
    if start.startswith(b"SQLite format 3"):
        return "sqlite"
    if start.startswith(b"PK"):
        return "zip"
    return "json"


@dataclass
class _File:
    entry: dict[str, Any]
    target: Path
    new_path: str | None  # the letter's file_path after restoring, when it changes


def _restore_backup(store: Store, path: Path, letters_dir: Path | None) -> Restored:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidInput(f"{path}: damaged or cut short, not a whole backup ({error}); nothing restored") from None
    with archive:
        manifest = _json_member(archive, backups.MANIFEST, path)
        if not isinstance(manifest, dict) or manifest.get("format") != backups.BACKUP_FORMAT:
            raise InvalidInput(f"{path}: not a correspondence backup")
        if manifest.get("version") != backups.BACKUP_VERSION:
            raise InvalidInput(f"{path}: backup format version {manifest.get('version')} is not one this tool reads")
        records = _member(archive, backups.RECORDS, path)
        if hashlib.sha256(records).hexdigest() != manifest["records"]["sha256"]:
            raise InvalidInput(f"{path}: records.json does not match the SHA-256 in the manifest; nothing restored")
        try:
            data = json.loads(records.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InvalidInput(f"{path}: records.json is not readable ({error}); nothing restored") from None
        check_export(data, f"{path}: records.json")
        entries = _check_files(archive, manifest, data, path)
        plan = _plan(data, entries, letters_dir)
        warnings = [f"{entry['reference'] or '#' + str(entry['letter_id'])}: its file was {entry['state']} when the backup was made"
                    for entry in manifest["files"] if entry["state"].startswith("CHANGED")]
        warnings += [f"{m['reference'] or '#' + str(m['letter_id'])}: its file was missing when the backup was made ({m['path']})"
                     for m in manifest["missing"]]
        result = _write(store, path, data, letters_dir, files=(archive, plan))
        result.warnings = warnings
        return result


def _member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise InvalidInput(f"{path}: has no {name}; not a whole backup, nothing restored") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:  # a bad CRC, a cut-short member
        raise InvalidInput(f"{path}: {name} is damaged ({error}); nothing restored") from None


def _json_member(archive: zipfile.ZipFile, name: str, path: Path) -> Any:
    try:
        return json.loads(_member(archive, name, path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{path}: {name} is not readable ({error}); nothing restored") from None


def _check_files(archive: zipfile.ZipFile, manifest: dict[str, Any], data: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """Every letter file the records name is in the backup (or was noted missing when it was
    made), with the SHA-256 the manifest gives; a sent letter's file is the one that was sent."""
    letters = {row["id"]: row for row in data["tables"]["letters"]}
    entries = {entry["letter_id"]: entry for entry in manifest.get("files", [])}
    noted_missing = {entry["letter_id"] for entry in manifest.get("missing", [])}
    for letter_id, row in letters.items():
        if row["file_path"] and letter_id not in entries and letter_id not in noted_missing:
            raise InvalidInput(f"{path}: the file of letter {row['reference'] or '#' + str(letter_id)} is not in the backup; nothing restored")
    for entry in entries.values():
        row = letters.get(entry["letter_id"])
        if row is None:
            raise InvalidInput(f"{path}: {entry['member']} belongs to no letter in the records; nothing restored")
        digest = hashlib.sha256()
        try:
            with archive.open(entry["member"]) as member:
                for block in iter(lambda: member.read(1 << 20), b""):
                    digest.update(block)
        except KeyError:
            raise InvalidInput(f"{path}: {entry['member']} is missing from the backup; nothing restored") from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise InvalidInput(f"{path}: {entry['member']} is damaged ({error}); nothing restored") from None
        if digest.hexdigest() != entry["sha256"]:
            raise InvalidInput(f"{path}: {entry['member']} does not match its SHA-256 in the manifest; nothing restored")
        if row["status"] == "sent" and entry["sha256"] != row["file_sha256"] and not entry["state"].startswith("CHANGED"):
            raise InvalidInput(f"{path}: {entry['member']} is not the file that was sent as {row['reference']}; nothing restored")
    return list(entries.values())


def _plan(data: dict[str, Any], entries: list[dict[str, Any]], letters_dir: Path | None) -> list[_File]:
    """Where each file goes: OFFICE's folder is the letters folder given itself when the backup has
    one office, else a folder per office inside it. Nothing already there is replaced."""
    folders = _folders(data, letters_dir)
    letters = {row["id"]: row for row in data["tables"]["letters"]}
    offices = {row["id"]: row["short_name"] for row in data["tables"]["offices"]}
    plan = []
    for entry in entries:
        row = letters[entry["letter_id"]]
        folder = folders[offices[row["office_id"]]]
        relative = PurePosixPath(entry["member"]).relative_to(PurePosixPath("letters", offices[row["office_id"]]))
        if ".." in relative.parts or relative.is_absolute():
            raise InvalidInput(f"{entry['member']}: a letter file must stay inside its letters folder; nothing restored")
        target = folder.joinpath(*relative.parts)
        if target.exists():
            raise InvalidInput(f"{target} already exists (nothing restored)", steps=[Step("restore_into_empty_folder", "restore into an empty letters folder")])
        plan.append(_File(entry, target, str(relative) if str(relative) != row["file_path"] else None))
    return plan


def _folders(data: dict[str, Any], letters_dir: Path | None) -> dict[str, Path]:

    base = (letters_dir or default_folder()).expanduser().resolve()
    if base.exists() and not base.is_dir():
        raise InvalidInput(f"{base}: is a file, not a folder", field="letters_dir", value=base)
    offices = [row["short_name"] for row in data["tables"]["offices"]]
    return {short: base if len(offices) == 1 else base / short for short in offices}


# --- writing -------------------------------------------------------------------------------------


def _write(store: Store, path: Path, data: dict[str, Any], letters_dir: Path | None, files: tuple | None) -> Restored:

    store.migrate()
    current, _ = store.schema_revision()
    if data["schema_revision"] != current:
        raise InvalidInput(
            f"{path}: exported at schema revision {data['schema_revision']}, but this tool's is {current}; "
            "restore with the same version of correspondence"
        )
    tables = {name: [dict(row) for row in rows] for name, rows in data["tables"].items()}
    changes = _relocate(tables, letters_dir, files[1] if files else [])
    result = Restored(counts={}, folders=_folders(data, letters_dir) if (files or letters_dir) else {})

    def work(session: Session) -> None:
        _require_empty(session, store)
        connection = session.connection()
        for table in Base.metadata.sorted_tables:
            rows = [_decode_row(table, row, path) for row in tables[table.name]]
            if rows:
                connection.execute(table.insert(), rows)
            result.counts[table.name] = len(rows)
        if changes:
            now, actor = dt.datetime.now(dt.timezone.utc), current_actor()
            connection.execute(Event.__table__.insert(), [
                {"occurred_at": now, "actor": actor, "entity": entity, "entity_id": entity_id, "change": "update",
                 "data": {**change, "restored_from": str(path)}}
                for entity, entity_id, change in changes
            ])
        if connection.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                ))
        if files:
            result.files = _write_files(session.info[WRITTEN_FILES], *files)

    from sqlalchemy.exc import DBAPIError

    try:
        in_one_transaction(store, work)
    except DBAPIError as error:  # rows the database refuses: a foreign key, a constraint
        first = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise InvalidInput(f"{path}: the records cannot be stored ({first}); nothing restored") from None
    return result


def _relocate(tables: dict[str, list[dict[str, Any]]], letters_dir: Path | None, plan: list[_File]) -> list[tuple[str, int, dict]]:
    """Point each office at its letters folder here, and letters whose file moved at their new
    place; returned as events, so the log says what the restore changed."""
    changes = []
    if plan or letters_dir is not None:
        folders = _folders({"tables": tables}, letters_dir)
        for office in tables["offices"]:
            new = str(folders[office["short_name"]])
            if office["letters_dir"] != new:
                changes.append(("offices", office["id"], {"letters_dir": [office["letters_dir"], new]}))
                office["letters_dir"] = new
    moved = {item.entry["letter_id"]: item.new_path for item in plan if item.new_path}
    for letter in tables["letters"]:
        if letter["id"] in moved:
            changes.append(("letters", letter["id"], {"file_path": [letter["file_path"], moved[letter["id"]]]}))
            letter["file_path"] = moved[letter["id"]]
    return changes


def _write_files(written: list[Path], archive: zipfile.ZipFile, plan: list[_File]) -> int:

    for item in plan:
        item.target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(item.entry["member"]) as source, open_new(item.target) as target:
            written.append(item.target)
            backups.copy_stream(source, target)
        if item.entry["status"] == "sent":
            make_read_only(item.target)
    return len(plan)


def _require_empty(session: Session, store: Store) -> None:
    for table in Base.metadata.sorted_tables:
        if session.execute(select(func.count()).select_from(table)).scalar():
            raise InvalidInput(
                f"database {store.display_url} already holds records ({table.name}); restore into a new, empty database"
            )


def _decode_row(table: Any, row: dict[str, Any], path: Path) -> dict[str, Any]:
    decoded = {}
    for column in table.columns:
        value = row.get(column.name)
        try:
            if value is None:
                decoded[column.name] = None
            elif isinstance(column.type, DateTime):
                decoded[column.name] = dt.datetime.fromisoformat(value)
            elif isinstance(column.type, Date):
                decoded[column.name] = dt.date.fromisoformat(value)
            elif isinstance(column.type, Numeric):
                decoded[column.name] = Decimal(value)
            else:
                decoded[column.name] = value
        except (TypeError, ValueError, ArithmeticError) as error:
            raise InvalidInput(f"{path}: {table.name} row {row.get('id')}: {column.name} {value!r} is not valid ({error})") from None
    return decoded
