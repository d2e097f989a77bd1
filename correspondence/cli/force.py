"""corr force: police forces."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="Police forces.")


@app.command("add")
def force_add(
    name: Annotated[str, typer.Argument(help="e.g. \"Leicestershire Police\".")],
    chief_title: Annotated[Optional[str], typer.Option("--chief-title", help="Commissioner or Chief Constable [default: Commissioner for the Met and the City of London Police, else Chief Constable].")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add a police force. Its chief officer is a Chief Constable, or a Commissioner for the Met
    and the City of London Police, unless --chief-title says otherwise.

    Example: corr force add "Leicestershire Police"

    Example: corr force add "Metropolitan Police Service"
    """
    from correspondence.cli.views import force_view
    from correspondence.organisation.offices import add_force

    with store_at(db).transaction() as session:
        data = force_view(add_force(session, name, chief_title))
    emit_json(data) if json_output else typer.echo(f"added force {data['name']}")


@app.command("list")
def force_list(db: Db = None, json_output: Json = False) -> None:
    """List the forces.

    Example: corr force list
    """
    from correspondence.cli.views import force_view
    from correspondence.organisation.offices import list_forces

    with store_at(db).reading() as session:
        data = [force_view(force) for force in list_forces(session)]
    if json_output:
        emit_json(data)
    else:
        print_table("Forces", ["Name", "Chief officer"], [[f["name"], f["chief_officer_title"]] for f in data])


@app.command("set")
def force_set(
    name: Annotated[str, typer.Argument(help="The force, e.g. \"Metropolitan Police Service\".")],
    chief_title: Annotated[str, typer.Option("--chief-title", help="Its chief officer's title, e.g. Commissioner; \"\" for the usual one.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Change the title of a force's chief officer. Forces are shared: every office overseeing the
    force gets the new title in its letters.

    Example: corr force set "Metropolitan Police Service" --chief-title Commissioner
    """
    from correspondence.cli.views import force_view
    from correspondence.organisation.offices import get_force, set_chief_officer_title

    with store_at(db).transaction() as session:
        force = get_force(session, name)
        changed = set_chief_officer_title(session, force, chief_title)
        data = force_view(force)
    if json_output:
        emit_json(data)
    else:
        typer.echo(f"{data['name']}: chief officer is the {data['chief_officer_title']}" + ("" if changed else " (unchanged)"))
