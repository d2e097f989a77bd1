"""The office's shared workspace in the browser: a thin face over the library, like the CLI.

``create_app`` builds the Flask application (Flask's application-factory pattern); ``corr serve``
runs it under waitress. Each page calls the library functions the CLI calls; permissions are
decided by users.authorise and users.authorise_record, never here. Each request runs as its
logged-in user (store.acting_as), so the event log records who made every change.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask

from correspondence.files.documents import MAX_BYTES
from correspondence.organisation.sessions import IDLE, LONGEST
from correspondence.records.store import Store

SECRET_VARIABLE = "CORR_SECRET_KEY"


def create_app(store: Store, *, secure_cookies: bool = False, settings: dict[str, Any] | None = None) -> Flask:
    """The workspace on ``store``. Every file it hands out or takes in is kept in the store
    (files/versions.py); an office's mirror folder, if it names one, gets copies."""
    from correspondence.web import (
        admin,
        auth,
        clearance,
        corrections,
        database_errors,
        figures,
        findings,
        home,
        inspections,
        letter_files,
        meetings,
        post,
        previews,
        process,
        register,
        security,
        uploads,
        withdrawal,
    )

    del clearance, corrections, figures, findings, letter_files, post, previews, process, uploads, withdrawal  # imported for their routes, which join the register's and inspections' blueprints
    from correspondence.web import settings_page  # noqa: F401 - its routes join the admin blueprint, so imported before it is registered

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=(settings or {}).get("SECRET_KEY") or os.environ.get(SECRET_VARIABLE) or _store_key(store),
        MAX_CONTENT_LENGTH=MAX_BYTES + 1024 * 1024,  # the largest document the importers read, plus the form
        SESSION_COOKIE_NAME="corr_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=LONGEST,  # no session lasts longer than a working day
        IDLE_TIMEOUT=IDLE,  # and one unused for 30 minutes ends
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which expires itself
        STORE=store,
        UPLOAD_DIR=_upload_folder(),
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.config.update(settings or {})
    security.init_app(app)
    database_errors.init_app(app)
    for module in (auth, home, inspections, register, meetings, admin):
        app.register_blueprint(module.blueprint)
    from correspondence.web import setup as first_setup  # the one-time setup link on an empty store

    app.register_blueprint(first_setup.blueprint)
    return app


def _store_key(store: Store) -> str:
    """The signing key kept in the store, made there on first use: every server process on one store
    signs and checks form tokens alike with no CORR_SECRET_KEY to set (organisation/sessions.py)."""
    from correspondence.organisation.sessions import signing_key

    with store.transaction() as session:
        return signing_key(session)


def _upload_folder() -> Path:
    """Where uploaded reports wait between their preview and being stored; removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix="corr-uploads-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
