"""Files in the store at scale: 100,000 letters of about 16 KB each, every one's bytes in the
database, each operation against a floor measured in the same run (the figures are in
docs/developer/performance.md, Files in the store).

    python benchmarks/files.py                                          # SQLite
    python benchmarks/files.py --db postgresql://postgres@127.0.0.1:5432/test   # a new database on that server
    python benchmarks/files.py --letters 10000                          # a smaller store
    python benchmarks/files.py --backup                                 # also corr backup and corr restore of it

The store: the bundled example (its office, inspection and drafted letter), then N letters of that
office made in bulk with SQL (each with its ledger entry and its event), each with one version of
its own: the example's drafted .docx (16.6 KB) with its document part's 3.5 KB of compressed text
replaced by bytes of the letter's own, as letters drafted from one template share their other parts,
so no two letters share bytes (the store keeps each SHA-256 once). The last 1,000 are drafts, to take
new versions (uploads: whole .docx files). The office names no mirror folder.

Measured in one warm process, each operation and its floor interleaved round by round (medians of
30), a session or connection opened for each as a request would:
- the register page: ``list_letters`` with limit 100, against its raw SQL (the page's letters and
  their offices), and against the same page of a second store holding the same letters but none of
  their files (what keeping the files in the database costs the register, if anything);
- a letter's versions: the letter and ``letter_versions``, against the raw SELECT of both;
- reading a version's bytes: ``current_version`` and ``read_bytes`` (checked against their SHA-256),
  against the raw SELECT of the bytes; and, beside it, reading the same bytes from a file, as the
  letters folder did;
- adding a version: ``add_version`` of an uploaded .docx (checked as uploads are, its text read,
  stored with its event log entries and committed), against the raw INSERTs, UPDATE and commit; and,
  beside it, writing the same file into a folder with fsync, as drafting did;
- the database's size on disk against the second store's and the file bytes kept.
With --backup, ``corr backup`` of the whole store and ``corr restore`` of it into a new database,
each in its own process, with its peak memory (no floor: figures only).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import random
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

LETTERS = 100_000
DRAFTS = 1_000
ROUNDS = 30
VOCABULARY = ("crime recording victims domestic abuse audit registrar compliance inspection force report response update "
              "action plan timeliness safeguarding training officers recommendation improvement oversight board").split()
CORR = str(Path(sys.executable).with_name("corr"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL server's URL: the store is a new database made on it (and dropped after)")
    parser.add_argument("--letters", type=int, default=LETTERS, help=f"how many letters (default {LETTERS:,})")
    parser.add_argument("--backup", action="store_true", help="also time corr backup and corr restore of the store")
    args = parser.parse_args()
    os.environ.setdefault("CORR_USER", "benchmark")
    with tempfile.TemporaryDirectory(prefix="corr-bench-files-") as scratch:
        work = Path(scratch)
        if args.db:
            (url, drop), (bare, drop_bare) = _new_pg_database(args.db), _new_pg_database(args.db)
        else:
            (url, drop), (bare, drop_bare) = (f"sqlite:///{work / 'files.db'}", None), (f"sqlite:///{work / 'bare.db'}", None)
        try:
            started = time.perf_counter()
            kept = _load(url, work, args.letters)
            setup = time.perf_counter() - started
            _load(bare, work, args.letters, with_files=False)
            rows = _measure(url, bare, work)
            size, bare_size = _size_on_disk(url), _size_on_disk(bare)
            backup = _backup_and_restore(url, work, args.db) if args.backup else []
        finally:
            for dropping in (drop, drop_bare):
                if dropping:
                    dropping()
    database = "PostgreSQL" if args.db else "SQLite"
    print(f"\n{database}, {args.letters:,} letters of {kept / args.letters / 1024:.1f} KB each "
          f"({_size(kept)} of file bytes); made in {setup:.0f} s\n")
    print("| operation | seconds | floor | floor seconds | ratio |")
    print("| --- | ---: | --- | ---: | ---: |")
    for name, seconds, floor_name, floor in rows:
        print(f"| {name} | {seconds * 1000:.2f} ms | {floor_name} | {floor * 1000:.2f} ms | {seconds / floor:.2f}x |")
    print("\n| size on disk | the same letters without their files | file bytes kept | size / (without files + file bytes) |")
    print("| ---: | ---: | ---: | ---: |")
    print(f"| {_size(size)} | {_size(bare_size)} | {_size(kept)} | {size / (bare_size + kept):.2f}x |")
    if backup:
        print("\n| command | seconds | peak memory |\n| --- | ---: | ---: |")
        for name, seconds, peak in backup:
            print(f"| {name} | {seconds:.1f} | {peak:.0f} MB |")
    return 0


def _size(count: float) -> str:
    return f"{count / 1e9:.2f} GB" if count >= 1e9 else f"{count / 1e6:.0f} MB"


# --- the store --------------------------------------------------------------------------------


def _distinct(base: bytes, number: int) -> bytes:
    """``base`` (a .docx: a zip) with a 16-byte zip comment of its own in place of any it had:
    still a whole Word file, and bytes no other file has (an upload)."""
    end = base.rfind(b"PK\x05\x06")  # the end-of-directory record: its last two bytes give the comment's length
    return base[:end + 20] + struct.pack("<H", 16) + hashlib.md5(str(number).encode()).digest()


def _letter_bytes(base: bytes, body: tuple[int, int], number: int) -> bytes:
    """A stored letter: ``base`` with its document part's compressed bytes (``body``: where they
    are and how many) replaced by bytes of its own, as letters drafted from one template share every
    other part and differ in their text (compressed, as random as these). Only read, never opened."""
    start, length = body
    return _distinct(base[:start] + random.Random(number).randbytes(length) + base[start + length:], number)


def _body_of(base: bytes) -> tuple[int, int]:
    """Where word/document.xml's compressed bytes lie in the .docx, and how many there are."""
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        info = archive.getinfo("word/document.xml")
    name_length, extra_length = struct.unpack("<HH", base[info.header_offset + 26:info.header_offset + 30])
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


def _load(url: str, work: Path, letters: int, *, with_files: bool = True) -> int:
    """The example, then ``letters`` letters with one stored version each (or, without files, the
    same letters recording their files' SHA-256 but none stored), in bulk; the bytes kept."""
    from sqlalchemy import func, insert, select, text

    from correspondence.examples.bundled import load_example
    from correspondence.files.letter_versions import current_version
    from correspondence.files.versions import DOCX, read_bytes
    from correspondence.organisation.reference_schemes import reference_key
    from correspondence.records.models import Event, FileContent, FileVersion, IssuedReference, Letter, Office
    from correspondence.records.store import jsonable, open_store
    from correspondence.records.transactions import in_one_transaction

    store = open_store(url)
    in_one_transaction(store, lambda session: load_example(session, work / "example letters"))
    with store.transaction() as session:
        office = session.scalar(select(Office))
        office.letters_dir = None  # no mirror folder: the store alone
        drafted = session.scalar(select(Letter).where(Letter.reference.isnot(None)))
        base = read_bytes(session, current_version(session, drafted))
        body = _body_of(base)
        office_id, force_id = office.id, office.force_id
        first = (session.scalar(select(func.max(Letter.id))) or 0) + 1
        first_content = (session.scalar(select(func.max(FileContent.id))) or 0) + 1
        first_version = (session.scalar(select(func.max(FileVersion.id))) or 0) + 1
    rng = random.Random(21)
    start, now = dt.date(2014, 1, 1), dt.datetime.now(dt.timezone.utc)
    kept = 0
    with store.engine.begin() as connection:
        for batch_start in range(0, letters, 1000):
            numbers = range(batch_start, min(batch_start + 1000, letters))
            rows, contents, versions = [], [], []
            for n in numbers:
                letter_id, content_id, version_id = first + n, first_content + n, first_version + n
                content = _letter_bytes(base, body, n)
                digest = hashlib.sha256(content).hexdigest()
                kept += len(content)
                draft = n >= letters - DRAFTS
                rows.append({
                    "id": letter_id, "office_id": office_id, "reference": f"BENCH/{n}", "direction": "out",
                    "letter_date": start + dt.timedelta(days=n % 4000), "sender": "Sophie Linden", "addressee_name": "Addressee",
                    "addressee_role": "Home Secretary", "addressee_address": "", "cc": "", "subject": f"Letter {n} about {rng.choice(VOCABULARY)}",
                    "kind": "other", "force_id": force_id, "inspection_id": None, "meeting_id": None,
                    "status": "draft" if draft else "sent", "file_path": None, "file_sha256": digest, "created_at": now,
                    "body_text": " ".join(rng.choices(VOCABULARY, k=90)), "sent_on": None if draft else start + dt.timedelta(days=n % 4000),
                    "supersedes_id": None,
                })
                contents.append({"id": content_id, "sha256": digest, "size": len(content), "content": content})
                versions.append({
                    "id": version_id, "office_id": office_id, "letter_id": letter_id, "inspection_id": None, "response_id": None,
                    "owner_key": f"letter:{letter_id}", "purpose": "letter", "number": 1, "content_id": content_id, "sha256": digest,
                    "size": len(content), "file_name": f"BENCH-{n}.docx", "media_type": DOCX, "added_by": "benchmark",
                    "added_at": now, "why": "drafted", "source_id": None, "mirror_path": None,
                })
            connection.execute(insert(Letter.__table__), rows)
            connection.execute(insert(IssuedReference.__table__), [
                {"office_id": office_id, "reference": row["reference"], "reference_key": reference_key(row["reference"]), "issued_at": now}
                for row in rows])
            connection.execute(insert(Event.__table__), [  # as the tool logs each letter it makes, so a backup restores
                {"occurred_at": now, "actor": "benchmark", "entity": "letters", "entity_id": row["id"], "change": "create",
                 "data": {key: jsonable(value) for key, value in row.items() if key != "body_text"}}
                for row in rows])
            if with_files:
                connection.execute(insert(FileContent.__table__), contents)
                connection.execute(insert(FileVersion.__table__), versions)
        if connection.dialect.name == "postgresql":
            for table in ("letters", "issued_references", "events", "file_contents", "file_versions"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
            connection.execute(text("ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
    store.dispose()
    return kept


# --- the measurements -----------------------------------------------------------------------------


def _interleaved(pairs: list[tuple[str, Callable[[int], object]]], rounds: int = ROUNDS) -> dict[str, float]:
    """Each function run once a round, in turn (given the round's number), after one warm-up each;
    the median of each, so a moment's load weighs on all alike."""
    for _, function in pairs:
        function(-1)
    times: dict[str, list[float]] = {name: [] for name, _ in pairs}
    for round_number in range(rounds):
        for name, function in pairs:
            started = time.perf_counter()
            function(round_number)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def _measure(url: str, bare_url: str, work: Path) -> list[tuple[str, float, str, float]]:
    from sqlalchemy import select, text

    from correspondence.files.letter_versions import add_version, current_version, letter_versions
    from correspondence.files.versions import read_bytes
    from correspondence.records.models import Letter
    from correspondence.records.store import Store
    from correspondence.register.letters import LetterFilter, list_letters

    store, bare = Store(url), Store(bare_url)
    raw = store.engine
    with store.reading() as session:
        ids = list(session.scalars(select(Letter.id).where(Letter.reference.like("BENCH/%")).order_by(Letter.id)))
        drafts = list(session.scalars(select(Letter.id).where(Letter.reference.like("BENCH/%"), Letter.status == "draft")))
        drafted = session.scalar(select(Letter).where(Letter.reference.isnot(None), Letter.reference.not_like("BENCH/%")))
        upload = read_bytes(session, current_version(session, drafted))  # the example's drafted letter: a whole .docx
        office_id = session.get(Letter, drafts[0]).office_id
    rng = random.Random(55)
    chosen = [rng.choice(ids) for _ in range(ROUNDS + 1)]
    pick = lambda round_number: chosen[round_number]  # noqa: E731 - the same letter for a tool and its floor

    def page(_: int) -> None:
        with store.reading() as session:
            assert len(list_letters(session, LetterFilter(limit=100))) == 100

    def page_without_files(_: int) -> None:
        with bare.reading() as session:
            assert len(list_letters(session, LetterFilter(limit=100))) == 100

    def page_floor(_: int) -> None:
        with raw.connect() as connection:
            letters = connection.execute(text("SELECT * FROM letters ORDER BY letter_date DESC, id DESC LIMIT 100")).all()
            offices = {row.office_id for row in letters}
            connection.execute(text(f"SELECT * FROM offices WHERE id IN ({', '.join(map(str, offices))})")).all()

    def versions(round_number: int) -> None:
        with store.reading() as session:
            assert len(letter_versions(session, session.get(Letter, pick(round_number)))) == 1

    def versions_floor(round_number: int) -> None:
        with raw.connect() as connection:
            connection.execute(text("SELECT * FROM letters WHERE id = :id"), {"id": pick(round_number)}).one()
            connection.execute(text("SELECT * FROM file_versions WHERE owner_key = :key AND purpose = 'letter' ORDER BY number"),
                               {"key": f"letter:{pick(round_number)}"}).all()

    def read(round_number: int) -> None:
        with store.reading() as session:
            assert len(read_bytes(session, current_version(session, session.get(Letter, pick(round_number))))) > 16_000

    def read_floor(round_number: int) -> None:
        with raw.connect() as connection:
            content = connection.execute(text(
                "SELECT c.content FROM file_versions v JOIN file_contents c ON c.id = v.content_id "
                "WHERE v.owner_key = :key AND v.purpose = 'letter' ORDER BY v.number DESC LIMIT 1"),
                {"key": f"letter:{pick(round_number)}"}).scalar_one()
            assert len(content) > 16_000

    on_disk = work / "on disk"
    on_disk.mkdir()
    for number in range(ROUNDS + 1):
        (on_disk / f"{number}.docx").write_bytes(_distinct(upload, 10_000_000 + number))

    def read_file(round_number: int) -> None:
        assert len((on_disk / f"{max(round_number, 0)}.docx").read_bytes()) > 16_000

    uploads = [_distinct(upload, 20_000_000 + number) for number in range(ROUNDS + 1)]
    floor_uploads = [_distinct(upload, 30_000_000 + number) for number in range(ROUNDS + 1)]
    written = work / "written"
    written.mkdir()

    def add(round_number: int) -> None:
        with store.transaction() as session:
            letter = session.get(Letter, drafts[round_number + 1])
            assert add_version(session, letter, uploads[round_number + 1], file_name="edited.docx", why="edits").number == 2

    def add_floor(round_number: int) -> None:
        content = floor_uploads[round_number + 1]
        letter_id = drafts[len(drafts) - 2 - round_number]
        digest = hashlib.sha256(content).hexdigest()
        now = dt.datetime.now(dt.timezone.utc)
        with raw.begin() as connection:
            content_id = connection.execute(text("INSERT INTO file_contents (sha256, size, content) VALUES (:sha, :size, :content) RETURNING id"),
                                            {"sha": digest, "size": len(content), "content": content}).scalar_one()
            connection.execute(text(
                "INSERT INTO file_versions (office_id, letter_id, owner_key, purpose, number, content_id, sha256, size, file_name, "
                "media_type, added_by, added_at, why) VALUES (:office, :letter, :key, 'letter', 2, :content, :sha, :size, 'edited.docx', "
                "'application/octet-stream', 'benchmark', :now, 'edits')"),
                {"office": office_id, "letter": letter_id, "key": f"letter:{letter_id}", "content": content_id, "sha": digest, "size": len(content), "now": now})
            connection.execute(text("UPDATE letters SET file_sha256 = :sha WHERE id = :id"), {"sha": digest, "id": letter_id})

    def write_file(round_number: int) -> None:
        with (written / f"{uuid.uuid4().hex}.docx").open("xb") as out:
            out.write(uploads[round_number + 1])
            out.flush()
            os.fsync(out.fileno())

    reading = _interleaved([("page", page), ("page floor", page_floor), ("page without files", page_without_files), ("versions", versions), ("versions floor", versions_floor),
                            ("read", read), ("read floor", read_floor), ("read file", read_file)])
    adding = _interleaved([("add", add), ("add floor", add_floor), ("write file", write_file)])
    store.dispose()
    bare.dispose()
    return [
        ("the register page: `list_letters`, limit 100", reading["page"], "its raw SQL", reading["page floor"]),
        ("the register page", reading["page"], "the same page, the same letters, no files stored", reading["page without files"]),
        ("a letter's versions: the letter and `letter_versions`", reading["versions"], "their raw SELECTs", reading["versions floor"]),
        ("reading a version's bytes (`read_bytes`, SHA-256 checked)", reading["read"], "the raw SELECT of the bytes", reading["read floor"]),
        ("reading a version's bytes", reading["read"], "reading the file from a folder", reading["read file"]),
        ("adding a version: `add_version` of a 16.6 KB .docx, committed", adding["add"], "raw INSERTs, UPDATE and commit",
         adding["add floor"]),
        ("adding a version", adding["add"], "writing the file to a folder with fsync", adding["write file"]),
    ]


def _size_on_disk(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("CHECKPOINT"))
                return connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    path = Path(url.removeprefix("sqlite:///"))
    return sum(candidate.stat().st_size for candidate in (path, path.with_name(path.name + "-wal")) if candidate.exists())


def _backup_and_restore(url: str, work: Path, server: str | None) -> list[tuple[str, float, float]]:
    backup = work / "backup.zip"
    rows = [("`corr backup`", *_run([CORR, "backup", str(backup), "--db", url]))]
    if server:
        target, drop = _new_pg_database(server)
    else:
        target, drop = f"sqlite:///{work / 'restored.db'}", None
    try:
        rows.append(("`corr restore` of it", *_run([CORR, "restore", str(backup), "--db", target])))
    finally:
        if drop:
            drop()
    rows.append((f"(the backup: {_size(backup.stat().st_size)})", 0.0, 0.0))
    return rows


def _run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, peak memory in MB) of one process, taken by GNU time; it must succeed."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        started = time.perf_counter()
        result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env={**os.environ, "CORR_BACKGROUND_NICENESS": "0"})
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()}")
        return seconds, int(rss.read().split()[-1]) / 1024


def _new_pg_database(server: str) -> tuple[str, Callable[[], None]]:
    """A new database on the server ``server`` names, and how to drop it."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from correspondence.records.store import resolve_url

    base = resolve_url(server)
    name = f"corr_bench_files_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(base).set(database=name).render_as_string(hide_password=False), drop


if __name__ == "__main__":
    sys.exit(main())
