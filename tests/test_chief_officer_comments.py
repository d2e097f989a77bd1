"""The chief officer's comments, answered in the s.55 letter and published as the force wrote them
(issue 23, item 1).

Section 55(5) requires the office to publish its comments, the chief officer's comments and its
response to them. Once the comments are stored, the s.55 letter is drafted only with the office's
response to them (a '# Response to the chief officer' section of its paragraphs), printed under a
heading naming the chief officer; the publication says what it holds, from what is there; and a
reply made on the office's own invitation (its table filled in) is published as the force's words:
its covering text and the rows it filled in, not the invitation around them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from correspondence.files.pdf import libreoffice
from correspondence.process.accessible import Block, Run, docx_blocks, paragraph
from correspondence.process.comments_received import force_words
from correspondence.process.publication import package_name
from correspondence.records.models import Inspection
from tests.conftest import Cli, assert_clean_error, snapshot, write
from tests.web_support import Browserless, Offices, text_of

needs_libreoffice = pytest.mark.skipif(libreoffice() is None or shutil.which("pdftotext") is None,
                                       reason="LibreOffice (soffice) and pdftotext are needed to publish and read the PDF")

COVERING = "The Commissioner accepts every area for improvement; the N100 training is complete."
A3_UPDATE = "All investigators are trained in N100."
A7_UPDATE = "Diversity fields are now on the crime record."
RESPONSE = ("I welcome the Commissioner's comments of 20 August 2018, and her acceptance of every area for improvement.\n\n"
            "- I will ask for evidence that the N100 training has changed how crimes are classified.\n"
            "- I will review the diversity data at the next oversight board.\n")


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    """The example with the Commissioner of 2018 recorded, and a drafter."""
    cli = example_cli
    cli.ok("role", "add", "Commissioner", "Cressida Dick", "--from", "10/4/2017", "--until", "10/4/2022", "--office", "MOPAC",
           "--salutation", "Dear Cressida", "--address", "New Scotland Yard", "--address", "Victoria Embankment",
           "--address", "London SW1A 2JL")
    cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter")
    return cli


def invite(cli: Cli) -> Path:
    """The invitation, sent; its file as the Commissioner received it."""
    invitation = cli.json("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo")
    cli.ok("letter", "sent", invitation["reference"], "--date", "18/7/2018", "--as", "jo")
    return Path(invitation["file"])


def returned_on_the_form(invitation: Path, path: Path) -> Path:
    """What a force does when asked to return the table: opens the invitation, types its covering
    text above it, fills in the rows it has news of, and sends the file back."""
    document = Document(str(invitation))
    first = document.paragraphs[0]
    first.insert_paragraph_before("Metropolitan Police Service response, 20 August 2018")
    first.insert_paragraph_before(COVERING)
    for row in document.tables[0].rows:
        code = row.cells[0].text
        if code == "A3":
            row.cells[2].text, row.cells[3].text = "complete", A3_UPDATE
        elif code == "A7":
            row.cells[2].text, row.cells[3].text = "in progress", A7_UPDATE
    document.save(str(path))
    return path


def own_letter(path: Path) -> Path:
    """A reply of the force's own: its letter, and a table of its own making."""
    document = Document()
    for text in ("New Scotland Yard", "20 August 2018", "Dear Sophie", COVERING):
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=4)
    for row, cells in zip(table.rows, [["No.", "Area", "Status", "Update"], ["A3", "", "complete", A3_UPDATE]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("Yours sincerely")
    document.save(str(path))
    return path


def pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split())


def html_text(path: Path) -> str:
    import html

    body = re.sub(r"<(style|head)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def comments_section(text: str) -> str:
    """The published text from the heading of the chief officer's comments on (the last one: the
    contents list names it first)."""
    return text[text.rindex("Comments of the Commissioner"):]


# --- drafting: the letter answers the comments, or is refused ------------------------------------------


def test_the_letter_is_refused_until_it_answers_the_stored_comments_then_prints_the_answer(office: Cli, tmp_path: Path) -> None:
    cli = office
    cli.ok("comments", "add", "1", str(returned_on_the_form(invite(cli), tmp_path / "reply.docx")), "--date", "20/8/2018",
           "--ref", "MPS/CDI/2018", "--as", "jo")

    before = snapshot(cli.db_url)
    assert_clean_error(cli("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018"),
                       "--comments: the Commissioner's comments on inspection 1, received 20 August 2018, are not answered "
                       "(no paragraphs of the office's were given)", "give --comments FILE with the response under a "
                       "'# Response to the chief officer' heading")
    opening_only = write(tmp_path / "opening.md", "# Opening\nI welcome this report.\n")
    assert_clean_error(cli("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(opening_only)),
                       "the office's paragraphs have no '# Response to the chief officer' section")
    empty_section = write(tmp_path / "empty.md", "# Opening\nI welcome this report.\n\n# Response to the chief officer\n")
    assert_clean_error(cli("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(empty_section)),
                       "have no '# Response to the chief officer' section")
    assert_clean_error(cli("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--allow-missing"),
                       "are not answered")  # marking recommendations as awaiting does not excuse the comments
    assert snapshot(cli.db_url) == before  # nothing stored, no reference spent

    # A heading as the office writes it ("the Commissioner's comments") names the same section.
    ours = write(tmp_path / "ours.md", "# Opening\nI welcome this report.\n\n# Response to the Commissioner's comments\n"
                 + RESPONSE + "\n# Closing\nI will continue to hold the Commissioner to account.\n")
    drafted = cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(ours))
    document = Document(drafted["file"])
    texts = [p.text for p in document.paragraphs]
    heading = texts.index("Response to the Commissioner's comments")
    assert all(run.bold for run in document.paragraphs[heading].runs if run.text)
    assert texts[heading + 1].startswith("I welcome the Commissioner's comments of 20 August 2018")
    assert texts[heading + 2:heading + 4] == ["I will ask for evidence that the N100 training has changed how crimes are classified.",
                                              "I will review the diversity data at the next oversight board."]
    assert texts.index("I will continue to hold the Commissioner to account.") > heading + 3  # then the closing
    assert texts.index("Yours sincerely") > heading

    # The context a template is filled from carries both.
    context = cli.json("template", "context", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(ours))
    assert context["chief_officer_comments"]["heading"] == "Response to the Commissioner's comments"
    assert context["chief_officer_comments"]["title"] == "Commissioner"
    assert [block["style"] for block in context["comments"]["response_to_chief_officer"]] == ["paragraph", "bullet", "bullet"]

    # A letter dated before the comments came is not asked to answer them, and has no such heading.
    early = Document(cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "19/8/2018", "--allow-missing")["file"])
    assert not any("Commissioner's comments" in p.text for p in early.paragraphs)


def test_a_response_section_is_for_the_s55_letter_only(office: Cli, tmp_path: Path) -> None:
    ours = write(tmp_path / "ours.md", "We discussed the report.\n\n# Response to the chief officer\nThank you.\n")
    assert_clean_error(office("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022", "--comments", str(ours)),
                       "ours.md line 3: a follow-up letter answers no chief officer's comments")
    assert_clean_error(office("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018",
                              "--comments", write(tmp_path / "bad.md", "# Reply to the force\nThanks.\n").as_posix()),
                       "bad.md line 1: unknown section '# Reply to the force'; a level-one heading is one of: Opening, Commentary, "
                       "Response to the chief officer, Closing")


# --- the publication: what it holds, and the force's own words ------------------------------------------


@needs_libreoffice
def test_the_publication_holds_the_response_to_the_comments_and_the_forces_own_words(office: Cli, tmp_path: Path) -> None:
    cli = office
    invitation = invite(cli)
    cli.ok("comments", "add", "1", str(returned_on_the_form(invitation, tmp_path / "reply.docx")), "--date", "20/8/2018",
           "--ref", "MPS/CDI/2018", "--as", "jo")
    ours = write(tmp_path / "ours.md", "# Response to the chief officer\n" + RESPONSE)
    drafted = cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "7/9/2018", "--comments", str(ours))
    cli.ok("letter", "delete", "MOPAC06092018-D2188")  # the example's earlier draft
    cli.ok("letter", "sent", drafted["reference"], "--date", "7/9/2018", "--as", "jo")
    # A report of the same force stored only to compare with: never started, so never promised.
    cli.ok("inspection", "add", str(write(tmp_path / "2016.yaml", 'force: Metropolitan Police Service\nprogramme: Crime Data '
                                          'Integrity\ntitle: "Metropolitan Police Service: Crime Data Integrity inspection 2016"\n'
                                          "published: 24 August 2016\n")))
    published = cli.json("publish", "1", "--date", "10/9/2018", "--out", str(tmp_path / "site"), "--as", "jo")

    for text in (pdf_text(Path(published["pdf"])), html_text(Path(published["html"]))):
        assert "This document holds all three." in text
        assert "copies of these comments were sent to the Home Secretary and HMICFRS on 7 September 2018." in text
        assert "Our comments on the report, and our response to the Commissioner's comments" in text
        assert "Response to the Commissioner's comments I welcome the Commissioner's comments of 20 August 2018" in text
        theirs = comments_section(text)
        assert COVERING in theirs and "Metropolitan Police Service response, 20 August 2018" in theirs
        assert A3_UPDATE in theirs and A7_UPDATE in theirs and "Use the N100 classification correctly." in theirs
        assert "replied by completing the table in the invitation the Mayor's Office for Policing and Crime sent" in theirs
        for invitations_own in ("Dear Cressida", "New Scotland Yard", "City Hall", "I invite your comments on the report",
                                "I would be grateful to receive your comments by", "Please return by 7 August 2018",
                                "For each finding, please give its status", "Annex: the findings of", "Yours sincerely",
                                "Record every reported rape without delay."):  # a row the force left blank
            assert invitations_own not in theirs, invitations_own
    page = Path(published["html"]).read_text(encoding="utf-8")
    assert '<a href="#response-to-comments">Our response to the Commissioner&#x27;s comments</a>' in page
    assert '<h3 id="response-to-comments">Response to the Commissioner&#x27;s comments</h3>' in page
    assert "<caption>The Commissioner&#x27;s update on each finding</caption>" in page

    index = html_text(Path(published["index"]))
    assert "Crime Data Integrity inspection 2018" in index and "Published 10 September 2018" in index
    assert "inspection 2016" not in index and "To be published by" not in index


@needs_libreoffice
def test_a_letter_without_a_response_and_a_reply_of_the_forces_own_are_published_as_they_are(office: Cli, tmp_path: Path) -> None:
    """The example's letter was drafted before the comments came: the package does not say it
    answers them. The reply is a letter of the force's own: published whole."""
    cli = office
    invite(cli)
    cli.ok("comments", "add", "1", str(own_letter(tmp_path / "reply.docx")), "--date", "20/8/2018", "--as", "jo")
    cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018", "--hmicfrs-date", "10/9/2018", "--as", "jo")
    published = cli.json("publish", "1", "--date", "10/9/2018", "--out", str(tmp_path / "site"), "--as", "jo")
    for text in (pdf_text(Path(published["pdf"])), html_text(Path(published["html"]))):
        assert "This document holds its comments on the report and the Commissioner's comments." in text
        assert "holds all three" not in text and "our response to the Commissioner's comments" not in text
        assert "Our comments on the report Letter to" in text
        assert "the Home Secretary on 7 September 2018 and HMICFRS on 10 September 2018." in text
        theirs = comments_section(text)
        assert "Dear Sophie" in theirs and COVERING in theirs and A3_UPDATE in theirs and "Yours sincerely" in theirs
        assert "replied by completing the table" not in theirs


# --- the force's words, as a rule ------------------------------------------------------------------------


def test_only_the_forms_own_lines_are_left_out_and_a_reply_not_on_the_form_is_kept_whole(tmp_path: Path) -> None:
    form = [Block("paragraph", [Run("City Hall"), Run("\n"), Run("London")]), paragraph("Dear Cressida"),
            paragraph("HMICFRS published its report on 17 July 2018. I invite your comments on the report."),
            Block("table", caption="Annex", header=["No.", "Finding", "Status", "Update"],
                  rows=[["Areas for improvement"], ["A1", "Record every crime.", "", ""], ["A2", "Record every rape.", "", ""]])]
    reply = [Block("paragraph", [Run("City Hall"), Run("\n"), Run("London"), Run("\n"), Run("Our reply, 20 August 2018")]),
             paragraph("Dear Cressida"),
             paragraph("HMICFRS published its report on 17 July 2018. I invite your comments on the report."),
             paragraph("HMICFRS published its report on 17 July 2018. We invite scrutiny of it."),  # changed by the force: kept
             Block("table", caption="Annex", header=["No.", "Finding", "Status", "Update"],
                   rows=[["Areas for improvement"], ["A1", "Record every crime.", "", ""], ["A2", "Record every rape.", "complete", "Done."]])]
    kept, left_out = force_words(reply, [form], "Their update")
    assert left_out
    assert [block.text for block in kept if block.kind == "paragraph"] == [
        "Our reply, 20 August 2018", "HMICFRS published its report on 17 July 2018. We invite scrutiny of it."]
    table = next(block for block in kept if block.kind == "table")
    assert (table.caption, table.header, table.rows) == (
        "Their update", ["No.", "Finding", "Status", "Update"], [["Areas for improvement"], ["A2", "Record every rape.", "complete", "Done."]])

    bullets = Block("ul", items=[[Run("Record every crime.")], [Run("We now record at first contact.")], [Run("and audit it.")]],
                    levels=[0, 0, 1])  # the force's bullets, one of them the form's own words
    kept, _ = force_words([*reply, bullets], [form + [Block("ul", items=[[Run("Record every crime.")]])]], "Their update")
    assert (kept[-1].items, kept[-1].levels) == ([[Run("We now record at first contact.")], [Run("and audit it.")]], [0, 1])

    own = [paragraph("Dear Sophie"), paragraph("Yours sincerely")]  # shares only short lines with the form: not made on it
    assert force_words(own, [form + [paragraph("Yours sincerely")]], "Their update") == (own, False)
    assert force_words(reply, [], "Their update") == (reply, False)  # no form to compare with: everything kept


def test_the_forms_read_from_a_real_invitation_leave_the_forces_words(office: Cli, tmp_path: Path) -> None:
    invitation = invite(office)
    reply = docx_blocks(returned_on_the_form(invitation, tmp_path / "reply.docx"))
    kept, left_out = force_words(reply, [docx_blocks(invitation)], "The Commissioner's update on each finding")
    assert left_out
    assert [block.text for block in kept if block.kind == "paragraph"] == ["Metropolitan Police Service response, 20 August 2018",
                                                                          COVERING]
    assert [row[0] for block in kept if block.kind == "table" for row in block.rows] == ["Areas for improvement", "A3", "A7"]


def test_a_long_title_makes_a_file_name_of_whole_words() -> None:
    title = ("An inspection of how well the police and other agencies use their powers to tackle "
             "anti-social behaviour and its effect on victims")
    name = package_name(Inspection(title=title, published_on=dt.date(2024, 8, 1)))
    slug = name.removeprefix("2024-08-01-").removesuffix("-response")
    assert len(slug) <= 80 and title.lower().replace(" ", "-").startswith(slug + "-")
    assert slug.endswith("-use-their-powers-to")  # "tackle" would end at the 82nd character: left out, not cut to "tac"


# --- the workspace: the drafting page says what is missing -----------------------------------------------


def test_the_drafting_page_links_the_refusal_to_the_paragraphs_and_keeps_them(app: Any, office_data: Offices, db_url: str) -> None:
    dan = Browserless(app)
    assert dan.login("dan").status_code == 302
    inspection = office_data.mopac_inspection
    made = dan.post(f"/inspections/{inspection}/invite", {"invite-letter_date": "18/7/2018", "invite-reply_by": "7 August 2018"})
    invitation = int(made.headers["Location"].rsplit("/", 1)[1])
    assert dan.post(f"/letters/{invitation}/sent", {"sent_on": "18/7/2018"}).status_code == 302
    reply = Document()
    reply.add_paragraph(COVERING)
    buffer = io.BytesIO()
    reply.save(buffer)
    stored = dan.post(f"/inspections/{inspection}/comments", {"comments-reply": (io.BytesIO(buffer.getvalue()), "reply.docx"),
                                                              "comments-received": "14/8/2018"}, content_type="multipart/form-data")
    assert stored.status_code == 302, text_of(stored)
    assert "The chief officer's comments are stored (" in text_of(dan.get(f"/inspections/{inspection}"))

    before = snapshot(db_url)
    typed = "# Opening\nI welcome this report."
    refused = dan.post(f"/inspections/{inspection}/draft", {"kind": "response", "letter_date": "7/9/2018", "comments": typed})
    assert refused.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', refused.text, flags=re.DOTALL).group(0)
    assert '<a href="#comments">' in summary
    said = text_of(refused)
    assert ("The office's own paragraphs (s.55 response only): The Commissioner's comments on inspection 1, received 14 August "
            "2018, are not answered (the office's paragraphs have no '# Response to the chief officer' section)") in said
    assert "write the response under a '# Response to the chief officer' heading in 'The office's own paragraphs'" in said
    assert "I welcome this report." in refused.text  # what was typed is kept
    assert snapshot(db_url) == before

    answered = dan.post(f"/inspections/{inspection}/draft", {
        "kind": "response", "letter_date": "7/9/2018",
        "comments": typed + "\n\n# Response to the Commissioner's comments\nI note the Commissioner's acceptance of every finding."})
    assert answered.status_code == 302, text_of(answered)
    letter = int(answered.headers["Location"].rsplit("/", 1)[1])
    words = [p.text for p in Document(io.BytesIO(dan.get(f"/letters/{letter}/download").data)).paragraphs]
    assert words[words.index("Response to the Commissioner's comments") + 1] == "I note the Commissioner's acceptance of every finding."
