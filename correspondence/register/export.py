"""The register as offices keep it: a spreadsheet (CSV or Excel) of the letters chosen.

As an office keeps its own: dates as dd/mm/yyyy (real dates in Excel, shown dd/mm/yyyy; the same
text in CSV), the inspection's title and the meeting's name rather than the tool's numbers for
them, the letter's file as its name, current version and SHA-256 (the file is in the store, not
at a path on the server), the s.55 copies to the Home Secretary and HMICFRS, the approval and
publication dates, the owner and reply-by date of a letter to answer. The Excel sheet has a filter
on its heading row, the heading frozen, and each column as wide as its longest value (up to a
limit, past which the text wraps).

Every value comes from one streamed query (plus one small one for the columns' widths), however
many letters there are: a register of 100,000 letters costs little more than reading it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from correspondence.files.outputs import atomic_file, spreadsheet_cell
from correspondence.records.dates import in_the_uk
from correspondence.records.models import (
    FileVersion,
    Force,
    Inspection,
    Letter,
    LetterClearance,
    Meeting,
    Office,
    ResponseCopy,
    S55Response,
    User,
)
from correspondence.records.shipped_roles import HOME_SECRETARY
from correspondence.records.vocabulary import ClearanceStep, FilePurpose
from correspondence.register.letters import LetterFilter, filtered_query

EXPORT_COLUMNS = (
    "Reference", "Date", "Direction", "Status", "Kind", "Office", "Force", "Addressee", "Addressee role",
    "Sender", "Subject", "cc", "Inspection", "Meeting", "Sent on", "Copy to the Home Secretary", "Copy to HMICFRS",
    "Approved on", "Published on", "Owner", "Reply by", "Supersedes", "File", "Version", "SHA-256",
)
DATE_COLUMNS = frozenset(index for index, title in enumerate(EXPORT_COLUMNS)
                         if title in ("Date", "Sent on", "Copy to the Home Secretary", "Copy to HMICFRS", "Approved on",
                                      "Published on", "Reply by"))
DATE_FORMAT = "dd/mm/yyyy"  # Excel's number format; CSV writes the same as text (csv_value)
WIDEST = 60  # characters: a longer value (a subject) wraps in its cell rather than widening the sheet
HMICFRS = "HMICFRS"


def export_rows(session: Session, wanted: LetterFilter) -> Iterator[list[Any]]:
    """One row per letter, oldest first, in EXPORT_COLUMNS' order: text, whole numbers, and dates
    (``datetime.date``) in the date columns; streamed in batches as plain rows (no ORM object per
    letter)."""
    earlier = aliased(Letter)
    current = aliased(FileVersion)
    owner = aliased(User)
    letters = filtered_query(session, wanted).subquery()  # which ignores the filter's display limit
    latest = (select(FileVersion.letter_id, func.max(FileVersion.number).label("number"))
              .where(FileVersion.purpose == FilePurpose.LETTER).group_by(FileVersion.letter_id).subquery())
    approved = (select(LetterClearance.letter_id, func.max(LetterClearance.occurred_at).label("at"))
                .where(LetterClearance.step == ClearanceStep.APPROVED).group_by(LetterClearance.letter_id).subquery())
    home_secretary, hmicfrs = (
        select(ResponseCopy.letter_id, func.max(ResponseCopy.sent_on).label("sent_on"))
        .where(ResponseCopy.recipient == recipient).group_by(ResponseCopy.letter_id).subquery()
        for recipient in (HOME_SECRETARY, HMICFRS)
    )
    published = (select(S55Response.letter_id, func.max(S55Response.published_on).label("on"))
                 .where(S55Response.letter_id.is_not(None)).group_by(S55Response.letter_id).subquery())
    query = (
        select(letters, Office.short_name, Force.name, Inspection.title, Meeting.title, Meeting.held_on,
               home_secretary.c.sent_on, hmicfrs.c.sent_on, approved.c.at, published.c.on, owner.full_name, owner.name,
               earlier.reference, earlier.letter_date, current.file_name, latest.c.number, current.sha256)
        .join(Office, Office.id == letters.c.office_id)
        .outerjoin(Force, Force.id == letters.c.force_id)
        .outerjoin(Inspection, Inspection.id == letters.c.inspection_id)
        .outerjoin(Meeting, Meeting.id == letters.c.meeting_id)
        .outerjoin(home_secretary, home_secretary.c.letter_id == letters.c.id)
        .outerjoin(hmicfrs, hmicfrs.c.letter_id == letters.c.id)
        .outerjoin(approved, approved.c.letter_id == letters.c.id)
        .outerjoin(published, published.c.letter_id == letters.c.id)
        .outerjoin(owner, owner.id == letters.c.owner_id)
        .outerjoin(earlier, earlier.id == letters.c.supersedes_id)
        .outerjoin(latest, latest.c.letter_id == letters.c.id)
        .outerjoin(current, (current.letter_id == letters.c.id) & (current.purpose == FilePurpose.LETTER)
                   & (current.number == latest.c.number))
        .order_by(letters.c.letter_date, letters.c.id)
        .execution_options(yield_per=2000)
    )
    names = list(letters.c.keys())
    extra = 16
    for row in session.execute(query):
        c = dict(zip(names, row[:-extra]))
        (office, force, inspection, meeting, held_on, to_home_secretary, to_hmicfrs, approved_at, published_on,
         owner_full, owner_login, earlier_reference, earlier_date, file_name, number, sha256) = row[-extra:]
        yield [
            c["reference"] or "", c["letter_date"], c["direction"].value, c["status"].value, c["kind"].value,
            office, force or "", c["addressee_name"] or "", c["addressee_role"] or "", c["sender"] or "", c["subject"] or "",
            c["cc"] or "", inspection or "", f"{meeting}, {held_on:%d/%m/%Y}" if meeting else "",
            c["sent_on"], to_home_secretary, to_hmicfrs,
            in_the_uk(approved_at).date() if approved_at else None, published_on,
            owner_full or owner_login or "", c["reply_by"],
            (earlier_reference or f"the letter of {earlier_date:%d/%m/%Y} with no reference") if c["supersedes_id"] else "",
            file_name or "", number or "", sha256 or c["file_sha256"] or "",
        ]


def csv_value(value: Any) -> Any:
    """A value as the CSV holds it: a date as dd/mm/yyyy, nothing as empty, text made inert (spreadsheet_cell)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return spreadsheet_cell(value)


def write_csv(rows: Iterator[list[Any]], path: Path) -> int:
    """The register as CSV; no cell can run as a formula when Excel opens it (see spreadsheet_cell)."""
    count = 0
    # Written whole under a temporary name, then put in place (the caller has checked the name).
    with atomic_file(path, overwrite=True) as temporary, temporary.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM lets Excel read UTF-8
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        for row in rows:
            writer.writerow([csv_value(cell) for cell in row])
            count += 1
    return count


def column_widths(session: Session, wanted: LetterFilter) -> list[float]:
    """Each column's width in Excel's units (characters), from the longest value the chosen letters
    hold in it: one query of maximum lengths, however many letters (the sheet is written as the rows
    stream, and Excel needs the widths before the first row)."""
    letters = filtered_query(session, wanted).subquery()
    longest = {
        "Reference": letters.c.reference, "Addressee": letters.c.addressee_name, "Addressee role": letters.c.addressee_role,
        "Sender": letters.c.sender, "Subject": letters.c.subject, "cc": letters.c.cc,
    }
    found = dict(zip(longest, session.execute(select(*(func.max(func.length(column)) for column in longest.values()))).one(),
                     strict=True))
    with_meeting = session.execute(
        select(func.max(func.length(Inspection.title)), func.max(func.length(Meeting.title)), func.max(func.length(Office.short_name)),
               func.max(func.length(Force.name)))
        .select_from(letters)
        .outerjoin(Inspection, Inspection.id == letters.c.inspection_id).outerjoin(Meeting, Meeting.id == letters.c.meeting_id)
        .outerjoin(Office, Office.id == letters.c.office_id).outerjoin(Force, Force.id == letters.c.force_id)).one()
    found.update(zip(("Inspection", "Meeting", "Office", "Force"), with_meeting, strict=True))
    found["Meeting"] = (found["Meeting"] or 0) + 12 if found.get("Meeting") else 0  # ", 21/04/2022"
    fixed = {"Direction": 9, "Status": 10, "Kind": 22, "Owner": 24, "Supersedes": 20, "File": 30, "Version": 8, "SHA-256": 66}
    widths = []
    for index, title in enumerate(EXPORT_COLUMNS):
        text = 10 if index in DATE_COLUMNS else max(found.get(title) or 0, fixed.get(title, 0))
        widths.append(min(max(text, len(title)) + 2, WIDEST if title != "SHA-256" else 66))  # a digest is read whole
    return widths


def write_xlsx(rows: Iterator[list[Any]], path: Path, widths: list[float] | None = None) -> int:
    """The register as a workbook: text cells are text, never formulas (see spreadsheet_cell); dates
    are dates shown dd/mm/yyyy; a filter on the heading row; ``widths`` (column_widths) for the columns."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"  # printed: the columns across as few pages as can be read
    sheet.page_setup.paperSize = "9"  # A4
    sheet.print_title_rows = "1:1"
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header = []
    for title in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    count = 0
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=spreadsheet_cell(value) if value is not None else None)
            if index in DATE_COLUMNS and value is not None:
                cell.number_format = DATE_FORMAT
            cell.alignment = wrap if isinstance(value, str) and len(value) > WIDEST - 2 else top
            cells.append(cell)
        sheet.append(cells)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(EXPORT_COLUMNS))}{count + 1}"
    with atomic_file(path, overwrite=True) as temporary:
        workbook.save(str(temporary))
    return count
