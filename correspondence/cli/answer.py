"""corr answer: the office's own answer to each finding (s.55(5B))."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, OptionalOffice, emit_json, option_date, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="The office's own answers to the findings of a report.")


@app.command("add")
def answer_add(
    area: Annotated[str, typer.Argument(help="INSPECTION:CODE, e.g. 1:R1 (C cause of concern, R recommendation, A area for improvement).")],
    text: Annotated[Optional[str], typer.Option("--text", help="What the office has done or will do about it.")] = None,
    no_action: Annotated[bool, typer.Option("--no-action", help="The office will take no action; say why with --why.")] = False,
    why: Annotated[Optional[str], typer.Option("--why", help="With --no-action: why no action will be taken.")] = None,
    office: OptionalOffice = None,
    date: Annotated[Optional[str], typer.Option("--date", help="When the office decided it [default: today].")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Record the office's answer to one finding; the letter and its Annex A show it beside the
    force's update. Earlier answers are kept; letters use the latest.

    Example: corr answer add 2:R1 --text "We will audit crime recording every quarter."
    """
    import datetime as dt

    from correspondence.cli.views import answer_view
    from correspondence.organisation.offices import get_office
    from correspondence.process.template_context import office_for
    from correspondence.tracking.answers import add_answer
    from correspondence.tracking.updates import find_area

    today = dt.date.today()
    answered = option_date(date, "--date") or today
    with store_at(db).transaction() as session:
        found = find_area(session, area)
        chosen = get_office(session, office or office_for(session, "response", str(found.inspection_id)))
        recorded = add_answer(session, found, chosen, text=text, no_action=no_action, why=why, answered_on=answered, today=today)
        data = {"area": found.code, "inspection_id": found.inspection_id, **answer_view(recorded)}
    if json_output:
        emit_json(data)
    else:
        what = "no action" if data["no_action"] else "answer"
        typer.echo(f"recorded {data['office']}'s {what} on {data['area']} of inspection {data['inspection_id']}")


@app.command("list")
def answer_list(
    inspection: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")],
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Every finding of an inspection with the office's answers (latest last).

    Example: corr answer list 2
    """
    from correspondence.cli.views import answer_view
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        found = get_inspection(session, inspection)
        data = [{"area": area.code, "text": area.text, "answers": [answer_view(a) for a in area.answers]} for area in found.areas]
    if json_output:
        emit_json(data)
        return
    rows = []
    for item in data:
        for answer in item["answers"] or [None]:
            if answer is None:
                rows.append([item["area"], "", "", "(no answer)"])
            else:
                said = f"No action: {answer['text']}" if answer["no_action"] else answer["text"]
                rows.append([item["area"], answer["office"], answer["answered_on"], said])
    print_table(f"Answers to inspection {inspection}", ["Finding", "Office", "Date", "Answer"], rows)
