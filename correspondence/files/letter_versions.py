"""A letter's own file, as versions in the store: the drafted file, each new version uploaded after
editing it in Word, a letter logged or received with its file.

The letter's ``file_sha256`` is always its current version's, and its ``body_text`` (what the
register's search reads) the current version's text. A new version voids any approval (clearance
compares the approved SHA-256 with the current one). A sent letter takes no new version: a
database trigger refuses any change to it, and a correction is a new letter that supersedes it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from correspondence.files import gate
from correspondence.files.documents import document_text
from correspondence.files.versions import latest, store_file, versions_of
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import FileVersion, Letter
from correspondence.records.vocabulary import Direction, FilePurpose, LetterStatus

MAX_WHY = 1000


def keep_letter_file(session: Session, letter: Letter, content: bytes, *, file_name: str, why: str,
                     text: str | None = None) -> FileVersion:
    """Keep ``content`` as the letter's next version and make it current (no checks of the letter's
    state: for a letter being created, whatever its status, whose record already holds the file's
    SHA-256 and ``text``, so a sent letter's row is never updated)."""
    version = store_file(session, content, file_name=file_name, purpose=FilePurpose.LETTER, letter=letter, why=why,
                         mirror_stem=letter.reference or f"letter-{letter.id}")
    if letter.file_sha256 != version.sha256:
        letter.file_sha256 = version.sha256
    text = document_text(content, file_name) if text is None else text
    if letter.body_text != text:
        letter.body_text = text
    return version


def add_version(session: Session, letter: Letter, content: bytes, *, file_name: str, why: str) -> FileVersion:
    """A new version of a draft, uploaded after editing it in Word (or from the command line).

    Only a draft we are sending takes one; it must be a plain Word .docx (packages.check_word_letter),
    and why it was made is kept with it. Its approval, if any, is void from now on."""
    session.refresh(letter, with_for_update=True)  # on PostgreSQL a second upload waits here, then numbers after this one
    if letter.direction is not Direction.OUT:
        raise InvalidInput(f"letter {letter.label} was received; it is kept as it came")
    if letter.status is LetterStatus.WITHDRAWN:
        raise InvalidInput(f"letter {letter.label} was withdrawn; a withdrawn draft takes no new version")
    if letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {letter.label} was sent; a sent letter takes no new version",
                           steps=[Step("supersede", "correct it with a new letter that supersedes it", letter=letter.label)])
    why = (why or "").strip()
    if not why:
        raise InvalidInput("say why this version was made (for example, the Chief Executive's edits)", field="why")
    if len(why) > MAX_WHY:
        raise InvalidInput(f"the reason is {len(why):,} characters; at most {MAX_WHY:,}", field="why")
    if not file_name.lower().endswith(".docx"):
        raise InvalidInput(f"{Path(file_name).name}: is not a Word .docx file (save it from Word as .docx)", field="file", value=file_name)
    check_word_bytes(content, file_name)
    return keep_letter_file(session, letter, content, file_name=file_name, why=why)


def check_word_bytes(content: bytes, file_name: str, *, external_ok: bool = False) -> None:
    """The gate (files/gate.py) for a Word file held in memory (an upload), named as the user knows it."""
    gate.admit(content, gate.LOGGED_WORD if external_ok else gate.VERSION, name=Path(file_name.replace("\\", "/")).name)


def current_version(session: Session, letter: Letter) -> FileVersion | None:
    return latest(session, letter=letter)


def letter_versions(session: Session, letter: Letter) -> list[FileVersion]:
    """Every version of the letter's file, oldest first."""
    return versions_of(session, letter=letter)


def add_attachment(session: Session, letter: Letter, content: bytes, *, file_name: str, why: str) -> FileVersion:
    """A file kept with a letter: an enclosure sent with one of ours (only before it is sent: what
    went is what was kept), or an attachment that came with a letter received (the chief officer's
    reply's annexes). A Word file is checked as a letter is."""
    why = (why or "").strip()
    if not why:
        raise InvalidInput("say what the file is (for example, Annex B: the force's action plan)", field="why")
    if len(why) > MAX_WHY:
        raise InvalidInput(f"the description is {len(why):,} characters; at most {MAX_WHY:,}", field="why")
    if not content:
        raise InvalidInput(f"{Path(file_name).name}: is empty", field="file", value=file_name)
    if letter.status is LetterStatus.WITHDRAWN:
        raise InvalidInput(f"letter {letter.label} was withdrawn; nothing more is added to it")
    if letter.direction is Direction.OUT and letter.status is not LetterStatus.DRAFT:
        raise InvalidInput(f"letter {letter.label} was sent; what went with it cannot change",
                           steps=[Step("supersede", "correct it with a new letter that supersedes it", letter=letter.label)])
    gate.admit(content, gate.ENCLOSURE, name=Path(file_name.replace("\\", "/")).name)  # a Word file is checked as a letter is
    purpose = FilePurpose.ENCLOSURE if letter.direction is Direction.OUT else FilePurpose.ATTACHMENT
    return store_file(session, content, file_name=file_name, purpose=purpose, letter=letter, why=why,
                      mirror_stem=f"{letter.reference or 'letter-' + str(letter.id)}-{Path(file_name).stem}")


def attachments_of(session: Session, letter: Letter) -> list[FileVersion]:
    """The letter's enclosures or attachments, in the order they were added."""
    purpose = FilePurpose.ENCLOSURE if letter.direction is Direction.OUT else FilePurpose.ATTACHMENT
    return versions_of(session, letter=letter, purpose=purpose)
