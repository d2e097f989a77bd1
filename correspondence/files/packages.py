"""Word and Excel files from elsewhere (.docx, .xlsx: zip packages of XML), checked before
anything reads them: the names the readers have always called, now doors into files/gate.py.

A 1.6 MB .docx whose document.xml expanded to 1.1 GB once took 16 GB of memory, and a part with
a DOCTYPE declaring entities crashed the reader (and, expanded, is the "billion laughs"). The gate
refuses both, macros, and packages hidden in packages, before python-docx, docxtpl or openpyxl
reads a byte.
"""

from __future__ import annotations

from pathlib import Path

from correspondence.files import gate

MAX_MEMBERS = gate.MAX_MEMBERS
MAX_MEMBER_BYTES = gate.MAX_MEMBER_BYTES
MAX_TOTAL_BYTES = gate.MAX_TOTAL_BYTES
WORD_MAIN = gate.WORD_MAIN


def check_package(path: Path, what: str = "Word .docx file") -> None:
    """Refuse a package that would expand too far, declares a DOCTYPE or carries macros. A file
    that is not a zip package at all passes: the reader that follows reports it in its own words."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:
        return  # missing or unreadable: the reader says so in its own words
    if head not in (b"PK\x03\x04", b"PK\x05\x06"):
        return
    gate.admit(path, gate.PACKAGE, limit=gate.MAX_DOCUMENT_BYTES)


def check_word_letter(path: Path, name: str | None = None, *, external_ok: bool = False) -> None:
    """Refuse anything but a plain Word document: not a zip at all, a package that would expand too
    far or declares entities, a macro-enabled document renamed .docx, or (unless ``external_ok``)
    one that loads something from elsewhere when opened (an external template, image, frame or
    object). ``name`` is how the file is called in the message (an upload's own name)."""
    gate.admit(path, gate.LOGGED_WORD if external_ok else gate.VERSION, name=name or path.name)
