"""Oversight meetings and their actions arising."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from correspondence.organisation.offices import get_force, get_office
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotFound, Step
from correspondence.records.models import Action, Letter, Meeting
from correspondence.records.record_numbers import record_number
from correspondence.records.vocabulary import ActionStatus


def add_meeting(session: Session, spec: Any) -> Meeting:
    office = get_office(session, spec.office)
    force = get_force(session, spec.force) if spec.force else office.force
    meeting = Meeting(
        office=office,
        force=force,
        title=spec.title,
        held_on=spec.held_on,
        themes="\n".join(spec.themes),
        correspondence_issues="\n".join(spec.correspondence_issues),
        other_issues="\n".join(spec.other_issues),
        actions=[
            Action(number=a.number, action=a.action, timing=a.timing, lead=a.lead, due_on=a.due) for a in spec.actions
        ],
    )
    session.add(meeting)
    session.flush()
    return meeting


def get_meeting(session: Session, meeting_id: int | str) -> Meeting:
    key = record_number(meeting_id, "meeting")
    meeting = session.scalar(
        select(Meeting).where(Meeting.id == key).options(selectinload(Meeting.actions), selectinload(Meeting.office))
    )
    if meeting is None:
        raise NotFound(f"no meeting {key}", steps=[Step("list_meetings", "see the meetings recorded")])
    return meeting


def list_meetings(session: Session, office: str | None = None) -> list[Meeting]:
    query = select(Meeting).options(selectinload(Meeting.actions), selectinload(Meeting.office), selectinload(Meeting.force))
    if office:
        query = query.where(Meeting.office_id == get_office(session, office).id)
    return list(session.scalars(query.order_by(Meeting.held_on.desc(), Meeting.id.desc())))


def meeting_letters(session: Session, meeting: Meeting) -> int:
    """How many letters refer to ``meeting`` (its follow-up letters), in one query."""
    return session.scalar(select(func.count()).select_from(Letter).where(Letter.meeting_id == meeting.id)) or 0


def may_delete(session: Session, meeting: Meeting) -> str | None:
    """Why ``meeting`` may not be deleted, or None if it may.

    The rule: a meeting stored by mistake (twice, or with the wrong details) may be deleted while
    nothing has been done from it: no letter refers to it, and none of its actions has been marked
    done or dropped. Its open actions go with it. The event log keeps every row removed.
    """
    letters = meeting_letters(session, meeting)
    if letters:
        return f"{letters} letter{'s' if letters != 1 else ''} refer{'s' if letters == 1 else ''} to it"
    progressed = [action for action in meeting.actions if action.status is not ActionStatus.OPEN]
    if progressed:
        numbers = ", ".join(str(action.number) for action in progressed)
        return f"its action{'s' if len(progressed) != 1 else ''} {numbers} {'have' if len(progressed) != 1 else 'has'} been marked done or dropped"
    return None


def delete_meeting(session: Session, meeting: Meeting) -> int:
    """Remove ``meeting`` with its open actions (see may_delete for when it is refused); the
    number of actions removed with it."""
    why = may_delete(session, meeting)
    if why is not None:
        raise InvalidInput(f"{meeting.title} of {long_date(meeting.held_on)} cannot be deleted: {why}")
    removed = len(meeting.actions)
    session.delete(meeting)
    session.flush()
    return removed
