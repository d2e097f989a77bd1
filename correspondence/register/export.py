"""The register as offices keep it: a spreadsheet (CSV or Excel) of the letters chosen."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from correspondence.files.outputs import atomic_file, spreadsheet_cell
from correspondence.records.models import FileVersion, Force, Letter, Office
from correspondence.records.vocabulary import FilePurpose
from correspondence.register.letters import LetterFilter, filtered_query

EXPORT_COLUMNS = (
    "Reference", "Date", "Direction", "Status", "Kind", "Office", "Force", "Addressee", "Addressee role",
    "Sender", "Subject", "cc", "Inspection", "Meeting", "Sent on", "Supersedes", "File", "SHA-256",
)


def export_rows(session: Session, wanted: LetterFilter) -> Iterator[list[str]]:
    """One row per letter, oldest first, streamed in batches as plain rows (no ORM object per
    letter), so a register of 100,000 letters costs little more than reading it."""
    from sqlalchemy.orm import aliased

    earlier = aliased(Letter)
    current = aliased(FileVersion)
    letters = filtered_query(session, wanted).subquery()  # which ignores the filter's display limit
    latest = (select(FileVersion.letter_id, func.max(FileVersion.number).label("number"))
              .where(FileVersion.purpose == FilePurpose.LETTER).group_by(FileVersion.letter_id).subquery())
    query = (
        select(letters, Office.short_name, current.file_name, latest.c.number, Force.name, earlier.reference, earlier.id)
        .join(Office, Office.id == letters.c.office_id)
        .outerjoin(latest, latest.c.letter_id == letters.c.id)
        .outerjoin(current, (current.letter_id == letters.c.id) & (current.purpose == FilePurpose.LETTER)
                   & (current.number == latest.c.number))
        .outerjoin(Force, Force.id == letters.c.force_id)
        .outerjoin(earlier, earlier.id == letters.c.supersedes_id)
        .order_by(letters.c.letter_date, letters.c.id)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(query):
        letter, (office, file_name, number, force, earlier_reference, earlier_id) = row[:-6], row[-6:]
        c = dict(zip(letters.c.keys(), letter))
        file = f"{file_name} (version {number})" if file_name else ""  # the current version, kept in the store
        yield [
            c["reference"] or "", c["letter_date"].isoformat(), c["direction"].value, c["status"].value,
            c["kind"].value, office, force or "", c["addressee_name"], c["addressee_role"], c["sender"], c["subject"], c["cc"],
            str(c["inspection_id"] or ""), str(c["meeting_id"] or ""),
            c["sent_on"].isoformat() if c["sent_on"] else "",
            (earlier_reference or f"#{earlier_id}") if earlier_id else "",
            file, c["file_sha256"] or "",
        ]


def write_csv(rows: Iterator[list[str]], path: Path) -> int:
    """The register as CSV; no cell can run as a formula when Excel opens it (see spreadsheet_cell)."""
    count = 0
    # Written whole under a temporary name, then put in place (the caller has checked the name).
    with atomic_file(path, overwrite=True) as temporary, temporary.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM lets Excel read UTF-8
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow([spreadsheet_cell(cell) for cell in row])
            count += 1
    return count


def write_xlsx(rows: Iterator[list[str]], path: Path) -> int:
    """The register as a workbook: text cells are text, never formulas (see spreadsheet_cell)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.freeze_panes = "A2"
    header = []
    for title in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        row[1] = dt.date.fromisoformat(row[1])  # real dates, so the spreadsheet sorts and filters them
        if row[14]:
            row[14] = dt.date.fromisoformat(row[14])
        sheet.append([spreadsheet_cell(cell) for cell in row])
        count += 1
    with atomic_file(path, overwrite=True) as temporary:
        workbook.save(str(temporary))
    return count
