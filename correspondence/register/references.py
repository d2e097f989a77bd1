"""Letter references: taking the next one in an office's scheme, and the rule that a reference is
never used twice.

Every outgoing reference goes into the issued_references ledger, which a trigger keeps
append-only. Two references are the same if they differ only in case or spacing. What a scheme
may hold is organisation/reference_schemes.py's.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from correspondence.organisation.reference_schemes import (
    check_scheme,
    clean_reference,
    format_reference,
    initials_of,
    numbered_per_year,
    reference_key,
)
from correspondence.records.errors import InvalidInput, Step, named
from correspondence.records.limits import integer_range
from correspondence.records.models import IssuedReference, Office, ReferenceCounter
from correspondence.records.numbering import count_on, find_or_add

MAX_NUMBER = integer_range(ReferenceCounter.last_value)[1]  # the counter column's limit on every database


def is_issued(session: Session, office: Office, reference: str) -> bool:
    query = select(IssuedReference.id).where(
        IssuedReference.office_id == office.id,
        IssuedReference.reference_key == reference_key(reference),
    )
    return session.scalar(query) is not None


def reserve(session: Session, office: Office, reference: str) -> str:
    """Spend ``reference`` for ``office`` or refuse because it was used before."""
    reference = clean_reference(reference)
    if is_issued(session, office, reference):
        raise InvalidInput(f"reference {reference} has already been used by {office.short_name}; references are never reused")
    return _spend(session, office, reference)


def _spend(session: Session, office: Office, reference: str) -> str:
    """Record ``reference`` (clean, and just checked unused) as spent; the unique index refuses it
    if another transaction spent it since the check."""
    entry = IssuedReference(office_id=office.id, reference=reference, reference_key=reference_key(reference))
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError as error:  # someone else spent it between our check and our insert
        raise InvalidInput(f"reference {reference} has just been used by {office.short_name}") from error
    return reference


def _scope(scheme: str, on: dt.date) -> str:
    return str(on.year) if numbered_per_year(scheme) else "all"


def allocate(session: Session, office: Office, *, taken_on: dt.date, author: str = "") -> str:
    """The office's next reference under its scheme, spent in this transaction.

    ``taken_on`` is the letter's date: a reference's date and year are the letter's, not the day
    it was drafted. A number whose reference was already logged by hand is skipped, not reused.
    """
    scheme = check_scheme(office.reference_scheme)
    scope = _scope(scheme, taken_on)
    initials = initials_of(office.signatory_name)
    for _ in range(10_000):
        reference = clean_reference(
            format_reference(scheme, seq=_next_number(session, office, scope), taken_on=taken_on, initials=initials, author=author)
        )
        if not is_issued(session, office, reference):
            return _spend(session, office, reference)
    raise InvalidInput(f"{office.short_name}'s reference scheme {scheme!r} produced no unused reference")


def preview(session: Session, office: Office, *, on: dt.date, author: str = "") -> str:
    """The reference a letter dated ``on`` would take next, without spending it."""
    scheme = check_scheme(office.reference_scheme)
    counter = session.scalar(select(ReferenceCounter.last_value).where(
        ReferenceCounter.office_id == office.id, ReferenceCounter.scope == _scope(scheme, on)))
    seq = (counter or 0) + 1
    initials = initials_of(office.signatory_name)
    for _ in range(10_000):
        reference = format_reference(scheme, seq=seq, taken_on=on, initials=initials, author=author or "{author}")
        if not is_issued(session, office, reference):
            return reference
        seq += 1
    raise InvalidInput(f"{office.short_name}'s reference scheme {scheme!r} produced no unused reference")


def set_next_number(session: Session, office: Office, next_number: int, year: int | None = None) -> None:
    """Start (or restart) the running number, e.g. when moving from a spreadsheet at D2188.

    A scheme numbered per year keeps one running number per year, so the year must be named; a
    scheme numbered for all time has no year to name. Either mistake is refused rather than
    reported as a change that has no effect.
    """
    if not 1 <= next_number <= MAX_NUMBER:
        raise InvalidInput(f"{named('next_number')} must be from 1 to {MAX_NUMBER:,}", value=next_number)
    if year is not None and not 1900 <= year <= 9999:
        raise InvalidInput(f"{year} is not a year", field="year", value=year)
    scheme = office.reference_scheme
    if numbered_per_year(scheme) and year is None:
        raise InvalidInput(
            f"{office.short_name}'s reference scheme {scheme} numbers afresh each year: say which year with {named('year')}, "
            f"e.g. {named('next_number')} {next_number} {named('year')} {dt.date.today().year}"
        )
    if not numbered_per_year(scheme) and year is not None:
        raise InvalidInput(f"{office.short_name}'s reference scheme {scheme} numbers for all time, not per year: leave out {named('year')}")
    spent = _spent_with_number(session, office, next_number, year)
    if spent is not None:
        raise InvalidInput(f"{next_number} would give {spent} again, a reference already used; references are never reused, "
                           "so give a number after the last one used", field="next_number", value=next_number)
    scope = str(year) if year is not None else "all"
    session.flush()
    counter = find_or_add(  # locked, as a draft taking the next number locks it: one waits for the other
        session,
        lambda: session.scalar(select(ReferenceCounter).where(ReferenceCounter.office_id == office.id, ReferenceCounter.scope == scope)
                               .with_for_update()),
        lambda: ReferenceCounter(office_id=office.id, scope=scope, last_value=next_number - 1),
    )
    counter.last_value = next_number - 1
    session.flush()


def _spent_with_number(session: Session, office: Office, number: int, year: int | None) -> str | None:
    """A reference the office has already used that the scheme would give again with running number
    ``number`` (in ``year``, for a scheme numbered per year); None if there is none. The parts of the
    scheme that vary from letter to letter (the date, the author's initials) match anything."""
    pattern = []
    for literal, name, spec in _parts(office.reference_scheme):
        pattern.append(re.escape(reference_key(literal)) if literal else "")
        if name == "seq":
            pattern.append(r"(?<!\d)" + (str(number).zfill(int(spec)) if spec else str(number)))
        elif name in ("yy", "yyyy"):
            pattern.append((f"{year % 100:02d}" if name == "yy" else str(year)) if year is not None else (r"\d{2}" if name == "yy" else r"\d{4}"))
        elif name:
            pattern.append(".*?")
    found = re.compile("".join(pattern))
    for reference, key in session.execute(select(IssuedReference.reference, IssuedReference.reference_key)
                                          .where(IssuedReference.office_id == office.id)):
        if found.fullmatch(key):
            return reference
    return None


def _parts(scheme: str) -> list[tuple[str, str, str]]:
    """The scheme as (text before a field, the field's name, its spec), the last with no field."""
    parts, position = [], 0
    for match in re.finditer(r"\{([a-z]+)(?::([^}]*))?\}", scheme):
        parts.append((scheme[position:match.start()], match.group(1), match.group(2) or ""))
        position = match.end()
    parts.append((scheme[position:], "", ""))
    return parts


def _next_number(session: Session, office: Office, scope: str) -> int:
    """The scope's next running number, from its counter row (records/numbering.py): a second
    drafter waits at the row's lock until the first commits, then takes the number after."""
    number = count_on(session, ReferenceCounter.__table__, {"office_id": office.id, "scope": scope}, "last_value", MAX_NUMBER)
    if number is None:
        raise InvalidInput(
            f"{office.short_name}'s running reference number has reached {MAX_NUMBER:,}, the most it can hold",
            steps=[Step("restart_numbering", "restart it at a lower number", office=office.short_name)],
        )
    return number
