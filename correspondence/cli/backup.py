"""corr backup, export, restore and check: nothing lost, the letter files included."""

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
    """One file holding every record and every letter file (drafts, sent letters, imported
    originals) with their SHA-256, taken safely while others work. Restore it with 'corr restore'.

    Example: corr backup office-2026-11-23.zip
    """
    from correspondence.register.backup import backup as take_backup

    give_way()
    made = take_backup(store_at(db), file)
    size = sum(entry.size for entry in made.files)
    typer.echo(f"backed up {made.records:,} records and {len(made.files):,} letter file(s) ({size / 1_000_000:.1f} MB) to {file}")
    for problem in made.problems:
        typer.echo(f"warning: {problem} (see 'corr check')", err=True)


def export_all(
    json_flag: Annotated[bool, typer.Option("--json", help="Export as JSON (the only format).")] = True,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of printing.")] = None,
    db: Db = None,
) -> None:
    """Every record, the event log included, as JSON that 'corr restore' loads exactly. Letter
    files are not included: 'corr backup' holds both.

    Example: corr export --out office.json
    """
    import sys

    from correspondence.register.backup import write_export

    give_way()
    store = store_at(db)
    if out is None:
        sys.stdout.flush()
        write_export(store, None, sys.stdout.buffer)
        sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
    else:
        write_export(store, out)
        typer.echo(f"exported to {out}", err=True)


def restore_all(
    file: Annotated[Path, typer.Argument(metavar="BACKUP", help="A backup from 'corr backup', or an export from 'corr export'.")],
    letters: Annotated[Optional[Path], typer.Option("--letters", help="The letters folder to restore the files into [default: letters in this folder].")] = None,
    db: Db = None,
) -> None:
    """Load a backup (records and letter files) or an export into a new, empty database and
    folder. Everything is checked first: a damaged, cut-short or edited backup is refused with
    nothing written.

    Example: corr restore office-2026-11-23.zip --db restored.db --letters restored-letters
    """
    from correspondence.records.store import Store
    from correspondence.register.restore import restore

    done = restore(Store(db), file, letters)  # not open_store: the database must stay empty until restored
    counts = done.counts
    typer.echo(f"restored {sum(counts.values()):,} records ({counts.get('letters', 0):,} letters, "
               f"{counts.get('events', 0):,} events) and {done.files:,} letter file(s)")
    for office, folder in done.folders.items():
        typer.echo(f"{office}'s letters folder: {folder}")
    for warning in done.warnings:
        typer.echo(f"warning: {warning}", err=True)


def check(
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Check every letter file against its recorded SHA-256: a sent letter's file must be exactly
    what was sent. Lists missing and changed files; exit code 1 when there are any.

    Example: corr check --office MOPAC
    """
    from correspondence.files.letter_files import check_files, letters_with_files
    from correspondence.organisation.offices import get_office

    give_way()
    with store_at(db).reading() as session:  # reads only: no write lock while it hashes every file
        chosen = get_office(session, office) if office else None
        checks = check_files(letters_with_files(session, chosen))
        data = [{"letter_id": c.letter.id, "reference": c.letter.reference, "office": c.letter.office.short_name,
                 "status": c.letter.status.value, "path": str(c.path), "state": c.description, "problem": c.state.is_problem}
                for c in checks]
    problems = [item for item in data if item["problem"]]
    if json_output:
        emit_json(data)
    else:
        if problems:
            print_table("Letter files missing or changed", ["Reference", "Office", "Status", "File", "State"], [
                [item["reference"] or f"#{item['letter_id']}", item["office"], item["status"], item["path"], item["state"]]
                for item in problems
            ])
        edited = sum(1 for item in data if item["state"].startswith("edited"))
        typer.echo(f"checked {len(data):,} letter file(s): {len(data) - len(problems):,} as recorded"
                   + (f" ({edited} drafts edited since drafting, as expected)" if edited else "")
                   + f", {len(problems):,} missing or changed")
    if problems:
        raise CorrespondenceError(f"{len(problems)} letter file(s) missing or changed, first {problems[0]['reference'] or '#' + str(problems[0]['letter_id'])}: {problems[0]['state']}")
