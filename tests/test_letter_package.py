"""A letter written straight from the template read once (letter_package) is the letter docxtpl
writes: the same parts in the same order with the same XML, the same document properties (what
Word shows in File > Info) and the same search text. Two renders differ as zip bytes (times), so
the files are compared part by part, each XML part after parsing.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from lxml import etree

from correspondence.drafting import letter_package, rendering
from correspondence.drafting.rendering import TEMPLATES, render_to, render_with_docxtpl, shipped_template
from correspondence.examples.samples import sample_context
from correspondence.files.documents import docx_body_text, tidy
from correspondence.records.errors import CorrespondenceError
from tests.docx_reading import read_letter
from tests.letter_kinds import draft_every_kind

HOSTILE = 'Leicester, Leicestershire & Rutland <PEEL> "2019" ‘its’ O\'Brien {{ 7 * 7 }} '
LONG_TITLE = "An inspection of how well the force & its partners protect people <under 18> " * 8


def assert_same_letter(direct: Path, docxtpl: Path) -> None:
    """Same members in the same order; each XML part the same after parsing, other parts byte for
    byte; the same core properties and the same paragraphs and tables read back by python-docx."""
    with zipfile.ZipFile(direct) as ours, zipfile.ZipFile(docxtpl) as theirs:
        assert ours.testzip() is None, f"{direct.name}: a damaged member"
        assert ours.namelist() == theirs.namelist(), "the letter's parts differ, or are in another order"
        for name in theirs.namelist():
            mine, expected = ours.read(name), theirs.read(name)
            if name.endswith((".xml", ".rels")):
                assert canonical(mine) == canonical(expected), f"{name} holds different XML"
            else:
                assert mine == expected, f"{name} differs"
    ours_read, theirs_read = read_letter(direct), read_letter(docxtpl)
    assert ours_read.paragraphs == theirs_read.paragraphs
    assert ours_read.tables == theirs_read.tables
    for name in ("title", "subject", "author", "comments", "identifier", "language", "created", "modified", "revision"):
        assert getattr(ours_read.document.core_properties, name) == getattr(theirs_read.document.core_properties, name), name


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


def search_text_of(path: Path) -> str:
    text = tidy(docx_body_text(Document(str(path)).element.body))
    return text if text.strip() else ""


def both_ways(template: Path, context: dict[str, Any], folder: Path) -> tuple[Path, Path, str]:
    """The letter written by render_to (the direct path) and by docxtpl, and render_to's search text."""
    folder.mkdir(parents=True, exist_ok=True)
    rendered = render_to(template, context, folder / "direct.docx")
    render_with_docxtpl(template, context, folder / "docxtpl.docx")
    return rendered.path, folder / "docxtpl.docx", rendered.text


@pytest.fixture(scope="module")
def samples() -> dict[str, dict[str, Any]]:
    return {kind: sample_context(kind) for kind in TEMPLATES}


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_every_shipped_template_writes_the_letter_docxtpl_writes(kind, samples, tmp_path):
    template = shipped_template(kind)
    assert letter_package.prepared(template, rendering._open) is not None, "the shipped template must take the direct path"
    direct, docxtpl, text = both_ways(template, samples[kind], tmp_path)
    assert_same_letter(direct, docxtpl)
    assert text == search_text_of(docxtpl) and text


def test_every_kind_of_drafted_letter_is_the_letter_docxtpl_writes(db_url, tmp_path, monkeypatch):
    """Each kind of letter drafted from the bundled example and the Kent fixtures (as the golden
    tests draft them), written again by docxtpl from the same context."""
    from correspondence.drafting import drafts as drafting

    calls: list[tuple[Path, dict[str, Any], Path, str]] = []
    original = drafting.render_bytes

    def recording(template: Path, context: dict[str, Any]) -> Any:
        content, text = original(template, context)
        destination = tmp_path / f"direct-{len(calls)}.docx"
        destination.write_bytes(content)  # the bytes the store keeps as the letter's first version
        calls.append((template, context, destination, text))
        return content, text

    monkeypatch.setattr(drafting, "render_bytes", recording)
    draft_every_kind(db_url, tmp_path)
    assert len(calls) >= 6
    for number, (template, context, destination, text) in enumerate(calls):
        docxtpl = tmp_path / f"docxtpl-{number}.docx"
        render_with_docxtpl(template, context, docxtpl)
        assert_same_letter(destination, docxtpl)
        assert text == search_text_of(docxtpl)


def test_hostile_values_and_a_very_long_title_are_written_as_docxtpl_writes_them(samples, tmp_path):
    context = dict(samples["response"])
    context.update(subject=LONG_TITLE + HOSTILE, reference="OPCC/<1>/&19", salutation=HOSTILE, cc=HOSTILE)
    context["addressee"] = {**context["addressee"], "name": HOSTILE, "address_lines": [HOSTILE, "Line two & <three>"]}
    context["inspection"] = {**context["inspection"], "title": LONG_TITLE}
    direct, docxtpl, text = both_ways(shipped_template("response"), context, tmp_path)
    assert_same_letter(direct, docxtpl)
    assert text == search_text_of(docxtpl)
    letter = read_letter(direct)
    assert "Leicester, Leicestershire & Rutland <PEEL>" in letter.text and "{{ 7 * 7 }}" in letter.text
    title = letter.document.core_properties.title
    assert len(title) == 255 and title.endswith("…") and "& its partners protect people <under 18>" in title


def office_template(path: Path, *, footnote: str | None = None) -> Path:
    """An office's own template made in Word's way: a header and a footer with fields from the
    letter, the address on lines of one paragraph, a logo, a second section with its own
    header, a table filled row by row, a table with a column per area (docxtpl then widens its
    grid), and document properties filled from the letter. With ``footnote``, a footnotes part
    holding it."""
    document = Document()
    document.core_properties.title = "{{ subject }}"
    document.core_properties.subject = "Our ref {{ reference }}"
    document.core_properties.author = "{{ office.name }}"
    section = document.sections[0]
    section.header.paragraphs[0].text = "{{ office.name }} | {{ reference }}"
    section.footer.paragraphs[0].text = "{{ addressee.name }} & {{ subject }}"
    document.add_paragraph("{{ addressee.address_lines | join('\\n') }}")
    document.add_paragraph("{{ salutation }},")
    document.add_picture(io.BytesIO(LOGO))
    document.add_paragraph("{{ prose.opening }}")
    table = document.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "{%tr for area in areas %}"
    table.rows[1].cells[0].text = "{{ area.code }}"
    table.rows[1].cells[1].text = "{{ area.text }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    across = document.add_table(rows=1, cols=3)
    for cell, text in zip(across.rows[0].cells, ("{%tc for area in areas %}", "{{ area.code }}", "{%tc endfor %}")):
        cell.text = text
    new_section = document.add_section()
    new_section.header.is_linked_to_previous = False
    new_section.header.paragraphs[0].text = "Annex to {{ reference }}"
    document.add_paragraph("{{ date }}")
    document.save(str(path))
    if footnote is not None:
        _add_footnotes(path, footnote)
    return path


def _png(width: int, height: int) -> bytes:
    """A plain navy PNG: the office's logo."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x1f\x2a\x44" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


LOGO = _png(120, 40)


def _add_footnotes(path: Path, text: str) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{w}">'
                 f'<w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if name == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
            target.writestr(name, data)
        target.writestr("word/footnotes.xml", footnotes)
    path.write_bytes(buffer.getvalue())


def test_an_office_template_with_headers_footers_sections_and_a_table_is_written_as_docxtpl_writes_it(samples, tmp_path):
    template = office_template(tmp_path / "own.docx")
    context = dict(samples["response"], reference="OPCC/114/19", subject=HOSTILE)
    context["addressee"] = {**context["addressee"], "address_lines": ["2 Marsham Street", "London\tSW1P 4DF"]}
    assert letter_package.prepared(template, rendering._open) is not None
    direct, docxtpl, text = both_ways(template, context, tmp_path / "letters")
    assert_same_letter(direct, docxtpl)
    assert text == search_text_of(docxtpl)
    letter = Document(str(direct))
    assert letter.paragraphs[0].text == "2 Marsham Street\nLondon\tSW1P 4DF", "a line break and a tab, as Word shows them"
    assert letter.sections[0].header.paragraphs[0].text == "Mayor's Office for Policing and Crime | OPCC/114/19"
    assert letter.sections[0].footer.paragraphs[0].text == f"Rt Hon Sajid Javid MP & {HOSTILE}"
    assert letter.sections[1].header.paragraphs[0].text == "Annex to OPCC/114/19"
    codes = [area["code"] for area in context["areas"]]
    assert [row.cells[0].text for row in letter.tables[0].rows] == codes
    assert [cell.text for cell in letter.tables[1].rows[0].cells] == codes
    with zipfile.ZipFile(direct) as package:
        grid = etree.fromstring(package.read("word/document.xml")).findall(".//{*}tbl")[1].find("{*}tblGrid")
    assert len(grid) == len(codes), "the grid has a column for each area, as docxtpl widens it"
    assert len(letter.inline_shapes) == 1, "the logo"
    assert letter.core_properties.subject == "Our ref OPCC/114/19"


def test_footnotes_are_filled_in_once_whatever_the_sections(samples, tmp_path):
    """docxtpl filled the footnotes once for each section (the template has two), so a value a
    letter put in a footnote was filled in again as if it were the template: a subject holding
    braces lost them. Both ways of writing fill them once, and the value stays as typed."""
    template = office_template(tmp_path / "own.docx", footnote="See {{ reference }} &amp; {{ subject }}")
    context = dict(samples["response"], reference="OPCC/114/19", subject="the report {{ reference }} {{ 7 * 7 }}")
    direct, docxtpl, _ = both_ways(template, context, tmp_path / "letters")
    assert_same_letter(direct, docxtpl)
    for path in (direct, docxtpl):
        with zipfile.ZipFile(path) as letter:
            assert b"See OPCC/114/19 &amp; the report {{ reference }} {{ 7 * 7 }}" in letter.read("word/footnotes.xml")


def test_a_template_without_document_properties_is_still_drafted_by_docxtpl(samples, tmp_path):
    """python-docx stamps a template without core properties with the time as it saves, which
    only its own path can do: such a template takes docxtpl's path, and the letter is written."""
    template = office_template(tmp_path / "own.docx")
    with zipfile.ZipFile(template) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist() if info.filename != "docProps/core.xml"]
    bare = tmp_path / "bare.docx"
    with zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "_rels/.rels":
                data = etree.tostring(_without_core_relationship(etree.fromstring(data)))
            target.writestr(name, data)
    assert letter_package.prepared(bare, rendering._open) is None
    rendered = render_to(bare, dict(samples["response"], reference="OPCC/114/19"), tmp_path / "letter.docx")
    letter = Document(str(rendered.path))
    assert letter.sections[0].header.paragraphs[0].text.endswith("| OPCC/114/19")
    assert "Dear Home Secretary," in rendered.text


def _without_core_relationship(rels: Any) -> Any:
    for rel in list(rels):
        if rel.get("Type", "").endswith("/core-properties"):
            rels.remove(rel)
    return rels


def test_a_template_edited_in_place_is_used_as_edited_for_the_next_letter(samples, tmp_path):
    template = office_template(tmp_path / "own.docx")
    context = dict(samples["response"], reference="OPCC/114/19")
    first = render_to(template, context, tmp_path / "first.docx")
    edited = Document(str(template))
    edited.paragraphs[1].text = "Dear colleague, {{ reference }}"
    edited.save(str(template))
    second = render_to(template, context, tmp_path / "second.docx")
    assert "Dear Home Secretary," in first.text
    assert "Dear colleague, OPCC/114/19" in second.text and "Dear Home Secretary," not in second.text


def test_a_broken_template_is_reported_in_one_line_naming_it_and_writes_nothing(samples, tmp_path):
    template = office_template(tmp_path / "own.docx")
    broken = Document(str(template))
    broken.paragraphs[0].text = "{{ refrence }}"
    broken.save(str(tmp_path / "misspelt.docx"))
    with pytest.raises(CorrespondenceError) as raised:
        render_to(tmp_path / "misspelt.docx", samples["response"], tmp_path / "out" / "letter.docx")
    message = str(raised.value)
    assert "misspelt.docx" in message and "refrence" in message and "\n" not in message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_body_the_recovering_parser_would_cut_short_is_refused_by_both_paths(samples, tmp_path):
    """Filled in, a {%p if %} closed in the next paragraph leaves tags with nothing to close; lxml's
    recovering parser (docxtpl's) kept the letter only up to there. Both ways of writing a letter
    refuse it, naming the template, and write nothing."""
    template = tmp_path / "crossed.docx"
    crossed = Document()
    crossed.add_paragraph("{%p if reference == 'none' %}")
    crossed.add_paragraph("Shown {% endif %} always")
    crossed.add_paragraph("Yours sincerely")
    crossed.save(str(template))
    context = dict(samples["response"], reference="OPCC/114/19")
    for write in (render_to, render_with_docxtpl):
        with pytest.raises(CorrespondenceError, match="template crossed.docx: filled in, it is not a document Word can open"):
            write(template, context, tmp_path / "out" / f"{write.__name__}.docx")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_existing_letter_is_never_overwritten(samples, tmp_path):
    existing = tmp_path / "letter.docx"
    existing.write_bytes(b"the office's own edits")
    with pytest.raises(CorrespondenceError, match="never overwritten"):
        render_to(shipped_template("response"), samples["response"], existing)
    assert existing.read_bytes() == b"the office's own edits"
    assert [path.name for path in tmp_path.iterdir()] == ["letter.docx"], "no temporary file is left behind"


def test_a_template_too_large_to_keep_is_still_drafted_as_docxtpl_drafts_it(samples, tmp_path):
    """A template over letter_package.LARGEST_KEPT (a scanned letterhead, say) is read for each
    letter rather than kept in memory; the letter is the same."""
    template = office_template(tmp_path / "own.docx")
    with zipfile.ZipFile(template, "a", zipfile.ZIP_STORED) as package:
        package.writestr("word/media/scan.bin", os.urandom(letter_package.LARGEST_KEPT + 1))
    kept = dict(letter_package._kept)
    direct, docxtpl, text = both_ways(template, dict(samples["response"], reference="OPCC/114/19"), tmp_path / "letters")
    assert_same_letter(direct, docxtpl)
    assert text == search_text_of(docxtpl)
    assert letter_package._kept == kept, "the large template is not kept"


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
def test_a_template_whose_sections_share_one_footer_part_is_drafted_by_docxtpl(samples, tmp_path):
    """Two relationships to one footer part: docxtpl fills it once for each and writes the part
    twice (zipfile warns of the duplicate name; readers take the last), which only its own path
    reproduces, so such a template takes it."""
    template = office_template(tmp_path / "own.docx")
    with zipfile.ZipFile(template) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    shared = tmp_path / "shared.docx"
    with zipfile.ZipFile(shared, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "word/_rels/document.xml.rels":
                rels = etree.fromstring(data)
                footer = next(rel for rel in rels if rel.get("Type", "").endswith("/footer"))
                twin = etree.SubElement(rels, footer.tag, dict(footer.attrib, Id="rId900"))
                assert twin.get("Target") == footer.get("Target")
                data = etree.tostring(rels)
            target.writestr(name, data)
    assert letter_package.prepared(shared, rendering._open) is None
    context = dict(samples["response"], reference="OPCC/114/19")
    rendered = render_to(shared, context, tmp_path / "letter.docx")
    assert Document(str(rendered.path)).sections[0].footer.paragraphs[0].text.startswith("Rt Hon Sajid Javid MP & ")
