"""Reading and writing dates the way UK policing letters do.

Letters are dated "7 September 2018"; people type "07/09/2018", "7/9/18", "2018-09-07" or
"13th September 2024". All of these are day-first: an ambiguous "04/05/2022" is 4 May, never
April 5. An impossible date such as 31/02/2019 is an error, not a guess, and so is a year before
1900: only a two-digit year (7/9/18) means this century, so "0019" is a slip, never 2019.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from correspondence.records.errors import InvalidInput

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_MONTH_NUMBERS = {name.casefold(): number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS.update({name[:3].casefold(): number for number, name in enumerate(MONTHS, start=1)})
_MONTH_NUMBERS["sept"] = 9

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$", re.IGNORECASE)
EARLIEST_YEAR = 1900


def parse_date(text: str | dt.date, field: str | None = None) -> dt.date:
    """A date from any common UK form, or an error naming ``field`` and saying what is wrong."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    cleaned = " ".join(str(text).replace("\u00a0", " ").split())
    day, month, year = _split(cleaned, field)
    if year < EARLIEST_YEAR:
        raise InvalidInput(f"{cleaned!r}: the year {year:04d} is before {EARLIEST_YEAR}; write the year in full, e.g. 2019",
                           field=field, value=cleaned)
    if not 1 <= month <= 12:
        raise InvalidInput(f"{cleaned!r} is not a real date (there is no month {month})", field=field, value=cleaned)
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise InvalidInput(
            f"{cleaned!r} is not a real date ({MONTHS[month - 1]} {year} has {days_in_month} days)", field=field, value=cleaned
        )
    return dt.date(year, month, day)


def _split(cleaned: str, field: str | None) -> tuple[int, int, int]:
    if match := _ISO.match(cleaned):
        year, month, day = (int(part) for part in match.groups())
        return day, month, year
    if match := _NUMERIC.match(cleaned):
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:  # 7/9/18: this century; a four-digit 0019 stays 19 and is refused
            year += 2000
        return day, month, year
    if match := _WORDS.match(cleaned):
        month_name = match.group(2).casefold()
        if month_name not in _MONTH_NUMBERS:
            raise InvalidInput(f"{cleaned!r}: {match.group(2)!r} is not a month", field=field, value=cleaned)
        return int(match.group(1)), _MONTH_NUMBERS[month_name], int(match.group(3))
    raise InvalidInput(f"{cleaned!r} is not a date; write it like 7 September 2018 or 07/09/2018", field=field, value=cleaned)


def long_date(value: dt.date) -> str:
    """'7 September 2018': the date style of every letter in the seeds, independent of locale."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


DEFAULT_FORMAT = "%-d %B %Y"
_DIRECTIVES = re.compile(r"%(-?)([dmBbYyAo%])")


def format_date(value: dt.date, pattern: str = DEFAULT_FORMAT) -> str:
    """``value`` in an office's chosen style, in English whatever the machine's locale.

    Directives: %d (07) %-d (7) %o (7th) %m (09) %-m (9) %B (September) %b (Sep) %Y (2018)
    %y (18) %A (Friday) %%. The default is the seeds' style, "7 September 2018".
    """

    def directive(match: re.Match[str]) -> str:
        unpadded, code = match.group(1) == "-", match.group(2)
        if code == "d":
            return str(value.day) if unpadded else f"{value.day:02d}"
        if code == "m":
            return str(value.month) if unpadded else f"{value.month:02d}"
        return {
            "o": f"{value.day}{_ordinal_suffix(value.day)}",
            "B": MONTHS[value.month - 1],
            "b": MONTHS[value.month - 1][:3],
            "Y": str(value.year),
            "y": f"{value.year % 100:02d}",
            "A": calendar.day_name[value.weekday()],
            "%": "%",
        }[code]

    return _DIRECTIVES.sub(directive, pattern)


def check_format(pattern: str) -> str:
    """Refuse a date format with an unknown directive, before it reaches a letter."""
    unknown = re.findall(r"%-?([^dmBbYyAo%-])", pattern)
    if unknown or pattern.endswith("%"):
        raise InvalidInput(f"date format {pattern!r}: unknown directive; use %d %-d %o %m %B %b %Y %y %A")
    return pattern


def _ordinal_suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored moment made comparable with any other: SQLite hands back naive times, stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def in_the_uk(moment: dt.datetime) -> dt.datetime:
    """A stored moment as the clock read in the UK, where the offices are (UTC on a Windows machine
    without the tzdata package, which has no zone database)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone: dt.tzinfo = ZoneInfo("Europe/London")
    except ZoneInfoNotFoundError:
        zone = dt.timezone.utc
    return as_utc(moment).astimezone(zone)
