"""Dates that look like a slip: a letter of ours dated far ahead, or after its response's last day.

An invitation dated 01/01/2030 for a report whose last day was 14 January 2027 was once drafted,
spent its reference and stuck. So a letter the office drafts (the s.55 response, the invitation to
comment, the reminder, a follow-up, a reply...) is refused while its date, if after today,

- is more than one calendar month after today (7 December 2026 takes up to 7 January 2027), or
- for a letter of the s.55 process (invitation, reminder, the response itself), is after the
  response's last day (tracking/deadline.py: the 56th day, publication being day 1),

unless the person drafting confirms the date is right. Neither is wrong in itself (a response can be
late, and a letter may be dated ahead on purpose), so this asks rather than refuses outright. Only a
date after today is asked about: today (the date a form or command gives when none is typed) cannot
be a slip, and a date in the past records what happened; so an office drafting its late response
today is not asked each time, while a late letter dated ahead is. Nor is a letter received asked
about: it is dated as it came. This is the one place the rule lives; drafting calls it for every
letter it makes.
"""

from __future__ import annotations

import calendar
import datetime as dt

from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.models import Inspection
from correspondence.records.vocabulary import LetterKind
from correspondence.tracking.deadline import response_due

# The letters of the s.55 process, which have a last day: the response's.
PROCESS_KINDS = (LetterKind.INVITATION, LetterKind.REMINDER, LetterKind.S55_RESPONSE)

CONFIRM = Step("confirm_date", "confirm the date if it is right")


class DateToConfirm(InvalidInput):
    """A date refused until the user says it is right: each face offers its own way to say so
    (the step ``confirm_date``), and drafting is asked again with ``confirmed``."""


def one_month_after(day: dt.date) -> dt.date:
    """The same day of the next month, or that month's last day where it has no such day
    (31 January 2027 gives 28 February 2027)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_for(kind: LetterKind, inspection: Inspection | None) -> dt.date | None:
    """The last day a letter of ``kind`` about ``inspection`` should be dated by: the response's,
    for the letters of the s.55 process; none for any other letter."""
    if inspection is None or kind not in PROCESS_KINDS:
        return None
    return response_due(inspection.published_on)


def check_letter_date(day: dt.date, *, today: dt.date, last_day: dt.date | None = None, confirmed: bool = False,
                      field: str = "letter_date") -> None:
    """Refuse ``day`` as a letter's date (a DateToConfirm on ``field``) while it looks like a slip
    and is not ``confirmed``: more than a month after ``today``, or after ``last_day``. Exactly one
    month ahead, and the last day itself, are fine; so is today, and any day before it."""
    if confirmed or day <= today:
        return
    if day > one_month_after(today):
        raise DateToConfirm(f"{long_date(day)} is more than a month after today ({long_date(today)})",
                            field=field, value=day, steps=[CONFIRM])
    if last_day is not None and day > last_day:
        raise DateToConfirm(
            f"{long_date(day)} is after {long_date(last_day)}, the last day for the response; for a response that is "
            "late, that is expected", field=field, value=day, steps=[CONFIRM])
