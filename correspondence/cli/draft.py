"""corr draft: Word letters drafted from the store, and the options every draft command shares."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from correspondence.cli.common import (
    AddresseeName,
    AddresseeRole,
    AddressLines,
    Author,
    Cc,
    Comments,
    ConfirmDate,
    Db,
    DraftDate,
    Json,
    OfficeName,
    OtherForce,
    OutDir,
    Pdf,
    Salutation,
    Subject,
    TemplateFile,
    ToRole,
    emit_json,
    joined_lines,
    option_date,
    store_at,
)
from correspondence.cli.wording import said
from correspondence.records.errors import CorrespondenceError

app = typer.Typer(no_args_is_help=True, help="Draft Word letters from the store, logged in the register.")

if TYPE_CHECKING:
    from correspondence.records.store import Store




def draft_request(office: str, date: str | None, template: Path | None, out: Path | None, to_role: str | None,
                   addressee: str | None, addressee_role: str | None, address: list[str] | None,
                   salutation: str | None, cc: str | None, subject: str | None, author: str,
                   allow_missing: bool = False, comments: Path | None = None, other_force: bool = False,
                   confirm_date: bool = False) -> Any:
    import datetime as dt

    from correspondence.drafting.comments import read_comments_file
    from correspondence.drafting.drafts import DraftRequest
    from correspondence.files.letter_files import default_folder
    from correspondence.organisation.roles import Addressing

    today = dt.date.today()
    explicit = None
    if addressee:
        explicit = Addressing(name=addressee.strip(), role=(addressee_role or "").strip(), salutation=salutation or "", address=joined_lines(address))
    return DraftRequest(
        # the command line writes a copy to open in Word (an office's mirror folder's copy, if it keeps one)
        office=office, letter_date=option_date(date, "--date") or today, today=today, out_dir=out, copy_dir=default_folder(), template=template,
        to_role=to_role, addressee=explicit, cc=cc, subject=subject, author=author or "", allow_missing=allow_missing,
        comments=read_comments_file(comments) if comments is not None else None,
        other_force=other_force, confirm_date=confirm_date,
    )


def run_draft(kind: str, record_id: str, request: Any, db: str | None, pdf: bool, json_output: bool,
               store: Store | None = None) -> None:
    from correspondence.drafting import drafts as drafting
    from correspondence.files.pdf import convert_to_pdf, require_libreoffice
    from correspondence.process.s55_letter import draft_response
    from correspondence.records.transactions import in_one_transaction

    if pdf:
        require_libreoffice()  # before anything is written
    make = {"response": draft_response, "followup": drafting.draft_followup, "annex": drafting.draft_annex}[kind]
    draft = in_one_transaction(store or store_at(db), lambda session: make(session, record_id, request))
    pdf_path = None
    if pdf:
        try:
            pdf_path = convert_to_pdf(draft.path)
        except CorrespondenceError as error:
            raise CorrespondenceError(f"{said(error)}; the draft {draft.reference} is saved as {draft.path}") from None
    if json_output:
        emit_json({"letter_id": draft.letter_id, "reference": draft.reference, "file": str(draft.path),
                    "pdf": str(pdf_path) if pdf_path else None, "addressee": draft.addressee,
                    "awaiting_update": draft.missing_updates, "notes": draft.notes})
        return
    for note in draft.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(f"drafted {draft.reference} to {draft.addressee}: {draft.path}")
    if pdf_path:
        typer.echo(f"PDF: {pdf_path}")
    if draft.missing_updates:
        typer.echo(f"marked as awaiting an update: {', '.join(draft.missing_updates)}", err=True)


@app.command("response")
def draft_response(
    inspection: Annotated[Optional[str], typer.Argument(metavar="INSPECTION", help="The inspection's number (or --all-due).", show_default=False)] = None,
    office: OfficeName = ...,  # type: ignore[assignment] - typer's marker for a required option
    all_due: Annotated[bool, typer.Option("--all-due", help="Draft every response the office has due and has not drafted yet, one letter at a time, instead of one INSPECTION.")] = False,
    date: DraftDate = None,
    confirm_date: ConfirmDate = False,
    template: TemplateFile = None,
    out: OutDir = None,
    allow_missing: Annotated[bool, typer.Option("--allow-missing", help="Draft even if a recommendation has no update or answer; the annex marks it in bold.")] = False,
    comments: Comments = None,
    other_force: OtherForce = False,
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
    """The s.55 response to the Home Secretary on an inspection, with Annex A of the force's updates
    and the office's answers.

    Example: corr draft response 2 --office LLR --comments our-comments.md --date 17/5/2019

    Example: corr draft response --all-due --office LLR
    """
    if all_due == (inspection is not None):
        raise CorrespondenceError("give one INSPECTION, or --all-due for every response the office has due, not both"
                                  if all_due else "say which INSPECTION to answer, or --all-due for every one the office has due")
    if all_due and pdf:
        raise CorrespondenceError("--pdf drafts one letter; convert a batch with LibreOffice afterwards")
    request = draft_request(office, date, template, out, to_role, addressee, addressee_role, address, salutation,
                             cc, subject, author, allow_missing, comments, other_force, confirm_date)
    if all_due:
        run_all_due(request, db, json_output)
        return
    run_draft("response", inspection, request, db, pdf, json_output)


def run_all_due(request: Any, db: str | None, json_output: bool) -> None:
    """Draft each due response, saying of each what happened as it happens; exit 1 if any failed."""
    from correspondence.process.due_drafts import draft_all_due

    def report(outcome: Any) -> None:
        if json_output:
            return
        if outcome.draft is not None:
            draft = outcome.draft
            typer.echo(f"drafted {draft.reference} for inspection {outcome.inspection_id} ({outcome.title}): {draft.path}")
            for note in draft.notes:
                typer.echo(f"note: {note}", err=True)
            if draft.missing_updates:
                typer.echo(f"{draft.reference}: marked as awaiting an update: {', '.join(draft.missing_updates)}", err=True)
        elif outcome.drafted_before:
            typer.echo(f"inspection {outcome.inspection_id}: already drafted as {', '.join(outcome.drafted_before)}", err=True)
        else:
            typer.echo(f"inspection {outcome.inspection_id}: not drafted: {said(outcome.error)}", err=True)

    outcomes = draft_all_due(store_at(db), request, report)
    failed = [outcome for outcome in outcomes if outcome.error]
    if json_output:
        emit_json([
            {"inspection_id": o.inspection_id, "title": o.title, "reference": o.draft.reference if o.draft else None,
             "file": str(o.draft.path) if o.draft else None, "awaiting_update": o.draft.missing_updates if o.draft else [],
             "drafted_before": o.drafted_before or [], "error": said(o.error) if o.error else None}
            for o in outcomes
        ])
    else:
        drafted = sum(1 for outcome in outcomes if outcome.draft is not None)
        typer.echo(f"{drafted} drafted, {sum(1 for o in outcomes if o.drafted_before)} already drafted, "
                   f"{len(failed)} not drafted, of {len(outcomes)} due", err=True)
    if failed:
        raise typer.Exit(1)


@app.command("followup")
def draft_followup(
    meeting: Annotated[str, typer.Argument(metavar="MEETING", help="The meeting's number.")],
    office: OfficeName,
    date: DraftDate = None,
    confirm_date: ConfirmDate = False,
    template: TemplateFile = None,
    out: OutDir = None,
    comments: Comments = None,
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
    """The follow-up to the Commissioner or Chief Constable after a meeting, with its actions annex.

    Example: corr draft followup 1 --office MOPAC --date 4/5/2022 --comments board-letter.md
    """
    request = draft_request(office, date, template, out, to_role, addressee, addressee_role, address, salutation,
                             cc, subject, author, comments=comments, confirm_date=confirm_date)
    run_draft("followup", meeting, request, db, pdf, json_output)


@app.command("annex")
def draft_annex(
    inspection: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")],
    office: OfficeName,
    date: DraftDate = None,
    confirm_date: ConfirmDate = False,
    template: TemplateFile = None,
    out: OutDir = None,
    to_role: ToRole = None,
    addressee: AddresseeName = None,
    addressee_role: AddresseeRole = None,
    address: AddressLines = None,
    salutation: Salutation = None,
    cc: Cc = None,
    subject: Subject = None,
    author: Author = "",
    pdf: Pdf = False,
    other_force: OtherForce = False,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Write the table as a CSV file instead, for a force that prefers a spreadsheet.")] = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """The findings table on its own, with the force's latest updates: for the force to fill in
    at a later round of updates (read back with 'corr annex import'), or to share as a position
    statement. To invite the chief officer's comments under s.55(4), use 'corr invite'.

    Example: corr draft annex 1 --office MOPAC --csv updates.csv
    """
    if csv_file is not None:
        write_annex_csv(inspection, csv_file, date, other_force, office, db, json_output)
        return
    request = draft_request(office, date, template, out, to_role, addressee, addressee_role, address, salutation,
                             cc, subject, author, other_force=other_force, confirm_date=confirm_date)
    run_draft("annex", inspection, request, db, pdf, json_output)


def write_annex_csv(inspection: str, csv_file: Path, date: str | None, other_force: bool, office: str | None,
                    db: str | None, json_output: bool) -> None:
    """The findings table as CSV, remembered as an annex request so a returned row left as sent is
    not taken for an update (see annex.write_csv)."""
    import datetime as dt

    from correspondence.drafting.annex import write_csv
    from correspondence.drafting.drafts import check_force
    from correspondence.organisation.offices import get_office
    from correspondence.records.transactions import remember_written
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        found = get_inspection(session, inspection)
        if office is not None:
            check_force(get_office(session, office), found, other_force)
        write_csv(session, found, csv_file, option_date(date, "--date") or dt.date.today())
        remember_written(session, csv_file)
        count = len(found.areas)
    if json_output:
        emit_json({"inspection_id": int(inspection), "csv": str(csv_file), "findings": count})
    else:
        typer.echo(f"wrote {count} findings to {csv_file}")
