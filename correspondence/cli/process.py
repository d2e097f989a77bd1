"""corr invite, corr chase, corr publish: the steps of the s.55 process that are commands of their own.

The chief officer's comments are `corr comments add` (cli/comments.py); clearance and sending are
`corr letter submit|approve|sent` (cli/letter.py); `corr due` shows where each response stands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from correspondence.cli.common import (
    ActingAs,
    AddresseeName,
    AddresseeRole,
    AddressLines,
    Author,
    Cc,
    ConfirmDate,
    Db,
    DraftDate,
    Json,
    OptionalOffice,
    OtherForce,
    OutDir,
    Pdf,
    Salutation,
    Subject,
    TemplateFile,
    ToRole,
    acting,
    emit_json,
    human_date,
    option_date,
    store_at,
)
from correspondence.cli.wording import said
from correspondence.records.errors import CorrespondenceError

InspectionArgument = Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")]
ReplyBy = Annotated[Optional[str], typer.Option("--reply-by", help="The date the chief officer's comments are asked for by.")]


def invite(
    inspection: InspectionArgument,
    office: OptionalOffice = None,
    reply_by: Annotated[Optional[str], typer.Option("--reply-by", help="Comments asked for by (default: the office's reply-by days after publication; for a letter dated after that, "
                                                                      "halfway to the last day, or a week after the letter once the last day has passed).")] = None,
    date: DraftDate = None,
    confirm_date: ConfirmDate = False,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Also write the findings table as CSV, for a force that prefers a spreadsheet.")] = None,
    to_role: ToRole = None,
    addressee: AddresseeName = None,
    addressee_role: AddresseeRole = None,
    address: AddressLines = None,
    salutation: Salutation = None,
    cc: Cc = None,
    subject: Subject = None,
    template: TemplateFile = None,
    out: OutDir = None,
    author: Author = "",
    pdf: Pdf = False,
    other_force: OtherForce = False,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Invite the chief officer's comments on a report (s.55(4)): a letter to the chief officer of
    the letter's date, by name, with the findings table to fill in and a reply-by date.

    The reply-by date defaults to the office's setting (21 days after the report's publication;
    change it with 'corr office set --reply-by-days'), or for an invitation written after that, to
    halfway between its date and the last day for publishing the response; it must fall on or
    before that last day unless the last day has already passed. Mark the letter sent with
    'corr letter sent' when it goes.

    Example: corr invite 1 --office MOPAC --date 18/7/2018 --reply-by 7/8/2018
    """
    from correspondence.process.invitation import invite as invite_step

    wanted = option_date(reply_by, "--reply-by")

    def work(session: Any, request: Any) -> Any:
        draft = invite_step(session, inspection, request, wanted)
        if csv_file is not None:
            _write_csv(session, inspection, csv_file, request.letter_date)
        return draft

    if csv_file is not None:
        from correspondence.files.outputs import check_new_file

        check_new_file(csv_file)
    _run(work, inspection, office, date, template, out, to_role, addressee, addressee_role, address, salutation, cc,
         subject, author, pdf, acting_user, db, json_output, other_force, confirm_date)


def chase(
    inspection: InspectionArgument,
    office: OptionalOffice = None,
    reply_by: Annotated[Optional[str], typer.Option("--reply-by", help="A new date to ask for the comments by (default: as soon as possible).")] = None,
    date: DraftDate = None,
    confirm_date: ConfirmDate = False,
    to_role: ToRole = None,
    addressee: AddresseeName = None,
    addressee_role: AddresseeRole = None,
    address: AddressLines = None,
    salutation: Salutation = None,
    cc: Cc = None,
    subject: Subject = None,
    template: TemplateFile = None,
    out: OutDir = None,
    author: Author = "",
    pdf: Pdf = False,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Draft a reminder to the chief officer whose comments have not come by the reply-by date.

    Refused before the reply-by date has passed, and once the comments are stored.

    Example: corr chase 1 --office MOPAC --date 8/8/2018 --reply-by 15/8/2018
    """
    from correspondence.process.invitation import chase as chase_step

    wanted = option_date(reply_by, "--reply-by")
    _run(lambda session, request: chase_step(session, inspection, request, wanted), inspection, office, date, template, out,
         to_role, addressee, addressee_role, address, salutation, cc, subject, author, pdf, acting_user, db, json_output,
         confirm_date=confirm_date)


def publish(
    inspection: InspectionArgument,
    date: Annotated[str, typer.Option("--date", help="The day the response is published on the office's website.")],
    office: OptionalOffice = None,
    url: Annotated[Optional[str], typer.Option("--url", help="Where it is published, e.g. https://www.example.gov.uk/hmicfrs/cdi-2018.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder for a copy of the publication package and its index page (they are kept in the store) [default: publication/SHORT, the office's own].")] = None,
    acting_user: ActingAs = None,
    db: Db = None,
    json_output: Json = False,
) -> None:
    """Publish the response (s.55(5)): write one accessible web page and one tagged PDF/A holding
    the office's comments, the chief officer's comments and the office's response to them, and
    the index page of every report and response. Only publication meets the 56-day deadline.

    Refused while the s.55 letter has not been sent, or the chief officer was never invited to
    comment. Needs LibreOffice for the PDF.

    Example: corr publish 1 --date 10/9/2018 --url https://www.london.gov.uk/mopac/hmicfrs/cdi-2018
    """
    import datetime as dt

    from correspondence.process.publication import DEFAULT_OUT
    from correspondence.process.publication import publish as publish_step
    from correspondence.records.transactions import in_one_transaction

    today = dt.date.today()
    published_on = option_date(date, "--date")
    store = store_at(db)
    with acting(acting_user):
        def work(session: Any) -> Any:
            short = office_of_inspection(session, office, inspection)
            return publish_step(session, inspection, short, published_on=published_on, today=today,
                                out_dir=out or DEFAULT_OUT / short, url=url)

        done = in_one_transaction(store, work)
    if json_output:
        emit_json({"inspection_id": done.inspection_id, "office": done.office, "published_on": done.published_on.isoformat(),
                   **{kind: str(path) if path else None for kind, path in done.paths.items()}, "days_late": done.days_late})
        return
    typer.echo(f"published {done.office}'s response to inspection {done.inspection_id} on {human_date(done.published_on)} "
               "(kept in the store, with copies here)")
    paths = done.paths
    typer.echo(f"  web page: {paths['html']}\n  PDF:      {paths['pdf']}\n  index:    {paths['index']}")
    if done.days_late:
        typer.echo(f"note: published {done.days_late} day{'s' if done.days_late != 1 else ''} after the 56-day deadline", err=True)


def _run(step: Any, inspection: str, office: str | None, date: str | None, template: Path | None, out: Path,
         to_role: str | None, addressee: str | None, addressee_role: str | None, address: list[str] | None,
         salutation: str | None, cc: str | None, subject: str | None, author: str, pdf: bool, acting_user: str | None,
         db: str | None, json_output: bool, other_force: bool = False, confirm_date: bool = False) -> None:
    """Draft a letter of the process in one transaction, as the draft commands do."""
    from correspondence.cli.draft import draft_request
    from correspondence.files.pdf import convert_to_pdf, require_libreoffice
    from correspondence.records.transactions import in_one_transaction

    if pdf:
        require_libreoffice()
    store = store_at(db)
    with acting(acting_user):
        def work(session: Any) -> Any:
            request = draft_request(office_of_inspection(session, office, inspection), date, template, out, to_role, addressee,
                                    addressee_role, address, salutation, cc, subject, author, other_force=other_force,
                                    confirm_date=confirm_date)
            draft = step(session, request)
            return draft, request.letter_date

        draft, letter_date = in_one_transaction(store, work)
    pdf_path = None
    if pdf:
        try:
            pdf_path = convert_to_pdf(draft.path)
        except CorrespondenceError as error:
            raise CorrespondenceError(f"{said(error)}; the draft {draft.reference} is saved as {draft.path}") from None
    if json_output:
        emit_json({"letter_id": draft.letter_id, "reference": draft.reference, "file": str(draft.path),
                   "pdf": str(pdf_path) if pdf_path else None, "addressee": draft.addressee, "date": letter_date.isoformat()})
        return
    typer.echo(f"drafted {draft.reference} to {draft.addressee}: {draft.path}")
    if pdf_path:
        typer.echo(f"PDF: {pdf_path}")
    typer.echo(f"when it goes: corr letter sent {draft.reference} --date DATE", err=True)


def office_of_inspection(session: Any, office: str | None, inspection: str) -> str:
    """The office named, or the one office overseeing the inspected force."""
    if office:
        return office
    from correspondence.process.template_context import office_for
    from correspondence.tracking.inspections import get_inspection

    if get_inspection(session, inspection).force is None:
        raise CorrespondenceError(f"inspection {inspection} is a national report: say which office with --office")
    return office_for(session, "response", inspection)


def _write_csv(session: Any, inspection: str, path: Path, made_on: Any) -> None:
    from correspondence.drafting.annex import write_csv
    from correspondence.records.transactions import remember_written
    from correspondence.tracking.inspections import get_inspection

    write_csv(session, get_inspection(session, inspection), path, made_on)
    remember_written(session, path)
