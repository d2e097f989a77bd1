"""The chief officer's comments (s.55(4)), as received: kept for publication, their findings table
read into the force's updates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from correspondence.drafting.annex import match_rows, read_rows, store_changes
from correspondence.files.documents import read_document
from correspondence.files.versions import latest
from correspondence.organisation.offices import get_office
from correspondence.organisation.users import require_role
from correspondence.process.responses import advance, sent_invitation
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.limits import fit
from correspondence.records.models import Letter
from correspondence.records.vocabulary import Direction, LetterKind, ResponseStage, UserRole
from correspondence.register.letters import log_letter
from correspondence.tracking.inspections import get_inspection, get_response


@dataclass
class Comments:
    letter_id: int
    received_on: dt.date
    copy: Path | None  # the office's mirror folder's copy, when it has one; the reply itself is in the store
    changes: list[Any] = field(default_factory=list)
    unmatched: list[Any] = field(default_factory=list)
    blank: list[Any] = field(default_factory=list)
    stored: int = 0
    unchanged: list[bool] = field(default_factory=list)  # per change: it repeated the latest update, so was not stored


def add_comments(session: Session, inspection_id: int | str, office_name: str, path: Path, *, received_on: dt.date,
                 today: dt.date, reference: str | None = None, partial: bool = False, file_name: str | None = None) -> Comments:
    """Store the chief officer's reply: a received letter linked to the inspection, its file kept in
    the store (called ``file_name``, else by its own name) and its text kept for publication; its
    findings table, if it has one, read into force updates exactly as ``annex import`` reads it."""

    office = get_office(session, office_name)
    inspection = get_inspection(session, inspection_id)
    require_role(session, office, UserRole.DRAFTER)
    response = get_response(session, office, inspection)
    invitation = sent_invitation(office, inspection, response)
    assert response is not None
    if response.comments is not None:
        raise InvalidInput(
            f"the chief officer's comments on inspection {inspection.id} are already stored ({response.comments.label} of "
            f"{long_date(response.comments.letter_date)})",
            steps=[Step("record_later_updates", "later updates are recorded as the force's updates", inspection=inspection.id)],
        )
    if received_on > today:
        raise InvalidInput(f"{long_date(received_on)} is in the future", field="received_on")
    if invitation.sent_on and received_on < invitation.sent_on:
        raise InvalidInput(f"{long_date(received_on)} is before the invitation was sent, on {long_date(invitation.sent_on)}",
                           field="received_on")
    read_document(path)  # refuses an empty, damaged or unreadable file before anything is stored
    rows = _annex_rows(path)
    changes, unmatched, blank = match_rows(inspection, rows)
    if unmatched and not partial:
        reasons = "; ".join(f"row {item.row.line}: {item.reason}" for item in unmatched)
        raise InvalidInput(
            f"{path}: {len(unmatched)} row(s) of its findings table could not be matched ({reasons}), so nothing was "
            "stored", steps=[Step("store_matched_rows", f"correct them, or store the comments and the {len(changes)} matched row(s)",
                                  matched=len(changes))],
        )
    # made up here from the invitation's addressee, so shortened to fit rather than refused: the user cannot change it
    sender = fit(", ".join(part for part in (invitation.addressee_name, invitation.addressee_role) if part), Letter.sender)
    letter = log_letter(
        session, office=office, direction=Direction.IN, letter_date=received_on, reference=reference, sender=sender,
        subject=f"Comments on HMICFRS's report: {inspection.title}", kind=LetterKind.COMMENTS,
        inspection_id=inspection.id, file=path, file_name=file_name, today=today,
    )
    current = latest(session, letter=letter)
    copy = Path(current.mirror_path) if current is not None and current.mirror_path else None
    unchanged = [change.unchanged for change in changes]
    stored = store_changes(session, changes, received_on, today)
    response.comments_id = letter.id
    advance(response, ResponseStage.COMMENTS_RECEIVED)
    session.flush()
    return Comments(letter.id, received_on, copy, changes, unmatched, blank, stored, unchanged)


def _annex_rows(path: Path) -> list[Any]:
    """The findings table of the reply, if it has one: a .csv is one; a .docx may hold one."""

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_rows(path)
    if suffix != ".docx":
        return []
    try:
        return read_rows(path)
    except InvalidInput:
        return []  # a letter without our table: its text is still the comments
