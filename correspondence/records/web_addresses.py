"""Web addresses a user gives (where a report or a response is published): only http and https.

A link stored from anyone is shown as a link to everyone, so a ``javascript:`` or ``data:`` address
(which a browser would run or open as a page) is refused where it is typed, once, for every place
that keeps one: an inspection's report link, a published response's address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from correspondence.records.errors import InvalidInput

MAX_LENGTH = 1000
SCHEMES = ("http", "https")


def web_address(value: str | None, *, field: str) -> str | None:
    """The address as given, stripped; None for none; refused unless it is http(s) with a host."""
    if value is None or not value.strip():
        return None
    address = value.strip()
    shown = address[:80]
    if len(address) > MAX_LENGTH or any(character.isspace() or ord(character) < 32 or ord(character) == 127 for character in address):
        raise InvalidInput(f"{shown!r} is not a web address (https://...)", field=field, value=address)
    parts = urlsplit(address)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise InvalidInput(f"{shown!r} is not a web address (https://...)", field=field, value=address)
    return address

