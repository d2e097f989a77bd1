"""Sample data for checking templates without touching anyone's database.

``corr template check`` fills a template with the bundled example's context (in a throwaway
in-memory database), so every name a template uses is tried against real values.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.errors import InvalidInput
from correspondence.inspections import get_inspection
from correspondence.meetings import get_meeting
from correspondence.models import Office


def sample_context(kind: str) -> dict[str, Any]:
    from correspondence.drafting import DraftRequest, template_context
    from correspondence.example import load_example
    from correspondence.store import Store

    store = Store("sqlite://")
    store.migrate()
    try:
        with tempfile.TemporaryDirectory(prefix="corr-sample-") as scratch, store.transaction() as session:
            from correspondence.roles import ensure_shipped_roles

            ensure_shipped_roles(session)
            example = load_example(session, Path(scratch))
            request = DraftRequest(office=example.office.short_name, letter_date=dt.date(2018, 9, 7), today=dt.date(2018, 9, 6))
            record = example.meeting.id if kind == "followup" else example.inspection.id
            if kind == "followup":
                request.letter_date = dt.date(2022, 5, 4)
            return template_context(session, kind, record, request)
    finally:
        store.dispose()


def office_for(session: Session, kind: str, record: str) -> str:
    """The office a context is for when none is named: the meeting's, or the one office
    overseeing the inspected force."""
    if kind == "followup":
        return get_meeting(session, record).office.short_name
    inspection = get_inspection(session, record)
    overseeing = list(session.scalars(select(Office).where(Office.force_id == inspection.force_id)))
    if len(overseeing) != 1:
        raise InvalidInput(f"say which office with --office: {len(overseeing)} offices oversee {inspection.force.name}")
    return overseeing[0].short_name
