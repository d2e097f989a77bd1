"""corr finding and corr judgment: correct what was read from a report (a finding or a graded
judgment added, corrected or removed), each change kept with who made it, when and why."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import Db, Json, emit_json, store_at

app = typer.Typer(no_args_is_help=True, help="Correct an inspection's findings: add one the report makes, correct one, or remove one.")
judgment_app = typer.Typer(no_args_is_help=True, help="Correct an inspection's graded judgments: add, correct or remove one.")

InspectionId = Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")]
Area = Annotated[str, typer.Argument(metavar="INSPECTION:CODE",
                                     help="The finding, e.g. 3:R8 (C cause of concern, R recommendation, A area for improvement).")]
Why = Annotated[str, typer.Option("--why", help="Why you are making the change, kept with it, e.g. \"the import cut it short\".")]
Kind = Annotated[Optional[str], typer.Option("--kind", help="cause of concern, recommendation or area for improvement.")]
Number = Annotated[Optional[str], typer.Option("--number", help="Its number among its kind, as the report numbers it.")]
Text = Annotated[Optional[str], typer.Option("--text", help="Its wording, as the report has it (a full stop is added if it has none).")]
Timescale = Annotated[Optional[str], typer.Option("--timescale", help="When the report asks for it, e.g. \"within three months\" (\"\" for none).")]
For = Annotated[Optional[str], typer.Option("--for", help="Whom it asks to act, as 'corr inspection finding-for' takes it [default: the force, or as it is].")]
ForName = Annotated[Optional[str], typer.Option("--name", help="With --for other: the body's name.")]


@app.command("add")
def finding_add(inspection_id: InspectionId, why: Why, kind: Kind = None, number: Number = None, text: Text = None,
                timescale: Timescale = None, whom: For = None, name: ForName = None, db: Db = None, json_output: Json = False) -> None:
    """Add a finding the report makes that was not stored (the importer missed it). Drafts made
    before it are flagged to be drafted again; a sent letter is never changed.

    Example: corr finding add 3 --kind recommendation --number 10 --text "By 30 June 2027, the force should review its crime recording." --why "the import missed it"
    """
    from correspondence.tracking.corrections import add_finding
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        area = add_finding(session, inspection, kind=kind or "", number=number, text=text or "", timescale=timescale,
                           for_whom=whom, for_name=name, why=why)
        data = _finding_view(area)
    _said(data, json_output, f"added {data['label']} to inspection {data['inspection_id']}: {data['text']}")


@app.command("set")
def finding_set(area: Area, why: Why, kind: Kind = None, number: Number = None, text: Text = None, timescale: Timescale = None,
                whom: For = None, name: ForName = None, db: Db = None, json_output: Json = False) -> None:
    """Correct a finding's kind, number (renumbering it), wording or timescale; what is not given
    stays as it is, and so does whom it is for. Kept with who, when and why.

    Example: corr finding set 3:R8 --text "The force should improve how it records investigations." --why "the import cut it short"

    Example: corr finding set 3:R9 --number 10 --why "numbered wrongly"
    """
    from correspondence.tracking.corrections import correct_finding
    from correspondence.tracking.updates import find_area

    with store_at(db).transaction() as session:
        found = find_area(session, area)
        changed = correct_finding(session, found, kind=kind, number=number, text=text, timescale=timescale, for_whom=whom,
                                  for_name=name, why=why)
        data = {**_finding_view(found), "changed": changed}
    _said(data, json_output, f"corrected {data['label']} of inspection {data['inspection_id']} ({', '.join(changed)}): {data['text']}"
          if changed else f"{data['label']} of inspection {data['inspection_id']}: nothing to change")


@app.command("remove")
def finding_remove(area: Area, why: Why, db: Db = None, json_output: Json = False) -> None:
    """Remove a finding the report does not make. Refused while the force's updates, an office's
    answer or an owner hang on it (correct it instead); its wording is kept with the correction.

    Example: corr finding remove 3:A7 --why "read twice from the summary"
    """
    from correspondence.tracking.corrections import remove_finding
    from correspondence.tracking.updates import find_area

    with store_at(db).transaction() as session:
        found = find_area(session, area)
        inspection_id = found.inspection_id
        label = remove_finding(session, found, why=why)
    _said({"inspection_id": inspection_id, "label": label, "removed": True}, json_output,
          f"removed {label} from inspection {inspection_id}")


# --- judgments -------------------------------------------------------------------------------------

N = Annotated[str, typer.Argument(metavar="N", help="The judgment's number, as 'corr inspection show' lists them (1 first).")]
Question = Annotated[Optional[str], typer.Option("--question", help="The question or area graded, as the report words it.")]
GradeOption = Annotated[Optional[str], typer.Option("--grade", help="outstanding, good, adequate, requires improvement, inadequate, or \"not graded\".")]
Position = Annotated[Optional[str], typer.Option("--position", help="Its place among the judgments, 1 first [default: last, or where it is].")]


@judgment_app.command("add")
def judgment_add(inspection_id: InspectionId, why: Why, question: Question = None, grade: GradeOption = None, position: Position = None,
                 db: Db = None, json_output: Json = False) -> None:
    """Add a graded judgment the report makes that was not stored.

    Example: corr judgment add 3 --question "Investigating crime" --grade "requires improvement" --why "the import missed it"
    """
    from correspondence.tracking.grade_and_figure_corrections import add_judgment
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        judgment = add_judgment(session, inspection, question=question or "", grade=grade or "", position=position, why=why)
        data = _judgment_view(judgment)
    _said(data, json_output, f"added judgment {data['number']} to inspection {data['inspection_id']}: {data['question']} ({data['grade']})")


@judgment_app.command("set")
def judgment_set(inspection_id: InspectionId, number: N, why: Why, question: Question = None, grade: GradeOption = None,
                 position: Position = None, db: Db = None, json_output: Json = False) -> None:
    """Correct a judgment's question, grade or place; what is not given stays as it is.

    Example: corr judgment set 3 2 --grade adequate --why "read from the wrong row"
    """
    from correspondence.tracking.grade_and_figure_corrections import correct_judgment, find_judgment
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        judgment = find_judgment(inspection, number, by_position=True)
        changed = correct_judgment(session, judgment, question=question, grade=grade, position=position, why=why)
        data = {**_judgment_view(judgment), "changed": changed}
    _said(data, json_output, f"corrected judgment {data['number']} of inspection {data['inspection_id']}: {data['question']} ({data['grade']})"
          if changed else f"judgment {data['number']} of inspection {data['inspection_id']}: nothing to change")


@judgment_app.command("remove")
def judgment_remove(inspection_id: InspectionId, number: N, why: Why, db: Db = None, json_output: Json = False) -> None:
    """Remove a judgment the report does not make; the others close up.

    Example: corr judgment remove 3 4 --why "a heading, not a graded question"
    """
    from correspondence.tracking.grade_and_figure_corrections import find_judgment, remove_judgment
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        label = remove_judgment(session, find_judgment(inspection, number, by_position=True), why=why)
    _said({"inspection_id": int(inspection_id), "label": label, "removed": True}, json_output,
          f"removed {label.lower()} from inspection {inspection_id}")


def _finding_view(area: Any) -> dict[str, Any]:
    from correspondence.tracking.corrections import finding_label

    return {"inspection_id": area.inspection_id, "code": area.code, "label": finding_label(area.kind, area.number),
            "kind": area.kind.value, "number": area.number, "text": area.text, "timescale": area.timescale}


def _judgment_view(judgment: Any) -> dict[str, Any]:
    return {"inspection_id": judgment.inspection_id, "number": judgment.position, "question": judgment.question,
            "grade": judgment.grade.value if judgment.grade else "not graded"}


def _said(data: dict[str, Any], json_output: bool, line: str) -> None:
    if json_output:
        emit_json(data)
        return
    typer.echo(line)
    if data.get("changed", True):
        typer.echo("drafts about it made before now are marked to be drafted again; a sent letter is never changed")
