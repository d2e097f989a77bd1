"""Opening the database, keeping its schema current, and one transaction per command.

Every change made through a session from this module is also written to the events table in
the same transaction (see _record_events), so the log can never disagree with the data.
"""

from __future__ import annotations

import datetime as dt
import enum
import getpass
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from correspondence.errors import CorrespondenceError
from correspondence.models import Base, Event

DEFAULT_URL = "sqlite:///correspondence.db"
URL_VARIABLE = "CORR_DATABASE_URL"

# SQLite has no decimal type; values are two-place percentages, well inside a double's precision.
warnings.filterwarnings("ignore", message=r"Dialect sqlite\+pysqlite does \*not\* support Decimal")


def choose_database(url: str | None = None) -> tuple[str, str]:
    """(the database to use, where that choice came from): --db, else CORR_DATABASE_URL, else
    ``db`` in a corr.toml (see settings.py), else correspondence.db in the working folder."""
    from correspondence import settings

    environment = os.environ.get(URL_VARIABLE)
    if url:
        return url, (URL_VARIABLE if url == environment else "--db")
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
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "after_flush", _record_events)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One session, committed if the block finishes and rolled back whole if it raises."""
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as error:
            raise CorrespondenceError(f"database {self.display_url}: {_first_line(error)}") from error

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def schema_revision(self) -> tuple[str | None, str | None]:
        """(revision the database is at, newest revision the tool ships)."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        with self._connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
        return current, head

    def migrate(self) -> bool:
        """Bring the schema up to date; True when anything was applied."""
        current, head = self.schema_revision()
        if current == head:
            return False
        from alembic import command

        config = _alembic_config()
        with self._connect() as connection, _foreign_keys_off_on_sqlite(connection):
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                _check_foreign_keys(connection)
        return True

    def dispose(self) -> None:
        self.engine.dispose()

    def require_existing(self) -> None:
        """Refuse a database that was never created (see open_store)."""
        how = "corr init" + (f" --db {self.display_url}" if self.source == "--db" else "")
        choose = "choose another with --db, CORR_DATABASE_URL or 'corr config set db ...'"
        database = make_url(self.url).database
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser().resolve()
            if not path.exists():
                raise CorrespondenceError(f"no database at {path} ({self.source}); create it with '{how}', or {choose}")
        if self.schema_revision()[0] is None:
            raise CorrespondenceError(
                f"database {self.display_url} ({self.source}) holds no correspondence records yet; "
                f"create them with '{how}', or {choose}"
            )

    def _connect(self):  # noqa: ANN202 - a SQLAlchemy Connection context
        try:
            return self.engine.connect()
        except OperationalError as error:
            raise CorrespondenceError(f"cannot open database {self.display_url}: {_first_line(error)}") from error


def open_store(url: str | None = None, *, create: bool = True) -> Store:
    """The store at ``url``, its schema brought up to date.

    With ``create`` false (every command but init, example and restore), a database that does
    not exist yet is refused, naming the one looked for, instead of quietly starting an empty one
    beside the real one.
    """
    from correspondence.roles import ensure_shipped_roles

    store = Store(url)
    if not create:
        store.require_existing()
    store.migrate()
    with store.transaction() as session:
        ensure_shipped_roles(session)
    return store


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise CorrespondenceError(f"--db {url!r} is not a database URL") from error
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as error:
        raise CorrespondenceError(f"cannot use database {url!r}: {error}") from error


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().resolve().parent
        if not folder.is_dir():
            raise CorrespondenceError(f"database folder {folder} does not exist (from {url})")
    engine = create_engine(url, connect_args={"timeout": 30})

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

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

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

    from correspondence.resources import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def _first_line(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).strip().splitlines()[0]


# --- the event log -----------------------------------------------------------------------


def current_actor() -> str:
    """Who is making the change: CORR_USER if set, else the login name."""
    try:
        return os.environ.get("CORR_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _record_events(session: Session, _flush_context: Any) -> None:
    """Append one event per inserted, updated or deleted row, inside the same transaction."""
    now = dt.datetime.now(dt.timezone.utc)
    actor = current_actor()
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
        session.connection().execute(Event.__table__.insert(), rows)


def _all_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    return {column.key: jsonable(state.dict.get(column.key)) for column in state.mapper.column_attrs}


def _changed_values(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    changed = {}
    for column in state.mapper.column_attrs:
        history = state.attrs[column.key].history
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            changed[column.key] = [jsonable(before), jsonable(after)]
    return changed


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, decimals as exact strings, enums as words."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value
