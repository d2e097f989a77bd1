"""List commands print plain aligned text: whole rows when piped, wrapped between words in a terminal."""

from __future__ import annotations

import re

from correspondence.cli.tables import format_table

SUBJECT = "Metropolitan Police Service: Crime Data Integrity inspection 2018, the recording of rape and other sexual offences"
STEP = "invite the Commissioner's comments (s.55(4)) before the reply-by date, then chase"
COLUMNS = ["ID", "Office", "Last day", "Subject", "Next step"]
ROWS = [[1, "MOPAC", "10 September 2018", SUBJECT, STEP], [22, "OPCC-Kent", "1 March 2019", "Short", "publish"]]


def test_piped_tables_keep_every_row_on_one_line_with_its_cells_whole():
    lines = format_table("Letters", COLUMNS, ROWS).splitlines()
    assert lines[0] == "Letters"
    assert re.split(r"\s{2,}", lines[1]) == COLUMNS
    assert len(lines) == 3 + len(ROWS)
    assert SUBJECT in lines[3] and STEP in lines[3]
    assert lines[4].index("Short") == lines[3].index(SUBJECT) == lines[1].index("Subject")  # aligned


def test_at_80_columns_cells_wrap_between_words_and_dates_stay_whole():
    text = format_table("Letters", COLUMNS, ROWS, width=80)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines), text
    words = set(text.split())
    for cell in (SUBJECT, STEP, "10 September 2018"):
        assert set(cell.split()) <= words, f"a word of {cell!r} was broken: {text}"
    assert "10 September 2018" in text


def test_an_empty_table_says_none():
    assert format_table("Letters", COLUMNS, []).splitlines()[-1] == "(none)"


def test_a_list_command_prints_the_plain_table(example_cli):
    output = example_cli.ok("letter", "list").stdout
    row = next(line for line in output.splitlines() if "MOPAC06092018-D2188" in line)
    assert "Crime Data Integrity inspection 2018" in row and "│" not in output
