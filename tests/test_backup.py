"""Nothing lost: one-file backups of every record and every stored file version, restored on
another machine with no letters folder, refused when damaged or edited, and `corr check`."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from correspondence.cli import app
from correspondence.files.letter_versions import add_version, current_version
from correspondence.files.versions import store_file
from correspondence.records.models import Office, S55Response
from correspondence.records.store import Store
from correspondence.records.vocabulary import FilePurpose
from correspondence.register.backup import ADDED_IN, checksum, export_data
from correspondence.register.letters import get_letter
from tests.conftest import (
    SEEDS,
    Cli,
    _pg_base_url,
    assert_clean_error,
    empty_postgresql_database,
    requires_seeds,
    table_names,
)
from tests.docx_files import docx_bytes

MOPAC_LETTER = "MOPAC06092018-D2188"
REPLY = "Our ref: MPS/1\n4 May 2022\nDear Deputy Mayor\nThank you.\nYours sincerely\nMark Rowley\n"


def stored_versions(db_url: str) -> list[tuple]:
    """Every file version with its bytes, oldest first: what a restore must give back exactly."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT v.id, v.owner_key, v.purpose, v.number, v.sha256, v.size, v.file_name, v.media_type, v.added_by, "
                "v.why, v.source_id, c.content FROM file_versions v JOIN file_contents c ON c.id = v.content_id ORDER BY v.id"
            )).all()
    finally:
        engine.dispose()
    return [(*row[:-1], bytes(row[-1])) for row in rows]


@pytest.fixture
def office_with_files(example_cli: Cli, tmp_path: Path) -> Cli:
    """The example with its s.55 response sent; a follow-up drafted, then a new version of it
    uploaded; a letter received with its file; and the response's published page and PDF, the
    office's index and a preview of the follow-up's new version."""
    cli = example_cli
    cli.ok("letter", "sent", MOPAC_LETTER, "--date", "7/9/2018")
    followup = cli.json("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022")["reference"]
    received = tmp_path / "reply.txt"
    received.write_text(REPLY, encoding="utf-8")
    cli.ok("letter", "import", str(received), "--office", "MOPAC", "--direction", "in")
    store = Store(cli.db_url)
    with store.transaction() as session:
        letter = get_letter(session, followup)
        edited = add_version(session, letter, docx_bytes("The Chief Executive's edits."), file_name="follow-up edited.docx",
                             why="the Chief Executive's edits")
        response = session.scalar(select(S55Response))
        store_file(session, b"<!doctype html><title>Response</title><p>Our response.</p>", file_name="response.html",
                   purpose=FilePurpose.PUBLICATION, response=response, why="published")
        store_file(session, b"%PDF-1.7 the response\n%%EOF\n", file_name="response.pdf", purpose=FilePurpose.PUBLICATION,
                   response=response, why="published")
        store_file(session, b"<!doctype html><title>Index</title>", file_name="index.html", purpose=FilePurpose.INDEX,
                   office=session.scalar(select(Office)), why="published")
        store_file(session, b"%PDF-1.7 a preview\n%%EOF\n", file_name="preview.pdf", purpose=FilePurpose.PREVIEW,
                   letter=letter, source=edited, why="preview")
    store.dispose()
    cli.followup = followup
    return cli


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database elsewhere: an SQLite file not made yet, or a PostgreSQL database just created."""
    if request.param == "sqlite":
        (tmp_path / "elsewhere").mkdir(exist_ok=True)
        yield f"sqlite:///{tmp_path / 'elsewhere' / 'restored.db'}"
        return
    if not _pg_base_url():
        pytest.skip("CORR_TEST_DATABASE_URL is not set, so the PostgreSQL run is skipped")
    with empty_postgresql_database("corr_restore") as url:
        yield url


def restore_into(target: str, *args: str):  # noqa: ANN201 - click's Result
    return Cli(target).runner.invoke(app, ["restore", *args, "--db", target])


def test_a_backup_gives_every_version_back_byte_for_byte_elsewhere_with_no_letters_folder(office_with_files, fresh, tmp_path):
    cli = office_with_files
    before = stored_versions(cli.db_url)
    assert {row[2] for row in before} == {"letter", "publication", "index", "preview"} and len(before) == 8
    backup = tmp_path / "office.zip"
    made = cli.ok("backup", str(backup))
    assert "and 8 file version(s)" in made.stdout and made.stderr == ""
    with zipfile.ZipFile(backup) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "records.json"]  # every file is inside the records

    # another machine: another working folder, another database, and no letters folder at all
    shutil.rmtree(tmp_path / "letters")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    os.chdir(elsewhere)
    restored = restore_into(fresh, str(backup))
    assert restored.exit_code == 0, restored.output
    assert "and 8 file version(s)" in restored.stdout
    # the office's mirror folder was on the other machine: said, and nothing else is missing
    assert restored.stderr.splitlines() == [f"warning: MOPAC's mirror folder {tmp_path / 'letters'} is not here: each new file "
                                            "version is copied there, so create it, or change or clear the office's mirror folder"]

    after = stored_versions(fresh)
    assert after == before
    assert all(hashlib.sha256(row[-1]).hexdigest() == row[4] and len(row[-1]) == row[5] for row in after)
    source, copy = Store(cli.db_url), Store(fresh)
    assert export_data(copy)["tables"] == export_data(source)["tables"]  # every record too, times and all
    source.dispose()

    there = Cli(fresh)
    assert "checked 3 letter file(s): 3 as recorded, 0 missing" in there.ok("check").stdout
    shown = there.json("letter", "show", cli.followup)
    assert [(v["number"], v["why"]) for v in shown["versions"]][-1] == (2, "the Chief Executive's edits")
    assert_clean_error(there("letter", "log", "--office", "MOPAC", "--ref", MOPAC_LETTER, "--date", "1/1/2019"), "already been used")
    with copy.transaction() as session:  # and work carries on there: the next version is number 3
        letter = get_letter(session, cli.followup)
        add_version(session, letter, docx_bytes("After the restore."), file_name="again.docx", why="more edits")
    with copy.reading() as session:
        assert current_version(session, get_letter(session, cli.followup)).number == 3
    copy.dispose()


_MADE: dict[str, Path] = {}


@pytest.fixture
def made(office_with_files: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """office_with_files's backup, made once per kind of database (the attacks below only read it)."""
    kind = office_with_files.db_url.split(":")[0]
    if kind not in _MADE:
        path = tmp_path_factory.mktemp("made") / "office.zip"
        office_with_files.ok("backup", str(path))
        _MADE[kind] = path
    return _MADE[kind]


def _rewrite(backup: Path, out: Path, change: Callable[[dict], None] | None = None, *, raw: Callable[[bytes], bytes] | None = None,
             reseal: bool = True) -> None:
    """A copy of the backup with its records changed: parsed and rewritten by ``change`` (the
    checksum and the manifest fixed when ``reseal``, as a careful forger would), or its raw bytes by ``raw``."""
    with zipfile.ZipFile(backup) as source:
        records, manifest = source.read("records.json"), json.loads(source.read("manifest.json"))
    if raw is not None:
        records = raw(records)
    else:
        data = json.loads(records)
        change(data)
        if reseal:
            data["checksum"] = checksum(data["tables"])
        records = json.dumps(data).encode()
        manifest["records"]["sha256"] = hashlib.sha256(records).hexdigest()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("records.json", records)
        target.writestr("manifest.json", json.dumps(manifest))


def _sent_letters_bytes(data: dict) -> tuple[dict, dict]:
    letter = next(row for row in data["tables"]["letters"] if row["reference"] == MOPAC_LETTER)
    version = next(row for row in data["tables"]["file_versions"] if row["letter_id"] == letter["id"])
    content = next(row for row in data["tables"]["file_contents"] if row["id"] == version["content_id"])
    return version, content


def _bytes_changed(data: dict) -> None:
    _, content = _sent_letters_bytes(data)
    changed = bytearray(base64.b64decode(content["content"]))
    changed[100] ^= 0xFF
    content["content"] = base64.b64encode(bytes(changed)).decode()


def _letter_swapped_and_every_hash_fixed(data: dict) -> None:
    version, content = _sent_letters_bytes(data)
    other = docx_bytes("A different letter altogether.")
    content["content"] = base64.b64encode(other).decode()
    content["sha256"] = version["sha256"] = hashlib.sha256(other).hexdigest()
    content["size"] = version["size"] = len(other)


def _damage(backup: Path, out: Path, attack: str) -> None:
    if attack == "a byte of the records changed":
        _rewrite(backup, out, raw=lambda records: records.replace(b"Sophie Linden", b"Sophie Lindem", 1))
        return
    if attack == "a byte flipped on disk":
        data = bytearray(backup.read_bytes())
        with zipfile.ZipFile(backup) as archive:
            info = archive.getinfo("records.json")
        data[info.header_offset + 30 + len(info.filename) + 400] ^= 0xFF
        out.write_bytes(bytes(data))
        return
    change = {"a letter's bytes changed, manifest fixed": _bytes_changed,
              "a letter's bytes changed, checksum and manifest fixed": _bytes_changed,
              "a sent letter swapped, every SHA-256 fixed": _letter_swapped_and_every_hash_fixed}[attack]
    _rewrite(backup, out, change, reseal=attack != "a letter's bytes changed, manifest fixed")


ATTACKS = [
    ("a byte of the records changed", "records.json does not match the SHA-256 in the manifest"),
    ("a byte flipped on disk", "records.json is damaged"),
    ("a letter's bytes changed, manifest fixed", "the records do not match the checksum the export wrote"),
    ("a letter's bytes changed, checksum and manifest fixed", "do not match their SHA-256; it was damaged or edited"),
    ("a sent letter swapped, every SHA-256 fixed", f"is not the file that was sent as {MOPAC_LETTER}"),
]


@pytest.mark.parametrize(("attack", "message"), ATTACKS, ids=[attack for attack, _ in ATTACKS])
def test_a_tampered_backup_is_refused_in_one_line_and_nothing_is_restored(made, tmp_path, attack, message):
    damaged = tmp_path / "damaged.zip"
    _damage(made, damaged, attack)
    target = f"sqlite:///{tmp_path / 'target.db'}"
    assert_clean_error(restore_into(target, str(damaged)), message, "nothing")
    assert table_names(target) == set()


def _unsafe_update(db_url: str, statement: str, **values: object) -> None:
    """Change stored bytes behind the tool's back, as a failing disk or a hand-edit would: the
    trigger that refuses it is set aside for this one statement."""
    engine = create_engine(db_url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("ALTER TABLE file_contents DISABLE TRIGGER file_contents_unchangeable"))
            connection.execute(text(statement), values)
            connection.execute(text("ALTER TABLE file_contents ENABLE TRIGGER file_contents_unchangeable"))
        else:
            body = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'file_contents_no_update'")).scalar_one()
            connection.execute(text("DROP TRIGGER file_contents_no_update"))
            connection.execute(text(statement), values)
            connection.execute(text(body))
    engine.dispose()


def _damage_the_sent_letters_bytes(db_url: str) -> None:
    _unsafe_update(db_url, "UPDATE file_contents SET content = :damaged WHERE id = (SELECT content_id FROM file_versions v "
                           "JOIN letters l ON l.id = v.letter_id WHERE l.reference = :reference)",
                   damaged=b"damaged on disk", reference=MOPAC_LETTER)


def test_a_store_with_damaged_bytes_still_backs_up_says_which_and_restores(office_with_files, tmp_path):
    cli = office_with_files
    _damage_the_sent_letters_bytes(cli.db_url)
    result = cli.ok("backup", str(tmp_path / "office.zip"))
    assert f"warning: {MOPAC_LETTER}: DAMAGED: the stored bytes do not match their SHA-256 (see 'corr check')" in result.stderr
    target = f"sqlite:///{tmp_path / 'target.db'}"
    restored = restore_into(target, str(tmp_path / "office.zip"))
    assert restored.exit_code == 0, restored.output
    assert "was already damaged (its bytes do not match their SHA-256) when it was backed up; restored as found" in restored.stderr
    assert_clean_error(Cli(target)("check"), "1 letter file(s) missing, changed or damaged", f"first {MOPAC_LETTER}: DAMAGED")
    assert stored_versions(target) == stored_versions(cli.db_url)  # kept exactly as found, the rest whole
    exported = cli.ok("export", "--out", str(tmp_path / "office.json"))
    assert "warning: 1 stored file(s) whose bytes do not match their SHA-256, exported as found" in exported.stderr


def test_check_lists_changed_and_damaged_letters_and_passes_the_rest(office_with_files):
    cli = office_with_files
    assert "checked 3 letter file(s): 3 as recorded, 0 missing, changed or damaged" in cli.ok("check").stdout
    checked = {item["reference"]: item for item in cli.json("check")}
    assert checked[cli.followup]["version"] == 2 and checked[cli.followup]["problem"] is False

    _damage_the_sent_letters_bytes(cli.db_url)
    engine = create_engine(cli.db_url)
    with engine.begin() as connection:  # a draft's record no longer naming its current version
        connection.execute(text("UPDATE letters SET file_sha256 = :other WHERE reference = :reference"),
                           {"other": "0" * 64, "reference": cli.followup})
    engine.dispose()
    result = cli("check")
    assert_clean_error(result, "2 letter file(s) missing, changed or damaged")
    assert "DAMAGED: the stored bytes do not match their SHA-256" in result.stdout
    assert "CHANGED since it was recorded" in result.stdout and "version 2 (follow-up edited.docx)" in result.stdout
    assert "MPS/1" not in result.stdout.split("checked")[0]  # the received letter is as recorded
    checked = {item["reference"]: item for item in json.loads(cli("check", "--json").stdout)}
    assert checked[MOPAC_LETTER]["state"].startswith("DAMAGED") and checked["MPS/1"]["problem"] is False


def test_a_backup_taken_while_others_work_is_consistent(example_cli, tmp_path):
    if not example_cli.db_url.startswith("sqlite"):
        pytest.skip("the reader below holds an SQLite read transaction; PostgreSQL reads in a snapshot anyway")
    engine = create_engine(example_cli.db_url)
    with engine.connect() as reader:  # someone else is reading mid-transaction
        reader.execute(text("BEGIN"))
        reader.execute(text("SELECT count(*) FROM letters"))
        example_cli.ok("backup", str(tmp_path / "copy.zip"))
        reader.execute(text("ROLLBACK"))
    engine.dispose()
    with zipfile.ZipFile(tmp_path / "copy.zip") as archive:
        records = json.loads(archive.read("records.json"))
    assert [row["reference"] for row in records["tables"]["letters"]] == [None, MOPAC_LETTER]
    assert_clean_error(example_cli("backup", str(tmp_path / "copy.zip")), "already exists", "never overwrites")


def test_restore_refuses_an_sqlite_file_with_what_to_do(example_cli, tmp_path):
    if not example_cli.db_url.startswith("sqlite"):
        pytest.skip("an SQLite file is what is being restored")
    database = Path(example_cli.db_url.removeprefix("sqlite:///"))
    target = f"sqlite:///{tmp_path / 'new.db'}"
    assert_clean_error(restore_into(target, str(database)), "is an SQLite database file", f"--db {database}")
    assert not (tmp_path / "new.db").exists()


def test_restore_points_the_offices_mirror_folder_here_or_says_it_is_not_here(example_cli, tmp_path):
    cli = example_cli
    gone = tmp_path / "a shared drive this machine does not have"
    engine = create_engine(cli.db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE offices SET letters_dir = :folder"), {"folder": str(gone)})
    engine.dispose()
    backup = tmp_path / "office.zip"
    cli.ok("backup", str(backup))
    kept = restore_into(f"sqlite:///{tmp_path / 'kept.db'}", str(backup))
    assert kept.exit_code == 0, kept.output
    assert f"warning: MOPAC's mirror folder {gone} is not here: each new file version is copied there" in kept.stderr
    here = tmp_path / "shared drive"
    moved = restore_into(f"sqlite:///{tmp_path / 'moved.db'}", str(backup), "--letters", str(here))
    assert moved.exit_code == 0, moved.output
    assert f"MOPAC's mirror folder: {here}" in moved.stdout and moved.stderr == ""
    assert Cli(f"sqlite:///{tmp_path / 'moved.db'}").json("office", "show", "MOPAC")["mirror_folder"] == str(here)


@requires_seeds
def test_an_export_restored_and_exported_again_is_the_same_document_files_included(example_cli, tmp_path):
    cli = example_cli
    cli.ok("letter", "sent", MOPAC_LETTER, "--date", "7/9/2018")
    cli.ok("letter", "import", str(SEEDS / "letter-west-mercia-pcc-to-home-secretary-2020-01-06.txt"), "--office", "MOPAC")
    first = tmp_path / "first.json"
    cli.ok("export", "--out", str(first))
    data = json.loads(first.read_text())
    assert data["counts"]["letters"] == 3 and len(data["checksum"]) == 64 and data["counts"]["file_versions"] == 2
    assert all(hashlib.sha256(base64.b64decode(row["content"])).hexdigest() == row["sha256"] for row in data["tables"]["file_contents"])
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    assert restore_into(target, str(first)).exit_code == 0
    second = tmp_path / "second.json"
    Cli(target).ok("export", "--out", str(second))
    assert json.loads(first.read_text()) == json.loads(second.read_text())


_RUN_AND_SAY_NICENESS = """
import os, sys
from correspondence.cli import main
sys.argv = ["corr", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    if stop.code:
        raise
print("niceness", os.nice(0), file=sys.stderr)
"""


def _niceness_after(arguments: list[str], cwd: Path, **environment: str) -> int:
    import subprocess
    import sys

    env = {**os.environ, **environment}
    result = subprocess.run([sys.executable, "-c", _RUN_AND_SAY_NICENESS, *arguments], cwd=cwd, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return int(result.stderr.rsplit("niceness", 1)[1])


def test_bulk_commands_give_way_to_a_colleagues_command(tmp_path):
    """A backup, an export and a check (which read everything) lower their own CPU priority, so on
    a shared machine a colleague's `corr due` or the web workspace does not wait for them; other
    commands keep theirs, and CORR_BACKGROUND_NICENESS sets the level (0: none)."""
    started_at = os.nice(0)
    if started_at >= 10:
        pytest.skip(f"this test run already has niceness {started_at}: nothing lower to see")
    url = f"sqlite:///{tmp_path / 'office.db'}"
    default = {"CORR_BACKGROUND_NICENESS": ""}
    assert _niceness_after(["init", "--db", url], tmp_path, **default) == started_at
    assert _niceness_after(["due", "--db", url], tmp_path, **default) == started_at
    for bulk in (["export", "--out", "all.json"], ["backup", "office.zip"], ["check"], ["letter", "export", "--csv", "register.csv"]):
        assert _niceness_after([*bulk, "--db", url], tmp_path, **default) == 10, bulk
    assert _niceness_after(["export", "--out", "again.json", "--db", url], tmp_path, CORR_BACKGROUND_NICENESS="0") == started_at
    assert _niceness_after(["check", "--db", url], tmp_path, CORR_BACKGROUND_NICENESS="15") == 15
    assert (tmp_path / "all.json").stat().st_size > 0 and (tmp_path / "office.zip").is_file() and (tmp_path / "register.csv").is_file()


def test_a_wrong_background_niceness_is_refused_with_the_variable_named(tmp_path, monkeypatch):
    cli = Cli(f"sqlite:///{tmp_path / 'office.db'}")
    cli.ok("init")
    monkeypatch.setenv("CORR_BACKGROUND_NICENESS", "fast")
    result = cli.fails("export", "--out", str(tmp_path / "x.json"))
    assert_clean_error(result, "CORR_BACKGROUND_NICENESS: 'fast' is not a whole number from 0 to 19")
    assert not (tmp_path / "x.json").exists()


def test_sessions_and_the_signing_key_stay_out_of_backups_and_a_backup_from_0012_restores(example_cli, tmp_path):
    """Who is logged in and the workspace's signing key are the running workspace's, not records: a
    backup copied to a shared drive must not carry the key, and a restored store starts with no one
    logged in. A backup made at 0012 (the release before sessions were stored) still restores."""
    from correspondence.organisation.sessions import signing_key, start_session
    from correspondence.organisation.users import add_user
    from correspondence.records.models import WebSession
    from correspondence.records.vocabulary import UserRole

    store = Store(example_cli.db_url)
    with store.transaction() as session:
        key = signing_key(session)
        user = add_user(session, "ada", office="MOPAC", role=UserRole.ADMIN, password="correct horse battery")
        start_session(session, user, "127.0.0.1", "Firefox", dt.datetime.now(dt.timezone.utc))
    store.dispose()
    exported = tmp_path / "backup.json"
    example_cli.ok("export", "--out", str(exported))
    text = exported.read_text()
    assert key not in text
    data = json.loads(text)
    assert "web_sessions" not in data["tables"] and "store_settings" not in data["tables"]
    data["schema_revision"] = "0012"  # what that release wrote: no session tables, none of 0014's or 0015's columns or tables
    for revision in ("0014", "0015"):
        for table, columns in ADDED_IN[revision].items():
            if columns is None:
                data["tables"].pop(table, None)
                continue
            for row in data["tables"][table]:
                for column in columns:
                    del row[column]
    data["checksum"] = checksum(data["tables"])
    older = tmp_path / "from-0012.json"
    older.write_text(json.dumps(data))
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    restored = restore_into(target, str(older))
    assert restored.exit_code == 0, restored.output
    assert MOPAC_LETTER in Cli(target).ok("letter", "list").stdout
    with Store(target).transaction() as session:
        assert session.scalar(select(func.count()).select_from(WebSession)) == 0  # everyone logs in again
        assert signing_key(session) != key  # and the restored store makes a key of its own
