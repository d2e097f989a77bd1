"""corr update: the force's updates on each finding."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, option_date, store_at

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
    """Record the force's latest update on one finding; earlier updates are kept."""
    import datetime as dt

    from correspondence.updates import add_update, find_area
    from correspondence.views import update_view
    from correspondence.vocabulary import UpdateStatus

    chosen = UpdateStatus.parse(status, field="--status")
    today = dt.date.today()
    received = option_date(date, "--date") or today
    with store_at(db).transaction() as session:
        found = find_area(session, area)
        data = {"area": found.code, "inspection_id": found.inspection_id,
                **update_view(add_update(session, found, status=chosen, text=text, received_on=received, today=today))}
    emit_json(data) if json_output else typer.echo(f"recorded update on {data['area']} of inspection {data['inspection_id']}: {data['status']}")
