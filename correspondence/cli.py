"""The ``corr`` command: a thin layer over the library.

Each command opens the store, does its work in one transaction, and prints. Library modules are
imported inside the commands so ``corr --help`` starts without loading SQLAlchemy. Errors of the
package's own type become one line on stderr and exit code 1 (see _ReportingGroup).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from correspondence.errors import CorrespondenceError

if TYPE_CHECKING:
    from correspondence.store import Store


class _ReportingGroup(TyperGroup):
    """Turn the package's errors, from any subcommand, into a one-line message and exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CorrespondenceError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_ReportingGroup,
    no_args_is_help=True,
    add_completion=False,
    help="Draft, log and track the formal letters of a police and crime commissioner's office.",
)
office_app = typer.Typer(no_args_is_help=True, help="Offices: the local policing bodies that write the letters.")
force_app = typer.Typer(no_args_is_help=True, help="Police forces.")
inspection_app = typer.Typer(no_args_is_help=True, help="HMICFRS inspections and what they found.")
letter_app = typer.Typer(no_args_is_help=True, help="The register of letters in and out.")
role_app = typer.Typer(no_args_is_help=True, help="Who held a role (Home Secretary, Commissioner...) when.")
app.add_typer(office_app, name="office")
app.add_typer(force_app, name="force")
app.add_typer(inspection_app, name="inspection")
app.add_typer(letter_app, name="letter")
app.add_typer(role_app, name="role")

Db = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        envvar="CORR_DATABASE_URL",
        help="Database URL or SQLite file [default: correspondence.db in this folder].",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
OfficeName = Annotated[str, typer.Option("--office", help="The office's short name, e.g. MOPAC.")]
OptionalOffice = Annotated[Optional[str], typer.Option("--office", help="The office's short name, e.g. MOPAC.")]


def main() -> None:
    app()


# --- helpers ---------------------------------------------------------------------------------


def _store(db: str | None) -> Store:
    from correspondence.store import open_store

    return open_store(db)


def _date(text: str | None, option: str) -> Any:
    if text is None:
        return None
    from correspondence.dates import parse_date

    return parse_date(text, field=option)


def _emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in columns:
        # Dates and references must stay readable and copyable: never wrap them.
        keep_whole = column in {"Date", "Reference", "ID", "Published", "From", "Until", "When", "Short"}
        table.add_column(column, overflow="fold", no_wrap=keep_whole)
    for row in rows:
        table.add_row(*("" if cell is None else str(cell) for cell in row))
    Console().print(table)
    if not rows:
        typer.echo("(none)")


def _fields(data: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    width = max(len(key) for key in data)
    for key, value in data.items():
        if key in skip or value in (None, ""):
            continue
        text = str(value).replace("\n", ", ")
        typer.echo(f"{key.replace('_', ' '):<{width}}  {text}")


def _human(iso_date: str | None) -> str:
    """ISO text from a view as a letter writes it: '7 September 2018'."""
    if not iso_date:
        return ""
    from correspondence.dates import long_date, parse_date

    return long_date(parse_date(iso_date))


def _lines(values: list[str] | None) -> str:
    return "\n".join(line.strip() for line in values or [] if line.strip())


# --- init and example ---------------------------------------------------------------------------


@app.command()
def init(db: Db = None) -> None:
    """Create the database, or bring its schema up to date."""
    from correspondence.roles import ensure_shipped_roles
    from correspondence.store import Store

    store = Store(db)
    applied = store.migrate()
    with store.transaction() as session:
        added = ensure_shipped_roles(session)
    current, _ = store.schema_revision()
    state = "created or upgraded" if applied else "already up to date"
    typer.echo(f"database {store.display_url}: schema {state} (revision {current}); {added} shipped role holders added")


@app.command()
def example(db: Db = None, json_output: Json = False) -> None:
    """Load the bundled example (MOPAC, the Met's 2018 CDI inspection, one letter) and show it."""
    from correspondence.example import load_example
    from correspondence.views import inspection_view, letter_view, office_view

    store = _store(db)
    with store.transaction() as session:
        loaded = load_example(session)
        data = {
            "database": store.display_url,
            "newly_loaded": loaded.newly_loaded,
            "office": office_view(loaded.office),
            "inspection": inspection_view(loaded.inspection),
            "letter": letter_view(loaded.letter),
        }
    if json_output:
        _emit_json(data)
        return
    verb = "Loaded" if loaded.newly_loaded else "Already loaded; showing"
    typer.echo(f"{verb} the bundled example in {data['database']}\n")
    typer.echo(f"Office     {data['office']['name']} ({data['office']['short_name']})")
    typer.echo(f"Signatory  {data['office']['signatory_name']}, {data['office']['signatory_title']}\n")
    _print_inspection(data["inspection"])
    typer.echo("")
    letter = data["letter"]
    typer.echo(
        f"Letter     {letter['reference']} of {_human(letter['date'])} to {letter['addressee_name']} "
        f"({letter['addressee_role']}), {letter['status']}: {letter['subject']}"
    )


# --- offices and forces -----------------------------------------------------------------------


@office_app.command("add")
def office_add(
    name: Annotated[str, typer.Option("--name", help="Full name, e.g. \"Mayor's Office for Policing and Crime\".")],
    short_name: Annotated[str, typer.Option("--short", help="Short name used in commands, e.g. MOPAC.")],
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    signatory: Annotated[str, typer.Option("--signatory", help="Who signs the letters.")] = "",
    signatory_title: Annotated[str, typer.Option("--signatory-title", help="The signatory's title.")] = "",
    reference_scheme: Annotated[str, typer.Option("--reference-scheme", help="Pattern for new references.")] = "{seq}",
    force: Annotated[Optional[str], typer.Option("--force", help="The force the office oversees.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add an office."""
    from correspondence import offices
    from correspondence.views import office_view

    with _store(db).transaction() as session:
        office = offices.add_office(
            session,
            name=name,
            short_name=short_name,
            address=_lines(address),
            signatory_name=signatory,
            signatory_title=signatory_title,
            reference_scheme=reference_scheme,
            force=offices.get_force(session, force) if force else None,
        )
        data = office_view(office)
    _emit_json(data) if json_output else typer.echo(f"added office {data['short_name']}: {data['name']}")


@office_app.command("list")
def office_list(db: Db = None, json_output: Json = False) -> None:
    """List the offices."""
    from correspondence.offices import list_offices
    from correspondence.views import office_view

    with _store(db).transaction() as session:
        data = [office_view(office) for office in list_offices(session)]
    if json_output:
        _emit_json(data)
    else:
        _table("Offices", ["Short", "Name", "Signatory", "Force"], [
            [o["short_name"], o["name"], o["signatory_name"], o["force"]] for o in data
        ])


@office_app.command("show")
def office_show(short_name: Annotated[str, typer.Argument(help="Short name, e.g. MOPAC.")], db: Db = None, json_output: Json = False) -> None:
    """Show one office."""
    from correspondence.offices import get_office
    from correspondence.views import office_view

    with _store(db).transaction() as session:
        data = office_view(get_office(session, short_name))
    _emit_json(data) if json_output else _fields(data)


@force_app.command("add")
def force_add(
    name: Annotated[str, typer.Argument(help="e.g. \"Leicestershire Police\".")],
    chief_title: Annotated[str, typer.Option("--chief-title", help="Commissioner or Chief Constable.")] = "Chief Constable",
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add a police force."""
    from correspondence.offices import add_force
    from correspondence.views import force_view

    with _store(db).transaction() as session:
        data = force_view(add_force(session, name, chief_title))
    _emit_json(data) if json_output else typer.echo(f"added force {data['name']}")


@force_app.command("list")
def force_list(db: Db = None, json_output: Json = False) -> None:
    """List the forces."""
    from correspondence.offices import list_forces
    from correspondence.views import force_view

    with _store(db).transaction() as session:
        data = [force_view(force) for force in list_forces(session)]
    if json_output:
        _emit_json(data)
    else:
        _table("Forces", ["Name", "Chief officer"], [[f["name"], f["chief_officer_title"]] for f in data])


# --- inspections ------------------------------------------------------------------------------


@inspection_app.command("add")
def inspection_add(
    file: Annotated[Path, typer.Argument(help="An inspection file in YAML (format in the README).")],
    add_force: Annotated[bool, typer.Option("--add-force", help="Create the force if it is not known yet.")] = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Store an inspection described in a YAML file."""
    from correspondence.inspection_file import load_inspection_file
    from correspondence.inspections import add_inspection
    from correspondence.views import inspection_view

    spec = load_inspection_file(file)  # validate fully before touching the database
    with _store(db).transaction() as session:
        data = inspection_view(add_inspection(session, spec, add_force=add_force))
    if json_output:
        _emit_json(data)
    else:
        typer.echo(
            f"stored inspection {data['id']}: {data['title']} ({len(data['judgments'])} judgments, "
            f"{len(data['measures'])} measures, {len(data['areas'])} areas)"
        )


@inspection_app.command("list")
def inspection_list(
    force: Annotated[Optional[str], typer.Option("--force", help="Only this force's inspections.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List inspections, newest first."""
    from correspondence.inspections import list_inspections
    from correspondence.views import inspection_summary

    with _store(db).transaction() as session:
        data = [inspection_summary(inspection) for inspection in list_inspections(session, force)]
    if json_output:
        _emit_json(data)
    else:
        _table("Inspections", ["ID", "Published", "Force", "Programme", "Grade", "Areas"], [
            [i["id"], i["published_on"], i["force"], i["programme"], i["overall_grade"], i["areas"]] for i in data
        ])


@inspection_app.command("show")
def inspection_show(
    inspection_id: Annotated[str, typer.Argument(metavar="ID", help="The inspection's number.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Show an inspection with its grades, figures and areas."""
    from correspondence.inspections import get_inspection
    from correspondence.views import inspection_view

    with _store(db).transaction() as session:
        data = inspection_view(get_inspection(session, inspection_id))
    _emit_json(data) if json_output else _print_inspection(data)


def _print_inspection(data: dict[str, Any]) -> None:
    typer.echo(f"Inspection {data['id']}: {data['title']}")
    typer.echo(f"  {data['force']}, {data['programme']}, published {_human(data['published_on'])}")
    typer.echo(f"  Overall grade: {data['overall_grade'] or '(none given)'}")
    for judgment in data["judgments"]:
        typer.echo(f"  - {judgment['question']}  [{judgment['grade']}]")
    if data["measures"]:
        typer.echo("  Figures:")
        for measure in data["measures"]:
            typer.echo(f"  - {measure['name']}: {measure['text']}")
    if data["areas"]:
        typer.echo("  Causes of concern, recommendations and areas for improvement:")
        for area in data["areas"]:
            typer.echo(f"  {area['kind']} {area['number']}: {area['text']}")


# --- letters --------------------------------------------------------------------------------


@letter_app.command("log")
def letter_log(
    office: OfficeName,
    date: Annotated[str, typer.Option("--date", help="The letter's date, e.g. \"7 September 2018\".")],
    reference: Annotated[Optional[str], typer.Option("--ref", help="The reference, e.g. MOPAC06092018-D2188.")] = None,
    direction: Annotated[str, typer.Option("--direction", help="out (we sent it) or in (we received it).")] = "out",
    status: Annotated[Optional[str], typer.Option("--status", help="draft or sent (out); received (in).")] = None,
    to_role: Annotated[Optional[str], typer.Option("--to", help="A role resolved on the date, e.g. \"Home Secretary\".")] = None,
    addressee: Annotated[Optional[str], typer.Option("--addressee", help="The addressee's name, if not a --to role.")] = None,
    addressee_role: Annotated[Optional[str], typer.Option("--addressee-role", help="The addressee's role or title.")] = None,
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    sender: Annotated[str, typer.Option("--sender", help="Who signed it [default for out: the office's signatory].")] = "",
    cc: Annotated[str, typer.Option("--cc", help="Copied to.")] = "",
    subject: Annotated[str, typer.Option("--subject", help="The subject line.")] = "",
    kind: Annotated[str, typer.Option("--kind", help="s55 response, follow-up, reply, annex or other.")] = "other",
    inspection: Annotated[Optional[int], typer.Option("--inspection", help="The inspection it concerns.")] = None,
    force: Annotated[Optional[str], typer.Option("--force", help="The force it concerns.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="The letter's file; its SHA-256 is recorded.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Register an existing letter by hand."""
    from correspondence import letters
    from correspondence.offices import get_office
    from correspondence.views import letter_view
    from correspondence.vocabulary import Direction, LetterKind, LetterStatus

    letter_date = _date(date, "--date")
    chosen_direction = Direction.parse(direction, field="--direction")
    chosen_status = LetterStatus.parse(status, field="--status") if status else None
    chosen_kind = LetterKind.parse(kind, field="--kind")
    with _store(db).transaction() as session:
        letter = letters.log_letter(
            session,
            office=get_office(session, office),
            direction=chosen_direction,
            letter_date=letter_date,
            reference=reference,
            status=chosen_status,
            addressee=letters.Addressee(
                role=(to_role or addressee_role or "").strip(), name=(addressee or "").strip(), address=_lines(address)
            ),
            sender=sender,
            cc=cc,
            subject=subject,
            kind=chosen_kind,
            inspection_id=inspection,
            force_name=force,
            file=file,
        )
        data = letter_view(letter)
    if json_output:
        _emit_json(data)
    else:
        to = data["addressee_name"] or data["addressee_role"] or "(no addressee)"
        typer.echo(f"logged letter {data['reference'] or '#' + str(data['id'])} ({data['direction']}, {data['status']}) of {_human(data['date'])} to {to}")


@letter_app.command("list")
def letter_list(
    office: OptionalOffice = None,
    force: Annotated[Optional[str], typer.Option("--force", help="Only letters about this force.")] = None,
    direction: Annotated[Optional[str], typer.Option("--direction", help="in or out.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="draft, sent or received.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Dated on or after.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Dated on or before.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Words in the reference, subject, addressee, sender or cc.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List letters, newest first, filtered as asked."""
    from correspondence.letters import LetterFilter, list_letters
    from correspondence.views import letter_view
    from correspondence.vocabulary import Direction, LetterStatus

    wanted = LetterFilter(
        office=office,
        force=force,
        direction=Direction.parse(direction, field="--direction") if direction else None,
        status=LetterStatus.parse(status, field="--status") if status else None,
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
        text=text,
    )
    with _store(db).transaction() as session:
        data = [letter_view(letter) for letter in list_letters(session, wanted)]
    if json_output:
        _emit_json(data)
    else:
        _table("Letters", ["Date", "Reference", "Office", "Dir", "Status", "To / from", "Subject"], [
            [
                letter["date"], letter["reference"] or f"#{letter['id']}", letter["office"], letter["direction"],
                letter["status"], letter["addressee_name"] if letter["direction"] == "out" else letter["sender"],
                letter["subject"],
            ]
            for letter in data
        ])


@letter_app.command("show")
def letter_show(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The reference, or #ID.")],
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Show one letter."""
    from correspondence.letters import get_letter
    from correspondence.views import letter_view

    with _store(db).transaction() as session:
        data = letter_view(get_letter(session, reference, office))
    _emit_json(data) if json_output else _fields(data)


@letter_app.command("delete")
def letter_delete(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    office: OptionalOffice = None,
    db: Db = None,
) -> None:
    """Delete a draft's record. Its reference stays used and cannot be given to another letter."""
    from correspondence.letters import delete_draft, get_letter

    with _store(db).transaction() as session:
        letter = get_letter(session, reference, office)
        label, file_path = letter.reference or f"#{letter.id}", letter.file_path
        delete_draft(session, letter)
    kept = f"; its file {file_path} was left in place" if file_path else ""
    typer.echo(f"deleted draft {label}; the reference stays used{kept}")


# --- roles ----------------------------------------------------------------------------------


@role_app.command("add")
def role_add(
    role: Annotated[str, typer.Argument(help="e.g. Commissioner.")],
    name: Annotated[str, typer.Argument(help="e.g. \"Sir Steve House\".")],
    starts: Annotated[str, typer.Option("--from", help="First day in the role.")],
    ends: Annotated[Optional[str], typer.Option("--until", help="Last day in the role, if it has ended.")] = None,
    office: OptionalOffice = None,
    salutation: Annotated[str, typer.Option("--salutation", help="e.g. \"Dear Steve\" [default: Dear ROLE].")] = "",
    address: Annotated[Optional[list[str]], typer.Option("--address", help="One address line; repeat for each.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Record who held a role and when; an office's own roles take precedence over shipped ones."""
    from correspondence import roles
    from correspondence.offices import get_office
    from correspondence.views import role_view

    starts_on, ends_on = _date(starts, "--from"), _date(ends, "--until")
    with _store(db).transaction() as session:
        holder = roles.add_holder(
            session,
            role=role,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            office=get_office(session, office) if office else None,
            salutation=salutation,
            address=_lines(address),
        )
        session.flush()
        data = role_view(holder)
    _emit_json(data) if json_output else typer.echo(f"recorded {data['name']} as {data['role']} from {data['starts_on']}")


@role_app.command("list")
def role_list(
    role: Annotated[Optional[str], typer.Option("--role", help="Only this role.")] = None,
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List role holders with their dates."""
    from correspondence import roles
    from correspondence.offices import get_office
    from correspondence.views import role_view

    with _store(db).transaction() as session:
        chosen = get_office(session, office) if office else None
        data = [role_view(holder) for holder in roles.list_holders(session, role, chosen)]
    if json_output:
        _emit_json(data)
    else:
        _table("Role holders", ["Role", "Name", "From", "Until", "Office"], [
            [h["role"], h["name"], h["starts_on"], h["ends_on"] or "", h["office"] or "(shipped)"] for h in data
        ])


@role_app.command("who")
def role_who(
    role: Annotated[str, typer.Argument(help="e.g. \"Home Secretary\".")],
    on: Annotated[Optional[str], typer.Option("--on", help="The date [default: today].")] = None,
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Who held a role on a date."""
    import datetime as dt

    from correspondence import roles
    from correspondence.offices import get_office
    from correspondence.views import role_view

    when = _date(on, "--on") or dt.date.today()
    with _store(db).transaction() as session:
        chosen = get_office(session, office) if office else None
        data = role_view(roles.holder_on(session, role, when, chosen))
    _emit_json(data) if json_output else _fields(data)


# --- the event log ----------------------------------------------------------------------------


@app.command()
def history(
    entity: Annotated[Optional[str], typer.Option("--entity", help="Only changes to this table, e.g. letters.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the latest changes.")] = 50,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The append-only log of every change, newest first."""
    from sqlalchemy import select

    from correspondence.models import Event
    from correspondence.views import event_view

    query = select(Event).order_by(Event.id.desc()).limit(limit)
    if entity:
        query = query.where(Event.entity == entity)
    with _store(db).transaction() as session:
        data = [event_view(event) for event in session.scalars(query)]
    if json_output:
        _emit_json(data)
    else:
        _table("Changes", ["When", "Who", "Change", "Record"], [
            [e["occurred_at"][:19], e["actor"], e["change"], f"{e['entity']} {e['entity_id']}"] for e in data
        ])
