"""End to end in a real headless browser: Debian's Chromium driven by Playwright against `corr serve`.

An officer logs in, uploads the seed report, checks the preview (with the line each value came
from), stores it, records the force's updates and the office's answer, takes ownership, invites
the chief officer's comments and marks the invitation sent, stores the chief officer's reply,
drafts the s.55 response with the office's own paragraphs and submits it; ANOTHER user approves
it; the officer marks it sent with the HMICFRS copy's date, publishes it, downloads the letter
(read back with python-docx) and the published PDF, and searches the register; an admin looks
after users and settings. axe-core runs
on every page on the way: no WCAG 2.1 A or AA violation is allowed. The browser's console must
stay free of errors (a Content-Security-Policy violation would show there). Two browsers drafting
at once get different references.

Playwright never downloads a browser here: it drives /usr/bin/chromium (CORR_CHROMIUM to change).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from correspondence.organisation.users import add_user
from correspondence.records.store import open_store
from correspondence.records.vocabulary import UserRole
from tests.conftest import SEEDS, requires_seeds
from tests.web_support import PASSWORD, build_offices, quick_hash

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
CHROMIUM = Path(os.environ.get("CORR_CHROMIUM", "/usr/bin/chromium"))
pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (install Debian's chromium, or set CORR_CHROMIUM)")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def serve(db_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """`corr serve` in its own process, as an office runs it; returns once it answers. Each office's
    letters are in its own folder, set when the office was added."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    corr = Path(sys.executable).with_name("corr")
    process = subprocess.Popen([str(corr), "serve", "--db", db_url, "--port", str(port)],
                               stdout=log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, "CORR_SECRET_KEY": "browser-tests"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"corr serve stopped: {log.read_text()}") from None
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"corr serve did not start: {log.read_text()}")


@pytest.fixture
def met_office(db_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """MOPAC overseeing the Met, with no inspection yet, requiring a second person's approval; a
    drafter, an approver and an admin. Its letters folder is the test's own."""
    store = open_store(db_url)
    from correspondence.organisation.offices import add_force, add_office

    with store.transaction() as session:
        met = add_force(session, "Metropolitan Police Service", chief_officer_title="Commissioner")
        add_office(session, name="Mayor's Office for Policing and Crime", short_name="MOPAC", force=met,
                   address="City Hall\nLondon", signatory_name="Sophie Linden", signatory_title="Deputy Mayor for Policing and Crime",
                   reference_scheme="MOPAC{date:%d%m%Y}-D{seq}", letters_dir=tmp_path / "letters")
        from correspondence.organisation.offices import get_office, update_office

        update_office(session, get_office(session, "MOPAC"), require_approval=True)
        for name, role in (("dan", UserRole.DRAFTER), ("april", UserRole.APPROVER), ("ada", UserRole.ADMIN)):
            user = add_user(session, name, office="MOPAC", role=role, full_name=f"{name.title()} Example")
            user.password_hash = quick_hash()
    store.dispose()
    process, url = serve(db_url, tmp_path / "serve.log")
    try:
        yield url, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=30)


class Officer:
    """One person at one browser: a page that fails the test on any console error or axe violation."""

    def __init__(self, browser: Any, base: str, downloads: Path) -> None:
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.base = base
        self.downloads = downloads
        self.problems: list[str] = []
        self.checked: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("response", self._response)

    def _console(self, message: Any) -> None:
        # A page answered 404 or 422 on purpose logs "Failed to load resource"; a missing script,
        # style or image is caught by _response instead. Anything else (a CSP violation) is a problem.
        if message.type == "error" and not message.text.startswith("Failed to load resource: the server responded with a status of 4"):
            self.problems.append(f"console: {message.text}")

    def _response(self, response: Any) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            self.problems.append(f"{response.status} for {response.url}")

    def go(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def login(self, name: str) -> None:
        self.go("/login")
        self.accessible()
        self.page.get_by_label("User name").fill(name)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(self.base + "/")

    def accessible(self) -> None:
        """axe-core on the page as it is now: no WCAG 2.1 A/AA violation."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        violations = self.page.evaluate(
            f"axe.run(document, {WCAG_AA}).then(r => r.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + "
            "v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')))"
        )
        assert violations == [], f"{self.page.url}: {violations}"
        self.checked.append(self.page.url.replace(self.base, "") or "/")

    def text(self) -> str:
        return " ".join(self.page.inner_text("main").split())

    def close(self) -> None:
        self.context.close()
        assert self.problems == [], self.problems


@requires_seeds
def test_an_officer_does_the_whole_job_in_a_browser(browser: Any, met_office: tuple[str, Path]) -> None:
    from docx import Document

    base, folder = met_office
    dan = Officer(browser, base, folder)
    dan.login("dan")
    dan.accessible()
    assert "No response is due" in dan.text()

    # upload the seed report; a preview first, nothing stored until confirmed
    dan.go("/inspections/upload")
    dan.page.get_by_role("button", name="Read the report").click()
    assert "Choose the report's file" in dan.text()  # a form with problems is checked too
    dan.accessible()
    dan.page.get_by_label("HMICFRS report").set_input_files(str(SEEDS / "report-hmicfrs-met-cdi-2018-07-17.txt"))
    dan.page.get_by_role("button", name="Read the report").click()
    assert "Check what was found in report-hmicfrs-met-cdi-2018-07-17.txt" in dan.text()
    assert "89.5% (±1.64%)" in dan.text() and "Findings (7)" in dan.text()
    assert re.search(r"Overall crime-recording rate 89\.5% \(±1\.64%\).{0,120}? Line \d+", dan.text())  # where each value came from
    dan.accessible()
    dan.page.get_by_role("button", name="Store the inspection").click()
    assert "Stored the inspection: The Metropolitan Police Service: Crime Data Integrity inspection 2018" in dan.text()
    dan.accessible()
    inspection_url = dan.page.url

    # the force's updates on two findings, and an update with a mistake in it
    for code, status, words in (("A1", "Complete", "Crimes are now recorded at first contact."),
                                ("A2", "In progress", "Rape reports are recorded on receipt; audits monthly.")):
        dan.page.locator("#area").select_option(_option(dan.page, code))  # the update form's; the page has another
        dan.page.get_by_label("Status", exact=True).select_option(label=status)
        dan.page.get_by_label("Date the force gave it").fill("20 August 2018")
        dan.page.get_by_label("What the force says it has done").fill(words)
        dan.page.get_by_role("button", name="Record the update").click()
        assert f"The force's update on {code} is recorded." in dan.text()
        assert words in dan.text()
    dan.page.locator("#area").select_option(_option(dan.page, "A3"))
    dan.page.get_by_label("Date the force gave it").fill("31/02/2019")
    dan.page.get_by_label("What the force says it has done").fill("Training is under way.")
    dan.page.get_by_role("button", name="Record the update").click()
    assert "'31/02/2019' is not a real date (February 2019 has 28 days)" in dan.text()
    dan.accessible()

    # take ownership of the response, in place (htmx)
    dan.go(inspection_url.replace(base, ""))
    dan.page.get_by_label("Owner of the response").select_option(label="Dan Example")
    dan.page.get_by_role("button", name="Assign the owner of the response").click()
    dan.page.get_by_text("The response's owner is now Dan Example.").wait_for()
    dan.accessible()

    # the office's own answer on a finding
    dan.page.get_by_label("Finding answered").select_option(_option(dan.page, "A3", "answer-area"))
    dan.page.get_by_label("What the office has done or will do").fill("MOPAC will check the training at its next board.")
    dan.page.get_by_label("Date the office decided it").fill("31 August 2018")  # a letter quotes only what was said by its date
    dan.page.get_by_role("button", name="Record the answer").click()
    assert "The office's answer on A3 is recorded" in dan.text() and "MOPAC will check the training" in dan.text()

    # invite the chief officer's comments (no Commissioner is recorded: name her), and send it
    assert "Next step Invite the Commissioner's comments (s.55(4))" in dan.text()
    assert dan.page.get_by_label("Comments asked for by").input_value() == ""  # left for the invitation's own date to decide
    assert "Leave empty for the office's usual date, 7 August 2018" in dan.text()
    dan.page.get_by_label("Invitation's date").fill("18 July 2018")
    dan.page.get_by_role("button", name="Draft the invitation").click()
    assert "No holder of the role 'Commissioner' is recorded on 18 July 2018" in dan.text()  # a clear message, nothing stored
    dan.accessible()
    dan.page.get_by_label("Chief officer's name, if no holder of the role is recorded for the date").fill("Cressida Dick")
    dan.page.get_by_role("button", name="Draft the invitation").click()
    dan.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    assert "Drafted the invitation to comment" in dan.text() and "Cressida Dick" in dan.text()
    invitation_url = dan.page.url
    dan.page.get_by_label("Date it was sent").fill("18 July 2018")
    dan.page.get_by_role("button", name="Mark sent").click()
    assert "MOPAC requires approval before a letter is sent" in dan.text()  # check_sendable, as the CLI refuses
    dan.page.get_by_role("button", name="Submit for approval").click()
    assert dan.page.get_by_role("button", name="Approve this letter").count() == 0  # a drafter has no approve button

    # ANOTHER user, in a browser of her own, approves it: exactly the file she is shown
    april = Officer(browser, base, folder)
    april.login("april")
    april.go(invitation_url.replace(base, ""))
    assert "Submitted by Dan Example on" in april.text()
    april.accessible()
    april.page.get_by_role("button", name="Approve this letter").click()
    assert "is approved by April Example" in april.text()
    april.accessible()
    dan.go(invitation_url.replace(base, ""))
    dan.page.get_by_label("Date it was sent").fill("18 July 2018")
    dan.page.get_by_role("button", name="Mark sent").click()
    assert "is marked sent" in dan.text()

    # the chief officer's reply, uploaded as it came
    reply = folder / "reply-from-the-commissioner.docx"
    written = Document()
    written.add_paragraph("Dear Sophie, the Commissioner accepts the findings and will report progress to MOPAC.")
    written.save(str(reply))
    dan.go(inspection_url.replace(base, ""))
    assert "Stage Invited" in dan.text()
    dan.page.get_by_label("The chief officer's reply").set_input_files(str(reply))
    dan.page.get_by_label("Date of the reply").fill("6 August 2018")
    dan.page.get_by_role("button", name="Store the comments").click()
    assert "The chief officer's comments of 6 August 2018 are stored." in dan.text()
    dan.accessible()

    # draft the s.55 response with the office's own paragraphs, and submit it for approval
    dan.go(inspection_url.replace(base, ""))
    dan.accessible()
    dan.page.get_by_label("Letter's date").fill("7 September 2018")
    dan.page.get_by_label("The office's own paragraphs (s.55 response only)").fill(
        "# Opening\nI **welcome** this report on {force}.\n\n# Commentary\n- I will ask the force to report on crime recording at every board."
        "\n\n# Response to the chief officer\nI welcome the Commissioner's acceptance of the findings.")  # comments are stored: answered
    dan.page.get_by_role("button", name="Draft the letter").click()
    dan.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    letter_url = dan.page.url
    reference = dan.page.inner_text("h1")
    assert re.fullmatch(r"MOPAC07092018-D2", reference), reference  # the office's scheme; the invitation was D1
    assert "to Rt Hon Sajid Javid MP" in dan.text()
    dan.page.get_by_role("button", name="Submit for approval").click()
    assert f"{reference} is submitted for approval" in dan.text()
    dan.accessible()

    # april approves it too
    april.go(letter_url.replace(base, ""))
    assert "Submitted by Dan Example on" in april.text()
    april.accessible()
    april.page.get_by_role("button", name="Approve this letter").click()
    assert f"{reference} is approved by April Example" in april.text()
    april.accessible()
    april.close()

    # sent, with the copies' dates; the letter downloaded and read back
    dan.go(letter_url.replace(base, ""))
    assert "Approved by April Example on" in dan.text()
    dan.page.get_by_label("Date it was sent").fill("7 September 2018")
    dan.page.get_by_label("Date HMICFRS's copy went").fill("10 September 2018")
    dan.page.get_by_role("button", name="Mark sent").click()
    assert f"{reference} is marked sent" in dan.text() and "Sent on 7 September 2018" in dan.text()
    assert "The Home Secretary: 7 September 2018" in dan.text() and "HMICFRS: 10 September 2018" in dan.text()
    dan.accessible()
    with dan.page.expect_download() as waiting:
        dan.page.get_by_role("link", name="Download the letter (.docx)").click()
    saved = folder / "downloaded.docx"
    waiting.value.save_as(saved)
    document = Document(str(saved))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Sajid Javid" in body and "Crime Data Integrity" in body and "Yours sincerely" in body
    assert "I welcome this report on the Metropolitan Police Service." in body
    annex = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Crimes are now recorded at first contact." in annex and "MOPAC will check the training" in annex

    # published, and the package downloaded
    dan.go(inspection_url.replace(base, ""))
    assert "Next step Publish the response" in dan.text()
    dan.page.get_by_label("Date it is published").fill("10 September 2018")
    dan.page.get_by_label("Where it is published (web address, optional)").fill("https://www.london.gov.uk/mopac/hmicfrs/cdi-2018")
    dan.page.get_by_role("button", name="Publish the response").click()
    assert "Published the response on 10 September 2018" in dan.text() and "Stage Published" in dan.text()
    assert "Response published at https://www.london.gov.uk/mopac/hmicfrs/cdi-2018 Dan Example" in dan.text()
    dan.accessible()
    with dan.page.expect_download() as waiting:
        dan.page.get_by_role("link", name="Download the PDF").click()
    pdf = folder / "published.pdf"
    waiting.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # the register: search as you type, filters, and the letter found by words in its file
    dan.go("/letters")
    dan.page.get_by_label("Words", exact=True).fill("recorded")
    dan.page.wait_for_url(re.compile(r".*q=recorded.*"))
    dan.page.locator("#results").get_by_role("link", name=reference).wait_for()
    assert "2 letters." in dan.text()  # the s.55 response and the invitation (whose table quotes no update: they came after it)
    dan.accessible()
    dan.page.get_by_label("Direction", exact=True).select_option(label="Received (in)")
    dan.page.wait_for_url(re.compile(r".*direction=in.*"))
    dan.page.get_by_text("0 letters.").wait_for()

    # the dashboard now: the response is published, so nothing is due; the open findings are counted
    dan.go("/")
    assert "No response is due" in dan.text() and "Open findings by status and owner" in dan.text()
    dan.go("/?view=mine")
    dan.accessible()
    for path in ("/inspections", "/meetings", "/actions", "/roles", "/settings", "/account", "/no-such-page"):
        dan.go(path)
        dan.accessible()
    dan.page.get_by_role("button", name="Log out").click()
    assert "You have logged out." in dan.text()
    dan.close()

    # an admin's pages, with their forms
    ada = Officer(browser, base, folder)
    ada.login("ada")
    for path in ("/users", "/settings", "/roles"):
        ada.go(path)
        ada.accessible()
    ada.go("/users")
    ada.page.get_by_role("button", name="Add the user").click()
    assert "Enter a login name" in ada.text()
    ada.accessible()
    ada.close()
    assert len(dan.checked) + len(ada.checked) >= 20


def _option(page: Any, code: str, select: str = "area") -> str:
    """The value of the finding whose label starts with ``code``, in the select with id ``select``."""
    return page.evaluate(
        "([code, select]) => [...document.getElementById(select).options].find(o => o.textContent.startsWith(code + ':')).value",
        [code, select],
    )


def test_keyboard_users_can_skip_to_the_content_and_see_where_focus_is(browser: Any, met_office: tuple[str, Path]) -> None:
    base, folder = met_office
    officer = Officer(browser, base, folder)
    officer.login("dan")
    officer.page.keyboard.press("Tab")
    focused = officer.page.evaluate("[document.activeElement.textContent, getComputedStyle(document.activeElement).left]")
    assert focused[0] == "Skip to main content" and focused[1] == "0px"  # visible when focused
    officer.page.keyboard.press("Enter")
    assert officer.page.evaluate("document.activeElement.id") == "main"
    officer.page.keyboard.press("Tab")
    outline = officer.page.evaluate("getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).backgroundColor")
    assert outline != "none rgba(0, 0, 0, 0)"
    officer.close()


def test_a_long_unbroken_name_wraps_instead_of_widening_the_page(browser: Any, db_url: str, met_office: tuple[str, Path]) -> None:
    """A 400-character meeting title or lead with no space pushed the actions list to thousands of
    pixels wide, its Status and Save off screen; it wraps within the page now."""
    import datetime as dt

    from correspondence.records.models import Action, Meeting, Office

    base, folder = met_office
    store = open_store(db_url)
    with store.transaction() as session:
        office = session.query(Office).one()
        meeting = Meeting(office=office, title="Board-" + "x" * 400, held_on=dt.date(2024, 7, 4))
        meeting.actions.append(Action(number=1, action="Report-" + "y" * 300, lead="MPS-" + "z" * 190, timing="By-" + "w" * 150))
        session.add(meeting)
        session.flush()
        meeting_id = meeting.id
    store.dispose()
    officer = Officer(browser, base, folder)
    officer.login("dan")
    for path in ("/actions", f"/meetings/{meeting_id}", "/meetings"):
        officer.go(path)
        widths = officer.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path}: the page is {widths[0]}px wide in a {widths[1]}px window"
    officer.go("/actions")
    assert officer.page.get_by_role("button", name="Save").first.is_visible()
    officer.close()


def test_two_browsers_drafting_at_once_get_different_references(browser: Any, db_url: str, tmp_path: Path) -> None:
    data = build_offices(db_url, tmp_path / "letters")
    data.store.dispose()
    process, base = serve(db_url, tmp_path / "serve.log")
    try:
        officers = [Officer(browser, base, tmp_path), Officer(browser, base, tmp_path)]
        for officer, name in zip(officers, ("dan", "april"), strict=True):
            officer.login(name)
            officer.go(f"/inspections/{data.mopac_inspection}")
            officer.page.get_by_label("Letter's date").fill("7 September 2018")
        for officer in officers:  # both press at once; neither waits for its page before the other clicks
            officer.page.get_by_role("button", name="Draft the letter").click(no_wait_after=True)
        references = []
        for officer in officers:
            officer.page.wait_for_url(re.compile(r".*/letters/\d+$"))
            references.append(officer.page.inner_text("h1"))
        assert sorted(int(reference.rsplit("-D", 1)[1]) for reference in references) == [2189, 2190], references
        officers[0].go("/letters")
        for reference in references:
            assert reference in officers[0].text()
        for officer in officers:
            officer.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
