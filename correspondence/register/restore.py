"""Restoring an export or a backup into a new, empty database: checked whole before anything is
written, then written all or nothing.

Checks, each naming what failed: the file is a complete zip (or export) whose records have the
SHA-256 its manifest gives; every table is present with the row count the export wrote; the rows
have the checksum the export wrote; every reference a letter carries is in its office's ledger (a
ledger emptied in an export would let a sent reference be used again); every sent letter is as
the event log says it was sent; every stored file's bytes have their own SHA-256 (unless the export
said they were already damaged in the store it came from); and a sent letter's current version is
the file that was sent, unless the store itself kept another version as found (the event log says
it stored those bytes). The checks are backup.check_export, beside the format they check. Only
then are the rows written, in one transaction that also creates the
schema, so a refusal or a failure leaves the database as empty as it was.

The store's triggers never let a stored file change: the rows are only ever inserted, each table
after those it refers to (a preview's version after the version it shows).

Backups and exports made by the previous release (schema revision 0011, before files were kept in
the store) are restored too: the rows are loaded at that revision, an old backup's letter files are
written into the letters folder given (which becomes each office's folder), and the migrations then
run in the same transaction, moving every letter file into the store as an upgrade does.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import Column, Date, DateTime, LargeBinary, MetaData, Numeric, Table, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from correspondence.files.letter_files import default_folder, make_read_only, open_new
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import Base, Event
from correspondence.records.resources import migrations_dir
from correspondence.records.store import SCHEMA_HEAD, Store, current_actor
from correspondence.register import backup as backups
from correspondence.register.export_stream import NotInOrder, read_export_stream, rows_of, text_stream

BATCH_ROWS = 1000


@dataclass
class Restored:
    counts: dict[str, int]
    files: int = 0  # file versions in the store once restored
    folders: dict[str, Path] = field(default_factory=dict)  # office -> the folder it names now
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
    data, warnings = read_export(path)
    result = _write(store, path, data, letters_dir, files=None, reopen=lambda: text_stream(path.open("rb")))
    result.warnings[:0] = warnings
    return result


# --- reading and checking ----------------------------------------------------------------------


def read_export(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        return _read_checked(lambda: text_stream(path.open("rb")), str(path), "exported")
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror or error})") from None


def _read_checked(reopen: Callable[[], IO[str]], source: str, made: str) -> tuple[dict[str, Any], list[str]]:
    """The export, read a row at a time (each stored file's bytes checked as they pass, then
    dropped: restore reads them again to write them), and checked whole: see backup.check_export."""
    def keep(table: str, row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "content": backups.passed_bytes(row)} if table == "file_contents" else row

    try:
        try:
            with reopen() as stream:
                data, rows_checksum = read_export_stream(stream, keep)
        except NotInOrder:  # laid out again with its tables in another order: read whole, as it must be hashed
            with reopen() as stream:
                data, rows_checksum = json.loads(stream.read()), None
    except (ValueError, UnicodeDecodeError) as error:  # json's JSONDecodeError is a ValueError
        raise InvalidInput(f"{source}: not a correspondence export ({error}); nothing restored") from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise InvalidInput(f"{source}: is damaged ({error}); nothing restored") from None
    return data, backups.check_export(data, source, made=made, rows_checksum=rows_checksum)


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
        version = manifest.get("version")
        if version not in (backups.BACKUP_VERSION, backups.OLD_BACKUP_VERSION):
            raise InvalidInput(f"{path}: backup format version {version} is not one this tool reads")
        if _member_sha256(archive, backups.RECORDS, path) != manifest["records"]["sha256"]:
            raise InvalidInput(f"{path}: records.json does not match the SHA-256 in the manifest; nothing restored")
        def reopen() -> IO[str]:
            return text_stream(archive.open(backups.RECORDS))
        data, warnings = _read_checked(reopen, f"{path}: records.json", "backed up")
        if version == backups.BACKUP_VERSION:
            result = _write(store, path, data, letters_dir, files=None, reopen=reopen)
        else:  # the previous release's: its letter files beside the records, moved into the store once loaded
            plan = _plan(data, _check_files(archive, manifest, data, path), letters_dir)
            warnings += [f"{entry['reference'] or '#' + str(entry['letter_id'])}: its file was {entry['state']} when the backup was made"
                         for entry in manifest["files"] if entry["state"].startswith("CHANGED")]
            warnings += [f"{m['reference'] or '#' + str(m['letter_id'])}: its file was missing when the backup was made ({m['path']})"
                         for m in manifest.get("missing", [])]
            result = _write(store, path, data, letters_dir, files=(archive, plan), reopen=reopen)
        result.warnings[:0] = warnings
        return result


def _member_sha256(archive: zipfile.ZipFile, name: str, path: Path) -> str:
    """The SHA-256 of a member, read a megabyte at a time (its CRC checked at its end)."""
    digest = hashlib.sha256()
    try:
        with archive.open(name) as member:
            for block in iter(lambda: member.read(1 << 20), b""):
                digest.update(block)
    except KeyError:
        raise InvalidInput(f"{path}: has no {name}; not a whole backup, nothing restored") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:  # a bad CRC, a cut-short member
        raise InvalidInput(f"{path}: {name} is damaged ({error}); nothing restored") from None
    return digest.hexdigest()


def _member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        return archive.read(name)
    except KeyError:
        raise InvalidInput(f"{path}: has no {name}; not a whole backup, nothing restored") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:  # a bad CRC, a cut-short member
        raise InvalidInput(f"{path}: {name} is damaged ({error}); nothing restored") from None


def _json_member(archive: zipfile.ZipFile, name: str, path: Path) -> Any:
    try:
        return json.loads(_member(archive, name, path).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(f"{path}: {name} is not readable ({error}); nothing restored") from None


def _check_files(archive: zipfile.ZipFile, manifest: dict[str, Any], data: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """An old backup's letter files: every one the records name is in the backup (or was noted
    missing when it was made), with the SHA-256 the manifest gives; a sent letter's file is the one
    that was sent."""
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
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as error:
            raise InvalidInput(f"{path}: {entry['member']} is damaged ({error}); nothing restored") from None
        if digest.hexdigest() != entry["sha256"]:
            raise InvalidInput(f"{path}: {entry['member']} does not match its SHA-256 in the manifest; nothing restored")
        if row["status"] == "sent" and entry["sha256"] != row["file_sha256"] and not entry["state"].startswith("CHANGED"):
            raise InvalidInput(f"{path}: {entry['member']} is not the file that was sent as {row['reference']}; nothing restored")
    return list(entries.values())


def _plan(data: dict[str, Any], entries: list[dict[str, Any]], letters_dir: Path | None) -> list[_File]:
    """Where each old backup's file goes: OFFICE's folder is the letters folder given itself when
    the backup has one office, else a folder per office inside it. Nothing already there is replaced."""
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


def _write(store: Store, path: Path, data: dict[str, Any], letters_dir: Path | None, files: tuple | None,
           reopen: Callable[[], IO[str]]) -> Restored:
    """The rows (and an old backup's letter files) in one transaction: the schema made at the
    export's revision, the rows inserted, then brought up to date; nothing is left if it fails."""
    revision, tables = data["schema_revision"], data["tables"]
    columns = backups.tables_at(revision, str(path))
    changes = _relocate(tables, letters_dir, files[1] if files else [])
    result = Restored(counts={}, folders=_folders(data, letters_dir) if (files or letters_dir) else {})
    written: list[Path] = []
    notes: list[str] = []
    current = store.current_revision()
    try:
        with _one_transaction(store) as connection:
            _require_empty(connection, store)
            if current != revision:
                if current is not None:
                    raise InvalidInput(f"database {store.display_url} was prepared at schema revision {current}, but the "
                                       f"records are at {revision}; restore into a new, empty database")
                _upgrade(connection, revision, notes)
            for table in Base.metadata.sorted_tables:
                if table.name in columns:
                    rows = _stored_bytes(tables[table.name], reopen, path) if table.name == "file_contents" else tables[table.name]
                    result.counts[table.name] = _insert(connection, table, rows, columns[table.name], path)
            _set_sequences(connection, columns)  # before any row is added without its id
            _record_changes(connection, changes, path)
            if files:
                _write_files(written, *files)
            if revision != SCHEMA_HEAD:
                _upgrade(connection, "head", notes)  # an old store's letter files move into the store here
                _set_sequences(connection, backups.tables_at(SCHEMA_HEAD, str(path)))
            result.files = connection.execute(text("SELECT count(*) FROM file_versions")).scalar_one()
    except BaseException as error:
        for written_file in written:
            written_file.unlink(missing_ok=True)
        if isinstance(error, DBAPIError):  # rows the database refuses: a foreign key, a constraint, a trigger
            first = str(getattr(error, "orig", error)).strip().splitlines()[0]
            raise InvalidInput(f"{path}: the records cannot be stored ({first}); nothing restored") from None
        raise
    result.warnings += notes + (_absent_folders(tables, letters_dir) if files is None else [])
    return result


@contextmanager
def _one_transaction(store: Store) -> Iterator[Any]:
    """One connection and transaction for the whole restore, schema included. On SQLite foreign
    keys are off while the schema is built (rebuilding a table would cascade to its children) and
    every reference is checked before the commit instead, as the store's migrations do."""
    with store.engine.execution_options(corr_writing=True).connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise InvalidInput(f"the records hold {len(broken)} broken link(s), first in {broken[0][0]}; nothing restored")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def _upgrade(connection: Any, revision: str, notes: list[str]) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["connection"] = connection
    config.attributes["notes"] = notes
    command.upgrade(config, revision)


def _require_empty(connection: Any, store: Store) -> None:
    names = set(inspect(connection).get_table_names()) & {table.name for table in Base.metadata.sorted_tables}
    names -= backups.NOT_BACKED_UP  # a workspace started on the new store has made its key: that is not a record
    for table in Base.metadata.sorted_tables:
        if table.name in names and connection.execute(select(func.count()).select_from(table)).scalar():
            raise InvalidInput(
                f"database {store.display_url} already holds records ({table.name}); restore into a new, empty database"
            )


def _stored_bytes(kept: list[dict[str, Any]], reopen: Callable[[], IO[str]], path: Path) -> Iterator[dict[str, Any]]:
    """The stored files' rows with their bytes, read again a row at a time, each the row checked
    when the export was read (a file changed meanwhile stops the restore)."""
    if not kept or not isinstance(kept[0]["content"], backups.PassedBytes):
        yield from kept  # read whole: their bytes are there
        return
    with reopen() as stream:
        again = rows_of(stream, "file_contents")
        for slim in kept:
            row = next(again, None)
            if row is None or any(row.get(key) != slim[key] for key in ("id", "sha256", "size")) or backups.passed_bytes(row) != slim["content"]:
                raise InvalidInput(f"{path}: stored file #{slim['id']} changed while it was being restored; nothing restored")
            yield row


def _insert(connection: Any, table: Table, rows: Iterable[dict[str, Any]], columns: set[str], path: Path) -> int:
    """The table's rows, a batch at a time (stored bytes decoded only as they are written), each
    after any row of the same table it refers to; only the columns the export's revision has."""
    plain = Table(table.name, MetaData(), *(Column(column.name, column.type, primary_key=column.primary_key)
                                            for column in table.columns if column.name in columns))
    batch, size, count = [], 0, 0
    for row in _parents_first(table, rows):
        count += 1
        decoded = _decode_row(plain, row, path)
        batch.append(decoded)
        size += sum(len(value) for value in decoded.values() if isinstance(value, bytes))
        if len(batch) >= BATCH_ROWS or size >= backups.BATCH_BYTES:
            connection.execute(plain.insert(), batch)
            batch, size = [], 0
    if batch:
        connection.execute(plain.insert(), batch)
    return count


def _parents_first(table: Table, rows: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Rows in primary-key order, except that a row referring to another row of its own table (a
    preview to the version it shows, a letter to the one it supersedes) comes after it."""
    own = [key.parent.name for key in table.foreign_keys if key.column.table is table]
    if not own:
        return rows
    rows = list(rows)
    own = [name for name in own if not rows or name in rows[0]]  # a backup from before a column came has none of it
    if all(row[name] is None or row[name] < row["id"] for row in rows for name in own):
        return rows
    placed: set[Any] = set()
    ordered, waiting = [], list(rows)
    while waiting:
        ready = [row for row in waiting if all(row[name] is None or row[name] in placed for name in own)]
        if not ready:
            raise InvalidInput(f"{table.name} row {waiting[0]['id']} refers to a row that is not there; nothing restored")
        ordered += ready
        placed.update(row["id"] for row in ready)
        ready_ids = {id(row) for row in ready}
        waiting = [row for row in waiting if id(row) not in ready_ids]
    return ordered


def _set_sequences(connection: Any, columns: dict[str, set[str]]) -> None:
    if connection.dialect.name != "postgresql":
        return
    for name, names in columns.items():
        if "id" in names:
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce((SELECT max(id) FROM {name}), 0) + 1, false)"
            ))


def _relocate(tables: dict[str, list[dict[str, Any]]], letters_dir: Path | None, plan: list[_File]) -> list[tuple[str, int, dict]]:
    """Point each office at its folder here (the folder given, or where an old backup's files go),
    and letters whose file moved at their new place; returned as events, so the log says what the
    restore changed."""
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


def _record_changes(connection: Any, changes: list[tuple[str, int, dict]], path: Path) -> None:
    if changes:
        now, actor = dt.datetime.now(dt.timezone.utc), current_actor()
        connection.execute(Event.__table__.insert(), [
            {"occurred_at": now, "actor": actor, "entity": entity, "entity_id": entity_id, "change": "update",
             "data": {**change, "restored_from": str(path)}}
            for entity, entity_id, change in changes
        ])


def _absent_folders(tables: dict[str, list[dict[str, Any]]], letters_dir: Path | None) -> list[str]:
    """Offices whose mirror folder (a copy of each new file version goes there) is not on this machine."""
    if letters_dir is not None:
        return []
    return [f"{office['short_name']}'s mirror folder {office['letters_dir']} is not here: each new file version is copied "
            "there, so create it, or change or clear the office's mirror folder" for office in tables["offices"]
            if office["letters_dir"] and not Path(office["letters_dir"]).is_dir()]


def _write_files(written: list[Path], archive: zipfile.ZipFile, plan: list[_File]) -> int:
    for item in plan:
        item.target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(item.entry["member"]) as source, open_new(item.target) as target:
            written.append(item.target)
            backups.copy_stream(source, target)
        if item.entry["status"] == "sent":
            make_read_only(item.target)
    return len(plan)


def _decode_row(table: Table, row: dict[str, Any], path: Path) -> dict[str, Any]:
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
            elif isinstance(column.type, LargeBinary):
                decoded[column.name] = base64.b64decode(value, validate=True)
            else:
                decoded[column.name] = value
        except (TypeError, ValueError, ArithmeticError, binascii.Error) as error:
            shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
            raise InvalidInput(f"{path}: {table.name} row {row.get('id')}: {column.name} {shown} is not valid ({error})") from None
    return decoded
