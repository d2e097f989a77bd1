"""A finding's record on the inspection's page: the force's updates (added, or retracted with a
reason, as `corr update add|retract` do) and the office's own answers (`corr answer add`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.models import ImprovementArea, Inspection
from correspondence.records.vocabulary import FindingFor, UpdateStatus, UserRole
from correspondence.tracking.answers import add_answer
from correspondence.tracking.finding_for import for_label, is_for_force, set_finding_for
from correspondence.tracking.updates import add_update, retract
from correspondence.web.forms import AnswerForm, FindingForForm, RetractForm, UpdateForm, choice, date_value
from correspondence.web.inspections import blueprint, show
from correspondence.web.security import office, reading, record, transaction
from correspondence.web.wording import said

_ANSWER_FIELDS = {"text": "What the office has done or will do", "why": "Why no action will be taken",
                  "no_action": "No action", "answered_on": "Date the office decided it"}


@blueprint.route("/inspections/<inspection_id>/updates", methods=["POST"])
@login_required
def add_force_update(inspection_id: str) -> Any:
    form = UpdateForm()
    if not _valid(inspection_id, form):
        return show(inspection_id, update_form=form, status=422)
    try:
        with transaction() as db:
            area = _area_of(db, inspection_id, form.area.data)
            today = dt.date.today()
            add_update(db, area, status=UpdateStatus.parse(form.status.data, field="Status"), text=form.text.data,
                       received_on=date_value(form.received, today), today=today)
            code = area.code
    except CorrespondenceError as error:
        return show(inspection_id, update_form=form, error=said(error, {"text": "Update", "received_on": "Date the force gave it"}), status=422)
    flash(f"The force's update on {code} is recorded.", "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor="findings"))


@blueprint.route("/findings/<area_id>/updates/<int:number>/retract", methods=["POST"])
@login_required
def retract_update(area_id: str, number: int) -> Any:
    """Withdraw a mistaken update: it stays in the history and the event log, and letters leave it out."""
    form = RetractForm()
    with reading() as db:
        inspection_id = record(db, ImprovementArea, area_id, UserRole.DRAFTER).inspection_id
    if not form.validate_on_submit():
        return show(str(inspection_id), error="Say why the update is withdrawn: it is kept in the history with the reason.", status=422)
    try:
        with transaction() as db:
            area = record(db, ImprovementArea, area_id, UserRole.DRAFTER)
            retract(db, area, number, why=form.why.data, actor=current_user.name)
            latest = area.latest_update
            now = f"{latest.status.value}: {latest.text}" if latest else "none (awaiting an update)"
            code = area.code
    except CorrespondenceError as error:
        return show(str(inspection_id), error=said(error, {"why": "Why it is withdrawn"}), status=422)
    flash(f"Update {number} on {code} is retracted; the latest update is now {now}.", "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor=f"finding-{area_id}"))


@blueprint.route("/inspections/<inspection_id>/answers", methods=["POST"])
@login_required
def add_office_answer(inspection_id: str) -> Any:
    """The office's own answer to a finding (s.55(5B)): what it has done or will do, or no action and why."""
    form = AnswerForm(prefix="answer")
    if not _valid(inspection_id, form):
        return show(inspection_id, answer_form=form, status=422)
    try:
        with transaction() as db:
            area = _area_of(db, inspection_id, form.area.data)
            today = dt.date.today()
            add_answer(db, area, office(db), text=form.text.data, no_action=bool(form.no_action.data), why=form.why.data,
                       answered_on=date_value(form.answered, today), today=today)
            code = area.code
    except CorrespondenceError as error:
        return show(inspection_id, answer_form=form, error=said(error, _ANSWER_FIELDS), status=422)
    flash(f"The office's answer on {code} is recorded; letters drafted from now on give it.", "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor="findings"))


@blueprint.route("/inspections/<inspection_id>/finding-for", methods=["POST"])
@login_required
def set_whom_for(inspection_id: str) -> Any:
    """Whom a finding is for (as `corr inspection finding-for`): the force is asked only about its
    own; the letter answers one for another body in its own words. A drafter's change, on a finding
    of this inspection that the user's office may change (else 403 or 404)."""
    form = FindingForForm(prefix="for")
    if not _valid(inspection_id, form):
        return show(inspection_id, for_form=form, status=422)
    try:
        with transaction() as db:
            area = _area_of(db, inspection_id, form.area.data)
            other = form.for_whom.data == FindingFor.OTHER.value
            changed = set_finding_for(db, area, form.for_whom.data, form.for_name.data if other else None)
            code, whom = area.code, for_label(area.for_whom, area.for_name, office="the office itself")
            theirs = is_for_force(area)
    except CorrespondenceError as error:
        field = {"for": form.for_whom, "for_name": form.for_name}.get(error.field or "")
        if field is None:
            return show(inspection_id, for_form=form, error=said(error, _FOR_FIELDS), status=422)
        field.errors = [*field.errors, said(type(error)(error.refusal, steps=error.steps))]
        return show(inspection_id, for_form=form, status=422)
    flash(f"{code} is {'now' if changed else 'already'} for {whom}." + ("" if theirs else " The force is not asked about it."),
          "success")
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor="findings"))


_FOR_FIELDS = {"for": "Whom it is for", "for_name": "The other body's name"}


def _valid(inspection_id: str, form: Any) -> bool:
    """The form checked, once the user may change this inspection (else 403 or 404)."""
    with reading() as db:
        inspection = record(db, Inspection, inspection_id, UserRole.DRAFTER)
        form.area.choices = [choice("", "")] + [choice(str(a.id), a.code) for a in inspection.areas]
        return form.validate_on_submit()


def _area_of(db: Any, inspection_id: str, area_id: str) -> ImprovementArea:
    """The finding chosen in a form: the office's (else 404), and of this inspection."""
    area = record(db, ImprovementArea, area_id, UserRole.DRAFTER)
    if str(area.inspection_id) != str(inspection_id).strip():
        raise InvalidInput(f"finding {area.code} is not one of inspection {inspection_id}'s")
    return area
