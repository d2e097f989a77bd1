"""The store's tables, as SQLAlchemy 2.0 typed declarative models.

The schema itself is owned by the Alembic migrations in db/; these classes must match them
(tests/test_migrations.py compares the two so they cannot drift apart).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from correspondence.vocabulary import (
    ActionStatus,
    AreaKind,
    ClearanceStep,
    Direction,
    Grade,
    LetterKind,
    LetterStatus,
    ResponseStage,
    UpdateStatus,
    UserRole,
    Vocabulary,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


DEFAULT_CHIEF_OFFICER_TITLE = "Chief Constable"  # every force but the Met, whose head is its Commissioner

# Rates such as 89.5 and confidence half-widths such as 1.64 are kept as exact decimals.
Percent = Numeric(6, 2)


def vocabulary(enum_class: type[Vocabulary]) -> Enum:
    """Store an enum as its readable value in a plain string column, portable to any database."""
    return Enum(
        enum_class,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        validate_strings=True,
        length=32,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


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
    require_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The folder holding the office's letter files (absolute); letters' file_path is relative to it,
    # so the folder can move. Empty: the default letters folder (see letter_files.letters_folder).
    letters_dir: Mapped[str | None] = mapped_column(String(1000))

    force: Mapped[Force | None] = relationship()
    addresses: Mapped[list[OfficeAddress]] = relationship(  # oldest first: one open at the start comes first
        back_populates="office", cascade="all, delete-orphan",
        order_by=lambda: (OfficeAddress.starts_on.asc().nulls_first(), OfficeAddress.id),
    )


class Inspection(Base):
    """An HMICFRS report. force_id is empty for a national or thematic report on no single force."""

    __tablename__ = "inspections"
    __table_args__ = (UniqueConstraint("force_id", "programme", "published_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"))
    programme: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    published_on: Mapped[dt.date] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(String(1000))
    overall_grade: Mapped[Grade | None] = mapped_column(vocabulary(Grade))

    force: Mapped[Force | None] = relationship(back_populates="inspections")
    judgments: Mapped[list[Judgment]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Judgment.position"
    )
    measures: Mapped[list[Measure]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Measure.position"
    )
    areas: Mapped[list[ImprovementArea]] = relationship(
        back_populates="inspection",
        cascade="all, delete-orphan",
        order_by="ImprovementArea.id",  # causes of concern, recommendations, then areas for improvement
    )


class Judgment(Base):
    """One graded question or area of an inspection."""

    __tablename__ = "judgments"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(String(500))
    grade: Mapped[Grade | None] = mapped_column(vocabulary(Grade))  # empty: "not graded" or "ungraded"

    inspection: Mapped[Inspection] = relationship(back_populates="judgments")


class Measure(Base):
    """A figure a report gives: a rate with its confidence interval, a count, an estimate."""

    __tablename__ = "measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(500))
    rate: Mapped[Decimal | None] = mapped_column(Percent)
    ci_half_width: Mapped[Decimal | None] = mapped_column(Percent)
    numerator: Mapped[int | None] = mapped_column(Integer)
    denominator: Mapped[int | None] = mapped_column(Integer)
    estimate_per_year: Mapped[int | None] = mapped_column(Integer)
    estimate_label: Mapped[str | None] = mapped_column(String(500))
    national_average: Mapped[Decimal | None] = mapped_column(Percent)

    inspection: Mapped[Inspection] = relationship(back_populates="measures")


class ImprovementArea(Base):
    """A cause of concern, recommendation or area for improvement, numbered within its kind."""

    __tablename__ = "improvement_areas"
    __table_args__ = (UniqueConstraint("inspection_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    kind: Mapped[AreaKind] = mapped_column(vocabulary(AreaKind))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    timescale: Mapped[str | None] = mapped_column(String(200))

    inspection: Mapped[Inspection] = relationship(back_populates="areas")
    updates: Mapped[list[ForceUpdate]] = relationship(
        back_populates="area", cascade="all, delete-orphan", order_by="(ForceUpdate.received_on, ForceUpdate.id)"
    )
    answers: Mapped[list[OfficeAnswer]] = relationship(
        back_populates="area", cascade="all, delete-orphan", order_by="(OfficeAnswer.answered_on, OfficeAnswer.id)"
    )

    @property
    def code(self) -> str:
        """Short label used in annexes and commands: C1, R2, A3."""
        return {"cause of concern": "C", "recommendation": "R", "area for improvement": "A"}[self.kind.value] + str(
            self.number
        )

    @property
    def current_updates(self) -> list[ForceUpdate]:
        """The updates that stand: every one but those retracted as mistakes."""
        return [update for update in self.updates if update.retracted_at is None]

    @property
    def latest_update(self) -> ForceUpdate | None:
        """The latest update that stands; a retracted one is never quoted."""
        standing = self.current_updates
        return standing[-1] if standing else None


class ForceUpdate(Base):
    """What the force says it has done on one area, as of a date. Kept as a full history.

    A mistaken update is retracted, not deleted: it stays in the history with who retracted it,
    when and why, and is left out of letters and of the latest update.
    """

    __tablename__ = "force_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("improvement_areas.id", ondelete="CASCADE"), index=True)
    status: Mapped[UpdateStatus] = mapped_column(vocabulary(UpdateStatus))
    text: Mapped[str] = mapped_column(Text)
    received_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=utc_now)
    # The annex request this update answered, when it came back in one.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("annex_requests.id", ondelete="SET NULL"))
    retracted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    retracted_by: Mapped[str | None] = mapped_column(String(200))
    retraction_reason: Mapped[str | None] = mapped_column(Text)

    area: Mapped[ImprovementArea] = relationship(back_populates="updates")


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


class IssuedReference(Base):
    """The ledger of every reference an office has used.

    Rows are never deleted (a trigger refuses it), so a reference stays spent even after the
    draft that used it is deleted. reference_key is the case- and space-folded form that the
    uniqueness rule compares.
    """

    __tablename__ = "issued_references"
    __table_args__ = (UniqueConstraint("office_id", "reference_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    reference: Mapped[str] = mapped_column(String(100))
    reference_key: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ReferenceCounter(Base):
    """The last running number an office's reference scheme used, per scope (a year, or all time).

    Numbers are taken with an UPDATE ... RETURNING inside the drafting transaction, so the row
    lock makes two people drafting at once wait for each other instead of sharing a number.
    """

    __tablename__ = "reference_counters"
    __table_args__ = (UniqueConstraint("office_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    scope: Mapped[str] = mapped_column(String(20))
    last_value: Mapped[int] = mapped_column(Integer)


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"))
    title: Mapped[str] = mapped_column(String(500))
    held_on: Mapped[dt.date] = mapped_column(Date)
    themes: Mapped[str] = mapped_column(Text, default="")  # one per line, as are the two below
    correspondence_issues: Mapped[str] = mapped_column(Text, default="", server_default="")
    other_issues: Mapped[str] = mapped_column(Text, default="", server_default="")

    office: Mapped[Office] = relationship()
    force: Mapped[Force | None] = relationship()
    actions: Mapped[list[Action]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Action.number"
    )

    @property
    def chief_officer_title(self) -> str:
        """The title of the chief officer the follow-up goes to."""
        return self.force.chief_officer_title if self.force else DEFAULT_CHIEF_OFFICER_TITLE


class Action(Base):
    """One row of a meeting's annex: No., Action, Timing, Lead."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(Text)
    timing: Mapped[str] = mapped_column(String(200), default="")
    lead: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[ActionStatus] = mapped_column(vocabulary(ActionStatus), default=ActionStatus.OPEN)
    due_on: Mapped[dt.date | None] = mapped_column(Date)

    meeting: Mapped[Meeting] = relationship(back_populates="actions")


# Indexes on an expression, made by the migrations only: SQLAlchemy cannot read them back from SQLite,
# so the check that the migrations build what the models describe leaves them out by name.
# ix_letters_reference_key: how letters.get_letter looks a reference up (case and spaces ignored).
EXPRESSION_INDEXES = ("ix_letters_reference_key",)


class Letter(Base):
    __tablename__ = "letters"
    __table_args__ = (
        Index("ix_letters_office_date", "office_id", "letter_date"),
        Index("ix_letters_office_direction_date", "office_id", "direction", "letter_date"),  # the dashboard's letters received
        Index("ix_letters_reference", "reference"),
        Index("ix_letters_inspection", "inspection_id"),
        Index("ix_letters_meeting", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    reference: Mapped[str | None] = mapped_column(String(100))
    direction: Mapped[Direction] = mapped_column(vocabulary(Direction))
    letter_date: Mapped[dt.date] = mapped_column(Date)
    sender: Mapped[str] = mapped_column(String(200), default="")
    addressee_name: Mapped[str] = mapped_column(String(200), default="")
    addressee_role: Mapped[str] = mapped_column(String(200), default="")
    addressee_address: Mapped[str] = mapped_column(Text, default="")
    cc: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[LetterKind] = mapped_column(vocabulary(LetterKind), default=LetterKind.OTHER)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("forces.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    status: Mapped[LetterStatus] = mapped_column(vocabulary(LetterStatus))
    file_path: Mapped[str | None] = mapped_column(String(1000))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    body_text: Mapped[str] = mapped_column(Text, default="", server_default="")  # for full-text search
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    office: Mapped[Office] = relationship()
    force: Mapped[Force | None] = relationship()
    inspection: Mapped[Inspection | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    supersedes: Mapped[Letter | None] = relationship(remote_side="Letter.id")


class Event(Base):
    """The append-only log of every change; written by store.py, never updated or deleted."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(100))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class User(Base):
    """Someone in an office who uses the tool, with what they may do (see vocabulary.UserRole).

    ``name`` is the login name, unique across the store because one login page serves every office.
    ``password_hash`` is empty for a user who has only ever used the command line (identity from
    --as or CORR_USER); the web workspace needs it set.
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


class ResponseOwner(Base):
    """Who in an office owns its s.55 response to an inspection (one owner per office and inspection).

    Per office, because a national report is answered by every office: each assigns its own owner.
    """

    __tablename__ = "response_owners"
    __table_args__ = (UniqueConstraint("office_id", "inspection_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_on: Mapped[dt.date] = mapped_column(Date)

    user: Mapped[User] = relationship()
    inspection: Mapped[Inspection] = relationship()


class FindingOwner(Base):
    """Who in an office follows up one finding (cause of concern, recommendation, area for improvement).

    The force's lead for the finding is another matter: it is text in the force's updates.
    """

    __tablename__ = "finding_owners"
    __table_args__ = (UniqueConstraint("office_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    area_id: Mapped[int] = mapped_column(ForeignKey("improvement_areas.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_on: Mapped[dt.date] = mapped_column(Date)

    user: Mapped[User] = relationship()
    area: Mapped[ImprovementArea] = relationship()


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


class OfficeAnswer(Base):
    """The office's own answer to a finding: what the policing body has done or will do, or why
    it will take no action (s.55(5B)). Added, never edited; letters quote the latest."""

    __tablename__ = "office_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("improvement_areas.id", ondelete="CASCADE"), index=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    text: Mapped[str] = mapped_column(Text, default="")  # the answer, or with no_action the reason why
    no_action: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    area: Mapped[ImprovementArea] = relationship(back_populates="answers")
    office: Mapped[Office] = relationship()


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

    office: Mapped[Office] = relationship()


class S55Response(Base):
    """One office's section 55 response to one inspection: its stage and the letters of each step.

    The invitation to comment (s.55(4)) sets ``reply_by``; the chief officer's comments arrive as
    a received letter; the office's letter is cleared, sent with its copies (s.55(6)) and
    published (s.55(5)), which alone meets the 56-day deadline. Every change is in the event log.
    """

    __tablename__ = "s55_responses"
    __table_args__ = (UniqueConstraint("office_id", "inspection_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    stage: Mapped[ResponseStage] = mapped_column(vocabulary(ResponseStage))
    reply_by: Mapped[dt.date | None] = mapped_column(Date)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"))
    comments_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"))  # the s.55 letter sent
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    published_url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    office: Mapped[Office] = relationship()
    inspection: Mapped[Inspection] = relationship()
    invitation: Mapped[Letter | None] = relationship(foreign_keys=[invitation_id])
    comments: Mapped[Letter | None] = relationship(foreign_keys=[comments_id])
    letter: Mapped[Letter | None] = relationship(foreign_keys=[letter_id])
    copies: Mapped[list[ResponseCopy]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="ResponseCopy.id"
    )


class ResponseCopy(Base):
    """A copy of the s.55 letter sent to the Home Secretary or HMICFRS (s.55(6)), with its date."""

    __tablename__ = "s55_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("s55_responses.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id"))
    recipient: Mapped[str] = mapped_column(String(200))
    sent_on: Mapped[dt.date] = mapped_column(Date)

    response: Mapped[S55Response] = relationship(back_populates="copies")
    letter: Mapped[Letter] = relationship()


class LetterClearance(Base):
    """A draft put up for approval, or approved, by a user: always one exact file (its SHA-256).

    An approval holds only while the letter's file still has the approved SHA-256, so an edit
    after approval voids it (see clearance.py).
    """

    __tablename__ = "letter_clearances"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    step: Mapped[ClearanceStep] = mapped_column(vocabulary(ClearanceStep))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    file_sha256: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    letter: Mapped[Letter] = relationship()
    user: Mapped[User] = relationship()


class AnnexRequest(Base):
    """One findings table sent to the force (a Word annex or letter, or a CSV file), with what it
    pre-filled, so a returned row left as it was sent is not taken for a new update."""

    __tablename__ = "annex_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id", ondelete="SET NULL"), index=True)
    form: Mapped[str] = mapped_column(String(10))  # docx or csv
    made_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    rows: Mapped[list[AnnexRequestRow]] = relationship(back_populates="request", cascade="all, delete-orphan")
    letter: Mapped[Letter | None] = relationship()  # set instead of letter_id when both are written in one flush


class AnnexRequestRow(Base):
    """What one row of an annex request said when it went out (empty when awaiting an update)."""

    __tablename__ = "annex_request_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("annex_requests.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("improvement_areas.id", ondelete="CASCADE"))
    update_id: Mapped[int | None] = mapped_column(ForeignKey("force_updates.id", ondelete="SET NULL"))
    status: Mapped[UpdateStatus | None] = mapped_column(vocabulary(UpdateStatus))
    text: Mapped[str] = mapped_column(Text, default="")

    request: Mapped[AnnexRequest] = relationship(back_populates="rows")
