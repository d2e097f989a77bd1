"""Where letter files live, and whether each is still the file the register recorded.

Each office keeps its letters in one folder (``Office.letters_dir``; without one, the ``letters``
setting or ``letters/`` in the working folder). A letter's ``file_path`` is relative to that
folder, so the folder can be moved, restored on another machine, or reached through another
drive letter, and only the office's one setting changes. A file outside the folder keeps its
absolute path.

A letter's recorded SHA-256 is the file as drafted (or logged, or received) until the letter is
sent, and the file as sent after. A draft is expected to be edited in Word; any other change is a
problem the check of letter files lists.
"""

from __future__ import annotations

import enum
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from correspondence.files.digests import sha256_of
from correspondence.records import settings
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Letter, Office
from correspondence.records.transactions import remember_written
from correspondence.records.vocabulary import LetterStatus

DEFAULT_FOLDER = "letters"


def default_folder() -> Path:
    """The letters folder for an office without its own: the ``letters`` setting, else letters/
    beside the folder's corr.toml, else letters/ in the working folder."""
    setting = settings.lookup("letters")
    if setting is not None:
        return setting.as_path().resolve()
    folder_file = settings.folder_file()
    return (folder_file.parent / DEFAULT_FOLDER if folder_file else Path(DEFAULT_FOLDER)).resolve()


def letters_folder(office: Office) -> Path:
    return Path(office.letters_dir) if office.letters_dir else default_folder()


def stored_path(office: Office, path: Path) -> str:
    """How ``path`` is recorded: relative to the office's folder (with /), else absolute."""
    full = path.resolve()
    try:
        return PurePosixPath(*full.relative_to(letters_folder(office).resolve()).parts).as_posix()
    except ValueError:
        return str(full)


def location(letter: Letter) -> Path | None:
    """Where the letter's file is now, or None when it has no file."""
    if not letter.file_path:
        return None
    recorded = Path(letter.file_path)
    if recorded.is_absolute():
        return recorded
    return letters_folder(letter.office).joinpath(*PurePosixPath(letter.file_path).parts)


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


def copy_into(session: Session, source: Path, folder: Path, stem: str) -> Path:
    """Copy ``source`` into ``folder`` under a free name; removed again if the transaction fails."""
    if not source.is_file():
        raise InvalidInput(f"{source}: {'is a folder, not a file' if source.is_dir() else 'no such file'}", field="file", value=source)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_name(folder, stem, source.suffix.lower())
        with source.open("rb") as reading, open_new(target) as writing:
            remember_written(session, target)
            shutil.copyfileobj(reading, writing)
    except OSError as error:
        raise InvalidInput(f"{source}: cannot copy into {folder} ({error.strerror or error})") from None
    return target


def open_new(path: Path):  # noqa: ANN201 - a binary file object
    """Create ``path`` for writing, failing if it exists; its mode follows the user's umask (so
    colleagues on a shared drive can open letters when the office's umask lets them)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "wb")


def make_read_only(path: Path) -> None:
    """A sent letter's file: nobody may write it; whoever could read it still can."""
    path.chmod(path.stat().st_mode & 0o444)


# --- is the file still what was recorded? ---------------------------------------------------------


class FileState(enum.Enum):
    NO_FILE = "no file recorded"
    AS_SENT = "matches what was sent"
    AS_DRAFTED = "matches what was drafted"
    EDITED_DRAFT = "edited since it was drafted (expected before it is sent)"
    AS_RECORDED = "matches what was recorded"
    CHANGED_SINCE_SENT = "CHANGED since it was sent: it is no longer the letter that went out"
    CHANGED_SINCE_RECORDED = "CHANGED since it was recorded"
    MISSING = "MISSING"
    UNREADABLE = "cannot be read"

    @property
    def is_problem(self) -> bool:
        return self in _PROBLEMS


_PROBLEMS = {FileState.CHANGED_SINCE_SENT, FileState.CHANGED_SINCE_RECORDED, FileState.MISSING, FileState.UNREADABLE}


@dataclass
class FileCheck:
    letter: Letter
    path: Path | None
    state: FileState
    sha256: str | None = None  # the file's hash now, when it could be read

    @property
    def label(self) -> str:
        return self.letter.label

    @property
    def description(self) -> str:
        if self.state is FileState.MISSING:
            return f"MISSING: nothing at {self.path}"
        return self.state.value


def check_file(letter: Letter) -> FileCheck:
    path = location(letter)
    if path is None:
        return FileCheck(letter, None, FileState.NO_FILE)
    if not path.is_file():
        return FileCheck(letter, path, FileState.MISSING)
    try:
        digest = sha256_of(path)
    except OSError:
        return FileCheck(letter, path, FileState.UNREADABLE)
    same = digest == letter.file_sha256
    if letter.status is LetterStatus.SENT:
        state = FileState.AS_SENT if same else FileState.CHANGED_SINCE_SENT
    elif letter.status is LetterStatus.DRAFT:
        state = FileState.AS_DRAFTED if same else FileState.EDITED_DRAFT
    else:
        state = FileState.AS_RECORDED if same else FileState.CHANGED_SINCE_RECORDED
    return FileCheck(letter, path, state, digest)


def check_files(letters: Iterable[Letter]) -> list[FileCheck]:
    return [check_file(letter) for letter in letters if letter.file_path]


def letters_with_files(session: Session, office: Office | None = None) -> list[Letter]:
    query = select(Letter).where(Letter.file_path.isnot(None)).options(selectinload(Letter.office)).order_by(Letter.id)
    if office is not None:
        query = query.where(Letter.office_id == office.id)
    return list(session.scalars(query))


def safe_filename(reference: str) -> str:
    """A reference as a file name on any system: OPCC/114/19 -> OPCC-114-19."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", reference).strip("-.")
    return name or "letter"
