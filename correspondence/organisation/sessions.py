"""The web workspace's sessions, kept in the store: started at login, checked on every request,
ended by logging out, a password change, a user disabled or "sign out everywhere".

Why in the store: a session in a signed cookie cannot be ended, so a cookie copied before logging
out went on opening the workspace until it expired, and each server process had its own key. Here
the cookie carries only a random key (256 bits); the row holds its SHA-256, whose user, and the
times the limits are judged by. Ending a row ends the session on every process at once, because
every request reads it (one indexed query, which also loads the user and their office).

Last-seen is written at most once a minute (TOUCH_EVERY), so a busy page costs no write; the idle
limit is therefore judged to within a minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from correspondence.records.dates import as_utc
from correspondence.records.models import Office, SessionEnd, StoreSetting, User, WebSession
from correspondence.records.numbering import insert_unless_there

IDLE = dt.timedelta(minutes=30)  # a session unused this long ends
LONGEST = dt.timedelta(hours=10)  # and none lasts longer than a working day
TOUCH_EVERY = dt.timedelta(minutes=1)  # last-seen is written no more often than this
KEEP = dt.timedelta(days=90)  # rows of sessions unused this long are removed (at a login)
KEY_BYTES = 32
SIGNING_KEY = "signing key"
AGENT_LENGTH = WebSession.__table__.c.user_agent.type.length
ADDRESS_LENGTH = WebSession.__table__.c.address.type.length


@dataclass(frozen=True)
class Found:
    """A session's row as a request needs it, with its user and the user's office (plain copies)."""

    id: int
    user: User
    office: Office
    created_at: dt.datetime
    last_seen_at: dt.datetime
    ended_at: dt.datetime | None
    ended_why: SessionEnd | None
    data: str  # what pages keep between requests, as JSON


@dataclass(frozen=True)
class Listed:
    """A session as the account page lists it."""

    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    address: str
    user_agent: str


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def start_session(session: Session, user: User, address: str, user_agent: str, now: dt.datetime) -> str:
    """A new session for ``user``; the key the cookie will carry (never stored itself). Rows of
    sessions nobody has used for KEEP are removed here, so the table holds about 90 days of logins."""
    key = secrets.token_urlsafe(KEY_BYTES)
    session.execute(delete(WebSession).where(WebSession.last_seen_at < now - KEEP))
    session.execute(insert(WebSession).values(
        key_hash=key_hash(key), user_id=user.id, office_id=user.office_id, created_at=now, last_seen_at=now,
        address=(address or "")[:ADDRESS_LENGTH], user_agent=_printable(user_agent)[:AGENT_LENGTH], data="{}",
    ))
    return key


def find_session(session: Session, key: str) -> Found | None:
    """The session ``key`` opens, whether open or ended (None: no such session). One query."""
    row = session.execute(
        select(WebSession.id, WebSession.created_at, WebSession.last_seen_at, WebSession.ended_at, WebSession.ended_why,
               WebSession.data, User, Office)
        .join(User, User.id == WebSession.user_id)
        .join(Office, Office.id == User.office_id)
        .where(WebSession.key_hash == key_hash(key))
    ).first()
    if row is None:
        return None
    return Found(row.id, row.User, row.Office, as_utc(row.created_at), as_utc(row.last_seen_at),
                 as_utc(row.ended_at) if row.ended_at else None, row.ended_why, row.data)


def why_over(found: Found, now: dt.datetime, idle: dt.timedelta = IDLE, longest: dt.timedelta = LONGEST) -> SessionEnd | None:
    """Why ``found`` may no longer be used (None: it may): its user disabled, unused for ``idle``,
    or older than ``longest``. An ended session is over for the reason it ended with."""
    if found.ended_at is not None:
        return found.ended_why or SessionEnd.LOGGED_OUT
    if not found.user.active or not found.user.password_hash:
        return SessionEnd.DISABLED
    if now - found.created_at > longest:
        return SessionEnd.EXPIRED
    if now - found.last_seen_at > idle:
        return SessionEnd.IDLE
    return None


def needs_touch(found: Found, now: dt.datetime) -> bool:
    """Whether last-seen is old enough to be written again (at most once a TOUCH_EVERY)."""
    return now - found.last_seen_at >= TOUCH_EVERY


def touch(session: Session, session_id: int, now: dt.datetime) -> None:
    """Write last-seen; a session ended meanwhile (on another process) stays ended."""
    session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.ended_at.is_(None))
                    .values(last_seen_at=now))


def keep_data(session: Session, session_id: int, data: str) -> None:
    """Keep what a page put in the session (JSON), unless the session has ended meanwhile."""
    session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.ended_at.is_(None)).values(data=data))


def end_session(session: Session, session_id: int, why: SessionEnd, now: dt.datetime) -> None:
    """End one session (if it is still open), saying why."""
    session.execute(update(WebSession).where(WebSession.id == session_id, WebSession.ended_at.is_(None))
                    .values(ended_at=now, ended_why=why))


def end_user_sessions(session: Session, user_id: int, why: SessionEnd, now: dt.datetime, *, keep: int | None = None) -> int:
    """End every open session of the user (but ``keep``, the one asking); how many were ended."""
    conditions = [WebSession.user_id == user_id, WebSession.ended_at.is_(None)]
    if keep is not None:
        conditions.append(WebSession.id != keep)
    return session.execute(update(WebSession).where(*conditions).values(ended_at=now, ended_why=why)).rowcount or 0


def live_sessions(session: Session, user_id: int, now: dt.datetime, idle: dt.timedelta = IDLE,
                  longest: dt.timedelta = LONGEST) -> list[Listed]:
    """The user's sessions still in use (not ended, within both limits), the most recently seen first."""
    rows = session.execute(
        select(WebSession.id, WebSession.created_at, WebSession.last_seen_at, WebSession.address, WebSession.user_agent)
        .where(WebSession.user_id == user_id, *_live(now, idle, longest))
        .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())
    )
    return [Listed(row.id, as_utc(row.created_at), as_utc(row.last_seen_at), row.address, row.user_agent) for row in rows]


def live_counts(session: Session, office_id: int, now: dt.datetime, idle: dt.timedelta = IDLE,
                longest: dt.timedelta = LONGEST) -> dict[int, int]:
    """How many sessions each of the office's users has in use, in one query (users with none are absent)."""
    rows = session.execute(
        select(WebSession.user_id, func.count())
        .join(User, User.id == WebSession.user_id)
        .where(User.office_id == office_id, *_live(now, idle, longest))
        .group_by(WebSession.user_id)
    )
    return {user_id: count for user_id, count in rows}


def signing_key(session: Session) -> str:
    """The store's signing key for the workspace (form tokens, one-off messages), made on first use.

    Two processes starting at once may both try to make it: the insert that loses is ignored (ON
    CONFLICT DO NOTHING) and both read the one that won, so every process agrees on one key.
    """
    found = session.scalar(select(StoreSetting.value).where(StoreSetting.name == SIGNING_KEY))
    if found:
        return found
    insert_unless_there(session, StoreSetting, {"name": SIGNING_KEY, "value": secrets.token_hex(32)})
    return session.scalar(select(StoreSetting.value).where(StoreSetting.name == SIGNING_KEY))


def _live(now: dt.datetime, idle: dt.timedelta, longest: dt.timedelta) -> list:
    return [WebSession.ended_at.is_(None), WebSession.last_seen_at >= now - idle, WebSession.created_at >= now - longest]


def _printable(text: str) -> str:
    return "".join(character for character in (text or "") if character.isprintable())
