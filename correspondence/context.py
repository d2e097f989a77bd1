"""The data each template is filled from.

This is the contract with template authors: every name here is documented in the README
("Template context") and ``corr template context`` prints it for a real inspection. Values are
ready to print (dates in the office's style, grades capitalised, rates with their intervals),
so a template needs no logic beyond loops and ifs. Multi-line values such as addresses are lists
of lines, because a newline inside a Word run is not a line break. No key is named like a dict
method (update, items, keys, values): Jinja would find the method instead of the value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.dates import format_date
from correspondence.deadlines import response_due
from correspondence.figures import count_of, describe_measure, percent, rate_with_interval, whole
from correspondence.models import Action, ImprovementArea, Inspection, Measure, Meeting, Office
from correspondence.roles import Addressing
from correspondence.views import lines
from correspondence.vocabulary import AreaKind

AWAITING_UPDATE = "Awaiting an update from the force"


def letter_context(
    office: Office, *, reference: str, letter_date: dt.date, addressee: Addressing, subject: str, cc: str
) -> dict[str, Any]:
    """The parts every letter shares: letterhead, addressee, date, reference, signature."""
    salutation = addressee.salutation or (f"Dear {addressee.role}" if addressee.role else f"Dear {addressee.name}")
    return {
        "office": {
            "name": office.name,
            "short_name": office.short_name,
            "address_lines": lines(office.address),
            "letterhead_lines": lines(office.letterhead),
            "signatory_name": office.signatory_name,
            "signatory_title": office.signatory_title,
        },
        "reference": reference,
        "date": format_date(letter_date, office.date_format),
        "date_iso": letter_date.isoformat(),
        "addressee": {
            "name": addressee.name,
            "role": addressee.role,
            "address_lines": lines(addressee.address),
        },
        "salutation": salutation,
        "subject": subject,
        "cc": cc,
    }


def response_context(session: Session, inspection: Inspection, office: Office, **letter: Any) -> dict[str, Any]:
    """Everything the s.55 response and its Annex A quote from the store."""
    date_format = office.date_format
    previous = _previous_inspection(session, inspection)
    context = letter_context(office, **letter)
    context.update(
        {
            "force": {"name": inspection.force.name, "chief_officer_title": inspection.force.chief_officer_title}
            if inspection.force else {"name": "", "chief_officer_title": ""},  # a national report
            "inspection": _inspection_block(inspection, date_format),
            "judgments": [
                {"question": j.question, "grade": j.grade.value, "grade_title": _title(j.grade.value)}
                for j in inspection.judgments
            ],
            "measures": [_measure_block(m) for m in inspection.measures],
            "previous": _inspection_block(previous, date_format) if previous else None,
            "comparisons": _comparisons(inspection, previous) if previous else [],
            "areas": [area_block(area, date_format) for area in inspection.areas],
            "area_summary": _area_summary(inspection.areas),
        }
    )
    return context


def annex_context(session: Session, inspection: Inspection, office: Office, **letter: Any) -> dict[str, Any]:
    """The annex-only document uses the response's context: same areas, same updates."""
    return response_context(session, inspection, office, **letter)


def followup_context(meeting: Meeting, office: Office, carried: list[Action] | None = None, **letter: Any) -> dict[str, Any]:
    """The follow-up letter after an oversight meeting, its annex of actions, and the actions of
    earlier meetings still open (``carried``), which the annex carries forward."""
    date_format = office.date_format
    context = letter_context(office, **letter)
    context.update(
        {
            "force": {
                "name": meeting.force.name if meeting.force else "",
                "chief_officer_title": meeting.chief_officer_title,
            },
            "meeting": {
                "id": meeting.id,
                "title": meeting.title,
                "held_on": format_date(meeting.held_on, date_format),
                "themes": lines(meeting.themes),
                "correspondence_issues": lines(meeting.correspondence_issues),
                "other_issues": lines(meeting.other_issues),
            },
            "actions": [
                {
                    "number": action.number,
                    "action": action.action,
                    "timing": action.timing,
                    "lead": action.lead,
                    "status": action.status.value,
                    "due": format_date(action.due_on, date_format) if action.due_on else "",
                }
                for action in meeting.actions
            ],
            "carried_actions": [
                {
                    "meeting": action.meeting.title,
                    "held_on": format_date(action.meeting.held_on, date_format),
                    "number": action.number,
                    "action": action.action,
                    "timing": action.timing,
                    "lead": action.lead,
                    "due": format_date(action.due_on, date_format) if action.due_on else "",
                }
                for action in carried or []
            ],
        }
    )
    return context


def area_block(area: ImprovementArea, date_format: str) -> dict[str, Any]:
    latest = area.latest_update
    return {
        "code": area.code,
        "kind": area.kind.value,
        "kind_title": _title(area.kind.value),
        "number": area.number,
        "text": area.text,
        "timescale": area.timescale or "",
        "status": _title(latest.status.value) if latest else "",
        "update_text": latest.text if latest else "",
        "update_date": format_date(latest.received_on, date_format) if latest else "",
        "awaiting": "" if latest else AWAITING_UPDATE,
    }


def _inspection_block(inspection: Inspection, date_format: str) -> dict[str, Any]:
    grade = inspection.overall_grade.value if inspection.overall_grade else ""
    return {
        "id": inspection.id,
        "title": inspection.title,
        "programme": inspection.programme,
        "published": format_date(inspection.published_on, date_format),
        "published_iso": inspection.published_on.isoformat(),
        "response_due": format_date(response_due(inspection.published_on), date_format),
        "overall_grade": grade,
        "overall_grade_title": _title(grade),
        "source_url": inspection.source_url or "",
    }


def _measure_block(measure: Measure) -> dict[str, Any]:
    has_count = measure.numerator is not None and measure.denominator is not None
    return {
        "name": measure.name,
        "text": describe_measure(measure),
        "rate": rate_with_interval(measure.rate, measure.ci_half_width) if measure.rate is not None else "",
        "count": count_of(measure.numerator, measure.denominator) if has_count else "",
        "estimate": whole(measure.estimate_per_year) if measure.estimate_per_year is not None else "",
        "estimate_label": measure.estimate_label or "",
        "national_average": percent(measure.national_average) if measure.national_average is not None else "",
    }


def _previous_inspection(session: Session, inspection: Inspection) -> Inspection | None:
    return session.scalar(
        select(Inspection)
        .where(
            Inspection.force_id == inspection.force_id,
            Inspection.programme == inspection.programme,
            Inspection.published_on < inspection.published_on,
        )
        .order_by(Inspection.published_on.desc())
        .limit(1)
    )


def _comparisons(inspection: Inspection, previous: Inspection) -> list[dict[str, str]]:
    """Rates measured the same way (same name) in both inspections, then and now."""
    before = {m.name.casefold(): m for m in previous.measures if m.rate is not None}
    compared = []
    for measure in inspection.measures:
        old = before.get(measure.name.casefold())
        if measure.rate is None or old is None:
            continue
        now, then = percent(measure.rate), percent(old.rate)
        compared.append(
            {"name": measure.name, "now": now, "before": then, "text": f"{measure.name.lower()} {then} then, {now} now"}
        )
    return compared


def _area_summary(areas: list[ImprovementArea]) -> str:
    """'1 cause of concern, 2 recommendations and 7 areas for improvement'."""
    plural = {
        AreaKind.CAUSE_OF_CONCERN: "causes of concern",
        AreaKind.RECOMMENDATION: "recommendations",
        AreaKind.AREA_FOR_IMPROVEMENT: "areas for improvement",
    }
    parts = []
    for kind in AreaKind:
        count = sum(1 for area in areas if area.kind is kind)
        if count:
            parts.append(f"{count} {kind.value if count == 1 else plural[kind]}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]
