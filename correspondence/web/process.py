"""The s.55 process from the inspection's page, each step one library call, as the CLI makes it:
drafting the response or annex (draft_response / draft_annex, `corr draft`), inviting the
chief officer's comments and chasing them (process.invite / chase, `corr invite|chase`), storing
their reply (process.add_comments, `corr comments add`) and publishing (publication.publish,
`corr publish`). Submitting, approving and sending are on the letter's page (web/clearance.py,
web/register.py).

Every letter is drafted into the office's own letters folder, and the published package is
written into its ``publication`` folder inside it, so every file the workspace hands out lies in
the office's letters folder. A step that fails leaves nothing behind (in_one_transaction).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, redirect, send_file, url_for
from flask_login import current_user, login_required

from correspondence.drafting import drafts as drafting
from correspondence.drafting.comments import CommentsInput
from correspondence.process.s55_letter import draft_response
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.models import Inspection
from correspondence.records.transactions import in_one_transaction
from correspondence.records.vocabulary import UserRole
from correspondence.web.date_confirm import asked_to_confirm, confirmed, offer_confirmation
from correspondence.web.forms import ChaseForm, CommentsForm, DraftForm, InviteForm, PublishForm, date_value
from correspondence.web.inspections import blueprint, show
from correspondence.web.security import office, reading, record, refuse, store
from correspondence.web.staging import stage_upload
from correspondence.web.wording import onto_form, said

_DRAFT_FIELDS = {"letter_date": "Letter's date", "reply_by": "Comments asked for by", "comments": "The office's own paragraphs"}


@blueprint.route("/inspections/<inspection_id>/draft", methods=["POST"])
@login_required
def draft(inspection_id: str) -> Any:
    form = DraftForm()
    short = _may_change(inspection_id)
    if not form.validate_on_submit():
        return show(inspection_id, draft_form=form, status=422)
    response = form.kind.data == "response"
    comments = (form.comments.data or "").strip()
    request_ = _request(short, form.letter_date, allow_missing=bool(form.allow_missing.data), confirm_date=confirmed(form),
                        comments=CommentsInput(comments, "The office's own paragraphs") if comments and response else None)
    make = draft_response if response else drafting.draft_annex
    try:
        made = in_one_transaction(store(), lambda db: make(db, int(inspection_id), request_))
    except CorrespondenceError as error:
        if asked_to_confirm(form, error):  # a date that looks like a slip: beside the date, with a box to confirm it
            return show(inspection_id, draft_form=form, status=422)
        if error.field == "comments" and response:  # paragraphs that do not answer the chief officer's comments
            form.comments.errors = [*form.comments.errors, said(type(error)(error.refusal, steps=error.steps), _DRAFT_FIELDS)]
            return show(inspection_id, draft_form=form, status=422)
        onto_form(form, error, {"letter_date": "letter_date"}, _DRAFT_FIELDS)  # in the form's summary: its panel stays open
        return show(inspection_id, draft_form=form, status=422)
    note = f" Marked as awaiting an update: {', '.join(made.missing_updates)}." if made.missing_updates else ""
    ignored = " (The office's paragraphs are for the s.55 response; the annex has none.)" if comments and not response else ""
    flash(f"Drafted {made.reference} to {made.addressee}. Read it here; to edit it, download it, edit it in Word and upload it as a new version; then submit it for approval and mark it sent.{note}{ignored}",
          "success")
    for extra in made.notes:
        flash(extra[:1].upper() + extra[1:] + ".", "info")
    return redirect(url_for("register.show", letter_id=made.letter_id))


@blueprint.route("/inspections/<inspection_id>/invite", methods=["POST"])
@login_required
def invite(inspection_id: str) -> Any:
    """Invite the chief officer's comments (s.55(4)), with the findings table to fill in."""
    from correspondence.organisation.roles import Addressing
    from correspondence.process.invitation import invite as invite_step

    form = InviteForm(prefix="invite")
    short = _may_change(inspection_id)
    if not form.validate_on_submit():
        return show(inspection_id, invite_form=form, status=422)
    request_ = _request(short, form.letter_date, confirm_date=confirmed(form))
    if (form.addressee.data or "").strip():
        with reading() as db:
            from correspondence.process.responses import chief_officer_title

            role = chief_officer_title(office(db), db.get(Inspection, int(inspection_id))) or ""
        request_.addressee = Addressing(name=form.addressee.data.strip(), role=role)
    reply_by = date_value(form.reply_by)
    return _drafted(inspection_id, lambda db: invite_step(db, int(inspection_id), request_, reply_by), invite_form=form,
                    said_as="the invitation to comment")


@blueprint.route("/inspections/<inspection_id>/chase", methods=["POST"])
@login_required
def chase(inspection_id: str) -> Any:
    """A reminder to the chief officer whose comments have not come by the reply-by date."""
    from correspondence.process.invitation import chase as chase_step

    form = ChaseForm(prefix="chase")
    short = _may_change(inspection_id)
    if not form.validate_on_submit():
        return show(inspection_id, chase_form=form, status=422)
    request_ = _request(short, form.letter_date, confirm_date=confirmed(form))
    reply_by = date_value(form.reply_by)
    return _drafted(inspection_id, lambda db: chase_step(db, int(inspection_id), request_, reply_by), chase_form=form,
                    said_as="the reminder", fields={"reply_by": "New date to ask for the comments by", "letter_date": "Reminder's date"})


@blueprint.route("/inspections/<inspection_id>/comments", methods=["POST"])
@login_required
def comments(inspection_id: str) -> Any:
    """The chief officer's reply: stored as a received letter with its file, and its findings table
    (if it has ours) read into the force's updates, as `corr comments add` does."""
    from correspondence.process.comments_received import add_comments

    form = CommentsForm(prefix="comments")
    short = _may_change(inspection_id)
    if not form.validate_on_submit():
        return show(inspection_id, comments_form=form, status=422)
    try:
        name, _token, staged = stage_upload(form.reply.data, called="a file", fallback_name="reply")
    except InvalidInput as refused:
        return show(inspection_id, comments_form=form, status=422, error=str(refused))
    try:
        today = dt.date.today()
        done = in_one_transaction(store(), lambda db: add_comments(
            db, int(inspection_id), short, staged, received_on=date_value(form.received, today), today=today,
            reference=(form.reference.data or "").strip() or None, partial=bool(form.partial.data), file_name=name))
    except CorrespondenceError as error:
        message = said(error)
        if str(staged) in message:  # about the file itself: named as the user knows it
            message = f"{name} could not be stored: {message.replace(f'{staged}: ', '').replace(str(staged), 'the file')}"
            message += "" if "nothing was stored" in message else ". Nothing was stored."
        else:
            message = said(error, {"received_on": "Date of the reply"})
        return show(inspection_id, comments_form=form, status=422, error=message)
    finally:
        staged.unlink(missing_ok=True)
    changed = sum(1 for unchanged in done.unchanged if not unchanged)
    table = f" Its findings table gave {changed} new update{'s' if changed != 1 else ''} from the force." if done.changes else ""
    skipped = f" {len(done.unmatched)} row(s) could not be matched and were left out." if done.unmatched else ""
    flash(f"The chief officer's comments of {long_date(done.received_on)} are stored.{table}{skipped}", "success")
    return redirect(url_for("register.show", letter_id=done.letter_id))


@blueprint.route("/inspections/<inspection_id>/publish", methods=["POST"])
@login_required
def publish(inspection_id: str) -> Any:
    """Publish the response (s.55(5)): the web page and PDF/A of the package, and the office's index."""
    from correspondence.process.publication import publish as publish_step

    form = PublishForm(prefix="publish")
    short = _may_change(inspection_id)
    if not form.validate_on_submit():
        return show(inspection_id, publish_form=form, status=422)
    today = dt.date.today()
    try:
        done = in_one_transaction(store(), lambda db: publish_step(
            db, int(inspection_id), short, published_on=date_value(form.published_on), today=today, url=form.url.data))
    except CorrespondenceError as error:
        onto_form(form, error, {"publication_date": "published_on", "url": "url"},
                  {"publication_date": "Date it is published", "url": "Where it is published"})
        return show(inspection_id, publish_form=form, status=422)
    late = f" That is {done.days_late} day{'s' if done.days_late != 1 else ''} after the 56-day deadline." if done.days_late else ""
    flash(f"Published the response on {long_date(done.published_on)}: download the web page and the PDF below and put them "
          f"on the office's website.{late}", "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor="process"))


@blueprint.route("/inspections/<inspection_id>/published.<kind>")
@login_required
def published_file(inspection_id: str, kind: str) -> Any:
    """A file of the published package (the web page, the PDF) or the office's index page, from the
    store: the user's own office's, whichever office published last."""
    import io

    from correspondence.files.versions import latest, read_bytes
    from correspondence.process.publication import published_versions
    from correspondence.records.vocabulary import FilePurpose
    from correspondence.tracking.inspections import get_response

    if kind not in ("html", "pdf", "index"):
        refuse(404, f"no published {kind}")
    with reading() as db:
        inspection = record(db, Inspection, inspection_id)
        ours = office(db)
        response = get_response(db, ours, inspection)
        if response is None or response.published_on is None:
            refuse(404, f"inspection {inspection.id}'s response is not published")
        if kind == "index":
            version = latest(db, office=ours, purpose=FilePurpose.INDEX)
        else:
            version = published_versions(db, ours).get(response.id, {}).get(f".{kind}")
        if version is None:
            refuse(404, f"inspection {inspection.id}'s published {kind} is not kept")
        content = read_bytes(db, version)
    return send_file(io.BytesIO(content), as_attachment=True, download_name=version.file_name,
                     mimetype={"pdf": "application/pdf"}.get(kind, "text/html"), max_age=0)


# --- helpers ------------------------------------------------------------------------------------


def _may_change(inspection_id: str) -> str:
    """The user's office's short name, once they may act on this inspection (else 403 or 404)."""
    with reading() as db:
        record(db, Inspection, inspection_id, UserRole.DRAFTER)
        return office(db).short_name


def _request(short: str, date_field: Any, **extra: Any) -> drafting.DraftRequest:
    """What the person drafting chose; out_dir is left to the library: the office's letters folder."""
    today = dt.date.today()
    return drafting.DraftRequest(office=short, letter_date=date_value(date_field, today), today=today,
                                 author=current_user.name, **extra)


def _drafted(inspection_id: str, work: Any, *, said_as: str, fields: dict[str, str] | None = None, **form: Any) -> Any:
    try:
        made = in_one_transaction(store(), work)
    except CorrespondenceError as error:
        for sent in form.values():  # the refusal in the form's own summary, beside its field: the panel stays open, as typed
            offer_confirmation(sent, error)  # a date that looks like a slip: the box to confirm it (web/date_confirm.py)
            onto_form(sent, error, {"letter_date": "letter_date", "reply_by": "reply_by", "addressee": "addressee"},
                      {**_DRAFT_FIELDS, **(fields or {})})
        return show(inspection_id, status=422, **form)
    flash(f"Drafted {said_as}, {made.reference}, to {made.addressee}. Read it here; to edit it, download it, edit it in Word and upload it as a new version; then mark it "
          "sent when it goes.", "success")
    return redirect(url_for("register.show", letter_id=made.letter_id))

