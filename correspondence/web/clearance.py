"""Clearance from a letter's page: a drafter submits a draft, an approver approves exactly the version
they were shown, or returns it to the drafter with comments. Each calls the library
(clearance.submit, clearance.approve, clearance.return_to_drafter), which decides who may: the web
asks the same users.authorise for the role first, so a role too low gets the usual 403, and then
shows the library's own refusal (approving or returning one's own draft where the office needs a
second person, a file changed since it was shown, a letter no longer awaiting approval) on the page,
with nothing recorded.

The letter page's Approval section asks ``clearance_panel`` whether to offer the approver's buttons
(clearance.may_approve: the library's rule, never the page's) and for the letter's clearance history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import flash, g, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import object_session

from correspondence.process import clearance, clearance_mail
from correspondence.process.approvals import Cleared, history
from correspondence.records.errors import CorrespondenceError, NotPermitted
from correspondence.records.models import Letter, User
from correspondence.records.vocabulary import UserRole
from correspondence.web.forms import ApproveForm, ReturnForm, SubmitForm
from correspondence.web.register import blueprint, show
from correspondence.web.security import reading, record, transaction
from correspondence.web.wording import said

LABELS = {"comment": "Comments for the drafter"}
RETURN_PREFIX = "return"  # the form's fields are return-comment...: unlike any other form's on the page


@dataclass
class Panel:
    """What the letter page's Approval section shows beyond the clearance state."""

    may_approve: bool
    history: list[Cleared]
    return_form: Any = field(default=None)


@blueprint.app_template_global("clearance_panel")
def clearance_panel(letter: Letter) -> Panel:
    """For letter.html, in the page's own reading session: whether the user may approve (and so
    return) this letter as it stands, its clearance history, and the return form (as it was sent,
    with its errors, when it came back with a problem)."""
    db = object_session(letter)
    assert db is not None, "the letter page renders inside its reading session"
    user = db.get(User, current_user.id)
    allowed = user is not None and clearance.may_approve(db, letter, user)
    return Panel(allowed, history(db, letter), g.get("return_form") or ReturnForm(formdata=None, prefix=RETURN_PREFIX))


@blueprint.route("/letters/<letter_id>/submit", methods=["POST"])
@login_required
def submit(letter_id: str) -> Any:
    return _clear(letter_id, SubmitForm(), UserRole.DRAFTER, approve=False)


@blueprint.route("/letters/<letter_id>/approve", methods=["POST"])
@login_required
def approve(letter_id: str) -> Any:
    return _clear(letter_id, ApproveForm(), UserRole.APPROVER, approve=True)


@blueprint.route("/letters/<letter_id>/return", methods=["POST"])
@login_required
def return_letter(letter_id: str) -> Any:
    """Return a submitted letter to its drafter with comments; the page again, with what was typed, if they are missing."""
    form = ReturnForm(prefix=RETURN_PREFIX)
    with reading() as db:
        record(db, Letter, letter_id, UserRole.APPROVER)
    g.return_form = form
    if not form.validate_on_submit():
        return show(letter_id, status=422)
    try:
        with transaction() as db:
            letter = record(db, Letter, letter_id, UserRole.APPROVER)
            submitted = clearance.clearance_state(db, letter).submitted
            clearance.return_to_drafter(db, letter, form.comment.data)
            notices = clearance_mail.notices(db)
            label = letter.label
            to = submitted.user.display_name if submitted is not None else "the drafter"
    except NotPermitted as error:
        return show(letter_id, error=said(error), status=403)
    except CorrespondenceError as error:
        if error.field == "comment":
            form.comment.errors = [*form.comment.errors, said(type(error)(error.refusal, steps=error.steps))]
            return show(letter_id, status=422)
        return show(letter_id, error=said(error, LABELS), status=422)
    g.pop("return_form", None)
    flash(f"{label} is returned to {to} with your comments.{_mailed(notices)}", "success")
    return redirect(url_for("register.show", letter_id=letter_id))


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
            notices = clearance_mail.notices(db)
            label = letter.label
            by = step.user.display_name
    except NotPermitted as error:
        return show(letter_id, error=said(error), status=403)
    except CorrespondenceError as error:
        return show(letter_id, error=said(error), status=422)
    if approve:
        flash(f"{label} is approved by {by}, exactly as its file is now. A new version from now on voids the approval."
              f"{_mailed(notices)}", "success")
    else:
        flash(f"{label} is submitted for approval. An approver approves it on this page.{_mailed(notices)}", "success")
    return redirect(url_for("register.show", letter_id=letter_id))


def _mailed(notices: list[clearance_mail.Notice]) -> str:
    """Who was e-mailed, or why nobody was, as sentences after the page's own."""
    return "".join(f" {text[:1].upper()}{text[1:]}." for text in (notice.summary() for notice in notices))
