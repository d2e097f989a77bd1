"""corr office: the local policing bodies that write the letters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import (
    Db,
    Json,
    emit_json,
    joined_lines,
    option_date,
    print_fields,
    print_table,
    store_at,
)
from correspondence.records.errors import CorrespondenceError

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
    letters: Annotated[Optional[Path], typer.Option("--letters", help="A folder of the office's own that also gets a copy of each new file (a mirror, on the shared drive say) [default: none; the files are kept in the store].")] = None,
    require_approval: Annotated[bool, typer.Option("--require-approval/--no-require-approval", help="Whether every letter needs a second person's approval before it is sent (on unless turned off).")] = True,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add an office. The reference scheme and date format are explained in the guide (docs/guide/letters.md).

    Example: corr office add --short LLR --name "Office of the Police & Crime Commissioner for Leicester, Leicestershire & Rutland" --signatory "Lord Willy Bach" --signatory-title "Police and Crime Commissioner" --force "Leicestershire Police" --reference-scheme "OPCC/{seq}/{yy}"
    """
    from correspondence.cli.views import office_view
    from correspondence.organisation import offices

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
            letters_dir=letters,
            require_approval=require_approval,
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
    year: Annotated[Optional[int], typer.Option("--year", help="With --next-number: the year it applies to, for a scheme numbered per year.")] = None,
    reply_by_days: Annotated[Optional[int], typer.Option("--reply-by-days", help="Invitations ask for the chief officer's comments this many days after the report's publication (default 21).")] = None,
    require_approval: Annotated[Optional[bool], typer.Option("--require-approval/--no-require-approval", help="Whether every letter needs a second person's approval before it is sent.", show_default=False)] = None,
    force: Annotated[Optional[str], typer.Option("--force", help="The force the office oversees (\"\" for none).")] = None,
    letters: Annotated[Optional[str], typer.Option("--letters", help="A folder of the office's own that also gets a copy of each new file (a mirror, on the shared drive say); \"\" for none. The files are kept in the store either way.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Change an office's settings, or where its running reference number continues from.

    Example: corr office set MOPAC --reply-by-days 21 --require-approval

    Example: corr office set LLR --next-number 114 --year 2019
    """
    from correspondence.cli.views import office_view
    from correspondence.organisation import offices
    from correspondence.register import references

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
            letters_dir=letters,
        )
        if force is not None and offices.set_force(session, office, force.strip()):
            changed.append("force")
        if next_number is not None:
            references.set_next_number(session, office, next_number, year)
            changed.append(f"next number ({year})" if year is not None else "next number")
        elif year is not None:
            raise CorrespondenceError("--year goes with --next-number")
        data = office_view(office)
        data["next_reference"] = _next_reference(session, office, year)
    if json_output:
        emit_json(data)
    else:
        shown = ", ".join({"letters_dir": "letters folder"}.get(name, name.replace("_", " ")) for name in changed)
        typer.echo(f"{data['short_name']}: changed {shown}" if changed else f"{data['short_name']}: nothing to change")
        if changed:
            typer.echo(f"next reference: {data['next_reference']}")


@app.command("list")
def office_list(db: Db = None, json_output: Json = False) -> None:
    """List the offices.

    Example: corr office list
    """
    from correspondence.cli.views import office_view
    from correspondence.organisation.offices import list_offices

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
    """Show one office, with the reference its next letter will take.

    Example: corr office show MOPAC
    """
    from correspondence.cli.views import office_view
    from correspondence.organisation.offices import get_office

    with store_at(db).reading() as session:
        office = get_office(session, short_name)
        data = office_view(office)
        data["next_reference"] = _next_reference(session, office)
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
    from correspondence.cli.views import address_view
    from correspondence.organisation.offices import add_address, get_office

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
    from correspondence.cli.views import address_view
    from correspondence.organisation.offices import get_office

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


def _next_reference(session: Any, office: Any, year: int | None = None) -> str:
    """The next reference for a letter dated today, or in ``year`` (a per-year scheme's number
    depends on the letter's year)."""
    import datetime as dt

    from correspondence.register.references import numbered_per_year, preview

    today = dt.date.today()
    on = today if year in (None, today.year) else dt.date(year, 1, 1)
    shown = preview(session, office, on=on)
    return f"{shown} (for a letter dated in {on.year})" if numbered_per_year(office.reference_scheme) else shown
