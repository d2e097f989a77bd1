"""Actions arising from meetings: adding, updating, and what is open or overdue.

An action is named by its meeting and number, ``3:12`` for action 12 of meeting 3, as the annex
of the follow-up letter numbers them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from correspondence.organisation.offices import get_office
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotFound, named
from correspondence.records.models import Action, Meeting
from correspondence.records.numbering import lock_parent
from correspondence.records.vocabulary import ActionStatus
from correspondence.tracking.meetings import get_meeting

_ACTION = re.compile(r"^#?(\d+)\s*[:/]\s*(\d+)$")


def find_action(session: Session, name: str) -> Action:
    match = _ACTION.match(name.strip())
    if not match:
        raise InvalidInput(f"action {name!r}: write it as MEETING:NUMBER, e.g. 1:5")
    meeting = get_meeting(session, match.group(1))
    number = int(match.group(2))
    for action in meeting.actions:
        if action.number == number:
            return action
    raise NotFound(f"meeting {meeting.id} has no action {number} (it has {len(meeting.actions)})")


def add_action(session: Session, meeting: Meeting, *, text: str, timing: str = "", lead: str = "",
               due_on: dt.date | None = None, number: int | None = None) -> Action:
    """The meeting's next action (or ``number``). Two people adding actions to one meeting at once both
    succeed, numbered one after the other: the meeting's row is locked while the number is taken, and
    the numbers are read afresh after the lock (records/numbering.py)."""
    text = text.strip()
    if not text:
        raise InvalidInput("the action must say something", field="action")
    lock_parent(session, Meeting, meeting.id)
    taken = set(session.scalars(select(Action.number).where(Action.meeting_id == meeting.id)))
    number = number if number is not None else max(taken, default=0) + 1
    if number < 1:
        raise InvalidInput(f"{named('number')} must be 1 or more", value=number)
    if number in taken:
        raise InvalidInput(f"meeting {meeting.id} already has an action {number}")
    _check_due(meeting, due_on)
    action = Action(number=number, action=text, timing=timing.strip(), lead=lead.strip(), due_on=due_on)
    meeting.actions.append(action)
    session.flush()
    return action


def update_action(session: Session, action: Action, *, status: ActionStatus | None = None, due_on: dt.date | None = None,
                  timing: str | None = None, lead: str | None = None) -> list[str]:
    _check_due(action.meeting, due_on)
    changed = []
    for field, value in (("status", status), ("due_on", due_on), ("timing", timing), ("lead", lead)):
        if value is not None and getattr(action, field) != value:
            setattr(action, field, value)
            changed.append(field.replace("_on", ""))
    session.flush()
    return changed


def _check_due(meeting: Meeting, due_on: dt.date | None) -> None:
    """An action arises at its meeting, so it cannot fall due before it (a mistyped year)."""
    if due_on is not None and due_on < meeting.held_on:
        raise InvalidInput(f"{long_date(due_on)} is before the meeting, held on {long_date(meeting.held_on)}", field="due_on")


@dataclass
class ListedAction:
    action: Action
    overdue: bool

    @classmethod
    def as_of(cls, action: Action, today: dt.date) -> ListedAction:
        """The action with whether it is overdue on ``today``: open and past its due date."""
        return cls(action, action.status is ActionStatus.OPEN and action.due_on is not None and action.due_on < today)

    @property
    def meeting(self) -> Meeting:
        return self.action.meeting


def list_actions(session: Session, today: dt.date, *, office: str | None = None, status: ActionStatus | None = None,
                 overdue_only: bool = False, meeting_id: int | str | None = None) -> list[ListedAction]:
    """Actions, overdue first, then by due date, then by meeting and number."""
    query = select(Action).join(Action.meeting).options(selectinload(Action.meeting).selectinload(Meeting.office))
    if office:
        query = query.where(Meeting.office_id == get_office(session, office).id)
    if meeting_id is not None:
        query = query.where(Meeting.id == get_meeting(session, meeting_id).id)
    if status:
        query = query.where(Action.status == status)
    if overdue_only:
        query = query.where(Action.status == ActionStatus.OPEN, Action.due_on < today)
    listed = [ListedAction.as_of(action, today) for action in session.scalars(query)]
    return sorted(listed, key=lambda item: (not item.overdue, item.action.due_on or dt.date.max, item.meeting.held_on, item.action.number))


def open_actions_before(session: Session, meeting: Meeting) -> list[Action]:
    """Open actions from the office's earlier meetings: the next follow-up carries them forward."""
    query = (
        select(Action)
        .join(Action.meeting)
        .where(Meeting.office_id == meeting.office_id, Meeting.held_on < meeting.held_on, Meeting.id != meeting.id,
               Action.status == ActionStatus.OPEN)
        .options(selectinload(Action.meeting))
        .order_by(Meeting.held_on, Action.number)
    )
    return list(session.scalars(query))
