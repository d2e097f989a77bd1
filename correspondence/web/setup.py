"""First setup: the page the one-time link `corr serve` prints on an empty store opens. It creates
the office, its force and its first admin (organisation/setup.py), logs the admin in and lands on
the dashboard. Once the store has an office, every setup link is not found."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from correspondence.organisation import setup as first_setup
from correspondence.web.security import begin_session, now, reading, transaction
from correspondence.web.settings_forms import FORCE_HINT, SCHEME_HINT, SetupForm, put_problem
from correspondence.web.wording import said

blueprint = Blueprint("setup", __name__)

LABELS = {"office_name": "Office's full name", "short_name": "Short name", "reference_scheme": "Reference scheme",
          "force": "The force the office oversees", "admin_name": "Your full name", "login": "Your login name",
          "email": "Your e-mail address", "password": "Password"}


@blueprint.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> Any:
    with reading() as db:
        state = first_setup.link_state(db, token)
    if state == first_setup.CLOSED:
        abort(404)
    if state != first_setup.OPEN:
        return _unusable(state)
    form = SetupForm()
    if form.is_submitted() and not form.validate():  # the form's own errors, and the library's about the other fields: all at once
        for problem in first_setup.problems_in(_details(form)):
            if problem.field and getattr(form, problem.field, None) is not None and not getattr(form, problem.field).errors:
                put_problem(form, problem.field, said(problem, {**LABELS, problem.field: ""}), "office_name")
    elif form.is_submitted():
        details = _details(form)
        try:
            with transaction() as db:
                admin = first_setup.set_up_office(db, token, details, now())
                office_name = admin.office.name
        except first_setup.LinkNotUsable as refusal:
            if refusal.state == first_setup.CLOSED:
                abort(404)
            return _unusable(refusal.state)
        except first_setup.SetupRefused as refused:
            for problem in refused.problems:
                put_problem(form, problem.field, said(problem, {**LABELS, problem.field or "": ""}), "office_name")
        else:
            begin_session(admin)
            flash(f"{office_name} is set up, and you are logged in as its admin. Add your colleagues on the Users page, "
                  "and the rest of the office's settings on the Settings page.", "success")
            return redirect(url_for("home.dashboard"))
    status = 422 if any(f.errors for f in form) else 200
    return render_template("setup.html", form=form, force_hint=FORCE_HINT, scheme_hint=SCHEME_HINT), status


def _details(form: SetupForm) -> first_setup.SetupDetails:
    return first_setup.SetupDetails(
        office_name=form.office_name.data or "", short_name=form.short_name.data or "", force=form.force.data or "",
        admin_name=form.admin_name.data or "", login=form.login.data or "", password=form.password.data or "",
        email=form.email.data or "", signatory_name=form.signatory_name.data or "",
        signatory_title=form.signatory_title.data or "", address=form.address.data or "",
        reference_scheme=form.reference_scheme.data or "", chief_officer_title=form.chief_officer_title.data or "")


def _unusable(state: str) -> Any:
    return render_template("setup_used.html", used=state == first_setup.USED), 404
