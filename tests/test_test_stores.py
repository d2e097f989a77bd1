"""The suite's own shortcuts, checked: a test's copy of the session's migrated store (tests/conftest.py)
holds exactly what the store it stands for would hold, built in the test itself.

`corr init` runs once per test session (per xdist worker) and each test that starts from it gets a
copy. Here the same store is also made the old way, in the test, and the two are compared: every
table, column, index and row, and on SQLite the journal mode. Only the times differ (when the event
log says init ran), so datetimes are compared as "a time". And snapshot(), which tests use to prove
a refused command changed nothing, reads the same rows as reflecting the whole schema would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, inspect, select

from tests.conftest import Cli, _SessionStores


@contextmanager
def _another_empty_database(db_url: str, tmp_path: Path, stores: _SessionStores) -> Iterator[str]:
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'made-here.db'}"
    else:
        with stores.postgresql(migrated=False) as url:
            yield url


def _contents(db_url: str) -> dict[str, Any]:
    """Tables with their columns and indexes, and every row in order of its key."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            metadata = MetaData()
            metadata.reflect(connection)
            described = inspect(connection)
            tables = {}
            for name, table in sorted(metadata.tables.items()):
                rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
                tables[name] = {
                    "columns": [(column.name, str(column.type), column.nullable) for column in table.columns],
                    "indexes": sorted((index["name"], tuple(index["column_names"])) for index in described.get_indexes(name)),
                    "rows": [tuple("a time" if isinstance(value, dt.datetime) else value for value in row) for row in rows],
                }
            journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar() if engine.dialect.name == "sqlite" else None
            return {"tables": tables, "journal": journal}
    finally:
        engine.dispose()


def test_the_cli_fixtures_copy_is_what_corr_init_makes(cli: Cli, db_url: str, tmp_path: Path, _stores: _SessionStores) -> None:
    copied = _contents(cli.db_url)
    assert copied["tables"]["alembic_version"]["rows"] and copied["tables"]["role_holders"]["rows"]
    assert copied["tables"]["events"]["rows"], "init's changes are in the event log"
    with _another_empty_database(db_url, tmp_path, _stores) as url:
        Cli(url).ok("init")  # as the cli fixture did in each test before the copies
        assert copied == _contents(url)


def test_office_datas_copy_is_what_opening_a_new_store_makes(db_url: str, tmp_path: Path, _stores: _SessionStores) -> None:
    """office_data opens its store as the workspace does (open_store); on a new store that migrates
    it and adds the shipped role holders, which is what 'corr init' did for the copy."""
    from correspondence.records.store import open_store

    with _a_migrated_copy(db_url, tmp_path, _stores) as copy, _another_empty_database(db_url, tmp_path, _stores) as url:
        open_store(copy).dispose()
        open_store(url).dispose()
        assert _contents(copy) == _contents(url)


@contextmanager
def _a_migrated_copy(db_url: str, tmp_path: Path, stores: _SessionStores) -> Iterator[str]:
    """What office_data starts from (see _starts_migrated)."""
    if db_url.startswith("sqlite"):
        stores.copy_sqlite(tmp_path / "copy.db")
        yield f"sqlite:///{tmp_path / 'copy.db'}"
    else:
        with stores.postgresql(migrated=True) as url:
            yield url


def test_snapshot_reads_every_row_that_reflecting_the_whole_schema_finds(example_cli: Cli) -> None:
    """snapshot() reads only the tables' columns, not their keys and indexes; the rows are the same."""
    import warnings

    from tests.conftest import snapshot

    engine = create_engine(example_cli.db_url)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            metadata = MetaData()
            metadata.reflect(connection)
            reflected = {name: sorted(map(tuple, connection.execute(select(table))), key=repr)
                         for name, table in metadata.tables.items()}
    finally:
        engine.dispose()
    assert reflected["letters"] and reflected["events"]
    assert snapshot(example_cli.db_url) == reflected
