"""Two real `corr serve` processes on one store, for the tests of what several processes must
agree on: sessions (tests/test_sessions.py) and the login lockout (tests/test_lockout_parallel.py).

Each test module starts one pair per kind of database (a module-scoped fixture), on a copy of the
session's migrated store holding tests/web_support.py's two offices. The servers are started
*without* CORR_SECRET_KEY, so they agree on the signing key only through the store. Each counts the
passwords it checks in a file (a line per check, naming the user, or "unknown" for a name nobody
has), so a test can say how many were checked across both processes.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PG_VARIABLE, _pg_base_url
from tests.web_support import Offices, build_offices

# `corr serve` as an office runs it, with each password check counted (appended to a file in one
# write, so two processes' lines never mix).
SERVE_COUNTING_CHECKS = """
import os, sys
from correspondence.organisation import logins

def counted(function, who):
    def check(*args, **kwargs):
        line = (who(*args) + "\\n").encode()
        handle = os.open(sys.argv[3], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(handle, line)
        finally:
            os.close(handle)
        return function(*args, **kwargs)
    return check

logins.check_password = counted(logins.check_password, lambda user, *_: user.name)
logins._spend_hashing_time = counted(logins._spend_hashing_time, lambda *_: "unknown")
from correspondence.cli import app
app(["serve", "--db", sys.argv[1], "--port", sys.argv[2], "--threads", "8"], prog_name="corr")
"""


@dataclass
class Servers:
    """Two server processes on one store: their addresses, the store's records, and the checks counted."""

    db_url: str
    bases: list[str]  # http://127.0.0.1:PORT of each
    offices: Offices
    checks_file: Path

    def checks(self, name: str | None = None) -> int:
        """Passwords checked so far by both processes (for ``name`` only, if given)."""
        if not self.checks_file.exists():
            return 0
        lines = self.checks_file.read_text().split()
        return len(lines) if name is None else lines.count(name)


@contextmanager
def two_servers(kind: str, folder: Path, stores: object) -> Iterator[Servers]:
    """Both servers on a copy of the migrated store (``stores``: conftest's _SessionStores)."""
    if kind == "sqlite":
        path = folder / "corr.db"
        stores.copy_sqlite(path)  # type: ignore[attr-defined]
        with _serving(f"sqlite:///{path}", folder) as servers:
            yield servers
        return
    if not _pg_base_url():
        pytest.skip(f"{PG_VARIABLE} is not set, so the PostgreSQL run is skipped")
    with stores.postgresql(migrated=True) as url, _serving(url, folder) as servers:  # type: ignore[attr-defined]
        yield servers


@contextmanager
def _serving(db_url: str, folder: Path) -> Iterator[Servers]:
    offices = build_offices(db_url, folder / "letters")
    offices.store.dispose()
    checks = folder / "checks.txt"
    environment = {name: value for name, value in os.environ.items() if name != "CORR_SECRET_KEY"}
    started: list[tuple[subprocess.Popen, int, Path]] = []
    try:
        for number in range(2):
            port = _free_port()
            log = folder / f"serve-{number}.log"
            process = subprocess.Popen([sys.executable, "-c", SERVE_COUNTING_CHECKS, db_url, str(port), str(checks)],
                                       stdout=log.open("w"), stderr=subprocess.STDOUT, env=environment, cwd=folder)
            started.append((process, port, log))
        for process, port, log in started:
            _wait_for(process, port, log)
        yield Servers(db_url, [f"http://127.0.0.1:{port}" for _, port, _ in started], offices, checks)
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"corr serve stopped: {log.read_text()}") from None
            time.sleep(0.05)
    raise AssertionError(f"corr serve did not start: {log.read_text()}")


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'name="[a-z]+-csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)
