"""The register: letters, the references issued and the counters they come from, each letter's
clearance steps, the annex requests sent with a letter, and the event log.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from correspondence.records.models.base import Base, utc_now, vocabulary
from correspondence.records.vocabulary import ClearanceStep, Direction, LetterKind, LetterStatus, UpdateStatus

if TYPE_CHECKING:  # the models they refer to live beside them; the mappers resolve the names at run time
    from correspondence.records.models.inspections import Inspection
    from correspondence.records.models.meetings import Meeting
    from correspondence.records.models.offices import Force, Office, User

# Indexes on an expression, made by the migrations only: SQLAlchemy cannot read them back from SQLite,
# so the check that the migrations build what the models describe leaves them out by name.
# ix_letters_reference_key: how letters.get_letter looks a reference up (case and spaces ignored).
EXPRESSION_INDEXES = ("ix_letters_reference_key",)


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
    # The post (schema 0015): a letter received is someone's to answer by a date, until it is answered;
    # a reply names the letter it answers and carries the sender's own reference ("Your ref").
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reply_by: Mapped[dt.date | None] = mapped_column(Date)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    in_reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"), index=True)
    their_reference: Mapped[str | None] = mapped_column(String(100))
    # A draft withdrawn by mistake or change of plan: kept, with who, when and why; its reference stays spent.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    office: Mapped[Office] = relationship()
    force: Mapped[Force | None] = relationship()
    inspection: Mapped[Inspection | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    supersedes: Mapped[Letter | None] = relationship(remote_side="Letter.id", foreign_keys=[supersedes_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    in_reply_to: Mapped[Letter | None] = relationship(remote_side="Letter.id", foreign_keys=[in_reply_to_id])

    @property
    def label(self) -> str:
        """How people name a letter: its reference, or #ID for one without (a letter received
        without a reference)."""
        return self.reference or f"#{self.id}"


class LetterClearance(Base):
    """A draft put up for approval, approved, or returned to its drafter with comments, by a user:
    always one exact version of its file (its SHA-256).

    An approval holds only while the letter's current version still has the approved SHA-256, so a
    new version after approval voids it (see clearance.py).
    """

    __tablename__ = "letter_clearances"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letters.id", ondelete="CASCADE"), index=True)
    step: Mapped[ClearanceStep] = mapped_column(vocabulary(ClearanceStep))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    file_sha256: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")  # why a letter was returned

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
