"""The web workspace's sessions, kept in the store, and the store's own settings (the key the
workspace signs its form tokens with).

A session is a row, so that ending it (logging out, a password changed, a user disabled, an admin's
"sign out everywhere") ends it for every server process at once: the cookie a browser holds carries
nothing but a random key, and only the key's SHA-256 is stored, so a copy of the database opens no
one's session. Both tables are written with plain statements, not through the event log: a session
or a setting is not a change to anyone's records.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from correspondence.records.models.base import Base, vocabulary
from correspondence.records.vocabulary import Vocabulary


class SessionEnd(Vocabulary):
    """Why a session ended."""

    LOGGED_OUT = "logged out"
    PASSWORD_CHANGED = "password changed"
    DISABLED = "disabled"
    SIGNED_OUT_EVERYWHERE = "signed out everywhere"
    IDLE = "idle"
    EXPIRED = "expired"


class WebSession(Base):
    """One logged-in session of the web workspace: whose, since when, last seen when (to the minute),
    from where and in what browser; ended when and why (None while it is open)."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the cookie's key, never the key
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_why: Mapped[SessionEnd | None] = mapped_column(vocabulary(SessionEnd))
    address: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300))
    # What a page keeps between requests (an uploaded report waiting to be confirmed), as JSON.
    data: Mapped[str] = mapped_column(Text, default="{}")


class StoreSetting(Base):
    """A setting of the store as a whole, by name: the workspace's signing key, made once on first
    use, so every server process on the store agrees on it without configuration."""

    __tablename__ = "store_settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
