"""Nothing lost: a consistent backup while in use, and an export that restores every record exactly.

The export is JSON: every row of every table (the event log included), with dates and times as ISO
text (times always in UTC with their offset, whichever database they came from), decimals as
exact text and the schema revision they belong to. Restoring writes the rows back unchanged, in
one transaction, into a new database of the same schema revision, so an export restored and
exported again is the same document, and an office can move from SQLite to PostgreSQL with it.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, func, select, text
from sqlalchemy.orm import Session

from correspondence.errors import CorrespondenceError, InvalidInput
from correspondence.inputs import read_text
from correspondence.models import Base
from correspondence.outputs import check_new_file, writing
from correspondence.store import Store

FORMAT = "correspondence-export"
VERSION = 1


def export_data(store: Store) -> dict[str, Any]:
    """Every record, read in one snapshot so the export is consistent while others write."""
    current, _ = store.schema_revision()
    with store.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            tables = {
                table.name: [_encode_row(table, row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables
            }
    return {"format": FORMAT, "version": VERSION, "schema_revision": current, "tables": tables}


def write_export(store: Store, path: Path | None) -> str:
    if path is not None:
        check_new_file(path)
    document = json.dumps(export_data(store), ensure_ascii=False, indent=1, sort_keys=True)
    if path is not None:
        _write_new(path, document.encode("utf-8"))
    return document


def restore(store: Store, path: Path) -> dict[str, int]:
    """Load an export into an empty database; all or nothing."""
    data = _read_export(path)
    store.migrate()
    current, _ = store.schema_revision()
    if data["schema_revision"] != current:
        raise InvalidInput(
            f"{path}: exported at schema revision {data['schema_revision']}, but this tool's is {current}; "
            "restore with the same version of correspondence"
        )
    counts = {}
    with store.transaction() as session:
        _require_empty(session, store)
        connection = session.connection()
        for table in Base.metadata.sorted_tables:
            rows = [_decode_row(table, row, path) for row in data["tables"].get(table.name, [])]
            if rows:
                connection.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        if connection.dialect.name == "postgresql":
            for table in Base.metadata.sorted_tables:
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
                ))
    return counts


def backup(store: Store, path: Path) -> str:
    """A consistent copy taken while the database is in use: an SQLite file copied with SQLite's
    online backup, or, for PostgreSQL, an export read in one snapshot. Returns which it made."""
    check_new_file(path, hint="a backup never overwrites a file")
    if store.engine.dialect.name != "sqlite":
        write_export(store, path)
        return "export"
    import sqlite3

    raw = store.engine.raw_connection()
    try:
        try:
            target = sqlite3.connect(str(path))
        except sqlite3.Error as error:
            raise InvalidInput(f"{path}: cannot write ({error})") from None
        try:
            raw.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        raw.close()
    return "sqlite"


def _require_empty(session: Session, store: Store) -> None:
    for table in Base.metadata.sorted_tables:
        if session.execute(select(func.count()).select_from(table)).scalar():
            raise InvalidInput(
                f"database {store.display_url} already holds records ({table.name}); restore into a new, empty database"
            )


def _read_export(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{path}: not a correspondence export ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tables"), dict):
        raise InvalidInput(f"{path}: not a correspondence export")
    if data.get("version") != VERSION:
        raise InvalidInput(f"{path}: export format version {data.get('version')} is not one this tool reads")
    return data


def _encode_row(table: Any, row: Any) -> dict[str, Any]:
    encoded = {}
    for column in table.columns:
        value = row._mapping[column.name]
        if value is None:
            encoded[column.name] = None
        elif isinstance(column.type, DateTime):
            stamp = value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)  # stored in UTC
            encoded[column.name] = stamp.astimezone(dt.timezone.utc).isoformat()
        elif isinstance(column.type, Date):
            encoded[column.name] = value.isoformat()
        elif isinstance(column.type, Numeric):
            encoded[column.name] = format(Decimal(value).normalize(), "f")
        else:
            encoded[column.name] = value
    return encoded


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


def _write_new(path: Path, content: bytes) -> None:
    try:
        with writing(path), path.open("xb") as handle:
            handle.write(content)
    except FileExistsError:
        raise CorrespondenceError(f"{path} already exists; choose another file") from None
