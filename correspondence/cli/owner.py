"""corr owner: who in an office owns an inspection's response, and each finding to follow up."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from correspondence.cli.common import Db, Json, OfficeName, emit_json, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="Who owns each response and finding: the dashboard's \"mine\" and the morning e-mail.")

Target = Annotated[str, typer.Argument(metavar="INSPECTION[:CODE]", help="An inspection (its response), or one finding, e.g. 1:R2.")]


@app.command("set")
def owner_set(
    target: Target,
    user: Annotated[str, typer.Argument(metavar="USER", help="The owner's login name; they must be a drafter or above.")],
    db: Db = None,
) -> None:
    """Make a user the owner of an inspection's response, or of one finding, for their office.

    Example: corr owner set 1:A3 jsmith
    """
    from correspondence.organisation.users import get_user

    with store_at(db).transaction() as session:
        owner = get_user(session, user)
        label = _assign(session, target, owner.office, owner)
        name, office = owner.name, owner.office.short_name
    typer.echo(f"{label}: owned by {name} ({office})")


@app.command("clear")
def owner_clear(target: Target, office: OfficeName, db: Db = None) -> None:
    """Leave an inspection's response, or a finding, without an owner in the office.

    Example: corr owner clear 1:A3 --office MOPAC
    """
    from correspondence.organisation.offices import get_office

    with store_at(db).transaction() as session:
        label = _assign(session, target, get_office(session, office), None)
    typer.echo(f"{label}: no owner")


@app.command("list")
def owner_list(office: OfficeName, db: Db = None, json_output: Json = False) -> None:
    """The office's open findings and the responses due, with their owners.

    Example: corr owner list --office MOPAC
    """
    from correspondence.organisation.offices import get_office
    from correspondence.process.due import due_responses
    from correspondence.tracking.owners import open_findings, response_owners

    with store_at(db).transaction() as session:
        chosen = get_office(session, office)
        due = due_responses(session, dt.date.today(), office=chosen.short_name)
        owners = response_owners(session, chosen, [item.inspection_id for item in due])
        rows = [{"what": f"{item.inspection_id}", "kind": "s.55 response", "text": f"{item.force}: {item.programme}",
                 "status": item.state, "owner": owners[item.inspection_id].name if item.inspection_id in owners else None}
                for item in due]
        rows += [{"what": f"{f.inspection.id}:{f.code}", "kind": f.area.kind.value, "text": f.area.text, "status": f.status,
                  "owner": f.owner.name if f.owner else None} for f in open_findings(session, chosen)]
    if json_output:
        emit_json(rows)
        return
    print_table(f"{office}: responses due and open findings", ["ID", "Kind", "What", "Status", "Owner"],
                [[r["what"], r["kind"], r["text"], r["status"], r["owner"] or "(nobody)"] for r in rows])


def _assign(session: Any, target: str, office: Any, owner: Any) -> str:
    from correspondence.tracking.inspections import get_inspection
    from correspondence.tracking.owners import assign_finding, assign_response
    from correspondence.tracking.updates import find_area

    today = dt.date.today()
    if ":" in target or "/" in target:
        area = find_area(session, target)
        assign_finding(session, office, area, owner, today)
        return f"{area.code} of inspection {area.inspection_id}"
    inspection = get_inspection(session, target)
    assign_response(session, office, inspection, owner, today)
    return f"the response to inspection {inspection.id}"
