"""corr due: s.55 responses due, and the calendar feed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from correspondence.cli.common import (
    Db,
    Json,
    OptionalOffice,
    emit_json,
    human_date,
    option_date,
    print_table,
    store_at,
)


def due(
    within: Annotated[Optional[int], typer.Option("--within", min=0, help="Only those due within this many days (overdue included).")] = None,
    office: OptionalOffice = None,
    ics: Annotated[Optional[Path], typer.Option("--ics", help="Also write the deadlines as a calendar file to subscribe to.")] = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Count days from this date instead of today.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Every inspection without a sent s.55 response: its last day, days left, overdue first."""
    import datetime as dt

    from correspondence.deadlines import due_responses, write_ics

    when = option_date(today, "--today") or dt.date.today()
    with store_at(db).reading() as session:
        items = due_responses(session, when, within=within, office=office)
    if ics is not None:
        write_ics(items, ics, dt.datetime.now(dt.timezone.utc))
    if json_output:
        emit_json([
            {"inspection_id": i.inspection_id, "force": i.force, "programme": i.programme, "title": i.title,
             "published_on": i.published_on.isoformat(), "due_on": i.due_on.isoformat(), "days_left": i.days_left,
             "state": i.state, "offices": i.offices, "drafts": i.drafts}
            for i in items
        ])
    else:
        print_table("s.55 responses due (56 days from publication, publication day included)",
               ["ID", "Force", "Programme", "Published", "Last day", "Days left", "State", "Draft"], [
            [i.inspection_id, i.force, i.programme, human_date(i.published_on), human_date(i.due_on), i.days_left, i.state, ", ".join(i.drafts)]
            for i in items
        ])
    if ics is not None:
        typer.echo(f"calendar written to {ics} ({len(items)} deadlines)", err=True)
