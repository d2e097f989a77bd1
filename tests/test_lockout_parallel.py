"""The login lockout under parallel guesses (issue 22): forty wrong passwords sent at once, with
real threads, to two real server processes on one store (SQLite file and PostgreSQL) check at most
five passwords for the name, and at most twenty for one address.

Before, the count and the record of a failure were two steps: 18 of 40 were checked over two
processes, 10 in one process with 8 threads. Each server counts the passwords it checks
(tests/server_processes.py); the answers say the same from outside: only a checked password is
answered "The user name or password is not right.".

Every guess comes from its own loopback address per test (127.0.0.2, 127.0.0.3, ...), so each test
meets only its own failures, whatever ran before it.
"""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from correspondence.organisation.logins import MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_NAME, WRONG
from tests.server_processes import Servers, form_token, two_servers
from tests.web_support import PASSWORD

GUESSES = 40
LOCKED = "Too many failed attempts. Try again in 15 minutes."


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def servers(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, _stores: Any) -> Iterator[Servers]:
    with two_servers(request.param, tmp_path_factory.mktemp("lockout"), _stores) as pair:
        yield pair


class Guess:
    """One login form, fetched from one server, to be posted to the other when everyone is ready."""

    def __init__(self, get_from: str, post_to: str, source: str) -> None:
        self.post_to, self.source = post_to, source
        status, headers, body = _request(get_from, "GET", "/login", source=source)
        assert status == 200
        self.cookie = re.search(r"corr_session=([^;]+)", headers["Set-Cookie"]).group(1)
        self.token = form_token(body)
        self.answer: tuple[int, str] | None = None

    def post(self, name: str, password: str) -> None:
        form = urlencode({"csrf_token": self.token, "name": name, "password": password})
        status, _, body = _request(self.post_to, "POST", "/login", source=self.source, body=form,
                                   headers={"Cookie": f"corr_session={self.cookie}",
                                            "Content-Type": "application/x-www-form-urlencoded"})
        self.answer = (status, body)


def _request(base: str, method: str, path: str, *, source: str, body: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def guess_together(servers: Servers, names: list[str], password: str, source: str) -> list[tuple[int, str]]:
    """Each name guessed once, all at the same moment, from ``source``: half the forms come from one
    server and are posted to the other, half the other way round, one thread per guess."""
    first, second = servers.bases
    guesses = [Guess(first, second, source) if number % 2 else Guess(second, first, source) for number in range(len(names))]
    ready = threading.Barrier(len(guesses))

    def send(guess: Guess, name: str) -> None:
        ready.wait()
        guess.post(name, password)

    threads = [threading.Thread(target=send, args=(guess, name)) for guess, name in zip(guesses, names)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [guess.answer for guess in guesses]


def test_forty_wrong_passwords_at_once_over_two_servers_check_at_most_five(servers: Servers) -> None:
    answers = guess_together(servers, ["dan"] * GUESSES, "not the password", "127.0.0.2")
    assert all(status == 401 for status, _ in answers), [status for status, _ in answers]
    checked = sum(WRONG in body for _, body in answers)
    locked = sum(LOCKED in body for _, body in answers)
    assert checked + locked == GUESSES
    assert 1 <= checked <= MAX_FAILURES_PER_NAME == 5, checked
    assert servers.checks("dan") == checked  # the servers checked exactly the passwords they answered "not right"
    # the right password now waits too, from anywhere: the name is locked, not the address
    late = Guess(servers.bases[0], servers.bases[1], "127.0.0.4")
    late.post("dan", PASSWORD)
    assert late.answer[0] == 401 and LOCKED in late.answer[1]
    assert servers.checks("dan") == checked


def test_forty_names_guessed_at_once_from_one_address_check_at_most_twenty(servers: Servers) -> None:
    before = servers.checks()
    names = [f"nobody{number}" for number in range(GUESSES)]
    answers = guess_together(servers, names, "not the password", "127.0.0.3")
    checked = sum(WRONG in body for _, body in answers)
    assert all(status == 401 for status, _ in answers)
    assert sum(LOCKED in body for _, body in answers) == GUESSES - checked
    assert 1 <= checked <= MAX_FAILURES_PER_ADDRESS == 20, checked
    assert servers.checks() - before == checked
    elsewhere = Guess(servers.bases[1], servers.bases[0], "127.0.0.5")  # another address is not locked out
    elsewhere.post("vera", PASSWORD)
    assert elsewhere.answer[0] == 302
