"""The section 55 process: an office's response to an inspection, from publication to publication.

Police Act 1996 s.55 (as amended by the Policing and Crime Act 2017 s.37): the policing body
invites the chief officer's comments (s.55(4)), publishes its own comments, the chief officer's
and its response to them (s.55(5)) before the end of 56 days beginning with the report's
publication day (s.55(5A)), answers every recommendation (s.55(5B)) and sends copies to HMICFRS
and the Home Secretary (s.55(6)).

Each step here changes one S55Response record (office x inspection), so its stage, dates and
letters are in the event log with who and when. Steps out of order are refused with one line and
change nothing. The CLI and the web call these same functions:

    invite -> (letter sent) -> chase -> add_comments -> draft the s.55 letter -> clearance.submit ->
    clearance.approve -> (letter sent, with its copies) -> publish
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence import roles
from correspondence.dates import format_date, long_date
from correspondence.deadlines import response_due
from correspondence.errors import CorrespondenceError, InvalidInput, NotFound, extended
from correspondence.inspections import get_inspection
from correspondence.limits import fit
from correspondence.models import Inspection, Letter, Office, ResponseCopy, S55Response
from correspondence.offices import get_office
from correspondence.vocabulary import (
    AreaKind,
    ClearanceStep,
    Direction,
    LetterKind,
    LetterStatus,
    ResponseStage,
    UserRole,
)

HOME_SECRETARY = roles.HOME_SECRETARY
HMICFRS = "HMICFRS"
STAGES = list(ResponseStage)


# --- the response record ----------------------------------------------------------------------


def get_response(session: Session, office: Office, inspection: Inspection) -> S55Response | None:
    return session.scalar(
        select(S55Response).where(S55Response.office_id == office.id, S55Response.inspection_id == inspection.id)
    )


def responses_to(session: Session, inspection: Inspection) -> list[S55Response]:
    """Every office's response to ``inspection`` (one, unless it is a national report)."""
    query = select(S55Response).where(S55Response.inspection_id == inspection.id).order_by(S55Response.id)
    return list(session.scalars(query))


def _response(session: Session, office: Office, inspection: Inspection, stage: ResponseStage) -> S55Response:
    response = get_response(session, office, inspection)
    if response is None:
        response = S55Response(office=office, inspection=inspection, stage=stage)
        session.add(response)
    return response


def _advance(response: S55Response, stage: ResponseStage) -> None:
    """Move the stage forward; a later stage already reached is kept."""
    if response.stage is None or STAGES.index(stage) > STAGES.index(response.stage):
        response.stage = stage


def chief_officer_title(office: Office, inspection: Inspection) -> str | None:
    """The title of the chief officer invited to comment: the inspected force's, or for a national
    report (no single force) the chief officer of the force the office oversees."""
    force = inspection.force or office.force
    return force.chief_officer_title if force is not None else None


def _label(letter: Letter) -> str:
    return letter.reference or f"#{letter.id}"


def _require_drafter(session: Session, office: Office) -> None:
    from correspondence.clearance import require_role

    require_role(session, office, UserRole.DRAFTER)


# --- 1. the invitation to comment (s.55(4)) and reminders -------------------------------------------


LATE_REPLY_DAYS = 7  # a week, for comments invited once the 56 days have run out


def default_reply_by(office: Office, inspection: Inspection, letter_date: dt.date | None = None) -> dt.date:
    """The date the chief officer is asked to comment by: the office's usual days after the report's
    publication; for an invitation written after that, halfway from the letter to the last day (time
    left to answer the comments); once the last day has passed, a week after the letter."""
    usual = inspection.published_on + dt.timedelta(days=office.reply_by_days)
    if letter_date is None or usual > letter_date:
        return usual
    last_day = response_due(inspection.published_on)
    if letter_date >= last_day:
        return letter_date + dt.timedelta(days=LATE_REPLY_DAYS)
    return letter_date + dt.timedelta(days=max(1, (last_day - letter_date).days // 2))


def check_reply_by(reply_by: dt.date, letter_date: dt.date, inspection: Inspection, option: str = "--reply-by") -> dt.date:
    last_day = response_due(inspection.published_on)
    if reply_by > last_day and letter_date < last_day:  # once the last day has passed, any later date will do
        raise InvalidInput(
            f"{option}: {long_date(reply_by)} is after {long_date(last_day)}, the last day for publishing the "
            f"response to inspection {inspection.id} (56 days from its publication on {long_date(inspection.published_on)})"
        )
    if reply_by <= letter_date:
        raise InvalidInput(f"{option}: {long_date(reply_by)} is not after the letter's date, {long_date(letter_date)}")
    return reply_by


def invite(session: Session, inspection_id: int | str, request: Any, reply_by: dt.date | None = None) -> Any:
    """Draft the invitation to the chief officer to comment, with the findings table to fill in,
    and open the office's response record with its reply-by date. ``request`` is a DraftRequest."""
    from correspondence.drafting import check_force, draft_letter
    from correspondence.inspections import check_after_report

    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    _require_drafter(session, office)
    check_force(office, inspection, request.other_force)
    response = get_response(session, office, inspection)
    if response is not None and response.invitation is not None:
        invitation = response.invitation
        state = f"sent {long_date(invitation.sent_on)}" if invitation.sent_on else "a draft"
        if invitation.sent_on:
            hint = {"cli": f"chase with 'corr chase {inspection.id}'", "web": "chase the comments with 'Draft the reminder'"}
        else:
            hint = {"cli": f"send it with 'corr letter sent {_label(invitation)}', or delete the draft with 'corr letter delete {_label(invitation)}'",
                    "web": f"mark it sent on its letter page ({_label(invitation)}), or delete the draft there"}
        raise InvalidInput(
            f"{office.short_name} already invited comments on inspection {inspection.id}: {_label(invitation)} of "
            f"{long_date(invitation.letter_date)} ({state}), reply by {long_date(response.reply_by)}", **hint
        )
    check_after_report(inspection, request.letter_date)
    if reply_by is None:
        reply_by = default_reply_by(office, inspection, request.letter_date)
    check_reply_by(reply_by, request.letter_date, inspection)
    addressee = _chief_officer(session, office, inspection, request)
    subject = request.subject or f"Your comments on HMICFRS's report: {inspection.title}"
    draft = draft_letter(
        session, office, request, "invite", LetterKind.INVITATION, addressee, subject,
        lambda letter: invitation_context(session, inspection, office, reply_by=reply_by, **letter),
        inspection=inspection,
    )
    from correspondence.annex import record_request

    record_request(session, inspection, form="docx", made_on=request.letter_date, letter_id=draft.letter_id)  # what it pre-filled
    response = _response(session, office, inspection, ResponseStage.INVITATION_DRAFTED)
    response.invitation_id, response.reply_by = draft.letter_id, reply_by
    session.flush()
    return draft


def chase(session: Session, inspection_id: int | str, request: Any, reply_by: dt.date | None = None) -> Any:
    """Draft a reminder to the chief officer, once the reply-by date has passed without comments."""
    from correspondence.drafting import draft_letter

    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    _require_drafter(session, office)
    response = get_response(session, office, inspection)
    invitation = _sent_invitation(office, inspection, response)
    assert response is not None and response.reply_by is not None
    if response.comments is not None:
        raise InvalidInput(
            f"the chief officer's comments on inspection {inspection.id} were received on "
            f"{long_date(response.comments.letter_date)}; there is nothing to chase"
        )
    if request.letter_date <= response.reply_by:
        raise InvalidInput(
            f"the chief officer has until {long_date(response.reply_by)} to comment (invitation {_label(invitation)}); "
            f"a reminder can be dated from {long_date(response.reply_by + dt.timedelta(days=1))}"
        )
    if reply_by is not None:
        check_reply_by(reply_by, request.letter_date, inspection)
    addressee = request.addressee or roles.Addressing(
        name=invitation.addressee_name, role=invitation.addressee_role, address=invitation.addressee_address,
        salutation=_salutation_of(session, invitation, office),
    )
    subject = request.subject or f"Reminder: your comments on HMICFRS's report: {inspection.title}"
    return draft_letter(
        session, office, request, "chase", LetterKind.REMINDER, addressee, subject,
        lambda letter: invitation_context(session, inspection, office, reply_by=response.reply_by, invitation=invitation,
                                          chase_by=reply_by, **letter),
        inspection=inspection,
    )


def invitation_context(session: Session, inspection: Inspection, office: Office, *, reply_by: dt.date,
                       invitation: Letter | None = None, chase_by: dt.date | None = None, **letter: Any) -> dict[str, Any]:
    """What the invitation and reminder templates are filled from: the letter's parts, the report,
    its findings with the latest update held on each by the letter's date, and the dates of the process."""
    from correspondence import phrasing
    from correspondence.context import area_block, area_groups, finding_counts, inspection_block, letter_context

    date_format = office.date_format
    context = letter_context(office, **letter)
    areas = [area_block(area, date_format, office, on=letter["letter_date"]) for area in inspection.areas]
    counts = finding_counts(inspection.areas)
    title = chief_officer_title(office, inspection) or "Chief Officer"
    context.update({
        "force": {"name": inspection.force.name if inspection.force else "", "chief_officer_title": title},
        "inspection": inspection_block(inspection, date_format),
        "areas": areas,
        "area_groups": area_groups(areas, counts),
        "area_summary": phrasing.findings_list(counts),
        "has_recommendations": any(area.kind is AreaKind.RECOMMENDATION for area in inspection.areas),
        "reply_by": format_date(reply_by, date_format),
        "reply_by_iso": reply_by.isoformat(),
        "last_day": format_date(response_due(inspection.published_on), date_format),
        "invitation": {
            "reference": _label(invitation) if invitation else "",
            "date": format_date(invitation.letter_date, date_format) if invitation else "",
        },
        "chase_by": format_date(chase_by, date_format) if chase_by else "",
    })
    return context


def process_template_context(session: Session, kind: str, inspection_id: int | str, request: Any, letter: dict[str, Any]) -> dict[str, Any]:
    """The context an invitation ("invite") or reminder ("chase") would get, for 'corr template context'."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    response = get_response(session, office, inspection)
    letter["addressee"] = _chief_officer(session, office, inspection, request)
    reply_by = response.reply_by if response is not None and response.reply_by else default_reply_by(office, inspection)
    invitation = response.invitation if response is not None and kind == "chase" else None
    return invitation_context(session, inspection, office, reply_by=reply_by, invitation=invitation, **letter)


def _chief_officer(session: Session, office: Office, inspection: Inspection, request: Any) -> roles.Addressing:
    """The named chief officer on the letter's date (not just "Chief Constable")."""
    if request.addressee is not None:
        return request.addressee
    role = request.to_role or chief_officer_title(office, inspection)
    if role is None:
        raise InvalidInput(
            f"inspection {inspection.id} is a national report and {office.short_name} oversees no force",
            cli="name the chief officer with --to ROLE or --addressee NAME", web="give the chief officer's name", joined=": ",
        )
    try:
        return roles.addressing(session, role, request.letter_date, office)
    except NotFound as error:
        raise extended(error, cli=f" (e.g. corr role add \"{role}\" NAME --from DATE --office {office.short_name}), "
                                  "or name the addressee with --addressee", web=", or give the chief officer's name") from None


def _salutation_of(session: Session, invitation: Letter, office: Office) -> str:
    try:
        holder = roles.holder_on(session, invitation.addressee_role, invitation.letter_date, office)
    except CorrespondenceError:
        return ""
    return holder.salutation if holder.name == invitation.addressee_name else ""


def _sent_invitation(office: Office, inspection: Inspection, response: S55Response | None) -> Letter:
    if response is None or response.invitation is None:
        raise InvalidInput(
            f"{office.short_name} has not invited the chief officer's comments on inspection {inspection.id}",
            cli=f"do that first with 'corr invite {inspection.id} --office {office.short_name}'",
            web="do that first with 'Draft the invitation', and mark it sent on its letter page",
        )
    if response.invitation.status is not LetterStatus.SENT:
        raise InvalidInput(
            f"the invitation {_label(response.invitation)} is still a draft",
            cli=f"mark it sent with 'corr letter sent {_label(response.invitation)} --date DATE' first",
            web="mark it sent on its letter page first",
        )
    return response.invitation


# --- 2. the chief officer's comments ---------------------------------------------------------------


@dataclass
class Comments:
    letter_id: int
    received_on: dt.date
    copy: Path
    changes: list[Any] = field(default_factory=list)
    unmatched: list[Any] = field(default_factory=list)
    blank: list[Any] = field(default_factory=list)
    stored: int = 0
    unchanged: list[bool] = field(default_factory=list)  # per change: it repeated the latest update, so was not stored


def add_comments(session: Session, inspection_id: int | str, office_name: str, path: Path, *, received_on: dt.date,
                 today: dt.date, letters_dir: Path | None = None, reference: str | None = None, partial: bool = False) -> Comments:
    """Store the chief officer's reply: a received letter linked to the inspection, its file copied
    into the letters folder and its text kept for publication; its findings table, if it has one,
    read into force updates exactly as ``annex import`` reads it."""
    from correspondence.annex import match_rows, store_changes
    from correspondence.importers.documents import read_document
    from correspondence.importers.store import copy_in
    from correspondence.letters import log_letter

    office = get_office(session, office_name)
    inspection = get_inspection(session, inspection_id)
    _require_drafter(session, office)
    response = get_response(session, office, inspection)
    invitation = _sent_invitation(office, inspection, response)
    assert response is not None
    if response.comments is not None:
        raise InvalidInput(
            f"the chief officer's comments on inspection {inspection.id} are already stored ({_label(response.comments)} of "
            f"{long_date(response.comments.letter_date)})",
            cli="later updates go in with 'corr annex import'", web="later updates go in with 'Record the update' under Findings",
        )
    if received_on > today:
        raise InvalidInput(f"--date: {long_date(received_on)} is in the future")
    if invitation.sent_on and received_on < invitation.sent_on:
        raise InvalidInput(f"--date: {long_date(received_on)} is before the invitation was sent, on {long_date(invitation.sent_on)}")
    read_document(path)  # refuses an empty, damaged or unreadable file before anything is stored
    rows = _annex_rows(path)
    changes, unmatched, blank = match_rows(inspection, rows)
    if unmatched and not partial:
        reasons = "; ".join(f"row {item.row.line}: {item.reason}" for item in unmatched)
        raise InvalidInput(
            f"{path}: {len(unmatched)} row(s) of its findings table could not be matched ({reasons}), so nothing was "
            "stored", cli=f"correct them, or pass --partial to store the comments and the {len(changes)} matched row(s)",
            web=f"correct them, or tick 'Store it even if some rows...' to store the comments and the {len(changes)} matched row(s)",
        )
    if letters_dir is None:
        from correspondence.letter_files import letters_folder

        letters_dir = letters_folder(office)
    copy = copy_in(session, path, letters_dir, f"comments-{office.short_name}-inspection-{inspection.id}")
    # made up here from the invitation's addressee, so shortened to fit rather than refused: the user cannot change it
    sender = fit(", ".join(part for part in (invitation.addressee_name, invitation.addressee_role) if part), Letter.sender)
    letter = log_letter(
        session, office=office, direction=Direction.IN, letter_date=received_on, reference=reference, sender=sender,
        subject=f"Comments on HMICFRS's report: {inspection.title}", kind=LetterKind.COMMENTS,
        inspection_id=inspection.id, file=copy, today=today,
    )
    unchanged = [change.unchanged for change in changes]
    stored = store_changes(session, changes, received_on, today)
    response.comments_id = letter.id
    _advance(response, ResponseStage.COMMENTS_RECEIVED)
    session.flush()
    return Comments(letter.id, received_on, copy, changes, unmatched, blank, stored, unchanged)


def _annex_rows(path: Path) -> list[Any]:
    """The findings table of the reply, if it has one: a .csv is one; a .docx may hold one."""
    from correspondence.annex import read_rows

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_rows(path)
    if suffix != ".docx":
        return []
    try:
        return read_rows(path)
    except InvalidInput:
        return []  # a letter without our table: its text is still the comments


def comments_context(session: Session, inspection: Inspection, office: Office) -> dict[str, Any]:
    """What the s.55 letter may say about the chief officer's comments: when they came and whose."""
    response = get_response(session, office, inspection)
    comments = response.comments if response is not None else None
    if comments is None:
        return {"chief_officer_comments": None}
    return {
        "chief_officer_comments": {
            "date": format_date(comments.letter_date, office.date_format),
            "date_iso": comments.letter_date.isoformat(),
            "reference": comments.reference or "",
            "sender": comments.sender,
        }
    }


# --- 4 and 5. clearance and sending -----------------------------------------------------------------


def letter_cleared(session: Session, letter: Letter, step: ClearanceStep) -> None:
    """A s.55 letter was submitted or approved: the response's stage says so."""
    if letter.kind is not LetterKind.S55_RESPONSE or letter.inspection is None:
        return
    response = _response(session, letter.office, letter.inspection, ResponseStage.SUBMITTED)
    if STAGES.index(response.stage) < STAGES.index(ResponseStage.SENT):
        response.stage = ResponseStage.APPROVED if step is ClearanceStep.APPROVED else ResponseStage.SUBMITTED
    session.flush()


def letter_sent(session: Session, letter: Letter, sent_on: dt.date, today: dt.date, hmicfrs_on: dt.date | None = None) -> list[ResponseCopy]:
    """A letter of the process went out: the invitation starts the reply-by clock, a reminder marks
    the response chased, and the s.55 letter is recorded with its copies to the Home Secretary and
    HMICFRS (s.55(6)), each with its date."""
    if hmicfrs_on is not None and letter.kind is not LetterKind.S55_RESPONSE:
        raise InvalidInput("--hmicfrs-date: only a s.55 response is copied to HMICFRS")
    if letter.inspection is None:
        return []
    response = get_response(session, letter.office, letter.inspection)
    if letter.kind is LetterKind.INVITATION and response is not None and response.invitation_id == letter.id:
        _advance(response, ResponseStage.INVITED)
    elif letter.kind is LetterKind.REMINDER and response is not None:
        _advance(response, ResponseStage.CHASED)
    elif letter.kind is LetterKind.S55_RESPONSE:
        hmicfrs_on = hmicfrs_on or sent_on
        if hmicfrs_on > today:
            raise InvalidInput(f"--hmicfrs-date: {long_date(hmicfrs_on)} is in the future")
        if hmicfrs_on < letter.letter_date:
            raise InvalidInput(f"--hmicfrs-date: {long_date(hmicfrs_on)} is before the letter's date, {long_date(letter.letter_date)}")
        response = _response(session, letter.office, letter.inspection, ResponseStage.SENT)
        response.letter_id = letter.id
        copies = [ResponseCopy(letter=letter, recipient=HOME_SECRETARY, sent_on=sent_on),
                  ResponseCopy(letter=letter, recipient=HMICFRS, sent_on=hmicfrs_on)]
        response.copies.extend(copies)
        _advance(response, ResponseStage.SENT)
        session.flush()
        return copies
    session.flush()
    return []


# --- 6. publication (s.55(5)) -----------------------------------------------------------------------


def check_publishable(session: Session, office: Office, inspection: Inspection, published_on: dt.date, today: dt.date) -> S55Response:
    """The response, if it may be published on ``published_on``; else one line saying what is missing."""
    response = get_response(session, office, inspection)
    if response is None or response.letter is None:
        raise _not_sent(session, office, inspection)
    if response.published_on is not None:
        where = f" at {response.published_url}" if response.published_url else ""
        raise InvalidInput(f"{office.short_name}'s response to inspection {inspection.id} was already published on "
                           f"{long_date(response.published_on)}{where}")
    _sent_invitation(office, inspection, response)  # s.55(5) publishes the chief officer's comments: they must have been invited
    if published_on > today:
        raise InvalidInput(f"--date: {long_date(published_on)} is in the future")
    sent_on = response.letter.sent_on or response.letter.letter_date
    if published_on < sent_on:
        raise InvalidInput(f"--date: {long_date(published_on)} is before the response was sent, on {long_date(sent_on)}")
    return response


def record_publication(response: S55Response, published_on: dt.date, url: str | None) -> None:
    response.published_on = published_on
    response.published_url = check_url(url)
    _advance(response, ResponseStage.PUBLISHED)


def check_url(url: str | None) -> str | None:
    if url is None or not url.strip():
        return None
    url = url.strip()
    if not url.lower().startswith(("https://", "http://")) or any(character.isspace() for character in url) or len(url) > 1000:
        raise InvalidInput(f"--url: {url[:80]!r} is not a web address (https://...)")
    return url


def _not_sent(session: Session, office: Office, inspection: Inspection) -> InvalidInput:
    """Why the response cannot be published yet: nothing drafted, or a draft not yet sent."""
    from correspondence.clearance import clearance_state

    not_sent = f"{office.short_name}'s s.55 response to inspection {inspection.id} has not been sent: "
    drafts = s55_drafts(session, office, inspection)
    if not drafts:
        return InvalidInput(f"{not_sent}no s.55 letter has been drafted",
                            cli=f"draft it with 'corr draft response {inspection.id} --office {office.short_name}'",
                            web="draft it with 'Draft the letter'")
    draft = drafts[-1]
    return InvalidInput(f"{not_sent}{_label(draft)} is a draft ({clearance_state(session, draft).describe()})",
                        cli=f"publish it once 'corr letter sent {_label(draft)}' has recorded it sent",
                        web="publish it once it is marked sent on its letter page")


def s55_drafts(session: Session, office: Office, inspection: Inspection) -> list[Letter]:
    return list(session.scalars(s55_drafts_query(office, inspection).order_by(Letter.letter_date, Letter.id)))


def s55_drafts_query(office: Office, inspection: Inspection) -> Any:
    """The office's draft s.55 responses to ``inspection``, unordered (s55_drafts lists them in date order)."""
    return select(Letter).where(Letter.office_id == office.id, Letter.inspection_id == inspection.id,
                                Letter.kind == LetterKind.S55_RESPONSE, Letter.status == LetterStatus.DRAFT)
