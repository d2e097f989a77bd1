"""Blocks of prose (see comments.py) as Word paragraphs, for the templates' ``paragraphs`` filter.

A template places the office's paragraphs with one tag in a paragraph of its own:

    {{p comments.commentary | paragraphs }}
    {{p comments.closing | paragraphs(keep_with_next=true) }}

The tag's paragraph is replaced by one Word paragraph per block (nothing at all when there are
none). Bullets use the template's "List Bullet" and "List Bullet 2" styles, so they look like the
rest of the letter; bold, italic, indents and line breaks are direct formatting. With
``keep_with_next`` the last paragraph stays on the page of what follows (the signature).
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold

# Paragraph styles (by style id) the blocks use: templates must define them (scripts/make_templates.py).
STYLE_IDS = {"bullet": "ListBullet", "bullet2": "ListBullet2"}
_INDENTS = {  # twentieths of a point: 567 = 1 cm
    "numbered": '<w:ind w:left="567" w:hanging="567"/>',
    "quote": '<w:ind w:left="567" w:right="567"/>',
    "indent": '<w:ind w:left="720"/>',
    "indent2": '<w:ind w:left="1080"/>',
}


def paragraphs(blocks: list[dict[str, Any]] | None, keep_with_next: bool = False) -> Any:
    """The WordprocessingML for ``blocks``, marked safe so autoescaping leaves it whole."""
    from markupsafe import Markup

    blocks = list(blocks or [])
    xml = [_paragraph(block, keep_with_next and position == len(blocks) - 1) for position, block in enumerate(blocks)]
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


def _run(run: dict[str, Any], bold: bool, italic: bool) -> str:
    properties = ""
    if bold or run.get("bold"):
        properties += "<w:b/>"
    if italic or run.get("italic"):
        properties += "<w:i/>"
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
