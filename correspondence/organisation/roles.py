"""Who held a role on a given date, so a letter "to the Home Secretary" finds its addressee.

Home Secretaries since 2010 ship with the tool (data/home_secretaries.csv); an office adds its
own roles, such as its Commissioner or Chief Constable, with their dates. On a handover day
(one holder's last day is the next one's first) the incoming holder is the one addressed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotFound, Step, named
from correspondence.records.models import Office, RoleHolder


def add_holder(
    session: Session,
    *,
    role: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    office: Office | None = None,
    salutation: str = "",
    address: str = "",
    title: str = "",
) -> RoleHolder:
    """Record a holder, refusing dates that run backwards or overlap another holder's term.

    ``title`` is the title as held when it differs from the role: an Acting Commissioner holds
    the role Commissioner (letters "to the Commissioner" find them) but is addressed as Acting
    Commissioner.
    """
    role = role.strip()
    if not role or not name.strip():
        raise InvalidInput("role and name must not be empty")
    _check_term(session, role, name, starts_on, ends_on, office)
    holder = RoleHolder(
        role=role,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        office=office,
        salutation=salutation or f"Dear {role}",
        address=address,
        title=" ".join(title.split()),
    )
    session.add(holder)
    return holder


def _check_term(session: Session, role: str, name: str, starts_on: dt.date, ends_on: dt.date | None, office: Office | None,
                itself: RoleHolder | None = None) -> None:
    """Refuse dates that run backwards or a term that overlaps another holder's of the same role."""
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(f"{long_date(ends_on)} is before {named('starts_on')}, {long_date(starts_on)}", field="ends_on")
    for other in _holders(session, role, office):
        if other is itself:
            continue
        other_end = other.ends_on or dt.date.max
        this_end = ends_on or dt.date.max
        # Terms may touch on a handover day but not share any other day.
        if starts_on < other_end and other.starts_on < this_end:
            refusal = f"{name} from {long_date(starts_on)} overlaps {other.name}'s term as {other.role} from {long_date(other.starts_on)}"
            if ends_on is None and other.starts_on > starts_on:  # an earlier holder, added without the end of their term
                raise InvalidInput(refusal, steps=[Step("give_end_of_term", f"give the day {name}'s term ended", holder=name)])
            raise InvalidInput(refusal)


CLEAR = object()  # update_holder(ends_on=CLEAR): the term has not ended after all


def update_holder(
    session: Session,
    holder: RoleHolder,
    *,
    name: str | None = None,
    title: str | None = None,
    salutation: str | None = None,
    address: str | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None | object = None,
) -> list[str]:
    """Correct an office's record of a role holder (None leaves a value alone; ``ends_on=CLEAR``
    reopens the term). The dates are checked as when the holder was added; the holders shipped with
    the tool are not the office's to change. Returns the names of what changed."""
    if holder.office_id is None:
        raise InvalidInput(f"{holder.name} as {holder.role} ships with the tool and cannot be changed; add the office's own record instead")
    new_name = " ".join(name.split()) if name is not None else holder.name
    if not new_name:
        raise InvalidInput("the holder's name must not be empty", field="name")
    new_start = starts_on or holder.starts_on
    new_end = holder.ends_on if ends_on is None else (None if ends_on is CLEAR else ends_on)
    _check_term(session, holder.role, new_name, new_start, new_end, holder.office, itself=holder)  # type: ignore[arg-type]
    values = {"name": new_name, "title": " ".join(title.split()) if title is not None else holder.title,
              "salutation": (salutation.strip() or f"Dear {holder.role}") if salutation is not None else holder.salutation,
              "address": _lines(address) if address is not None else holder.address, "starts_on": new_start, "ends_on": new_end}
    changed = [field for field, value in values.items() if getattr(holder, field) != value]
    for field in changed:
        setattr(holder, field, values[field])
    session.flush()
    return changed


def end_holder(session: Session, holder: RoleHolder, ends_on: dt.date) -> RoleHolder:
    """Record the last day of a holder's term (a Commissioner retiring, a Chief Constable leaving)."""
    if holder.office_id is None:
        raise InvalidInput(f"{holder.name} as {holder.role} ships with the tool and cannot be changed")
    if holder.ends_on is not None:
        raise InvalidInput(f"{holder.name}'s term as {holder.role} already ended on {long_date(holder.ends_on)}", field="ends_on")
    update_holder(session, holder, ends_on=ends_on)
    return holder


def get_holder(session: Session, holder_id: int, office: Office) -> RoleHolder:
    """One of ``office``'s own role holders by its number."""
    holder = session.get(RoleHolder, holder_id)
    if holder is None or holder.office_id != office.id:
        raise NotFound(f"{office.short_name} has no role holder {holder_id}")
    return holder


def find_holder(session: Session, role: str, name: str, office: Office, starts_on: dt.date | None = None) -> RoleHolder:
    """The office's own record of ``name`` as ``role`` (the term starting on ``starts_on``, when they
    held the role more than once)."""
    folded = " ".join(name.split()).casefold()
    found = [holder for holder in _holders(session, role, office) if holder.name.casefold() == folded
             and (starts_on is None or holder.starts_on == starts_on)]
    if not found:
        raise NotFound(f"{office.short_name} has no record of {name.strip()} as {role.strip()}"
                       + (f" from {long_date(starts_on)}" if starts_on else ""),
                       steps=[Step("add_role_holder", "add one", role=role, office=office.short_name)])
    if len(found) > 1:
        raise InvalidInput(f"{name.strip()} held the role {role.strip()} more than once (from "
                           + " and from ".join(long_date(holder.starts_on) for holder in found) + f"); say which with {named('starts_on')}")
    return found[0]


def _lines(value: str) -> str:
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


@dataclass
class Addressing:
    """Who a letter goes to: a role to resolve on the letter's date, a name given outright, or both."""

    name: str = ""
    role: str = ""
    salutation: str = ""
    address: str = ""


def addressing(session: Session, role: str, on: dt.date, office: Office | None = None) -> Addressing:
    """The holder of ``role`` on ``on``, as a letter addresses them: with the title they held."""
    holder = holder_on(session, role, on, office)
    return Addressing(name=holder.name, role=holder.title or holder.role, salutation=holder.salutation, address=holder.address)


def holder_on(session: Session, role: str, on: dt.date, office: Office | None = None) -> RoleHolder:
    """The holder of ``role`` on ``on``: the office's own record first, then the shipped ones
    (both read in one query: a draft asks this once per letter)."""
    query = select(RoleHolder).where(func.lower(RoleHolder.role) == role.strip().lower())
    if office is not None:
        query = query.where(or_(RoleHolder.office_id.is_(None), RoleHolder.office_id == office.id))
    else:
        query = query.where(RoleHolder.office_id.is_(None))
    holders = list(session.scalars(query))
    for scope_id in ([office.id] if office else []) + [None]:
        candidates = [
            holder
            for holder in holders
            if holder.office_id == scope_id and holder.starts_on <= on and (holder.ends_on is None or on <= holder.ends_on)
        ]
        if candidates:
            return max(candidates, key=lambda holder: holder.starts_on)
    raise NotFound(f"no holder of the role {role!r} is recorded on {long_date(on)}",
                   steps=[Step("add_role_holder", "add one", role=role, office=office.short_name if office else "")])


def list_holders(session: Session, role: str | None = None, office: Office | None = None) -> list[RoleHolder]:
    query = select(RoleHolder).order_by(RoleHolder.role, RoleHolder.starts_on)
    if role:
        query = query.where(func.lower(RoleHolder.role) == role.strip().lower())
    if office is not None:
        query = query.where(or_(RoleHolder.office_id.is_(None), RoleHolder.office_id == office.id))
    return list(session.scalars(query))


def _holders(session: Session, role: str, office: Office | None) -> list[RoleHolder]:
    query = select(RoleHolder).where(func.lower(RoleHolder.role) == role.strip().lower())
    query = query.where(RoleHolder.office_id == office.id if office else RoleHolder.office_id.is_(None))
    return list(session.scalars(query))
