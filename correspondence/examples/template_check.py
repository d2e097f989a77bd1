"""An office's own template is checked against the bundled example before it is kept.

A template is filled with the example's context for its kind (samples.sample_context), exactly as
a draft would fill it; one that would fail a draft is refused with every problem listed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from correspondence.drafting.office_templates import MAX_BYTES, check_kind, office_template, temporary_docx
from correspondence.drafting.rendering import check_template
from correspondence.examples.samples import sample_context
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Office, OfficeTemplate


def template_problems(data: bytes, kind: str, name: str = "template.docx") -> list[str]:
    """What checking the template would report for this file, as a list (empty: it is sound)."""

    if not data:
        return [f"{name}: is empty"]
    if len(data) > MAX_BYTES:
        return [f"{name}: is {len(data) / 1024 / 1024:.1f} MB; a template may be at most {MAX_BYTES // 1024 // 1024} MB"]
    if not data.startswith(b"PK\x03\x04"):
        return [f"{name}: is not a Word .docx file"]
    with temporary_docx(data) as path:
        try:
            return check_template(path, sample_context(check_kind(kind)))
        except InvalidInput:
            return [f"{name}: cannot be read as a Word .docx file (is it damaged?)"]


def save_template(session: Session, office: Office, kind: str, name: str, data: bytes, today: dt.date) -> OfficeTemplate:
    """Keep ``data`` as the office's template for ``kind``, replacing any earlier one, if it passes the check."""
    kind = check_kind(kind)
    name = Path(name or "template.docx").name[:300]
    problems = template_problems(data, kind, name)
    if problems:
        raise InvalidInput(f"{name} was not saved: " + "; ".join(problems))
    template = office_template(session, office, kind) or OfficeTemplate(office_id=office.id, kind=kind)
    template.file_name = name
    template.file_sha256 = hashlib.sha256(data).hexdigest()
    template.content = base64.b64encode(data).decode("ascii")
    template.uploaded_on = today
    session.add(template)
    session.flush()
    return template
