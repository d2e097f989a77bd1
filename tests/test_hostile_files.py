"""Hostile and unlucky files (issue 8, items 4, 7 and 8), on SQLite and PostgreSQL.

Each attempt is a row of a table, so the count of attempts that hold can only go up:
- restore trusts nothing: an export or backup that was cut short, damaged or edited is refused
  with one line naming what is wrong, and nothing is written, database or letters folder;
- a letter file that no record owns (a draft killed before it was stored, another office's file
  in a shared folder) never blocks the next draft, and is never touched;
- backups and exports appear at their name only when whole: a killed one leaves nothing there, a
  full disk gives one clean line, and the retry works.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from correspondence.cli import app
from correspondence.register.backup import checksum
from tests.conftest import Cli, _pg_base_url, assert_clean_error, snapshot, table_names

SENT = "MOPAC06092018-D2188"


@pytest.fixture
def target(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind, to restore into."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'target.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_base_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{_pg_base_url()}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    example_cli.ok("letter", "sent", SENT, "--date", "7/9/2018")
    return example_cli


_MADE: dict[str, Path] = {}


@pytest.fixture
def made(db_url: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding export.json and office.zip of the example office with a sent letter, made
    once per kind of database (the attacks below only read them)."""
    kind = db_url.split(":")[0]
    if kind not in _MADE:
        folder = tmp_path_factory.mktemp("made")
        monkeypatch.chdir(folder)
        cli = Cli(db_url)
        for args in (["init"], ["example"], ["letter", "sent", SENT, "--date", "7/9/2018"],
                     ["export", "--out", str(folder / "export.json")], ["backup", str(folder / "office.zip")]):
            cli.ok(*args)
        _MADE[kind] = folder
    return _MADE[kind]


# --- item 4: restore validates an export (or backup) before writing anything ---------------------


def _export(made: Path) -> dict[str, Any]:
    return json.loads((made / "export.json").read_text(encoding="utf-8"))


def _resealed(data: dict[str, Any]) -> dict[str, Any]:
    """An attacker who also fixes the counts and the checksum."""
    data["counts"] = {name: len(rows) for name, rows in data["tables"].items()}
    data["checksum"] = checksum(data["tables"])
    return data


def _drop_letters(data):
    del data["tables"]["letters"]
    return data


def _empty_ledger(data):
    data["tables"]["issued_references"] = []
    return _resealed(data)


def _edit_sent_letter(data):
    next(row for row in data["tables"]["letters"] if row["reference"] == SENT)["subject"] = "Something else entirely"
    return _resealed(data)


def _edit_sent_letters_hash(data):
    next(row for row in data["tables"]["letters"] if row["reference"] == SENT)["file_sha256"] = "0" * 64
    return _resealed(data)


def _drop_a_row(data):
    data["tables"]["events"].pop()
    return data


def _edit_without_resealing(data):
    data["tables"]["offices"][0]["signatory_name"] = "Someone Else"
    return data


def _old_format(data):
    data["version"] = 1
    return data


def _unknown_column(data):
    data["tables"]["forces"][0]["secret"] = "x"
    return _resealed(data)


EXPORT_ATTACKS: list[tuple[str, Callable[[dict], dict], str]] = [
    ("letters table removed", _drop_letters, "the letters table is missing from the export"),
    ("ledger emptied, counts and checksum fixed", _empty_ledger, f"letter {SENT} is missing from its office's ledger"),
    ("sent letter edited, checksum fixed", _edit_sent_letter, f"sent letter {SENT}'s subject is 'Something else entirely' but the event log says"),
    ("sent letter's hash edited, checksum fixed", _edit_sent_letters_hash, f"sent letter {SENT}'s file_sha256"),
    ("a row removed", _drop_a_row, "events has"),
    ("a value edited", _edit_without_resealing, "do not match the checksum the export wrote"),
    ("an export without counts or checksum", _old_format, "export format version 1 is not one this tool reads"),
    ("an unknown column", _unknown_column, "does not have this table's columns"),
]


@pytest.mark.parametrize(("attack", "change", "message"), EXPORT_ATTACKS, ids=[a[0] for a in EXPORT_ATTACKS])
def test_restore_refuses_a_tampered_export_and_writes_nothing(made, target, tmp_path, attack, change, message):
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(change(_export(made))), encoding="utf-8")
    result = Cli(target).runner.invoke(app, ["restore", str(tampered), "--db", target, "--letters", str(tmp_path / "restored")])
    assert_clean_error(result, message, "nothing")
    assert table_names(target) == set()
    assert not (tmp_path / "restored").exists()


def test_a_cut_short_export_is_refused(made, target, tmp_path):
    whole = made / "export.json"
    cut = tmp_path / "cut.json"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    assert_clean_error(Cli(target).runner.invoke(app, ["restore", str(cut), "--db", target]), "not a correspondence export")
    assert table_names(target) == set()


def _rewrite(backup: Path, out: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Copy a backup zip, passing each member through ``change`` (None leaves it out)."""
    with zipfile.ZipFile(backup) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)


def _truncated(backup: Path, out: Path) -> None:
    data = backup.read_bytes()
    out.write_bytes(data[: len(data) * 2 // 3])


def _flipped_byte(backup: Path, out: Path) -> None:
    """One byte of the stored records changed on disk (bad sector, bad copy): the zip's CRC fails."""
    data = bytearray(backup.read_bytes())
    with zipfile.ZipFile(backup) as archive:
        info = archive.getinfo("records.json")
    data[info.header_offset + 30 + len(info.filename) + 200] ^= 0xFF
    out.write_bytes(bytes(data))


def _stored_letter_swapped(backup: Path, out: Path) -> None:
    """A letter's stored bytes replaced inside the records, and the records' checksums left as they were."""
    def change(name: str, content: bytes) -> bytes:
        if name != "records.json":
            return content
        swapped = base64.b64encode(b"a different letter").decode()
        return re.sub(rb'("content":")[A-Za-z0-9+/=]{200,}(")', lambda m: m.group(1) + swapped.encode() + m.group(2), content, count=1)

    _rewrite(backup, out, change)


def _records_edited(backup: Path, out: Path) -> None:
    _rewrite(backup, out, lambda name, content: content.replace(b"Sophie Linden", b"Someone Else") if name == "records.json" else content)


def _no_manifest(backup: Path, out: Path) -> None:
    _rewrite(backup, out, lambda name, content: None if name == "manifest.json" else content)


BACKUP_ATTACKS: list[tuple[str, Callable[[Path, Path], None], str]] = [
    ("cut short", _truncated, "damaged or cut short"),
    ("a byte flipped in the records", _flipped_byte, "records.json is damaged"),
    ("a stored letter swapped", _stored_letter_swapped, "records.json does not match the SHA-256 in the manifest"),
    ("records edited", _records_edited, "records.json does not match the SHA-256 in the manifest"),
    ("no manifest", _no_manifest, "has no manifest.json"),
]


@pytest.mark.parametrize(("attack", "damage", "message"), BACKUP_ATTACKS, ids=[a[0] for a in BACKUP_ATTACKS])
def test_restore_refuses_a_damaged_backup_and_writes_nothing(made, target, tmp_path, attack, damage, message):
    backup = made / "office.zip"
    damaged = tmp_path / "damaged.zip"
    damage(backup, damaged)
    folder = tmp_path / "restored"
    result = Cli(target).runner.invoke(app, ["restore", str(damaged), "--db", target, "--letters", str(folder)])
    assert_clean_error(result, message, "nothing")
    assert table_names(target) == set()
    assert not folder.exists() and not (tmp_path / "escaped.docx").exists()


# --- item 7: a letter file that no record owns never blocks drafting -----------------------------


def _corr_in_subprocess(cli: Cli, cwd: Path, prelude: str, *args: str) -> subprocess.CompletedProcess:
    """Run corr in its own process (so it can be killed or limited) with ``prelude`` run first."""
    code = (f"{prelude}\nimport sys\nsys.argv = ['corr', *{list(args)!r}, '--db', {cli.db_url!r}]\n"
            "from correspondence.cli import main\nmain()\n")
    environment = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300)


KILL_AFTER_THE_FILE_IS_PLACED = """
import os, signal
from correspondence.drafting import drafts as drafting
real = drafting.keep_letter_file
def killed(*args, **kwargs):
    real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)  # the copy is in the office's folder; the transaction never commits
drafting.keep_letter_file = killed
"""


def test_a_draft_killed_before_it_was_stored_does_not_block_the_next(office, tmp_path):
    killed = _corr_in_subprocess(office, tmp_path, KILL_AFTER_THE_FILE_IS_PLACED,
                                 "draft", "annex", "1", "--office", "MOPAC", "--date", "1/9/2018")
    assert killed.returncode == -signal.SIGKILL
    orphan = tmp_path / "letters" / "MOPAC01092018-D2189.docx"
    assert orphan.is_file()  # placed, but no record owns it
    before = orphan.read_bytes()
    drafted = office.json("draft", "annex", "1", "--office", "MOPAC", "--date", "1/9/2018")
    assert drafted["reference"] == "MOPAC01092018-D2189"  # the killed draft spent nothing
    assert Path(drafted["file"]).name == "MOPAC01092018-D2189-2.docx"
    assert orphan.read_bytes() == before  # never touched
    assert "already exists and is not this letter's file" in drafted["notes"][0]


def test_two_offices_with_one_scheme_draft_apart_and_never_share_a_folder(office, tmp_path):
    cli = office
    cli.ok("office", "add", "--name", "EAST OPCC", "--short", "EAST", "--reference-scheme", "L{seq}", "--letters", str(tmp_path / "east"))
    refused = cli("office", "add", "--name", "WEST OPCC", "--short", "WEST", "--reference-scheme", "L{seq}",
                  "--letters", str(tmp_path / "east" / "west"))
    assert_clean_error(refused, f"{tmp_path / 'east' / 'west'} is inside EAST's folder {tmp_path / 'east'}", "WEST needs a folder of its own")
    cli.ok("office", "add", "--name", "WEST OPCC", "--short", "WEST", "--reference-scheme", "L{seq}")
    east = cli.json("draft", "annex", "1", "--office", "EAST", "--date", "1/9/2018", "--other-force")
    west = cli.json("draft", "annex", "1", "--office", "WEST", "--date", "1/9/2018", "--other-force")
    assert (east["reference"], west["reference"]) == ("L1", "L1")
    assert Path(east["file"]) == tmp_path / "east" / "L1.docx"  # EAST's own folder; WEST's copy to open in Word elsewhere
    assert cli.json("letter", "show", "L1", "--office", "WEST")["file"].endswith("current version as recorded")
    for short in ("EAST", "WEST"):
        assert "checked 1 letter file(s): 1 as recorded" in cli.ok("check", "--office", short).stdout


# --- item 8: backups and exports appear only when whole ------------------------------------------

KILL_DURING_THE_BACKUP = """
import os, signal
from correspondence.register import backup
def killed(archive, *args):
    archive.fp.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # records.json is written; the manifest is not
backup._write_manifest = killed
"""

FULL_DISK = """
import contextlib, resource, signal
from correspondence.files import outputs
real = outputs.atomic_file
@contextlib.contextmanager
def disk_fills_up(*args, **kwargs):
    # from here on, the kernel refuses to write past 8 kB in any file, as on a full disk
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (8000, 8000))
    with real(*args, **kwargs) as temporary:
        yield temporary
outputs.atomic_file = disk_fills_up
"""


def test_a_killed_backup_leaves_nothing_at_its_name_and_the_retry_works(office, tmp_path):
    backup = tmp_path / "office.zip"
    killed = _corr_in_subprocess(office, tmp_path, KILL_DURING_THE_BACKUP, "backup", str(backup))
    assert killed.returncode == -signal.SIGKILL
    assert not backup.exists()  # it used to leave a partial file that later opened as an empty database
    office.ok("backup", str(backup))
    with zipfile.ZipFile(backup) as archive:
        assert archive.testzip() is None and sorted(archive.namelist()) == ["manifest.json", "records.json"]


@pytest.mark.parametrize(("what", "args"), [
    ("backup", ["backup", "out.zip"]),
    ("export", ["export", "--out", "out.json"]),
    ("register export", ["letter", "export", "--csv", "out.csv"]),
    ("annex CSV", ["draft", "annex", "1", "--office", "MOPAC", "--csv", "out.csv"]),
], ids=lambda value: value if isinstance(value, str) else None)
def test_a_full_disk_gives_one_clean_line_leaves_nothing_and_blocks_no_retry(office, tmp_path, monkeypatch, what, args):
    work = tmp_path / "work"
    work.mkdir()
    if what == "register export":  # enough letters that the register is bigger than the space left
        for number in range(40):
            office.ok("letter", "log", "--office", "MOPAC", "--ref", f"R-{number}", "--date", "1/1/2020",
                      "--subject", "A subject long enough to fill the disk quickly " * 3)
    if what == "annex CSV":
        office.ok("update", "add", "1:A1", "--status", "complete", "--date", "1/9/2018", "--text", "Long update. " * 800)
    before = snapshot(office.db_url)
    full = _corr_in_subprocess(office, work, FULL_DISK, *args)
    assert full.returncode == 1, full.stdout + full.stderr
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {args[-1]}: cannot write ("), full.stderr
    assert os.listdir(work) == []  # no partial file at the name, and no temporary one
    assert snapshot(office.db_url) == before
    monkeypatch.chdir(work)
    office.ok(*args)  # the retry, with room to write, is not blocked
    assert (work / args[-1]).stat().st_size > 8000
