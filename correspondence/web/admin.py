"""What an admin manages: role holders, the office's settings, mail and templates, and users.
Everyone may look at role holders and settings; only an admin changes them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from correspondence.drafting.office_templates import (
    KIND_TITLES,
    check_kind,
    list_templates,
    office_template,
    remove_template,
    template_bytes,
)
from correspondence.drafting.rendering import shipped_template
from correspondence.examples.template_check import checked_template, keep_template
from correspondence.organisation import roles
from correspondence.organisation import sessions as stored_sessions
from correspondence.organisation.offices import update_office
from correspondence.organisation.users import add_user, list_users, update_user
from correspondence.process.reminders import mail_settings, set_mail_settings
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import SessionEnd, User
from correspondence.records.vocabulary import UserRole
from correspondence.web.forms import (
    MailForm,
    OfficeForm,
    RemoveTemplateForm,
    RoleForm,
    TemplateForm,
    UserAddForm,
    UserSetForm,
    date_value,
)
from correspondence.web.security import key_session, now, office, permit, reading, record, transaction
from correspondence.web.wording import said

blueprint = Blueprint("admin", __name__)


# --- role holders ---------------------------------------------------------------------------------


@blueprint.route("/roles", endpoint="roles", methods=["GET", "POST"])
@login_required
def roles_page() -> Any:
    form = RoleForm()
    error = ""
    if request.method == "POST":
        with reading() as db:
            permit(db, UserRole.ADMIN)
        if form.validate_on_submit():
            try:
                with transaction() as db:
                    holder = roles.add_holder(
                        db, role=form.role.data, name=form.name.data, starts_on=date_value(form.starts),
                        ends_on=date_value(form.ends), office=office(db), salutation=(form.salutation.data or "").strip(),
                        address="\n".join(line.strip() for line in (form.address.data or "").splitlines() if line.strip()),
                    )
                    db.flush()
                    label = f"{holder.name} as {holder.role}"
                flash(f"Recorded {label}.", "success")
                return redirect(url_for("admin.roles"))
            except CorrespondenceError as problem:
                error = said(problem, {"starts_on": "First day in the role", "ends_on": "Last day in the role"})
    with reading() as db:
        permit(db, UserRole.VIEWER)
        holders = roles.list_holders(db, office=office(db))
        status = 422 if (error or form.errors) else 200
        return render_template("roles.html", holders=holders, form=form, error=error), status



# --- settings: the office, mail, templates -----------------------------------------------------------


@blueprint.route("/settings", methods=["GET"])
@login_required
def settings(office_form: OfficeForm | None = None, mail_form: MailForm | None = None, template_form: TemplateForm | None = None,
             error: str = "", status: int = 200) -> Any:
    with reading() as db:
        permit(db, UserRole.VIEWER)
        ours = office(db)
        mail = mail_settings(db, ours)
        if office_form is None:
            office_form = OfficeForm(prefix="office", data={
                "name": ours.name, "address": ours.address, "signatory_name": ours.signatory_name,
                "signatory_title": ours.signatory_title, "reference_scheme": ours.reference_scheme,
                "date_format": ours.date_format, "letterhead": ours.letterhead,
            })
        if mail_form is None:
            mail_form = MailForm(prefix="mail", data={
                "host": mail.host, "port": mail.port, "security": mail.security, "username": mail.username, "sender": mail.sender,
            } if mail else {"port": 25, "security": "none"})
        return render_template("settings.html", office=ours, office_form=office_form, mail_form=mail_form,
                               template_form=template_form or TemplateForm(prefix="template"), templates=list_templates(db, ours),
                               kind_titles=KIND_TITLES, remove_form=RemoveTemplateForm(), error=error, mail=mail), status


@blueprint.route("/settings/office", methods=["POST"])
@login_required
def settings_office() -> Any:
    form = OfficeForm(prefix="office")
    with reading() as db:
        permit(db, UserRole.ADMIN)
    if not form.validate_on_submit():
        return settings(office_form=form, status=422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            changed = update_office(db, office(db), **{name: _lines(getattr(form, name).data) for name in (
                "name", "address", "signatory_name", "signatory_title", "reference_scheme", "date_format", "letterhead")})
    except CorrespondenceError as problem:
        return settings(office_form=form, error=said(problem, capital=False), status=422)
    flash(f"Changed {', '.join(name.replace('_', ' ') for name in changed)}." if changed else "Nothing to change.", "success")
    return redirect(url_for("admin.settings"))


@blueprint.route("/settings/mail", methods=["POST"])
@login_required
def settings_mail() -> Any:
    form = MailForm(prefix="mail")
    with reading() as db:
        permit(db, UserRole.ADMIN)
    if not form.validate_on_submit():
        return settings(mail_form=form, status=422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            set_mail_settings(db, office(db), host=form.host.data, port=form.port.data, sender=form.sender.data,
                              security=form.security.data, username=form.username.data or "")
    except CorrespondenceError as problem:
        return settings(mail_form=form, error=said(problem, {"host": "SMTP server", "sender": "Send from", "port": "Port"}), status=422)
    flash("Mail settings saved.", "success")
    return redirect(url_for("admin.settings", _anchor="mail-heading"))


@blueprint.route("/settings/templates", methods=["POST"])
@login_required
def settings_templates() -> Any:
    form = TemplateForm(prefix="template")
    with reading() as db:
        permit(db, UserRole.ADMIN)
    if not form.validate_on_submit():
        return settings(template_form=form, status=422)
    upload = form.template.data
    data = upload.read()
    try:
        checked = checked_template(form.kind.data, upload.filename or "template.docx", data)  # before the transaction: filling it in holds no lock
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            kept = keep_template(db, office(db), checked, dt.date.today())
            label = f"{kept.file_name} is now the office's {KIND_TITLES[kept.kind].lower()} template"
    except CorrespondenceError as problem:
        return settings(template_form=form, error=said(problem, capital=False), status=422)
    flash(f"{label}. It was checked by drafting the example letter with it, and nothing failed.", "success")
    return redirect(url_for("admin.settings", _anchor="templates-heading"))


@blueprint.route("/settings/templates/remove", methods=["POST"])
@login_required
def settings_template_remove() -> Any:
    form = RemoveTemplateForm()
    with reading() as db:
        permit(db, UserRole.ADMIN)
    if form.validate_on_submit():
        try:
            with transaction() as db:
                permit(db, UserRole.ADMIN)
                remove_template(db, office(db), form.kind.data)
            flash("The office's own template is removed; drafts use the shipped one again.", "success")
        except CorrespondenceError as problem:
            flash(said(problem, capital=False), "error")
    return redirect(url_for("admin.settings", _anchor="templates-heading"))


@blueprint.route("/settings/templates/<kind>.docx")
@login_required
def settings_template_download(kind: str) -> Any:
    """The template drafts of this kind use now (the office's own, or the shipped one), to edit in Word."""
    try:
        kind = check_kind(kind)
    except CorrespondenceError:
        return redirect(url_for("admin.settings"))
    with reading() as db:
        permit(db, UserRole.VIEWER)
        ours = office(db)
        own = office_template(db, ours, kind)
        data = template_bytes(own) if own else shipped_template(kind).read_bytes()
        name = own.file_name if own else shipped_template(kind).name
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, max_age=0,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


# --- users ---------------------------------------------------------------------------------------


@blueprint.route("/users", methods=["GET", "POST"])
@login_required
def users() -> Any:
    form = UserAddForm()
    error = ""
    with reading() as db:
        permit(db, UserRole.ADMIN)
    if request.method == "POST" and form.validate_on_submit():
        try:
            with transaction() as db:
                permit(db, UserRole.ADMIN)
                added = add_user(db, form.name.data, office=office(db).short_name, role=UserRole.parse(form.role.data, field="Role"),
                                 full_name=form.full_name.data or "", email=form.email.data or None, password=form.password.data)
                label = f"{added.name} as {added.role.value}"
            flash(f"Added {label}. Give them their password in person or by phone.", "success")
            return redirect(url_for("admin.users"))
        except CorrespondenceError as problem:
            error = said(problem)
    with reading() as db:
        ours = office(db)
        people = list_users(db, ours.short_name)
        signed_in = stored_sessions.live_counts(db, ours.id, now(), current_app.config["IDLE_TIMEOUT"],
                                                current_app.config["PERMANENT_SESSION_LIFETIME"])
        status = 422 if (error or form.errors) else 200
        return render_template("users.html", people=people, form=form, error=error, roles=list(UserRole),
                               set_form=UserSetForm(), signed_in=signed_in), status


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
        name = person.name
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
    if not form.validate_on_submit():
        with reading() as db:
            record(db, User, user_id, UserRole.ADMIN)
        flash("; ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("admin.users"))
    try:
        with transaction() as db:
            person = record(db, User, user_id, UserRole.ADMIN)
            changed = update_user(db, person, role=UserRole.parse(form.role.data, field="Role"), active=bool(form.active.data),
                                  password=form.password.data or None)
            name = person.name
    except CorrespondenceError as problem:
        flash(said(problem, capital=False), "error")
        return redirect(url_for("admin.users"))
    flash(f"{name}: {'changed ' + ', '.join(changed) if changed else 'nothing to change'}.", "success")
    return redirect(url_for("admin.users"))


def _lines(value: str | None) -> str | None:
    if value is None:
        return None
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())
