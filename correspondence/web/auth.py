"""Logging in and out, and each user's own account: password, the morning e-mail, and the
sessions they have open (with "sign out of other sessions")."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from correspondence.organisation import sessions as stored_sessions
from correspondence.organisation.logins import log_in
from correspondence.organisation.users import check_password, update_user
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import SessionEnd, User
from correspondence.web.security import begin_session, key_session, now, reading, store, transaction
from correspondence.web.wording import said

blueprint = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    name = StringField("User name", validators=[DataRequired(message="Enter your user name"), Length(max=100)],
                       render_kw={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"})
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password"), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})


class AccountForm(FlaskForm):
    email = EmailField("E-mail address", validators=[Optional(), Length(max=320)], render_kw={"autocomplete": "email"})
    morning_email = BooleanField("Send me a morning e-mail of what is mine and due or overdue")


class SignOutOthersForm(FlaskForm):
    """Only its CSRF token: the button that ends the user's other sessions."""


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(message="Enter your current password")],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField("New password (at least 10 characters)", validators=[DataRequired(message="Enter a new password")],
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("New password again", validators=[EqualTo("new", message="The two new passwords are not the same")],
                            render_kw={"autocomplete": "new-password"})


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    refusal = ""
    if form.validate_on_submit():
        attempt = log_in(store(), form.name.data, form.password.data, request.remote_addr or "", now())
        if attempt.user is not None:
            begin_session(attempt.user)  # a new session and key: nothing carried over from before
            return redirect(_safe_next(request.args.get("next")) or url_for("home.dashboard"))
        refusal = attempt.refusal
    return render_template("login.html", form=form, refusal=refusal), (401 if refusal else 200)


@blueprint.route("/logout", methods=["POST"])
def logout() -> Any:
    """End the session in the store, so its cookie, wherever it was copied, opens nothing on any server."""
    if current_user.is_authenticated:
        with transaction() as db:
            stored_sessions.end_session(db, current_user.session_id, SessionEnd.LOGGED_OUT, now())
    key_session().forget()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/account/sessions", methods=["POST"])
@login_required
def sign_out_others() -> Any:
    """End every session of the user's but this one (a computer left logged in, a lost phone)."""
    if SignOutOthersForm(prefix="sessions").validate_on_submit():
        with transaction() as db:
            ended = stored_sessions.end_user_sessions(db, current_user.id, SessionEnd.SIGNED_OUT_EVERYWHERE, now(),
                                                      keep=current_user.session_id)
        flash(f"Signed out of {ended} other session{'s' if ended != 1 else ''}." if ended else "You had no other sessions.", "success")
    return redirect(url_for("auth.account", _anchor="sessions-heading"))


@blueprint.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Any:
    account_form = AccountForm(prefix="account")
    password_form = PasswordForm(prefix="password")
    error = ""
    with reading() as db:
        user = db.get(User, current_user.id)
        if request.method == "GET":
            account_form.email.data = user.email
            account_form.morning_email.data = user.morning_email
    if "account-email" in request.form and account_form.validate_on_submit():
        try:
            with transaction() as db:
                user = db.get(User, current_user.id)
                if account_form.morning_email.data and not (account_form.email.data or "").strip():
                    raise CorrespondenceError("Add your e-mail address to get the morning e-mail")
                update_user(db, user, email=account_form.email.data or "", morning_email=bool(account_form.morning_email.data))
            flash("Your account is saved.", "success")
            return redirect(url_for("auth.account"))
        except CorrespondenceError as problem:
            error = said(problem)
    elif "password-current" in request.form and password_form.validate_on_submit():
        try:
            with transaction() as db:
                user = db.get(User, current_user.id)
                if not check_password(user, password_form.current.data):
                    raise CorrespondenceError("Your current password is not right")
                update_user(db, user, password=password_form.new.data)  # ends every session the user had
            begin_session(user)  # and this one carries on, under a new key
            flash("Your password is changed. Other sessions you had are logged out.", "success")
            return redirect(url_for("auth.account"))
        except CorrespondenceError as problem:
            error = said(problem)
    with reading() as db:
        sessions = stored_sessions.live_sessions(db, current_user.id, now(), current_app.config["IDLE_TIMEOUT"],
                                                 current_app.config["PERMANENT_SESSION_LIFETIME"])
    return render_template("account.html", account_form=account_form, password_form=password_form, error=error,
                           sessions=sessions, sign_out_form=SignOutOthersForm(prefix="sessions"),
                           idle_minutes=round(current_app.config["IDLE_TIMEOUT"].total_seconds() / 60),
                           longest_hours=round(current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() / 3600))


def _safe_next(target: str | None) -> str | None:
    r"""Only a path on this site: never another host (an open redirect). Browsers drop tabs and new
    lines from an address and read a backslash as a slash, so "/\t/evil.example" is "//evil.example":
    an address holding any of them is refused outright, as is anything naming a scheme or a host."""
    from urllib.parse import urlsplit

    if not target or any(ord(character) < 32 or ord(character) == 127 or character == "\\" for character in target):
        return None
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return None
    return target
