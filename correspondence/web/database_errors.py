"""A database's refusal that no page caught, as a page in plain words.

Pages that change something catch the library's refusals and show them in the form's error summary;
a refusal from the database (records/database_errors.py) is one of them, already one plain sentence
and already logged in full. This module catches the rest: a DatabaseProblem raised where a page
expected none (reading a page while the database is out of reach), and any SQLAlchemy error that
escaped the store without becoming one. Either way the page says what happened in one sentence and
never shows the database's URL, its SQL state, a constraint's name or SQL; the server's log has
those, with the traceback, under the reference the page gives.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from correspondence.records.database_errors import DatabaseProblem, unexpected
from correspondence.web.wording import said

log = logging.getLogger("correspondence.web")
TITLE = "The database did not answer"


def init_app(app: Flask) -> None:
    """Register the two handlers on ``app`` (the app factory calls this once)."""

    @app.errorhandler(DatabaseProblem)
    def _problem(error: DatabaseProblem) -> Any:
        return render_template("error.html", status=503, title=TITLE, message=said(error)), 503

    @app.errorhandler(SQLAlchemyError)
    def _escaped(error: SQLAlchemyError) -> Any:
        # Outside the store's transaction, so whether anything was saved is not known: not said.
        log.error("%s %s failed in the database", request.method, request.path)
        problem = unexpected(error, database=app.config["STORE"].display_url, writing=None)
        return render_template("error.html", status=500, title=TITLE, message=said(problem)), 500
