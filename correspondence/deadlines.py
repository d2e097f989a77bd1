"""The statutory deadline for a policing body's comments on an HMICFRS report.

Section 55(5A) of the Police Act 1996 requires the comments to be published "before the end of
the period of 56 days beginning with the day on which the report is published". The day of
publication is day 1 of the 56, so the last day is publication + 55 days: a report published on
17 July 2018 must be answered by 10 September 2018. This module is the only place that rule lives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

RESPONSE_PERIOD_DAYS = 56


def response_due(published_on: dt.date) -> dt.date:
    """The last day on which the s.55 comments may be published."""
    return published_on + dt.timedelta(days=RESPONSE_PERIOD_DAYS - 1)


# --- what is due ------------------------------------------------------------------------------


@dataclass
class Due:
    inspection_id: int
    force: str
    programme: str
    title: str
    published_on: dt.date
    due_on: dt.date
    days_left: int
    offices: list[str]
    drafts: list[str]

    @property
    def state(self) -> str:
        if self.days_left < 0:
            return f"overdue by {-self.days_left} day{'s' if self.days_left != -1 else ''}"
        if self.days_left == 0:
            return "due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


def due_responses(session, today: dt.date, *, within: int | None = None, office: str | None = None) -> list[Due]:  # noqa: ANN001
    """Every inspection without a sent s.55 response, soonest (most overdue) first."""
    from sqlalchemy import exists, select
    from sqlalchemy.orm import selectinload

    from correspondence.models import Inspection, Letter, Office
    from correspondence.offices import get_office
    from correspondence.vocabulary import LetterKind, LetterStatus

    answered = exists().where(
        Letter.inspection_id == Inspection.id, Letter.kind == LetterKind.S55_RESPONSE, Letter.status == LetterStatus.SENT
    )
    query = select(Inspection).where(~answered).options(selectinload(Inspection.force)).order_by(Inspection.published_on, Inspection.id)
    if office:
        chosen = get_office(session, office)
        # the office's force's reports, and national reports (no force), which concern every office
        query = query.where((Inspection.force_id == chosen.force_id) | Inspection.force_id.is_(None)) if chosen.force_id \
            else query.where(Inspection.force_id.is_(None))
    if within is not None:
        query = query.where(Inspection.published_on <= today + dt.timedelta(days=within) - dt.timedelta(days=RESPONSE_PERIOD_DAYS - 1))
    inspections = list(session.scalars(query))
    force_ids = {inspection.force_id for inspection in inspections}
    overseers: dict[int, list[str]] = {}
    for row in session.scalars(select(Office).where(Office.force_id.in_(force_ids))):
        overseers.setdefault(row.force_id, []).append(row.short_name)
    drafts: dict[int, list[str]] = {}
    ids = [inspection.id for inspection in inspections]
    for chunk in range(0, len(ids), 500):
        for letter in session.scalars(
            select(Letter).where(Letter.inspection_id.in_(ids[chunk : chunk + 500]), Letter.kind == LetterKind.S55_RESPONSE,
                                 Letter.status == LetterStatus.DRAFT)
        ):
            drafts.setdefault(letter.inspection_id, []).append(letter.reference or f"#{letter.id}")
    return [
        Due(
            inspection_id=inspection.id,
            force=inspection.force.name if inspection.force else "national (no single force)",
            programme=inspection.programme,
            title=inspection.title,
            published_on=inspection.published_on,
            due_on=response_due(inspection.published_on),
            days_left=(response_due(inspection.published_on) - today).days,
            offices=overseers.get(inspection.force_id, []),
            drafts=drafts.get(inspection.id, []),
        )
        for inspection in inspections
    ]


def write_ics(items: list[Due], path: Path, now: dt.datetime) -> Path:
    """An iCalendar file of the deadlines, one all-day event each, to subscribe to.

    It is a feed, so it replaces the previous one (atomically); it holds no letter.
    """
    import os
    import tempfile

    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//correspondence//s.55 deadlines//EN", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:s.55 response deadlines"]
    for item in items:
        lines += [
            "BEGIN:VEVENT",
            f"UID:inspection-{item.inspection_id}-s55-response@correspondence",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(f's.55 response due: {item.force}, {item.programme}')}",
            f"DESCRIPTION:{_ics_text(f'{item.title}, published {item.published_on:%d/%m/%Y}. Last day to publish the comments.')}",
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P7D", f"DESCRIPTION:{_ics_text('s.55 response due in 7 days')}", "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    content = "".join(_fold(line) + "\r\n" for line in lines)
    from correspondence.outputs import writing

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
