"""Nothing lost: an export of every record, and a backup of it, every stored file included.

The export is JSON: every row of every table (the event log included), with dates and times as ISO
text (times always in UTC with their offset, whichever database they came from), decimals as
exact text, a stored file's bytes (``file_contents.content``) as base64 text, and the schema
revision they belong to, with each table's row count and a SHA-256 of the rows so that ``restore``
can refuse an export that was cut short or edited. It says which stored files, if any, were
already damaged (their bytes not matching their own SHA-256) when it was written, so that restore
can tell damage found in the store from damage done to the export.

A backup is one zip file: ``records.json`` (the export, so every version of every file the store
keeps) and ``manifest.json`` with the SHA-256 of records.json and what the check of letter files
found. It is written under a temporary name and renamed only when complete, so a killed or failed
backup never leaves a file that looks like a backup. Backups made before files were kept in the
store (format 1) also held each letter file under ``letters/OFFICE/``; restore.py still reads them.

``check_export`` is everything restore checks of an export before it writes a row (restore.py).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Date, DateTime, LargeBinary, Numeric, and_, func, select
from sqlalchemy.orm import aliased

from correspondence import __version__
from correspondence.files.letter_files import FileState
from correspondence.files.outputs import atomic_file, check_new_file
from correspondence.organisation.reference_schemes import reference_key
from correspondence.records.dates import as_utc
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Base, FileVersion, Letter
from correspondence.records.store import SCHEMA_HEAD, Store
from correspondence.records.vocabulary import FilePurpose, LetterStatus

FORMAT = "correspondence-export"
VERSION = 3  # 3: stored files' bytes as base64, and the files found damaged; 2: before files were in the store
READABLE_VERSIONS = (2, 3)
BACKUP_FORMAT = "correspondence-backup"
BACKUP_VERSION = 2  # 2: every file inside records.json; 1: letter files beside it under letters/OFFICE/
OLD_BACKUP_VERSION = 1
MANIFEST = "manifest.json"
RECORDS = "records.json"
BATCH_BYTES = 8 * 1024 * 1024  # stored bytes read at a time: memory stays flat however many files


def export_data(store: Store) -> dict[str, Any]:
    """Every record as one dictionary (for tests and small stores; commands stream: write_records)."""
    with tempfile.TemporaryFile() as handle:
        write_records(store, handle)
        handle.seek(0)
        return json.loads(handle.read().decode("utf-8"))


@dataclass
class Exported:
    """What write_records wrote: the counts and checksum, and what it found of the stored files."""

    schema_revision: str | None
    counts: dict[str, int]
    checksum: str
    file_bytes: int = 0  # the stored files' bytes, each counted once
    damaged: list[dict[str, Any]] = field(default_factory=list)  # stored bytes that do not match their SHA-256
    problems: list[dict[str, Any]] = field(default_factory=list)  # letters whose file is missing or not as recorded


def write_records(store: Store, out: BinaryIO, *, check_letters: bool = False) -> Exported:
    """The export document, written to ``out`` one row at a time, every table read once in one
    snapshot (consistent while others write). Memory stays flat however many letters and files
    there are: the rows go to a temporary file as they are read (stored bytes a few megabytes at a
    time), hashed as they go, and the header that carries their checksum is written before them at
    the end. With ``check_letters``, each letter's current version is compared with its record in
    the same snapshot (``problems``)."""
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
                kept = [table for table in Base.metadata.sorted_tables if table.name not in NOT_BACKED_UP]
                for number, table in enumerate(sorted(kept, key=lambda t: t.name)):
                    name = json.dumps(table.name, ensure_ascii=False)
                    digest.update(f'{"," if number else ""}{name}:['.encode("utf-8"))
                    body.write(f'{"," if number else ""}\n  {name}: ['.encode("utf-8"))
                    counts[table.name] = _write_table(connection, table, body, digest, result)
                    body.write(b"\n  ]" if counts[table.name] else b"]")
                    digest.update(b"]")
                digest.update(b"}")
                if check_letters:
                    result.problems = _letter_problems(connection, {item["id"] for item in result.damaged})
        result.checksum = digest.hexdigest()
        header = {"checksum": result.checksum, "counts": dict(sorted(counts.items())), "damaged": result.damaged,
                  "format": FORMAT, "schema_revision": current}
        out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2].encode("utf-8"))  # open: the tables follow
        out.write(b',\n "tables": {')
        body.seek(0)
        shutil.copyfileobj(body, out, 1 << 20)
        out.write(f'\n }},\n "version": {VERSION}\n}}'.encode("utf-8"))
    return result


def _write_table(connection: Any, table: Any, body: BinaryIO, digest: Any, result: Exported) -> int:
    """One table's rows, in primary-key order, in batches: each row one line of canonical JSON."""
    encoders = [(column.name, _encoder(column)) for column in table.columns]
    count = 0
    for row in _rows(connection, table):
        values = {name: (value if value is None or encode is None else encode(value)) for (name, encode), value in zip(encoders, row)}
        line = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        if count:
            digest.update(b",")
        encoded = line.encode("utf-8")
        digest.update(encoded)
        body.write(b"\n   " if not count else b",\n   ")
        body.write(encoded)
        count += 1
        if table.name == "file_contents":
            _note_content(row, result)
    return count


def _rows(connection: Any, table: Any) -> Iterator[Any]:
    """The table's rows in primary-key order; a table of stored bytes a few megabytes at a time
    (its ``size`` column says how many each row holds), every other table 2,000 rows at a time."""
    order = list(table.primary_key.columns)
    if not any(isinstance(column.type, LargeBinary) for column in table.columns):
        yield from connection.execution_options(stream_results=True, yield_per=2000).execute(select(table).order_by(*order))
        return
    (key,) = order
    sizes = connection.execute(select(key, table.c.size).order_by(key)).all()  # numbers only: small
    start = 0
    while start < len(sizes):
        end, total = start, 0
        while end < len(sizes) and (end == start or total + sizes[end][1] <= BATCH_BYTES):
            total += sizes[end][1] or 0
            end += 1
        query = select(table).where(key.between(sizes[start][0], sizes[end - 1][0])).order_by(key)
        yield from connection.execute(query).all()
        start = end


def _note_content(row: Any, result: Exported) -> None:
    content = row.content or b""
    result.file_bytes += len(content)
    if hashlib.sha256(content).hexdigest() != row.sha256 or len(content) != row.size:
        result.damaged.append({"id": row.id, "sha256": row.sha256})


def _letter_problems(connection: Any, damaged: set[int]) -> list[dict[str, Any]]:
    """Letters whose recorded file is missing from the store, whose current version is not the file
    recorded, or whose bytes are damaged: the same states as the check of letter files."""
    other = aliased(FileVersion)
    newest = (select(func.max(other.number))
              .where(other.letter_id == Letter.id, other.purpose == FilePurpose.LETTER).correlate(Letter).scalar_subquery())
    current = and_(FileVersion.letter_id == Letter.id, FileVersion.purpose == FilePurpose.LETTER, FileVersion.number == newest)
    query = (select(Letter.id, Letter.reference, Letter.status, Letter.file_sha256, FileVersion.sha256, FileVersion.content_id)
             .outerjoin(FileVersion, current).where(Letter.file_sha256.isnot(None)).order_by(Letter.id))
    problems = []
    for letter_id, reference, status, recorded, sha256, content_id in connection.execute(query):
        if sha256 is None:
            state = FileState.MISSING
        elif content_id in damaged:
            state = FileState.UNREADABLE
        elif sha256 != recorded:
            state = FileState.CHANGED_SINCE_SENT if status is LetterStatus.SENT else FileState.CHANGED_SINCE_RECORDED
        else:
            continue
        words = "MISSING: no file is kept for it" if state is FileState.MISSING else state.value
        problems.append({"letter_id": letter_id, "reference": reference, "status": status.value, "state": words})
    return problems


def _encoder(column: Any) -> Any:
    """How a column's values are written: dates and times as ISO text (times in UTC with their
    offset), decimals as exact text, bytes as base64, vocabulary words as words; None for values
    JSON holds as they are."""
    if isinstance(column.type, DateTime):
        def stamp(value: Any) -> str:
            return as_utc(value).astimezone(dt.timezone.utc).isoformat()  # stored in UTC
        return stamp
    if isinstance(column.type, Date):
        return lambda value: value.isoformat()
    if isinstance(column.type, Numeric):
        return lambda value: format(Decimal(value).normalize(), "f")
    if isinstance(column.type, LargeBinary):
        return lambda value: base64.b64encode(value).decode("ascii")
    return lambda value: value.value if hasattr(value, "value") and isinstance(value, str) else value  # a vocabulary word


def checksum(tables: dict[str, Any]) -> str:
    """SHA-256 of the rows in one canonical form, the same whichever way the JSON was laid out:
    that of ``json.dumps(tables, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``,
    hashed a row at a time so that an export of every stored file is never held twice in memory."""
    digest = hashlib.sha256(b"{")
    for number, name in enumerate(sorted(tables)):
        digest.update(f'{"," if number else ""}{json.dumps(name, ensure_ascii=False)}:'.encode("utf-8"))
        rows = tables[name]
        if not isinstance(rows, list):
            digest.update(_canonical(rows))
            continue
        digest.update(b"[")
        for index, row in enumerate(rows):
            if index:
                digest.update(b",")
            digest.update(_canonical(row))
        digest.update(b"]")
    digest.update(b"}")
    return digest.hexdigest()


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_export(store: Store, path: Path | None, out: BinaryIO | None = None) -> Exported:
    """The export to ``path`` (written whole, then put in place), else to ``out``."""
    if path is None:
        return write_records(store, out)
    check_new_file(path)
    with atomic_file(path) as temporary, temporary.open("wb") as handle:
        return write_records(store, handle)


# --- backups ---------------------------------------------------------------------------------


@dataclass
class Backup:
    path: Path
    records: int
    versions: int  # file versions, each with its bytes
    file_bytes: int  # the stored files' bytes, each counted once
    damaged: list[dict[str, Any]] = field(default_factory=list)
    letters: list[dict[str, Any]] = field(default_factory=list)  # letters whose file is missing or not as recorded

    @property
    def problems(self) -> list[str]:
        """What the check of letter files would report, and any stored file whose bytes are damaged."""
        found = [f"{item['reference'] or '#' + str(item['letter_id'])}: {item['state']}" for item in self.letters]
        if self.damaged:
            found.append(f"{len(self.damaged)} stored file(s) whose bytes do not match their SHA-256 "
                         f"(file_contents {', '.join(str(item['id']) for item in self.damaged[:5])}); backed up as found")
        return found


def backup(store: Store, path: Path) -> Backup:
    """Every record and every version of every stored file in one zip, consistent while others work."""
    check_new_file(path, hint="a backup never overwrites a file")
    with atomic_file(path, hint="a backup never overwrites a file") as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            info = zipfile.ZipInfo(RECORDS, date_time=dt.datetime.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:  # streamed: memory stays flat
                hashing = _Hashing(member)
                data = write_records(store, hashing, check_letters=True)
            result = Backup(path, sum(data.counts.values()), data.counts.get("file_versions", 0), data.file_bytes,
                            data.damaged, data.problems)
            _write_manifest(archive, data, hashing)
    return result


def _write_manifest(archive: zipfile.ZipFile, data: Exported, hashing: _Hashing) -> None:
    manifest = {
        "format": BACKUP_FORMAT, "version": BACKUP_VERSION, "tool_version": __version__,
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(), "schema_revision": data.schema_revision,
        "records": {"member": RECORDS, "sha256": hashing.digest.hexdigest(), "size": hashing.size},
        "files": {"versions": data.counts.get("file_versions", 0), "contents": data.counts.get("file_contents", 0),
                  "bytes": data.file_bytes},
        "problems": data.problems,
    }
    archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))


class _Hashing:
    """A binary stream that passes writes on and keeps their SHA-256 and size."""

    def __init__(self, target: Any) -> None:
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.target.write(data)

# --- what a whole export is: restore checks all of it before writing anything ---------------------

# Which columns of a sent letter must agree with what the event log recorded when it was sent.
SENT_FIELDS = ("office_id", "reference", "direction", "letter_date", "status", "sent_on", "file_sha256", "subject",
               "addressee_name", "addressee_role", "cc", "kind")
# The oldest schema a backup can be restored from (the release before files were kept in the store),
# and what each later revision added (None: the whole table), so a backup made at any revision since
# is loaded at its own revision and then migrated. tests/test_files_migration.py checks this against
# a store at BEFORE_FILES.
BEFORE_FILES = "0011"
ADDED_IN: dict[str, dict[str, set[str] | None]] = {
    "0012": {"file_contents": None, "file_versions": None, "letter_clearances": {"comment"}},
    "0013": {},  # only the tables below, which no backup holds
    "0014": {"improvement_areas": {"for_whom", "for_name"}, "measures": {"phrase", "period", "quoted"}},
    "0015": {"standard_lines": {"retired_on"}, "inspection_corrections": None,
             "letters": {"owner_id", "reply_by", "answered_on", "in_reply_to_id", "their_reference", "withdrawn_at", "withdrawn_by",
                         "withdrawn_reason"}},
}
# Who is logged in, and the workspace's signing key: state of the running workspace, not records,
# and the key a secret that must not travel in a file copied to a shared drive. A restored store
# has no sessions (everyone logs in again) and makes a new key on first use.
NOT_BACKED_UP = frozenset({"web_sessions", "store_settings", "setup_links", "form_posts"})


def tables_at(revision: Any, source: str) -> dict[str, set[str]]:
    """Each table's columns a backup made at ``revision`` holds: this version's schema, or an
    earlier one back to BEFORE_FILES."""
    head = {table.name: {column.name for column in table.columns} for table in Base.metadata.sorted_tables
            if table.name not in NOT_BACKED_UP}
    if revision == SCHEMA_HEAD:
        return head
    if isinstance(revision, str) and _revision_key(BEFORE_FILES) <= _revision_key(revision) < _revision_key(SCHEMA_HEAD):
        tables = dict(head)
        for added_in, added in ADDED_IN.items():
            if _revision_key(added_in) > _revision_key(revision):
                for name, columns in added.items():
                    if columns is None:
                        tables.pop(name, None)
                    else:
                        tables[name] = tables[name] - columns
        return tables
    raise InvalidInput(
        f"{source}: exported at schema revision {revision}, but this version of correspondence restores revisions "
        f"{BEFORE_FILES} to {SCHEMA_HEAD}; restore it with the version of correspondence that made it, then upgrade; "
        "nothing restored"
    )


def _revision_key(revision: str) -> tuple[int, str]:
    return (len(revision), revision)


@dataclass(frozen=True)
class PassedBytes:
    """A stored file's bytes as restore saw them go by (export_stream.py): checked, not kept."""

    base64: bool  # they were base64 text
    matches: bool  # ...of bytes with the SHA-256 and size their row gives


def passed_bytes(row: dict[str, Any]) -> PassedBytes:
    try:
        content = base64.b64decode(row.get("content"), validate=True)
    except (binascii.Error, TypeError, ValueError):
        return PassedBytes(False, False)
    return PassedBytes(True, hashlib.sha256(content).hexdigest() == row.get("sha256") and len(content) == row.get("size"))


def check_export(data: Any, source: str, made: str = "exported", rows_checksum: str | None = None) -> list[str]:
    """Refuse an export that is not whole and consistent, naming the first problem; else what to
    warn of (a stored file already damaged, or not as recorded, in the store it came from).
    ``rows_checksum``: the rows' checksum, when it was taken as they were read (their stored
    bytes then PassedBytes)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tables"), dict):
        raise InvalidInput(f"{source}: not a correspondence export")
    if data.get("version") not in READABLE_VERSIONS:
        raise InvalidInput(f"{source}: export format version {data.get('version')} is not one this tool reads "
                           f"(version {VERSION}); export it again with this version of correspondence; nothing restored")
    tables, counts = data["tables"], data.get("counts")
    if not isinstance(counts, dict) or not isinstance(data.get("checksum"), str):
        raise InvalidInput(f"{source}: the export has no row counts or checksum, so it cannot be checked; nothing restored")
    expected = tables_at(data.get("schema_revision"), source)
    for name, columns in expected.items():
        if not isinstance(tables.get(name), list):
            raise InvalidInput(f"{source}: the {name} table is missing from the export; nothing restored")
        if counts.get(name) != len(tables[name]):
            raise InvalidInput(f"{source}: {name} has {len(tables[name])} rows but the export wrote "
                               f"{counts.get(name)}; it was cut short or edited, so nothing was restored")
        for row in tables[name]:
            if not isinstance(row, dict) or set(row) != columns:
                raise InvalidInput(f"{source}: {name} row {row.get('id') if isinstance(row, dict) else row!r} "
                                   "does not have this table's columns; nothing restored")
    unknown = sorted(set(tables) - set(expected))
    if unknown:
        raise InvalidInput(f"{source}: unknown table {unknown[0]} in the export; nothing restored")
    if (rows_checksum or checksum(tables)) != data["checksum"]:
        raise InvalidInput(f"{source}: the records do not match the checksum the export wrote; "
                           "it was damaged or edited, so nothing was restored")
    _check_ledger(tables, source)
    _check_sent_letters(tables, source)
    if "file_contents" not in expected:
        return []
    return _check_stored_files(tables, data.get("damaged") or [], source, made)


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


def _check_stored_files(tables: dict[str, list[dict[str, Any]]], declared: list[Any], source: str, made: str) -> list[str]:
    """Every stored file's bytes have their SHA-256 and size, every version is of the bytes it names,
    and every letter's current version is its recorded file. Found otherwise in the store the export
    came from (the export says so, or the event log shows the store kept those bytes), it is
    restored as found, with a warning; otherwise the export was damaged or edited, and is refused."""
    warnings = []
    damaged = {(item.get("id"), item.get("sha256")) for item in declared if isinstance(item, dict)}
    contents: dict[int, str] = {}
    for row in tables["file_contents"]:
        passed = row["content"] if isinstance(row["content"], PassedBytes) else passed_bytes(row)
        if not passed.base64:
            raise InvalidInput(f"{source}: stored file #{row['id']} is not base64 text; nothing restored")
        if not passed.matches:
            if (row["id"], row["sha256"]) not in damaged:
                raise InvalidInput(f"{source}: the bytes of stored file #{row['id']} do not match their SHA-256; "
                                   "it was damaged or edited, so nothing was restored")
            warnings.append(f"stored file #{row['id']} was already damaged (its bytes do not match their SHA-256) "
                            f"when it was {made}; restored as found")
        contents[row["id"]] = row["sha256"]
    current: dict[int, dict[str, Any]] = {}
    for row in tables["file_versions"]:
        if contents.get(row["content_id"]) != row["sha256"]:
            raise InvalidInput(f"{source}: version {row['number']} of {row['file_name']} is not the stored file it names; "
                               "it was damaged or edited, so nothing was restored")
        if row["letter_id"] is not None and row["purpose"] == "letter" and row["number"] > current.get(row["letter_id"], {}).get("number", 0):
            current[row["letter_id"]] = row
    logged = {event["entity_id"]: event["data"].get("sha256") for event in tables["events"]
              if event["entity"] == "file_versions" and event["change"] == "create" and isinstance(event["data"], dict)}
    for letter in tables["letters"]:
        if not letter["file_sha256"]:
            continue
        label, version = letter["reference"] or f"#{letter['id']}", current.get(letter["id"])
        if version is None:
            warnings.append(f"{label}: its file was missing when it was {made}")
        elif version["sha256"] != letter["file_sha256"]:
            if letter["status"] == "sent" and logged.get(version["id"]) != version["sha256"]:
                raise InvalidInput(f"{source}: version {version['number']} of letter {label} is not the file that was sent as "
                                   f"{label}; nothing restored")
            warnings.append(f"{label}: its file was CHANGED since it was {letter['status']} when it was {made}")
    return warnings


def _comparable(value: Any) -> Any:
    return None if value is None else str(value)


def copy_stream(source: Any, target: Any) -> None:
    shutil.copyfileobj(source, target, 1 << 20)
