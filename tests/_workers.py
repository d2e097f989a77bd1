"""Run in separate processes by test_concurrency.py: each drafts letters as a separate user would."""

from __future__ import annotations

import datetime as dt


def draft_many(db_url: str, count: int, start) -> list[str]:  # noqa: ANN001 - a multiprocessing Event
    from correspondence.drafting import drafts as drafting
    from correspondence.records.store import Store
    from correspondence.records.transactions import in_one_transaction

    store = Store(db_url)
    start.wait()  # everyone starts together, to make the race real
    taken = []
    for _ in range(count):
        request = drafting.DraftRequest(office="MOPAC", letter_date=dt.date(2018, 9, 7), today=dt.date(2018, 9, 6))  # copies: the office's folder
        draft = in_one_transaction(store, lambda session, request=request: drafting.draft_annex(session, 1, request))
        taken.append(draft.reference)
    store.dispose()
    return taken
