"""corr due: s.55 responses not yet published, where each stands, and the calendar feed."""

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
    ics: Annotated[Optional[Path], typer.Option("--ics", help="Also write the deadlines and reply-by dates as a calendar file to subscribe to.")] = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Count days from this date instead of today.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Every s.55 response not yet published: its stage, the next step and its date (reply-by,
    chase, last day), and the days left of the 56, overdue first. Only publication meets the deadline.

    Example: corr due --office MOPAC --within 30 --ics s55.ics
    """
    import datetime as dt

    from correspondence.process.calendar import write_ics
    from correspondence.process.due import due_responses

    when = option_date(today, "--today") or dt.date.today()
    with store_at(db).reading() as session:
        items = due_responses(session, when, within=within, office=office)
    if ics is not None:
        write_ics(items, ics, dt.datetime.now(dt.timezone.utc), how_to_chase=lambda item: (
            f"Draft the reminder on the inspection page of the workspace, or corr chase {item.inspection_id}"))
    if json_output:
        emit_json([
            {"inspection_id": i.inspection_id, "office": i.office, "force": i.force, "programme": i.programme, "title": i.title,
             "published_on": i.published_on.isoformat(), "due_on": i.due_on.isoformat(), "days_left": i.days_left,
             "state": i.state, "stage": i.stage, "next_step": i.next_step,
             "next_on": i.next_on.isoformat() if i.next_on else None,
             "reply_by": i.reply_by.isoformat() if i.reply_by else None, "notes": i.notes, "offices": i.offices,
             "drafts": i.drafts}
            for i in items
        ])
    else:
        print_table("s.55 responses to publish (56 days from the report's publication, publication day included)",
               ["ID", "Office", "Force", "Last day", "Days left", "Stage", "Next step", "By"], [
            [i.inspection_id, i.office or "", i.force, human_date(i.due_on), i.state, i.stage,
             i.next_step + "".join(f" ({note})" for note in i.notes),
             human_date(i.next_on) if i.next_on else "now"]
            for i in items
        ])
    if ics is not None:
        reply_by = sum(1 for i in items if i.reply_by and i.awaiting_comments)
        typer.echo(f"calendar written to {ics} ({len(items)} deadlines, {reply_by} reply-by dates)", err=True)
