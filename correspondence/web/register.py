"""The register: search and filters, CSV/XLSX export, one letter with its versions, thread and
clearance, and marking a draft sent.

On this blueprint too: submitting and approving a draft (web/clearance.py), and downloading and
uploading a letter's files (web/letter_files.py)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    after_this_request,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import login_required
from sqlalchemy import select

from correspondence.files.letter_files import check_files
from correspondence.files.letter_versions import attachments_of, letter_versions
from correspondence.process.clearance import clearance_state
from correspondence.process.sending import mark_sent
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import Letter, User
from correspondence.records.vocabulary import Direction, LetterKind, LetterStatus, UserRole
from correspondence.register.export import column_widths, export_rows, write_csv, write_xlsx
from correspondence.register.letters import LetterFilter, count_letters, list_letters
from correspondence.register.versions import thread
from correspondence.tracking.corrections import before_correction_note, drafted_before_correction
from correspondence.web.forms import ApproveForm, AttachmentForm, SentForm, VersionForm, date_value
from correspondence.web.post_forms import post_panel
from correspondence.web.security import office, permit, reading, record, transaction
from correspondence.web.wording import onto_form, said

blueprint = Blueprint("register", __name__)
PAGE = 100


@blueprint.route("/letters")
@login_required
def index() -> Any:
    with reading() as db:
        permit(db, UserRole.VIEWER)
        short = office(db).short_name
        wanted, problem = _filter(short)
        letters, total, more = [], 0, False
        if not problem:
            try:
                letters = list_letters(db, wanted)
                more = len(letters) == PAGE
                # Counting every letter a common word matches costs more than finding the newest hundred,
                # so a search that fills the page says there are more instead of how many.
                total = count_letters(db, wanted) if more and not wanted.text else len(letters)
            except CorrespondenceError as error:
                problem = said(error, capital=False)
        page = "_register_results.html" if request.headers.get("HX-Request") else "register.html"
        return render_template(page, letters=letters, total=total, more=more, problem=problem, args=request.args,
                               directions=list(Direction), statuses=list(LetterStatus), kinds=list(LetterKind)), (422 if problem else 200)


@blueprint.route("/letters/export.<kind>")
@login_required
def export(kind: str) -> Any:
    if kind not in ("csv", "xlsx"):
        return redirect(url_for("register.index"))
    with reading() as db:
        permit(db, UserRole.VIEWER)
        short = office(db).short_name
        wanted, problem = _filter(short)
        if problem:
            flash(problem, "error")
            return redirect(url_for("register.index", **request.args))
        wanted.limit = None
        folder = Path(tempfile.mkdtemp(prefix="corr-export-"))
        path = folder / f"register.{kind}"
        if kind == "csv":
            write_csv(export_rows(db, wanted), path)
        else:
            write_xlsx(export_rows(db, wanted), path, column_widths(db, wanted))

    @after_this_request
    def _remove(response: Any) -> Any:
        response.call_on_close(lambda: (path.unlink(missing_ok=True), folder.rmdir()))
        return response

    name = f"{short}-register-{dt.date.today():%Y-%m-%d}.{kind}"
    mimetype = "text/csv" if kind == "csv" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return send_file(path, as_attachment=True, download_name=name, mimetype=mimetype, max_age=0)


@blueprint.route("/letters/<letter_id>")
@login_required
def show(letter_id: str, form: SentForm | None = None, error: str = "", status: int = 200, **forms: Any) -> Any:
    from correspondence.tracking.inspections import get_response

    with reading() as db:
        letter = record(db, Letter, letter_id)
        versions = letter_versions(db, letter)
        checks = check_files(db, [letter], read_bytes=False)
        clearance = clearance_state(db, letter) if letter.direction is Direction.OUT else None
        # the approver approves the version they were shown: its SHA-256 goes with the form (clearance.approve)
        approve_form = ApproveForm(sha256=clearance.file_sha256 if clearance else "")
        response = get_response(db, letter.office, letter.inspection) if letter.inspection is not None else None
        copies = [copy for copy in response.copies if copy.letter_id == letter.id] if response is not None else []
        people = {user.name: user.display_name for user in db.scalars(select(User).where(User.office_id == letter.office_id))}
        post = post_panel(db, letter, forms)  # the post: owner, reply-by, answered, reply (web/post.py)
        corrected = drafted_before_correction(db, [letter])  # a draft made before its inspection was corrected
        before_correction = before_correction_note(corrected[letter.id]) if corrected else ""
        return render_template("letter.html", people=people, letter=letter, thread=thread(db, letter), versions=versions, post=post,
                               before_correction=before_correction,
                               file_check=checks[0] if checks else None, attachments=attachments_of(db, letter),
                               sent_form=form or SentForm(), approve_form=approve_form, clearance=clearance, copies=copies,
                               version_form=forms.get("version_form") or VersionForm(prefix="version"),
                               attachment_form=forms.get("attachment_form") or AttachmentForm(prefix="attachment"),
                               is_s55=letter.kind is LetterKind.S55_RESPONSE, error=error, **{
                                   key: value for key, value in forms.items() if key not in ("version_form", "attachment_form")}), status


@blueprint.route("/letters/<letter_id>/sent", methods=["POST"])
@login_required
def sent(letter_id: str) -> Any:
    form = SentForm()
    with reading() as db:
        record(db, Letter, letter_id, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return show(letter_id, form=form, status=422)
    try:
        with transaction() as db:
            letter = record(db, Letter, letter_id, UserRole.DRAFTER)
            today = dt.date.today()
            sent_on = date_value(form.sent_on, today)
            hmicfrs_on = date_value(form.hmicfrs_on) if letter.kind is LetterKind.S55_RESPONSE else None
            mark_sent(db, letter, sent_on, today, hmicfrs_on=hmicfrs_on)  # check_sendable refuses as it does for the CLI
            label = letter.label
    except CorrespondenceError as error:
        labels = {"sent_on": "Date it was sent", "hmicfrs_on": "Date HMICFRS's copy went"}
        problems = getattr(error, "problems", [error])  # every reason at once (process/sending.SendingProblems)
        for problem in problems:
            if problem.field in labels:
                onto_form(form, problem, {"sent_on": "sent_on", "hmicfrs_on": "hmicfrs_on"}, labels)
        # about the letter, not a date typed (no approval; already sent, when the form is not shown): at the top
        about_letter = "; ".join(said(problem, labels) for problem in problems if problem.field not in labels)
        return show(letter_id, form=form, error=about_letter, status=422)
    flash(f"{label} is marked sent, as its current version, which is kept as the letter that went and can no longer change.", "success")
    return redirect(url_for("register.show", letter_id=letter_id))


def _filter(short: str) -> tuple[LetterFilter, str]:
    """The register's filter from the query string, always limited to the user's office."""
    from correspondence.records.dates import parse_date

    args = request.args
    problem = ""
    wanted = LetterFilter(office=short, limit=PAGE, text=(args.get("q") or "").strip()[:200] or None)
    try:
        if args.get("direction"):
            wanted.direction = Direction.parse(args["direction"], field="Direction")
        if args.get("status"):
            wanted.status = LetterStatus.parse(args["status"], field="Status")
        if args.get("from"):
            wanted.date_from = parse_date(args["from"], field="From")
        if args.get("to"):
            wanted.date_to = parse_date(args["to"], field="To")
        if wanted.date_from and wanted.date_to and wanted.date_from > wanted.date_to:
            problem = "From: the first date is after the last date"
    except CorrespondenceError as error:
        problem = said(error, {"Direction": "Direction", "Status": "Status", "From": "From", "To": "To"}, capital=False)
    return wanted, problem
