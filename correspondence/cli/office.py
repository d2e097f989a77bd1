"""corr office: the local policing bodies that write the letters."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, joined_lines, option_date, print_fields, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="Offices: the local policing bodies that write the letters.")
address_app = typer.Typer(no_args_is_help=True, help="The letterhead addresses an office has had, with their dates.")
app.add_typer(address_app, name="address")


@app.command("add")
def office_add(
    name: Annotated[str, typer.Option("--name", help="Full name, e.g. \"Mayor's Office for Policing and Crime\".")],
    short_name: Annotated[str, typer.Option("--short", help="Short name used in commands, e.g. MOPAC.")],
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    signatory: Annotated[str, typer.Option("--signatory", help="Who signs the letters.")] = "",
    signatory_title: Annotated[str, typer.Option("--signatory-title", help="The signatory's title.")] = "",
    reference_scheme: Annotated[str, typer.Option("--reference-scheme", help="Pattern for new references.")] = "{seq}",
    force: Annotated[Optional[str], typer.Option("--force", help="The force the office oversees.")] = None,
    date_format: Annotated[str, typer.Option("--date-format", help="How letters write dates.")] = "%-d %B %Y",
    letterhead: Annotated[Optional[list[str]], typer.Option("--letterhead", help="A letterhead line (phone, email, web); repeat for each.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add an office. The reference scheme and date format are explained in the README."""
    from correspondence import offices
    from correspondence.views import office_view

    with store_at(db).transaction() as session:
        office = offices.add_office(
            session,
            name=name,
            short_name=short_name,
            address=joined_lines(address),
            signatory_name=signatory,
            signatory_title=signatory_title,
            reference_scheme=reference_scheme,
            force=offices.get_force(session, force) if force else None,
            date_format=date_format,
            letterhead=joined_lines(letterhead),
        )
        data = office_view(office)
    emit_json(data) if json_output else typer.echo(f"added office {data['short_name']}: {data['name']}")


@app.command("set")
def office_set(
    short_name: Annotated[str, typer.Argument(help="Short name, e.g. MOPAC.")],
    name: Annotated[Optional[str], typer.Option("--name", help="Full name.")] = None,
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    signatory: Annotated[Optional[str], typer.Option("--signatory", help="Who signs the letters.")] = None,
    signatory_title: Annotated[Optional[str], typer.Option("--signatory-title", help="The signatory's title.")] = None,
    reference_scheme: Annotated[Optional[str], typer.Option("--reference-scheme", help="Pattern for new references.")] = None,
    date_format: Annotated[Optional[str], typer.Option("--date-format", help="How letters write dates.")] = None,
    letterhead: Annotated[Optional[list[str]], typer.Option("--letterhead", help="A letterhead line; repeat for each.")] = None,
    next_number: Annotated[Optional[int], typer.Option("--next-number", help="The running number the next reference takes.")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="With --next-number, for a scheme numbered per year.")] = None,
    reply_by_days: Annotated[Optional[int], typer.Option("--reply-by-days", help="Invitations ask for the chief officer's comments this many days after the report's publication (default 21).")] = None,
    require_approval: Annotated[Optional[bool], typer.Option("--require-approval/--no-require-approval", help="Whether every letter needs a second person's approval before it is sent.", show_default=False)] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Change an office's settings, or where its running reference number continues from.

    Example: corr office set MOPAC --reply-by-days 21 --require-approval
    """
    from correspondence import offices, references
    from correspondence.views import office_view

    with store_at(db).transaction() as session:
        office = offices.get_office(session, short_name)
        changed = offices.update_office(
            session,
            office,
            name=name,
            address=joined_lines(address) if address else None,
            signatory_name=signatory,
            signatory_title=signatory_title,
            reference_scheme=reference_scheme,
            date_format=date_format,
            letterhead=joined_lines(letterhead) if letterhead else None,
            reply_by_days=reply_by_days,
            require_approval=require_approval,
        )
        if next_number is not None:
            references.set_next_number(session, office, next_number, year)
            changed.append("next number")
        data = office_view(office)
    if json_output:
        emit_json(data)
    else:
        typer.echo(f"{data['short_name']}: changed {', '.join(changed)}" if changed else f"{data['short_name']}: nothing to change")


@app.command("list")
def office_list(db: Db = None, json_output: Json = False) -> None:
    """List the offices."""
    from correspondence.offices import list_offices
    from correspondence.views import office_view

    with store_at(db).reading() as session:
        data = [office_view(office) for office in list_offices(session)]
    if json_output:
        emit_json(data)
    else:
        print_table("Offices", ["Short", "Name", "Signatory", "Force"], [
            [o["short_name"], o["name"], o["signatory_name"], o["force"]] for o in data
        ])


@app.command("show")
def office_show(short_name: Annotated[str, typer.Argument(help="Short name, e.g. MOPAC.")], db: Db = None, json_output: Json = False) -> None:
    """Show one office."""
    from correspondence.offices import get_office
    from correspondence.views import office_view

    with store_at(db).reading() as session:
        data = office_view(get_office(session, short_name))
    if json_output:
        emit_json(data)
        return
    print_fields(data, skip=("dated_addresses",))
    for dated in data["dated_addresses"]:
        typer.echo(f"address {_period(dated)}: {dated['address'].replace(chr(10), ', ')}")


@address_app.command("add")
def address_add(
    short_name: Annotated[str, typer.Argument(help="Short name, e.g. MOPAC.")],
    address: Annotated[list[str], typer.Option("--address", help="One address line; repeat for each.")],
    starts: Annotated[Optional[str], typer.Option("--from", help="First day the office was at this address.")] = None,
    ends: Annotated[Optional[str], typer.Option("--until", help="Last day the office was at this address.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Record an address the office had between two dates: a letter carries the address of its own date
    (the office's own address, set with 'office set --address', on dates no dated address covers).

    Example: corr office address add MOPAC --address "City Hall" --address "The Queen's Walk" --address "London SE1 2AA" --until 31/12/2021
    """
    from correspondence.offices import add_address, get_office
    from correspondence.views import address_view

    starts_on, ends_on = option_date(starts, "--from"), option_date(ends, "--until")
    with store_at(db).transaction() as session:
        office = get_office(session, short_name)
        data = address_view(add_address(session, office, joined_lines(address), starts_on, ends_on))
    emit_json(data) if json_output else typer.echo(f"{short_name}: address {_period(data)} recorded")


@address_app.command("list")
def address_list(
    short_name: Annotated[str, typer.Argument(help="Short name, e.g. MOPAC.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The office's dated addresses, oldest first.

    Example: corr office address list MOPAC
    """
    from correspondence.offices import get_office
    from correspondence.views import address_view

    with store_at(db).transaction() as session:
        data = [address_view(record) for record in get_office(session, short_name).addresses]
    if json_output:
        emit_json(data)
    else:
        print_table(f"Addresses of {short_name}", ["From", "Until", "Address"],
                    [[d["from"] or "", d["until"] or "", d["address"].replace("\n", ", ")] for d in data])


def _period(dated: dict) -> str:
    if dated["from"] and dated["until"]:
        return f"from {dated['from']} until {dated['until']}"
    return f"from {dated['from']}" if dated["from"] else f"until {dated['until']}"
