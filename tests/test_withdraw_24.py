"""Withdrawing a draft made by mistake (issue 24): it stays in the register as withdrawn, with who,
when and why; its reference stays spent and its file kept; a withdrawn invitation no longer counts,
so a new one can be drafted. From the command line (corr letter withdraw) and the letter page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from correspondence.process.stages import status_of
from correspondence.records.models import FileVersion, Inspection, IssuedReference, Letter, S55Response
from correspondence.records.vocabulary import LetterStatus
from correspondence.register.export import export_rows
from correspondence.register.letters import LetterFilter
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.web_support import Browserless, Offices, text_of

COMMISSIONER = ["--addressee", "Cressida Dick", "--addressee-role", "Commissioner"]
WHY = "dated 2030 by mistake"


# --- the command line and the library behind it ---------------------------------------------------------


def _slip(cli: Cli) -> str:
    """The invitation the issue measured: dated 1 January 2030 for a report whose last day had not come."""
    made = cli.ok("invite", "1", "--office", "MOPAC", "--date", "1/1/2030", "--confirm-date", *COMMISSIONER)
    return re.search(r"drafted (\S+) to", made.stdout).group(1)


def test_a_withdrawn_invitation_lets_a_new_one_be_drafted_and_its_reference_is_never_reused(example_cli: Cli, db_url: str) -> None:
    slip = _slip(example_cli)
    again = example_cli("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", *COMMISSIONER)
    assert_clean_error(again, f"already invited comments on inspection 1: {slip}", f"corr letter withdraw {slip} --why")

    done = example_cli.ok("letter", "withdraw", slip, "--why", WHY)
    assert f"withdrew draft {slip}" in done.stdout and "reference stays used" in done.stdout
    shown = example_cli.json("letter", "show", slip)
    assert shown["status"] == "withdrawn"
    assert shown["withdrawn"].endswith(f": {WHY}")

    fresh = example_cli.ok("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", *COMMISSIONER)
    reference = re.search(r"drafted (\S+) to", fresh.stdout).group(1)
    assert reference != slip
    # the spent reference cannot be given to another letter
    assert_clean_error(example_cli("letter", "log", "--office", "MOPAC", "--direction", "out", "--date", "1/1/2019",
                                   "--ref", slip, "--subject", "Another"), slip)

    from correspondence.records.store import open_store

    store = open_store(db_url)
    try:
        with store.reading() as session:
            letter = session.query(Letter).filter(Letter.reference == slip).one()
            assert session.query(IssuedReference).filter(IssuedReference.reference == slip).count() == 1
            assert session.query(FileVersion).filter(FileVersion.letter_id == letter.id).count() == 1  # its file kept
            response = session.query(S55Response).one()
            assert response.invitation.reference == reference and response.reply_by == dt.date(2018, 8, 7)
            rows = list(export_rows(session, LetterFilter(status=LetterStatus.WITHDRAWN)))
            assert [(row[0], row[3]) for row in rows] == [(slip, "withdrawn")]  # the register's export says so
    finally:
        store.dispose()

    listed = example_cli.ok("letter", "list", "--status", "withdrawn").stdout
    assert slip in listed and reference not in listed
    timeline = example_cli.ok("inspection", "show", "1").stdout
    assert f"invitation to comment {slip} withdrawn: {WHY}" in timeline
    assert f"invitation to comment {slip}, dated 1 January 2030, drafted" in timeline


def test_withdrawing_the_invitation_puts_the_process_back_to_inviting(example_cli: Cli, db_url: str) -> None:
    slip = _slip(example_cli)
    example_cli.ok("letter", "withdraw", slip, "--why", WHY)
    from correspondence.records.store import open_store

    store = open_store(db_url)
    try:
        with store.reading() as session:
            response = session.query(S55Response).one()
            status = status_of(session, response.office, session.get(Inspection, 1), dt.date(2026, 12, 7), response)
            assert status.stage == "not started"
            assert status.next_step.startswith("invite the Commissioner's comments")
    finally:
        store.dispose()
    due = example_cli.ok("due", "--office", "MOPAC").stdout
    assert "send the invitation" not in due and "invite the Commissioner's comments" in due


def test_only_a_draft_is_withdrawn_and_the_refusals_say_what_to_do(example_cli: Cli, db_url: str) -> None:
    slip = _slip(example_cli)
    before = snapshot(db_url)
    assert_clean_error(example_cli("letter", "withdraw", slip, "--why", "   "), "--why: say why the draft is withdrawn")
    assert snapshot(db_url) == before
    example_cli.ok("letter", "withdraw", slip, "--why", WHY)
    assert_clean_error(example_cli("letter", "withdraw", slip, "--why", "again"), f"letter {slip} was already withdrawn", WHY)
    # a withdrawn draft is neither sent nor given a new version
    assert_clean_error(example_cli("letter", "sent", slip, "--date", "1/1/2019"), f"letter {slip} is withdrawn, not a draft")
    assert_clean_error(example_cli("letter", "version", "add", slip, f"letters/{slip}.docx", "--why", "edits"),
                       f"letter {slip} was withdrawn; a withdrawn draft takes no new version")
    assert_clean_error(example_cli("letter", "withdraw", "#1", "--why", "not ours"), "was received; a letter received is kept as it came")
    # a sent letter: logged as sent, never changed; the way out is a letter that supersedes it
    example_cli.ok("letter", "log", "--office", "MOPAC", "--direction", "out", "--date", "3/9/2018", "--ref", "MOPAC-SENT-1",
                   "--subject", "Sent already")
    sent = example_cli("letter", "withdraw", "MOPAC-SENT-1", "--why", "too late")
    assert_clean_error(sent, "letter MOPAC-SENT-1 was sent", "never changed or withdrawn", "corr letter supersede MOPAC-SENT-1")


def test_delete_still_removes_a_draft(example_cli: Cli) -> None:
    slip = _slip(example_cli)
    assert "deleted draft" in example_cli.ok("letter", "delete", slip).stdout
    example_cli.ok("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", *COMMISSIONER)


# --- the letter page ---------------------------------------------------------------------------------------


def _client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def test_a_draft_is_withdrawn_from_its_page_with_a_reason_and_shown_so(app: Any, office_data: Offices, db_url: str) -> None:
    o = office_data
    dan = _client(app, "dan")
    page = dan.get(f"/letters/{o.mopac_draft}")
    assert "Withdraw this draft" in page.text and f"/letters/{o.mopac_draft}/withdraw" in page.text
    asking = dan.get(f"/letters/{o.mopac_draft}/withdraw")
    assert asking.status_code == 200
    assert "its reference is not given to any other letter" in text_of(asking)

    assert dan.post(f"/letters/{o.mopac_draft}/submit").status_code == 302  # in clearance: the response is "submitted"
    with o.store.reading() as session:
        assert session.query(S55Response).one().stage.value == "submitted"
    before = snapshot(db_url)
    empty = dan.post(f"/letters/{o.mopac_draft}/withdraw", {"why": "  "})
    assert empty.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', empty.text, re.DOTALL).group(0)
    assert 'href="#why"' in summary and "Say why the draft is withdrawn" in summary
    assert snapshot(db_url) == before

    done = dan.post(f"/letters/{o.mopac_draft}/withdraw", {"why": "Drafted against the wrong report"})
    assert done.status_code == 302
    shown = text_of(dan.get(f"/letters/{o.mopac_draft}"))
    assert re.search(r"Status Withdrawn on \d+ \w+ \d{4} by Dan Example: Drafted against the wrong report", shown)
    assert "Withdraw this draft" not in shown and "Mark sent" not in shown
    # the same form sent twice withdraws it once and says so, without an error
    twice = dan.post(f"/letters/{o.mopac_draft}/withdraw", {"why": "Drafted against the wrong report"})
    assert twice.status_code == 302
    assert "already withdrawn" in text_of(dan.get(twice.headers["Location"]))
    with o.store.reading() as session:
        assert session.get(Letter, o.mopac_draft).status is LetterStatus.WITHDRAWN
        response = session.query(S55Response).one()  # no longer submitted: back to where its letters show it is
        status = status_of(session, response.office, response.inspection, dt.date.today(), response)
        assert status.stage == "not started" and status.next_step.startswith("invite the Commissioner's comments")

    timeline = text_of(dan.get(f"/inspections/{o.mopac_inspection}"))
    assert "withdrawn: Drafted against the wrong report" in timeline
    register = dan.get("/letters?status=withdrawn")
    assert register.status_code == 200 and f"/letters/{o.mopac_draft}" in register.text
    assert f"/letters/{o.mopac_received}\"" not in register.text


@pytest.mark.parametrize("who, status", [("vera", 403), ("kim", 404)])
def test_a_viewer_or_another_office_cannot_withdraw(app: Any, office_data: Offices, who: str, status: int) -> None:
    o = office_data
    browser = _client(app, who)
    if who == "vera":
        assert "Withdraw this draft" not in browser.get(f"/letters/{o.mopac_draft}").text
    assert browser.get(f"/letters/{o.mopac_draft}/withdraw").status_code == status
    assert browser.post(f"/letters/{o.mopac_draft}/withdraw", {"why": "not mine"}).status_code == status
    with o.store.reading() as session:
        assert session.get(Letter, o.mopac_draft).status is LetterStatus.DRAFT


def test_a_received_letter_has_no_withdraw_and_its_page_says_why(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = _client(app, "dan")
    assert "Withdraw this draft" not in dan.get(f"/letters/{o.mopac_received}").text
    refused = dan.get(f"/letters/{o.mopac_received}/withdraw")
    assert refused.status_code == 302
    assert "a letter received is kept as it came" in text_of(dan.get(refused.headers["Location"]))
