"""Letter files outside the store: the command line's working copies, an office's mirror folder,
and the check that every letter's stored file is still the one its record names.

The store keeps every letter's file as versions (files/versions.py); a folder is never the record.
The command line writes a copy to open in Word (``letters/`` in the working folder, the ``letters``
setting, or a folder it is given), and an office may name a mirror folder (``Office.letters_dir``)
that gets a copy of each new version. Neither is ever overwritten: each copy takes a free name.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from correspondence.records import settings
from correspondence.records.errors import InvalidInput
from correspondence.records.models import FileContent, FileVersion, Letter, Office
from correspondence.records.transactions import remember_written
from correspondence.records.vocabulary import FilePurpose, LetterStatus

DEFAULT_FOLDER = "letters"


def default_folder() -> Path:
    """Where the command line writes copies to open in Word: the ``letters`` setting, else letters/
    beside the folder's corr.toml, else letters/ in the working folder."""
    setting = settings.lookup("letters")
    if setting is not None:
        return setting.as_path().resolve()
    folder_file = settings.folder_file()
    return (folder_file.parent / DEFAULT_FOLDER if folder_file else Path(DEFAULT_FOLDER)).resolve()


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or ``stem-2``, ``stem-3``... when that name is taken.

    A file in the way may belong to another letter, another database sharing the folder, or a
    draft whose command was killed before it was stored: whichever, it is never replaced, moved or
    deleted, and it never stops the next letter being written.
    """
    for attempt in range(1, 10_000):
        candidate = folder / f"{stem}{'' if attempt == 1 else f'-{attempt}'}{suffix}"
        if not candidate.exists():
            return candidate
    raise InvalidInput(f"{folder}: too many files named {stem}{suffix}")


def write_new(session: Session, folder: Path, stem: str, suffix: str, content: bytes, *, field: str = "out",
              called: str | None = None) -> Path:
    """Write ``content`` to a new file in ``folder`` (a free name), on disk before the transaction
    commits; removed if it fails. ``field`` and ``called`` say, if it cannot be written, which
    setting chose the folder and how to name it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, stem, suffix)
        with open_new(target) as writing:
            remember_written(session, target)
            writing.write(content)
            writing.flush()
            os.fsync(writing.fileno())
    except OSError as error:
        raise InvalidInput(f"cannot write a copy into {called or folder} ({error.strerror or error})", field=field,
                           value=folder) from None
    return target


def check_mirror_folder(session: Session, office: Office, folder: str | None) -> str | None:
    """The folder an office names as its mirror, absolute; refused when another office names it
    (or one inside the other), so two offices' files and publications never mix."""
    if not folder:
        return None
    chosen = Path(folder).expanduser().resolve()
    for other in session.scalars(select(Office).where(Office.id != office.id, Office.letters_dir.isnot(None))):
        theirs = Path(other.letters_dir).resolve()
        if chosen == theirs:
            clash = f"{chosen} is {other.short_name}'s folder"
        elif chosen.is_relative_to(theirs):
            clash = f"{chosen} is inside {other.short_name}'s folder {theirs}"
        elif theirs.is_relative_to(chosen):
            clash = f"{chosen} holds {other.short_name}'s folder {theirs}"
        else:
            continue
        raise InvalidInput(f"{clash}; {office.short_name} needs a folder of its own", field="letters_dir", value=folder)
    return str(chosen)


def open_new(path: Path):  # noqa: ANN201 - a binary file object
    """Create ``path`` for writing, failing if it exists; its mode follows the user's umask (so
    colleagues on a shared drive can open letters when the office's umask lets them)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb")


def make_read_only(path: Path) -> None:
    """A sent letter's file: nobody may write it; whoever could read it still can."""
    path.chmod(path.stat().st_mode & 0o444)


# --- is each letter's stored file still what its record names? -------------------------------


class FileState(enum.Enum):
    NO_FILE = "no file recorded"
    AS_SENT = "matches what was sent"
    AS_DRAFTED = "current version as recorded"
    AS_RECORDED = "matches what was recorded"
    CHANGED_SINCE_SENT = "CHANGED since it was sent: the file kept is not the letter that went out"
    CHANGED_SINCE_RECORDED = "CHANGED since it was recorded"
    MISSING = "MISSING"
    UNREADABLE = "DAMAGED: the stored bytes do not match their SHA-256"

    @property
    def is_problem(self) -> bool:
        return self in _PROBLEMS


_PROBLEMS = {FileState.CHANGED_SINCE_SENT, FileState.CHANGED_SINCE_RECORDED, FileState.MISSING, FileState.UNREADABLE}


@dataclass
class FileCheck:
    letter: Letter
    version: FileVersion | None
    state: FileState
    sha256: str | None = None  # the current version's SHA-256, when there is one

    @property
    def label(self) -> str:
        return self.letter.label

    @property
    def where(self) -> str:
        return f"version {self.version.number} ({self.version.file_name})" if self.version else ""

    @property
    def description(self) -> str:
        if self.state is FileState.MISSING:
            return "MISSING: no file is kept for it (it was not found when files moved into the store)"
        return self.state.value


def check_files(session: Session, letters: Iterable[Letter], *, read_bytes: bool = True) -> list[FileCheck]:
    """Each letter's current version against the letter's recorded SHA-256, and (``read_bytes``) its
    bytes against their own: one query for the versions, then the bytes read one letter at a time.
    A page showing a letter skips reading the bytes: the triggers keep them as they were stored."""
    import hashlib

    letters = [letter for letter in letters if letter.file_sha256]
    current: dict[int, FileVersion] = {}
    for chunk in range(0, len(letters), 500):
        ids = [letter.id for letter in letters[chunk:chunk + 500]]
        for version in session.scalars(select(FileVersion).where(FileVersion.letter_id.in_(ids), FileVersion.purpose == FilePurpose.LETTER)
                                       .order_by(FileVersion.number)):
            current[version.letter_id] = version  # the highest number wins
    checks = []
    for letter in letters:
        version = current.get(letter.id)
        if version is None:
            checks.append(FileCheck(letter, None, FileState.MISSING))
            continue
        content = session.scalar(select(FileContent.content).where(FileContent.id == version.content_id)) if read_bytes else None
        if read_bytes and (content is None or hashlib.sha256(content).hexdigest() != version.sha256):
            checks.append(FileCheck(letter, version, FileState.UNREADABLE, version.sha256))
            continue
        same = version.sha256 == letter.file_sha256
        if letter.status is LetterStatus.SENT:
            state = FileState.AS_SENT if same else FileState.CHANGED_SINCE_SENT
        elif letter.status is LetterStatus.DRAFT:
            state = FileState.AS_DRAFTED if same else FileState.CHANGED_SINCE_RECORDED
        else:
            state = FileState.AS_RECORDED if same else FileState.CHANGED_SINCE_RECORDED
        checks.append(FileCheck(letter, version, state, version.sha256))
    return checks


def letters_with_files(session: Session, office: Office | None = None) -> list[Letter]:
    query = select(Letter).where(Letter.file_sha256.isnot(None)).options(selectinload(Letter.office)).order_by(Letter.id)
    if office is not None:
        query = query.where(Letter.office_id == office.id)
    return list(session.scalars(query))


def safe_filename(reference: str) -> str:
    """A reference as a file name on any system: OPCC/114/19 -> OPCC-114-19."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", reference).strip("-.")
    return name or "letter"
