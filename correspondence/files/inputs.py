"""Text files people hand the tool (inspection and meeting files, annex CSVs, comments, exports).

Reading one fails with a single line naming the file: missing, unreadable, too large, not UTF-8
text, or another kind of file by its content (a PDF or a Word file renamed .yaml). A byte-order
mark, which Excel and Notepad write, is accepted. Every one passes files/gate.py.
"""

from __future__ import annotations

from pathlib import Path

from correspondence.files import gate

MAX_INPUT_BYTES = gate.MAX_TEXT_INPUT_BYTES  # an inspection or meeting file, or an annex, is a few KB


def read_text(path: Path, limit: int | None = None) -> str:
    """The file's text; a file over ``limit`` bytes (at most MAX_INPUT_BYTES) is refused without
    reading more than that (a huge file, or a device such as /dev/zero, cannot fill the memory)."""
    admitted = gate.admit(path, gate.TEXT_INPUT, limit=min(limit or MAX_INPUT_BYTES, MAX_INPUT_BYTES))
    return admitted.content.decode("utf-8-sig")
