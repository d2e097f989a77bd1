"""Files kept in the store: add a version, find the current one, read its bytes.

Every file the tool writes or is given goes through ``store_file`` in the transaction of the record
it belongs to, so the record and its file commit together or not at all. Bytes are stored once per
SHA-256 (``FileContent``) and a version (``FileVersion``) says whose file it is, its number, name,
media type, who added it, when and why. Nothing here ever changes or deletes a stored version
(migration 0012's triggers refuse it); a change is a new version.

An office that names a folder (``Office.letters_dir``) also gets a copy of each new version there,
under a new name (never over another file): the folder is a mirror for offices that want files on
their shared drive, never the record. The copy is removed again if the transaction fails.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from correspondence.files.documents import MAX_BYTES
from correspondence.files.letter_files import safe_filename, write_new
from correspondence.records.errors import InvalidInput
from correspondence.records.models import FileContent, FileVersion, Inspection, Letter, Office, S55Response
from correspondence.records.numbering import next_number
from correspondence.records.store import current_actor
from correspondence.records.vocabulary import Direction, FilePurpose

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = {
    ".docx": DOCX,
    ".pdf": "application/pdf",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".eml": "message/rfc822",
}
MAX_STORED_BYTES = MAX_BYTES  # the largest document the tool reads, and the web's upload limit
MIRRORED = {FilePurpose.LETTER, FilePurpose.ENCLOSURE, FilePurpose.ATTACHMENT, FilePurpose.SOURCE,
            FilePurpose.PUBLICATION, FilePurpose.INDEX}


def media_type_for(name: str) -> str:
    """The media type a file's name implies; ``application/octet-stream`` for anything else."""
    return MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def store_file(session: Session, content: bytes, *, file_name: str, purpose: FilePurpose, why: str = "",
               office: Office | None = None, letter: Letter | None = None, inspection: Inspection | None = None,
               response: S55Response | None = None, source: FileVersion | None = None,
               mirror_stem: str | None = None) -> FileVersion:
    """Keep ``content`` as the next version of its owner's file of this purpose, in this transaction.

    The owner is the letter, else the response, else the inspection, else the office. Two people
    adding a version of the same file at once both keep theirs, one numbered after the other: the
    owner's row is locked while the number is taken (on SQLite the write lock does the same).
    """
    if len(content) > MAX_STORED_BYTES:
        raise InvalidInput(f"{file_name}: is {len(content) / 1024 / 1024:.0f} MB; the largest file kept is "
                           f"{MAX_STORED_BYTES // 1024 // 1024} MB", field="file", value=file_name)
    office = office or (letter.office if letter is not None else response.office if response is not None else None)
    owner_key = _owner_key(session, letter, response, inspection, office)
    sha256 = hashlib.sha256(content).hexdigest()
    stored = FileVersion(
        office=office, letter=letter, inspection=inspection, response=response, owner_key=owner_key, purpose=purpose,
        number=_next_number(session, owner_key, purpose), content=_content(session, sha256, content), sha256=sha256,
        size=len(content), file_name=_plain_name(file_name), media_type=media_type_for(file_name), added_by=current_actor(),
        why=why, source_id=source.id if source is not None else None,
    )
    if office is not None and office.letters_dir and purpose in MIRRORED:
        received = letter is not None and letter.direction is Direction.IN
        stored.mirror_path = str(_mirror(session, Path(office.letters_dir), purpose, mirror_stem or Path(stored.file_name).stem,
                                         stored.number, stored.suffix, content, received=received))
    session.add(stored)
    session.flush()
    return stored


def read_bytes(session: Session, version: FileVersion) -> bytes:
    """The version's bytes, checked against its SHA-256 as they are read."""
    content = session.scalar(select(FileContent.content).where(FileContent.id == version.content_id))
    if content is None or hashlib.sha256(content).hexdigest() != version.sha256:
        raise InvalidInput(f"{version.file_name} (version {version.number}): the stored bytes do not match their SHA-256")
    return bytes(content)


@contextmanager
def as_file(session: Session, version: FileVersion) -> Iterator[Path]:
    """The version written to a private temporary file, for a reader that needs a path (LibreOffice,
    python-docx); removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="corr-file-") as folder:
        path = Path(folder) / (Path(version.file_name).name or f"file{version.suffix}")
        path.write_bytes(read_bytes(session, version))
        yield path


def versions_of(session: Session, *, letter: Letter | None = None, inspection: Inspection | None = None,
                response: S55Response | None = None, office: Office | None = None,
                purpose: FilePurpose = FilePurpose.LETTER) -> list[FileVersion]:
    """Every version of one owner's file of ``purpose``, oldest first (no bytes are read)."""
    key = _owner_key(session, letter, response, inspection, office)
    query = select(FileVersion).where(FileVersion.owner_key == key, FileVersion.purpose == purpose)
    return list(session.scalars(query.order_by(FileVersion.number)))


def latest(session: Session, *, letter: Letter | None = None, inspection: Inspection | None = None,
           response: S55Response | None = None, office: Office | None = None,
           purpose: FilePurpose = FilePurpose.LETTER) -> FileVersion | None:
    """The current (highest-numbered) version of one owner's file of ``purpose``, if any."""
    key = _owner_key(session, letter, response, inspection, office)
    query = select(FileVersion).where(FileVersion.owner_key == key, FileVersion.purpose == purpose)
    return session.scalar(query.order_by(FileVersion.number.desc()).limit(1))


def version_number(session: Session, letter: Letter, number: int) -> FileVersion | None:
    query = select(FileVersion).where(FileVersion.owner_key == f"letter:{letter.id}", FileVersion.purpose == FilePurpose.LETTER,
                                      FileVersion.number == number)
    return session.scalar(query)


# --- inside -----------------------------------------------------------------------------------


def _owner_key(session: Session, letter: Letter | None, response: S55Response | None, inspection: Inspection | None,
               office: Office | None) -> str:
    for kind, owner in (("letter", letter), ("response", response), ("inspection", inspection), ("office", office)):
        if owner is not None:
            if owner.id is None:
                session.flush()  # a record made in this transaction: its number is needed now
            return f"{kind}:{owner.id}"
    raise ValueError("a stored file belongs to a letter, a response, an inspection or an office")


def _next_number(session: Session, owner_key: str, purpose: FilePurpose) -> int:
    """The owner's next version number, taken with the owner's row locked (records/numbering.py), so
    a second upload at the same moment waits and then numbers after the first."""
    kind, _, owner_id = owner_key.partition(":")
    owner = {"letter": Letter, "response": S55Response, "inspection": Inspection, "office": Office}[kind]
    return next_number(session, owner, int(owner_id), FileVersion.number,
                       FileVersion.owner_key == owner_key, FileVersion.purpose == purpose)


def _content(session: Session, sha256: str, content: bytes) -> FileContent:
    """The stored bytes with this SHA-256: the ones already kept, else new ones. Two transactions
    storing the same new bytes at once: the second finds the first's after the unique index refuses it."""
    existing = session.scalar(select(FileContent).where(FileContent.sha256 == sha256))
    if existing is not None:
        return existing
    new = FileContent(sha256=sha256, size=len(content), content=content)
    try:
        with session.begin_nested():
            session.add(new)
            session.flush()
    except IntegrityError:
        found = session.scalar(select(FileContent).where(FileContent.sha256 == sha256))
        if found is None:
            raise
        return found
    return new


def _plain_name(name: str) -> str:
    """The file's own name, without any folder a browser or a user put before it."""
    plain = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return plain[:300]


def _mirror(session: Session, folder: Path, purpose: FilePurpose, stem: str, number: int, suffix: str, content: bytes, *,
            received: bool = False) -> Path:
    """A copy in the office's mirror folder, under a name no other file has; removed if the transaction
    fails. Ours go in the folder itself; letters received and what came with them in received/,
    imported reports in imported/, the published package and index in publication/."""
    where = folder / {FilePurpose.PUBLICATION: "publication", FilePurpose.INDEX: "publication",
                      FilePurpose.SOURCE: "imported", FilePurpose.ATTACHMENT: "received"}.get(purpose, "received" if received else "")
    name = safe_filename(stem) + (f"-v{number}" if purpose is FilePurpose.LETTER and number > 1 else "")
    return write_new(session, where, name, suffix, content, field="letters_dir", called=f"the office's folder {folder}")
