"""corr inspection: HMICFRS inspections, added from YAML or imported from reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, human_date, option_date, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="HMICFRS inspections and what they found.")

if TYPE_CHECKING:
    pass


@app.command("add")
def inspection_add(
    file: Annotated[Path, typer.Argument(help="An inspection file in YAML (format: docs/reference/files.md).")],
    add_force: Annotated[bool, typer.Option("--add-force", help="Create the force if it is not known yet.")] = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Store an inspection described in a YAML file.

    Example: corr inspection add leicestershire-cdi-2019.yaml --add-force
    """
    from correspondence.cli.views import inspection_view
    from correspondence.tracking.inspection_file import load_inspection_file
    from correspondence.tracking.inspections import add_inspection

    spec = load_inspection_file(file)  # validate fully before touching the database
    with store_at(db).transaction() as session:
        data = inspection_view(add_inspection(session, spec, add_force=add_force))
    if json_output:
        emit_json(data)
    else:
        typer.echo(
            f"stored inspection {data['id']}: {data['title']} ({len(data['judgments'])} judgments, "
            f"{len(data['measures'])} measures, {len(data['areas'])} areas)"
        )


@app.command("import")
def inspection_import(
    file: Annotated[Path, typer.Argument(help="An HMICFRS report: plain text, saved web page (.html), PDF or .docx.")],
    force: Annotated[Optional[str], typer.Option("--force", help="The force, when the report does not say it clearly.")] = None,
    national: Annotated[bool, typer.Option("--national", help="A national or thematic report on no single force, when the report does not say so clearly: stored with no force (--force wins).")] = False,
    programme: Annotated[Optional[str], typer.Option("--programme", help="The programme, e.g. \"PEEL 2021/22\".")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="The date the report was published, when it does not say (e.g. \"17 July 2018\"); wins over a date read.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="The report's title, when it does not say it clearly; wins over a title read.")] = None,
    add_force: Annotated[bool, typer.Option("--add-force", help="Create the force if it is not known yet.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what was found; store nothing.")] = False,
    yaml_out: Annotated[Optional[Path], typer.Option("--yaml", help="Also write what was found as an inspection file, to correct by hand and 'corr inspection add'.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Read an HMICFRS report and store its grades, figures and findings.

    Every value found is shown with the line of the report it came from (--dry-run), so it can be
    checked at a glance.

    Example: corr inspection import met-cdi-2018.pdf --dry-run

    Example: corr inspection import kent-peel.html --add-force --force "Kent Police"

    Example: corr inspection import missing-children.pdf --national --programme "Thematic inspection"

    Example: corr inspection import lincolnshire-tracker.txt --published "17 July 2018"
    """
    from correspondence.importers.report_edits import ReportEdits
    from correspondence.importers.storing import findings_table, found_at, import_inspection, read_report

    edits = ReportEdits(published=option_date(published, "--published") if published else None, title=title) if (published or title) else None
    findings = read_report(file, force=force, programme=programme, national=national, edits=edits)
    if yaml_out is not None:
        _write_yaml(yaml_out, findings.as_inspection_data())
    checks = {"not_found": findings.missing, "flags": findings.flags, "found_at": found_at(findings)}
    if dry_run:
        if json_output:
            emit_json({**findings.as_inspection_data(), "national": findings.national, **checks})
        else:
            print_table(f"Found in {file} (nothing stored)", ["Field", "Found", "Read from"], [list(row) for row in findings_table(findings)])
            _print_found_details(findings)
            _print_flags(findings.flags)
        return
    from correspondence.cli.views import inspection_view

    with store_at(db).transaction() as session:
        data = inspection_view(import_inspection(session, file, findings, add_force=add_force))
    if findings.missing:
        typer.echo(f"not found in {file}: {', '.join(findings.missing)}", err=True)
    for flag in findings.flags:
        typer.echo(f"check {file}: {flag}", err=True)
    if json_output:
        emit_json({**data, **checks})
    else:
        whose = "a national report on no single force" if data["force"] is None else data["force"]
        typer.echo(
            f"imported inspection {data['id']}: {data['title']} ({whose}; {len(data['judgments'])} judgments, "
            f"{len(data['measures'])} measures, {len(data['areas'])} areas)"
        )


def _print_found_details(findings: Any) -> None:
    def where(key: str) -> str:
        source = findings.sources.get(key)
        return f"  (line {source.line})" if source else ""

    for index, judgment in enumerate(findings.judgments):
        typer.echo(f"  judgment: {judgment['question']}  [{judgment['grade'] or judgment.get('grade_text')}]{where(f'judgments[{index}]')}")
    for index, measure in enumerate(findings.measures):
        figures = ", ".join(f"{key}={value}" for key, value in measure.items() if key != "name")
        typer.echo(f"  measure: {measure['name']}: {figures}{where(f'measures[{index}]')}")
    for section in ("causes_of_concern", "recommendations", "areas_for_improvement"):
        label = {"causes_of_concern": "cause of concern", "recommendations": "recommendation",
                 "areas_for_improvement": "area for improvement"}[section]
        for index, area in enumerate(getattr(findings, section)):
            timescale = f" [{area['timescale']}]" if area.get("timescale") else ""
            addressee = findings.addressee(area)  # whom its wording says it is for, when not the force
            whom = f" [for: {addressee}]" if addressee else ""
            typer.echo(f"  {label}: {area['text']}{timescale}{whom}{where(f'{section}[{index}]')}")


def _print_flags(flags: list[str]) -> None:
    for flag in flags:
        typer.echo(f"  CHECK: {flag}")


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    import yaml

    from correspondence.files.outputs import check_new_file, writing

    check_new_file(path, hint="choose another --yaml file")
    with writing(path):
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


@app.command("list")
def inspection_list(
    force: Annotated[Optional[str], typer.Option("--force", help="Only this force's inspections.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """List inspections, newest first.

    Example: corr inspection list --force "Metropolitan Police Service"
    """
    from correspondence.cli.views import inspection_summary
    from correspondence.tracking.inspections import list_inspections

    with store_at(db).reading() as session:
        data = [inspection_summary(inspection) for inspection in list_inspections(session, force)]
    if json_output:
        emit_json(data)
    else:
        print_table("Inspections", ["ID", "Published", "Force", "Programme", "Grade", "Areas"], [
            [i["id"], i["published_on"], i["force"] or "national (no single force)", i["programme"], i["overall_grade"], i["areas"]] for i in data
        ])


@app.command("show")
def inspection_show(
    inspection_id: Annotated[str, typer.Argument(metavar="ID", help="The inspection's number.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Show an inspection with its grades, figures and areas, and each office's s.55 response:
    its stage, next step and the timeline of who did what when.

    Example: corr inspection show 1
    """
    import datetime as dt

    from correspondence.cli.views import inspection_view
    from correspondence.process.responses import responses_to
    from correspondence.process.stages import response_view
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).reading() as session:
        found = get_inspection(session, inspection_id)
        data = inspection_view(found)
        data["responses"] = [response_view(session, response, dt.date.today()) for response in responses_to(session, found)]
        data.update(corrections_view(session, found))
    emit_json(data) if json_output else print_inspection(data)


def corrections_view(session: Any, inspection: Any) -> dict[str, Any]:
    """The inspection's corrections (who, when, what, why) and the drafts about it made before the latest,
    once it has any."""
    from sqlalchemy import select

    from correspondence.records.models import Letter
    from correspondence.tracking.corrections import before_correction_note, corrections_of, drafted_before_correction

    made = corrections_of(session, inspection)
    if not made:  # an inspection never corrected shows as it always did
        return {}
    letters = list(session.scalars(select(Letter).where(Letter.inspection_id == inspection.id).order_by(Letter.id)))
    flagged = drafted_before_correction(session, letters)
    return {
        "corrections": [{"occurred_at": c.occurred_at.isoformat(), "by": c.actor, "subject": c.subject, "change": c.change,
                         "label": c.label, "before": c.before, "after": c.after, "why": c.why} for c in made],
        "drafts_before_correction": [{"letter": letter.label, "office": letter.office.short_name,
                                      "note": before_correction_note(flagged[letter.id])} for letter in letters if letter.id in flagged],
    }


def print_inspection(data: dict[str, Any]) -> None:
    typer.echo(f"Inspection {data['id']}: {data['title']}")
    typer.echo(f"  {data['force'] or 'National (no single force)'}, {data['programme']}, published {human_date(data['published_on'])}")
    typer.echo(f"  Overall grade: {data['overall_grade'] or '(none given)'}")
    for judgment in data["judgments"]:
        typer.echo(f"  - {judgment['question']}  [{judgment['grade']}]")
    if data["measures"]:
        typer.echo("  Figures, with the phrase letters name each by and whether they quote it:")
        for measure in data["measures"]:
            typer.echo(f"  - {measure['name']}: {measure['text']}")
            phrase = f"\"{measure['phrase']}\"" if measure.get("phrase") else "(not confirmed)"
            typer.echo(f"       phrase: {phrase}; {measure['state']}")
    if data["areas"]:
        typer.echo("  Causes of concern (C), recommendations (R) and areas for improvement (A), with the force's latest update"
                   " and the office's answer (=>):")
        for area in data["areas"]:
            typer.echo(f"  {area['code']:<4} {area['text']}")
            if area.get("for", "force") != "force":
                typer.echo(f"       for: {area['for']}{': ' + area['for_name'] if area.get('for_name') else ''} (the force is not asked about it)")
            latest = area["latest_update"]
            status = f"{latest['status']} ({human_date(latest['received_on'])}): {latest['text']}" if latest else "awaiting an update"
            typer.echo(f"       -> {status}")
            answers = {answer["office"]: answer for answer in area.get("answers", [])}  # the latest of each office
            for office, answer in answers.items():
                said = f"no action: {answer['text']}" if answer["no_action"] else answer["text"]
                typer.echo(f"       => {office} ({human_date(answer['answered_on'])}): {said}")
    if data.get("corrections"):
        typer.echo("  Corrected since it was stored (who, and why):")
        for made in data["corrections"]:
            typer.echo(f"  {human_date(made['occurred_at'][:10]):>17}  {made['label']} {made['change']} by {made['by']}: {made['why']}")
    for draft in data.get("drafts_before_correction", []):
        typer.echo(f"  {draft['letter']} ({draft['office']}): {draft['note']}")
    for response in data.get("responses", []):
        if response["published_on"]:
            where = f" at {response['published_url']}" if response["published_url"] else ""
            typer.echo(f"  {response['office']}'s s.55 response: published on {human_date(response['published_on'])}{where}")
        else:
            typer.echo(f"  {response['office']}'s s.55 response: {response['stage']}; next: {response['next_step']}"
                       + (f" (by {human_date(response['next_on'])})" if response["next_on"] else ""))
        for step in response["timeline"]:
            by = f"  ({step['by']})" if step["by"] else ""
            typer.echo(f"    {human_date(step['date']):>17}  {step['what']}{by}")


@app.command("set")
def inspection_set(
    inspection_id: Annotated[str, typer.Argument(metavar="ID", help="The inspection's number.")],
    title: Annotated[Optional[str], typer.Option("--title", help="The report's title.")] = None,
    programme: Annotated[Optional[str], typer.Option("--programme", help="The programme, e.g. \"PEEL 2021/22\".")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="The publication date, e.g. \"17 July 2018\".")] = None,
    source_url: Annotated[Optional[str], typer.Option("--source-url", help="Where the report is published (\"\" for none).")] = None,
    grade: Annotated[Optional[str], typer.Option("--grade", help="The overall grade (\"\" for none).")] = None,
    force: Annotated[Optional[str], typer.Option("--force", help="The force it inspected (\"\" for a national report).")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Correct an inspection's details; each change is kept in the event log ('corr history').

    Example: corr inspection set 2 --published "18 July 2018" --title "Crime Data Integrity re-inspection"
    """
    import datetime as dt

    from correspondence.cli.views import inspection_view
    from correspondence.tracking.inspections import correct_inspection, get_inspection

    changes = {
        "title": title, "programme": programme, "source_url": source_url, "force": force, "overall_grade": grade,
        "published_on": option_date(published, "--published"),
    }
    with store_at(db).transaction() as session:
        found = get_inspection(session, inspection_id)
        changed = correct_inspection(session, found, today=dt.date.today(), **changes)
        data = inspection_view(found)
    if json_output:
        emit_json(data)
    else:
        shown = ", ".join(name.replace("_on", "").replace("_", " ") for name in changed)
        typer.echo(f"inspection {data['id']}: corrected {shown}" if changed else f"inspection {data['id']}: nothing to change")


@app.command("finding-for")
def inspection_finding_for(
    area: Annotated[str, typer.Argument(metavar="INSPECTION:CODE", help="The finding, e.g. 3:R2 (C cause of concern, R recommendation, A area for improvement).")],
    whom: Annotated[str, typer.Option("--for", help="Whom it asks to act: force, office, \"Home Office\", \"College of Policing\", NPCC, or other (with --name, or \"other: NAME\").")],
    name: Annotated[Optional[str], typer.Option("--name", help="With --for other: the body's name.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Say whom a finding is for. The force is asked only about its own findings (the invitation,
    the reminder and the table it returns); the s.55 letter answers one for another body in its own
    words, from the office's answer ('corr answer add'). Kept in the event log ('corr history').

    Example: corr inspection finding-for 3:R2 --for "College of Policing"
    """
    from correspondence.tracking.finding_for import describe_for, set_finding_for
    from correspondence.tracking.updates import find_area

    with store_at(db).transaction() as session:
        found = find_area(session, area)
        changed = set_finding_for(session, found, whom, name)
        data = {"inspection_id": found.inspection_id, "area": found.code, "for": found.for_whom.value,
                "for_name": found.for_name, "changed": changed}
        said = describe_for(found.for_whom, found.for_name)
    if json_output:
        emit_json(data)
    else:
        done = "is now for" if changed else "was already for"
        typer.echo(f"{data['area']} of inspection {data['inspection_id']} {done}: {said}")


@app.command("delete")
def inspection_delete(
    inspection_id: Annotated[str, typer.Argument(metavar="ID", help="The inspection's number.")],
    db: Db = None,
) -> None:
    """Delete a wrongly stored inspection with its findings and updates (all kept in the event
    log). Refused once a sent letter refers to it; drafts and received letters are unlinked.

    Example: corr inspection delete 2
    """
    from correspondence.tracking.inspections import delete_inspection, get_inspection

    with store_at(db).transaction() as session:
        found = get_inspection(session, inspection_id)
        title = found.title
        unlinked = [letter.label for letter in delete_inspection(session, found)]
    typer.echo(f"deleted inspection {inspection_id}: {title}")
    if unlinked:
        typer.echo(f"these letters referred to it and no longer do: {', '.join(unlinked)}")
