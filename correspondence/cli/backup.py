"""corr backup, export, restore and check: nothing lost, every stored file included."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, OptionalOffice, emit_json, give_way, print_table, store_at
from correspondence.records.errors import CorrespondenceError


def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the backup (a .zip file); must not exist yet.")],
    db: Db = None,
) -> None:
    """One file holding every record and every version of every stored file (letters drafted,
    uploaded and received, publications), taken safely while others work. Restore it with 'corr
    restore'; no letters folder is needed.

    Example: corr backup office-2026-11-23.zip
    """
    from correspondence.register.backup import backup as take_backup

    give_way()
    made = take_backup(store_at(db), file)
    size = f"{made.file_bytes / 1_000_000:.1f} MB" if made.file_bytes >= 100_000 else f"{made.file_bytes / 1000:.0f} kB"
    typer.echo(f"backed up {made.records:,} records and {made.versions:,} file version(s) ({size}) to {file}")
    for problem in made.problems:
        typer.echo(f"warning: {problem} (see 'corr check')", err=True)


def export_all(
    json_flag: Annotated[bool, typer.Option("--json", help="Export as JSON (the only format).")] = True,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of printing.")] = None,
    db: Db = None,
) -> None:
    """Every record, the event log and every stored file (its bytes as base64 text) included, as
    JSON that 'corr restore' loads exactly.

    Example: corr export --out office.json
    """
    import sys

    from correspondence.register.backup import write_export

    give_way()
    store = store_at(db)
    if out is None:
        sys.stdout.flush()
        made = write_export(store, None, sys.stdout.buffer)
        sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
    else:
        made = write_export(store, out)
        typer.echo(f"exported to {out}", err=True)
    if made.damaged:
        typer.echo(f"warning: {len(made.damaged)} stored file(s) whose bytes do not match their SHA-256, exported as found "
                   "(see 'corr check')", err=True)


def restore_all(
    file: Annotated[Path, typer.Argument(metavar="BACKUP", help="A backup from 'corr backup', or an export from 'corr export'.")],
    letters: Annotated[Optional[Path], typer.Option("--letters", help="The offices' mirror folder here (one per office inside it when there are several), where each new file version is also copied; a backup from before files were kept in the database puts its letter files there [default: as the backup has it; for such a backup, letters in this folder].")] = None,
    db: Db = None,
) -> None:
    """Load a backup or an export, every stored file included, into a new, empty database.
    Everything is checked first: a damaged, cut-short or edited backup is refused with nothing
    written.

    Example: corr restore office-2026-11-23.zip --db restored.db
    """
    from correspondence.records.store import Store
    from correspondence.register.restore import restore

    done = restore(Store(db), file, letters)  # not open_store: the database must stay empty until restored
    counts = done.counts
    typer.echo(f"restored {sum(counts.values()):,} records ({counts.get('letters', 0):,} letters, "
               f"{counts.get('events', 0):,} events) and {done.files:,} file version(s)")
    for office, folder in done.folders.items():
        typer.echo(f"{office}'s mirror folder: {folder}")
    for warning in done.warnings:
        typer.echo(f"warning: {warning}", err=True)


def check(
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Check every letter's file in the store: its current version must be the file its record
    names (a sent letter's, exactly what was sent), and the stored bytes must match their own
    SHA-256. Lists missing, changed and damaged files; exit code 1 when there are any.

    Example: corr check --office MOPAC
    """
    from correspondence.files.letter_files import check_files, letters_with_files
    from correspondence.organisation.offices import get_office

    give_way()
    with store_at(db).reading() as session:  # reads only: no write lock while it hashes every file
        chosen = get_office(session, office) if office else None
        checks = check_files(session, letters_with_files(session, chosen))
        data = [{"letter_id": c.letter.id, "reference": c.letter.reference, "office": c.letter.office.short_name,
                 "status": c.letter.status.value, "version": c.version.number if c.version else None,
                 "file_name": c.version.file_name if c.version else None, "sha256": c.sha256,
                 "state": c.description, "problem": c.state.is_problem}
                for c in checks]
        where = {c.letter.id: c.where for c in checks}
    problems = [item for item in data if item["problem"]]
    if json_output:
        emit_json(data)
    else:
        if problems:
            print_table("Letter files missing, changed or damaged", ["Reference", "Office", "Status", "Version", "State"], [
                [item["reference"] or f"#{item['letter_id']}", item["office"], item["status"], where[item["letter_id"]] or "-",
                 item["state"]]
                for item in problems
            ])
        typer.echo(f"checked {len(data):,} letter file(s): {len(data) - len(problems):,} as recorded, "
                   f"{len(problems):,} missing, changed or damaged")
    if problems:
        raise CorrespondenceError(f"{len(problems)} letter file(s) missing, changed or damaged, first "
                                  f"{problems[0]['reference'] or '#' + str(problems[0]['letter_id'])}: {problems[0]['state']}")
