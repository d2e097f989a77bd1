"""Opening the database, keeping its schema current, and one transaction per command.

Every change made through a session from this module is also written to the events table in
the same transaction (see _record_events), so the log can never disagree with the data, and every
value is checked first by correspondence.limits, the same way for SQLite and PostgreSQL.

Commands that change something use ``Store.transaction()``; commands that only read use
``Store.reading()``, which never waits for the write lock (SQLite's write-ahead log lets readers
see a consistent snapshot while someone writes). A writer waits at most CORR_LOCK_WAIT seconds
(default 30) for another writer, then stops with one line saying the database is busy.
"""

from __future__ import annotations

import datetime as dt
import enum
import getpass
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from correspondence.records import database_errors, settings
from correspondence.records.database_errors import DatabaseProblem
from correspondence.records.errors import CorrespondenceError, Step, named
from correspondence.records.limits import check_row, check_session, check_value
from correspondence.records.models import Base, Event
from correspondence.records.resources import migrations_dir
from correspondence.records.settings import number_from_environment
from correspondence.records.shipped_roles import ensure_shipped_roles, missing_shipped_roles

# The newest migration in db/versions. A command compares the database's revision with it in one
# query, so Alembic (a fifth of a second to import) is loaded only when there is migrating to do.
# tests/test_store.py checks it against the migration scripts.
SCHEMA_HEAD = "0015"

DEFAULT_URL = "sqlite:///correspondence.db"
URL_VARIABLE = "CORR_DATABASE_URL"
GIVEN = "given"  # the database was given to the command (a face says how: the CLI's option)
LOCK_WAIT_VARIABLE = "CORR_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 30.0  # seconds a writer waits for another writer before saying the database is busy (SQLite queues writers unfairly, so not much less)

# SQLite has no decimal type; values are two-place percentages, well inside a double's precision.
warnings.filterwarnings("ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal")


def choose_database(url: str | None = None) -> tuple[str, str]:
    """(the database to use, where that choice came from): the one given (GIVEN: a face's own
    choice, the CLI's option), else CORR_DATABASE_URL, else ``db`` in a corr.toml (see
    settings.py), else correspondence.db in the working folder."""

    environment = os.environ.get(URL_VARIABLE)
    if url:
        return url, (URL_VARIABLE if url == environment else GIVEN)
    if environment:
        return environment, URL_VARIABLE
    setting = settings.lookup("db")
    if setting is not None:
        value = setting.value if "://" in setting.value else str(setting.as_path())
        return value, f"db in {setting.source}"
    return DEFAULT_URL, "the default: correspondence.db in the working folder"


def resolve_url(url: str | None = None) -> str:
    """The database to use (see choose_database) as a SQLAlchemy URL.

    A bare path is taken as an SQLite file, and postgresql:// means the psycopg 3 driver.
    """
    chosen = choose_database(url)[0]
    if "://" not in chosen:
        return f"sqlite:///{chosen}"
    if chosen.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + chosen.split("://", 1)[1]
    return chosen


class Store:
    """A database the tool can read and write, with its schema at the latest migration."""

    def __init__(self, url: str | None = None) -> None:
        self.source = choose_database(url)[1]
        self.url = resolve_url(url)
        self.engine = _create_engine(self.url)
        self.migration_notes: list[str] = []  # what a migration reported (a file that differs from its record)
        # Writers are marked so that, on SQLite, their transaction takes the write lock at once.
        self._sessions = sessionmaker(self.engine.execution_options(corr_writing=True), expire_on_commit=False)
        event.listen(self._sessions, "before_flush", check_session)
        event.listen(self._sessions, "after_flush", _record_events)
        self._readers = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._readers, "before_flush", _refuse_writes)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, committed if the block finishes and rolled back whole if it raises."""
        committing = False
        try:
            with self._sessions.begin() as session:
                yield session
                committing = True  # the block is done: what fails from here fails in the commit
        except DBAPIError as error:
            raise self._database_error(error, writing=True, maybe_saved=committing and error.connection_invalidated) from error

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for a command that only reads: it sees one consistent snapshot and never
        waits for, nor holds up, anyone writing. It may not write."""
        session = self._readers()
        try:
            if self.engine.dialect.name == "postgresql":
                session.execute(text("SET TRANSACTION READ ONLY"))
            yield session
        except DBAPIError as error:
            raise self._database_error(error, writing=False) from error
        finally:
            session.close()

    def _database_error(self, error: DBAPIError, *, writing: bool, maybe_saved: bool = False) -> DatabaseProblem:
        """The database's refusal as one plain sentence, its own words only in the log (see
        database_errors.py); a wait for another writer that ran out says so. A mistake in the tool's
        own SQL is a bug, but the user still sees the sentence and the log the traceback."""
        if _is_lock_timeout(error):
            return database_errors.busy(self._busy_message())
        return database_errors.unexpected(error, database=self.display_url, writing=writing, maybe_saved=maybe_saved)

    def _busy_message(self) -> str:
        wait = f"{lock_wait():g} s"
        if self.engine.dialect.name != "postgresql":
            return (
                f"database {self.display_url} is busy: another command (or a program with the database open) "
                f"has been writing to it for over {wait}; try again when it has finished "
                f"({LOCK_WAIT_VARIABLE} sets how many seconds to wait)"
            )
        return (
            f"database {self.display_url} is busy: waited {wait} for {_pg_lock_holder(self.engine)} to finish "
            f"changing it; try again in a moment, or ask them to finish ({LOCK_WAIT_VARIABLE} sets how many seconds to wait)"
        )

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def schema_revision(self) -> tuple[str | None, str | None]:
        """(revision the database is at, newest revision the tool ships)."""
        return self.current_revision(), SCHEMA_HEAD

    def current_revision(self) -> str | None:
        """The revision the database is at (None for one never migrated), read in one query."""
        with self._connect() as connection:
            try:
                versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
            except DBAPIError as error:
                if _is_missing_table(error):
                    return None
                # e.g. the database given is a file that is not a database
                raise database_errors.cannot_open(f"cannot open database {self.display_url}: {_first_line(error)}") from None
            finally:
                connection.rollback()
        if len(versions) > 1:
            raise CorrespondenceError(f"database {self.display_url} is at several schema revisions at once ({', '.join(sorted(versions))})")
        return versions[0] if versions else None

    def migrate(self) -> bool:
        """Bring the schema up to date; True when anything was applied."""
        return self.migrate_from(self.current_revision())

    def migrate_from(self, current: str | None) -> bool:
        """Bring the schema up to date from ``current``, the revision the caller has just read (None:
        never migrated), so opening a store asks the database for it once; True when anything was applied."""
        if current == SCHEMA_HEAD:
            return False
        if current is not None and (len(current), current) > (len(SCHEMA_HEAD), SCHEMA_HEAD):
            raise CorrespondenceError(
                f"database {self.display_url} is at schema revision {current}, newer than this version of "
                f"correspondence knows (it knows up to {SCHEMA_HEAD}): a newer version has upgraded it, and nothing was changed",
                steps=[Step("upgrade_tool", "upgrade this copy of correspondence to that version")],
            )
        from alembic import command

        config = _alembic_config()
        with self._connect(writing=True) as connection, _foreign_keys_off_on_sqlite(connection):
            with connection.begin():
                config.attributes["connection"] = connection
                config.attributes["notes"] = self.migration_notes
                command.upgrade(config, "head")
                _check_foreign_keys(connection)
        return True

    def dispose(self) -> None:
        self.engine.dispose()

    def require_existing(self) -> str | None:
        """Refuse a database that was never created (see open_store); else its schema revision."""
        given = self.display_url if self.source == GIVEN else ""
        source = named("db") if self.source == GIVEN else self.source
        choose = Step("choose_database", "choose another database")
        database = make_url(self.url).database
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser().resolve()
            if not path.exists():
                raise CorrespondenceError(f"no database at {path} ({source})",
                                          steps=[Step("create_database", "create it", db=given), choose])
        current = self.current_revision()
        if current is None:
            raise CorrespondenceError(
                f"database {self.display_url} ({source}) holds no correspondence records yet",
                steps=[Step("create_records", "create them", db=given), choose],
            )
        return current

    def _connect(self, writing: bool = False):  # noqa: ANN202 - a SQLAlchemy Connection context
        engine = self.engine.execution_options(corr_writing=True) if writing else self.engine
        try:
            return engine.connect()
        except DBAPIError as error:
            if _is_lock_timeout(error):
                raise database_errors.busy(self._busy_message()) from error
            raise database_errors.cannot_open(f"cannot open database {self.display_url}: {_first_line(error)}") from error


def lock_wait() -> float:
    """How many seconds a writer waits for another writer (CORR_LOCK_WAIT, default 30)."""
    return number_from_environment(LOCK_WAIT_VARIABLE, DEFAULT_LOCK_WAIT, 0, 3600, "seconds")


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """The store at ``url``, its schema brought up to date.

    With ``create`` false (every command but init, example and restore), a database that does
    not exist yet is refused, naming the one looked for, instead of quietly starting an empty one
    beside the real one.
    """

    store = Store(url)
    store.migrate_from(store.current_revision() if create else store.require_existing())
    with store.reading() as session:  # so that a command that only reads never waits for a writer
        complete = not missing_shipped_roles(session)
    if not complete:
        with store.transaction() as session:
            ensure_shipped_roles(session)
    return store


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise CorrespondenceError(f"{url!r} is not a database URL", field="db", value=url) from error
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:
        raise CorrespondenceError(f"cannot use database {url!r}: {error}") from error
    if engine.dialect.name == "postgresql":
        _limit_pg_waits(engine)
    return engine


def _limit_pg_waits(engine: Engine) -> None:
    """A blocked change fails after CORR_LOCK_WAIT seconds instead of waiting forever, and each
    connection says which command and user it is, so a blocked one can say who holds it up."""
    timeout_ms = max(1, int(lock_wait() * 1000))  # 0 would mean "wait forever"
    command = " ".join(sys.argv[1:3]) if Path(sys.argv[0]).name == "corr" else ""
    name = f"corr {command} ({current_actor()})".replace("  ", " ")[:63]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # a SET inside a transaction would be undone with it
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {timeout_ms}")
            cursor.execute("SELECT set_config('application_name', %s, false)", (name,))
        dbapi_connection.autocommit = autocommit


def _pg_lock_holder(engine: Engine) -> str:
    """Who is writing, as far as PostgreSQL can tell: the oldest other transaction that has written."""
    query = text(
        "SELECT application_name, usename, xact_start FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL "
        "ORDER BY xact_start LIMIT 1"
    )
    try:
        with engine.connect() as connection:
            row = connection.execute(query).first()
    except DBAPIError:
        row = None
    if row is None:
        return "another user's change"
    who = row.application_name or "another program"
    since = f", writing since {row.xact_start.astimezone():%H:%M:%S}" if row.xact_start else ""
    return f"{who} (database user {row.usename}{since})"


def _is_missing_table(error: DBAPIError) -> bool:
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == "42P01":  # PostgreSQL: undefined_table
        return True
    return "no such table" in str(original)  # SQLite


def _is_lock_timeout(error: DBAPIError) -> bool:
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) == "55P03":  # PostgreSQL: lock_not_available
        return True
    return "database is locked" in str(original)  # SQLite: SQLITE_BUSY after the busy timeout


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise CorrespondenceError(f"database folder {folder} does not exist (from {url})")
    engine = create_engine(url, connect_args={"timeout": lock_wait()})

    # pysqlite's own transaction handling starts transactions late and never around DDL;
    # take control so a command's transaction (and a migration) is atomic. SQLAlchemy's recipe.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # Write-ahead logging: readers never block a writer's commit, nor it them. In the default
        # rollback journal, one person with a read open would make every other command wait.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    # A writer takes the write lock when its transaction begins, so two writers queue instead of
    # failing half-way; a reader's transaction is deferred, and WAL lets it read while others write.
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get("corr_writing", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


@contextmanager
def _foreign_keys_off_on_sqlite(connection: Any) -> Iterator[None]:
    """SQLite alters a table by rebuilding it, and dropping the old copy with foreign keys on
    would cascade to its children (an inspection's judgments, say). SQLite's own advice: turn
    them off around schema changes (outside any transaction) and check them before committing."""
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys = ON")


def _check_foreign_keys(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise CorrespondenceError(f"the migration would leave {len(broken)} broken link(s), first in {broken[0][0]}; nothing changed")


def _alembic_config():  # noqa: ANN202 - alembic.config.Config, imported lazily
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def _first_line(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    return lines[0] if lines else type(original).__name__


def _refuse_writes(session: Session, _flush_context: Any, _instances: Any) -> None:
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        raise RuntimeError("a change was made in a read-only session (Store.reading); nothing was stored: use Store.transaction() to write")


# --- the event log -----------------------------------------------------------------------


_ACTOR: ContextVar[str | None] = ContextVar("corr_actor", default=None)


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Record changes made inside the block as ``name``'s: the web's logged-in user, the user the CLI is told it is."""
    token = _ACTOR.set(name)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def current_actor() -> str:
    """Who is making the change: the user set by acting_as, else CORR_USER, else the login name."""
    try:
        return _ACTOR.get() or os.environ.get("CORR_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _record_events(session: Session, _flush_context: Any) -> None:
    """Append one event per inserted, updated or deleted row, inside the same transaction."""
    now = dt.datetime.now(dt.timezone.utc)
    actor = check_value(Event.__table__.c.actor, current_actor(), "the user name (CORR_USER or the login name)")
    rows = []
    for change, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if isinstance(obj, Event) or not isinstance(obj, Base):
                continue
            data = _changed_values(obj) if change == "update" else _all_values(obj)
            if change == "update" and not data:
                continue
            rows.append(
                {
                    "occurred_at": now,
                    "actor": actor,
                    "entity": obj.__tablename__,
                    "entity_id": getattr(obj, "id", None),
                    "change": change,
                    "data": data,
                }
            )
    if rows:
        session.connection().execute(Event.__table__.insert(), [check_row(Event.__table__, row) for row in rows])


def _all_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    return {
        column.key: _logged(column, state.dict.get(column.key)) for column in state.mapper.column_attrs
    }


def _changed_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    changed = {}
    for column in state.mapper.column_attrs:
        history = state.attrs[column.key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            changed[column.key] = [_logged(column, before), _logged(column, after)]
    return changed


def _logged(column: Any, value: Any) -> Any:
    """A value as the event log keeps it; a secret column (a password hash) only says it was set."""
    if value is not None and column.columns[0].info.get("secret"):
        return "(set)"
    if isinstance(value, bytes):  # a file's bytes: the log says how many; their SHA-256 is beside them
        return f"({len(value)} bytes)"
    return jsonable(value)


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, decimals as exact strings, enums as words."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value
