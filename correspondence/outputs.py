"""Files the tool writes for people (exports, backups, calendars, annex tables).

Each is checked before any work is done: the folder must exist, and an existing file is never
replaced unless the command says it may be. A failure while writing (a full disk, no permission)
becomes one line naming the file, not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from correspondence.errors import InvalidInput


def check_new_file(path: Path, *, overwrite: bool = False, hint: str = "choose another file") -> Path:
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise InvalidInput(f"{path}: the folder {path.parent} does not exist")
    if path.exists() and not overwrite:
        raise InvalidInput(f"{path} already exists; {hint}")
    return path


@contextmanager
def writing(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as error:
        raise InvalidInput(f"{path}: cannot write ({error.strerror or error})") from None
