"""corr comments: the chief officer's comments on a report, as received (stage 2 of the s.55 process)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import (
    ActingAs,
    Db,
    Json,
    OptionalOffice,
    acting,
    emit_json,
    human_date,
    option_date,
    print_table,
    store_at,
)

app = typer.Typer(no_args_is_help=True, help="The chief officer's comments on a report, as received.")


@app.command("add")
def comments_add(
    inspection: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Their reply: .docx, .pdf, .txt or .html (or the findings table as .csv).")],
    date: Annotated[str, typer.Option("--date", help="The date of their reply.")],
    office: OptionalOffice = None,
    reference: Annotated[Optional[str], typer.Option("--ref", help="Their reference, if the letter has one.")] = None,
    partial: Annotated[bool, typer.Option("--partial", help="Store the comments even if some rows of their table match no finding.")] = False,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Store the chief officer's reply to the invitation: a received letter linked to the inspection,
    kept (text and file) for publication. If it holds the findings table (No., Area, Status,
    Update), each row is read into the force's updates as 'corr annex import' does; a row that
    matches no finding stops everything unless --partial.

    Example: corr comments add 1 commissioner-reply.docx --date 20/8/2018 --office MOPAC
    """
    import datetime as dt

    from correspondence.cli.process import office_of_inspection
    from correspondence.process.comments_received import add_comments
    from correspondence.records.transactions import in_one_transaction

    today = dt.date.today()
    received_on = option_date(date, "--date")
    with acting(acting_user):
        def work(session: Any) -> dict[str, Any]:
            short = office_of_inspection(session, office, inspection)
            done = add_comments(session, inspection, short, file, received_on=received_on, today=today,
                                reference=reference, partial=partial)
            return {
                "letter_id": done.letter_id, "office": short, "received_on": done.received_on.isoformat(), "copy": str(done.copy) if done.copy else None,
                "changes": [{"row": c.row.line, "area": c.area.code, "before": c.before, "after": f"{c.status}: {c.text}",
                             "unchanged": unchanged} for c, unchanged in zip(done.changes, done.unchanged)],
                "unmatched": [{"row": u.row.line, "no": u.row.number, "reason": u.reason} for u in done.unmatched],
                "blank_rows": [row.line for row in done.blank],
                "stored": done.stored,
            }

        data = in_one_transaction(store_at(db), work)
    if json_output:
        emit_json(data)
        return
    changed = [c for c in data["changes"] if not c["unchanged"]]
    if changed:
        print_table(f"{file}: updates for inspection {inspection}", ["Row", "Area", "Before", "After"], [
            [c["row"], c["area"], c["before"], c["after"]] for c in changed
        ])
    repeated = len(data["changes"]) - len(changed)
    if repeated:
        typer.echo(f"{repeated} row{'s' if repeated != 1 else ''} repeated the latest update and {'were' if repeated != 1 else 'was'} not stored again")
    for u in data["unmatched"]:
        typer.echo(f"row {u['row']} (No. {u['no'] or '-'}) not matched, not stored: {u['reason']}")
    typer.echo(f"stored the chief officer's comments of {human_date(data['received_on'])} as letter #{data['letter_id']} "
               f"(its file kept in the store{', with a copy as ' + data['copy'] if data['copy'] else ''}); {data['stored']} update{'s' if data['stored'] != 1 else ''} stored")
