"""The chief officer's comments (s.55(4)), as received: kept for publication, their findings table
read into the force's updates; and, for publication, the force's own words in them (a reply made
on the office's own invitation, its table filled in, is published without the invitation around it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.drafting.annex import match_rows, read_rows, store_changes
from correspondence.files.documents import read_document
from correspondence.files.letter_versions import current_version
from correspondence.files.versions import as_file, latest
from correspondence.organisation.offices import get_office
from correspondence.organisation.users import require_role
from correspondence.process.accessible import Block, Run, docx_blocks
from correspondence.process.responses import advance, sent_invitation
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, Step
from correspondence.records.limits import fit
from correspondence.records.models import Letter, S55Response
from correspondence.records.vocabulary import Direction, LetterKind, ResponseStage, UserRole
from correspondence.register.letters import log_letter
from correspondence.tracking.inspections import get_inspection, get_response


@dataclass
class Comments:
    letter_id: int
    received_on: dt.date
    copy: Path | None  # the office's mirror folder's copy, when it has one; the reply itself is in the store
    changes: list[Any] = field(default_factory=list)
    unmatched: list[Any] = field(default_factory=list)
    blank: list[Any] = field(default_factory=list)
    stored: int = 0
    unchanged: list[bool] = field(default_factory=list)  # per change: it repeated the latest update, so was not stored


def add_comments(session: Session, inspection_id: int | str, office_name: str, path: Path, *, received_on: dt.date,
                 today: dt.date, reference: str | None = None, partial: bool = False, file_name: str | None = None) -> Comments:
    """Store the chief officer's reply: a received letter linked to the inspection, its file kept in
    the store (called ``file_name``, else by its own name) and its text kept for publication; its
    findings table, if it has one, read into force updates exactly as ``annex import`` reads it."""

    office = get_office(session, office_name)
    inspection = get_inspection(session, inspection_id)
    require_role(session, office, UserRole.DRAFTER)
    response = get_response(session, office, inspection)
    invitation = sent_invitation(office, inspection, response)
    assert response is not None
    if response.comments is not None:
        raise InvalidInput(
            f"the chief officer's comments on inspection {inspection.id} are already stored ({response.comments.label} of "
            f"{long_date(response.comments.letter_date)})",
            steps=[Step("record_later_updates", "later updates are recorded as the force's updates", inspection=inspection.id)],
        )
    if received_on > today:
        raise InvalidInput(f"{long_date(received_on)} is in the future", field="received_on")
    if invitation.sent_on and received_on < invitation.sent_on:
        raise InvalidInput(f"{long_date(received_on)} is before the invitation was sent, on {long_date(invitation.sent_on)}",
                           field="received_on")
    read_document(path)  # refuses an empty, damaged or unreadable file before anything is stored
    rows = _annex_rows(path)
    changes, unmatched, blank = match_rows(inspection, rows)
    if unmatched and not partial:
        reasons = "; ".join(f"row {item.row.line}: {item.reason}" for item in unmatched)
        raise InvalidInput(
            f"{path}: {len(unmatched)} row(s) of its findings table could not be matched ({reasons}), so nothing was "
            "stored", steps=[Step("store_matched_rows", f"correct them, or store the comments and the {len(changes)} matched row(s)",
                                  matched=len(changes))],
        )
    # made up here from the invitation's addressee, so shortened to fit rather than refused: the user cannot change it
    sender = fit(", ".join(part for part in (invitation.addressee_name, invitation.addressee_role) if part), Letter.sender)
    letter = log_letter(
        session, office=office, direction=Direction.IN, letter_date=received_on, reference=reference, sender=sender,
        subject=f"Comments on HMICFRS's report: {inspection.title}", kind=LetterKind.COMMENTS,
        inspection_id=inspection.id, file=path, file_name=file_name, today=today,
    )
    current = latest(session, letter=letter)
    copy = Path(current.mirror_path) if current is not None and current.mirror_path else None
    unchanged = [change.unchanged for change in changes]
    stored = store_changes(session, changes, received_on, today)
    response.comments_id = letter.id
    advance(response, ResponseStage.COMMENTS_RECEIVED)
    session.flush()
    return Comments(letter.id, received_on, copy, changes, unmatched, blank, stored, unchanged)


def _annex_rows(path: Path) -> list[Any]:
    """The findings table of the reply, if it has one: a .csv is one; a .docx may hold one."""

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_rows(path)
    if suffix != ".docx":
        return []
    try:
        return read_rows(path)
    except InvalidInput:
        return []  # a letter without our table: its text is still the comments


# --- the force's own words, for publication --------------------------------------------------------


def forms_sent(session: Session, response: S55Response) -> list[list[Block]]:
    """The forms the office sent the force about the report (the invitation and any reminder, each
    carrying the findings table, and the findings table on its own), as blocks: what a reply made on
    one of them holds that is not the force's own."""
    kinds = [LetterKind.INVITATION, LetterKind.REMINDER, LetterKind.ANNEX]
    query = select(Letter).where(Letter.office_id == response.office_id, Letter.inspection_id == response.inspection_id,
                                 Letter.kind.in_(kinds), Letter.direction == Direction.OUT)
    forms = []
    for letter in session.scalars(query.order_by(Letter.id)):
        version = current_version(session, letter)
        if version is not None and version.suffix == ".docx":
            with as_file(session, version) as path:
                forms.append(docx_blocks(path))
    return forms


def force_words(reply: list[Block], forms: list[list[Block]], caption: str) -> tuple[list[Block], bool]:
    """The force's own words in a reply made on one of the office's forms: its covering text and the
    rows of the findings table it filled in, without the form's letterhead, salutation, paragraphs
    and the rows left as they were sent. Only a reply that holds one of the form's paragraphs or its
    table is treated so; a line is left out only when it is the form's own, word for word (so
    anything the force changed is kept). Returns the blocks and whether anything was left out."""
    lines = {_plain(line) for form in forms for block in form for line in _lines(block)} - {""}
    tables = [block for form in forms for block in form if block.kind == "table"]
    rows = {tuple(_plain(cell) for cell in row) for table in tables for row in [table.header, *table.rows]}
    headers = {tuple(_plain(cell) for cell in table.header) for table in tables}
    long_lines = {line for line in lines if len(line) >= 40}
    on_form = any(line in long_lines for block in reply for line in map(_plain, _lines(block))) or any(
        block.kind == "table" and tuple(map(_plain, block.header)) in headers for block in reply)
    if not on_form:
        return reply, False
    kept: list[Block] = []
    left_out = False
    for block in reply:
        if block.kind == "table" and tuple(map(_plain, block.header)) in headers:
            filled = _filled_rows(block, rows)
            left_out = left_out or len(filled) < len(block.rows) or block.caption != caption
            if filled:
                kept.append(Block("table", caption=caption, header=block.header, rows=filled))
            continue
        if block.kind == "table":
            kept.append(block)
            continue
        trimmed = _without_lines(block, lines)
        left_out = left_out or trimmed is not block
        if trimmed is not None:
            kept.append(trimmed)
    return kept, left_out


def _filled_rows(table: Block, sent: set[tuple[str, ...]]) -> list[list[str]]:
    """The rows of a returned findings table that differ from the rows sent (the force's updates),
    each group's title kept over the rows kept beneath it."""
    filled: list[list[str]] = []
    title: list[str] | None = None
    for row in table.rows:
        if len(row) == 1 and len(table.header) > 1:  # a group's title ("Areas for improvement")
            title = row
        elif tuple(_plain(cell) for cell in row) not in sent:
            if title is not None:
                filled.append(title)
                title = None
            filled.append(row)
    return filled


def _without_lines(block: Block, form_lines: set[str]) -> Block | None:
    """``block`` without the lines that are the form's own: itself when none is, None when all are."""
    if block.kind in ("ul", "ol"):
        keep_items = [index for index, item in enumerate(block.items) if _plain("".join(run.text for run in item)) not in form_lines]
        if len(keep_items) == len(block.items):
            return block
        if not keep_items:
            return None
        levels = block.levels + [0] * (len(block.items) - len(block.levels))  # a level unsaid is the top
        kinds = block.kinds + [block.kind] * (len(block.items) - len(block.kinds))
        return replace(block, items=[block.items[index] for index in keep_items],  # each item kept with its level
                       levels=[levels[index] for index in keep_items], kinds=[kinds[index] for index in keep_items])
    pieces: list[list[Run]] = [[]]  # the block's lines: a letterhead's are one paragraph, split at its breaks
    for run in block.runs:
        if run.text == "\n":
            pieces.append([])
        else:
            pieces[-1].append(run)
    keep = [piece for piece in pieces if _plain("".join(run.text for run in piece)) not in form_lines]
    if len(keep) == len(pieces):
        return block
    if not keep:
        return None
    runs = [run for index, piece in enumerate(keep) for run in ([Run("\n")] if index else []) + piece]
    return replace(block, runs=runs)


def _lines(block: Block) -> list[str]:
    if block.kind in ("ul", "ol"):
        return ["".join(run.text for run in item) for item in block.items]
    if block.kind == "table":
        return []
    return block.text.split("\n")


def _plain(text: str) -> str:
    """Text as compared with the form's: spaces and quotation marks as typed do not count."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())
