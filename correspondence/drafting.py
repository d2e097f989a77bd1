"""Drafting letters: from the store, through a template, to a .docx logged in the register.

A draft is part of one transaction: the reference is taken, the file written and the letter
logged together. Run drafts through ``in_one_transaction``: if anything fails, the transaction
rolls back (the reference is not spent) and every file the drafts wrote is removed, so neither
the register nor the letters folder is left half done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence import letter_files, references, roles
from correspondence.actions import open_actions_before
from correspondence.annex import record_request
from correspondence.context import annex_context, followup_context, response_context
from correspondence.dates import long_date
from correspondence.errors import CorrespondenceError, InvalidInput
from correspondence.inspections import get_inspection
from correspondence.letters import file_text
from correspondence.letters import label as letter_label
from correspondence.meetings import get_meeting
from correspondence.models import Inspection, Letter, Meeting, Office
from correspondence.offices import get_office
from correspondence.rendering import render_to, safe_filename, sha256_of, shipped_template
from correspondence.store import Store
from correspondence.vocabulary import AreaKind, Direction, LetterKind, LetterStatus

DEFAULT_OUT = Path("letters")
WRITTEN_FILES = "correspondence.written_files"
T = TypeVar("T")


@dataclass
class DraftRequest:
    """What the person drafting chooses; everything else comes from the store."""

    office: str
    letter_date: dt.date
    today: dt.date
    out_dir: Path | None = None  # default: the office's letters folder
    template: Path | None = None
    to_role: str | None = None
    addressee: roles.Addressing | None = None
    cc: str | None = None
    subject: str | None = None
    author: str = ""
    allow_missing: bool = False
    other_force: bool = False  # the office means to write about another force's inspection
    reference_date: dt.date | None = None  # the day the reference is taken [default: the letter's date]


@dataclass
class Draft:
    letter_id: int
    reference: str
    path: Path
    addressee: str
    missing_updates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def draft_response(session: Session, inspection_id: int | str, request: DraftRequest) -> Draft:
    """The s.55 response to the Home Secretary, with Annex A of the force's updates."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    check_force(office, inspection, request.other_force)
    missing = _recommendations_without_update(inspection)
    if missing and not request.allow_missing:
        raise InvalidInput(
            f"inspection {inspection.id} has {len(missing)} recommendation(s) without a force update "
            f"({', '.join(missing)}); s.55(5B) requires each to be answered: add updates with "
            "'corr update add', or draft with --allow-missing to mark them as awaiting"
        )
    addressee = _addressee(session, request, office, default_role=roles.HOME_SECRETARY)
    about = inspection.force.name if inspection.force else inspection.title
    subject = request.subject or f"{about}: {inspection.programme} inspection {inspection.published_on.year}"
    draft = _draft(
        session, office, request, "response", LetterKind.S55_RESPONSE, addressee, subject,
        lambda letter: response_context(session, inspection, office, **letter),
        inspection=inspection, missing=missing,
    )
    record_request(session, inspection, form="docx", made_on=request.letter_date, letter_id=draft.letter_id)
    return draft


def draft_annex(session: Session, inspection_id: int | str, request: DraftRequest) -> Draft:
    """The updates table on its own, for the force to fill in or for publication."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    check_force(office, inspection, request.other_force)
    if request.to_role or request.addressee:
        addressee = _addressee(session, request, office, default_role=request.to_role or "")
    else:
        addressee = roles.Addressing(name="", role=inspection.force.chief_officer_title if inspection.force else "")
    subject = request.subject or f"Update requested: {inspection.title}"
    draft = _draft(
        session, office, request, "annex", LetterKind.ANNEX, addressee, subject,
        lambda letter: annex_context(session, inspection, office, **letter),
        inspection=inspection, missing=_recommendations_without_update(inspection),
    )
    record_request(session, inspection, form="docx", made_on=request.letter_date, letter_id=draft.letter_id)
    return draft


def check_force(office: Office, inspection: Inspection, other_force: bool) -> None:
    """Refuse to write about another force's inspection unless the office says it means to.

    A national or thematic report (no force) concerns every office; so does any report for an
    office that has not said which force it oversees.
    """
    if other_force or inspection.force is None or office.force_id is None or inspection.force_id == office.force_id:
        return
    raise InvalidInput(
        f"inspection {inspection.id} is of {inspection.force.name}, but {office.short_name} oversees "
        f"{office.force.name}; pass --other-force if you mean to write about another force's inspection"
    )


def draft_followup(session: Session, meeting_id: int | str, request: DraftRequest) -> Draft:
    """The letter to the Commissioner or Chief Constable after an oversight meeting."""
    office = get_office(session, request.office)
    meeting = get_meeting(session, meeting_id)
    if meeting.office_id != office.id:
        raise InvalidInput(f"meeting {meeting.id} belongs to {meeting.office.short_name}, not {office.short_name}")
    addressee = _addressee(session, request, office, default_role=meeting.chief_officer_title)
    subject = request.subject or f"{meeting.title}: {long_date(meeting.held_on)}"
    return _draft(
        session, office, request, "followup", LetterKind.FOLLOW_UP, addressee, subject,
        lambda letter: followup_context(meeting, office, carried=open_actions_before(session, meeting), **letter),
        meeting=meeting,
    )


def remember_written(session: Session, path: Path) -> None:
    """Note a file this transaction created, so in_one_transaction removes it if the transaction fails."""
    session.info.setdefault(WRITTEN_FILES, []).append(path)


def in_one_transaction(store: Store, work: Callable[[Session], T]) -> T:
    """Run ``work`` (which may draft letters) in one transaction; if it or the commit fails,
    remove every letter file it wrote, so a failed command leaves no file behind."""
    written: list[Path] = []
    try:
        with store.transaction() as session:
            session.info[WRITTEN_FILES] = written
            return work(session)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def template_context(session: Session, kind: str, record_id: int | str, request: DraftRequest) -> dict[str, Any]:
    """The exact context a draft of ``kind`` would get, with a placeholder reference."""
    office = get_office(session, request.office)
    letter = {"reference": "REFERENCE", "letter_date": request.letter_date, "cc": request.cc or "", "subject": request.subject or ""}
    if kind == "followup":
        meeting = get_meeting(session, record_id)
        letter["addressee"] = _addressee(session, request, office, default_role=meeting.chief_officer_title)
        return followup_context(meeting, office, carried=open_actions_before(session, meeting), **letter)
    inspection = get_inspection(session, record_id)
    letter["addressee"] = _addressee(session, request, office, default_role=roles.HOME_SECRETARY)
    return response_context(session, inspection, office, **letter)


def office_for(session: Session, kind: str, record: str) -> str:
    """The office a context is for when none is named: the meeting's, or the one office
    overseeing the inspected force."""
    if kind == "followup":
        return get_meeting(session, record).office.short_name
    inspection = get_inspection(session, record)
    if inspection.force_id is None:  # a national report: any office may answer it
        overseeing = list(session.scalars(select(Office)))
        if len(overseeing) != 1:
            raise InvalidInput(f"say which office with --office: inspection {inspection.id} is a national report and {len(overseeing)} offices are set up")
    else:
        overseeing = list(session.scalars(select(Office).where(Office.force_id == inspection.force_id)))
    if len(overseeing) != 1:
        raise InvalidInput(f"say which office with --office: {len(overseeing)} offices oversee {inspection.force.name}")
    return overseeing[0].short_name


def mark_sent(session: Session, letter: Letter, sent_on: dt.date, today: dt.date) -> Letter:
    """Record that a draft went out: its file is fingerprinted as sent, its text re-read for
    search (a paragraph added in Word is found), and the file made read-only for everyone."""
    name = letter_label(letter)
    if letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {name} is {letter.status}, not a draft")
    if sent_on > today:
        raise InvalidInput(f"--date: {long_date(sent_on)} is in the future")
    if sent_on < letter.letter_date:
        raise InvalidInput(f"--date: {long_date(sent_on)} is before the letter's date, {long_date(letter.letter_date)}")
    path = letter_files.location(letter)
    if path is not None:
        if not path.is_file():
            raise InvalidInput(f"letter {name}'s file {path} is missing; a sent letter must keep its file (see 'corr check')")
        letter.file_sha256 = sha256_of(path)  # the version actually sent, after any edits in Word
        letter.body_text = file_text(path)
        letter_files.make_read_only(path)
    letter.status = LetterStatus.SENT
    letter.sent_on = sent_on
    session.flush()
    return letter


# --- shared steps -----------------------------------------------------------------------------


def _draft(
    session: Session,
    office: Office,
    request: DraftRequest,
    template_kind: str,
    letter_kind: LetterKind,
    addressee: roles.Addressing,
    subject: str,
    build_context: Callable[[dict[str, Any]], dict[str, Any]],
    inspection: Inspection | None = None,
    missing: list[str] | None = None,
    meeting: Meeting | None = None,
) -> Draft:
    template = request.template or shipped_template(template_kind)
    taken_on = request.reference_date or request.letter_date  # a reference's date and year are the letter's
    reference = references.allocate(session, office, taken_on=taken_on, author=request.author)
    cc = request.cc if request.cc is not None else ("HMICFRS" if letter_kind is LetterKind.S55_RESPONSE else "")
    context = build_context(
        {"reference": reference, "letter_date": request.letter_date, "addressee": addressee, "subject": subject, "cc": cc}
    )
    folder = request.out_dir or letter_files.letters_folder(office)
    wanted = folder / f"{safe_filename(reference)}.docx"
    target = letter_files.free_name(folder, wanted.stem, ".docx")
    notes = [] if target == wanted else [f"{wanted} already exists and is not this letter's file, so it was left alone; drafted as {target.name}"]
    path = render_to(template, context, target)
    remember_written(session, path)
    letter = Letter(
        office=office,
        reference=reference,
        direction=Direction.OUT,
        letter_date=request.letter_date,
        status=LetterStatus.DRAFT,
        kind=letter_kind,
        sender=office.signatory_name,
        addressee_name=addressee.name,
        addressee_role=addressee.role,
        addressee_address=addressee.address,
        cc=cc,
        subject=subject,
        inspection=inspection,
        meeting=meeting,
        force=inspection.force if inspection else (meeting.force if meeting else None),
        file_path=letter_files.stored_path(office, path),
        file_sha256=sha256_of(path),
        body_text=file_text(path),
    )
    session.add(letter)
    session.flush()
    return Draft(letter.id, reference, path, addressee.name or addressee.role, missing or [], notes)


def _addressee(session: Session, request: DraftRequest, office: Office, default_role: str) -> roles.Addressing:
    if request.addressee is not None:
        return request.addressee
    role = request.to_role or default_role
    try:
        return roles.addressing(session, role, request.letter_date, office)
    except CorrespondenceError as error:
        raise InvalidInput(f"{error}, or name the addressee with --addressee") from None


def _recommendations_without_update(inspection: Inspection) -> list[str]:
    return [area.code for area in inspection.areas if area.kind is AreaKind.RECOMMENDATION and not area.current_updates]
