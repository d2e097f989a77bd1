"""Drafting the s.55 response to every inspection an office has due and has not yet drafted.

An office that has fallen behind (or has just imported a year of reports) drafts them in one go.
Each letter is its own transaction: a letter that cannot be drafted (a recommendation with
neither an update nor an answer, an inspection of another force) is reported with the reason and
the rest are still drafted; nothing is skipped without saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from correspondence.drafting.drafts import Draft, DraftRequest
from correspondence.organisation.offices import get_office
from correspondence.process.due import due_responses
from correspondence.process.s55_letter import draft_response
from correspondence.records.errors import CorrespondenceError, InvalidInput, named
from correspondence.records.models import Letter
from correspondence.records.store import Store
from correspondence.records.transactions import in_one_transaction
from correspondence.records.vocabulary import Direction, LetterKind


@dataclass
class DueDraft:
    """What happened to one inspection the office has due."""

    inspection_id: int
    title: str
    draft: Draft | None = None
    drafted_before: list[str] | None = None  # the references of its s.55 letters already drafted
    error: CorrespondenceError | None = None  # why it could not be drafted, for each face to word

    @property
    def drafted(self) -> bool:
        return self.draft is not None


def draft_all_due(store: Store, request: DraftRequest, on_each: Callable[[DueDraft], None] | None = None) -> list[DueDraft]:
    """Draft the s.55 response to each inspection ``request.office`` has due (not yet published)
    and has no s.55 letter for yet, oldest report first, one transaction per letter.

    ``on_each`` hears of each inspection as it is done, so a long batch shows its progress."""
    if request.comments is not None or request.subject is not None:
        raise InvalidInput(f"{named('comments')} and {named('subject')} are one letter's; draft that inspection on its own with them")
    outcomes = []
    for inspection_id, title, drafted_before in _due(store, request):
        outcome = DueDraft(inspection_id, title, drafted_before=drafted_before or None)
        if not drafted_before:
            try:
                outcome.draft = in_one_transaction(store, lambda session, inspection_id=inspection_id: draft_response(session, inspection_id, request))
            except CorrespondenceError as error:
                outcome.error = error
        outcomes.append(outcome)
        if on_each is not None:
            on_each(outcome)
    return outcomes


def _due(store: Store, request: DraftRequest) -> list[tuple[int, str, list[str]]]:
    """(inspection id, title, references of its s.55 letters from the office) for each due."""
    from sqlalchemy import select

    with store.reading() as session:
        office = get_office(session, request.office)
        items = due_responses(session, request.today, office=office.short_name)
        ids = [item.inspection_id for item in items]
        letters: dict[int, list[str]] = {}
        for chunk in range(0, len(ids), 500):
            rows = session.execute(
                select(Letter.inspection_id, Letter.reference, Letter.id)
                .where(Letter.office_id == office.id, Letter.inspection_id.in_(ids[chunk : chunk + 500]),
                       Letter.kind == LetterKind.S55_RESPONSE, Letter.direction == Direction.OUT)
                .order_by(Letter.id)
            )
            for inspection_id, reference, letter_id in rows:
                letters.setdefault(inspection_id, []).append(reference or f"#{letter_id}")
        return [(item.inspection_id, item.title, letters.get(item.inspection_id, [])) for item in items]
