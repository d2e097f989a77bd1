"""Clearance from a letter's page: a drafter submits a draft, an approver approves exactly the file
they were shown. Both call the library (clearance.submit, clearance.approve), which decides who may:
the web asks the same users.authorise for the role first, so a role too low gets the usual 403, and
then shows the library's own refusal (approving one's own draft where the office needs a second
person, a file changed since it was shown) on the page, with nothing recorded."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_login import login_required

from correspondence.process import clearance
from correspondence.records.errors import CorrespondenceError, NotPermitted
from correspondence.records.models import Letter
from correspondence.records.vocabulary import UserRole
from correspondence.web.forms import ApproveForm, SubmitForm
from correspondence.web.register import blueprint, show
from correspondence.web.security import reading, record, transaction
from correspondence.web.wording import said


@blueprint.route("/letters/<letter_id>/submit", methods=["POST"])
@login_required
def submit(letter_id: str) -> Any:
    return _clear(letter_id, SubmitForm(), UserRole.DRAFTER, approve=False)


@blueprint.route("/letters/<letter_id>/approve", methods=["POST"])
@login_required
def approve(letter_id: str) -> Any:
    return _clear(letter_id, ApproveForm(), UserRole.APPROVER, approve=True)


def _clear(letter_id: str, form: Any, needed: UserRole, *, approve: bool) -> Any:
    with reading() as db:
        record(db, Letter, letter_id, needed)
    if not form.validate_on_submit():
        return show(letter_id, error="The approval form was incomplete; reload the page and approve again.", status=422)
    try:
        with transaction() as db:
            letter = record(db, Letter, letter_id, needed)
            if approve:
                step = clearance.approve(db, letter, expected_sha256=form.sha256.data)
            else:
                step = clearance.submit(db, letter)
            label = letter.label
            by = step.user.full_name or step.user.name
    except NotPermitted as error:
        return show(letter_id, error=said(error), status=403)
    except CorrespondenceError as error:
        return show(letter_id, error=said(error), status=422)
    if approve:
        flash(f"{label} is approved by {by}, exactly as its file is now. An edit to the file from now on voids the approval.", "success")
    else:
        flash(f"{label} is submitted for approval. An approver approves it on this page.", "success")
    return redirect(url_for("register.show", letter_id=letter_id))
