"""Issue 24's first "done when", in a real browser: an office is set up from an empty store through the
one-time link `corr serve` prints, then a business-support day: two letters received are logged
through "Log the post" (an e-mail with the letter attached as a Word file, and a PDF letter), each
given an owner and a reply-by date, one answered with "Reply" (its "Your ref" read back from the
Word file), a reply drafted by mistake withdrawn with why; then the admin changes every setting on
the Settings page and looks after a role holder, and the changes list says who made each. axe-core
runs on every page on the way (no WCAG 2.1 A/AA violation), the console stays free of errors, and
the key pages do not scroll sideways on a 390 px phone.

Playwright drives /usr/bin/chromium (tests/test_browser.py). The letters are invented here, from
facts of our own. CORR_SCREENSHOTS names a folder for screenshots of the setup, the settings, the
post's upload and its preview, at 1,280 and 390 px.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from correspondence.records.store import open_store
from tests.docx_reading import read_letter
from tests.test_browser import CHROMIUM, Officer, browser  # noqa: F401 - browser is the module's fixture
from tests.test_settings_page_24 import Inbox, smtp  # noqa: F401 - smtp is a fixture

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (install Debian's chromium, or set CORR_CHROMIUM)")

PASSWORD = "a long enough password"
SHOTS = Path(os.environ["CORR_SCREENSHOTS"]) if os.environ.get("CORR_SCREENSHOTS") else None
OFFICE = "Office of the Police and Crime Commissioner for West Mercia"

# Two letters received, invented for this test.
FORCE_LETTER = """West Mercia Police
Hindlip Hall
Worcester
WR3 8SP

Our ref: WMP/DCC/2026/071

Alex Rowan
Police and Crime Commissioner for West Mercia
Hindlip Hall
Worcester
WR3 8SP

24 November 2026

Dear Commissioner,

Neighbourhood patrols in Hereford city centre

Thank you for your letter of 10 November asking how the force will staff evening patrols in Hereford city centre over the winter.

Two more officers will join the city centre team from January, and the force will report the hours patrolled at the January performance meeting.

Yours sincerely

Dana Whitfield
Deputy Chief Constable
"""

RESIDENTS_LETTER = """Batchley Residents' Association
14 Elm Road
Redditch
B97 6AA

Our ref: BRA/26/14

Alex Rowan
Police and Crime Commissioner for West Mercia
Hindlip Hall
Worcester
WR3 8SP

30 November 2026

Dear Commissioner,

Street lighting and burglaries in Batchley

Residents have asked me to write about the burglaries on the estate since the street lights were dimmed in September.

We would welcome a meeting with you and the local inspector before Christmas.

Yours sincerely

Morgan Price
Chair
"""


def word_file(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def covering_email() -> bytes:
    message = EmailMessage()
    message["From"] = "Chief Officers' Office <chief.officers@westmercia.police.example>"
    message["To"] = "OPCC West Mercia <opcc@westmercia.pcc.example>"
    message["Subject"] = "Letter from the Deputy Chief Constable"
    message["Date"] = "Tue, 24 Nov 2026 16:40:00 +0000"
    message.set_content("Good afternoon,\n\nPlease find attached the Deputy Chief Constable's letter.\n\nChief Officers' Office")
    message.add_attachment(word_file(FORCE_LETTER), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename="DCC letter 071.docx")
    return message.as_bytes()


def pdf_letter(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.splitlines():
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --- the server, on a store with nothing in it --------------------------------------------------------


@pytest.fixture
def empty_office(db_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """`corr serve` on an empty store: on SQLite with no store chosen, in an empty working folder (it
    makes correspondence.db there); on PostgreSQL on a database with the records' tables and nothing
    in them. Returns the server's address, the setup link it printed, and the test's folder."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    corr = Path(sys.executable).with_name("corr")
    env = {key: value for key, value in os.environ.items() if key != "CORR_DATABASE_URL"}
    env["CORR_SECRET_KEY"] = "browser-tests"
    folder = tmp_path / "office"
    folder.mkdir()
    command = [str(corr), "serve", "--port", str(port)]
    if db_url.startswith("sqlite"):
        assert not list(folder.iterdir())
    else:
        open_store(db_url).dispose()  # as 'corr init' leaves it: the tables, no office
        command += ["--db", db_url]
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=folder, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        link = None
        deadline = time.monotonic() + 60
        while link is None:
            printed = log.read_text()
            found = re.search(r"http://127\.0\.0\.1:\d+/setup/\S+", printed)
            if found and "serving" in printed:
                link = found.group(0)
                break
            assert process.poll() is None, f"corr serve stopped: {printed}"
            assert time.monotonic() < deadline, f"corr serve printed no setup link: {printed}"
            time.sleep(0.1)
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "corr serve does not answer"
                time.sleep(0.1)
        if db_url.startswith("sqlite"):
            assert (folder / "correspondence.db").is_file() and "made a new store" in log.read_text()
        yield f"http://127.0.0.1:{port}", link, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=30)


# --- helpers ------------------------------------------------------------------------------------------


def shoot(person: Officer, name: str) -> None:
    """The page at 1,280 and 390 px wide, whole, into CORR_SCREENSHOTS (when set)."""
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = person.page.viewport_size
    person.page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring in the picture
    for width in (1280, 390):
        person.page.set_viewport_size({"width": width, "height": 900})
        person.page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    person.page.set_viewport_size(size)


def fits_a_phone(person: Officer, name: str) -> None:
    """The page as it is, 390 px wide: nothing makes it scroll sideways; axe-core again at that width."""
    size = person.page.viewport_size
    person.page.set_viewport_size({"width": 390, "height": 844})
    width = person.page.evaluate("document.documentElement.scrollWidth")
    wide = person.page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)"
                                ".slice(-3).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 60))")
    assert width <= 390, f"{name} is {width} px wide on a 390 px phone: {wide}"
    person.accessible()
    person.page.set_viewport_size(size)


def click(person: Officer, name: str, *, within: Any = None) -> None:
    (within or person.page).get_by_role("button", name=name, exact=True).click()
    person.page.wait_for_load_state()


def said(person: Officer) -> str:
    """Everything on the page, header and banners too, on one line."""
    return " ".join(person.page.inner_text("body").split())


def log_out(person: Officer) -> None:
    person.page.get_by_role("button", name="Log out").click()
    person.page.wait_for_url(re.compile(r".*/login.*"))


def log_in(person: Officer, login: str) -> None:
    person.go("/login")
    person.page.get_by_label("User name").fill(login)
    person.page.get_by_label("Password").fill(PASSWORD)
    person.page.get_by_role("button", name="Log in").click()
    person.page.wait_for_url(person.base + "/")
    person.accessible()


def fill_empty(person: Officer, label: str, value: str) -> None:
    box = person.page.get_by_label(label, exact=True)
    if box.input_value() == "":
        box.fill(value)


# --- the day --------------------------------------------------------------------------------------------


def test_an_office_is_set_up_from_nothing_and_runs_its_day_in_the_browser(browser: Any, empty_office: tuple[str, str, Path],  # noqa: F811
                                                                          smtp: tuple[int, Inbox]) -> None:  # noqa: F811
    base, link, folder = empty_office
    port, inbox = smtp
    priya = Officer(browser, base, folder)

    # 1. the setup link: the office, its force and the first admin, in one form
    priya.page.goto(link)
    assert "Set up the office" in priya.text()
    priya.accessible()
    page = priya.page
    page.get_by_label("Office's full name").fill(OFFICE)
    page.get_by_label("Short name").fill("WMPCC")
    page.get_by_label("Who signs the letters").fill("Alex Rowan")
    page.get_by_label("Their title").fill("Police and Crime Commissioner for West Mercia")
    page.get_by_label("Postal address (one line each)").fill("Hindlip Hall\nWorcester\nWR3 8SP")
    page.get_by_label("Reference scheme").fill("WMPCC/{seq}/{yy}")
    page.get_by_label("The force the office oversees").select_option(label="West Mercia Police")
    page.get_by_label("Your full name").fill("Priya Shah")
    page.get_by_label("Your login name").fill("priya")
    page.get_by_label("Your e-mail address").fill("priya.shah@westmercia.pcc.example")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    shoot(priya, "setup")
    click(priya, "Set up the office")
    page.wait_for_url(base + "/")
    assert "is set up, and you are logged in as its admin" in said(priya)
    assert "Priya Shah" in said(priya) and "priya " not in said(priya)
    priya.accessible()
    fits_a_phone(priya, "the dashboard")
    priya.page.goto(link)  # the link works once
    assert "This setup link has been used" in priya.text()
    priya.accessible()

    # 2. a business-support colleague, who can draft
    priya.go("/users")
    priya.accessible()
    form = page.locator("form", has=page.get_by_role("button", name="Add the user"))
    form.get_by_label("Login name, for example jsmith").fill("ben")
    form.get_by_label("Full name").fill("Ben Okoro")
    form.get_by_label("E-mail", exact=False).fill("ben.okoro@westmercia.pcc.example")
    form.get_by_label("Role").select_option("drafter")
    form.get_by_label("Password", exact=False).fill(PASSWORD)
    click(priya, "Add the user", within=form)
    assert "Ben Okoro" in priya.text()
    priya.accessible()
    log_out(priya)

    ben = priya  # the same browser, Ben logged in now
    log_in(ben, "ben")
    assert "Ben Okoro" in said(ben)

    # 3. the post: the e-mail with the Word letter attached
    eml = folder / "Letter from the Deputy Chief Constable.eml"
    eml.write_bytes(covering_email())
    ben.go("/letters")
    ben.page.get_by_role("link", name="Log the post").click()
    ben.page.wait_for_url(re.compile(r".*/letters/post$"))
    ben.accessible()
    ben.page.get_by_label("A letter or e-mail the office received").check()
    ben.page.get_by_label("The letter or e-mail").set_input_files(str(eml))
    shoot(ben, "post-upload")
    fits_a_phone(ben, "the post's upload")
    click(ben, "Read the file")
    text = ben.text()
    assert "Check what was read from Letter from the Deputy Chief Constable.eml" in text, text
    assert "DCC letter 071.docx" in text
    assert ben.page.get_by_label("Date of the letter").input_value() == "24 November 2026"
    assert re.search(r"Read from line \d+ of DCC letter 071\.docx: 24 November 2026", text), text  # the line it came from
    assert ben.page.get_by_label("Their reference").input_value() == "WMP/DCC/2026/071"
    fill_empty(ben, "From", "Dana Whitfield")
    fill_empty(ben, "Their title or organisation", "Deputy Chief Constable")
    fill_empty(ben, "Subject", "Neighbourhood patrols in Hereford city centre")
    ben.page.get_by_label("Who answers it").select_option(label="Ben Okoro")
    ben.page.get_by_label("Reply by").fill("15/12/2026")
    ben.accessible()
    shoot(ben, "post-preview")
    fits_a_phone(ben, "the post's preview")
    click(ben, "Log the letter")
    ben.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    force_letter = ben.page.url.replace(base, "")
    text = ben.text()
    assert "Who answers it Ben Okoro" in text and "Reply by 15 December 2026" in text, text
    ben.accessible()
    fits_a_phone(ben, "a received letter's page")

    # the PDF letter, logged without an owner, then assigned on its page
    pdf = folder / "Batchley residents.pdf"
    pdf.write_bytes(pdf_letter(RESIDENTS_LETTER))
    ben.go("/letters/post")
    ben.page.get_by_label("The letter or e-mail").set_input_files(str(pdf))
    click(ben, "Read the file")
    text = ben.text()
    assert "Check what was read from Batchley residents.pdf" in text, text
    assert ben.page.get_by_label("Date of the letter").input_value() == "30 November 2026"
    assert "Read from line" in text
    fill_empty(ben, "From", "Morgan Price")
    fill_empty(ben, "Their title or organisation", "Batchley Residents' Association")
    fill_empty(ben, "Subject", "Street lighting and burglaries in Batchley")
    ben.accessible()
    click(ben, "Log the letter")
    ben.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    residents_letter = ben.page.url.replace(base, "")
    assert residents_letter != force_letter
    assert "Who answers it Nobody yet" in ben.text()
    assign = ben.page.locator("form", has=ben.page.get_by_role("button", name="Save", exact=True))
    assign.get_by_label("Who answers it").select_option(label="Priya Shah")
    assign.get_by_label("Reply by").fill("21/12/2026")
    click(ben, "Save", within=assign)
    text = ben.text()
    assert "Who answers it Priya Shah" in text and "Reply by 21 December 2026" in text, text
    ben.accessible()

    # the dashboard lists both, with their owners; Ben's own list only his
    ben.go("/")
    board = " ".join(ben.page.inner_text("#letters-to-answer").split())
    assert "Letters to answer (2)" in board, board
    assert "Neighbourhood patrols in Hereford city centre" in board and "Street lighting and burglaries in Batchley" in board
    assert "Ben Okoro" in board and "Priya Shah" in board
    ben.accessible()
    fits_a_phone(ben, "the dashboard")
    ben.go("/?view=mine")
    mine = " ".join(ben.page.inner_text("#letters-to-answer").split())
    assert "Letters to answer (1)" in mine and "Neighbourhood patrols in Hereford city centre" in mine, mine
    assert "Street lighting and burglaries in Batchley" not in mine
    ben.accessible()

    # 4. Reply: a Word letter with their reference as "Your ref"
    ben.go(force_letter)
    click(ben, "Reply")
    ben.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    reply = ben.page.url.replace(base, "")
    assert reply != force_letter
    text = ben.text()
    assert "In reply to" in text and "WMP/DCC/2026/071" in text, text
    ben.accessible()
    with ben.page.expect_download() as waiting:
        ben.page.get_by_role("link", name=re.compile(r"Download the letter \(\.docx\)")).click()
    saved = folder / "reply.docx"
    waiting.value.save_as(saved)
    letter = read_letter(saved)
    everything = letter.text + "\n" + "\n".join(cell for table in letter.tables for row in table for cell in row)
    assert re.search(r"Your ref:?\s*WMP/DCC/2026/071", everything), everything
    assert re.search(r"WMPCC/\d+/26", everything), everything  # the office's own reference, from its scheme

    # 5. a second reply, drafted by mistake, withdrawn with why
    ben.go(force_letter)
    click(ben, "Reply")
    ben.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    mistake = ben.page.url.replace(base, "")
    assert mistake not in (reply, force_letter)
    ben.page.get_by_role("link", name="Withdraw this draft").click()
    ben.page.wait_for_url(re.compile(r".*/withdraw$"))
    ben.accessible()
    click(ben, "Withdraw this draft")
    assert "There is a problem" in ben.text()  # a reason is needed
    ben.accessible()
    ben.page.get_by_label("Why").fill("A second reply, drafted by mistake; the first one is the reply.")
    click(ben, "Withdraw this draft")
    ben.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    text = ben.text()
    assert re.search(r"Withdrawn on \d+ \w+ \d{4} by Ben Okoro: A second reply, drafted by mistake", text), text
    ben.accessible()
    ben.go(force_letter)
    assert "withdrawn" in ben.text()
    ben.accessible()
    log_out(ben)

    # 6. every setting, as the admin
    log_in(priya, "priya")
    priya.go("/settings")
    priya.accessible()
    assert "West Mercia Police" in priya.text()
    fits_a_phone(priya, "the settings")

    def section(heading: str) -> Any:
        return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))

    def save(heading: str, button: str) -> str:
        click(priya, button, within=section(heading))
        priya.page.wait_for_url(re.compile(r".*/settings(#.*)?$"))
        assert "There is a problem" not in priya.text(), priya.text()
        priya.accessible()
        return priya.text()

    # the office's details
    page.locator("#office-letterhead, [id$='letterhead']").first.fill("Telephone 01905 000 000\nopcc@westmercia.pcc.example")
    save("The office", "Save the office's details")
    # approval: off asks first, then on again
    approval = section("Approval before sending")
    approval.get_by_label("Every letter needs a second person's approval before it is sent").uncheck()
    click(priya, "Save approval", within=approval)
    assert "There is a problem" in priya.text()
    priya.accessible()
    approval = section("Approval before sending")
    approval.get_by_label("Yes, let letters be sent without a second person's approval").check()
    click(priya, "Save approval", within=approval)
    assert "Second-person approval is off" in priya.text()
    priya.accessible()
    section("Approval before sending").get_by_label("Every letter needs a second person's approval before it is sent").check()
    save("Approval before sending", "Save approval")
    # the days the chief officer is given, the force's chief officer's title, references, the folder
    page.locator("#reply-reply_by_days").fill("28")
    save("The chief officer's comments", "Save the days")
    page.locator("#force-chief_officer_title").fill("Acting Chief Constable")
    save("The force", "Save the force")
    page.locator("#refs-reference_scheme").fill("WMPCC/{seq}/{yy}")
    page.locator("#refs-next_number").fill("40")
    save("References", "Save the references")
    copies = folder / "shared drive"
    copies.mkdir()
    page.locator("#folder-letters_dir").fill(str(copies))
    save("A folder for copies", "Save the folder")
    # standard lines: add, change the wording, retire
    lines = section("Standard lines")
    lines.locator("#line-name").fill("thanks")
    lines.locator("#line-text").fill("I am grateful to {force} for its work on this.")
    # sent twice, as a double click sends it: the line is added once, and the second time says so
    first, second = page.evaluate("""async () => {
        const form = [...document.querySelectorAll('form')].find(f => f.action.endsWith('/settings/lines'));
        const data = new FormData(form);
        const first = await fetch(form.action, {method: 'POST', body: data});
        const second = await fetch(form.action, {method: 'POST', body: data});
        return [first.status, await second.text()];
    }""")
    assert first == 200 and "That form was already sent; nothing was changed again." in second
    priya.go("/settings")
    assert "[[thanks]]" in section("Standard lines").inner_text()
    lines = section("Standard lines")
    edit = lines.locator("form", has=page.get_by_role("button", name="Save the wording of thanks"))
    edit.locator("textarea").fill("I am grateful to {force} for its careful work on this.")
    click(priya, "Save the wording of thanks", within=edit)
    priya.accessible()
    click(priya, "Retire the line thanks", within=section("Standard lines"))
    assert "Retired lines" in priya.text()
    priya.accessible()
    # templates: the shipped one downloaded and uploaded again
    templates = section("Letter templates")
    with page.expect_download() as waiting:
        templates.get_by_role("link", name="Download the s.55 response template").click()
    shipped = folder / "our response template.docx"
    waiting.value.save_as(shipped)
    templates.get_by_label("Kind of letter").select_option(label="s.55 response")
    templates.get_by_label("Word template (.docx)").set_input_files(str(shipped))
    click(priya, "Check and upload", within=templates)
    assert "There is a problem" not in priya.text(), priya.text()
    assert "our response template.docx, uploaded" in " ".join(section("Letter templates").inner_text().split())
    priya.accessible()
    # mail, and a test e-mail to the admin
    page.locator("#mail-host").fill("127.0.0.1")
    page.locator("#mail-port").fill(str(port))
    page.locator("#mail-security").select_option("none")
    page.locator("#mail-sender").fill("correspondence@westmercia.pcc.example")
    save("Mail", "Save the mail settings")
    click(priya, "Send a test e-mail")
    assert "A test e-mail was sent to priya.shah@westmercia.pcc.example" in said(priya), said(priya)
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == "priya.shah@westmercia.pcc.example"
    priya.accessible()

    # role holders: added, corrected, ended
    priya.go("/roles")
    priya.accessible()
    add = page.locator("form", has=page.get_by_role("button", name="Add the role holder"))
    add.get_by_label("Role", exact=True).fill("Chief Constable")
    add.get_by_label("Name", exact=True).fill("Sam Hollis")
    add.get_by_label("First day in the role").fill("1 April 2026")
    click(priya, "Add the role holder", within=add)
    assert "Sam Hollis" in priya.text()
    priya.accessible()
    page.get_by_role("link", name=re.compile("Sam Hollis")).first.click()
    page.wait_for_url(re.compile(r".*/roles/\d+$"))
    priya.accessible()
    page.get_by_label("Title as held (if not the role's own)").fill("Temporary Chief Constable")
    page.get_by_label("Salutation").fill("Dear Sam")
    click(priya, "Save the changes")
    assert "There is a problem" not in priya.text(), priya.text()
    priya.accessible()
    if not re.search(r"/roles/\d+$", page.url):
        page.get_by_role("link", name=re.compile("Sam Hollis")).first.click()
        page.wait_for_url(re.compile(r".*/roles/\d+$"))
    end = page.locator("form", has=page.get_by_role("button", name="End the term"))
    end.get_by_label("Last day in the role").fill("30 November 2026")
    click(priya, "End the term", within=end)
    assert "There is a problem" not in priya.text(), priya.text()
    priya.accessible()

    # every change listed, by the admin's full name
    priya.go("/settings")
    changes = page.locator("section", has=page.get_by_role("heading", name="Changes to settings")).inner_text()
    changes = " ".join(changes.split())
    for change in ("Set up the office", "Added the force West Mercia Police", "Changed the letterhead lines",
                   "Turned second-person approval off", "Turned second-person approval on",
                   "Changed the days the chief officer is given to comment from 21 to 28",
                   "The chief officer's title changed from Chief Constable to Acting Chief Constable",  # the title the list of forces gave
                   "Uploaded a template for the s.55 response: our response template.docx", "Set the mail settings",
                   "Added the standard line [[thanks]]", "Changed Sam Hollis as Chief Constable: title as held, salutation", "Set the next reference number to 40",
                   "Changed the folder for copies of the office's files", "Changed the wording of the standard line [[thanks]]", "Retired the standard line [[thanks]]",
                   "Sam Hollis", "Ended the term of Sam Hollis"):
        assert change in changes, (change, changes)
    assert changes.count("Added the standard line [[thanks]]") == 1
    assert changes.count("Priya Shah") >= 10 and "priya " not in changes
    priya.accessible()
    fits_a_phone(priya, "the settings, changed")
    shoot(priya, "settings")
    priya.close()
    assert len(priya.checked) >= 40, priya.checked
