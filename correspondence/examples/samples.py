"""Sample data for checking templates without touching anyone's database.

Checking a template fills it with the bundled example's context (in a throwaway
in-memory database), so every name a template uses is tried against real values.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from correspondence.drafting.drafts import DraftRequest
from correspondence.examples.bundled import load_example
from correspondence.organisation.roles import Addressing
from correspondence.process.template_context import template_context
from correspondence.records.shipped_roles import ensure_shipped_roles
from correspondence.records.store import Store


def sample_context(kind: str) -> dict[str, Any]:

    store = Store("sqlite://")
    store.migrate()
    try:
        with tempfile.TemporaryDirectory(prefix="corr-sample-") as scratch, store.transaction() as session:
            ensure_shipped_roles(session)
            example = load_example(session, Path(scratch))
            request = DraftRequest(office=example.office.short_name, letter_date=dt.date(2018, 9, 7), today=dt.date(2018, 9, 6))
            record = example.meeting.id if kind == "followup" else example.inspection.id
            if kind == "followup":
                request.letter_date = dt.date(2022, 5, 4)
            if kind in ("invite", "chase"):  # the Commissioner of 2018, whom the example does not record

                request.letter_date = dt.date(2018, 7, 18) if kind == "invite" else dt.date(2018, 8, 8)
                request.addressee = Addressing(name="Cressida Dick", role="Commissioner", salutation="Dear Cressida")
            return template_context(session, kind, record, request)
    finally:
        store.dispose()
