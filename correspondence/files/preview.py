"""Reading a stored version in the browser, without downloading it.

What a version is shown as (``preview_of``):

- a PDF: the version itself;
- a Word .docx: a PDF made by LibreOffice, kept in the store as the version's preview (purpose
  PREVIEW, its ``source_id`` the version), so each version is converted once; where LibreOffice is
  not installed, or the conversion fails, an HTML rendering by mammoth, said as such;
- anything else: its text, said as such.

Converting takes seconds, so no database transaction is open while LibreOffice runs: the bytes are
read in a reading session, converted, and the PDF stored in a short transaction of its own. Two
requests converting the same version at once both convert, and the second finds the first's
preview when it comes to store its own, and shows that (the owner's row is locked while it looks).

The mammoth HTML comes from a file anyone may have written, so it is cut down to a short list of
elements with no attributes but a link's ``http``, ``https`` or ``mailto`` address and a table
cell's spans: no script, style, image, frame, form, id or event handler survives. An image is said
as ``[image: its alt text]``.
"""

from __future__ import annotations

import html
import io
import logging
import re
import tempfile
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.files import pdf
from correspondence.files.documents import document_text
from correspondence.files.packages import check_package, check_word_letter
from correspondence.files.versions import read_bytes, store_file
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import FileVersion, Inspection, Letter, Office, S55Response
from correspondence.records.store import Store
from correspondence.records.vocabulary import FilePurpose

PLAIN_RENDERING = ("LibreOffice is not installed on the server, so this is a plain rendering of the Word file: "
                   "its layout may differ")
# At most this many LibreOffice conversions run at once in one server; more requests wait their turn.
CONVERSIONS = threading.BoundedSemaphore(2)
log = logging.getLogger("correspondence.files")


@dataclass(frozen=True)
class Preview:
    """What to show for one version: a stored PDF (``pdf_id``), or HTML made safe to put in a page,
    with ``note`` saying why it is not the PDF (empty when it is)."""

    version_id: int
    pdf_id: int | None = None
    html: str = ""
    note: str = ""

    @property
    def is_pdf(self) -> bool:
        return self.pdf_id is not None


def preview_of(store: Store, version_id: int) -> Preview:
    """What to show for the stored version ``version_id``, converting it (once) if it is a .docx.

    Takes the store rather than a session: LibreOffice runs with no transaction open, between a
    reading session and a short transaction that keeps its PDF. Never raises for a file that
    cannot be converted: the note says why and the plain rendering (or nothing) is shown instead."""
    with store.reading() as session:
        version = session.get(FileVersion, version_id)
        if version is None:
            raise CorrespondenceError(f"no stored file version {version_id}")
        suffix, name = version.suffix, version.file_name
        if suffix == ".pdf":
            return Preview(version_id, pdf_id=version_id)
        cached = cached_preview(session, version)
        if cached is not None:
            return Preview(version_id, pdf_id=cached.id)
        try:
            content = read_bytes(session, version)
        except CorrespondenceError as error:  # bytes that no longer match their SHA-256: said, never shown
            log.error("preview of file version %s: %s", version_id, error)
            return Preview(version_id, note=f"This file cannot be shown: {error}")
    if suffix != ".docx":
        return _text_preview(version_id, content, name)
    problem = _refused(content, name, strict=False)
    if problem:
        return Preview(version_id, note=f"This file cannot be shown: {problem}")
    if pdf.libreoffice() is None:
        return Preview(version_id, html=plain_rendering(content), note=PLAIN_RENDERING)
    # LibreOffice opens what the document links to; a file that links outside itself is only read by mammoth
    problem = _refused(content, name, strict=True)
    if not problem:
        try:
            made = _convert(content, name)
        except CorrespondenceError as error:
            log.warning("preview of file version %s: %s", version_id, error)
            problem = _reason(str(error))
        else:
            try:
                return Preview(version_id, pdf_id=_keep(store, version_id, made))
            except CorrespondenceError as error:  # the database refused it: the plain rendering instead
                log.warning("preview of file version %s not kept: %s", version_id, error)
                problem = "the PDF it made could not be kept"
    return Preview(version_id, html=plain_rendering(content),
                   note=f"LibreOffice could not make a PDF of this version ({problem}), so this is a plain rendering "
                        "of the Word file: its layout may differ")


def cached_preview(session: Session, version: FileVersion) -> FileVersion | None:
    """The PDF already made of ``version``, if there is one (the first, should two have been kept)."""
    query = select(FileVersion).where(FileVersion.source_id == version.id, FileVersion.purpose == FilePurpose.PREVIEW)
    return session.scalar(query.order_by(FileVersion.id).limit(1))


def preview_pdf(session: Session, preview: Preview) -> bytes | None:
    """The PDF's bytes for a preview shown as a PDF; None for one that is not."""
    if preview.pdf_id is None:
        return None
    stored = session.get(FileVersion, preview.pdf_id)
    return read_bytes(session, stored) if stored is not None else None


# Word's second-level list styles number on their own (each its own list at level 0), so mammoth
# would set their items beside those above them: they are nested inside the item above instead.
SECOND_LEVEL_LISTS = ("p[style-name='List Bullet 2'] => ul|ol > li > ul > li:fresh\n"
                      "p[style-name='List Number 2'] => ul|ol > li > ol > li:fresh")
_NO_PARENT = re.compile(r"<ul><li><(ul|ol)>((?:(?!<ul>|<ol>).)*?)</\1></li></ul>", re.DOTALL)


def plain_rendering(content: bytes) -> str:
    """The .docx as HTML by mammoth, cut down to what is safe to put in a page (see the module's note).

    The document's own style map is ignored (it could map a paragraph to any element), and mammoth
    never reads a file the document links to (``external_file_access`` is off)."""
    import mammoth
    from mammoth import html as mammoth_html

    def image(picture: object) -> list:
        alt = " ".join(str(getattr(picture, "alt_text", "") or "").split())
        return [mammoth_html.text(f"[image: {alt}]" if alt else "[image]")]

    try:
        result = mammoth.convert_to_html(io.BytesIO(content), include_embedded_style_map=False, external_file_access=False,
                                         convert_image=image, style_map=SECOND_LEVEL_LISTS)
    except Exception as error:  # noqa: BLE001 - a damaged or odd file: said, never a page that fails
        return f"<p>(The Word file could not be read: {html.escape(type(error).__name__)}.)</p>"
    # bullets under an item numbered as typed ("1.<tab>", a paragraph) have no list above them: no empty bullet for it
    return _NO_PARENT.sub(r"<\1>\2</\1>", safe_html(result.value))


# --- the safe subset of HTML -------------------------------------------------------------------

KEPT = frozenset({"p", "br", "strong", "b", "em", "i", "u", "s", "del", "sup", "sub", "ul", "ol", "li", "table", "thead",
                  "tbody", "tfoot", "tr", "th", "td", "blockquote", "pre", "code", "a", "h1", "h2", "h3", "h4", "h5", "h6"})
VOID = frozenset({"br"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math",
                                  "textarea", "select", "title", "head"})
HEADING_SHIFT = 2  # the page has its own h1 and h2: the letter's headings start at h3
_LINK = re.compile(r"(?i)(?:https?://|mailto:)[^\s\x00-\x1f\x7f\"'<>\\`]+")
_SPAN = re.compile(r"[1-9][0-9]?")


def safe_html(markup: str) -> str:
    """``markup`` with only the elements in KEPT, no attributes but a link's http(s) or mailto
    address and a cell's colspan and rowspan, headings moved down two levels, and every element
    closed. Text is escaped again; an image becomes ``[image: alt]``."""
    cleaner = _Cleaner()
    cleaner.feed(markup)
    cleaner.close()
    return cleaner.result()


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        if tag in DROPPED_WITH_CONTENT:
            self.skipping.append(tag)
            return
        if tag == "img":
            alt = " ".join((dict(attrs).get("alt") or "").split())
            self.out.append(html.escape(f"[image: {alt}]" if alt else "[image]"))
            return
        name = _heading(tag)
        if name is None:
            return
        kept = ""
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if not _LINK.fullmatch(href):
                return  # a link to anything else (javascript:, data:, a file) is only its text
            kept = f' href="{html.escape(href, quote=True)}" rel="noopener noreferrer nofollow"'
        elif tag in ("td", "th"):
            kept = "".join(f' {key}="{value}"' for key, value in attrs
                           if key in ("colspan", "rowspan") and value and _SPAN.fullmatch(value))
        self.out.append(f"<{name}{kept}>")
        if tag not in VOID:
            self.open.append(name)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open and self.open[-1] == _heading(tag) and tag != "img":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        name = _heading(tag)
        if name is None or name in VOID or name not in self.open:
            return
        while self.open:
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == name:
                break

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{name}>" for name in reversed(self.open))


def _heading(tag: str) -> str | None:
    """The element written for ``tag``: itself if kept (a heading moved down), else None."""
    if tag not in KEPT:
        return None
    if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
        return f"h{min(int(tag[1]) + HEADING_SHIFT, 6)}"
    return tag


# --- inside -------------------------------------------------------------------------------------


def _text_preview(version_id: int, content: bytes, name: str) -> Preview:
    try:
        text = document_text(content, name)
    except CorrespondenceError as error:
        return Preview(version_id, note=f"This file cannot be shown in the browser ({error}); download it to read it")
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    body = "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)
    return Preview(version_id, html=body or "<p>(The file has no text.)</p>",
                   note="This is the text of the file only, without its layout")


def _refused(content: bytes, name: str, *, strict: bool) -> str:
    """What the package checks refuse in ``content``, in their words; '' if nothing. ``strict``: as
    for a letter uploaded (no macros, nothing loaded from outside), else only zip bombs and entities."""
    shown = Path(name.replace("\\", "/")).name or "the file"
    with tempfile.TemporaryDirectory(prefix="corr-preview-") as folder:
        path = Path(folder) / "version.docx"
        path.write_bytes(content)
        try:
            if strict:
                check_word_letter(path, shown)
            else:
                check_package(path)
        except CorrespondenceError as error:  # in its own words, without the form field a face would name first
            return error.worded(lambda name: name, lambda _step: None, lead_field=lambda _name: "").replace(str(path), shown)
    return ""


def _convert(content: bytes, name: str) -> bytes:
    """The PDF LibreOffice makes of ``content`` (a .docx), in a private folder; no session is open."""
    with CONVERSIONS, tempfile.TemporaryDirectory(prefix="corr-preview-") as folder:
        source = Path(folder) / (Path(name).stem[:100] + ".docx" if Path(name).stem.strip(". ") else "version.docx")
        source.write_bytes(content)
        return pdf.convert_to_pdf(source).read_bytes()


def _reason(failure: str) -> str:
    """Why LibreOffice made no PDF, in a few words (its own message names temporary files and its command line)."""
    if "timed out" in failure:
        return "it was still converting after 3 minutes"
    status = re.search(r"exit status (-?\d+)", failure)
    if status:
        return f"it stopped with exit status {status.group(1)}"
    return "it made no PDF"


def _keep(store: Store, version_id: int, made: bytes) -> int:
    """Keep ``made`` as the version's preview in one short transaction, unless another request kept
    one first (then theirs is used, and ``made`` dropped): the owner's row is locked while looking."""
    with store.transaction() as session:
        version = session.get(FileVersion, version_id)
        assert version is not None
        _lock_owner(session, version)
        found = cached_preview(session, version)
        if found is not None:
            return found.id
        kept = store_file(session, made, file_name=f"{Path(version.file_name).stem or 'version'}.pdf", purpose=FilePurpose.PREVIEW,
                          letter=version.letter, response=version.response, inspection=version.inspection, office=version.office,
                          source=version, why=f"a PDF of version {version.number} made by LibreOffice, to read it in the browser")
        return kept.id


def _lock_owner(session: Session, version: FileVersion) -> None:
    """On PostgreSQL, lock the row that owns the version (as store_file does to number it), so a
    second request storing the same preview waits and then finds the first's. On SQLite the write
    transaction holds the database's lock already."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table, key in ((Letter, version.letter_id), (S55Response, version.response_id), (Inspection, version.inspection_id),
                       (Office, version.office_id)):
        if key is not None:
            session.execute(select(table.id).where(table.id == key).with_for_update())
            return
