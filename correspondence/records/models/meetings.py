"""Oversight meetings and the actions agreed at them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from correspondence.records.models.base import DEFAULT_CHIEF_OFFICER_TITLE, Base, vocabulary
from correspondence.records.vocabulary import ActionStatus

if TYPE_CHECKING:  # the models they refer to live beside them; the mappers resolve the names at run time
    from correspondence.records.models.offices import Force, Office


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
