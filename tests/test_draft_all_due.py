"""`corr draft response --all-due`: every response an office has due, drafted one letter at a time."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import assert_clean_error
from tests.docx_reading import read_letter
from tests.test_drafting import llr, update_all  # noqa: F401 - the fixture is used by name

__all__ = ["llr"]


def test_drafts_each_due_response_and_says_why_any_was_not(llr):  # noqa: F811
    result = llr("draft", "response", "--all-due", "--office", "LLR", "--date", "17/5/2019")
    assert result.exit_code == 1  # one could not be drafted: the batch says so and fails
    assert "inspection 2: not drafted: inspection 2 has two recommendations with neither an answer" in result.stderr
    drafted = [line for line in result.stdout.splitlines() if line.startswith("drafted ")]
    assert len(drafted) == 1 and "for inspection 1 " in drafted[0]  # the other was still drafted
    first = drafted[0].split()[1]
    assert "Leicestershire Police" in read_letter(Path(drafted[0].rsplit(": ", 1)[1])).text
    assert "1 drafted, 0 already drafted, 1 not drafted, of 2 due" in result.stderr

    update_all(llr)
    again = llr.json("draft", "response", "--all-due", "--office", "LLR", "--date", "17/5/2019")
    by_id = {row["inspection_id"]: row for row in again}
    assert by_id[1]["reference"] is None and by_id[1]["drafted_before"] == [first]  # never drafted twice
    assert by_id[2]["reference"] and by_id[2]["error"] is None
    letter = read_letter(Path(by_id[2]["file"]))
    cells = [cell for table in letter.tables for row in table for cell in row]
    assert any("Crimes are now recorded < 24 hours & audited" in cell for cell in cells)  # Annex A has the update
    listed = llr.json("letter", "list", "--office", "LLR")
    assert sorted(row["reference"] for row in listed) == sorted([first, by_id[2]["reference"]])


def test_names_one_inspection_or_all_due_not_both(llr):  # noqa: F811
    assert_clean_error(llr("draft", "response", "--office", "LLR"), "say which INSPECTION to answer, or --all-due")
    assert_clean_error(llr("draft", "response", "2", "--all-due", "--office", "LLR"), "not both")
    assert_clean_error(llr("draft", "response", "--all-due", "--office", "LLR", "--subject", "Ours"), "--comments and --subject are one letter's")
