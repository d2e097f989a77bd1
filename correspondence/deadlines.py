"""The statutory deadline for a policing body's comments on an HMICFRS report.

Section 55(5A) of the Police Act 1996 requires the comments to be published "before the end of
the period of 56 days beginning with the day on which the report is published". The day of
publication is day 1 of the 56, so the last day is publication + 55 days: a report published on
17 July 2018 must be answered by 10 September 2018. This module is the only place that rule lives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

RESPONSE_PERIOD_DAYS = 56
ICS_PRODID = "-//correspondence//s.55 deadlines//EN"


def response_due(published_on: dt.date) -> dt.date:
    """The last day on which the s.55 comments may be published."""
    return published_on + dt.timedelta(days=RESPONSE_PERIOD_DAYS - 1)


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

    from correspondence.models import Inspection, Letter, Office, S55Response
    from correspondence.offices import get_office
    from correspondence.stages import status_of
    from correspondence.vocabulary import LetterKind, LetterStatus, ResponseStage

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
            status = status_of(session, row, inspection, today, response, own_drafts)
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
                drafts=[letter.reference or f"#{letter.id}" for letter in own_drafts],
                office=row.short_name if row is not None else None,
                stage=status.stage,
                next_step=status.next_step,
                next_on=status.next_on,
                reply_by=status.reply_by,
                awaiting_comments=response is not None and response.comments is None and response.letter is None
                and response.stage in (ResponseStage.INVITED, ResponseStage.CHASED),
                notes=status.notes,
            ))
    return items


def write_ics(items: list[Due], path: Path, now: dt.datetime) -> Path:
    """An iCalendar file of the deadlines, one all-day event each, to subscribe to: the last day of
    each response, and the reply-by date of each invitation still awaiting the chief officer's comments.

    It is a feed, so it replaces the previous one (atomically), but only a calendar this tool
    wrote: any other file at ``path`` (a letter, the database) is refused, never replaced.
    """
    import os
    import tempfile

    from correspondence.outputs import check_own_file, writing

    check_own_file(path, f"PRODID:{ICS_PRODID}".encode(), "a calendar")

    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ICS_PRODID}", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:s.55 response deadlines"]
    for item in items:
        if item.reply_by is not None and item.awaiting_comments:
            lines += [
                "BEGIN:VEVENT",
                f"UID:inspection-{item.inspection_id}-{item.office}-reply-by@correspondence",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{item.reply_by:%Y%m%d}",
                f"DTEND;VALUE=DATE:{item.reply_by + dt.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_ics_text(f'Chief officer comments due: {item.force}, {item.programme}')}",
                f"DESCRIPTION:{_ics_text(f'{item.title}: the reply-by date {item.office} set in its invitation to comment. If nothing has come, chase: Draft the reminder on the inspection page of the workspace, or corr chase {item.inspection_id}.')}",
                "END:VEVENT",
            ]
        uid = f"inspection-{item.inspection_id}" + (f"-{item.office}" if item.office else "")  # each office's own deadline
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}-s55-response@correspondence",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(f's.55 response due: {item.force}, {item.programme}')}",
            f"DESCRIPTION:{_ics_text(f'{item.title}, published {item.published_on:%d/%m/%Y}. Last day to publish the comments. Now: {item.stage}; next: {item.next_step}.')}",
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P7D", f"DESCRIPTION:{_ics_text('s.55 response due in 7 days')}", "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    content = "".join(_fold(line) + "\r\n" for line in lines)
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".calendar-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        os.replace(temporary, path)
    return path


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for character in line:
        piece = character.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


# --- how urgent -------------------------------------------------------------------------------------

RED_WITHIN_DAYS = 7  # a week or less left, or overdue
AMBER_WITHIN_DAYS = 21  # three weeks or less


def urgency(days_left: int) -> str:
    """red, amber or green by days left to the last day: what the dashboard colours a response."""
    if days_left <= RED_WITHIN_DAYS:
        return "red"
    return "amber" if days_left <= AMBER_WITHIN_DAYS else "green"
