"""Offices (local policing bodies) and the forces they oversee."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from correspondence.files.letter_files import check_mirror_folder
from correspondence.organisation.reference_schemes import check_scheme
from correspondence.records.dates import DEFAULT_FORMAT, check_format, long_date
from correspondence.records.errors import InvalidInput, NotFound, Step, named
from correspondence.records.models import DEFAULT_CHIEF_OFFICER_TITLE, Force, Office, OfficeAddress


def add_force(session: Session, name: str, chief_officer_title: str | None = None) -> Force:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("force name must not be empty")
    if _force_named(session, name):
        raise InvalidInput(f"force {name!r} already exists")
    force = Force(name=name, chief_officer_title=(chief_officer_title or "").strip() or usual_chief_officer_title(name))
    session.add(force)
    session.flush()
    return force


# The forces whose chief officer is not a Chief Constable, by the names they go by (folded): the
# Metropolitan Police and the City of London Police are led by a Commissioner. A letter to Cressida
# Dick must not open "Dear Chief Constable" because nobody typed the title when adding the force.
_COMMISSIONER_LED = frozenset({"metropolitan police service", "metropolitan police", "the met", "mps",
                               "city of london police"})


def usual_chief_officer_title(force_name: str) -> str:
    """The title the force's chief officer holds: Commissioner for the Met and the City of London
    Police, Chief Constable for every other force."""
    folded = " ".join(force_name.replace("’", "'").split()).casefold()
    return "Commissioner" if folded in _COMMISSIONER_LED else DEFAULT_CHIEF_OFFICER_TITLE


def get_force(session: Session, name: str) -> Force:
    force = _force_named(session, name)
    if force is None:
        raise NotFound(f"no force named {name!r}", steps=[Step("add_force", "add the force first", force=name)])
    return force


def get_or_add_force(session: Session, name: str) -> Force:
    return _force_named(session, name) or add_force(session, name)


def list_forces(session: Session) -> list[Force]:
    return list(session.scalars(select(Force).order_by(Force.name)))


def add_office(
    session: Session,
    *,
    name: str,
    short_name: str,
    address: str = "",
    signatory_name: str = "",
    signatory_title: str = "",
    reference_scheme: str = "{seq}",
    force: Force | None = None,
    date_format: str = DEFAULT_FORMAT,
    letterhead: str = "",
    letters_dir: Path | None = None,
    require_approval: bool = True,
) -> Office:
    """Add an office. Its files are kept in the store; ``letters_dir`` names a folder of its own to
    mirror them into as well (made if missing, recorded as an absolute path, never another office's).
    A second person's approval before a letter is sent is on unless the office turns it off: an
    unapproved letter marked sent without a word is what an office least expects."""
    short_name = short_name.strip()
    if not name.strip() or not short_name:
        raise InvalidInput("an office needs a name and a short name")
    if any(character.isspace() for character in short_name):
        raise InvalidInput(f"short name {short_name!r}: must be one word, e.g. MOPAC or LLR")
    if _office_named(session, short_name):
        raise InvalidInput(f"office {short_name!r} already exists")
    office = Office(
        name=name.strip(),
        short_name=short_name,
        address=address.strip(),
        signatory_name=signatory_name.strip(),
        signatory_title=signatory_title.strip(),
        reference_scheme=check_scheme(reference_scheme),
        force=force,
        date_format=check_format(date_format),
        letterhead=letterhead.strip(),
        require_approval=bool(require_approval),
    )
    if letters_dir is not None:
        folder = Path(letters_dir).expanduser()
        check_mirror_folder(session, office, str(folder))  # another office's: refused before anything is made
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InvalidInput(f"{letters_dir}: cannot be made ({error.strerror or error})", field="letters_dir", value=letters_dir) from None
        office.letters_dir = check_mirror_folder(session, office, check_letters_folder(str(folder)))
    session.add(office)
    session.flush()
    return office


SETTABLE = ("name", "address", "signatory_name", "signatory_title", "reference_scheme", "date_format", "letterhead",
            "reply_by_days", "require_approval", "letters_dir")


def update_office(session: Session, office: Office, **changes: str | int | bool | None) -> list[str]:
    """Change the given settings (None means leave alone); returns the names changed."""
    checks = {"reference_scheme": check_scheme, "date_format": check_format, "reply_by_days": check_reply_by_days,
              "require_approval": bool}
    changed = []
    for field, value in changes.items():
        if field not in SETTABLE:
            raise InvalidInput(f"{field} is not an office setting")
        if value is None:
            continue
        if field == "letters_dir":  # an empty folder stops the mirror; another office's is refused
            value = check_mirror_folder(session, office, check_letters_folder(str(value))) if str(value).strip() else None
        else:
            try:
                value = checks.get(field, str.strip)(value)
            except InvalidInput as problem:  # said beside the setting it is about
                if problem.field:
                    raise
                raise InvalidInput(problem.refusal, field=field, value=value, steps=problem.steps) from None
        if field == "name" and not value:
            raise InvalidInput("name must not be empty")
        if getattr(office, field) != value:
            setattr(office, field, value)
            changed.append(field)
    session.flush()
    return changed


def check_reply_by_days(days: int) -> int:
    """Days after a report's publication that an invitation asks for the chief officer's comments
    by: at least one, and inside the 56 days the office has to publish its response."""
    if not 1 <= days <= 55:
        raise InvalidInput(f"{days} is not between 1 and 55 (the response must be published within 56 days)",
                           field="reply_by_days", value=days)
    return days


def check_letters_folder(value: str) -> str:
    """An existing folder, as an absolute path: the office's mirror folder, which it makes itself
    (on a shared drive, say) before naming it."""
    folder = Path(value.strip()).expanduser().resolve()
    if not folder.is_dir():
        raise InvalidInput(f"{value}: {'is a file, not a folder' if folder.exists() else 'no such folder'}", field="letters_dir", value=value)
    return str(folder)


def set_force(session: Session, office: Office, force_name: str | None) -> bool:
    """Set (or, with an empty name, clear) the force the office oversees; True when it changed."""
    force = get_force(session, force_name) if force_name else None
    if office.force_id == (force.id if force else None):
        return False
    office.force = force
    session.flush()
    return True


def set_chief_officer_title(session: Session, force: Force, title: str | None) -> bool:
    """Set the title of ``force``'s chief officer (empty: the usual one for the force). Forces are
    shared: every office overseeing the force gets the new title. True when it changed."""
    title = " ".join((title or "").split()) or usual_chief_officer_title(force.name)
    if len(title) > 200:
        raise InvalidInput("the chief officer's title is longer than 200 characters", field="chief_officer_title", value=title)
    if force.chief_officer_title == title:
        return False
    force.chief_officer_title = title
    session.flush()
    return True


def get_office(session: Session, short_name: str) -> Office:
    office = _office_named(session, short_name)
    if office is None:
        raise NotFound(f"no office {short_name!r}", steps=[Step("list_offices", "see the offices set up")])
    return office


def list_offices(session: Session) -> list[Office]:
    return list(session.scalars(select(Office).order_by(Office.short_name)))


def add_address(session: Session, office: Office, address: str, starts_on: dt.date | None, ends_on: dt.date | None) -> OfficeAddress:
    """Record the letterhead address the office had between two dates (either may be open).

    Offices move (MOPAC left The Queen's Walk for the Royal Docks at the turn of 2022), and a
    letter must carry the address of its own date. Periods may touch but not overlap.
    """
    address = "\n".join(line.strip() for line in address.splitlines() if line.strip())
    if not address:
        raise InvalidInput("give at least one address line", field="address")
    if starts_on is None and ends_on is None:
        raise InvalidInput(f"give {named('starts_on')}, {named('ends_on')} or both",
                           steps=[Step("set_office_address", "an address for all time is the office's own")])
    if starts_on and ends_on and ends_on < starts_on:
        raise InvalidInput(f"{long_date(ends_on)} is before {named('starts_on')} {long_date(starts_on)}", field="ends_on")
    start, end = starts_on or dt.date.min, ends_on or dt.date.max
    for other in office.addresses:
        other_start, other_end = other.starts_on or dt.date.min, other.ends_on or dt.date.max
        if start < other_end and other_start < end:
            raise InvalidInput(f"{office.short_name} already has an address {_period(other)}, which overlaps this one")
    record = OfficeAddress(office=office, address=address, starts_on=starts_on, ends_on=ends_on)
    session.add(record)
    session.flush()
    return record


def address_on(office: Office, day: dt.date) -> str:
    """The office's letterhead address on ``day``: the dated address covering it (on a moving
    day, the new one), else the office's own."""
    covering = [
        record for record in office.addresses
        if (record.starts_on is None or record.starts_on <= day) and (record.ends_on is None or day <= record.ends_on)
    ]
    if not covering:
        return office.address
    return max(covering, key=lambda record: record.starts_on or dt.date.min).address


def _period(record: OfficeAddress) -> str:
    if record.starts_on and record.ends_on:
        return f"from {long_date(record.starts_on)} until {long_date(record.ends_on)}"
    if record.starts_on:
        return f"from {long_date(record.starts_on)}"
    return f"until {long_date(record.ends_on)}"  # type: ignore[arg-type]


def _force_named(session: Session, name: str) -> Force | None:
    return session.scalar(select(Force).where(func.lower(Force.name) == " ".join(name.split()).lower()))


def _office_named(session: Session, short_name: str) -> Office | None:
    return session.scalar(select(Office).where(func.lower(Office.short_name) == short_name.strip().lower()))
