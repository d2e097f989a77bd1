"""corr backup, export and restore."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from correspondence.cli.common import Db, store_at

if TYPE_CHECKING:
    pass


def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup; must not exist yet.")],
    db: Db = None,
) -> None:
    """A consistent copy of the database, taken safely while others use it."""
    from correspondence.backup import backup as take_backup

    kind = take_backup(store_at(db), file)
    typer.echo(f"backed up to {file}" + (" (an SQLite database file)" if kind == "sqlite" else " (a JSON export; restore it with 'corr restore')"))


def export_all(
    json_flag: Annotated[bool, typer.Option("--json", help="Export as JSON (the only format).")] = True,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of printing.")] = None,
    db: Db = None,
) -> None:
    """Every record, the event log included, as JSON that 'corr restore' loads exactly."""
    from correspondence.backup import write_export

    document = write_export(store_at(db), out)
    if out is None:
        typer.echo(document)
    else:
        typer.echo(f"exported to {out}", err=True)


def restore_all(
    file: Annotated[Path, typer.Argument(help="A file written by 'corr export' or a PostgreSQL 'corr backup'.")],
    db: Db = None,
) -> None:
    """Load an export into a new, empty database, all or nothing."""
    from correspondence.backup import restore
    from correspondence.store import Store

    counts = restore(Store(db), file)  # not open_store: the database must stay empty until restored
    typer.echo(f"restored {sum(counts.values()):,} records ({counts.get('letters', 0):,} letters, {counts.get('events', 0):,} events)")
