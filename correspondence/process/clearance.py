"""Clearance: a draft letter is put up for approval, and approved as one exact file.

An approval is of the file as it was (its SHA-256), so an edit made in Word after approval voids
it; every place that relies on an approval (``letter show``, ``letter sent``, ``due``, the web's
pages) asks ``clearance_state`` and says so. An office can require approval before anything is
sent (the office's require-approval setting); then approving one's own draft is refused, because the
point of clearance is a second person.

Who may do what is decided by ``users.authorise`` alone: a drafter submits, an approver approves.
Sending, publishing and the other steps of the s.55 process need a drafter once the office has
users; an office that has set up no users works as a single person's tool, as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.files.digests import sha256_of
from correspondence.files.letter_files import location
from correspondence.organisation.users import require_role
from correspondence.process.responses import letter_cleared
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotPermitted, Step
from correspondence.records.models import Event, Letter, LetterClearance, User
from correspondence.records.vocabulary import ClearanceStep, Direction, LetterStatus, UserRole


@dataclass
class ClearanceState:
    """Where a letter stands in clearance, worked out afresh from its records and its file."""

    letter: Letter
    submitted: LetterClearance | None  # the latest submission
    approved: LetterClearance | None  # an approval given since that submission
    file_sha256: str | None  # the file as it is now; None when there is no file to read

    @property
    def holds(self) -> bool:
        """True when the letter is approved and its file is still exactly the approved one."""
        return self.approved is not None and self.approved.file_sha256 == self.file_sha256

    @property
    def void(self) -> bool:
        return self.approved is not None and not self.holds

    @property
    def awaiting(self) -> bool:
        return self.submitted is not None and self.approved is None

    @property
    def label(self) -> str:
        """One word for lists: not submitted, submitted, approved, void."""
        if self.void:
            return "approval void"
        if self.holds:
            return "approved"
        return "submitted" if self.submitted else "not submitted"

    def describe(self) -> str:
        if self.void:
            assert self.approved is not None
            return (f"approval is void: the file has changed since {self.approved.user.name} approved it on "
                    f"{_day(self.approved.occurred_at)}; submit it again")
        if self.holds:
            assert self.approved is not None
            return f"approved by {self.approved.user.name} on {_day(self.approved.occurred_at)}"
        if self.submitted is not None:
            return f"submitted by {self.submitted.user.name} on {_day(self.submitted.occurred_at)}, awaiting approval"
        return "not submitted for approval"


def clearance_state(session: Session, letter: Letter) -> ClearanceState:
    steps = list(session.scalars(
        select(LetterClearance).where(LetterClearance.letter_id == letter.id).order_by(LetterClearance.id)
    ))
    submitted = next((step for step in reversed(steps) if step.step is ClearanceStep.SUBMITTED), None)
    approved = next(
        (step for step in reversed(steps) if step.step is ClearanceStep.APPROVED and (submitted is None or step.id > submitted.id)),
        None,
    )
    return ClearanceState(letter, submitted, approved, _current_sha256(letter))


def submit(session: Session, letter: Letter) -> LetterClearance:
    """Put a draft up for approval, as its file stands now. A drafter or above may."""
    user = require_role(session, letter.office, UserRole.DRAFTER, always=True)
    assert user is not None
    sha256 = _approvable(letter)
    state = clearance_state(session, letter)
    if state.holds:
        raise InvalidInput(f"letter {letter.label} is already {state.describe()}")
    if state.awaiting and state.submitted is not None and state.submitted.file_sha256 == sha256:
        raise InvalidInput(f"letter {letter.label} was already {state.describe()}")
    return _record(session, letter, ClearanceStep.SUBMITTED, user, sha256)


def approve(session: Session, letter: Letter, *, expected_sha256: str | None = None) -> LetterClearance:
    """Approve a submitted draft: exactly the file as it is now. An approver or above may.

    ``expected_sha256`` is the file the approver read (the web passes the one it showed); if the
    file has changed since, nothing is approved.
    """
    office = letter.office
    user = require_role(session, office, UserRole.APPROVER, always=True)
    assert user is not None
    sha256 = _approvable(letter)
    state = clearance_state(session, letter)
    if state.holds:
        raise InvalidInput(f"letter {letter.label} is already {state.describe()}")
    if state.submitted is None:
        raise InvalidInput(
            f"letter {letter.label} has not been submitted for approval",
            steps=[Step("submit_first", "submit it for approval first", letter=letter.label)],
        )
    if office.require_approval:
        authors = {state.submitted.user.name, (drafted_by(session, letter) or "").lower()}
        if user.name in authors:
            raise NotPermitted(
                f"{user.name} drafted or submitted letter {letter.label}, and {office.short_name} requires a second "
                "person to approve it; ask another approver"
            )
    if expected_sha256 is not None and expected_sha256 != sha256:
        raise InvalidInput(f"letter {letter.label}'s file has changed since you opened it; read it again before approving")
    return _record(session, letter, ClearanceStep.APPROVED, user, sha256)


def check_sendable(session: Session, letter: Letter) -> str | None:
    """Refuse to send a letter the office requires approved but is not (or whose approval is void).

    Where approval is not required, a void approval does not stop the letter; the note returned
    says so, for the sender to see.
    """
    if letter.direction is not Direction.OUT:
        return None
    state = clearance_state(session, letter)
    if letter.office.require_approval:
        if state.void:
            raise InvalidInput(f"letter {letter.label} cannot be sent: its {state.describe()}")
        if not state.holds:
            raise InvalidInput(
                f"{letter.office.short_name} requires approval before a letter is sent, and letter {letter.label} is "
                f"{state.describe()}"
            )
    if state.void:
        return f"letter {letter.label}: {state.describe()}"
    return None


def drafted_by(session: Session, letter: Letter) -> str | None:
    """Who created the letter's record, as the event log has it."""
    return session.scalar(
        select(Event.actor).where(Event.entity == "letters", Event.entity_id == letter.id, Event.change == "create")
        .order_by(Event.id).limit(1)
    )


def _approvable(letter: Letter) -> str:
    """The SHA-256 of a draft's file, which is what gets submitted or approved."""
    if letter.direction is not Direction.OUT or letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {letter.label} is {letter.status}; only a draft goes through approval")
    if not letter.file_path:
        raise InvalidInput(f"letter {letter.label} has no file; approval is of a letter's file")
    sha256 = _current_sha256(letter)
    if sha256 is None:
        raise InvalidInput(f"letter {letter.label}'s file {letter.file_path} is missing")
    return sha256


def _record(session: Session, letter: Letter, step: ClearanceStep, user: User, sha256: str) -> LetterClearance:
    record = LetterClearance(letter=letter, step=step, user=user, file_sha256=sha256)
    session.add(record)
    session.flush()
    letter_cleared(session, letter, step)
    return record


def _current_sha256(letter: Letter) -> str | None:
    path = location(letter)
    return sha256_of(path) if path is not None and path.is_file() else None


def _day(moment: dt.datetime) -> str:
    return long_date(local_day(moment))


def local_day(moment: dt.datetime) -> dt.date:
    """The day something happened, in the UK, where the offices are."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=dt.timezone.utc)
    try:
        zone: dt.tzinfo = ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:  # a Windows machine without the tzdata package
        zone = dt.timezone.utc
    return moment.astimezone(zone).date()
