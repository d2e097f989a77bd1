"""An office's own template is checked against the bundled example before it is kept.

A template is filled with the example's context for its kind (samples.sample_context), exactly as
a draft would fill it; one that would fail a draft is refused with every problem listed.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from correspondence.drafting.office_templates import check_kind, office_template, temporary_docx
from correspondence.drafting.rendering import check_template
from correspondence.examples.samples import sample_context
from correspondence.files import gate
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Office, OfficeTemplate


def template_problems(data: bytes, kind: str, name: str = "template.docx") -> list[str]:
    """What checking the template would report for this file, as a list (empty: it is sound)."""

    try:
        gate.admit(data, gate.TEMPLATE, name=name)  # files/gate.py: size, a Word file by its content, its package safe
    except InvalidInput as refused:
        return [refused.refusal]
    with temporary_docx(data) as path:
        try:
            return check_template(path, sample_context(check_kind(kind)))
        except InvalidInput:
            return [f"{name}: cannot be read as a Word .docx file (is it damaged?)"]


@dataclass(frozen=True)
class CheckedTemplate:
    """A template that passed the check, ready to keep: check it before opening the transaction
    that keeps it, so filling it in (up to the template budget, drafting/bounded.py) holds no lock."""

    kind: str
    name: str
    data: bytes


def checked_template(kind: str, name: str, data: bytes) -> CheckedTemplate:
    """``data`` as a template for ``kind`` that passed the check, or the refusal listing every problem."""
    kind = check_kind(kind)
    name = Path(name or "template.docx").name[:300]
    problems = template_problems(data, kind, name)
    if problems:
        raise InvalidInput(f"{name} was not saved: " + "; ".join(problems))
    return CheckedTemplate(kind, name, data)


def keep_template(session: Session, office: Office, checked: CheckedTemplate, today: dt.date) -> OfficeTemplate:
    """Keep a checked template as the office's template for its kind, replacing any earlier one."""
    template = office_template(session, office, checked.kind) or OfficeTemplate(office_id=office.id, kind=checked.kind)
    template.file_name = checked.name
    template.file_sha256 = hashlib.sha256(checked.data).hexdigest()
    template.content = base64.b64encode(checked.data).decode("ascii")
    template.uploaded_on = today
    session.add(template)
    session.flush()
    return template

