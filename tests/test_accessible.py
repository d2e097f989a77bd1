"""The published package's tables (accessible.py), as Word and LibreOffice lay them out: a findings
table whose group title ("Areas for improvement") spans the table, whose rows never split across
pages, and whose short No. column leaves the room to the text."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from correspondence.process.accessible import Block, heading, html_block, write_docx

ANNEX = Block("table", caption="Annex A: the force's update on each finding",
              header=["No.", "Finding", "Status", "Force's update", "Our response"],
              rows=[["Areas for improvement"],
                    ["A1", "Record every crime as soon as there is enough information to do so.", "Complete",
                     "Call handlers were briefed; crimes are now recorded at first contact.", "We will sample reports."]])


def test_a_group_title_spans_the_table_and_rows_stay_whole(tmp_path: Path) -> None:
    path = write_docx("Title", [heading("Annex A: the force's update on each finding", 2), ANNEX], tmp_path / "p.docx")
    document = Document(str(path))
    table = document.tables[0]
    title_row, finding_row = table.rows[1], table.rows[2]
    assert len({id(cell._tc) for cell in title_row.cells}) == 1 and title_row.cells[0].text == "Areas for improvement"
    assert title_row.cells[0].paragraphs[0].runs[0].bold
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    widths = [column.width for column in table.columns]
    assert widths[0] < widths[1] / 3, widths  # the title row no longer sizes the No. column
    assert [p.text for p in document.paragraphs].count("Annex A: the force's update on each finding") == 1
    assert finding_row.cells[0].text == "A1"


def test_a_group_title_is_a_row_group_header_on_the_page() -> None:
    html = html_block(ANNEX)
    assert '<tr><th scope="rowgroup" colspan="5">Areas for improvement</th></tr>' in html
    assert '<th scope="row">A1</th>' in html
