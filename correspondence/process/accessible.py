"""Accessible documents for publication: one content model, written as HTML and as a tagged PDF.

The Public Sector Bodies (Websites and Mobile Applications) Accessibility Regulations 2018 apply
to what an office publishes, so both files carry what WCAG 2.1 AA asks of documents: a title and
the language (en-GB), headings in order with no level skipped, real lists, tables with a caption
and header cells, and links whose text says where they go. The PDF is made by LibreOffice from a
Word document built here, exported as tagged PDF/A-2 (with PDF/UA identification), so it keeps
its structure tree, language and title and can be archived.

Letters are read into the model from their .docx (headings, paragraphs with bold and italic,
bulleted and numbered lists, tables) or, for other formats, from their text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGE = "en-GB"
FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans and embeds it


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""  # a link: the text says where it goes


@dataclass
class Block:
    """A heading (level 1-6), a paragraph, a list ('ul' or 'ol' with items), or a table."""

    kind: str  # "heading", "paragraph", "ul", "ol", "table"
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    items: list[list[Run]] = field(default_factory=list)
    caption: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    anchor: str = ""  # an id to link to (section headings)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def typographic(title: str) -> str:
    """A document title with typographic apostrophes and quotes, and "and" for "&".

    Besides being good typography, this keeps the PDF's XMP title right: LibreOffice 7.4 escapes
    &, ', " and < twice there, so "Mayor's" would read "Mayor&apos;s" in some viewers."""
    title = title.replace("'", "\u2019").replace(" & ", " and ").replace("&", " and ").replace("<", "").replace(">", "")
    parts = title.split('"')
    return "".join(part + ("\u201c" if index % 2 == 0 else "\u201d") for index, part in enumerate(parts[:-1])) + parts[-1]


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
    list_kind = "ol" if "Number" in style else "ul" if style.startswith("List") or _numbered(para) else ""
    if list_kind:
        if blocks and blocks[-1].kind == list_kind:
            blocks[-1].items.append(runs)
        else:
            blocks.append(Block(list_kind, items=[runs]))
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


def _numbered(para: object) -> bool:
    properties = para._p.pPr  # type: ignore[attr-defined]
    return properties is not None and properties.numPr is not None


def _add_table(blocks: list[Block], table: object, caption: str) -> None:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per column it spans
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        rows.append(cells)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return
    heading_text = next((block.text for block in reversed(blocks) if block.kind == "heading"), "")
    number = sum(1 for block in blocks if block.kind == "table") + 1
    blocks.append(Block("table", caption=heading_text or caption.format(n=number), header=rows[0], rows=rows[1:]))


# --- HTML ---------------------------------------------------------------------------------------------

STYLE = """
body { font-family: Arial, "Liberation Sans", Helvetica, sans-serif; font-size: 1.0625rem; line-height: 1.5;
       color: #0b0c0c; background: #fff; margin: 0; }
main { max-width: 50rem; margin: 0 auto; padding: 0 1rem; }
a { color: #1d4f91; text-decoration: underline; }
a:visited { color: #4c2c92; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
.skip { position: absolute; left: -999em; }
.skip:focus { position: static; }
h1 { font-size: 2rem; line-height: 1.2; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-top: 1px solid #b1b4b6; padding-top: 1rem; }
h3 { font-size: 1.25rem; margin-top: 2rem; }
.meta { color: #505a5f; }
.table-wrap { overflow-x: auto; }  /* a wide table scrolls by itself, and can be scrolled from the keyboard */
.table-wrap:focus { outline: 3px solid #fd0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #b1b4b6; padding: 0.5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f2f1; }
td.pre { white-space: pre-line; }
""".strip()


def html_page(title: str, blocks: list[Block], *, description: str = "", canonical: str = "", nav: list[tuple[str, str]] | None = None) -> str:
    """A whole page: lang en-GB, a title, a skip link, one h1 and the blocks inside <main>."""
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{LANGUAGE}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
    ]
    if description:
        head.append(f'<meta name="description" content="{_e(description)}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{_e(canonical)}">')
    head += [f"<style>\n{STYLE}\n</style>", "</head>", "<body>", '<a class="skip" href="#content">Skip to main content</a>']
    body = ['<main id="content">']
    for block in blocks:
        if nav and block.kind == "heading" and block.level == 2:
            links = "".join(f'<li><a href="#{_e(anchor)}">{_e(label)}</a></li>' for anchor, label in nav)
            body.append(f'<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ul>{links}</ul></nav>')
            nav = None
        body.append(html_block(block))
    body += ["</main>", "</body>", "</html>", ""]
    return "\n".join(head + body)


def html_block(block: Block) -> str:
    if block.kind == "heading":
        anchor = f' id="{_e(block.anchor)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{_html_runs(block.runs)}</h{block.level}>"
    if block.kind in ("ul", "ol"):
        items = "".join(f"<li>{_html_runs(item)}</li>" for item in block.items)
        return f"<{block.kind}>{items}</{block.kind}>"
    if block.kind == "table":
        header = "".join(f'<th scope="col">{_e(cell)}</th>' for cell in block.header)
        rows = []
        for row in block.rows:
            if _group_title(row, block):  # "Areas for improvement": a title over the rows below it
                rows.append(f'<tr><th scope="rowgroup" colspan="{len(block.header)}">{_e(row[0])}</th></tr>')
                continue
            cells = list(row) + [""] * (len(block.header) - len(row))
            first, rest = cells[0], cells[1:]
            rows.append(f'<tr><th scope="row">{_e(first)}</th>'
                        + "".join(f'<td class="pre">{_e(cell)}</td>' for cell in rest) + "</tr>")
        return (f'<div class="table-wrap" role="region" aria-label="{_e(block.caption)}" tabindex="0">'
                f'<table><caption>{_e(block.caption)}</caption>'
                f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    css = ' class="meta"' if block.anchor == "meta" else ""
    return f"<p{css}>{_html_runs(block.runs)}</p>"


def _html_runs(runs: list[Run]) -> str:
    out = []
    for run in runs:
        text = _e(run.text).replace("\n", "<br>")
        if run.href:
            text = f'<a href="{_e(run.href)}">{text}</a>'
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


# --- a Word document, for LibreOffice to export as tagged PDF/A -------------------------------------


def write_docx(title: str, blocks: list[Block], path: Path, *, author: str = "", footer: str = "") -> Path:
    """The blocks as a .docx whose styles LibreOffice exports as PDF structure (H1-H6, L, Table)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    _set_language_and_font(document, qn, OxmlElement)
    properties = document.core_properties
    properties.title, properties.author, properties.language = title, author, LANGUAGE
    properties.subject = title
    if footer:
        _footer(section.footer.paragraphs[0], footer)
    last_heading = ""
    for block in blocks:
        if block.kind == "heading":
            last_heading = block.text
            para = document.add_paragraph(style=f"Heading {min(block.level, 6)}")
            _docx_runs(para, block.runs)
        elif block.kind in ("ul", "ol"):
            style = "List Number" if block.kind == "ol" else "List Bullet"
            for item in block.items:
                _docx_runs(document.add_paragraph(style=style), item)
        elif block.kind == "table":
            if block.caption != last_heading:  # a caption taken from the heading above would print it twice
                document.add_paragraph(block.caption, style="Caption")
            columns = max(len(block.header), *(len(row) for row in block.rows)) if block.rows else len(block.header)
            grid = document.add_table(rows=1 + len(block.rows), cols=columns)
            grid.style = document.styles["Table Grid"]
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            header_row = grid.rows[0]
            marker = OxmlElement("w:tblHeader")  # a header row: repeated on each page, tagged TH
            marker.set(qn("w:val"), "true")
            header_row._tr.get_or_add_trPr().append(marker)
            for cell, text in zip(header_row.cells, block.header):
                cell.paragraphs[0].add_run(text).bold = True
            for row, values in zip(grid.rows[1:], block.rows):
                row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row moves whole to the next page
                if _group_title(values, block):
                    merged = row.cells[0].merge(row.cells[-1])
                    merged.paragraphs[0].add_run(values[0]).bold = True
                    merged.paragraphs[0].paragraph_format.keep_with_next = True  # never alone at the foot of a page
                    continue
                for cell, text in zip(row.cells, values):
                    lines = text.split("\n")
                    cell.paragraphs[0].add_run(lines[0])
                    for line in lines[1:]:
                        cell.add_paragraph(line)
            _column_widths(grid, block, Cm(16.0))
            document.add_paragraph()
        else:
            _docx_runs(document.add_paragraph(), block.runs)
    document.save(str(path))
    return path


def _set_language_and_font(document: object, qn: object, OxmlElement: object) -> None:  # noqa: N803 - python-docx's names
    from docx.shared import Pt

    styles = document.styles  # type: ignore[attr-defined]
    defaults = styles.element.find(qn("w:docDefaults"))  # type: ignore[operator]
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))  # type: ignore[operator]
    language = run_properties.find(qn("w:lang"))  # type: ignore[operator]
    if language is None:
        language = OxmlElement("w:lang")  # type: ignore[operator]
        run_properties.append(language)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        language.set(qn(attribute), LANGUAGE)  # type: ignore[operator]
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Heading 5", "Heading 6", "Title", "Caption",
                 "List Bullet", "List Number"):
        styles[name].font.name = FONT
        fonts = styles[name].element.rPr.find(qn("w:rFonts"))  # type: ignore[operator]
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if fonts is not None and fonts.get(qn(attribute)) is not None:  # type: ignore[operator]
                del fonts.attrib[qn(attribute)]  # type: ignore[operator]  # a theme font would win over ours
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Caption"):
        styles[name].font.color.rgb = None  # the default blue is too pale for small text; black passes contrast
    styles["Caption"].font.size = Pt(10)
    styles["Caption"].font.italic = False
    styles["Caption"].font.bold = True


def _column_widths(grid: object, block: Block, total: int) -> None:
    """Columns as wide as their longest text needs, so a short code column leaves room for the text."""
    from docx.shared import Cm

    columns = len(grid.columns)  # type: ignore[attr-defined]
    measured = [row for row in block.rows if not _group_title(row, block)]  # a title across the table sizes no column
    texts = [[block.header[i] if i < len(block.header) else ""] + [row[i] for row in measured if i < len(row)]
             for i in range(columns)]
    longest = [max(len(text) for text in column) for column in texts]
    weights = [min(max(length, 4), 60) ** 0.8 for length in longest]
    # No word may be broken: each column is at least as wide as its longest word (about 0.21 cm a
    # character at 11 point, plus the cell's margins); the rest is shared by weight.
    floors = [Cm(0.45 + 0.21 * max((len(word) for text in column for word in text.split()), default=1)) for column in texts]
    spare = max(0, total - sum(floors))
    grid.autofit = False  # type: ignore[attr-defined]
    for index, column in enumerate(grid.columns):  # type: ignore[attr-defined]
        width = int(floors[index] + spare * weights[index] / sum(weights))
        column.width = width  # the grid, which LibreOffice follows
        for cell in column.cells:
            cell.width = width  # the cells, which Word follows


def _group_title(row: list[str], block: Block) -> bool:
    """A row of one cell in a wider table: a merged title over the rows below it ("Areas for improvement")."""
    return len(row) == 1 and len(block.header) > 1


def _footer(para: object, text: str) -> None:
    """The footer: what the document is, and "Page X of Y" (LibreOffice marks it as an artifact)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    para.add_run(f"{text} | Page ").font.size = Pt(9)  # type: ignore[attr-defined]
    for index, instruction in enumerate(("PAGE", "NUMPAGES")):
        if index:
            para.add_run(" of ").font.size = Pt(9)  # type: ignore[attr-defined]
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), instruction)
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "18")
        properties.append(size)
        run.append(properties)
        number = OxmlElement("w:t")
        number.text = "1"
        run.append(number)
        field.append(run)
        para._p.append(field)  # type: ignore[attr-defined]


def _docx_runs(para: object, runs: list[Run]) -> None:
    for run in runs:
        if run.href:
            _hyperlink(para, run.text, run.href)
            continue
        if run.text == "\n":
            para.add_run().add_break()  # type: ignore[attr-defined]
            continue
        added = para.add_run(run.text)  # type: ignore[attr-defined]
        added.bold, added.italic = run.bold or None, run.italic or None


def _hyperlink(para: object, text: str, url: str) -> None:
    """A real link (LibreOffice tags it as Link in the PDF), underlined so it does not rely on colour."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relation = para.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)  # type: ignore[attr-defined]
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D4F91")
    properties.append(colour)
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    para._p.append(link)  # type: ignore[attr-defined]
