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

from correspondence import letter_files, phrasing, references, roles
from correspondence.actions import open_actions_before
from correspondence.annex import record_request
from correspondence.answers import latest_answer
from correspondence.comments import CommentsInput, parse_comments
from correspondence.context import annex_context, followup_context, response_context
from correspondence.dates import long_date
from correspondence.errors import CorrespondenceError, InvalidInput, extended
from correspondence.inspections import check_after_report, get_inspection
from correspondence.letters import file_text
from correspondence.limits import fit
from correspondence.letters import label as letter_label
from correspondence.meetings import get_meeting
from correspondence.models import Inspection, Letter, Meeting, Office
from correspondence.offices import get_office
from correspondence.office_templates import office_template_file
from correspondence.rendering import render_to, safe_filename, sha256_of, shipped_template
from correspondence.standard_lines import list_lines
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
    comments: CommentsInput | None = None  # the office's own paragraphs (comments.py)
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
    inspection = get_inspection(session, inspection_id, for_letter=True)
    check_force(office, inspection, request.other_force)
    check_after_report(inspection, request.letter_date)
    missing = unanswered_recommendations(inspection, office, request.letter_date)
    if missing and not request.allow_missing:
        first = f"{inspection.id}:{missing[0]}"
        raise InvalidInput(
            f"inspection {inspection.id} has {phrasing.counted(len(missing), 'recommendation')} with neither an answer "
            f"from {office.short_name} nor an update from the force {_missing_words(inspection, office, missing, request.letter_date)}"
            "; s.55(5B) requires each to be "
            "answered", joined=": ",
            cli=f"add the office's answer ('corr answer add {first} --text ...') or the force's update "
                "('corr update add'), or draft with --allow-missing to mark them as awaiting",
            web="add the office's answer or the force's update under Findings, or tick 'Draft even if a recommendation has "
                "neither an update nor our answer' to mark them as awaiting",
        )
    addressee = _addressee(session, request, office, default_role=roles.HOME_SECRETARY)
    earlier = _earlier_drafts(session, office, inspection)
    about = inspection.force.name if inspection.force else inspection.title
    subject = request.subject or fit(phrasing.inspection_subject(about, inspection.programme, inspection.published_on.year), Letter.subject)
    draft = draft_letter(
        session, office, request, "response", LetterKind.S55_RESPONSE, addressee, subject,
        lambda letter: response_context(session, inspection, office, **letter),
        inspection=inspection, missing=missing,
        with_letter=lambda letter: record_request(session, inspection, form="docx", made_on=request.letter_date, letter=letter, flush=False),
    )
    if earlier:
        draft.notes.append(earlier)
    return draft


def _earlier_drafts(session: Session, office: Office, inspection: Inspection) -> str:
    """A note when the office already has a draft s.55 response to this report: two drafts of one
    letter are usually one too many, and the next step keeps following the one furthest through
    clearance until the other is deleted. Counted, and only the latest read: drafting many letters
    about one report must not read every earlier draft for each new one."""
    from sqlalchemy import func

    from correspondence.clearance import clearance_state
    from correspondence.process import s55_drafts_query

    query = s55_drafts_query(office, inspection)
    count = session.scalar(select(func.count()).select_from(query.subquery()))
    if not count:
        return ""
    latest = session.scalars(query.order_by(Letter.letter_date.desc(), Letter.id.desc()).limit(1)).one()
    which = f"{letter_label(latest)}, {clearance_state(session, latest).label}"
    return (f"{office.short_name} already has {phrasing.counted(count, 'draft')} of this response "
            f"({which if count == 1 else 'the latest ' + which}); delete the one not wanted")


def draft_annex(session: Session, inspection_id: int | str, request: DraftRequest) -> Draft:
    """The updates table on its own, for the force to fill in or for publication."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id, for_letter=True)
    if request.comments is not None:
        raise InvalidInput("--comments: an annex has no paragraphs of the office's own; use them in 'draft response' or 'draft followup'")
    check_force(office, inspection, request.other_force)
    check_after_report(inspection, request.letter_date)
    if request.to_role or request.addressee:
        addressee = _addressee(session, request, office, default_role=request.to_role or "")
    else:
        addressee = roles.Addressing(name="", role=inspection.force.chief_officer_title if inspection.force else "")
    subject = request.subject or fit(f"Update requested: {inspection.title}", Letter.subject)  # a title may fill its column
    draft = draft_letter(
        session, office, request, "annex", LetterKind.ANNEX, addressee, subject,
        lambda letter: annex_context(session, inspection, office, **letter),
        inspection=inspection, missing=unanswered_recommendations(inspection, office, request.letter_date),
        with_letter=lambda letter: record_request(session, inspection, form="docx", made_on=request.letter_date, letter=letter, flush=False),
    )
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
    if request.letter_date < meeting.held_on:
        raise InvalidInput(f"--date: {long_date(request.letter_date)} is before the meeting, held on {long_date(meeting.held_on)}")
    addressee = _addressee(session, request, office, default_role=meeting.chief_officer_title)
    subject = request.subject or fit(phrasing.meeting_subject(meeting.title, long_date(meeting.held_on)), Letter.subject)
    return draft_letter(
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
    if kind in ("invite", "chase"):
        from correspondence.process import process_template_context

        return process_template_context(session, kind, record_id, request, letter)
    if kind == "followup":
        meeting = get_meeting(session, record_id)
        letter["addressee"] = _addressee(session, request, office, default_role=meeting.chief_officer_title)
        context = followup_context(meeting, office, carried=open_actions_before(session, meeting), **letter)
    else:
        inspection = get_inspection(session, record_id)
        letter["addressee"] = _addressee(session, request, office, default_role=roles.HOME_SECRETARY)
        context = response_context(session, inspection, office, **letter)
    return _with_comments(session, office, request, context, kind)


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
        raise InvalidInput(f"say which office with --office: {len(overseeing)} offices oversee {inspection.force.name if inspection.force else 'its force'}")
    return overseeing[0].short_name


def mark_sent(session: Session, letter: Letter, sent_on: dt.date, today: dt.date, *, hmicfrs_on: dt.date | None = None) -> Letter:
    """Record that a draft went out. Its file is fingerprinted as sent and made read-only.

    Where the office requires approval, only a letter approved as its file now stands may go
    (clearance.check_sendable). A letter of the s.55 process moves its response on (process.letter_sent):
    the s.55 letter's copies to the Home Secretary (on ``sent_on``) and HMICFRS (``hmicfrs_on``,
    default the same day) are recorded."""
    from correspondence.clearance import check_sendable, require_role
    from correspondence.process import letter_sent
    from correspondence.vocabulary import UserRole

    session.refresh(letter, with_for_update=True)  # on PostgreSQL, a second 'letter sent' waits here, then sees it sent
    require_role(session, letter.office, UserRole.DRAFTER)
    name = letter_label(letter)
    if letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {name} is {letter.status}, not a draft")
    if sent_on > today:
        raise InvalidInput(f"--date: {long_date(sent_on)} is in the future")
    if sent_on < letter.letter_date:
        raise InvalidInput(f"--date: {long_date(sent_on)} is before the letter's date, {long_date(letter.letter_date)}")
    path = letter_files.location(letter)
    if path is not None and not path.is_file():
        raise InvalidInput(f"letter {name}'s file {path} is missing; a sent letter must keep its file", joined=" ",
                           cli="(see 'corr check')", web="(put it back where it was, then try again)")
    check_sendable(session, letter)
    if path is not None:
        letter.file_sha256 = sha256_of(path)  # the version actually sent, after any edits in Word
        letter.body_text = file_text(path)  # re-read, so a paragraph added in Word is found by search
    letter.status = LetterStatus.SENT
    letter.sent_on = sent_on
    session.flush()
    letter_sent(session, letter, sent_on, today, hmicfrs_on)
    if path is not None:
        letter_files.make_read_only(path)  # last, once nothing can refuse: a refused send leaves the file editable
    return letter


# --- shared steps -----------------------------------------------------------------------------


def draft_letter(
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
    with_letter: Callable[[Letter], object] | None = None,
) -> Draft:
    """Take the reference, fill the template into a new file and log the letter. ``with_letter``
    adds what is recorded with the letter (an annex request), so both are written in one flush."""
    taken_on = request.reference_date or request.letter_date  # a reference's date and year are the letter's
    reference = references.allocate(session, office, taken_on=taken_on, author=request.author)
    cc = request.cc if request.cc is not None else ("HMICFRS" if letter_kind is LetterKind.S55_RESPONSE else "")
    context = build_context(
        {"reference": reference, "letter_date": request.letter_date, "addressee": addressee, "subject": subject, "cc": cc}
    )
    context = _with_comments(session, office, request, context, template_kind)
    folder = request.out_dir or letter_files.letters_folder(office)
    wanted = folder / f"{safe_filename(reference)}.docx"
    target = letter_files.free_name(folder, wanted.stem, ".docx")
    notes = [] if target == wanted else [f"{wanted} already exists and is not this letter's file, so it was left alone; drafted as {target.name}"]
    # The template named for this draft, else the office's own for this kind, else the shipped one.
    with office_template_file(session, office, template_kind) as own:
        template = request.template or own or shipped_template(template_kind)
        rendered = render_to(template, context, target)
    path = rendered.path
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
        body_text=rendered.text,
    )
    session.add(letter)
    if with_letter is not None:
        with_letter(letter)
    session.flush()
    return Draft(letter.id, reference, path, addressee.name or addressee.role, missing or [], notes)


def _addressee(session: Session, request: DraftRequest, office: Office, default_role: str) -> roles.Addressing:
    if request.addressee is not None:
        return request.addressee
    role = request.to_role or default_role
    try:
        return roles.addressing(session, role, request.letter_date, office)
    except CorrespondenceError as error:
        raise extended(error, cli=", or name the addressee with --addressee") from None  # the web's forms have no addressee


def unanswered_recommendations(inspection: Inspection, office: Office, on: dt.date | None = None) -> list[str]:
    """Recommendations with neither the office's answer nor the force's update (by ``on``, the
    letter's date: a letter cannot quote what came after it): s.55(5B) requires the response to
    say something about each."""
    return [
        area.code for area in inspection.areas
        if area.kind is AreaKind.RECOMMENDATION and area.update_on(on) is None and latest_answer(area, office, on) is None
    ]


def _missing_words(inspection: Inspection, office: Office, codes: list[str], on: dt.date) -> str:
    """For the refusal: the recommendations missing, and, for a letter dated before an answer or
    update came, when the first one came (so the date, not the store, is seen to be the reason)."""
    later = []
    for area in inspection.areas:
        if area.code in codes:
            dates = [update.received_on for update in area.current_updates]
            dates += [answer.answered_on for answer in area.answers if answer.office_id == office.id]
            if dates:
                later.append(f"{area.code}'s first came on {long_date(min(dates))}")
    if not later:
        return f"({', '.join(codes)})"
    return f"by the letter's date, {long_date(on)} ({', '.join(codes)}; {', '.join(later)})"


_LETTER_KINDS = {"response": "an s.55 response", "followup": "a follow-up letter", "annex": "an annex"}


def _with_comments(session: Session, office: Office, request: DraftRequest, context: dict[str, Any], kind: str) -> dict[str, Any]:
    """The context with the office's own paragraphs, read from the comments given (if any)."""
    if request.comments is None:
        return context
    lines = {line.name: line.text for line in list_lines(session, office)}
    context["comments"] = parse_comments(request.comments, lines, context, _LETTER_KINDS.get(kind, "this letter"))
    return context
