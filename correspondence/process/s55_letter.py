"""The s.55 letter itself: the office's response to the Home Secretary, with Annex A of the
force's updates, drafted once every recommendation has an answer or an update (s.55(5B))."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from correspondence.drafting import phrasing
from correspondence.drafting.annex import record_request
from correspondence.drafting.context import response_context
from correspondence.drafting.drafts import (
    Draft,
    DraftRequest,
    addressee_for,
    check_force,
    draft_letter,
    unanswered_recommendations,
)
from correspondence.organisation.offices import get_office
from correspondence.process.clearance import clearance_state
from correspondence.process.responses import s55_drafts_query
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.limits import fit
from correspondence.records.models import Inspection, Letter, Office
from correspondence.records.shipped_roles import HOME_SECRETARY
from correspondence.records.vocabulary import LetterKind
from correspondence.tracking.inspections import check_after_report, get_inspection


def draft_response(session: Session, inspection_id: int | str, request: DraftRequest) -> Draft:
    """The s.55 response to the Home Secretary, with Annex A of the force's updates."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id, for_letter=True)
    check_force(office, inspection, request.other_force)
    check_after_report(inspection, request.letter_date, field="letter_date")
    missing = unanswered_recommendations(inspection, office, request.letter_date)
    if missing and not request.allow_missing:
        first = f"{inspection.id}:{missing[0]}"
        raise InvalidInput(
            f"inspection {inspection.id} has {phrasing.counted(len(missing), 'recommendation')} with neither an answer "
            f"from {office.short_name} nor an update from the force {_missing_words(inspection, office, missing, request.letter_date)}"
            "; s.55(5B) requires each to be "
            "answered", joined=": ",
            steps=[Step("answer_recommendations", "add the office's answer or the force's update to each, or draft it "
                                                  "marking them as awaiting", finding=first)],
        )
    addressee = addressee_for(session, request, office, default_role=HOME_SECRETARY)
    earlier = _earlier_drafts(session, office, inspection)
    about = inspection.force.name if inspection.force else inspection.title
    subject = request.subject or fit(phrasing.inspection_subject(about, inspection.programme, inspection.published_on.year), Letter.subject)
    draft = draft_letter(
        session, office, request, "response", LetterKind.S55_RESPONSE, addressee, subject,
        lambda letter: response_context(session, inspection, office, **letter),
        inspection=inspection, missing=missing,
        with_letter=lambda letter: record_request(session, inspection, form="docx", made_on=request.letter_date, letter=letter, flush=False),
    )
    if earlier:
        draft.notes.append(earlier)
    return draft


def _earlier_drafts(session: Session, office: Office, inspection: Inspection) -> str:
    """A note when the office already has a draft s.55 response to this report: two drafts of one
    letter are usually one too many, and the next step keeps following the one furthest through
    clearance until the other is deleted. Counted, and only the latest read: drafting many letters
    about one report must not read every earlier draft for each new one."""
    query = s55_drafts_query(office, inspection)
    count = session.scalar(select(func.count()).select_from(query.subquery()))
    if not count:
        return ""
    latest = session.scalars(query.order_by(Letter.letter_date.desc(), Letter.id.desc()).limit(1)).one()
    which = f"{latest.label}, {clearance_state(session, latest).label}"
    return (f"{office.short_name} already has {phrasing.counted(count, 'draft')} of this response "
            f"({which if count == 1 else 'the latest ' + which}); delete the one not wanted")


def _missing_words(inspection: Inspection, office: Office, codes: list[str], on: dt.date) -> str:
    """For the refusal: the recommendations missing, and, for a letter dated before an answer or
    update came, when the first one came (so the date, not the store, is seen to be the reason)."""
    later = []
    for area in inspection.areas:
        if area.code in codes:
            dates = [update.received_on for update in area.current_updates]
            dates += [answer.answered_on for answer in area.answers if answer.office_id == office.id]
            if dates:
                later.append(f"{area.code}'s first came on {long_date(min(dates))}")
    if not later:
        return f"({', '.join(codes)})"
    return f"by the letter's date, {long_date(on)} ({', '.join(codes)}; {', '.join(later)})"
