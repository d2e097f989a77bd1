"""Text from a PDF, laid out as the document was written: paragraphs whole, page furniture gone.

A PDF holds positioned lines, not paragraphs. Read naively, a report saved as PDF comes back with
every sentence broken at the right margin and at each page end, so "How well does the force ...
for crime-recording?" loses its first half and a bulleted list loses all but its last item. This
module reads each line with its position (pdfplumber, which measured better than pypdf's layout
mode on the corpus; see the developer guide) and joins a line to the next when the page layout broke it:
the line reaches the right margin (the next line's first word would not have fitted), the next
line follows at the normal spacing and does not start a bullet. Running headers and footers and
page numbers are dropped, and a paragraph carried over a page break is joined across it. Where a
page ends mid-sentence and the next page does not continue it, the line is marked as possibly cut
(CUT_MARK), so the importer flags the field instead of storing it as if whole.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from correspondence.records.errors import InvalidInput

CUT_MARK = " […]"  # ends a text that may be cut short, so nobody takes it for the whole

_BULLET_START = re.compile(r"^(?:[\u2022\u2023\u25e6\u2043\u2219\u00b7\u25cf\u25aa\-\*\u2013]|\(?[a-z0-9]{1,3}[.)])\s")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s+(?:of|/)\s+\d{1,4})?$", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.!?:;)”’\"']$")


@dataclass
class PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    char_width: float  # the line's average character width (a space is about half of it)
    first_word: float  # the width of its first word: had it fitted on the line above, it would be there


def read_pdf(source: Path | BinaryIO, name: str | None = None) -> str:
    """The PDF's text with layout breaks joined; a one-line InvalidInput naming the file (``name``,
    else the path) for a PDF that cannot be read. ``source`` is a path, or the bytes the gate admitted."""
    path = name or str(source)
    pages = _pdfplumber_lines(source, path)
    text = join_layout(pages)
    if not text.strip():
        raise InvalidInput(f"{path}: the PDF has no text layer (a scan?); run it through OCR first")
    return text


def _pdfplumber_lines(source: Path | BinaryIO, path: str) -> list[list[PdfLine]]:
    import logging

    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)  # warnings about odd PDFs are not the user's business
    try:
        with pdfplumber.open(str(source) if isinstance(source, Path) else source) as pdf:
            return [_page_lines(page) for page in pdf.pages]
    except InvalidInput:
        raise
    except Exception as error:  # pdfminer raises many kinds (PDFSyntaxError, PSEOF, KeyError, ...) on damaged files
        inner = error.args[0] if error.args and isinstance(error.args[0], Exception) else error  # pdfplumber wraps them
        if isinstance(inner, PDFPasswordIncorrect):
            raise InvalidInput(f"{path}: is an encrypted PDF; save an unprotected copy") from None
        raise InvalidInput(f"{path}: cannot be read as a PDF ({type(inner).__name__})") from None


def _page_lines(page) -> list[PdfLine]:
    lines = []
    for line in page.extract_text_lines(layout=False, strip=True, return_chars=True):
        text = " ".join(line["text"].split())
        if not text:
            continue
        width = (line["x1"] - line["x0"]) / max(len(text), 1)
        first_word = _first_word_width(line["chars"], width)
        lines.append(PdfLine(text, line["x0"], line["x1"], line["top"], line["bottom"], width, first_word))
    return lines


def _first_word_width(chars: list[dict], average: float) -> float:  # type: ignore[type-arg]
    """From the first glyph to the last before a space (a space glyph, or a gap, as many PDFs draw none)."""
    glyphs = [char for char in chars if char["text"].strip()]
    if not glyphs:
        return 0.0
    end = glyphs[0]
    for char, following in zip(chars, chars[1:]):
        if not char["text"].strip():
            break
        end = char
        if following["x0"] - char["x1"] > average * 0.3:
            break
    else:
        end = chars[-1]
    return end["x1"] - glyphs[0]["x0"]


def join_layout(pages: list[list[PdfLine]]) -> str:
    """Paragraphs separated by blank lines; lines broken by the layout joined.

    A paragraph is built as a list of pieces joined once at its end: adding each line to a growing
    string copied the whole paragraph every line, quadratic in a PDF whose lines all run on."""
    pages = _without_furniture(pages)
    stops = _stops_mid_sentence(pages)
    paragraphs: list[str] = []
    current: list[str] = []
    carried: PdfLine | None = None  # the last line of the previous page, when its paragraph may go on
    for page in pages:
        if not page:
            continue
        right = max(line.x1 for line in page)
        spacing = _line_spacing(page)
        for index, line in enumerate(page):
            previous = page[index - 1] if index else None
            if line is stops:
                line = PdfLine(line.text + CUT_MARK, line.x0, line.x1, line.top, line.bottom, line.char_width, line.first_word)
            if previous is None:
                if carried is not None and current and not _BULLET_START.match(line.text):
                    _join(current, line.text)  # a paragraph carried over the page break
                else:
                    if carried is not None and current:
                        current.append(CUT_MARK)  # the page ended mid-sentence and the next does not go on
                    current = _close(paragraphs, current, line.text)
                continue
            gap = line.top - previous.bottom
            if gap > spacing:
                current = _close(paragraphs, current, line.text)
            elif _wrapped(previous, line, right) and not _BULLET_START.match(line.text):
                _join(current, line.text)
            else:
                current += ("\n", line.text)
        last = page[-1]
        carried = last if _wrapped(last, None, right) and not _ENDS_SENTENCE.search(last.text) else None
    if current:
        paragraphs.append("".join(current))
    return "\n\n".join(paragraphs) + "\n"


def _stops_mid_sentence(pages: list[list[PdfLine]]) -> PdfLine | None:
    """The document's last line of text (a footer far below it aside), when it runs to the margin
    without ending its sentence: the text was cut there."""
    page = next((page for page in reversed(pages) if page), None)
    if page is None:
        return None
    height = statistics.median(line.bottom - line.top for line in page)
    last = len(page) - 1
    for index in range(len(page) - 1, max(len(page) - 3, 0), -1):
        if page[index].top - page[index - 1].bottom > 3 * height:
            last = index - 1
            break
    line = page[last]
    right = max(other.x1 for other in page)
    return line if _wrapped(line, None, right) and not _ENDS_SENTENCE.search(line.text) else None


def _close(paragraphs: list[str], current: list[str], text: str) -> list[str]:
    if current:
        paragraphs.append("".join(current))
    return [text]


def _join(current: list[str], text: str) -> None:
    if current[-1].endswith("-") and text[:1].islower():
        current.append(text)  # "crime-" + "recording"
    else:
        current += (" ", text)


def _wrapped(line: PdfLine, following: PdfLine | None, right: float) -> bool:
    """Whether the layout broke the line: the next line's first word would not have fitted after it
    (within a point of the page's right edge of text). At a page end, whether the line is full."""
    word = following.first_word if following is not None else line.char_width * 6
    return line.x1 + line.char_width / 2 + word > right - 1.0


def _line_spacing(page: list[PdfLine]) -> float:
    """The gap above which a new paragraph starts: the page's tightest usual line gap (the leading
    inside a paragraph) plus a third of a line."""
    gaps = sorted(max(b.top - a.bottom, 0.0) for a, b in zip(page, page[1:]) if b.top > a.top)
    heights = [line.bottom - line.top for line in page]
    leading = gaps[len(gaps) // 5] if gaps else 0.0
    return leading + (statistics.median(heights) if heights else 10.0) / 3


def _without_furniture(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Pages without running headers and footers (the same words at the top or bottom of most
    pages, numbers aside) and without page numbers."""
    def key(line: PdfLine) -> str:
        return re.sub(r"\d+", "#", line.text.casefold())

    edges = Counter()
    for page in pages:
        for line in {id(line): line for line in page[:2] + page[-2:]}.values():
            edges[key(line)] += 1
    repeated = {text for text, count in edges.items() if len(pages) >= 2 and count >= max(2, len(pages) // 2)}
    cleaned = []
    for page in pages:
        zone = {id(line) for line in page[:2] + page[-2:]}
        kept = [line for line in page if not (id(line) in zone and (key(line) in repeated or _PAGE_NUMBER.match(line.text)))]
        cleaned.append(kept)
    return cleaned
