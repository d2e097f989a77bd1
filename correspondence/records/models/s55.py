"""Each office's s.55 response to an inspection: its stage, letters, copies sent, and who owns it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from correspondence.records.models.base import Base, utc_now, vocabulary
from correspondence.records.vocabulary import ResponseStage

if TYPE_CHECKING:  # the models they refer to live beside them; the mappers resolve the names at run time
    from correspondence.records.models.inspections import Inspection
    from correspondence.records.models.letters import Letter
    from correspondence.records.models.offices import Office, User


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
