"""The annex round trip: a table of findings goes to the force, comes back filled in, and its
updates are stored.

Rows are matched to areas by number (the No. column: R1, A3, C1, or "Recommendation 1") and by
text (the Area column). A row whose number and text disagree, or that matches nothing, is
reported and not guessed; by default nothing is stored while any row is unmatched.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from correspondence.context import AWAITING_UPDATE
from correspondence.errors import InvalidInput
from correspondence.inputs import MAX_INPUT_BYTES, read_text
from correspondence.models import ImprovementArea, Inspection
from correspondence.outputs import check_new_file, from_spreadsheet_cell, spreadsheet_cell, writing
from correspondence.packages import check_package
from correspondence.updates import add_update
from correspondence.vocabulary import UpdateStatus

COLUMNS = ("No.", "Area", "Status", "Update")
# Other headings the same columns go by: Annex A of an s.55 response says "Finding" and "Force's update".
_HEADINGS = {"Area": ("area", "finding"), "Update": ("update", "force's update", "force update")}
_KIND_PREFIX = re.compile(r"^(?:cause of concern|recommendation|area for improvement)\s*:\s*", re.IGNORECASE)
_NUMBER = re.compile(
    r"^(?:(?P<code>[CRA])\s*(?P<n1>\d+)|(?P<word>cause of concern|recommendation|rec|area for improvement|afi)\s*(?P<n2>\d+)|(?P<bare>\d+))$",
    re.IGNORECASE,
)


@dataclass
class AnnexRow:
    line: int  # the row's position in the table (header is row 1), or the CSV line
    number: str
    area: str
    status: str
    update: str


@dataclass
class Change:
    row: AnnexRow
    area: ImprovementArea
    status: UpdateStatus
    text: str
    before: str  # the latest update as it stood, for showing what changed

    @property
    def unchanged(self) -> bool:
        latest = self.area.latest_update
        return latest is not None and latest.status is self.status and latest.text == self.text


@dataclass
class Unmatched:
    row: AnnexRow
    reason: str


def read_rows(path: Path) -> list[AnnexRow]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".docx":
        return _docx_rows(path)
    raise InvalidInput(f"{path}: an annex is read from .docx or .csv")


def match_rows(inspection: Inspection, rows: list[AnnexRow]) -> tuple[list[Change], list[Unmatched], list[AnnexRow]]:
    """(changes, rows that match no area, rows left blank by the force)."""
    changes, unmatched, blank = [], [], []
    for row in rows:
        if not row.status.strip() and not _update_text(row):
            blank.append(row)
            continue
        area, reason = _find_area(inspection, row)
        if area is None:
            unmatched.append(Unmatched(row, reason))
            continue
        if not row.status.strip():
            unmatched.append(Unmatched(row, f"{area.code} has an update but no status"))
            continue
        try:
            status = UpdateStatus.parse(row.status, field=f"row {row.line} Status")
        except InvalidInput as error:
            unmatched.append(Unmatched(row, str(error)))
            continue
        text = _update_text(row)
        if not text:
            unmatched.append(Unmatched(row, f"{area.code} has a status but no update text"))
            continue
        latest = area.latest_update
        before = f"{latest.status}: {latest.text}" if latest else "(no update)"
        changes.append(Change(row, area, status, text, before))
    claimed: dict[int, AnnexRow] = {}
    for change in changes:
        if change.area.id in claimed:
            raise InvalidInput(f"rows {claimed[change.area.id].line} and {change.row.line} both update {change.area.code}")
        claimed[change.area.id] = change.row
    return changes, unmatched, blank


def store_changes(session, changes: list[Change], received_on: dt.date, today: dt.date) -> int:  # noqa: ANN001
    stored = 0
    for change in changes:
        if change.unchanged:
            continue
        add_update(session, change.area, status=change.status, text=change.text, received_on=received_on, today=today)
        stored += 1
    return stored


def write_csv(inspection: Inspection, path: Path) -> Path:
    """The annex as CSV, with each area's latest update, for a force that prefers a spreadsheet."""
    check_new_file(path)
    with writing(path), path.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM lets Excel read UTF-8
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for area in inspection.areas:
            latest = area.latest_update
            writer.writerow([spreadsheet_cell(cell) for cell in (
                area.code, f"{area.kind.value[:1].upper()}{area.kind.value[1:]}: {area.text}",
                latest.status.value if latest else "", latest.text if latest else "")])
    return path


def _update_text(row: AnnexRow) -> str:
    return " ".join(row.update.replace(AWAITING_UPDATE, "").split())


def _find_area(inspection: Inspection, row: AnnexRow) -> tuple[ImprovementArea | None, str]:
    by_number = _area_by_number(inspection, row.number)
    text = _KIND_PREFIX.sub("", " ".join(row.area.split()))
    if by_number is not None:
        if text and _similarity(text, by_number.text) < 0.6:
            return None, f"No. {row.number} is {by_number.code}, but its Area text does not match that finding"
        return by_number, ""
    if row.number.strip():
        return None, f"No. {row.number!r} is not a finding of inspection {inspection.id}"
    if not text:
        return None, "the row has neither a No. nor an Area"
    scored = sorted(((_similarity(text, area.text), area) for area in inspection.areas), key=lambda pair: -pair[0])
    if scored and scored[0][0] >= 0.9 and (len(scored) == 1 or scored[1][0] < 0.9):
        return scored[0][1], ""
    return None, "its Area text matches no single finding"


def _area_by_number(inspection: Inspection, number: str) -> ImprovementArea | None:
    match = _NUMBER.match(" ".join(number.split()).rstrip("."))
    if not match:
        return None
    if match.group("code"):
        code = f"{match.group('code').upper()}{int(match.group('n1'))}"
    elif match.group("word"):
        letter = {"cause of concern": "C", "recommendation": "R", "rec": "R", "area for improvement": "A", "afi": "A"}[match.group("word").lower()]
        code = f"{letter}{int(match.group('n2'))}"
    else:
        kinds = {area.kind for area in inspection.areas}
        if len(kinds) != 1:
            return None  # a bare number is ambiguous when the report has more than one kind
        code = f"{inspection.areas[0].code[0]}{int(match.group('bare'))}"
    return next((area for area in inspection.areas if area.code == code), None)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.casefold().rstrip("."), b.casefold().rstrip(".")).ratio()


def _check_header(path: Path, header: list[str]) -> dict[str, int]:
    found = {" ".join(cell.replace("’", "'").split()).rstrip(".").lower(): index for index, cell in enumerate(header)}
    positions = {}
    for column in COLUMNS:
        key = next((name for name in _HEADINGS.get(column, (column.rstrip(".").lower(),)) if name in found), None)
        if key is None:
            shown = ", ".join(cell for cell in header if cell.strip()) or "nothing"
            raise InvalidInput(f"{path}: the annex table needs the columns {', '.join(COLUMNS)}; it has {shown}")
        positions[column] = found[key]
    return positions


def _csv_rows(path: Path) -> list[AnnexRow]:
    try:
        records = list(csv.reader(io.StringIO(read_text(path, MAX_INPUT_BYTES), newline="")))
    except csv.Error as error:
        raise InvalidInput(f"{path}: not a readable CSV file ({error})") from None
    if not records:
        raise InvalidInput(f"{path}: is empty")
    positions = _check_header(path, records[0])
    rows = []
    for line, record in enumerate(records[1:], start=2):
        cells = record + [""] * (len(COLUMNS) + 5)
        rows.append(AnnexRow(line, *(from_spreadsheet_cell(cells[positions[column]].strip()) for column in COLUMNS)))
    return rows


def _docx_rows(path: Path) -> list[AnnexRow]:
    import zipfile

    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    check_package(path)
    try:
        document = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InvalidInput(f"{path}: cannot be read as a Word .docx file ({type(error).__name__})") from None
    headers = []
    for table in document.tables:
        cells = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        if not cells:
            continue
        headers.append(cells[0])
        try:
            positions = _check_header(path, cells[0])
        except InvalidInput:
            continue
        return [
            AnnexRow(line, *(row[positions[column]] for column in COLUMNS))
            for line, row in enumerate(cells[1:], start=2)
            if not _group_row(row)
        ]
    if headers:
        _check_header(path, headers[0])  # raises, naming the columns the first table has
    raise InvalidInput(f"{path}: has no table; the annex table needs the columns {', '.join(COLUMNS)}")


def _group_row(cells: list[str]) -> bool:
    """A row across the whole table naming a group of findings ('Recommendations'): one merged
    cell, which python-docx reads as the same text in every column."""
    return len(cells) > 1 and bool(cells[0]) and len(set(cells)) == 1


def reference_in(path: Path) -> str | None:
    """The 'Our ref' printed on an annex we produced, to find its inspection."""
    if path.suffix.lower() != ".docx":
        return None
    from docx import Document

    check_package(path)
    text = "\n".join(paragraph.text for paragraph in Document(str(path)).paragraphs)
    match = re.search(r"Our ref:\s*(\S+?)\.?(?:\s|$)", text)
    return match.group(1) if match else None
