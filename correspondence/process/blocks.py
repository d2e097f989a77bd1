"""The published package's content: a letter as blocks (headings, paragraphs with bold, italic
and links, bulleted and numbered lists with their levels, tables), read from its .docx or, for
other formats, from its text. accessible.py writes the blocks as HTML and as a tagged PDF.

A letter's lists keep their nesting: "List Bullet 2" and "List Number 2" paragraphs, Word's own
numbering levels, and items numbered as typed ("1.<tab>", as word_paragraphs writes the office's
numbered items, a second level indented 2 cm) are items one level down, under the item above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""  # a link: the text says where it goes


@dataclass
class Block:
    """A heading (level 1-6), a paragraph, a list ('ul' or 'ol' with items), or a table.

    A list's items may nest: ``levels`` gives each item's depth (0 at the top, one more for each
    list inside an item) and ``kinds`` whether the list the item is in is 'ul' or 'ol' (a numbered
    item's bullets); missing entries are 0 and the block's own kind. ``start`` is the first number
    of a numbered list."""

    kind: str  # "heading", "paragraph", "ul", "ol", "table"
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    items: list[list[Run]] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    start: int = 1
    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    anchor: str = ""  # an id to link to (section headings)
    # A table's cells as formatted (bold, italic, links), header row first, each cell's paragraphs
    # joined by a "\n" run; ``header`` and ``rows`` stay plain text, to compare and measure. A row
    # whose plain text differs from ``cells``' is printed plain (its rows were changed by hand).
    cells: list[list[list[Run]]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)  # each column's alignment: "right", "center" or "" (left)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def nested_items(self) -> list[tuple[int, str, list[Run]]]:
        """Each item of a list as (depth, 'ul' or 'ol', runs), no item deeper than one below the
        item before it (the first at the top)."""
        out: list[tuple[int, str, list[Run]]] = []
        deepest = 0
        for index, item in enumerate(self.items):
            level = self.levels[index] if index < len(self.levels) else 0
            kind = self.kinds[index] if index < len(self.kinds) else self.kind
            level = min(max(level, 0), deepest)
            out.append((level, kind if kind in ("ul", "ol") else self.kind, item))
            deepest = level + 1
        return out


def heading(text: str, level: int, anchor: str = "") -> Block:
    return Block("heading", [Run(text)], level=level, anchor=anchor)


def paragraph(*parts: str | Run) -> Block:
    return Block("paragraph", [part if isinstance(part, Run) else Run(part) for part in parts])


# --- reading letters into blocks ------------------------------------------------------------------


def docx_blocks(path: Path, caption: str = "Table {n}") -> list[Block]:
    """The body of a .docx as blocks, in order; empty paragraphs dropped. Lines set with no space
    after them (an address, a letterhead) stay together as one paragraph with line breaks. A table
    is captioned by the heading before it, else by ``caption`` with its number for {n}."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    blocks: list[Block] = []
    joining = False
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            joining = _add_paragraph(blocks, para, joining)
        elif tag == "tbl":
            _add_table(blocks, Table(child, document), caption)
            joining = False
    return blocks


def text_blocks(text: str) -> list[Block]:
    """Plain text (a PDF's text layer, a text file) as paragraphs and bulleted lists."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(re.match(r"^[-•*–]\s+", line) for line in lines):
            blocks.append(Block("ul", items=[[Run(re.sub(r"^[-•*–]\s+", "", line))] for line in lines]))
        else:
            blocks.append(paragraph(" ".join(lines)))
    return blocks


def nest(blocks: list[Block], under: int) -> list[Block]:
    """Headings of a letter placed under a section heading of level ``under``: the letter's top
    level becomes ``under + 1``, and no level is ever skipped on the way down."""
    nested, previous = [], under
    for block in blocks:
        if block.kind == "heading":
            level = min(max(block.level + under, under + 1), previous + 1, 6)
            block = Block("heading", block.runs, level=level)
            previous = level
        nested.append(block)
    return nested


def _add_paragraph(blocks: list[Block], para: object, joining: bool) -> bool:
    """Add the paragraph; True when the next one continues it (this one has no space after it)."""
    runs = _runs(para)
    if not "".join(run.text for run in runs).strip():
        return False
    style = (para.style.name if para.style is not None else "") or ""  # type: ignore[attr-defined]
    level = _heading_level(style)
    if level:
        blocks.append(Block("heading", [Run("".join(run.text for run in runs).strip())], level=level))
        return False
    item = _list_item(para, style, runs)
    if item is not None:
        list_kind, level, runs, number = item
        previous = blocks[-1] if blocks else None
        if previous is not None and previous.kind in ("ul", "ol") and (level > 0 or previous.kind == list_kind):
            previous.levels += [0] * (len(previous.items) - len(previous.levels))  # a block filled by hand, levels unsaid
            previous.kinds += [previous.kind] * (len(previous.items) - len(previous.kinds))
            previous.items.append(runs)
            previous.levels.append(level)
            previous.kinds.append(list_kind)
        else:
            blocks.append(Block(list_kind, items=[runs], levels=[0], kinds=[list_kind], start=number or 1))
        return False
    if joining and blocks and blocks[-1].kind == "paragraph":
        blocks[-1].runs += [Run("\n"), *runs]
    else:
        blocks.append(Block("paragraph", runs))
    space_after = para.paragraph_format.space_after  # type: ignore[attr-defined]
    return space_after is not None and space_after == 0


def _runs(para: object) -> list[Run]:
    from docx.text.hyperlink import Hyperlink

    runs: list[Run] = []
    for item in para.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Hyperlink):
            runs.append(Run(item.text, href=item.url or ""))
        elif item.text:
            runs.append(Run(item.text, bold=bool(item.bold), italic=bool(item.italic)))
    return runs


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


_LIST_STYLE = re.compile(r"List (Bullet|Number)(?: ([2-9]))?")
_HAND_NUMBERED = re.compile(r"(\d{1,3})[.)]\t")  # "1.<tab>": an item numbered as typed (word_paragraphs' numbered items)
_SECOND_LEVEL_INDENT = 1134  # twentieths of a point (2 cm): a typed number this far in is a second-level item


def _list_item(para: object, style: str, runs: list[Run]) -> tuple[str, int, list[Run], int] | None:
    """The paragraph as a list item: ('ul' or 'ol', its depth, its runs without a typed number, the
    typed number or 0), or None when it is no list item. The depth comes from the style ("List
    Bullet 2") or from Word's numbering level; whether it is numbered, from the style or from the
    numbering's format."""
    named = _LIST_STYLE.fullmatch(style)
    if named:
        return ("ol" if named.group(1) == "Number" else "ul"), int(named.group(2) or 1) - 1, runs, 0
    numbering = _numbering(para)
    if numbering is not None:
        level, number_format = numbering
        return ("ul" if number_format in ("bullet", "none", "") else "ol"), level, runs, 0
    if "Number" in style:  # an office's own numbered style, numbered by the style
        return "ol", 0, runs, 0
    if style.startswith("List"):
        return "ul", 0, runs, 0
    typed = _HAND_NUMBERED.match("".join(run.text for run in runs))
    if typed:
        level = 1 if _left_indent(para) >= _SECOND_LEVEL_INDENT else 0
        return "ol", level, _without_prefix(runs, len(typed.group(0))), int(typed.group(1))
    return None


def _numbering(para: object) -> tuple[int, str] | None:
    """The paragraph's own Word numbering, as (level, number format), or None."""
    from docx.oxml.ns import qn

    properties = para._p.pPr  # type: ignore[attr-defined]
    if properties is None or properties.numPr is None:
        return None
    numbering = properties.numPr
    level = int(numbering.ilvl.val) if numbering.ilvl is not None and numbering.ilvl.val is not None else 0
    number_id = numbering.numId.val if numbering.numId is not None else None
    if not number_id:
        return None  # numId 0: numbering switched off
    number_format = ""
    try:
        definitions = para.part.numbering_part.element  # type: ignore[attr-defined]
        abstract_id = definitions.num_having_numId(number_id).abstractNumId.val
        for abstract in definitions.findall(qn("w:abstractNum")):
            if abstract.get(qn("w:abstractNumId")) == str(abstract_id):
                for lvl in abstract.findall(qn("w:lvl")):
                    if lvl.get(qn("w:ilvl")) == str(level):
                        found = lvl.find(qn("w:numFmt"))
                        number_format = found.get(qn("w:val")) if found is not None else ""
    except (KeyError, AttributeError, NotImplementedError):
        number_format = "bullet"  # no numbering part, or a numId it does not define: a bullet, as before
    return min(level, 8), number_format or "bullet"


def _left_indent(para: object) -> int:
    from docx.oxml.ns import qn

    properties = para._p.pPr  # type: ignore[attr-defined]
    indent = properties.find(qn("w:ind")) if properties is not None else None
    value = (indent.get(qn("w:left")) or indent.get(qn("w:start"))) if indent is not None else None
    try:
        return int(value) if value else 0
    except ValueError:
        return 0


def _without_prefix(runs: list[Run], length: int) -> list[Run]:
    """``runs`` less their first ``length`` characters (a typed "1.<tab>")."""
    kept: list[Run] = []
    for run in runs:
        if length >= len(run.text):
            length -= len(run.text)
            continue
        kept.append(Run(run.text[length:], run.bold, run.italic, run.href))
        length = 0
    return kept


def _add_table(blocks: list[Block], table: object, caption: str) -> None:
    rows: list[list[str]] = []
    formatted: list[list[list[Run]]] = []
    alignments: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells, runs, aligned, seen = [], [], [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                continue
            seen.add(id(cell._tc))
            paragraphs = [p for p in cell.paragraphs if p.text.strip()]
            cells.append("\n".join(p.text.strip() for p in paragraphs))
            runs.append(_cell_runs(paragraphs))
            aligned.append(_alignment(paragraphs[0]) if paragraphs else None)
        if any(cell.strip() for cell in cells):  # a row left empty is no row of the table
            rows.append(cells)
            formatted.append(runs)
            alignments.append(aligned)
    if not rows:
        return
    own = _own_caption(table)
    if own and blocks and blocks[-1].kind == "paragraph" and blocks[-1].text.strip() == own:
        blocks.pop()  # the table's title, set above it in the letter: now its caption
    heading_text = next((block.text for block in reversed(blocks) if block.kind == "heading"), "")
    number = sum(1 for block in blocks if block.kind == "table") + 1
    blocks.append(Block("table", caption=own or heading_text or caption.format(n=number), header=rows[0], rows=rows[1:],
                        cells=formatted, align=_column_alignment(alignments[1:], len(rows[0]))))


def _cell_runs(paragraphs: list[object]) -> list[Run]:
    """A cell's text as runs, its paragraphs joined by line breaks, their outer spaces trimmed as
    the plain text's are."""
    runs: list[Run] = []
    for index, para in enumerate(paragraphs):
        found = [run for run in _runs(para) if run.text]
        if found:
            found[0] = Run(found[0].text.lstrip(), found[0].bold, found[0].italic, found[0].href)
            found[-1] = Run(found[-1].text.rstrip(), found[-1].bold, found[-1].italic, found[-1].href)
        runs += ([Run("\n")] if index else []) + [run for run in found if run.text]
    return runs


def _alignment(para: object) -> str | None:
    """A paragraph's own alignment: 'right', 'center', '' (left), or None when it says none."""
    try:
        value = para.paragraph_format.alignment  # type: ignore[attr-defined]
    except (KeyError, ValueError):  # a value python-docx does not know ("start", "end" of strict files)
        return None
    if value is None:
        return None
    name = str(getattr(value, "name", value)).upper()
    return "right" if name in ("RIGHT", "END") else "center" if name == "CENTER" else ""


def _column_alignment(rows: list[list[str | None]], columns: int) -> list[str]:
    """Each column's alignment: the one its cells that say one agree on ("---:" in Markdown right-aligns
    a column of figures), else left."""
    out = []
    for index in range(columns):
        said = {row[index] for row in rows if index < len(row) and row[index] is not None}
        out.append(said.pop() if len(said) == 1 else "")
    return out


def _own_caption(table: object) -> str:
    """The title Word keeps for a table (Table Properties, Alt Text: w:tblCaption), if any."""
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr  # type: ignore[attr-defined]
    found = properties.find(qn("w:tblCaption")) if properties is not None else None
    return " ".join((found.get(qn("w:val")) or "").split()) if found is not None else ""
