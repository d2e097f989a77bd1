"""The Word round trip, end to end in a real browser (issue 21): Debian's Chromium driven by Playwright
against `corr serve`, on an office that requires a second person's approval.

Dan drafts the s.55 response, downloads it, adds a sentence in "Word" (python-docx), uploads it as a
new version with the reason, reads it in the preview (the PDF LibreOffice made of it, fetched and read
with pypdf; or the plain rendering where the server has no LibreOffice) and submits it. April, in a
browser of her own, finds it under "Awaiting my approval" on her dashboard and returns it with a
comment. Dan reads the comment, changes the file again, uploads it and submits; April reads that
version and approves it; Dan marks it sent. The letter downloaded from the register is then byte for
byte the last file Dan uploaded (and the store's record of the letter sent has its SHA-256), the
letter's page lists every version and every clearance step with its author, and the inspection's
timeline shows each step with who took it.

axe-core runs on every page on the way (the letter page in each state, the preview, the dashboard
with its queue, the upload form and the return form with their errors): no WCAG 2.1 A or AA
violation is allowed, and the console must stay free of errors.

    CORR_SCREENSHOTS=/some/folder .venv/bin/python -m pytest -n 0 tests/test_browser_round_trip.py -k "sqlite and pdf"

saves the round trip's screenshots (docs/screenshots/round-trip-*.png) in that folder; the test never
writes anywhere else.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from correspondence.examples.bundled import load_example
from correspondence.files import pdf
from correspondence.organisation.offices import update_office
from correspondence.organisation.users import add_user
from correspondence.records.models import Letter
from correspondence.records.store import open_store
from correspondence.records.vocabulary import LetterStatus, UserRole
from tests.test_browser import Officer, serve
from tests.test_browser import browser as browser  # the fixture, by its name
from tests.web_support import quick_hash

SHOTS = os.environ.get("CORR_SCREENSHOTS")
HAS_LIBREOFFICE = pdf.libreoffice() is not None  # here, before a test hides it from the server
FIRST_SENTENCE = "MOPAC will publish the force's progress on every finding each quarter."
COMMENT = "Please say when the first quarterly report will be published, and to whom"  # no full stop: the page adds one
SECOND_SENTENCE = "The first quarterly report will go to the Oversight Board in December 2018."


@dataclass
class Office:
    base: str
    folder: Path
    inspection: int
    pdf_preview: bool  # whether the server has LibreOffice, so the preview is a PDF


@pytest.fixture(params=["pdf", "plain"])
def office(request: pytest.FixtureRequest, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Office]:
    """The bundled example (MOPAC, the Met's 2018 inspection) requiring a second person's approval,
    with a drafter, dan, and an approver, april; served with LibreOffice (a PDF preview) or without
    it (the plain rendering)."""
    with_libreoffice = request.param == "pdf"
    if with_libreoffice and not HAS_LIBREOFFICE:
        pytest.skip("LibreOffice is not installed, so there is no PDF preview to read")
    store = open_store(db_url)
    with store.transaction() as session:
        example = load_example(session, tmp_path / "letters")
        update_office(session, example.office, require_approval=True)
        for name, role in (("dan", UserRole.DRAFTER), ("april", UserRole.APPROVER)):
            user = add_user(session, name, office="MOPAC", role=role, full_name=f"{name.title()} Example")
            user.password_hash = quick_hash()
        inspection = example.inspection.id
    store.dispose()
    if not with_libreoffice:  # the server finds no soffice on its PATH
        monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    process, base = serve(db_url, tmp_path / "serve.log")
    try:
        yield Office(base, tmp_path, inspection, with_libreoffice)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_letter_goes_to_word_and_back_is_returned_approved_and_sent(browser: Any, office: Office, db_url: str) -> None:
    from docx import Document

    shots = Screenshots(office)
    dan = Person(browser, office.base, office.folder)
    dan.login("dan")

    # dan drafts the s.55 response
    dan.go(f"/inspections/{office.inspection}")
    dan.page.get_by_label("Letter's date").fill("7 September 2018")
    dan.page.get_by_role("button", name="Draft the letter").click()
    dan.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    letter_path = dan.page.url.replace(office.base, "")
    letter_id = int(letter_path.rsplit("/", 1)[1])
    reference = dan.page.inner_text("h1")
    assert re.fullmatch(r"MOPAC07092018-D\d+", reference), reference
    assert f"Drafted {reference}" in dan.text() and "Version 1:" in dan.text()
    assert "Not submitted for approval." in dan.text()
    dan.accessible()  # the letter page: a fresh draft

    # downloads it, adds a sentence in "Word", and uploads it as a new version with the reason
    drafted = dan.download("Download the letter (.docx)", "drafted.docx")
    first_edit = office.folder / "MOPAC response, CE edits.docx"
    add_sentence(Document, drafted, first_edit, FIRST_SENTENCE, before="HMICFRS graded")  # on the first page
    dan.page.get_by_role("button", name="Upload the new version").click()  # nothing chosen: the form says so
    assert "There is a problem" in dan.text()
    assert "Choose the edited .docx file" in dan.text() and "Say what changed in this version" in dan.text()
    dan.accessible()  # the upload form with its errors
    dan.page.get_by_label("Word file (.docx)").set_input_files(str(first_edit))
    dan.page.get_by_label("What changed").fill("The Chief Executive's edits: a promise to publish progress each quarter")
    dan.page.get_by_role("button", name="Upload the new version").click()
    assert f"Version 2 ({first_edit.name}) is stored and is now the letter" in dan.text()
    assert f"Version 2 of 2: {first_edit.name}" in dan.text()
    versions = rows(dan.page, "#versions tbody tr")
    assert re.fullmatch(r"1 Dan Example, \d+ \w+ \d{4} drafted Read.*Download.*\(\d+ KB\)", versions[0]), versions
    assert versions[1].startswith("2 (current) Dan Example, ") and "promise to publish progress" in versions[1], versions
    dan.accessible()  # the letter page with two versions
    shots.take(dan, "round-trip-letter", until="#upload-version")

    # reads it in the browser: the new sentence is in what the preview shows
    dan.page.get_by_role("link", name="Read it here").click()
    dan.page.wait_for_url(re.compile(rf".*/letters/{letter_id}/versions/2/preview$"))
    assert f"{reference}, version 2" in dan.page.inner_text("h1")
    assert "This is the current version." in dan.text() and "promise to publish progress" in dan.text()
    assert FIRST_SENTENCE in dan.preview_text(office.pdf_preview)
    dan.accessible()  # the preview page
    shots.take(dan, "round-trip-preview", height=1700, settle=4000)

    # submits it
    dan.page.get_by_role("link", name=reference).click()
    dan.page.get_by_role("button", name="Submit for approval").click()
    assert f"{reference} is submitted for approval" in dan.text()
    assert dan.page.get_by_role("button", name="Approve this letter").count() == 0  # a drafter cannot approve
    dan.accessible()  # the letter page: submitted

    # april finds it in her queue and returns it with a comment
    april = Person(browser, office.base, office.folder)
    april.login("april")
    queue = april.page.locator("section", has=april.page.locator("#awaiting-heading"))
    assert "Awaiting my approval (1)" in queue.inner_text()
    assert re.search(rf"{reference}.*Dan Example", " ".join(queue.inner_text().split()))
    april.accessible()  # the dashboard with the queue
    shots.take(april, "round-trip-queue")
    queue.get_by_role("link", name=reference).click()
    april.page.wait_for_url(re.compile(rf".*{letter_path}$"))
    assert "Submitted by Dan Example on" in april.text() and "awaiting approval" in april.text()
    april.accessible()  # the letter page as the approver sees it: approve, or return
    april.page.get_by_role("button", name="Return to the drafter").click()  # no comments: the form says so
    assert "Enter your comments for the drafter" in april.text()
    april.accessible()  # the return form with its error
    april.page.get_by_label("Comments for the drafter").fill(COMMENT)
    april.page.get_by_role("button", name="Return to the drafter").click()
    assert f"{reference} is returned to Dan Example with your comments" in april.text()
    april.accessible()  # the letter page: returned, as the approver sees it

    # dan reads the comment, changes the file again, uploads it and submits it again
    dan.go(letter_path)
    assert "Returned by April Example on" in dan.text() and COMMENT in dan.text() and "It was returned with comments" in dan.text()
    assert dan.page.get_by_role("button", name="Submit for approval").count() == 0  # a new version first
    dan.accessible()  # the letter page: returned, as the drafter sees it
    shots.take(dan, "round-trip-returned", section="#approval")
    dan.on_a_phone()  # the letter page at 390 px: nothing wider than the screen
    shots.take(dan, "round-trip-letter-phone", width=390, height=844, until="#approval")
    dan.page.set_viewport_size({"width": 1280, "height": 900})
    current = dan.download("Download the letter (.docx)", "version-2.docx")
    assert current.read_bytes() == first_edit.read_bytes()  # what was uploaded is what comes back
    second_edit = office.folder / "MOPAC response, CE edits 2.docx"
    add_sentence(Document, current, second_edit, SECOND_SENTENCE, before="Yours")
    dan.page.get_by_label("Word file (.docx)").set_input_files(str(second_edit))
    dan.page.get_by_label("What changed").fill("When the first quarterly report goes, as April asked")
    dan.page.get_by_role("button", name="Upload the new version").click()
    assert f"Version 3 ({second_edit.name}) is stored and is now the letter" in dan.text()
    dan.page.get_by_role("button", name="Submit for approval").click()
    assert f"{reference} is submitted for approval" in dan.text()

    # april reads version 3 and approves exactly it
    april.go("/")
    april.page.locator("section", has=april.page.locator("#awaiting-heading")).get_by_role("link", name=reference).click()
    april.page.get_by_role("link", name="Read it here").click()
    april.page.wait_for_url(re.compile(rf".*/letters/{letter_id}/versions/3/preview$"))
    assert SECOND_SENTENCE in april.preview_text(office.pdf_preview)
    april.accessible()  # the preview page, with the Approve form
    # From the keyboard: a mouse click just after scrolling past the PDF's frame can land in Chromium's
    # PDF viewer (its frame's hit-testing lags the scroll), and the press is lost.
    april.page.get_by_role("button", name="Approve version 3").focus()
    april.page.keyboard.press("Enter")
    april.page.wait_for_url(re.compile(rf".*{letter_path}$"))
    assert f"{reference} is approved by April Example" in april.text()
    april.accessible()  # the letter page: approved
    april.close()

    # dan marks it sent
    dan.go(letter_path)
    assert dan.page.get_by_role("heading", name="Upload a new version").count() == 1
    dan.page.get_by_label("Date it was sent").fill("7 September 2018")
    dan.page.get_by_label("Date HMICFRS's copy went").fill("10 September 2018")
    dan.page.get_by_role("button", name="Mark sent").click()
    assert f"{reference} is marked sent" in dan.text() and "Sent on 7 September 2018" in dan.text()
    assert dan.page.get_by_role("heading", name="Upload a new version").count() == 0  # a sent letter takes no new version
    dan.accessible()  # the letter page: sent
    dan.on_a_phone()
    dan.page.set_viewport_size({"width": 1280, "height": 900})

    # the register's sent letter is byte for byte the last file uploaded
    dan.go("/letters")
    dan.page.get_by_role("link", name=reference).click()
    dan.page.wait_for_url(re.compile(rf".*{letter_path}$"))
    sent = dan.download("Download the letter (.docx)", "sent.docx")
    assert sent.read_bytes() == second_edit.read_bytes()
    store = open_store(db_url)
    with store.reading() as session:
        letter = session.get(Letter, letter_id)
        assert letter.status is LetterStatus.SENT and letter.file_sha256 == hashlib.sha256(second_edit.read_bytes()).hexdigest()
    store.dispose()

    # the letter's page: every version, and every clearance step with its author and version
    versions = rows(dan.page, "#versions tbody tr")
    assert len(versions) == 3 and "3 (current)" in versions[2] and "as April asked" in versions[2], versions
    history = rows(dan.page, "#approval tbody tr")
    assert len(history) == 4, history
    for row, expected in zip(history, (
        r"Submitted for approval Dan Example Version 2$",
        rf"Returned to the drafter April Example Version 2 {re.escape(COMMENT)}$",
        r"Submitted for approval Dan Example Version 3$",
        r"Approved April Example Version 3$",
    ), strict=True):
        assert re.search(expected, row), (row, expected)

    # the inspection's timeline: each step with who took it
    dan.go(f"/inspections/{office.inspection}")
    steps = [step for step in rows(dan.page, "#timeline tbody tr") if reference in step]
    expected_steps = [
        rf"s\.55 response {reference} drafted to .+ Dan Example$",
        rf"s\.55 response {reference}: version 2 added: The Chief Executive's edits: a promise to publish progress each quarter Dan Example$",
        rf"s\.55 response {reference} submitted for approval Dan Example$",
        rf"s\.55 response {reference} returned to the drafter: {re.escape(COMMENT)} April Example$",
        rf"s\.55 response {reference}: version 3 added: When the first quarterly report goes, as April asked Dan Example$",
        rf"s\.55 response {reference} submitted for approval Dan Example$",
        rf"s\.55 response {reference} approved April Example$",
        rf"7 September 2018 s\.55 response {reference} sent to the Home Secretary Dan Example$",
        rf"10 September 2018 s\.55 response {reference} sent to HMICFRS Dan Example$",
    ]
    for pattern in expected_steps:
        assert any(re.search(pattern, step) for step in steps), (pattern, steps)
    assert len(steps) == len(expected_steps), steps
    dan.accessible()
    dan.close()
    assert len(dan.checked) + len(april.checked) >= 15


class Person(Officer):
    """An officer who also downloads files and reads previews."""

    def download(self, link: str, name: str) -> Path:
        """Click the link ``link`` and keep what the browser downloads as ``name``."""
        with self.page.expect_download() as waiting:
            self.page.get_by_role("link", name=link).click()
        saved = self.downloads / name
        waiting.value.save_as(saved)
        return saved

    def preview_text(self, is_pdf: bool) -> str:
        """What the preview page shows of the letter, whitespace run together: the PDF's text (fetched
        as the browser fetches it, with the user's session) or the plain rendering's."""
        if not is_pdf:
            assert "this is a plain rendering of the Word file" in self.text()
            return " ".join(self.page.inner_text(".plain-document").split())
        from pypdf import PdfReader

        source = self.page.locator("iframe.preview-frame").get_attribute("src").split("#", 1)[0]
        response = self.page.request.get(self.base + source)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf", response.status
        reader = PdfReader(io.BytesIO(response.body()))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    def on_a_phone(self) -> None:
        """The page at 390 px wide: nothing wider than the screen (a wide table scrolls in its own box),
        and still no axe-core violation."""
        self.page.set_viewport_size({"width": 390, "height": 844})
        widths = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{self.page.url}: the page is {widths[0]} px wide in a {widths[1]} px window"
        self.accessible()


class Screenshots:
    """The round trip's pictures, saved only when CORR_SCREENSHOTS names a folder (once: in the
    SQLite run, with the PDF preview where the server has LibreOffice)."""

    def __init__(self, office: Office) -> None:
        self.wanted = bool(SHOTS) and office.pdf_preview == HAS_LIBREOFFICE and "sqlite" in os.environ.get("PYTEST_CURRENT_TEST", "")
        self.folder = Path(SHOTS) if SHOTS else None

    def take(self, officer: Officer, name: str, *, full: bool = False, width: int = 1280, height: int = 900,
             settle: int = 0, section: str | None = None, until: str | None = None) -> None:
        """The page at ``width`` by ``height`` (``full``: all of it; ``section``: that element across the
        window; ``until``: from the top to the end of that element)."""
        if not self.wanted or self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        page = officer.page
        page.set_viewport_size({"width": width, "height": height})
        if settle:
            page.wait_for_timeout(settle)
        path = self.folder / f"{name}.png"
        if section:  # the section, across the whole window, with a margin above and below
            page.locator(section).scroll_into_view_if_needed()
            box = page.locator(section).evaluate("e => [e.getBoundingClientRect().top + window.scrollY, e.getBoundingClientRect().height]")
            page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": max(box[0] - 24, 0), "width": width, "height": box[1] + 48})
        elif until:
            bottom = page.locator(until).evaluate("e => e.getBoundingClientRect().bottom + window.scrollY")
            page.screenshot(path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": bottom + 24})
        else:
            page.screenshot(path=str(path), full_page=full)
        page.set_viewport_size({"width": 1280, "height": 900})


def add_sentence(document_class: Any, source: Path, target: Path, sentence: str, *, before: str) -> None:
    """The letter as it comes back from Word: ``sentence`` added as a paragraph of its own before the
    first paragraph that starts with ``before`` (at the end if none does)."""
    document = document_class(str(source))
    found = next((paragraph for paragraph in document.paragraphs if paragraph.text.strip().startswith(before)), None)
    if found is None:
        document.add_paragraph(sentence)
    else:
        found.insert_paragraph_before(sentence)
    document.save(str(target))


def rows(page: Any, selector: str) -> list[str]:
    """Each table row's text, its whitespace run together."""
    return [" ".join(text.split()) for text in page.locator(selector).all_inner_texts()]


