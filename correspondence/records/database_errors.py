"""The database's refusals in plain words, its own words kept for the log.

When the database refuses something the library did not foresee (a constraint, a lost connection, a
disk that is full), the user sees one plain sentence and the log gets everything: the database's
message, the SQL state, the constraint and the traceback. No page or command line ever shows a
database's URL, SQL state, constraint name or SQL: they mean nothing to the person who typed the
letter, and they tell an attacker how the store is built.

A ``DatabaseProblem`` is a CorrespondenceError, so every face already shows it as it shows any
refusal. Its ``refusal`` names no database (any face may show it: the workspace shows nothing
else). ``naming_database`` is the same problem as said to the person who chose the database: the
command line, where the user chose the database (as an option, in the environment or in the settings
file), says which database is busy or cannot be opened (its password hidden), and who holds it up on
PostgreSQL. An unexpected refusal names no database in either face.

Each unexpected refusal is logged (logger ``correspondence.database``, with the traceback) under a
short reference and the time, both of which the sentence gives, so whoever runs the workspace can
find it in the server's log (the command line keeps its own, see cli/logs.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from correspondence.records.errors import CorrespondenceError

log = logging.getLogger("correspondence.database")


class DatabaseProblem(CorrespondenceError):
    """The database could not do what was asked: ``refusal`` in plain words for any face,
    ``naming_database`` (the same, naming the database) for the face whose user chose it."""

    def __init__(self, refusal: str = "", *, naming_database: str | None = None, **kwargs: Any) -> None:
        super().__init__(refusal, **kwargs)
        self.naming_database = naming_database or refusal


def unexpected(error: BaseException, *, database: str, writing: bool | None, maybe_saved: bool = False) -> DatabaseProblem:
    """An unforeseen refusal from ``database`` (its URL, password hidden: for the log only) as one
    plain sentence, logged in full. ``writing``: True, it ended a transaction, whose changes were
    all rolled back, so nothing was saved, unless ``maybe_saved`` (the connection was lost while
    committing, when nobody can tell); False, it was only reading; None, nobody knows which (an
    error that escaped the store), so the sentence says nothing about what was saved."""
    when = dt.datetime.now(dt.timezone.utc)
    reference = secrets.token_hex(3)
    original = getattr(error, "orig", None)
    log.error("database refusal %s at %s on %s (SQL state %s): %s", reference, f"{when:%Y-%m-%d %H:%M:%S} UTC", database,
              getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None) or "none",
              original or error, exc_info=error)
    logged = f"the details are logged at {when:%H:%M:%S} UTC on {when:%d %B %Y} under {reference}"
    if maybe_saved:
        said = ("the connection to the database was lost while this change was being saved, so it may or may not have "
                "been saved: look before you try again, and if it happens again tell whoever runs the workspace")
    elif writing:
        said = "the database refused this change, so nothing was saved; try again, and if it happens again tell whoever runs the workspace"
    elif writing is None:
        said = "the database could not do this just now; try again, and if it happens again tell whoever runs the workspace"
    else:
        said = "the database could not be read just now; try again, and if it happens again tell whoever runs the workspace"
    return DatabaseProblem(f"{said} ({logged})")


def busy(naming_database: str) -> DatabaseProblem:
    """A writer that waited its time for another writer and gave up: nothing was saved."""
    log.warning("%s", naming_database)
    return DatabaseProblem("the database is busy with someone else's change, so nothing was saved; try again in a moment",
                           naming_database=naming_database)


def cannot_open(naming_database: str) -> DatabaseProblem:
    """A database that cannot be reached or opened at all."""
    log.warning("%s", naming_database)
    return DatabaseProblem("the database cannot be reached just now; try again in a moment, and if it goes on tell whoever runs the workspace",
                           naming_database=naming_database)
