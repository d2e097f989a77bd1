"""The organisation: forces, offices with their addresses, templates, mail settings and standard lines,
role holders, and the users who sign in.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from correspondence.records.models.base import DEFAULT_CHIEF_OFFICER_TITLE, Base, utc_now, vocabulary
from correspondence.records.vocabulary import UserRole

if TYPE_CHECKING:  # the models they refer to live beside them; the mappers resolve the names at run time
    from correspondence.records.models.inspections import Inspection


class Force(Base):
    __tablename__ = "forces"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    chief_officer_title: Mapped[str] = mapped_column(String(100), default=DEFAULT_CHIEF_OFFICER_TITLE)

    inspections: Mapped[list[Inspection]] = relationship(back_populates="force")


class Office(Base):
    """A local policing body: a PCC's office, or MOPAC in London."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(50), unique=True)
    address: Mapped[str] = mapped_column(Text, default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    reference_scheme: Mapped[str] = mapped_column(String(200), default="{seq}")
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"))
    date_format: Mapped[str] = mapped_column(String(50), default="%-d %B %Y", server_default="%-d %B %Y")
    letterhead: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The s.55 process: the reply-by date an invitation sets by default (days after the report's
    # publication), and whether every letter must be approved by a second person before it is sent.
    reply_by_days: Mapped[int] = mapped_column(Integer, default=21, server_default="21")
    require_approval: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # on for a new office (0015)
    # A folder of the office's own (absolute) that each new file version is also copied into, for
    # offices that want files on their shared drive; empty: none. The store holds the files either way.
    letters_dir: Mapped[str | None] = mapped_column(String(1000))

    force: Mapped[Force | None] = relationship()
    addresses: Mapped[list[OfficeAddress]] = relationship(  # oldest first: one open at the start comes first
        back_populates="office", cascade="all, delete-orphan",
        order_by=lambda: (OfficeAddress.starts_on.asc().nulls_first(), OfficeAddress.id),
    )


class OfficeAddress(Base):
    """An office's letterhead address between two dates (either may be open), so a letter dated
    2018 carries the address the office had in 2018. Office.address is used on dates none covers."""

    __tablename__ = "office_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    address: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)

    office: Mapped[Office] = relationship(back_populates="addresses")


class OfficeTemplate(Base):
    """An office's own Word template for one kind of letter, used for its drafts instead of the shipped one.

    The file itself is kept in the store (base64), so it travels with backups and exports and every
    machine drafting for the office uses the same one; the event log records its SHA-256, not its bytes.
    """

    __tablename__ = "office_templates"
    __table_args__ = (UniqueConstraint("office_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(20))  # response, followup or annex
    file_name: Mapped[str] = mapped_column(String(300))
    file_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text, info={"secret": True})  # base64 of the .docx; logged as "(set)"
    uploaded_on: Mapped[dt.date] = mapped_column(Date)

    office: Mapped[Office] = relationship()


class MailSettings(Base):
    """How an office sends e-mail (the morning reminders): its SMTP server and sender address.

    The password, if the server needs one, is never stored: it comes from CORR_SMTP_PASSWORD.
    """

    __tablename__ = "mail_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), unique=True)
    host: Mapped[str] = mapped_column(String(200))
    port: Mapped[int] = mapped_column(Integer, default=25)
    security: Mapped[str] = mapped_column(String(20), default="none")  # none, starttls or ssl
    username: Mapped[str] = mapped_column(String(200), default="")
    sender: Mapped[str] = mapped_column(String(320))


class StandardLine(Base):
    """Approved wording an office reuses: a named paragraph, with placeholders such as {force},
    that a comments file includes as [[name]]."""

    __tablename__ = "standard_lines"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # Retired lines are kept (letters drafted with them still say where their words came from) but no
    # longer offered or filled in; the name stays taken.
    retired_on: Mapped[dt.date | None] = mapped_column(Date)

    office: Mapped[Office] = relationship()


class RoleHolder(Base):
    """Who held a role (Home Secretary, Commissioner...) between two dates.

    office_id is empty for national roles shipped with the tool; an office adds its own.
    """

    __tablename__ = "role_holders"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    role: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="", server_default="")  # as held: "Acting Commissioner"
    salutation: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)

    office: Mapped[Office | None] = relationship()


class User(Base):
    """Someone in an office who uses the tool, with what they may do (see vocabulary.UserRole).

    ``name`` is the login name, unique across the store because one login page serves every office.
    ``password_hash`` is empty for a user who has only ever used the command line (who says who
    they are, or sets CORR_USER); the web workspace needs it set.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[UserRole] = mapped_column(vocabulary(UserRole))
    password_hash: Mapped[str | None] = mapped_column(String(500), info={"secret": True})  # never logged
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # Whether they want the morning e-mail of what is theirs and due (corr remind); needs an e-mail.
    morning_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    office: Mapped[Office] = relationship()

    @property
    def display_name(self) -> str:
        """How pages, letters and messages name them: their full name, or their login name if they have none."""
        return self.full_name or self.name


class LoginAttempt(Base):
    """One try at logging in to the web workspace, for rate limiting and for the record.

    Written with plain inserts, not through the event log: an attempt is not a change to anyone's records.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_name", "name", "attempted_at"),
        Index("ix_login_attempts_address", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    succeeded: Mapped[bool] = mapped_column(Boolean)


class SetupLink(Base):
    """The one-time link the server prints when it starts on an empty store: whoever opens it on the machine sets
    up the first office, its force and its first admin. Only the token's SHA-256 is kept; the row is
    spent (used_at) by the setup it allowed, so the link works once."""

    __tablename__ = "setup_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class FormPost(Base):
    """A form the workspace handed out, once it has been posted: the token each form carries is
    written here by the request that acts on it, so a second identical POST (a double click, the
    browser's "resend") finds it and changes nothing. Shared by every server process; rows older
    than a day are cleared as new ones come."""

    __tablename__ = "form_posts"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    posted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    path: Mapped[str] = mapped_column(String(500), default="")
