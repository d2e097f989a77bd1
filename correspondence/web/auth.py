"""Logging in and out, and each user's own account: password and the morning e-mail."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from correspondence.organisation.logins import log_in
from correspondence.organisation.users import check_password, update_user
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import User
from correspondence.web.security import reading, transaction, web_user
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
        with transaction() as db:
            attempt = log_in(db, form.name.data, form.password.data, request.remote_addr or "", dt.datetime.now(dt.UTC))
            user = web_user(attempt.user) if attempt.user else None
        if user is not None:
            session.clear()  # a fresh session on login: nothing carried over from before
            login_user(user)
            session["started"] = session["seen"] = time.time()
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")) or url_for("home.dashboard"))
        refusal = attempt.refusal
    return render_template("login.html", form=form, refusal=refusal), (401 if refusal else 200)


@blueprint.route("/logout", methods=["POST"])
def logout() -> Any:
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


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
                update_user(db, user, password=password_form.new.data)
                fresh = web_user(user)
            login_user(fresh)  # the old sessions end; this one carries on
            flash("Your password is changed. Other sessions you had are logged out.", "success")
            return redirect(url_for("auth.account"))
        except CorrespondenceError as problem:
            error = said(problem)
    return render_template("account.html", account_form=account_form, password_form=password_form, error=error)


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
