"""Creating the database and loading the bundled example."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, human_date, store_at
from correspondence.cli.inspection import print_inspection

if TYPE_CHECKING:
    pass


def init(db: Db = None) -> None:
    """Create the database, or bring its schema up to date.

    Example: corr init --db office.db

    Example: corr init --db postgresql://corr@dbserver/office
    """
    from correspondence.records.shipped_roles import ensure_shipped_roles
    from correspondence.records.store import GIVEN, Store

    store = Store(db)
    applied = store.migrate()
    with store.transaction() as session:
        added = ensure_shipped_roles(session)
    current, _ = store.schema_revision()
    state = "created or upgraded" if applied else "already up to date"
    typer.echo(f"database {store.display_url}: schema {state} (revision {current}); {added} shipped role holders added")
    if store.source == GIVEN:
        typer.echo(f"to use it here without --db every time: corr config set db {db}")


def example(
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for the drafted letter [default: letters in this folder].")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Load the bundled example (MOPAC, the Met's 2018 CDI inspection, the force's updates, a
    meeting) and draft MOPAC's s.55 response from it as a Word letter.

    Example: corr example
    """
    from correspondence.cli.views import inspection_view, letter_view, meeting_view, office_view
    from correspondence.examples.bundled import load_example
    from correspondence.files.letter_files import default_folder
    from correspondence.records.transactions import in_one_transaction

    store = store_at(db, create=True)

    def load(session: Any) -> dict[str, Any]:
        loaded = load_example(session, out or default_folder())
        return {
            "notes": loaded.notes,
            "database": store.display_url,
            "newly_loaded": loaded.newly_loaded,
            "office": office_view(loaded.office),
            "inspection": inspection_view(loaded.inspection),
            "prior_letter": letter_view(loaded.prior_letter),
            "draft": {**letter_view(loaded.draft), "file": str(loaded.draft_file) if loaded.draft_file else None},
            "meeting": meeting_view(loaded.meeting),
        }

    data = in_one_transaction(store, load)
    if json_output:
        emit_json(data)
        return
    for note in data["notes"]:
        typer.echo(f"note: {note}; to see the example on its own, run 'corr example' in an empty folder", err=True)
    verb = "Loaded" if data["newly_loaded"] else "Already loaded; showing"
    typer.echo(f"{verb} the bundled example in {data['database']}\n")
    typer.echo(f"Office     {data['office']['name']} ({data['office']['short_name']})")
    typer.echo(f"Signatory  {data['office']['signatory_name']}, {data['office']['signatory_title']}\n")
    print_inspection(data["inspection"])
    typer.echo("")
    prior = data["prior_letter"]
    typer.echo(f"Letter in  {human_date(prior['date'])} from {prior['sender']}: {prior['subject']}")
    meeting = data["meeting"]
    typer.echo(f"Meeting    {meeting['id']}: {meeting['title']}, {human_date(meeting['held_on'])}, {len(meeting['actions'])} actions")
    draft = data["draft"]
    typer.echo(
        f"Drafted    {draft['reference']} of {human_date(draft['date'])} to {draft['addressee_name']} "
        f"({draft['addressee_role']}): {draft['subject']}"
    )
    typer.echo(f"           {draft['file'] or '(kept in the store)'}")
