"""The s.55 letter itself: the office's response to the Home Secretary, with Annex A of the
force's updates, drafted once every recommendation has an answer or an update (s.55(5B))."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from correspondence.drafting import phrasing
from correspondence.drafting.annex import record_request
from correspondence.drafting.comments import RESPONSE_HEADING, RESPONSE_SECTION
from correspondence.drafting.context import response_context
from correspondence.drafting.drafts import (
    Draft,
    DraftRequest,
    addressee_for,
    check_force,
    check_request_date,
    draft_letter,
    report_subject,
    unanswered_recommendations,
    with_comments,
)
from correspondence.organisation.offices import get_office
from correspondence.process.clearance import clearance_state
from correspondence.process.responses import chief_officer_title, s55_drafts_query
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import DEFAULT_CHIEF_OFFICER_TITLE, Inspection, Letter, Office
from correspondence.records.shipped_roles import HOME_SECRETARY
from correspondence.records.vocabulary import LetterKind
from correspondence.tracking.deadline import RESPONSE_PERIOD_DAYS, response_due
from correspondence.tracking.inspections import check_after_report, get_inspection, get_response


def draft_response(session: Session, inspection_id: int | str, request: DraftRequest) -> Draft:
    """The s.55 response to the Home Secretary, with Annex A of the force's updates."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id, for_letter=True)
    check_force(office, inspection, request.other_force)
    check_after_report(inspection, request.letter_date, field="letter_date")
    check_request_date(request, LetterKind.S55_RESPONSE, inspection)  # a date that looks like a slip, asked about first
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
    comments = _comments_by(session, office, inspection, request.letter_date)
    if comments is not None and request.comments is None:
        raise _unanswered_comments(office, inspection, comments, "no paragraphs of the office's were given")
    addressee = addressee_for(session, request, office, default_role=HOME_SECRETARY)
    earlier = _earlier_drafts(session, office, inspection)
    subject = request.subject or report_subject(inspection)  # at most about 12 words, like the other letters about it

    def context(letter: dict[str, Any]) -> dict[str, Any]:
        """The letter's context with the office's paragraphs read into it, which must answer the
        chief officer's comments when they came by the letter's date (s.55(5))."""
        filled = with_comments(session, office, request, response_context(session, inspection, office, **letter), "response")
        if comments is not None and not filled["comments"][RESPONSE_SECTION]:
            raise _unanswered_comments(office, inspection, comments, f"the office's paragraphs have no '# {RESPONSE_HEADING}' section")
        return filled

    draft = draft_letter(
        session, office, replace(request, comments=None), "response", LetterKind.S55_RESPONSE, addressee, subject,
        context,  # the office's paragraphs are read here, once, so the letter can be refused without them
        inspection=inspection, missing=missing,
        with_letter=lambda letter: record_request(session, inspection, form="docx", made_on=request.letter_date, letter=letter, flush=False),
    )
    if earlier:
        draft.notes.append(earlier)
    late = _long_after_last_day(inspection, request.letter_date)
    if late:
        draft.notes.append(late)
    if not inspection.areas:
        # The letter says the report makes no recommendations: true only if none were missed when it
        # was stored (an importer that found none says so, but the letter must not repeat it unseen).
        draft.notes.append("no findings are stored for this report, so the letter says it makes no recommendations and "
                           "identifies no causes of concern or areas for improvement; if the report has any, add them "
                           "and draft again")
    return draft


LONG_AFTER_LAST_DAY = dt.timedelta(days=365)


def _long_after_last_day(inspection: Inspection, letter_date: dt.date) -> str:
    """A warning (not a refusal: an office may record a letter it sent long ago) when the letter is
    dated more than a year after the response's last day: the date may be a slip, and a response
    that late is rarely what the office means."""
    last_day = response_due(inspection.published_on)
    late = letter_date - last_day
    if late <= LONG_AFTER_LAST_DAY:
        return ""
    years = late.days // 365
    how_long = "more than a year" if years == 1 else f"more than {phrasing.number(years)} years"
    return (f"the letter is dated {long_date(letter_date)}, {how_long} after the last day for this response "
            f"({long_date(last_day)}, the {RESPONSE_PERIOD_DAYS}th day from the report's publication); check the date")


def _comments_by(session: Session, office: Office, inspection: Inspection, on: dt.date) -> Letter | None:
    """The chief officer's comments, if they were stored and came by ``on`` (the letter's date)."""
    response = get_response(session, office, inspection)
    comments = response.comments if response is not None else None
    return comments if comments is not None and comments.letter_date <= on else None


def _unanswered_comments(office: Office, inspection: Inspection, comments: Letter, why: str) -> InvalidInput:
    """The refusal of a s.55 letter that does not answer the chief officer's comments, which s.55(5)
    requires the office to publish its response to, as it refuses unanswered recommendations."""
    title = chief_officer_title(office, inspection) or DEFAULT_CHIEF_OFFICER_TITLE
    return InvalidInput(
        f"the {title}'s comments on inspection {inspection.id}, received {long_date(comments.letter_date)}, are not answered "
        f"({why}); s.55(5) requires {office.short_name}'s response to them to be published",
        field="comments",
        steps=[Step("answer_chief_officer", f"write the response under a '# {RESPONSE_HEADING}' heading in the office's paragraphs",
                    heading=f"# {RESPONSE_HEADING}", title=title)],
    )


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
