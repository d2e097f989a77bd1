"""The post (issue 24): logging a letter or e-mail received by uploading it, checking and completing
what was read in the preview, owning it and its reply-by date on the dashboard until it is answered,
replying to it, and logging a letter sent outside the tool; the same from the command line."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from docx import Document
from sqlalchemy import event, select

from correspondence.files.letter_versions import attachments_of, current_version
from correspondence.files.versions import read_bytes
from correspondence.organisation.offices import get_office, update_office
from correspondence.records.models import Letter, User
from correspondence.records.store import acting_as
from correspondence.records.vocabulary import Direction, LetterKind, LetterStatus
from correspondence.register import post
from tests.web_support import Browserless, Offices, text_of

LETTER = Path(__file__).parent / "fixtures" / "letters" / "force-reply-24.txt"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def word_letter(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def covering_email() -> bytes:
    message = EmailMessage()
    message["From"] = "Lee Marsh <lee.marsh@northshire.police.example>"
    message["To"] = "Office of the PCC <opcc@mopac.example>"
    message["Subject"] = "FW: Rural response times"
    message["Date"] = "Mon, 17 Mar 2025 09:12:00 +0000"
    message.set_content("Please find attached the Chief Constable's reply.\n\nKind regards\nLee Marsh")
    message.add_attachment(word_letter(LETTER.read_text()), maintype="application", subtype=DOCX.split("/")[1], filename="CC reply.docx")
    message.add_attachment(macro_document(), maintype="application", subtype="octet-stream", filename="macro.docx")
    message.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, maintype="image", subtype="png", filename="logo.png")
    return message.as_bytes()


def macro_document() -> bytes:
    """A Word file with macros in it: never kept as a file of its own."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.ms-word.vbaProject"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", "macro")
    return out.getvalue()


def upload(browser: Browserless, content: bytes, name: str, direction: str = "in") -> Any:
    return browser.post("/letters/post", {"direction": direction, "letter": (io.BytesIO(content), name)},
                        content_type="multipart/form-data")


def preview_values(page: str) -> dict[str, str]:
    """The preview form's fields as the browser would send them back (inputs, selected options)."""
    values = {name: value for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)}
    for name in re.findall(r'<input[^>]*name="([^"]+)"', page):
        values.setdefault(name, "")
    return {name: value for name, value in values.items() if name != "csrf_token"}


def letters_now(o: Offices) -> list[int]:
    with o.store.reading() as session:
        return list(session.scalars(select(Letter.id).order_by(Letter.id)))


# --- logging an e-mail with its attachments --------------------------------------------------------------


def test_an_email_is_logged_with_its_attachments_owned_and_kept_until_answered(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    assert "Log the post" in text_of(dan.get("/letters"))
    raw = covering_email()
    page = upload(dan, raw, "FW Rural response times.eml")
    assert page.status_code == 200, text_of(page)
    shown = text_of(page)
    assert "read from the attached letter, CC reply.docx" in shown
    assert "Read from line 15 of CC reply.docx: 14 March 2025" in shown
    assert "macro.docx: not kept separately (is a macro-enabled document" in shown  # stays inside the e-mail, and says so
    values = preview_values(page.text)
    assert values["letter_date"] == "14 March 2025" and values["sender"] == "Sam Okafor"
    assert values["reference"] == "NP/CC/2025/118"
    assert "Dan Example" in page.text and "dan" not in re.findall(r"<option[^>]*>([^<]*)</option>", page.text)

    before = letters_now(o)
    stored = dan.post("/letters/post/check", {**values, "owner": str(o.users["dan"]), "reply_by": "4/4/2025", "inspection": ""})
    assert stored.status_code == 302, text_of(stored)
    letter_id = int(stored.headers["Location"].rsplit("/", 1)[1])
    assert letters_now(o) == [*before, letter_id]
    with o.store.reading() as session:
        letter = session.get(Letter, letter_id)
        assert (letter.direction, letter.status, letter.reference) == (Direction.IN, LetterStatus.RECEIVED, "NP/CC/2025/118")
        assert letter.sender == "Sam Okafor, Chief Constable" and letter.letter_date == dt.date(2025, 3, 14)
        assert letter.owner_id == o.users["dan"] and letter.reply_by == dt.date(2025, 4, 4)
        version = current_version(session, letter)
        assert version.file_name == "FW Rural response times.eml" and read_bytes(session, version) == raw
        assert letter.file_sha256 == hashlib.sha256(raw).hexdigest()
        assert [item.file_name for item in attachments_of(session, letter)] == ["CC reply.docx", "logo.png"]
        assert "rural response times" in letter.body_text.lower()  # searchable by the letter's words, not its MIME source
        assert "base64" not in letter.body_text.lower()

    page = text_of(dan.get(f"/letters/{letter_id}"))
    assert "Who answers it Dan Example" in page and "Reply by 4 April 2025" in page
    shown = text_of(dan.get(f"/letters/{letter_id}/versions/1/preview"))  # the e-mail read as a person reads it
    assert "From: Lee Marsh" in shown and "Please find attached the Chief Constable's reply." in shown
    assert "Attachments: CC reply.docx; macro.docx; logo.png" in shown and "base64" not in shown
    for view in ("/", "/?view=mine"):
        board = text_of(dan.get(view))
        assert "Letters to answer (1)" in board and "Response times in the rural east of the county" in board
        assert "overdue" in board
    april = client(app, "april")
    assert "No letter is yours to answer." in text_of(april.get("/?view=mine"))

    # answered another way: it leaves the dashboard, and the page says how, by whom
    answered = dan.post(f"/letters/{letter_id}/answered", {"answered-how": "no reply needed", "answered-answered_on": "20/3/2025",
                                                          "answered-note": "Noted at the board"})
    assert answered.status_code == 302, text_of(answered)
    page = text_of(dan.get(f"/letters/{letter_id}"))
    assert "Answered 20 March 2025: no reply needed, recorded by Dan Example" in page and "Noted at the board" in page
    assert "Letters to answer (0)" in text_of(dan.get("/"))


def test_the_preview_says_every_problem_at_once_and_keeps_the_upload(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    message = EmailMessage()
    message["Subject"] = "No sender or date here"
    message.set_content("A short note.")
    page = upload(dan, message.as_bytes(), "note.eml")
    values = preview_values(page.text)
    assert values["letter_date"] == "" and values["sender"] == ""  # not read, so not guessed
    assert values["subject"] == "No sender or date here"
    before = letters_now(o)
    refused = dan.post("/letters/post/check", {**values, "letter_date": "", "sender": "", "reply_by": "31 Febtember",
                                               "owner": str(o.users["kim"]), "subject": "Typed by hand"})
    assert refused.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', refused.text, re.DOTALL).group(0)
    for field in ("letter_date", "sender", "reply_by", "owner"):
        assert f'href="#{field}"' in summary, field
    assert 'value="Typed by hand"' in refused.text  # what was typed is kept
    assert letters_now(o) == before
    fixed = dan.post("/letters/post/check", {**preview_values(refused.text), "letter_date": "3 March 2025", "sender": "A resident",
                                             "reply_by": "", "owner": ""})
    assert fixed.status_code == 302, text_of(fixed)  # the same upload, never asked for again


def test_business_support_logs_the_post_but_a_viewer_cannot(app: Any, office_data: Offices) -> None:
    vera = client(app, "vera")
    assert vera.get("/letters/post").status_code == 403
    assert "Log the post" not in text_of(vera.get("/letters"))
    dan = client(app, "dan")
    assert dan.get("/letters/post").status_code == 200
    refused = upload(dan, b"MZ\x00\x00", "virus.exe")
    assert refused.status_code == 422 and "virus.exe is not a letter or e-mail the tool can read" in text_of(refused)


def test_another_offices_letter_cannot_be_assigned_or_answered(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    assert dan.post(f"/letters/{o.kent_letter}/assign", {"assign-owner": "", "assign-reply_by": ""}).status_code == 404
    assert dan.post(f"/letters/{o.kent_letter}/reply", {}).status_code == 404


# --- replying --------------------------------------------------------------------------------------------


def _received(o: Offices, **changes: Any) -> int:
    with acting_as("dan"), o.store.transaction() as session:
        letter = session.get(Letter, o.mopac_received)
        for key, value in changes.items():
            setattr(letter, key, value)
        return letter.id


def test_reply_drafts_a_letter_with_your_ref_and_sending_it_answers_the_letter(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    logged = dan.post("/letters/post/check", {})  # no upload in hand: sent back to upload it
    assert logged.status_code == 302 and logged.headers["Location"].endswith("/letters/post")
    page = upload(dan, LETTER.read_bytes(), LETTER.name)
    made = dan.post("/letters/post/check", {**preview_values(page.text), "owner": str(o.users["dan"]), "reply_by": "", "inspection": ""})
    received = int(made.headers["Location"].rsplit("/", 1)[1])

    replied = dan.post(f"/letters/{received}/reply", {"reply-letter_date": "21/3/2025"})
    assert replied.status_code == 302, text_of(replied)
    reply_id = int(replied.headers["Location"].rsplit("/", 1)[1])
    with o.store.reading() as session:
        reply = session.get(Letter, reply_id)
        assert (reply.kind, reply.direction, reply.status) == (LetterKind.REPLY, Direction.OUT, LetterStatus.DRAFT)
        assert reply.in_reply_to_id == received and reply.their_reference == "NP/CC/2025/118"
        assert reply.addressee_name == "Sam Okafor" and reply.subject == "Re: Response times in the rural east of the county"
        ours = reply.reference
    text = "\n".join(p.text for p in Document(io.BytesIO(dan.get(f"/letters/{reply_id}/download").data)).paragraphs)
    assert "Your ref: NP/CC/2025/118" in text and f"Our ref: {ours}" in text
    assert "Dear Sam Okafor" in text and "Re: Response times in the rural east of the county" in text
    assert "Thank you for your letter of" in text
    assert "In reply to NP/CC/2025/118 from Sam Okafor, Chief Constable" in text_of(dan.get(f"/letters/{reply_id}"))

    assert "Letters to answer (1)" in text_of(dan.get("/"))
    with o.store.transaction() as session:  # approval is its own test's: here the reply goes as drafted
        update_office(session, get_office(session, "MOPAC"), require_approval=False)
    sent = dan.post(f"/letters/{reply_id}/sent", {"sent_on": "24/3/2025"})
    assert sent.status_code == 302, text_of(sent)
    with o.store.reading() as session:
        assert session.get(Letter, received).answered_on == dt.date(2025, 3, 24)
    assert "Letters to answer (0)" in text_of(dan.get("/"))
    assert "Answered 24 March 2025: a reply was sent" in text_of(dan.get(f"/letters/{received}"))


def test_assigning_on_the_letter_page_checks_every_field(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    refused = dan.post(f"/letters/{o.mopac_received}/assign", {"assign-owner": str(o.users["kim"]), "assign-reply_by": "1/1/1990"})
    assert refused.status_code == 422
    assert "Who answers it: Choose someone in the office" in text_of(refused)
    saved = dan.post(f"/letters/{o.mopac_received}/assign", {"assign-owner": str(o.users["april"]), "assign-reply_by": "30/9/2030"})
    assert saved.status_code == 302
    assert "April Example" in text_of(client(app, "april").get("/?view=mine"))


# --- a letter sent outside the tool ---------------------------------------------------------------------------


def test_a_letter_sent_outside_the_tool_keeps_its_reference_unless_spent(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    text = "Ms Alex Rowan\n\nOur ref: KENT/1/22\n\n2 February 2025\n\nDear Chief Constable,\n\nBudget meeting\n\nThank you.\n\nYours sincerely\n\nAlex Rowan\n"
    page = upload(dan, text.encode(), "sent.txt", direction="out")
    assert page.status_code == 200
    values = preview_values(page.text)
    with o.store.reading() as session:
        spent = session.get(Letter, o.mopac_draft).reference
    refused = dan.post("/letters/post/check", {**values, "reference_choice": "keep", "reference": spent, "addressee_name": "Sam Okafor"})
    assert refused.status_code == 422 and "has already been used by MOPAC" in text_of(refused)
    taken = dan.post("/letters/post/check", {**values, "reference_choice": "take", "addressee_name": "Sam Okafor"})
    assert taken.status_code == 302, text_of(taken)
    with o.store.reading() as session:
        letter = session.get(Letter, int(taken.headers["Location"].rsplit("/", 1)[1]))
        assert (letter.direction, letter.status) == (Direction.OUT, LetterStatus.SENT)
        assert letter.reference and letter.reference != spent and letter.addressee_name == "Sam Okafor"


# --- the dashboard's cost ---------------------------------------------------------------------------------------


def test_the_dashboard_asks_the_same_number_of_queries_however_many_letters_await_an_answer(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    statements: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries(path: str) -> int:
        statements.clear()
        event.listen(o.store.engine, "before_cursor_execute", count)
        try:
            assert dan.get(path).status_code == 200
        finally:
            event.remove(o.store.engine, "before_cursor_execute", count)
        return len(statements)

    _received(o, owner_id=o.users["dan"], reply_by=dt.date(2030, 1, 1))
    with acting_as("dan"), o.store.transaction() as session:  # a second letter, another owner's
        office = session.get(Letter, o.mopac_received).office
        entry = post.PostEntry(direction=Direction.IN, letter_date=dt.date(2025, 1, 1), sender="First sender",
                               owner_id=o.users["april"], reply_by=dt.date(2025, 2, 1))
        post.log_post(session, office, entry, file=LETTER, file_name="first.txt")
    dan.get("/")
    few, few_mine = queries("/"), queries("/?view=mine")
    with acting_as("dan"), o.store.transaction() as session:
        office = session.get(Letter, o.mopac_received).office
        owners = list(session.scalars(select(User).where(User.office_id == office.id)))
        for number in range(8):
            entry = post.PostEntry(direction=Direction.IN, letter_date=dt.date(2025, 1, 1 + number), sender=f"Sender {number}",
                                   owner_id=owners[number % len(owners)].id, reply_by=dt.date(2025, 2, 1 + number))
            post.log_post(session, office, entry, file=LETTER, file_name=f"letter-{number}.txt")
    assert "Letters to answer (10)" in text_of(dan.get("/"))
    # never more (one fewer here: the newest letters received name no force, so that list's force query is skipped)
    assert queries("/") <= few and queries("/?view=mine") <= few_mine


# --- the command line ------------------------------------------------------------------------------------------------


def test_the_command_line_imports_an_email_assigns_answers_and_replies(example_cli: Any, tmp_path: Path) -> None:
    cli = example_cli
    cli.ok("user", "add", "dan", "--office", "MOPAC", "--role", "drafter", "--full-name", "Dan Example")
    eml = tmp_path / "fw-reply-24.eml"
    eml.write_bytes(covering_email())
    imported = cli.json("letter", "import", str(eml), "--office", "MOPAC", "--direction", "in")
    assert imported[0]["stored"] and imported[0]["reference"] == "NP/CC/2025/118"
    assert any("attachment" in note for note in imported[0]["notes"])
    label = imported[0]["reference"]
    assert "owned by Dan Example, reply by 4 April 2025" in cli.ok("letter", "assign", label, "--owner", "Dan Example",
                                                                   "--reply-by", "4/4/2025").stdout
    cli.fails("letter", "assign", label, "--owner", "Nobody Known")
    drafted = cli.json("letter", "reply", label, "--date", "21/3/2025")
    assert drafted["in_reply_to"] == label and drafted["addressee"] == "Sam Okafor"
    assert "answered outside the tool, 22 March 2025" in cli.ok("letter", "answered", label, "--date", "22/3/2025",
                                                                "--note", "By phone").stdout
    cli.fails("letter", "answered", label, "--date", "23/3/2025")  # already answered
