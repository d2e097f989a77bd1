"""Turning the documents an office already has into plain text: .txt, saved .html, .pdf, .docx.

Each failure is a one-line InvalidInput naming the file and what is wrong with it (empty, binary,
too large, a PDF without a text layer, a damaged .docx), so a batch import can report it and go on.
The text keeps the document's characters (curly quotes stay curly) but not its page furniture:
scripts, navigation, headers, footers and cookie banners of a saved web page are dropped.
"""

from __future__ import annotations

import re
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from correspondence.files.packages import check_package
from correspondence.files.pdf_text import read_pdf
from correspondence.records.errors import CorrespondenceError, InvalidInput

MAX_BYTES = 20 * 1024 * 1024  # HMICFRS reports are a few MB even as PDF
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def read_document(path: Path) -> str:
    """The document's text, with white space tidied and non-breaking spaces made plain."""
    raw = _read_bytes(path)
    kind = _kind(path, raw)
    if kind == "pdf":
        text = _pdf_text(path)
    elif kind == "docx":
        text = _docx_text(path)
    else:
        decoded = _decode(path, raw)
        text = html_to_text(decoded) if kind == "html" else decoded
    text = tidy(text)
    if not text.strip():
        raise InvalidInput(f"{path}: contains no text")
    return text


def tidy(text: str) -> str:
    """Plain spaces, no trailing blanks, at most one empty line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\u200a\t]+", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\ufeff\u00ad]", "", text)  # zero-width characters and soft hyphens
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file") from None
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror})") from None
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file")
    if size == 0:
        raise InvalidInput(f"{path}: is empty")
    if size > MAX_BYTES:
        raise InvalidInput(f"{path}: is {size / 1024 / 1024:.0f} MB; the largest document read is {MAX_BYTES // 1024 // 1024} MB")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read ({error.strerror})") from None


def _kind(path: Path, raw: bytes) -> str:
    suffix = path.suffix.lower()
    if raw.startswith(b"%PDF"):
        return "pdf"
    if suffix == ".pdf":
        raise InvalidInput(f"{path}: is not a PDF (it does not start with %PDF)")
    if suffix == ".docx" or raw.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix == ".doc":
        raise InvalidInput(f"{path}: old Word .doc files are not read; save it as .docx or PDF")
    head = raw[:2048].lstrip().lower()
    if suffix in HTML_SUFFIXES or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _decode(path: Path, raw: bytes) -> str:
    sample = raw[:65536]
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise InvalidInput(f"{path}: is binary, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{path}: is not readable text (neither UTF-8 nor Windows-1252)")


def _pdf_text(path: Path) -> str:
    """The text layer, laid out (lines broken by the page joined): see importers/pdf_text."""

    return read_pdf(path)


def _docx_text(path: Path) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    check_package(path)  # zip bombs and XML entities are refused before python-docx reads anything
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InvalidInput(f"{path}: cannot be read as a Word .docx file ({type(error).__name__})") from None
    except Exception as error:  # lxml's XMLSyntaxError and friends from a damaged file
        raise InvalidInput(f"{path}: cannot be read as a Word .docx file ({type(error).__name__})") from None
    return docx_body_text(document.element.body)


def docx_body_text(body) -> str:  # noqa: ANN001 - an lxml element (w:body)
    """The text of a Word body: a line per paragraph, a line per table row with its cells
    between tabs. Drafting takes a letter's search text from the body it has just rendered, so
    it need not read the file back."""
    blocks = []
    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            blocks.append(_text_of(element))
        elif tag == "tbl":
            for row in element.iter("{*}tr"):  # lxml picks the elements, not Python: this ran for every draft
                if row.tag[0] == "{":
                    blocks.append("\t".join(_text_of(cell) for cell in row if cell.tag.endswith("}tc")))
    return "\n".join(blocks)


def _text_of(element) -> str:  # noqa: ANN001 - an lxml element
    """The text of the element's w:t (any namespace's t) descendants, in document order."""
    return "".join(node.text or "" for node in element.iter("{*}t") if node.tag[0] == "{")


# --- HTML -------------------------------------------------------------------------------------

_SKIPPED_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "template", "head"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr",
               "table", "br", "blockquote", "dd", "dt", "dl", "figure", "figcaption", "hr", "title"}
_VOID_TAGS = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "area", "base", "col", "embed", "param", "track"}
_FURNITURE = re.compile(r"cookie|consent|banner|skip|breadcrumb|share|menu|navigation|site-header|site-footer", re.IGNORECASE)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup; keep what it read
        pass
    return parser.text()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, is this element skipped)

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marker = " ".join(value or "" for name, value in attrs if name in ("id", "class", "role", "aria-label"))
        skipped = tag in _SKIPPED_TAGS or bool(marker and _FURNITURE.search(marker))
        if tag in _BLOCK_TAGS:
            self._parts.append("\n")
        if tag == "li" and not self._skipping() and not skipped:
            self._parts.append("• ")
        if tag in ("td", "th"):
            self._parts.append("\t")
        if tag not in _VOID_TAGS:
            self._stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self._stack) - 1, -1, -1):
            if self._stack[position][0] == tag:
                del self._stack[position:]
                break
        if tag in _BLOCK_TAGS:
            self._parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self._parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        return "".join(self._parts)


def document_text(content: bytes, name: str) -> str:
    """The text of a document held in memory (a stored version), for the search index; a file that
    cannot be read adds no text."""
    with tempfile.TemporaryDirectory(prefix="corr-text-") as folder:
        path = Path(folder) / (Path(name.replace("\\", "/")).name or "file")
        path.write_bytes(content)
        try:
            return read_document(path)
        except CorrespondenceError:
            return ""
