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
from contextvars import ContextVar
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


def resolve_url(url: str | None = None) -> str:
    """The database to use: --db, else CORR_DATABASE_URL, else correspondence.db here.

    A bare path is taken as an SQLite file, and postgresql:// means the psycopg 3 driver.
    """
    chosen = url or os.environ.get(URL_VARIABLE) or DEFAULT_URL
    if "://" not in chosen:
        return f"sqlite:///{chosen}"
    if chosen.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + chosen.split("://", 1)[1]
    return chosen


class Store:
    """A database the tool can read and write, with its schema at the latest migration."""

    def __init__(self, url: str | None = None) -> None:
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
        with self._connect() as connection, connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return True

    def dispose(self) -> None:
        self.engine.dispose()

    def _connect(self):  # noqa: ANN202 - a SQLAlchemy Connection context
        try:
            return self.engine.connect()
        except OperationalError as error:
            raise CorrespondenceError(f"cannot open database {self.display_url}: {_first_line(error)}") from error


def open_store(url: str | None = None) -> Store:
    """The store at ``url``, migrated on first use so no command needs a separate init."""
    from correspondence.roles import ensure_shipped_roles

    store = Store(url)
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


_ACTOR: ContextVar[str | None] = ContextVar("corr_actor", default=None)


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Record changes made inside the block as ``name``'s: the web's logged-in user, the CLI's --as."""
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
