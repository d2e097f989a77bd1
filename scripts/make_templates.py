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
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
FONT = "Arial"


def new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.5))
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Heading 1", "Heading 2", "List Bullet", "Title"):
        document.styles[name].font.name = FONT
    document.core_properties.author = "correspondence"
    document.core_properties.title = "{{ subject }}"
    return document


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
        paragraph(document, heading, bold=True)
        tag(document, "{%p endif %}")
    tag(document, f"{{%p for {name} in {items} %}}")
    paragraph(document, text, style="List Bullet")
    tag(document, "{%p endfor %}")


def letterhead_and_addressee(document) -> None:
    right = WD_ALIGN_PARAGRAPH.RIGHT
    head = paragraph(document, "{{ office.name }}", bold=True, align=right, after=0)
    head.runs[0].font.size = Pt(14)
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


def closing(document) -> None:
    paragraph(document, "Yours sincerely")
    for _ in range(3):
        paragraph(document, after=0)
    paragraph(document, "{{ office.signatory_name }}", bold=True, after=0)
    paragraph(document, "{{ office.signatory_title }}")
    tag(document, "{%p if cc %}")
    paragraph(document, "cc: {{ cc }}")
    tag(document, "{%p endif %}")


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


def table(document, headers: list[str], cells: list[list[tuple[str, bool]]], loop: str, widths: list[float]):
    """A Table Grid table: a bold header row repeated on each page, and one looped row.

    ``cells`` lists, per column, the runs of the looped row as (text, bold).
    """
    grid = document.add_table(rows=4, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = grid.rows[0]
    _repeat_as_header(header)
    for cell, title in zip(header.cells, headers):
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
    grid.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    for cell, runs in zip(grid.rows[2].cells, cells):
        for text, bold in runs:
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold
    grid.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    grid.autofit = False
    for column, width in zip(grid.columns, widths):
        column.width = Cm(width)  # the table grid, which LibreOffice follows
    for row in grid.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)  # the cells, which Word follows
    return grid


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def areas_table(document) -> None:
    table(
        document,
        ["No.", "Area", "Status", "Update"],
        [
            [("{{ a.code }}", False)],
            [("{{ a.kind_title }}: ", True), ("{{ a.text }}", False)],
            [("{{ a.status }}", False)],
            [("{{ a.update_text }}", False), ("{{ a.awaiting }}", True)],
        ],
        loop="a in areas",
        widths=[1.4, 6.6, 2.4, 5.6],
    )


def new_letter() -> Document:
    """A letter's first page: letterhead, addressee, reference and date, salutation and subject."""
    document = new_document()
    footer_with_page_numbers(document)
    letterhead_and_addressee(document)
    opening(document)
    return document


def response_template() -> Document:
    document = new_letter()
    paragraph(
        document,
        "I write in response to the report published by His Majesty's Inspectorate of Constabulary and Fire & "
        "Rescue Services (HMICFRS) on {{ inspection.published }} as part of its {{ inspection.programme }} "
        "programme of inspections, “{{ inspection.title }}”. This letter and its annex are my comments on "
        "the report under section 55 of the Police Act 1996.",
    )
    tag(document, "{%p if inspection.overall_grade %}")
    paragraph(
        document,
        "HMICFRS graded the force {{ inspection.overall_grade_title | lower }} overall"
        "{% if judgments %}, and graded each question it examined as follows:{% else %}.{% endif %}",
    )
    tag(document, "{%p endif %}")
    bullets(document, "judgments", "{{ j.question }} {{ j.grade_title }}.", name="j")
    tag(document, "{%p if measures %}")
    paragraph(document, "The report's findings include:")
    tag(document, "{%p endif %}")
    bullets(document, "measures", "{{ m.name }}: {{ m.text }}.", name="m")
    tag(document, "{%p if previous %}")
    paragraph(
        document,
        "HMICFRS last inspected the force on this programme in a report published on {{ previous.published }}"
        "{% if previous.overall_grade %}, when it was graded {{ previous.overall_grade }}{% endif %}."
        "{% if comparisons %} Since then:{% endif %}",
    )
    tag(document, "{%p endif %}")
    bullets(document, "comparisons", "{{ c.name }}: {{ c.before }} then, {{ c.now }} now.", name="c")
    tag(document, "{%p if areas %}")
    paragraph(
        document,
        "The report makes {{ area_summary }}. The force's latest update on each of them is set out in Annex A "
        "to this letter. I will continue to hold the {{ force.chief_officer_title }} to account for progress "
        "against every one of them.",
    )
    tag(document, "{%p endif %}")
    paragraph(document, "I thank HMICFRS for the report and the findings it provides.")
    closing(document)
    page_break(document)
    document.add_heading("Annex A: the force's update on each finding of the report", level=1)
    paragraph(document, "{{ inspection.title }}, published {{ inspection.published }}. Position as at {{ date }}.")
    areas_table(document)
    return document


def annex_template() -> Document:
    document = new_document()
    footer_with_page_numbers(document)
    document.add_heading("{{ force.name }}: update on the findings of {{ inspection.title }}", level=1)
    paragraph(document, "Report published {{ inspection.published }}. Comments due under section 55 by {{ inspection.response_due }}.")
    paragraph(document, "Requested by {{ office.name }} on {{ date }}. Our ref: {{ reference }}.")
    paragraph(
        document,
        "Please give the current status and an update for each finding. Status is one of: not started, "
        "in progress, complete.",
    )
    areas_table(document)
    return document


def followup_template() -> Document:
    document = new_letter()
    paragraph(
        document,
        "Thank you and your team for the {{ meeting.title }} meeting on {{ meeting.held_on }}."
        "{% if meeting.themes %} The key strategic themes which ran through the items on the agenda were:{% endif %}",
    )
    bullets(document, "meeting.themes", "{{ theme }}", name="theme")
    paragraph(
        document,
        "Following the meeting I am writing to follow up the issues we were not able to cover, and to confirm "
        "the actions arising from it.",
    )
    bullets(document, "meeting.correspondence_issues", "{{ issue }}", name="issue",
            heading="Issues to be responded to by correspondence")
    bullets(document, "meeting.other_issues", "{{ issue }}", name="issue", heading="Issues to be discussed in other meetings")
    tag(document, "{%p if actions or carried_actions %}")
    paragraph(document, "Actions arising", bold=True)
    paragraph(
        document,
        "Attached, as an Annex, are the actions arising from the meeting. I would be grateful if the actions "
        "could be completed in the timescales indicated."
        "{% if carried_actions %} The Annex also lists {{ carried_actions | length }} action{{ 's' if carried_actions | length != 1 }} "
        "from earlier meetings that remain open.{% endif %}",
    )
    tag(document, "{%p endif %}")
    closing(document)
    tag(document, "{%p if actions or carried_actions %}")
    page_break(document)
    document.add_heading("{{ office.short_name }} {{ meeting.title }}: actions from the {{ meeting.held_on }} meeting", level=1)
    tag(document, "{%p if actions %}")
    table(
        document,
        ["No.", "Action", "Timing", "Lead"],
        [[("{{ action.number }}", False)], [("{{ action.action }}", False)], [("{{ action.timing }}", False)], [("{{ action.lead }}", False)]],
        loop="action in actions",
        widths=[1.2, 8.4, 4.4, 2.0],
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p if carried_actions %}")
    document.add_heading("Open actions from earlier meetings", level=2)
    table(
        document,
        ["Meeting", "No.", "Action", "Timing", "Lead"],
        [[("{{ c.held_on }}", False)], [("{{ c.number }}", False)], [("{{ c.action }}", False)],
         [("{{ c.timing }}", False)], [("{{ c.lead }}", False)]],
        loop="c in carried_actions",
        widths=[2.6, 1.2, 7.0, 3.2, 2.0],
    )
    tag(document, "{%p endif %}")
    tag(document, "{%p endif %}")
    return document


def main() -> int:
    TEMPLATES.mkdir(exist_ok=True)
    builders = {"s55-response.docx": response_template, "follow-up.docx": followup_template, "annex.docx": annex_template}
    builders.update(process_templates())
    for name, build in builders.items():
        build().save(TEMPLATES / name)
        print(f"wrote {TEMPLATES / name}")
    return 0



# --- the s.55 process (issue 11): the invitation to comment and the reminder --------------------------


def process_templates() -> dict:
    return {"invitation.docx": invitation_template, "reminder.docx": reminder_template}


def findings_annex(document, intro: str) -> None:
    """The findings table on its own page, for the chief officer to fill in and return."""
    tag(document, "{%p if areas %}")
    page_break(document)
    document.add_heading("Annex: the findings of {{ inspection.title }}", level=1)
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
        "HMICFRS published its report “{{ inspection.title }}” on {{ inspection.published }}. Under section 55 of "
        "the Police Act 1996, I invite your comments on the report.",
    )
    paragraph(
        document,
        "I must publish my comments on the report, your comments and my response to them by {{ last_day }}, and "
        "send copies to the Home Secretary and to HMICFRS. I would be grateful to receive your comments by "
        "{{ reply_by }}.",
    )
    tag(document, "{%p if areas %}")
    paragraph(
        document,
        "The report contains {{ area_summary }}. The annex to this letter lists each of them, with the latest "
        "update I hold where there is one. I would be grateful if you would complete the table and return it with "
        "your comments{% if has_recommendations %}: the Act requires my response to say, for every recommendation, "
        "what has been done or will be done{% endif %}.",
    )
    tag(document, "{%p endif %}")
    closing(document)
    findings_annex(document, "Please return by {{ reply_by }}. Our ref: {{ reference }}.")
    return document


def reminder_template() -> Document:
    document = new_letter()
    paragraph(
        document,
        "On {{ invitation.date }} I invited your comments on HMICFRS's report “{{ inspection.title }}”, published "
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
    findings_annex(document, "Our ref: {{ reference }}.")
    return document

if __name__ == "__main__":
    sys.exit(main())
