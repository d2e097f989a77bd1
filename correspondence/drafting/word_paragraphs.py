"""Blocks of prose (see comments.py) as Word paragraphs, for the templates' ``paragraphs`` filter.

A template places the office's paragraphs with one tag in a paragraph of its own:

    {{p comments.commentary | paragraphs }}
    {{p comments.closing | paragraphs(keep_with_next=true) }}

The tag's paragraph is replaced by one Word paragraph per block (nothing at all when there are
none). Bullets use the template's "List Bullet" and "List Bullet 2" styles, so they look like the
rest of the letter; bold, italic, indents and line breaks are direct formatting. With
``keep_with_next`` the last paragraph stays on the page of what follows (the signature).

A table block (a Markdown table) is a Word table like the letter's own: single black borders, a
bold header row repeated on each page, 10 point text, rows that never split across pages, centred
and as wide as a portrait page's text (16 cm), each column at least as wide as its longest word. The
paragraph before it stays on its page, and an empty line follows it, as after the letter's grades.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold

# Paragraph styles (by style id) the blocks use: templates must define them (scripts/make_templates.py).
STYLE_IDS = {"bullet": "ListBullet", "bullet2": "ListBullet2"}
_INDENTS = {  # twentieths of a point: 567 = 1 cm
    "numbered": '<w:ind w:left="567" w:hanging="567"/>',
    "numbered2": '<w:ind w:left="1134" w:hanging="567"/>',
    "quote": '<w:ind w:left="567" w:right="567"/>',
    "indent": '<w:ind w:left="720"/>',
    "indent2": '<w:ind w:left="1080"/>',
}
PAGE_WIDTH = 9072  # a portrait A4 page's text, 16 cm, in twentieths of a point
_TABLE_TEXT = '<w:sz w:val="20"/><w:szCs w:val="20"/>'  # 10 point, as the letter's own tables
_CELL_MARGIN = 108  # Table Grid's left and right cell margins
_BORDER = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
_BORDERS = "".join(_BORDER.format(side=side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_ALIGN = {"right": "right", "center": "center"}
_AFTER_TABLE = '<w:p><w:pPr>{keep}<w:spacing w:before="0" w:after="0"/></w:pPr></w:p>'


def paragraphs(blocks: list[dict[str, Any]] | None, keep_with_next: bool = False) -> Any:
    """The WordprocessingML for ``blocks``, marked safe so autoescaping leaves it whole."""
    from markupsafe import Markup

    blocks = list(blocks or [])
    xml = []
    for position, block in enumerate(blocks):
        last = position == len(blocks) - 1
        if block.get("style") == "table":
            xml.append(_table(block, keep_with_next and last))
        else:
            lead_in = not last and blocks[position + 1].get("style") == "table"  # stays with the table below it
            xml.append(_paragraph(block, (keep_with_next and last) or lead_in))
    return Markup("".join(xml))


def _paragraph(block: dict[str, Any], keep_with_next: bool) -> str:
    style = str(block.get("style", "paragraph"))
    properties = ""
    if style in STYLE_IDS:
        properties += f'<w:pStyle w:val="{STYLE_IDS[style]}"/>'
    if keep_with_next or style == "heading":
        properties += "<w:keepNext/>"
    properties += _INDENTS.get(style, "")
    runs = "".join(_run(run, bold=style == "heading", italic=style == "quote") for run in block.get("runs", []))
    return f"<w:p>{f'<w:pPr>{properties}</w:pPr>' if properties else ''}{runs}</w:p>"


def _run(run: dict[str, Any], bold: bool, italic: bool, size: str = "") -> str:
    properties = ""
    if bold or run.get("bold"):
        properties += "<w:b/>"
    if italic or run.get("italic"):
        properties += "<w:i/>"
    properties += size
    pieces = []
    for position, line in enumerate(str(run.get("text", "")).split("\n")):
        if position:
            pieces.append("<w:br/>")
        for index, part in enumerate(line.split("\t")):
            if index:
                pieces.append("<w:tab/>")
            if part:
                pieces.append(f'<w:t xml:space="preserve">{escape(_NOT_XML.sub("", part))}</w:t>')
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{''.join(pieces)}</w:r>"


# --- tables --------------------------------------------------------------------------------------------


def _table(block: dict[str, Any], keep_with_next: bool) -> str:
    header: list[list[dict[str, Any]]] = list(block.get("header") or [])
    rows: list[list[list[dict[str, Any]]]] = [list(row) for row in block.get("rows") or []]
    columns = len(header)
    rows = [(row + [[]] * columns)[:columns] for row in rows]
    align = (list(block.get("align") or []) + [""] * columns)[:columns]
    widths = column_widths([[_text(cell) for cell in row] for row in [header, *rows]], PAGE_WIDTH)
    properties = (f'<w:tblW w:w="{PAGE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{_BORDERS}</w:tblBorders>'
                  '<w:tblLayout w:type="fixed"/>'
                  f'<w:tblCellMar><w:left w:w="{_CELL_MARGIN}" w:type="dxa"/><w:right w:w="{_CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
                  '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>')
    if block.get("caption"):
        properties += f"<w:tblCaption w:val={quoteattr(_NOT_XML.sub('', str(block['caption'])))}/>"
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in widths)
    xml = [f"<w:tbl><w:tblPr>{properties}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>",
           _row(header, widths, align, header=True)]
    xml += [_row(row, widths, align, header=False) for row in rows]
    xml.append("</w:tbl>")
    xml.append(_AFTER_TABLE.format(keep="<w:keepNext/>" if keep_with_next else ""))
    return "".join(xml)


def _row(cells: list[list[dict[str, Any]]], widths: list[int], align: list[str], *, header: bool) -> str:
    # A row never splits across pages; the header row is repeated on each page and kept with the first row.
    row_properties = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    xml = [f"<w:tr><w:trPr>{row_properties}</w:trPr>"]
    for cell, width, alignment in zip(cells, widths, align):
        paragraph = '<w:spacing w:before="40" w:after="40"/>'
        if header:
            paragraph = "<w:keepNext/>" + paragraph
        if alignment in _ALIGN:
            paragraph += f'<w:jc w:val="{_ALIGN[alignment]}"/>'
        runs = "".join(_run(run, bold=header, italic=False, size=_TABLE_TEXT) for run in cell)
        xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                   f"<w:p><w:pPr>{paragraph}<w:rPr>{_TABLE_TEXT}</w:rPr></w:pPr>{runs}</w:p></w:tc>")
    xml.append("</w:tr>")
    return "".join(xml)


def _text(cell: list[dict[str, Any]]) -> str:
    return "".join(str(run.get("text", "")) for run in cell)


def column_widths(rows: list[list[str]], total: int) -> list[int]:
    """Widths (twentieths of a point) adding up to ``total``: each column at least as wide as its
    longest word needs at 10 point (so no word is broken), the rest shared by the length of each
    column's longest text."""
    columns = max((len(row) for row in rows), default=0)
    if not columns:
        return []
    texts = [[row[index] if index < len(row) else "" for row in rows] for index in range(columns)]
    longest = [max(len(text) for text in column) for column in texts]
    weights = [min(max(length, 4), 60) ** 0.8 for length in longest]
    # about 0.2 cm (113 twips) a character of 10 point Arial, bold included, plus the cell's margins
    floors = [2 * _CELL_MARGIN + 30 + 113 * max((len(word) for text in column for word in text.split()), default=1)
              for column in texts]
    if sum(floors) > total:  # more than the page holds: Word breaks the longest words, in proportion
        return _adding_up([floor * total / sum(floors) for floor in floors], total)
    spare = total - sum(floors)
    return _adding_up([floor + spare * weight / sum(weights) for floor, weight in zip(floors, weights)], total)


def _adding_up(widths: list[float], total: int) -> list[int]:
    whole = [int(width) for width in widths]
    whole[-1] += total - sum(whole)
    return whole
