"""Who in an office owns what: the s.55 response to an inspection, and each finding to follow up.

Owners are per office (a national report is answered by every office, each with its own owner)
and must be able to do the work: an owner is an enabled drafter, approver or admin of the office,
checked by users.authorise like every other permission. Unassigning deletes the row; the event
log keeps who owned what and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from correspondence.organisation.oversight import concerns_office, visible_to
from correspondence.organisation.users import authorise
from correspondence.records.errors import InvalidInput, NotPermitted
from correspondence.records.models import FindingOwner, ImprovementArea, Inspection, Office, ResponseOwner, User
from correspondence.records.vocabulary import UpdateStatus, UserRole
from correspondence.tracking.updates import latest_updates

OWNER_ROLE = UserRole.DRAFTER  # who can be given work: someone who can draft and add updates
NO_UPDATE = "no update yet"


def assign_response(session: Session, office: Office, inspection: Inspection, owner: User | None, today: dt.date) -> ResponseOwner | None:
    """Make ``owner`` (None: nobody) the owner of the office's response to ``inspection``."""
    _check_inspection(office, inspection)
    current = session.scalar(select(ResponseOwner).where(ResponseOwner.office_id == office.id, ResponseOwner.inspection_id == inspection.id))
    return _assign(session, office, current, owner, today, lambda: ResponseOwner(office_id=office.id, inspection_id=inspection.id))


def assign_finding(session: Session, office: Office, area: ImprovementArea, owner: User | None, today: dt.date) -> FindingOwner | None:
    """Make ``owner`` (None: nobody) the office's owner of one finding."""
    _check_inspection(office, area.inspection)
    current = session.scalar(select(FindingOwner).where(FindingOwner.office_id == office.id, FindingOwner.area_id == area.id))
    return _assign(session, office, current, owner, today, lambda: FindingOwner(office_id=office.id, area_id=area.id))


def response_owners(session: Session, office: Office, inspection_ids: list[int]) -> dict[int, User]:
    """The owner of each of these inspections' responses, where one is assigned."""
    if not inspection_ids:
        return {}
    rows = session.execute(
        select(ResponseOwner.inspection_id, User)
        .join(User, User.id == ResponseOwner.user_id)
        .where(ResponseOwner.office_id == office.id, ResponseOwner.inspection_id.in_(inspection_ids))
    )
    return {inspection_id: user for inspection_id, user in rows}


def finding_owners(session: Session, office: Office, area_ids: list[int]) -> dict[int, User]:
    if not area_ids:
        return {}
    rows = session.execute(
        select(FindingOwner.area_id, User)
        .join(User, User.id == FindingOwner.user_id)
        .where(FindingOwner.office_id == office.id, FindingOwner.area_id.in_(area_ids))
    )
    return {area_id: user for area_id, user in rows}


def possible_owners(session: Session, office: Office) -> list[User]:
    """The office's users who can be given work, by name."""
    users = session.scalars(select(User).where(User.office_id == office.id, User.active.is_(True)).order_by(User.full_name, User.name))
    return [user for user in users if user.role.includes(OWNER_ROLE)]


@dataclass
class OpenFinding:
    """A finding whose latest update is not 'complete' (or that has no update yet)."""

    area: ImprovementArea
    inspection: Inspection
    status: str  # "not started", "in progress" or NO_UPDATE
    updated_on: dt.date | None
    owner: User | None

    @property
    def code(self) -> str:
        return self.area.code


def open_findings(session: Session, office: Office, owner: User | None = None) -> list[OpenFinding]:
    """The office's open findings across every inspection it answers, newest inspection first;
    only ``owner``'s when given."""
    latest = latest_updates()
    query = (
        select(ImprovementArea, Inspection, latest.c.status, latest.c.received_on, User)
        .join(Inspection, Inspection.id == ImprovementArea.inspection_id)
        .outerjoin(latest, latest.c.area_id == ImprovementArea.id)
        .outerjoin(FindingOwner, and_(FindingOwner.area_id == ImprovementArea.id, FindingOwner.office_id == office.id))
        .outerjoin(User, User.id == FindingOwner.user_id)
        .where(visible_to(office), or_(latest.c.status.is_(None), latest.c.status != UpdateStatus.COMPLETE))
        .order_by(Inspection.published_on.desc(), Inspection.id, ImprovementArea.id)
    )
    if owner is not None:
        query = query.where(FindingOwner.user_id == owner.id)
    return [
        OpenFinding(area, inspection, status.value if status else NO_UPDATE, updated_on, user)
        for area, inspection, status, updated_on, user in session.execute(query)
    ]


def count_by_status_and_owner(findings: list[OpenFinding]) -> tuple[list[str], list[tuple[str, dict[str, int]]]]:
    """(statuses, [(owner's name, {status: count})]) for the dashboard's table; nobody's last."""
    statuses = [NO_UPDATE, UpdateStatus.NOT_STARTED.value, UpdateStatus.IN_PROGRESS.value]
    counts: dict[str, dict[str, int]] = {}
    for finding in findings:
        name = finding.owner.display_name if finding.owner else ""
        row = counts.setdefault(name, dict.fromkeys(statuses, 0))
        row[finding.status] += 1
    ordered = sorted((name for name in counts if name), key=str.casefold) + ([""] if "" in counts else [])
    return statuses, [(name or "Nobody yet", counts[name]) for name in ordered]



def _assign(session: Session, office: Office, current: object, owner: User | None, today: dt.date, new: object) -> object:
    if owner is not None:
        try:
            authorise(session, owner.name, office, OWNER_ROLE)
        except NotPermitted as error:
            raise InvalidInput(error.refusal, field="owner", steps=error.steps, joined=error.joined) from None
    if owner is None:
        if current is not None:
            session.delete(current)
            session.flush()
        return None
    if current is None:
        current = new()
        session.add(current)
    if current.user_id != owner.id:
        current.user_id, current.assigned_on = owner.id, today
    session.flush()
    return current


def _check_inspection(office: Office, inspection: Inspection) -> None:
    if not concerns_office(inspection, office):
        raise InvalidInput(f"inspection {inspection.id} is not one {office.short_name} answers")

