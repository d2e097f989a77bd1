"""corr history: the event log."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, print_table, store_at


def history(
    entity: Annotated[Optional[str], typer.Option("--entity", help="Only changes to this table, e.g. letters.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the latest changes.")] = 50,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The append-only log of every change, newest first.

    Example: corr history --entity letters --limit 20
    """
    from sqlalchemy import select

    from correspondence.cli.views import event_view
    from correspondence.records.limits import INT32_MAX
    from correspondence.records.models import Event

    query = select(Event).order_by(Event.id.desc()).limit(min(limit, INT32_MAX))
    if entity:
        query = query.where(Event.entity == entity)
    with store_at(db).reading() as session:
        data = [event_view(event) for event in session.scalars(query)]
    if json_output:
        emit_json(data)
    else:
        print_table("Changes", ["When", "Who", "Change", "Record"], [
            [e["occurred_at"][:19], e["actor"], e["change"], f"{e['entity']} {e['entity_id']}"] for e in data
        ])
