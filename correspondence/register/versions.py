"""The register as offices keep it: the spreadsheet export, the thread of a letter, and new
versions of sent letters.

A sent letter is never changed (a database trigger refuses it). A correction is a new version:
a draft that points to the letter it supersedes, with its own reference and its own file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from correspondence.files import letter_files
from correspondence.files.digests import sha256_of
from correspondence.files.letter_files import safe_filename
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Letter
from correspondence.records.vocabulary import LetterStatus
from correspondence.register import references
from correspondence.register.letters import file_text


def thread(session: Session, letter: Letter) -> list[Letter]:
    """The letters about the same inspection or meeting, and every version of this one, by date."""
    related = [Letter.id == letter.id, Letter.supersedes_id == letter.id]
    if letter.inspection_id:
        related.append(Letter.inspection_id == letter.inspection_id)
    if letter.meeting_id:
        related.append(Letter.meeting_id == letter.meeting_id)
    if letter.supersedes_id:
        related.append(Letter.id == letter.supersedes_id)
    query = select(Letter).where(Letter.office_id == letter.office_id, or_(*related)).order_by(Letter.letter_date, Letter.id)
    return list(session.scalars(query))


def supersede(session: Session, old: Letter, *, out_dir: Path | None, letter_date: dt.date, reference: str | None = None,
              file: Path | None = None) -> Letter:
    """A new draft version of a sent letter, pointing to it. Its file starts as a copy of the
    old one (or ``file``), to edit in Word and then mark sent; the old letter is left untouched.
    The copy is writable (the sent original is read-only) with the user's usual permissions."""
    if old.status is not LetterStatus.SENT:
        raise InvalidInput(f"letter {old.reference or '#' + str(old.id)} is {old.status}; only a sent letter is superseded (edit a draft instead)")
    reference = references.reserve(session, old.office, reference or _next_version(session, old))
    source = file or letter_files.location(old)
    target = None
    if source is not None:
        if not source.is_file():
            raise InvalidInput(f"{source}: {'is a folder, not a file' if source.is_dir() else 'no such file'}")
        target = letter_files.copy_into(session, source, out_dir or letter_files.letters_folder(old.office), safe_filename(reference))
    new = Letter(
        office=old.office, reference=reference, direction=old.direction, letter_date=letter_date,
        status=LetterStatus.DRAFT, kind=old.kind, sender=old.sender, addressee_name=old.addressee_name,
        addressee_role=old.addressee_role, addressee_address=old.addressee_address, cc=old.cc, subject=old.subject,
        force_id=old.force_id, inspection_id=old.inspection_id, meeting_id=old.meeting_id, supersedes=old,
        file_path=letter_files.stored_path(old.office, target) if target else None, file_sha256=sha256_of(target) if target else None,
        body_text=file_text(target) if target else "",
    )
    session.add(new)
    session.flush()
    return new


def _next_version(session: Session, old: Letter) -> str:
    base = old.reference or f"LETTER-{old.id}"
    for version in range(2, 1000):
        candidate = f"{base}-v{version}"
        if not references.is_issued(session, old.office, candidate):
            return candidate
    raise InvalidInput(f"{base} has too many versions")
