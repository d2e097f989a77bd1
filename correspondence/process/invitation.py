"""The invitation to comment (s.55(4)) and the reminder: the first step of the s.55 process.

The office asks the chief officer for comments by a reply-by date, with the findings table to fill
in; once that date has passed without comments, it may send a reminder. Both are drafted as
letters, and the response record keeps the invitation and its reply-by date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from correspondence.drafting import phrasing
from correspondence.drafting.annex import record_request
from correspondence.drafting.context import area_block, area_groups, finding_counts, inspection_block, letter_context
from correspondence.drafting.drafts import check_force, check_request_date, draft_letter, report_subject
from correspondence.organisation import roles
from correspondence.organisation.offices import get_office
from correspondence.organisation.users import require_role
from correspondence.process.responses import chief_officer_title, open_response, sent_invitation
from correspondence.records.dates import format_date, long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput, NotFound, Step
from correspondence.records.models import ImprovementArea, Inspection, Letter, Office
from correspondence.records.vocabulary import AreaKind, LetterKind, ResponseStage, UserRole
from correspondence.tracking.deadline import response_due
from correspondence.tracking.finding_for import for_label, is_for_force
from correspondence.tracking.inspections import check_after_report, get_inspection, get_response

LATE_REPLY_DAYS = 7  # a week, for comments invited once the 56 days have run out


def default_reply_by(office: Office, inspection: Inspection, letter_date: dt.date | None = None) -> dt.date:
    """The date the chief officer is asked to comment by: the office's usual days after the report's
    publication; for an invitation written after that, halfway from the letter to the last day (time
    left to answer the comments); once the last day has passed, a week after the letter."""
    usual = inspection.published_on + dt.timedelta(days=office.reply_by_days)
    if letter_date is None or usual > letter_date:
        return usual
    last_day = response_due(inspection.published_on)
    if letter_date >= last_day:
        return letter_date + dt.timedelta(days=LATE_REPLY_DAYS)
    return letter_date + dt.timedelta(days=max(1, (last_day - letter_date).days // 2))


def check_reply_by(reply_by: dt.date, letter_date: dt.date, inspection: Inspection) -> dt.date:
    last_day = response_due(inspection.published_on)
    if reply_by > last_day and letter_date < last_day:  # once the last day has passed, any later date will do
        raise InvalidInput(
            f"{long_date(reply_by)} is after {long_date(last_day)}, the last day for publishing the "
            f"response to inspection {inspection.id} (56 days from its publication on {long_date(inspection.published_on)})",
            field="reply_by",
        )
    if reply_by <= letter_date:
        raise InvalidInput(f"{long_date(reply_by)} is not after the letter's date, {long_date(letter_date)}", field="reply_by")
    return reply_by


def invite(session: Session, inspection_id: int | str, request: Any, reply_by: dt.date | None = None) -> Any:
    """The invitation to the chief officer to comment, drafted with the findings table to fill in,
    and open the office's response record with its reply-by date. ``request`` is a DraftRequest."""

    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    require_role(session, office, UserRole.DRAFTER)
    check_force(office, inspection, request.other_force)
    response = get_response(session, office, inspection)
    if response is not None and response.invitation is not None:
        invitation = response.invitation
        state = f"sent {long_date(invitation.sent_on)}" if invitation.sent_on else "a draft"
        if invitation.sent_on:
            step = Step("chase", "chase the comments instead", inspection=inspection.id)
        else:
            step = Step("send_or_delete_draft", "record it as sent, or withdraw the draft", letter=invitation.label)
        raise InvalidInput(
            f"{office.short_name} already invited comments on inspection {inspection.id}: {invitation.label} of "
            f"{long_date(invitation.letter_date)} ({state}), reply by {long_date(response.reply_by)}", steps=[step]
        )
    check_after_report(inspection, request.letter_date, field="letter_date")
    check_request_date(request, LetterKind.INVITATION, inspection)  # a date that looks like a slip, before the reply-by date
    if reply_by is None:
        reply_by = default_reply_by(office, inspection, request.letter_date)
    check_reply_by(reply_by, request.letter_date, inspection)
    addressee = _chief_officer(session, office, inspection, request)
    subject = request.subject or report_subject(inspection, "your comments")
    draft = draft_letter(
        session, office, request, "invite", LetterKind.INVITATION, addressee, subject,
        lambda letter: invitation_context(session, inspection, office, reply_by=reply_by, **letter),
        inspection=inspection,
    )

    record_request(session, inspection, form="docx", made_on=request.letter_date, letter_id=draft.letter_id,  # what it pre-filled
                   areas=[area for area in inspection.areas if is_for_force(area)])
    response = open_response(session, office, inspection, ResponseStage.INVITATION_DRAFTED)
    response.invitation_id, response.reply_by = draft.letter_id, reply_by
    session.flush()
    return draft


def chase(session: Session, inspection_id: int | str, request: Any, reply_by: dt.date | None = None) -> Any:
    """Draft a reminder to the chief officer, once the reply-by date has passed without comments."""

    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    require_role(session, office, UserRole.DRAFTER)
    response = get_response(session, office, inspection)
    invitation = sent_invitation(office, inspection, response)
    assert response is not None and response.reply_by is not None
    if response.comments is not None:
        raise InvalidInput(
            f"the chief officer's comments on inspection {inspection.id} were received on "
            f"{long_date(response.comments.letter_date)}; there is nothing to chase"
        )
    if request.letter_date <= response.reply_by:
        raise InvalidInput(
            f"the chief officer has until {long_date(response.reply_by)} to comment (invitation {invitation.label}); "
            f"a reminder can be dated from {long_date(response.reply_by + dt.timedelta(days=1))}"
        )
    check_request_date(request, LetterKind.REMINDER, inspection)
    if reply_by is not None:
        check_reply_by(reply_by, request.letter_date, inspection)
    addressee = request.addressee or roles.Addressing(
        name=invitation.addressee_name, role=invitation.addressee_role, address=invitation.addressee_address,
        salutation=_salutation_of(session, invitation, office),
    )
    subject = request.subject or report_subject(inspection, "your comments, a reminder")
    return draft_letter(
        session, office, request, "chase", LetterKind.REMINDER, addressee, subject,
        lambda letter: invitation_context(session, inspection, office, reply_by=response.reply_by, invitation=invitation,
                                          chase_by=reply_by, **letter),
        inspection=inspection,
    )


def invitation_context(session: Session, inspection: Inspection, office: Office, *, reply_by: dt.date,
                       invitation: Letter | None = None, chase_by: dt.date | None = None, **letter: Any) -> dict[str, Any]:
    """What the invitation and reminder templates are filled from: the letter's parts, the report,
    its findings with the latest update held on each by the letter's date, and the dates of the process."""

    date_format = office.date_format
    context = letter_context(office, **letter)
    # A form the force fills in: a finding with no update yet leaves its Update cell empty for the
    # force's words, rather than saying "Awaiting an update from the force" to the force itself.
    # Only the force's findings: one for the Home Office, the College or the office itself is not
    # the force's to answer (the letter says how many there are, and for whom).
    theirs = [area for area in inspection.areas if is_for_force(area)]
    areas = [{**area_block(area, date_format, office, on=letter["letter_date"]), "awaiting": ""} for area in theirs]
    counts = finding_counts(theirs)
    title = chief_officer_title(office, inspection) or "Chief Officer"
    context.update({
        "force": {"name": inspection.force.name if inspection.force else "", "chief_officer_title": title},
        "inspection": inspection_block(inspection, date_format),
        "areas": areas,
        "area_groups": area_groups(areas, counts),
        "area_summary": phrasing.findings_list(counts),
        "has_recommendations": any(area.kind is AreaKind.RECOMMENDATION for area in theirs),
        "other_findings": others_sentence(inspection.areas, office),
        "reply_by": format_date(reply_by, date_format),
        "reply_by_iso": reply_by.isoformat(),
        "last_day": format_date(response_due(inspection.published_on), date_format),
        "invitation": {
            "reference": invitation.label if invitation else "",
            "date": format_date(invitation.letter_date, date_format) if invitation else "",
        },
        "chase_by": format_date(chase_by, date_format) if chase_by else "",
    })
    return context


def others_sentence(areas: list[ImprovementArea], office: Office) -> str:
    """The findings the force is not asked about, said once: "The report also has two
    recommendations for the Home Office and one recommendation for the College of Policing, which
    this letter does not ask you about." Empty when every finding is the force's."""
    groups: dict[str, dict[AreaKind, int]] = {}
    for area in areas:
        if is_for_force(area):
            continue
        label = for_label(area.for_whom, area.for_name, office="me as the policing body")
        groups.setdefault(label, {kind: 0 for kind in AreaKind})[area.kind] += 1
    if not groups:
        return ""
    parts = [f"{phrasing.findings_list(counts)} for {label}" for label, counts in groups.items()]
    also = " also" if any(is_for_force(area) for area in areas) else ""
    return f"The report{also} has {phrasing.join(parts)}, which this letter does not ask you about."


def process_template_context(session: Session, kind: str, inspection_id: int | str, request: Any, letter: dict[str, Any]) -> dict[str, Any]:
    """The context an invitation ("invite") or reminder ("chase") would get, for listing a template's context."""
    office = get_office(session, request.office)
    inspection = get_inspection(session, inspection_id)
    response = get_response(session, office, inspection)
    letter["addressee"] = _chief_officer(session, office, inspection, request)
    reply_by = response.reply_by if response is not None and response.reply_by else default_reply_by(office, inspection)
    invitation = response.invitation if response is not None and kind == "chase" else None
    return invitation_context(session, inspection, office, reply_by=reply_by, invitation=invitation, **letter)


def _chief_officer(session: Session, office: Office, inspection: Inspection, request: Any) -> roles.Addressing:
    """The named chief officer on the letter's date (not just "Chief Constable")."""
    if request.addressee is not None:
        return request.addressee
    role = request.to_role or chief_officer_title(office, inspection)
    if role is None:
        raise InvalidInput(
            f"inspection {inspection.id} is a national report and {office.short_name} oversees no force",
            steps=[Step("name_chief_officer", "name the chief officer")], joined=": ",
        )
    try:
        return roles.addressing(session, role, request.letter_date, office)
    except NotFound as error:
        raise InvalidInput(error.refusal, steps=[Step("add_role_holder", "add the holder", role=role, office=office.short_name, example=True),
                                                 Step("or_name_chief_officer", "or name the chief officer")]) from None


def _salutation_of(session: Session, invitation: Letter, office: Office) -> str:
    try:
        holder = roles.holder_on(session, invitation.addressee_role, invitation.letter_date, office)
    except CorrespondenceError:
        return ""
    return holder.salutation if holder.name == invitation.addressee_name else ""
