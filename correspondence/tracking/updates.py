"""The force's updates on each cause of concern, recommendation and area for improvement.

Updates are added, never edited: the history of what the force said, and when, is kept. A
mistaken one is retracted with a reason: it stays in the history (numbered 1, 2, 3... per area)
and the event log, and is left out of letters and of the latest update.
An area is named by its inspection and code, e.g. ``1:R2`` for recommendation 2 of inspection 1.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotFound, Step
from correspondence.records.models import ForceUpdate, ImprovementArea
from correspondence.records.vocabulary import UpdateStatus
from correspondence.tracking.inspections import check_after_report, get_inspection

_AREA = re.compile(r"^#?(\d+)\s*[:/]\s*([CRA])\s*(\d+)$", re.IGNORECASE)


def find_area(session: Session, name: str) -> ImprovementArea:
    match = _AREA.match(name.strip())
    if not match:
        raise InvalidInput(f"area {name!r}: write it as INSPECTION:CODE, e.g. 1:A3 (C cause of concern, R recommendation, A area for improvement)")
    inspection = get_inspection(session, match.group(1))
    code = f"{match.group(2).upper()}{int(match.group(3))}"
    for area in inspection.areas:
        if area.code == code:
            return area
    known = ", ".join(area.code for area in inspection.areas) or "none"
    raise NotFound(f"inspection {inspection.id} has no area {code} (it has: {known})")


def add_update(session: Session, area: ImprovementArea, *, status: UpdateStatus, text: str, received_on: dt.date, today: dt.date,
               request_id: int | None = None) -> ForceUpdate:
    text = text.strip()
    if not text:
        raise InvalidInput("the update must say something", field="text")
    if received_on > today:
        raise InvalidInput(f"{long_date(received_on)} is in the future", field="received_on")
    check_after_report(area.inspection, received_on, field="received_on")
    update = ForceUpdate(area=area, status=status, text=text, received_on=received_on, request_id=request_id)
    session.add(update)
    session.flush()
    return update


def history(area: ImprovementArea) -> list[tuple[int, ForceUpdate]]:
    """Every update on the area, retracted ones included, with its number in the history."""
    return list(enumerate(area.updates, start=1))


def retract(session: Session, area: ImprovementArea, number: int, *, why: str, actor: str) -> ForceUpdate:
    """Withdraw update ``number`` of the area as a mistake; kept, but never quoted again."""
    why = " ".join(why.split())
    if not why:
        raise InvalidInput("say why the update is retracted; it is kept in the history", field="why")
    numbered = dict(history(area))
    if number not in numbered:
        shown = f"1 to {len(numbered)}" if numbered else "none yet"
        raise NotFound(f"{area.code} of inspection {area.inspection_id} has no update {number} (its updates: {shown})",
                       joined="; ", steps=[Step("list_updates", "see the finding's updates", finding=f"{area.inspection_id}:{area.code}")])
    update = numbered[number]
    if update.retracted_at is not None:
        raise InvalidInput(f"update {number} on {area.code} was already retracted by {update.retracted_by}: {update.retraction_reason}")
    update.retracted_at = dt.datetime.now(dt.timezone.utc)
    update.retracted_by = actor
    update.retraction_reason = why
    session.flush()
    session.expire(area, ["updates"])
    return update


def latest_updates() -> Subquery:
    """Each finding's latest update (area_id, status, received_on), as a subquery to join.

    The same order as ImprovementArea.latest_update: the latest date, then the last entered;
    retracted updates are left out, as they are from letters.
    """
    ranked = (
        select(
            ForceUpdate.area_id,
            ForceUpdate.status,
            ForceUpdate.received_on,
            func.row_number()
            .over(partition_by=ForceUpdate.area_id, order_by=(ForceUpdate.received_on.desc(), ForceUpdate.id.desc()))
            .label("rank"),
        )
        .where(ForceUpdate.retracted_at.is_(None))
        .subquery()
    )
    return select(ranked.c.area_id, ranked.c.status, ranked.c.received_on).where(ranked.c.rank == 1).subquery("latest_update")
