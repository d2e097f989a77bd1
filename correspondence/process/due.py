"""What is due: every office's open s.55 response to every inspection not yet published, soonest
first, with its stage and next step (stages.status_of); and how urgent each is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from correspondence.organisation.offices import get_office
from correspondence.process.clearance import clearance_states
from correspondence.process.stages import status_of
from correspondence.records.models import Inspection, Letter, Office, S55Response
from correspondence.records.vocabulary import LetterKind, LetterStatus, ResponseStage
from correspondence.tracking.deadline import RESPONSE_PERIOD_DAYS, response_due

# --- what is due ------------------------------------------------------------------------------


@dataclass
class Due:
    """One office's open s.55 response to one inspection: answered only once it is published."""

    inspection_id: int
    force: str
    programme: str
    title: str
    published_on: dt.date
    due_on: dt.date
    days_left: int
    offices: list[str]
    drafts: list[str]
    office: str | None = None
    stage: str = "not started"
    next_step: str = ""
    next_on: dt.date | None = None  # the next step's date (reply-by, chase from, last day); None: now
    reply_by: dt.date | None = None
    awaiting_comments: bool = False  # invited, and the chief officer's comments have not come
    notes: list[str] = field(default_factory=list)  # e.g. the comments never came, or the letter went uninvited
    next_letter_id: int | None = None  # the letter the next step is about (to approve, send...), for a link to it

    @property
    def state(self) -> str:
        if self.days_left < 0:
            return f"overdue by {-self.days_left} day{'s' if self.days_left != -1 else ''}"
        if self.days_left == 0:
            return "due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


def due_responses(session, today: dt.date, *, within: int | None = None, office: str | None = None) -> list[Due]:  # noqa: ANN001
    """Every office's response to every inspection not yet published, soonest (most overdue) first.

    The 56-day deadline is met only by publication (s.55(5A)); a sent letter is a step on the way.
    An inspection of a force is due for the offices overseeing it; a national report (no force)
    for every office; an inspection whose force no office oversees is listed without an office.
    """
    from sqlalchemy import or_, select
    from sqlalchemy.orm import selectinload

    chosen = get_office(session, office) if office else None
    published = select(S55Response.inspection_id).where(S55Response.published_on.is_not(None))
    query = select(Inspection).options(selectinload(Inspection.force)).order_by(Inspection.published_on, Inspection.id)
    if chosen is not None:
        mine = select(S55Response.inspection_id).where(S55Response.office_id == chosen.id)
        query = query.where(or_(Inspection.force_id.is_(None), Inspection.id.in_(mine),
                                *([Inspection.force_id == chosen.force_id] if chosen.force_id else [])))
        query = query.where(Inspection.id.not_in(published.where(S55Response.office_id == chosen.id)))
    if within is not None and within < (dt.date.max - today).days:  # a longer horizon takes in everything
        query = query.where(Inspection.published_on <= today + dt.timedelta(days=within) - dt.timedelta(days=RESPONSE_PERIOD_DAYS - 1))
    inspections = list(session.scalars(query))
    all_offices = list(session.scalars(select(Office).order_by(Office.short_name))) if chosen is None else [chosen]
    overseers: dict[int, list[Office]] = {}
    for row in all_offices:
        if row.force_id is not None:
            overseers.setdefault(row.force_id, []).append(row)
    ids = [inspection.id for inspection in inspections]
    responses: dict[tuple[int, int], S55Response] = {}
    responding: dict[int, set[int]] = {}  # inspection id: the offices with a response to it
    drafts: dict[tuple[int, int], list[Letter]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for response in session.scalars(select(S55Response).where(S55Response.inspection_id.in_(part))):
            responses[(response.inspection_id, response.office_id)] = response
            responding.setdefault(response.inspection_id, set()).add(response.office_id)
        for letter in session.scalars(
            select(Letter).where(Letter.inspection_id.in_(part), Letter.kind == LetterKind.S55_RESPONSE,
                                 Letter.status == LetterStatus.DRAFT).order_by(Letter.letter_date, Letter.id)
        ):
            drafts.setdefault((letter.inspection_id, letter.office_id), []).append(letter)
    # Every draft's clearance at once, so the page's queries do not grow with the number of letters.
    states = clearance_states(session, [letter for own in drafts.values() for letter in own])
    items = []
    for inspection in inspections:
        if inspection.force_id is None:
            offices = list(all_offices)
        else:
            offices = list(overseers.get(inspection.force_id, []))
        if inspection.id in responding:  # an office outside its usual force that has answered this one too
            offices += [row for row in all_offices if row.id in responding[inspection.id] and row not in offices]
        for row in offices or [None]:
            response = responses.get((inspection.id, row.id)) if row is not None else None
            if response is not None and response.published_on is not None:
                continue
            own_drafts = drafts.get((inspection.id, row.id), []) if row is not None else []
            status = status_of(session, row, inspection, today, response, own_drafts, states)
            due_on = response_due(inspection.published_on)
            items.append(Due(
                inspection_id=inspection.id,
                force=inspection.force.name if inspection.force else "national (no single force)",
                programme=inspection.programme,
                title=inspection.title,
                published_on=inspection.published_on,
                due_on=due_on,
                days_left=(due_on - today).days,
                offices=[row.short_name] if row is not None else [],
                drafts=[letter.label for letter in own_drafts],
                office=row.short_name if row is not None else None,
                stage=status.stage,
                next_step=status.next_step,
                next_on=status.next_on,
                reply_by=status.reply_by,
                awaiting_comments=response is not None and response.comments is None and response.letter is None
                and response.stage in (ResponseStage.INVITED, ResponseStage.CHASED),
                notes=status.notes,
                next_letter_id=status.letter_id,
            ))
    return items


# --- how urgent -------------------------------------------------------------------------------------

RED_WITHIN_DAYS = 7  # a week or less left, or overdue
AMBER_WITHIN_DAYS = 21  # three weeks or less


def urgency(days_left: int) -> str:
    """red, amber or green by days left to the last day: what the dashboard colours a response."""
    if days_left <= RED_WITHIN_DAYS:
        return "red"
    return "amber" if days_left <= AMBER_WITHIN_DAYS else "green"
