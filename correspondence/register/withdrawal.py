"""Withdrawing a draft: a letter of ours taken back before it went, kept with who, when and why.

A draft made by mistake (a slip of the year, the wrong report) is withdrawn rather than deleted: its
record stays in the register as "withdrawn", its files stay in the store, and its reference stays
spent (the ledger of issued references is never emptied), so nobody can later be handed the same
reference for another letter. From then on the process behaves as though it had never been drafted:
a withdrawn invitation is no longer the response's invitation, so a new one can be drafted; a
withdrawn s.55 response or reminder is no draft to follow up (those are found by their status).

A letter that was sent is never changed (a trigger refuses it): a mistake in one is corrected by a
new letter that supersedes it. A letter received is kept as it came.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.organisation.users import require_role
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import Letter, LetterClearance, S55Response
from correspondence.records.store import current_actor
from correspondence.records.vocabulary import Direction, LetterKind, LetterStatus, ResponseStage, UserRole

MAX_WHY = 2000


def withdraw_letter(session: Session, letter: Letter, *, why: str, by: str | None = None,
                    at: dt.datetime | None = None) -> Letter:
    """Withdraw the draft ``letter``, saying ``why`` (required: it is kept with the letter and shown
    on the timeline), as ``by`` (the acting user's name) at ``at`` (now). Refused for a letter sent
    or received, and for one already withdrawn; a drafter's step, as drafting is."""
    session.refresh(letter, with_for_update=True)  # on PostgreSQL a second withdrawal, or 'letter sent', waits here
    require_role(session, letter.office, UserRole.DRAFTER)
    check_withdrawable(letter)
    why = " ".join((why or "").split())
    if not why:
        raise InvalidInput("say why the draft is withdrawn: it is kept with the letter and shown on the timeline", field="why")
    if len(why) > MAX_WHY:
        raise InvalidInput(f"the reason is {len(why):,} characters; at most {MAX_WHY:,}", field="why")
    letter.status = LetterStatus.WITHDRAWN
    letter.withdrawn_at = at or dt.datetime.now(dt.timezone.utc)
    letter.withdrawn_by = (by or current_actor())[:200]
    letter.withdrawn_reason = why
    # A withdrawn invitation is no longer the invitation: the response waits for a new one, and its
    # reply-by date went with the letter that asked for it.
    for response in session.scalars(select(S55Response).where(S55Response.invitation_id == letter.id)):
        response.invitation = None
        response.reply_by = None
    if letter.kind is LetterKind.S55_RESPONSE and letter.inspection_id is not None:
        _stage_without(session, letter)
    session.flush()
    return letter


def _stage_without(session: Session, letter: Letter) -> None:
    """A withdrawn s.55 draft that was submitted or approved took the response's stage with it: the
    stage goes back to the last step the response's own letters show, unless another draft of the
    response is in clearance."""
    response = session.scalar(select(S55Response).where(S55Response.office_id == letter.office_id,
                                                        S55Response.inspection_id == letter.inspection_id))
    if response is None or response.letter_id is not None or response.stage not in (ResponseStage.SUBMITTED, ResponseStage.APPROVED):
        return
    ours = (Letter.office_id == letter.office_id, Letter.inspection_id == letter.inspection_id, Letter.id != letter.id)
    in_clearance = select(LetterClearance.id).join(Letter, Letter.id == LetterClearance.letter_id).where(
        *ours, Letter.kind == LetterKind.S55_RESPONSE, Letter.status == LetterStatus.DRAFT)
    if session.scalar(in_clearance.limit(1)) is not None:
        return
    chased = session.scalar(select(Letter.id).where(*ours, Letter.kind == LetterKind.REMINDER, Letter.status == LetterStatus.SENT).limit(1))
    if response.comments_id is not None:
        response.stage = ResponseStage.COMMENTS_RECEIVED
    elif chased is not None:
        response.stage = ResponseStage.CHASED
    elif response.invitation is not None and response.invitation.status is LetterStatus.SENT:
        response.stage = ResponseStage.INVITED
    else:
        response.stage = ResponseStage.INVITATION_DRAFTED


def check_withdrawable(letter: Letter) -> None:
    """Refuse unless ``letter`` is a draft of ours, saying what to do instead."""
    label = letter.label
    if letter.direction is Direction.IN:
        raise InvalidInput(f"letter {label} was received; a letter received is kept as it came, and only a draft of ours "
                           "can be withdrawn")
    if letter.status is LetterStatus.SENT:
        when = f" on {long_date(letter.sent_on)}" if letter.sent_on else ""
        raise InvalidInput(f"letter {label} was sent{when}; a sent letter is never changed or withdrawn",
                           steps=[Step("supersede", "correct it with a new letter that supersedes it", letter=label)])
    if letter.status is LetterStatus.WITHDRAWN:
        when = f" on {long_date(letter.withdrawn_at.date())}" if letter.withdrawn_at else ""
        raise InvalidInput(f"letter {label} was already withdrawn{when}: {letter.withdrawn_reason}")
    if letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {label} is {letter.status}; only a draft can be withdrawn")
