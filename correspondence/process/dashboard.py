"""What an office has on: the dashboard's figures, for one user ("mine") or the whole office.

Every figure comes from the functions the CLI uses (deadlines.due_responses, whose stage and next
step are stages.status_of's, as the list of what is due shows them; actions.list_actions, letters.list_letters,
owners.open_findings, approvals.awaiting_approval), filtered to the office; nothing here decides a rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from correspondence.process.approvals import Awaiting, awaiting_approval
from correspondence.process.due import Due, due_responses, urgency
from correspondence.records.models import Letter, Office, User
from correspondence.records.vocabulary import Direction, UserRole
from correspondence.register.letters import LetterFilter, list_letters
from correspondence.register.post import letters_to_answer
from correspondence.tracking.actions import ListedAction, list_actions
from correspondence.tracking.owners import OpenFinding, count_by_status_and_owner, open_findings, response_owners

RECENT_LETTERS = 8


@dataclass
class DueResponse:
    due: Due
    rag: str
    owner: User | None

    @property
    def stage(self) -> str:
        return self.due.stage

    @property
    def step(self) -> str:
        """The next step, in stages.status_of's words (the same as the list of what is due)."""
        return self.due.next_step

    @property
    def step_by(self) -> dt.date | None:
        """When the next step is due; None: now."""
        return self.due.next_on


@dataclass
class Dashboard:
    mine: bool
    responses: list[DueResponse]
    overdue_actions: list[ListedAction]
    received: list[Letter]
    findings: list[OpenFinding]  # the user's own when mine, else every open finding
    statuses: list[str]
    findings_by_owner: list[tuple[str, dict[str, int]]]
    awaiting: list[Awaiting]  # the letters awaiting this user's approval, the longest waiting first
    approver: bool  # whether the user approves letters at all (else the page has no such list)
    to_answer: list[ToAnswer] = field(default_factory=list)  # letters received, owned or due, not yet answered


@dataclass
class ToAnswer:
    """A letter received to answer, with its days left to its reply-by date coloured as responses are."""

    letter: Letter
    days_left: int | None  # None: no reply-by date

    @property
    def rag(self) -> str | None:
        return urgency(self.days_left) if self.days_left is not None else None


def dashboard(session: Session, office: Office, user: User, today: dt.date, *, mine: bool) -> Dashboard:
    due = due_responses(session, today, office=office.short_name)
    owners = response_owners(session, office, [item.inspection_id for item in due])
    responses = []
    for item in due:
        owner = owners.get(item.inspection_id)
        if mine and (owner is None or owner.id != user.id):
            continue
        responses.append(DueResponse(item, urgency(item.days_left), owner))
    findings = open_findings(session, office)
    statuses, by_owner = count_by_status_and_owner(findings)
    if mine:
        findings = [finding for finding in findings if finding.owner is not None and finding.owner.id == user.id]
    return Dashboard(
        mine=mine,
        responses=responses,
        overdue_actions=list_actions(session, today, office=office.short_name, overdue_only=True),
        received=list_letters(session, LetterFilter(office=office.short_name, direction=Direction.IN, limit=RECENT_LETTERS)),
        findings=findings,
        statuses=statuses,
        findings_by_owner=by_owner,
        awaiting=awaiting_approval(session, office, user),
        approver=user.role.includes(UserRole.APPROVER),
        to_answer=[ToAnswer(letter, (letter.reply_by - today).days if letter.reply_by else None)
                   for letter in letters_to_answer(session, office, user if mine else None)],
    )
