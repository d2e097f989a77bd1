"""Each form acted on once: a double click, the browser's "resend" or a second tab posting the same
form again changes nothing the second time, and says so.

How it works:

- **Every form gets a token as it leaves the server.** An ``after_request`` step adds a hidden
  ``form_once`` input (a new random token) just inside every ``<form method="post">`` of an HTML
  page. This is done on the finished page rather than beside the CSRF token in the templates
  because the pages carry their CSRF token two ways (WTForms' ``form.csrf_token`` field and the
  ``csrf_token()`` global in hand-written forms, some of them in fragments), and a new form written
  either way, or with neither, is covered without anyone remembering to add the token. The pages
  are the workspace's own HTML, so the one pattern it looks for is the one they all use.
  Forms posted in place by htmx (an owner picker: ``hx-post``) are left without one: the same form
  is rightly sent again with another choice, and what it sets is the same however often it is sent.
- **The request that acts on it records it, in the same transaction as the change.** A POST that
  carries a token has it checked first (one read): a token already in ``form_posts`` is a form sent
  before, and the request goes back to its page with a notice, running nothing. Otherwise the token
  is inserted into ``form_posts`` just before the request's first change is committed (an ORM
  ``before_commit`` listener, so it holds for every change a view makes, whether it uses
  web/security.py's ``transaction`` or the library's ``in_one_transaction``). The token is the table's
  primary key, inserted with ON CONFLICT DO NOTHING: of two identical POSTs racing, on one process or
  two, only one inserts; the other's change is rolled back whole and it gets the same notice. A POST
  that changed nothing (a form with errors) records nothing, so sending it again after a failure
  (the database was busy) still works; the page that shows its errors carries new tokens anyway.
- **The table stays small.** Each insert first deletes the rows older than a day (KEEP).

A POST without a token (a script, or the test client) is handled as before.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, flash, g, has_request_context, redirect, request
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from correspondence.records.models import FormPost

FIELD = "form_once"
KEEP = dt.timedelta(days=1)
NOTICE = "That form was already sent; nothing was changed again."
TOKEN_LENGTH = FormPost.__table__.c.token.type.length
PATH_LENGTH = FormPost.__table__.c.path.type.length
_FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
_POSTED = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
_IN_PLACE = re.compile(r"\bhx-(post|put|patch|delete)\s*=", re.IGNORECASE)


class AlreadySent(Exception):
    """The form's token was recorded by another request first: this request's change is undone."""


def with_tokens(html: str) -> str:
    """``html`` with a new token inside each form posted by the page itself (not those htmx posts in place)."""

    def add(found: re.Match[str]) -> str:
        tag = found.group(0)
        if not _POSTED.search(tag) or _IN_PLACE.search(tag):
            return tag
        return f'{tag}<input type="hidden" name="{FIELD}" value="{secrets.token_urlsafe(24)}">'

    return _FORM.sub(add, html)


def posted_token() -> str | None:
    """The token the request's form carried, if it looks like one of ours."""
    token = (request.form.get(FIELD) or "").strip()
    return token if token and len(token) <= TOKEN_LENGTH and re.fullmatch(r"[A-Za-z0-9_-]+", token) else None


def record_token(session: Session, token: str, path: str, now: dt.datetime) -> bool:
    """Record ``token`` as posted; False if it was already (by this or any other process)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(delete(FormPost).where(FormPost.posted_at < now - KEEP))
    done = session.execute(insert(FormPost).values(token=token, posted_at=now, path=path[:PATH_LENGTH])
                           .on_conflict_do_nothing().returning(FormPost.token))
    return done.scalar() is not None  # (rowcount is -1 on PostgreSQL for an ORM insert: what came back says)


def already_posted(session: Session, token: str) -> bool:
    """Whether ``token`` is recorded (one read by primary key)."""
    return session.scalar(select(FormPost.token).where(FormPost.token == token)) is not None


def _before_commit(session: Session) -> None:
    """Record the request's token with its first change (see the module's docstring)."""
    if not has_request_context():
        return
    token = g.get("form_once")
    if token is None or g.get("form_once_recorded"):
        return
    if not record_token(session, token, request.path, dt.datetime.now(dt.UTC)):
        raise AlreadySent(token)
    g.form_once_pending_commit = True


def _after_commit(_session: Session) -> None:
    if has_request_context() and g.pop("form_once_pending_commit", False):
        g.form_once_recorded = True


def _after_rollback(_session: Session) -> None:
    if has_request_context():
        g.pop("form_once_pending_commit", None)


def _back() -> str:
    """Where the form was: the page it was sent from, if that is one of ours; else the workspace's home."""
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if referrer and parts.netloc == request.host and parts.path.startswith("/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def _answer_already_sent() -> Any:
    if request.headers.get("HX-Request"):
        return f'<p class="notice" role="status">{NOTICE}</p>', 409
    flash(NOTICE, "info")
    return redirect(_back(), code=303)


def init_app(app: Flask, reading: Any) -> None:
    """Register the steps on ``app``; ``reading`` is web/security.py's read-only session. Call after
    the session is found (the touch of a session's last-seen is not the request's change)."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", lambda session, _previous: _after_rollback(session))

    @app.before_request
    def _once() -> Any:
        if request.method != "POST" or request.endpoint == "static":
            return None
        token = posted_token()
        if token is None:
            return None
        with reading() as db:
            if already_posted(db, token):
                return _answer_already_sent()
        g.form_once = token
        return None

    @app.errorhandler(AlreadySent)
    def _raced(_error: AlreadySent) -> Any:
        g.pop("form_once", None)
        return _answer_already_sent()

    @app.after_request
    def _tokens(response: Any) -> Any:
        g.pop("form_once", None)  # the session's own save, after this, is not the request's change
        if (response.mimetype == "text/html" and not response.direct_passthrough and not response.is_streamed
                and response.status_code != 304):
            html = response.get_data(as_text=True)
            if "<form" in html or "<FORM" in html:
                response.set_data(with_tokens(html))
        return response
