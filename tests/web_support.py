"""What the web tests share: two offices with their users and records, and a logged-in client.

MOPAC is the bundled example (the Met's 2018 inspection, its updates, the draft response, the
board meeting and its actions) with one user of each role. KENT oversees Kent Police and has its
own inspection, letter, meeting and action, and one drafter: the records a tampered form would
reach for.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from correspondence.examples.bundled import load_example
from correspondence.files.yaml_files import validate
from correspondence.organisation import offices, roles
from correspondence.organisation.users import add_user
from correspondence.records.models import Action, Letter
from correspondence.records.store import Store, open_store
from correspondence.records.vocabulary import Direction, LetterKind, UpdateStatus, UserRole
from correspondence.register import letters
from correspondence.tracking import meetings, updates
from correspondence.tracking.inspection_file import validate_inspection
from correspondence.tracking.inspections import add_inspection
from correspondence.tracking.meeting_file import _schema as meeting_schema

PASSWORD = "correct horse battery"
ROLE_USERS = {"viewer": "vera", "drafter": "dan", "approver": "april", "admin": "ada"}
KENT_USER = "kim"


@dataclass
class Offices:
    """The ids the tests aim at."""

    store: Store
    letters_dir: Path
    mopac_inspection: int
    mopac_area: int
    mopac_draft: int
    mopac_received: int
    mopac_meeting: int
    mopac_action: int
    mopac_spare: int  # a second Met inspection, with nothing sent about it: one that can be deleted
    kent_inspection: int
    kent_area: int
    kent_letter: int
    kent_meeting: int
    kent_action: int
    users: dict[str, int]


def build_offices(db_url: str, letters_dir: Path) -> Offices:
    store = open_store(db_url)
    letters_dir.mkdir(parents=True, exist_ok=True)
    with store.transaction() as session:
        example = load_example(session, letters_dir)
        users = {}
        for role, name in ROLE_USERS.items():
            user = add_user(session, name, office="MOPAC", role=UserRole(role), full_name=f"{name.title()} Example",
                            email=f"{name}@mopac.example.org")
            user.password_hash = quick_hash()
            users[name] = user.id
        kent_force = offices.add_force(session, "Kent Police")
        offices.add_office(session, name="Kent Police and Crime Commissioner", short_name="KENT", force=kent_force,
                           signatory_name="Matthew Scott", signatory_title="Police and Crime Commissioner",
                           letters_dir=letters_dir.parent / "kent-letters", require_approval=False)  # as the example's MOPAC
        roles.add_holder(session, role="Commissioner", name="Cressida Dick", title="Commissioner", salutation="Dear Cressida",
                         office=example.draft.office, starts_on=dt.date(2017, 4, 10), ends_on=dt.date(2022, 4, 9),
                         address="New Scotland Yard\nVictoria Embankment\nLondon\nSW1A 2JL")
        spare = add_inspection(session, validate_inspection({
            "force": "Metropolitan Police Service", "programme": "Custody 2019", "title": "Custody inspection of the Met",
            "published": "2019-03-01", "recommendations": ["Improve the custody records."],
        }, source="test"))
        kim = add_user(session, KENT_USER, office="KENT", role=UserRole.ADMIN)
        kim.password_hash = quick_hash()
        users[KENT_USER] = kim.id
        kent = add_inspection(session, validate_inspection({
            "force": "Kent Police", "programme": "PEEL 2021/22", "title": "PEEL 2021/22: Kent Police",
            "published": "2022-06-01", "overall_grade": "good",
            "recommendations": ["Improve how the force answers emergency calls."],
        }, source="test"))
        updates.add_update(session, kent.areas[0], status=UpdateStatus.IN_PROGRESS, text="Kent's own update.",
                           received_on=dt.date(2022, 7, 1), today=dt.date(2022, 7, 1))
        kent_office = offices.get_office(session, "KENT")
        kent_letter = letters.log_letter(session, office=kent_office, direction=Direction.OUT, letter_date=dt.date(2022, 7, 1),
                                         reference="KENT/1/22", status=None, subject="Kent's private letter",
                                         kind=LetterKind.OTHER, today=dt.date(2022, 7, 1))
        spec = validate(meeting_schema(), {
            "office": "KENT", "title": "Kent performance board", "held_on": "1 May 2022",
            "actions": [{"action": "Kent to report on 999 calls.", "due": "1 June 2022"}],
        }, "test", "a meeting file")
        kent_meeting = meetings.add_meeting(session, spec)
        session.flush()
        return Offices(
            store=store, letters_dir=letters_dir,
            mopac_inspection=example.inspection.id, mopac_area=example.inspection.areas[0].id,
            mopac_draft=example.draft.id, mopac_received=example.prior_letter.id, mopac_meeting=example.meeting.id,
            mopac_action=example.meeting.actions[0].id, mopac_spare=spare.id,
            kent_inspection=kent.id, kent_area=kent.areas[0].id, kent_letter=kent_letter.id,
            kent_meeting=kent_meeting.id, kent_action=kent_meeting.actions[0].id, users=users,
        )


@functools.cache
def quick_hash() -> str:
    """PASSWORD hashed with argon2id at the lowest cost, once per test run. Verifying reads the cost
    from the hash, so logins in tests are quick; users.hash_password (the real cost) is tested in
    test_users.py."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


class Browserless:
    """Flask's test client, logged in as one user, reading the CSRF token from the page."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.client = app.test_client()
        self.token = ""

    def login(self, name: str, password: str = PASSWORD) -> Any:
        page = self.client.get("/login")
        self.token = csrf_token(page.text)
        response = self.client.post("/login", data={"csrf_token": self.token, "name": name, "password": password})
        if response.status_code == 302:
            self.token = csrf_token(self.client.get("/account").text)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict[str, Any] | None = None, *, token: bool = True, **kwargs: Any) -> Any:
        data = dict(data or {})
        if token:
            data["csrf_token"] = self.token
        return self.client.post(path, data=data, **kwargs)


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'data-csrf="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def letter_status(store: Store, letter_id: int) -> str:
    with store.transaction() as session:
        return session.get(Letter, letter_id).status.value


def action_status(store: Store, action_id: int) -> str:
    with store.transaction() as session:
        return session.get(Action, action_id).status.value


def text_of(response: Any) -> str:
    """The page's text as a reader sees it: no markup, white space collapsed."""
    import html

    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", response.text, flags=re.DOTALL)
    body = body.replace("<wbr>", "")  # a place a long word may break, not a space
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
