"""Record numbers as people type them: 3 or #3."""

from __future__ import annotations

from correspondence.records.errors import InvalidInput, NotFound
from correspondence.records.limits import INT32_MAX


def record_number(value: int | str, noun: str) -> int:
    """The number of a record, or an error telling where the numbers are shown. A number beyond
    what the database's id column holds names no record (and must not reach the database, where
    SQLite would overflow)."""
    try:
        number = int(str(value).strip().lstrip("#"))
    except ValueError:
        raise InvalidInput(f"{noun} {value!r}: expected its number, as shown by 'corr {noun} list'") from None
    if not 0 < number <= INT32_MAX:
        raise NotFound(f"no {noun} {value}; see 'corr {noun} list'")
    return number
