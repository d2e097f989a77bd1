"""Turning the documents an office already has into plain text: .txt, saved .html, .pdf, .docx.

Each failure is a one-line InvalidInput naming the file and what is wrong with it (empty, binary,
too large, a PDF without a text layer, a damaged .docx), so a batch import can report it and go on.
The text keeps the document's characters (curly quotes stay curly) but not its page furniture:
scripts, navigation, headers, footers and cookie banners of a saved web page are dropped.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from correspondence.files import gate
from correspondence.files.email_text import email_text
from correspondence.files.html_text import html_to_text
from correspondence.files.pdf_text import read_pdf
from correspondence.records.errors import CorrespondenceError, InvalidInput

MAX_BYTES = gate.MAX_DOCUMENT_BYTES  # HMICFRS reports are a few MB even as PDF


def read_document(path: Path, name: str | None = None) -> str:
    """The document's text, with white space tidied and non-breaking spaces made plain. The file
    passes the gate first (files/gate.py: its size, what it is by its content, a package's safety)."""
    return admitted_text(gate.admit(path, gate.READ, name=name))


def admitted_text(admitted: gate.Admitted) -> str:
    """The text of a file the gate has admitted, read from its bytes (never from its path again)."""
    shown = admitted.name
    if admitted.kind is gate.Kind.PDF:
        text = read_pdf(io.BytesIO(admitted.content), shown)
    elif admitted.kind is gate.Kind.WORD:
        text = _docx_text(admitted.content, shown)
    elif admitted.kind is gate.Kind.EMAIL:  # its headers, text and attachments' names, not its MIME source
        text = email_text(admitted.content, shown)
    elif admitted.kind in gate.TEXT_KINDS:
        decoded = _decode(shown, admitted.content)
        text = html_to_text(decoded) if admitted.kind is gate.Kind.HTML else decoded
    else:
        raise InvalidInput(f"{shown}: is {admitted.kind.value}, whose text is not read", field="file", value=shown)
    text = tidy(text)
    if not text.strip():
        raise InvalidInput(f"{shown}: contains no text")
    return text


def tidy(text: str) -> str:
    """Plain spaces, no trailing blanks, at most one empty line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\u200a\t]+", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\ufeff\u00ad]", "", text)  # zero-width characters and soft hyphens
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _decode(shown: str, raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{shown}: is not readable text (neither UTF-8 nor Windows-1252)")


def _docx_text(content: bytes, shown: str) -> str:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InvalidInput(f"{shown}: cannot be read as a Word .docx file ({type(error).__name__})") from None
    except Exception as error:  # lxml's XMLSyntaxError and friends from a damaged file
        raise InvalidInput(f"{shown}: cannot be read as a Word .docx file ({type(error).__name__})") from None
    return docx_body_text(document.element.body)


def docx_body_text(body) -> str:  # noqa: ANN001 - an lxml element (w:body)
    """The text of a Word body: a line per paragraph, a line per table row with its cells
    between tabs. Drafting takes a letter's search text from the body it has just rendered, so
    it need not read the file back.

    A table inside a cell is read as part of that cell (its rows are not lines of their own), so
    each piece of text is read once however deep tables nest: reading every row of a table and
    every row inside it again took time in proportion to the depth times the text."""
    blocks = []
    for element in body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag == "p":
            blocks.append(_text_of(element))
        elif tag == "tbl":
            nested = next(element.iterdescendants("{*}tbl"), None) is not None
            rows = _outermost(element, "tr") if nested else [row for row in element.iter("{*}tr") if row.tag[0] == "{"]
            for row in rows:  # without nested tables lxml picks the rows, not Python: this runs for every draft
                cells = _outermost(row, "tc") if nested else [cell for cell in row if cell.tag.endswith("}tc")]
                blocks.append("\t".join(_text_of(cell) for cell in cells))
    return "\n".join(blocks)


def _outermost(element, name: str) -> list:  # noqa: ANN001 - lxml elements
    """The descendants of ``element`` called ``name`` (in any namespace) that are not inside
    another one, in document order: a walk that stops at each one found."""
    found = []
    suffix = "}" + name
    waiting = list(reversed(element))
    while waiting:
        node = waiting.pop()
        if not isinstance(node.tag, str):
            continue  # a comment or processing instruction
        if node.tag.endswith(suffix):
            found.append(node)
        else:
            waiting.extend(reversed(node))
    return found


def _text_of(element) -> str:  # noqa: ANN001 - an lxml element
    """The text of the element's w:t (any namespace's t) descendants, in document order."""
    return "".join(node.text or "" for node in element.iter("{*}t") if node.tag[0] == "{")


def document_text(content: bytes, name: str) -> str:
    """The text of a document held in memory (a stored version), for the search index; a file that
    cannot be read adds no text."""
    try:
        return admitted_text(gate.admit(content, gate.READ, name=Path(name.replace("\\", "/")).name or "file"))
    except CorrespondenceError:
        return ""
