"""The database's own words never reach a user (issue 22, item 6): a refusal nobody foresaw becomes
one plain sentence on the page and on the command line, with no database URL, SQL state, constraint
name or SQL in it, and the log gets everything, traceback included, under the reference the sentence
gives. A database that is busy is said plainly on the web; the command line names the database the
user chose when it is busy or cannot be opened.

The refusals are real ones where a database can be made to give them: a unique index added beside
the tool's (as a constraint nobody foresaw) refuses an ordinary command. A disk that fails and a
connection lost while committing cannot be arranged on demand, so they are raised where the database
would raise them.
"""

from __future__ import annotations

import html
import logging
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from correspondence.records.models import Action
from correspondence.records.store import Store
from correspondence.web import create_app
from tests.conftest import Cli, assert_clean_error
from tests.web_support import Browserless

PROBE = "uq_probe_unforeseen"
# What the database would say, none of which a user may see: its constraint, its SQL state, its SQL.
DATABASE_WORDS = ("uq_", "constraint", "UNIQUE", "duplicate key", "23505", "SQLSTATE", "psycopg", "sqlite3", "INSERT INTO",
                  "disk I/O", "Traceback", "postgres@", "sqlite:///", "127.0.0.1", "forces.", "actions.")
# What the log has of it: PostgreSQL names the index, SQLite the table and column.
LOGGED = re.compile(rf"{PROBE}|UNIQUE constraint failed: \w+\.\w+")
PLAIN_REFUSAL = re.compile(r"[Tt]he database refused this change, so nothing was saved; try again, and if it happens again "
                           r"tell whoever runs the workspace \(the details are logged at \d\d:\d\d:\d\d UTC on .+ under ([0-9a-f]{6})\)")


def unforeseen_unique_index(db_url: str, table: str, column: str) -> None:
    """A unique index on ``table``'s ``column`` for rows added from now on: the tool knows nothing of it."""
    engine = create_engine(db_url)
    with engine.begin() as connection:
        newest = connection.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar()
        connection.execute(text(f"CREATE UNIQUE INDEX {PROBE} ON {table} ({column}) WHERE id > {newest}"))
    engine.dispose()


def assert_no_database_words(said: str, db_url: str) -> None:
    for words in (*DATABASE_WORDS, make_url(db_url).render_as_string(hide_password=True), PROBE):
        assert words not in said, f"{words!r} shown to the user: {said}"


def page_text(page: Any) -> str:
    """The page's words, as a reader sees them."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.text)))


def errors_log() -> str:
    import os

    path = Path(os.environ["CORR_CONFIG_DIR"]) / "errors.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


# --- the command line ---------------------------------------------------------------------------


def test_a_constraint_nobody_foresaw_is_one_plain_line_and_the_details_are_in_the_log(cli: Cli, caplog: Any) -> None:
    unforeseen_unique_index(cli.db_url, "forces", "chief_officer_title")
    cli.ok("force", "add", "Kent Police")
    result = cli("force", "add", "Essex Police")
    assert_clean_error(result)
    line = result.stderr.strip()
    reference = PLAIN_REFUSAL.search(line)
    assert reference, line
    assert_no_database_words(line, cli.db_url)
    assert "Essex" not in cli.ok("force", "list").stdout  # nothing was saved, as it says
    logged = errors_log()  # the command line's log, beside corr.toml
    assert reference.group(1) in logged and LOGGED.search(logged) and "Traceback" in logged
    record = next(record for record in caplog.records if reference.group(1) in record.getMessage())
    assert record.exc_info is not None and record.name == "correspondence.database"


def test_a_failing_disk_is_one_plain_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from correspondence.organisation import offices

    def disk_fails(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("INSERT INTO forces (name) VALUES (?)", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(offices, "add_force", disk_fails)
    result = cli("force", "add", "Kent Police")
    assert_clean_error(result)
    assert PLAIN_REFUSAL.search(result.stderr), result.stderr
    assert_no_database_words(result.stderr, cli.db_url)
    assert "disk I/O error" in errors_log() and "INSERT INTO forces" in errors_log()


def test_a_connection_lost_while_committing_does_not_claim_nothing_was_saved(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def lost(session: Session) -> None:
        raise OperationalError("COMMIT", {}, sqlite3.OperationalError("server closed the connection unexpectedly"),
                               connection_invalidated=True)

    original = Store.__init__

    def losing(self: Store, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        event.listen(self._sessions, "before_commit", lost)

    monkeypatch.setattr(Store, "__init__", losing)
    result = cli("force", "add", "Kent Police")
    assert_clean_error(result, "the connection to the database was lost while this change was being saved, so it may or may not "
                               "have been saved: look before you try again")
    assert "nothing was saved" not in result.stderr
    assert_no_database_words(result.stderr, cli.db_url)


def test_the_database_the_user_gave_is_named_when_it_cannot_be_opened(tmp_path: Path) -> None:
    """The command line names the database it was given (its password hidden) when that is the
    problem; the refusal itself, for any face, names none."""
    from typer.testing import CliRunner

    from correspondence.cli import app
    from correspondence.records.database_errors import DatabaseProblem

    result = CliRunner().invoke(app, ["office", "list", "--db", "postgresql://nobody:secret@127.0.0.1:1/none"])
    assert_clean_error(result, "cannot open database postgresql+psycopg://nobody:***@127.0.0.1:1/none")
    assert "secret" not in result.output
    with pytest.raises(DatabaseProblem) as raised:
        Store("postgresql://nobody:secret@127.0.0.1:1/none").current_revision()
    assert "127.0.0.1" not in raised.value.refusal and "cannot be reached" in raised.value.refusal


# --- the workspace ------------------------------------------------------------------------------


def test_a_constraint_nobody_foresaw_on_a_page_is_one_plain_sentence_and_logged(app: Any, office_data: Any, caplog: Any) -> None:
    caplog.set_level(logging.INFO)
    unforeseen_unique_index(office_data.store.url, "actions", "meeting_id")
    client = Browserless(app)
    client.login("dan")
    path = f"/meetings/{office_data.mopac_meeting}/actions"
    assert client.post(path, {"action": "The first one is stored."}).status_code == 302
    page = client.post(path, {"action": "The second one meets the index."})
    assert page.status_code == 422
    said = page_text(page)
    reference = PLAIN_REFUSAL.search(said)
    assert reference, said
    assert_no_database_words(said, office_data.store.url)
    with office_data.store.reading() as session:
        assert session.scalar(select(Action.id).where(Action.action == "The second one meets the index.")) is None
    record = next(record for record in caplog.records if reference.group(1) in record.getMessage())
    assert LOGGED.search(record.getMessage()) and record.exc_info is not None


def test_a_failing_disk_on_a_page_is_one_plain_sentence(app: Any, office_data: Any, monkeypatch: pytest.MonkeyPatch,
                                                       caplog: Any) -> None:
    from correspondence.web import meetings

    def disk_fails(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("INSERT INTO actions (number) VALUES (%(number)s)", {},
                               sqlite3.OperationalError("could not extend file: No space left on device"))

    monkeypatch.setattr(meetings, "add_action", disk_fails)
    client = Browserless(app)
    client.login("dan")
    page = client.post(f"/meetings/{office_data.mopac_meeting}/actions", {"action": "Stored?"})
    said = page_text(page)
    assert page.status_code == 422 and PLAIN_REFUSAL.search(said), said
    assert_no_database_words(said, office_data.store.url)
    assert "No space left on device" not in said
    assert any("No space left on device" in record.getMessage() and record.exc_info for record in caplog.records)


def test_a_page_that_cannot_read_the_database_is_a_plain_page(app: Any, office_data: Any, monkeypatch: pytest.MonkeyPatch,
                                                             caplog: Any) -> None:
    """The dashboard does not expect the database to fail while it reads: the page still says
    nothing of the database, and the log has it all."""
    from correspondence.web import home

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("SELECT secret_column FROM letters", {}, sqlite3.OperationalError("no such column: secret_column"))

    client = Browserless(app)
    client.login("dan")
    monkeypatch.setattr(home, "build_dashboard", broken)
    page = client.get("/")
    said = page_text(page)
    assert page.status_code == 503 and "The database could not be read just now; try again" in said, said
    assert "secret_column" not in said and "SELECT" not in said
    assert any("secret_column" in record.getMessage() and record.exc_info for record in caplog.records)


def test_a_database_error_that_escaped_the_store_is_a_plain_page(app: Any, office_data: Any, monkeypatch: pytest.MonkeyPatch,
                                                                caplog: Any) -> None:
    """An error raised outside the store's transactions, where nobody can say whether anything was
    saved: the page says so plainly, and claims nothing about what was saved."""
    from contextlib import contextmanager

    from correspondence.web import home

    @contextmanager
    def broken() -> Any:
        raise OperationalError("SELECT secret_column FROM letters", {}, sqlite3.OperationalError("no such column: secret_column"))
        yield

    client = Browserless(app)
    client.login("dan")
    monkeypatch.setattr(home, "reading", broken)
    page = client.get("/")
    said = page_text(page)
    assert page.status_code == 500 and "The database could not do this just now; try again" in said, said
    assert "saved" not in said and "secret_column" not in said and "SELECT" not in said
    assert any("secret_column" in record.getMessage() and record.exc_info for record in caplog.records)


def test_a_busy_database_on_a_page_says_so_without_naming_it(office_data: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORR_LOCK_WAIT", "0.2")
    store = Store(office_data.store.url)  # waits 0.2 s for another writer
    app = create_app(store)
    client = Browserless(app)
    client.login("dan")
    holder = create_engine(office_data.store.url)
    with holder.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("SELECT id FROM meetings WHERE id = :id FOR UPDATE"), {"id": office_data.mopac_meeting})
        page = client.post(f"/meetings/{office_data.mopac_meeting}/actions", {"action": "Behind another writer."})
        connection.rollback()
    holder.dispose()
    store.dispose()
    said = page_text(page)
    assert "The database is busy with someone else's change, so nothing was saved; try again in a moment" in said, said
    assert_no_database_words(said, office_data.store.url)
    assert "CORR_LOCK_WAIT" not in said
