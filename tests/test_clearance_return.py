"""Clearance as an office does it: an approver returns a letter to its drafter with comments, and it
goes up again only as a new version; the Approve and Return buttons only for those who may approve
this version; the approver's queue on the dashboard (and 'corr letter awaiting'); who approved which
version, shown on the letter's page once it is sent; the timeline with each step's author. Through
the web pages (Flask's test client) and the command line (CliRunner), on both databases."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import event

from correspondence.files.letter_versions import add_version, keep_letter_file
from correspondence.organisation.offices import get_office, update_office
from correspondence.organisation.users import get_user
from correspondence.process import clearance
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Letter, LetterClearance
from correspondence.records.store import acting_as
from correspondence.records.vocabulary import Direction, LetterKind, LetterStatus
from correspondence.register import letters
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.docx_files import docx_bytes
from tests.web_support import Browserless, Offices, text_of

RESPONSE = "MOPAC06092018-D2188"  # the example's draft s.55 response
COMMENT = "Say when the audit of crime recording will report, and who leads it."


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def require_second_person(o: Offices) -> None:
    with o.store.transaction() as session:
        update_office(session, get_office(session, "MOPAC"), require_approval=True)


def new_version(o: Offices, letter_id: int, by: str = "dan") -> None:
    """What 'Upload a new version' does, as the drafter."""
    with acting_as(by), o.store.transaction() as session:
        add_version(session, session.get(Letter, letter_id), docx_bytes("The audit reports in March, led by the Deputy Mayor."),
                    file_name="response-edited.docx", why="the approver's comments")


def approval_hash(browser: Browserless, letter_id: int) -> str:
    return re.search(r'name="sha256"[^>]*value="([0-9a-f]{64})"', browser.get(f"/letters/{letter_id}").text).group(1)


def steps_of(o: Offices, letter_id: int) -> list[tuple[str, str, str]]:
    with o.store.reading() as session:
        return [(step.step.value, step.user.name, step.comment) for step in
                session.query(LetterClearance).filter(LetterClearance.letter_id == letter_id).order_by(LetterClearance.id)]


def history_rows(page_html: str) -> list[list[str]]:
    """The rows of the letter page's clearance history, as a reader sees each cell."""
    section = page_html.split('id="clearance-heading"', 1)[1].split("</section>", 1)[0]
    table = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.DOTALL)]


# --- returning a letter, from the pages ----------------------------------------------------------------


def test_a_returned_letter_goes_up_again_only_as_a_new_version_and_the_sent_letter_shows_who_cleared_which(
        app: Any, office_data: Offices, db_url: str) -> None:
    o, draft = office_data, office_data.mopac_draft
    require_second_person(o)
    dan, april = client(app, "dan"), client(app, "april")
    assert dan.post(f"/letters/{draft}/submit").status_code == 302

    # the drafter who submitted it is offered neither approving nor returning it; the approver both
    own = dan.get(f"/letters/{draft}").text
    assert "Approve this letter" not in own and "Return to the drafter" not in own
    theirs = april.get(f"/letters/{draft}").text
    assert "Approve this letter" in theirs and "Return to the drafter" in theirs and 'name="return-comment"' in theirs

    returned = april.post(f"/letters/{draft}/return", {"return-comment": COMMENT})
    assert returned.status_code == 302
    page = text_of(april.get(returned.headers["Location"]))
    assert f"{RESPONSE} is returned to Dan Example with your comments. No e-mail sent: MOPAC has no mail settings." in page
    assert f"Returned by April Example on {dt.date.today():%-d %B %Y}: {COMMENT}" in page and f"{COMMENT}." not in page  # one full stop
    assert "Approve this letter" not in page and "Return to the drafter" not in april.get(f"/letters/{draft}").text

    # the drafter sees why, and no Submit button until there is a new version; the version returned is refused
    mine = dan.get(f"/letters/{draft}")
    assert COMMENT in text_of(mine) and "It was returned with comments: make a new version" in text_of(mine)
    assert "Submit for approval</button>" not in mine.text
    before = snapshot(db_url)
    again = dan.post(f"/letters/{draft}/submit")
    assert again.status_code == 422
    assert ("and this is the version returned; upload a new version of it on its letter page (or draft it again), "
            "then submit that") in text_of(again)
    assert snapshot(db_url) == before

    new_version(o, draft)
    assert "Submit for approval</button>" in dan.get(f"/letters/{draft}").text
    assert dan.post(f"/letters/{draft}/submit").status_code == 302
    assert april.post(f"/letters/{draft}/approve", {"sha256": approval_hash(april, draft)}).status_code == 302
    assert dan.post(f"/letters/{draft}/sent", {"sent_on": "7/9/2018", "hmicfrs_on": "7/9/2018"}).status_code == 302

    # once sent, the page still says who submitted, returned and approved which version, and when
    sent = dan.get(f"/letters/{draft}")
    today = f"{dt.date.today():%-d %B %Y}"
    assert history_rows(sent.text) == [
        [today, "Submitted for approval", "Dan Example", "Version 1", ""],
        [today, "Returned to the drafter", "April Example", "Version 1", COMMENT],
        [today, "Submitted for approval", "Dan Example", "Version 2", ""],
        [today, "Approved", "April Example", "Version 2", ""],
    ]
    assert "Who submitted, returned and approved which version, and when" in text_of(sent)

    # the inspection's timeline has each step, the return with its comments, each with its author
    timeline = text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    assert f"s.55 response {RESPONSE} submitted for approval Dan Example" in timeline
    assert f"s.55 response {RESPONSE} returned to the drafter: {COMMENT} April Example" in timeline
    assert f"s.55 response {RESPONSE} approved April Example" in timeline


def test_comments_are_required_and_what_was_typed_is_kept(app: Any, office_data: Offices, db_url: str) -> None:
    o, draft = office_data, office_data.mopac_draft
    dan, april = client(app, "dan"), client(app, "april")
    assert dan.post(f"/letters/{draft}/submit").status_code == 302
    before = snapshot(db_url)
    for empty in ("", "   \n  "):
        refused = april.post(f"/letters/{draft}/return", {"return-comment": empty})
        assert refused.status_code == 422
        summary = refused.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
        assert '<a href="#return-comment">Comments for the drafter: Enter your comments for the drafter</a>' in summary
        assert 'id="return-comment"' in refused.text and 'aria-invalid="true"' in refused.text
    too_long = "Please shorten this. " * 1000  # 21,000 characters
    refused = april.post(f"/letters/{draft}/return", {"return-comment": too_long})
    assert refused.status_code == 422 and too_long.strip() in refused.text  # what was typed is in the box again
    assert snapshot(db_url) == before
    assert steps_of(o, draft) == [("submitted", "dan", "")]


def test_a_return_is_posted_once_and_only_by_who_may_approve_it(app: Any, office_data: Offices, db_url: str) -> None:
    o, draft = office_data, office_data.mopac_draft
    dan, april, vera, kim = (client(app, name) for name in ("dan", "april", "vera", "kim"))
    assert dan.post(f"/letters/{draft}/submit").status_code == 302
    before = snapshot(db_url)
    assert dan.post(f"/letters/{draft}/return", {"return-comment": COMMENT}).status_code == 403  # a drafter
    assert vera.post(f"/letters/{draft}/return", {"return-comment": COMMENT}).status_code == 403  # a viewer
    assert kim.post(f"/letters/{draft}/return", {"return-comment": COMMENT}).status_code == 404  # another office's
    assert april.post(f"/letters/{draft}/return", {"return-comment": COMMENT}, token=False).status_code == 400  # no CSRF token
    assert april.post(f"/letters/{o.kent_letter}/return", {"return-comment": COMMENT}).status_code == 404
    assert snapshot(db_url) == before

    assert april.post(f"/letters/{draft}/return", {"return-comment": COMMENT}).status_code == 302
    twice = april.post(f"/letters/{draft}/return", {"return-comment": COMMENT})  # the form sent again
    assert twice.status_code == 422 and f"Letter {RESPONSE} was returned by April Example on" in text_of(twice)
    assert steps_of(o, draft) == [("submitted", "dan", ""), ("returned", "april", COMMENT)]


def test_where_a_second_person_is_required_the_submitter_is_not_offered_approval(app: Any, office_data: Offices, db_url: str) -> None:
    o, draft = office_data, office_data.mopac_draft
    ada = client(app, "ada")  # an admin may approve others' letters
    assert ada.post(f"/letters/{draft}/submit").status_code == 302
    assert "Approve this letter" in ada.get(f"/letters/{draft}").text  # the office does not require a second person yet
    require_second_person(o)
    page = ada.get(f"/letters/{draft}").text
    assert "Approve this letter" not in page and "Return to the drafter" not in page
    assert "Approve this letter" in client(app, "april").get(f"/letters/{draft}").text
    before = snapshot(db_url)
    own = ada.post(f"/letters/{draft}/return", {"return-comment": COMMENT})
    assert own.status_code == 403 and "MOPAC requires a second person to return it; ask another approver" in text_of(own)
    assert snapshot(db_url) == before
    with o.store.reading() as session:  # the library's answer, which the page asks
        letter = session.get(Letter, draft)
        assert not clearance.may_approve(session, letter, get_user(session, "ada"))
        assert clearance.may_approve(session, letter, get_user(session, "april"))
        assert not clearance.may_approve(session, letter, get_user(session, "dan"))  # a drafter
        assert not clearance.may_approve(session, letter, get_user(session, "kim"))  # another office's admin


def test_the_library_refuses_an_empty_return_by_its_field(office_data: Offices) -> None:
    with acting_as("april"), office_data.store.transaction() as session:
        letter = session.get(Letter, office_data.mopac_draft)
        with acting_as("dan"):
            clearance.submit(session, letter)
        with pytest.raises(InvalidInput) as refused:
            clearance.return_to_drafter(session, letter, "  ")
        assert refused.value.field == "comment"
        state = clearance.clearance_state(session, letter)
        assert (state.awaiting, state.returned, state.label) == (True, False, "submitted")
        clearance.return_to_drafter(session, letter, COMMENT)
        state = clearance.clearance_state(session, letter)
        assert (state.awaiting, state.returned, state.holds, state.void, state.label) == (False, True, False, False, "returned")
        assert state.describe().startswith("returned by April Example on ") and state.describe().endswith(f": {COMMENT}")


# --- the approver's queue ----------------------------------------------------------------------------


def draft_letter(o: Offices, subject: str, by: str = "dan") -> int:
    """A draft out of MOPAC with its file, made (and so drafted) by ``by``."""
    with acting_as(by), o.store.transaction() as session:
        letter = letters.log_letter(session, office=get_office(session, "MOPAC"), direction=Direction.OUT,
                                    letter_date=dt.date(2018, 9, 1), subject=subject, kind=LetterKind.OTHER, status=LetterStatus.DRAFT,
                                    today=dt.date(2018, 9, 1))
        keep_letter_file(session, letter, docx_bytes(subject), file_name=f"{subject}.docx", why="drafted")
        return letter.id


def submit(o: Offices, letter_id: int, by: str = "dan") -> None:
    with acting_as(by), o.store.transaction() as session:
        clearance.submit(session, session.get(Letter, letter_id))


def invite_and_send(app: Any, o: Offices) -> None:
    """The invitation to comment, drafted and sent: the s.55 response's next step is then its clearance."""
    dan = client(app, "dan")
    made = dan.post(f"/inspections/{o.mopac_inspection}/invite", {"invite-letter_date": "18/7/2018", "invite-reply_by": "7/8/2018"})
    assert made.status_code == 302
    assert dan.post(f"{made.headers['Location']}/sent", {"sent_on": "18/7/2018"}).status_code == 302


def test_the_dashboard_lists_what_awaits_my_approval_and_links_the_next_step(app: Any, office_data: Offices) -> None:
    o = office_data
    invite_and_send(app, o)
    require_second_person(o)
    april = client(app, "april")
    assert "Awaiting my approval (0)" in text_of(april.get("/")) and "No letter is awaiting your approval." in text_of(april.get("/"))
    submit(o, o.mopac_draft)
    other = draft_letter(o, "Letter to the Deputy Mayor")
    submit(o, other)
    by_april = draft_letter(o, "April's own letter", by="april")
    submit(o, by_april, by="april")  # drafted and submitted by april: not hers to approve
    page = april.get("/")
    words = text_of(page)
    assert "Awaiting my approval (2)" in words
    queue = page.text.split('id="awaiting-heading"', 1)[1].split("</section>", 1)[0]
    links = re.findall(r'<a href="/letters/(\d+)">([^<]+)</a>', queue)
    assert links == [(str(o.mopac_draft), RESPONSE), (str(other), "No reference")]  # the longest waiting first
    assert f"Dan Example {dt.date.today():%-d %B %Y}" in " ".join(re.sub(r"<[^>]+>", " ", queue).split())
    assert "April's own letter" not in queue

    # the next step, "Approve MOPAC06092018-D2188", is a link to the letter
    step = re.search(r'<a href="/letters/(\d+)">(Approve [^<(]+)', page.text)
    assert step and step.groups() == (str(o.mopac_draft), f"Approve {RESPONSE} ")

    # Mine shows an approver what awaits them; another approver sees april's letter too; a drafter has no queue
    assert "Awaiting my approval (2)" in text_of(april.get("/?view=mine"))
    assert "Awaiting my approval (3)" in text_of(client(app, "ada").get("/?view=mine"))
    assert "Awaiting my approval" not in text_of(client(app, "dan").get("/"))

    # returned or approved, a letter leaves the queue
    assert april.post(f"/letters/{other}/return", {"return-comment": COMMENT}).status_code == 302
    assert april.post(f"/letters/{o.mopac_draft}/approve", {"sha256": approval_hash(april, o.mopac_draft)}).status_code == 302
    assert "Awaiting my approval (0)" in text_of(april.get("/"))


def test_the_dashboard_asks_the_same_number_of_queries_however_many_letters_await_approval(app: Any, office_data: Offices) -> None:
    o = office_data
    invite_and_send(app, o)
    april = client(app, "april")
    submit(o, o.mopac_draft)
    statements: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries(path: str) -> int:
        statements.clear()
        event.listen(o.store.engine, "before_cursor_execute", count)
        try:
            assert april.get(path).status_code == 200
        finally:
            event.remove(o.store.engine, "before_cursor_execute", count)
        return len(statements)

    april.get("/")
    few, few_mine = queries("/"), queries("/?view=mine")
    for number in range(12):  # more letters awaiting approval, and more drafts of the s.55 response, each through clearance
        submit(o, draft_letter(o, f"Letter {number}"))
    with acting_as("dan"), o.store.transaction() as session:
        response = session.get(Letter, o.mopac_draft)
        for number in range(5):
            extra = letters.log_letter(session, office=response.office, direction=Direction.OUT, letter_date=response.letter_date,
                                       subject=f"Another draft {number}", kind=LetterKind.S55_RESPONSE,
                                       inspection_id=o.mopac_inspection, status=LetterStatus.DRAFT, today=response.letter_date)
            keep_letter_file(session, extra, docx_bytes(f"draft {number}"), file_name=f"draft-{number}.docx", why="drafted")
            clearance.submit(session, extra)
    assert "Awaiting my approval (18)" in text_of(april.get("/"))
    assert (queries("/"), queries("/?view=mine")) == (few, few_mine)


# --- the command line ---------------------------------------------------------------------------------


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    """The example office with a drafter and an approver, the Commissioner's comments invited (so the
    response's next step is its clearance), and a second person required from then on."""
    cli = example_cli
    cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter", "--full-name", "Jo Smith")
    cli.ok("user", "add", "pat", "--office", "MOPAC", "--role", "approver")
    cli.ok("role", "add", "Commissioner", "Cressida Dick", "--from", "10/4/2017", "--until", "10/4/2022", "--office", "MOPAC",
           "--salutation", "Dear Cressida", "--address", "New Scotland Yard", "--address", "London SW1A 2JL")
    invitation = cli.json("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo")["reference"]
    cli.ok("letter", "sent", invitation, "--date", "18/7/2018", "--as", "jo")
    cli.ok("office", "set", "MOPAC", "--require-approval")
    return cli


def test_the_command_line_returns_lists_and_refuses_the_same_version(office: Cli, tmp_path: Any) -> None:
    cli = office
    cli.ok("letter", "submit", RESPONSE, "--as", "jo")
    awaiting = cli.json("letter", "awaiting", "--as", "pat")
    assert [(row["reference"], row["submitted_by"]) for row in awaiting] == [(RESPONSE, "jo")]
    listed = cli.ok("letter", "awaiting", "--as", "pat").stdout
    assert "1 letter of MOPAC awaiting approval by pat" in listed and RESPONSE in listed
    assert cli.json("letter", "awaiting", "--as", "jo") == []  # a drafter approves nothing

    before = snapshot(cli.db_url)
    assert_clean_error(cli("letter", "return", RESPONSE, "--comment", " ", "--as", "pat"),
                       "--comment: say what the drafter should change")
    assert_clean_error(cli("letter", "return", RESPONSE, "--comment", COMMENT, "--as", "jo"), "jo is a drafter; this needs an approver")
    missing = cli("letter", "return", RESPONSE, "--as", "pat")
    assert missing.exit_code != 0 and "--comment" in missing.output and "Traceback" not in missing.output  # it is required
    assert snapshot(cli.db_url) == before

    returned = cli.ok("letter", "return", RESPONSE, "--comment", COMMENT, "--as", "pat")
    assert returned.stdout.startswith(f"returned {RESPONSE} (version 1) to the drafter as pat")
    assert "note: no e-mail sent: MOPAC has no mail settings" in returned.stderr
    assert cli.json("letter", "awaiting", "--as", "pat") == []
    shown = cli.json("letter", "show", RESPONSE)["approval"]
    assert shown.startswith("returned by pat on ") and shown.endswith(f": {COMMENT}")
    due = next(item for item in cli.json("due", "--office", "MOPAC") if item["inspection_id"] == 1)
    assert due["stage"] == "submitted (returned)"
    assert due["next_step"].startswith(f"make a new version of {RESPONSE} and submit it again (returned by pat on ")
    timeline = cli.json("inspection", "show", "1")["responses"][0]["timeline"]
    assert [(step["what"], step["by"]) for step in timeline if RESPONSE in step["what"] and "drafted" not in step["what"]] == [
        (f"s.55 response {RESPONSE} submitted for approval", "jo"),
        (f"s.55 response {RESPONSE} returned to the drafter: {COMMENT}", "pat"),
    ]

    assert_clean_error(cli("letter", "submit", RESPONSE, "--as", "jo"), "and this is the version returned",
                       f"add a new version with 'corr letter version add {RESPONSE} FILE --why ...'")
    assert_clean_error(cli("letter", "approve", RESPONSE, "--as", "pat"), f"letter {RESPONSE} was returned by pat on")
