"""Every kind of letter, laid out by LibreOffice and read back from the PDF as a reader sees it:
how many pages, the signature never separated from its closing lines, no blank pages, the fonts
Word would use (Arial, as Liberation Sans with the same metrics) and the page numbers right.

Skipped where LibreOffice is not installed (CI installs it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from correspondence.files.pdf import libreoffice
from tests.letter_kinds import KINDS, SIGNATORIES, draft_every_kind


def _arial_metrics_installed() -> bool:
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    return "Liberation Sans" in fonts or "Arial" in fonts


pytestmark = [
    pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed"),
    pytest.mark.skipif(not _arial_metrics_installed(), reason="no font with Arial's metrics: install fonts-liberation"),
]

# Pages each letter takes: the bundled s.55 response fits two pages plus Annex A, like the real one.
PAGES = {
    "s55-response": 3,
    "s55-no-overall-grade": 3,
    "follow-up": 3,
    "follow-up-one-theme": 2,
    "follow-up-no-themes": 2,
    "annex": 1,
}
LAST_LINE_BEFORE_CLOSING = {
    "s55-response": "as they are received.",
    "s55-no-overall-grade": "each of these findings.",
    "follow-up": "on the issues above.",
    "follow-up-one-theme": "on the issues above.",
    "follow-up-no-themes": "progress on the actions.",
}


@dataclass
class Rendered:
    pages: list[str]  # the text of each page, whitespace collapsed
    fonts: set[str]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Rendered]:
    """Each kind's PDF, as LibreOffice lays it out."""
    from pypdf import PdfReader

    from correspondence.files.pdf import convert_to_pdf

    folder = tmp_path_factory.mktemp("kinds")
    drafted = draft_every_kind(f"sqlite:///{folder / 'corr.db'}", folder)
    rendered = {}
    for kind, docx in drafted.items():
        reader = PdfReader(str(convert_to_pdf(docx)))
        rendered[kind] = Rendered([" ".join((page.extract_text() or "").split()) for page in reader.pages], _fonts(reader))
    return rendered


def _fonts(reader) -> set[str]:  # noqa: ANN001 - a pypdf PdfReader
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for font in (fonts.get_object() if fonts else {}).values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(font.get_object()["/BaseFont"]).lstrip("/")))
    return names


@pytest.mark.parametrize("kind", KINDS)
def test_each_letter_takes_the_pages_it_should_and_numbers_them(pdfs, kind):
    pages = pdfs[kind].pages
    assert len(pages) == PAGES[kind], f"{kind}: {len(pages)} pages"
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


@pytest.mark.parametrize("kind", KINDS)
def test_no_page_is_blank(pdfs, kind):
    for number, text in enumerate(pdfs[kind].pages, start=1):
        body = re.sub(r"\S+ \| Our ref: \S+ \| Page \d+ of \d+", "", text).strip()
        assert len(body) > 40, f"{kind}: page {number} holds nothing but its footer"


@pytest.mark.parametrize("kind", sorted(SIGNATORIES))
def test_the_closing_signature_and_title_are_on_one_page_with_the_last_paragraph(pdfs, kind):
    name, title = SIGNATORIES[kind]
    (page,) = [text for text in pdfs[kind].pages if "Yours sincerely" in text]
    closing = page[page.index("Yours sincerely"):]
    assert closing.startswith(f"Yours sincerely {name} {title}"), closing[:120]
    before = page[: page.index("Yours sincerely")].rstrip()
    assert before.endswith(LAST_LINE_BEFORE_CLOSING[kind]), f"{kind}: the closing paragraph is not on the signature's page"


def test_the_example_response_fits_two_pages_plus_annex_a(pdfs):
    letter, second, annex = pdfs["s55-response"].pages
    assert "Yours sincerely" in second and "Annex A:" not in letter + second
    assert annex.startswith("Annex A: the force's update on each finding, and my response")
    assert "Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services" in letter
    assert "Areas for improvement A1 Record every crime" in annex


def test_a_response_without_an_overall_grade_tables_its_six_areas_counting_those_graded(pdfs):
    text = " ".join(pdfs["s55-no-overall-grade"].pages)
    assert "His Majesty's Inspectorate" in text and "Her Majesty's" not in text
    # more than four areas: a table, under a lead-in that counts the five graded, not "the six areas ... as follows:"
    assert ("HMICFRS graded five of the six areas it examined as follows: Area Grade Police powers and public "
            "treatment Good Preventing and deterring crime Adequate") in text
    assert "Managing offenders and suspects Not graded" in text and "graded the six areas" not in text
    assert "The report raises one cause of concern, makes two recommendations and identifies three areas for improvement." in text
    assert "overall" not in text.split("Annex A")[0].split("HMICFRS graded")[1].split(".")[0]


@pytest.mark.parametrize(
    ("kind", "said", "not_said"),
    [
        ("follow-up", "The three key strategic themes running through the items on the agenda were:", "theme running"),
        ("follow-up-one-theme", "The key strategic theme running through the items on the agenda was public confidence", "themes"),
        ("follow-up-no-themes", "I am writing to confirm the actions arising from the meeting.", "not able to cover"),
    ],
)
def test_follow_ups_say_what_the_meeting_had_and_nothing_it_did_not(pdfs, kind, said, not_said):
    letter = " ".join(pdfs[kind].pages).split("Yours sincerely")[0]
    assert said in letter and not_said not in letter


@pytest.mark.parametrize("kind", KINDS)
def test_letters_are_set_in_arial_metrics(pdfs, kind):
    """LibreOffice sets Arial in Liberation Sans, whose letters have Arial's widths, so lines and
    pages break where Word breaks them. Any other font means the layout was not what Word shows."""
    fonts = pdfs[kind].fonts
    assert fonts and all(font.startswith("LiberationSans") for font in fonts), fonts
