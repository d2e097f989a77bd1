"""The approver's side of clearance: the letters awaiting one's approval, and a letter's clearance
history (who submitted, returned and approved which version, and when).

``awaiting_approval`` answers in one query however many letters the office has, for the dashboard;
it asks what ``clearance.may_approve`` asks of one letter (an approver of the office, a letter
submitted and awaiting approval, and a second person where the office requires one), in SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, joinedload

from correspondence.process.clearance import local_day, short_sha256, version_names
from correspondence.records.models import Event, Letter, LetterClearance, Office, User
from correspondence.records.vocabulary import ClearanceStep, Direction, LetterStatus, UserRole


@dataclass
class Awaiting:
    """A letter submitted and awaiting approval, with its submission."""

    letter: Letter
    submission: LetterClearance

    @property
    def submitted_by(self) -> User:
        return self.submission.user

    @property
    def submitted_at(self) -> dt.datetime:
        return self.submission.occurred_at

    @property
    def submitted_on(self) -> dt.date:
        return local_day(self.submission.occurred_at)


def awaiting_approval(session: Session, office: Office, user: User) -> list[Awaiting]:
    """The office's letters submitted and awaiting approval that ``user`` may approve, the longest
    waiting first. Nothing for a user who may not approve (a viewer or drafter, a disabled user, or
    another office's); where the office requires a second person, not the letters they drafted or
    submitted."""
    if not user.active or user.office_id != office.id or not user.role.includes(UserRole.APPROVER):
        return []
    latest = (
        select(LetterClearance.letter_id, func.max(LetterClearance.id).label("step_id"))
        .join(Letter, Letter.id == LetterClearance.letter_id)
        .where(Letter.office_id == office.id, Letter.status == LetterStatus.DRAFT)
        .group_by(LetterClearance.letter_id)
        .subquery()
    )
    query = (
        select(Letter, LetterClearance)
        .join(latest, latest.c.letter_id == Letter.id)
        .join(LetterClearance, LetterClearance.id == latest.c.step_id)
        .options(joinedload(LetterClearance.user))
        .where(Letter.office_id == office.id, Letter.direction == Direction.OUT, Letter.status == LetterStatus.DRAFT,
               LetterClearance.step == ClearanceStep.SUBMITTED)
        .order_by(LetterClearance.occurred_at, LetterClearance.id)
    )
    if office.require_approval:  # as clearance.approve refuses: not the one who submitted it, nor who drafted it
        drafted = exists().where(Event.entity == "letters", Event.entity_id == Letter.id, Event.change == "create",
                                 func.lower(Event.actor) == user.name)
        query = query.where(LetterClearance.user_id != user.id, ~drafted)
    return [Awaiting(letter, step) for letter, step in session.execute(query)]


@dataclass
class Cleared:
    """One step of a letter's clearance: who took it, when, of which version, with any comments."""

    step: ClearanceStep
    by: User
    at: dt.datetime
    sha256: str
    version: str  # "version 2", or the start of its SHA-256 where the store has no numbered versions
    comment: str = ""

    @property
    def on(self) -> dt.date:
        return local_day(self.at)

    @property
    def what(self) -> str:
        return {ClearanceStep.SUBMITTED: "submitted for approval", ClearanceStep.RETURNED: "returned to the drafter",
                ClearanceStep.APPROVED: "approved"}[self.step]


def history(session: Session, letter: Letter) -> list[Cleared]:
    """Every clearance step of ``letter``, in order: each submission, return and approval, with its
    author, date, comments and the version it was of."""
    names = version_names(session, letter)
    steps = session.scalars(
        select(LetterClearance).options(joinedload(LetterClearance.user))
        .where(LetterClearance.letter_id == letter.id).order_by(LetterClearance.id)
    )
    return [Cleared(step.step, step.user, step.occurred_at, step.file_sha256, names.get(step.file_sha256) or short_sha256(step.file_sha256),
                    step.comment or "")
            for step in steps]
