"""Readers whose work grows with the file, not its square (issue 22, item 2).

A saved page of 80,000 ``<span>a `` never closed took 75 s to read. Speed is measured by
benchmarks/readers.py; here each reader is handed the hostile shapes that were quadratic and must
read them right, and the work it does (the calls it makes, counted by a profiler hook, not timed)
must grow in proportion: twice the input, at most a little over twice the calls.
"""

from __future__ import annotations

import io
import random
import re
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from docx import Document

from correspondence.files.documents import docx_body_text, tidy
from correspondence.files.html_text import html_to_text
from correspondence.files.pdf_text import PdfLine, join_layout
from correspondence.importers.report import parse_report


def calls_made(work: Callable[[], Any]) -> int:
    """How many function calls (Python's and C's) ``work`` makes: a count, not a time."""
    count = 0

    def hook(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(hook)
    try:
        work()
    finally:
        sys.setprofile(None)
    return count


def assert_linear(make: Callable[[int], Any], read: Callable[[Any], Any], size: int) -> None:
    small, large = calls_made(lambda: read(make(size))), calls_made(lambda: read(make(4 * size)))
    assert large <= 4.6 * small, f"4x the input made {large / small:.1f}x the calls"


HOSTILE_HTML = {
    "spans never closed": lambda n: "<span>a " * n,
    "end tags that close nothing open": lambda n: "<span>a " * n + "</b>b " * n,
    "a comment never closed": lambda n: "<p>kept</p><!--" + "a<" * n,
    "tags never finished": lambda n: "<p>kept</p>" + "<a" * n,
    "end tags never finished": lambda n: "<p>kept</p>" + "</" * n,
    "processing instructions never finished": lambda n: "<p>kept</p>" + "<?" * n,
    "a quoted value never closed": lambda n: '<p>kept</p><a title="' + "x>" * n,
    "deep nesting": lambda n: "<div>" * n + "deep" + "</div>" * n,
    "a skipped region": lambda n: "<nav>" + "<p>menu</p>" * n + "</nav><p>kept</p>",
}


@pytest.mark.parametrize("shape", list(HOSTILE_HTML))
def test_hostile_html_is_read_with_work_in_proportion(shape: str) -> None:
    assert_linear(HOSTILE_HTML[shape], html_to_text, 2_000)


def test_eighty_thousand_unclosed_spans_read_right() -> None:
    """The issue's page: every piece of text kept, once, in order."""
    text = tidy(html_to_text("<html><body><p>Dear Sophie,</p>" + "<span>a " * 80_000))
    assert text == "Dear Sophie,\n" + " ".join(["a"] * 80_000) + "\n"


def test_what_is_cut_short_is_dropped_and_what_came_before_kept() -> None:
    for shape in ("a comment never closed", "tags never finished", "end tags never finished",
                  "processing instructions never finished", "a quoted value never closed"):
        assert tidy(html_to_text(HOSTILE_HTML[shape](5_000))) == "kept\n", shape
    assert tidy(html_to_text(HOSTILE_HTML["deep nesting"](5_000))) == "deep\n"
    assert tidy(html_to_text(HOSTILE_HTML["a skipped region"](5_000))) == "kept\n"


class _HtmlParserReader(HTMLParser):
    """The reader before this one (html.parser, quadratic on hostile pages): the oracle for what an
    ordinary page's text is."""

    SKIPPED = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "svg", "template", "head"}
    BLOCKS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "br",
              "blockquote", "dd", "dt", "dl", "figure", "figcaption", "hr", "title"}
    VOID = {"br", "img", "meta", "link", "input", "hr", "wbr", "source", "area", "base", "col", "embed", "param", "track"}
    FURNITURE = re.compile(r"cookie|consent|banner|skip|breadcrumb|share|menu|navigation|site-header|site-footer", re.IGNORECASE)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marker = " ".join(value or "" for name, value in attrs if name in ("id", "class", "role", "aria-label"))
        skipped = tag in self.SKIPPED or bool(marker and self.FURNITURE.search(marker))
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li" and not any(s for _, s in self.stack) and not skipped:
            self.parts.append("• ")
        if tag in ("td", "th"):
            self.parts.append("\t")
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        for position in range(len(self.stack) - 1, -1, -1):
            if self.stack[position][0] == tag:
                del self.stack[position:]
                break
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not any(skipped for _, skipped in self.stack):
            self.parts.append(re.sub(r"\s+", " ", data))


PIECES = ["<p>", "</p>", "<div class='x'>", "</div>", "<li>", "</li>", "<ul>", "</ul>", "Dear Sophie ", "stop &amp; search ",
          "&lt;", " <b>", "</b>", "<br>", "<br/>", "<nav>", "</nav>", "<span>", "</span>", "<!-- note -->", "<td>", "<th>", "</td>",
          "<tr>", "</tr>", "<table>", "</table>", '<div id="cookie-banner">', "<script>var a = '<p>';</script>",
          "<style>p { }</style>", "\n", "  ", "&nbsp;", "<a href=\"x\" title='y > z'>", "</a>", "<img src=x>", "<h2>", "</h2>",
          "&#8217;", "<section role=navigation>", "</section>", "<!DOCTYPE html>", "<P>", "</P>", "x < y", "<footer>", "</footer>"]


def test_an_ordinary_page_reads_as_the_html_parser_reader_read_it() -> None:
    chosen = random.Random(22)
    for _ in range(2_000):
        page = "".join(chosen.choice(PIECES) for _ in range(chosen.randint(1, 40)))
        oracle = _HtmlParserReader()
        oracle.feed(page)
        oracle.close()
        assert html_to_text(page) == "".join(oracle.parts), page


def test_a_report_of_figures_without_full_stops_is_read_with_work_in_proportion() -> None:
    """Each figure searched back to its sentence's start through the whole paragraph: quadratic."""
    def report(n: int) -> str:
        figures = " ".join(f"the force recorded {50 + n_ % 50}.{n_ % 10} percent (with a confidence interval of +/- 1.{n_ % 9} percent)"
                           for n_ in range(n))
        return f"Crime data integrity inspection\n\nMetropolitan Police Service\n\n{figures}\n"

    assert_linear(report, parse_report, 150)
    measures = parse_report(report(40)).measures
    assert {measure["rate"] for measure in measures} >= {"50.0", "61.1"} and all("ci" in measure for measure in measures)


def test_nested_tables_are_read_once_each() -> None:
    """A table inside a cell inside a table, 40 deep: each piece of text read once (the rows of each
    inner table were lines again, and read again at every depth)."""
    document = Document()
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    cell.paragraphs[0].text = "level 0"
    for depth in range(1, 40):
        inner = cell.add_table(rows=1, cols=2)
        cell = inner.cell(0, 0)
        cell.paragraphs[0].text = f"level {depth}"
    buffer = io.BytesIO()
    document.save(buffer)
    text = docx_body_text(Document(io.BytesIO(buffer.getvalue())).element.body)
    assert [text.count(f"level {depth}") for depth in (0, 9, 39)] == [1, 1, 1]
    assert text.index("level 0") < text.index("level 1") < text.index("level 39")


def test_a_pdf_whose_lines_all_run_on_is_one_paragraph_built_in_proportion() -> None:
    def page(n: int) -> list[list[PdfLine]]:
        return [[PdfLine(f"word{index} runs on to the margin", 72.0, 540.0, 100.0 + 12 * index, 110.0 + 12 * index, 5.0, 20.0)
                 for index in range(n)]]

    joined = join_layout(page(3_000))
    assert joined.count("\n") == 1 and joined.startswith("word0 runs on") and "word2999 runs on to the margin" in joined
    assert_linear(page, join_layout, 1_000)
