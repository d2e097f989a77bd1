"""Drafting letters: from the store, through a template, to a .docx logged in the register.

A draft is part of one transaction: the reference is taken, the letter rendered in memory, and
the letter and its file (the first version, files/versions.py) stored together. Run drafts through
``in_one_transaction``: if anything fails, the transaction rolls back (the reference is not spent)
and any copy written to a folder is removed, so nothing is left half done.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from correspondence.drafting import phrasing
from correspondence.drafting.annex import record_request
from correspondence.drafting.comments import CommentsInput, parse_comments
from correspondence.drafting.context import annex_context, followup_context
from correspondence.drafting.office_templates import office_template_file
from correspondence.drafting.rendering import render_bytes, shipped_template
from correspondence.files import letter_files
from correspondence.files.letter_files import safe_filename
from correspondence.files.letter_versions import keep_letter_file
from correspondence.organisation import roles
from correspondence.organisation.offices import get_office
from correspondence.organisation.standard_lines import check_not_retired, list_lines
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput, Step
from correspondence.records.limits import fit
from correspondence.records.models import FileVersion, Inspection, Letter, Meeting, Office
from correspondence.records.vocabulary import AreaKind, Direction, LetterKind, LetterStatus
from correspondence.register import references
from correspondence.register.date_checks import check_letter_date, last_day_for
from correspondence.tracking.actions import open_actions_before
from correspondence.tracking.answers import latest_answer
from correspondence.tracking.inspections import check_after_report, get_inspection
from correspondence.tracking.meetings import get_meeting

DEFAULT_OUT = Path("letters")
T = TypeVar("T")


@dataclass
class DraftRequest:
    """What the person drafting chooses; everything else comes from the store."""

    office: str
    letter_date: dt.date
    today: dt.date
    out_dir: Path | None = None  # where to write a copy to open in Word, as asked for
    copy_dir: Path | None = None  # without out_dir or a mirror folder: where a copy goes (the CLI's letters/); None: no copy
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
    confirm_date: bool = False  # the person drafting says a date that looks like a slip is right (register/date_checks.py)


@dataclass
class Draft:
    letter_id: int
    reference: str
    path: Path | None  # a copy to open in Word (the mirror's, or out_dir's); the letter itself is in the store
    addressee: str
    missing_updates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def draft_annex(session: Session, inspection_id: int | str, request: DraftRequest) -> Draft:
    """The updates table on its own, for the force to fill in or for publication."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id, for_letter=True)
    if request.comments is not None:
        raise InvalidInput("an annex has no paragraphs of the office's own", field="comments",
                           steps=[Step("comments_in_letters", "use them in an s.55 response or a follow-up letter")])
    check_force(office, inspection, request.other_force)
    check_after_report(inspection, request.letter_date, field="letter_date")
    check_request_date(request, LetterKind.ANNEX, inspection)
    if request.to_role or request.addressee:
        addressee = addressee_for(session, request, office, default_role=request.to_role or "")
    else:
        addressee = roles.Addressing(name="", role=inspection.force.chief_officer_title if inspection.force else "")
    subject = request.subject or report_subject(inspection, "position on the findings")  # a position statement
    draft = draft_letter(
        session, office, request, "annex", LetterKind.ANNEX, addressee, subject,
        lambda letter: annex_context(session, inspection, office, **letter),
        inspection=inspection, missing=unanswered_recommendations(inspection, office, request.letter_date),
        with_letter=lambda letter: record_request(session, inspection, form="docx", made_on=request.letter_date, letter=letter, flush=False),
    )
    return draft


MOST_WORDS_IN_A_REPORTS_SUBJECT = 14  # "about 12": the report's subject, and what the letter is about it
_LAST_WORDS_NEVER = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"}


def report_subject(inspection: Inspection, about: str = "") -> str:
    """A subject for a letter about the report: the report as the s.55 response's subject names it
    (from its own title and programme: 'Kent Police: PEEL 2025-27 inspection', a thematic by its
    title), then ``about`` after a dash ('... – your comments'). At most about 12 words and one
    colon: a title too long is cut at a word that can end it, with an ellipsis."""
    who = inspection.force.name if inspection.force else inspection.title
    report = phrasing.inspection_subject(who, inspection.programme, inspection.published_on.year, inspection.title)
    head, colon, rest = report.partition(":")
    report = head + colon + rest.replace(":", " –") if colon else report  # one colon at most
    budget = MOST_WORDS_IN_A_REPORTS_SUBJECT - _word_count(about)
    words = report.split()
    if _word_count(report) > budget:
        kept = words[:budget]
        while len(kept) > 1 and kept[-1].casefold().strip(",;–-") in _LAST_WORDS_NEVER | {""}:
            kept.pop()
        report = " ".join(kept).rstrip(",;:") + " …"
    return fit(f"{report} – {about}" if about else report, Letter.subject)


def _word_count(text: str) -> int:
    return sum(1 for word in text.split() if any(character.isalnum() for character in word))


def check_force(office: Office, inspection: Inspection, other_force: bool) -> None:
    """Refuse to write about another force's inspection unless the office says it means to.

    A national or thematic report (no force) concerns every office; so does any report for an
    office that has not said which force it oversees.
    """
    if other_force or inspection.force is None or office.force_id is None or inspection.force_id == office.force_id:
        return
    raise InvalidInput(
        f"inspection {inspection.id} is of {inspection.force.name}, but {office.short_name} oversees "
        f"{office.force.name}", steps=[Step("other_force", "say that the letter is meant to be about another force's inspection")]
    )


def draft_followup(session: Session, meeting_id: int | str, request: DraftRequest) -> Draft:
    """The letter to the Commissioner or Chief Constable after an oversight meeting."""
    office = get_office(session, request.office)
    meeting = get_meeting(session, meeting_id)
    if meeting.office_id != office.id:
        raise InvalidInput(f"meeting {meeting.id} belongs to {meeting.office.short_name}, not {office.short_name}")
    if request.letter_date < meeting.held_on:
        raise InvalidInput(f"{long_date(request.letter_date)} is before the meeting, held on {long_date(meeting.held_on)}", field="letter_date")
    check_request_date(request, LetterKind.FOLLOW_UP)  # a date that looks like a slip, before the addressee of that date is looked for
    addressee = addressee_for(session, request, office, default_role=meeting.chief_officer_title)
    subject = request.subject or fit(phrasing.meeting_subject(meeting.title, long_date(meeting.held_on)), Letter.subject)
    return draft_letter(
        session, office, request, "followup", LetterKind.FOLLOW_UP, addressee, subject,
        lambda letter: followup_context(meeting, office, carried=open_actions_before(session, meeting), **letter),
        meeting=meeting,
    )


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
    check_request_date(request, letter_kind, inspection)  # before the reference is spent
    taken_on = request.reference_date or request.letter_date  # a reference's date and year are the letter's
    reference = references.allocate(session, office, taken_on=taken_on, author=request.author)
    cc = request.cc if request.cc is not None else ("HMICFRS" if letter_kind is LetterKind.S55_RESPONSE else "")
    context = build_context(
        {"reference": reference, "letter_date": request.letter_date, "addressee": addressee, "subject": subject, "cc": cc}
    )
    context = with_comments(session, office, request, context, template_kind)
    # The template named for this draft, else the office's own for this kind, else the shipped one.
    with office_template_file(session, office, template_kind) as own:
        template = request.template or own or shipped_template(template_kind)
        content, text = render_bytes(template, context)
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
        file_sha256=hashlib.sha256(content).hexdigest(),  # its first version's, stored just below
        body_text=text,
    )
    session.add(letter)
    if with_letter is not None:
        with_letter(letter)
    session.flush()
    version = keep_letter_file(session, letter, content, file_name=f"{safe_filename(reference)}.docx", why="drafted", text=text)
    path, notes = _working_copy(session, request, version, reference, content)
    return Draft(letter.id, reference, path, addressee.name or addressee.role, missing or [], notes)


def check_request_date(request: DraftRequest, kind: LetterKind, inspection: Inspection | None = None) -> None:
    """The letter's date, refused while it looks like a slip and is not confirmed (register/date_checks.py)."""
    check_letter_date(request.letter_date, today=request.today, last_day=last_day_for(kind, inspection),
                      confirmed=request.confirm_date)


def _working_copy(session: Session, request: DraftRequest, version: FileVersion, reference: str,
                  content: bytes) -> tuple[Path | None, list[str]]:
    """Where the person drafting finds a copy to open in Word: a new file in ``out_dir`` when one is
    asked for, else the office's mirror folder's copy, else a new file in ``copy_dir`` (the command
    line's letters/). The store's version is the letter either way; an edited copy comes back as a
    new version."""
    folder = request.out_dir or (None if version.mirror_path else request.copy_dir)
    if folder is not None:
        wanted = folder / f"{safe_filename(reference)}.docx"
        target = letter_files.write_new(session, folder, wanted.stem, ".docx", content)
    elif version.mirror_path:
        target = Path(version.mirror_path)
        wanted = target.with_name(f"{safe_filename(reference)}.docx")
    else:
        return None, []
    notes = [] if target == wanted else [f"{wanted} already exists and is not this letter's file, so it was left alone; drafted as {target.name}"]
    return target, notes


def addressee_for(session: Session, request: DraftRequest, office: Office, default_role: str) -> roles.Addressing:
    if request.addressee is not None:
        return request.addressee
    role = request.to_role or default_role
    try:
        return roles.addressing(session, role, request.letter_date, office)
    except CorrespondenceError as error:
        raise error.with_steps(Step("or_name_addressee", "or name the addressee")) from None


def unanswered_recommendations(inspection: Inspection, office: Office, on: dt.date | None = None) -> list[str]:
    """Recommendations with neither the office's answer nor the force's update (by ``on``, the
    letter's date: a letter cannot quote what came after it): s.55(5B) requires the response to
    say something about each."""
    return [
        area.code for area in inspection.areas
        if area.kind is AreaKind.RECOMMENDATION and area.update_on(on) is None and latest_answer(area, office, on) is None
    ]


_LETTER_KINDS = {"response": "an s.55 response", "followup": "a follow-up letter", "annex": "an annex"}


def with_comments(session: Session, office: Office, request: DraftRequest, context: dict[str, Any], kind: str) -> dict[str, Any]:
    """The context with the office's own paragraphs, read from the comments given (if any)."""
    if request.comments is None:
        return context
    check_not_retired(session, office, request.comments.text)  # a retired line is refused by name, not as unknown
    lines = {line.name: line.text for line in list_lines(session, office)}
    context["comments"] = parse_comments(request.comments, lines, context, _LETTER_KINDS.get(kind, "this letter"))
    return context
