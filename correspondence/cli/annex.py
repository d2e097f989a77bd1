"""corr annex: the findings table sent to the force and read back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from correspondence.cli.common import (
    Db,
    DraftDate,
    Json,
    OptionalOffice,
    OtherForce,
    OutDir,
    emit_json,
    human_date,
    option_date,
    print_table,
    store_at,
)
from correspondence.records.errors import CorrespondenceError

app = typer.Typer(no_args_is_help=True, help="Read the force's filled-in findings table back (to send it: corr invite).")


@app.command("request")
def annex_request(
    inspection: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")],
    office: OptionalOffice = None,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Write a CSV file instead of a Word document.")] = None,
    out: OutDir = None,
    date: DraftDate = None,
    other_force: OtherForce = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """(Deprecated: use 'corr draft annex', or 'corr invite' to invite the chief officer's comments.)
    The findings table for the force to fill in: a Word annex logged with a reference, or a CSV file.

    Example: corr annex request 1 --office MOPAC --csv annex.csv
    """
    from correspondence.cli.draft import draft_request, run_draft, write_annex_csv

    typer.echo("note: 'corr annex request' is deprecated and will be removed: use 'corr draft annex' for the table on its "
               "own (--csv for a spreadsheet), or 'corr invite' to invite the chief officer's comments (s.55(4))", err=True)
    if csv_file is not None:
        write_annex_csv(inspection, csv_file, date, other_force, office, db, json_output)
        return
    store = store_at(db)
    if office is None:
        from correspondence.process.template_context import office_for

        with store.reading() as session:
            office = office_for(session, "annex", inspection)
    request = draft_request(office, date, None, out, None, None, None, None, None, None, None, "", other_force=other_force)
    run_draft("annex", inspection, request, db, False, json_output, store)


@app.command("import")
def annex_import(
    file: Annotated[Path, typer.Argument(help="The filled-in annex: .docx or .csv.")],
    inspection: Annotated[Optional[str], typer.Option("--inspection", help="The inspection [default: from the annex's 'Our ref'].")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="When the force returned it [default: today].")] = None,
    partial: Annotated[bool, typer.Option("--partial", help="Store the other rows even if some rows match nothing or are held back.")] = False,
    allow_backwards: Annotated[bool, typer.Option("--allow-backwards", help="Also store rows that would move a status backwards or replace a newer update.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; store nothing.")] = False,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Read the force's filled-in annex, match each row to its finding, show and store the changes.

    Rows left as the annex sent them are not updates. A row that would move a finding's status
    backwards, or replace an update newer than the annex, is shown and held back: nothing is
    stored unless --allow-backwards (store it too) or --partial (store the rest).

    Example: corr annex import letters/MOPAC01092018-D2189.docx --dry-run

    Example: corr annex import returned.csv --inspection 1 --date 1/10/2018
    """
    import datetime as dt

    from correspondence.drafting.annex import find_request, judge, match_rows, read_rows, reference_in, store_changes
    from correspondence.register.letters import get_letter
    from correspondence.tracking.inspections import get_inspection

    today = dt.date.today()
    received = option_date(date, "--date") or today
    if received > today:
        raise CorrespondenceError(f"--date: {human_date(received)} is in the future")
    rows = read_rows(file)
    store = store_at(db)
    with (store.reading() if dry_run else store.transaction()) as session:
        request = find_request(session, file, rows)
        if inspection is None:
            if request is not None:
                inspection = str(request.inspection_id)
            else:
                reference = reference_in(file)
                letter = get_letter(session, reference) if reference else None
                if letter is None or letter.inspection_id is None:
                    raise CorrespondenceError(f"{file}: say which inspection it answers with --inspection")
                inspection = str(letter.inspection_id)
        found = get_inspection(session, inspection)
        if request is not None and request.inspection_id != found.id:
            request = None  # the table was sent for another inspection: judge it on dates alone
        changes, unmatched, blank = match_rows(found, rows)
        judge(session, changes, request, received)
        held = [c for c in changes if c.is_update and c.held]
        report = {
            "inspection_id": found.id,
            "request": request.id if request else None,
            "changes": [{"row": c.row.line, "area": c.area.code, "before": c.before, "after": f"{c.status}: {c.text}",
                         "unchanged": c.unchanged, "as_sent": c.as_sent, "held": c.held if c.is_update else ""} for c in changes],
            "unmatched": [{"row": u.row.line, "no": u.row.number, "reason": u.reason} for u in unmatched],
            "blank_rows": [row.line for row in blank],
        }
        refused = (bool(unmatched) or (bool(held) and not allow_backwards)) and not partial
        stored = 0 if (dry_run or refused) else store_changes(session, changes, received, today, request, allow_backwards)
        report["stored"] = stored
    if json_output:
        emit_json(report)
    else:
        print_table(f"{file}: updates for inspection {found.id}", ["Row", "Area", "Before", "After"], [
            [c["row"], c["area"], c["before"], _shown_after(c)] for c in report["changes"]
        ])
        for u in report["unmatched"]:
            typer.echo(f"row {u['row']} (No. {u['no'] or '-'}) not matched: {u['reason']}")
        typer.echo(f"{stored} updates stored" + (" (dry run)" if dry_run else ""))
    if refused:
        problems, choices = [], ["correct them"]
        if unmatched:
            problems.append(f"{len(unmatched)} row(s) could not be matched")
        if held and not allow_backwards:
            problems.append(f"{len(held)} row(s) would go backwards ({held[0].held})")
            choices.append("pass --allow-backwards to store those rows too")
        storable = sum(1 for c in changes if c.is_update and (allow_backwards or not c.held))
        choices.append(f"pass --partial to store the {storable} other matched row(s)")
        raise CorrespondenceError(f"{file}: {' and '.join(problems)}, so nothing was stored; {', '.join(choices[:-1])}, or {choices[-1]}")


def _shown_after(change: dict) -> str:
    if change["unchanged"]:
        return "(unchanged)"
    if change["as_sent"]:
        return "(as the annex sent it: not an update)"
    if change["held"]:
        return f"HELD BACK: {change['held']}: {change['after']}"
    return change["after"]
