"""First setup in the browser (issue 24): `corr serve` on an empty store prints a one-time link; the
page it opens creates the office, its force and its first admin in one go, logs the admin in, and
works once. Through the library, Flask's test client, and a real `corr serve`."""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from correspondence.organisation import setup as first_setup
from correspondence.records.models import Event, Force, Office, SetupLink, User
from correspondence.records.store import open_store
from correspondence.records.vocabulary import UserRole
from tests.conftest import Cli
from tests.web_support import csrf_token, text_of

NOW = dt.datetime(2026, 12, 7, 14, 5, tzinfo=dt.UTC)
PASSWORD = "a long enough password"


def _details(**changes: str) -> first_setup.SetupDetails:
    values = {"office_name": "Mayor's Office for Policing and Crime", "short_name": "MOPAC", "force": "Metropolitan Police Service",
              "admin_name": "Ada Lovelace", "login": "ada", "password": PASSWORD, "email": "ada@mopac.example.org",
              "signatory_name": "Sophie Linden", "signatory_title": "Deputy Mayor for Policing and Crime",
              "address": "169 Union Street\nLondon\nSE1 0LL", "reference_scheme": "MOPAC{date:%d%m%Y}-D{seq}"}
    return first_setup.SetupDetails(**{**values, **changes})


@pytest.fixture
def empty_store(cli: Cli) -> Any:
    """A store 'corr init' made: migrated, with no office."""
    store = open_store(cli.db_url)
    yield store
    store.dispose()


def test_the_link_sets_up_office_force_and_admin_once(empty_store: Any) -> None:
    with empty_store.transaction() as session:
        token = first_setup.create_link(session, NOW)
    assert token and len(token) >= 40
    with empty_store.reading() as session:
        assert session.scalar(select(SetupLink.token_sha256)) == first_setup.token_hash(token)  # only its hash is kept
        assert first_setup.link_state(session, token) == first_setup.OPEN
        assert first_setup.link_state(session, token + "x") == first_setup.UNKNOWN
    with empty_store.transaction() as session:
        admin = first_setup.set_up_office(session, token, _details(), NOW)
        assert admin.role is UserRole.ADMIN and admin.office.short_name == "MOPAC" and admin.password_hash
    with empty_store.reading() as session:
        office = session.scalar(select(Office))
        assert office.force.name == "Metropolitan Police Service"
        assert office.force.chief_officer_title == "Commissioner"  # the Met's chief officer, not a Chief Constable
        assert office.require_approval is True
        assert office.address == "169 Union Street\nLondon\nSE1 0LL"
        assert first_setup.link_state(session, token) == first_setup.USED
        assert first_setup.link_state(session, "another") == first_setup.CLOSED
        assert session.scalar(select(Event.actor).where(Event.entity == "offices")) == "ada"  # the log says who set it up
    with empty_store.transaction() as session:
        assert first_setup.create_link(session, NOW) is None  # an office exists: no more links
    with pytest.raises(first_setup.LinkNotUsable), empty_store.transaction() as session:
        first_setup.set_up_office(session, token, _details(short_name="OTHER", login="bob"), NOW)


def test_every_problem_is_refused_at_once_and_the_link_still_works(empty_store: Any) -> None:
    with empty_store.transaction() as session:
        token = first_setup.create_link(session, NOW)
    with pytest.raises(first_setup.SetupRefused) as refused, empty_store.transaction() as session:
        first_setup.set_up_office(session, token, _details(office_name=" ", short_name="two words", reference_scheme="REF/{yy}",
                                                           login="Not Valid!", password="short"), NOW)
    fields = [problem.field for problem in refused.value.problems]
    assert fields == ["office_name", "short_name", "reference_scheme", "login", "password"]
    with empty_store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Office)) == 0
        assert first_setup.link_state(session, token) == first_setup.OPEN
    with empty_store.transaction() as session:  # a force named as Kent Police: its chief officer is a Chief Constable unless typed
        first_setup.set_up_office(session, token, _details(force="Kent Police", chief_officer_title=""), NOW)
    with empty_store.reading() as session:
        assert session.scalar(select(Force.chief_officer_title).where(Force.name == "Kent Police")) == "Chief Constable"


# --- the page ------------------------------------------------------------------------------------


def _app(store: Any) -> Any:
    from correspondence.web import create_app

    application = create_app(store)
    application.testing = True
    return application


FORM = {"office_name": "Office of the Police and Crime Commissioner for Kent", "short_name": "KENT", "signatory_name": "Matthew Scott",
        "signatory_title": "Police and Crime Commissioner", "address": "Sessions House\nMaidstone", "reference_scheme": "OPCC/{seq}/{yy}",
        "force": "Kent Police", "chief_officer_title": "", "admin_name": "Ada Lovelace", "login": "ada",
        "email": "ada@kent.example.org", "password": PASSWORD, "password_again": PASSWORD}


def test_the_setup_page_sets_up_the_office_and_logs_the_admin_in(empty_store: Any) -> None:
    with empty_store.transaction() as session:
        token = first_setup.create_link(session, NOW)
    client = _app(empty_store).test_client()
    page = client.get(f"/setup/{token}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Set up the office" in text and "Metropolitan Police Service" in text and "Kent Police" in text  # the forces to choose from
    assert "{seq}" in text  # the reference scheme's hint
    form = {**FORM, "csrf_token": csrf_token(page.text)}

    # every error at once, each linked to its field, what was typed kept (but not the passwords)
    wrong = client.post(f"/setup/{token}", data={**form, "office_name": "", "short_name": "two words", "force": "",
                                                 "password_again": "something else"})
    assert wrong.status_code == 422
    for field_id in ("office_name", "short_name", "force", "password_again"):
        assert f'href="#{field_id}"' in wrong.text
    assert "The two passwords are not the same" in wrong.text
    assert 'value="Matthew Scott"' in wrong.text and 'value="ada@kent.example.org"' in wrong.text
    refused = client.post(f"/setup/{token}", data={**form, "short_name": "two words", "reference_scheme": "OPCC/{yy}"})
    assert refused.status_code == 422
    assert 'href="#short_name"' in refused.text and 'href="#reference_scheme"' in refused.text
    assert "reference_scheme" not in text_of(refused) and "short_name" not in text_of(refused)  # no library field names
    with empty_store.reading() as session:
        assert first_setup.link_state(session, token) == first_setup.OPEN

    done = client.post(f"/setup/{token}", data=form)
    assert done.status_code == 302 and done.headers["Location"].endswith("/")
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert "is set up, and you are logged in as its admin" in text_of(dashboard)
    assert "Ada Lovelace" in text_of(dashboard)
    with empty_store.reading() as session:
        user = session.scalar(select(User).where(User.name == "ada"))
        assert user.role is UserRole.ADMIN and user.office.force.chief_officer_title == "Chief Constable"
        assert user.office.reference_scheme == "OPCC/{seq}/{yy}"

    again = _app(empty_store).test_client()  # the link a second time, in another browser
    used = again.get(f"/setup/{token}")
    assert used.status_code == 404 and "This setup link has been used" in text_of(used)
    assert "start it again" in text_of(used) and "corr " not in text_of(used)
    assert again.get("/setup/not-a-token").status_code == 404  # the store has an office: every other link is not found


def test_a_wrong_link_says_so_and_a_post_needs_its_csrf_token(empty_store: Any) -> None:
    with empty_store.transaction() as session:
        token = first_setup.create_link(session, NOW)
    client = _app(empty_store).test_client()
    wrong = client.get("/setup/made-up")
    assert wrong.status_code == 404 and "This setup link is not valid" in text_of(wrong)
    forged = client.post(f"/setup/{token}", data=FORM)  # no CSRF token
    assert forged.status_code in (400, 403)
    with empty_store.reading() as session:
        assert session.scalar(select(func.count()).select_from(Office)) == 0


# --- corr serve ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_corr_serve_on_an_empty_store_prints_a_link_that_opens_the_setup_page(cli: Cli, tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-c", "from correspondence.cli import app; app(prog_name='corr')",
                                   "serve", "--db", cli.db_url, "--port", str(port)],
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        link = None
        for _ in range(300):
            found = re.search(r"http://127\.0\.0\.1:\d+/setup/\S+", log.read_text())
            if found and "serving" in log.read_text():
                link = found.group(0)
                break
            assert server.poll() is None, log.read_text()
            time.sleep(0.1)
        assert link, log.read_text()
        assert "No office is set up yet" in log.read_text() and "nobody can log in" not in log.read_text()
        for _ in range(50):
            try:
                with urllib.request.urlopen(link, timeout=5) as page:
                    assert page.status == 200 and "Set up the office" in page.read().decode()
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_corr_serve_prints_no_link_once_there_is_an_office(example_cli: Cli) -> None:
    from correspondence.cli.serve import setup_banner

    empty = open_store(example_cli.db_url)
    try:
        assert setup_banner(empty, "0.0.0.0", 8055) is None
    finally:
        empty.dispose()
