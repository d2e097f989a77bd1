"""Text files people hand the tool (inspection and meeting files, annex CSVs, exports).

Reading one fails with a single line naming the file: missing, unreadable, or not UTF-8 text.
A byte-order mark, which Excel and Notepad write, is accepted.
"""

from __future__ import annotations

from pathlib import Path

from correspondence.errors import InvalidInput


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not a UTF-8 text file") from None
