"""Shared fixtures: a fresh database per test, on SQLite and (when configured) PostgreSQL.

Every test that asks for ``db_url`` runs twice: once on a new SQLite file, once on a new
PostgreSQL schema when CORR_TEST_DATABASE_URL names a server (it is skipped, with the reason,
when it does not). The PostgreSQL schema is chosen through the connection's search_path, so the
CLI under test sees an ordinary URL and each test starts from nothing.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, text
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


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'corr.db'}"
        return
    base = _pg_base_url()
    if not base:
        pytest.skip(f"{PG_VARIABLE} is not set, so the PostgreSQL run is skipped")
    schema = f"t_{uuid.uuid4().hex[:12]}"
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
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Runs in its own working folder, so drafted letters land in tmp_path/letters, on a database
    created first with 'corr init' (no other command creates one)."""
    monkeypatch.chdir(tmp_path)
    runner = Cli(db_url)
    runner.ok("init")
    return runner


@pytest.fixture
def example_cli(cli: Cli) -> Cli:
    """A database holding the bundled example."""
    cli.ok("example")
    return cli


def snapshot(db_url: str) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused command left the database exactly as it was."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            from sqlalchemy import MetaData

            metadata = MetaData()
            metadata.reflect(connection)
            return {
                name: sorted(map(tuple, connection.execute(select(table))), key=repr)
                for name, table in metadata.tables.items()
            }
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
def office_data(db_url: str, tmp_path: Path) -> Any:
    """Two offices with their users, inspections, letters and meetings (tests/web_support.py)."""
    from tests.web_support import build_offices

    return build_offices(db_url, tmp_path / "letters")


@pytest.fixture
def app(office_data: Any) -> Iterator[Any]:
    """The workspace on office_data's store, as Flask's test client drives it."""
    from correspondence.web import create_app

    application = create_app(office_data.store)
    application.testing = True
    yield application
    office_data.store.dispose()
