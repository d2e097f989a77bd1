"""The annex round trip: a table of findings goes to the force, comes back filled in, and its
updates are stored.

Rows are matched to areas by number (the No. column: R1, A3, C1, or "Recommendation 1") and by
text (the Area column). A row whose number and text disagree, or that matches nothing, is
reported and not guessed; by default nothing is stored while any row is unmatched.

Each request records what it pre-filled (an AnnexRequest), and a returned table names its request
(the Word annex's "Our ref", the CSV's "Our ref" column). So a row the force left as it was sent
is not a new update, and a stale return (a table sent before a newer update arrived) cannot move
a finding backwards without the person importing it saying so.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.drafting.context import AWAITING_UPDATE
from correspondence.files.inputs import MAX_INPUT_BYTES, read_text
from correspondence.files.outputs import atomic_file, from_spreadsheet_cell, spreadsheet_cell
from correspondence.files.packages import check_package
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.models import AnnexRequest, AnnexRequestRow, ImprovementArea, Inspection, Letter
from correspondence.records.vocabulary import UpdateStatus
from correspondence.register.letters import get_letter
from correspondence.tracking.finding_for import is_for_force
from correspondence.tracking.updates import add_update

COLUMNS = ("No.", "Area", "Status", "Update")
# Other headings the same columns go by: Annex A of an s.55 response says "Finding" and "Force's update".
_HEADINGS = {"Area": ("area", "finding"), "Update": ("update", "force's update", "force update")}
REQUEST_COLUMN = "Our ref"  # in CSV requests: which request the table answers
_REQUEST_LABEL = re.compile(r"annex request (\d+)", re.IGNORECASE)
STATUS_ORDER = (UpdateStatus.NOT_STARTED, UpdateStatus.IN_PROGRESS, UpdateStatus.COMPLETE)
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
    our_ref: str = ""  # a CSV row's "Our ref" cell


@dataclass
class Change:
    row: AnnexRow
    area: ImprovementArea
    status: UpdateStatus
    text: str
    before: str  # the latest update as it stood, for showing what changed
    as_sent: bool = False  # the row says what the request pre-filled: not an update
    held: str = ""  # why storing it needs --allow-backwards (it would go backwards), or empty

    @property
    def unchanged(self) -> bool:
        latest = self.area.latest_update
        return latest is not None and latest.status is self.status and latest.text == self.text

    @property
    def is_update(self) -> bool:
        """Whether the row says something new (it may still be held)."""
        return not self.unchanged and not self.as_sent


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
        if not row.status.strip() and _says_for_another(area, row):
            blank.append(row)  # Annex A's "This recommendation is for the Home Office.", returned as it was
            continue
        if not row.status.strip():
            unmatched.append(Unmatched(row, f"{area.code} has an update but no status"))
            continue
        try:
            status = UpdateStatus.parse(row.status, field=f"{area.code}'s Status")  # the row's number is said beside it
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


def record_request(session: Session, inspection: Inspection, *, form: str, made_on: dt.date,
                   letter_id: int | None = None, letter: Letter | None = None, flush: bool = True,
                   areas: list[ImprovementArea] | None = None) -> AnnexRequest:
    """Remember what a findings table sent to the force said, row by row: each finding's update
    as it stood on ``made_on``, the table's date (``areas``: the findings the table holds, when not all).

    A draft passes its ``letter`` not yet flushed, and ``flush=False``: the letter and the request
    are then written (and logged) in one flush."""
    request = AnnexRequest(inspection_id=inspection.id, letter_id=letter_id, form=form, made_on=made_on)
    if letter is not None:
        request.letter = letter
    for area in inspection.areas if areas is None else areas:
        latest = area.update_on(made_on)  # what a table of that date pre-fills
        request.rows.append(AnnexRequestRow(
            area_id=area.id, update_id=latest.id if latest else None,
            status=latest.status if latest else None, text=latest.text if latest else "",
        ))
    session.add(request)
    if flush:
        session.flush()
    return request


def find_request(session: Session, path: Path, rows: list[AnnexRow]) -> AnnexRequest | None:
    """The request a returned table answers: from its "Our ref" (Word) or its Our ref column (CSV)."""
    for row in rows:
        match = _REQUEST_LABEL.search(row.our_ref)
        if match:
            return session.get(AnnexRequest, int(match.group(1)))
    reference = reference_in(path)
    if reference is None:
        return None

    try:
        letter = get_letter(session, reference)
    except CorrespondenceError:
        return None
    return session.scalar(
        select(AnnexRequest).where(AnnexRequest.letter_id == letter.id).order_by(AnnexRequest.id.desc()).limit(1)
    )


def judge(session: Session, changes: list[Change], request: AnnexRequest | None, received_on: dt.date) -> None:
    """Mark rows left as they were sent, and rows that would take a finding backwards: a status
    lower than the latest, or a return older than the latest update (received later than this
    return's date, or recorded after its request went out and not in answer to it)."""
    for change in changes:
        if change.unchanged:
            continue
        sent = _prefilled(session, change.area, request)
        if any(row.status is change.status and row.text == change.text for row in sent):
            change.as_sent = True
            continue
        latest = change.area.latest_update
        if latest is None:
            continue
        code = change.area.code
        if STATUS_ORDER.index(change.status) < STATUS_ORDER.index(latest.status):
            change.held = f"{code} would move back from {latest.status} to {change.status}"
        elif latest.received_on > received_on:
            change.held = f"{code} would replace a newer update (received {long_date(latest.received_on)})"
        elif (request is not None and latest.recorded_at is not None and latest.request_id != request.id
              and _utc(latest.recorded_at) > _utc(request.created_at)):
            change.held = (f"{code} would replace an update recorded after this annex was sent "
                           f"on {long_date(request.made_on)}")


def store_changes(session, changes: list[Change], received_on: dt.date, today: dt.date,  # noqa: ANN001
                  request: AnnexRequest | None = None, allow_backwards: bool = False) -> int:
    """Store each row that is an update; held rows only with ``allow_backwards``."""
    stored = 0
    for change in changes:
        if not change.is_update or (change.held and not allow_backwards):
            continue
        add_update(session, change.area, status=change.status, text=change.text, received_on=received_on, today=today,
                   request_id=request.id if request else None)
        stored += 1
    return stored


def write_csv(session: Session, inspection: Inspection, path: Path, made_on: dt.date) -> Path:
    """The annex as CSV, with each area's latest update, for a force that prefers a spreadsheet.
    Its Our ref column names the request, so the returned file is matched to what was sent."""
    theirs = [area for area in inspection.areas if is_for_force(area)]  # not those for other bodies
    request = record_request(session, inspection, form="csv", made_on=made_on, areas=theirs)
    label = f"annex request {request.id}"
    with atomic_file(path) as temporary, temporary.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM lets Excel read UTF-8
        writer = csv.writer(handle)
        writer.writerow([*COLUMNS, REQUEST_COLUMN])
        for area in theirs:
            latest = area.update_on(made_on)
            writer.writerow([spreadsheet_cell(cell) for cell in (
                area.code, f"{area.kind.value[:1].upper()}{area.kind.value[1:]}: {area.text}",
                latest.status.value if latest else "", latest.text if latest else "", label)])
    return path


def _prefilled(session: Session, area: ImprovementArea, request: AnnexRequest | None) -> list[AnnexRequestRow]:
    """What the request sent for this area; with no known request, what any request sent."""
    query = select(AnnexRequestRow).where(AnnexRequestRow.area_id == area.id)
    if request is not None:
        query = query.where(AnnexRequestRow.request_id == request.id)
    return list(session.scalars(query))


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _update_text(row: AnnexRow) -> str:
    text = " ".join(row.update.replace(AWAITING_UPDATE, "").split())
    return "" if _AWAITING_NAMED.fullmatch(text) else text  # "Awaiting an update from Kent Police"


_AWAITING_NAMED = re.compile(r"Awaiting an update from [^.;:]{1,120}")


def _says_for_another(area: ImprovementArea, row: AnnexRow) -> bool:
    """Whether the row's update is what Annex A printed for a finding of another body's."""
    if is_for_force(area):
        return False
    said = " ".join(row.update.split())
    return said.startswith(f"This {area.kind.value} is for ") and said.endswith(".") and len(said) < 300


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
    found = {" ".join(cell.split()).lower(): index for index, cell in enumerate(records[0])}
    ref_position = found.get(REQUEST_COLUMN.lower())
    rows = []
    for line, record in enumerate(records[1:], start=2):
        cells = record + [""] * (len(records[0]) + 5)
        our_ref = from_spreadsheet_cell(cells[ref_position].strip()) if ref_position is not None else ""
        rows.append(AnnexRow(line, *(from_spreadsheet_cell(cells[positions[column]].strip()) for column in COLUMNS), our_ref=our_ref))
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
