"""Files a transaction writes go with it: a failed command leaves no file behind.

A draft, an imported letter or a restored backup writes files as part of one transaction. Each
file is noted as written (``remember_written``); run the work through ``in_one_transaction``, and
if it or the commit fails, every file it wrote is removed, so neither the register nor the
letters folder is left half done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from correspondence.records.store import Store

T = TypeVar("T")
WRITTEN_FILES = "correspondence.written_files"


def remember_written(session: Session, path: Path) -> None:
    """Note a file this transaction created, so in_one_transaction removes it if the transaction fails."""
    session.info.setdefault(WRITTEN_FILES, []).append(path)


def in_one_transaction(store: Store, work: Callable[[Session], T]) -> T:
    """Run ``work`` (which may draft letters) in one transaction; if it or the commit fails,
    remove every letter file it wrote, so a failed command leaves no file behind."""
    written: list[Path] = []
    try:
        with store.transaction() as session:
            session.info[WRITTEN_FILES] = written
            return work(session)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
