"""The register as offices keep it: the thread of a letter, and corrections of sent letters.

A sent letter is never changed (a database trigger refuses it). A correction is a new letter: a
draft that points to the letter it supersedes, with its own reference and its own file (whose
versions are in the store, as every letter's are).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from correspondence.files import gate, letter_files
from correspondence.files.letter_files import safe_filename
from correspondence.files.letter_versions import current_version, keep_letter_file
from correspondence.files.versions import read_bytes
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Letter
from correspondence.records.vocabulary import LetterStatus
from correspondence.register import references


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
              file: Path | None = None, copy_dir: Path | None = None) -> tuple[Letter, Path | None]:
    """A new draft that corrects a sent letter, pointing to it. Its file starts as the old one's
    sent version (or ``file``), to edit and bring back as a new version before it is sent; the old
    letter is left untouched. Returns the draft and a copy to open in Word, as drafting makes one:
    in ``out_dir`` when asked for, else the office's mirror folder's copy, else in ``copy_dir``."""
    if old.status is not LetterStatus.SENT:
        raise InvalidInput(f"letter {old.label} is {old.status}; only a sent letter is superseded (edit a draft instead)")
    reference = references.reserve(session, old.office, reference or _next_version(session, old))
    content, name = None, f"{safe_filename(reference)}.docx"
    if file is not None:
        content = gate.admit(file, gate.ENCLOSURE).content  # files/gate.py, as a file kept with a letter
        name = f"{safe_filename(reference)}{file.suffix.lower()}"
    elif (sent := current_version(session, old)) is not None:
        content, name = read_bytes(session, sent), f"{safe_filename(reference)}{sent.suffix}"
    new = Letter(
        office=old.office, reference=reference, direction=old.direction, letter_date=letter_date,
        status=LetterStatus.DRAFT, kind=old.kind, sender=old.sender, addressee_name=old.addressee_name,
        addressee_role=old.addressee_role, addressee_address=old.addressee_address, cc=old.cc, subject=old.subject,
        force_id=old.force_id, inspection_id=old.inspection_id, meeting_id=old.meeting_id, supersedes=old,
        file_sha256=hashlib.sha256(content).hexdigest() if content is not None else None,
    )
    session.add(new)
    session.flush()
    copy = None
    if content is not None:
        version = keep_letter_file(session, new, content, file_name=name, why=f"a correction of {old.label}, starting from its file as sent")
        folder = out_dir or (None if version.mirror_path else copy_dir)
        if folder is not None:
            copy = letter_files.write_new(session, folder, safe_filename(reference), version.suffix, content)
        elif version.mirror_path:
            copy = Path(version.mirror_path)
    return new, copy


def _next_version(session: Session, old: Letter) -> str:
    base = old.reference or f"LETTER-{old.id}"
    for version in range(2, 1000):
        candidate = f"{base}-v{version}"
        if not references.is_issued(session, old.office, candidate):
            return candidate
    raise InvalidInput(f"{base} has too many versions")
