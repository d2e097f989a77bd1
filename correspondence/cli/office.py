"""corr office: the local policing bodies that write the letters."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, joined_lines, print_fields, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="Offices: the local policing bodies that write the letters.")


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
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Change an office's settings, or where its running reference number continues from."""
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
    emit_json(data) if json_output else print_fields(data)
