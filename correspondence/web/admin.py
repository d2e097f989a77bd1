"""What an admin manages: role holders and users (the Settings page is settings_page.py's, on this
blueprint). Everyone may look at role holders; only an admin changes them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from correspondence.organisation import roles
from correspondence.organisation import sessions as stored_sessions
from correspondence.organisation.users import add_user, check_new_password, list_users, new_user_problems, update_user
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import RoleHolder, SessionEnd, User
from correspondence.records.vocabulary import UserRole
from correspondence.web.forms import (
    UserAddForm,
    UserSetForm,
    date_value,
)
from correspondence.web.security import key_session, now, office, permit, reading, record, transaction
from correspondence.web.settings_forms import HolderAddForm, HolderEndForm, HolderForm, put_problem
from correspondence.web.wording import onto_form, said

blueprint = Blueprint("admin", __name__)


# --- role holders ---------------------------------------------------------------------------------


@blueprint.route("/roles", endpoint="roles", methods=["GET", "POST"])
@login_required
def roles_page() -> Any:
    form = HolderAddForm()
    if request.method == "POST":
        with reading() as db:
            permit(db, UserRole.ADMIN)
        if form.validate_on_submit():
            try:
                with transaction() as db:
                    holder = roles.add_holder(
                        db, role=form.role.data, name=form.name.data, starts_on=date_value(form.starts),
                        ends_on=date_value(form.ends), office=office(db), salutation=(form.salutation.data or "").strip(),
                        address=_address(form.address.data), title=form.title.data or "",
                    )
                    db.flush()
                    label = f"{holder.name} as {holder.title or holder.role}"
                flash(f"Recorded {label}.", "success")
                return redirect(url_for("admin.roles"))
            except CorrespondenceError as problem:
                put_problem(form, _HOLDER_FIELDS.get(problem.field or "", "name"), said(problem, {**_HOLDER_LABELS, problem.field or "": ""}), "name")
    with reading() as db:
        permit(db, UserRole.VIEWER)
        holders = roles.list_holders(db, office=office(db))
        status = 422 if any(f.errors for f in form) else 200
        return render_template("roles.html", holders=holders, form=form, error=""), status


_HOLDER_FIELDS = {"starts_on": "starts", "ends_on": "ends", "name": "name", "role": "role"}
_HOLDER_LABELS = {"starts_on": "First day in the role", "ends_on": "Last day in the role", "name": "Name"}


@blueprint.route("/roles/<holder_id>", methods=["GET", "POST"])
@login_required
def role_holder(holder_id: str, end_form: HolderEndForm | None = None, status: int = 200) -> Any:
    """Correct one of the office's role holders (name, title as held, salutation, address, dates)."""
    with reading() as db:
        holder = record(db, RoleHolder, holder_id, UserRole.ADMIN)
        form = HolderForm() if request.method == "POST" and end_form is None else HolderForm(data={
            "name": holder.name, "title": holder.title, "salutation": holder.salutation, "address": holder.address,
            "starts": long_date(holder.starts_on), "ends": long_date(holder.ends_on) if holder.ends_on else ""})
    if request.method == "POST" and end_form is None and form.validate_on_submit():
        try:
            with transaction() as db:
                chosen = record(db, RoleHolder, holder_id, UserRole.ADMIN)
                ends = date_value(form.ends)
                changed = roles.update_holder(db, chosen, name=form.name.data, title=form.title.data or "",
                                              salutation=form.salutation.data or "", address=_address(form.address.data),
                                              starts_on=date_value(form.starts), ends_on=ends if ends else roles.CLEAR)
                label = f"{chosen.name} as {chosen.role}"
            words = ", ".join(_CHANGED.get(name, name) for name in changed)
            flash(f"{label}: changed {words}." if changed else f"{label}: nothing to change.", "success")
            return redirect(url_for("admin.roles"))
        except CorrespondenceError as problem:
            put_problem(form, _HOLDER_FIELDS.get(problem.field or "", "name"), said(problem, {**_HOLDER_LABELS, problem.field or "": ""}), "name")
    if any(f.errors for f in form):
        status = 422
    return render_template("settings_role_holder.html", holder=holder, form=form, end_form=end_form or HolderEndForm(prefix="end")), status


_CHANGED = {"name": "the name", "title": "the title as held", "salutation": "the salutation", "address": "the address",
            "starts_on": "the first day", "ends_on": "the last day"}


@blueprint.route("/roles/<holder_id>/end", methods=["POST"])
@login_required
def role_holder_end(holder_id: str) -> Any:
    """Record the last day of a holder's term."""
    form = HolderEndForm(prefix="end")
    with reading() as db:
        record(db, RoleHolder, holder_id, UserRole.ADMIN)
    if form.validate_on_submit():
        try:
            with transaction() as db:
                chosen = record(db, RoleHolder, holder_id, UserRole.ADMIN)
                roles.end_holder(db, chosen, date_value(form.ends))
                label = f"{chosen.name}'s term as {chosen.role} ended on {long_date(chosen.ends_on)}"
            flash(f"Recorded: {label}.", "success")
            return redirect(url_for("admin.roles"))
        except CorrespondenceError as problem:
            put_problem(form, "ends", said(problem, {**_HOLDER_LABELS, problem.field or "": ""}), "ends")
    return role_holder(holder_id, end_form=form, status=422)


def _address(value: str | None) -> str:
    return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


# --- users ---------------------------------------------------------------------------------------


@blueprint.route("/users", methods=["GET", "POST"])
@login_required
def users() -> Any:
    form = UserAddForm()
    with reading() as db:
        permit(db, UserRole.ADMIN)
    if request.method == "POST":
        valid = form.validate_on_submit()
        if (form.name.data or "").strip():  # every problem at once: the form's own, then the library's
            with reading() as db:
                for problem in new_user_problems(db, form.name.data, email=form.email.data or None, password=form.password.data or None):
                    if not getattr(form, _USER_FIELDS.get(problem.field or "", ""), form).errors:
                        onto_form(form, problem, _USER_FIELDS, _USER_LABELS)
                        valid = False
        if valid:
            try:
                with transaction() as db:
                    permit(db, UserRole.ADMIN)
                    added = add_user(db, form.name.data, office=office(db).short_name, role=UserRole.parse(form.role.data, field="Role"),
                                     full_name=form.full_name.data or "", email=form.email.data or None, password=form.password.data)
                    label = f"{added.display_name} ({added.name}) as {added.role.value}"
                flash(f"Added {label}. Give them their password in person or by phone.", "success")
                return redirect(url_for("admin.users"))
            except CorrespondenceError as problem:
                onto_form(form, problem, _USER_FIELDS, _USER_LABELS)
    return _users_page(form)


_USER_FIELDS = {"name": "name", "email": "email", "password": "password", "full_name": "full_name", "role": "role"}
_USER_LABELS = {"name": "Login name", "email": "E-mail address", "password": "Password"}


def _users_page(form: UserAddForm, changing: int | None = None, set_form: UserSetForm | None = None) -> Any:
    """The users page; ``changing`` is the user whose row's form came back with problems (``set_form``)."""
    with reading() as db:
        ours = office(db)
        people = list_users(db, ours.short_name)
        signed_in = stored_sessions.live_counts(db, ours.id, now(), current_app.config["IDLE_TIMEOUT"],
                                                current_app.config["PERMANENT_SESSION_LIFETIME"])
        status = 422 if (form.errors or (set_form is not None and set_form.errors)) else 200
        return render_template("users.html", people=people, form=form, error="", roles=list(UserRole),
                               set_form=set_form or UserSetForm(), changing=changing, signed_in=signed_in), status


class SignOutForm(FlaskForm):
    """Only its CSRF token: the button that ends every session a user has."""


@blueprint.route("/users/<user_id>/sign-out", methods=["POST"])
@login_required
def user_sign_out(user_id: str) -> Any:
    """An admin ends every session one of the office's users has, on every server at once (a
    lost laptop, someone who has left). Their password is unchanged; they can log in again."""
    form = SignOutForm()
    with transaction() as db:
        person = record(db, User, user_id, UserRole.ADMIN)
        name = person.display_name
        ended = stored_sessions.end_user_sessions(db, person.id, SessionEnd.SIGNED_OUT_EVERYWHERE, now()) if form.validate_on_submit() else None
    if ended is None:
        return redirect(url_for("admin.users"))
    if person.id == current_user.id:  # the admin's own sessions, this one too
        key_session().forget()
        flash("You are signed out everywhere, here too. Log in again to carry on.", "info")
        return redirect(url_for("auth.login"))
    flash(f"{name} is signed out everywhere ({ended} session{'s' if ended != 1 else ''} ended).", "success")
    return redirect(url_for("admin.users"))


@blueprint.route("/users/<user_id>", methods=["POST"])
@login_required
def user_set(user_id: str) -> Any:
    form = UserSetForm()
    with reading() as db:
        person = record(db, User, user_id, UserRole.ADMIN)
        person_id, login = person.id, person.name
    valid = form.validate_on_submit()
    if form.password.data:
        try:
            check_new_password(form.password.data, login)
        except CorrespondenceError as problem:
            onto_form(form, problem, _USER_FIELDS, _USER_LABELS)
            valid = False
    if not valid:
        return _users_page(UserAddForm(formdata=None), changing=person_id, set_form=form)
    try:
        with transaction() as db:
            person = record(db, User, user_id, UserRole.ADMIN)
            changed = update_user(db, person, role=UserRole.parse(form.role.data, field="Role"), active=bool(form.active.data),
                                  password=form.password.data or None)
            name = person.display_name
    except CorrespondenceError as problem:
        onto_form(form, problem, {**_USER_FIELDS, "active": "active"}, _USER_LABELS)
        return _users_page(UserAddForm(formdata=None), changing=person_id, set_form=form)
    flash(f"{name}: {'changed ' + ', '.join(changed) if changed else 'nothing to change'}.", "success")
    return redirect(url_for("admin.users"))
