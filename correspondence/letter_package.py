"""Writing a letter's .docx straight from a template read once, without python-docx at draft time.

docxtpl opens the template with python-docx for every letter (every part parsed, the package's
relationships walked), fills it, and saves it through python-docx again (every part serialised,
the content types rebuilt): for the same template that is the same work every letter, and it
cost most of the file's part of a draft. Here a template is read once per process (``prepare``):
the package exactly as python-docx would write it unrendered (its members, in python-docx's
order, with its [Content_Types].xml and relationships), and the Jinja source docxtpl prepares
from the body, headers, footers and core properties. For each letter (``fill``) only those parts
are rendered, with docxtpl's own methods and in its order, and the zip is written with every
other member copied as it is.

What a letter holds is what docxtpl writes, part for part (tests/test_letter_package.py compares
the two on every shipped template, the bundled example, hostile values and an office template
with headers and footers):
- the body: rendered, then docxtpl's post-processing (resolve_listing, fix_tables, which parses
  with lxml's recovering parser, fix_docpr_ids numbering from 1001), placed in the template's
  own w:document element and serialised as python-docx serialises it;
- headers and footers: rendered, then parsed and serialised as python-docx does when docxtpl
  puts them back;
- footnotes: rendered once per section of the rendered body, as docxtpl does (it renders them
  in a loop over the sections);
- core properties: set through python-docx's own CoreProperties, in rendering.py's order.

A template this path cannot write exactly as docxtpl would is left to docxtpl (``prepare``
returns None, and rendering.render_to takes its docxtpl path): a template without core
properties (python-docx makes them, stamped with the time, as it saves) and one whose header or
footer part is shared by several relationships (docxtpl would write it twice). A context holding
docxtpl's own objects (subdocuments, inline images, rich text with links), which add parts and
relationships as they render, cannot reach render_to: each is made for one DocxTemplate object,
and render_to opens its own (the context is text, dates, numbers and Markup: context.py).
"""

from __future__ import annotations

import collections
import hashlib
import io
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

TEMPLATES_KEPT = 16  # templates read and kept per process (each is about its own size in memory)
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


@dataclass(frozen=True)
class Prepared:
    """A template read once: what python-docx would write for it unrendered, and the Jinja
    source docxtpl prepares from the parts a letter changes."""

    members: tuple[tuple[str, bytes], ...]  # (zip name, bytes) in python-docx's order
    document_part: str  # zip name of the main document part, word/document.xml
    document_shell: bytes  # that part with an empty w:body, where the rendered body goes
    body_source: str  # the body as Jinja source (docxtpl's patch_xml)
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
    ``open_template`` opens it as rendering._open does (the same checks and one-line errors)."""
    data = template.read_bytes()
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

    from correspondence.rendering import CORE_PROPERTIES

    document = docx_template.docx
    package = document.part.package
    core_rels = [rel for rel in package.rels.values() if rel.reltype == RT.CORE_PROPERTIES and not rel.is_external]
    if not core_rels:
        return None
    if _shared_headers_or_footers(docx_template, package):
        return None
    core = document.core_properties
    properties = tuple((name, getattr(core, name) or "") for name in CORE_PROPERTIES)

    body_source = docx_template.patch_xml(docx_template.get_xml())
    headers_footers = []
    for uri in (docx_template.HEADER_URI, docx_template.FOOTER_URI):
        for _, part in docx_template.get_headers_footers(uri):
            headers_footers.append((part.partname.membername, docx_template.patch_xml(docx_template.get_part_xml(part))))
    footnotes = tuple(part.partname.membername for part in package.iter_parts() if part.content_type == FOOTNOTES_TYPE)

    saved = io.BytesIO()
    document.save(saved)  # what python-docx writes for this template: order, content types, relationships
    with zipfile.ZipFile(saved) as archive:
        members = tuple((name, archive.read(name)) for name in archive.namelist())
    document_part = document.part.partname.membername
    return Prepared(members, document_part, _shell(dict(members)[document_part]), body_source,
                    tuple(headers_footers), footnotes, core_rels[0].target_part.partname.membername, properties)


def fill(template: Prepared, context: dict[str, Any], docx_template_class: type) -> tuple[dict[str, bytes], Any]:
    """The parts a letter changes, rendered as docxtpl renders them, and the rendered w:body.

    ``context`` is already cleaned (limits.clean_context); Jinja and lxml errors propagate, for
    rendering.render_to to report as it reports docxtpl's."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    from correspondence.rendering import jinja_env

    env = jinja_env()
    renderer = docx_template_class(None)  # only docxtpl's methods are used: no package is opened
    renderer.docx_ids_index = 1000  # as DocxTemplate.render_init
    renderer.current_rendering_part = None
    changed: dict[str, bytes] = {}

    body = renderer.fix_tables(renderer.render_xml_part(template.body_source, None, context, env))
    renderer.fix_docpr_ids(body)
    root = parse_xml(template.document_shell)
    root.replace(root[_body_index(root)], body)  # as docxtpl's map_tree
    changed[template.document_part] = serialize_part_xml(root)

    for name, source in template.headers_footers:
        xml = renderer.render_xml_part(source, None, context, env).encode("utf-8")
        changed[name] = serialize_part_xml(parse_xml(xml))  # as XmlPart.load, then python-docx's save

    members = dict(template.members)
    sections = len(root.sectPr_lst)  # as python-docx counts document.sections
    for name in template.footnotes:
        blob = members[name]
        for _ in range(sections):  # docxtpl renders the footnotes once for each section
            blob = renderer.render_xml_part(renderer.patch_xml(blob.decode("utf-8")), None, context, env).encode("utf-8")
        changed[name] = blob

    changed[template.core_part] = _core_properties(members[template.core_part], template.properties, context)
    return changed, body


def write(template: Prepared, changed: dict[str, bytes], file: BinaryIO) -> None:
    """The letter's zip, written as python-docx writes one: same members in the same order,
    deflated, with the changed parts in place of the template's."""
    with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in template.members:
            archive.writestr(name, changed.get(name, data))


_W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_BODY = "{%s}body" % _W["w"]


def _body_index(root: Any) -> int:
    return next(index for index, child in enumerate(root) if child.tag == _BODY)


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
    """docProps/core.xml as rendering._render_document leaves it: each property emptied (docxtpl
    then renders the empty text), then set to its own text rendered without escaping and cut to
    Word's 255 characters, through python-docx's CoreProperties."""
    from docx.opc.coreprops import CoreProperties
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml.parser import parse_xml

    from correspondence.rendering import property_value

    core = CoreProperties(parse_xml(core_xml))
    for name, _ in properties:
        setattr(core, name, "")
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
