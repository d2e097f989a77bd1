"""Reading the post (importers/email_letter.py): a letter's file, and an e-mail saved from Outlook with
its attachments. Each value shown with where it was read; nothing guessed; an e-mail that is a covering
note is read from the letter attached; the limits on attachments, nesting and unsafe files."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from docx import Document

from correspondence.importers import email_letter
from correspondence.importers.email_letter import read_post
from correspondence.records.errors import InvalidInput

FIXTURES = Path(__file__).parent / "fixtures" / "letters"
LETTER = FIXTURES / "force-reply-24.txt"


def word_letter(text: str) -> bytes:
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def covering_email(*, attachments: list[tuple[str, bytes, str]], body: str = "Please find attached the Chief Constable's reply.\n\nKind regards\nLee Marsh\nStaff Officer") -> bytes:
    message = EmailMessage()
    message["From"] = "Lee Marsh <lee.marsh@northshire.police.example>"
    message["To"] = "Office of the PCC <opcc@northshire.example>"
    message["Subject"] = "FW: Rural response times"
    message["Date"] = "Mon, 17 Mar 2025 09:12:00 +0000"
    message.set_content(body)
    for name, content, kind in attachments:
        maintype, subtype = kind.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def test_a_letter_file_shows_each_value_with_its_line() -> None:
    reading = read_post(LETTER.read_bytes(), LETTER.name)
    assert not reading.is_email
    assert reading.value("letter_date") == "2025-03-14"
    assert reading.found["letter_date"].where == "line 15: 14 March 2025"
    assert reading.value("reference") == "NP/CC/2025/118"
    assert reading.value("sender") == "Sam Okafor" and reading.value("sender_title") == "Chief Constable"
    assert reading.value("subject") == "Response times in the rural east of the county"


def test_an_email_that_is_the_letter_takes_what_its_header_says() -> None:
    message = EmailMessage()
    message["From"] = "Priya Shah <priya.shah@residents.example>"
    message["To"] = "opcc@northshire.example"
    message["Subject"] = "Speeding on Mill Lane"
    message["Date"] = "Tue, 4 Mar 2025 18:40:00 +0000"
    message.set_content("Hello,\n\nCars speed on Mill Lane every evening. Could the police check it?\n\nPriya Shah")
    reading = read_post(message.as_bytes(), "mill-lane-24.eml")
    assert reading.is_email and not reading.read_from
    assert reading.value("sender") == "Priya Shah"
    assert reading.found["sender"].where == "the e-mail's From: Priya Shah <priya.shah@residents.example>"
    assert reading.value("letter_date") == "2025-03-04"
    assert reading.value("subject") == "Speeding on Mill Lane"
    assert "reference" not in reading.found  # not there, so not filled
    assert "Cars speed on Mill Lane" in reading.text


def test_an_html_only_email_is_read_as_text() -> None:
    message = EmailMessage()
    message["From"] = "Priya Shah <priya.shah@residents.example>"
    message["Subject"] = "Street lights"
    message["Date"] = "Tue, 4 Mar 2025 18:40:00 +0000"
    message.set_content("<html><body><p>The lights on <b>Oak Street</b> are out.</p></body></html>", subtype="html")
    reading = read_post(message.as_bytes(), "lights-24.eml")
    assert "The lights on Oak Street are out." in reading.text
    assert "<b>" not in reading.text


def test_a_covering_note_with_a_letter_attached_is_read_from_the_letter() -> None:
    letter = word_letter(LETTER.read_text())
    raw = covering_email(attachments=[("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),
                                      ("CC reply.docx", letter, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")])
    reading = read_post(raw, "fw-reply-24.eml")
    assert reading.read_from == "CC reply.docx"
    assert any("read from the attached letter, CC reply.docx" in note for note in reading.notes)
    assert reading.value("sender") == "Sam Okafor"  # the letter's signatory, not the staff officer who forwarded it
    assert reading.value("letter_date") == "2025-03-14"  # the letter's date, not the e-mail's
    assert reading.found["letter_date"].where.startswith("line ") and "of CC reply.docx" in reading.found["letter_date"].where
    assert [(item.name, item.kept) for item in reading.attachments] == [("logo.png", True), ("CC reply.docx", True)]


def test_an_attachment_that_is_not_safe_is_listed_as_not_kept() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.ms-word.vbaProject"/></Types>')
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", "macro")
    raw = covering_email(attachments=[("macro.docx", bomb.getvalue(), "application/octet-stream")])
    reading = read_post(raw, "macro-24.eml")
    attachment = reading.attachments[0]
    assert not attachment.kept and "macro-enabled" in attachment.why_not


def test_too_many_attachments_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(email_letter, "MAX_ATTACHMENTS", 2)
    raw = covering_email(attachments=[(f"note-{n}.txt", b"a note", "text/plain") for n in range(3)])
    with pytest.raises(InvalidInput, match="3 attachments; at most 2"):
        read_post(raw, "many-24.eml")


def test_emails_inside_emails_too_deep_are_refused() -> None:
    inner = EmailMessage()
    inner["Subject"] = "innermost"
    inner.set_content("x")
    for level in range(email_letter.MAX_DEPTH + 1):
        outer = EmailMessage()
        outer["Subject"] = f"level {level}"
        outer.set_content("forwarded")
        outer.add_attachment(inner)
        inner = outer
    with pytest.raises(InvalidInput, match="e-mails inside e-mails"):
        read_post(inner.as_bytes(), "deep-24.eml")


def test_a_forwarded_email_is_kept_as_an_eml_attachment() -> None:
    inner = EmailMessage()
    inner["Subject"] = "The original complaint"
    inner.set_content("The original text.")
    outer = EmailMessage()
    outer["From"] = "Lee Marsh <lee.marsh@northshire.police.example>"
    outer["Subject"] = "FW: complaint"
    outer["Date"] = "Mon, 17 Mar 2025 09:12:00 +0000"
    outer.set_content("See below.")
    outer.add_attachment(inner)
    reading = read_post(outer.as_bytes(), "fw-24.eml")
    assert reading.attachments[0].name.endswith(".eml") and reading.attachments[0].kept
    assert b"The original text." in reading.attachments[0].content


def test_a_file_that_is_not_a_document_is_refused() -> None:
    with pytest.raises(InvalidInput, match="binary"):
        read_post(b"\x00\x01\x02" * 100, "photo-24.eml")
