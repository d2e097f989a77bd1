"""Letter files: where they live, who can open them, and how older databases are brought along."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from correspondence.cli import app
from tests.conftest import Cli, table_names


@pytest.fixture
def shared_umask():
    """An office on a shared drive: files readable by the group, as its umask says."""
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_copies_on_disk_follow_the_umask(example_cli, tmp_path, shared_umask):
    """Drafts were created 0600: colleagues on a shared drive could not open the copies."""
    cli = example_cli
    draft = Path(cli.json("draft", "annex", "1", "--office", "MOPAC", "--date", "1/9/2018")["file"])
    assert stat.S_IMODE(draft.stat().st_mode) == 0o640
    cli.ok("letter", "sent", draft.stem, "--date", "2/9/2018")
    correction = Path(cli.json("letter", "supersede", draft.stem, "--date", "3/9/2018")["copy"])
    assert stat.S_IMODE(correction.stat().st_mode) == 0o640 and correction.read_bytes() == draft.read_bytes()


def test_the_letter_is_in_the_store_and_the_offices_folder_holds_a_copy(example_cli, tmp_path):
    """No record points at a file on disk: the example office names letters/ as its mirror folder,
    which holds a copy of the drafted version, byte for byte."""
    import hashlib

    engine = create_engine(example_cli.db_url)
    with engine.connect() as connection:
        paths = connection.execute(text("SELECT count(*) FROM letters WHERE file_path IS NOT NULL")).scalar_one()
        folder = connection.execute(text("SELECT letters_dir FROM offices")).scalar_one()
        stored = connection.execute(text(
            "SELECT v.sha256, v.mirror_path, c.content FROM file_versions v JOIN file_contents c ON c.id = v.content_id")).one()
    engine.dispose()
    assert paths == 0 and folder == str(tmp_path / "letters")
    assert stored.mirror_path == str(tmp_path / "letters" / "MOPAC06092018-D2188.docx")
    assert Path(stored.mirror_path).read_bytes() == bytes(stored.content) and hashlib.sha256(bytes(stored.content)).hexdigest() == stored.sha256


def test_example_beside_another_databases_letter_says_what_happened(example_cli, tmp_path):
    """`corr example` with a second database in a folder whose letters/ holds the first one's
    letter used to fail and roll back; it now drafts beside it and says what to do."""
    other = f"sqlite:///{tmp_path / 'other.db'}"
    result = CliRunner().invoke(app, ["example", "--db", other])
    assert result.exit_code == 0, result.output
    assert "MOPAC06092018-D2188.docx already exists and is not this letter's file" in result.stderr
    assert "run 'corr example' in an empty folder" in result.stderr
    assert "Drafted    MOPAC06092018-D2188 of 7 September 2018" in result.stdout
    assert sorted(p.name for p in (tmp_path / "letters").iterdir()) == ["MOPAC06092018-D2188-2.docx", "MOPAC06092018-D2188.docx"]
    assert Cli(other).json("letter", "show", "MOPAC06092018-D2188")["file"].endswith("current version as recorded")
    assert example_cli.json("letter", "show", "MOPAC06092018-D2188")["file"].endswith("current version as recorded")


def test_the_migration_makes_existing_absolute_paths_relative_and_logs_it(db_url, tmp_path):
    """A database made before letters folders: its letters (a sent one included, which the
    database otherwise refuses to change) point into the office's folder, and the log says so."""
    from alembic import command

    from correspondence.records.store import Store, _alembic_config

    store = Store(db_url)
    config = _alembic_config()
    with store.engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    folder = tmp_path / "old letters"
    (folder / "imported").mkdir(parents=True)
    for name in ("K-1.docx", "imported/K-2.txt"):
        (folder / name).write_bytes(b"letter")
    with store.engine.begin() as connection:
        connection.execute(text("INSERT INTO forces (id, name, chief_officer_title) VALUES (1, 'Kent Police', 'Chief Constable')"))
        connection.execute(text(
            "INSERT INTO offices (id, name, short_name, address, signatory_name, signatory_title, reference_scheme, force_id, "
            "date_format, letterhead) VALUES (1, 'Kent OPCC', 'KENT', '', '', '', '{seq}', 1, '%d', '')"))
        connection.execute(text("INSERT INTO inspections (id, force_id, programme, title, published_on) VALUES (1, 1, 'CDI', 'CDI', '2019-01-01')"))
        connection.execute(text("INSERT INTO judgments (inspection_id, position, question, grade) VALUES (1, 1, 'How good?', 'good')"))
        for letter_id, reference, status, name in ((1, "K/1", "sent", "K-1.docx"), (2, "K/2", "draft", "imported/K-2.txt")):
            connection.execute(text(
                "INSERT INTO letters (id, office_id, reference, direction, letter_date, sender, addressee_name, addressee_role, "
                "addressee_address, cc, subject, kind, status, file_path, file_sha256, created_at, body_text) VALUES "
                f"({letter_id}, 1, '{reference}', 'out', '2019-02-01', '', '', '', '', '', 's', 'other', '{status}', "
                f"'{folder / name}', '{__import__('hashlib').sha256(b'letter').hexdigest()}', '2019-02-01 00:00:00', '')"))
    assert store.migrate() is True
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM judgments")).scalar() == 1  # no cascade from rebuilding a table
        assert [tuple(row) for row in connection.execute(text("SELECT file_path FROM letters ORDER BY id"))] == [("K-1.docx",), ("imported/K-2.txt",)]
        assert connection.execute(text("SELECT letters_dir FROM offices")).scalar_one() == str(folder)
    store.dispose()
    cli = Cli(db_url)
    assert "2 as recorded" in cli.ok("check").stdout
    logged = [e for e in cli.json("history", "--entity", "letters") if e["actor"] == "migration 0006"]
    assert {tuple(e["data"]["file_path"]) for e in logged} == {(str(folder / "K-1.docx"), "K-1.docx"),
                                                               (str(folder / "imported/K-2.txt"), "imported/K-2.txt")}
    assert "annex_requests" in table_names(db_url)
