"""Golden documents guard the layout and the wording: each kind of letter must match, part by part
and as text, the reviewed letter.

Two renders of the same letter differ as zip bytes (timestamps), so each part of the zip is
compared instead; the shipped templates' drafts are kept whole (.docx), and every kind of letter
is also kept as its text (.txt: paragraphs, then table rows with cells between |), which a
reviewer reads in a diff. After a deliberate change to a template or a phrasing rule, regenerate,
then read the diff of tests/golden/ as the Commissioner would:

    CORR_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from tests.docx_reading import parts, read_letter
from tests.letter_kinds import KINDS, draft_every_kind

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = bool(os.environ.get("CORR_UPDATE_GOLDEN"))


@pytest.fixture
def drafted(db_url, tmp_path) -> dict[str, Path]:
    return draft_every_kind(db_url, tmp_path)


def letter_text(path: Path) -> str:
    """A letter as a reader takes it in: each paragraph on a line (with its style when not Normal),
    then each table, a row a line."""
    letter = read_letter(path)
    lines = [text if style == "Normal" else f"[{style}] {text}" for style, text in letter.paragraphs]
    for number, table in enumerate(letter.tables, start=1):
        lines.append(f"--- table {number}")
        lines.extend(" | ".join(" ".join(cell.split()) for cell in row) for row in table)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", ["s55-response", "follow-up", "annex"])
def test_drafts_match_the_golden_documents_part_by_part(drafted, name):
    golden = GOLDEN / f"{name}.docx"
    if UPDATE:
        shutil.copyfile(drafted[name], golden)
    expected, actual = parts(golden), parts(drafted[name])
    assert sorted(actual) == sorted(expected), "the document has different parts"
    for part in expected:
        if actual[part] != expected[part]:
            diff = difflib.unified_diff(
                expected[part].decode(errors="replace").replace("><", ">\n<").splitlines(),
                actual[part].decode(errors="replace").replace("><", ">\n<").splitlines(),
                lineterm="", n=1,
            )
            pytest.fail(f"{name}: part {part} differs from the golden document:\n" + "\n".join(list(diff)[:40]))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_letter_reads_as_its_golden_text(drafted, kind):
    golden = GOLDEN / f"{kind}.txt"
    text = letter_text(drafted[kind])
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "drafted", lineterm="", n=1)
        pytest.fail(f"{kind} reads differently from tests/golden/{kind}.txt:\n" + "\n".join(list(diff)[:60]))
