"""Reports saved as PDF import the same facts as their text; what a page break may have cut is flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.pdf_text import FONT, report_as_fpdf, report_as_libreoffice_pdf
from correspondence.files.pdf import libreoffice
from correspondence.files.pdf_text import CUT_MARK, PdfLine, join_layout
from tests.conftest import SEEDS, assert_clean_error, requires_seeds

MET = SEEDS / "report-hmicfrs-met-cdi-2018-07-17.txt"
needs_font = pytest.mark.skipif(not FONT.is_file(), reason=f"the DejaVu Sans font is not at {FONT} (apt-get install fonts-dejavu-core)")


def _findings(path: Path) -> dict:
    from correspondence.importers.storing import read_report

    return read_report(path).as_inspection_data()


@requires_seeds
@needs_font
def test_the_seed_report_as_a_single_column_pdf_gives_the_same_facts_as_its_text(tmp_path):
    pdf = report_as_fpdf(MET.read_text(encoding="utf-8"), tmp_path / "met.pdf")
    from_pdf, from_text = _findings(pdf), _findings(MET)
    assert len(from_pdf["areas_for_improvement"]) == 7  # the old reader kept 1 of 7
    assert from_pdf["judgments"][2]["question"].startswith("How well does the force demonstrate")  # not cut mid-sentence
    assert from_pdf == from_text


@requires_seeds
@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed, so no Word-made PDF can be produced")
def test_the_seed_report_saved_from_word_as_pdf_gives_the_same_facts(tmp_path):
    pdf = report_as_libreoffice_pdf(MET.read_text(encoding="utf-8"), tmp_path / "met.pdf")
    assert _findings(pdf) == _findings(MET)  # its running footer and page breaks make no difference


def _line(text: str, top: float, x1: float = 500.0) -> PdfLine:
    return PdfLine(text, 50.0, x1, top, top + 10, 5.0, 5.0 * len(text.split()[0]))


def test_a_paragraph_carried_over_a_page_break_is_joined_and_the_footers_dropped():
    pages = [
        [_line("Areas for improvement", 50, 160), _line("The force should improve how it records crimes reported by", 75),
         _line("HMICFRS report", 800, 120), _line("Page 1 of 2", 815, 110)],
        [_line("third parties acting for the victim.", 50, 240), _line("HMICFRS report", 800, 120), _line("Page 2 of 2", 815, 110)],
    ]
    text = join_layout(pages)
    assert "The force should improve how it records crimes reported by third parties acting for the victim." in text
    assert "HMICFRS report" not in text and "Page" not in text


def test_a_page_that_ends_mid_sentence_before_a_new_list_is_marked_as_cut():
    pages = [
        [_line("Areas for improvement", 50, 160), _line("The force should improve how it records crimes reported by", 75)],
        [_line("• ensure that all reported crimes of rape are recorded without delay;", 50)],
    ]
    text = join_layout(pages)
    assert f"crimes reported by{CUT_MARK}" in text
    assert "\n\n• ensure that all reported crimes" in text


def test_short_lines_are_kept_apart_and_wrapped_lines_joined():
    page = [_line("Our ref: PCC/2021/7", 50, 140), _line("13th September 2021", 63, 150),
            _line("I write in response to the report, which found that the force has made", 90),
            _line("good progress.", 103, 120)]
    assert join_layout([page]) == "Our ref: PCC/2021/7\n13th September 2021\n\n" \
                                  "I write in response to the report, which found that the force has made good progress.\n"


def test_an_encrypted_pdf_gets_one_line(cli, tmp_path):
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    plain = FPDF()
    plain.add_page()
    plain.set_font("Helvetica", size=11)
    plain.cell(0, 6, "Published on: 1 May 2023")
    plain.output(str(tmp_path / "plain.pdf"))
    writer = PdfWriter()
    for page in PdfReader(str(tmp_path / "plain.pdf")).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    assert_clean_error(cli("inspection", "import", str(tmp_path / "locked.pdf")), "is an encrypted PDF; save an unprotected copy")
