"""corr action: actions arising from meetings."""

from __future__ import annotations

from typing import Annotated, Any, Optional

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

app = typer.Typer(no_args_is_help=True, help="Actions arising from meetings: who does what by when.")


def _action_view(item: Any) -> dict[str, Any]:
    action, meeting = item.action, item.meeting
    return {
        "action_no": f"{meeting.id}:{action.number}", "meeting_id": meeting.id, "meeting": meeting.title,
        "held_on": meeting.held_on.isoformat(), "office": meeting.office.short_name, "number": action.number,
        "action": action.action, "timing": action.timing, "lead": action.lead, "status": action.status.value,
        "due_on": action.due_on.isoformat() if action.due_on else None, "overdue": item.overdue,
    }


@app.command("add")
def action_add(
    meeting: Annotated[str, typer.Argument(metavar="MEETING", help="The meeting's number.")],
    action: Annotated[str, typer.Option("--action", help="What is to be done.")],
    timing: Annotated[str, typer.Option("--timing", help="When, as the annex says it, e.g. \"By 13 May\".")] = "",
    lead: Annotated[str, typer.Option("--lead", help="Who leads, e.g. MPS or MOPAC.")] = "",
    due: Annotated[Optional[str], typer.Option("--due", help="The date it is due, for overdue tracking.")] = None,
    number: Annotated[Optional[int], typer.Option("--number", help="Its number [default: the next].")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add an action arising from a meeting.

    Example: corr action add 1 --action "MPS to share the Use of Force Scrutiny Panels' terms of reference with MOPAC." --lead MPS --timing "By end June 2022" --due 30/6/2022
    """
    import datetime as dt

    from correspondence.tracking.actions import ListedAction, add_action
    from correspondence.tracking.meetings import get_meeting

    due_on = option_date(due, "--due")
    with store_at(db).transaction() as session:
        found = get_meeting(session, meeting)
        added = add_action(session, found, text=action, timing=timing, lead=lead, due_on=due_on, number=number)
        data = _action_view(ListedAction.as_of(added, dt.date.today()))
    emit_json(data) if json_output else typer.echo(f"added action {data['action_no']}: {data['action']}")


@app.command("update")
def action_update(
    action: Annotated[str, typer.Argument(metavar="MEETING:NUMBER", help="e.g. 1:5 for action 5 of meeting 1.")],
    status: Annotated[Optional[str], typer.Option("--status", help="open, done or dropped.")] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="A new due date.")] = None,
    timing: Annotated[Optional[str], typer.Option("--timing", help="New timing text.")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="A new lead.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Change an action's status, due date, timing or lead.

    Example: corr action update 1:3 --status done

    Example: corr action update 1:2 --due 27/5/2022 --timing "By 27 May"
    """
    import datetime as dt

    from correspondence.records.vocabulary import ActionStatus
    from correspondence.tracking.actions import ListedAction, find_action, update_action

    chosen = ActionStatus.parse(status, field="--status") if status else None
    due_on = option_date(due, "--due")
    with store_at(db).transaction() as session:
        found = find_action(session, action)
        changed = update_action(session, found, status=chosen, due_on=due_on, timing=timing, lead=lead)
        data = _action_view(ListedAction.as_of(found, dt.date.today()))
    if json_output:
        emit_json(data)
    else:
        typer.echo(f"action {data['action_no']}: changed {', '.join(changed)}" if changed else f"action {data['action_no']}: nothing to change")


@app.command("list")
def action_list(
    office: OptionalOffice = None,
    meeting: Annotated[Optional[str], typer.Option("--meeting", help="Only this meeting's actions.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="open, done or dropped.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due date.")] = False,
    today: Annotated[Optional[str], typer.Option("--today", help="Judge overdue against this date instead of today.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List actions, overdue first.

    Example: corr action list --office MOPAC --overdue

    Example: corr action list --meeting 1 --status open
    """
    import datetime as dt

    from correspondence.records.vocabulary import ActionStatus
    from correspondence.tracking.actions import list_actions

    chosen = ActionStatus.parse(status, field="--status") if status else None
    when = option_date(today, "--today") or dt.date.today()
    with store_at(db).reading() as session:
        data = [_action_view(item) for item in list_actions(session, when, office=office, status=chosen,
                                                            overdue_only=overdue, meeting_id=meeting)]
    if json_output:
        emit_json(data)
    else:
        print_table("Actions", ["Action no.", "Action", "Lead", "Timing", "Due", "Status"], [
            [a["action_no"], a["action"], a["lead"], a["timing"], human_date(a["due_on"]),
             "OVERDUE" if a["overdue"] else a["status"]]
            for a in data
        ])
