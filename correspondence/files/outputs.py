"""Files the tool writes for people (exports, backups, calendars, annex tables).

Each is checked before any work is done: the folder must exist, and an existing file is never
replaced unless the command says it may be (a feed the tool rewrites, such as the calendar,
replaces only a file it wrote itself). A failure while writing (a full disk, no permission)
becomes one line naming the file, not a traceback. Spreadsheet cells never hold a formula.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from correspondence.records.errors import InvalidInput


def check_new_file(path: Path, *, overwrite: bool = False, hint: str = "choose another file") -> Path:
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise InvalidInput(f"{path}: the folder {path.parent} does not exist")
    if path.exists() and not overwrite:
        raise InvalidInput(f"{path} already exists; {hint}")
    return path


def check_own_file(path: Path, signature: bytes, what: str) -> Path:
    """A file the tool rewrites each time (a feed): it may replace ``path`` only if the file there
    is one it wrote, recognised by ``signature`` near its start. Anything else (a letter, the
    database itself) is never replaced."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    if path.exists():
        try:
            with path.open("rb") as handle:
                head = handle.read(4096)
        except OSError as error:
            raise InvalidInput(f"{path}: cannot read ({error.strerror or error})") from None
        if signature not in head:
            raise InvalidInput(f"{path} already exists and is not {what} written by corr; choose another file")
    return path


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_cell(value: object) -> object:
    """Text a spreadsheet shows as text and never runs as a formula: as OWASP advises against
    CSV injection, a cell starting with = + - @, a tab or a carriage return gets a leading
    apostrophe (and so does one starting with a line break, which is what a stored carriage
    return becomes). A subject such as =HYPERLINK(...) from a received letter stays inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet_cell(value: str) -> str:
    """The text of a cell written by ``spreadsheet_cell``, its protective apostrophe removed."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@contextmanager
def writing(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise InvalidInput(f"{path}: cannot write ({error.strerror or error})") from None


@contextmanager
def atomic_file(path: Path, *, overwrite: bool = False, hint: str = "choose another file") -> Iterator[Path]:
    """A temporary name beside ``path`` to write to, put in place only when writing finished.

    A killed or failed write (a full disk, say) never leaves a partial file at ``path`` that a
    later command could take for a whole one, and never blocks the retry: on any failure the
    temporary file is removed, and an OSError becomes one line naming the file. Without
    ``overwrite`` an existing file is never replaced, not even one created meanwhile.
    """
    check_new_file(path, overwrite=overwrite, hint=hint)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        with writing(path):
            yield temporary
            _flush_to_disk(temporary)
            if overwrite:
                os.replace(temporary, path)
            else:
                _link_without_overwriting(temporary, path, hint)
    finally:
        temporary.unlink(missing_ok=True)


def _flush_to_disk(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _link_without_overwriting(source: Path, destination: Path, hint: str) -> None:
    try:
        os.link(source, destination)  # atomic, and fails if the name was taken meanwhile
    except FileExistsError:
        raise InvalidInput(f"{destination} already exists; {hint}") from None
    except OSError:
        # A file system without hard links (some network drives): claim the name, then move in.
        try:
            os.close(os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            raise InvalidInput(f"{destination} already exists; {hint}") from None
        os.replace(source, destination)


def place_without_overwriting(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)  # atomic, and fails if destination exists
    except FileExistsError:
        raise InvalidInput(f"{destination} already exists; a letter file is never overwritten") from None
    except OSError:
        # A file system without hard links: claim the name exclusively, then move into it.
        try:
            os.close(os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            raise InvalidInput(f"{destination} already exists; a letter file is never overwritten") from None
        os.replace(source, destination)
