"""The exact context a template of each kind would be filled from, for a real record: what
checking a template and the template context listing show."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.drafting.context import followup_context, response_context
from correspondence.drafting.drafts import DraftRequest, addressee_for, with_comments
from correspondence.organisation.offices import get_office
from correspondence.process.invitation import process_template_context
from correspondence.records.errors import InvalidInput, named
from correspondence.records.models import Office
from correspondence.records.shipped_roles import HOME_SECRETARY
from correspondence.tracking.actions import open_actions_before
from correspondence.tracking.inspections import get_inspection
from correspondence.tracking.meetings import get_meeting


def template_context(session: Session, kind: str, record_id: int | str, request: DraftRequest) -> dict[str, Any]:
    """The exact context a draft of ``kind`` would get, with a placeholder reference."""
    office = get_office(session, request.office)
    letter = {"reference": "REFERENCE", "letter_date": request.letter_date, "cc": request.cc or "", "subject": request.subject or ""}
    if kind in ("invite", "chase"):

        return process_template_context(session, kind, record_id, request, letter)
    if kind == "followup":
        meeting = get_meeting(session, record_id)
        letter["addressee"] = addressee_for(session, request, office, default_role=meeting.chief_officer_title)
        context = followup_context(meeting, office, carried=open_actions_before(session, meeting), **letter)
    else:
        inspection = get_inspection(session, record_id)
        letter["addressee"] = addressee_for(session, request, office, default_role=HOME_SECRETARY)
        context = response_context(session, inspection, office, **letter)
    return with_comments(session, office, request, context, kind)


def office_for(session: Session, kind: str, record: str) -> str:
    """The office a context is for when none is named: the meeting's, or the one office
    overseeing the inspected force."""
    if kind == "followup":
        return get_meeting(session, record).office.short_name
    inspection = get_inspection(session, record)
    if inspection.force_id is None:  # a national report: any office may answer it
        overseeing = list(session.scalars(select(Office)))
        if len(overseeing) != 1:
            raise InvalidInput(f"say which office with {named('office')}: inspection {inspection.id} is a national report and "
                               f"{len(overseeing)} offices are set up")
    else:
        overseeing = list(session.scalars(select(Office).where(Office.force_id == inspection.force_id)))
    if len(overseeing) != 1:
        raise InvalidInput(f"say which office with {named('office')}: {len(overseeing)} offices oversee "
                           f"{inspection.force.name if inspection.force else 'its force'}")
    return overseeing[0].short_name
