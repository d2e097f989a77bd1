"""Where each s.55 response stands: its stage, the next step and its date (its timeline is timeline.py's).

One place works this out for both faces (the list of what is due, an inspection, the dashboard), from
the response record, its letters and their files (an approval voided by an edit is found here),
and the event log (who did each step).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.process.clearance import ClearanceState, clearance_states, local_day
from correspondence.process.responses import STAGES, chief_officer_title, s55_drafts
from correspondence.process.timeline import Step, timeline
from correspondence.records.dates import long_date
from correspondence.records.models import Inspection, Letter, Office, S55Response
from correspondence.records.store import jsonable
from correspondence.records.vocabulary import LetterKind, LetterStatus, ResponseStage
from correspondence.tracking.deadline import response_due

NOT_STARTED = "not started"


@dataclass
class Status:
    stage: str
    next_step: str
    next_on: dt.date | None  # None: now
    reply_by: dt.date | None = None
    notes: list[str] = field(default_factory=list)
    letter_id: int | None = None  # the letter the next step is about (to approve, send...), for a link to it


def status_of(session: Session, office: Office | None, inspection: Inspection, today: dt.date,
              response: S55Response | None = None, drafts: list[Letter] | None = None,
              states: dict[int, ClearanceState] | None = None) -> Status:
    """The stage of ``office``'s response and what to do next, by when. ``states`` are the drafts'
    clearance states where the caller has them already (due_responses reads every draft's at once)."""
    last_day = response_due(inspection.published_on)
    title = (chief_officer_title(office, inspection) if office else None) or "chief officer"
    if office is None:
        return Status(NOT_STARTED, "invite the chief officer's comments, naming the office that answers (none oversees this force)", None)
    stage = response.stage.value if response is not None else NOT_STARTED
    reply_by = response.reply_by if response is not None else None
    notes: list[str] = []
    invitation = response.invitation if response is not None else None
    if response is not None and response.published_on is not None:
        return Status(stage, "", None, reply_by)
    if invitation is None:
        if response is not None and response.stage is ResponseStage.INVITATION_DRAFTED:
            stage = NOT_STARTED  # its invitation was withdrawn or deleted: as though never drafted
        if response is not None and response.letter is not None:
            notes.append("the response was sent without an invitation to comment")
        return Status(stage, f"invite the {title}'s comments (s.55(4))", None, reply_by, notes)
    if invitation.status is LetterStatus.DRAFT:
        return Status(stage, f"send the invitation {invitation.label}", None, reply_by, letter_id=invitation.id)
    elif response is not None and response.comments is None and response.letter is None:
        assert reply_by is not None
        if today <= reply_by:
            return Status(stage, f"the {title}'s comments are due", reply_by, reply_by)
        if STAGES.index(response.stage) < STAGES.index(ResponseStage.CHASED):
            reminder = session.scalar(
                select(Letter).where(Letter.office_id == office.id, Letter.inspection_id == inspection.id,
                                     Letter.kind == LetterKind.REMINDER, Letter.status == LetterStatus.DRAFT).order_by(Letter.id.desc())
            )
            if reminder is not None:
                return Status(stage, f"send the reminder {reminder.label} (comments were due {long_date(reply_by)})", None, reply_by,
                              letter_id=reminder.id)
            return Status(stage, f"chase the {title}'s comments (due {long_date(reply_by)})", reply_by + dt.timedelta(days=1), reply_by)
        notes.append(f"the {title}'s comments have not come (due {long_date(reply_by)})")
    if response is not None and response.letter is not None:
        return Status(stage, "publish the response", last_day, reply_by, notes)
    drafts = drafts if drafts is not None else s55_drafts(session, office, inspection)
    if not drafts:
        return Status(stage, "draft the s.55 response", last_day, reply_by, notes)
    draft, state = _followed(session, drafts, states)
    about = draft.id
    if state.void:
        stage = f"{stage} (approval void)" if stage == ResponseStage.APPROVED.value else stage
        return Status(stage, f"{draft.label}: {state.describe()}", last_day, reply_by, notes, about)
    if state.holds:
        return Status(stage, f"send {draft.label} to the Home Secretary and HMICFRS", last_day, reply_by, notes, about)
    if state.awaiting:
        return Status(stage, f"approve {draft.label} ({state.describe()})", last_day, reply_by, notes, about)
    if state.returned_step is not None:
        stage = f"{stage} (returned)" if stage == ResponseStage.SUBMITTED.value else stage
        returned = f"returned by {state.returned_step.user.display_name} on {long_date(local_day(state.returned_step.occurred_at))}"
        if state.needs_new_version:
            return Status(stage, f"make a new version of {draft.label} and submit it again ({returned})", last_day, reply_by, notes, about)
        return Status(stage, f"submit the new version of {draft.label} for approval ({returned})", last_day, reply_by, notes, about)
    if office.require_approval:
        return Status(stage, f"submit {draft.label} for approval", last_day, reply_by, notes, about)
    return Status(stage, f"send {draft.label} (or submit it for approval)", last_day, reply_by, notes, about)


# --- the response as both faces show it ------------------------------------------------------------


def response_view(session: Session, response: S55Response, today: dt.date, steps: list[Step] | None = None) -> dict[str, Any]:
    """A response as both faces show it: stage, dates, next step and the timeline
    (timeline.timeline's, passed in as ``steps`` where the caller has it already)."""
    status = status_of(session, response.office, response.inspection, today, response)
    return {
        "id": response.id,
        "office": response.office.short_name,
        "inspection_id": response.inspection_id,
        "stage": status.stage,
        "reply_by": jsonable(response.reply_by),
        "last_day": jsonable(response_due(response.inspection.published_on)),
        "next_step": status.next_step,
        "next_on": jsonable(status.next_on),
        "notes": status.notes,
        "invitation": response.invitation.label if response.invitation else None,
        "comments": response.comments.label if response.comments else None,
        "letter": response.letter.label if response.letter else None,
        "copies": [{"to": copy.recipient, "sent_on": jsonable(copy.sent_on)} for copy in response.copies],
        "published_on": jsonable(response.published_on),
        "published_url": response.published_url,
        "timeline": [step.view() for step in (steps if steps is not None else
                                              timeline(session, response.office, response.inspection, today, response))],
    }


def _followed(session: Session, drafts: list[Letter], known: dict[int, ClearanceState] | None = None) -> tuple[Letter, Any]:
    """The draft the next step is about: the one furthest through clearance (approved, then
    submitted, then an approval voided by an edit, then one returned to its drafter), else the
    latest. A stray second draft must not take the next step away from the letter already awaiting
    approval."""
    if known is None or any(draft.id not in known for draft in drafts):
        known = clearance_states(session, drafts)
    states = [(draft, known[draft.id]) for draft in drafts]
    for wanted in (lambda state: state.holds, lambda state: state.awaiting, lambda state: state.void,
                   lambda state: state.returned):
        chosen = [pair for pair in states if wanted(pair[1])]
        if chosen:
            return chosen[-1]
    return states[-1]
