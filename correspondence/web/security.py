"""Sessions, CSRF, security headers and the permission checks every page goes through.

Each request finds its session's row (web/sessions.py carries the key; organisation/sessions.py
keeps the rows): an ended, idle or expired session, or a disabled user's, is a visitor not logged
in, whichever server process ended it.

The rules themselves live in the library: users.authorise (role and office) and
users.authorise_record (a record of the user's own office). This module only turns their
refusals into 403 (role too low) and 404 (another office's record, or none), and logs each one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from correspondence.organisation import sessions as stored_sessions
from correspondence.organisation.offices import get_office
from correspondence.organisation.users import authorise, authorise_record
from correspondence.records.dates import in_the_uk, long_date
from correspondence.records.errors import NotFound, NotPermitted, OutsideOffice
from correspondence.records.models import Office, SessionEnd, User
from correspondence.records.record_numbers import record_number
from correspondence.records.store import Store, acting_as
from correspondence.records.vocabulary import UserRole
from correspondence.web import form_once
from correspondence.web.sessions import KeySession, StoreSessions
from correspondence.web.wording import said

log = logging.getLogger("correspondence.web")
login_manager = LoginManager()
csrf = CSRFProtect()
T = TypeVar("T")

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",  # no inline script, no eval: htmx is served from here with allowEval off
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# A stored file our own pages show in a frame (a version's PDF on its preview page): framed only by
# this site's pages, and allowed to load nothing but itself (the browser's PDF viewer draws it).
FRAMED_FILE_POLICY = "; ".join([
    "default-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
])


@dataclass
class WebUser(UserMixin):
    """The logged-in user as a request sees them (a plain copy: no database session attached)."""

    id: int
    name: str
    full_name: str
    role: UserRole
    office_short: str
    office_name: str
    session_id: int  # the row of the session this request belongs to

    def get_id(self) -> str:
        return str(self.session_id)

    @property
    def display_name(self) -> str:
        return self.full_name or self.name

    def can(self, role: str) -> bool:
        """For showing or hiding a button only; the permission itself is checked by the library."""
        return self.role.includes(UserRole(role))


def web_user(user: User, office: Office, session_id: int) -> WebUser:
    return WebUser(user.id, user.name, user.full_name, user.role, office.short_name, office.name, session_id)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def key_session() -> KeySession:
    """The request's session (web/sessions.py): its key, and what pages keep in it."""
    assert isinstance(session, KeySession)
    return session


def begin_session(user: User) -> None:
    """Log ``user`` in on this request: a new session row, its key sent as the cookie, and the
    previous key (anonymous, or a session just ended) no longer carried."""
    with transaction() as db:
        key = stored_sessions.start_session(db, user, request.remote_addr or "", request.user_agent.string, now())
    key_session().begin(key)


def store() -> Store:
    return current_app.config["STORE"]


@contextmanager
def transaction() -> Iterator[Session]:
    """For a request that changes something: one transaction, committed or rolled back whole."""
    with store().transaction() as db:
        yield db


@contextmanager
def reading() -> Iterator[Session]:
    """For a request (or the part of one) that only reads: no write lock, so pages never queue."""
    with store().reading() as db:
        yield db


def office(db: Session) -> Office:
    return get_office(db, current_user.office_short)


def permit(db: Session, needed: UserRole) -> User:
    """The current user, if their role allows ``needed`` in their office; else 403, logged."""
    try:
        return authorise(db, current_user.name, office(db), needed)
    except NotPermitted as error:
        refuse(403, str(error))
        raise  # unreachable: refuse aborts


def record(db: Session, model: type[T], record_id: Any, needed: UserRole = UserRole.VIEWER) -> T:
    """The ``model`` row with ``record_id`` if the current user may act on it with ``needed``.

    No such row, or another office's, is 404 (logged when it exists: a tampered form or link);
    a role too low is 403.
    """
    try:
        key = record_number(record_id, model.__name__.lower())
    except Exception:  # noqa: BLE001 - anything that is not a number is simply not found
        abort(404)
    found = db.get(model, key)
    if found is None:
        abort(404)
    try:
        authorise_record(db, current_user.name, found, needed)
    except OutsideOffice as error:
        refuse(404, f"{model.__tablename__} record {key} belongs to another office ({error})")
    except NotPermitted as error:
        refuse(403, str(error))
    return found


def framed_by_own_pages(response: Any) -> Any:
    """Let the workspace's own pages show ``response`` (a stored PDF) in a frame; every other
    response may be framed by nobody. Its cache headers are private, no-store as for any page."""
    response.corr_framed_by_own_pages = True
    return response


def _keep_data(row_id: int, data: str) -> None:
    with transaction() as db:
        stored_sessions.keep_data(db, row_id, data)


def refuse(status: int, reason: str) -> None:
    """Refuse the request and say so in the server's log, with who, what and from where."""
    log.warning("refused %s %s for %s from %s: %s", request.method, request.path,
                getattr(current_user, "name", "anonymous"), request.remote_addr, reason)
    abort(status, description=reason if status == 403 else None)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the session's row holds where it began; its key is all the cookie has
    app.session_interface = StoreSessions(_keep_data)

    @login_manager.request_loader
    def _found(_request: Any) -> WebUser | None:
        return g.get("corr_user")  # _find_session's finding; a request it skipped (a static file) has no user

    @app.before_request
    def _find_session() -> Any:
        """Who this request is from: the session its key opens, if that is still in use. Its
        last-seen is written at most once a minute (TOUCH_EVERY), never on every request."""
        if request.endpoint == "static":
            return None
        carried = key_session()
        if carried.anonymous:
            return None
        moment = now()
        with reading() as db:
            found = stored_sessions.find_session(db, carried.key)
        if found is None:
            carried.forget()
            return None
        why = stored_sessions.why_over(found, moment, app.config["IDLE_TIMEOUT"], app.config["PERMANENT_SESSION_LIFETIME"])
        if why is not None:
            if found.ended_at is None:
                with transaction() as db:
                    stored_sessions.end_session(db, found.id, why, moment)
            carried.forget()
            if why in (SessionEnd.IDLE, SessionEnd.EXPIRED):
                flash("Your session expired. Log in again to carry on.", "info")
                return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
            return None
        if stored_sessions.needs_touch(found, moment):
            with transaction() as db:
                stored_sessions.touch(db, found.id, moment)
        carried.attach(found.id, found.data)
        g.corr_user = web_user(found.user, found.office, found.id)
        g.acting = acting_as(found.user.name)
        g.acting.__enter__()
        return None

    csrf.init_app(app)  # after _find_session, so that a refused form is logged with who sent it
    form_once.init_app(app, reading)  # after both: each form acted on once (web/form_once.py)

    @app.teardown_request
    def _stop_acting(_error: BaseException | None) -> None:
        acting = g.pop("acting", None)
        if acting is not None:
            acting.__exit__(None, None, None)

    @app.after_request
    def _headers(response: Any) -> Any:
        framed = getattr(response, "corr_framed_by_own_pages", False)
        response.headers["Content-Security-Policy"] = FRAMED_FILE_POLICY if framed else CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "SAMEORIGIN" if framed else "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("SESSION_COOKIE_SECURE") or request.is_secure:  # served over HTTPS: browsers keep to it for a year
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "private, no-store" if framed else "no-store"  # pages hold office records
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Any:
        log.warning("refused %s %s for %s from %s: %s", request.method, request.path,
                    getattr(current_user, "name", "anonymous"), request.remote_addr, error.description)
        return render_template("error.html", status=400, title="The form had expired",
                               message="The form was missing its security token or it had expired. "
                                       "Go back, reload the page and try again."), 400

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_error: Any) -> Any:
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024) - 1
        return render_template("error.html", status=413, title="That file is too large",
                               message=f"The largest file you can upload is {limit} MB. Nothing was stored."), 413

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Any:
        titles = {403: "You cannot do that", 404: "Page not found", 405: "That did not work"}
        messages = {
            403: "Your role does not allow this. Ask an admin of your office if you need it.",
            404: "There is nothing at this address, or it is not one of your office's records.",
        }
        status = error.code or 500
        return render_template("error.html", status=status, title=titles.get(status, error.name),
                               message=messages.get(status, error.description)), status

    @app.errorhandler(NotFound)
    def _not_found(_error: NotFound) -> Any:
        return render_template("error.html", status=404, title="Page not found", message=said(_error, capital=False)), 404

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"current_user": current_user}

    from correspondence.records.figures import describe_measure

    def _long_date(value: Any) -> str:
        """A date, or an ISO date string as the library's views give them (stages.response_view)."""

        if not value:
            return ""
        return long_date(dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value)

    app.jinja_env.filters["long_date"] = _long_date
    app.jinja_env.filters["measure_text"] = describe_measure
    def _sentence(text: str) -> str:
        """The library's words as a sentence: a capital first, except for "s.55", which keeps its small s."""
        if not text or text.startswith("s."):
            return text or ""
        return f"{text[:1].upper()}{text[1:]}"

    app.jinja_env.filters["sentence"] = _sentence
    app.jinja_env.filters["breakable"] = breakable
    from correspondence.process.clearance import local_day

    app.jinja_env.filters["local_day"] = local_day  # a moment stored in UTC, as the day it was in the UK
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["browser_name"] = browser_name


def local_time(moment: dt.datetime) -> str:
    """A moment stored in UTC as the day and time it was in the UK: "5 January 2026 at 09:14"."""
    local = in_the_uk(moment)
    return f"{long_date(local.date())} at {local:%H:%M}"


BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
            ("Safari/", "Safari"))
SYSTEMS = (("iPhone", "an iPhone"), ("iPad", "an iPad"), ("Android", "Android"), ("Windows", "Windows"),
           ("Macintosh", "a Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def browser_name(agent: str) -> str:
    """A browser's User-Agent as a person would name it ("Edge on Windows"); the full text is shown beside it."""
    browser = next((name for marker, name in BROWSERS if marker in (agent or "")), "A browser")
    system = next((name for marker, name in SYSTEMS if marker in (agent or "")), "")
    return f"{browser} on {system}" if system else browser


LONGEST_UNBROKEN = 30  # characters without a space before a value may break inside a word


def breakable(value: object) -> Any:
    """A typed value for a table cell, escaped, where a run of more than LONGEST_UNBROKEN
    characters without a space may break (``<wbr>``): 400 characters with no space widened the
    actions list to thousands of pixels. Ordinary words never break (CSS's overflow-wrap: anywhere
    on the cells broke "Submitted" in a narrow column)."""
    from markupsafe import Markup, escape

    def pieces(token: str) -> str:
        if len(token) <= LONGEST_UNBROKEN:
            return str(escape(token))
        return "<wbr>".join(str(escape(token[start:start + 20])) for start in range(0, len(token), 20))

    return Markup("".join(pieces(part) for part in re.split(r"(\s+)", "" if value is None else str(value))))
