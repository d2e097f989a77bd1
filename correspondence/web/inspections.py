"""Inspections: the list with where each response stands, one inspection in full (the s.55 process
with its stage and next step, findings with the force's updates and the office's answers, the forms
for every step), owners, and correcting or deleting an inspection.

The other routes of this blueprint live beside it: web/findings.py (updates, retractions, answers),
web/process.py (drafting, invitation, reminder, comments, publication) and web/uploads.py (a report).
Where a response stands is stages.status_of's, and its one timeline is timeline.timeline's, as `corr due`
and `corr inspection show` say them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from correspondence.process.due import urgency
from correspondence.process.invitation import default_reply_by
from correspondence.process.stages import response_view, status_of
from correspondence.process.timeline import timeline, with_full_names
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import ImprovementArea, Inspection, Letter, User
from correspondence.records.vocabulary import Grade, UserRole
from correspondence.tracking.answers import latest_answer
from correspondence.tracking.corrections import before_correction_note, drafted_before_correction
from correspondence.tracking.deadline import response_due
from correspondence.tracking.inspections import (
    correct_inspection,
    delete_inspection,
    get_inspection,
    get_response,
    list_inspections,
)
from correspondence.tracking.owners import (
    assign_finding,
    assign_response,
    finding_owners,
    possible_owners,
    response_owners,
)
from correspondence.tracking.updates import history
from correspondence.web.forms import (
    AnswerForm,
    ChaseForm,
    CommentsForm,
    CorrectForm,
    DeleteForm,
    DraftForm,
    FindingForForm,
    InviteForm,
    PublishForm,
    UpdateForm,
    choice,
    date_value,
)
from correspondence.web.security import office, permit, reading, record, transaction
from correspondence.web.wording import said

blueprint = Blueprint("inspections", __name__)


@blueprint.route("/inspections")
@login_required
def index() -> Any:
    today = dt.date.today()
    with reading() as db:
        permit(db, UserRole.VIEWER)
        ours = office(db)
        found = list_inspections(db, office=ours)
        owners = response_owners(db, ours, [inspection.id for inspection in found])
        rows = []
        for inspection in found:
            response = get_response(db, ours, inspection)
            days_left = (response_due(inspection.published_on) - today).days
            published = response is not None and response.published_on is not None
            rows.append({"inspection": inspection, "owner": owners.get(inspection.id), "days_left": days_left,
                         "status": status_of(db, ours, inspection, today, response), "published": response.published_on if published else None,
                         "rag": None if published else urgency(days_left)})
        return render_template("inspections.html", rows=rows, office=ours)


@blueprint.route("/inspections/<inspection_id>")
@login_required
def show(inspection_id: str, **forms: Any) -> Any:
    """The inspection's page; a form that was refused comes back filled in, with its message."""
    today = dt.date.today()
    with reading() as db:
        inspection = record(db, Inspection, inspection_id)
        inspection = get_inspection(db, inspection.id)
        ours = office(db)
        response = get_response(db, ours, inspection)
        areas = [(str(a.id), f"{a.code}: {_short(a.text)}") for a in inspection.areas]
        update_form = forms.get("update_form") or UpdateForm()
        update_form.area.choices = [choice("", "Choose a finding")] + [choice(*a) for a in areas]
        answer_form = forms.get("answer_form") or AnswerForm(prefix="answer")
        answer_form.area.choices = [choice("", "Choose a finding")] + [choice(*a) for a in areas]
        for_form = forms.get("for_form") or FindingForForm(prefix="for", formdata=None)  # whom a finding is for (web/findings.py)
        for_form.area.choices = [choice("", "Choose a finding")] + [choice(*a) for a in areas]
        invite_form = forms.get("invite_form") or InviteForm(prefix="invite", formdata=None)
        # Left empty, the library works the date out from the invitation's own date (process.default_reply_by).
        reply_by_hint = (f"Leave empty for the office's usual date, {_day(default_reply_by(ours, inspection))} ({ours.reply_by_days} days "
                         "after the report's publication); for an invitation dated after that, halfway from its date to the last day, "
                         "or a week after it once the last day has passed.")
        due_on = response_due(inspection.published_on)
        letters = list(db.scalars(select(Letter).where(Letter.inspection_id == inspection.id, Letter.office_id == ours.id)
                                  .order_by(Letter.letter_date, Letter.id)))
        steps = with_full_names(db, timeline(db, ours, inspection, today, response))
        before_correction = {letter_id: before_correction_note(moment)  # tracking/corrections.py
                             for letter_id, moment in drafted_before_correction(db, letters).items()}
        context = {
            "inspection": inspection, "letters": letters, "due_on": due_on, "days_left": (due_on - today).days,
            "rag": urgency((due_on - today).days),
            "status": status_of(db, ours, inspection, today, response),
            "response": response_view(db, response, today, steps) if response is not None else None,
            "published": response is not None and response.published_on is not None,
            "owners": finding_owners(db, ours, [area.id for area in inspection.areas]), "people": possible_owners(db, ours),
            "response_owner": response_owners(db, ours, [inspection.id]).get(inspection.id),
            "answers": {area.id: latest_answer(area, ours) for area in inspection.areas},
            "histories": {area.id: history(area) for area in inspection.areas},
            "steps": steps, "reply_by_hint": reply_by_hint, "before_correction": before_correction,
            "update_form": update_form, "answer_form": answer_form, "invite_form": invite_form, "for_form": for_form,
            "chase_form": forms.get("chase_form") or ChaseForm(prefix="chase", formdata=None),
            "comments_form": forms.get("comments_form") or CommentsForm(prefix="comments", formdata=None),
            "draft_form": forms.get("draft_form") or DraftForm(formdata=None),
            "publish_form": forms.get("publish_form") or PublishForm(prefix="publish", formdata=None),
            "correct_form": forms.get("correct_form") or _correct_form(inspection),
            "delete_form": forms.get("delete_form") or DeleteForm(prefix="delete", formdata=None),
            "awaiting": [code for code in _unanswered(inspection, ours)],
            "error": forms.get("error", ""), "open": forms.get("open", ""),
        }
        return render_template("inspection.html", **context), forms.get("status", 200)


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
            return _owner_result(inspection.id, said(error, capital=False), 422, target="response")
        name = owner.display_name if owner else "nobody"
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
            return _owner_result(area.inspection_id, said(error, capital=False), 422, target=f"finding-{area.id}")
        name = owner.display_name if owner else "nobody"
        label, inspection_id = area.code, area.inspection_id
    return _owner_result(inspection_id, f"{label}'s owner is now {name}.", 200, target=f"finding-{area_id}")


@blueprint.route("/inspections/<inspection_id>/correct", methods=["POST"])
@login_required
def correct(inspection_id: str) -> Any:
    """Correct the report's details, as `corr inspection set` does (each change in the event log)."""
    form = _correct_form(None)
    with reading() as db:
        record(db, Inspection, inspection_id, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return show(inspection_id, correct_form=form, open="correct", status=422)
    try:
        with transaction() as db:
            inspection = record(db, Inspection, inspection_id, UserRole.DRAFTER)
            changed = correct_inspection(db, inspection, today=dt.date.today(), title=form.title.data, programme=form.programme.data,
                                         published_on=date_value(form.published), source_url=form.source_url.data or "",
                                         overall_grade=form.grade.data or "")
    except CorrespondenceError as error:
        return show(inspection_id, correct_form=form, open="correct", error=said(error, _CORRECT_FIELDS), status=422)
    shown = ", ".join(name.replace("_on", "").replace("_", " ") for name in changed)
    flash(f"Corrected the inspection's {shown}." if changed else "Nothing was different, so nothing was changed.", "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id))


@blueprint.route("/inspections/<inspection_id>/delete", methods=["POST"])
@login_required
def delete(inspection_id: str) -> Any:
    """Delete a wrongly stored inspection, as `corr inspection delete` does: refused once a sent letter
    refers to it. An admin only, since it removes the findings and updates for everyone."""
    form = DeleteForm(prefix="delete")
    with reading() as db:
        record(db, Inspection, inspection_id, UserRole.ADMIN)
    if not form.validate_on_submit():
        return show(inspection_id, delete_form=form, open="correct", status=422)
    try:
        with transaction() as db:
            inspection = record(db, Inspection, inspection_id, UserRole.ADMIN)
            title = inspection.title
            unlinked = [letter.label for letter in delete_inspection(db, inspection, by_office=office(db))]
    except CorrespondenceError as error:
        return show(inspection_id, delete_form=form, open="correct", error=said(error), status=422)
    note = f" These letters referred to it and no longer do: {', '.join(unlinked)}." if unlinked else ""
    flash(f"Deleted the inspection {title}.{note} The event log keeps what it held.", "success")
    return redirect(url_for("inspections.index"))


# --- helpers ------------------------------------------------------------------------------------

_CORRECT_FIELDS = {"title": "Title", "programme": "Programme", "published_on": "Published", "overall_grade": "Overall grade"}


def _correct_form(inspection: Inspection | None) -> CorrectForm:
    """The correction form, filled from the inspection when showing it."""
    if inspection is None:
        form = CorrectForm(prefix="correct")
    else:
        form = CorrectForm(prefix="correct", formdata=None, title=inspection.title, programme=inspection.programme,
                           published=_day(inspection.published_on), source_url=inspection.source_url or "",
                           grade=inspection.overall_grade.value if inspection.overall_grade else "")
    form.grade.choices = [choice("", "None given")] + [choice(grade.value, grade.value.capitalize()) for grade in Grade]
    return form


def _unanswered(inspection: Inspection, ours: Any) -> list[str]:
    from correspondence.drafting.drafts import unanswered_recommendations

    return unanswered_recommendations(inspection, ours)


def _day(value: dt.date) -> str:
    from correspondence.records.dates import long_date

    return long_date(value)


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


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
