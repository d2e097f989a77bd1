"""Numbered records written in parallel (issue 22, item 6): twenty people adding the next action to
one meeting, the next version of one letter or the office's next letter reference at the same
moment, with real threads (each with its own store, as separate commands or server processes would
have) against a real database, all succeed, each with its own number: none lost, none repeated, no
gap. The workspace's forms are tried the same way, through a running web server.

Every "next number" the tool takes goes through records/numbering.py; the records numbered here are
every kind it numbers (a finding's number comes from the report or the inspection file, and an
update's is its place in the finding's history, so neither is taken from a count).
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import select

from correspondence.files.versions import store_file
from correspondence.organisation.offices import add_office, get_office
from correspondence.records.models import Action, FileVersion, IssuedReference, Letter, Meeting, ReferenceCounter
from correspondence.records.store import Store
from correspondence.records.vocabulary import FilePurpose
from correspondence.register import references
from correspondence.tracking.actions import add_action
from tests.docx_files import docx_bytes
from tests.web_support import PASSWORD, csrf_token

WRITERS, EACH = 20, 5


def in_parallel(work: Callable[[Store, int], None], db_url: str, writers: int = WRITERS) -> list[BaseException]:
    """Run ``work(store, writer)`` in ``writers`` threads released at one moment, each on a store of
    its own; every failure is returned (none is the finding)."""
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def run(writer: int) -> None:
        store = Store(db_url)
        try:
            start.wait()
            work(store, writer)
        except BaseException as error:  # noqa: BLE001 - every failure is the finding
            failures.append(error)
        finally:
            store.dispose()

    threads = [threading.Thread(target=run, args=(writer,)) for writer in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return failures


def test_twenty_writers_adding_actions_to_one_meeting_all_succeed(example_cli) -> None:  # noqa: ANN001
    store = Store(example_cli.db_url)
    with store.reading() as session:
        meeting_id = session.query(Meeting.id).scalar()
        before = session.query(Action).filter(Action.meeting_id == meeting_id).count()

    def write(store: Store, writer: int) -> None:
        for number in range(EACH):
            with store.transaction() as session:
                add_action(session, session.get(Meeting, meeting_id), text=f"Writer {writer}, action {number}.")

    failures = in_parallel(write, example_cli.db_url)
    with store.reading() as session:
        actions = session.query(Action).filter(Action.meeting_id == meeting_id).all()
    store.dispose()
    assert failures == []
    numbers = sorted(action.number for action in actions)
    assert numbers == list(range(1, before + WRITERS * EACH + 1))  # none lost, none repeated, no gap
    assert {action.action for action in actions} >= {f"Writer {w}, action {n}." for w in range(WRITERS) for n in range(EACH)}


def test_twenty_drafters_taking_references_at_once_each_get_the_next(example_cli) -> None:  # noqa: ANN001
    """The office's running number (D2188, D2189...) taken by twenty drafts at once; and another
    office's first references ever, whose counter the first of them makes while the others wait."""
    store = Store(example_cli.db_url)
    with store.transaction() as session:
        office = get_office(session, "MOPAC")
        first = session.scalar(select(ReferenceCounter.last_value).where(ReferenceCounter.office_id == office.id)) + 1
        add_office(session, name="Kent Police and Crime Commissioner", short_name="KENT", reference_scheme="KENT/{seq}")
    taken: dict[str, list[str]] = {"MOPAC": [], "KENT": []}

    def draft(store: Store, writer: int) -> None:
        for number in range(EACH):
            short = "KENT" if (writer + number) % 2 else "MOPAC"
            with store.transaction() as session:
                taken[short].append(references.allocate(session, get_office(session, short), taken_on=dt.date(2019, 5, 1)))

    failures = in_parallel(draft, example_cli.db_url)
    with store.reading() as session:
        spent = set(session.scalars(select(IssuedReference.reference)))
    store.dispose()
    assert failures == []
    assert len(taken["MOPAC"]) + len(taken["KENT"]) == WRITERS * EACH
    for short, start in (("MOPAC", first), ("KENT", 1)):
        assert len(taken[short]) == len(set(taken[short])) and set(taken[short]) <= spent
        numbers = sorted(int(re.search(r"(\d+)$", reference).group(1)) for reference in taken[short])
        assert numbers == list(range(start, start + len(taken[short]))), short


def test_the_running_number_restarted_by_twenty_at_once_on_a_new_office_is_one_counter(example_cli) -> None:  # noqa: ANN001
    """Setting the next number makes the office's counter on first use: twenty admins doing it at once
    (as the counter's first draft could) all succeed, and the office has one counter, at the last one's number."""
    store = Store(example_cli.db_url)
    with store.transaction() as session:
        kent = add_office(session, name="Kent Police and Crime Commissioner", short_name="KENT", reference_scheme="KENT/{seq}").id

    def restart(store: Store, writer: int) -> None:
        with store.transaction() as session:
            references.set_next_number(session, get_office(session, "KENT"), 100 + writer)

    failures = in_parallel(restart, example_cli.db_url)
    with store.reading() as session:
        counters = list(session.scalars(select(ReferenceCounter.last_value).where(ReferenceCounter.office_id == kent)))
    store.dispose()
    assert failures == []
    assert len(counters) == 1 and 99 <= counters[0] < 99 + WRITERS


def test_twenty_writers_adding_versions_of_one_letter_all_succeed(example_cli) -> None:  # noqa: ANN001
    store = Store(example_cli.db_url)
    with store.reading() as session:
        letter_id = session.scalar(select(Letter.id).where(Letter.reference.is_not(None)).order_by(Letter.id.desc()).limit(1))
        before = len(list(session.scalars(select(FileVersion.id).where(FileVersion.letter_id == letter_id,
                                                                        FileVersion.purpose == FilePurpose.LETTER))))

    def upload(store: Store, writer: int) -> None:
        for number in range(EACH):
            with store.transaction() as session:
                store_file(session, f"writer {writer}, version {number}".encode(), file_name=f"w{writer}-{number}.txt",
                           purpose=FilePurpose.LETTER, letter=session.get(Letter, letter_id), why="parallel")
            with store.transaction() as session:  # the same bytes as another writer's: kept once, numbered for each
                store_file(session, b"the same for everyone", file_name="same.txt", purpose=FilePurpose.ENCLOSURE,
                           letter=session.get(Letter, letter_id), why="parallel")

    failures = in_parallel(upload, example_cli.db_url)
    with store.reading() as session:
        versions = list(session.scalars(select(FileVersion).where(FileVersion.letter_id == letter_id)))
    store.dispose()
    assert failures == []
    for purpose, first in ((FilePurpose.LETTER, before + 1), (FilePurpose.ENCLOSURE, 1)):
        numbers = sorted(version.number for version in versions if version.purpose is purpose)
        assert numbers == list(range(1, first + WRITERS * EACH)), purpose
    assert len({version.content_id for version in versions if version.purpose is FilePurpose.ENCLOSURE}) == 1


# --- through the workspace, served for real --------------------------------------------------------


@contextmanager
def served(store: Store) -> Iterator[str]:
    """The workspace on ``store``, served by werkzeug on a free port with a thread per request."""
    from werkzeug.serving import make_server

    from correspondence.web import create_app

    server = make_server("127.0.0.1", 0, create_app(store), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=30)


class WebClient:
    """One person's browser: its own cookies, and the form's CSRF token read from each page."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None) -> tuple[int, str]:
        fields = {**fields, "csrf_token": self.token}
        if files:
            body, kind = _multipart(fields, files)
        else:
            body, kind = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self._open(urllib.request.Request(self.base + path, data=body, headers={"Content-Type": kind}))

    def login(self, name: str) -> None:
        self.token = csrf_token(self.get("/login")[1])
        self.post("/login", {"name": name, "password": PASSWORD})
        self.token = csrf_token(self.get("/account")[1])  # the session's token, for every form

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
              f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n"
              for name, (file_name, content) in files.items()]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"




def test_twenty_people_adding_actions_and_versions_through_the_workspace_all_succeed(office_data) -> None:  # noqa: ANN001
    """The issue's measure: people each adding actions to one meeting through the form, and new
    versions of one draft, at the same moment: every one acknowledged and stored, numbered in turn."""
    store = office_data.store
    with store.reading() as session:
        before = len(list(session.scalars(select(Action.id).where(Action.meeting_id == office_data.mopac_meeting))))
        versions_before = len(list(session.scalars(select(FileVersion.id).where(
            FileVersion.letter_id == office_data.mopac_draft, FileVersion.purpose == FilePurpose.LETTER))))
    answers: list[tuple[int, str]] = []
    drafts = [docx_bytes(f"Version by writer {writer}.") for writer in range(WRITERS)]
    with served(store) as base:
        clients = [WebClient(base) for _ in range(WRITERS)]
        for client in clients:
            client.login("dan")
        start = threading.Barrier(WRITERS)

        def work(writer: int) -> None:
            client = clients[writer]
            start.wait()
            for number in range(EACH):
                answers.append(client.post(f"/meetings/{office_data.mopac_meeting}/actions",
                                           {"action": f"Writer {writer}, action {number}.", "timing": "", "lead": "", "due": ""}))
            answers.append(client.post(f"/letters/{office_data.mopac_draft}/versions", {"version-why": f"writer {writer}"},
                                       {"version-file": (f"w{writer}.docx", drafts[writer])}))

        threads = [threading.Thread(target=work, args=(writer,)) for writer in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    refused = [(status, re.sub(r"\s+", " ", page)[:300]) for status, page in answers if status != 200 or "is stored" not in page
               and "added." not in page]
    assert len(answers) == WRITERS * (EACH + 1) and refused == []
    with store.reading() as session:
        numbers = sorted(session.scalars(select(Action.number).where(Action.meeting_id == office_data.mopac_meeting)))
        versions = sorted(session.scalars(select(FileVersion.number).where(
            FileVersion.letter_id == office_data.mopac_draft, FileVersion.purpose == FilePurpose.LETTER)))
    assert numbers == list(range(1, before + WRITERS * EACH + 1))
    assert versions == list(range(1, versions_before + WRITERS + 1))


def test_twenty_people_drafting_follow_ups_through_the_workspace_each_get_the_next_reference(office_data) -> None:  # noqa: ANN001
    """Twenty follow-up letters drafted from the meeting's page at once: each takes the office's next
    reference (the template filled while the number is held), and every draft is acknowledged."""
    store = office_data.store
    with store.reading() as session:
        office = get_office(session, "MOPAC")
        first = session.scalar(select(ReferenceCounter.last_value).where(ReferenceCounter.office_id == office.id)) + 1
    answers: list[tuple[int, str]] = []
    with served(store) as base:
        clients = [WebClient(base) for _ in range(WRITERS)]
        for client in clients:
            client.login("dan")
        start = threading.Barrier(WRITERS)

        def work(writer: int) -> None:
            start.wait()
            answers.append(clients[writer].post(f"/meetings/{office_data.mopac_meeting}/draft", {"letter_date": "1/5/2022"}))

        threads = [threading.Thread(target=work, args=(writer,)) for writer in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    drafted = [found.group(1) for _, page in answers if (found := re.search(r"Drafted (MOPAC\d+-D\d+)", page))]
    refused = [re.sub(r"\s+", " ", page)[:300] for _, page in answers if not re.search(r"Drafted MOPAC", page)]
    assert len(answers) == WRITERS and refused == []
    assert sorted(int(reference.rsplit("D", 1)[1]) for reference in drafted) == list(range(first, first + WRITERS))
    with store.reading() as session:
        stored = set(session.scalars(select(Letter.reference).where(Letter.reference.in_(drafted))))
    assert stored == set(drafted)
