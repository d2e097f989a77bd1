"""The text of a saved web page, read in one pass: time and memory in proportion to the page.

Python's html.parser took quadratic time on markup a browser shrugs off: 80,000 ``<span>a `` never
closed took 75 s (each piece of text asked whether any open element was skipped, walking every
open element), and unclosed comments, ``<a<a<a``, ``</</</`` or ``<?<?<?`` rescan the rest of the
page at each ``<`` (CPython's own tokenizer, fixed only in later releases). This reader tokenizes
the page itself, forward only: every search for the end of a tag, comment or quoted value goes
through ``_Ahead``, which remembers where the next one is, so no byte is scanned twice by the same
search; what is open is a stack with, per tag name, where it is open and a count of skipped
elements, so a piece of text or an end tag costs the same however deep the page nests.

What is kept is what the html.parser reader kept (tests/test_readers_linear.py compares the two on
ordinary pages): the text of the body, a line per block element, "• " before a list item, a tab
before a table cell; scripts, styles, navigation, headers, footers, forms and cookie banners (by
their id, class, role or label) dropped. Where the page is cut short inside a tag, comment or
quoted value, the rest is dropped, as a browser does.
"""

from __future__ import annotations

import html
import re

SKIPPED_TAGS = frozenset({"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg",
                          "template", "head"})
BLOCK_TAGS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr",
                        "table", "br", "blockquote", "dd", "dt", "dl", "figure", "figcaption", "hr", "title"})
VOID_TAGS = frozenset({"br", "img", "meta", "link", "input", "hr", "wbr", "source", "area", "base", "col", "embed", "param",
                       "track"})
RAW_TEXT_TAGS = frozenset({"script", "style"})  # their content is not markup until their own end tag
FURNITURE = re.compile(r"cookie|consent|banner|skip|breadcrumb|share|menu|navigation|site-header|site-footer", re.IGNORECASE)
MARKER_ATTRIBUTES = frozenset({"id", "class", "role", "aria-label"})

_TAG_NAME = re.compile(r"[a-zA-Z][^\s/>]*")
_BETWEEN_ATTRIBUTES = re.compile(r"[\s/]*")
_ATTRIBUTE_NAME = re.compile(r"[^\s/>][^\s/>=]*")
_EQUALS = re.compile(r"\s*=\s*")
_UNQUOTED = re.compile(r"[^\s>]*")
_SPACES = re.compile(r"\s+")


class _Ahead:
    """``text.find(needle, start)`` for a scan that only moves forward: the last answer for each
    needle is kept, and asked again from anywhere before it, it is the answer still, so each needle
    scans each character at most once (the page's lower-cased copy serves the end of a script)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lower: str | None = None
        self._found: dict[str, tuple[int, int]] = {}

    def find(self, needle: str, start: int, *, ignore_case: bool = False) -> int:
        known = self._found.get(needle)
        if known is not None and known[0] <= start and (known[1] < 0 or start <= known[1]):
            return known[1]
        haystack = self.lower if ignore_case else self.text
        found = haystack.find(needle, start)
        self._found[needle] = (start, found)
        return found

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower


def html_to_text(page: str) -> str:
    """The page's text: blocks on lines of their own, the page's furniture left out."""
    reader = _Reader(page)
    reader.read()
    return "".join(reader.parts)


class _Reader:
    def __init__(self, page: str) -> None:
        self.page = page
        self.ahead = _Ahead(page)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, whether this element is skipped)
        self.open_at: dict[str, list[int]] = {}  # tag -> where in the stack it is open, innermost last
        self.skipped = 0  # how many open elements are skipped
        self.text: list[str] = []  # text read since the last tag, not yet unescaped

    def read(self) -> None:
        page, position, end = self.page, 0, len(self.page)
        while position < end:
            less = self.ahead.find("<", position)
            if less < 0:
                self.text.append(page[position:])
                break
            if less > position:
                self.text.append(page[position:less])
            position = self._markup(less)
        self._flush()

    def _markup(self, at: int) -> int:
        """Read the markup starting with the ``<`` at ``at``; where reading goes on (the page's end
        when the markup is never closed)."""
        page, end = self.page, len(self.page)
        following = page[at + 1:at + 2]
        if following.isascii() and following.isalpha():
            return self._start_tag(at)
        if following == "/":
            return self._end_tag(at)
        if page.startswith("<!--", at):
            self._flush()  # text either side of a comment is read as two pieces, as html.parser read it
            close = self.ahead.find("-->", at + 4)
            return end if close < 0 else close + 3
        if following in ("!", "?"):
            self._flush()
            close = self.ahead.find(">", at + 2)
            return end if close < 0 else close + 1
        self.text.append("<")  # a "<" that starts no markup is text ("a < b")
        return at + 1

    def _start_tag(self, at: int) -> int:
        page, end = self.page, len(self.page)
        name_match = _TAG_NAME.match(page, at + 1)
        assert name_match is not None  # _markup saw a letter
        tag = name_match.group().lower()
        position = name_match.end()
        marker: list[str] = []
        self_closing = False
        while True:
            position = _BETWEEN_ATTRIBUTES.match(page, position).end()  # type: ignore[union-attr]
            if position >= end:
                return end  # cut short inside the tag: dropped
            if page[position] == ">":
                self_closing = page[position - 1] == "/"
                position += 1
                break
            name = _ATTRIBUTE_NAME.match(page, position)
            assert name is not None  # not a space, "/" or ">"
            position = name.end()
            value = ""
            equals = _EQUALS.match(page, position)
            if equals is not None:
                position = equals.end()
                quote = page[position:position + 1]
                if quote in ('"', "'"):
                    close = self.ahead.find(quote, position + 1)
                    if close < 0:
                        return end  # an attribute's value never closed: the rest of the page is inside it
                    value, position = page[position + 1:close], close + 1
                else:
                    unquoted = _UNQUOTED.match(page, position)
                    value, position = unquoted.group(), unquoted.end()  # type: ignore[union-attr]
            if name.group().lower() in MARKER_ATTRIBUTES:
                marker.append(html.unescape(value))
        self._flush()
        self._open(tag, " ".join(marker))
        if self_closing:
            self._close(tag)
        elif tag in RAW_TEXT_TAGS:
            close = self.ahead.find(f"</{tag}", position, ignore_case=True)
            if close < 0:
                return end
            self.text.append(page[position:close])
            return close
        return position

    def _end_tag(self, at: int) -> int:
        page, end = self.page, len(self.page)
        close = self.ahead.find(">", at + 2)
        if close < 0:
            return end
        name_match = _TAG_NAME.match(page, at + 2)
        if name_match is not None:  # "</>" and "</ x>" are nothing
            self._flush()
            self._close(name_match.group().lower())
        return close + 1

    def _open(self, tag: str, marker: str) -> None:
        skipped = tag in SKIPPED_TAGS or bool(marker and FURNITURE.search(marker))
        if tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "li" and not self.skipped and not skipped:
            self.parts.append("• ")
        if tag in ("td", "th"):
            self.parts.append("\t")
        if tag not in VOID_TAGS:
            self.open_at.setdefault(tag, []).append(len(self.stack))
            self.stack.append((tag, skipped))
            self.skipped += skipped

    def _close(self, tag: str) -> None:
        """Close the innermost open ``tag`` and everything opened inside it (none open: nothing)."""
        where = self.open_at.get(tag)
        if where:
            innermost = where[-1]
            while len(self.stack) > innermost:
                closed, skipped = self.stack.pop()
                self.open_at[closed].pop()
                self.skipped -= skipped
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def _flush(self) -> None:
        if not self.text:
            return
        data = "".join(self.text)
        self.text.clear()
        if not self.skipped:
            self.parts.append(_SPACES.sub(" ", html.unescape(data)))
