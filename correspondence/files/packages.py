"""Word and Excel files from elsewhere (.docx, .xlsx: zip packages of XML), checked before
anything reads them.

A 1.6 MB .docx whose document.xml expanded to 1.1 GB once took 16 GB of memory, and a part with
a DOCTYPE declaring entities crashed the reader (and, expanded, is the "billion laughs"). Word
never writes a DOCTYPE, and no letter or report needs a part of tens of megabytes, so
``check_package`` refuses both, from the zip's own directory and the first bytes of each part,
before python-docx, docxtpl or openpyxl reads a byte. Python's zipfile stops at the size a member
declares, so checking declared sizes is enough.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from correspondence.records.errors import InvalidInput

MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # uncompressed; a 300-page report's document.xml is under 10 MB
MAX_TOTAL_BYTES = 250 * 1024 * 1024
PROLOG_WINDOW = 64 * 1024
MAX_PROLOG_BYTES = 1024 * 1024
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)  # XML declaration, processing instructions, comments


def check_package(path: Path, what: str = "Word .docx file") -> None:
    """Refuse a package that would expand too far or whose XML declares a DOCTYPE. A file that is
    not a zip package at all passes: the reader that follows reports it in its own words."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # missing, or not a zip at all: the reader says so in its own words
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InvalidInput(f"{path}: holds {len(members):,} parts; a {what} has a few dozen")
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise InvalidInput(f"{path}: is password-protected; save an unprotected copy")
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InvalidInput(f"{path}: {member.filename} is compressed in a way Word does not use")
            if member.file_size > MAX_MEMBER_BYTES:
                raise InvalidInput(
                    f"{path}: {member.filename} would expand to {member.file_size / 1024 / 1024:,.0f} MB; "
                    f"the most read from one part of a {what} is {MAX_MEMBER_BYTES // 1024 // 1024} MB"
                )
            total += member.file_size
            if total > MAX_TOTAL_BYTES:
                raise InvalidInput(
                    f"{path}: would expand to over {MAX_TOTAL_BYTES // 1024 // 1024} MB; the most read from a {what}"
                )
        for member in members:
            if member.is_dir():
                continue
            problem = _prolog_problem(archive, member, path)
            if problem:
                raise InvalidInput(f"{path}: {member.filename} {problem}; the file is refused as unsafe")


def _prolog_problem(archive: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> str | None:
    """What is wrong with the part's XML prolog (what comes before its first element), if anything."""
    try:
        with archive.open(member) as handle:
            head = b""
            while True:
                more = handle.read(PROLOG_WINDOW)
                head += more
                text = head.decode("utf-16", errors="replace").encode("utf-8") if head.startswith((b"\xff\xfe", b"\xfe\xff")) else head
                text = text.removeprefix(b"\xef\xbb\xbf")
                rest = text[_end_of_prolog(text):]
                if rest.upper().startswith((b"<!DOCTYPE", b"<!ENTITY")):
                    return "declares a DOCTYPE (XML entities), which Word never writes"
                finished = len(rest) >= 16 and not rest.startswith((b"<!--", b"<?"))
                if finished or not more:
                    return None
                if len(head) >= MAX_PROLOG_BYTES:
                    return f"starts with over {MAX_PROLOG_BYTES // 1024} KB of comments"
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
        raise InvalidInput(f"{path}: {member.filename} is damaged ({type(error).__name__})") from None


def _end_of_prolog(data: bytes) -> int:
    position = 0
    while match := _PROLOG_ITEM.match(data, position):
        if match.end() == position:
            break
        position = match.end()
    return position


# --- a Word letter someone uploads ----------------------------------------------------------------

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_TYPES = ("macroenabled", "vbaproject", "activex")
SAFE_EXTERNAL = ("/hyperlink",)  # a link to a web page is only text until someone clicks it
_TYPE = re.compile(rb'ContentType="([^"]+)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def check_word_letter(path: Path, name: str | None = None, *, external_ok: bool = False) -> None:
    """Refuse anything but a plain Word document: not a zip at all, a package that would expand too
    far or declares entities (check_package), a macro-enabled document renamed .docx, or one that
    loads something from elsewhere when opened (an external template, image, frame or object).

    ``name`` is how the file is called in the message (an upload's own name, not where it waits).
    ``external_ok`` lets a letter already written elsewhere (logged or imported as it is) keep a link
    to its template on another drive: it is stored, never opened by the tool."""
    shown = name or path.name
    what = "Word .docx file"
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInput(f"{shown}: is not a {what} (save it from Word as .docx)", field="file", value=shown) from None
    archive.close()
    try:
        check_package(path, what)
    except InvalidInput as error:
        raise InvalidInput(str(error).replace(str(path), shown, 1), field="file", value=shown) from None
    try:
        _check_word_parts(path, shown, what, external_ok)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
        raise InvalidInput(f"{shown}: is damaged ({type(error).__name__}); save it again from Word", field="file", value=shown) from None


def _check_word_parts(path: Path, shown: str, what: str, external_ok: bool) -> None:
    with zipfile.ZipFile(path) as archive:
        names = {member.filename.lower(): member for member in archive.infolist()}
        if "[content_types].xml" not in names or "word/document.xml" not in names:
            raise InvalidInput(f"{shown}: is not a {what} (it has no Word document inside)", field="file", value=shown)
        types = [found.decode("utf-8", "replace").lower() for found in _TYPE.findall(archive.read(names["[content_types].xml"]))]
        if any(word in kind for kind in types for word in MACRO_TYPES) or any("vbaproject" in part for part in names):
            raise InvalidInput(f"{shown}: is a macro-enabled document; save it from Word as a plain .docx",
                               field="file", value=shown)
        if WORD_MAIN not in types:
            raise InvalidInput(f"{shown}: is not a {what} (a Word template or another kind of package)", field="file", value=shown)
        for part, member in names.items():
            if external_ok or not part.endswith(".rels"):
                continue
            for relationship in _RELATIONSHIP.findall(archive.read(member)):
                text = relationship.decode("utf-8", "replace")
                if 'TargetMode="External"' in text and not any(f'{safe}"' in text for safe in SAFE_EXTERNAL):
                    kind = re.search(r'Type="[^"]*/([^"/]+)"', text)
                    raise InvalidInput(
                        f"{shown}: loads {kind.group(1) if kind else 'something'} from outside the document when opened; "
                        "save a copy without external links (Word: File, Info, Edit links to files)", field="file", value=shown)
