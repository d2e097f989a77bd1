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
draft_app = typer.Typer(no_args_is_help=True, help="Draft Word letters from the store, logged in the register.")
template_app = typer.Typer(no_args_is_help=True, help="Check templates and see the data they are filled from.")
meeting_app = typer.Typer(no_args_is_help=True, help="Oversight meetings and their actions arising.")
update_app = typer.Typer(no_args_is_help=True, help="The force's updates on each finding of a report.")
annex_app = typer.Typer(no_args_is_help=True, help="Send the findings table to the force and read it back filled in.")
action_app = typer.Typer(no_args_is_help=True, help="Actions arising from meetings: who does what by when.")
app.add_typer(office_app, name="office")
app.add_typer(force_app, name="force")
app.add_typer(inspection_app, name="inspection")
app.add_typer(letter_app, name="letter")
app.add_typer(role_app, name="role")
app.add_typer(draft_app, name="draft")
app.add_typer(template_app, name="template")
app.add_typer(meeting_app, name="meeting")
app.add_typer(update_app, name="update")
app.add_typer(action_app, name="action")
app.add_typer(annex_app, name="annex")

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
        keep_whole = column in {"Date", "Reference", "ID", "Published", "Last day", "Due", "From", "Until", "When", "Short", "Action no."}
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


def _human(value: Any) -> str:
    """A date, or ISO text from a view, as a letter writes it: '7 September 2018'."""
    if not value:
        return ""
    from correspondence.dates import long_date, parse_date

    return long_date(parse_date(value))


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
def example(
    out: Annotated[Path, typer.Option("--out", help="Folder for the drafted letter.")] = Path("letters"),
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Load the bundled example (MOPAC, the Met's 2018 CDI inspection, the force's updates, a
    meeting) and draft MOPAC's s.55 response from it as a Word letter."""
    from correspondence.drafting import in_one_transaction
    from correspondence.example import load_example
    from correspondence.views import inspection_view, letter_view, meeting_view, office_view

    store = _store(db)

    def load(session: Any) -> dict[str, Any]:
        loaded = load_example(session, out)
        return {
            "database": store.display_url,
            "newly_loaded": loaded.newly_loaded,
            "office": office_view(loaded.office),
            "inspection": inspection_view(loaded.inspection),
            "prior_letter": letter_view(loaded.prior_letter),
            "draft": letter_view(loaded.draft),
            "meeting": meeting_view(loaded.meeting),
        }

    data = in_one_transaction(store, load)
    if json_output:
        _emit_json(data)
        return
    verb = "Loaded" if data["newly_loaded"] else "Already loaded; showing"
    typer.echo(f"{verb} the bundled example in {data['database']}\n")
    typer.echo(f"Office     {data['office']['name']} ({data['office']['short_name']})")
    typer.echo(f"Signatory  {data['office']['signatory_name']}, {data['office']['signatory_title']}\n")
    _print_inspection(data["inspection"])
    typer.echo("")
    prior = data["prior_letter"]
    typer.echo(f"Letter in  {_human(prior['date'])} from {prior['sender']}: {prior['subject']}")
    meeting = data["meeting"]
    typer.echo(f"Meeting    {meeting['id']}: {meeting['title']}, {_human(meeting['held_on'])}, {len(meeting['actions'])} actions")
    draft = data["draft"]
    typer.echo(
        f"Drafted    {draft['reference']} of {_human(draft['date'])} to {draft['addressee_name']} "
        f"({draft['addressee_role']}): {draft['subject']}"
    )
    typer.echo(f"           {draft['file_path']}")


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
    date_format: Annotated[str, typer.Option("--date-format", help="How letters write dates.")] = "%-d %B %Y",
    letterhead: Annotated[Optional[list[str]], typer.Option("--letterhead", help="A letterhead line (phone, email, web); repeat for each.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add an office. The reference scheme and date format are explained in the README."""
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
            date_format=date_format,
            letterhead=_lines(letterhead),
        )
        data = office_view(office)
    _emit_json(data) if json_output else typer.echo(f"added office {data['short_name']}: {data['name']}")


@office_app.command("set")
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

    with _store(db).transaction() as session:
        office = offices.get_office(session, short_name)
        changed = offices.update_office(
            session,
            office,
            name=name,
            address=_lines(address) if address else None,
            signatory_name=signatory,
            signatory_title=signatory_title,
            reference_scheme=reference_scheme,
            date_format=date_format,
            letterhead=_lines(letterhead) if letterhead else None,
        )
        if next_number is not None:
            references.set_next_number(session, office, next_number, year)
            changed.append("next number")
        data = office_view(office)
    if json_output:
        _emit_json(data)
    else:
        typer.echo(f"{data['short_name']}: changed {', '.join(changed)}" if changed else f"{data['short_name']}: nothing to change")


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
    chief_title: Annotated[Optional[str], typer.Option("--chief-title", help="Commissioner or Chief Constable [default: Chief Constable].")] = None,
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


@inspection_app.command("import")
def inspection_import(
    file: Annotated[Path, typer.Argument(help="An HMICFRS report: plain text, saved web page (.html), PDF or .docx.")],
    force: Annotated[Optional[str], typer.Option("--force", help="The force, when the report does not say it clearly.")] = None,
    programme: Annotated[Optional[str], typer.Option("--programme", help="The programme, e.g. \"PEEL 2021/22\".")] = None,
    add_force: Annotated[bool, typer.Option("--add-force", help="Create the force if it is not known yet.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what was found; store nothing.")] = False,
    yaml_out: Annotated[Optional[Path], typer.Option("--yaml", help="Also write what was found as an inspection file, to correct by hand and 'corr inspection add'.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Read an HMICFRS report and store its grades, figures and findings."""
    from correspondence.importers.store import findings_table, import_inspection, read_report

    findings = read_report(file, force=force, programme=programme)
    if yaml_out is not None:
        _write_yaml(yaml_out, findings.as_inspection_data())
    if dry_run:
        if json_output:
            _emit_json({**findings.as_inspection_data(), "not_found": findings.missing})
        else:
            _table(f"Found in {file} (nothing stored)", ["Field", "Found"], [list(row) for row in findings_table(findings)])
            _print_found_details(findings)
        return
    from correspondence.views import inspection_view

    with _store(db).transaction() as session:
        data = inspection_view(import_inspection(session, file, findings, add_force=add_force))
    if findings.missing:
        typer.echo(f"not found in {file}: {', '.join(findings.missing)}", err=True)
    if json_output:
        _emit_json({**data, "not_found": findings.missing})
    else:
        typer.echo(
            f"imported inspection {data['id']}: {data['title']} ({len(data['judgments'])} judgments, "
            f"{len(data['measures'])} measures, {len(data['areas'])} areas)"
        )


def _print_found_details(findings: Any) -> None:
    for judgment in findings.judgments:
        typer.echo(f"  judgment: {judgment['question']}  [{judgment['grade']}]")
    for measure in findings.measures:
        figures = ", ".join(f"{key}={value}" for key, value in measure.items() if key != "name")
        typer.echo(f"  measure: {measure['name']}: {figures}")
    for section in ("causes_of_concern", "recommendations", "areas_for_improvement"):
        for area in getattr(findings, section):
            typer.echo(f"  {section.replace('_', ' ')[:-1] if section.endswith('s') else section}: {area['text']}")


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    import yaml

    from correspondence.outputs import check_new_file, writing

    check_new_file(path, hint="choose another --yaml file")
    with writing(path):
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


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
        typer.echo("  Causes of concern (C), recommendations (R) and areas for improvement (A), with the force's latest update:")
        for area in data["areas"]:
            typer.echo(f"  {area['code']:<4} {area['text']}")
            latest = area["latest_update"]
            status = f"{latest['status']} ({_human(latest['received_on'])}): {latest['text']}" if latest else "awaiting an update"
            typer.echo(f"       -> {status}")


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
    from correspondence.roles import Addressing
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
            addressee=Addressing(
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


@letter_app.command("import")
def letter_import(
    files: Annotated[list[Path], typer.Argument(help="Letters: .docx, text or PDF; as many as you like.")],
    office: OptionalOffice = None,
    direction: Annotated[str, typer.Option("--direction", help="out (ours) or in (received).")] = "out",
    letters_dir: Annotated[Path, typer.Option("--letters", help="The letters folder the originals are copied into.")] = Path("letters"),
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Register existing letters from their files. One bad file does not stop the rest."""
    from rich.console import Console
    from rich.progress import Progress

    from correspondence.drafting import in_one_transaction
    from correspondence.importers.store import import_letter
    from correspondence.offices import get_office, list_offices
    from correspondence.vocabulary import Direction

    chosen_direction = Direction.parse(direction, field="--direction")
    store = _store(db)
    with store.transaction() as session:
        known = list_offices(session)
        if office:
            short = get_office(session, office).short_name
        elif len(known) == 1:
            short = known[0].short_name
        else:
            raise CorrespondenceError(f"say which office the letters belong to with --office ({len(known)} offices are set up)")

    results, failures = [], []
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("importing letters", total=len(files))
        for path in files:
            def work(session: Any, path: Path = path) -> Any:
                return import_letter(session, path, office=get_office(session, short), direction=chosen_direction, letters_dir=letters_dir)

            try:
                imported = in_one_transaction(store, work)
                results.append({
                    "file": str(path), "stored": True, "reference": imported.reference, "date": imported.letter_date.isoformat(),
                    "addressee": imported.addressee, "subject": imported.findings.subject, "copy": str(imported.copy),
                    "not_found": imported.findings.missing, "notes": imported.notes, "letter_id": imported.letter_id,
                })
            except CorrespondenceError as error:
                failures.append(str(error))
                results.append({"file": str(path), "stored": False, "error": str(error)})
            progress.advance(task)
    if json_output:
        _emit_json(results)
    else:
        _table("Letters imported", ["File", "Result", "Reference", "Date", "Addressee", "Not found"], [
            [Path(r["file"]).name, "stored" if r["stored"] else "FAILED", r.get("reference") or "", r.get("date") or "",
             r.get("addressee") or "", ", ".join(r.get("not_found", [])) if r["stored"] else r["error"]]
            for r in results
        ])
        stored = sum(1 for r in results if r["stored"])
        typer.echo(f"{stored} of {len(results)} letters stored")
    for failure in failures:
        typer.echo(f"error: {failure}", err=True)
    if failures:
        raise typer.Exit(1)


@letter_app.command("list")
def letter_list(
    office: OptionalOffice = None,
    force: Annotated[Optional[str], typer.Option("--force", help="Only letters about this force.")] = None,
    direction: Annotated[Optional[str], typer.Option("--direction", help="in or out.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="draft, sent or received.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Dated on or after.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Dated on or before.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Words in the reference, subject, addressee, sender, cc or the letter's file.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many, newest first.")] = 500,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List letters, newest first, filtered as asked; --text also searches the letters' own text."""
    from correspondence.letters import LetterFilter, count_letters, list_letters
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
        limit=limit,
    )
    with _store(db).transaction() as session:
        data = [letter_view(letter) for letter in list_letters(session, wanted)]
        total = count_letters(session, wanted) if len(data) == limit else len(data)
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
        if total > len(data):
            typer.echo(f"showing the newest {len(data)} of {total:,} letters; use --limit to see more", err=True)


@letter_app.command("show")
def letter_show(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The reference, or #ID.")],
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Show one letter and its thread: the inspection or meeting, the response, follow-ups,
    replies and versions, in date order."""
    from correspondence.letters import get_letter
    from correspondence.register import thread
    from correspondence.views import letter_view

    with _store(db).transaction() as session:
        letter = get_letter(session, reference, office)
        data = letter_view(letter)
        data["thread"] = [
            {"reference": other.reference, "id": other.id, "date": other.letter_date.isoformat(), "direction": other.direction.value,
             "kind": other.kind.value, "status": other.status.value, "subject": other.subject, "this": other.id == letter.id}
            for other in thread(session, letter)
        ]
        if letter.inspection is not None:
            data["about"] = f"inspection {letter.inspection.id}: {letter.inspection.title}, published {_human(letter.inspection.published_on)}"
        elif letter.meeting is not None:
            data["about"] = f"meeting {letter.meeting.id}: {letter.meeting.title}, {_human(letter.meeting.held_on)}"
        if letter.supersedes is not None:
            data["supersedes"] = letter.supersedes.reference or f"#{letter.supersedes.id}"
        data["file_intact"] = _file_intact(letter)
    if json_output:
        _emit_json(data)
        return
    _fields({key: value for key, value in data.items() if key != "thread"})
    if len(data["thread"]) > 1:
        typer.echo("\nthread:")
        for other in data["thread"]:
            marker = "->" if other["this"] else "  "
            typer.echo(f" {marker} {_human(other['date'])}  {other['reference'] or '#' + str(other['id'])}  "
                       f"{other['direction']}, {other['kind']}, {other['status']}: {other['subject']}")


def _file_intact(letter: Any) -> Optional[bool]:
    """Whether the letter's file still has the SHA-256 recorded for it (None: no file recorded)."""
    if not letter.file_path or not letter.file_sha256:
        return None
    from correspondence.rendering import sha256_of

    path = Path(letter.file_path)
    return path.is_file() and sha256_of(path) == letter.file_sha256


@letter_app.command("export")
def letter_export(
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Write the register as CSV.")] = None,
    xlsx_file: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the register as an Excel workbook.")] = None,
    office: OptionalOffice = None,
    direction: Annotated[Optional[str], typer.Option("--direction", help="in or out.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="draft, sent or received.")] = None,
    date_from: Annotated[Optional[str], typer.Option("--from", help="Dated on or after.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Dated on or before.")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="Only letters with these words.")] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing export file.")] = False,
    db: Db = None,
) -> None:
    """The register as the spreadsheet offices keep today (one row per letter, oldest first)."""
    from correspondence.letters import LetterFilter
    from correspondence.register import export_rows, write_csv, write_xlsx
    from correspondence.vocabulary import Direction, LetterStatus

    if (csv_file is None) == (xlsx_file is None):
        raise CorrespondenceError("give one of --csv FILE or --xlsx FILE")
    from correspondence.outputs import check_new_file

    target = check_new_file(csv_file or xlsx_file, overwrite=overwrite, hint="choose another file or pass --overwrite")
    wanted = LetterFilter(
        office=office, direction=Direction.parse(direction, field="--direction") if direction else None,
        status=LetterStatus.parse(status, field="--status") if status else None,
        date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"), text=text,
    )
    with _store(db).transaction() as session:
        rows = export_rows(session, wanted)
        count = write_csv(rows, target) if csv_file else write_xlsx(rows, target)
    typer.echo(f"wrote {count:,} letters to {target}")


@letter_app.command("supersede")
def letter_supersede(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The sent letter to replace.")],
    date: DraftDate = None,
    new_reference: Annotated[Optional[str], typer.Option("--ref", help="The new version's reference [default: REF-v2].")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", help="The new version's file [default: a copy of the old one to edit].")] = None,
    out: OutDir = Path("letters"),
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Start a new version of a sent letter. The sent letter and its file stay as they were."""
    import datetime as dt

    from correspondence.drafting import in_one_transaction
    from correspondence.letters import get_letter
    from correspondence.register import supersede
    from correspondence.views import letter_view

    letter_date = _date(date, "--date") or dt.date.today()

    def work(session: Any) -> dict[str, Any]:
        old = get_letter(session, reference, office)
        return letter_view(supersede(session, old, out_dir=out, letter_date=letter_date, reference=new_reference, file=file))

    data = in_one_transaction(_store(db), work)
    if json_output:
        _emit_json(data)
    else:
        typer.echo(f"drafted {data['reference']}, a new version of {reference}: {data['file_path'] or '(no file)'}")


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


@letter_app.command("sent")
def letter_sent(
    reference: Annotated[str, typer.Argument(metavar="REF", help="The draft's reference, or #ID.")],
    date: Annotated[str, typer.Option("--date", help="The day it was sent.")],
    office: OptionalOffice = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Mark a draft as sent. Its file is fingerprinted as sent and made read-only."""
    import datetime as dt

    from correspondence.drafting import mark_sent
    from correspondence.letters import get_letter
    from correspondence.views import letter_view

    sent_on = _date(date, "--date")
    with _store(db).transaction() as session:
        data = letter_view(mark_sent(session, get_letter(session, reference, office), sent_on, dt.date.today()))
    _emit_json(data) if json_output else typer.echo(f"marked {data['reference']} sent on {_human(data['sent_on'])}")


# --- drafting ---------------------------------------------------------------------------------

DraftDate = Annotated[Optional[str], typer.Option("--date", help="The letter's date [default: today].")]
TemplateFile = Annotated[Optional[Path], typer.Option("--template", help="A custom .docx template instead of the shipped one.")]
OutDir = Annotated[Path, typer.Option("--out", help="Folder for the letter.")]
ToRole = Annotated[Optional[str], typer.Option("--to", help="Address it to the holder of this role on the letter's date.")]
AddresseeName = Annotated[Optional[str], typer.Option("--addressee", help="Address it to this name instead of a role holder.")]
AddresseeRole = Annotated[Optional[str], typer.Option("--addressee-role", help="With --addressee: their role or title.")]
AddressLines = Annotated[Optional[list[str]], typer.Option("--address", help="With --addressee: one address line; repeat.")]
Salutation = Annotated[Optional[str], typer.Option("--salutation", help="With --addressee, e.g. \"Dear Steve\".")]
Cc = Annotated[Optional[str], typer.Option("--cc", help="Copied to.")]
Subject = Annotated[Optional[str], typer.Option("--subject", help="The subject line [default: from the report or meeting].")]
Author = Annotated[str, typer.Option("--author", envvar="CORR_USER", help="Your initials, for schemes using {author}.")]
Pdf = Annotated[bool, typer.Option("--pdf", help="Also save a PDF (needs LibreOffice).")]


def _draft_request(office: str, date: str | None, template: Path | None, out: Path, to_role: str | None,
                   addressee: str | None, addressee_role: str | None, address: list[str] | None,
                   salutation: str | None, cc: str | None, subject: str | None, author: str,
                   allow_missing: bool = False) -> Any:
    import datetime as dt

    from correspondence.roles import Addressing
    from correspondence.drafting import DraftRequest

    today = dt.date.today()
    explicit = None
    if addressee:
        explicit = Addressing(name=addressee.strip(), role=(addressee_role or "").strip(), salutation=salutation or "", address=_lines(address))
    return DraftRequest(
        office=office, letter_date=_date(date, "--date") or today, today=today, out_dir=out, template=template,
        to_role=to_role, addressee=explicit, cc=cc, subject=subject, author=author or "", allow_missing=allow_missing,
    )


def _run_draft(kind: str, record_id: str, request: Any, db: str | None, pdf: bool, json_output: bool,
               store: Store | None = None) -> None:
    from correspondence import drafting
    from correspondence.pdf import convert_to_pdf, require_libreoffice

    if pdf:
        require_libreoffice()  # before anything is written
    make = {"response": drafting.draft_response, "followup": drafting.draft_followup, "annex": drafting.draft_annex}[kind]
    draft = drafting.in_one_transaction(store or _store(db), lambda session: make(session, record_id, request))
    pdf_path = None
    if pdf:
        try:
            pdf_path = convert_to_pdf(draft.path)
        except CorrespondenceError as error:
            raise CorrespondenceError(f"{error}; the draft {draft.reference} is saved as {draft.path}") from None
    if json_output:
        _emit_json({"letter_id": draft.letter_id, "reference": draft.reference, "file": str(draft.path),
                    "pdf": str(pdf_path) if pdf_path else None, "addressee": draft.addressee,
                    "awaiting_update": draft.missing_updates})
        return
    typer.echo(f"drafted {draft.reference} to {draft.addressee}: {draft.path}")
    if pdf_path:
        typer.echo(f"PDF: {pdf_path}")
    if draft.missing_updates:
        typer.echo(f"marked as awaiting an update: {', '.join(draft.missing_updates)}", err=True)


@draft_app.command("response")
def draft_response(
    inspection: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")],
    office: OfficeName,
    date: DraftDate = None,
    template: TemplateFile = None,
    out: OutDir = Path("letters"),
    allow_missing: Annotated[bool, typer.Option("--allow-missing", help="Draft even if a recommendation has no update; the annex marks it in bold.")] = False,
    to_role: ToRole = None,
    addressee: AddresseeName = None,
    addressee_role: AddresseeRole = None,
    address: AddressLines = None,
    salutation: Salutation = None,
    cc: Cc = None,
    subject: Subject = None,
    author: Author = "",
    pdf: Pdf = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The s.55 response to the Home Secretary on an inspection, with Annex A of updates."""
    request = _draft_request(office, date, template, out, to_role, addressee, addressee_role, address, salutation,
                             cc, subject, author, allow_missing)
    _run_draft("response", inspection, request, db, pdf, json_output)


@draft_app.command("followup")
def draft_followup(
    meeting: Annotated[str, typer.Argument(metavar="MEETING", help="The meeting's number.")],
    office: OfficeName,
    date: DraftDate = None,
    template: TemplateFile = None,
    out: OutDir = Path("letters"),
    to_role: ToRole = None,
    addressee: AddresseeName = None,
    addressee_role: AddresseeRole = None,
    address: AddressLines = None,
    salutation: Salutation = None,
    cc: Cc = None,
    subject: Subject = None,
    author: Author = "",
    pdf: Pdf = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The follow-up to the Commissioner or Chief Constable after a meeting, with its actions annex."""
    request = _draft_request(office, date, template, out, to_role, addressee, addressee_role, address, salutation,
                             cc, subject, author)
    _run_draft("followup", meeting, request, db, pdf, json_output)


@draft_app.command("annex")
def draft_annex(
    inspection: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")],
    office: OfficeName,
    date: DraftDate = None,
    template: TemplateFile = None,
    out: OutDir = Path("letters"),
    to_role: ToRole = None,
    addressee: AddresseeName = None,
    addressee_role: AddresseeRole = None,
    address: AddressLines = None,
    salutation: Salutation = None,
    cc: Cc = None,
    subject: Subject = None,
    author: Author = "",
    pdf: Pdf = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The updates table on its own, for the force to fill in or for publication."""
    request = _draft_request(office, date, template, out, to_role, addressee, addressee_role, address, salutation,
                             cc, subject, author)
    _run_draft("annex", inspection, request, db, pdf, json_output)


@template_app.command("check")
def template_check(
    file: Annotated[Path, typer.Argument(help="The .docx template to check.")],
    kind: Annotated[str, typer.Option("--kind", help="response, followup or annex: which context it is filled from.")] = "response",
) -> None:
    """Report Jinja syntax errors (with their line) and names the context does not provide."""
    from correspondence.samples import sample_context
    from correspondence.rendering import check_template

    problems = check_template(file, sample_context(_template_kind(kind)))
    if problems:
        for problem in problems:
            typer.echo(f"{file}: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{file}: OK for a {kind} letter")


@template_app.command("context")
def template_context(
    record: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number (or the meeting's, with --kind followup).")],
    kind: Annotated[str, typer.Option("--kind", help="response, followup or annex.")] = "response",
    office: OptionalOffice = None,
    date: DraftDate = None,
    db: Db = None,
    json_output: Json = True,
) -> None:
    """The exact data a template is filled from, for a real inspection or meeting."""
    import datetime as dt

    from correspondence.drafting import DraftRequest, office_for, template_context as build

    chosen = _template_kind(kind)
    with _store(db).transaction() as session:
        short = office or office_for(session, chosen, record)
        today = dt.date.today()
        request = DraftRequest(office=short, letter_date=_date(date, "--date") or today, today=today)
        data = build(session, chosen, record, request)
    _emit_json(data)


def _template_kind(kind: str) -> str:
    cleaned = kind.strip().lower().replace("-", "")
    if cleaned not in {"response", "followup", "annex"}:
        raise CorrespondenceError(f"--kind: unknown kind {kind!r}; expected response, followup or annex")
    return cleaned


# --- meetings and updates ---------------------------------------------------------------------


@meeting_app.command("add")
def meeting_add(
    file: Annotated[Path, typer.Argument(help="A meeting file in YAML (format in the README).")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Store a meeting, its themes, issues and actions arising, from a YAML file."""
    from correspondence.meeting_file import load_meeting_file
    from correspondence.meetings import add_meeting
    from correspondence.views import meeting_view

    spec = load_meeting_file(file)
    with _store(db).transaction() as session:
        data = meeting_view(add_meeting(session, spec))
    _emit_json(data) if json_output else typer.echo(f"stored meeting {data['id']}: {data['title']} ({len(data['actions'])} actions)")


@meeting_app.command("list")
def meeting_list(office: OptionalOffice = None, db: Db = None, json_output: Json = False) -> None:
    """List meetings, newest first."""
    from correspondence.meetings import list_meetings
    from correspondence.views import meeting_view

    with _store(db).transaction() as session:
        data = [meeting_view(meeting) for meeting in list_meetings(session, office)]
    if json_output:
        _emit_json(data)
    else:
        _table("Meetings", ["ID", "Date", "Office", "Title", "Actions"], [
            [m["id"], m["held_on"], m["office"], m["title"], len(m["actions"])] for m in data
        ])


@meeting_app.command("show")
def meeting_show(
    meeting: Annotated[str, typer.Argument(metavar="ID", help="The meeting's number.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Show a meeting with its actions."""
    from correspondence.meetings import get_meeting
    from correspondence.views import meeting_view

    with _store(db).transaction() as session:
        data = meeting_view(get_meeting(session, meeting))
    if json_output:
        _emit_json(data)
        return
    typer.echo(f"Meeting {data['id']}: {data['title']}, {_human(data['held_on'])} ({data['office']})")
    for action in data["actions"]:
        typer.echo(f"  {action['number']}. {action['action']} [{action['timing']}; {action['lead']}; {action['status']}]")


@update_app.command("add")
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
    received = _date(date, "--date") or today
    with _store(db).transaction() as session:
        found = find_area(session, area)
        data = {"area": found.code, "inspection_id": found.inspection_id,
                **update_view(add_update(session, found, status=chosen, text=text, received_on=received, today=today))}
    _emit_json(data) if json_output else typer.echo(f"recorded update on {data['area']} of inspection {data['inspection_id']}: {data['status']}")


@annex_app.command("request")
def annex_request(
    inspection: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")],
    office: OptionalOffice = None,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Write a CSV file instead of a Word document.")] = None,
    out: OutDir = Path("letters"),
    date: DraftDate = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Write the table (No., Area, Status, Update) for the force to fill in: a Word annex, logged
    in the register with a reference, or a CSV file."""
    if csv_file is not None:
        from correspondence.annex import write_csv
        from correspondence.inspections import get_inspection

        with _store(db).transaction() as session:
            found = get_inspection(session, inspection)
            write_csv(found, csv_file)
            count = len(found.areas)
        typer.echo(f"wrote {count} findings to {csv_file}")
        return
    store = _store(db)
    if office is None:
        from correspondence.drafting import office_for

        with store.transaction() as session:
            office = office_for(session, "annex", inspection)
    request = _draft_request(office, date, None, out, None, None, None, None, None, None, None, "")
    _run_draft("annex", inspection, request, db, False, json_output, store)


@annex_app.command("import")
def annex_import(
    file: Annotated[Path, typer.Argument(help="The filled-in annex: .docx or .csv.")],
    inspection: Annotated[Optional[str], typer.Option("--inspection", help="The inspection [default: from the annex's 'Our ref'].")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="When the force returned it [default: today].")] = None,
    partial: Annotated[bool, typer.Option("--partial", help="Store the matched rows even if some rows match nothing.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; store nothing.")] = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Read the force's filled-in annex, match each row to its finding, show and store the changes."""
    import datetime as dt

    from correspondence.annex import match_rows, read_rows, reference_in, store_changes
    from correspondence.inspections import get_inspection
    from correspondence.letters import get_letter

    today = dt.date.today()
    received = _date(date, "--date") or today
    if received > today:
        raise CorrespondenceError(f"--date: {_human(received)} is in the future")
    rows = read_rows(file)
    with _store(db).transaction() as session:
        if inspection is None:
            reference = reference_in(file)
            letter = get_letter(session, reference) if reference else None
            if letter is None or letter.inspection_id is None:
                raise CorrespondenceError(f"{file}: say which inspection it answers with --inspection")
            inspection = str(letter.inspection_id)
        found = get_inspection(session, inspection)
        changes, unmatched, blank = match_rows(found, rows)
        report = {
            "inspection_id": found.id,
            "changes": [{"row": c.row.line, "area": c.area.code, "before": c.before, "after": f"{c.status}: {c.text}",
                         "unchanged": c.unchanged} for c in changes],
            "unmatched": [{"row": u.row.line, "no": u.row.number, "reason": u.reason} for u in unmatched],
            "blank_rows": [row.line for row in blank],
        }
        refused = bool(unmatched) and not partial
        stored = 0 if (dry_run or refused) else store_changes(session, changes, received, today)
        report["stored"] = stored
    if json_output:
        _emit_json(report)
    else:
        _table(f"{file}: updates for inspection {found.id}", ["Row", "Area", "Before", "After"], [
            [c["row"], c["area"], c["before"], "(unchanged)" if c["unchanged"] else c["after"]] for c in report["changes"]
        ])
        for u in report["unmatched"]:
            typer.echo(f"row {u['row']} (No. {u['no'] or '-'}) not matched: {u['reason']}")
        typer.echo(f"{stored} updates stored" + (" (dry run)" if dry_run else ""))
    if refused:
        raise CorrespondenceError(
            f"{file}: {len(unmatched)} row(s) could not be matched, so nothing was stored; correct them, "
            f"or pass --partial to store the {len(changes)} matched row(s)"
        )


def _action_view(item: Any) -> dict[str, Any]:
    action, meeting = item.action, item.meeting
    return {
        "action_no": f"{meeting.id}:{action.number}", "meeting_id": meeting.id, "meeting": meeting.title,
        "held_on": meeting.held_on.isoformat(), "office": meeting.office.short_name, "number": action.number,
        "action": action.action, "timing": action.timing, "lead": action.lead, "status": action.status.value,
        "due_on": action.due_on.isoformat() if action.due_on else None, "overdue": item.overdue,
    }


@action_app.command("add")
def action_add(
    meeting: Annotated[str, typer.Argument(metavar="MEETING", help="The meeting's number.")],
    action: Annotated[str, typer.Option("--action", help="What is to be done.")],
    timing: Annotated[str, typer.Option("--timing", help="When, as the annex says it, e.g. \"By 13 May\".")] = "",
    lead: Annotated[str, typer.Option("--lead", help="Who leads, e.g. MPS or MOPAC.")] = "",
    due: Annotated[Optional[str], typer.Option("--due", help="The date it is due, for overdue tracking.")] = None,
    number: Annotated[Optional[int], typer.Option("--number", help="Its number [default: the next].")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Add an action arising from a meeting."""
    import datetime as dt

    from correspondence.actions import ListedAction, add_action
    from correspondence.meetings import get_meeting

    due_on = _date(due, "--due")
    with _store(db).transaction() as session:
        found = get_meeting(session, meeting)
        added = add_action(session, found, text=action, timing=timing, lead=lead, due_on=due_on, number=number)
        data = _action_view(ListedAction.as_of(added, dt.date.today()))
    _emit_json(data) if json_output else typer.echo(f"added action {data['action_no']}: {data['action']}")


@action_app.command("update")
def action_update(
    action: Annotated[str, typer.Argument(metavar="MEETING:NUMBER", help="e.g. 1:5 for action 5 of meeting 1.")],
    status: Annotated[Optional[str], typer.Option("--status", help="open, done or dropped.")] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="A new due date.")] = None,
    timing: Annotated[Optional[str], typer.Option("--timing", help="New timing text.")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="A new lead.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Change an action's status, due date, timing or lead."""
    import datetime as dt

    from correspondence.actions import ListedAction, find_action, update_action
    from correspondence.vocabulary import ActionStatus

    chosen = ActionStatus.parse(status, field="--status") if status else None
    due_on = _date(due, "--due")
    with _store(db).transaction() as session:
        found = find_action(session, action)
        changed = update_action(session, found, status=chosen, due_on=due_on, timing=timing, lead=lead)
        data = _action_view(ListedAction.as_of(found, dt.date.today()))
    if json_output:
        _emit_json(data)
    else:
        typer.echo(f"action {data['action_no']}: changed {', '.join(changed)}" if changed else f"action {data['action_no']}: nothing to change")


@action_app.command("list")
def action_list(
    office: OptionalOffice = None,
    meeting: Annotated[Optional[str], typer.Option("--meeting", help="Only this meeting's actions.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="open, done or dropped.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only open actions past their due date.")] = False,
    today: Annotated[Optional[str], typer.Option("--today", help="Judge overdue against this date instead of today.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List actions, overdue first."""
    import datetime as dt

    from correspondence.actions import list_actions
    from correspondence.vocabulary import ActionStatus

    chosen = ActionStatus.parse(status, field="--status") if status else None
    when = _date(today, "--today") or dt.date.today()
    with _store(db).transaction() as session:
        data = [_action_view(item) for item in list_actions(session, when, office=office, status=chosen,
                                                            overdue_only=overdue, meeting_id=meeting)]
    if json_output:
        _emit_json(data)
    else:
        _table("Actions", ["Action no.", "Action", "Lead", "Timing", "Due", "Status"], [
            [a["action_no"], a["action"], a["lead"], a["timing"], _human(a["due_on"]),
             "OVERDUE" if a["overdue"] else a["status"]]
            for a in data
        ])


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


# --- deadlines --------------------------------------------------------------------------------


@app.command()
def due(
    within: Annotated[Optional[int], typer.Option("--within", min=0, help="Only those due within this many days (overdue included).")] = None,
    office: OptionalOffice = None,
    ics: Annotated[Optional[Path], typer.Option("--ics", help="Also write the deadlines as a calendar file to subscribe to.")] = None,
    today: Annotated[Optional[str], typer.Option("--today", help="Count days from this date instead of today.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Every inspection without a sent s.55 response: its last day, days left, overdue first."""
    import datetime as dt

    from correspondence.deadlines import due_responses, write_ics

    when = _date(today, "--today") or dt.date.today()
    with _store(db).transaction() as session:
        items = due_responses(session, when, within=within, office=office)
    if ics is not None:
        write_ics(items, ics, dt.datetime.now(dt.timezone.utc))
    if json_output:
        _emit_json([
            {"inspection_id": i.inspection_id, "force": i.force, "programme": i.programme, "title": i.title,
             "published_on": i.published_on.isoformat(), "due_on": i.due_on.isoformat(), "days_left": i.days_left,
             "state": i.state, "offices": i.offices, "drafts": i.drafts}
            for i in items
        ])
    else:
        _table("s.55 responses due (56 days from publication, publication day included)",
               ["ID", "Force", "Programme", "Published", "Last day", "Days left", "State", "Draft"], [
            [i.inspection_id, i.force, i.programme, _human(i.published_on), _human(i.due_on), i.days_left, i.state, ", ".join(i.drafts)]
            for i in items
        ])
    if ics is not None:
        typer.echo(f"calendar written to {ics} ({len(items)} deadlines)", err=True)


# --- backup, export and restore ----------------------------------------------------------------


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup; must not exist yet.")],
    db: Db = None,
) -> None:
    """A consistent copy of the database, taken safely while others use it."""
    from correspondence.backup import backup as take_backup

    kind = take_backup(_store(db), file)
    typer.echo(f"backed up to {file}" + (" (an SQLite database file)" if kind == "sqlite" else " (a JSON export; restore it with 'corr restore')"))


@app.command("export")
def export_all(
    json_flag: Annotated[bool, typer.Option("--json", help="Export as JSON (the only format).")] = True,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of printing.")] = None,
    db: Db = None,
) -> None:
    """Every record, the event log included, as JSON that 'corr restore' loads exactly."""
    from correspondence.backup import write_export

    document = write_export(_store(db), out)
    if out is None:
        typer.echo(document)
    else:
        typer.echo(f"exported to {out}", err=True)


@app.command("restore")
def restore_all(
    file: Annotated[Path, typer.Argument(help="A file written by 'corr export' or a PostgreSQL 'corr backup'.")],
    db: Db = None,
) -> None:
    """Load an export into a new, empty database, all or nothing."""
    from correspondence.backup import restore
    from correspondence.store import Store

    counts = restore(Store(db), file)  # not open_store: the database must stay empty until restored
    typer.echo(f"restored {sum(counts.values()):,} records ({counts.get('letters', 0):,} letters, {counts.get('events', 0):,} events)")


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
