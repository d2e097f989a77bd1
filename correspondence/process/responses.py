"""The s.55 response record: one office's response to one inspection, and the stage it has reached.

Police Act 1996 s.55 (as amended by the Policing and Crime Act 2017 s.37): the policing body
invites the chief officer's comments (s.55(4)), publishes its own comments, the chief officer's
and its response to them (s.55(5)) before the end of 56 days beginning with the report's
publication day (s.55(5A)), answers every recommendation (s.55(5B)) and sends copies to HMICFRS
and the Home Secretary (s.55(6)).

Each step of the process (invitation.py, comments_received.py, clearance.py, sending.py,
publication.py) changes one S55Response record (office x inspection), so its stage, dates and
letters are in the event log with who and when. Steps out of order are refused with one line and
change nothing. The CLI and the web call these same functions:

    invite -> (letter sent) -> chase -> add_comments -> draft the s.55 letter -> clearance.submit ->
    clearance.approve -> (letter sent, with its copies) -> publish
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import Inspection, Letter, Office, ResponseCopy, S55Response
from correspondence.records.shipped_roles import HOME_SECRETARY
from correspondence.records.vocabulary import ClearanceStep, LetterKind, LetterStatus, ResponseStage
from correspondence.tracking.inspections import get_response

HMICFRS = "HMICFRS"
STAGES = list(ResponseStage)


# --- the response record ----------------------------------------------------------------------


def responses_to(session: Session, inspection: Inspection) -> list[S55Response]:
    """Every office's response to ``inspection`` (one, unless it is a national report)."""
    query = select(S55Response).where(S55Response.inspection_id == inspection.id).order_by(S55Response.id)
    return list(session.scalars(query))


def open_response(session: Session, office: Office, inspection: Inspection, stage: ResponseStage) -> S55Response:
    response = get_response(session, office, inspection)
    if response is None:
        response = S55Response(office=office, inspection=inspection, stage=stage)
        session.add(response)
    return response


def advance(response: S55Response, stage: ResponseStage) -> None:
    """Move the stage forward; a later stage already reached is kept."""
    if response.stage is None or STAGES.index(stage) > STAGES.index(response.stage):
        response.stage = stage


def chief_officer_title(office: Office, inspection: Inspection) -> str | None:
    """The title of the chief officer invited to comment: the inspected force's, or for a national
    report (no single force) the chief officer of the force the office oversees."""
    force = inspection.force or office.force
    return force.chief_officer_title if force is not None else None


def sent_invitation(office: Office, inspection: Inspection, response: S55Response | None) -> Letter:
    """The office's invitation to comment, once sent; else a refusal saying what to do first (the
    chief officer's comments, which s.55(5) publishes, can only come once they were invited)."""
    if response is None or response.invitation is None:
        raise InvalidInput(
            f"{office.short_name} has not invited the chief officer's comments on inspection {inspection.id}",
            steps=[Step("invite_first", "invite them first", inspection=inspection.id, office=office.short_name)],
        )
    if response.invitation.status is not LetterStatus.SENT:
        raise InvalidInput(
            f"the invitation {response.invitation.label} is still a draft",
            steps=[Step("mark_sent_first", "record it as sent first", letter=response.invitation.label)],
        )
    return response.invitation


# --- clearance and sending move the response on ---------------------------------------------------


def letter_cleared(session: Session, letter: Letter, step: ClearanceStep) -> None:
    """A s.55 letter was submitted or approved: the response's stage says so. A return to the drafter
    leaves it at submitted, where the submission put it (stages.status_of says it was returned)."""
    if letter.kind is not LetterKind.S55_RESPONSE or letter.inspection is None or step is ClearanceStep.RETURNED:
        return
    response = open_response(session, letter.office, letter.inspection, ResponseStage.SUBMITTED)
    if STAGES.index(response.stage) < STAGES.index(ResponseStage.SENT):
        response.stage = ResponseStage.APPROVED if step is ClearanceStep.APPROVED else ResponseStage.SUBMITTED
    session.flush()


def letter_sent(session: Session, letter: Letter, sent_on: dt.date, today: dt.date, hmicfrs_on: dt.date | None = None) -> list[ResponseCopy]:
    """A letter of the process went out: the invitation starts the reply-by clock, a reminder marks
    the response chased, and the s.55 letter is recorded with its copies to the Home Secretary and
    HMICFRS (s.55(6)), each with its date."""
    if hmicfrs_on is not None and letter.kind is not LetterKind.S55_RESPONSE:
        raise InvalidInput("only a s.55 response is copied to HMICFRS", field="hmicfrs_on")
    if letter.inspection is None:
        return []
    response = get_response(session, letter.office, letter.inspection)
    if letter.kind is LetterKind.INVITATION and response is not None and response.invitation_id == letter.id:
        advance(response, ResponseStage.INVITED)
    elif letter.kind is LetterKind.REMINDER and response is not None:
        advance(response, ResponseStage.CHASED)
    elif letter.kind is LetterKind.S55_RESPONSE:
        hmicfrs_on = hmicfrs_on or sent_on
        if hmicfrs_on > today:
            raise InvalidInput(f"{long_date(hmicfrs_on)} is in the future", field="hmicfrs_on")
        if hmicfrs_on < letter.letter_date:
            raise InvalidInput(f"{long_date(hmicfrs_on)} is before the letter's date, {long_date(letter.letter_date)}", field="hmicfrs_on")
        response = open_response(session, letter.office, letter.inspection, ResponseStage.SENT)
        response.letter_id = letter.id
        copies = [ResponseCopy(letter=letter, recipient=HOME_SECRETARY, sent_on=sent_on),
                  ResponseCopy(letter=letter, recipient=HMICFRS, sent_on=hmicfrs_on)]
        response.copies.extend(copies)
        advance(response, ResponseStage.SENT)
        session.flush()
        return copies
    session.flush()
    return []


# --- the office's drafts of its s.55 letter ----------------------------------------------------------


def s55_drafts(session: Session, office: Office, inspection: Inspection) -> list[Letter]:
    return list(session.scalars(s55_drafts_query(office, inspection).order_by(Letter.letter_date, Letter.id)))


def s55_drafts_query(office: Office, inspection: Inspection) -> Any:
    """The office's draft s.55 responses to ``inspection``, unordered (s55_drafts lists them in date order)."""
    return select(Letter).where(Letter.office_id == office.id, Letter.inspection_id == inspection.id,
                                Letter.kind == LetterKind.S55_RESPONSE, Letter.status == LetterStatus.DRAFT)
