"""Letter references: the rule that an office never uses the same reference twice.

Every outgoing reference goes into the issued_references ledger, which a trigger keeps
append-only. Two references are the same if they differ only in case or spacing, because
"mopac06092018-d2188" typed by hand is the reference printed as "MOPAC06092018-D2188".
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from correspondence.errors import InvalidInput
from correspondence.models import IssuedReference, Office

MAX_LENGTH = 100


def reference_key(reference: str) -> str:
    return re.sub(r"\s+", "", reference).upper()


def clean_reference(reference: str) -> str:
    cleaned = " ".join(reference.split())
    if not cleaned:
        raise InvalidInput("reference: must not be empty")
    if len(cleaned) > MAX_LENGTH:
        raise InvalidInput(f"reference: longer than {MAX_LENGTH} characters")
    return cleaned


def is_issued(session: Session, office: Office, reference: str) -> bool:
    query = select(IssuedReference.id).where(
        IssuedReference.office_id == office.id,
        IssuedReference.reference_key == reference_key(reference),
    )
    return session.scalar(query) is not None


def reserve(session: Session, office: Office, reference: str) -> str:
    """Spend ``reference`` for ``office`` or refuse because it was used before."""
    reference = clean_reference(reference)
    if is_issued(session, office, reference):
        raise InvalidInput(f"reference {reference} has already been used by {office.short_name}; references are never reused")
    entry = IssuedReference(office_id=office.id, reference=reference, reference_key=reference_key(reference))
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError as error:  # someone else spent it between our check and our insert
        raise InvalidInput(f"reference {reference} has just been used by {office.short_name}") from error
    return reference
