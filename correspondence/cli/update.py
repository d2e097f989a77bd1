"""corr update: the force's updates on each finding."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, human_date, option_date, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="The force's updates on each finding of a report.")


@app.command("add")
def update_add(
    area: Annotated[str, typer.Argument(help="INSPECTION:CODE, e.g. 1:A3 (C cause of concern, R recommendation, A area for improvement).")],
    status: Annotated[str, typer.Option("--status", help="not started, in progress or complete.")],
    text: Annotated[str, typer.Option("--text", help="What the force says it has done.")],
    date: Annotated[Optional[str], typer.Option("--date", help="When the force gave the update [default: today].")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Record the force's latest update on one finding; earlier updates are kept.

    Example: corr update add 1:A3 --status complete --text "Investigators have been trained in the N100 guidance." --date 1/10/2018
    """
    import datetime as dt

    from correspondence.cli.views import update_view
    from correspondence.records.vocabulary import UpdateStatus
    from correspondence.tracking.updates import add_update, find_area

    chosen = UpdateStatus.parse(status, field="--status")
    today = dt.date.today()
    received = option_date(date, "--date") or today
    with store_at(db).transaction() as session:
        found = find_area(session, area)
        data = {"area": found.code, "inspection_id": found.inspection_id,
                **update_view(add_update(session, found, status=chosen, text=text, received_on=received, today=today))}
    emit_json(data) if json_output else typer.echo(f"recorded update on {data['area']} of inspection {data['inspection_id']}: {data['status']}")


@app.command("list")
def update_list(
    area: Annotated[str, typer.Argument(metavar="AREA", help="INSPECTION:CODE, e.g. 1:A3.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Every update on one finding, oldest first and numbered, retracted ones included.

    Example: corr update list 1:A3
    """
    from correspondence.tracking.updates import find_area, history

    with store_at(db).transaction() as session:
        found = find_area(session, area)
        data = [_history_view(number, update) for number, update in history(found)]
        code, inspection_id = found.code, found.inspection_id
    if json_output:
        emit_json(data)
        return
    print_table(f"Updates on {code} of inspection {inspection_id}", ["No.", "Received", "Status", "Update", "Retracted"], [
        [u["number"], human_date(u["received_on"]), u["status"], u["text"],
         f"{human_date(u['retracted_at'][:10])} by {u['retracted_by']}: {u['retraction_reason']}" if u["retracted_at"] else ""]
        for u in data
    ])


@app.command("retract")
def update_retract(
    area: Annotated[str, typer.Argument(metavar="AREA", help="INSPECTION:CODE, e.g. 1:A3.")],
    number: Annotated[int, typer.Argument(metavar="N", help="The update's number, as 'corr update list AREA' shows it.")],
    why: Annotated[str, typer.Option("--why", help="Why it is withdrawn, e.g. \"entered against the wrong finding\".")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Withdraw a mistaken update. It stays in the history and the event log, but letters and the
    latest update leave it out.

    Example: corr update retract 1:A3 2 --why "entered against the wrong finding"
    """
    from correspondence.records.store import current_actor
    from correspondence.tracking.updates import find_area, retract

    with store_at(db).transaction() as session:
        found = find_area(session, area)
        update = retract(session, found, number, why=why, actor=current_actor())
        data = {"area": found.code, "inspection_id": found.inspection_id, **_history_view(number, update)}
        latest = found.latest_update
        data["latest_now"] = f"{latest.status}: {latest.text}" if latest else None
    if json_output:
        emit_json(data)
    else:
        now = data["latest_now"] or "no update (awaiting one)"
        typer.echo(f"retracted update {number} on {data['area']} of inspection {data['inspection_id']}; latest is now {now}")


def _history_view(number: int, update: Any) -> dict[str, Any]:
    from correspondence.cli.views import update_view

    return {"number": number, **update_view(update), "retracted_at": jsonable(update.retracted_at),
            "retracted_by": update.retracted_by, "retraction_reason": update.retraction_reason}


def jsonable(value: Any) -> Any:
    from correspondence.records.store import jsonable as convert

    return convert(value)
