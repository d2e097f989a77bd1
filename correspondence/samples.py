"""Sample data for checking templates without touching anyone's database.

``corr template check`` fills a template with the bundled example's context (in a throwaway
in-memory database), so every name a template uses is tried against real values.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any


def sample_context(kind: str) -> dict[str, Any]:
    from correspondence.drafting import DraftRequest, template_context
    from correspondence.example import load_example
    from correspondence.roles import ensure_shipped_roles
    from correspondence.store import Store

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
                from correspondence.roles import Addressing

                request.letter_date = dt.date(2018, 7, 18) if kind == "invite" else dt.date(2018, 8, 8)
                request.addressee = Addressing(name="Cressida Dick", role="Commissioner", salutation="Dear Cressida")
            return template_context(session, kind, record, request)
    finally:
        store.dispose()
