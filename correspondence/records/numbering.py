"""Taking the next number of a numbered record so that everyone doing it at once succeeds.

A meeting's actions, a letter's versions and an office's letter references are numbered 1, 2, 3...
Reading the highest number and inserting the next is a race: two people adding an action to one
meeting at the same moment both read 7 and both insert 8, and PostgreSQL refuses the second (it
refused 97 of 200 such writes in issue 22). Every "next number" the tool takes goes through this
module, in one of two ways, whichever fits the record:

- ``next_number``: records numbered within a parent row (a meeting's actions, an owner's file
  versions). The parent's row is locked first (SELECT ... FOR NO KEY UPDATE on PostgreSQL), then the
  highest number is read afresh, so a second writer waits at the lock until the first commits and
  then numbers after it. ``lock_parent`` alone is for a caller that reads the numbers itself (one
  that also accepts a number the user chose).
- ``count_on``: a counter row of its own (an office's running reference number, per year): one
  UPDATE ... RETURNING adds one and returns it, and the row lock it takes makes the next writer
  wait. The row is made on first use; two first uses at once both succeed.

SQLite needs no lock: the store begins every writing transaction with BEGIN IMMEDIATE, so writers
already take turns (see store.py). Neither way retries: with the lock held, nobody else can take
the number between the read and the insert. A row that is one of a kind with no parent to lock (the
counter itself, set by hand) is added with ``find_or_add``: inserted inside a SAVEPOINT, and when
another writer's insert won, theirs is found instead (as register/references.py spends a reference
typed by hand). tests/test_numbered_parallel.py runs twenty writers at once of each numbered record,
with real threads, on both databases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Table, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

T = TypeVar("T")


def lock_parent(session: Session, parent: Any, parent_id: int) -> None:
    """Hold ``parent``'s row ``parent_id`` until this transaction ends, so that whoever numbers its
    children next waits for us. FOR NO KEY UPDATE, not FOR UPDATE: it still lets others insert rows
    that refer to the parent (a letter about the meeting), which only need its key to stay."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(parent.id).where(parent.id == parent_id).with_for_update(key_share=True))


def next_number(session: Session, parent: Any, parent_id: int, number: InstrumentedAttribute, *where: Any) -> int:
    """The next free number (the highest + 1, or 1) in ``number`` among the rows matching ``where``,
    after locking the parent's row (see lock_parent); the caller inserts it in this transaction."""
    lock_parent(session, parent, parent_id)
    return (session.scalar(select(func.max(number)).where(*where)) or 0) + 1


def count_on(session: Session, table: Table, key: dict[str, Any], column: str, most: int) -> int | None:
    """Add one to the counter row of ``table`` found by ``key`` (made at 0 if there is none yet) and
    return its new value; None when it is already at ``most`` (the column's limit: SQLite would carry
    on in floating point). The UPDATE's row lock makes a second writer wait until this one commits."""
    matching = [table.c[name] == value for name, value in key.items()]
    counting = (
        update(table)
        .where(*matching, table.c[column] < most)
        .values({column: table.c[column] + 1})
        .returning(table.c[column])
    )
    number = session.execute(counting).scalar()
    if number is None:  # no row yet (or it is full): make it, unless another writer just has
        _make_counter(session, table, key, column)
        number = session.execute(counting).scalar()
    return number


def find_or_add(session: Session, find: Callable[[], T | None], make: Callable[[], T]) -> T:
    """The row ``find`` returns, else the new one ``make`` gives, inserted inside a SAVEPOINT; when
    another writer inserted the same row first (the unique index refuses ours), theirs, found again.
    For a row that is one of a kind without a parent to lock (a counter set by hand), written through
    the ORM so the event log records it."""
    found = find()
    if found is not None:
        return found
    new = make()
    try:
        with session.begin_nested():
            session.add(new)
            session.flush()
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found
    return new


def _make_counter(session: Session, table: Table, key: dict[str, Any], column: str) -> None:
    """The counter row at 0, unless it is there already or another writer is making it (then this
    waits for that writer on PostgreSQL, and finds its row)."""
    insert_unless_there(session, table, {**key, column: 0})


def insert_unless_there(session: Session, table: Any, values: dict[str, Any]) -> None:
    """Insert a row unless one with the same unique key is there, or is being inserted by another
    writer (INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike): for a row that must
    exist once, made by whichever writer comes first, that every writer then reads."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(table).values(values).on_conflict_do_nothing())
