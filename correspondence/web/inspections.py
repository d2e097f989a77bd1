"""Inspections: the list, one inspection in full, uploading a report with its preview, the force's
updates, owners, and drafting the response."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from correspondence import drafting
from correspondence.deadlines import response_due, urgency
from correspondence.errors import CorrespondenceError, InvalidInput
from correspondence.importers.documents import MAX_BYTES
from correspondence.importers.store import import_inspection, read_report
from correspondence.inspections import concerns_office, get_inspection, list_inspections
from correspondence.models import ImprovementArea, Inspection, Letter, User
from correspondence.owners import assign_finding, assign_response, finding_owners, possible_owners, response_owners
from correspondence.timeline import timeline
from correspondence.updates import add_update
from correspondence.vocabulary import AreaKind, LetterKind, LetterStatus, UpdateStatus, UserRole
from correspondence.web.forms import ConfirmUploadForm, DraftForm, UpdateForm, UploadForm, choice, date_value
from correspondence.web.security import office, permit, reading, record, store, transaction

blueprint = Blueprint("inspections", __name__)
UPLOAD_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt"}


@blueprint.route("/inspections")
@login_required
def index() -> Any:
    today = dt.date.today()
    with reading() as db:
        permit(db, UserRole.VIEWER)
        ours = office(db)
        found = list_inspections(db, office=ours)
        ids = [inspection.id for inspection in found]
        owners = response_owners(db, ours, ids)
        responses = _responses(db, ours.id, ids)
        rows = [
            {"inspection": inspection, "due_on": response_due(inspection.published_on), "owner": owners.get(inspection.id),
             "response": responses.get(inspection.id), "days_left": (response_due(inspection.published_on) - today).days}
            for inspection in found
        ]
        for row in rows:
            row["rag"] = urgency(row["days_left"]) if not (row["response"] and row["response"].status is LetterStatus.SENT) else None
        return render_template("inspections.html", rows=rows, office=ours)


@blueprint.route("/inspections/<inspection_id>")
@login_required
def show(inspection_id: str, **forms: Any) -> Any:
    today = dt.date.today()
    with reading() as db:
        inspection = record(db, Inspection, inspection_id)
        inspection = get_inspection(db, inspection.id)
        ours = office(db)
        owners = finding_owners(db, ours, [area.id for area in inspection.areas])
        people = possible_owners(db, ours)
        response_owner = response_owners(db, ours, [inspection.id]).get(inspection.id)
        letters = list(db.scalars(select(Letter).where(Letter.inspection_id == inspection.id, Letter.office_id == ours.id)
                                  .order_by(Letter.letter_date, Letter.id)))
        update_form = forms.get("update_form") or UpdateForm()
        update_form.area.choices = [choice("", "Choose a finding")] + [choice(str(a.id), f"{a.code}: {_short(a.text)}") for a in inspection.areas]
        draft_form = forms.get("draft_form") or DraftForm()
        due_on = response_due(inspection.published_on)
        return render_template(
            "inspection.html", inspection=inspection, owners=owners, people=people, response_owner=response_owner,
            letters=letters, moments=timeline(db, ours, inspection, today), update_form=update_form, draft_form=draft_form,
            due_on=due_on, days_left=(due_on - today).days, rag=urgency((due_on - today).days),
            sent=any(l.kind is LetterKind.S55_RESPONSE and l.status is LetterStatus.SENT for l in letters),
            awaiting=[a.code for a in inspection.areas if a.kind is AreaKind.RECOMMENDATION and not a.updates],
            error=forms.get("error", ""),
        ), forms.get("status", 200)


@blueprint.route("/inspections/<inspection_id>/owner", methods=["POST"])
@login_required
def assign_owner(inspection_id: str) -> Any:
    with transaction() as db:
        inspection = record(db, Inspection, inspection_id, UserRole.DRAFTER)
        ours = office(db)
        owner = _owner_choice(db)
        try:
            assign_response(db, ours, inspection, owner, dt.date.today())
        except CorrespondenceError as error:
            return _owner_result(inspection.id, str(error), 422, target="response")
        name = (owner.full_name or owner.name) if owner else "nobody"
    return _owner_result(inspection.id, f"The response's owner is now {name}.", 200, target="response")


@blueprint.route("/findings/<area_id>/owner", methods=["POST"])
@login_required
def assign_finding_owner(area_id: str) -> Any:
    with transaction() as db:
        area = record(db, ImprovementArea, area_id, UserRole.DRAFTER)
        ours = office(db)
        owner = _owner_choice(db)
        try:
            assign_finding(db, ours, area, owner, dt.date.today())
        except CorrespondenceError as error:
            return _owner_result(area.inspection_id, str(error), 422, target=f"finding-{area.id}")
        name = (owner.full_name or owner.name) if owner else "nobody"
        label, inspection_id = area.code, area.inspection_id
    return _owner_result(inspection_id, f"{label}'s owner is now {name}.", 200, target=f"finding-{area_id}")


@blueprint.route("/inspections/<inspection_id>/updates", methods=["POST"])
@login_required
def add_force_update(inspection_id: str) -> Any:
    form = UpdateForm()
    with reading() as db:
        inspection = record(db, Inspection, inspection_id, UserRole.DRAFTER)
        form.area.choices = [choice("", "")] + [choice(str(a.id), a.code) for a in inspection.areas]
        valid = form.validate_on_submit()
    if not valid:
        return show(inspection_id, update_form=form, status=422)
    try:
        with transaction() as db:
            area = record(db, ImprovementArea, form.area.data, UserRole.DRAFTER)
            if area.inspection_id != int(inspection_id):
                raise InvalidInput(f"finding {area.code} is not one of inspection {inspection_id}'s")
            today = dt.date.today()
            add_update(db, area, status=UpdateStatus.parse(form.status.data, field="Status"), text=form.text.data,
                       received_on=date_value(form.received, today), today=today)
            code = area.code
    except CorrespondenceError as error:
        return show(inspection_id, update_form=form, error=str(error), status=422)
    flash(f"The force's update on {code} is recorded.", "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor="findings"))


@blueprint.route("/inspections/<inspection_id>/draft", methods=["POST"])
@login_required
def draft(inspection_id: str) -> Any:
    form = DraftForm()
    with reading() as db:
        inspection = record(db, Inspection, inspection_id, UserRole.DRAFTER)
        key = inspection.id
        short = office(db).short_name
    if not form.validate_on_submit():
        return show(inspection_id, draft_form=form, status=422)
    today = dt.date.today()
    request_ = drafting.DraftRequest(office=short, letter_date=date_value(form.letter_date, today), today=today,
                                     out_dir=current_app.config["LETTERS_DIR"], author=current_user.name,
                                     allow_missing=bool(form.allow_missing.data))
    make = drafting.draft_response if form.kind.data == "response" else drafting.draft_annex
    try:
        made = drafting.in_one_transaction(store(), lambda db: make(db, key, request_))
    except CorrespondenceError as error:
        return show(inspection_id, draft_form=form, error=str(error), status=422)
    note = f" Marked as awaiting an update: {', '.join(made.missing_updates)}." if made.missing_updates else ""
    flash(f"Drafted {made.reference} to {made.addressee}. Download it, edit it in Word, then mark it sent.{note}", "success")
    return redirect(url_for("register.show", letter_id=made.letter_id))


# --- uploading a report -----------------------------------------------------------------------


@blueprint.route("/inspections/upload", methods=["GET", "POST"])
@login_required
def upload() -> Any:
    form = UploadForm()
    with reading() as db:
        permit(db, UserRole.DRAFTER)
        ours = office(db)
        force_name = ours.force.name if ours.force else None
    if not form.validate_on_submit():
        return render_template("upload.html", form=form, force_name=force_name), (422 if form.is_submitted() else 200)
    upload_file = form.report.data
    name = Path(upload_file.filename or "report").name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        return _upload_error(form, force_name, f"{name} is not a report the tool can read. Upload a PDF, a Word .docx, "
                                               "a saved web page (.html) or a text file. Nothing was stored.")
    token = secrets.token_hex(16)
    staged = _staging(token, suffix)
    upload_file.save(staged)
    if staged.stat().st_size > MAX_BYTES:
        staged.unlink()
        return _upload_error(form, force_name, f"{name} is larger than {MAX_BYTES // 1024 // 1024} MB. Nothing was stored.")
    try:
        findings = read_report(staged)
    except CorrespondenceError as error:
        staged.unlink(missing_ok=True)
        return _upload_error(form, force_name, f"{name} could not be read: {_without_path(str(error), staged)}. Nothing was stored.")
    session.setdefault("uploads", {})[token] = {"name": name, "suffix": suffix}
    session.modified = True
    return render_template("upload_preview.html", name=name, findings=findings, preview=_preview(findings),
                           confirm=ConfirmUploadForm(token=token), force_name=force_name)


@blueprint.route("/inspections/upload/confirm", methods=["POST"])
@login_required
def confirm_upload() -> Any:
    form = ConfirmUploadForm()
    uploads = session.get("uploads", {})
    if not form.validate_on_submit() or form.token.data not in uploads:
        flash("That upload has expired or is not yours. Upload the report again.", "error")
        return redirect(url_for("inspections.upload"))
    token = form.token.data
    staged_info = uploads[token]
    staged = _staging(token, staged_info["suffix"])
    try:
        with transaction() as db:
            permit(db, UserRole.DRAFTER)
            ours = office(db)
            force = ours.force.name if (form.our_force.data and ours.force) else None
            findings = read_report(staged, force=force)
            inspection = import_inspection(db, Path(staged_info["name"]), findings)
            if not concerns_office(inspection, ours):
                raise InvalidInput(f"this report is about {inspection.force.name}, and {ours.short_name} answers reports on "
                                   f"{ours.force.name if ours.force else 'no force yet'}. Nothing was stored")
            stored_id, title = inspection.id, inspection.title
    except CorrespondenceError as error:
        message = _without_path(str(error), staged)
        with reading() as db:
            ours = office(db)
            force_name = ours.force.name if ours.force else None
        findings = None
        try:
            findings = read_report(staged)
        except CorrespondenceError:
            pass
        if findings is None:
            return _upload_error(UploadForm(), force_name, message)
        return render_template("upload_preview.html", name=staged_info["name"], findings=findings, preview=_preview(findings),
                               confirm=form, force_name=force_name, error=message[:1].upper() + message[1:]), 422
    staged.unlink(missing_ok=True)
    uploads.pop(token, None)
    session.modified = True
    flash(f"Stored inspection {stored_id}: {title}.", "success")
    return redirect(url_for("inspections.show", inspection_id=stored_id))


# --- helpers ------------------------------------------------------------------------------------


def _responses(db: Any, office_id: int, ids: list[int]) -> dict[int, Letter]:
    """Each inspection's s.55 response letter of the office: a sent one if any, else the latest draft."""
    best: dict[int, Letter] = {}
    if not ids:
        return best
    for letter in db.scalars(select(Letter).where(Letter.office_id == office_id, Letter.inspection_id.in_(ids),
                                                   Letter.kind == LetterKind.S55_RESPONSE).order_by(Letter.letter_date, Letter.id)):
        current = best.get(letter.inspection_id)
        if current is None or current.status is not LetterStatus.SENT:
            best[letter.inspection_id] = letter
    return best


def _preview(findings: Any) -> dict[str, Any]:
    """What was found, written as the rest of the workspace writes it (dates, grades, figures)."""
    from types import SimpleNamespace

    from correspondence.dates import long_date, parse_date
    from correspondence.figures import describe_measure

    def grade(value: str | None) -> str | None:
        return value.capitalize() if value else None

    return {
        "fields": [
            ("Title", findings.title), ("Force", findings.force), ("Programme", findings.programme),
            ("Published", long_date(parse_date(findings.published)) if findings.published else None),
            ("Overall grade", grade(findings.overall_grade)), ("Link to the report", findings.source_url),
        ],
        "judgments": [(j["question"], grade(j["grade"])) for j in findings.judgments],
        "measures": [(m["name"], describe_measure(SimpleNamespace(
            rate=m.get("rate"), ci_half_width=m.get("ci"), numerator=m.get("numerator"), denominator=m.get("denominator"),
            estimate_per_year=m.get("estimate_per_year"), estimate_label=m.get("estimate_label"),
            national_average=m.get("national_average")))) for m in findings.measures],
    }


def _owner_choice(db: Any) -> User | None:
    """The user chosen in an owner form (empty: nobody); another office's user is refused like any record.
    (The form's CSRF token is checked for every POST by CSRFProtect.)"""
    chosen = request.form.get("owner", "").strip()
    if not chosen:
        return None
    return record(db, User, chosen, UserRole.VIEWER)


def _owner_result(inspection_id: int, message: str, status: int, target: str) -> Any:
    if request.headers.get("HX-Request"):
        return render_template("_owner_saved.html", message=message, ok=status == 200), status
    flash(message, "success" if status == 200 else "error")
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor=target))


def _staging(token: str, suffix: str) -> Path:
    if not token.isalnum() or suffix not in UPLOAD_SUFFIXES:
        raise InvalidInput("not an upload")
    return Path(current_app.config["UPLOAD_DIR"]) / f"{token}{suffix}"


def _upload_error(form: UploadForm, force_name: str | None, message: str) -> Any:
    return render_template("upload.html", form=form, force_name=force_name, error=message), 422


def _without_path(message: str, staged: Path) -> str:
    """The library names the file it read; the user knows it by the name they uploaded."""
    message = message.replace(f"{staged}: ", "").replace(str(staged), "the file")
    return message.replace(" (give it with --force)", " (if it is about the force you oversee, tick the box to say so)")


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
