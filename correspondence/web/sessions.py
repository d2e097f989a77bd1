"""The session as Flask sees it: a cookie holding only a random key, the rest in the store.

The session cookie (``corr_session``) carries one thing: the key of a session row
(organisation/sessions.py), or, for a visitor not logged in, a key with no row (``a.`` and random
characters) that only seeds the login form's CSRF token. Nothing in it says who the user is or when
they logged in, so a copied cookie is worth nothing once its row has ended, on any server process.

- The CSRF token's secret (Flask-WTF keeps it in ``session["csrf_token"]``) is derived from the key
  with the signing key (an HMAC), so it is never stored and every process derives the same one.
- One-off messages (``flash``) travel in a cookie of their own (``corr_messages``), signed and
  dropped once shown, so the message after logging out still reaches the login page.
- Anything else a page keeps between requests (an uploaded report waiting to be confirmed) is kept
  in the session's row, written only when it changed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any

from flask import Flask, Request, Response, g, request
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import CallbackDict

ANONYMOUS = "a."  # a key with no row behind it: a visitor who has not logged in
KEY_PATTERN = re.compile(r"(a\.)?[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
CSRF = "csrf_token"  # where Flask-WTF looks for its secret
FLASHES = "_flashes"  # where Flask keeps one-off messages
MESSAGES_COOKIE = "corr_messages"
MESSAGES_LAST = 600  # seconds a one-off message waits to be shown
NOT_KEPT = frozenset({CSRF, FLASHES})  # derived, or carried by their own cookie


class KeySession(CallbackDict, SessionMixin):
    """The request's session: its key, the CSRF secret derived from it, messages to show, and
    what pages keep (``row_id`` set once the key is found to open a row)."""

    def __init__(self, key: str, secret: str, *, issued: bool, flashes: list | None) -> None:
        def changed(_self: Any) -> None:
            self.modified = True

        super().__init__({}, changed)
        self.secret = secret
        self.key = key
        self.issued = issued  # the browser must be sent this key
        self.had_messages = bool(flashes)
        self.row_id: int | None = None
        self.kept = "{}"  # what the row held when the request began
        dict.__setitem__(self, CSRF, _csrf_secret(secret, key))
        if flashes:
            dict.__setitem__(self, FLASHES, flashes)

    @property
    def anonymous(self) -> bool:
        return self.key.startswith(ANONYMOUS)

    def attach(self, row_id: int, data: str) -> None:
        """The key opens row ``row_id``; what pages kept in it comes back."""
        self.row_id, self.kept = row_id, data
        try:
            kept = json.loads(data or "{}")
        except ValueError:
            kept = {}
        for name, value in (kept if isinstance(kept, dict) else {}).items():
            if name not in NOT_KEPT:
                dict.__setitem__(self, name, value)

    def begin(self, key: str) -> None:
        """Carry ``key`` from now on (a login, a password changed): nothing of the old session but
        its messages is kept, and the CSRF secret changes with the key."""
        messages = self.get(FLASHES)
        dict.clear(self)
        self.key, self.issued, self.row_id, self.kept = key, True, None, "{}"
        dict.__setitem__(self, CSRF, _csrf_secret(self.secret, key))
        if messages:
            dict.__setitem__(self, FLASHES, messages)
        g.pop(CSRF, None)  # Flask-WTF caches this request's token
        self.modified = True

    def forget(self) -> None:
        """Back to a visitor not logged in, with a new key (logging out, a session that has ended)."""
        self.begin(new_key(anonymous=True))

    def to_keep(self) -> str:
        return json.dumps({name: value for name, value in self.items() if name not in NOT_KEPT}, sort_keys=True)


class StoreSessions(SessionInterface):
    """Flask's session interface over KeySession; ``keep`` writes a changed row (a callback, so that
    this module does not open the store itself)."""

    def __init__(self, keep: Any) -> None:
        self.keep = keep

    def open_session(self, app: Flask, request: Request) -> KeySession:
        key = request.cookies.get(self.get_cookie_name(app), "")
        issued = not KEY_PATTERN.fullmatch(key)
        if issued:
            key = new_key(anonymous=True)
        return KeySession(key, str(app.secret_key), issued=issued, flashes=self._messages(app, request))

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        assert isinstance(session, KeySession)
        if session.row_id is not None and not session.anonymous and session.to_keep() != session.kept:
            self.keep(session.row_id, session.to_keep())
        common = {"domain": self.get_cookie_domain(app), "path": self.get_cookie_path(app),
                  "secure": self.get_cookie_secure(app), "httponly": True, "samesite": self.get_cookie_samesite(app)}
        if session.issued and not (session.anonymous and request.endpoint == "static"):
            lasts = None if session.anonymous else int(app.permanent_session_lifetime.total_seconds())
            response.set_cookie(self.get_cookie_name(app), session.key, max_age=lasts, **common)
        messages = session.get(FLASHES)
        if messages:
            response.set_cookie(MESSAGES_COOKIE, _signer(app).dumps(messages), **common)
        elif session.had_messages:
            response.delete_cookie(MESSAGES_COOKIE, **{name: common[name] for name in ("domain", "path", "secure", "httponly", "samesite")})

    def _messages(self, app: Flask, request: Request) -> list | None:
        carried = request.cookies.get(MESSAGES_COOKIE)
        if not carried:
            return None
        try:
            messages = _signer(app).loads(carried, max_age=MESSAGES_LAST)
        except (BadSignature, ValueError, TypeError):
            return None
        return [list(pair) for pair in messages if isinstance(pair, list) and len(pair) == 2] if isinstance(messages, list) else None


def new_key(*, anonymous: bool = False) -> str:
    key = secrets.token_urlsafe(32)
    return ANONYMOUS + key if anonymous else key


def _csrf_secret(secret: str, key: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + key.encode(), hashlib.sha256).hexdigest()


def _signer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(str(app.secret_key), salt="corr-messages")
