"""Owners and the morning e-mail: `corr owner`, `corr mail`, `corr remind` sending to a real SMTP
server on loopback (aiosmtpd), whose messages are read back."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, assert_clean_error


class Inbox:
    """An aiosmtpd handler keeping every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    """The example office with a drafter who wants the morning e-mail, one who does not, and a viewer."""
    cli = example_cli
    cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter", "--full-name", "Jo Smith", "--email", "jo@mopac.example.org")
    cli.ok("user", "add", "pat", "--office", "MOPAC", "--role", "approver", "--email", "pat@mopac.example.org")
    cli.ok("user", "add", "vi", "--office", "MOPAC", "--role", "viewer", "--email", "vi@mopac.example.org")
    cli.ok("user", "set", "jo", "--morning-email")
    cli.ok("user", "set", "vi", "--morning-email")
    return cli


def test_remind_sends_each_user_what_is_theirs_and_due(office: Cli, smtp: tuple[int, Inbox]) -> None:
    port, inbox = smtp
    office.ok("mail", "set", "--office", "MOPAC", "--host", "127.0.0.1", "--port", str(port), "--from", "correspondence@mopac.example.org")
    office.ok("owner", "set", "1", "jo")
    office.ok("owner", "set", "1:A7", "jo")
    office.ok("owner", "set", "1:A3", "pat")  # pat has not asked for the e-mail
    result = office.ok("remind", "--today", "1 September 2018")
    assert "sent jo <jo@mopac.example.org> 2 items (MOPAC)" in result.stdout
    assert "1 reminder sent for 1 September 2018" in result.stderr
    assert [m["To"] for m in inbox.messages] == ["jo@mopac.example.org"]  # not pat (did not ask), not vi (owns nothing)
    message = inbox.to("jo@mopac.example.org")[0]
    assert message["From"] == "correspondence@mopac.example.org"
    assert message["Subject"] == "MOPAC: 2 items of yours due or overdue (1 September 2018)"
    body = message.get_content()
    assert body.startswith("Good morning Jo Smith,")
    assert ("Metropolitan Police Service, Crime Data Integrity (inspection 1): 9 days left; not started. "
            "Next: invite the Commissioner's comments (s.55(4)), now.") in body
    assert "A7 of inspection 1 (Crime Data Integrity): not started, last update 20 August 2018." in body
    assert "A3" not in body


def test_a_response_far_from_due_is_not_in_the_email_and_nobody_is_mailed_for_nothing(office: Cli, smtp: tuple[int, Inbox]) -> None:
    port, inbox = smtp
    office.ok("mail", "set", "--office", "MOPAC", "--host", "127.0.0.1", "--port", str(port), "--from", "c@mopac.example.org")
    office.ok("owner", "set", "1", "jo")
    result = office.ok("remind", "--today", "18 July 2018")  # 55 days left: not due within 14
    assert "0 reminders sent" in result.stderr and inbox.messages == []


def test_dry_run_sends_nothing(office: Cli, smtp: tuple[int, Inbox]) -> None:
    port, inbox = smtp
    office.ok("mail", "set", "--office", "MOPAC", "--host", "127.0.0.1", "--port", str(port), "--from", "c@mopac.example.org")
    office.ok("owner", "set", "1", "jo")
    result = office.ok("remind", "--today", "1/9/2018", "--dry-run")
    assert "would send jo <jo@mopac.example.org> 1 item (MOPAC)" in result.stdout and inbox.messages == []


def test_mail_problems_are_one_clear_line(office: Cli) -> None:
    assert_clean_error(office("mail", "set", "--office", "MOPAC", "--host", "smtp.example.org", "--port", "99999", "--from", "a@b.org"),
                       "port: 99999 is not a port number")
    assert_clean_error(office("mail", "set", "--office", "MOPAC", "--host", "smtp.example.org", "--from", "nobody"),
                       "--from: 'nobody' is not an e-mail address")  # mail set's option for the sender
    assert_clean_error(office("remind", "--office", "MOPAC"), "MOPAC has no mail settings; set them with 'corr mail set --office MOPAC'")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # nothing listens here once the probe is closed
    office.ok("mail", "set", "--office", "MOPAC", "--host", "127.0.0.1", "--port", str(closed), "--from", "c@mopac.example.org")
    office.ok("owner", "set", "1", "jo")
    assert_clean_error(office("remind", "--today", "1/9/2018"), f"cannot send mail through 127.0.0.1:{closed}")


def test_owners_must_be_able_to_do_the_work_and_belong_to_the_office(office: Cli) -> None:
    assert_clean_error(office("owner", "set", "1", "vi"), "owner: vi is a viewer; this needs a drafter or above")
    assert_clean_error(office("owner", "set", "1:Z9", "jo"), "write it as INSPECTION:CODE")
    assert_clean_error(office("user", "set", "jo", "--email", "", "--morning-email"))
    listed = office.json("owner", "list", "--office", "MOPAC")
    assert {row["what"] for row in listed} >= {"1", "1:A7"} and all(row["owner"] is None for row in listed)


def test_the_morning_email_needs_an_address(example_cli: Cli) -> None:
    example_cli.ok("user", "add", "noaddress", "--office", "MOPAC", "--role", "drafter")
    assert_clean_error(example_cli("user", "set", "noaddress", "--morning-email"), "noaddress has no e-mail address")


def test_the_shipped_templates_pass_the_check_used_for_uploads(tmp_path: Path) -> None:
    from correspondence.drafting.rendering import shipped_template
    from correspondence.examples.template_check import template_problems

    for kind in ("response", "followup", "annex"):
        assert template_problems(shipped_template(kind).read_bytes(), kind) == []
