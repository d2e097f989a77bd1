"""Text files people hand the tool (inspection and meeting files, annex CSVs, exports).

Reading one fails with a single line naming the file: missing, unreadable, too large, or not
UTF-8 text. A byte-order mark, which Excel and Notepad write, is accepted.
"""

from __future__ import annotations

from pathlib import Path

from correspondence.records.errors import InvalidInput

MAX_INPUT_BYTES = 5 * 1024 * 1024  # an inspection or meeting file, or an annex, is a few KB


def read_text(path: Path, limit: int | None = None) -> str:
    """The file's text; a file over ``limit`` bytes is refused without reading more than that
    (a huge file, or a device such as /dev/zero, cannot fill the memory)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read() if limit is None else handle.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise InvalidInput(f"{path}: is larger than {limit / 1024 / 1024:g} MB, the most read from a file of this kind")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not a UTF-8 text file") from None
