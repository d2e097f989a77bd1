"""An inspection as HMICFRS published it (judgments, measures, its causes of concern, recommendations
and areas for improvement), the force's updates and the office's answers to each, and who owns a
finding.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, case, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from correspondence.records.models.base import Base, Percent, utc_now, vocabulary
from correspondence.records.vocabulary import AreaKind, FindingFor, Grade, UpdateStatus

if TYPE_CHECKING:  # the models they refer to live beside them; the mappers resolve the names at run time
    from correspondence.records.models.offices import Force, Office, User


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
        # causes of concern, recommendations, then areas for improvement, each by number (one added
        # or renumbered later takes its place: tracking/corrections.py)
        order_by=lambda: (case({kind: place for place, kind in enumerate(AreaKind)}, value=ImprovementArea.kind,
                               else_=len(AreaKind)), ImprovementArea.number),
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
    # A letter quotes a figure only in words a person confirmed (``phrase``, e.g. "the crime-recording
    # rate"), only when it is for the report's own period (``period`` names an earlier one the
    # importer saw), and only when the office chose it for letters (``quoted``).
    phrase: Mapped[str | None] = mapped_column(String(500))
    period: Mapped[str | None] = mapped_column(String(100))
    quoted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

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
    # Whom the finding asks to act; with OTHER, ``for_name`` names the body.
    for_whom: Mapped[FindingFor] = mapped_column(vocabulary(FindingFor), default=FindingFor.FORCE,
                                                 server_default=FindingFor.FORCE.value)
    for_name: Mapped[str | None] = mapped_column(String(200))

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

    def update_on(self, day: dt.date | None) -> ForceUpdate | None:
        """The latest standing update received on or before ``day`` (None: the latest of all).

        A letter quotes what the force had said by the letter's date: one dated in the past must
        not quote an update that came after it."""
        if day is None:
            return self.latest_update
        standing = [update for update in self.current_updates if update.received_on <= day]
        return standing[-1] if standing else None


class ForceUpdate(Base):
    """The force's own account of what it has done on one area, as of a date. Kept as a full history.

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


class InspectionCorrection(Base):
    """One correction to what an inspection's report was read to say: a finding, a graded judgment or
    a figure added, corrected or removed, with who, when and why, and the wording before and after.

    The inspection's own timeline shows them; a letter drafted before the latest correction is
    flagged as made before it (a sent letter is never changed: it records what it said).
    """

    __tablename__ = "inspection_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    actor: Mapped[str] = mapped_column(String(200))  # as the event log names them
    subject: Mapped[str] = mapped_column(String(20))  # finding, judgment or figure
    change: Mapped[str] = mapped_column(String(20))  # added, corrected or removed
    label: Mapped[str] = mapped_column(String(300))  # "Recommendation 8", "Figure 2", "Judgment: Investigating crime"
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")

    inspection: Mapped[Inspection] = relationship()
