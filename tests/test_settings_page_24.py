"""Every setting on the Settings page (issue 24): each section a form of its own for an admin, with
its errors beside its fields in the form's words, written through the library so the event log
says who changed it; the latest changes listed at the bottom in a constant number of statements;
role holders edited and ended; standard lines retired; a test e-mail; and the CLI's same commands."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from correspondence.organisation import standard_lines
from correspondence.organisation.offices import get_office, update_office
from correspondence.records.errors import InvalidInput
from correspondence.records.models import Event, Force, Office, RoleHolder, StandardLine
from tests.conftest import Cli, assert_clean_error
from tests.web_support import Browserless, Offices, text_of

COLUMN_NAMES = ("reply_by_days", "letters_dir", "require_approval", "reference_scheme", "next_number", "chief_officer_title",
                "force_id", "retired_on", "starts_on", "ends_on")


def _browser(app: Any, name: str = "ada") -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def _mopac(store: Any) -> Office:
    with store.reading() as session:
        return get_office(session, "MOPAC")


def _no_column_names(response: Any) -> None:
    """No library field name in what the page says is wrong (the error summaries and the messages by the fields)."""
    import re

    said = re.findall(r'<div class="error-summary".*?</div>|<p class="field-error".*?</p>', response.text, flags=re.DOTALL)
    assert said
    text = " ".join(said)
    text = re.sub(r'(href|id|aria-labelledby)="[^"]*"', "", text)
    for name in COLUMN_NAMES:
        assert name not in text, f"{name} on the page"


def _approval_on(office_data: Offices) -> None:
    """The bundled example's office has approval off (one person trying the tool); a real office starts with it on."""
    with office_data.store.transaction() as session:
        update_office(session, get_office(session, "MOPAC"), require_approval=True)


def test_turning_approval_off_asks_for_confirmation_and_is_logged(app: Any, office_data: Offices) -> None:
    _approval_on(office_data)
    ada = _browser(app)
    asked = ada.post("/settings/approval", {"approval-require_approval": ""})
    assert asked.status_code == 422
    assert 'href="#approval-confirm_off"' in asked.text and "Yes, let letters be sent without a second person" in text_of(asked)
    assert _mopac(office_data.store).require_approval is True
    done = ada.post("/settings/approval", {"approval-confirm_off": "y"})
    assert done.status_code == 302
    assert _mopac(office_data.store).require_approval is False
    page = ada.get("/settings")
    assert "Second-person approval is off" in text_of(page)
    assert "Ada Example" in text_of(page) and "Turned second-person approval off" in text_of(page)  # who, in full, and what
    assert ada.post("/settings/approval", {"approval-require_approval": "y"}).status_code == 302  # on again: no question asked
    assert _mopac(office_data.store).require_approval is True
    with office_data.store.reading() as session:
        actors = list(session.scalars(select(Event.actor).where(Event.entity == "offices").order_by(Event.id.desc()).limit(2)))
    assert actors == ["ada", "ada"]


def test_viewers_see_the_settings_and_cannot_change_them(app: Any, office_data: Offices) -> None:
    _approval_on(office_data)
    vera = _browser(app, "vera")
    page = vera.get("/settings")
    assert page.status_code == 200
    text = text_of(page)
    assert "Only an admin of the office can change these" in text and "Metropolitan Police Service" in text
    assert "Save approval" not in text and "Send a test e-mail" not in text
    for path, data in (("/settings/approval", {"approval-confirm_off": "y"}), ("/settings/reply-by", {"reply-reply_by_days": "14"}),
                       ("/settings/force", {"force-force": "Kent Police"}), ("/settings/lines", {"line-name": "x", "line-text": "y"}),
                       ("/settings/folder", {"folder-letters_dir": ""}), ("/settings/mail/test", {})):
        assert vera.post(path, data).status_code == 403, path
    assert _mopac(office_data.store).require_approval is True


def test_reply_by_days_are_checked_and_said_in_the_forms_words(app: Any, office_data: Offices) -> None:
    ada = _browser(app)
    for wrong in ("0", "60", "soon"):
        refused = ada.post("/settings/reply-by", {"reply-reply_by_days": wrong})
        assert refused.status_code == 422 and 'href="#reply-reply_by_days"' in refused.text
        assert f'value="{wrong}"' in refused.text  # what was typed, kept
        _no_column_names(refused)
    assert ada.post("/settings/reply-by", {"reply-reply_by_days": "14"}).status_code == 302
    assert _mopac(office_data.store).reply_by_days == 14
    assert "Changed the days the chief officer is given to comment from 21 to 14" in text_of(ada.get("/settings"))


def test_the_force_and_its_chief_officers_title_which_every_office_overseeing_it_shares(app: Any, office_data: Offices) -> None:
    ada = _browser(app)
    page = text_of(ada.get("/settings"))
    assert "changes it for every office that oversees the force" in page
    assert ada.post("/settings/force", {"force-force": "Metropolitan Police Service", "force-chief_officer_title": "Acting Commissioner"}).status_code == 302
    with office_data.store.reading() as session:
        assert session.scalar(select(Force.chief_officer_title).where(Force.name == "Metropolitan Police Service")) == "Acting Commissioner"
    assert "The chief officer's title changed from Commissioner to Acting Commissioner" in text_of(ada.get("/settings"))
    # empty: the usual title again; a force not stored yet is added with its own usual title
    assert ada.post("/settings/force", {"force-force": "City of London Police", "force-chief_officer_title": ""}).status_code == 302
    with office_data.store.reading() as session:
        office = get_office(session, "MOPAC")
        assert office.force.name == "City of London Police" and office.force.chief_officer_title == "Commissioner"
        assert get_office(session, "KENT").force.name == "Kent Police"
    missing = ada.post("/settings/force", {"force-force": "", "force-chief_officer_title": "Chief"})
    assert missing.status_code == 422 and 'href="#force-force"' in missing.text and 'value="Chief"' in missing.text


def test_the_next_reference_number_never_reissues_a_spent_reference(app: Any, office_data: Offices) -> None:
    ada = _browser(app)
    assert "the next letter dated today takes MOPAC" in text_of(ada.get("/settings"))
    refused = ada.post("/settings/references", {"refs-reference_scheme": "MOPAC{date:%d%m%Y}-D{seq}", "refs-next_number": "2188"})
    assert refused.status_code == 422 and 'href="#refs-next_number"' in refused.text
    assert "MOPAC06092018-D2188" in text_of(refused) and "never reused" in text_of(refused)
    _no_column_names(refused)
    bad_scheme = ada.post("/settings/references", {"refs-reference_scheme": "MOPAC-{yy}", "refs-next_number": ""})
    assert bad_scheme.status_code == 422 and 'href="#refs-reference_scheme"' in bad_scheme.text and "{seq}" in text_of(bad_scheme)
    done = ada.post("/settings/references", {"refs-reference_scheme": "MOPAC{date:%d%m%Y}-D{seq}", "refs-next_number": "5000"})
    assert done.status_code == 302
    page = text_of(ada.get("/settings"))
    assert f"MOPAC{dt.date.today():%d%m%Y}-D5000" in page and "Set the next reference number to 5000" in page


def test_the_letters_folder_is_checked_and_can_be_stopped(app: Any, office_data: Offices, tmp_path: Path) -> None:
    ada = _browser(app)
    missing = ada.post("/settings/folder", {"folder-letters_dir": str(tmp_path / "nowhere")})
    assert missing.status_code == 422 and 'href="#folder-letters_dir"' in missing.text and "no such folder" in text_of(missing)
    _no_column_names(missing)
    folder = tmp_path / "shared-drive"
    folder.mkdir()
    assert ada.post("/settings/folder", {"folder-letters_dir": str(folder)}).status_code == 302
    assert _mopac(office_data.store).letters_dir == str(folder.resolve())
    assert ada.post("/settings/folder", {"folder-letters_dir": ""}).status_code == 302
    assert _mopac(office_data.store).letters_dir is None
    assert "Stopped copying files to" in text_of(ada.get("/settings"))


def test_standard_lines_are_added_changed_and_retired(app: Any, office_data: Offices) -> None:
    ada = _browser(app)
    wrong = ada.post("/settings/lines", {"line-name": "thanks", "line-text": "Thanks to {forse}."})
    assert wrong.status_code == 422 and 'href="#line-text"' in wrong.text and "{forse}" in text_of(wrong)
    assert 'value="thanks"' in wrong.text
    assert ada.post("/settings/lines", {"line-name": "thanks", "line-text": "I thank {force} for its work."}).status_code == 302
    with office_data.store.reading() as session:
        line_id = session.scalar(select(StandardLine.id).where(StandardLine.name == "thanks"))
    assert ada.post(f"/settings/lines/{line_id}", {f"line-{line_id}-text": "I thank {force} for its hard work."}).status_code == 302
    assert ada.post(f"/settings/lines/{line_id}/retire", {}).status_code == 302
    page = text_of(ada.get("/settings"))
    assert "Retired lines" in page and "[[thanks]] , retired on" in page
    assert "Retired the standard line [[thanks]]" in page and "Changed the wording of the standard line [[thanks]]" in page
    with office_data.store.reading() as session:
        office = get_office(session, "MOPAC")
        assert "thanks" not in [line.name for line in standard_lines.list_lines(session, office)]  # not offered any more
        with pytest.raises(InvalidInput, match=r"\[\[thanks\]\] was retired on"):
            standard_lines.check_not_retired(session, office, "Opening.\n[[thanks]]\n")
        standard_lines.check_not_retired(session, office, "[[hold-to-account]]")  # a line in use is fine
        kent_line = session.scalar(select(StandardLine.id).where(StandardLine.office_id != office.id))
    assert ada.post(f"/settings/lines/{line_id}/retire", {}).status_code == 302  # twice: said, nothing changes
    assert ada.post("/settings/lines/999999", {"line-999999-text": "x"}).status_code == 404
    assert kent_line is None or ada.post(f"/settings/lines/{kent_line}/retire", {}).status_code == 404


def test_role_holders_are_corrected_and_ended(app: Any, office_data: Offices) -> None:
    ada = _browser(app)
    with office_data.store.reading() as session:
        dick = session.scalar(select(RoleHolder.id).where(RoleHolder.name == "Cressida Dick"))
        shipped = session.scalar(select(RoleHolder.id).where(RoleHolder.office_id.is_(None)))
    roles_page = ada.get("/roles")
    assert f"/roles/{dick}" in roles_page.text and f'/roles/{shipped}"' not in roles_page.text
    form = ada.get(f"/roles/{dick}")
    assert form.status_code == 200 and 'value="10 April 2017"' in form.text
    overlap = ada.post(f"/roles/{dick}", {"name": "Cressida Dick", "title": "Commissioner", "starts": "10 April 2017",
                                          "ends": "1 May 2022", "salutation": "Dear Cressida", "address": "New Scotland Yard"})
    assert overlap.status_code == 422 and "overlaps" in text_of(overlap) and 'value="1 May 2022"' in overlap.text
    _no_column_names(overlap)
    backwards = ada.post(f"/roles/{dick}", {"name": "Cressida Dick", "starts": "10 April 2017", "ends": "1 April 2017"})
    assert backwards.status_code == 422 and 'href="#ends"' in backwards.text and "First day in the role" in text_of(backwards)
    done = ada.post(f"/roles/{dick}", {"name": "Dame Cressida Dick", "title": "Commissioner of Police of the Metropolis",
                                       "starts": "10 April 2017", "ends": "9 April 2022", "salutation": "Dear Dame Cressida",
                                       "address": "New Scotland Yard\nLondon"})
    assert done.status_code == 302
    with office_data.store.reading() as session:
        holder = session.get(RoleHolder, dick)
        assert (holder.name, holder.title, holder.salutation) == ("Dame Cressida Dick", "Commissioner of Police of the Metropolis",
                                                                 "Dear Dame Cressida")
    assert ada.get(f"/roles/{shipped}").status_code == 404  # shipped with the tool: not the office's to change
    assert _browser(app, "vera").get(f"/roles/{dick}").status_code == 403
    kim = _browser(app, "kim")
    assert kim.get(f"/roles/{dick}").status_code == 404  # another office's record
    # ending a term: a new holder, then their last day
    assert ada.post("/roles", {"role": "Chief Constable", "name": "Jo Bloggs", "title": "Acting Chief Constable",
                               "starts": "1 January 2026"}).status_code == 302
    with office_data.store.reading() as session:
        bloggs = session.scalar(select(RoleHolder).where(RoleHolder.name == "Jo Bloggs"))
        assert bloggs.title == "Acting Chief Constable"
    early = ada.post(f"/roles/{bloggs.id}/end", {"end-ends": "1 December 2025"})
    assert early.status_code == 422 and 'href="#end-ends"' in early.text
    assert ada.post(f"/roles/{bloggs.id}/end", {"end-ends": "30 June 2026"}).status_code == 302
    with office_data.store.reading() as session:
        assert session.get(RoleHolder, bloggs.id).ends_on == dt.date(2026, 6, 30)
    changes = text_of(ada.get("/settings"))
    assert "Ended the term of Jo Bloggs as Chief Constable on 30 June 2026" in changes and "Added Jo Bloggs as Chief Constable" in changes


# --- mail -------------------------------------------------------------------------------------------


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("refused@"):
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[int, Inbox]]:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_a_test_email_goes_to_the_admin_through_the_saved_settings(app: Any, office_data: Offices, smtp: tuple[int, Inbox]) -> None:
    port, inbox = smtp
    ada = _browser(app)
    assert "Send a test e-mail" not in text_of(ada.get("/settings"))  # nothing saved to test yet
    saved = ada.post("/settings/mail", {"mail-host": "127.0.0.1", "mail-port": str(port), "mail-security": "none",
                                        "mail-sender": "correspondence@mopac.example.org"})
    assert saved.status_code == 302
    sent = ada.post("/settings/mail/test", {})
    assert sent.status_code == 302
    assert "A test e-mail was sent to ada@mopac.example.org" in text_of(ada.get("/settings"))
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == "ada@mopac.example.org"
    assert "test" in inbox.messages[0]["Subject"]
    with office_data.store.transaction() as session:  # a server that refuses the address: its words, plainly
        from correspondence.records.models import User

        session.scalar(select(User).where(User.name == "ada")).email = "refused@mopac.example.org"
    refused = ada.post("/settings/mail/test", {})
    assert refused.status_code == 422
    assert "the server refused to deliver to refused@mopac.example.org: 550 No such mailbox here" in text_of(refused)


def test_a_mail_server_that_does_not_answer_is_said_plainly(app: Any, office_data: Offices) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    ada = _browser(app)
    ada.post("/settings/mail", {"mail-host": "127.0.0.1", "mail-port": str(closed), "mail-security": "none",
                                "mail-sender": "correspondence@mopac.example.org"})
    refused = ada.post("/settings/mail/test", {})
    assert refused.status_code == 422
    assert "nothing answered on that port (check the server's name and port)" in text_of(refused)
    assert "Errno" not in text_of(refused)


# --- the changes list's cost -------------------------------------------------------------------------


def test_the_settings_page_makes_the_same_statements_however_many_changes(app: Any, office_data: Offices) -> None:
    ada = _browser(app)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(office_data.store.engine, "before_cursor_execute", count)
        try:
            assert ada.get("/settings").status_code == 200
        finally:
            event.remove(office_data.store.engine, "before_cursor_execute", count)
        return len(statements)

    ada.post("/settings/reply-by", {"reply-reply_by_days": "20"})
    few = queries()
    for days in range(22, 50):
        ada.post("/settings/reply-by", {"reply-reply_by_days": str(days)})
    ada.post("/settings/lines", {"line-name": "more", "line-text": "More words."})
    ada.post("/roles", {"role": "Chief Constable", "name": "Jo Bloggs", "starts": "1 January 2026"})
    many = queries()
    assert few == many
    assert text_of(ada.get("/settings")).count("Ada Example") >= 20  # the list holds the latest 20, by full name


# --- the CLI's same commands ---------------------------------------------------------------------------


def test_the_cli_retires_lines_corrects_and_ends_role_holders_and_sets_a_chief_officers_title(example_cli: Cli) -> None:
    cli = example_cli
    assert "Acting Commissioner" in cli.ok("force", "set", "Metropolitan Police Service", "--chief-title", "Acting Commissioner").stdout
    assert cli.json("force", "set", "Metropolitan Police Service", "--chief-title", "")["chief_officer_title"] == "Commissioner"
    assert_clean_error(cli("force", "set", "Nowhere Police", "--chief-title", "Chief"), "no force named")
    assert "retired standard line [[victims-first]]" in cli.ok("line", "retire", "victims-first", "--office", "MOPAC").stdout
    assert_clean_error(cli("line", "retire", "victims-first", "--office", "MOPAC"), "already retired on")
    assert [line["name"] for line in cli.json("line", "list", "--office", "MOPAC")] == ["hold-to-account"]
    assert_clean_error(cli("line", "set", "victims-first", "--office", "MOPAC", "--text", "New words."), "was retired on")
    cli.ok("role", "add", "Chief Constable", "Jo Bloggs", "--from", "1/1/2026", "--office", "MOPAC")
    changed = cli.json("role", "set", "Chief Constable", "Jo Bloggs", "--office", "MOPAC", "--title", "Acting Chief Constable",
                       "--salutation", "Dear Jo")
    assert changed["title"] == "Acting Chief Constable" and changed["salutation"] == "Dear Jo"
    assert_clean_error(cli("role", "end", "Chief Constable", "Jo Bloggs", "--office", "MOPAC", "--until", "1/12/2025"),
                       "--until: 1 December 2025 is before")
    assert "ended on 30 June 2026" in cli.ok("role", "end", "Chief Constable", "Jo Bloggs", "--office", "MOPAC", "--until", "30/6/2026").stdout
    assert_clean_error(cli("role", "end", "Chief Constable", "Jo Bloggs", "--office", "MOPAC", "--until", "1/7/2026"), "already ended")
    assert_clean_error(cli("role", "set", "Chief Constable", "Nobody", "--office", "MOPAC", "--title", "X"), "no record of Nobody")
    assert_clean_error(cli("office", "set", "MOPAC", "--next-number", "2188"), "--next-number: 2188 would give MOPAC06092018-D2188 again")
