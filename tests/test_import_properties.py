"""The importers fail only with the package's own error, whatever text or bytes they are given."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from correspondence.files.documents import read_document
from correspondence.importers.letter import parse_letter
from correspondence.importers.report import parse_report
from correspondence.records.errors import CorrespondenceError

# Text built from the pieces reports and letters are made of, so the parsers' patterns are reached.
pieces = st.sampled_from([
    "Our ref:", "Our Ref: OPCC/1/19", "Date:", "31/02/2019", "7 September 2018", "Dear Home Scentary", "Yours sincerely",
    "Overall judgment", "graded good", "graded", "Requires Improvement", "Areas for improvement", "Area for improvement 0",
    "Recommendations", "Cause of concern", "• ", "Within three months, the force should:", "89.5 percent (with a confidence interval of +/- 1.64 percent)",
    "98 of 118", "0 of 0", "999 of 1", "Over 94,500 reports of crime a year are not recorded", "Published on:", "Published on: 99/99/9999",
    "The Metropolitan Police Service: Crime Data Integrity inspection 2018", "PEEL 2021/22: An inspection of", "cc:", "To:",
    "Rt Hon Sajid Javid MP Home Secretary", "\n", "\n\n", ":", "?", "&", "<u>", "</u>", "##", "\u00a0", "’",
    "The extent to which the force is efficient at keeping people safe and reducing crime: not yet graded.", "Ungraded",
    "in terms of its effectiveness, the force is good at", "the areas requiring improvement are", "AFI", "Last updated 12/11/2014",
    "1. HMICFRS recommends that, by 31 March 2022,", "The force should immediately:", "some 16% (with a confidence interval of +/- 3%)",
    "(+/- 4.5%)", "were not recorded –", "23 of these should have been recorded – but only three actually were", "of them",
    "Dear Minister / H.M.Inspector,", "Dear", "l7 May 2O19", "Wednesday 27 July 2021", "October 14, 2011", "Yours sincerely Bernard",
    "Skip to main content", "Letterhead", "From:", "Cc:", "Response by Roger Hirst, Police, Fire and Crime Commissioner:",
    "Our ref : U0 75995/TXF", " […]", "Police Forces: Kent", "Dorset 2016", "| Home |",
])
documents = st.lists(st.one_of(pieces, st.text(max_size=40)), max_size=60).map(" ".join) | st.text(max_size=2000)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_report_parser_never_raises_anything_else(text):
    try:
        findings = parse_report(text)
    except CorrespondenceError:
        return
    assert isinstance(findings.missing, list)
    findings.as_inspection_data()


@settings(max_examples=300, deadline=None)
@given(documents)
def test_letter_parser_never_raises_anything_else(text):
    try:
        parse_letter(text)
    except CorrespondenceError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".html", ".pdf", ".docx", ".doc", ""]),
       prefix=st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<!DOCTYPE html>"]))
def test_document_reader_never_raises_anything_else(content, suffix, prefix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"document{suffix}"
        path.write_bytes(prefix + content)
        try:
            read_document(path)
        except CorrespondenceError:
            pass


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(st.text(max_size=30), st.floats(0, 600), st.floats(0, 600), st.floats(0.1, 20)), max_size=12), max_size=4))
def test_pdf_line_joining_never_raises(pages):
    from correspondence.files.pdf_text import PdfLine, join_layout

    built = [[PdfLine(text, 50.0, x1, top, top + 10, width, width * 3) for text, x1, top, width in sorted(page, key=lambda row: row[2])]
             for page in pages]
    assert isinstance(join_layout([[line for line in page if line.text.strip()] for page in built]), str)
