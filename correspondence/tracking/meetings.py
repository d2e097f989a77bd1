"""Oversight meetings and their actions arising."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from correspondence.organisation.offices import get_force, get_office
from correspondence.records.errors import NotFound, Step
from correspondence.records.models import Action, Meeting
from correspondence.records.record_numbers import record_number


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
