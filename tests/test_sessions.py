"""Sessions kept in the store (issue 22): a cookie carries only a key, and ending the session's row
ends it on every server process at once.

Most tests run against two real `corr serve` processes on one store (SQLite file and PostgreSQL),
started without CORR_SECRET_KEY (tests/server_processes.py): a browser logged in on one is logged in
on the other, a form from one is accepted by the other, and logging out, a password change, a
disabled user or "sign out everywhere" on one ends the session on both.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import event, select, update

from correspondence.cli import app as cli_app
from correspondence.organisation.sessions import signing_key
from correspondence.organisation.users import add_user
from correspondence.records.models import SessionEnd, StoreSetting, User, WebSession
from correspondence.records.store import Store
from correspondence.records.vocabulary import UserRole
from tests.conftest import Cli
from tests.server_processes import Servers, form_token, two_servers
from tests.web_support import PASSWORD, Browserless, quick_hash, text_of

EDGE_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0"
FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"
EXTRA_USERS = {"pat": UserRole.VIEWER, "lee": UserRole.DRAFTER}  # beside web_support's: one user per test, in any order


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, _stores: Any) -> Iterator[Servers]:
    with two_servers(request.param, tmp_path_factory.mktemp("sessions"), _stores) as pair:
        with pair.offices.store.transaction() as session:
            for name, role in EXTRA_USERS.items():
                user = add_user(session, name, office="MOPAC", role=role, full_name=f"{name.title()} Example")
                user.password_hash = quick_hash()
        pair.offices.store.dispose()
        yield pair


class Browser:
    """One browser: its own cookies (kept per host, as a browser keeps them, so both servers on
    127.0.0.1 see the same ones) and its own User-Agent."""

    def __init__(self, agent: str = EDGE_ON_WINDOWS) -> None:
        self.http = requests.Session()
        self.http.headers["User-Agent"] = agent

    def get(self, base: str, path: str) -> requests.Response:
        return self.http.get(base + path, allow_redirects=False, timeout=30)

    def post(self, base: str, path: str, data: dict[str, str], *, token_from: str | None = None) -> requests.Response:
        """Post a form with the token of the page at ``token_from`` (a page of the other server, if given)."""
        page = self.get(token_from or base, "/account" if self.logged_in_somewhere() else "/login")
        return self.http.post(base + path, data={"csrf_token": form_token(page.text), **data}, allow_redirects=False, timeout=30)

    def login(self, base: str, name: str, password: str = PASSWORD) -> requests.Response:
        page = self.get(base, "/login")
        answer = self.http.post(base + "/login", data={"csrf_token": form_token(page.text), "name": name, "password": password},
                                allow_redirects=False, timeout=30)
        assert answer.status_code == 302, text_of(answer)
        return answer

    def logged_in_somewhere(self) -> bool:
        key = self.http.cookies.get("corr_session") or ""
        return bool(key) and not key.startswith("a.")

    def cookies(self) -> dict[str, str]:
        return dict(self.http.cookies)


def opens(cookies: dict[str, str], base: str, path: str) -> bool:
    """Whether these cookies, sent again as saved, open the page (rather than the login page)."""
    answer = requests.get(base + path, cookies=cookies, allow_redirects=False, timeout=30)
    if answer.status_code == 302:
        assert "/login" in answer.headers["Location"]
        return False
    assert answer.status_code == 200, answer.status_code
    return True


def sessions_of(servers: Servers, name: str) -> list[tuple[Any, Any]]:
    store = Store(servers.db_url)
    try:
        with store.reading() as session:
            return [(row.ended_at, row.ended_why) for row in session.execute(
                select(WebSession.ended_at, WebSession.ended_why).join(User, User.id == WebSession.user_id)
                .where(User.name == name).order_by(WebSession.id))]
    finally:
        store.dispose()


def test_a_cookie_saved_before_logout_opens_nothing_after_it_on_either_server(servers: Servers) -> None:
    first, second = servers.bases
    dan = Browser()
    dan.login(first, "dan")
    saved = dan.cookies()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", saved["corr_session"])  # a random key: no user, no times, nothing signed
    for base in (first, second):  # one session, whichever process answers
        for path in ("/", "/letters"):
            assert opens(saved, base, path), (base, path)
    logged_out = dan.post(second, "/logout", {}, token_from=first)  # a form from one process, accepted by the other
    assert logged_out.status_code == 302 and logged_out.headers["Location"].endswith("/login")
    assert "You have logged out." in text_of(dan.get(second, "/login"))
    for base in (first, second):
        for path in ("/", "/letters"):
            assert not opens(saved, base, path), (base, path)
    assert [why for _, why in sessions_of(servers, "dan")] == [SessionEnd.LOGGED_OUT]


def test_a_password_change_ends_the_users_other_sessions_on_both_servers(servers: Servers) -> None:
    first, second = servers.bases
    here, elsewhere = Browser(), Browser(FIREFOX_ON_LINUX)
    here.login(first, "vera")
    elsewhere.login(second, "vera")
    kept = elsewhere.cookies()
    changed = here.post(first, "/account", {"password-current": PASSWORD, "password-new": "a brand new password",
                                            "password-confirm": "a brand new password"})
    assert changed.status_code == 302
    for base in (first, second):
        assert not opens(kept, base, "/")
        assert opens(here.cookies(), base, "/")  # the session that changed it carries on, under a new key
    assert "Other sessions you had are logged out" in text_of(here.get(first, "/account"))
    assert [why for _, why in sessions_of(servers, "vera")] == [SessionEnd.PASSWORD_CHANGED] * 2 + [None]


def test_a_disabled_user_is_logged_out_on_both_servers(servers: Servers) -> None:
    first, second = servers.bases
    april, ada = Browser(), Browser()
    april.login(second, "april")
    ada.login(first, "ada")
    assert opens(april.cookies(), first, "/")
    disabled = ada.post(first, f"/users/{servers.offices.users['april']}", {"role": "approver"})  # "Enabled" unticked
    assert disabled.status_code == 302
    for base in (first, second):
        assert not opens(april.cookies(), base, "/")
    assert [why for _, why in sessions_of(servers, "april")] == [SessionEnd.DISABLED]


def test_an_admin_signs_a_user_out_everywhere(servers: Servers) -> None:
    first, second = servers.bases
    lee_here, lee_there, ada = Browser(), Browser(FIREFOX_ON_LINUX), Browser()
    lee_here.login(first, "lee")
    lee_there.login(second, "lee")
    ada.login(second, "ada")
    users = text_of(ada.get(first, "/users"))
    assert re.search(r"Lee Example Logs in as lee Drafter, logged in \(2 sessions\)", users)
    lee_id = _user_id(servers, "lee")
    answer = ada.post(first, f"/users/{lee_id}/sign-out", {})
    assert answer.status_code == 302
    assert "Lee Example is signed out everywhere (2 sessions ended)." in text_of(ada.get(second, "/users"))
    for browser in (lee_here, lee_there):
        for base in (first, second):
            assert not opens(browser.cookies(), base, "/")
    assert opens(ada.cookies(), first, "/users")  # the admin's own session carries on
    assert [why for _, why in sessions_of(servers, "lee")] == [SessionEnd.SIGNED_OUT_EVERYWHERE] * 2
    assert lee_here.login(second, "lee").status_code == 302  # and lee can log in again


def test_the_account_page_lists_the_users_sessions_and_signs_out_the_others(servers: Servers) -> None:
    first, second = servers.bases
    desk, laptop = Browser(EDGE_ON_WINDOWS), Browser(FIREFOX_ON_LINUX)
    desk.login(first, "pat")
    laptop.login(second, "pat")
    page = text_of(desk.get(second, "/account"))
    assert "Where you are logged in" in page
    assert re.search(r"Edge on Windows \(this session\) Mozilla/5\.0 \(Windows NT 10\.0.*? \d{1,2} \w+ 20\d\d at \d\d:\d\d Now 127\.0\.0\.1", page)
    assert re.search(r"Firefox on Linux Mozilla/5\.0 \(X11; Linux x86_64.*? \d{1,2} \w+ 20\d\d at \d\d:\d\d \d{1,2} \w+ 20\d\d at \d\d:\d\d 127\.0\.0\.1", page)
    assert page.count("(this session)") == 1
    answer = desk.post(first, "/account/sessions", {"sessions-csrf_token": form_token(desk.get(first, "/account").text)})
    assert answer.status_code == 302
    after = text_of(desk.get(second, "/account"))
    assert "Signed out of 1 other session." in after and "Firefox on Linux" not in after
    assert "Sign out of your other sessions" not in after  # nothing left to sign out of
    for base in (first, second):
        assert not opens(laptop.cookies(), base, "/")
        assert opens(desk.cookies(), base, "/")


def test_both_servers_share_one_signing_key_made_in_the_store(servers: Servers) -> None:
    store = Store(servers.db_url)
    try:
        with store.reading() as session:
            keys = list(session.scalars(select(StoreSetting.value)))
    finally:
        store.dispose()
    assert len(keys) == 1 and len(keys[0]) == 64  # made once, by whichever server started first
    first, second = servers.bases
    visitor = Browser()
    token = form_token(visitor.get(first, "/login").text)  # the login form of one process...
    answer = visitor.http.post(second + "/login", data={"csrf_token": token, "name": "kim", "password": PASSWORD},
                               allow_redirects=False, timeout=30)
    assert answer.status_code == 302  # ...is accepted by the other


def _user_id(servers: Servers, name: str) -> int:
    store = Store(servers.db_url)
    try:
        with store.reading() as session:
            return session.scalar(select(User.id).where(User.name == name))
    finally:
        store.dispose()


# --- in one process: the key made once under concurrency, and last-seen written once a minute ---


def test_the_signing_key_is_made_once_when_several_processes_start_together(cli: Any) -> None:
    stores = [Store(cli.db_url) for _ in range(6)]
    start = threading.Barrier(len(stores))
    made: list[str] = []

    def make(store: Store) -> None:
        start.wait()
        with store.transaction() as session:
            made.append(signing_key(session))

    threads = [threading.Thread(target=make, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.dispose()
    assert len(made) == len(stores) and len(set(made)) == 1


def test_last_seen_is_written_at_most_once_a_minute(app: Any, office_data: Any) -> None:
    dan = Browserless(app)
    assert dan.login("dan").status_code == 302
    written: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE WEB_SESSIONS"):
            written.append(statement)

    event.listen(office_data.store.engine, "before_cursor_execute", count)
    try:
        for _ in range(5):
            assert dan.get("/").status_code == 200
        assert written == []  # seen a moment ago: nothing to write
        with office_data.store.transaction() as session:
            session.execute(update(WebSession).values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)))
        written.clear()
        for _ in range(3):
            assert dan.get("/").status_code == 200
        assert len(written) == 1  # once, then it is fresh again
    finally:
        event.remove(office_data.store.engine, "before_cursor_execute", count)


def test_a_cookie_that_opens_no_session_is_a_visitor_not_logged_in(app: Any) -> None:
    for key in ("A" * 43, "a." + "A" * 43, "1:abcdef", "x" * 400):
        client = app.test_client()
        client.set_cookie("corr_session", key)
        answer = client.get("/", follow_redirects=False)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")



def test_the_command_line_ends_the_web_sessions_of_a_user_it_disables_signs_out_or_gives_a_password(app: Any, office_data: Any) -> None:
    cli = Cli(office_data.store.url)
    for command, name, said in ((["user", "disable", "vera"], "vera", "vera: disabled"),
                                (["user", "sign-out", "dan"], "dan", "dan: signed out everywhere (1 session ended)")):
        browser = Browserless(app)
        assert browser.login(name).status_code == 302 and browser.get("/").status_code == 200
        assert said in cli.ok(*command).stdout
        assert browser.get("/").status_code == 302, command
    april = Browserless(app)
    april.login("april")
    result = cli.runner.invoke(cli_app, ["user", "set", "april", "--password-stdin", "--db", office_data.store.url],
                               input="a brand new password\n")
    assert result.exit_code == 0, result.output
    assert april.get("/").status_code == 302
