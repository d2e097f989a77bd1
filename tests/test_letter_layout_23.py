"""Issue 23, part 4: grades, tables and titles that read as a person wrote them.

Each scenario is written from facts (a county PEEL report with ten areas, a report with no
findings, a thematic, a re-inspection, a follow-up whose actions are led by a constabulary), drafted
through the CLI on SQLite and PostgreSQL, read back with python-docx and, where the layout is the
point, laid out by LibreOffice and read back from the PDF page by page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from correspondence.files.pdf import libreoffice
from tests.conftest import write
from tests.docx_reading import read_letter

needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed")

COMMA_AREAS = ["Building, supporting and protecting the workforce",
               "Strategic planning, organisational management and value for money"]
TEN_AREAS = [
    ("Preventing crime and anti-social behaviour", "good"), ("Treatment of the public", "adequate"),
    ("Responding to the public", "requires improvement"), ("Investigating crime", "adequate"),
    ("Protecting vulnerable people", "good"), ("Managing offenders and suspects", "good"),
    (COMMA_AREAS[0], "adequate"), (COMMA_AREAS[1], "good"),
    ("Disrupting serious organised crime", "not graded"), ("Leadership and force management", "adequate"),
]
# A finding of 1,600 characters: far longer than a row that fits in the space left on a page.
LONG_FINDING = ("The force should make sure that its supervisors review every investigation of domestic abuse within "
                "seven days, record what they found, and set the investigating officer clear actions with dates. " * 9)
LONG_FINDING = LONG_FINDING[:1600].rsplit(" ", 1)[0] + "."


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _county(cli) -> None:  # noqa: ANN001 - the conftest Cli
    cli.ok("force", "add", "Wiltshire Police")
    cli.ok("office", "add", "--name", "Office of the Police and Crime Commissioner for Wiltshire and Swindon",
           "--short", "WILTS", "--force", "Wiltshire Police", "--address", "Police Headquarters", "--address", "London Road",
           "--address", "Devizes SN10 2DN", "--signatory", "Philip Wilkinson",
           "--signatory-title", "Police and Crime Commissioner", "--reference-scheme", "WPCC/{seq}/{yy}")


def _add_inspection(cli, tmp_path: Path, name: str, yaml: str) -> str:  # noqa: ANN001
    return str(cli.json("inspection", "add", str(write(tmp_path / f"{name}.yaml", yaml)))["id"])


def _peel(cli, tmp_path: Path) -> str:  # noqa: ANN001
    judgments = "".join(f"  - question: {_quoted(area)}\n    grade: {grade}\n" for area, grade in TEN_AREAS)
    improvements = "".join(f"  - The force should improve how it handles matter number {n} in its day-to-day work.\n"
                           for n in range(1, 25))
    return _add_inspection(cli, tmp_path, "peel", (
        "force: Wiltshire Police\nprogramme: PEEL 2021/22\ntitle: \"PEEL 2021/22: An inspection of Wiltshire Police\"\n"
        f"published: 15 January 2022\njudgments:\n{judgments}areas_for_improvement:\n{improvements}"
        f"  - {_quoted(LONG_FINDING)}\n"))


def _pdf_pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(pdf)).pages]


def _landscape_pages(pdf: Path) -> list[bool]:
    from pypdf import PdfReader

    return [float(page.mediabox.width) > float(page.mediabox.height) for page in PdfReader(str(pdf)).pages]


def test_ten_peel_areas_are_a_table_under_a_lead_in_that_counts_the_nine_graded(cli, tmp_path):
    _county(cli)
    peel = _peel(cli, tmp_path)
    drafted = cli.json("draft", "response", peel, "--office", "WILTS", "--date", "1/3/2022", "--out", str(tmp_path))
    letter = read_letter(Path(drafted["file"]))
    assert "HMICFRS graded nine of the 10 areas it examined as follows:" in letter.text
    assert "graded the 10 areas" not in letter.text
    grades = letter.tables[0]
    assert grades[0] == ["Area", "Grade"] and len(grades) == 11
    # the names keep their own capitals in the table, and no sentence lists them
    assert [COMMA_AREAS[0], "Adequate"] in grades and ["Disrupting serious organised crime", "Not graded"] in grades
    assert not any(area in paragraph for area in COMMA_AREAS for paragraph in (p for _, p in letter.paragraphs))
    assert "building, supporting" not in letter.text.casefold().replace(COMMA_AREAS[0].casefold(), "")


def test_every_table_row_moves_whole_to_the_next_page(cli, tmp_path):
    """The mechanism behind "no row split across pages" and "no page opening with an empty row"
    (what a split row left behind): every row of every table in the drafted letter, the rows
    docxtpl made from a looped row included, carries cantSplit."""
    _county(cli)
    peel = _peel(cli, tmp_path)
    drafted = cli.json("draft", "response", peel, "--office", "WILTS", "--date", "1/3/2022", "--out", str(tmp_path))
    document = Document(drafted["file"])
    rows = [row for table in document.tables for row in table.rows]
    assert len(rows) == 11 + 1 + 1 + 25  # grades; Annex A's header, group row and 25 findings
    assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)


@needs_libreoffice
def test_a_long_finding_is_never_split_across_pages(cli, tmp_path):
    _county(cli)
    peel = _peel(cli, tmp_path)
    drafted = cli.json("draft", "response", peel, "--office", "WILTS", "--date", "1/3/2022", "--out", str(tmp_path), "--pdf")
    pages = _pdf_pages(Path(drafted["pdf"]))
    long_text = " ".join(LONG_FINDING.split())
    holding = [number for number, text in enumerate(pages, start=1) if long_text[:80] in text]
    assert len(holding) == 1 and long_text in pages[holding[0] - 1], "the 1,600-character finding is split across pages"
    for n in range(1, 25):  # every other finding, whole on one page
        finding = f"The force should improve how it handles matter number {n} in its day-to-day work."
        assert sum(finding in text for text in pages) == 1, f"A{n} is not whole on one page"
    first = next(number for number, text in enumerate(pages) if text.startswith("Annex A:"))
    assert len(pages) > first + 1, "Annex A should run over several pages"
    for text in pages[first + 1:]:  # each later page of Annex A opens with its header, then a finding, never an empty row
        after_header = text.split("No. Finding Status Force's update", 1)[1].strip()
        assert re.match(r"A\d+ The force should", after_header), after_header[:80]


@needs_libreoffice
def test_a_report_with_no_findings_has_no_annex_and_does_not_mention_one(cli, tmp_path):
    _county(cli)
    report = _add_inspection(cli, tmp_path, "cdi", (
        "force: Wiltshire Police\nprogramme: Crime Data Integrity\n"
        "title: \"Wiltshire Police: Crime Data Integrity re-inspection 2018\"\npublished: 15 January 2019\n"
        "overall_grade: good\n"))
    drafted = cli.json("draft", "response", report, "--office", "WILTS", "--date", "1/3/2019", "--out", str(tmp_path), "--pdf")
    letter = read_letter(Path(drafted["file"]))
    assert "Annex" not in letter.text and "annex" not in letter.text and letter.tables == []
    assert "This letter sets out my comments on the report under section 55 of the Police Act 1996." in letter.text
    assert len(letter.document.sections) == 1  # no empty landscape section left behind
    pages = _pdf_pages(Path(drafted["pdf"]))
    assert len(pages) == 1 and _landscape_pages(Path(drafted["pdf"])) == [False]
    assert "Yours sincerely" in pages[0]


def test_a_re_inspection_keeps_its_own_year_and_name(cli, tmp_path):
    _county(cli)
    report = _add_inspection(cli, tmp_path, "cdi", (
        "force: Wiltshire Police\nprogramme: Crime Data Integrity\n"
        "title: \"Wiltshire Police: Crime Data Integrity re-inspection 2018\"\npublished: 15 January 2019\n"
        "overall_grade: good\nrecommendations:\n  - text: The force should audit its crime-recording decisions.\n"))
    drafted = cli.json("draft", "response", report, "--office", "WILTS", "--date", "1/3/2019", "--out", str(tmp_path),
                       "--allow-missing")
    letter = read_letter(Path(drafted["file"]))
    assert "Wiltshire Police: Crime Data Integrity re-inspection 2018" in letter.styled("Normal")
    assert "inspection 2019" not in letter.text
    assert "as part of its Crime Data Integrity programme of inspections. This letter and its annex are my comments" in letter.text


def test_a_thematic_is_named_by_its_title_and_not_as_a_programme(cli, tmp_path):
    _county(cli)
    title = "An inspection of how well the police tackle serious youth violence"
    report = _add_inspection(cli, tmp_path, "thematic", (
        f"programme: Thematic\ntitle: \"{title}\"\npublished: 10 May 2024\nrecommendations:\n"
        "  - text: Chief constables should review their approach to serious youth violence.\n"))
    drafted = cli.json("draft", "response", report, "--office", "WILTS", "--date", "1/6/2024", "--out", str(tmp_path),
                       "--allow-missing")
    letter = read_letter(Path(drafted["file"]))
    subject = letter.paragraphs[letter.paragraphs.index(("Normal", "Dear Home Secretary")) + 1][1]
    assert subject == title and subject.count(":") <= 1 and len(subject.split()) <= 12
    assert "Thematic inspection" not in letter.text and "Thematic programme" not in letter.text
    assert f"“{title}”, published by His Majesty's Inspectorate" in letter.text
    assert "on 10 May 2024 as one of its thematic inspections." in letter.text
    annex = cli.json("draft", "annex", report, "--office", "WILTS", "--date", "1/6/2024", "--out", str(tmp_path))
    heading = read_letter(Path(annex["file"])).styled("Heading 1")[0]
    assert heading.endswith("progress on the findings of an inspection of how well the police tackle serious youth violence")


def test_the_inspectorate_is_named_as_it_was_when_it_published_the_report(cli, tmp_path):
    """A report HMIC published in 2016, answered after HMICFRS took the name: the letter says who
    published it then, not the inspectorate's name on the letter's date."""
    _county(cli)
    report = _add_inspection(cli, tmp_path, "cdi2016", (
        "force: Wiltshire Police\nprogramme: Crime Data Integrity\ntitle: \"Wiltshire Police: Crime Data Integrity "
        "inspection 2016\"\npublished: 1 July 2017\noverall_grade: requires improvement\n"))
    drafted = cli.json("draft", "response", report, "--office", "WILTS", "--date", "20/8/2017", "--out", str(tmp_path))
    text = read_letter(Path(drafted["file"])).text
    assert "published by Her Majesty's Inspectorate of Constabulary (HMIC) on 1 July 2017" in text
    assert "HMIC graded Wiltshire Police as requiring improvement overall." in text


def test_the_stand_alone_annex_is_a_position_statement(cli, tmp_path):
    _county(cli)
    peel = _peel(cli, tmp_path)
    annex = cli.json("draft", "annex", peel, "--office", "WILTS", "--date", "1/3/2022", "--out", str(tmp_path))
    letter = read_letter(Path(annex["file"]))
    assert letter.styled("Heading 1") == ["Progress on the findings of the PEEL 2021/22 inspection of Wiltshire Police"]
    assert "Comments due" not in letter.text and "section 55" not in letter.text
    assert "Please" not in letter.text and "Requested by" not in letter.text
    assert "This table lists its findings; as at 1 March 2022 the force has given no update on them." in letter.text  # none held: nothing claimed


def test_no_our_response_column_without_the_offices_answers(cli, tmp_path):
    _county(cli)
    peel = _peel(cli, tmp_path)
    drafted = cli.json("draft", "response", peel, "--office", "WILTS", "--date", "1/3/2022", "--out", str(tmp_path))
    letter = read_letter(Path(drafted["file"]))
    assert letter.tables[1][0] == ["No.", "Finding", "Status", "Force's update"]
    assert "Annex A: the force's update on each finding" in letter.styled("Heading 1")
    cli.ok("answer", "add", f"{peel}:A1", "--office", "WILTS", "--date", "1/3/2022", "--text", "I will review this at my board.")
    drafted = cli.json("draft", "response", peel, "--office", "WILTS", "--date", "2/3/2022", "--out", str(tmp_path))
    letter = read_letter(Path(drafted["file"]))
    assert letter.tables[1][0] == ["No.", "Finding", "Status", "Force's update", "Our response"]
    assert "Annex A: the force's update on each finding, and my response" in letter.styled("Heading 1")


def test_a_response_drafted_long_after_its_last_day_is_warned_of_not_refused(cli, tmp_path):
    _county(cli)
    report = _add_inspection(cli, tmp_path, "cdi", (
        "force: Wiltshire Police\nprogramme: Crime Data Integrity\ntitle: \"Wiltshire Police: Crime Data Integrity "
        "inspection 2019\"\npublished: 15 January 2019\noverall_grade: good\n"))
    result = cli("draft", "response", report, "--office", "WILTS", "--date", "1/6/2021", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert ("note: the letter is dated 1 June 2021, more than two years after the last day for this response "
            "(11 March 2019") in result.stderr
    on_time = cli("draft", "response", report, "--office", "WILTS", "--date", "1/3/2019", "--out", str(tmp_path))
    assert on_time.exit_code == 0 and "last day" not in on_time.stderr


FOLLOW_UP = """\
office: WILTS
title: Accountability Board
held_on: {held_on}
actions:
  - action: The force to report on how quickly it answers non-emergency calls, by month, for the last year.
    timing: {timing}
    lead: Constabulary
    due: {due}
  - action: The office to arrange a visit to the control room.
    timing: {timing}
    lead: Wiltshire Constabulary
"""


@needs_libreoffice
def test_a_follow_up_never_breaks_a_lead_mid_word_and_says_what_is_overdue(cli, tmp_path):
    _county(cli)
    earlier = write(tmp_path / "earlier.yaml", FOLLOW_UP.format(held_on="3 March 2026", timing="By April 2026", due="30 April 2026"))
    later = write(tmp_path / "later.yaml", FOLLOW_UP.format(held_on="2 June 2026", timing="July 2026", due="31 July 2026"))
    cli.ok("meeting", "add", str(earlier))
    meeting = str(cli.json("meeting", "add", str(later))["id"])
    drafted = cli.json("draft", "followup", meeting, "--office", "WILTS", "--date", "9/6/2026", "--addressee", "Catherine Roper",
                       "--out", str(tmp_path), "--pdf")
    letter = read_letter(Path(drafted["file"]))
    assert "The annex also lists two actions from earlier meetings that remain open, one of them overdue." in letter.text
    carried = letter.tables[1]
    assert carried[1][3] == "By April 2026\nOverdue: due 30 April 2026" and carried[2][3] == "By April 2026"
    text = " ".join(_pdf_pages(Path(drafted["pdf"])))
    assert text.count("Constabulary") == 4 and "Constab " not in text and "Constabul ary" not in text


def test_the_workspace_shows_the_warning_for_a_response_drafted_long_after_its_last_day(app, office_data):
    from tests.web_support import Browserless, text_of

    dan = Browserless(app)
    assert dan.login("dan").status_code == 302
    drafted = dan.post(f"/inspections/{office_data.mopac_inspection}/draft", {"kind": "response", "letter_date": "1/10/2020"})
    assert drafted.status_code == 302  # drafted: a warning, not a refusal
    page = text_of(dan.get(drafted.headers["Location"]))
    assert ("The letter is dated 1 October 2020, more than two years after the last day for this response "
            "(10 September 2018") in page
