"""The register as offices keep it: the spreadsheet export, the thread of a letter, and new
versions of sent letters.

A sent letter is never changed (a database trigger refuses it). A correction is a new version:
a draft that points to the letter it supersedes, with its own reference and its own file.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from correspondence import letter_files, references
from correspondence.errors import InvalidInput
from correspondence.letters import LetterFilter, file_text, filtered_query
from correspondence.models import Letter
from correspondence.outputs import atomic_file, spreadsheet_cell
from correspondence.rendering import safe_filename, sha256_of
from correspondence.vocabulary import LetterStatus

EXPORT_COLUMNS = (
    "Reference", "Date", "Direction", "Status", "Kind", "Office", "Force", "Addressee", "Addressee role",
    "Sender", "Subject", "cc", "Inspection", "Meeting", "Sent on", "Supersedes", "File", "SHA-256",
)


def export_rows(session: Session, wanted: LetterFilter) -> Iterator[list[str]]:
    """One row per letter, oldest first, streamed in batches as plain rows (no ORM object per
    letter), so a register of 100,000 letters costs little more than reading it."""
    from sqlalchemy.orm import aliased

    from correspondence.models import Force, Office

    earlier = aliased(Letter)
    letters = filtered_query(session, wanted).subquery()  # which ignores the filter's display limit
    query = (
        select(letters, Office.short_name, Office.letters_dir, Force.name, earlier.reference, earlier.id)
        .join(Office, Office.id == letters.c.office_id)
        .outerjoin(Force, Force.id == letters.c.force_id)
        .outerjoin(earlier, earlier.id == letters.c.supersedes_id)
        .order_by(letters.c.letter_date, letters.c.id)
        .execution_options(yield_per=2000)
    )
    folders: dict[str | None, Path] = {}
    for row in session.execute(query):
        letter, (office, letters_dir, force, earlier_reference, earlier_id) = row[:-5], row[-5:]
        c = dict(zip(letters.c.keys(), letter))
        file = ""
        if c["file_path"]:
            if letters_dir not in folders:
                folders[letters_dir] = Path(letters_dir) if letters_dir else letter_files.default_folder()
            recorded = Path(c["file_path"])
            file = str(recorded if recorded.is_absolute() else folders[letters_dir].joinpath(*PurePosixPath(c["file_path"]).parts))
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


def thread(session: Session, letter: Letter) -> list[Letter]:
    """The letters about the same inspection or meeting, and every version of this one, by date."""
    related = [Letter.id == letter.id, Letter.supersedes_id == letter.id]
    if letter.inspection_id:
        related.append(Letter.inspection_id == letter.inspection_id)
    if letter.meeting_id:
        related.append(Letter.meeting_id == letter.meeting_id)
    if letter.supersedes_id:
        related.append(Letter.id == letter.supersedes_id)
    query = select(Letter).where(Letter.office_id == letter.office_id, or_(*related)).order_by(Letter.letter_date, Letter.id)
    return list(session.scalars(query))


def supersede(session: Session, old: Letter, *, out_dir: Path | None, letter_date: dt.date, reference: str | None = None,
              file: Path | None = None) -> Letter:
    """A new draft version of a sent letter, pointing to it. Its file starts as a copy of the
    old one (or ``file``), to edit in Word and then mark sent; the old letter is left untouched.
    The copy is writable (the sent original is read-only) with the user's usual permissions."""
    if old.status is not LetterStatus.SENT:
        raise InvalidInput(f"letter {old.reference or '#' + str(old.id)} is {old.status}; only a sent letter is superseded (edit a draft instead)")
    reference = references.reserve(session, old.office, reference or _next_version(session, old))
    source = file or letter_files.location(old)
    target = None
    if source is not None:
        if not source.is_file():
            raise InvalidInput(f"{source}: {'is a folder, not a file' if source.is_dir() else 'no such file'}")
        target = letter_files.copy_into(session, source, out_dir or letter_files.letters_folder(old.office), safe_filename(reference))
    new = Letter(
        office=old.office, reference=reference, direction=old.direction, letter_date=letter_date,
        status=LetterStatus.DRAFT, kind=old.kind, sender=old.sender, addressee_name=old.addressee_name,
        addressee_role=old.addressee_role, addressee_address=old.addressee_address, cc=old.cc, subject=old.subject,
        force_id=old.force_id, inspection_id=old.inspection_id, meeting_id=old.meeting_id, supersedes=old,
        file_path=letter_files.stored_path(old.office, target) if target else None, file_sha256=sha256_of(target) if target else None,
        body_text=file_text(target) if target else "",
    )
    session.add(new)
    session.flush()
    return new


def _next_version(session: Session, old: Letter) -> str:
    base = old.reference or f"LETTER-{old.id}"
    for version in range(2, 1000):
        candidate = f"{base}-v{version}"
        if not references.is_issued(session, old.office, candidate):
            return candidate
    raise InvalidInput(f"{base} has too many versions")
