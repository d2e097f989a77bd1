"""The published package's layout (issue 23, items 2, 5 and 7): a table's rows never split across
pages of the PDF and no page opens with an empty row; a table's cells keep their bold, italic and
right-alignment in the HTML and the PDF; a list keeps its nesting, also once the form's own lines
are taken out of a reply made on the office's invitation.

The example (the Metropolitan Police Service's Crime Data Integrity report of 2018) is published
with a response whose paragraphs hold a long table (made-up monthly figures, so that it runs over
a page) and nested bullets, and with the Commissioner's comments returned on the invitation's form
with a nested list of their own; the PDF is read back with pdftotext, the HTML as text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from correspondence.files.pdf import libreoffice
from correspondence.process.accessible import Block, Run, html_block, paragraph
from correspondence.process.comments_received import force_words
from tests.conftest import Cli, write

needs_libreoffice = pytest.mark.skipif(libreoffice() is None or shutil.which("pdftotext") is None,
                                       reason="LibreOffice (soffice) and pdftotext are needed to publish and read the PDF")

MONTHS = [f"{month} {year}" for year in (2016, 2017, 2018) for month in
          ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
           "December")]
TABLE_ROWS = [(month, f"{1000 + 7 * index:,}", f"{90 + index % 9}") for index, month in enumerate(MONTHS)]
COMMENTS = "\n".join([
    "# Opening", "", "I welcome this report.", "", "# Commentary", "", "## Crimes recorded each month", "",
    "| Month | Crimes **recorded** | Audited |", "| --- | ---: | ---: |",
    *[f"| {'**' + month + '**' if index == 0 else month} | {recorded} | *{audited}* |"
      for index, (month, recorded, audited) in enumerate(TABLE_ROWS)],
    "", "I will press the force on:", "",
    "- recording every crime at first contact;", "  - above all in cases of domestic abuse;",
    "- audits every quarter.", "",
])
COVERING = "The Commissioner accepts every area for improvement."
THEIR_LIST = [("Our priorities this year:", 0), ("recording at first contact", 1), ("audits by the registrar", 2),
              ("training for call handlers", 1)]


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    cli = example_cli
    cli.ok("role", "add", "Commissioner", "Cressida Dick", "--from", "10/4/2017", "--until", "10/4/2022", "--office", "MOPAC",
           "--salutation", "Dear Cressida", "--address", "New Scotland Yard")
    cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter")
    return cli


def _returned_with_a_nested_list(invitation: Path, path: Path) -> Path:
    """The invitation sent back with the force's covering text and a nested list above it."""
    document = Document(str(invitation))
    first = document.paragraphs[0]
    first.insert_paragraph_before(COVERING)
    for text, level in THEIR_LIST:
        first.insert_paragraph_before(text, style=["List Bullet", "List Bullet 2", "List Bullet 3"][level])
    document.save(str(path))
    return path


def _published(cli: Cli, tmp_path: Path) -> dict[str, str]:
    invitation = cli.json("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo")
    cli.ok("letter", "sent", invitation["reference"], "--date", "18/7/2018", "--as", "jo")
    reply = _returned_with_a_nested_list(Path(invitation["file"]), tmp_path / "reply.docx")
    cli.ok("comments", "add", "1", str(reply), "--date", "20/8/2018", "--as", "jo")
    ours = write(tmp_path / "ours.md", COMMENTS + "\n# Response to the chief officer\n\nI welcome the Commissioner's comments.\n")
    drafted = cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(ours))
    cli.ok("letter", "delete", "MOPAC06092018-D2188")  # the example's earlier draft
    cli.ok("letter", "sent", drafted["reference"], "--date", "7/9/2018", "--as", "jo")
    return cli.json("publish", "1", "--date", "10/9/2018", "--out", str(tmp_path / "site"), "--as", "jo")


def _pages(pdf: Path, *options: str) -> list[str]:
    text = subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _first_words_top(pdf: Path) -> list[float]:
    """How far down each page (points from the top) its first word is."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [float(re.search(r'<word xMin="[\d.]+" yMin="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
            for page in boxes.split("<page ")[1:] if "<word" in page]


@needs_libreoffice
def test_the_pdf_never_splits_a_row_nor_opens_a_page_with_an_empty_row(office: Cli, tmp_path: Path) -> None:
    pdf = Path(_published(office, tmp_path)["pdf"])
    pages = _pages(pdf, "-layout")
    assert len(pages) >= 3
    # A page opens with text, at the top margin (2 cm, 56.7 points): an empty row would push it down a row.
    tops = _first_words_top(pdf)
    assert all(top < 62 for top in tops[1:]), tops
    # The long table runs over a page: the next page opens with its header row, repeated.
    over = [index for index, page in enumerate(pages) if "January 2016" not in page and "December 2018" in page]
    assert over and pages[over[0]].lstrip().startswith("Month"), pages[over[0]][:200]
    # Each of Annex A's rows is whole on one page: its finding and its update on the same page.
    for start, end in (("Record every crime as", "domestic abuse cases."), ("Cancel crimes only on", "crime is cancelled."),
                       ("Collect diversity", "equality duty.")):
        on = [index for index, page in enumerate(pages) if start in page]
        assert on and end in pages[on[0]], (start, end)
    # A caption, or a table's lead-in, is never left at the foot of a page without its table.
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip() and "Page " not in line]
        assert not lines[-1].strip().startswith(("Table 1 of the letter", "Crimes recorded each month")), lines[-3:]


@needs_libreoffice
def test_cells_keep_bold_italic_and_right_alignment_and_lists_their_nesting(office: Cli, tmp_path: Path) -> None:
    published = _published(office, tmp_path)
    page = Path(published["html"]).read_text(encoding="utf-8")
    assert '<th scope="col" class="right">Crimes recorded</th>' in page  # a header cell is bold as every <th> is
    assert f'<th scope="row"><strong>January 2016</strong></th><td class="pre right">{TABLE_ROWS[0][1]}</td>' in page
    assert f'<td class="pre right"><em>{TABLE_ROWS[1][2]}</em></td>' in page
    assert "<ul><li>recording every crime at first contact;<ul><li>above all in cases of domestic abuse;</li></ul></li>" in page
    theirs = page[page.rindex("Comments of the Commissioner"):]
    assert ("<ul><li>Our priorities this year:<ul><li>recording at first contact<ul><li>audits by the registrar</li></ul></li>"
            "<li>training for call handlers</li></ul></li></ul>") in theirs
    assert "Dear Cressida" not in theirs  # the form's own lines are left out, the force's list kept with its levels

    pdf = Path(published["pdf"])
    words = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    right_edges = {float(x) for x, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', words)
                   if word in {recorded for _, recorded, _ in TABLE_ROWS}}
    assert max(right_edges) - min(right_edges) < 1.5  # the figures right-aligned: their right edges in line
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Bold" in fonts and "Italic" in fonts


def test_the_forms_own_lines_are_taken_out_of_a_nested_list_keeping_each_items_level() -> None:
    form = [[paragraph("Dear Cressida"), Block("ul", items=[[Run("Please return the table by 7 August 2018 at the latest.")]])]]
    reply = [paragraph("Dear Cressida"),
             Block("ul", items=[[Run("Please return the table by 7 August 2018 at the latest.")], [Run("ours")],
                                [Run("under ours")], [Run("under that")], [Run("ours again")]],
                   levels=[0, 0, 1, 2]),  # the last item's level unsaid: the top
             ]
    kept, left_out = force_words(reply, form, "The update")
    assert left_out and [block.kind for block in kept] == ["ul"]
    assert html_block(kept[0]) == ("<ul><li>ours<ul><li>under ours<ul><li>under that</li></ul></li></ul></li>"
                                   "<li>ours again</li></ul>")
