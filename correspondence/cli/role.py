"""corr role: who held a role when."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import (
    Db,
    Json,
    OptionalOffice,
    emit_json,
    joined_lines,
    option_date,
    print_fields,
    print_table,
    store_at,
)

app = typer.Typer(no_args_is_help=True, help="Who held a role (Home Secretary, Commissioner...) when.")


@app.command("add")
def role_add(
    role: Annotated[str, typer.Argument(help="e.g. Commissioner.")],
    name: Annotated[str, typer.Argument(help="e.g. \"Sir Steve House\".")],
    starts: Annotated[str, typer.Option("--from", help="First day in the role.")],
    ends: Annotated[Optional[str], typer.Option("--until", help="Last day in the role, if it has ended.")] = None,
    office: OptionalOffice = None,
    salutation: Annotated[str, typer.Option("--salutation", help="e.g. \"Dear Steve\" [default: Dear ROLE].")] = "",
    title: Annotated[str, typer.Option("--title", help="The title as held, if not the role's own, e.g. \"Acting Commissioner\".")] = "",
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Record who held a role and when; an office's own roles take precedence over shipped ones.
    Letters address the holder by the title they held (--title), e.g. Acting Commissioner.

    Example: corr role add Commissioner "Sir Steve House" --title "Acting Commissioner" --from 10/4/2022 --until 11/9/2022 --office MOPAC
    """
    from correspondence.cli.views import role_view
    from correspondence.organisation import roles
    from correspondence.organisation.offices import get_office

    starts_on, ends_on = option_date(starts, "--from"), option_date(ends, "--until")
    with store_at(db).transaction() as session:
        holder = roles.add_holder(
            session,
            role=role,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            office=get_office(session, office) if office else None,
            salutation=salutation,
            address=joined_lines(address),
            title=title,
        )
        session.flush()
        data = role_view(holder)
    emit_json(data) if json_output else typer.echo(f"recorded {data['name']} as {data['role']} from {data['starts_on']}")


@app.command("list")
def role_list(
    role: Annotated[Optional[str], typer.Option("--role", help="Only this role.")] = None,
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List role holders with their dates.

    Example: corr role list --role Commissioner --office MOPAC
    """
    from correspondence.cli.views import role_view
    from correspondence.organisation import roles
    from correspondence.organisation.offices import get_office

    with store_at(db).reading() as session:
        chosen = get_office(session, office) if office else None
        data = [role_view(holder) for holder in roles.list_holders(session, role, chosen)]
    if json_output:
        emit_json(data)
    else:
        print_table("Role holders", ["Role", "Name", "Title", "From", "Until", "Office"], [
            [h["role"], h["name"], h["title"], h["starts_on"], h["ends_on"] or "", h["office"] or "(shipped)"] for h in data
        ])


@app.command("who")
def role_who(
    role: Annotated[str, typer.Argument(help="e.g. \"Home Secretary\".")],
    on: Annotated[Optional[str], typer.Option("--on", help="The date [default: today].")] = None,
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Who held a role on a date.

    Example: corr role who "Home Secretary" --on 7/9/2018
    """
    import datetime as dt

    from correspondence.cli.views import role_view
    from correspondence.organisation import roles
    from correspondence.organisation.offices import get_office

    when = option_date(on, "--on") or dt.date.today()
    with store_at(db).reading() as session:
        chosen = get_office(session, office) if office else None
        data = role_view(roles.holder_on(session, role, when, chosen))
    emit_json(data) if json_output else print_fields(data)
