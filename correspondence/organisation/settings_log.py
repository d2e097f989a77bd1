"""The latest changes to an office's settings, read from the event log: the office's own settings, its
force's chief officer's title, its reference numbering, standard lines, role holders, mail settings
and templates, each with who made it (their full name where they are a user) and what it was, in
words (never a column's name).

Four statements however many events there are: the events (the newest ``limit``), the users who
made them, and the standard lines and role holders they are about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from correspondence.records.dates import long_date
from correspondence.records.models import Event, Office, ReferenceCounter, RoleHolder, StandardLine, User

OFFICE_SETTINGS = {
    "name": "the office's full name", "short_name": "the office's short name", "address": "the postal address",
    "signatory_name": "who signs the letters", "signatory_title": "the signatory's title",
    "reference_scheme": "the reference scheme", "date_format": "how letters write dates", "letterhead": "the letterhead lines",
    "reply_by_days": "the days the chief officer is given to comment", "require_approval": "second-person approval",
    "letters_dir": "the folder for copies of the office's files", "force_id": "the force the office oversees",
}
KIND_NAMES = {"response": "s.55 response", "followup": "follow-up letter", "annex": "annex"}
# Tables whose rows belong to one office (their create event holds office_id).
OWNED = ("standard_lines", "role_holders", "mail_settings", "office_templates", "reference_counters")


@dataclass(frozen=True)
class SettingChange:
    occurred_at: dt.datetime
    who: str  # the user's full name, else their login name, else the name the change was made under
    what: str  # in words, starting with a capital


def settings_changes(session: Session, office: Office, limit: int = 20) -> list[SettingChange]:
    """The newest ``limit`` changes to ``office``'s settings, newest first."""
    created = aliased(Event)
    owned = [
        and_(Event.entity == table, Event.entity_id.in_(
            select(created.entity_id).where(created.entity == table, created.change == "create",
                                            created.data["office_id"].as_integer() == office.id)))
        for table in OWNED
    ]
    # A letter taking a number makes its year's counter unlogged: the counter's row says whose it is.
    owned.append(and_(Event.entity == "reference_counters", Event.entity_id.in_(
        select(ReferenceCounter.id).where(ReferenceCounter.office_id == office.id))))
    about_force = [and_(Event.entity == "forces", Event.entity_id == office.force_id)] if office.force_id else []
    events = list(session.scalars(
        select(Event).where(or_(and_(Event.entity == "offices", Event.entity_id == office.id), *about_force, *owned))
        .order_by(Event.id.desc()).limit(limit)))
    actors = {event.actor for event in events}
    people = {name: full or name for name, full in session.execute(select(User.name, User.full_name).where(User.name.in_(actors)))} if actors else {}
    line_ids = {event.entity_id for event in events if event.entity == "standard_lines"}
    holder_ids = {event.entity_id for event in events if event.entity == "role_holders"}
    lines = {row.id: row.name for row in session.execute(select(StandardLine.id, StandardLine.name).where(StandardLine.id.in_(line_ids)))} if line_ids else {}
    holders = {row.id: f"{row.name} as {row.role}" for row in session.execute(
        select(RoleHolder.id, RoleHolder.name, RoleHolder.role).where(RoleHolder.id.in_(holder_ids)))} if holder_ids else {}
    changes = []
    for event in events:
        what = _described(event, lines, holders)
        if what:
            changes.append(SettingChange(event.occurred_at, people.get(event.actor, event.actor), what[:1].upper() + what[1:]))
    return changes


def _described(event: Event, lines: dict[int, str], holders: dict[int, str]) -> str:
    data: dict[str, Any] = event.data or {}
    if event.entity == "offices":
        if event.change == "create":
            return "set up the office"
        return "; ".join(_setting(OFFICE_SETTINGS.get(name, name.replace("_", " ")), name, values) for name, values in data.items()
                         if name in OFFICE_SETTINGS)
    if event.entity == "forces":
        if "chief_officer_title" in data and event.change == "update":
            before, after = data["chief_officer_title"]
            return f"the chief officer's title changed from {before} to {after}"
        return f"added the force {data.get('name') or ''}".strip() if event.change == "create" else ""
    if event.entity == "standard_lines":
        name = data.get("name") if event.change != "update" else None
        name = name or lines.get(event.entity_id or 0, "")
        label = f"the standard line [[{name}]]" if name else "a standard line"
        if event.change == "create":
            return f"added {label}"
        if event.change == "delete":
            return f"removed {label}"
        if "retired_on" in data and data["retired_on"][1]:
            return f"retired {label}"
        return f"changed the wording of {label}"
    if event.entity == "role_holders":
        label = (f"{data.get('name')} as {data.get('role')}" if event.change != "update" else holders.get(event.entity_id or 0)) or "a role holder"
        if event.change == "create":
            return f"added {label}"
        if event.change == "delete":
            return f"removed {label}"
        if "ends_on" in data and data["ends_on"][1] and len(data) == 1:
            return f"ended the term of {label} on {_day(data['ends_on'][1])}"
        return f"changed {label}: " + ", ".join(_HOLDER_FIELDS.get(name, name.replace("_", " ")) for name in data)
    if event.entity == "mail_settings":
        return "set the mail settings" if event.change == "create" else "changed the mail settings"
    if event.entity == "office_templates":
        kind = KIND_NAMES.get(str(data.get("kind", "")), "a letter")
        if event.change == "create":
            return f"uploaded a template for the {kind}: {data.get('file_name', '')}".rstrip(": ")
        return f"removed the office's own {kind} template" if event.change == "delete" else f"replaced the {kind} template"
    if event.entity == "reference_counters":  # written as a setting only: a letter taking a number is not logged
        value = data.get("last_value")
        after = value[1] if isinstance(value, list) else value
        return f"set the next reference number to {after + 1}" if isinstance(after, int) else ""
    return ""


_HOLDER_FIELDS = {"name": "name", "title": "title as held", "salutation": "salutation", "address": "address",
                  "starts_on": "first day", "ends_on": "last day"}


def _setting(label: str, name: str, values: Any) -> str:
    before, after = values if isinstance(values, list) and len(values) == 2 else (None, values)
    if name == "require_approval":
        return f"turned {label} {'on' if after else 'off'}"
    if name in ("reply_by_days", "reference_scheme", "date_format", "short_name") and before is not None:
        return f"changed {label} from {before} to {after}"
    if name == "letters_dir" and not after:
        return f"stopped copying files to {before}" if before else f"changed {label}"
    return f"changed {label}"


def _day(value: str) -> str:
    try:
        return long_date(dt.date.fromisoformat(value))
    except ValueError:
        return value
