"""Reading an export a value at a time, so that restoring a store of every file it keeps never holds
their bytes in memory at once (100,000 letters of 16 KB are over 2 GB of base64 text).

The export is one JSON object (backup.py writes it). ``read_export_stream`` walks it with the
standard decoder one value at a time, whatever its layout (the tool writes one row a line; a file
laid out again by another program reads the same), hashing the rows as they pass in the canonical
form of ``backup.checksum`` and handing each row to ``keep``, which may return a slimmer copy to
keep (restore keeps a stored file's row without its bytes, checked as they passed, and reads them
again when it writes them: ``rows_of``).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"
CHUNK = 1 << 20


class NotInOrder(Exception):
    """The tables are not in the order the checksum hashes them (by name): read the document whole instead."""


class _Reader:
    """JSON values, one at a time, from a text stream read a megabyte at a time."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.buffer, self.position, self.ended = stream, "", 0, False

    def _more(self, at_least: int = CHUNK) -> bool:
        chunk = "" if self.ended else self.stream.read(max(at_least, CHUNK))
        if not chunk:
            self.ended = True
            return False
        self.buffer = self.buffer[self.position:] + chunk
        self.position = 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end), not consumed."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in _WHITESPACE:
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self._more():
                return ""

    def expect(self, character: str) -> None:
        if self.peek() != character:
            raise ValueError(f"expected {character!r} at character {self.position} of a chunk")
        self.position += 1

    def value(self) -> Any:
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError:
                if not self._more(len(self.buffer) - self.position):  # a value cut by the chunk: read as much again
                    raise
                continue
            if end == len(self.buffer) and not isinstance(value, (dict, list, str)) and self._more():
                continue  # a number or word at the chunk's end may go on
            self.position = end
            return value


def read_export_stream(stream: IO[str], keep: Callable[[str, dict], dict]) -> tuple[dict[str, Any], str]:
    """The export document (each table's rows as ``keep`` returned them) and the SHA-256 of its
    rows in the canonical form ``backup.checksum`` gives. Raises ValueError (or json's
    JSONDecodeError) for a document that is not one JSON object, NotInOrder when its tables are
    not in name order (the checksum could not be taken as they pass)."""
    reader = _Reader(stream)
    document: dict[str, Any] = {}
    digest = hashlib.sha256(b"{")
    reader.expect("{")
    while reader.peek() != "}":
        if document:
            reader.expect(",")
        key = reader.value()
        reader.expect(":")
        if key == "tables" and reader.peek() == "{" and "tables" not in document:
            document["tables"] = _tables(reader, keep, digest)
        else:
            document[key] = reader.value()
    reader.expect("}")
    if reader.peek():
        raise ValueError("more follows the export's closing brace")
    digest.update(b"}")
    return document, digest.hexdigest()


def _tables(reader: _Reader, keep: Callable[[str, dict], dict], digest: Any) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    reader.expect("{")
    while reader.peek() != "}":
        if tables:
            reader.expect(",")
        name = reader.value()
        reader.expect(":")
        if not isinstance(name, str) or name in tables or (tables and name < list(tables)[-1]):
            raise NotInOrder(name)
        digest.update(f'{"," if tables else ""}{json.dumps(name, ensure_ascii=False)}:'.encode("utf-8"))
        if reader.peek() != "[":
            tables[name] = reader.value()
            digest.update(_canonical(tables[name]))
            continue
        reader.expect("[")
        rows: list[Any] = []
        digest.update(b"[")
        while reader.peek() != "]":
            if rows:
                reader.expect(",")
                digest.update(b",")
            row = reader.value()
            digest.update(_canonical(row))
            rows.append(keep(name, row) if isinstance(row, dict) else row)
        reader.expect("]")
        digest.update(b"]")
        tables[name] = rows
    reader.expect("}")
    return tables


def rows_of(stream: IO[str], table: str) -> Iterator[dict[str, Any]]:
    """The rows of one table of the export, one at a time, the others passed over unkept."""
    reader = _Reader(stream)
    reader.expect("{")
    first = True
    while reader.peek() != "}":
        if not first:
            reader.expect(",")
        first = False
        key = reader.value()
        reader.expect(":")
        if key != "tables":
            reader.value()
            continue
        reader.expect("{")
        named = False
        while reader.peek() != "}":
            if named:
                reader.expect(",")
            named = True
            name = reader.value()
            reader.expect(":")
            if name != table or reader.peek() != "[":
                _skip(reader)
                continue
            reader.expect("[")
            ahead = False
            while reader.peek() != "]":
                if ahead:
                    reader.expect(",")
                ahead = True
                yield reader.value()
            reader.expect("]")
        reader.expect("}")


def _skip(reader: _Reader) -> None:
    """Pass over one value; an array a value at a time, so a table of stored files is never held."""
    if reader.peek() != "[":
        reader.value()
        return
    reader.expect("[")
    first = True
    while reader.peek() != "]":
        if not first:
            reader.expect(",")
        first = False
        reader.value()
    reader.expect("]")


def text_stream(binary: IO[bytes]) -> IO[str]:
    """A UTF-8 text stream (a byte-order mark allowed) over a binary one."""
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
