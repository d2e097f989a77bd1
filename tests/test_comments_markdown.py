"""The office's paragraphs hold what a letter can: a Markdown table becomes a Word table in the
letter (and a table with column headers in the published HTML and PDF), nested bullets keep their
level in the letter, the PDF and the HTML; anything else is one refusal naming the file and line.

Each scenario is drafted from a comments file written here (the figures are made up), read back
with python-docx, rendered with LibreOffice and read with pdftotext, as a reader would see it."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from correspondence.drafting.word_paragraphs import PAGE_WIDTH
from correspondence.files.pdf import convert_to_pdf, libreoffice
from correspondence.files.preview import plain_rendering
from correspondence.process.accessible import Block, Run, html_block, write_docx
from tests.conftest import Cli, assert_clean_error, snapshot, write
from tests.docx_reading import read_letter
from tests.web_support import Browserless, Offices, text_of

needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed")

COMMENTS = """\
# Opening

I welcome this report on {force}.

# Commentary

## Crime recording this summer

| Measure | July 2024 | August 2024 |
| --- | ---: | ---: |
| Crimes **recorded** within 24 hours | 1,204 | 1,310 |
| Reports *audited* by the registrar | 180 | 195 |
| Crimes cancelled | 12 | 9 |

I will press the force on:

1. recording every crime as soon as there is enough information;
   - above all in cases of domestic abuse;
   - and crimes reported by partners;
2. cancelling a crime only on additional verifiable information.

- training for call handlers;
  - refreshed every year;
- audits every quarter.
"""
HEADER = ["Measure", "July 2024", "August 2024"]
ROWS = [["Crimes recorded within 24 hours", "1,204", "1,310"], ["Reports audited by the registrar", "180", "195"],
        ["Crimes cancelled", "12", "9"]]
PIPE_TEXT = re.compile(r"\|\s*-{3}|\|\s*Measure|1,204\s*\||\|\s*1,204")  # the table as typed, pipes and all


def _pdf(docx: Path) -> Path:
    return convert_to_pdf(docx)  # with a LibreOffice profile of its own, so tests in parallel do not collide


def _layout(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def _left_of(pdf: Path, phrase: str) -> float:
    """Where on the page (points from the left) the line beginning ``phrase`` starts its text."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = [(float(x), word) for x, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', boxes)]
    wanted = phrase.split()
    for index in range(len(words) - len(wanted) + 1):
        if [word for _, word in words[index:index + len(wanted)]] == wanted:
            return words[index][0]
    raise AssertionError(f"{phrase!r} is not in {pdf.name}")


def _assert_a_table_in_columns(text: str) -> None:
    lines = text.splitlines()
    for cells in [HEADER, *ROWS]:
        pattern = r"\s{2,}".join(re.escape(cell) for cell in cells)
        assert any(re.search(pattern, line) for line in lines), f"no line with {cells} in columns"
    assert not PIPE_TEXT.search(text), "the table came out as pipe text"


# --- the letter ----------------------------------------------------------------------------------------


def test_a_markdown_table_is_a_word_table_and_nested_bullets_keep_their_level(example_cli: Cli, tmp_path: Path) -> None:
    comments = write(tmp_path / "ours.md", COMMENTS)
    drafted = example_cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(comments))
    path = Path(drafted["file"])
    letter = read_letter(path)

    # a real Word table, with the letter's other tables' borders, a header row repeated on each page,
    # rows that never split, as wide as the page's text and its first (longest) column the widest
    (table,) = [t for t in letter.document.tables if [c.text for c in t.rows[0].cells] == HEADER]
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == ROWS
    rows = table._tbl.findall(qn("w:tr"))
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {border.tag.rsplit("}", 1)[1]: border.get(qn("w:val")) for border in borders} == {
        side: "single" for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
    widths = [int(column.get(qn("w:w"))) for column in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(widths) == PAGE_WIDTH and widths[0] == max(widths)
    header_runs = [run for cell in table.rows[0].cells for p in cell.paragraphs for run in p.runs]
    assert header_runs and all(run.bold for run in header_runs)
    cell_runs = {run.text: run for row in table.rows[1:] for cell in row.cells for p in cell.paragraphs for run in p.runs}
    assert cell_runs["recorded"].bold and cell_runs["audited"].italic and not cell_runs["Crimes "].bold
    assert table.rows[1].cells[1].paragraphs[0].alignment is not None  # '---:' figures set to the right
    assert not any("|" in text for _, text in letter.paragraphs)

    # the sub-heading and the lead-in stay with what follows them
    texts = [p.text for p in letter.document.paragraphs]
    heading = letter.document.paragraphs[texts.index("Crime recording this summer")]
    assert heading.paragraph_format.keep_with_next

    # bullets on two levels, numbered items with bullets under them
    assert "1.\trecording every crime as soon as there is enough information;" in texts
    assert "2.\tcancelling a crime only on additional verifiable information." in texts
    assert letter.styled("List Bullet 2") == ["above all in cases of domestic abuse;", "and crimes reported by partners;",
                                              "refreshed every year;"]
    assert letter.styled("List Bullet") == ["training for call handlers;", "audits every quarter."]

    # the template context shows the table as one block, its cells as runs
    context = example_cli.json("template", "context", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(comments))
    (block,) = [b for b in context["comments"]["commentary"] if b["style"] == "table"]
    assert [run["text"] for cell in block["header"] for run in cell] == HEADER
    assert block["align"] == ["", "right", "right"] and block["caption"] == "Crime recording this summer"

    # the workspace's plain rendering (where LibreOffice is missing) has the table and the nesting
    shown = plain_rendering(path.read_bytes())
    assert "<th><p><strong>Measure</strong></p></th>" in shown
    assert "<li>training for call handlers;<ul><li>refreshed every year;</li></ul></li>" in shown

    if libreoffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed, so the letter cannot be rendered")
    pdf = _pdf(path)
    text = _layout(pdf)
    _assert_a_table_in_columns(text)
    assert _left_of(pdf, "above all in cases") > _left_of(pdf, "I will press the force on:")
    assert _left_of(pdf, "refreshed every year;") > _left_of(pdf, "training for call handlers;")
    assert _left_of(pdf, "training for call handlers;") > _left_of(pdf, "I will press the force on:")


# --- the published package -----------------------------------------------------------------------------


@needs_libreoffice
def test_the_published_page_and_pdf_hold_the_table_and_the_nesting(example_cli: Cli, tmp_path: Path) -> None:
    cli = example_cli
    cli.ok("role", "add", "Commissioner", "Cressida Dick", "--from", "10/4/2017", "--until", "10/4/2022", "--office", "MOPAC",
           "--salutation", "Dear Cressida", "--address", "New Scotland Yard")
    cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter")
    invitation = cli.json("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo")["reference"]
    cli.ok("letter", "sent", invitation, "--date", "18/7/2018", "--as", "jo")
    comments = write(tmp_path / "ours.md", COMMENTS)
    ours = cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(comments))["reference"]
    cli.ok("letter", "sent", ours, "--date", "7/9/2018", "--as", "jo")
    published = cli.json("publish", "1", "--date", "10/9/2018", "--out", str(tmp_path / "site"), "--as", "jo")

    page = Path(published["html"]).read_text(encoding="utf-8")
    header = "".join(f'<th scope="col"{aligned}>{cell}</th>' for cell, aligned in zip(HEADER, ["", ' class="right"', ' class="right"']))
    assert f"<table><caption>Crime recording this summer</caption><thead><tr>{header}</tr></thead>" in page
    assert ('<th scope="row">Crimes <strong>recorded</strong> within 24 hours</th><td class="pre right">1,204</td>'
            '<td class="pre right">1,310</td>') in page  # the cells' bold and right-alignment kept (issue 23)
    assert ("<ol><li>recording every crime as soon as there is enough information;<ul><li>above all in cases of domestic abuse;"
            "</li><li>and crimes reported by partners;</li></ul></li><li>cancelling a crime only on additional verifiable "
            "information.</li></ol>") in page
    assert "<ul><li>training for call handlers;<ul><li>refreshed every year;</li></ul></li><li>audits every quarter.</li></ul>" in page
    assert not PIPE_TEXT.search(page)
    assert page.count("Crime recording this summer") == 2  # the caption and the table's label: not also a paragraph above it

    pdf = Path(published["pdf"])
    _assert_a_table_in_columns(_layout(pdf))
    assert _left_of(pdf, "above all in cases") > _left_of(pdf, "recording every crime as soon")
    assert _left_of(pdf, "refreshed every year;") > _left_of(pdf, "training for call handlers;")


@needs_libreoffice
def test_each_numbered_list_in_the_published_pdf_counts_from_its_own_start(tmp_path: Path) -> None:
    """Word's List Number style counts on through the whole document: two lists read 1, 2 then 3, 4."""
    first = Block("ol", items=[[Run("first step")], [Run("second step")], [Run("a point under it")]], levels=[0, 0, 1],
                  kinds=["ol", "ol", "ul"])
    second = Block("ol", items=[[Run("another list")], [Run("its second item")]], start=1)
    path = write_docx("Lists", [first, Block("paragraph", [Run("Between the lists.")]), second], tmp_path / "lists.docx")
    text = _layout(_pdf(path))
    assert re.search(r"1\.\s+first step", text) and re.search(r"2\.\s+second step", text)
    assert re.search(r"1\.\s+another list", text) and re.search(r"2\.\s+its second item", text), text
    assert "3." not in text
    assert html_block(first) == ("<ol><li>first step</li><li>second step<ul><li>a point under it</li></ul></li></ol>")


def test_a_list_never_skips_a_level_in_the_html() -> None:
    """An item two levels below the one before it (a letter edited in Word) is one level below it."""
    block = Block("ul", items=[[Run("a")], [Run("b")], [Run("c")]], levels=[1, 3, 0])
    assert html_block(block) == "<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>"
    assert html_block(Block("ol", items=[[Run("x")]], start=4)) == '<ol start="4"><li>x</li></ol>'


# --- refusals: one line naming the file and line, nothing drafted ----------------------------------------

TABLE = "| Measure | July 2024 | August 2024 |\n"
BAD = [
    ("short-row.md", f"Figures:\n\n{TABLE}| --- | --- | --- |\n| Crimes | 1,204 |\n",
     "short-row.md line 5: this row of the table has 2 cells and its header 3; give every row one cell per column"),
    ("long-row.md", f"{TABLE}| --- | --- | --- |\n| Crimes | 1,204 | 1,310 |\n| Audits | 180 | 195 | 210 |\n",
     "long-row.md line 4: this row of the table has 4 cells and its header 3"),
    ("no-delimiter.md", f"Figures:\n\n{TABLE}| Crimes | 1,204 | 1,310 |\n",
     "no-delimiter.md line 3: this line looks like a table row, but a table needs a line of | --- | under its header"),
    ("delimiter.md", f"{TABLE}| --- | --- |\n| Crimes | 1,204 | 1,310 |\n",
     "delimiter.md line 1: the line under this table's header has 2 columns and the header 3; give one | --- | per column"),
    ("run-on.md", f"{TABLE}| --- | --- | --- |\n| Crimes | 1,204 | 1,310 |\nThe figures are the force's own.\n",
     "run-on.md line 4: a paragraph straight after a table is read as one of its rows; leave a blank line"),
    ("wide.md", "| a | b | c | d | e | f | g |\n| - | - | - | - | - | - | - |\n| 1 | 2 | 3 | 4 | 5 | 6 | 7 |\n",
     "wide.md line 1: this table has 7 columns; a letter's page holds 6 at most"),
    ("in-a-list.md", f"- a point\n\n  {TABLE}  | --- | --- | --- |\n  | Crimes | 1 | 2 |\n",
     "in-a-list.md line 3: a table cannot be inside a list; start it at the left margin"),
    ("image.md", "The figures\nare in the chart\n![chart of crimes recorded](chart.png)\n",
     "image.md line 3: images are not supported in comments; add them in Word"),
    ("deep.md", "- one\n  - two\n    - three\n", "deep.md line 3: this list is 3 levels deep; a letter's bullets and numbered items go 2"),
    ("deep-numbers.md", "1. one\n   1. two\n      - three\n", "deep-numbers.md line 3: this list is 3 levels deep"),
    ("heading.md", "# Commentary\n\n### The figures\n", "heading.md line 3: '### The figures': a letter has one level of sub-heading, '## The figures'"),
    ("fence.md", "Text.\n\n```\nSELECT * FROM crimes\n```\n", "fence.md line 3: code blocks (```) are not supported in a letter"),
    ("footnote.md", "As the report says.[^1]\n\n[^1]: page 12\n", "footnote.md line 1: footnotes ([^1]) are not supported in a letter"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[case[0] for case in BAD])
def test_what_a_letter_cannot_hold_is_refused_with_the_file_and_line(example_cli: Cli, tmp_path: Path, name: str, content: str,
                                                                     message: str) -> None:
    path = write(tmp_path / name, content)
    before = snapshot(example_cli.db_url)
    drafted_before = sorted((tmp_path / "letters").iterdir()) if (tmp_path / "letters").exists() else []
    assert_clean_error(example_cli("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(path)),
                       message)
    assert snapshot(example_cli.db_url) == before
    assert (sorted((tmp_path / "letters").iterdir()) if (tmp_path / "letters").exists() else []) == drafted_before


def test_a_link_keeps_its_address_and_html_is_printed_as_typed(example_cli: Cli, tmp_path: Path) -> None:
    comments = write(tmp_path / "ours.md", "See [the force's plan](https://example.org/plan) and <b>this</b>.\n")
    letter = read_letter(Path(example_cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018",
                                               "--comments", str(comments))["file"]))
    assert "See the force's plan (https://example.org/plan) and <b>this</b>." in letter.text


def test_the_workspace_refuses_a_broken_table_naming_the_line(app: Any, office_data: Offices, db_url: str) -> None:
    dan = Browserless(app)
    assert dan.login("dan").status_code == 302
    before = snapshot(db_url)
    typed = f"# Commentary\n\n{TABLE}| --- | --- | --- |\n| Crimes | 1,204 |\n"
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/draft",
                        {"kind": "response", "letter_date": "7/9/2018", "comments": typed})
    assert response.status_code == 422
    shown = text_of(response)
    assert ("There is a problem The office's own paragraphs line 5: this row of the table has 2 cells and its header 3" in shown)
    assert "| Crimes | 1,204 |" in response.text  # what was typed is kept in the box
    assert snapshot(db_url) == before


def test_the_workspace_drafts_a_table_from_typed_paragraphs(app: Any, office_data: Offices) -> None:
    dan = Browserless(app)
    assert dan.login("dan").status_code == 302
    drafted = dan.post(f"/inspections/{office_data.mopac_inspection}/draft",
                       {"kind": "response", "letter_date": "7/9/2018", "comments": COMMENTS})
    assert drafted.status_code == 302, text_of(drafted)[:2000]
    letter_id = int(drafted.headers["Location"].rsplit("/", 1)[1])
    body = Document(io.BytesIO(dan.get(f"/letters/{letter_id}/download").data))
    assert any([cell.text for cell in table.rows[0].cells] == HEADER for table in body.tables)
