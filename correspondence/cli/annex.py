"""corr annex: the findings table sent to the force and read back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from correspondence.cli.common import (
    Db,
    DraftDate,
    Json,
    OptionalOffice,
    OutDir,
    emit_json,
    human_date,
    option_date,
    print_table,
    store_at,
)
from correspondence.cli.draft import draft_request, run_draft
from correspondence.errors import CorrespondenceError

app = typer.Typer(no_args_is_help=True, help="Send the findings table to the force and read it back filled in.")

if TYPE_CHECKING:
    pass


@app.command("request")
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

        with store_at(db).reading() as session:
            found = get_inspection(session, inspection)
            write_csv(found, csv_file)
            count = len(found.areas)
        typer.echo(f"wrote {count} findings to {csv_file}")
        return
    store = store_at(db)
    if office is None:
        from correspondence.drafting import office_for

        with store.reading() as session:
            office = office_for(session, "annex", inspection)
    request = draft_request(office, date, None, out, None, None, None, None, None, None, None, "")
    run_draft("annex", inspection, request, db, False, json_output, store)


@app.command("import")
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
    received = option_date(date, "--date") or today
    if received > today:
        raise CorrespondenceError(f"--date: {human_date(received)} is in the future")
    rows = read_rows(file)
    store = store_at(db)
    with (store.reading() if dry_run else store.transaction()) as session:
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
        emit_json(report)
    else:
        print_table(f"{file}: updates for inspection {found.id}", ["Row", "Area", "Before", "After"], [
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
