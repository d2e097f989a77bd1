"""The s.55 process through the web pages (Flask's test client): invite, chase, the chief officer's
comments, the office's answers and paragraphs, clearance by a second person, sending with the
copies' dates, publishing and the package's files; retracting an update; correcting and deleting an
inspection; the upload preview's line numbers. Each refusal is the library's, shown on the page,
with nothing stored."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from correspondence.files.letter_versions import current_version
from correspondence.organisation.offices import get_office, update_office
from correspondence.records.models import ForceUpdate, Inspection, Letter, LetterClearance, S55Response
from correspondence.records.vocabulary import LetterKind
from tests.conftest import FIXTURES, snapshot
from tests.web_support import Browserless, Offices, text_of

REPORT = FIXTURES / "reports" / "cdi-shire-2019.txt"


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


@pytest.fixture
def dan(app: Any) -> Browserless:
    return client(app, "dan")


def latest(o: Offices, kind: LetterKind) -> int:
    with o.store.reading() as session:
        return session.query(Letter.id).filter(Letter.kind == kind).order_by(Letter.id.desc()).first()[0]


def approval_hash(browser: Browserless, letter_id: int) -> str:
    page = browser.get(f"/letters/{letter_id}").text
    return re.search(r'name="sha256"[^>]*value="([0-9a-f]{64})"', page).group(1)


def invite_and_send(dan: Browserless, o: Offices) -> int:
    inspection = o.mopac_inspection
    made = dan.post(f"/inspections/{inspection}/invite", {"invite-letter_date": "18/7/2018", "invite-reply_by": "7 August 2018"})
    assert made.status_code == 302, text_of(made)
    invitation = int(made.headers["Location"].rsplit("/", 1)[1])
    assert dan.post(f"/letters/{invitation}/sent", {"sent_on": "18/7/2018"}).status_code == 302
    return invitation


# --- the whole process -------------------------------------------------------------------------------


def test_the_whole_process_from_the_pages(app: Any, dan: Browserless, office_data: Offices) -> None:
    o = office_data
    page = text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    assert "Stage Not started Next step Invite the Commissioner's comments (s.55(4)) Now" in page
    assert "Leave empty for the office's usual date, 7 August 2018 (21 days after the report's publication)" in page

    # the invitation, addressed to the Commissioner of its date, with the findings table to fill in
    made = dan.post(f"/inspections/{o.mopac_inspection}/invite", {"invite-letter_date": "18/7/2018", "invite-reply_by": ""})
    assert made.status_code == 302
    invitation = int(made.headers["Location"].rsplit("/", 1)[1])
    letter_page = text_of(dan.get(made.headers["Location"]))
    assert "Drafted the invitation to comment" in letter_page and "Cressida Dick" in letter_page
    document = Document(io.BytesIO(dan.get(f"/letters/{invitation}/download").data))
    assert "7 August 2018" in "\n".join(p.text for p in document.paragraphs)
    assert document.tables  # the findings table to fill in
    assert "Send the invitation" in text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    assert dan.post(f"/letters/{invitation}/sent", {"sent_on": "18/7/2018"}).status_code == 302

    # no comments by the reply-by date: a reminder
    chased = dan.post(f"/inspections/{o.mopac_inspection}/chase", {"chase-letter_date": "8/8/2018", "chase-reply_by": "15/8/2018"})
    assert chased.status_code == 302 and "Drafted the reminder" in text_of(dan.get(chased.headers["Location"]))

    # the chief officer's reply, as a Word file
    reply = Document()
    reply.add_paragraph("Dear Sophie, thank you for the report's findings. We accept them all.")
    buffer = io.BytesIO()
    reply.save(buffer)
    stored = dan.post(f"/inspections/{o.mopac_inspection}/comments",
                      {"comments-reply": (io.BytesIO(buffer.getvalue()), "reply from the Met.docx"), "comments-received": "14/8/2018",
                       "comments-reference": "MPS/2018/77"}, content_type="multipart/form-data")
    assert stored.status_code == 302, text_of(stored)
    assert "The chief officer's comments of 14 August 2018 are stored." in text_of(dan.get(stored.headers["Location"]))
    with o.store.reading() as session:
        comments = session.get(Letter, int(stored.headers["Location"].rsplit("/", 1)[1]))
        assert comments.kind is LetterKind.COMMENTS and comments.reference == "MPS/2018/77"
        reply_file = current_version(session, comments)
        assert reply_file.file_name == "reply from the Met.docx" and "We accept them all" in comments.body_text
        assert Path(reply_file.mirror_path).parent == o.letters_dir.resolve() / "received"  # the office's folder's copy

    # the office's answer on a finding, and its own paragraphs in the s.55 letter
    answered = dan.post(f"/inspections/{o.mopac_inspection}/answers",
                        {"answer-area": str(o.mopac_area), "answer-text": "We will audit crime recording every quarter.",
                         "answer-answered": "31/8/2018"})  # a letter quotes only the answers given by its date
    assert answered.status_code == 302
    assert "We will audit crime recording every quarter." in text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    drafted = dan.post(f"/inspections/{o.mopac_inspection}/draft", {
        "kind": "response", "letter_date": "7/9/2018",
        "comments": "# Opening\nI **welcome** this report on {force}.\n\n# Commentary\n- I will press the force on crime recording."
                    "\n\n# Response to the chief officer\nI welcome the Commissioner's acceptance of the findings.",
    })
    assert drafted.status_code == 302, text_of(drafted)
    letter_id = int(drafted.headers["Location"].rsplit("/", 1)[1])
    body = Document(io.BytesIO(dan.get(f"/letters/{letter_id}/download").data))
    words = "\n".join(p.text for p in body.paragraphs)
    assert "I welcome this report on the Metropolitan Police Service." in words
    assert "I will press the force on crime recording." in words
    annex = "\n".join(cell.text for table in body.tables for row in table.rows for cell in row.cells)
    assert "We will audit crime recording every quarter." in annex

    # clearance: the office requires a second person; dan submits, cannot approve; april approves
    with o.store.transaction() as session:
        update_office(session, get_office(session, "MOPAC"), require_approval=True)
    refused = dan.post(f"/letters/{letter_id}/sent", {"sent_on": "7/9/2018"})
    assert refused.status_code == 422 and "MOPAC requires approval before a letter is sent" in text_of(refused)
    assert dan.post(f"/letters/{letter_id}/submit").status_code == 302
    assert "Submitted by Dan Example on" in text_of(dan.get(f"/letters/{letter_id}"))
    april = client(app, "april")
    approved = april.post(f"/letters/{letter_id}/approve", {"sha256": approval_hash(april, letter_id)})
    assert approved.status_code == 302
    assert "Approved by April Example on" in text_of(april.get(f"/letters/{letter_id}"))

    # sent, with the copies' dates (s.55(6)); then published, and the package downloaded
    sent = dan.post(f"/letters/{letter_id}/sent", {"sent_on": "7/9/2018", "hmicfrs_on": "10/9/2018"})
    assert sent.status_code == 302, text_of(sent)
    page = text_of(dan.get(f"/letters/{letter_id}"))
    assert "The Home Secretary: 7 September 2018" in page and "HMICFRS: 10 September 2018" in page
    page = text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    assert "Next step Publish the response By 10 September 2018" in page
    published = dan.post(f"/inspections/{o.mopac_inspection}/publish",
                         {"publish-published_on": "10/9/2018", "publish-url": "https://www.london.gov.uk/mopac/hmicfrs/cdi-2018"})
    assert published.status_code == 302, text_of(published)
    page = text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    assert "Stage Published" in page and "Published 10 September 2018 at https://www.london.gov.uk/mopac/hmicfrs/cdi-2018" in page
    assert "Response published at https://www.london.gov.uk/mopac/hmicfrs/cdi-2018 Dan Example" in page  # the steps, with who
    html_page = dan.get(f"/inspections/{o.mopac_inspection}/published.html")
    assert html_page.status_code == 200 and b"We accept them all" in html_page.data and b"crime recording" in html_page.data
    pdf = dan.get(f"/inspections/{o.mopac_inspection}/published.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    index = dan.get(f"/inspections/{o.mopac_inspection}/published.index")
    assert index.status_code == 200 and b"HMICFRS reports and our responses" in index.data
    for folder in (o.letters_dir / "publication",):
        assert sorted(path.suffix for path in folder.iterdir()) == [".html", ".html", ".pdf"]
    viewer = client(app, "vera")
    assert viewer.get(f"/inspections/{o.mopac_inspection}/published.pdf").status_code == 200
    anonymous = Browserless(app).get(f"/inspections/{o.mopac_inspection}/published.pdf")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    assert dan.get(f"/inspections/{o.mopac_inspection}/published.exe").status_code == 404
    assert "Publish the response" not in text_of(viewer.get(f"/inspections/{o.mopac_inspection}"))


# --- refusals: one line on the page, nothing stored ------------------------------------------------------


@pytest.mark.parametrize(("path", "form", "message"), [
    ("invite", {"invite-letter_date": "18/7/2018", "invite-reply_by": "20/9/2018"},
     "Comments asked for by: 20 September 2018 is after 10 September 2018, the last day for publishing the response"),
    ("invite", {"invite-letter_date": "1/7/2018"}, "1 July 2018 is before the report was published, on 17 July 2018"),
    ("invite", {"invite-letter_date": "31/2/2018"}, "'31/2/2018' is not a real date"),
    ("chase", {"chase-letter_date": "8/8/2018"}, "MOPAC has not invited the chief officer's comments on inspection"),
    ("comments", {"comments-reply": (b"Thank you.", "reply.txt"), "comments-received": "1/8/2018"},
     "MOPAC has not invited the chief officer's comments"),
    ("publish", {"publish-published_on": "10/9/2018"}, "MOPAC's s.55 response to inspection"),
    ("publish", {"publish-published_on": ""}, "Enter the date it is published"),
    ("answers", {"answer-area": "AREA", "answer-text": ""}, "What the office has done or will do: say what the office has done"),
    ("answers", {"answer-area": "AREA", "answer-text": "Something", "answer-no_action": "y", "answer-why": "Because"},
     "Give 'What the office has done or will do' or 'No action' with 'Why no action will be taken', not both"),
    ("draft", {"kind": "response", "letter_date": "7/9/2018", "comments": "# Postscript\nHello"}, "The office's own paragraphs line 1"),
])
def test_a_step_out_of_order_or_with_bad_input_says_why_and_stores_nothing(dan: Browserless, office_data: Offices, db_url: str,
                                                                             path: str, form: dict, message: str) -> None:
    form = {key: (str(office_data.mopac_area) if value == "AREA" else value) for key, value in form.items()}
    form = {key: ((io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value) for key, value in form.items()}  # a new file each run
    before = snapshot(db_url)
    files_before = sorted(office_data.letters_dir.iterdir())
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/{path}", form, content_type="multipart/form-data")
    assert response.status_code == 422, response.status_code
    assert message in text_of(response), text_of(response)[:3000]
    assert snapshot(db_url) == before
    assert sorted(office_data.letters_dir.iterdir()) == files_before


@pytest.mark.parametrize(("name", "data", "message"), [
    ("reply.exe", b"MZ not a letter", "reply.exe is not a file the tool can read"),
    ("reply.docx", b"PK\x03\x04 broken zip", "reply.docx could not be stored: cannot be read as a Word .docx file"),
    ("empty.txt", b"", "empty.txt could not be stored: is empty. Nothing was stored."),
])
def test_a_bad_reply_file_is_refused_with_its_name_and_nothing_is_stored(dan: Browserless, office_data: Offices, db_url: str,
                                                                         name: str, data: bytes, message: str) -> None:
    invite_and_send(dan, office_data)
    before = snapshot(db_url)
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/comments",
                        {"comments-reply": (io.BytesIO(data), name), "comments-received": "1/8/2018"}, content_type="multipart/form-data")
    assert response.status_code == 422 and message in text_of(response) and "corr-uploads" not in response.text
    assert snapshot(db_url) == before
    assert not [p for p in office_data.letters_dir.iterdir() if p.name.startswith("comments-")]


def test_approval_is_of_the_file_shown_and_an_edit_voids_it(app: Any, dan: Browserless, office_data: Offices, db_url: str) -> None:
    o = office_data
    april = client(app, "april")
    assert dan.post(f"/letters/{o.mopac_draft}/submit").status_code == 302
    shown = approval_hash(april, o.mopac_draft)
    path = o.letters_dir / "MOPAC06092018-D2188.docx"  # the office's folder's copy, opened in Word
    document = Document(str(path))
    document.add_paragraph("A paragraph added in Word after the approver opened it.")
    document.save(str(path))
    _upload_version(dan, o.mopac_draft, path, "a paragraph added in Word")
    before = snapshot(db_url)
    stale = april.post(f"/letters/{o.mopac_draft}/approve", {"sha256": shown})
    assert stale.status_code == 422 and "file has changed since you opened it; read it again" in text_of(stale)
    assert snapshot(db_url) == before
    assert april.post(f"/letters/{o.mopac_draft}/approve", {"sha256": approval_hash(april, o.mopac_draft)}).status_code == 302
    document.add_paragraph("And another, after approval.")
    document.save(str(path))
    _upload_version(dan, o.mopac_draft, path, "another paragraph")
    assert "Approval is void: the file has changed since April Example approved it" in text_of(dan.get(f"/letters/{o.mopac_draft}"))


def _upload_version(browser: Browserless, letter_id: int, path: Path, why: str) -> None:
    uploaded = browser.post(f"/letters/{letter_id}/versions", {"version-file": (io.BytesIO(path.read_bytes()), path.name),
                                                                 "version-why": why}, content_type="multipart/form-data")
    assert uploaded.status_code == 302, text_of(uploaded)


def test_where_approval_is_required_the_drafter_cannot_approve_their_own(app: Any, office_data: Offices, db_url: str) -> None:
    o = office_data
    with o.store.transaction() as session:
        update_office(session, get_office(session, "MOPAC"), require_approval=True)
    ada = client(app, "ada")  # an admin may approve, but not a letter they submitted themselves
    assert ada.post(f"/letters/{o.mopac_draft}/submit").status_code == 302
    assert "Approve this letter" not in ada.get(f"/letters/{o.mopac_draft}").text  # nor is offered to
    shown = approval_hash(client(app, "april"), o.mopac_draft)  # the form as another approver has it, sent by ada
    before = snapshot(db_url)
    own = ada.post(f"/letters/{o.mopac_draft}/approve", {"sha256": shown})
    assert own.status_code == 403 and "MOPAC requires a second person to approve it; ask another approver" in text_of(own)
    assert snapshot(db_url) == before
    with o.store.reading() as session:
        assert session.query(LetterClearance).count() == 1


def test_the_hmicfrs_date_is_checked_and_nothing_is_sent_when_it_is_wrong(dan: Browserless, office_data: Offices, db_url: str) -> None:
    before = snapshot(db_url)
    response = dan.post(f"/letters/{office_data.mopac_draft}/sent", {"sent_on": "7/9/2018", "hmicfrs_on": "1/9/2018"})
    assert response.status_code == 422
    assert "Date HMICFRS's copy went: 1 September 2018 is before the letter's date, 7 September 2018" in text_of(response)
    assert snapshot(db_url) == before


# --- updates, inspections, the preview -----------------------------------------------------------------------


def test_a_mistaken_update_is_retracted_with_a_reason_and_kept(dan: Browserless, office_data: Offices) -> None:
    o = office_data
    added = dan.post(f"/inspections/{o.mopac_inspection}/updates",
                     {"area": str(o.mopac_area), "status": "complete", "received": "1/9/2018", "text": "Meant for another finding."})
    assert added.status_code == 302
    with o.store.reading() as session:
        number = session.query(ForceUpdate).filter(ForceUpdate.area_id == o.mopac_area).count()
    empty = dan.post(f"/findings/{o.mopac_area}/updates/{number}/retract", {"why": ""})
    assert empty.status_code == 422 and "Say why the update is withdrawn" in text_of(empty)
    done = dan.post(f"/findings/{o.mopac_area}/updates/{number}/retract", {"why": "entered against the wrong finding"})
    assert done.status_code == 302
    page = text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    assert "Retracted by Dan Example: entered against the wrong finding" in page
    again = dan.post(f"/findings/{o.mopac_area}/updates/{number}/retract", {"why": "twice"})
    assert again.status_code == 422 and f"Update {number} on" in text_of(again) and "was already retracted by dan" in text_of(again)
    missing = dan.post(f"/findings/{o.mopac_area}/updates/99/retract", {"why": "no such"})
    assert missing.status_code == 422 and "has no update 99" in text_of(missing)


def test_an_inspection_is_corrected_and_a_bad_correction_changes_nothing(dan: Browserless, office_data: Offices, db_url: str) -> None:
    o = office_data
    form = {"correct-title": "Crime Data Integrity re-inspection", "correct-programme": "Crime Data Integrity",
            "correct-published": "18 July 2018", "correct-source_url": "", "correct-grade": "inadequate"}
    assert dan.post(f"/inspections/{o.mopac_inspection}/correct", form).status_code == 302
    with o.store.reading() as session:
        found = session.get(Inspection, o.mopac_inspection)
        assert (found.title, found.published_on, found.overall_grade.value, found.source_url) == (
            "Crime Data Integrity re-inspection", dt.date(2018, 7, 18), "inadequate", None)
    before = snapshot(db_url)
    future = dan.post(f"/inspections/{o.mopac_inspection}/correct", {**form, "correct-published": "1/1/2099"})
    assert future.status_code == 422 and "Published: 1 January 2099 is in the future" in text_of(future)
    assert snapshot(db_url) == before


def test_only_an_admin_deletes_an_inspection_and_never_one_a_sent_letter_answers(app: Any, dan: Browserless, office_data: Offices,
                                                                                 db_url: str) -> None:
    o = office_data
    assert dan.post(f"/inspections/{o.mopac_spare}/delete", {"delete-confirm": "y"}).status_code == 403
    ada = client(app, "ada")
    unticked = ada.post(f"/inspections/{o.mopac_spare}/delete", {})
    assert unticked.status_code == 422 and "Tick the box to confirm" in text_of(unticked)
    assert ada.post(f"/inspections/{o.mopac_spare}/delete", {"delete-confirm": "y"}).status_code == 302
    with o.store.reading() as session:
        assert session.get(Inspection, o.mopac_spare) is None
    assert dan.post(f"/letters/{o.mopac_draft}/sent", {"sent_on": "7/9/2018"}).status_code == 302
    before = snapshot(db_url)
    refused = ada.post(f"/inspections/{o.mopac_inspection}/delete", {"delete-confirm": "y"})
    assert refused.status_code == 422 and "cannot be deleted: the sent letter(s) MOPAC06092018-D2188 refer to it" in text_of(refused)
    assert snapshot(db_url) == before


def test_the_upload_preview_gives_the_line_each_value_was_read_from(dan: Browserless) -> None:
    from correspondence.importers.storing import read_report

    findings = read_report(REPORT)
    response = dan.post("/inspections/upload", {"report": (io.BytesIO(REPORT.read_bytes()), "shire.txt")},
                        content_type="multipart/form-data")
    page = text_of(response)
    assert response.status_code == 200 and "Read from" in page
    title_line = findings.sources["title"].line
    assert f"Read from line {title_line} of the report" in page and f'value="{findings.title}"' in response.text  # editable, as read
    first = findings.recommendations[0]["text"] if findings.recommendations else findings.areas_for_improvement[0]["text"]
    section = "recommendations" if findings.recommendations else "areas_for_improvement"
    assert first in page and f"Read from line {findings.sources[f'{section}[0]'].line} of the report" in page


def test_answers_and_drafts_land_in_each_offices_own_folder(app: Any, office_data: Offices, db_url: str) -> None:
    """A Kent user drafts into Kent's folder, never into MOPAC's."""
    o = office_data
    kim = client(app, "kim")
    made = kim.post(f"/inspections/{o.kent_inspection}/draft", {"kind": "annex", "letter_date": "1/7/2022"})
    assert made.status_code == 302, text_of(made)
    kent_folder = o.letters_dir.parent / "kent-letters"  # Kent names its own folder for copies
    assert [p.suffix for p in kent_folder.iterdir()] == [".docx"]
    assert sorted(p.name for p in o.letters_dir.iterdir()) == ["MOPAC06092018-D2188.docx"]
    assert kim.get(made.headers["Location"] + "/download").status_code == 200
    with o.store.reading() as session:
        assert session.query(S55Response).count() == 0  # an annex starts no s.55 response


def test_the_inspection_page_has_one_timeline_every_step_once_in_date_order(dan: Browserless, office_data: Offices) -> None:
    from correspondence.records.dates import parse_date

    o = office_data
    invitation = invite_and_send(dan, o)
    page = dan.get(f"/inspections/{o.mopac_inspection}").text
    assert page.count('class="table table--cards timeline"') == 1 and "Steps so far" not in page  # the second timeline is gone
    rows = [(parse_date(on.strip()), re.sub(r"<[^>]+>", "", what).strip(), by.strip()) for on, what, by in re.findall(
        r'<tr class="timeline__step[^"]*"><td class="nowrap" data-label="Date">([^<]+)</td>\s*<td data-label="Step">(.*?)</td>\s*<td data-label="By">([^<]*)</td>', page, flags=re.DOTALL)]
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)
    whats = [row[1] for row in rows]
    assert whats[0] == "HMICFRS published the report" and whats[-1] == "Last day to publish the s.55 comments (passed)"
    sent = [row for row in rows if row[1].startswith("Invitation to comment") and row[1].endswith(" sent")]
    assert [(row[0], row[2]) for row in sent] == [(dt.date(2018, 7, 18), "Dan Example")] and len(whats) == len(set(whats))
    assert f'href="/letters/{invitation}"' in page.split('class="table table--cards timeline"', 1)[1].split("</table>", 1)[0]
