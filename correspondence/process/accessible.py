"""Accessible documents for publication: one content model, written as HTML and as a tagged PDF.

The Public Sector Bodies (Websites and Mobile Applications) Accessibility Regulations 2018 apply
to what an office publishes, so both files carry what WCAG 2.1 AA asks of documents: a title and
the language (en-GB), headings in order with no level skipped, real lists, tables with a caption
and header cells, and links whose text says where they go. The PDF is made by LibreOffice from a
Word document built here, exported as tagged PDF/A-2 (with PDF/UA identification), so it keeps
its structure tree, language and title and can be archived.

Letters are read into the model (blocks.py) from their .docx or, for other formats, from their
text. A list keeps its nesting in both files: nested <ul> and <ol> in the HTML, "List Bullet 2"
and "List Number 2" (each numbered list counting from its own start) in the PDF.
"""

from __future__ import annotations

import html
from pathlib import Path

from correspondence.process.blocks import Block, Run, docx_blocks, heading, nest, paragraph, text_blocks

__all__ = ["Block", "Run", "docx_blocks", "heading", "html_block", "html_page", "nest", "paragraph", "text_blocks", "typographic",
           "write_docx"]  # the model and its readers (blocks.py), with the writers here, for the package's callers

LANGUAGE = "en-GB"
FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans and embeds it


def typographic(title: str) -> str:
    """A document title with typographic apostrophes and quotes, and "and" for "&".

    Besides being good typography, this keeps the PDF's XMP title right: LibreOffice 7.4 escapes
    &, ', " and < twice there, so "Mayor's" would read "Mayor&apos;s" in some viewers."""
    title = title.replace("'", "\u2019").replace(" & ", " and ").replace("&", " and ").replace("<", "").replace(">", "")
    parts = title.split('"')
    return "".join(part + ("\u201c" if index % 2 == 0 else "\u201d") for index, part in enumerate(parts[:-1])) + parts[-1]


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
th.right, td.right { text-align: right; }
th.center, td.center { text-align: center; }
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
        return _html_list(block)
    if block.kind == "table":
        header = "".join(f'<th scope="col"{_aligned(block, index)}>{_html_cell(block, 0, index, header=True)}</th>'
                         for index in range(len(block.header)))
        rows = []
        for number, row in enumerate(block.rows, start=1):
            if _group_title(row, block):  # "Areas for improvement": a title over the rows below it
                rows.append(f'<tr><th scope="rowgroup" colspan="{len(block.header)}">{_html_cell(block, number, 0, header=True)}</th></tr>')
                continue
            columns = max(len(block.header), len(row))
            rows.append(f'<tr><th scope="row"{_aligned(block, 0)}>{_html_cell(block, number, 0)}</th>'
                        + "".join(f'<td class="pre{_aligned(block, index, attribute=False)}">{_html_cell(block, number, index)}</td>'
                                  for index in range(1, columns)) + "</tr>")
        return (f'<div class="table-wrap" role="region" aria-label="{_e(block.caption)}" tabindex="0">'
                f'<table><caption>{_e(block.caption)}</caption>'
                f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    css = ' class="meta"' if block.anchor == "meta" else ""
    return f"<p{css}>{_html_runs(block.runs)}</p>"


def _html_list(block: Block) -> str:
    """A list, its nested items as lists inside the item above them."""
    out: list[str] = []
    open_lists: list[str] = []  # the kinds of the lists open, outermost first; each has an <li> open
    for level, kind, runs in block.nested_items():
        while len(open_lists) > level + 1:
            out.append(f"</li></{open_lists.pop()}>")
        if len(open_lists) == level + 1:
            if open_lists[-1] == kind:
                out.append("</li>")
            else:  # a bulleted list after a numbered one at the same depth: a list of its own
                out.append(f"</li></{open_lists.pop()}>")
        if len(open_lists) == level:
            start = f' start="{block.start}"' if kind == "ol" and not open_lists and block.start != 1 else ""
            out.append(f"<{kind}{start}>")
            open_lists.append(kind)
        out.append(f"<li>{_html_runs(runs)}")
    while open_lists:
        out.append(f"</li></{open_lists.pop()}>")
    return "".join(out)


def cell_runs(block: Block, row: int, column: int) -> list[Run]:
    """A table cell (row 0 the header) as formatted runs: as read from the letter when its text is
    the cell's plain text still, else its plain text."""
    plain = ([block.header, *block.rows][row] + [""] * (column + 1))[column] if row <= len(block.rows) else ""
    formatted = block.cells[row][column] if row < len(block.cells) and column < len(block.cells[row]) else None
    if formatted is not None and "".join(run.text for run in formatted) == plain:
        return formatted
    return [Run(plain)] if plain else []


def _html_cell(block: Block, row: int, column: int, *, header: bool = False) -> str:
    """A cell's runs as HTML; a header cell's (bold as every <th> is) without <strong>."""
    runs = cell_runs(block, row, column)
    return _html_runs([Run(run.text, False, run.italic, run.href) for run in runs] if header else runs)


def _aligned(block: Block, column: int, *, attribute: bool = True) -> str:
    """The column's alignment, as a class: ' class="right"' (or ' right' inside a class attribute)."""
    align = block.align[column] if column < len(block.align) else ""
    if align not in ("right", "center"):
        return ""
    return f' class="{align}"' if attribute else f" {align}"


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
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            last_heading = block.text
            para = document.add_paragraph(style=f"Heading {min(block.level, 6)}")
            _docx_runs(para, block.runs)
        elif block.kind in ("ul", "ol"):
            _docx_list(document, block)
        elif block.kind == "table":
            if block.caption != last_heading:  # a caption taken from the heading above would print it twice
                document.add_paragraph(block.caption, style="Caption").paragraph_format.keep_with_next = True  # with its table
            columns = max(len(block.header), *(len(row) for row in block.rows)) if block.rows else len(block.header)
            grid = document.add_table(rows=1 + len(block.rows), cols=columns)
            grid.style = document.styles["Table Grid"]
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            header_row = grid.rows[0]
            marker = OxmlElement("w:tblHeader")  # a header row: repeated on each page, tagged TH
            marker.set(qn("w:val"), "true")
            header_row._tr.get_or_add_trPr().append(marker)
            header_row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for index, cell in enumerate(header_row.cells[:len(block.header)]):
                _docx_cell(cell, block, 0, index, bold=True)
                cell.paragraphs[0].paragraph_format.keep_with_next = True  # the header never alone at the foot of a page
            for number, (row, values) in enumerate(zip(grid.rows[1:], block.rows), start=1):
                row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row moves whole to the next page
                if _group_title(values, block):
                    merged = row.cells[0].merge(row.cells[-1])
                    _docx_cell(merged, block, number, 0, bold=True)
                    merged.paragraphs[0].paragraph_format.keep_with_next = True  # never alone at the foot of a page
                    continue
                for index, cell in enumerate(row.cells[:len(values)]):
                    _docx_cell(cell, block, number, index)
            _column_widths(grid, block, Cm(16.0))
            document.add_paragraph()
        else:
            para = document.add_paragraph()
            _docx_runs(para, block.runs)
            if index + 1 < len(blocks) and blocks[index + 1].kind == "table":
                para.paragraph_format.keep_with_next = True  # a table's lead-in goes to the next page with it
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
                 *LIST_STYLES["ul"], *LIST_STYLES["ol"]):
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


LIST_STYLES = {"ul": ("List Bullet", "List Bullet 2", "List Bullet 3"), "ol": ("List Number", "List Number 2", "List Number 3")}


def _docx_list(document: object, block: Block) -> None:
    """A list's items in the list styles of their depth (three at most, as Word's default template
    has), each numbered list counting from its own start rather than on from the one before."""
    counting: dict[int, str] = {}  # depth -> the numbering (numId) of the numbered list open there
    for level, kind, runs in block.nested_items():
        level = min(level, len(LIST_STYLES[kind]) - 1)
        for deeper in [depth for depth in counting if depth > level]:
            del counting[deeper]  # a list inside the item above has ended
        style = LIST_STYLES[kind][level]
        para = document.add_paragraph(style=style)  # type: ignore[attr-defined]
        if kind == "ol":
            if level not in counting:
                counting[level] = _restarted(document, style, block.start if level == 0 else 1)
            numbering = para._p.get_or_add_pPr().get_or_add_numPr()
            numbering.get_or_add_ilvl().val = 0
            numbering.get_or_add_numId().val = int(counting[level])
        else:
            counting.pop(level, None)
        _docx_runs(para, runs)


def _restarted(document: object, style: str, start: int) -> str:
    """A new numbering for ``style``'s list that starts at ``start``: a numbered list of its own."""
    style_numbering = document.styles[style].element.pPr.numPr  # type: ignore[attr-defined]
    definitions = document.part.numbering_part.element  # type: ignore[attr-defined]
    abstract_id = definitions.num_having_numId(style_numbering.numId.val).abstractNumId.val
    number = definitions.add_num(abstract_id)
    number.add_lvlOverride(ilvl=0).add_startOverride(start)
    return str(number.numId)


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


def _docx_cell(cell: object, block: Block, row: int, column: int, *, bold: bool = False) -> None:
    """A cell's text as formatted in the letter, a paragraph a line, in its column's alignment."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    align = block.align[column] if column < len(block.align) else ""
    lines: list[list[Run]] = [[]]
    for run in cell_runs(block, row, column):
        for index, part in enumerate(run.text.split("\n")):  # a "\n" run, or a plain cell's lines
            if index:
                lines.append([])
            if part:
                lines[-1].append(Run(part, run.bold or bold, run.italic, run.href))
    for index, runs in enumerate(lines):
        para = cell.paragraphs[0] if index == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        _docx_runs(para, runs)
        if align in ("right", "center") and not _group_title(([block.header, *block.rows][row]), block):
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.CENTER


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
