"""Clearance: a draft letter is put up for approval, and approved as one exact version of its file,
or returned to the drafter with comments.

An approval is of the version as it was (its SHA-256), so a new version after approval voids it;
every place that relies on an approval (``letter show``, ``letter sent``, ``due``, the web's pages)
asks ``clearance_state`` and says so. An office can require approval before anything is sent (the
office's require-approval setting); then approving, or returning, one's own draft is refused,
because the point of clearance is a second person. A returned letter goes up again only as a new
version: the one returned is not submitted twice.

Who may do what is decided by ``users.authorise`` alone: a drafter submits, an approver approves or
returns; ``may_approve`` asks the same questions as ``approve``, so a face shows the approver's
buttons only to whoever the library would let use them. Sending, publishing and the other steps of
the s.55 process need a drafter once the office has users; an office that has set up no users works
as a single person's tool, as before. Each step e-mails whoever it concerns once it is committed
(clearance_mail.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from correspondence.organisation.users import authorise, require_role
from correspondence.process import clearance_mail
from correspondence.process.responses import letter_cleared
from correspondence.records.dates import in_the_uk, long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput, NotPermitted, Step
from correspondence.records.models import Event, FileVersion, Letter, LetterClearance, User
from correspondence.records.vocabulary import ClearanceStep, Direction, FilePurpose, LetterStatus, UserRole

LONGEST_COMMENT = 20_000  # characters: a page or two of comments on a letter


@dataclass
class ClearanceState:
    """Where a letter stands in clearance, worked out afresh from its records and its current version."""

    letter: Letter
    submitted: LetterClearance | None  # the latest submission
    approved: LetterClearance | None  # an approval given since that submission
    file_sha256: str | None  # the current version's; None when there is none
    returned_step: LetterClearance | None = None  # a return to the drafter since that submission

    @property
    def holds(self) -> bool:
        """True when the letter is approved and its current version is still exactly the approved one."""
        return self.approved is not None and self.approved.file_sha256 == self.file_sha256

    @property
    def void(self) -> bool:
        return self.approved is not None and not self.holds

    @property
    def returned(self) -> bool:
        """True when the latest submission was returned to the drafter (and not submitted again since)."""
        return self.returned_step is not None

    @property
    def needs_new_version(self) -> bool:
        """Returned, and still the version that was returned: it cannot be submitted again as it is."""
        return self.returned_step is not None and self.returned_step.file_sha256 == self.file_sha256

    @property
    def awaiting(self) -> bool:
        return self.submitted is not None and self.approved is None and self.returned_step is None

    @property
    def label(self) -> str:
        """One word for lists: not submitted, submitted, returned, approved, void."""
        if self.void:
            return "approval void"
        if self.holds:
            return "approved"
        if self.returned:
            return "returned"
        return "submitted" if self.submitted else "not submitted"

    def describe(self) -> str:
        if self.void:
            assert self.approved is not None
            return (f"approval is void: the file has changed since {self.approved.user.display_name} approved it on "
                    f"{_day(self.approved.occurred_at)}; submit it again")
        if self.holds:
            assert self.approved is not None
            return f"approved by {self.approved.user.display_name} on {_day(self.approved.occurred_at)}"
        if self.returned_step is not None:
            step = self.returned_step
            since = "" if self.needs_new_version else "; a new version has been made since, to submit for approval"
            return f"returned by {step.user.display_name} on {_day(step.occurred_at)}: {step.comment}{since}"
        if self.submitted is not None:
            return f"submitted by {self.submitted.user.display_name} on {_day(self.submitted.occurred_at)}, awaiting approval"
        return "not submitted for approval"


def clearance_state(session: Session, letter: Letter) -> ClearanceState:
    return clearance_states(session, [letter])[letter.id]


def clearance_states(session: Session, letters: Iterable[Letter]) -> dict[int, ClearanceState]:
    """Each letter's clearance state, by its id: one query for any number of letters (and their
    steps' users), so a page listing many drafts asks the database once."""
    chosen = {letter.id: letter for letter in letters}
    steps: dict[int, list[LetterClearance]] = {letter_id: [] for letter_id in chosen}
    ids = list(chosen)
    for start in range(0, len(ids), 500):
        for step in session.scalars(
            select(LetterClearance).options(joinedload(LetterClearance.user))
            .where(LetterClearance.letter_id.in_(ids[start:start + 500])).order_by(LetterClearance.id)
        ):
            steps[step.letter_id].append(step)
    return {letter_id: _state(letter, steps[letter_id]) for letter_id, letter in chosen.items()}


def _state(letter: Letter, steps: list[LetterClearance]) -> ClearanceState:
    submitted = next((step for step in reversed(steps) if step.step is ClearanceStep.SUBMITTED), None)

    def since(kind: ClearanceStep) -> LetterClearance | None:
        return next((step for step in reversed(steps)
                     if step.step is kind and (submitted is None or step.id > submitted.id)), None)

    return ClearanceState(letter, submitted, since(ClearanceStep.APPROVED), _current_sha256(letter), since(ClearanceStep.RETURNED))


def submit(session: Session, letter: Letter) -> LetterClearance:
    """Put a draft up for approval, as its current version stands. A drafter or above may; a
    returned letter only as a new version."""
    user = require_role(session, letter.office, UserRole.DRAFTER, always=True)
    assert user is not None
    sha256 = _approvable(letter)
    state = clearance_state(session, letter)
    if state.holds:
        raise InvalidInput(f"letter {letter.label} is already {state.describe()}")
    if state.awaiting and state.submitted is not None and state.submitted.file_sha256 == sha256:
        raise InvalidInput(f"letter {letter.label} was already {state.describe()}")
    if state.needs_new_version:
        assert state.returned_step is not None
        raise InvalidInput(
            f"letter {letter.label} was returned by {state.returned_step.user.display_name} on {_day(state.returned_step.occurred_at)}, "
            "and this is the version returned",
            steps=[Step("new_version_first", "make a new version of it first, then submit that", letter=letter.label)],
        )
    record = _record(session, letter, ClearanceStep.SUBMITTED, user, sha256)
    clearance_mail.tell_approvers(session, record, version_name(session, letter, sha256), _day(record.occurred_at))
    return record


def approve(session: Session, letter: Letter, *, expected_sha256: str | None = None) -> LetterClearance:
    """Approve a submitted draft: exactly its current version. An approver or above may, and not
    the person who drafted or submitted it where the office requires a second person.

    ``expected_sha256`` is the version the approver read (the web passes the one it showed); if
    there is a newer one since, nothing is approved.
    """
    user = require_role(session, letter.office, UserRole.APPROVER, always=True)
    assert user is not None
    sha256, state = _clearable(session, letter, user, "approve")
    if expected_sha256 is not None and expected_sha256 != sha256:
        raise InvalidInput(f"letter {letter.label}'s file has changed since you opened it; read it again before approving")
    record = _record(session, letter, ClearanceStep.APPROVED, user, sha256)
    assert state.submitted is not None
    clearance_mail.tell_drafter(session, record, state.submitted, version_name(session, letter, sha256), _day(record.occurred_at))
    return record


def return_to_drafter(session: Session, letter: Letter, comment: str) -> LetterClearance:
    """Send a submitted draft back to the drafter with comments (which are required): kept as a
    clearance step with its comments, so the letter's timeline shows them. Whoever may approve the
    letter may return it; the drafter then makes a new version and submits that."""
    user = require_role(session, letter.office, UserRole.APPROVER, always=True)
    assert user is not None
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput("say what the drafter should change: a letter is returned with comments", field="comment")
    if len(comment) > LONGEST_COMMENT:
        raise InvalidInput(f"{len(comment):,} characters is too long; at most {LONGEST_COMMENT:,}", field="comment")
    _sha256, state = _clearable(session, letter, user, "return")
    assert state.submitted is not None
    # What is returned is the version that was submitted, even if a newer one has been made since.
    record = _record(session, letter, ClearanceStep.RETURNED, user, state.submitted.file_sha256, comment=comment)
    clearance_mail.tell_drafter(session, record, state.submitted, version_name(session, letter, record.file_sha256),
                                _day(record.occurred_at))
    return record


def may_approve(session: Session, letter: Letter, user: User) -> bool:
    """Whether ``user`` may approve (or return) the letter as it stands: what ``approve`` would allow,
    asked without changing anything, so a face offers the approver's buttons only to them."""
    try:
        authorise(session, user.name, letter.office, UserRole.APPROVER)
        _clearable(session, letter, user, "approve")
    except CorrespondenceError:
        return False
    return True


def _clearable(session: Session, letter: Letter, user: User, verb: str) -> tuple[str, ClearanceState]:
    """The current version's SHA-256 and the clearance state, if ``user`` (an approver) may approve or
    return the letter now: submitted and awaiting approval, and by a second person where the office
    requires one. Else the refusal."""
    sha256 = _approvable(letter)
    state = clearance_state(session, letter)
    if state.holds:
        raise InvalidInput(f"letter {letter.label} is already {state.describe()}")
    if state.submitted is None:
        raise InvalidInput(
            f"letter {letter.label} has not been submitted for approval",
            steps=[Step("submit_first", "submit it for approval first", letter=letter.label)],
        )
    if state.returned_step is not None:
        raise InvalidInput(f"letter {letter.label} was {state.describe()}; it is cleared again once a new version is submitted")
    if state.void:
        raise InvalidInput(f"letter {letter.label}'s {state.describe()}")
    if letter.office.require_approval:
        authors = {state.submitted.user.name, (drafted_by(session, letter) or "").lower()}
        if user.name in authors:
            raise NotPermitted(
                f"{user.name} drafted or submitted letter {letter.label}, and {letter.office.short_name} requires a second "
                f"person to {verb} it; ask another approver"
            )
    return sha256, state


def version_name(session: Session, letter: Letter, sha256: str) -> str:
    """How people name one version of a letter: "version 2" where the store keeps its versions, else
    the start of its SHA-256."""
    return version_names(session, letter).get(sha256) or short_sha256(sha256)


def version_names(session: Session, letter: Letter) -> dict[str, str]:
    """Each of the letter's versions by SHA-256: "version 2" (the first with those bytes)."""
    names: dict[str, str] = {}
    for sha256, number in session.execute(
        select(FileVersion.sha256, FileVersion.number)
        .where(FileVersion.letter_id == letter.id, FileVersion.purpose == FilePurpose.LETTER).order_by(FileVersion.number)
    ):
        names.setdefault(sha256, f"version {number}")
    return names


def short_sha256(sha256: str) -> str:
    return f"SHA-256 {sha256[:12]}"


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
    sha256 = _current_sha256(letter)
    if sha256 is None:
        raise InvalidInput(f"letter {letter.label} has no file; approval is of a letter's file")
    return sha256


def _record(session: Session, letter: Letter, step: ClearanceStep, user: User, sha256: str, *, comment: str = "") -> LetterClearance:
    record = LetterClearance(letter=letter, step=step, user=user, file_sha256=sha256, comment=comment)
    session.add(record)
    session.flush()
    letter_cleared(session, letter, step)
    return record


def _current_sha256(letter: Letter) -> str | None:
    """The SHA-256 of the letter's current version, as the store keeps it (files/versions.py)."""
    return letter.file_sha256


def _day(moment: dt.datetime) -> str:
    return long_date(local_day(moment))


def local_day(moment: dt.datetime) -> dt.date:
    """The day something happened, in the UK, where the offices are."""
    return in_the_uk(moment).date()
