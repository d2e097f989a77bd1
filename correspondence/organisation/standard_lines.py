"""Standard lines: an office's approved wording, kept by name and used in comments files.

Offices reuse the same sentences from letter to letter (a welcome, a line on victims, a promise
to hold the chief officer to account). A standard line is such a paragraph, kept once per office,
with placeholders that each letter fills in: ``{force}``, ``{chief_officer}``, ``{inspection}``...
A comments file includes one as ``[[name]]``. Placeholders are checked when a line is saved, so a
misspelt ``{forse}`` is refused then, not discovered in a letter.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotFound, Step
from correspondence.records.models import Office, StandardLine

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\s]*)\}")
INCLUSION = re.compile(r"\[\[\s*([^\[\]]*?)\s*\]\]")


def _from(*keys: str) -> Callable[[dict[str, Any]], str | None]:
    def value(context: dict[str, Any]) -> str | None:
        current: Any = context
        for key in keys:
            if not isinstance(current, dict) or key not in current or current[key] is None:
                return None
            current = current[key]
        return str(current)

    return value


# name -> (what it becomes, how to find it in a letter's context). None means the letter has none.
PLACEHOLDERS: dict[str, tuple[str, Callable[[dict[str, Any]], str | None]]] = {
    "office": ("the office as it reads mid-sentence: the Mayor's Office for Policing and Crime", _from("office", "in_sentence")),
    "signatory": ("who signs the letter", _from("office", "signatory_name")),
    "signatory_title": ("the signatory's title", _from("office", "signatory_title")),
    "addressee": ("the addressee's name", _from("addressee", "name")),
    "date": ("the letter's date", _from("date")),
    "inspectorate": ("the inspectorate's name on the letter's date", _from("inspectorate", "name")),
    "inspectorate_short": ("HMICFRS (HMIC before July 2017)", _from("inspectorate", "short_name")),
    "force": ("the force as it reads mid-sentence: the Metropolitan Police Service, Kent Police", _from("force", "in_sentence")),
    "force_name": ("the force's name as stored", _from("force", "name")),
    "chief_officer": ("the chief officer's title: Chief Constable or Commissioner", _from("force", "chief_officer_title")),
    "inspection": ("the report's title (s.55 responses)", _from("inspection", "title")),
    "programme": ("the inspection programme (s.55 responses)", _from("inspection", "programme")),
    "published": ("the report's publication date (s.55 responses)", _from("inspection", "published")),
    "overall_grade": ("the overall grade, e.g. good (s.55 responses)", _from("inspection", "overall_grade")),
    "findings": ("e.g. two recommendations and three areas for improvement (s.55 responses)", _from("area_summary")),
    "meeting": ("the meeting's title (follow-ups)", _from("meeting", "title")),
    "held_on": ("the meeting's date (follow-ups)", _from("meeting", "held_on")),
}


def placeholders_in(text: str) -> list[str]:
    """The placeholder names ``text`` uses ({{ and }} are literal braces)."""
    return [match.group(1) for match in PLACEHOLDER.finditer(text) if match.group(1) is not None]


def check_placeholders(text: str) -> None:
    unknown = [name for name in placeholders_in(text) if name not in PLACEHOLDERS]
    if unknown:
        raise InvalidInput(f"unknown placeholder {{{unknown[0]}}}; use one of {known_placeholders()} (write {{{{ for a brace)")


def known_placeholders() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def normal_name(name: str) -> str:
    cleaned = name.strip().lower()
    if not _NAME.match(cleaned):
        raise InvalidInput(f"standard line name {name!r}: use letters, digits, - and _ (e.g. welcome, victims-first)")
    return cleaned


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("a standard line must say something", field="text")
    if INCLUSION.search(text):
        raise InvalidInput("a standard line cannot include another ([[...]]); write its wording out")
    check_placeholders(text)
    return text


def add_line(session: Session, office: Office, name: str, text: str) -> StandardLine:
    name = normal_name(name)
    if find_line(session, office, name) is not None:
        raise InvalidInput(f"{office.short_name} already has a standard line {name!r}", steps=[Step("change_line", "change it instead", line=name)])
    line = StandardLine(office=office, name=name, text=_check_text(text))
    session.add(line)
    session.flush()
    return line


def set_line(session: Session, office: Office, name: str, text: str) -> StandardLine:
    line = get_line(session, office, name)
    if line.retired_on is not None:
        raise InvalidInput(f"the standard line [[{line.name}]] was retired on {long_date(line.retired_on)}; it cannot be changed")
    text = _check_text(text)
    if line.text != text:
        line.text = text
    session.flush()
    return line


def retire_line(session: Session, office: Office, name: str, on: dt.date) -> StandardLine:
    """Stop offering a standard line from ``on``: letters drafted with it keep their words, a new
    draft that includes it is refused, and its name is not used again."""
    line = get_line(session, office, name)
    if line.retired_on is not None:
        raise InvalidInput(f"the standard line [[{line.name}]] was already retired on {long_date(line.retired_on)}")
    line.retired_on = on
    session.flush()
    return line


def check_not_retired(session: Session, office: Office, text: str) -> None:
    """Refuse ``text`` (an office's own paragraphs) if it includes a retired standard line."""
    names = {match.group(1).strip().lower() for match in INCLUSION.finditer(text or "")}
    if not names:
        return
    retired = session.execute(select(StandardLine.name, StandardLine.retired_on).where(
        StandardLine.office_id == office.id, StandardLine.name.in_(names), StandardLine.retired_on.is_not(None))).first()
    if retired is not None:
        raise InvalidInput(f"the standard line [[{retired.name}]] was retired on {long_date(retired.retired_on)}; write its "
                           "wording out, or use another of the office's standard lines")


def remove_line(session: Session, office: Office, name: str) -> None:
    session.delete(get_line(session, office, name))
    session.flush()


def get_line(session: Session, office: Office, name: str) -> StandardLine:
    line = find_line(session, office, normal_name(name))
    if line is None:
        raise NotFound(f"{office.short_name} has no standard line {name.strip()!r}",
                   steps=[Step("list_lines", "see the office's standard lines", office=office.short_name)])
    return line


def find_line(session: Session, office: Office, name: str) -> StandardLine | None:
    return session.scalar(select(StandardLine).where(StandardLine.office_id == office.id, StandardLine.name == name))


def list_lines(session: Session, office: Office, *, retired: bool = False) -> list[StandardLine]:
    """The office's standard lines in use, by name; with ``retired``, the retired ones too."""
    query = select(StandardLine).where(StandardLine.office_id == office.id).order_by(StandardLine.name)
    if not retired:
        query = query.where(StandardLine.retired_on.is_(None))
    return list(session.scalars(query))


def fill(text: str, context: dict[str, Any], letter_kind: str) -> str:
    """``text`` with each placeholder replaced from the letter's context. A placeholder this kind
    of letter has no value for (``{meeting}`` in an s.55 response) is an error, not a blank."""

    def value(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise InvalidInput(f"unknown placeholder {{{name}}}; use one of {known_placeholders()} (write {{{{ for a brace)")
        found = PLACEHOLDERS[name][1](context)
        if found is None or found == "":
            raise InvalidInput(f"{{{name}}} has no value in {letter_kind}")
        return found

    return PLACEHOLDER.sub(value, text)
