"""`corr draft ...`: real Word letters, read back with python-docx."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, assert_clean_error, snapshot
from tests.docx_reading import read_letter

LLR_NAME = "Office of the Police & Crime Commissioner for Leicester, Leicestershire & Rutland"
THIS_YEAR = dt.date.today().strftime("%y")


@pytest.fixture
def llr(cli):
    """Leicestershire's office, with a name full of ampersands and two CDI inspections."""
    cli.ok("force", "add", "Leicestershire Police")
    cli.ok("office", "add", "--name", LLR_NAME, "--short", "LLR", "--force", "Leicestershire Police",
           "--address", "Police Headquarters", "--address", "St Johns, Enderby", "--address", "Leicester LE19 2BX",
           "--signatory", "Lord Willy Bach", "--signatory-title", "Police & Crime Commissioner",
           "--reference-scheme", "OPCC/{seq}/{yy}")
    cli.ok("office", "set", "LLR", "--next-number", "114", "--year", str(dt.date.today().year))
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2017.yaml"))
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2019.yaml"))  # inspection 2
    return cli


def update_all(cli, inspection="2"):
    cli.ok("update", "add", f"{inspection}:R1", "--status", "in progress", "--date", "1/5/2019",
           "--text", 'Crimes are now recorded < 24 hours & audited; see "CDI plan".')
    cli.ok("update", "add", f"{inspection}:R2", "--status", "complete", "--date", "2/5/2019", "--text", "N100 use reviewed.")
    cli.ok("update", "add", f"{inspection}:A1", "--status", "not started", "--date", "2/5/2019", "--text", "Audit plan due in June.")


def test_s55_response_reads_back_with_every_fact(example_cli, tmp_path):
    letter = read_letter(tmp_path / "letters" / "MOPAC06092018-D2188.docx")
    text = letter.text
    # letterhead: the address MOPAC had in 2018, not today's
    assert letter.paragraphs[0] == ("Normal", "Mayor's Office for Policing and Crime")
    assert "City Hall\nThe Queen's Walk\nLondon\nSE1 2AA" in text and "Kamal Chunchie Way" not in text
    assert "Rt Hon Sajid Javid MP\nHome Secretary\nHome Office\n2 Marsham Street\nLondon\nSW1P 4DF" in text
    # reference, date, salutation, subject
    assert "Our ref: MOPAC06092018-D2188\n7 September 2018" in text
    assert "Dear Home Secretary\nMetropolitan Police Service: Crime Data Integrity inspection 2018" in text
    # the inspectorate as it was named in 2018
    assert "published by Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) on 17 July 2018" in text
    assert "His Majesty's" not in text
    # the office's opening, before the facts
    assert letter.paragraph("I write in response").endswith("under section 55 of the Police Act 1996.")
    opening = letter.paragraph("I welcome this report.")
    assert "It finds that the Metropolitan Police Service now records crime well" in opening
    assert text.index(opening) < text.index("HMICFRS graded")
    # grades: a sentence and a short table of the graded questions, never "Question Grade." bullets
    assert "HMICFRS graded the Metropolitan Police Service as good overall, and graded the three questions it examined as follows:" in text
    grades = letter.tables[0]
    assert grades[0] == ["Question", "Grade"]
    assert grades[1] == ["How effective is the force at recording reported crime?", "Good"]
    assert grades[3][1] == "Outstanding"
    assert not any(b.endswith(("Good.", "Outstanding.")) for b in letter.styled("List Bullet"))
    # the headline figure only, in the confirmed phrase, with the report's precision (issue 23)
    assert letter.paragraph("HMICFRS estimated") == (
        "HMICFRS estimated that the force's overall crime-recording rate was 89.5% (±1.64%), leaving over 94,500 reports "
        "of crime a year not recorded."
    )
    assert "87.6%" not in text and "98 of 118" not in text and "HMICFRS also found" not in text
    assert "The report identifies seven areas for improvement. Annex A sets out the force's latest update on each of them, with my response to three of them." in text
    # the office's commentary: a standard line with its placeholder filled, and bullets with bold and italic
    assert letter.paragraph("Victims are at the centre").startswith(
        "Victims are at the centre of the Police and Crime Plan, and every crime reported to the Metropolitan Police Service must"
    )
    bullets = letter.styled("List Bullet")
    assert len(bullets) == 3 and bullets[0].startswith("recording every crime")
    assert "every" in letter.bold_texts() and "additional verifiable information" in letter.italic_texts()
    # the closing standard line, then the signature block and cc
    assert "I will continue to hold the Commissioner to account for progress on each finding, and I will publish the force's " \
           "further updates as they are received.\nYours sincerely\n\n\n\nSophie Linden\nDeputy Mayor for Policing and Crime" \
           "\ncc: HMICFRS" in text
    assert "Sophie Linden" in letter.bold_texts()
    # Annex A: one group row naming the kind once, then the force's update beside the office's answer
    assert letter.styled("Heading 1") == ["Annex A: the force's update on each finding, and my response"]
    annex = letter.tables[1]
    assert annex[0] == ["No.", "Finding", "Status", "Force's update", "Our response"]
    assert annex[1] == ["Areas for improvement"] * 5
    assert [row[0] for row in annex[2:]] == [f"A{n}" for n in range(1, 8)]
    assert annex[3][1] == "Record every reported rape without delay."
    assert annex[3][2] == "Complete" and annex[8][2] == "Not started"
    assert annex[3][3].startswith("Every rape report is now recorded on receipt") and annex[3][4] == "—"  # not answered: a dash
    assert annex[2][4].startswith("MOPAC will sample domestic abuse reports each quarter")
    assert not any("Area for improvement:" in cell for row in annex for cell in row)
    assert letter.document.tables[1].style.name == "Table Grid"
    assert {"No.", "Finding", "Status", "Force's update", "Our response"} <= set(letter.bold_texts())
    # page numbers and the reference in the footer
    footer = letter.footer_xml()
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert "MOPAC | Our ref: MOPAC06092018-D2188 | Page" in footer


def test_annex_a_is_a_landscape_section_whose_update_column_is_widest(example_cli, tmp_path):
    from docx.enum.section import WD_ORIENT

    letter = read_letter(tmp_path / "letters" / "MOPAC06092018-D2188.docx")
    letter_section, annex_section = letter.document.sections
    assert letter_section.orientation == WD_ORIENT.PORTRAIT and annex_section.orientation == WD_ORIENT.LANDSCAPE
    widths = [column.width for column in letter.document.tables[1].columns]
    assert widths[3] == max(widths) and widths[3] > widths[1]
    usable = annex_section.page_width - annex_section.left_margin - annex_section.right_margin
    assert abs(sum(widths) - usable) < 20000  # the table fills the page width, no more (EMU; 20000 is 0.06 cm)


def test_letters_are_in_uk_english_and_arial_throughout(example_cli, tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "letters" / "MOPAC06092018-D2188.docx") as docx:
        styles = docx.read("word/styles.xml").decode()
        core = docx.read("docProps/core.xml").decode()
    assert 'w:lang w:val="en-GB"' in styles and "en-US" not in styles
    assert "Theme=" not in styles and "w:cstheme" not in styles  # no theme fonts (Calibri, Cambria) anywhere
    assert 'w:ascii="Arial"' in styles
    assert "<dc:language>en-GB</dc:language>" in core


def test_word_special_characters_survive_whole(llr, tmp_path):
    update_all(llr)
    result = llr.json("draft", "response", "2", "--office", "LLR", "--date", "17/05/2019")
    letter = read_letter(Path(result["file"]))
    assert letter.paragraphs[0][1] == "Office of the Police & Crime Commissioner\nfor Leicester, Leicestershire & Rutland"  # balanced
    assert "Lord Willy Bach\nPolice & Crime Commissioner" in letter.text
    assert "“Leicestershire Police: Crime Data Integrity re-inspection 2018/19 <follow-up>”" in letter.text
    assert 'Recommendation 1: Within 3 months, ensure crimes are recorded < 24 hours after report & "without delay".' in letter.text
    rows = {row[0]: row for row in letter.tables[1][1:]}
    assert rows["R1"][1] == 'Within 3 months, ensure crimes are recorded < 24 hours after report & "without delay".'
    assert rows["R1"][3] == 'Crimes are now recorded < 24 hours & audited; see "CDI plan".'
    assert rows["R2"][1] == "Review the force's use of 'N100' classifications."


def test_reference_scheme_numbers_per_year_and_file_name_is_safe(llr, tmp_path):
    update_all(llr)
    first = llr.json("draft", "response", "2", "--office", "LLR")
    assert first["reference"] == f"OPCC/114/{THIS_YEAR}"
    assert Path(first["file"]).name == f"OPCC-114-{THIS_YEAR}.docx"
    # a reference logged by hand is skipped, never reused
    llr.ok("letter", "log", "--office", "LLR", "--ref", f"OPCC/115/{THIS_YEAR}", "--date", "1/1/2020")
    second = llr.json("draft", "annex", "2", "--office", "LLR")
    assert second["reference"] == f"OPCC/116/{THIS_YEAR}"
    listed = {letter["reference"]: letter for letter in llr.json("letter", "list", "--office", "LLR")}
    assert listed[f"OPCC/114/{THIS_YEAR}"]["status"] == "draft"
    assert listed[f"OPCC/114/{THIS_YEAR}"]["kind"] == "s55 response"
    assert listed[f"OPCC/116/{THIS_YEAR}"]["kind"] == "annex"


def test_missing_recommendation_updates_refuse_with_a_list_and_store_nothing(llr, tmp_path):
    before = snapshot(llr.db_url)
    result = llr("draft", "response", "2", "--office", "LLR")
    assert_clean_error(result, "two recommendations with neither an answer from LLR nor an update from the force (R1, R2)",
                       "corr answer add 2:R1 --text", "--allow-missing")
    assert snapshot(llr.db_url) == before
    assert not (tmp_path / "letters").exists() or not any((tmp_path / "letters").iterdir())


def test_allow_missing_marks_the_recommendation_in_bold_as_awaiting(llr, tmp_path):
    llr.ok("update", "add", "2:R2", "--status", "complete", "--text", "Reviewed.", "--date", "2/5/2019")
    result = llr("draft", "response", "2", "--office", "LLR", "--allow-missing")
    assert result.exit_code == 0, result.output
    assert "marked as awaiting an update: R1" in result.stderr
    letter = read_letter(tmp_path / "letters" / f"OPCC-114-{THIS_YEAR}.docx")
    rows = {row[0]: row for row in letter.tables[1][1:]}
    assert rows["R1"][3] == "Awaiting an update from the force" and rows["R1"][2] == ""
    assert "Recommendation 1: Within 3 months" in letter.text
    assert letter.paragraph("Recommendation 1:") + "\nI am awaiting the force's update on this" in letter.text
    assert rows["R2"][3] == "Reviewed." and rows["R2"][2] == "Complete"
    assert "Awaiting an update from the force" in letter.bold_texts()
    assert "Reviewed." not in letter.bold_texts()


def test_previous_inspection_and_national_average_are_compared(llr, tmp_path):
    update_all(llr)
    letter = read_letter(Path(llr.json("draft", "response", "2", "--office", "LLR")["file"]))
    assert ("HMICFRS's previous Crime Data Integrity inspection of the force was published on 12 September 2017 and graded "
            "it as inadequate overall. The force's overall grade has improved from ‘inadequate’ to ‘requires improvement’.") in letter.text
    assert ("HMICFRS estimated that the overall crime-recording rate was 84.1% (±1.9%), up from 78.5% in 2017 and just below "
            "the national average of 87.7%.") in letter.text
    assert "HMICFRS graded Leicestershire Police as requiring improvement overall" in letter.text
    assert "The report makes two recommendations and identifies one area for improvement." in letter.text
    assert letter.styled("List Bullet") == []


def test_followup_letter_has_themes_issues_and_the_action_table(example_cli, tmp_path):
    result = example_cli.json("draft", "followup", "1", "--office", "MOPAC", "--date", "04/05/2022")
    letter = read_letter(Path(result["file"]))
    text = letter.text
    # the title he held, and the office's address on the letter's date
    assert "Sir Steve House\nActing Commissioner\nNew Scotland Yard" in text
    assert "City Hall\nKamal Chunchie Way\nLondon\nE16 1ZE" in text
    assert "Dear Steve\nMPS Oversight Board: 21 April 2022" in text
    assert ("Thank you, and your team, for the MPS Oversight Board meeting on 21 April 2022. The three key strategic themes "
            "running through the items on the agenda were:") in text
    bullets = letter.styled("List Bullet")
    assert bullets[:3] == ["Trust and confidence in the MPS", "Responsiveness to challenges and to partners", "Data quality and transparency"]
    assert letter.paragraph("Following the meeting, I am writing to follow up the issues we were not able to cover and to confirm the actions")
    assert "Issues to be responded to by correspondence" in letter.bold_texts()
    assert "Issues to be discussed in other meetings" in letter.bold_texts()
    assert "Use of facial recognition technology, at a future regular meeting." in bullets
    assert "I look forward to your reply on the issues above.\nYours sincerely" in text
    # the annex's title names the meeting, not the office's short code
    assert letter.styled("Heading 1") == ["MPS Oversight Board: actions from the meeting on 21 April 2022"]
    (actions,) = letter.tables
    assert actions[0] == ["No.", "Action", "Timing", "Lead"]
    assert actions[2] == ["2", "MPS to say when the linked handcuffing and stop & search data will be shared with MOPAC and published.",
                          "By 13 May", "MPS"]
    assert [row[3] for row in actions[1:]] == ["MPS", "MPS", "MPS", "MOPAC"]
    listed = example_cli.json("letter", "show", result["reference"])
    assert (listed["kind"], listed["status"], listed["meeting_id"]) == ("follow-up", "draft", 1)


def test_annex_only_document(example_cli, tmp_path):
    result = example_cli.json("draft", "annex", "1", "--office", "MOPAC")
    letter = read_letter(Path(result["file"]))
    assert letter.styled("Heading 1") == [
        "Progress on the findings of the report “The Metropolitan Police Service: Crime Data Integrity inspection 2018”"
    ]
    # a position statement: no s.55 deadline (the office's own) and nothing asked of the force
    assert "Comments due" not in letter.text and "Please give" not in letter.text
    assert "This table gives the force's latest update on each of its findings as at" in letter.text
    table = letter.tables[0]
    assert table[0] == ["No.", "Finding", "Status", "Update"]
    assert table[1] == ["Areas for improvement"] * 4 and len(table) == 9
    assert table[2][:3] == ["A1", "Record every crime as soon as there is enough information to do so, above all in domestic abuse cases.", "Complete"]
    widths = [column.width for column in letter.document.tables[0].columns]
    assert widths[3] == max(widths)


def test_office_date_format_is_used_in_letters(example_cli, tmp_path):
    example_cli.ok("office", "set", "MOPAC", "--date-format", "%o %B %Y")
    letter = read_letter(Path(example_cli.json("draft", "annex", "1", "--office", "MOPAC", "--date", "1/9/2018")["file"]))
    assert "as at 1st September 2018." in letter.text
    assert "on 17th July 2018" in letter.text
    assert_clean_error(example_cli("office", "set", "MOPAC", "--date-format", "%Q %Y"), "unknown directive")


def test_a_file_in_the_way_is_never_overwritten_and_never_blocks_drafting(example_cli, tmp_path):
    """A file no record owns (a killed draft's, another database's) is left exactly as it is; the
    draft takes the next free name and says so (issue 8, item 7)."""
    today = dt.date.today().strftime("%d%m%Y")
    blocking = tmp_path / "letters" / f"MOPAC{today}-D2189.docx"
    blocking.write_bytes(b"someone's edited letter")
    result = example_cli("draft", "annex", "1", "--office", "MOPAC")
    assert result.exit_code == 0, result.output
    assert f"MOPAC{today}-D2189.docx already exists and is not this letter's file, so it was left alone; drafted as MOPAC{today}-D2189-2.docx" in result.stderr
    assert blocking.read_bytes() == b"someone's edited letter"
    assert result.stdout.strip().endswith(str(tmp_path / "letters" / f"MOPAC{today}-D2189-2.docx"))
    shown = example_cli.json("letter", "show", f"MOPAC{today}-D2189")
    assert shown["file"] == f"version 1 of 1, MOPAC{today}-D2189.docx: current version as recorded"
    elsewhere = example_cli.json("draft", "annex", "1", "--office", "MOPAC", "--out", str(tmp_path / "other"))
    assert elsewhere["reference"] == f"MOPAC{today}-D2190" and Path(elsewhere["file"]).parent == tmp_path / "other"


def test_a_failure_after_the_file_is_written_removes_it_and_stores_nothing(example_cli, tmp_path, monkeypatch):
    from correspondence.drafting import drafts as drafting
    from correspondence.records.errors import CorrespondenceError

    original = drafting.keep_letter_file

    def broken_store(*args, **kwargs):
        original(*args, **kwargs)  # the version and its copy in the office's folder really were written first
        assert len(list((tmp_path / "letters").iterdir())) == 2
        raise CorrespondenceError("disk trouble while storing")

    before = snapshot(example_cli.db_url)
    monkeypatch.setattr(drafting, "keep_letter_file", broken_store)
    result = example_cli("draft", "annex", "1", "--office", "MOPAC")
    assert_clean_error(result, "disk trouble while storing")
    assert snapshot(example_cli.db_url) == before
    assert [p.name for p in (tmp_path / "letters").iterdir()] == ["MOPAC06092018-D2188.docx"]


def test_marking_sent_keeps_the_current_version_as_the_letter_that_went(example_cli, tmp_path):
    path = tmp_path / "letters" / "MOPAC06092018-D2188.docx"
    drafted_hash = example_cli.json("letter", "show", "MOPAC06092018-D2188")["file_sha256"]
    from docx import Document

    document = Document(str(path))  # edited in Word before it went out, and brought back as a new version
    document.add_paragraph("A last sentence from the Deputy Mayor.")
    document.save(str(path))
    example_cli.ok("letter", "version", "add", "MOPAC06092018-D2188", str(path), "--why", "the Deputy Mayor's last sentence")
    assert_clean_error(example_cli("letter", "sent", "MOPAC06092018-D2188", "--date", "6/9/2018"), "is before the letter's date")
    future = (dt.date.today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert_clean_error(example_cli("letter", "sent", "MOPAC06092018-D2188", "--date", future), "is in the future")
    sent = example_cli.json("letter", "sent", "MOPAC06092018-D2188", "--date", "7 September 2018")
    assert (sent["status"], sent["sent_on"]) == ("sent", "2018-09-07")
    assert sent["file_sha256"] != drafted_hash
    import hashlib

    assert sent["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert_clean_error(example_cli("letter", "version", "add", "MOPAC06092018-D2188", str(path), "--why", "after"),
                       "a sent letter takes no new version")
    assert_clean_error(example_cli("letter", "sent", "MOPAC06092018-D2188", "--date", "8/9/2018"), "is sent, not a draft")
    assert_clean_error(example_cli("letter", "delete", "MOPAC06092018-D2188"), "only drafts can be deleted")


def test_custom_template_from_the_office_works_like_the_shipped_one(example_cli, tmp_path):
    from docx import Document

    from correspondence.drafting.rendering import shipped_template

    custom = Document(str(shipped_template("annex")))
    custom.add_paragraph("Return to {{ office.short_name }} & the force by {{ inspection.response_due }}.")
    path = tmp_path / "our annex.docx"
    custom.save(str(path))
    result = example_cli.json("draft", "annex", "1", "--office", "MOPAC", "--template", str(path))
    assert "Return to MOPAC & the force by 10 September 2018." in read_letter(Path(result["file"])).text


def test_template_using_a_name_the_context_lacks_stops_the_draft(example_cli, tmp_path):
    from docx import Document

    broken = Document()
    broken.add_paragraph("Our ref: {{ refrence }}")
    path = tmp_path / "broken.docx"
    broken.save(str(path))
    before = snapshot(example_cli.db_url)
    result = example_cli("draft", "annex", "1", "--office", "MOPAC", "--template", str(path))
    assert_clean_error(result, "template broken.docx uses a name the context does not provide ('refrence' is undefined)")
    assert snapshot(example_cli.db_url) == before
    assert [p.name for p in (tmp_path / "letters").iterdir()] == ["MOPAC06092018-D2188.docx"]


def test_header_whose_tags_cross_paragraphs_stops_the_draft_with_one_line(example_cli, tmp_path):
    """A {%p if %} in one paragraph of a header closed by a plain {% endif %} in another fills in as
    broken XML: the draft is refused naming the template and the likely cause, with nothing written
    (it was a traceback)."""
    from docx import Document

    broken = Document()
    part = broken.sections[0].header
    part.add_paragraph("{%p if inspection.title == 'no such title' %}")
    part.add_paragraph("Shown {% endif %} always")
    path = tmp_path / "crossed.docx"
    broken.save(str(path))
    before = snapshot(example_cli.db_url)
    result = example_cli("draft", "annex", "1", "--office", "MOPAC", "--template", str(path))
    assert_clean_error(result, "template crossed.docx: filled in, it is not a document Word can open", "starts in one paragraph")
    assert snapshot(example_cli.db_url) == before
    assert [p.name for p in (tmp_path / "letters").iterdir()] == ["MOPAC06092018-D2188.docx"]


@pytest.mark.parametrize("shown", [False, True])
def test_a_body_whose_tags_cross_paragraphs_is_refused_rather_than_cut_short(example_cli, tmp_path, shown):
    """The same mistake in the body: where the condition is false, docxtpl's recovering parser
    "mended" the broken XML by dropping every paragraph after it, and the letter lost its end
    without a word. It is refused in one line; where the condition is true the XML is whole and
    the letter keeps every paragraph."""
    from docx import Document

    crossed = Document()
    crossed.add_paragraph("Our ref: {{ reference }}")
    crossed.add_paragraph("{%p if inspection.title " + ("!=" if shown else "==") + " 'no such title' %}")
    crossed.add_paragraph("Shown {% endif %} always")
    crossed.add_paragraph("Yours sincerely, the last paragraph")
    path = tmp_path / "crossed.docx"
    crossed.save(str(path))
    before = snapshot(example_cli.db_url)
    result = example_cli("draft", "annex", "1", "--office", "MOPAC", "--template", str(path), "--json")
    if not shown:
        assert_clean_error(result, "template crossed.docx: filled in, it is not a document Word can open", "starts in one paragraph")
        assert snapshot(example_cli.db_url) == before
        assert [p.name for p in (tmp_path / "letters").iterdir()] == ["MOPAC06092018-D2188.docx"]
        return
    assert result.exit_code == 0, result.output
    letter = read_letter(Path(json.loads(result.stdout)["file"]))
    texts = [text for _, text in letter.paragraphs]
    assert "Shown  always" in texts and "Yours sincerely, the last paragraph" in texts


def test_follow_up_needs_the_office_that_held_the_meeting(example_cli):
    example_cli.ok("office", "add", "--name", "Other", "--short", "OTHER")
    assert_clean_error(example_cli("draft", "followup", "1", "--office", "OTHER"), "meeting 1 belongs to MOPAC, not OTHER")
    assert_clean_error(example_cli("draft", "response", "9", "--office", "MOPAC"), "no inspection 9")
    nobody = example_cli("draft", "followup", "1", "--office", "MOPAC", "--date", "1/10/2022")  # after Sir Steve House's term
    assert_clean_error(nobody, "no holder of the role 'Commissioner'", "--addressee")


def test_explicit_addressee(example_cli, tmp_path):
    result = example_cli.json("draft", "followup", "1", "--office", "MOPAC", "--date", "1/10/2022",
                              "--addressee", "Sir Mark Rowley", "--addressee-role", "Commissioner",
                              "--salutation", "Dear Mark", "--address", "New Scotland Yard")
    letter = read_letter(Path(result["file"]))
    assert "Sir Mark Rowley\nCommissioner\nNew Scotland Yard" in letter.text
    assert "Dear Mark" in letter.text


def test_pdf_without_libreoffice_is_a_clear_error_and_stores_nothing(example_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    before = snapshot(example_cli.db_url)
    result = example_cli("draft", "annex", "1", "--office", "MOPAC", "--pdf")
    assert_clean_error(result, "--pdf needs LibreOffice")
    assert snapshot(example_cli.db_url) == before


def test_a_drafted_letter_is_found_by_any_word_its_file_holds(llr, tmp_path):
    """The search text is taken from the body as rendered, not by reading the file back: it must be
    exactly what reading the file gives, table cells and escaped characters included."""
    from correspondence.records.models import Letter
    from correspondence.records.store import open_store
    from correspondence.register.letters import file_text

    update_all(llr)
    drafted = llr.json("draft", "response", "2", "--office", "LLR", "--date", "17/5/2019")
    store = open_store(llr.db_url)
    try:
        with store.reading() as session:
            stored = session.query(Letter).filter_by(reference=drafted["reference"]).one().body_text
    finally:
        store.dispose()
    assert stored == file_text(Path(drafted["file"]))
    assert "Crimes are now recorded < 24 hours & audited" in stored  # a cell of Annex A, unescaped
    found = llr.json("letter", "list", "--text", "audited")
    assert [letter["reference"] for letter in found] == [drafted["reference"]]
