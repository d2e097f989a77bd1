"""Clearance's e-mail, sent to a real SMTP server on loopback (aiosmtpd, as the reminders' tests do):
to the approvers when a letter is submitted, to the drafter when it is returned with comments or
approved; only once the step has committed; and a mail server that fails never undoes the step."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from correspondence.organisation.offices import get_office
from correspondence.process import clearance, clearance_mail
from correspondence.process.reminders import set_mail_settings
from correspondence.records.models import Letter
from correspondence.records.store import acting_as
from tests import test_reminders
from tests.conftest import Cli
from tests.test_clearance_return import COMMENT, RESPONSE, approval_hash, client, new_version, steps_of
from tests.web_support import Offices, text_of

smtp = test_reminders.smtp  # the loopback SMTP server and its inbox, as the reminders' tests have it
SENDER = "correspondence@mopac.example.org"


def set_mail(o: Offices, port: int) -> None:
    with o.store.transaction() as session:
        set_mail_settings(session, get_office(session, "MOPAC"), host="127.0.0.1", port=port, sender=SENDER)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens here once the probe is closed


def test_approvers_hear_of_a_submission_and_the_drafter_of_its_return_and_approval(app: Any, office_data: Offices,
                                                                                  smtp: tuple[int, Any]) -> None:
    port, inbox = smtp
    o, draft = office_data, office_data.mopac_draft
    set_mail(o, port)
    dan, april = client(app, "dan"), client(app, "april")

    submitted = dan.post(f"/letters/{draft}/submit")
    assert submitted.status_code == 302
    assert "E-mailed ada <ada@mopac.example.org>, april <april@mopac.example.org>." in text_of(dan.get(submitted.headers["Location"]))
    assert sorted(m["To"] for m in inbox.messages) == ["ada@mopac.example.org", "april@mopac.example.org"]  # not dan, not vera
    message = inbox.to("april@mopac.example.org")[0]
    assert (message["From"], message["Subject"]) == (SENDER, f"MOPAC: {RESPONSE} is awaiting your approval")
    body = message.get_content()
    assert body.startswith("Dear April Example,")
    assert f"Dan Example submitted {RESPONSE}, \"" in body and "for approval on" in body and "(version 1)" in body
    assert "on the dashboard of MOPAC's correspondence workspace, and in the register as " + RESPONSE in body

    inbox.messages.clear()
    returned = april.post(f"/letters/{draft}/return", {"return-comment": COMMENT})
    assert returned.status_code == 302
    assert "E-mailed dan <dan@mopac.example.org>." in text_of(april.get(returned.headers["Location"]))
    [message] = inbox.messages
    assert (message["To"], message["Subject"]) == ("dan@mopac.example.org", f"MOPAC: {RESPONSE} is returned to you with comments")
    body = message.get_content()
    assert f"April Example returned {RESPONSE}" in body and f"    {COMMENT}" in body
    assert "Make a new version of the letter with the changes, and submit it for approval again." in body

    new_version(o, draft)
    assert dan.post(f"/letters/{draft}/submit").status_code == 302
    inbox.messages.clear()
    assert april.post(f"/letters/{draft}/approve", {"sha256": approval_hash(april, draft)}).status_code == 302
    [message] = inbox.messages
    assert (message["To"], message["Subject"]) == ("dan@mopac.example.org", f"MOPAC: {RESPONSE} is approved")
    assert "exactly version 2, as you submitted it" in message.get_content() and "It may now be sent." in message.get_content()


def test_mail_goes_only_once_the_step_is_committed(office_data: Offices, smtp: tuple[int, Any]) -> None:
    port, inbox = smtp
    o = office_data
    set_mail(o, port)
    with acting_as("dan"):
        with pytest.raises(RuntimeError), o.store.transaction() as session:
            clearance.submit(session, session.get(Letter, o.mopac_draft))
            raise RuntimeError("something later in the same change failed")
        assert inbox.messages == [] and steps_of(o, o.mopac_draft) == []  # rolled back: nobody told of it
        with o.store.transaction() as session:
            clearance.submit(session, session.get(Letter, o.mopac_draft))
            notices = clearance_mail.notices(session)
            assert inbox.messages == [] and notices[0].summary().startswith("an e-mail to ada <ada@mopac.example.org>")
    assert len(inbox.messages) == 2 and notices[0].sent


def test_a_mail_server_that_fails_never_undoes_the_step(app: Any, office_data: Offices, caplog: Any) -> None:
    o, draft = office_data, office_data.mopac_draft
    port = closed_port()
    set_mail(o, port)
    dan = client(app, "dan")
    submitted = dan.post(f"/letters/{draft}/submit")
    assert submitted.status_code == 302  # the step is stored all the same
    page = text_of(dan.get(submitted.headers["Location"]))
    assert f"The e-mail to ada <ada@mopac.example.org>, april <april@mopac.example.org> could not be sent (cannot send mail " \
           f"through 127.0.0.1:{port}" in page and "the step is recorded all the same" in page
    assert "Submitted by Dan Example on" in page
    assert steps_of(o, draft) == [("submitted", "dan", "")]
    assert any("clearance e-mail (submission)" in record.getMessage() for record in caplog.records)


def test_nobody_is_mailed_without_mail_settings_or_an_address(office_data: Offices, smtp: tuple[int, Any]) -> None:
    o = office_data
    with acting_as("dan"), o.store.transaction() as session:
        clearance.submit(session, session.get(Letter, o.mopac_draft))
        [notice] = clearance_mail.notices(session)
    assert notice.summary() == "no e-mail sent: MOPAC has no mail settings"
    port, inbox = smtp
    set_mail(o, port)
    with o.store.transaction() as session:
        session.get(Letter, o.mopac_draft).office  # noqa: B018 - loaded for the user below
        from correspondence.organisation.users import get_user

        get_user(session, "dan").email = None
    with acting_as("april"), o.store.transaction() as session:
        clearance.return_to_drafter(session, session.get(Letter, o.mopac_draft), COMMENT)
        [notice] = clearance_mail.notices(session)
    assert notice.summary() == "no e-mail sent: dan has no e-mail address" and inbox.messages == []


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    example_cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter", "--email", "jo@mopac.example.org")
    example_cli.ok("user", "add", "pat", "--office", "MOPAC", "--role", "approver", "--email", "pat@mopac.example.org")
    example_cli.ok("user", "add", "sam", "--office", "MOPAC", "--role", "approver")  # no e-mail address: not mailed
    return example_cli


def test_the_command_line_says_who_was_mailed_or_why_nobody_was(office: Cli, smtp: tuple[int, Any]) -> None:
    port, inbox = smtp
    assert "note: no e-mail sent: MOPAC has no mail settings" in office.ok("letter", "submit", RESPONSE, "--as", "jo").stderr
    office.ok("mail", "set", "--office", "MOPAC", "--host", "127.0.0.1", "--port", str(port), "--from", SENDER)
    approved = office.json("letter", "approve", RESPONSE, "--as", "pat")
    assert approved["mail"] == ["e-mailed jo <jo@mopac.example.org>"]
    assert [(m["To"], m["Subject"]) for m in inbox.messages] == [("jo@mopac.example.org", f"MOPAC: {RESPONSE} is approved")]


def test_the_command_line_mails_the_approvers_and_a_failure_is_only_a_note(office: Cli, smtp: tuple[int, Any]) -> None:
    port, inbox = smtp
    office.ok("mail", "set", "--office", "MOPAC", "--host", "127.0.0.1", "--port", str(port), "--from", SENDER)
    submitted = office.ok("letter", "submit", RESPONSE, "--as", "jo")
    assert "note: e-mailed pat <pat@mopac.example.org>" in submitted.stderr  # not sam (no address), not jo (who submitted)
    assert [m["To"] for m in inbox.messages] == ["pat@mopac.example.org"]

    closed = closed_port()
    office.ok("mail", "set", "--office", "MOPAC", "--host", "127.0.0.1", "--port", str(closed), "--from", SENDER)
    approved = office("letter", "approve", RESPONSE, "--as", "pat")
    assert approved.exit_code == 0, approved.output
    assert f"note: the e-mail to jo <jo@mopac.example.org> could not be sent (cannot send mail through 127.0.0.1:{closed}" in approved.stderr
    assert office.json("letter", "show", RESPONSE)["approval"].startswith("approved by pat on ")  # the step stands
