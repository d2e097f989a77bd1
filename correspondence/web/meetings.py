"""Oversight meetings, their actions, and the follow-up letter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField
from wtforms.validators import DataRequired

from correspondence.drafting import drafts as drafting
from correspondence.files.yaml_files import validate
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import Action, Letter, Meeting
from correspondence.records.transactions import in_one_transaction
from correspondence.records.vocabulary import ActionStatus, UserRole
from correspondence.tracking.actions import ListedAction, add_action, list_actions, update_action
from correspondence.tracking.meeting_file import _schema as meeting_schema
from correspondence.tracking.meetings import add_meeting, delete_meeting, get_meeting, list_meetings, may_delete
from correspondence.web.date_confirm import asked_to_confirm, confirmed
from correspondence.web.forms import ActionAddForm, ActionStatusForm, FollowupForm, MeetingForm, date_value
from correspondence.web.security import office, permit, reading, record, store, transaction
from correspondence.web.wording import said

blueprint = Blueprint("meetings", __name__)


@blueprint.route("/meetings", methods=["GET", "POST"])
@login_required
def index() -> Any:
    form = MeetingForm()
    error = ""
    if request.method == "POST":
        with reading() as db:
            permit(db, UserRole.DRAFTER)
        if form.validate_on_submit():
            try:
                with transaction() as db:
                    permit(db, UserRole.DRAFTER)
                    spec = validate(meeting_schema(), {
                        "office": office(db).short_name, "title": form.title.data, "held_on": form.held_on.data,
                        "themes": _lines(form.themes.data), "correspondence_issues": _lines(form.correspondence_issues.data),
                        "other_issues": _lines(form.other_issues.data),
                    }, "meeting", "a meeting")
                    stored = add_meeting(db, spec)
                    stored_id = stored.id
                flash("Stored the meeting. Add its actions below.", "success")
                return redirect(url_for("meetings.show", meeting_id=stored_id, _anchor="actions"))
            except CorrespondenceError as problem:
                error = said(problem, _MEETING_FIELDS)
    with reading() as db:
        permit(db, UserRole.VIEWER)
        status = 422 if (error or form.errors) else 200
        return render_template("meetings.html", meetings=list_meetings(db, office(db).short_name), form=form, error=error), status


@blueprint.route("/meetings/<meeting_id>")
@login_required
def show(meeting_id: str, followup_form: FollowupForm | None = None, action_form: ActionAddForm | None = None,
         delete_form: DeleteMeetingForm | None = None, error: str = "", status: int = 200) -> Any:
    today = dt.date.today()
    with reading() as db:
        meeting = get_meeting(db, record(db, Meeting, meeting_id).id)
        letters = list(db.scalars(select(Letter).where(Letter.meeting_id == meeting.id).order_by(Letter.letter_date, Letter.id)))
        return render_template(
            "meeting.html", meeting=meeting, letters=letters, items=[ListedAction.as_of(a, today) for a in meeting.actions],
            followup_form=followup_form or FollowupForm(), action_form=action_form or ActionAddForm(),
            status_form=ActionStatusForm(), statuses=list(ActionStatus), error=error,
            delete_form=delete_form or DeleteMeetingForm(prefix="delete"), kept_because=None if letters else may_delete(db, meeting),
        ), status


class DeleteMeetingForm(FlaskForm):
    confirm = BooleanField("Yes, delete this meeting and its open actions",
                           validators=[DataRequired(message="Tick the box to confirm")])


@blueprint.route("/meetings/<meeting_id>/delete", methods=["POST"])
@login_required
def delete(meeting_id: str) -> Any:
    """Delete a meeting stored by mistake (tracking.meetings.may_delete says when it may be)."""
    form = DeleteMeetingForm(prefix="delete")
    with reading() as db:
        record(db, Meeting, meeting_id, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return show(meeting_id, delete_form=form, status=422)
    try:
        with transaction() as db:
            meeting = get_meeting(db, record(db, Meeting, meeting_id, UserRole.DRAFTER).id)
            title, held_on = meeting.title, meeting.held_on
            removed = delete_meeting(db, meeting)
    except CorrespondenceError as error:
        return show(meeting_id, delete_form=form, error=said(error), status=422)
    with_actions = f" with its {removed} open action{'s' if removed != 1 else ''}" if removed else ""
    flash(f"Deleted {title} of {long_date(held_on)}{with_actions}. The event log keeps what it held.", "success")
    return redirect(url_for("meetings.index"))


@blueprint.route("/meetings/<meeting_id>/draft", methods=["POST"])
@login_required
def draft_followup(meeting_id: str) -> Any:
    form = FollowupForm()
    with reading() as db:
        key = record(db, Meeting, meeting_id, UserRole.DRAFTER).id
        short = office(db).short_name
    if not form.validate_on_submit():
        return show(meeting_id, followup_form=form, status=422)
    today = dt.date.today()
    wanted = drafting.DraftRequest(office=short, letter_date=date_value(form.letter_date, today), today=today,
                                   author=current_user.name, confirm_date=confirmed(form))  # into the office's own letters folder, as the CLI drafts
    try:
        made = in_one_transaction(store(), lambda db: drafting.draft_followup(db, key, wanted))
    except CorrespondenceError as error:
        if asked_to_confirm(form, error):  # a date that looks like a slip: beside the date, with a box to confirm it
            return show(meeting_id, followup_form=form, status=422)
        return show(meeting_id, followup_form=form, error=said(error, {"letter_date": "Letter's date"}), status=422)
    flash(f"Drafted {made.reference} to {made.addressee}. Read it here, download it to edit in Word and upload the edited file as a new version, then mark it sent.", "success")
    return redirect(url_for("register.show", letter_id=made.letter_id))


@blueprint.route("/meetings/<meeting_id>/actions", methods=["POST"])
@login_required
def add(meeting_id: str) -> Any:
    form = ActionAddForm()
    with reading() as db:
        record(db, Meeting, meeting_id, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return show(meeting_id, action_form=form, status=422)
    try:
        with transaction() as db:
            meeting = get_meeting(db, record(db, Meeting, meeting_id, UserRole.DRAFTER).id)
            added = add_action(db, meeting, text=form.action.data, timing=form.timing.data or "", lead=form.lead.data or "",
                               due_on=date_value(form.due))
            number = added.number
    except CorrespondenceError as error:
        return show(meeting_id, action_form=form, error=said(error, _ACTION_FIELDS), status=422)
    flash(f"Action {number} added.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting_id, _anchor="actions"))


@blueprint.route("/actions")
@login_required
def actions() -> Any:
    today = dt.date.today()
    overdue = request.args.get("overdue") == "1"
    chosen = request.args.get("status") or None
    with reading() as db:
        permit(db, UserRole.VIEWER)
        status = ActionStatus.parse(chosen) if chosen in ActionStatus.choices() else None
        items = list_actions(db, today, office=office(db).short_name, status=status, overdue_only=overdue)
        return render_template("actions.html", items=items, overdue=overdue, chosen=status, statuses=list(ActionStatus),
                               status_form=ActionStatusForm())


@blueprint.route("/actions/<action_id>", methods=["POST"])
@login_required
def action_update(action_id: str) -> Any:
    form = ActionStatusForm()
    back = request.form.get("back") == "actions"
    with reading() as db:
        found = record(db, Action, action_id, UserRole.DRAFTER)
        meeting_id, number = found.meeting_id, found.number
    target = url_for("meetings.actions") if back else url_for("meetings.show", meeting_id=meeting_id, _anchor="actions")
    refused = url_for("meetings.actions") if back else url_for("meetings.show", meeting_id=meeting_id)  # the message at the top, in view
    if not form.validate_on_submit():
        flash(f"Action {number}: " + "; ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(refused)
    try:
        with transaction() as db:
            found = record(db, Action, action_id, UserRole.DRAFTER)
            changed = update_action(db, found, status=ActionStatus.parse(form.status.data, field="Status"), due_on=date_value(form.due))
    except CorrespondenceError as error:
        flash(f"Action {number}: {said(error, _ACTION_FIELDS)}", "error")
        return redirect(refused)
    flash(f"Action {number}: {'changed ' + ', '.join(changed) if changed else 'nothing to change'}.", "success")
    return redirect(target)


_ACTION_FIELDS = {"due_on": "Due date", "action": "Action"}
_MEETING_FIELDS = {"meeting: held_on": "Date it was held", "meeting: title": "Meeting", "meeting: themes": "Themes"}


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
