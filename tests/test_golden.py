"""Golden documents guard the layout: a draft must match, part by part, the reviewed letter.

Two renders of the same letter differ as zip bytes (timestamps), so each part of the zip is
compared instead. After a deliberate change to a template, regenerate and review with:

    CORR_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
from pathlib import Path

import pytest

from tests.docx_reading import parts

GOLDEN = Path(__file__).resolve().parent / "golden"


def _draft_examples(db_url: str, out: Path) -> dict[str, Path]:
    from correspondence import drafting
    from correspondence.example import load_example
    from correspondence.letter_files import location
    from correspondence.store import open_store

    store = open_store(db_url)
    try:
        def work(session):
            example = load_example(session, out)
            followup = drafting.draft_followup(
                session, example.meeting.id,
                drafting.DraftRequest(office="MOPAC", letter_date=dt.date(2022, 5, 4), today=dt.date(2022, 4, 3), out_dir=out,
                                      reference_date=dt.date(2022, 4, 3)),  # taken a month before, as the real letter's was
            )
            annex = drafting.draft_annex(
                session, example.inspection.id,
                drafting.DraftRequest(office="MOPAC", letter_date=dt.date(2018, 8, 1), today=dt.date(2018, 8, 1), out_dir=out),
            )
            return {"s55-response": location(example.draft), "follow-up": followup.path, "annex": annex.path}

        return drafting.in_one_transaction(store, work)
    finally:
        store.dispose()


@pytest.mark.parametrize("name", ["s55-response", "follow-up", "annex"])
def test_drafts_match_the_golden_documents_part_by_part(db_url, tmp_path, name):
    drafted = _draft_examples(db_url, tmp_path / "letters")[name]
    golden = GOLDEN / f"{name}.docx"
    if os.environ.get("CORR_UPDATE_GOLDEN"):
        shutil.copyfile(drafted, golden)
    expected, actual = parts(golden), parts(drafted)
    assert sorted(actual) == sorted(expected), "the document has different parts"
    for part in expected:
        if actual[part] != expected[part]:
            diff = difflib.unified_diff(
                expected[part].decode(errors="replace").replace("><", ">\n<").splitlines(),
                actual[part].decode(errors="replace").replace("><", ">\n<").splitlines(),
                lineterm="", n=1,
            )
            pytest.fail(f"{name}: part {part} differs from the golden document:\n" + "\n".join(list(diff)[:40]))
