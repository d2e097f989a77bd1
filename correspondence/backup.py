"""Nothing lost: an export of every record, and a backup of every record and every letter file.

The export is JSON: every row of every table (the event log included), with dates and times as ISO
text (times always in UTC with their offset, whichever database they came from), decimals as
exact text and the schema revision they belong to, with each table's row count and a SHA-256 of
the rows so that ``restore`` can refuse an export that was cut short or edited.

A backup is one zip file: ``records.json`` (the export), every letter file (drafts, sent letters and
imported originals) under ``letters/OFFICE/`` as it lies in the office's letters folder, and
``manifest.json`` with the SHA-256 of each. It is written under a temporary name and renamed only
when complete, so a killed or failed backup never leaves a file that looks like a backup.
Restoring is in restore.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, select

from correspondence import __version__
from correspondence.models import Base
from correspondence.outputs import atomic_file, check_new_file
from correspondence.store import Store

FORMAT = "correspondence-export"
VERSION = 2
BACKUP_FORMAT = "correspondence-backup"
BACKUP_VERSION = 1
MANIFEST = "manifest.json"
RECORDS = "records.json"


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
    return {
        "format": FORMAT, "version": VERSION, "schema_revision": current, "tables": tables,
        "counts": {name: len(rows) for name, rows in tables.items()}, "checksum": checksum(tables),
    }


def checksum(tables: dict[str, Any]) -> str:
    """SHA-256 of the rows in one canonical form, the same whichever way the JSON was laid out."""
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def write_export(store: Store, path: Path | None) -> str:
    if path is not None:
        check_new_file(path)
    document = export_json(export_data(store))
    if path is not None:
        with atomic_file(path) as temporary:
            temporary.write_bytes(document.encode("utf-8"))
    return document


# --- backups ---------------------------------------------------------------------------------


@dataclass
class BackedUpFile:
    letter_id: int
    office: str
    reference: str | None
    status: str
    file_path: str  # as the letter records it
    member: str  # its name inside the backup
    sha256: str
    size: int
    state: str  # what corr check says of it

    @property
    def problem(self) -> bool:
        return self.state.startswith(("CHANGED", "MISSING"))


@dataclass
class Backup:
    path: Path
    records: int
    files: list[BackedUpFile] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)  # letter files not found when backing up

    @property
    def problems(self) -> list[str]:
        """What 'corr check' would report for the files backed up: missing or changed files."""
        changed = [f"{f.reference or '#' + str(f.letter_id)}: {f.state}" for f in self.files if f.problem]
        gone = [f"{m['reference'] or '#' + str(m['letter_id'])}: MISSING: nothing at {m['path']}" for m in self.missing]
        return changed + gone


def backup(store: Store, path: Path) -> Backup:
    """Every record and every letter file in one zip, consistent while others work."""
    check_new_file(path, hint="a backup never overwrites a file")
    data = export_data(store)
    records = export_json(data).encode("utf-8")
    offices = {row["id"]: row for row in data["tables"]["offices"]}
    result = Backup(path, sum(data["counts"].values()))
    with atomic_file(path, hint="a backup never overwrites a file") as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.writestr(RECORDS, records)
            for row in data["tables"]["letters"]:
                if row["file_path"]:
                    _add_letter_file(archive, row, offices[row["office_id"]], result)
            manifest = {
                "format": BACKUP_FORMAT, "version": BACKUP_VERSION, "tool_version": __version__,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(), "schema_revision": data["schema_revision"],
                "records": {"member": RECORDS, "sha256": hashlib.sha256(records).hexdigest(), "size": len(records)},
                "files": [vars(entry) for entry in result.files], "missing": result.missing,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return result


def letter_file_location(row: dict[str, Any], office_row: dict[str, Any]) -> Path:
    """Where a letter's file is, from its exported row (see letter_files.location)."""
    from correspondence.letter_files import default_folder

    recorded = Path(row["file_path"])
    if recorded.is_absolute():
        return recorded
    folder = Path(office_row["letters_dir"]) if office_row["letters_dir"] else default_folder()
    return folder.joinpath(*PurePosixPath(row["file_path"]).parts)


def member_name(row: dict[str, Any], office_row: dict[str, Any]) -> str:
    """A letter file's name in the backup: letters/OFFICE/its path in the office's folder, or
    letters/OFFICE/external/ID-name for a file kept outside the folder."""
    recorded = PurePosixPath(row["file_path"])
    if Path(row["file_path"]).is_absolute():
        recorded = PurePosixPath("external", f"{row['id']}-{Path(row['file_path']).name}")
    return str(PurePosixPath("letters", office_row["short_name"], recorded))


def _add_letter_file(archive: zipfile.ZipFile, row: dict[str, Any], office_row: dict[str, Any], result: Backup) -> None:
    source = letter_file_location(row, office_row)
    base = {"letter_id": row["id"], "office": office_row["short_name"], "reference": row["reference"], "status": row["status"]}
    try:
        handle = source.open("rb")
    except OSError:
        result.missing.append({**base, "file_path": row["file_path"], "path": str(source)})
        return
    digest, size = hashlib.sha256(), 0
    member = member_name(row, office_row)
    info = zipfile.ZipInfo(member, date_time=dt.datetime.fromtimestamp(source.stat().st_mtime).timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with handle, archive.open(info, "w", force_zip64=True) as target:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            target.write(block)
    sha = digest.hexdigest()
    result.files.append(BackedUpFile(
        letter_id=row["id"], office=office_row["short_name"], reference=row["reference"], status=row["status"],
        file_path=row["file_path"], member=member, sha256=sha, size=size, state=_state(row, sha),
    ))


def _state(row: dict[str, Any], sha: str) -> str:
    same = sha == row["file_sha256"]
    if row["status"] == "sent":
        return "matches what was sent" if same else "CHANGED since it was sent"
    if row["status"] == "draft":
        return "matches what was drafted" if same else "edited since it was drafted"
    return "matches what was recorded" if same else "CHANGED since it was recorded"


# --- rows as JSON and back ---------------------------------------------------------------------


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
        elif hasattr(value, "value") and isinstance(value, str):  # a vocabulary word
            encoded[column.name] = value.value
        else:
            encoded[column.name] = value
    return encoded


def copy_stream(source: Any, target: Any) -> None:
    shutil.copyfileobj(source, target, 1 << 20)
