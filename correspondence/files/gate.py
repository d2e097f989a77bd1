"""The one gate every file the tool takes in passes through, from the command line or the workspace.

Each place that took a file once checked it its own way: importing a letter refused a .docx
declaring XML entities that logging a letter with its file stored. Now every file a user hands the tool
(a letter logged, imported or uploaded as a new version or an enclosure, a report, the chief
officer's reply, a template, an annex returned, an inspection, meeting or comments file) is
admitted here first, for what it is taken for (a ``Purpose``), and refused with one InvalidInput
naming the file and what is wrong:

- its size, before a byte more than the limit is read (a device such as /dev/zero cannot fill the
  memory);
- its type by its content, not its name: a PDF starts %PDF, a Word or Excel file is a zip whose
  [Content_Types].xml says which, an old .doc is an OLE file, text is text; a name that says one
  binary type over content of another is refused (the name lies);
- a zip package: at most MAX_MEMBERS parts, none expanding past MAX_MEMBER_BYTES nor compressed
  more than MAX_RATIO to 1, all of them past MAX_TOTAL_BYTES, no password, no package inside a
  package inside it; no XML part with a DOCTYPE (entities, the "billion laughs", an external
  entity to /etc/passwd: Word never writes one); no macros (a vbaProject part, a macro-enabled,
  ActiveX or VBA content type); no relationship that loads something from elsewhere when opened,
  except a hyperlink, unless the purpose keeps a file exactly as it was written elsewhere.

tests/test_file_gate.py lists every function in the package that opens or reads a file, a zip or an
upload and fails when one does not pass through here.
"""

from __future__ import annotations

import enum
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from correspondence.records.errors import InvalidInput

MB = 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * MB  # a document read or kept: HMICFRS reports are a few MB even as PDF
MAX_TEMPLATE_BYTES = 5 * MB  # a letter template with a logo is a few hundred KB
MAX_TEXT_INPUT_BYTES = 5 * MB  # an inspection or meeting file, comments, an annex CSV: a few KB

MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 50 * MB  # uncompressed; a 300-page report's document.xml is under 10 MB
MAX_TOTAL_BYTES = 250 * MB
MAX_RATIO = 500  # deflate reaches about 1,030 to 1 (zeros); a repetitive document.xml measured 222 to 1
RATIO_FROM_BYTES = 10 * MB  # a smaller part may compress as far as it likes
MAX_NESTING = 1  # a chart's workbook inside a document, never a package inside that
PROLOG_WINDOW = 64 * 1024
MAX_PROLOG_BYTES = 1024 * 1024

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPES = ("macroenabled", "vbaproject", "activex", "vbadata")
SAFE_EXTERNAL = ("/hyperlink",)  # a link to a web page is only text until someone clicks it

_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)  # XML declaration, processing instructions, comments
_TYPE = re.compile(rb'ContentType="([^"]+)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


class Kind(enum.Enum):
    """What a file is, by its content."""

    WORD = "a Word .docx file"
    SPREADSHEET = "an Excel .xlsx workbook"
    PDF = "a PDF"
    HTML = "a saved web page"
    EMAIL = "an e-mail (.eml)"
    TEXT = "a text file"


TEXT_KINDS = frozenset({Kind.TEXT, Kind.HTML, Kind.EMAIL})
EVERY_DOCUMENT = frozenset({Kind.WORD, Kind.PDF, Kind.HTML, Kind.EMAIL, Kind.TEXT})
# What a name ending so says the file is; a name ending otherwise (or without an ending) claims nothing.
CLAIMED = {
    ".docx": Kind.WORD, ".pdf": Kind.PDF, ".xlsx": Kind.SPREADSHEET,
    ".html": Kind.HTML, ".htm": Kind.HTML, ".xhtml": Kind.HTML, ".eml": Kind.EMAIL,
    ".txt": Kind.TEXT, ".text": Kind.TEXT, ".md": Kind.TEXT, ".csv": Kind.TEXT, ".yaml": Kind.TEXT, ".yml": Kind.TEXT,
}
NEVER_READ = {".doc": "old Word .doc files are not read; save it as .docx or PDF",
              ".docm": "is a macro-enabled document; save it from Word as a plain .docx",
              ".dotm": "is a macro-enabled template; save it from Word as a plain .docx",
              ".xls": "old Excel .xls files are not read; save it as .xlsx or CSV",
              ".xlsm": "is a macro-enabled workbook; save it from Excel as a plain .xlsx"}


@dataclass(frozen=True)
class Purpose:
    """What a file is taken for: which kinds it may be, how large, and whether it is kept exactly
    as it was written elsewhere (then a link to, say, its template on another drive may stay: the
    tool stores it and never opens it in Word for anyone)."""

    name: str
    kinds: frozenset[Kind]
    limit: int
    external_ok: bool = False
    reads: bool = True  # its text is read: a damaged file "cannot be read as" rather than "is not" one
    field: str | None = "file"  # the form field or option a refusal is about (None: the file named on its own)


READ = Purpose("a document to read", EVERY_DOCUMENT, MAX_DOCUMENT_BYTES, external_ok=True, field=None)
LOGGED = Purpose("a letter's file", EVERY_DOCUMENT | {Kind.SPREADSHEET}, MAX_DOCUMENT_BYTES, external_ok=True, reads=False)
LOGGED_WORD = Purpose("a letter's Word file", frozenset({Kind.WORD}), MAX_DOCUMENT_BYTES, external_ok=True, reads=False)
VERSION = Purpose("a new version of a letter", frozenset({Kind.WORD}), MAX_DOCUMENT_BYTES, reads=False)
ENCLOSURE = Purpose("a file kept with a letter", EVERY_DOCUMENT | {Kind.SPREADSHEET}, MAX_DOCUMENT_BYTES, reads=False)
TEMPLATE = Purpose("a template", frozenset({Kind.WORD}), MAX_TEMPLATE_BYTES, reads=False)
TEXT_INPUT = Purpose("a text file", frozenset({Kind.TEXT}), MAX_TEXT_INPUT_BYTES, field=None)
PACKAGE = Purpose("a Word or Excel file", frozenset({Kind.WORD, Kind.SPREADSHEET}), MAX_DOCUMENT_BYTES, external_ok=True, field=None)


@dataclass(frozen=True)
class Admitted:
    """A file that passed: the name it is shown by, what it is, and its bytes."""

    name: str
    kind: Kind
    content: bytes


def admit(source: Path | bytes, purpose: Purpose, *, name: str | None = None, limit: int | None = None) -> Admitted:
    """``source`` (a path, or bytes held in memory such as an upload) checked for ``purpose``:
    the bytes and what they are, or InvalidInput naming the file (``name``, else the path) and
    what is wrong with it (about the purpose's field, if it has one)."""
    shown = name or str(source if isinstance(source, Path) else "the file")
    try:
        return _admit(source, purpose, shown, limit)
    except InvalidInput as refused:
        if purpose.field is None:
            raise
        raise InvalidInput(refused.refusal, field=purpose.field, value=shown) from None


def _admit(source: Path | bytes, purpose: Purpose, shown: str, limit: int | None) -> Admitted:
    limit = purpose.limit if limit is None else limit
    content = read_limited(source, shown, limit) if isinstance(source, Path) else source
    if len(content) > limit:
        raise _refused(shown, f"is {len(content) / MB:.0f} MB; the largest {purpose.name} taken is {limit // MB} MB")
    suffix = Path(shown.replace("\\", "/")).suffix.lower()
    if suffix in NEVER_READ:
        raise _refused(shown, NEVER_READ[suffix])
    if not content:
        raise _refused(shown, "is empty")
    if purpose.kinds == {Kind.TEXT}:
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refused(shown, "not a UTF-8 text file") from None
    kind = sniff(content, shown, purpose, suffix, text_checked=purpose.kinds == {Kind.TEXT})
    claimed = CLAIMED.get(suffix)
    if kind not in purpose.kinds:
        if purpose.kinds == {Kind.WORD}:
            raise _refused(shown, f"is not a Word .docx file (it is {kind.value}; save it from Word as .docx)")
        raise _refused(shown, f"is {kind.value}, which is not taken as {purpose.name}")
    if claimed is not None and claimed is not kind and not (claimed in TEXT_KINDS and kind in TEXT_KINDS):
        if claimed is Kind.PDF:
            raise _refused(shown, f"is not a PDF (it does not start with %PDF: it is {kind.value})")
        raise _refused(shown, f"is not {claimed.value} (it is {kind.value}, whatever its name says); the file is refused")
    if kind in (Kind.WORD, Kind.SPREADSHEET):
        check_zip(content, shown, purpose, kind)
    return Admitted(shown, kind, content)


def read_limited(path: Path, shown: str, limit: int) -> bytes:
    """The file's bytes, reading at most ``limit`` + 1 of them."""
    try:
        if path.is_dir():
            raise _refused(shown, "is a folder, not a file")
        with path.open("rb") as handle:
            content = handle.read(limit + 1)
    except FileNotFoundError:
        raise _refused(shown, "no such file") from None
    except OSError as error:
        raise _refused(shown, f"cannot read ({error.strerror or error})") from None
    if len(content) > limit:
        try:
            size = f"{path.stat().st_size / MB:.0f} MB"
        except OSError:
            size = "larger"
        raise _refused(shown, f"is {size}; the largest document read is {limit // MB} MB" if limit == MAX_DOCUMENT_BYTES
                       else f"is larger than {limit / MB:g} MB, the most read from a file of this kind")
    return content


def sniff(content: bytes, shown: str, purpose: Purpose, suffix: str = "", *, text_checked: bool = False) -> Kind:
    """What the bytes are. A zip that is neither a Word document nor a workbook, an old Office
    file, or bytes that are not text are refused here (``text_checked``: the bytes are known to be
    UTF-8, and stray control characters are the store's to clean, records/limits.py)."""
    if content.startswith(b"%PDF"):
        return Kind.PDF
    if content.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _package_kind(content, shown, purpose)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refused(shown, "is an old Office file (.doc or .xls); save it as .docx, .xlsx or PDF")
    sample = content[:65536]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if not text_checked and (b"\x00" in sample or controls > len(sample) * 0.05):
        if suffix == ".pdf":
            raise _refused(shown, "is not a PDF (it does not start with %PDF)")
        raise _refused(shown, "is binary, not text")
    head = content[:2048].lstrip().lower().removeprefix(b"\xef\xbb\xbf")
    if suffix in (".html", ".htm", ".xhtml") or head.startswith((b"<!doctype html", b"<html")):
        return Kind.HTML
    if suffix == ".eml":
        return Kind.EMAIL
    return Kind.TEXT


def _package_kind(content: bytes, shown: str, purpose: Purpose) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = {member.filename.lower(): member for member in archive.infolist()}
            types_part = names.get("[content_types].xml")
            if types_part is None or types_part.file_size > MAX_MEMBER_BYTES:
                raise _refused(shown, _not_word(purpose, "it has no Word document inside"))
            with archive.open(types_part) as handle:
                types = {found.decode("utf-8", "replace").lower() for found in _TYPE.findall(handle.read(MAX_MEMBER_BYTES))}
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        raise _refused(shown, _not_word(purpose, f"it is damaged: {type(error).__name__}")) from None
    if any(word in kind for kind in types for word in MACRO_TYPES) or any("vbaproject" in part for part in names):
        raise _refused(shown, "is a macro-enabled document; save it from Word as a plain .docx")
    if WORD_MAIN in types and "word/document.xml" in names:
        return Kind.WORD
    if SHEET_MAIN in types:
        return Kind.SPREADSHEET
    if WORD_TEMPLATE_MAIN in types:
        raise _refused(shown, "is not a Word .docx file (a Word template, .dotx); save it from Word as a .docx document")
    raise _refused(shown, _not_word(purpose, "a zip package of another kind"))


def _not_word(purpose: Purpose, why: str) -> str:
    if purpose.reads:
        return f"cannot be read as a Word .docx file ({why})"
    return f"is not a Word .docx file ({why}; save it from Word as .docx)"


def check_zip(content: bytes, shown: str, purpose: Purpose, kind: Kind, depth: int = 0) -> None:
    """Refuse a package that would expand too far, hides packages in packages, declares XML
    entities, or loads something from elsewhere when opened."""
    what = kind.value
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            _check_sizes(members, shown, what)
            for member in members:
                if member.is_dir():
                    continue
                problem = _prolog_problem(archive, member)
                if problem:
                    raise _refused(shown, f"{member.filename} {problem}; the file is refused as unsafe")
                if _starts_a_zip(archive, member):
                    if depth >= MAX_NESTING:
                        raise _refused(shown, f"{member.filename} is a package inside a package inside it; the file is refused as unsafe")
                    with archive.open(member) as handle:
                        inner = handle.read(MAX_MEMBER_BYTES + 1)
                    check_zip(inner, f"{shown}: {member.filename}", Purpose(purpose.name, purpose.kinds, purpose.limit, True),
                              kind, depth + 1)
            if depth == 0 and not purpose.external_ok:
                _check_relationships(archive, members, shown)
    except InvalidInput:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        raise _refused(shown, _not_word(purpose, f"it is damaged: {type(error).__name__}")) from None


def _check_sizes(members: list[zipfile.ZipInfo], shown: str, what: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise _refused(shown, f"holds {len(members):,} parts; {what} has a few dozen")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise _refused(shown, "is password-protected; save an unprotected copy")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refused(shown, f"{member.filename} is compressed in a way Word does not use")
        if member.file_size > MAX_MEMBER_BYTES:
            raise _refused(shown, f"{member.filename} would expand to {member.file_size / MB:,.0f} MB; "
                                  f"the most read from one part of {what} is {MAX_MEMBER_BYTES // MB} MB")
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise _refused(shown, f"{member.filename} is compressed {member.file_size // max(member.compress_size, 1):,} to 1 "
                                  f"(at most {MAX_RATIO} to 1 is taken): a zip bomb; the file is refused as unsafe")
        total += member.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refused(shown, f"would expand to over {MAX_TOTAL_BYTES // MB} MB; the most read from {what}")


def _starts_a_zip(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    if member.file_size < 4:
        return False
    with archive.open(member) as handle:
        return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")


def _prolog_problem(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    """What is wrong with the part's XML prolog (what comes before its first element), if anything:
    a DOCTYPE can only be there."""
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


def _end_of_prolog(data: bytes) -> int:
    position = 0
    while match := _PROLOG_ITEM.match(data, position):
        if match.end() == position:
            break
        position = match.end()
    return position


def _check_relationships(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], shown: str) -> None:
    for member in members:
        if not member.filename.lower().endswith(".rels"):
            continue
        for relationship in _RELATIONSHIP.findall(archive.read(member)):
            text = relationship.decode("utf-8", "replace")
            if 'TargetMode="External"' in text and not any(f'{safe}"' in text for safe in SAFE_EXTERNAL):
                kind = re.search(r'Type="[^"]*/([^"/]+)"', text)
                raise _refused(shown, f"loads {kind.group(1) if kind else 'something'} from outside the document when opened; "
                                      "save a copy without external links (Word: File, Info, Edit links to files)")


def _refused(shown: str, problem: str, field: str | None = None) -> InvalidInput:
    return InvalidInput(f"{shown}: {problem}", field=field, value=shown)


def read_upload(upload: BinaryIO, shown: str, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """An upload's bytes (a werkzeug FileStorage, or any stream), refused once past ``limit``
    without reading further; what they are is for ``admit`` to say."""
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _refused(shown, f"is larger than {limit // MB} MB, the largest file taken", field="file")
    return content
