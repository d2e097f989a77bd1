"""The deadlines as a calendar feed (iCalendar) to subscribe to in Outlook: each response's last
day, and each invitation's reply-by date while the chief officer's comments are awaited."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from correspondence.files.outputs import check_own_file, writing
from correspondence.process.due import Due

ICS_PRODID = "-//correspondence//s.55 deadlines//EN"


def write_ics(items: list[Due], path: Path, now: dt.datetime, how_to_chase: Callable[[Due], str] = lambda item: "draft the reminder") -> Path:
    """An iCalendar file of the deadlines, one all-day event each, to subscribe to: the last day of
    each response, and the reply-by date of each invitation still awaiting the chief officer's comments.
    ``how_to_chase`` says, in the words of the face that wrote the feed, how to draft the reminder.

    It is a feed, so it replaces the previous one (atomically), but only a calendar this tool
    wrote: any other file at ``path`` (a letter, the database) is refused, never replaced.
    """

    check_own_file(path, f"PRODID:{ICS_PRODID}".encode(), "a calendar")

    stamp = now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ICS_PRODID}", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:s.55 response deadlines"]
    for item in items:
        if item.reply_by is not None and item.awaiting_comments:
            lines += [
                "BEGIN:VEVENT",
                f"UID:inspection-{item.inspection_id}-{item.office}-reply-by@correspondence",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{item.reply_by:%Y%m%d}",
                f"DTEND;VALUE=DATE:{item.reply_by + dt.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_ics_text(f'Chief officer comments due: {item.force}, {item.programme}')}",
                f"DESCRIPTION:{_ics_text(f'{item.title}: the reply-by date {item.office} set in its invitation to comment. If nothing has come, chase: {how_to_chase(item)}.')}",
                "END:VEVENT",
            ]
        uid = f"inspection-{item.inspection_id}" + (f"-{item.office}" if item.office else "")  # each office's own deadline
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid}-s55-response@correspondence",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due_on + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_ics_text(f's.55 response due: {item.force}, {item.programme}')}",
            f"DESCRIPTION:{_ics_text(f'{item.title}, published {item.published_on:%d/%m/%Y}. Last day to publish the comments. Now: {item.stage}; next: {item.next_step}.')}",
            "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-P7D", f"DESCRIPTION:{_ics_text('s.55 response due in 7 days')}", "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    content = "".join(_fold(line) + "\r\n" for line in lines)
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".calendar-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        os.replace(temporary, path)
    return path


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for character in line:
        piece = character.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)
