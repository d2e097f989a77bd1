"""corr role: who held a role when."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import (
    Db,
    Json,
    OptionalOffice,
    emit_json,
    human_date,
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


@app.command("set")
def role_set(
    role: Annotated[str, typer.Argument(help="e.g. Commissioner.")],
    name: Annotated[str, typer.Argument(help="The holder's name as recorded, e.g. \"Sir Steve House\".")],
    office: Annotated[str, typer.Option("--office", help="The office whose record it is, e.g. MOPAC.")],
    term_from: Annotated[Optional[str], typer.Option("--term-from", help="Which term, when they held the role more than once: its first day.")] = None,
    new_name: Annotated[Optional[str], typer.Option("--name", help="Their name, corrected.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The title as held, e.g. \"Acting Commissioner\"; \"\" for the role's own.")] = None,
    salutation: Annotated[Optional[str], typer.Option("--salutation", help="e.g. \"Dear Steve\"; \"\" for Dear ROLE.")] = None,
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    starts: Annotated[Optional[str], typer.Option("--from", help="First day in the role.")] = None,
    ends: Annotated[Optional[str], typer.Option("--until", help="Last day in the role; \"\" if they still hold it.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Correct the office's record of a role holder: name, title as held, salutation, address, dates.
    Letters already drafted keep what they say.

    Example: corr role set Commissioner "Sir Steve House" --office MOPAC --title "Acting Commissioner" --salutation "Dear Sir Steve"
    """
    from correspondence.cli.views import role_view
    from correspondence.organisation import roles
    from correspondence.organisation.offices import get_office

    first_day = option_date(term_from, "--term-from")
    starts_on = option_date(starts, "--from")
    ends_on = roles.CLEAR if ends is not None and not ends.strip() else option_date(ends, "--until")
    with store_at(db).transaction() as session:
        holder = roles.find_holder(session, role, name, get_office(session, office), first_day)
        changed = roles.update_holder(session, holder, name=new_name, title=title, salutation=salutation,
                                      address=joined_lines(address) if address is not None else None, starts_on=starts_on,
                                      ends_on=ends_on)
        data = role_view(holder)
    if json_output:
        emit_json(data)
    else:
        words = {"starts_on": "first day", "ends_on": "last day"}
        typer.echo(f"{data['name']} as {data['role']}: " + (f"changed {', '.join(words.get(c, c) for c in changed)}" if changed else "nothing to change"))


@app.command("end")
def role_end(
    role: Annotated[str, typer.Argument(help="e.g. \"Chief Constable\".")],
    name: Annotated[str, typer.Argument(help="The holder's name as recorded.")],
    office: Annotated[str, typer.Option("--office", help="The office whose record it is, e.g. MOPAC.")],
    until: Annotated[str, typer.Option("--until", help="Their last day in the role.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Record the last day of a holder's term (add whoever follows them with 'corr role add').

    Example: corr role end "Chief Constable" "Pippa Mills" --office ESSEX --until 31/3/2026
    """
    from correspondence.cli.views import role_view
    from correspondence.organisation import roles
    from correspondence.organisation.offices import get_office

    ends_on = option_date(until, "--until")
    with store_at(db).transaction() as session:
        holder = roles.end_holder(session, roles.find_holder(session, role, name, get_office(session, office)), ends_on)
        data = role_view(holder)
    emit_json(data) if json_output else typer.echo(f"{data['name']}'s term as {data['role']} ended on {human_date(holder.ends_on)}")
