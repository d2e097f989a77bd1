"""The data each template is filled from.

This is the contract with template authors: every name here is documented in docs/reference/template-context.md
("Template context") and each face lists it for a real inspection. Values are
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

from correspondence.drafting import phrasing
from correspondence.drafting.comments import empty_comments
from correspondence.organisation.offices import address_on
from correspondence.organisation.roles import Addressing
from correspondence.records.dates import format_date
from correspondence.records.figures import (
    bare_phrase,
    count_of,
    describe_measure,
    percent,
    quotable,
    rate_with_interval,
    whole,
)
from correspondence.records.models import (
    DEFAULT_CHIEF_OFFICER_TITLE,
    Action,
    Force,
    ImprovementArea,
    Inspection,
    Measure,
    Meeting,
    Office,
)
from correspondence.records.vocabulary import AreaKind, FindingFor
from correspondence.tracking.answers import latest_answer
from correspondence.tracking.deadline import response_due
from correspondence.tracking.finding_for import for_label, is_for_force
from correspondence.tracking.inspections import get_response

AWAITING_UPDATE = "Awaiting an update from the force"


def lines(text: str) -> list[str]:
    """A multi-line value (an address) as its lines: a newline inside a Word run is not a line break."""
    return [line for line in (text or "").splitlines() if line.strip()]


def letter_context(
    office: Office, *, reference: str, letter_date: dt.date, addressee: Addressing, subject: str, cc: str
) -> dict[str, Any]:
    """The parts every letter shares: letterhead (the address the office had on the letter's
    date), addressee, date, reference, signature, the inspectorate's name on that date, and
    empty places for the office's own paragraphs."""
    salutation = addressee.salutation or (f"Dear {addressee.role}" if addressee.role else f"Dear {addressee.name}")
    inspectorate = phrasing.inspectorate_on(letter_date)
    return {
        "office": {
            "name": office.name,
            "name_lines": phrasing.balanced_lines(office.name),  # the letterhead's lines, of about equal length
            "in_sentence": phrasing.office_name(office.name),
            "short_name": office.short_name,
            "address_lines": lines(address_on(office, letter_date)),
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
        "inspectorate": {"name": inspectorate.name, "short_name": inspectorate.short_name},
        "comments": empty_comments(),
    }


def response_context(session: Session, inspection: Inspection, office: Office, **letter: Any) -> dict[str, Any]:
    """Everything the s.55 response and its Annex A say: the facts from the store, put into
    sentences by the phrasing rules, and the office's answers beside the force's updates."""
    date_format = office.date_format
    previous = _previous_inspection(session, inspection)
    context = letter_context(office, **letter)
    # The report's acts (publishing, grading, estimating) name the inspectorate as it was named on
    # the day the report was published, not on the letter's date: "published by HMIC on ...".
    inspectorate = phrasing.inspectorate_on(inspection.published_on)
    areas = [area_block(area, date_format, office, on=letter["letter_date"]) for area in inspection.areas]
    counts = finding_counts(inspection.areas)
    # A national or thematic report inspected no one force: the office answers for the force it oversees.
    force = inspection.force or office.force
    grades = phrasing.grades(
        inspectorate.short_name, phrasing.force_name(force.name) if force else "forces", inspection.overall_grade,
        [(judgment.question, judgment.grade) for judgment in inspection.judgments],
    )
    context.update(
        {
            "force": {
                "name": force.name if force else "",
                "in_sentence": phrasing.force_name(force.name) if force else "",
                "chief_officer_title": force.chief_officer_title if force else DEFAULT_CHIEF_OFFICER_TITLE,
            },
            "inspection": inspection_block(inspection, date_format),
            "judgments": [
                {"question": j.question, "grade": j.grade.value if j.grade else "", "grade_title": phrasing.grade_label(j.grade)}
                for j in inspection.judgments
            ],
            "grades": {"sentence": grades.sentence, "table": grades.table, "column": grades.column},
            "measures": [_measure_block(m) for m in inspection.measures if quotable(m)],
            "previous": inspection_block(previous, date_format) if previous else None,
            "comparisons": _comparisons(inspection, previous) if previous else [],
            "areas": areas,
            "area_groups": area_groups(areas, counts),
            "area_summary": phrasing.findings_list(counts),
            "findings": _answered_findings(inspection, areas, counts, letter["letter_date"], office),
            "prose": _response_prose(inspection, force, previous, inspectorate, areas, counts, date_format),
        }
    )
    context.update(comments_context(session, inspection, office, on=letter["letter_date"]))
    return context


def _response_prose(
    inspection: Inspection, force: Force | None, previous: Inspection | None, inspectorate: phrasing.Inspectorate,
    areas: list[dict[str, Any]], counts: dict[AreaKind, int], date_format: str,
) -> dict[str, Any]:
    before: dict[str, Any] = {}
    when = ""
    previous_sentence = ""
    if previous is not None:
        before = _previous_rates(previous)
        same_year = previous.published_on.year == inspection.published_on.year
        when = "at the previous inspection" if same_year else f"in {previous.published_on.year}"
        previous_sentence = phrasing.previous_inspection(
            phrasing.inspectorate_on(previous.published_on).short_name, previous.programme,
            format_date(previous.published_on, date_format), previous.overall_grade, inspection.overall_grade,
        )
    n_findings = len(areas)
    n_for_force = sum(1 for area in areas if area["for_force"])  # the others are for other bodies
    force_words = "the force" if inspection.force is not None or force is None else phrasing.force_name(force.name)
    return {
        "opening": phrasing.response_opening(
            inspectorate, inspection.title, format_date(inspection.published_on, date_format), inspection.programme,
            annex=bool(n_findings),
        ),
        "figures": phrasing.figures(inspection.measures, inspectorate.short_name, before, when),
        "previous": previous_sentence,
        "summary": phrasing.findings_summary(counts),
        "annex_pointer": phrasing.annex_pointer(sum(1 for area in areas if area["answer"]), n_findings,
                                                any(area["update_text"] for area in areas if area["for_force"]),
                                                force=force_words, n_for_force=n_for_force) if n_findings else "",
        "findings_lead": _findings_lead(counts),
        "closing": phrasing.response_closing(force.chief_officer_title if force else DEFAULT_CHIEF_OFFICER_TITLE, n_for_force,
                                             force=force_words, of=n_findings),
        "request_title": phrasing.update_request_title(force.name if force else "", inspection.title),
        # "and my response" and the "Our response" column only when the office has answered a finding
        "annex_has_answers": any(area["answer"] for area in areas),
        "annex_title": (f"Annex A: {phrasing.possessive(force_words)} update on each finding" if n_for_force else "Annex A: the findings")
                       + (", and my response" if any(area["answer"] for area in areas) else ""),
    }


def _findings_lead(counts: dict[AreaKind, int]) -> str:
    """The sentence before the office's response to each cause of concern and recommendation."""
    parts = []
    if counts[AreaKind.CAUSE_OF_CONCERN]:
        parts.append("the cause of concern" if counts[AreaKind.CAUSE_OF_CONCERN] == 1 else "each cause of concern")
    if counts[AreaKind.RECOMMENDATION]:
        parts.append("the recommendation" if counts[AreaKind.RECOMMENDATION] == 1 else "each recommendation")
    if not parts:
        return ""
    return f"My response to {phrasing.join(parts)} is as follows."


def _answered_findings(inspection: Inspection, areas: list[dict[str, Any]], counts: dict[AreaKind, int],
                       letter_date: dt.date, office: Office | None = None) -> list[dict[str, Any]]:
    """The causes of concern and recommendations, each with what the letter says about it: one for
    another body says whom it is for, with the office's answer; one for the office is the office's
    own action; the force is named as the letter names it (force_in_sentence)."""
    findings = []
    force = force_in_sentence(inspection, office)
    for area, block in zip(inspection.areas, areas):
        if area.kind is AreaKind.AREA_FOR_IMPROVEMENT:
            continue
        update = area.update_on(letter_date)
        findings.append(
            {
                "code": block["code"],
                "label": phrasing.finding_label(area.kind, area.number, counts[area.kind]),
                "text": area.text,
                "for_whom": block["for_whom"],
                "for_label": block["for_label"],
                "response": phrasing.response_to_finding(
                    None if block["no_action"] else block["answer_text"], block["no_action"], block["answer_text"],
                    update.status if update else None, body=_other_body(area), own=area.for_whom is FindingFor.OFFICE,
                    noun=area.kind.value, force=force,
                ),
            }
        )
    return findings


def area_groups(areas: list[dict[str, Any]], counts: dict[AreaKind, int]) -> list[dict[str, Any]]:
    """Annex A's rows grouped by kind of finding, so each row need not repeat its kind."""
    return [
        {"title": phrasing.group_title(kind, counts[kind]), "kind": kind.value, "areas": [a for a in areas if a["kind"] == kind.value]}
        for kind in AreaKind
        if counts[kind]
    ]


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
                "in_sentence": phrasing.force_name(meeting.force.name) if meeting.force else "",
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
                    # still open after the day it was due: the annex says so ("Overdue: due 1 May 2026")
                    "overdue": (f"Overdue: due {format_date(action.due_on, date_format)}"
                                if _overdue(action, letter["letter_date"]) else ""),
                }
                for action in carried or []
            ],
            "prose": _followup_prose(meeting, len(carried or []), date_format,
                                     sum(1 for action in carried or [] if _overdue(action, letter["letter_date"]))),
        }
    )
    return context


def _overdue(action: Action, on: dt.date) -> bool:
    """An open action whose due date has passed by the letter's date."""
    return action.due_on is not None and action.due_on < on


def _followup_prose(meeting: Meeting, carried: int, date_format: str, overdue: int = 0) -> dict[str, str]:
    held_on = format_date(meeting.held_on, date_format)
    return {
        "thanks": phrasing.meeting_thanks(meeting.title, held_on),
        "themes": phrasing.themes_lead(lines(meeting.themes)),
        "purpose": phrasing.followup_purpose(
            len(lines(meeting.correspondence_issues)), len(lines(meeting.other_issues)), len(meeting.actions)
        ),
        "actions": phrasing.actions_note(len(meeting.actions), carried, overdue),
        "closing": phrasing.followup_closing(len(lines(meeting.correspondence_issues)), len(meeting.actions), carried),
        "annex_title": f"{meeting.title}: actions from the meeting on {held_on}",
    }


def area_block(area: ImprovementArea, date_format: str, office: Office | None = None, on: dt.date | None = None) -> dict[str, Any]:
    """One finding as a letter dated ``on`` gives it: the force's update and the office's answer
    as they stood on that day (a letter dated in the past quotes nothing that came after it)."""
    latest = area.update_on(on)
    answer = latest_answer(area, office, on) if office is not None else None
    force = force_in_sentence(area.inspection, office)
    body = _other_body(area)  # another body's finding: the force is not asked about it
    if is_for_force(area):
        awaiting = AWAITING_UPDATE if force == "the force" else f"Awaiting an update from {force}"
    else:
        awaiting = phrasing.for_cell(area.kind.value, body or _for_label(area, office, force))
    return {
        "code": area.code,
        "kind": area.kind.value,
        "kind_title": phrasing.group_title(area.kind, 1),
        "number": area.number,
        "text": area.text,
        "timescale": area.timescale or "",
        # whom it is for: "force", "office", "Home Office", "College of Policing", "NPCC" or "other"
        "for_whom": (area.for_whom or FindingFor.FORCE).value,
        "for_label": _for_label(area, office, force),  # as a sentence names it: "the College of Policing"
        "for_force": is_for_force(area),
        "status": _title(latest.status.value) if latest else "",
        "update_text": latest.text if latest else "",
        "update_date": format_date(latest.received_on, date_format) if latest else "",
        "awaiting": "" if latest else awaiting,
        "answer": phrasing.answer_cell(answer.text, answer.no_action, answer.text, body=body) if answer else "",
        "answer_text": answer.text if answer else "",  # the answer, or with no_action the reason
        "no_action": bool(answer and answer.no_action),
        "answer_date": format_date(answer.answered_on, date_format) if answer else "",
    }


def force_in_sentence(inspection: Inspection | None, office: Office | None) -> str:
    """The force as a letter names it where it speaks of it: "the force" in a letter on a force's
    report; in one on a national or thematic report, the office's own force ("Kent Police")."""
    if inspection is not None and inspection.force is None and office is not None and office.force is not None:
        return phrasing.force_name(office.force.name)
    return "the force"


def _other_body(area: ImprovementArea) -> str:
    """Another body's name as a sentence gives it, for a finding neither for the force nor the office."""
    if is_for_force(area) or area.for_whom is FindingFor.OFFICE:
        return ""
    return for_label(area.for_whom, area.for_name)


def _for_label(area: ImprovementArea, office: Office | None, force: str) -> str:
    # the office signs its letters, so a finding for it is "for my office", not for it by name
    office_words = "my office" if office is not None else "the policing body"
    return for_label(area.for_whom, area.for_name, office=office_words, force=force)


def finding_counts(areas: list[ImprovementArea]) -> dict[AreaKind, int]:
    """How many of each kind of finding, for the phrasing rules ("two recommendations and ...")."""
    return {kind: sum(1 for area in areas if area.kind is kind) for kind in AreaKind}


def inspection_block(inspection: Inspection, date_format: str) -> dict[str, Any]:
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
        "in_sentence": phrasing.report_in_sentence(inspection.title),  # "the PEEL 2021/22 inspection of Kent Police"
        "published_by": phrasing.inspectorate_on(inspection.published_on).short_name,  # HMIC before 19 July 2017
    }


def _measure_block(measure: Measure) -> dict[str, Any]:
    """A figure the letter quotes (records.figures.quotable): the others are not in the context."""
    has_count = measure.numerator is not None and measure.denominator is not None
    return {
        "name": measure.name,
        "phrase": measure.phrase or "",
        "quoted": quotable(measure),
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


def _previous_rates(previous: Inspection) -> dict[str, Any]:
    """The previous inspection's confirmed rates of its own period, by phrase and by name (casefolded):
    a rate is compared only with one a person confirmed too, never with an importer's made-up label."""
    before: dict[str, Any] = {}
    for m in previous.measures:
        if m.rate is not None and (m.phrase or "").strip() and not m.period:
            before.setdefault(bare_phrase(m.phrase), m.rate)
            before.setdefault(m.name.casefold(), m.rate)
    return before


def _comparisons(inspection: Inspection, previous: Inspection) -> list[dict[str, str]]:
    """The letter's quoted rates confirmed in both inspections under the same phrase or name, then and now."""
    before = _previous_rates(previous)
    compared = []
    for measure in inspection.measures:
        if measure.rate is None or not quotable(measure):
            continue
        old_rate = before.get(bare_phrase(measure.phrase), before.get(measure.name.casefold()))
        if old_rate is None:
            continue
        now, then = percent(measure.rate), percent(old_rate)
        compared.append({"name": measure.name, "phrase": measure.phrase, "now": now, "before": then,
                         "text": f"{' '.join(measure.phrase.split())} {then} then, {now} now"})
    return compared


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def comments_context(session: Session, inspection: Inspection, office: Office, on: dt.date | None = None) -> dict[str, Any]:
    """What the s.55 letter may say about the chief officer's comments: when they came, whose, and
    the heading over the office's response to them (comments.response_to_chief_officer). None
    before they are stored, or for a letter dated ``on`` a day before they came."""
    response = get_response(session, office, inspection)
    comments = response.comments if response is not None else None
    if comments is None or (on is not None and comments.letter_date > on):
        return {"chief_officer_comments": None}
    force = inspection.force or office.force  # a national report: the chief officer of the office's own force
    title = (force.chief_officer_title if force else "") or DEFAULT_CHIEF_OFFICER_TITLE
    return {
        "chief_officer_comments": {
            "date": format_date(comments.letter_date, office.date_format),
            "date_iso": comments.letter_date.isoformat(),
            "reference": comments.reference or "",
            "sender": comments.sender,
            "title": title,
            "heading": f"Response to the {title}'s comments",
        }
    }
