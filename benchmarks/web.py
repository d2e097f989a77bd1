"""The web workspace under load: N concurrent clients on loopback against `corr serve`.

    python benchmarks/web.py --postgresql postgresql://postgres@127.0.0.1:5432/test [--clients 8] [--requests 40]
    python benchmarks/web.py                      # SQLite only

The store is benchmarks/register.py's: 100,000 letters with a paragraph of text each, 2,000
inspections with 20,000 findings; here every letter belongs to the one office the clients log in
to, so its register really holds 100,000 letters. Each client logs in (its own session), then
requests each page in turn, keeping its connection open as a browser does. For each page the
table gives requests per second over all clients and the median and 95th-percentile latency.
The floors, measured in the same run: a static file from the same server (the server's own cost
per request), and the register search's own SQL query run directly (the database's cost).
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "benchmark password"
PAGES = {
    "static file (floor)": "/static/app.css",
    "dashboard": "/",
    "register search, rare word": "/letters?q=quinquennial",
    "register search, common word": "/letters?q=safeguarding",
    "register, letters out in 2019": "/letters?direction=out&from=1/1/2019&to=31/12/2019",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", help="a PostgreSQL URL to measure")
    parser.add_argument("--sqlite", action="store_true", help="measure SQLite too (the default when no --postgresql)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--requests", type=int, default=40, help="requests per client per page (default 40)")
    args = parser.parse_args()
    register = _register_module()
    with tempfile.TemporaryDirectory(prefix="corr-web-bench-") as scratch:
        work = Path(scratch)
        if args.sqlite or not args.postgresql:
            _report("SQLite", _measure(f"sqlite:///{work / 'web.db'}", work, register, args))
        if args.postgresql:
            _report("PostgreSQL", _on_postgresql(args.postgresql, work, register, args))
    return 0


def _on_postgresql(base: str, work: Path, register, args) -> dict:
    from sqlalchemy import create_engine, text

    from correspondence.records.store import resolve_url

    url = resolve_url(base)
    schema = f"webbench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        return _measure(f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", work, register, args)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _measure(url: str, work: Path, register, args) -> dict:
    print(f"loading {register.LETTERS:,} letters ...", file=sys.stderr)
    register._load(url, one_office=True)
    sql_floor = _one_office_and_a_user(url)
    process, base = _serve(url, work)
    try:
        results = {name: _load_test(base, path, args.clients, args.requests) for name, path in PAGES.items()}
    except SystemExit:
        print((work / "serve.log").read_text()[-5000:], file=sys.stderr)  # what the server said went wrong
        raise
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"pages": results, "sql_floor": sql_floor, "clients": args.clients, "requests": args.requests}


def _one_office_and_a_user(url: str) -> float:
    """Add the benchmark's user to office 1 (which has every letter), and time the search's own query."""
    from correspondence.organisation.users import add_user
    from correspondence.records.store import Store
    from correspondence.records.vocabulary import UserRole
    from correspondence.register.letters import LetterFilter, list_letters

    store = Store(url)
    with store.transaction() as session:
        add_user(session, "bench", office="OFF1", role=UserRole.VIEWER, password=PASSWORD)
    timings = []
    for _ in range(7):
        with store.transaction() as session:
            begun = time.perf_counter()
            list_letters(session, LetterFilter(office="OFF1", text="quinquennial", limit=100))
            timings.append(time.perf_counter() - begun)
    store.dispose()
    return statistics.median(timings)


def _serve(url: str, work: Path) -> tuple[subprocess.Popen, tuple[str, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    corr = Path(sys.executable).with_name("corr")
    log = (work / "serve.log").open("w")
    process = subprocess.Popen([str(corr), "serve", "--db", url, "--port", str(port), "--letters", str(work / "letters"), "--threads", "8"],
                               stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "CORR_SECRET_KEY": "benchmark"})
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, ("127.0.0.1", port)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("corr serve did not start")


class Client:
    """One browser's worth of requests: its own session cookie and one kept-alive connection."""

    def __init__(self, base: tuple[str, int]) -> None:
        self.connection = http.client.HTTPConnection(*base, timeout=120)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, data

    def login(self) -> None:
        _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/login", urllib.parse.urlencode({"csrf_token": token, "name": "bench", "password": PASSWORD}))
        if status != 302:
            raise SystemExit(f"login failed with {status}")


def _load_test(base: tuple[str, int], path: str, clients: int, each: int) -> dict:
    sessions = [Client(base) for _ in range(clients)]
    for client in sessions:
        client.login()
        client.request("GET", path)  # warm up: the first request of each connection is not counted
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def run(client: Client) -> None:
        mine = []
        start.wait()
        for _ in range(each):
            begun = time.perf_counter()
            status, _ = client.request("GET", path)
            mine.append(time.perf_counter() - begun)
            if status != 200:
                failures.append(status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(client,)) for client in sessions]
    for thread in threads:
        thread.start()
    start.wait()
    begun = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begun
    if failures:
        raise SystemExit(f"{path}: {len(failures)} requests failed ({sorted(set(failures))})")
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1], "count": len(latencies)}


def _report(database: str, measured: dict) -> None:
    pages, floor = measured["pages"], measured["pages"]["static file (floor)"]
    print(f"\n{database}: {measured['clients']} clients x {measured['requests']} requests per page; 100,000 letters in the office's register")
    print(f"the search's own SQL query alone: {measured['sql_floor'] * 1000:.1f} ms\n")
    print("| page | requests/s | median | p95 | x the static-file floor (median) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, result in pages.items():
        print(f"| {name} | {result['rps']:.1f} | {result['p50'] * 1000:.0f} ms | {result['p95'] * 1000:.0f} ms | {result['p50'] / floor['p50']:.1f}x |")


def _register_module():
    spec = importlib.util.spec_from_file_location("register_benchmark", HERE / "register.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
