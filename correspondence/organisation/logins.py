"""Logging in to the web workspace, rate-limited.

Every attempt is recorded (login_attempts). After MAX_FAILURES_PER_NAME failed attempts on one
login name, or MAX_FAILURES_PER_ADDRESS from one address, within WINDOW, further attempts are
refused without checking the password until the window has passed. The same message answers a
wrong password and an unknown name, and an unknown name costs the same hashing time, so the
page does not tell anyone which names exist.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from correspondence.organisation.users import check_password
from correspondence.records.models import LoginAttempt, User

MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20
WINDOW = dt.timedelta(minutes=15)
WRONG = "The user name or password is not right."


@dataclass
class Login:
    """The user logged in, or why not (a message fit for the login page)."""

    user: User | None
    refusal: str = ""


def log_in(session: Session, name: str, password: str, address: str, now: dt.datetime) -> Login:
    """Check one attempt and record it. It returns rather than raises, so that the caller's
    transaction commits the record of a failed attempt too."""
    login = name.strip().lower()[:100]
    address = address[:64]
    waited = _locked_out_for(session, login, address, now)
    if waited:
        _record(session, login, address, now, succeeded=False)
        minutes = max(1, round(waited.total_seconds() / 60))
        return Login(None, f"Too many failed attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.")
    user = session.scalar(select(User).where(func.lower(User.name) == login)) if login else None
    if user is None:
        _spend_hashing_time(password)
        ok = False
    else:
        ok = check_password(user, password)
    _record(session, login, address, now, succeeded=ok)
    return Login(user) if ok else Login(None, WRONG)


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


def _record(session: Session, login: str, address: str, now: dt.datetime, *, succeeded: bool) -> None:
    # A plain insert: attempts are not changes to anyone's records, so they stay out of the event log.
    session.execute(insert(LoginAttempt).values(name=login, address=address, attempted_at=now, succeeded=succeeded))


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
