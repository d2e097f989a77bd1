"""What a value must be to be stored: checked once, here, for SQLite and PostgreSQL alike.

SQLite stores whatever it is given; PostgreSQL refuses a string longer than its column, a NUL
character or an integer beyond 32 bits, with a traceback. So an office whose SQLite database held
such a value could never move to PostgreSQL, and a letter holding a control character lost every
later "&" and "<" (Word's XML cannot hold control characters). Every row the store writes passes
through ``check_session`` (a before-flush hook installed by store.Store) before either database
sees it. The rules come from the column definitions, so a column added later is covered too:

- text: control characters are cleaned (see ``clean_text``), and a string longer than its
  column's length is refused, naming the record and field;
- integers: within the column's range (32-bit Integer, 64-bit BigInteger);
- decimals: within the column's precision;
- dates: not before 1900 (a year typed as 0019 is a typing slip, not a date in the register).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, Float, Integer, Numeric, SmallInteger, String, inspect
from sqlalchemy.orm import Session

from correspondence.records.dates import EARLIEST_YEAR
from correspondence.records.errors import InvalidInput

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1

# Line separators people paste: Word's manual line break (vertical tab), form feed (Word's page
# break), carriage returns, and Unicode's line and paragraph separators. Each becomes "\n", which
# a letter shows as a line break.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Every other control character (tab and newline are kept), the non-characters XML forbids, and
# lone surrogates (undecodable bytes in a command-line argument): none can be stored in a Word
# document, and none carries meaning in a letter.
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` fit for a letter: pasted line breaks as "\\n", other control characters removed,
    undecodable bytes as the replacement character."""
    if value.isprintable():  # the common case, and fast
        return value
    value = _LINE_BREAKS.sub("\n", value)
    value = _UNWANTED.sub("", value)
    return _SURROGATES.sub("\ufffd", value)


def clean_context(value: Any) -> Any:
    """Every string in a template context cleaned (for records stored before these checks)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: clean_context(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_context(item) for item in value)
    return value


def integer_range(column: Any) -> tuple[int, int]:
    """The smallest and largest value ``column`` (an Integer column) holds on every database."""
    column_type = getattr(column, "type", column)
    if isinstance(column_type, SmallInteger):
        return -(2**15), 2**15 - 1
    if isinstance(column_type, BigInteger):
        return -(2**63), INT64_MAX
    return -(2**31), INT32_MAX


def fit(text: str, column: Any) -> str:
    """``text`` shortened with an ellipsis to fit ``column`` (for text the tool makes up itself,
    such as a default subject built from a long inspection title)."""
    length = getattr(column.type, "length", None)
    if length is None or len(text) <= length:
        return text
    return text[: length - 1].rstrip() + "…"


def check_value(column: Any, value: Any, label: str) -> Any:
    """``value`` as it may be stored in ``column`` (text cleaned), or InvalidInput naming ``label``."""
    if value is None:
        return None
    column_type = column.type
    if isinstance(value, str):
        value = clean_text(value)
        length = getattr(column_type, "length", None)
        if isinstance(column_type, String) and length is not None and len(value) > length:
            raise InvalidInput(f"{label} is too long ({len(value):,} characters; at most {length:,} fit)")
        return value
    if isinstance(column_type, Integer) and isinstance(value, int) and not isinstance(value, bool):
        low, high = integer_range(column_type)
        if not low <= value <= high:
            raise InvalidInput(f"{label}: {value} is out of range (at most {high:,})")
        return value
    if isinstance(column_type, Numeric) and not isinstance(column_type, Float) and isinstance(value, (int, float, Decimal)):
        precision, scale = column_type.precision, column_type.scale or 0
        if precision is not None and abs(Decimal(value)) >= Decimal(10) ** (precision - scale):
            raise InvalidInput(f"{label}: {value} is out of range (less than {10 ** (precision - scale):,})")
        return value
    if isinstance(column_type, (Date, DateTime)) and isinstance(value, dt.date) and value.year < EARLIEST_YEAR:
        raise InvalidInput(f"{label}: {value.isoformat()} is before {EARLIEST_YEAR}; check the year")
    return value


def check_row(table: Any, values: dict[str, Any]) -> dict[str, Any]:
    """A row about to be inserted with SQLAlchemy Core (the event log), checked like any other."""
    noun = _noun(table.name)
    return {
        key: check_value(table.c[key], value, f"{noun} {key.replace('_', ' ')}") if key in table.c else value
        for key, value in values.items()
    }


def check_session(session: Session, _flush_context: Any = None, _instances: Any = None) -> None:
    """Before a flush: clean and check every value about to be written (a before_flush hook)."""
    for obj in list(session.new) + list(session.dirty):
        _check_object(obj, new=obj in session.new)


def _check_object(obj: Any, *, new: bool) -> None:
    state = inspect(obj, raiseerr=False)
    if state is None or not hasattr(obj, "__table__"):
        return
    noun = _noun(obj.__table__.name)
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if new:
            if key not in state.dict:
                continue
            value = state.dict[key]
        else:
            added = state.attrs[key].history.added
            if not added:
                continue  # only what changes is checked: an old value is not this command's doing
            value = added[0]
        for column in attribute.columns:
            checked = check_value(column, value, f"{noun} {key.replace('_', ' ')}")
            if checked is not value:
                setattr(obj, key, checked)
                value = checked


def _noun(table_name: str) -> str:
    """'improvement_areas' -> 'improvement area', for messages."""
    words = table_name.replace("_", " ")
    if words.endswith("ies"):
        return words[:-3] + "y"
    return words[:-1] if words.endswith("s") else words
