"""The post: letters and e-mails received (and letters the office sent outside the tool) logged
with their file, given an owner and a reply-by date, and kept on the dashboard until answered.

A received letter is answered when a reply to it is marked sent (process/sending.py calls
``answered_by``), or when someone says no reply is needed or it was answered outside the tool, with
the date (``mark_answered``). The rules are here once: the web's "Log the post" and the command
line's ``letter assign`` and ``letter answered`` both call them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from correspondence.files.letter_versions import add_attachment
from correspondence.files.versions import store_file
from correspondence.organisation import roles
from correspondence.organisation.oversight import concerns_office
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotFound
from correspondence.records.models import Event, Inspection, Letter, Office, User
from correspondence.records.store import current_actor
from correspondence.records.vocabulary import Direction, FilePurpose, LetterKind, LetterStatus
from correspondence.register import letters, references

ANSWERED_HOW = ("no reply needed", "answered outside the tool")
REPLIED = "replied"
IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")  # a logo or a scan: kept as it came
MAX_NOTE = 1000


@dataclass
class PostEntry:
    """What the person logging a letter says about it (the preview's fields, as checked)."""

    direction: Direction
    letter_date: dt.date | None
    sender: str = ""
    sender_title: str = ""
    reference: str = ""  # theirs for a letter received; ours, kept as it is, for one we sent
    take_reference: bool = False  # one we sent: take the next reference from the office's scheme instead
    addressee_name: str = ""
    addressee_role: str = ""
    subject: str = ""
    owner_id: int | None = None
    reply_by: dt.date | None = None
    inspection_id: int | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)  # (name, bytes) kept with a letter received


def check_entry(session: Session, office: Office, entry: PostEntry, today: dt.date) -> list[InvalidInput]:
    """Every problem with ``entry`` at once, each about its field (the web shows them all; the
    command line the first)."""
    problems = []
    if entry.letter_date is None:
        problems.append(InvalidInput("enter the letter's date", field="letter_date"))
    elif entry.letter_date > today:
        problems.append(InvalidInput(f"{long_date(entry.letter_date)} is in the future", field="letter_date"))
    if entry.direction is Direction.IN and not entry.sender.strip():
        problems.append(InvalidInput("enter who sent it", field="sender"))
    if entry.direction is Direction.OUT and not (entry.addressee_name.strip() or entry.addressee_role.strip()):
        problems.append(InvalidInput("enter who it went to", field="addressee_name"))
    if entry.direction is Direction.OUT and not entry.take_reference and entry.reference.strip():
        try:
            reference = references.clean_reference(entry.reference)
            if references.is_issued(session, office, reference):
                problems.append(InvalidInput(f"{reference} has already been used by {office.short_name}, and a reference is never "
                                             "used twice; take the next one from the office's scheme instead", field="reference"))
        except InvalidInput as refused:
            problems.append(InvalidInput(refused.refusal, field="reference"))
    if entry.direction is Direction.IN and entry.reply_by is not None and entry.letter_date is not None \
            and entry.reply_by < entry.letter_date:
        problems.append(InvalidInput(f"{long_date(entry.reply_by)} is before the letter's date, {long_date(entry.letter_date)}",
                                     field="reply_by"))
    if entry.owner_id is not None and _owner(session, office, entry.owner_id) is None:
        problems.append(InvalidInput("choose someone in the office", field="owner"))
    inspection = session.get(Inspection, entry.inspection_id) if entry.inspection_id is not None else None
    if entry.inspection_id is not None and (inspection is None or not concerns_office(inspection, office)):
        problems.append(InvalidInput("choose one of the office's inspections", field="inspection"))
    return problems


def log_post(session: Session, office: Office, entry: PostEntry, *, file: Path, file_name: str, text: str | None = None,
             today: dt.date | None = None) -> Letter:
    """Register the letter and keep its file (and a received e-mail's attachments) in the store, in this
    transaction: a letter received (status received) or one the office sent outside the tool
    (status sent, with its own reference kept, or the next of the office's scheme taken)."""
    today = today or dt.date.today()
    problems = check_entry(session, office, entry, today)
    if problems:
        raise problems[0]
    assert entry.letter_date is not None  # checked above
    reference = entry.reference.strip() or None
    if entry.direction is Direction.OUT and entry.take_reference:
        reference = references.allocate(session, office, taken_on=entry.letter_date)
    sender = ", ".join(part.strip() for part in (entry.sender, entry.sender_title) if part.strip())
    letter = letters.log_letter(
        session, office=office, direction=entry.direction, letter_date=entry.letter_date, reference=reference,
        addressee=roles.Addressing(name=entry.addressee_name.strip(), role=entry.addressee_role.strip()),
        sender=sender, subject=entry.subject.strip(), kind=LetterKind.OTHER, inspection_id=entry.inspection_id,
        file=file, file_name=file_name, text=text, today=today, as_found=True,
        reference_taken=entry.direction is Direction.OUT and entry.take_reference,
    )
    if entry.direction is Direction.IN:
        letter.owner_id = entry.owner_id
        letter.reply_by = entry.reply_by
        for name, content in entry.attachments:
            keep_attachment(session, letter, content, name)
        session.flush()
    return letter


def keep_attachment(session: Session, letter: Letter, content: bytes, name: str) -> None:
    """An attachment that came with an e-mail: a document passes the gate as any file kept with a
    letter (add_attachment); a picture (a logo, a scanned page) is kept as it came, never opened."""
    if content.startswith(IMAGES):
        store_file(session, content, file_name=name, purpose=FilePurpose.ATTACHMENT, letter=letter, why="came with the e-mail",
                   mirror_stem=f"{letter.reference or 'letter-' + str(letter.id)}-{Path(name).stem}")
    else:
        add_attachment(session, letter, content, file_name=name, why="came with the e-mail")


# --- owning and answering ---------------------------------------------------------------------------


def assign(session: Session, letter: Letter, *, owner: User | None, reply_by: dt.date | None) -> Letter:
    """Give a letter received its owner and reply-by date (either may be cleared)."""
    _received(letter)
    if owner is not None and owner.office_id != letter.office_id:
        raise InvalidInput("choose someone in the office", field="owner")
    if reply_by is not None and reply_by < letter.letter_date:
        raise InvalidInput(f"{long_date(reply_by)} is before the letter's date, {long_date(letter.letter_date)}", field="reply_by")
    letter.owner_id = owner.id if owner is not None else None
    letter.reply_by = reply_by
    session.flush()
    return letter


def mark_answered(session: Session, letter: Letter, *, on: dt.date, how: str, note: str = "",
                  today: dt.date | None = None) -> Letter:
    """Say a letter received needs no reply, or was answered outside the tool, on ``on``: it leaves
    the letters to answer. The note is kept in the event log with the date and who said it."""
    _received(letter)
    if how not in ANSWERED_HOW:
        raise InvalidInput(f"say whether no reply is needed or it was answered outside the tool, not {how!r}", field="how")
    if letter.answered_on is not None:
        raise InvalidInput(f"letter {letter.label} was already answered on {long_date(letter.answered_on)}")
    if on > (today or dt.date.today()):
        raise InvalidInput(f"{long_date(on)} is in the future", field="answered_on")
    if on < letter.letter_date:
        raise InvalidInput(f"{long_date(on)} is before the letter's date, {long_date(letter.letter_date)}", field="answered_on")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is {len(note):,} characters; at most {MAX_NOTE:,}", field="note")
    letter.answered_on = on
    session.flush()
    _log_answer(session, letter, on, how, note)
    return letter


def answered_by(session: Session, reply: Letter, sent_on: dt.date) -> None:
    """A reply marked sent answers the letter it replies to, on the day it went (if not answered already)."""
    if reply.in_reply_to_id is None:
        return
    original = session.get(Letter, reply.in_reply_to_id)
    if original is None or original.direction is not Direction.IN or original.answered_on is not None:
        return
    original.answered_on = sent_on
    session.flush()
    _log_answer(session, original, sent_on, REPLIED, f"reply {reply.label} sent")


def how_answered(session: Session, letter: Letter) -> tuple[str, str, str]:
    """(how, note, who) for an answered letter, from the event log; ("", "", "") if it is not answered."""
    if letter.answered_on is None:
        return "", "", ""
    event = session.scalar(select(Event).where(Event.entity == "letters", Event.entity_id == letter.id, Event.change == "answered")
                           .order_by(Event.id.desc()).limit(1))
    if event is None:
        return "", "", ""
    return str(event.data.get("how", "")), str(event.data.get("note", "")), event.actor


def letters_to_answer(session: Session, office: Office, user: User | None = None) -> list[Letter]:
    """Letters received, not yet answered, that someone owns or that have a reply-by date (``user``:
    only theirs), the soonest due first: one statement however many there are."""
    query = (select(Letter).options(selectinload(Letter.owner))
             .where(Letter.office_id == office.id, Letter.direction == Direction.IN, Letter.status == LetterStatus.RECEIVED,
                    Letter.answered_on.is_(None), or_(Letter.owner_id.is_not(None), Letter.reply_by.is_not(None))))
    if user is not None:
        query = query.where(Letter.owner_id == user.id)
    query = query.order_by(Letter.reply_by.is_(None), Letter.reply_by, Letter.letter_date, Letter.id)
    return list(session.scalars(query))


def office_people(session: Session, office: Office) -> list[User]:
    """The office's active users, who may own a letter, by full name."""
    query = select(User).where(User.office_id == office.id, User.active.is_(True))
    return sorted(session.scalars(query), key=lambda user: user.display_name.lower())


def find_owner(session: Session, office: Office, name: str) -> User:
    """The office's active user with this login or full name (case ignored)."""
    wanted = " ".join(name.split()).lower()
    query = select(User).where(User.office_id == office.id, User.active.is_(True),
                               or_(func.lower(User.name) == wanted, func.lower(User.full_name) == wanted))
    found = list(session.scalars(query))
    if len(found) != 1:
        raise NotFound(f"nobody in {office.short_name} is called {name!r}" if not found
                       else f"{len(found)} people in {office.short_name} are called {name!r}; give the login name", field="owner")
    return found[0]


def _owner(session: Session, office: Office, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.office_id == office.id and user.active else None


def _received(letter: Letter) -> None:
    if letter.direction is not Direction.IN:
        raise InvalidInput(f"letter {letter.label} is one of ours; only a letter received is owned and answered")


def _log_answer(session: Session, letter: Letter, on: dt.date, how: str, note: str) -> None:
    session.add(Event(occurred_at=dt.datetime.now(dt.timezone.utc), actor=current_actor()[:200], entity="letters",
                      entity_id=letter.id, change="answered", data={"answered_on": on.isoformat(), "how": how, "note": note}))
    session.flush()
