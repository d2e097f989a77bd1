"""The register of letters in and out: logging, finding, and deleting drafts."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.orm import Session, selectinload

from correspondence.files import gate
from correspondence.files.documents import document_text, read_document
from correspondence.files.letter_versions import keep_letter_file
from correspondence.organisation import roles
from correspondence.organisation.offices import get_force, get_office
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput, NotFound, Step, named
from correspondence.records.limits import INT32_MAX
from correspondence.records.models import Letter, Office
from correspondence.records.record_numbers import record_number
from correspondence.records.vocabulary import Direction, LetterKind, LetterStatus
from correspondence.register import references
from correspondence.register.search import matches_words
from correspondence.tracking.inspections import get_inspection

_STATUSES_FOR = {
    Direction.OUT: (LetterStatus.DRAFT, LetterStatus.SENT),
    Direction.IN: (LetterStatus.RECEIVED,),
}


def log_letter(
    session: Session,
    *,
    office: Office,
    direction: Direction,
    letter_date: dt.date,
    reference: str | None = None,
    addressee: roles.Addressing | None = None,
    status: LetterStatus | None = None,
    sender: str = "",
    cc: str = "",
    subject: str = "",
    kind: LetterKind = LetterKind.OTHER,
    inspection_id: int | None = None,
    force_name: str | None = None,
    file: Path | None = None,
    file_name: str | None = None,
    today: dt.date | None = None,
    as_found: bool = False,
    text: str | None = None,
    reference_taken: bool = False,
) -> Letter:
    """Register a letter that already exists (written by hand, or received).

    An outgoing letter may have no reference (most published letters carry none); every
    reference given is spent in the ledger and never used again. Its file, if given, is kept in the
    store as the letter's first version (``file_name`` is what to call it, when ``file`` is an upload
    waiting under another name), so a moved or deleted original loses nothing. ``as_found``
    registers it as its file has it (the letter importer): a role may name nobody recorded ("Dear Residents").
    """
    status = status or (LetterStatus.SENT if direction is Direction.OUT else LetterStatus.RECEIVED)
    if status not in _STATUSES_FOR[direction]:
        allowed = " or ".join(_STATUSES_FOR[direction])
        raise InvalidInput(f"a letter {direction} can be {allowed}, not {status}", field="status", value=status)
    if status is not LetterStatus.DRAFT and letter_date > (today or dt.date.today()):
        raise InvalidInput(f"{long_date(letter_date)} is in the future, and a {status} letter is dated when it went", field="letter_date")
    if direction is Direction.OUT and reference and not reference_taken:  # reference_taken: allocated from the scheme just now
        reference = references.reserve(session, office, reference)
    elif reference:
        reference = references.clean_reference(reference)

    inspection = get_inspection(session, inspection_id) if inspection_id is not None else None
    force = get_force(session, force_name) if force_name else (inspection.force if inspection else None)
    name, role, address = _resolve_addressee(session, addressee or roles.Addressing(), letter_date, office, as_found)
    stored_name = file_name or (file.name if file is not None else "")
    content = gate.admit(file, gate.LOGGED, name=str(file)).content if file is not None else None  # files/gate.py
    if text is None:  # ``text``: the file's text as already read (an e-mail's, not its MIME source)
        text = document_text(content, stored_name) if content is not None else ""

    letter = Letter(
        office=office,
        reference=reference or None,
        direction=direction,
        letter_date=letter_date,
        status=status,
        sender=sender or (office.signatory_name if direction is Direction.OUT else ""),
        addressee_name=name,
        addressee_role=role,
        addressee_address=address,
        cc=cc,
        subject=subject,
        kind=kind,
        inspection=inspection,
        force=force,
        file_sha256=hashlib.sha256(content).hexdigest() if content is not None else None,
        body_text=text,
    )
    session.add(letter)
    session.flush()
    if content is not None:
        keep_letter_file(session, letter, content, file_name=stored_name, why="received" if direction is Direction.IN else "logged", text=text)
    return letter


def file_text(path: Path) -> str:
    """The letter file's text for the search index; a file that cannot be read adds no text."""

    try:
        return read_document(path)
    except CorrespondenceError:
        return ""


@dataclass
class LetterFilter:
    office: str | None = None
    force: str | None = None
    direction: Direction | None = None
    status: LetterStatus | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str | None = None
    limit: int | None = None


def list_letters(session: Session, wanted: LetterFilter | None = None) -> list[Letter]:
    wanted = wanted or LetterFilter()
    query = filtered_query(session, wanted).options(selectinload(Letter.office), selectinload(Letter.force))
    query = query.order_by(Letter.letter_date.desc(), Letter.id.desc())
    if wanted.limit:
        query = query.limit(min(wanted.limit, INT32_MAX))  # more than the register can hold means all of it
    return list(session.scalars(query))


def count_letters(session: Session, wanted: LetterFilter) -> int:
    """How many letters the filter matches, whatever its limit."""
    return session.scalar(select(func.count()).select_from(filtered_query(session, wanted).subquery())) or 0


def filtered_query(session: Session, wanted: LetterFilter):  # noqa: ANN202 - a Select
    if wanted.date_from and wanted.date_to and wanted.date_from > wanted.date_to:
        raise InvalidInput(f"{named('date_from')} is after {named('date_to')}")
    query = select(Letter)
    if wanted.office:
        query = query.where(Letter.office_id == get_office(session, wanted.office).id)
    if wanted.force:
        query = query.where(Letter.force_id == get_force(session, wanted.force).id)
    if wanted.direction:
        query = query.where(Letter.direction == wanted.direction)
    if wanted.status:
        query = query.where(Letter.status == wanted.status)
    if wanted.date_from:
        query = query.where(Letter.letter_date >= wanted.date_from)
    if wanted.date_to:
        query = query.where(Letter.letter_date <= wanted.date_to)
    if wanted.text:
        needle = wanted.text.lower()
        searched = (Letter.reference, Letter.subject, Letter.addressee_name, Letter.addressee_role, Letter.sender, Letter.cc)
        conditions = [func.lower(column).contains(needle, autoescape=True) for column in searched]
        in_text = matches_words(session.get_bind().dialect.name, wanted.text, Letter.id)
        query = query.where(or_(*conditions, *([in_text] if in_text is not None else [])))
    return query


def reference_key_of(column: Any) -> Any:
    """A reference as it is looked up, case and spaces ignored: in SQL, written exactly as the index
    ix_letters_reference_key (migration 0011) has it, literals included, so the database uses it."""
    return func.upper(func.replace(column, literal_column("' '"), literal_column("''")))


def get_letter(session: Session, reference: str, office: str | None = None) -> Letter:
    """The letter with ``reference`` (or ``#ID``); ambiguous references must name the office."""
    query = select(Letter).options(selectinload(Letter.office))
    if reference.startswith("#") and reference[1:].isdigit():
        query = query.where(Letter.id == record_number(reference, "letter"))
    else:
        query = query.where(reference_key_of(Letter.reference) == references.reference_key(reference))
    if office:
        query = query.where(Letter.office_id == get_office(session, office).id)
    found = list(session.scalars(query))
    if not found:
        raise NotFound(f"no letter with reference {reference!r}", steps=[Step("find_letter", "search the register")])
    if len(found) > 1:
        choices = ", ".join(f"#{letter.id} ({letter.office.short_name}, {letter.direction})" for letter in found)
        raise InvalidInput(f"reference {reference!r} matches {len(found)} letters: {choices}",
                           steps=[Step("choose_letter", "say which letter is meant")])
    return found[0]


def delete_draft(session: Session, letter: Letter) -> None:
    """Remove a draft's record and its versions. Its reference stays spent; the stored bytes stay
    in the store (they are never deleted), and the event log names their SHA-256."""
    if letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {letter.label} is {letter.status}; only drafts can be deleted")
    session.delete(letter)
    session.flush()


def _resolve_addressee(session: Session, addressee: roles.Addressing, on: dt.date, office: Office,
                       as_found: bool = False) -> tuple[str, str, str]:
    if addressee.role and not addressee.name:
        try:
            holder = roles.addressing(session, addressee.role, on, office)
        except NotFound:
            if not as_found:
                raise
            return "", addressee.role, addressee.address
        return holder.name, holder.role, addressee.address or holder.address
    return addressee.name, addressee.role, addressee.address
