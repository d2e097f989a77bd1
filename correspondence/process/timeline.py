"""One office's response to an inspection, as one timeline: every dated step once, in date order,
each with who took it (from the event log).

The report's publication, the force's updates as they were recorded, the response's owner, every
letter about the inspection (the invitation to comment and its reminder, the chief officer's
comments, the s.55 response, its submission, return with comments and approval, its copies to the Home Secretary and
HMICFRS with their dates), the publication of the response and the statutory last day. ``corr
inspection show`` (stages.response_view) and the web's inspection page both show this list.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from correspondence.process.clearance import clearance_state, local_day
from correspondence.records.dates import as_utc, long_date
from correspondence.records.models import (
    Event,
    FileVersion,
    ForceUpdate,
    ImprovementArea,
    Inspection,
    Letter,
    LetterClearance,
    Office,
    ResponseOwner,
    S55Response,
    User,
)
from correspondence.records.vocabulary import ClearanceStep, Direction, FilePurpose, LetterKind, LetterStatus
from correspondence.tracking.corrections import corrections_of
from correspondence.tracking.deadline import response_due
from correspondence.tracking.inspections import get_response

# Within one day, steps come in the order they happen.
REPORT, UPDATES, OWNER, DRAFTED, RECEIVED, CLEARANCE, SENT, PUBLISHED, DEADLINE = range(9)


@dataclass
class Step:
    on: dt.date
    what: str
    by: str = ""  # who took it, as the event log names them; empty where nobody did (the deadline)
    order: int = DRAFTED
    letter_id: int | None = None  # the letter the step is about, for a link to it
    at: dt.datetime | None = None  # when exactly, for steps of one day in the order they were taken (clearance, versions)
    sort: str = ""  # a sort of step of its own ("correction"), where the order does not say it

    @property
    def kind(self) -> str:
        """What sort of step, for the page's styling: report, update, owner, letter, published, deadline or correction."""
        if self.sort:
            return self.sort
        return {REPORT: "report", UPDATES: "update", OWNER: "owner", PUBLISHED: "published", DEADLINE: "deadline"}.get(self.order, "letter")

    def view(self) -> dict[str, Any]:
        return {"date": self.on.isoformat(), "what": self.what, "by": self.by}


_KIND_NAMES = {
    LetterKind.INVITATION: "invitation to comment",
    LetterKind.REMINDER: "reminder",
    LetterKind.S55_RESPONSE: "s.55 response",
    LetterKind.OTHER: "letter",
}


def timeline(session: Session, office: Office, inspection: Inspection, today: dt.date,
             response: S55Response | None = None) -> list[Step]:
    """Every step of ``office``'s response to ``inspection`` so far, and its last day, in date order."""
    if response is None:

        response = get_response(session, office, inspection)
    steps = [Step(inspection.published_on, "HMICFRS published the report", _created_by(session, "inspections", inspection.id), REPORT)]
    steps += _updates(session, inspection)
    steps += _owner(session, office, inspection)
    steps += _letters(session, office, inspection, response)
    steps += _corrections(session, inspection)
    if response is not None and response.published_on is not None:
        where = f" at {response.published_url}" if response.published_url else ""
        steps.append(Step(response.published_on, f"response published{where}", _published_by(session, response), PUBLISHED))
    last_day = response_due(inspection.published_on)
    passed = " (passed)" if last_day < today and (response is None or response.published_on is None) else ""
    steps.append(Step(last_day, f"last day to publish the s.55 comments{passed}", "", DEADLINE))
    return sorted(steps, key=lambda step: (step.on, step.order, _utc(step.at)))


def with_full_names(session: Session, steps: list[Step]) -> list[Step]:
    """``steps`` with each ``by`` (a login name, as the event log keeps it) as that user's full name,
    for a page: one query for them all, however many steps; a user with no full name keeps their login name."""
    names = {step.by for step in steps if step.by}
    if not names:
        return steps
    full = {name: full_name for name, full_name in session.execute(
        select(User.name, User.full_name).where(User.name.in_(sorted(names)))) if full_name}
    for step in steps:
        step.by = full.get(step.by, step.by)
    return steps


def _updates(session: Session, inspection: Inspection) -> list[Step]:
    received = Counter(session.scalars(
        select(ForceUpdate.received_on).join(ImprovementArea).where(ImprovementArea.inspection_id == inspection.id)
    ))
    return [Step(on, f"{count} update{'s' if count != 1 else ''} from the force recorded", "", UPDATES)
            for on, count in sorted(received.items())]


def _owner(session: Session, office: Office, inspection: Inspection) -> list[Step]:
    owner = session.scalar(select(ResponseOwner).where(ResponseOwner.office_id == office.id, ResponseOwner.inspection_id == inspection.id))
    if owner is None:
        return []
    by = _last_actor(session, "response_owners", owner.id)
    return [Step(owner.assigned_on, f"response assigned to {owner.user.display_name}", by, OWNER)]


def _letters(session: Session, office: Office, inspection: Inspection, response: S55Response | None) -> list[Step]:
    """Each letter drafted or received, submitted, approved and sent; the s.55 response's copies."""

    letters = list(session.scalars(
        select(Letter).where(Letter.office_id == office.id, Letter.inspection_id == inspection.id).order_by(Letter.letter_date, Letter.id)
    ))
    created, sent_by = _letter_actors(session, [letter.id for letter in letters])
    cleared, versions = _clearances_and_versions(session, [letter.id for letter in letters])
    copies = list(response.copies) if response is not None else []
    copied = {copy.letter_id for copy in copies}
    steps: list[Step] = []
    for letter in letters:
        label, by = letter.label, created.get(letter.id, "")
        if letter.direction is Direction.IN:
            steps.append(Step(letter.letter_date, _received(letter), by, RECEIVED, letter.id))
            continue
        name = _KIND_NAMES.get(letter.kind, letter.kind.label)
        reply_by = response is not None and letter.id == response.invitation_id and response.reply_by
        extra = f"; reply by {long_date(response.reply_by)}" if reply_by else ""  # type: ignore[union-attr]
        if letter.status is LetterStatus.WITHDRAWN and letter.created_at is not None:  # on the day it was made: its date may be the slip
            steps.append(Step(_day(letter.created_at), f"{name} {label}, dated {long_date(letter.letter_date)}, drafted to {_to(letter)}",
                              by, DRAFTED, letter.id, letter.created_at))
        else:
            steps.append(Step(letter.letter_date, f"{name} {label} drafted to {_to(letter)}{extra}", by, DRAFTED, letter.id, letter.created_at))
        for version in versions.get(letter.id, []):
            why = f": {version.why}" if version.why else ""
            steps.append(Step(_day(version.added_at), f"{name} {label}: version {version.number} added{why}", version.added_by,
                              CLEARANCE, letter.id, version.added_at))
        for clearance in cleared.get(letter.id, []):
            steps.append(Step(_day(clearance.occurred_at), f"{name} {label} {_CLEARED[clearance.step]}{_comment(clearance)}",
                              clearance.user.name, CLEARANCE, letter.id, clearance.occurred_at))
        if letter.status is LetterStatus.DRAFT and letter.kind is LetterKind.S55_RESPONSE:
            state = clearance_state(session, letter)
            if state.void:
                steps.append(Step(_day(state.approved.occurred_at), f"{name} {label}: {state.describe()}", "",  # type: ignore[union-attr]
                                  CLEARANCE, letter.id))
        if letter.status is LetterStatus.WITHDRAWN and letter.withdrawn_at is not None:  # kept, with why (register/withdrawal.py)
            who = session.scalar(select(User.full_name).where(User.name == letter.withdrawn_by).limit(1)) if letter.withdrawn_by else ""
            steps.append(Step(_day(letter.withdrawn_at), f"{name} {label} withdrawn: {letter.withdrawn_reason}",
                              who or letter.withdrawn_by or "", CLEARANCE, letter.id, letter.withdrawn_at))
        if letter.status is LetterStatus.SENT and letter.sent_on and letter.id not in copied:
            steps.append(Step(letter.sent_on, f"{name} {label} sent", sent_by.get(letter.id, ""), SENT, letter.id))
    for copy in copies:
        recipient = "the Home Secretary" if copy.recipient == "Home Secretary" else copy.recipient
        steps.append(Step(copy.sent_on, f"s.55 response {copy.letter.label} sent to {recipient}", sent_by.get(copy.letter_id, ""),
                          SENT, copy.letter_id))
    return steps


_CLEARED = {
    ClearanceStep.SUBMITTED: "submitted for approval",
    ClearanceStep.APPROVED: "approved",
    ClearanceStep.RETURNED: "returned to the drafter",
}


def _clearances_and_versions(session: Session, ids: list[int]) -> tuple[dict[int, list[LetterClearance]], dict[int, list[FileVersion]]]:
    """Each letter's clearance steps, and its versions after the first (each one a step: who added
    it and why), in two queries for all the letters."""
    cleared: dict[int, list[LetterClearance]] = {}
    versions: dict[int, list[FileVersion]] = {}
    if not ids:
        return cleared, versions
    query = select(LetterClearance).where(LetterClearance.letter_id.in_(ids)).options(selectinload(LetterClearance.user))
    for clearance in session.scalars(query.order_by(LetterClearance.id)):
        cleared.setdefault(clearance.letter_id, []).append(clearance)
    later = select(FileVersion).where(FileVersion.letter_id.in_(ids), FileVersion.purpose == FilePurpose.LETTER, FileVersion.number > 1)
    for version in session.scalars(later.order_by(FileVersion.number)):
        versions.setdefault(version.letter_id, []).append(version)
    return cleared, versions


def _utc(moment: dt.datetime | None) -> dt.datetime:
    """A moment comparable with any other (SQLite hands back naive UTC); none sorts first."""
    if moment is None:
        return dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    return as_utc(moment)


def _comment(clearance: LetterClearance) -> str:
    """A return's comments, as the timeline quotes them."""
    return f": {clearance.comment}" if clearance.comment else ""


def _corrections(session: Session, inspection: Inspection) -> list[Step]:
    """Each finding, judgment or figure added, corrected or removed, with who and why (by their full name)."""
    made = corrections_of(session, inspection)
    names = dict(session.execute(select(User.name, User.full_name).where(User.name.in_({c.actor for c in made}))).all()) if made else {}
    return [Step(_day(correction.occurred_at), f"{correction.label} {correction.change}: {correction.why}",
                 names.get(correction.actor) or correction.actor, DRAFTED, at=correction.occurred_at, sort="correction")
            for correction in made]


def _received(letter: Letter) -> str:
    if letter.kind is LetterKind.COMMENTS:
        return f"chief officer's comments {letter.label} received" + (f" from {letter.sender}" if letter.sender else "")
    return f"received {letter.reference or f'letter #{letter.id}'}: {letter.subject or letter.kind.label}"


def _letter_actors(session: Session, ids: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """Who created each letter's record, and who marked it sent."""
    created: dict[int, str] = {}
    sent: dict[int, str] = {}
    if not ids:
        return created, sent
    for event in session.scalars(select(Event).where(Event.entity == "letters", Event.entity_id.in_(ids)).order_by(Event.id)):
        if event.change == "create":
            created.setdefault(event.entity_id, event.actor)
        elif event.change == "update" and (event.data.get("status") or [None, None])[1] == LetterStatus.SENT.value:
            sent[event.entity_id] = event.actor
    return created, sent


def _created_by(session: Session, entity: str, entity_id: int) -> str:
    return session.scalar(select(Event.actor).where(Event.entity == entity, Event.entity_id == entity_id, Event.change == "create")
                          .order_by(Event.id).limit(1)) or ""


def _last_actor(session: Session, entity: str, entity_id: int) -> str:
    return session.scalar(select(Event.actor).where(Event.entity == entity, Event.entity_id == entity_id)
                          .order_by(Event.id.desc()).limit(1)) or ""


def _published_by(session: Session, response: S55Response) -> str:
    for event in session.scalars(
        select(Event).where(Event.entity == "s55_responses", Event.entity_id == response.id).order_by(Event.id.desc())
    ):
        if "published_on" in event.data:
            return event.actor
    return ""


def _to(letter: Letter) -> str:
    return ", ".join(part for part in (letter.addressee_name, letter.addressee_role) if part) or "(no addressee)"


def _day(moment: dt.datetime) -> dt.date:

    return local_day(moment)
