"""corr meeting: oversight meetings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from correspondence.cli.common import Db, Json, OptionalOffice, emit_json, human_date, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="Oversight meetings and their actions arising.")

if TYPE_CHECKING:
    pass


@app.command("add")
def meeting_add(
    file: Annotated[Path, typer.Argument(help="A meeting file in YAML (format: docs/reference/files.md).")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Store a meeting, its themes, issues and actions arising, from a YAML file.

    Example: corr meeting add mopac-board-2022-06.yaml
    """
    from correspondence.cli.views import meeting_view
    from correspondence.tracking.meeting_file import load_meeting_file
    from correspondence.tracking.meetings import add_meeting

    spec = load_meeting_file(file)
    with store_at(db).transaction() as session:
        data = meeting_view(add_meeting(session, spec))
    emit_json(data) if json_output else typer.echo(f"stored meeting {data['id']}: {data['title']} ({len(data['actions'])} actions)")


@app.command("list")
def meeting_list(office: OptionalOffice = None, db: Db = None, json_output: Json = False) -> None:
    """List meetings, newest first.

    Example: corr meeting list --office MOPAC
    """
    from correspondence.cli.views import meeting_view
    from correspondence.tracking.meetings import list_meetings

    with store_at(db).reading() as session:
        data = [meeting_view(meeting) for meeting in list_meetings(session, office)]
    if json_output:
        emit_json(data)
    else:
        print_table("Meetings", ["ID", "Date", "Office", "Title", "Actions"], [
            [m["id"], m["held_on"], m["office"], m["title"], len(m["actions"])] for m in data
        ])


@app.command("show")
def meeting_show(
    meeting: Annotated[str, typer.Argument(metavar="ID", help="The meeting's number.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Show a meeting with its actions.

    Example: corr meeting show 1
    """
    from correspondence.cli.views import meeting_view
    from correspondence.tracking.meetings import get_meeting

    with store_at(db).reading() as session:
        data = meeting_view(get_meeting(session, meeting))
    if json_output:
        emit_json(data)
        return
    typer.echo(f"Meeting {data['id']}: {data['title']}, {human_date(data['held_on'])} ({data['office']})")
    for action in data["actions"]:
        typer.echo(f"  {action['number']}. {action['action']} [{action['timing']}; {action['lead']}; {action['status']}]")


@app.command("delete")
def meeting_delete(
    meeting: Annotated[str, typer.Argument(metavar="ID", help="The meeting's number.")],
    db: Db = None,
) -> None:
    """Delete a meeting stored by mistake (stored twice, or with the wrong details), with its open
    actions; all kept in the event log. Refused once a letter refers to it or one of its actions
    has been marked done or dropped.

    Example: corr meeting delete 2
    """
    from correspondence.records.dates import long_date
    from correspondence.tracking.meetings import delete_meeting, get_meeting

    with store_at(db).transaction() as session:
        found = get_meeting(session, meeting)
        title, held_on = found.title, found.held_on
        removed = delete_meeting(session, found)
    with_actions = f" with its {removed} open action{'s' if removed != 1 else ''}" if removed else ""
    typer.echo(f"deleted {title} of {long_date(held_on)}{with_actions}")
