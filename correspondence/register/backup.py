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
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from sqlalchemy import Date, DateTime, Numeric, select

from correspondence import __version__
from correspondence.files.letter_files import default_folder
from correspondence.files.outputs import atomic_file, check_new_file
from correspondence.records.models import Base
from correspondence.records.store import Store

FORMAT = "correspondence-export"
VERSION = 2
BACKUP_FORMAT = "correspondence-backup"
BACKUP_VERSION = 1
MANIFEST = "manifest.json"
RECORDS = "records.json"


def export_data(store: Store) -> dict[str, Any]:
    """Every record as one dictionary (for tests and small stores; commands stream: write_records)."""
    with tempfile.TemporaryFile() as handle:
        write_records(store, handle)
        handle.seek(0)
        return json.loads(handle.read().decode("utf-8"))


@dataclass
class Exported:
    """What write_records wrote: enough for a backup to find the letter files without reading it back."""

    schema_revision: str | None
    counts: dict[str, int]
    checksum: str
    offices: dict[int, dict[str, Any]] = field(default_factory=dict)
    letters_with_files: list[dict[str, Any]] = field(default_factory=list)


_LETTER_FILE_FIELDS = ("id", "office_id", "reference", "status", "file_path", "file_sha256")


def write_records(store: Store, out: BinaryIO) -> Exported:
    """The export document, written to ``out`` one row at a time, every table read once in one
    snapshot (consistent while others write). Memory stays flat however many letters there are:
    the rows go to a temporary file as they are read, hashed as they go, and the header that
    carries their checksum is written before them at the end."""
    current = store.current_revision()
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    result = Exported(current, counts, "")
    with tempfile.TemporaryFile() as body:
        with store.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                digest.update(b"{")
                for number, table in enumerate(sorted(Base.metadata.sorted_tables, key=lambda t: t.name)):
                    name = json.dumps(table.name, ensure_ascii=False)
                    digest.update(f'{"," if number else ""}{name}:['.encode("utf-8"))
                    body.write(f'{"," if number else ""}\n  {name}: ['.encode("utf-8"))
                    counts[table.name] = _write_table(connection, table, body, digest, result)
                    body.write(b"\n  ]" if counts[table.name] else b"]")
                    digest.update(b"]")
                digest.update(b"}")
        result.checksum = digest.hexdigest()
        header = {"checksum": result.checksum, "counts": dict(sorted(counts.items())), "format": FORMAT, "schema_revision": current}
        out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2].encode("utf-8"))  # open: the tables follow
        out.write(b',\n "tables": {')
        body.seek(0)
        shutil.copyfileobj(body, out, 1 << 20)
        out.write(f'\n }},\n "version": {VERSION}\n}}'.encode("utf-8"))
    return result


def _write_table(connection: Any, table: Any, body: BinaryIO, digest: Any, result: Exported) -> int:
    """One table's rows, in primary-key order, in batches: each row one line of canonical JSON."""
    encoders = [(column.name, _encoder(column)) for column in table.columns]
    query = select(table).order_by(*table.primary_key.columns)
    rows = connection.execution_options(stream_results=True, yield_per=2000).execute(query)
    count = 0
    for row in rows:
        values = {name: (value if value is None or encode is None else encode(value)) for (name, encode), value in zip(encoders, row)}
        line = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if count:
            digest.update(b",")
        encoded = line.encode("utf-8")
        digest.update(encoded)
        body.write(b"\n   " if not count else b",\n   ")
        body.write(encoded)
        count += 1
        if table.name == "offices":
            result.offices[values["id"]] = values
        elif table.name == "letters" and values["file_path"]:
            result.letters_with_files.append({key: values[key] for key in _LETTER_FILE_FIELDS})
    return count


def _encoder(column: Any) -> Any:
    """How a column's values are written: dates and times as ISO text (times in UTC with their
    offset), decimals as exact text, vocabulary words as words; None for values JSON holds as they are."""
    if isinstance(column.type, DateTime):
        def stamp(value: Any) -> str:
            return (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc).isoformat()  # stored in UTC
        return stamp
    if isinstance(column.type, Date):
        return lambda value: value.isoformat()
    if isinstance(column.type, Numeric):
        return lambda value: format(Decimal(value).normalize(), "f")
    return lambda value: value.value if hasattr(value, "value") and isinstance(value, str) else value  # a vocabulary word


def checksum(tables: dict[str, Any]) -> str:
    """SHA-256 of the rows in one canonical form, the same whichever way the JSON was laid out."""
    canonical = json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_export(store: Store, path: Path | None, out: BinaryIO | None = None) -> Exported:
    """The export to ``path`` (written whole, then put in place), else to ``out``."""
    if path is None:
        return write_records(store, out)
    check_new_file(path)
    with atomic_file(path) as temporary, temporary.open("wb") as handle:
        return write_records(store, handle)


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
    state: str  # what the check of letter files says of it

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
        """What the check of letter files would report for the files backed up: missing or changed files."""
        changed = [f"{f.reference or '#' + str(f.letter_id)}: {f.state}" for f in self.files if f.problem]
        gone = [f"{m['reference'] or '#' + str(m['letter_id'])}: MISSING: nothing at {m['path']}" for m in self.missing]
        return changed + gone


def backup(store: Store, path: Path) -> Backup:
    """Every record and every letter file in one zip, consistent while others work."""
    check_new_file(path, hint="a backup never overwrites a file")
    with atomic_file(path, hint="a backup never overwrites a file") as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            with archive.open(RECORDS, "w", force_zip64=True) as member:  # streamed: memory stays flat
                hashing = _Hashing(member)
                data = write_records(store, hashing)
            result = Backup(path, sum(data.counts.values()))
            for row in data.letters_with_files:
                _add_letter_file(archive, row, data.offices[row["office_id"]], result)
            manifest = {
                "format": BACKUP_FORMAT, "version": BACKUP_VERSION, "tool_version": __version__,
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(), "schema_revision": data.schema_revision,
                "records": {"member": RECORDS, "sha256": hashing.digest.hexdigest(), "size": hashing.size},
                "files": [vars(entry) for entry in result.files], "missing": result.missing,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return result


class _Hashing:
    """A binary stream that passes writes on and keeps their SHA-256 and size."""

    def __init__(self, target: Any) -> None:
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.target.write(data)


def letter_file_location(row: dict[str, Any], office_row: dict[str, Any]) -> Path:
    """Where a letter's file is, from its exported row (see letter_files.location)."""

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


def copy_stream(source: Any, target: Any) -> None:
    shutil.copyfileobj(source, target, 1 << 20)
