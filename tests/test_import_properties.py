"""The importers fail only with the package's own error, whatever text or bytes they are given."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from correspondence.errors import CorrespondenceError
from correspondence.importers.documents import read_document
from correspondence.importers.letter import parse_letter
from correspondence.importers.report import parse_report

# Text built from the pieces reports and letters are made of, so the parsers' patterns are reached.
pieces = st.sampled_from([
    "Our ref:", "Our Ref: OPCC/1/19", "Date:", "31/02/2019", "7 September 2018", "Dear Home Scentary", "Yours sincerely",
    "Overall judgment", "graded good", "graded", "Requires Improvement", "Areas for improvement", "Area for improvement 0",
    "Recommendations", "Cause of concern", "• ", "Within three months, the force should:", "89.5 percent (with a confidence interval of +/- 1.64 percent)",
    "98 of 118", "0 of 0", "999 of 1", "Over 94,500 reports of crime a year are not recorded", "Published on:", "Published on: 99/99/9999",
    "The Metropolitan Police Service: Crime Data Integrity inspection 2018", "PEEL 2021/22: An inspection of", "cc:", "To:",
    "Rt Hon Sajid Javid MP Home Secretary", "\n", "\n\n", ":", "?", "&", "<u>", "</u>", "##", "\u00a0", "’",
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
