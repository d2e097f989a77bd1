"""Build the Word templates shipped in templates/ from code, so their layout is reviewable.

    python scripts/make_templates.py

The .docx files are committed: an office may open and restyle them in Word, and a custom
template works the same way (see the README, "Templates"). The tags are docxtpl's Jinja:
{{ name }} for text, {%p ... %} for paragraph-level loops and ifs, {%tr ... %} for table rows.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Arial"  # LibreOffice lays it out with Liberation Sans, which has Arial's metrics: same lines, same pages
LANGUAGE = "en-GB"
BODY_SIZE = Pt(11)
TABLE_SIZE = Pt(10)
A4_PORTRAIT = (Cm(21.0), Cm(29.7))
SIDE_MARGIN, TOP_MARGIN = Cm(2.5), Cm(2.0)
LANDSCAPE_MARGIN = Cm(2.0)


def new_document() -> Document:
    """An A4 document whose every style is Arial, UK English and black: no theme fonts (Word
    would use Calibri and Cambria from the theme whatever the style says) and no coloured headings."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = A4_PORTRAIT
    section.left_margin = section.right_margin = SIDE_MARGIN
    section.top_margin = section.bottom_margin = TOP_MARGIN
    _plain_fonts_and_language(document)
    _arial_bullets(document)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True
    for name, size in (("Heading 1", 13), ("Heading 2", 11)):
        style = document.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = None
        style.paragraph_format.space_before = Pt(0 if name == "Heading 1" else 10)
        style.paragraph_format.space_after = Pt(8)
    for name in ("List Bullet", "List Bullet 2", "Title"):
        document.styles[name].font.name = FONT
    document.core_properties.author = "correspondence"
    document.core_properties.title = "{{ subject }}"
    document.core_properties.language = LANGUAGE
    return document


# Styles a template keeps even when its own text does not use them: those the office's paragraphs
# are given (correspondence/word_paragraphs.py) and those new_document sets up for an office
# restyling the letter in Word (Word would otherwise make them from its own Calibri defaults).
KEPT_STYLE_IDS = {"Normal", "ListBullet", "ListBullet2", "Heading1", "Heading2", "Title"}
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def slim_styles(document) -> None:
    """Keep only the styles the template uses (and those they are based on, linked to or followed
    by), and drop Word 2010's stylesWithEffects.xml, which Word makes again when it saves.

    python-docx's default document carries 164 styles in 340 KB of styles.xml and 438 KB more in
    stylesWithEffects.xml: every letter drafted from the template carried (and every draft
    compressed) about 790 KB of styles it never used."""
    from correspondence.drafting.word_paragraphs import STYLE_IDS

    styles = document.styles.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    wanted = set(KEPT_STYLE_IDS) | set(STYLE_IDS.values())
    wanted |= {style_id for style_id, style in by_id.items() if style.get(qn("w:default")) == "1"}
    parts = [document.part] + [rel.target_part for rel in document.part.rels.values() if not rel.is_external]
    for part in parts:
        element = getattr(part, "element", None)
        if element is None or element is styles:
            continue
        for name in ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink"):
            wanted |= {reference.get(qn("w:val")) for reference in element.iter(qn(name))}
    pending = list(wanted)
    while pending:  # the styles each kept one is based on, linked to, or followed by
        style = by_id.get(pending.pop())
        if style is None:
            continue
        for name in ("w:basedOn", "w:link", "w:next"):
            reference = style.find(qn(name))
            if reference is not None and reference.get(qn("w:val")) not in wanted:
                wanted.add(reference.get(qn("w:val")))
                pending.append(reference.get(qn("w:val")))
    missing = sorted(wanted - set(by_id) - {None})
    if missing:
        raise SystemExit(f"the template uses styles it does not define: {', '.join(missing)}")
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles.remove(style)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del document.part.rels[rel_id]


def _plain_fonts_and_language(document) -> None:
    """Arial and en-GB in the document defaults and every style that names a font or language."""
    styles = document.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
    for language in styles.iter(qn("w:lang")):
        language.set(qn("w:val"), LANGUAGE)
        language.set(qn("w:eastAsia"), LANGUAGE)
    for color in list(styles.iter(qn("w:color"))):
        for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attribute), None)
        color.set(qn("w:val"), "000000")


def _arial_bullets(document) -> None:
    """Bullets drawn with Arial's own bullet (U+2022) rather than Symbol's private character,
    which LibreOffice can only show in another font: the same bullet, at the same width, in both."""
    numbering = document.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        number_format = level.find(qn("w:numFmt"))
        if number_format is None or number_format.get(qn("w:val")) != "bullet":
            continue
        level.find(qn("w:lvlText")).set(qn("w:val"), "\u2022")
        for fonts in level.iter(qn("w:rFonts")):
            fonts.attrib.pop(qn("w:hint"), None)
            for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attribute), FONT)


def keep_with_next(para, together: bool = True):
    """Never a page break between ``para`` and the next paragraph (nor inside it, if ``together``)."""
    para.paragraph_format.keep_with_next = True
    if together:
        para.paragraph_format.keep_together = True
    return para


def paragraph(document, text: str = "", *, bold: bool = False, align=None, style: str | None = None, after: int | None = None):
    para = document.add_paragraph(style=style)
    if text:
        run = para.add_run(text)
        run.bold = bold
    if align is not None:
        para.alignment = align
    if after is not None:
        para.paragraph_format.space_after = Pt(after)
    return para


def tag(document, text: str):
    """A paragraph holding only a {%p %} tag; docxtpl removes it when rendering."""
    return document.add_paragraph(text)


def lines_loop(document, items: str, *, align=None):
    tag(document, f"{{%p for line in {items} %}}")
    paragraph(document, "{{ line }}", align=align, after=0)
    tag(document, "{%p endfor %}")


def bullets(document, items: str, text: str, *, name: str = "item", heading: str | None = None) -> None:
    """A bulleted paragraph for each of ``items``, under an optional bold heading shown only when
    there are any."""
    if heading:
        tag(document, f"{{%p if {items} %}}")
        keep_with_next(paragraph(document, heading, bold=True))
        tag(document, "{%p endif %}")
    tag(document, f"{{%p for {name} in {items} %}}")
    paragraph(document, text, style="List Bullet")
    tag(document, "{%p endfor %}")


def letterhead_and_addressee(document) -> None:
    right = WD_ALIGN_PARAGRAPH.RIGHT
    # The office's name in lines of about equal length (office.name_lines), so a long name never
    # leaves one word alone on its second line.
    head = paragraph(document, "{% for line in office.name_lines %}{{ line }}{% if not loop.last %}", bold=True,
                     align=right, after=0)
    head.add_run().add_break()
    head.add_run("{% endif %}{% endfor %}")
    for run in head.runs:
        run.bold = True
        run.font.size = Pt(14)
    lines_loop(document, "office.address_lines", align=right)
    lines_loop(document, "office.letterhead_lines", align=right)
    paragraph(document)
    paragraph(document, "{{ addressee.name }}", after=0)
    tag(document, "{%p if addressee.role and addressee.role != addressee.name %}")
    paragraph(document, "{{ addressee.role }}", after=0)
    tag(document, "{%p endif %}")
    lines_loop(document, "addressee.address_lines")
    paragraph(document)
    reference = paragraph(document, "Our ref: ", after=0)
    reference.add_run("{{ reference }}")
    paragraph(document, "{{ date }}")
    paragraph(document)


def opening(document) -> None:
    paragraph(document, "{{ salutation }}")
    paragraph(document, "{{ subject }}", bold=True)


def signature_block(document, *, section_break_after: bool = False):
    """'Yours sincerely', room to sign, the signatory's name and title, and the cc line, kept
    together on one page and with the paragraph before them (which the caller keeps with next).
    The cc paragraph is always there (empty without a cc) so it can carry a section break."""
    keep_with_next(paragraph(document, "Yours sincerely"))
    for _ in range(3):
        keep_with_next(paragraph(document, after=0))
    keep_with_next(paragraph(document, "{{ office.signatory_name }}", bold=True, after=0))
    keep_with_next(paragraph(document, "{{ office.signatory_title }}"))
    cc = paragraph(document, "{% if cc %}cc: {{ cc }}{% endif %}")
    if section_break_after:
        end_section_here(document, cc)
    return cc


def closing(document) -> None:
    """Kept for custom builders: the signature block."""
    signature_block(document)


def end_section_here(document, para) -> None:
    """End the current section at ``para`` and start a new page, without the empty paragraph
    python-docx would add for the break (an empty paragraph can spill onto a blank page)."""
    document.add_section(WD_SECTION.NEW_PAGE)
    body = document.element.body
    carrier = body[-2]  # python-docx put the finished section's properties in a new empty paragraph
    section_properties = carrier.find(qn("w:pPr")).find(qn("w:sectPr"))
    para._p.get_or_add_pPr().append(section_properties)
    body.remove(carrier)


def landscape(section) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4_PORTRAIT[1], A4_PORTRAIT[0]
    section.left_margin = section.right_margin = LANDSCAPE_MARGIN
    section.top_margin = section.bottom_margin = TOP_MARGIN


def annex_heading(document, text: str, *, new_page: bool = True):
    """An annex's title, starting a new page by itself (no page-break paragraph that could
    leave a blank page behind)."""
    heading = document.add_heading(text, level=1)
    heading.paragraph_format.page_break_before = new_page
    return heading


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def footer_with_page_numbers(document) -> None:
    footer = document.sections[0].footer
    para = footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("{{ office.short_name }} | Our ref: {{ reference }} | Page ")
    _field(para, "PAGE")
    para.add_run(" of ")
    _field(para, "NUMPAGES")
    for run in para.runs:
        run.font.size = Pt(9)


def _field(para, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when laying out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "18")  # 9 pt, like the rest of the footer
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)


def table(document, headers: list[str], cells: list[list[tuple[str, bool]]], loop: str, widths: list[float],
          *, size=TABLE_SIZE):
    """A Table Grid table with fixed column widths: a bold header row repeated on each page, and
    one looped row. ``cells`` lists, per column, the runs of the looped row as (text, bold)."""
    grid = _fixed_table(document, rows=4, widths=widths)
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, title in zip(header.cells, headers):
        _runs(cell.paragraphs[0], [(title, True)], size)
    grid.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    for cell, runs in zip(grid.rows[2].cells, cells):
        _runs(cell.paragraphs[0], runs, size)
    grid.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return grid


def grouped_table(document, headers: list[str], cells: list[list[tuple[str, bool]]], *, groups: str, group_title: str,
                  rows: str, widths: list[float], size=TABLE_SIZE):
    """Like ``table``, with the rows in groups: each group opens with a shaded row across the
    table giving its title (say 'Recommendations'), so no row needs to repeat what kind it is."""
    grid = _fixed_table(document, rows=7, widths=widths)
    _repeat_as_header(grid.rows[0])
    for cell, title in zip(grid.rows[0].cells, headers):
        _runs(cell.paragraphs[0], [(title, True)], size)
    grid.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {groups} %}}")
    title_cell = grid.rows[2].cells[0].merge(grid.rows[2].cells[-1])
    _runs(title_cell.paragraphs[0], [(group_title, True)], size)
    keep_with_next(title_cell.paragraphs[0])
    _shade(title_cell, "E7E6E6")
    _no_split(grid.rows[2])
    grid.rows[3].cells[0].paragraphs[0].add_run(f"{{%tr for {rows} %}}")
    for cell, runs in zip(grid.rows[4].cells, cells):
        _runs(cell.paragraphs[0], runs, size)
    grid.rows[5].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    grid.rows[6].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    return grid


def _fixed_table(document, rows: int, widths: list[float]):
    """A centred Table Grid table whose columns keep the widths given, in Word and LibreOffice."""
    grid = document.add_table(rows=rows, cols=len(widths))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # <w:tblLayout w:type="fixed"/>: Word keeps the widths rather than fitting the text
    for column, width in zip(grid.columns, widths):
        column.width = Cm(width)  # the table grid, which LibreOffice follows
    for row in grid.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)  # the cells, which Word follows
        _no_split(row)  # every row, looped ones too (docxtpl copies a row's properties): never split across pages
    return grid


def _runs(para, runs: list[tuple[str, bool]], size) -> None:
    for text, bold in runs:
        run = para.add_run(text)
        run.bold = bold
        run.font.size = size


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _no_split(row) -> None:
    """The row moves whole to the next page rather than leave a line or two of it behind."""
    properties = row._tr.get_or_add_trPr()
    if properties.find(qn("w:cantSplit")) is None:
        properties.append(OxmlElement("w:cantSplit"))


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
    _no_split(row)


# Annex A in an s.55 response: landscape, so the force's update (the widest text) gets the most room.
RESPONSE_ANNEX_WIDTHS = [1.3, 7.0, 2.4, 9.0, 6.0]  # 25.7 cm: A4 landscape less 2 cm margins
# ... and without the office's answers: no "Our response" column to leave empty.
RESPONSE_ANNEX_WIDTHS_UPDATES_ONLY = [1.3, 9.0, 2.4, 13.0]
# The annex on its own, for the force to fill in: portrait, four columns.
ANNEX_WIDTHS = [1.3, 5.6, 2.3, 6.8]  # 16.0 cm: A4 portrait less 2.5 cm margins
FINDING = [("{{ a.text }}", False)]
UPDATE = [("{{ a.update_text }}", False), ("{{ a.awaiting }}", True)]


def response_annex_table(document) -> None:
    """Annex A: each finding, grouped by kind, with the force's update, and the office's answer in
    a column of its own only when the office has answered a finding (prose.annex_has_answers)."""
    tag(document, "{%p if prose.annex_has_answers %}")
    grouped_table(
        document,
        ["No.", "Finding", "Status", "Force's update", "Our response"],
        [[("{{ a.code }}", False)], FINDING, [("{{ a.status }}", False)], UPDATE, [("{{ a.answer or '—' }}", False)]],  # a dash: unanswered, not blank by mistake
        groups="g in area_groups", group_title="{{ g.title }}", rows="a in g.areas", widths=RESPONSE_ANNEX_WIDTHS,
    )
    tag(document, "{%p else %}")
    grouped_table(
        document,
        ["No.", "Finding", "Status", "Force's update"],
        [[("{{ a.code }}", False)], FINDING, [("{{ a.status }}", False)], UPDATE],
        groups="g in area_groups", group_title="{{ g.title }}", rows="a in g.areas",
        widths=RESPONSE_ANNEX_WIDTHS_UPDATES_ONLY,
    )
    tag(document, "{%p endif %}")


def areas_table(document) -> None:
    """The annex on its own: each finding, grouped by kind, with the force's latest update."""
    grouped_table(
        document,
        ["No.", "Finding", "Status", "Update"],
        [[("{{ a.code }}", False)], FINDING, [("{{ a.status }}", False)], UPDATE],
        groups="g in area_groups", group_title="{{ g.title }}", rows="a in g.areas", widths=ANNEX_WIDTHS,
    )


def office_paragraphs(document, section: str, *, keep_with_next_last: bool = False) -> None:
    """Where the office's own paragraphs of ``section`` (opening, commentary, closing) go."""
    keep = "(keep_with_next=true)" if keep_with_next_last else ""
    tag(document, f"{{{{p comments.{section} | paragraphs{keep} }}}}")


def new_letter() -> Document:
    """A letter's first page: letterhead, addressee, reference and date, salutation and subject."""
    document = new_document()
    footer_with_page_numbers(document)
    letterhead_and_addressee(document)
    opening(document)
    return document


def response_template() -> Document:
    document = new_letter()
    paragraph(document, "{{ prose.opening }}")
    office_paragraphs(document, "opening")
    tag(document, "{%p if grades.sentence %}")
    lead = paragraph(document, "{{ grades.sentence }}")
    keep_with_next(lead, together=False)  # with the table of grades that may follow
    tag(document, "{%p endif %}")
    tag(document, "{%p if grades.table %}")
    table(document, ["{{ grades.column }}", "Grade"], [[("{{ g.item }}", False)], [("{{ g.grade }}", False)]],
          loop="g in grades.table", widths=[11.4, 4.6])  # "Requires improvement" on one line
    paragraph(document, after=0).paragraph_format.space_before = Pt(0)
    tag(document, "{%p endif %}")
    tag(document, "{%p if prose.previous %}")
    paragraph(document, "{{ prose.previous }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p for text in prose.figures %}")
    paragraph(document, "{{ text }}")
    tag(document, "{%p endfor %}")
    paragraph(document, "{{ prose.summary }}{% if prose.annex_pointer %} {{ prose.annex_pointer }}{% endif %}")
    tag(document, "{%p if findings %}")
    keep_with_next(paragraph(document, "{{ prose.findings_lead }}"))
    tag(document, "{%p for f in findings %}")
    label = keep_with_next(paragraph(document, "{{ f.label }}: ", bold=True, after=2))
    label.add_run("{{ f.text }}").italic = True
    paragraph(document, "{{ f.response }}")
    tag(document, "{%p endfor %}")
    tag(document, "{%p endif %}")
    office_paragraphs(document, "commentary")
    # The office's response to the chief officer's comments (s.55(5)), once they are stored.
    tag(document, "{%p if chief_officer_comments and comments.response_to_chief_officer %}")
    keep_with_next(paragraph(document, "{{ chief_officer_comments.heading }}", bold=True))
    office_paragraphs(document, "response_to_chief_officer")
    tag(document, "{%p endif %}")
    tag(document, "{%p if comments.closing %}")
    office_paragraphs(document, "closing", keep_with_next_last=True)
    tag(document, "{%p else %}")
    keep_with_next(paragraph(document, "{{ prose.closing }}"), together=False)
    tag(document, "{%p endif %}")
    signature_block(document, section_break_after=True)
    landscape(document.sections[-1])
    # Annex A only for a report with findings: with none, everything after the section break is
    # left out and the empty landscape section with it (letter_package.without_empty_last_section).
    tag(document, "{%p if areas %}")
    annex_heading(document, "{{ prose.annex_title }}", new_page=False)
    paragraph(document, "{{ inspection.title }}, published {{ inspection.published }}. Position as at {{ date }}.")
    response_annex_table(document)
    tag(document, "{%p endif %}")
    return document


def annex_template() -> Document:
    document = new_document()
    footer_with_page_numbers(document)
    # A position statement to share (a panel paper, a briefing), not a request: it asks nothing of
    # the force and gives no deadline (the s.55 dates are the office's own; the invitation asks).
    document.add_heading("{{ prose.request_title }}", level=1)
    paragraph(document, "{{ inspection.published_by }} published the report “{{ inspection.title }}” on "
                        "{{ inspection.published }}. {% if areas and areas|selectattr('update_text')|list %}This table gives the "
                        "force's latest update on each of its findings as at {{ date }}.{% elif areas %}This table lists "
                        "its findings; as at {{ date }} the force has given no update on them.{% else %}The report has "
                        "no findings.{% endif %}")
    paragraph(document, "Prepared by {{ office.in_sentence }}. Our ref: {{ reference }}.")
    tag(document, "{%p if areas %}")
    areas_table(document)
    tag(document, "{%p endif %}")
    return document


# The follow-up's tables: the Lead column is wide enough for a lead's longest word at 10 pt
# ("Constabulary", "Commissioner"), so no name breaks inside a word ("Constabl / e").
ACTION_WIDTHS = [1.2, 7.6, 4.0, 3.2]  # 16.0 cm: A4 portrait less 2.5 cm margins
CARRIED_WIDTHS = [2.6, 1.1, 5.3, 3.8, 3.2]  # Timing holds "Disproportionality" whole


def followup_template() -> Document:
    document = new_letter()
    paragraph(document, "{{ prose.thanks }}{% if prose.themes %} {{ prose.themes }}{% endif %}")
    tag(document, "{%p if meeting.themes | length > 1 %}")
    bullets(document, "meeting.themes", "{{ theme }}", name="theme")
    tag(document, "{%p endif %}")
    office_paragraphs(document, "opening")
    tag(document, "{%p if prose.purpose %}")
    paragraph(document, "{{ prose.purpose }}")
    tag(document, "{%p endif %}")
    bullets(document, "meeting.correspondence_issues", "{{ issue }}", name="issue",
            heading="Issues to be responded to by correspondence")
    bullets(document, "meeting.other_issues", "{{ issue }}", name="issue", heading="Issues to be discussed in other meetings")
    office_paragraphs(document, "commentary")
    tag(document, "{%p if prose.actions %}")
    keep_with_next(paragraph(document, "Actions arising", bold=True))
    paragraph(document, "{{ prose.actions }}")
    tag(document, "{%p endif %}")
    tag(document, "{%p if comments.closing %}")
    office_paragraphs(document, "closing", keep_with_next_last=True)
    tag(document, "{%p else %}")
    keep_with_next(paragraph(document, "{{ prose.closing }}"), together=False)
    tag(document, "{%p endif %}")
    signature_block(document)
    tag(document, "{%p if actions or carried_actions %}")
    annex_heading(document, "{{ prose.annex_title }}")
    tag(document, "{%p if actions %}")
    table(
        document,
        ["No.", "Action", "Timing", "Lead"],
        [[("{{ action.number }}", False)], [("{{ action.action }}", False)], [("{{ action.timing }}", False)], [("{{ action.lead }}", False)]],
        loop="action in actions",
        widths=ACTION_WIDTHS,
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p if carried_actions %}")
    document.add_heading("Open actions from earlier meetings", level=2)
    carried = table(
        document,
        ["Meeting", "No.", "Action", "Timing", "Lead"],
        [[("{{ c.held_on }}", False)], [("{{ c.number }}", False)], [("{{ c.action }}", False)],
         [("{{ c.timing }}", False)], [("{{ c.lead }}", False)]],
        loop="c in carried_actions",
        widths=CARRIED_WIDTHS,
    )
    # An action still open after its due date says so under its timing: "Overdue: due 1 May 2026".
    timing = carried.rows[2].cells[3].paragraphs[0]
    _runs(timing, [("{% if c.overdue %}", False)], TABLE_SIZE)
    timing.add_run().add_break()
    _runs(timing, [("{{ c.overdue }}{% endif %}", True)], TABLE_SIZE)
    tag(document, "{%p endif %}")
    tag(document, "{%p endif %}")
    return document


def main() -> int:
    TEMPLATES.mkdir(exist_ok=True)
    builders = {"s55-response.docx": response_template, "follow-up.docx": followup_template, "annex.docx": annex_template}
    builders.update(process_templates())
    builders["reply.docx"] = reply_template
    for name, build in builders.items():
        document = build()
        slim_styles(document)
        document.save(TEMPLATES / name)
        print(f"wrote {TEMPLATES / name}")
    return 0



# --- the s.55 process (issue 11): the invitation to comment and the reminder --------------------------


def process_templates() -> dict:
    return {"invitation.docx": invitation_template, "reminder.docx": reminder_template}


def findings_annex(document, intro: str) -> None:
    """The findings table on its own page, for the chief officer to fill in and return."""
    tag(document, "{%p if areas %}")
    page_break(document)
    document.add_heading("Annex: the findings of {{ inspection.in_sentence }}", level=1)
    paragraph(document, intro)
    paragraph(
        document,
        "For each finding, please give its status (not started, in progress or complete) and what the force has "
        "done or will do. The table can be returned as it is, in Word.",
    )
    areas_table(document)
    tag(document, "{%p endif %}")


def invitation_template() -> Document:
    document = new_letter()
    paragraph(
        document,
        "{{ inspection.published_by }} published its report “{{ inspection.title }}” on {{ inspection.published }}. Under section 55 of "
        "the Police Act 1996, I invite your comments on the report.",
    )
    paragraph(
        document,
        "I must publish my comments on the report, your comments and my response to them by {{ last_day }}, and "
        "send copies to the Home Secretary and to {{ inspectorate.short_name }}. I would be grateful to receive your comments by "
        "{{ reply_by }}.",
    )
    tag(document, "{%p if areas %}")
    paragraph(
        document,
        "The report contains {{ area_summary }}{% if other_findings %} for the force{% endif %}. The annex to this "
        "letter lists {% if areas|length > 1 %}each of them{% else %}it{% endif %}, with the latest "
        "update I hold where there is one. I would be grateful if you would complete the table and return it with "
        "your comments{% if has_recommendations %}: the Act requires my response to say, for every recommendation, "
        "what has been done or will be done{% endif %}.",
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p if other_findings %}")  # findings for the Home Office, the College...: not the force's to answer
    paragraph(document, "{{ other_findings }}")
    tag(document, "{%p endif %}")
    closing(document)
    findings_annex(document, "Please return by {{ reply_by }}. Our ref: {{ reference }}.")
    return document


def reminder_template() -> Document:
    document = new_letter()
    paragraph(
        document,
        "On {{ invitation.date }} I invited your comments on {{ inspection.published_by }}'s report “{{ inspection.title }}”, published "
        "on {{ inspection.published }}, by {{ reply_by }} (our ref {{ invitation.reference }}). I have not yet "
        "received them.",
    )
    paragraph(
        document,
        "I must publish my comments on the report, your comments and my response to them by {{ last_day }}. "
        "{% if chase_by %}I would be grateful to receive your comments by {{ chase_by }}.{% else %}I would be "
        "grateful to receive your comments as soon as possible.{% endif %}",
    )
    tag(document, "{%p if areas %}")
    paragraph(document, "The table of the report's findings is attached again, for you to complete and return.")
    tag(document, "{%p endif %}")
    closing(document)
    findings_annex(document, "{% if chase_by %}Please return by {{ chase_by }}. {% endif %}Our ref: {{ reference }}.")
    return document


# --- the post (issue 24): a reply to a letter received ------------------------------------------------


def reply_template() -> Document:
    """A reply: the letterhead and addressee, "Your ref" (the sender's reference) above "Our ref",
    the date, "Dear ...", "Re: subject", a first line to start from, and the signature."""
    document = new_document()
    footer_with_page_numbers(document)
    letterhead_and_addressee(document)
    first = document.paragraphs[-3]  # "Our ref: ..." (letterhead_and_addressee ends: ref, date, blank)
    tag_before(first, "{%p if their_reference %}")
    text_before(first, "Your ref: {{ their_reference }}")
    tag_before(first, "{%p endif %}")
    opening(document)
    paragraph(document, "Thank you for your letter of {{ their_date }}{% if their_subject %}, “{{ their_subject }}”{% endif %}.")
    office_paragraphs(document, "opening")
    office_paragraphs(document, "commentary")
    office_paragraphs(document, "closing", keep_with_next_last=True)
    signature_block(document)
    return document


def tag_before(para, text: str) -> None:
    para.insert_paragraph_before(text)


def text_before(para, text: str) -> None:
    para.insert_paragraph_before(text).paragraph_format.space_after = Pt(0)

if __name__ == "__main__":
    sys.exit(main())
