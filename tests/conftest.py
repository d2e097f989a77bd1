"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

Every test that asks for ``db_url`` runs twice: once on a new SQLite file, once on a new
PostgreSQL database when CORR_TEST_DATABASE_URL names a server (it is skipped, with the reason,
when it does not). The CLI under test sees an ordinary URL and each test starts from nothing.

Most tests start from a store that 'corr init' has just made (the ``cli`` fixture) or that the
workspace opened (``office_data``). Running the migrations for each of them took about half the
suite's time, so 'corr init' runs once per test session (per xdist worker) on each kind of
database, and each such test gets its own copy of the result: a file copy on SQLite, ``CREATE
DATABASE ... TEMPLATE`` on PostgreSQL (tests/test_test_stores.py checks a copy against a store
'corr init' makes in the test itself). A test that asks only for ``db_url`` still gets an empty
database, and tests of 'corr init' itself run it for real.
"""

from __future__ import annotations

import gc
import os
import queue
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from correspondence.cli import app as cli_app

PG_VARIABLE = "CORR_TEST_DATABASE_URL"
# The bulk commands lower their process's CPU priority (cli.common.give_way); run in-process by
# CliRunner they would lower the whole test run's. tests/test_backup.py tests the real thing in
# processes of their own.
os.environ["CORR_BACKGROUND_NICENESS"] = "0"
SEEDS = Path(os.environ.get("CORR_SEEDS") or Path(__file__).resolve().parents[2] / "shared" / "seeds")
requires_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"the seed documents are not at {SEEDS} (set CORR_SEEDS to their folder)"
)
CORPUS = Path(os.environ.get("CORR_CORPUS") or Path(__file__).resolve().parents[2] / "shared" / "corpus")
requires_corpus = pytest.mark.skipif(
    not (CORPUS / "facts.json").is_file(), reason=f"the development corpus is not at {CORPUS} (set CORR_CORPUS to its folder)"
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _pg_base_url() -> str | None:
    url = os.environ.get(PG_VARIABLE)
    if url and url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


# Fixtures that begin by creating and migrating the test's store ('corr init', or open_store on a
# store that does not exist yet): a test using one of them starts from a copy of a migrated store.
STARTS_MIGRATED = frozenset({"cli", "office_data"})


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, _stores: _SessionStores) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corr.db'}"
        return
    if not _pg_base_url():
        pytest.skip(f"{PG_VARIABLE} is not set, so the PostgreSQL run is skipped")
    with _stores.postgresql(migrated=not STARTS_MIGRATED.isdisjoint(request.fixturenames)) as url:
        yield url


def _starts_migrated(db_url: str, stores: _SessionStores) -> bool:
    """Put a copy of the session's migrated store at ``db_url`` if nothing is there yet; False
    where the caller must create the store itself (then 'corr init' runs for real)."""
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        if path.exists():
            return False
        stores.copy_sqlite(path)
        return True
    return stores.is_migrated_copy(db_url)


class _SessionStores:
    """The stores built once per test session (per xdist worker), and the PostgreSQL databases
    made from them for each test.

    SQLite: 'corr init' on a file in the session's temporary folder; each test copies the file.
    PostgreSQL: two template databases, one empty and one that 'corr init' has migrated, that
    nothing else connects to; each test gets ``CREATE DATABASE ... TEMPLATE`` of one of them,
    dropped when the test ends (WITH (FORCE): a command run in-process may leave a connection
    open). DROP DATABASE waits for a checkpoint, which on a busy server takes longer than the
    test, so a thread of its own drops them while the next tests run (a few at most wait; all
    are gone when the session ends, and a failed drop fails the session). All names are unique
    to this process, so parallel workers and other runs on the same server never meet. A server
    that refuses CREATE DATABASE gets the old way instead: a new schema per test, chosen through
    the search_path, and 'corr init' run in each test.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tag = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._sqlite: Path | None = None
        self._admin: Engine | None = None
        self._templates: dict[bool, str] | None = None  # migrated? -> template database
        self._migrated: set[str] = set()  # URLs of the databases copied from the migrated template
        self._templates_made: list[str] = []  # dropped at the end of the session
        self._dropper: _Dropper | None = None

    # --- SQLite ---

    def copy_sqlite(self, path: Path) -> None:
        if self._sqlite is None:
            self._sqlite = self._build_sqlite()
        shutil.copyfile(self._sqlite, path)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(path, 0o644 & ~umask)  # as SQLite creates a new database file

    def _build_sqlite(self) -> Path:
        import sqlite3

        folder = self.folder / "sqlite"
        folder.mkdir()
        path = folder / "corr.db"
        _run_init(f"sqlite:///{path}", folder)
        gc.collect()  # the engine 'corr init' left behind
        connection = sqlite3.connect(path)
        try:  # everything in the main file, so one file is the whole store
            busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            assert busy == 0, "the migrated SQLite store is still in use"
        finally:
            connection.close()
        return path

    # --- PostgreSQL ---

    @contextmanager
    def postgresql(self, migrated: bool) -> Iterator[str]:
        templates = self._pg_templates()
        if not templates:
            yield from _schema_per_test()
            return
        name = f"corr_t_{uuid.uuid4().hex[:12]}"
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{templates[migrated]}"'))
        url = _database_url(name)
        if migrated:
            self._migrated.add(url)
        try:
            yield url
        finally:
            self._migrated.discard(url)
            if self._dropper is None:
                self._dropper = _Dropper()
            self._dropper.drop(name)

    def is_migrated_copy(self, url: str) -> bool:
        return url in self._migrated

    def _pg_templates(self) -> dict[bool, str]:
        if self._templates is None:
            self._templates = self._build_pg_templates()
        return self._templates

    def _build_pg_templates(self) -> dict[bool, str]:
        from psycopg.errors import InsufficientPrivilege

        empty, migrated = f"corr_tpl_{self.tag}_empty", f"corr_tpl_{self.tag}"
        try:
            with self._admin_engine().connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{empty}"'))
        except DBAPIError as error:
            if isinstance(error.orig, InsufficientPrivilege):
                return {}  # no CREATEDB: a schema per test instead
            raise
        self._templates_made.append(empty)
        with self._admin_engine().connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{migrated}"'))
        self._templates_made.append(migrated)
        folder = self.folder / "postgresql"
        folder.mkdir()
        _run_init(_database_url(migrated), folder)
        gc.collect()
        with self._admin_engine().connect() as connection:
            for name in (empty, migrated):
                # A template must have no one connected when it is copied: shut out everyone.
                connection.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
                connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                                   {"name": name})
        return {False: empty, True: migrated}

    def _admin_engine(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(_pg_base_url(), isolation_level="AUTOCOMMIT", pool_size=1)
        return self._admin

    def close(self) -> None:
        if self._admin is None:
            return
        try:
            if self._dropper is not None:
                self._dropper.finish()
        finally:
            with self._admin.connect() as connection:
                for name in self._templates_made:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            self._admin.dispose()


class _Dropper(threading.Thread):
    """Drops the tests' PostgreSQL databases, in order, on a connection of its own."""

    WAITING = 4  # a test's teardown waits while this many are still to be dropped

    def __init__(self) -> None:
        super().__init__(name="drop test databases", daemon=True)
        self.names: queue.Queue[str | None] = queue.Queue(maxsize=self.WAITING)
        self.failed: list[str] = []
        self.start()

    def drop(self, name: str) -> None:
        while self.is_alive():
            try:
                self.names.put(name, timeout=1)
                return
            except queue.Full:
                continue
        raise RuntimeError(f"the thread dropping the test databases has stopped: {self.failed}")

    def run(self) -> None:
        import psycopg

        try:
            dsn = make_url(_pg_base_url()).set(drivername="postgresql").render_as_string(hide_password=False)
            with psycopg.connect(dsn, autocommit=True) as connection:
                while (name := self.names.get()) is not None:
                    try:
                        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    except psycopg.Error as error:
                        self.failed.append(f"{name}: {error}")
        except BaseException as error:  # noqa: BLE001 - reported by drop() and finish()
            self.failed.append(f"stopped: {error!r}")

    def finish(self) -> None:
        if self.is_alive():
            self.names.put(None)
            self.join()
        while not self.names.empty():
            if (name := self.names.get()) is not None:
                self.failed.append(f"{name}: not dropped")
        assert not self.failed, f"test databases left on the server: {self.failed}"


def _database_url(name: str) -> str:
    """CORR_TEST_DATABASE_URL's server and options, with the database ``name``."""
    return make_url(_pg_base_url()).set(database=name).render_as_string(hide_password=False)


@contextmanager
def empty_postgresql_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on CORR_TEST_DATABASE_URL's server (another machine's, as a
    restore or an upgrade meets it), dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_pg_base_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _database_url(name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _schema_per_test() -> Iterator[str]:
    """For a role that may not create databases: a new, empty schema in CORR_TEST_DATABASE_URL's
    database, chosen through the search_path (how every PostgreSQL test ran before the copies)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = _pg_base_url()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _run_init(url: str, folder: Path) -> None:
    """'corr init' on ``url`` as the ``cli`` fixture runs it in a test: from an empty working folder,
    with no personal settings (see _no_personal_settings)."""
    config = folder / "user-config"
    config.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setenv("CORR_CONFIG_DIR", str(config))
        patch.delenv("CORR_DATABASE_URL", raising=False)
        Cli(url).ok("init")


@pytest.fixture(scope="session")
def _stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_SessionStores]:
    stores = _SessionStores(tmp_path_factory.mktemp("migrated-stores"))
    try:
        yield stores
    finally:
        stores.close()


class Cli:
    """Runs ``corr`` in-process against one database, as a user would type it."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.runner = CliRunner(env={"COLUMNS": "200"})

    def __call__(self, *args: str, db: bool = True) -> Any:
        argv = [*args, "--db", self.db_url] if db else list(args)
        return self.runner.invoke(cli_app, argv)

    def ok(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, f"corr {' '.join(args)} failed: {result.output}\n{result.exception!r}"
        return result

    def json(self, *args: str) -> Any:
        import json

        return json.loads(self.ok(*args, "--json").stdout)

    def fails(self, *args: str) -> Any:
        """Run a command that must be refused cleanly: exit 1, one line on stderr, no traceback."""
        result = self(*args)
        assert_clean_error(result)
        return result


def assert_clean_error(result: Any, *fragments: str) -> None:
    assert result.exit_code == 1, f"expected exit 1, got {result.exit_code}: {result.output}"
    # CliRunner swallows crashes into result.exception: a clean refusal is only SystemExit(1).
    assert isinstance(result.exception, SystemExit), f"crashed: {result.exception!r}"
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), f"not one error line: {result.stderr!r}"
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


@pytest.fixture(autouse=True)
def _no_personal_settings(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read the developer's own corr.toml or CORR_DATABASE_URL."""
    monkeypatch.setenv("CORR_CONFIG_DIR", str(tmp_path_factory.mktemp("user-config")))
    monkeypatch.delenv("CORR_DATABASE_URL", raising=False)


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _stores: _SessionStores) -> Cli:
    """Runs in its own working folder, so drafted letters land in tmp_path/letters, on a database
    created first with 'corr init' (no other command creates one): a copy of the store 'corr init'
    made once for the session (see _SessionStores)."""
    monkeypatch.chdir(tmp_path)
    runner = Cli(db_url)
    if not _starts_migrated(db_url, _stores):
        runner.ok("init")
    return runner


@pytest.fixture
def example_cli(cli: Cli) -> Cli:
    """A database holding the bundled example."""
    cli.ok("example")
    return cli


def snapshot(db_url: str) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused command left the database exactly as it was.

    The tables and their columns (with their types, which turn stored values into Python ones)
    are read from the database each time; its keys, indexes and constraints are not, as reading
    the rows does not need them (MetaData.reflect read them too, and took half the time)."""
    from sqlalchemy import Column, MetaData, Table

    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            metadata = MetaData()
            tables = [
                Table(name, metadata, *(Column(column["name"], column["type"]) for column in columns))
                for (_, name), columns in inspect(connection).get_multi_columns().items()
            ]
            return {table.name: sorted(map(tuple, connection.execute(select(table))), key=repr) for table in tables}
    finally:
        engine.dispose()


def table_names(db_url: str) -> set[str]:
    engine = create_engine(db_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


# --- the web workspace's tests (tests/test_web*.py) ----------------------------------------------


@pytest.fixture
def office_data(db_url: str, tmp_path: Path, _stores: _SessionStores) -> Any:
    """Two offices with their users, inspections, letters and meetings (tests/web_support.py), in a
    copy of the session's migrated store (build_offices opens it as the workspace would; on a store
    not there yet, opening it creates and migrates it first)."""
    from tests.web_support import build_offices

    _starts_migrated(db_url, _stores)
    return build_offices(db_url, tmp_path / "letters")


@pytest.fixture
def app(office_data: Any) -> Iterator[Any]:
    """The workspace on office_data's store, as Flask's test client drives it."""
    from correspondence.web import create_app

    application = create_app(office_data.store)
    application.testing = True
    yield application
    office_data.store.dispose()



# --- pytest-xdist (pyproject.toml: -n auto) -------------------------------------------------------

# Each worker holds several PostgreSQL connections at once (commands run in-process leave theirs
# open until they are collected), about 7 at the most; PostgreSQL allows 100 by default.
MOST_WORKERS = 8


@pytest.hookimpl(optionalhook=True, wrapper=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> Iterator[int]:
    """-n auto: one worker per CPU, as pytest-xdist counts them, but at most MOST_WORKERS
    (PYTEST_XDIST_AUTO_NUM_WORKERS, when set, decides alone)."""
    count = yield
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return count
    return min(count, MOST_WORKERS)
