"""The office's own answer to each finding of a report.

Section 55(5B) of the Police Act 1996 asks what *the policing body* has done or will do about
each recommendation, or why it will do nothing; the force's update says what the force has done.
A letter gives both: the office's answer in its body and Annex A, beside the force's update.
Answers are added, never edited, so the history of what the office said is kept; letters quote
the latest of the drafting office's answers.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step, named
from correspondence.records.models import ImprovementArea, Office, OfficeAnswer
from correspondence.tracking.inspections import check_after_report


def add_answer(
    session: Session,
    area: ImprovementArea,
    office: Office,
    *,
    text: str | None,
    no_action: bool = False,
    why: str | None = None,
    answered_on: dt.date,
    today: dt.date,
) -> OfficeAnswer:
    """Record the office's answer: ``text`` (what it has done or will do), or ``no_action`` with
    ``why`` (the reason it will take none). One or the other, never both."""
    text, why = (text or "").strip(), (why or "").strip()
    if no_action:
        if text:
            raise InvalidInput(f"give {named('text')} or {named('no_action')} with {named('why')}, not both")
        if not why:
            raise InvalidInput("no reason given for taking no action: s.55(5B) asks why",
                               steps=[Step("give", "give the reason", field="why")])
    else:
        if why:
            raise InvalidInput(f"{named('why')} goes with {named('no_action')}; for an answer use {named('text')}")
        if not text:
            raise InvalidInput("say what the office has done or will do", field="text", joined=" ",
                               steps=[Step("or_no_action", "(or take no action and say why)")])
    if answered_on > today:
        raise InvalidInput(f"{long_date(answered_on)} is in the future", field="answered_on")
    check_after_report(area.inspection, answered_on, field="answered_on")
    answer = OfficeAnswer(area=area, office=office, text=why if no_action else text, no_action=no_action, answered_on=answered_on)
    session.add(answer)
    session.flush()
    return answer


def latest_answer(area: ImprovementArea, office: Office, on: dt.date | None = None) -> OfficeAnswer | None:
    """The office's most recent answer on ``area``, if it has given one (by ``on``, for a letter of that date)."""
    mine = [answer for answer in area.answers if answer.office_id == office.id and (on is None or answer.answered_on <= on)]
    return mine[-1] if mine else None
