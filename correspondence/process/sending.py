"""Sending a letter: the draft becomes the letter that went, exactly as its current version in the
store, and a letter of the s.55 process moves its response on."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from correspondence.organisation.users import require_role
from correspondence.process.clearance import check_sendable
from correspondence.process.responses import letter_sent
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.models import Letter
from correspondence.records.vocabulary import LetterStatus, UserRole
from correspondence.register.post import answered_by


class SendingProblems(InvalidInput):
    """Every reason a draft cannot be marked sent yet, at once (a wrong date and no approval, say), so
    a face can say them all; the first is the error's own field and words."""

    def __init__(self, problems: list[CorrespondenceError]) -> None:
        first = problems[0]
        super().__init__(first.refusal, field=first.field, value=first.value, steps=first.steps)
        self.problems = problems

    def __reduce__(self) -> tuple:
        return (SendingProblems, (self.problems,))

    def worded(self, name_field, say_step, *, lead_field=None) -> str:  # noqa: ANN001 - as CorrespondenceError.worded
        """Each problem in the face's words, in one line."""
        return "; ".join(problem.worded(name_field, say_step, lead_field=lead_field) for problem in self.problems)


def mark_sent(session: Session, letter: Letter, sent_on: dt.date, today: dt.date, *, hmicfrs_on: dt.date | None = None) -> Letter:
    """Record that a draft went out, as its current version: from now on a trigger refuses any
    change to the letter, so the version sent is the version kept, published and backed up.

    Where the office requires approval, only a letter approved as its file now stands may go
    (clearance.check_sendable). A letter of the s.55 process moves its response on (process.letter_sent):
    the s.55 letter's copies to the Home Secretary (on ``sent_on``) and HMICFRS (``hmicfrs_on``,
    default the same day) are recorded."""

    session.refresh(letter, with_for_update=True)  # on PostgreSQL, a second 'letter sent' waits here, then sees it sent
    require_role(session, letter.office, UserRole.DRAFTER)
    name = letter.label
    if letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {name} is {letter.status}, not a draft")
    problems: list[CorrespondenceError] = []
    if sent_on > today:
        problems.append(InvalidInput(f"{long_date(sent_on)} is in the future", field="sent_on"))
    elif sent_on < letter.letter_date:
        problems.append(InvalidInput(f"{long_date(sent_on)} is before the letter's date, {long_date(letter.letter_date)}", field="sent_on"))
    try:
        check_sendable(session, letter)
    except CorrespondenceError as refused:
        problems.append(refused)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise SendingProblems(problems)
    letter.status = LetterStatus.SENT
    letter.sent_on = sent_on
    session.flush()
    answered_by(session, letter, sent_on)  # a reply sent answers the letter it replies to (register/post.py)
    letter_sent(session, letter, sent_on, today, hmicfrs_on)
    return letter
