"""Withdrawing a draft from its letter page: "Withdraw this draft" opens a page that asks why, and
the library's withdraw_letter (register/withdrawal.py) does it, as `corr letter withdraw` does.

The letter stays in the register as withdrawn, with who, when and why; its files are kept and its
reference stays used. A drafter's step, on a letter of the user's own office (else 403 or 404).
These routes join the register's blueprint, beside the letter page."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import Letter
from correspondence.records.vocabulary import LetterKind, LetterStatus, UserRole
from correspondence.register.withdrawal import check_withdrawable, withdraw_letter
from correspondence.web.register import blueprint
from correspondence.web.security import reading, record, transaction
from correspondence.web.withdraw_forms import WithdrawForm
from correspondence.web.wording import onto_form, said


@blueprint.route("/letters/<letter_id>/withdraw", methods=["GET"])
@login_required
def withdraw_page(letter_id: str, form: WithdrawForm | None = None, status: int = 200) -> Any:
    """The page that asks why the draft is withdrawn; for a letter that is no draft, its letter page
    says why it cannot be."""
    with reading() as db:
        letter = record(db, Letter, letter_id, UserRole.DRAFTER)
        try:
            check_withdrawable(letter)
        except CorrespondenceError as error:
            flash(said(error), "error")
            return redirect(url_for("register.show", letter_id=letter.id))
        return render_template("letter_withdraw.html", letter=letter, form=form or WithdrawForm(),
                               invitation=letter.kind is LetterKind.INVITATION), status


@blueprint.route("/letters/<letter_id>/withdraw", methods=["POST"])
@login_required
def withdraw(letter_id: str) -> Any:
    form = WithdrawForm()
    with reading() as db:
        letter = record(db, Letter, letter_id, UserRole.DRAFTER)
        if letter.status is LetterStatus.WITHDRAWN and form.validate_on_submit() \
                and " ".join(form.why.data.split()) == letter.withdrawn_reason:  # the same form sent twice: done once
            flash(f"{letter.label} is already withdrawn.", "success")
            return redirect(url_for("register.show", letter_id=letter.id))
    if not form.validate_on_submit():
        return withdraw_page(letter_id, form=form, status=422)
    try:
        with transaction() as db:
            letter = record(db, Letter, letter_id, UserRole.DRAFTER)
            withdraw_letter(db, letter, why=form.why.data, by=current_user.name)
            label = letter.label
    except CorrespondenceError as error:
        onto_form(form, error, {"why": "why"}, {"why": "Why"})
        return withdraw_page(letter_id, form=form, status=422)
    flash(f"{label} is withdrawn. It stays in the register as withdrawn, with your reason, and its reference is not used again.",
          "success")
    return redirect(url_for("register.show", letter_id=letter_id))
