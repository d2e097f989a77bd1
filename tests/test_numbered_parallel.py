"""Numbered records written in parallel (issue 22, item 6): twenty people adding actions to one
meeting at the same moment, with real threads against a real database, all succeed, each with its
own number, none lost and none repeated."""

from __future__ import annotations

import threading

from correspondence.records.models import Action, Meeting
from correspondence.records.store import Store
from correspondence.tracking.actions import add_action

WRITERS, EACH = 20, 5


def test_twenty_writers_adding_actions_to_one_meeting_all_succeed(example_cli) -> None:  # noqa: ANN001
    store = Store(example_cli.db_url)
    with store.reading() as session:
        meeting_id = session.query(Meeting.id).scalar()
        before = session.query(Action).filter(Action.meeting_id == meeting_id).count()
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        start.wait()
        for number in range(EACH):
            try:
                with store.transaction() as session:
                    add_action(session, session.get(Meeting, meeting_id), text=f"Writer {writer}, action {number}.")
            except BaseException as error:  # noqa: BLE001 - every failure is the finding
                failures.append(error)

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    with store.reading() as session:
        actions = session.query(Action).filter(Action.meeting_id == meeting_id).all()
    store.dispose()
    assert failures == []
    numbers = sorted(action.number for action in actions)
    assert numbers == list(range(1, before + WRITERS * EACH + 1))  # none lost, none repeated, no gap
    assert {action.action for action in actions} >= {f"Writer {w}, action {n}." for w in range(WRITERS) for n in range(EACH)}

