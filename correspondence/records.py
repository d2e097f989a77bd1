"""Record numbers as people type them: 3 or #3."""

from __future__ import annotations

from correspondence.errors import InvalidInput


def record_number(value: int | str, noun: str) -> int:
    """The number of a record, or an error telling where the numbers are shown."""
    try:
        return int(str(value).strip().lstrip("#"))
    except ValueError:
        raise InvalidInput(f"{noun} {value!r}: expected its number, as shown by 'corr {noun} list'") from None
