"""Writing a letter's .docx straight from a template read once, without python-docx at draft time.

docxtpl opens the template with python-docx for every letter (every part parsed, the package's
relationships walked), fills it, and saves it through python-docx again (every part serialised,
the content types rebuilt): for the same template that is the same work every letter, and it
cost most of the file's part of a draft. Here a template is read once per process (``prepare``):
the package exactly as python-docx would write it unrendered (its members, in python-docx's
order, with its [Content_Types].xml and relationships), and the Jinja source docxtpl prepares
from the body, headers, footers and core properties. For each letter (``fill``) only those parts
are rendered, by docxtpl's own steps and in its order, and the zip is written with every other
member copied as it is.

What a letter holds is what docxtpl writes, part for part (tests/test_letter_package.py compares
the two on every shipped template, the bundled example, hostile values and an office template
with headers and footers):
- the body: rendered, then docxtpl's post-processing (resolve_listing, fix_tables, which parses
  with lxml's recovering parser, refused here where it would mend anything: parse_body;
  fix_docpr_ids numbering from 1001), placed in the template's
  own w:document element and serialised as python-docx serialises it;
- headers and footers: rendered, then parsed and serialised as python-docx does when docxtpl
  puts them back;
- footnotes: rendered once (docxtpl itself renders them again for every section, filling in a
  value that holds braces as if it were the template; rendering._template_class stops that);
- core properties: set through python-docx's own CoreProperties, in rendering.py's order.

A template this path cannot write exactly as docxtpl would is left to docxtpl (``prepare``
returns None, and rendering.render_to takes its docxtpl path): a template without core
properties (python-docx makes them, stamped with the time, as it saves), one whose header or
footer part is shared by several relationships (docxtpl would write it twice), and footnotes
read by a python-docx that parses them (docxtpl's filled footnotes would then be dropped). A context holding
docxtpl's own objects (subdocuments, inline images, rich text with links), which add parts and
relationships as they render, cannot reach render_to: each is made for one DocxTemplate object,
and render_to opens its own (the context is text, dates, numbers and Markup: context.py).
"""

from __future__ import annotations

import collections
import functools
import hashlib
import io
import re
import struct
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from correspondence.drafting.sandbox import CORE_PROPERTIES, jinja_env, property_value
from correspondence.records.errors import InvalidInput

TEMPLATES_KEPT = 16  # templates read and kept per process (each is about its own size in memory)
LARGEST_KEPT = 10 * 1024 * 1024  # bytes; a letter template is tens of KB, a few MB with pictures
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class Prepared:
    """A template read once: what python-docx would write for it unrendered, and the Jinja
    source docxtpl prepares from the parts a letter changes."""

    members: dict[str, bytes]  # zip name: the part's bytes, unrendered (entries holds python-docx's order)
    entries: tuple[tuple[str, _Entry], ...]  # the same, deflated, as the letter's zip holds them
    document_part: str  # zip name of the main document part, word/document.xml
    document_shell: bytes  # that part with an empty w:body, where the rendered body goes
    body_source: str  # the body as Jinja source (docxtpl's patch_xml, a line per paragraph)
    headers_footers: tuple[tuple[str, str], ...]  # (zip name, Jinja source), headers then footers
    footnotes: tuple[str, ...]  # zip names of footnotes parts, in python-docx's order
    core_part: str  # zip name of the core properties part, docProps/core.xml
    properties: tuple[tuple[str, str], ...]  # (core property, its text as the template holds it)


_kept: collections.OrderedDict[str, Prepared | None] = collections.OrderedDict()
_lock = threading.Lock()


def prepared(template: Path, open_template: Any) -> Prepared | None:
    """The template read once for this process, or None when only docxtpl can fill it.

    Kept by the digest of the file's bytes, not its name: an office's own template is written
    to a new temporary file for every draft, and a template edited in place gets a new entry.
    ``open_template`` opens it as rendering._open does (the same checks and one-line errors);
    a file too large for any real template is opened that way every time, never read whole."""
    try:
        if template.stat().st_size > LARGEST_KEPT:
            return prepare(open_template(template))
        data = template.read_bytes()
    except OSError as error:
        raise InvalidInput(f"template {template}: cannot be read ({error.strerror or error})") from None
    key = hashlib.blake2b(data, digest_size=20).hexdigest()
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]
    result = prepare(open_template(template))
    with _lock:
        _kept[key] = result
        if len(_kept) > TEMPLATES_KEPT:
            _kept.popitem(last=False)
    return result


def prepare(docx_template: Any) -> Prepared | None:
    """Read an opened (not yet rendered) docxtpl template; None when it needs docxtpl's path."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.part import XmlPart

    document = docx_template.docx
    package = document.part.package
    core_rels = [rel for rel in package.rels.values() if rel.reltype == RT.CORE_PROPERTIES and not rel.is_external]
    if not core_rels:
        return None
    if _shared_headers_or_footers(docx_template, package):
        return None
    core = document.core_properties
    properties = tuple((name, getattr(core, name) or "") for name in CORE_PROPERTIES)

    body_source = _lines(docx_template.patch_xml(docx_template.get_xml()))
    headers_footers = []
    for uri in (docx_template.HEADER_URI, docx_template.FOOTER_URI):
        for _, part in docx_template.get_headers_footers(uri):
            headers_footers.append((part.partname.membername, _lines(docx_template.patch_xml(docx_template.get_part_xml(part)))))
    footnote_parts = [part for part in package.iter_parts() if part.content_type == FOOTNOTES_TYPE]
    if any(isinstance(part, XmlPart) for part in footnote_parts):
        return None  # a python-docx that parses footnotes: docxtpl's filled text would not reach the file
    footnotes = tuple(part.partname.membername for part in footnote_parts)

    saved = io.BytesIO()
    document.save(saved)  # what python-docx writes for this template: order, content types, relationships
    with zipfile.ZipFile(saved) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    document_part = document.part.partname.membername
    entries = tuple((name, _Entry.of(name, data)) for name, data in members.items())
    return Prepared(members, entries, document_part, _shell(members[document_part]), body_source,
                    tuple(headers_footers), footnotes, core_rels[0].target_part.partname.membername, properties)


def fill(template: Prepared, context: dict[str, Any], docx_template_class: type) -> tuple[dict[str, bytes], Any]:
    """The parts a letter changes, rendered as docxtpl renders them, and the rendered w:body.

    ``context`` is already cleaned (limits.clean_context); Jinja and lxml errors propagate, for
    rendering.render_to to report as it reports docxtpl's."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    env = jinja_env()
    renderer = docx_template_class(None)  # only docxtpl's methods are used: no package is opened
    renderer.docx_ids_index = 1000  # as DocxTemplate.render_init
    renderer.current_rendering_part = None
    renderer.resolve_listing = functools.partial(_resolve_listing, renderer)
    changed: dict[str, bytes] = {}

    body = _fix_tables(renderer, _render_part(renderer, template.body_source, context, env))
    renderer.fix_docpr_ids(body)
    root = parse_xml(template.document_shell)
    root.replace(root[_body_index(root)], body)  # as docxtpl's map_tree
    changed[template.document_part] = serialize_part_xml(root)

    for name, source in template.headers_footers:
        xml = _render_part(renderer, source, context, env).encode("utf-8")
        changed[name] = serialize_part_xml(parse_xml(xml))  # as XmlPart.load, then python-docx's save

    for name in template.footnotes:  # once: see rendering._template_class, which makes docxtpl do the same
        changed[name] = renderer.render_xml_part(renderer.patch_xml(template.members[name].decode("utf-8")), None, context, env).encode("utf-8")

    changed[template.core_part] = _core_properties(template.members[template.core_part], template.properties, context)
    return changed, body


def write(template: Prepared, changed: dict[str, bytes], file: BinaryIO) -> None:
    """The letter's zip, as zipfile writes one for python-docx: the same members in the same
    order, deflated at zlib's default level, with the changed parts in place of the template's.
    The others are copied as the template's entry holds them, already deflated: zipfile cannot
    copy deflated bytes, and deflating them again cost a third of writing the letter."""
    stamp = _dos_time(time.localtime()[:6])
    entries = [_Entry.of(name, changed[name]) if name in changed else entry for name, entry in template.entries]
    chunks, directory, offset = [], [], 0
    for entry in entries:
        chunks.append(entry.local_header(stamp))
        chunks.append(entry.deflated)
        directory.append(entry.central_header(stamp, offset))
        offset += len(chunks[-2]) + len(entry.deflated)
    listing = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(listing), offset, 0)
    file.write(b"".join(chunks) + listing + end)


@dataclass(frozen=True)
class _Entry:
    """One member of a zip written as zipfile.ZipFile.writestr(name, data) writes it (deflated,
    read-write for the owner, no extra fields: letters are far below zip64's sizes)."""

    name: bytes
    flags: int  # 0x800: the name is UTF-8
    crc: int
    size: int
    deflated: bytes

    @classmethod
    def of(cls, name: str, data: bytes) -> _Entry:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        deflated = compressor.compress(data) + compressor.flush()
        ascii_name = name.isascii()
        return cls(name.encode("ascii" if ascii_name else "utf-8"), 0 if ascii_name else 0x800,
                   zlib.crc32(data), len(data), deflated)

    def local_header(self, stamp: tuple[int, int]) -> bytes:
        return struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, self.flags, zipfile.ZIP_DEFLATED, *stamp,
                           self.crc, len(self.deflated), self.size, len(self.name), 0) + self.name

    def central_header(self, stamp: tuple[int, int], offset: int) -> bytes:
        return struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, self.flags, zipfile.ZIP_DEFLATED, *stamp,
                           self.crc, len(self.deflated), self.size, len(self.name), 0, 0, 0, 0, 0o600 << 16, offset) + self.name


def _dos_time(when: tuple[int, ...]) -> tuple[int, int]:
    """(time, date) as a zip entry holds them, as zipfile computes them."""
    year, month, day, hour, minute, second = when
    return (second // 2 | minute << 5 | hour << 11), ((year - 1980) << 9 | month << 5 | day)


_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_BODY = "{%s}body" % _W["w"]


def _body_index(root: Any) -> int:
    return next(index for index, child in enumerate(root) if child.tag == _BODY)


_LISTING_CHARACTERS = ("\t", "\a", "\n", "\f")
_PARAGRAPH = re.compile(r"<w:p([ >])")


def _lines(source: str) -> str:
    """The source with a line per paragraph, as docxtpl's render_xml_part gives it to Jinja."""
    return _PARAGRAPH.sub(r"\n<w:p\1", source)


def _render_part(renderer: Any, source: str, context: dict[str, Any], env: Any) -> str:
    """docxtpl's render_xml_part for a source _lines has already split (it splits it again for
    every letter): rendered, the lines joined again, docxtpl's escaped braces restored, and
    Listing's characters resolved."""
    xml = env.from_string(source).render(context)
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # docxtpl's sub of \n<w:p([ >]), a tenth the time
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    return renderer.resolve_listing(xml)


def _resolve_listing(renderer: Any, xml: str) -> str:
    """docxtpl's resolve_listing, which only ever replaces these four characters inside w:t: a
    part without any of them is left as it is without its three nested passes of regular
    expressions over every paragraph and run (about a third of a draft's rendering)."""
    if not any(character in xml for character in _LISTING_CHARACTERS):
        return xml
    return type(renderer).resolve_listing(renderer, xml)


def parse_body(xml: str) -> Any:
    """The rendered body parsed as docxtpl's fix_tables parses it (lxml's recovering parser), or
    SyntaxError where that parser would have to mend it.

    Filled in, a template whose {%p if %} starts in one paragraph and ends in another leaves
    closing tags with nothing to close; the recovering parser "mends" that by dropping every
    paragraph after the break, so the letter silently loses its end. It is refused instead
    (rendering._render says why in one line), as a header broken the same way always was."""
    from lxml import etree

    parser = etree.XMLParser(recover=True)
    tree = etree.fromstring(xml, parser=parser)
    mended = [error for error in parser.error_log if error.level >= etree.ErrorLevels.ERROR]
    if mended:
        raise SyntaxError(f"{mended[0].message}, line {mended[0].line}")
    return tree


def _fix_tables(renderer: Any, xml: str) -> Any:
    """The body parsed as docxtpl's fix_tables parses it, with its fix applied only when a table
    needs one: its walk over every row and cell cost as much as the parse, for tables that
    almost always already have as many grid columns as cells."""
    tree = parse_body(xml)
    try:
        fine = not any(_table_needs_fixing(table, "{%s}" % tree.nsmap["w"]) for table in tree.iter("{%s}tbl" % tree.nsmap["w"]))
    except Exception:  # noqa: BLE001 - anything unusual is left to docxtpl, which then reports it its own way
        fine = False
    return without_empty_last_section(tree if fine else renderer.fix_tables(xml))


def without_empty_last_section(body: Any) -> Any:
    """``body`` without a last section that holds nothing: when everything after the last section
    break was inside an {%p if %} that was false (Annex A of a report with no findings), the
    section before the break becomes the last one, so the letter keeps its own page size and
    orientation and does not end with an empty page."""
    w = "{%s}" % _W["w"]
    final = body.find(w + "sectPr")
    if final is None:
        return body
    children = list(body)
    for index in range(len(children) - 1, -1, -1):
        child = children[index]
        if child.tag != w + "p":
            if child.tag != w + "sectPr":
                return body  # a table, or anything else, after the last break: the section is not empty
            continue
        properties = child.find(w + "pPr")
        ending = properties.find(w + "sectPr") if properties is not None else None
        if ending is not None:
            for empty in children[index + 1:]:
                if empty is not final:
                    body.remove(empty)
            properties.remove(ending)
            body.replace(final, ending)
            return body
        if "".join(child.itertext()).strip() or any(child.find(".//" + w + name) is not None
                                                    for name in ("drawing", "pict", "object")):
            return body  # text or a picture: the section holds something
    return body


def _table_needs_fixing(table: Any, ns: str) -> bool:
    """Whether docxtpl's fix_tables would change this table: a row with more cells than grid
    columns (it adds columns), or more grid columns than the widest row spans (it removes them).
    Rows are counted as docxtpl counts them, nested tables' rows included."""
    columns = len(table.find(ns + "tblGrid").findall(ns + "gridCol"))
    most_cells = most_spanned = 0
    for row in table.iter(ns + "tr"):
        cells = row.findall(ns + "tc")
        spanned = 0
        for cell in cells:
            properties = cell.find(ns + "tcPr")
            span = None if properties is None else properties.find(ns + "gridSpan")
            spanned += 1 if span is None else int(span.get(ns + "val"))
        most_cells, most_spanned = max(most_cells, len(cells)), max(most_spanned, spanned)
    return most_cells > columns or columns > most_spanned


def _shell(document_xml: bytes) -> bytes:
    """The document part with its body emptied: parsed for each letter, the rendered body put in."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    root = parse_xml(document_xml)
    body = root[_body_index(root)]
    for child in list(body):
        body.remove(child)
    return serialize_part_xml(root)


def _core_properties(core_xml: bytes, properties: tuple[tuple[str, str], ...], context: dict[str, Any]) -> bytes:
    """docProps/core.xml as rendering._render_document leaves it: each property set to its own
    text rendered without escaping and cut to Word's 255 characters, through python-docx's
    CoreProperties. (_render_document first empties each, for docxtpl to leave them alone; that
    adds a missing property's element in the same order as setting its value does here.)"""
    from docx.opc.coreprops import CoreProperties
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    core = CoreProperties(parse_xml(core_xml))
    for name, source in properties:
        setattr(core, name, property_value(source, context))
    return serialize_part_xml(core._element)


def _shared_headers_or_footers(docx_template: Any, package: Any) -> bool:
    """Whether a header or footer part is the target of more than one relationship."""
    wanted = {docx_template.HEADER_URI, docx_template.FOOTER_URI}
    counts: collections.Counter[str] = collections.Counter()
    for part in package.iter_parts():
        for rel in part.rels.values():
            if not rel.is_external:
                counts[str(rel.target_part.partname)] += 1
    targets = [str(rel.target_part.partname) for rel in docx_template.docx.part.rels.values() if rel.reltype in wanted]
    return any(counts[name] > 1 for name in targets)
