"""An inspection's story so far, for one office: the report, the force's updates, the office's
letters, who owns the response, and the statutory last day, in date order.

The stages of the s.55 process (invitation, comments, clearance, publication) add their own
moments here when they are recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.deadlines import response_due
from correspondence.models import ForceUpdate, ImprovementArea, Inspection, Letter, Office, ResponseOwner
from correspondence.vocabulary import Direction, LetterKind


@dataclass
class Moment:
    on: dt.date
    what: str
    kind: str  # report, update, letter, owner or deadline
    letter_id: int | None = None


def timeline(session: Session, office: Office, inspection: Inspection, today: dt.date) -> list[Moment]:
    moments = [Moment(inspection.published_on, "HMICFRS published the report", "report")]
    received = Counter(session.scalars(
        select(ForceUpdate.received_on).join(ImprovementArea).where(ImprovementArea.inspection_id == inspection.id)
    ))
    for on, count in sorted(received.items()):
        moments.append(Moment(on, f"{count} update{'s' if count != 1 else ''} from the force recorded", "update"))
    letters = session.scalars(
        select(Letter).where(Letter.inspection_id == inspection.id, Letter.office_id == office.id).order_by(Letter.letter_date, Letter.id)
    )
    for letter in letters:
        label = letter.reference or f"letter #{letter.id}"
        if letter.direction is Direction.IN:
            moments.append(Moment(letter.letter_date, f"Received {label}: {letter.subject or letter.kind.value}", "letter", letter.id))
            continue
        kind = "s.55 response" if letter.kind is LetterKind.S55_RESPONSE else letter.kind.value.capitalize()
        moments.append(Moment(letter.letter_date, f"{kind} {label} dated", "letter", letter.id))
        if letter.sent_on:
            moments.append(Moment(letter.sent_on, f"{label} sent", "letter", letter.id))
    owner = session.scalar(select(ResponseOwner).where(ResponseOwner.office_id == office.id, ResponseOwner.inspection_id == inspection.id))
    if owner is not None:
        moments.append(Moment(owner.assigned_on, f"Response assigned to {owner.user.full_name or owner.user.name}", "owner"))
    last_day = response_due(inspection.published_on)
    moments.append(Moment(last_day, "Last day to publish the s.55 comments" + (" (passed)" if last_day < today else ""), "deadline"))
    order = {"report": 0, "update": 1, "owner": 2, "letter": 3, "deadline": 4}
    return sorted(moments, key=lambda moment: (moment.on, order[moment.kind]))
