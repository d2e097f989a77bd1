"""The post: log a letter or e-mail received (or a letter the office sent outside the tool) by
uploading it, check and complete what was read in a preview where every field can be changed, and
on a received letter's page give it an owner and a reply-by date, mark it answered, or draft a reply.

The upload waits in the staging folder (web/staging.py) under a random token, kept in the user's
session, until it is stored or abandoned: an error in the preview never asks for the file again.
The rules are the library's (register/post.py); reading the file is the importers'
(importers/email_letter.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask_login import login_required

from correspondence.drafting.drafts import DraftRequest
from correspondence.drafting.reply import draft_reply
from correspondence.importers.email_letter import PostReading, read_post
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.models import Letter
from correspondence.records.vocabulary import Direction, UserRole
from correspondence.register.post import PostEntry, assign, check_entry, log_post, mark_answered
from correspondence.tracking.inspections import list_inspections
from correspondence.web.forms import DATE_HINT, choice, date_value
from correspondence.web.post_forms import (
    HINT_WORKING_DAYS,
    AnsweredForm,
    AssignForm,
    PostForm,
    PostUploadForm,
    ReplyForm,
    people_choices,
    working_days_after,
)
from correspondence.web.register import blueprint, show
from correspondence.web.security import office, permit, reading, record, transaction
from correspondence.web.staging import POST_SUFFIXES, stage_upload, staging_path
from correspondence.web.wording import said

UPLOADS = "post_uploads"
LABELS = {"letter_date": "Date of the letter", "sender": "From", "reference": "Their reference", "addressee_name": "Addressed to",
          "owner": "Who answers it", "reply_by": "Reply by", "inspection": "The inspection it concerns", "answered_on": "Date",
          "how": "How was it answered?", "note": "Note (optional)", "file": "The letter or e-mail"}


@blueprint.route("/letters/post", methods=["GET", "POST"])
@login_required
def post_upload() -> Any:
    form = PostUploadForm()
    with reading() as db:
        permit(db, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return render_template("post_upload.html", form=form), (422 if form.is_submitted() else 200)
    try:
        name, token, staged = stage_upload(form.letter.data, called="a letter or e-mail", fallback_name="letter",
                                           suffixes=POST_SUFFIXES)
    except InvalidInput as refused:
        form.letter.errors = [str(refused)]
        return render_template("post_upload.html", form=form), 422
    try:
        found = read_post(staged, name)
    except CorrespondenceError as error:
        staged.unlink(missing_ok=True)
        form.letter.errors = [f"{name} could not be read: {_without_name(error, name)}. Nothing was stored."]
        return render_template("post_upload.html", form=form), 422
    session.setdefault(UPLOADS, {})[token] = {"name": name, "suffix": staged.suffix}
    session.modified = True
    direction = form.direction.data if form.direction.data in ("in", "out") else "in"
    post_form = PostForm(formdata=None, token=token, direction=direction, **{key: _shown(key, found) for key in found.found})
    with reading() as db:
        return _preview(db, post_form, found)


@blueprint.route("/letters/post/check", methods=["POST"])
@login_required
def post_check() -> Any:
    form = PostForm()
    staged_info = session.get(UPLOADS, {}).get(form.token.data or "")
    if staged_info is None:
        flash("That upload has expired or is not yours. Upload the letter again.", "error")
        return redirect(url_for("register.post_upload"))
    staged = staging_path(form.token.data, staged_info["suffix"])
    try:
        found = read_post(staged, staged_info["name"])
    except (OSError, CorrespondenceError):
        flash("That upload has expired. Upload the letter again.", "error")
        return redirect(url_for("register.post_upload"))
    today = dt.date.today()
    with reading() as db:
        permit(db, UserRole.DRAFTER)
        ours = office(db)
        form.validate_on_submit()  # its errors are shown with the library's, all at once
        entry = _entry(form, found)
        for problem in check_entry(db, ours, entry, today):
            _add_error(form, problem)
        if any(field.errors for field in form):
            return _preview(db, form, found, status=422)
    try:
        with transaction() as db:
            permit(db, UserRole.DRAFTER)
            letter = log_post(db, office(db), entry, file=staged, file_name=Path(staged_info["name"]).name, text=found.text, today=today)
            letter_id, label = letter.id, letter.label
    except CorrespondenceError as error:
        _add_error(form, error)
        with reading() as db:
            return _preview(db, form, found, status=422)
    staged.unlink(missing_ok=True)
    session.get(UPLOADS, {}).pop(form.token.data, None)
    session.modified = True
    kept = len(entry.attachments)
    flash(f"Logged letter {label}" + (f", with {kept} attachment{'s' if kept != 1 else ''}." if kept else "."), "success")
    return redirect(url_for("register.show", letter_id=letter_id))


# --- a received letter's page: owner and reply-by, answered, reply -----------------------------------------


@blueprint.route("/letters/<letter_id>/assign", methods=["POST"])
@login_required
def assign_letter(letter_id: str) -> Any:
    form = AssignForm(prefix="assign")
    with reading() as db:
        letter = record(db, Letter, letter_id, UserRole.DRAFTER)
        form.owner.choices = people_choices(db, letter.office)
    if not form.validate_on_submit():
        return show(letter_id, status=422, assign_form=form)
    try:
        with transaction() as db:
            letter = record(db, Letter, letter_id, UserRole.DRAFTER)
            owner = _person(db, letter, form.owner.data)
            assign(db, letter, owner=owner, reply_by=date_value(form.reply_by))
            who = owner.display_name if owner else "nobody"
    except CorrespondenceError as error:
        _add_error(form, error)
        return show(letter_id, status=422, assign_form=form)
    flash(f"Saved: {who} answers it{', by ' + form.reply_by.data.strip() if form.reply_by.data.strip() else ''}.", "success")
    return redirect(url_for("register.show", letter_id=letter_id) + "#answering")


@blueprint.route("/letters/<letter_id>/answered", methods=["POST"])
@login_required
def answered_letter(letter_id: str) -> Any:
    form = AnsweredForm(prefix="answered")
    with reading() as db:
        record(db, Letter, letter_id, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return show(letter_id, status=422, answered_form=form)
    try:
        with transaction() as db:
            letter = record(db, Letter, letter_id, UserRole.DRAFTER)
            mark_answered(db, letter, on=date_value(form.answered_on), how=form.how.data, note=form.note.data or "",
                          today=dt.date.today())
    except CorrespondenceError as error:
        _add_error(form, error)
        return show(letter_id, status=422, answered_form=form)
    flash("Saved: the letter is answered, and no longer among the letters to answer.", "success")
    return redirect(url_for("register.show", letter_id=letter_id) + "#answering")


@blueprint.route("/letters/<letter_id>/reply", methods=["POST"])
@login_required
def reply_letter(letter_id: str) -> Any:
    form = ReplyForm(prefix="reply")
    with reading() as db:
        record(db, Letter, letter_id, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return show(letter_id, status=422, reply_form=form)
    try:
        with transaction() as db:
            letter = record(db, Letter, letter_id, UserRole.DRAFTER)
            today = dt.date.today()
            draft = draft_reply(db, letter, DraftRequest(office=letter.office.short_name, letter_date=date_value(form.letter_date, today),
                                                         today=today, author=""))
    except CorrespondenceError as error:
        _add_error(form, error)
        return show(letter_id, status=422, reply_form=form)
    flash(f"Drafted {draft.reference}, a reply to this letter. Download it to write the reply in Word, then upload it as a new version.",
          "success")
    return redirect(url_for("register.show", letter_id=draft.letter_id))


# --- helpers ---------------------------------------------------------------------------------------------


def _preview(db: Any, form: PostForm, found: PostReading, status: int = 200) -> Any:
    ours = office(db)
    form.owner.choices = people_choices(db, ours)
    form.inspection.choices = [choice("", "None")] + [
        choice(str(item.id), f"{item.force.name + ': ' if item.force else ''}{item.title}") for item in list_inspections(db, office=ours)]
    outgoing = form.direction.data == "out"
    if outgoing:
        form.reference.label.text = "The reference it carries"
        form.sender.label.text = "Signed by"
        form.addressee_name.label.text = "Sent to"
    letter_date = _date_or_none(form.letter_date.data)
    reply_hint = "Leave it empty if no reply is needed."
    if letter_date is not None:
        reply_hint += f" {HINT_WORKING_DAYS} working days after the letter's date is {working_days_after(letter_date):%-d %B %Y}."
    reply_hint += f" {DATE_HINT}"
    problems = [(field.id, field.label.text, message) for field in form for message in field.errors]
    return render_template("post_preview.html", form=form, found=found, outgoing=outgoing, problems=problems,
                           reply_hint=reply_hint, signatory=ours.signatory_name), status


def _shown(key: str, found: PostReading) -> str:
    value = found.value(key)
    if key == "letter_date" and value:
        return f"{dt.date.fromisoformat(value):%-d %B %Y}"
    return value


def _entry(form: PostForm, found: PostReading) -> PostEntry:
    direction = Direction.OUT if form.direction.data == "out" else Direction.IN
    choice_made = form.reference_choice.data if direction is Direction.OUT else "keep"
    return PostEntry(
        direction=direction, letter_date=_date_or_none(form.letter_date.data),
        sender=(form.sender.data or "").strip(), sender_title=(form.sender_title.data or "").strip(),
        reference="" if choice_made != "keep" else (form.reference.data or "").strip(), take_reference=choice_made == "take",
        addressee_name=(form.addressee_name.data or "").strip(), addressee_role=(form.addressee_role.data or "").strip(),
        subject=(form.subject.data or "").strip(),
        owner_id=_number(form.owner.data) if direction is Direction.IN else None,
        reply_by=_date_or_none(form.reply_by.data) if direction is Direction.IN else None,
        inspection_id=_number(form.inspection.data),
        attachments=[(item.name, item.content) for item in found.attachments if item.kept] if direction is Direction.IN else [],
    )


def _date_or_none(text: str | None) -> dt.date | None:
    from correspondence.records.dates import parse_date

    try:
        return parse_date(text.strip()) if text and text.strip() else None
    except CorrespondenceError:
        return None


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _person(db: Any, letter: Letter, value: str | None) -> Any:
    from correspondence.records.models import User

    number = _number(value)
    if number is None:
        if (value or "").strip():
            raise InvalidInput("choose someone in the office", field="owner")
        return None
    user = db.get(User, number)
    if user is None or user.office_id != letter.office_id or not user.active:
        raise InvalidInput("choose someone in the office", field="owner")
    return user


def _add_error(form: Any, error: CorrespondenceError) -> None:
    """The library's refusal beside the field it is about (else beside the form's first field)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is None or not hasattr(field, "errors"):
        field = next(item for item in form if item.type not in ("HiddenField", "CSRFTokenField"))
    message = said(error, LABELS)
    label = LABELS.get(error.field or "", "")
    if label and message.startswith(f"{label}: "):
        message = message[len(label) + 2:]
    if message[:1].islower():
        message = message[:1].upper() + message[1:]
    if not field.errors:  # one message a field: the form's own check, else the library's
        field.errors = [message]


def _without_name(error: CorrespondenceError, name: str) -> str:
    return str(error.refusal).removeprefix(f"{name}: ")

