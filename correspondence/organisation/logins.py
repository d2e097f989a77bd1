"""Logging in to the web workspace, rate-limited.

Every attempt is recorded (login_attempts). After MAX_FAILURES_PER_NAME failed attempts on one
login name, or MAX_FAILURES_PER_ADDRESS from one address, within WINDOW, further attempts are
refused without checking the password until the window has passed. The same message answers a
wrong password and an unknown name, and an unknown name costs the same hashing time, so the
page does not tell anyone which names exist.

The limit holds under parallel guesses, from any number of server processes: an attempt is counted
and recorded as a failure in one transaction, under a lock on its name and on its address (on
PostgreSQL two transaction-scoped advisory locks; SQLite lets one writer in at a time), and that
transaction commits *before* the password is checked. Only a right password then turns the record
into a success. So the sixth of forty simultaneous guesses already sees five failures, and at most
MAX_FAILURES_PER_NAME passwords are ever checked per name per window (MAX_FAILURES_PER_ADDRESS per
address). Checked in parallel with real threads on two server processes by tests/test_lockout_parallel.py.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from correspondence.organisation.users import check_password
from correspondence.records.models import LoginAttempt, User
from correspondence.records.store import Store

MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20
WINDOW = dt.timedelta(minutes=15)
WRONG = "The user name or password is not right."
# The classes of PostgreSQL's two-key advisory locks an attempt takes: on its name, then on its address.
NAME_LOCK, ADDRESS_LOCK = 2201, 2202


@dataclass
class Login:
    """The user logged in, or why not (a message fit for the login page)."""

    user: User | None
    refusal: str = ""


def log_in(store: Store, name: str, password: str, address: str, now: dt.datetime) -> Login:
    """Check one attempt and record it. It returns rather than raises; every refusal is recorded.

    Two transactions: the first counts the recent failures and records this attempt as one, under
    the name's and the address's locks, and commits; only then is the password checked (argon2, a
    tenth of a second, outside any lock); a right one is marked a success in the second.
    """
    login = name.strip().lower()[:100]
    address = address[:64]
    with store.transaction() as session:
        _lock(session, login, address)
        waited = _locked_out_for(session, login, address, now)
        attempt = _record(session, login, address, now, succeeded=False)
        if waited:
            minutes = max(1, round(waited.total_seconds() / 60))
            return Login(None, f"Too many failed attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
        user = session.scalar(select(User).where(func.lower(User.name) == login)) if login else None
    if user is None:
        _spend_hashing_time(password)
        return Login(None, WRONG)
    if not check_password(user, password):
        return Login(None, WRONG)
    with store.transaction() as session:
        session.execute(update(LoginAttempt).where(LoginAttempt.id == attempt).values(succeeded=True))
    return Login(user)


def _lock(session: Session, login: str, address: str) -> None:
    """Let one attempt at a time count and record itself for this name, and for this address.

    On SQLite the transaction already holds the database's one write lock (BEGIN IMMEDIATE). On
    PostgreSQL, advisory locks held until the transaction ends, always the name's before the
    address's (so two attempts never wait for each other in a circle); a name or address that
    hashes like another only shares its queue, never its count.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for kind, value in ((NAME_LOCK, login), (ADDRESS_LOCK, address)):
        session.execute(text("SELECT pg_advisory_xact_lock(:kind, hashtext(:value))"), {"kind": kind, "value": value})


def _locked_out_for(session: Session, login: str, address: str, now: dt.datetime) -> dt.timedelta | None:
    """How long until the next attempt is allowed, or None when it is allowed now."""
    since = now - WINDOW
    for column, value, limit in ((LoginAttempt.name, login, MAX_FAILURES_PER_NAME), (LoginAttempt.address, address, MAX_FAILURES_PER_ADDRESS)):
        last_success = session.scalar(
            select(func.max(LoginAttempt.attempted_at)).where(column == value, LoginAttempt.succeeded.is_(True))
        )
        start = max(since, _aware(last_success)) if last_success else since
        failures = list(session.scalars(
            select(LoginAttempt.attempted_at)
            .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > start)
            .order_by(LoginAttempt.attempted_at.desc())
            .limit(limit)
        ))
        if len(failures) >= limit:
            return _aware(failures[-1]) + WINDOW - now
    return None


def _record(session: Session, login: str, address: str, now: dt.datetime, *, succeeded: bool) -> int:
    # A plain insert: attempts are not changes to anyone's records, so they stay out of the event log.
    result = session.execute(insert(LoginAttempt).values(name=login, address=address, attempted_at=now, succeeded=succeeded))
    return result.inserted_primary_key[0]


def _spend_hashing_time(password: str) -> None:
    from argon2 import PasswordHasher
    from argon2.exceptions import VerificationError

    try:
        PasswordHasher().verify(_dummy_hash(), password)
    except VerificationError:
        pass


@functools.cache
def _dummy_hash() -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash("no such user has this password")


def _aware(stamp: dt.datetime) -> dt.datetime:
    """SQLite hands back naive times; they were stored in UTC."""
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
