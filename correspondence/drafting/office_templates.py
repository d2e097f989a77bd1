"""An office's own Word templates, used for its drafts instead of the shipped ones.

A template is checked exactly as checking one by hand does (rendering.check_template with
the bundled example's context) before it is kept; one that would fail a draft is refused with
every problem listed. The file is kept in the store, so every machine drafting for the office
uses the same one and backups carry it.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.drafting.rendering import TEMPLATES
from correspondence.files import gate
from correspondence.records.errors import InvalidInput, NotFound
from correspondence.records.models import Office, OfficeTemplate

KINDS = tuple(TEMPLATES)  # response, followup, annex, invite, chase
KIND_TITLES = {"response": "s.55 response", "followup": "Follow-up letter", "annex": "Annex (findings table)",
               "invite": "Invitation to comment", "chase": "Reminder to comment"}
MAX_BYTES = gate.MAX_TEMPLATE_BYTES  # a letter template with a logo is a few hundred KB (files/gate.py)


def check_kind(kind: str) -> str:
    cleaned = kind.strip().lower().replace("-", "")
    if cleaned not in KINDS:
        raise InvalidInput(f"kind: unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    return cleaned


def remove_template(session: Session, office: Office, kind: str) -> None:
    template = office_template(session, office, check_kind(kind))
    if template is None:
        raise NotFound(f"{office.short_name} has no {kind} template of its own")
    session.delete(template)
    session.flush()


def office_template(session: Session, office: Office, kind: str) -> OfficeTemplate | None:
    return session.scalar(select(OfficeTemplate).where(OfficeTemplate.office_id == office.id, OfficeTemplate.kind == kind))


def list_templates(session: Session, office: Office) -> dict[str, OfficeTemplate | None]:
    found = {t.kind: t for t in session.scalars(select(OfficeTemplate).where(OfficeTemplate.office_id == office.id))}
    return {kind: found.get(kind) for kind in KINDS}


def template_bytes(template: OfficeTemplate) -> bytes:
    return base64.b64decode(template.content)


@contextmanager
def office_template_file(session: Session, office: Office, kind: str) -> Iterator[Path | None]:
    """The office's template for ``kind`` as a file to render from (removed afterwards), or None."""
    template = office_template(session, office, kind)
    if template is None:
        yield None
        return
    with temporary_docx(template_bytes(template), prefix=f"{office.short_name}-{kind}-") as path:
        yield path


@contextmanager
def temporary_docx(data: bytes, prefix: str = "corr-template-") -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        path = Path(folder) / "template.docx"
        path.write_bytes(data)
        yield path
