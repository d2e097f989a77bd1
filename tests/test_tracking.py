"""Tracking: what is due, force updates through the annex, and actions arising."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from correspondence.tracking.deadline import response_due
from tests.conftest import FIXTURES, assert_clean_error, snapshot
from tests.docx_reading import read_letter


def test_the_56_day_rule_counts_publication_day_as_day_one():
    assert response_due(dt.date(2018, 7, 17)) == dt.date(2018, 9, 10)
    assert response_due(dt.date(2019, 12, 31)) == dt.date(2020, 2, 24)  # across a year end
    assert response_due(dt.date(2024, 1, 10)) == dt.date(2024, 3, 5)  # across a leap day


def test_due_lists_unanswered_inspections_overdue_first(example_cli):
    cli = example_cli
    cli.ok("force", "add", "Leicestershire Police")
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2017.yaml"))  # published 12 September 2017
    items = cli.json("due", "--today", "1 September 2018")
    assert [(i["inspection_id"], i["due_on"], i["days_left"], i["state"]) for i in items] == [
        (2, "2017-11-06", -299, "overdue by 299 days"),
        (1, "2018-09-10", 9, "9 days left"),
    ]
    assert items[1]["drafts"] == ["MOPAC06092018-D2188"] and items[1]["offices"] == ["MOPAC"]
    assert [i["inspection_id"] for i in cli.json("due", "--today", "1/9/2018", "--office", "MOPAC")] == [1]
    assert [i["inspection_id"] for i in cli.json("due", "--today", "1/9/2018", "--within", "5")] == [2]
    assert cli.json("due", "--today", "10/9/2018", "--within", "0")[1]["state"] == "due today"
    # a sent letter is a step on the way: only publication meets the deadline (s.55(5A))
    cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018")
    sent = cli.json("due", "--today", "8/9/2018")[1]
    assert (sent["inspection_id"], sent["stage"], sent["drafts"]) == (1, "sent", [])
    assert sent["next_step"] == "invite the Commissioner's comments (s.55(4))"  # the example never invited them


def test_due_writes_a_calendar_an_office_can_subscribe_to(example_cli, tmp_path):
    calendar = tmp_path / "feeds" / "s55.ics"
    example_cli.ok("due", "--ics", str(calendar))
    text = calendar.read_bytes().decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "UID:inspection-1-MOPAC-s55-response@correspondence\r\n" in text
    assert "DTSTART;VALUE=DATE:20180910\r\n" in text and "DTEND;VALUE=DATE:20180911\r\n" in text
    assert "SUMMARY:s.55 response due: Metropolitan Police Service\\, Crime Data Integrity" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    example_cli.ok("due", "--ics", str(calendar))  # a feed is refreshed in place
    assert calendar.read_bytes().count(b"BEGIN:VEVENT") == 1


def test_updates_keep_their_history_and_the_latest_is_quoted(example_cli):
    cli = example_cli
    cli.ok("update", "add", "1:A7", "--status", "in progress", "--text", "Diversity fields added to the crime record.", "--date", "1/9/2018")
    area = cli.json("inspection", "show", "1")["areas"][6]
    assert area["latest_update"] == {"status": "in progress", "text": "Diversity fields added to the crime record.", "received_on": "2018-09-01"}
    history = [e for e in cli.json("history", "--entity", "force_updates", "--limit", "100") if e["data"].get("area_id") == 7]
    assert len(history) == 2  # the example's update and this one: nothing overwritten


@pytest.mark.parametrize(
    ("area", "extra", "message"),
    [
        ("1:A9", [], "inspection 1 has no area A9 (it has: A1, A2, A3, A4, A5, A6, A7)"),
        ("1:Z1", [], "write it as INSPECTION:CODE"),
        ("7:A1", [], "no inspection 7"),
        ("1:A1", ["--date", "1/1/2999"], "--date: 1 January 2999 is in the future"),
        ("1:A1", ["--status", "sort of"], "--status: unknown update status 'sort of'"),
    ],
)
def test_bad_updates_are_refused_and_store_nothing(example_cli, area, extra, message):
    before = snapshot(example_cli.db_url)
    args = ["update", "add", area, "--text", "x"] + (extra if "--status" in extra else ["--status", "complete", *extra])
    assert_clean_error(example_cli(*args), message)
    assert snapshot(example_cli.db_url) == before


def _fill_row(path: Path, code: str, status: str, update: str) -> None:
    from docx import Document

    document = Document(str(path))
    for row in document.tables[-1].rows[1:]:
        if row.cells[0].text == code:
            row.cells[2].text, row.cells[3].text = status, update
    document.save(str(path))


def test_word_annex_round_trip(llr_two_recommendations, tmp_path):
    cli = llr_two_recommendations
    drafted = cli.json("invite", "2", "--office", "LLR", "--date", "5/4/2019")
    annex = Path(drafted["file"])
    assert read_letter(annex).tables[0][0] == ["No.", "Finding", "Status", "Update"]
    _fill_row(annex, "R1", "In Progress", "A recording plan & audit started in May.")
    _fill_row(annex, "A1", "complete", "Audit team in place.")
    dry = cli.json("annex", "import", str(annex), "--dry-run", "--date", "3/6/2019")
    # rows as Word counts them: header, "Recommendations", R1, R2 (left blank by the force), "Area for improvement", A1
    assert (dry["stored"], dry["unmatched"], dry["blank_rows"]) == (0, [], [4])
    assert [(c["area"], c["before"], c["after"]) for c in dry["changes"]] == [
        ("R1", "(no update)", "in progress: A recording plan & audit started in May."),
        ("A1", "(no update)", "complete: Audit team in place."),
    ]
    stored = cli.json("annex", "import", str(annex), "--date", "3/6/2019")  # inspection found from the annex's Our ref
    assert stored["stored"] == 2
    areas = {a["code"]: a["latest_update"] for a in cli.json("inspection", "show", "2")["areas"]}
    assert areas["R1"] == {"status": "in progress", "text": "A recording plan & audit started in May.", "received_on": "2019-06-03"}
    assert areas["R2"] is None
    assert cli.json("annex", "import", str(annex), "--date", "3/6/2019")["stored"] == 0  # unchanged rows are not stored twice


def test_annex_a_of_a_response_is_read_back_the_same_way(llr_two_recommendations, tmp_path):
    """Annex A's columns are 'Finding' and "Force's update", with the office's answers beside them."""
    cli = llr_two_recommendations
    cli.ok("answer", "add", "2:R1", "--text", "We will audit recording monthly.", "--date", "1/5/2019")
    cli.ok("answer", "add", "2:R2", "--no-action", "--why", "The force already reviews N100 use.", "--date", "1/5/2019")
    response = Path(cli.json("draft", "response", "2", "--office", "LLR", "--date", "1/6/2019")["file"])
    header = read_letter(response).tables[-1][0]
    assert header == ["No.", "Finding", "Status", "Force's update", "Our response"]
    _fill_row(response, "R1", "complete", "Recording is audited every month.")
    dry = cli.json("annex", "import", str(response), "--dry-run", "--date", "3/6/2019")
    assert [(c["area"], c["after"]) for c in dry["changes"]] == [("R1", "complete: Recording is audited every month.")]
    assert dry["unmatched"] == []


def _annex_rows(letter) -> dict[str, list[str]]:  # noqa: ANN001 - a docx_reading.Letter
    """The last table's rows by finding code (the No. column), as Word shows them."""
    return {row[0]: row[1:] for row in letter.tables[-1][1:] if row[0][:1] in "CRA" and row[0][1:].isdigit()}


def test_a_letter_dated_in_the_past_quotes_only_what_had_come_by_its_date(llr_two_recommendations):
    """Drafting a response dated 1 June 2019 today must not quote the force's update of July or
    the office's answer of August: the letter would say things nobody knew on its date."""
    cli = llr_two_recommendations
    cli.ok("update", "add", "2:R1", "--status", "in progress", "--text", "A recording plan is agreed.", "--date", "1/5/2019")
    cli.ok("update", "add", "2:R1", "--status", "complete", "--text", "Recording is audited every month.", "--date", "1/7/2019")
    cli.ok("answer", "add", "2:R2", "--text", "We will review N100 use with the force.", "--date", "1/5/2019")
    cli.ok("answer", "add", "2:R2", "--no-action", "--why", "The force's own review found N100 used correctly.", "--date", "1/8/2019")

    june = read_letter(Path(cli.json("draft", "response", "2", "--office", "LLR", "--date", "1/6/2019")["file"]))
    rows = _annex_rows(june)
    assert rows["R1"][1:] == ["In progress", "A recording plan is agreed.", "—"]  # unanswered on that date: a dash, not a blank
    assert rows["R2"][1:] == ["", "Awaiting an update from the force", "We will review N100 use with the force."]
    assert "audited every month" not in june.text + str(june.tables)
    assert "found N100 used correctly" not in june.text + str(june.tables)

    august = read_letter(Path(cli.json("draft", "response", "2", "--office", "LLR", "--date", "2/8/2019")["file"]))
    rows = _annex_rows(august)
    assert rows["R1"][1:3] == ["Complete", "Recording is audited every month."]
    assert "found N100 used correctly" in rows["R2"][3]
    assert "We will review N100 use" not in rows["R2"][3]


def test_a_response_dated_before_any_update_says_the_updates_are_awaited(llr_two_recommendations):
    """The sentence pointing to Annex A must not promise the force's latest updates when every row
    of the annex says it awaits one."""
    cli = llr_two_recommendations
    cli.ok("update", "add", "2:R1", "--status", "in progress", "--text", "A recording plan is agreed.", "--date", "1/7/2019")
    early = read_letter(Path(cli.json("draft", "response", "2", "--office", "LLR", "--date", "1/6/2019", "--allow-missing")["file"]))
    assert "Annex A lists them; the force's update on each is awaited." in early.text
    assert "latest update" not in early.text
    later = read_letter(Path(cli.json("draft", "response", "2", "--office", "LLR", "--date", "2/7/2019", "--allow-missing")["file"]))
    assert "Annex A sets out the force's latest update on each of them." in later.text


def test_letters_and_records_dated_before_what_they_follow_are_refused(llr_two_recommendations):
    """A mistyped year: an update or answer before the report, a letter about a report dated before
    it, a follow-up before its meeting, an action due before the meeting it came from."""
    cli = llr_two_recommendations
    before = snapshot(cli.db_url)
    for args, message in (
        (["update", "add", "2:R1", "--status", "complete", "--text", "Done.", "--date", "1/1/2017"],
         "--date: 1 January 2017 is before the report was published, on 4 April 2019"),
        (["answer", "add", "2:R1", "--text", "We will audit.", "--date", "1/3/2016"],
         "--date: 1 March 2016 is before the report was published, on 4 April 2019"),
        (["draft", "response", "2", "--office", "LLR", "--date", "1/4/2019", "--allow-missing"],
         "--date: 1 April 2019 is before the report was published, on 4 April 2019"),
        (["draft", "annex", "2", "--office", "LLR", "--date", "3/4/2019"],
         "--date: 3 April 2019 is before the report was published, on 4 April 2019"),
    ):
        assert_clean_error(cli(*args), message)
    assert snapshot(cli.db_url) == before


def test_a_follow_up_or_an_action_before_its_meeting_is_refused(example_cli):
    cli = example_cli
    before = snapshot(cli.db_url)
    assert_clean_error(cli("draft", "followup", "1", "--office", "MOPAC", "--date", "1/4/2022"),
                       "--date: 1 April 2022 is before the meeting, held on 21 April 2022")
    assert_clean_error(cli("action", "add", "1", "--action", "Report back.", "--due", "1/4/2022"),
                       "--due: 1 April 2022 is before the meeting, held on 21 April 2022")
    assert_clean_error(cli("action", "update", "1:1", "--due", "20/4/2021"),
                       "--due: 20 April 2021 is before the meeting, held on 21 April 2022")
    assert snapshot(cli.db_url) == before


def test_a_backdated_response_is_refused_when_a_recommendation_was_answered_only_after_its_date(llr_two_recommendations):
    cli = llr_two_recommendations
    cli.ok("update", "add", "2:R1", "--status", "in progress", "--text", "A recording plan is agreed.", "--date", "1/5/2019")
    cli.ok("update", "add", "2:R2", "--status", "complete", "--text", "N100 reviewed.", "--date", "1/7/2019")
    before = snapshot(cli.db_url)
    assert_clean_error(
        cli("draft", "response", "2", "--office", "LLR", "--date", "1/6/2019"),
        "inspection 2 has one recommendation with neither an answer from LLR nor an update from the force by the "
        "letter's date, 1 June 2019 (R2; R2's first came on 1 July 2019); s.55(5B) requires each to be answered",
    )
    assert snapshot(cli.db_url) == before
    assert Path(cli.json("draft", "response", "2", "--office", "LLR", "--date", "2/7/2019")["file"]).exists()


def test_a_backdated_invitation_prefills_its_annex_as_it_stood_and_takes_back_a_row_left_as_sent(llr_two_recommendations):
    """The invitation of 5 April 2019 goes out with R1 blank even though an update came in May (a
    form for the force to fill: its Update cell empty, not "Awaiting an update from the force"); the
    force returning it with R1 still blank and A1 filled stores A1 only. The reminder's form too."""
    cli = llr_two_recommendations
    cli.ok("update", "add", "2:R1", "--status", "in progress", "--text", "A recording plan is agreed.", "--date", "1/5/2019")
    annex = Path(cli.json("invite", "2", "--office", "LLR", "--date", "5/4/2019")["file"])
    rows = _annex_rows(read_letter(annex))
    assert rows["R1"][1:] == ["", ""]
    _fill_row(annex, "A1", "complete", "Audit team in place.")
    dry = cli.json("annex", "import", str(annex), "--dry-run", "--date", "3/6/2019")
    assert [(c["area"], c["after"]) for c in dry["changes"]] == [("A1", "complete: Audit team in place.")]


def test_csv_annex_with_unmatched_rows_stores_nothing_unless_partial(llr_two_recommendations, tmp_path):
    cli = llr_two_recommendations
    path = tmp_path / "annex.csv"
    cli.ok("invite", "2", "--office", "LLR", "--date", "5/4/2019", "--csv", str(path))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "No.,Area,Status,Update,Our ref" and lines[1].startswith("R1,") and lines[1].endswith(",annex request 2")  # the invitation's own table is request 1
    path.write_text(
        "No.,Area,Status,Update\n"
        "Recommendation 2,,complete,N100 use reviewed.\n"
        "R9,Something else entirely,complete,?\n"
        ",Improve audit of crime-recording decisions.,in progress,Audit plan agreed.\n"
        "R1,An unrelated finding about horses,complete,Done.\n",
        encoding="utf-8",
    )
    before = snapshot(cli.db_url)
    result = cli("annex", "import", str(path), "--inspection", "2")
    assert_clean_error(result, "2 row(s) could not be matched, so nothing was stored", "--partial")
    assert "row 3 (No. R9) not matched: No. 'R9' is not a finding of inspection 2" in result.stdout + result.stderr
    assert "row 5 (No. R1) not matched: No. R1 is R1, but its Area text does not match" in result.stdout + result.stderr
    assert snapshot(cli.db_url) == before
    partial = cli.json("annex", "import", str(path), "--inspection", "2", "--partial")
    assert [c["area"] for c in partial["changes"]] == ["R2", "A1"] and partial["stored"] == 2


def test_annex_with_the_wrong_columns_is_refused(example_cli, tmp_path):
    from docx import Document

    document = Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Ref", "Finding", "Progress"]):
        cell.text = text
    path = tmp_path / "their-annex.docx"
    document.save(str(path))
    before = snapshot(example_cli.db_url)
    assert_clean_error(example_cli("annex", "import", str(path), "--inspection", "1"),
                       "the annex table needs the columns No., Area, Status, Update; it has Ref, Finding, Progress")
    bad_csv = tmp_path / "a.csv"
    bad_csv.write_text("Number,Text\n1,x\n", encoding="utf-8")
    assert_clean_error(example_cli("annex", "import", str(bad_csv), "--inspection", "1"), "it has Number, Text")
    assert_clean_error(example_cli("annex", "import", str(tmp_path / "x.pdf"), "--inspection", "1"), "read from .docx or .csv")
    assert snapshot(example_cli.db_url) == before


def test_actions_add_update_list_and_overdue(example_cli):
    cli = example_cli
    added = cli.json("action", "add", "1", "--action", "MPS to brief MOPAC on stop & search data", "--lead", "MPS",
                     "--timing", "By 30 June", "--due", "30/6/2022")
    assert (added["action_no"], added["status"]) == ("1:5", "open")
    overdue = cli.json("action", "list", "--overdue", "--today", "1/6/2022")
    assert [a["action_no"] for a in overdue] == ["1:2", "1:3"]  # due 13 May and 31 May
    cli.ok("action", "update", "1:2", "--status", "done")
    everything = cli.json("action", "list", "--today", "1/7/2022")
    assert [a["action_no"] for a in everything if a["overdue"]] == ["1:3", "1:5"]
    assert [a["action_no"] for a in cli.json("action", "list", "--status", "done")] == ["1:2"]
    assert_clean_error(cli("action", "update", "1:99", "--status", "done"), "meeting 1 has no action 99")
    assert_clean_error(cli("action", "add", "1", "--action", "x", "--number", "3"), "meeting 1 already has an action 3")
    assert_clean_error(cli("action", "update", "1:1", "--status", "finished"), "--status: unknown action status 'finished'")


def test_open_actions_are_carried_into_the_next_follow_up(example_cli, tmp_path):
    cli = example_cli
    cli.ok("action", "update", "1:1", "--status", "done")
    meeting = tmp_path / "june.yaml"
    meeting.write_text("office: MOPAC\ntitle: MPS Oversight Board\nheld_on: 23 June 2022\nthemes: [Violence against women & girls]\n"
                       "actions:\n  - action: MPS to report on VAWG outcomes.\n    timing: September\n    lead: MPS\n", encoding="utf-8")
    cli.ok("meeting", "add", str(meeting))
    result = cli.json("draft", "followup", "2", "--office", "MOPAC", "--date", "1/7/2022")
    letter = read_letter(Path(result["file"]))
    # actions 2 and 3 were due on 13 and 31 May: the letter of 1 July says they are overdue (issue 23)
    assert "The annex also lists three actions from earlier meetings that remain open, two of them overdue." in letter.text
    new, carried = letter.tables
    assert new[1] == ["1", "MPS to report on VAWG outcomes.", "September", "MPS"]
    assert carried[0] == ["Meeting", "No.", "Action", "Timing", "Lead"]
    assert [row[1] for row in carried[1:]] == ["2", "3", "4"]  # action 1 is done, so not carried
    assert carried[1][0] == "21 April 2022"
    assert [("Overdue: due" in row[3]) for row in carried[1:]] == [True, True, False]


@pytest.fixture
def llr_two_recommendations(cli):
    cli.ok("force", "add", "Leicestershire Police")
    cli.ok("office", "add", "--name", "LLR", "--short", "LLR", "--force", "Leicestershire Police",
           "--reference-scheme", "OPCC/{seq}/{yy}")
    cli.ok("role", "add", "Chief Constable", "Simon Cole", "--from", "1/1/2011", "--until", "31/3/2020", "--office", "LLR")
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2017.yaml"))
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2019.yaml"))
    return cli
