"""Records as plain dictionaries: what --json prints and what tables are built from."""

from __future__ import annotations

from typing import Any

from correspondence.drafting.context import lines
from correspondence.records.figures import describe_measure, quotable, quote_state
from correspondence.records.models import (
    Event,
    Force,
    ForceUpdate,
    Inspection,
    Letter,
    Measure,
    Meeting,
    Office,
    OfficeAddress,
    OfficeAnswer,
    RoleHolder,
    User,
)
from correspondence.records.store import jsonable


def force_view(force: Force) -> dict[str, Any]:
    return {"id": force.id, "name": force.name, "chief_officer_title": force.chief_officer_title}


def office_view(office: Office) -> dict[str, Any]:
    return {
        "id": office.id,
        "short_name": office.short_name,
        "name": office.name,
        "address": office.address,
        "signatory_name": office.signatory_name,
        "signatory_title": office.signatory_title,
        "reference_scheme": office.reference_scheme,
        "date_format": office.date_format,
        "letterhead": office.letterhead,
        "force": office.force.name if office.force else None,
        "dated_addresses": [address_view(address) for address in office.addresses],
        "reply_by_days": office.reply_by_days,
        "require_approval": office.require_approval,
        "mirror_folder": office.letters_dir,  # where copies of its files go, if anywhere
    }


def address_view(address: OfficeAddress) -> dict[str, Any]:
    return {"address": address.address, "from": jsonable(address.starts_on), "until": jsonable(address.ends_on)}


def inspection_summary(inspection: Inspection) -> dict[str, Any]:
    return {
        "id": inspection.id,
        "force": inspection.force.name if inspection.force else None,  # None: a national report
        "programme": inspection.programme,
        "title": inspection.title,
        "published_on": jsonable(inspection.published_on),
        "overall_grade": jsonable(inspection.overall_grade),
        "judgments": len(inspection.judgments),
        "measures": len(inspection.measures),
        "areas": len(inspection.areas),
    }


def inspection_view(inspection: Inspection) -> dict[str, Any]:
    return {
        **inspection_summary(inspection),
        "source_url": inspection.source_url,
        "judgments": [{"question": j.question, "grade": jsonable(j.grade) or "not graded"} for j in inspection.judgments],
        "measures": [
            {
                "name": m.name,
                "rate": jsonable(m.rate),
                "ci_half_width": jsonable(m.ci_half_width),
                "numerator": m.numerator,
                "denominator": m.denominator,
                "estimate_per_year": m.estimate_per_year,
                "estimate_label": m.estimate_label,
                "national_average": jsonable(m.national_average),
                "text": describe_measure(m),
                "phrase": m.phrase,  # the words letters name it by, once confirmed (None: not confirmed)
                "period": m.period,  # an earlier period's figure (None: the report's own)
                "chosen": bool(m.quoted),  # the office chose it for its letters
                "quoted": quotable(m),  # letters quote it: chosen, its phrase confirmed, the report's own period
                "state": figure_state(m),
            }
            for m in inspection.measures
        ],
        "areas": [
            {
                "code": a.code,
                "kind": jsonable(a.kind),
                "number": a.number,
                "text": a.text,
                "timescale": a.timescale,
                "for": jsonable(a.for_whom) or "force",  # whom it asks to act (tracking.finding_for)
                "for_name": a.for_name,
                "latest_update": update_view(a.latest_update) if a.latest_update else None,
                "answers": [answer_view(answer) for answer in a.answers],
            }
            for a in inspection.areas
        ],
    }


def figure_state(measure: Measure) -> str:
    """Whether letters quote the figure, and if not why, as 'corr inspection show' says it."""
    return {"quoted": "quoted", "earlier period": f"not quoted: for {measure.period}, not the report's own period",
            "awaiting phrase": "chosen, not quoted until its phrase is confirmed",
            "not chosen": "not chosen"}[quote_state(measure)]


def update_view(update: ForceUpdate) -> dict[str, Any]:
    return {"status": jsonable(update.status), "text": update.text, "received_on": jsonable(update.received_on)}


def answer_view(answer: OfficeAnswer) -> dict[str, Any]:
    return {"office": answer.office.short_name, "no_action": answer.no_action, "text": answer.text,
            "answered_on": jsonable(answer.answered_on)}


def meeting_view(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "office": meeting.office.short_name,
        "force": meeting.force.name if meeting.force else None,
        "title": meeting.title,
        "held_on": jsonable(meeting.held_on),
        "themes": lines(meeting.themes),
        "correspondence_issues": lines(meeting.correspondence_issues),
        "other_issues": lines(meeting.other_issues),
        "actions": [
            {
                "number": a.number,
                "action": a.action,
                "timing": a.timing,
                "lead": a.lead,
                "status": jsonable(a.status),
                "due_on": jsonable(a.due_on),
            }
            for a in meeting.actions
        ],
    }


def letter_view(letter: Letter) -> dict[str, Any]:
    return {
        "id": letter.id,
        "office": letter.office.short_name,
        "reference": letter.reference,
        "direction": jsonable(letter.direction),
        "date": jsonable(letter.letter_date),
        "status": jsonable(letter.status),
        "kind": jsonable(letter.kind),
        "sender": letter.sender,
        "addressee_name": letter.addressee_name,
        "addressee_role": letter.addressee_role,
        "addressee_address": letter.addressee_address,
        "cc": letter.cc,
        "subject": letter.subject,
        "force": letter.force.name if letter.force else None,
        "inspection_id": letter.inspection_id,
        "meeting_id": letter.meeting_id,
        "file_sha256": letter.file_sha256,
        "sent_on": jsonable(letter.sent_on),
    }


def role_view(holder: RoleHolder) -> dict[str, Any]:
    return {
        "role": holder.role,
        "name": holder.name,
        "title": holder.title or holder.role,
        "salutation": holder.salutation,
        "address": holder.address,
        "starts_on": jsonable(holder.starts_on),
        "ends_on": jsonable(holder.ends_on),
        "office": holder.office.short_name if holder.office else None,
    }


def event_view(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "occurred_at": jsonable(event.occurred_at),
        "actor": event.actor,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "change": event.change,
        "data": event.data,
    }


def user_view(user: User) -> dict[str, Any]:
    """A user as lists show them; never the password hash, only whether one is set."""
    return {
        "id": user.id,
        "name": user.name,
        "full_name": user.full_name,
        "office": user.office.short_name,
        "role": user.role.value,
        "email": user.email,
        "can_log_in": bool(user.password_hash) and user.active,
        "active": user.active,
        "morning_email": user.morning_email,
    }
