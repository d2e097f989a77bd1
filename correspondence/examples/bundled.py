"""The bundled example, so a new user sees the whole product work on real facts.

It stores MOPAC (at City Hall, Kamal Chunchie Way, with its earlier address, The Queen's Walk,
dated until the move to the Royal Docks at the start of 2022), the Met, HMICFRS's 2018 Crime Data
Integrity inspection of the Met, the force's update on each area for improvement (with the letter
that brought them, the one prior letter), MOPAC's own answer to three of them, two standard lines,
the Acting Commissioner of 2022 and an oversight board meeting; then it drafts MOPAC's s.55
response, with the office's comments (examples/mopac-cdi-2018-comments.md), as a real Word letter
in letters/. As in the real letter of 7 September 2018, it is written to Her Majesty's
Inspectorate and headed with the 2018 address. The reference comes out as MOPAC06092018-D2188,
the real letter's, because the office's scheme and running number are set as MOPAC's were.
Loading it twice changes nothing: the second run finds the office and reports what is there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.drafting import drafts as drafting
from correspondence.drafting.comments import read_comments_file
from correspondence.files.letter_versions import current_version
from correspondence.organisation import offices, roles, standard_lines
from correspondence.process.s55_letter import draft_response
from correspondence.records.errors import CorrespondenceError, Step
from correspondence.records.models import Inspection, Letter, Meeting, Office
from correspondence.records.vocabulary import Direction, LetterKind, UpdateStatus
from correspondence.register import letters, references
from correspondence.tracking import answers, inspections, updates
from correspondence.tracking.inspection_file import load_inspection_file
from correspondence.tracking.meeting_file import load_meeting_file
from correspondence.tracking.meetings import add_meeting

EXAMPLES = Path(__file__).parent  # the example's files sit beside this module
EXAMPLE_INSPECTION = EXAMPLES / "met-cdi-2018.yaml"
EXAMPLE_MEETING = EXAMPLES / "mopac-oversight-board-2022-04-21.yaml"
EXAMPLE_COMMENTS = EXAMPLES / "mopac-cdi-2018-comments.md"
OFFICE_SHORT_NAME = "MOPAC"
UPDATES_RECEIVED = dt.date(2018, 8, 20)
ANSWERED = dt.date(2018, 8, 31)
QUEENS_WALK = "City Hall\nThe Queen's Walk\nLondon\nSE1 2AA"
ROYAL_DOCKS = "City Hall\nKamal Chunchie Way\nLondon\nE16 1ZE"
MOVED_TO_ROYAL_DOCKS = dt.date(2022, 1, 1)

# The force's update on each area for improvement, in our own words.
FORCE_UPDATES = [
    (UpdateStatus.COMPLETE, "Call handlers and response officers were briefed; crimes are now recorded at first contact where the information allows."),
    (UpdateStatus.COMPLETE, "Every rape report is now recorded on receipt; the Force Crime Registrar audits this monthly."),
    (UpdateStatus.IN_PROGRESS, "N100 guidance has been reissued and training for investigators is under way."),
    (UpdateStatus.COMPLETE, "Reports from professional third parties are now recorded as crimes on behalf of the victim."),
    (UpdateStatus.IN_PROGRESS, "Cancellation decisions now need additional verifiable information set out; victim notification is being added to the process."),
    (UpdateStatus.IN_PROGRESS, "Crimes booked for diary appointments are being recorded at booking; compliance is checked weekly."),
    (UpdateStatus.NOT_STARTED, "A review of how diversity information is collected is planned for the next quarter."),
]

# MOPAC's own answer to some of them (s.55(5B) asks what the policing body does), in our own words.
OFFICE_ANSWERS = {
    "A1": "MOPAC will sample domestic abuse reports each quarter and check that each crime was recorded at first contact.",
    "A5": "MOPAC will review a sample of cancelled crimes with the force in December 2018, including whether victims were told.",
    "A7": "MOPAC will ask the force to report on diversity data to the Oversight Board, with a timetable, by March 2019.",
}

# Approved wording MOPAC reuses, with placeholders filled in each letter.
STANDARD_LINES = {
    "victims-first": "Victims are at the centre of the Police and Crime Plan, and every crime reported to {force} "
                     "must be recorded accurately, without delay and free from any pressure to meet targets.",
    "hold-to-account": "I will continue to hold the {chief_officer} to account for progress on each finding, "
                       "and I will publish the force's further updates as they are received.",
}


@dataclass
class Example:
    office: Office
    inspection: Inspection
    prior_letter: Letter
    draft: Letter
    meeting: Meeting
    newly_loaded: bool
    notes: list[str] = field(default_factory=list)  # e.g. a file already in the way of the draft
    draft_file: Path | None = None  # the copy of the draft to open in Word (the office's mirror folder's)


def load_example(session: Session, out_dir: Path = drafting.DEFAULT_OUT) -> Example:
    """Store the example and draft its letter, with a copy in ``out_dir`` (the example office's
    mirror folder, so the draft can be opened in Word at once)."""
    existing = session.scalar(select(Office).where(Office.short_name == OFFICE_SHORT_NAME))
    if existing is not None:
        return _already_loaded(session, existing)

    force = offices.add_force(session, "Metropolitan Police Service", chief_officer_title="Commissioner")
    office = offices.add_office(
        session,
        name="Mayor's Office for Policing and Crime",
        short_name=OFFICE_SHORT_NAME,
        address=ROYAL_DOCKS,
        signatory_name="Sophie Linden",
        signatory_title="Deputy Mayor for Policing and Crime",
        reference_scheme="MOPAC{date:%d%m%Y}-D{seq}",
        force=force,
        letters_dir=out_dir,
        # The example is one person trying the tool with no colleague to approve; an office set up for
        # real has a second person's approval on until an admin turns it off.
        require_approval=False,
    )
    references.set_next_number(session, office, 2188)
    offices.add_address(session, office, QUEENS_WALK, None, MOVED_TO_ROYAL_DOCKS - dt.timedelta(days=1))
    for name, text in STANDARD_LINES.items():
        standard_lines.add_line(session, office, name, text)
    roles.add_holder(
        session, role="Commissioner", name="Sir Steve House", title="Acting Commissioner", salutation="Dear Steve",
        office=office, starts_on=dt.date(2022, 4, 10), ends_on=dt.date(2022, 9, 11),
        address="New Scotland Yard\nVictoria Embankment\nLondon\nSW1A 2JL",
    )
    inspection = inspections.add_inspection(session, load_inspection_file(EXAMPLE_INSPECTION))
    prior = letters.log_letter(
        session,
        office=office,
        direction=Direction.IN,
        letter_date=UPDATES_RECEIVED,
        sender="Metropolitan Police Service",
        subject="Update on the Crime Data Integrity areas for improvement",
        kind=LetterKind.REPLY,
        inspection_id=inspection.id,
    )
    for area, (status, text) in zip(inspection.areas, FORCE_UPDATES, strict=True):
        updates.add_update(session, area, status=status, text=text, received_on=UPDATES_RECEIVED, today=UPDATES_RECEIVED)
        if area.code in OFFICE_ANSWERS:
            answers.add_answer(session, area, office, text=OFFICE_ANSWERS[area.code], answered_on=ANSWERED, today=ANSWERED)
    meeting = add_meeting(session, load_meeting_file(EXAMPLE_MEETING))
    draft = draft_response(
        session,
        inspection.id,
        # MOPAC took the reference the day before the letter's date, as the real letter shows.
        drafting.DraftRequest(office=office.short_name, letter_date=dt.date(2018, 9, 7), today=dt.date(2018, 9, 6),
                              reference_date=dt.date(2018, 9, 6),
                              comments=read_comments_file(EXAMPLE_COMMENTS)),
    )
    return Example(office, inspection, prior, session.get(Letter, draft.letter_id), meeting, newly_loaded=True, notes=draft.notes,
                   draft_file=draft.path)


def _already_loaded(session: Session, office: Office) -> Example:

    draft = session.scalar(select(Letter).where(Letter.office_id == office.id, Letter.kind == LetterKind.S55_RESPONSE))
    prior = session.scalar(select(Letter).where(Letter.office_id == office.id, Letter.direction == Direction.IN))
    meeting = session.scalar(select(Meeting).where(Meeting.office_id == office.id))
    if draft is None or prior is None or meeting is None or draft.inspection_id is None:
        raise CorrespondenceError("an office MOPAC exists but is not the bundled example",
                                  steps=[Step("other_database", "use another database")])
    inspection = inspections.get_inspection(session, draft.inspection_id)
    current = current_version(session, draft)
    copy = Path(current.mirror_path) if current is not None and current.mirror_path else None
    return Example(office, inspection, prior, draft, meeting, newly_loaded=False, draft_file=copy)
