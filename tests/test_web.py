"""The web workspace through Flask's test client: who may do what (every role, anonymous
included, on every route), CSRF, tampered forms, files outside the letters folder, sessions,
cookies and headers."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from correspondence.records.models import Event, Letter, SessionEnd, WebSession
from correspondence.records.vocabulary import LetterKind
from tests.conftest import FIXTURES, snapshot
from tests.docx_files import docx_bytes
from tests.web_support import (
    KENT_USER,
    PASSWORD,
    ROLE_USERS,
    Browserless,
    Offices,
    action_status,
    letter_status,
)

ROLES = ["anonymous", "viewer", "drafter", "approver", "admin"]


def logged_in(app: Any, name: str) -> Browserless:
    client = Browserless(app)
    response = client.login(name)
    assert response.status_code == 302, response.text
    return client


def _template_bytes() -> bytes:
    from correspondence.drafting.rendering import shipped_template

    return shipped_template("annex").read_bytes()


def _actions(o: Offices) -> list[tuple[str, str, str, Any, str]]:
    """(what, method, path, form data, the least role that may do it). In an order in which each
    permitted action succeeds on the same database."""
    return [
        ("dashboard", "GET", "/", None, "viewer"),
        ("my dashboard", "GET", "/?view=mine", None, "viewer"),
        ("inspections", "GET", "/inspections", None, "viewer"),
        ("an inspection", "GET", f"/inspections/{o.mopac_inspection}", None, "viewer"),
        ("the register", "GET", "/letters", None, "viewer"),
        ("a search", "GET", "/letters?q=integrity&direction=out", None, "viewer"),
        ("CSV export", "GET", "/letters/export.csv", None, "viewer"),
        ("XLSX export", "GET", "/letters/export.xlsx", None, "viewer"),
        ("a letter and its thread", "GET", f"/letters/{o.mopac_draft}", None, "viewer"),
        ("a letter's file", "GET", f"/letters/{o.mopac_draft}/download", None, "viewer"),
        ("meetings", "GET", "/meetings", None, "viewer"),
        ("a meeting", "GET", f"/meetings/{o.mopac_meeting}", None, "viewer"),
        ("actions", "GET", "/actions?overdue=1", None, "viewer"),
        ("role holders", "GET", "/roles", None, "viewer"),
        ("settings", "GET", "/settings", None, "viewer"),
        ("a template in use", "GET", "/settings/templates/response.docx", None, "viewer"),
        ("their account", "GET", "/account", None, "viewer"),
        ("the upload page", "GET", "/inspections/upload", None, "drafter"),
        ("upload a report", "POST", "/inspections/upload",
         lambda: {"report": (io.BytesIO((FIXTURES / "reports" / "cdi-shire-2019.txt").read_bytes()), "shire.txt")}, "drafter"),
        ("assign the response", "POST", f"/inspections/{o.mopac_inspection}/owner", {"owner": str(o.users["dan"])}, "drafter"),
        ("assign a finding", "POST", f"/findings/{o.mopac_area}/owner", {"owner": str(o.users["april"])}, "drafter"),
        ("add a force update", "POST", f"/inspections/{o.mopac_inspection}/updates",
         {"area": str(o.mopac_area), "status": "complete", "received": "1/9/2018", "text": "Done and audited."}, "drafter"),
        ("draft an annex", "POST", f"/inspections/{o.mopac_inspection}/draft", {"kind": "annex", "letter_date": "7/9/2018"}, "drafter"),
        ("draft a follow-up", "POST", f"/meetings/{o.mopac_meeting}/draft", {"letter_date": "4/5/2022"}, "drafter"),
        ("invite comments", "POST", f"/inspections/{o.mopac_inspection}/invite", {"invite-letter_date": "18/7/2018"}, "drafter"),
        ("send the invitation", "POST", lambda: f"/letters/{_latest(o, LetterKind.INVITATION)}/sent", {"sent_on": "18/7/2018"}, "drafter"),
        ("chase", "POST", f"/inspections/{o.mopac_inspection}/chase", {"chase-letter_date": "8/8/2018"}, "drafter"),
        ("store the chief officer's comments", "POST", f"/inspections/{o.mopac_inspection}/comments",
         lambda: {"comments-reply": (io.BytesIO(b"We accept the findings."), "reply.txt"), "comments-received": "14/8/2018"}, "drafter"),
        ("add the office's answer", "POST", f"/inspections/{o.mopac_inspection}/answers",
         {"answer-area": str(o.mopac_area), "answer-text": "We will audit it."}, "drafter"),
        ("retract an update", "POST", f"/findings/{o.mopac_area}/updates/1/retract", {"why": "the wrong finding"}, "drafter"),
        ("read a version", "GET", f"/letters/{o.mopac_draft}/versions/1/preview", None, "viewer"),
        ("download a version", "GET", f"/letters/{o.mopac_draft}/versions/1/download", None, "viewer"),
        ("upload a new version", "POST", f"/letters/{o.mopac_draft}/versions",
         lambda: {"version-file": (io.BytesIO(docx_bytes("Edited in Word.")), "edited.docx"), "version-why": "edits"}, "drafter"),
        ("add an attachment", "POST", f"/letters/{o.mopac_received}/attachments",
         lambda: {"attachment-file": (io.BytesIO(b"%PDF-1.4 annex"), "annex.pdf"), "attachment-why": "Annex B"}, "drafter"),
        ("submit for approval", "POST", f"/letters/{o.mopac_draft}/submit", {}, "drafter"),
        ("approve", "POST", f"/letters/{o.mopac_draft}/approve", lambda: {"sha256": _file_hash(o, o.mopac_draft)}, "approver"),
        ("mark a draft sent", "POST", f"/letters/{o.mopac_draft}/sent", {"sent_on": "7/9/2018", "hmicfrs_on": "10/9/2018"}, "drafter"),
        ("publish", "POST", f"/inspections/{o.mopac_inspection}/publish", {"publish-published_on": "10/9/2018"}, "drafter"),
        ("correct an inspection", "POST", f"/inspections/{o.mopac_inspection}/correct",
         {"correct-title": "CDI 2018", "correct-programme": "Crime Data Integrity", "correct-published": "17/7/2018",
          "correct-grade": "good"}, "drafter"),
        ("delete an inspection", "POST", f"/inspections/{o.mopac_spare}/delete", {"delete-confirm": "y"}, "admin"),
        ("add a meeting", "POST", "/meetings", {"title": "Extra board", "held_on": "1/6/2022"}, "drafter"),
        ("add an action", "POST", f"/meetings/{o.mopac_meeting}/actions", {"action": "MOPAC to write again.", "due": "1/6/2022"}, "drafter"),
        ("update an action", "POST", f"/actions/{o.mopac_action}", {"status": "done", "due": ""}, "drafter"),
        ("the users page", "GET", "/users", None, "admin"),
        ("add a role holder", "POST", "/roles", {"role": "Chief Constable", "name": "A N Other", "starts": "1/1/2023"}, "admin"),
        ("change the office", "POST", "/settings/office",
         {"office-name": "Mayor's Office for Policing and Crime", "office-reference_scheme": "MOPAC{date:%d%m%Y}-D{seq}",
          "office-date_format": "%-d %B %Y", "office-signatory_name": "Sophie Linden"}, "admin"),
        ("set the mail server", "POST", "/settings/mail",
         {"mail-host": "127.0.0.1", "mail-port": "2525", "mail-security": "none", "mail-sender": "corr@mopac.example.org"}, "admin"),
        ("upload a template", "POST", "/settings/templates",
         lambda: {"template-kind": "annex", "template-template": (io.BytesIO(_template_bytes()), "our-annex.docx")}, "admin"),
        ("add a user", "POST", "/users", {"name": "newbie", "role": "viewer", "password": "a long enough password"}, "admin"),
        ("change a user", "POST", f"/users/{o.users['vera']}", {"role": "viewer", "active": "y"}, "admin"),
    ]


SUCCESS = {"GET": 200, "POST": 302}
SUCCESS_EXCEPTIONS = {"upload a report": 200}  # the preview page, before anything is stored


@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(app: Any, office_data: Offices, role: str) -> None:
    """Each role on each route: allowed where its role includes the one needed, 403 where not,
    and the login page for anyone not logged in. Nothing is changed by a refused request."""
    if role == "anonymous":
        client = Browserless(app)
        client.token = re.search(r'value="([^"]+)"', client.get("/login").text.split('name="csrf_token"', 1)[1]).group(1)
    else:
        client = logged_in(app, ROLE_USERS[role])
    order = ROLES[1:]
    for what, method, path, data, needed in _actions(office_data):
        form = data() if callable(data) else data
        path = path() if callable(path) else path
        before = last_event(office_data)
        response = client.get(path) if method == "GET" else client.post(path, form, content_type="multipart/form-data")
        if role == "anonymous":
            assert response.status_code == 302 and response.headers["Location"].startswith("/login"), (what, response.status_code)
        elif order.index(role) >= order.index(needed):
            expected = SUCCESS_EXCEPTIONS.get(what, SUCCESS[method])
            assert response.status_code == expected, f"{role} {what}: {response.status_code} {response.text[:2000]}"
        else:
            assert response.status_code == 403, f"{role} {what}: {response.status_code}"
            assert "Your role does not allow this" in response.text
        if role == "anonymous" or order.index(role) < order.index(needed):
            assert last_event(office_data) == before, f"{role} {what} changed something"  # every change is in the event log


def _latest(o: Offices, kind: LetterKind) -> int:
    """The newest letter of ``kind``; where none was made (a role that may not), the example's draft."""
    with o.store.reading() as session:
        found = session.scalar(select(Letter.id).where(Letter.kind == kind).order_by(Letter.id.desc()).limit(1))
    return found or o.mopac_draft


def _file_hash(o: Offices, letter_id: int) -> str:
    """The SHA-256 of the letter's current version, as the store keeps it."""
    from correspondence.files.letter_versions import current_version

    with o.store.reading() as session:
        return current_version(session, session.get(Letter, letter_id)).sha256


def last_event(o: Offices) -> int:
    from sqlalchemy import func, select

    with o.store.transaction() as session:
        return session.scalar(select(func.max(Event.id))) or 0


def test_permitted_changes_are_made_and_logged_as_the_user(app: Any, office_data: Offices) -> None:
    client = logged_in(app, "dan")
    assert client.post(f"/actions/{office_data.mopac_action}", {"status": "done", "due": ""}).status_code == 302
    assert action_status(office_data.store, office_data.mopac_action) == "done"
    assert client.post(f"/letters/{office_data.mopac_draft}/sent", {"sent_on": "7/9/2018"}).status_code == 302
    assert letter_status(office_data.store, office_data.mopac_draft) == "sent"
    with office_data.store.transaction() as session:
        actors = {(e.entity, e.actor) for e in session.query(Event).filter(Event.entity.in_(["actions", "letters"]), Event.change == "update")}
    assert ("actions", "dan") in actors and ("letters", "dan") in actors


def test_a_post_without_its_csrf_token_is_refused_changes_nothing_and_is_logged(app: Any, office_data: Offices,
                                                                                caplog: pytest.LogCaptureFixture) -> None:
    client = logged_in(app, "ada")
    before = snapshot(office_data.store.url)
    with caplog.at_level(logging.WARNING, logger="correspondence.web"):
        response = client.post(f"/actions/{office_data.mopac_action}", {"status": "done"}, token=False)
        wrong = client.post(f"/actions/{office_data.mopac_action}", {"status": "done", "csrf_token": "forged"}, token=False)
    assert response.status_code == 400 and wrong.status_code == 400
    assert "missing its security token" in response.text
    assert snapshot(office_data.store.url) == before
    assert any("refused POST" in record.message and "ada" in record.message for record in caplog.records)
    # htmx sends the token as a header instead, and that is accepted
    htmx = client.client.post(f"/findings/{office_data.mopac_area}/owner", data={"owner": ""},
                              headers={"X-CSRFToken": client.token, "HX-Request": "true"})
    assert htmx.status_code == 200 and "owner is now nobody" in htmx.text


@pytest.mark.parametrize("path", ["/inspections/{i}/invite", "/inspections/{i}/chase", "/inspections/{i}/comments",
                                  "/inspections/{i}/answers", "/inspections/{i}/publish", "/inspections/{i}/correct",
                                  "/inspections/{spare}/delete", "/findings/{area}/updates/1/retract", "/letters/{draft}/submit",
                                  "/letters/{draft}/approve", "/letters/{draft}/sent", "/inspections/{i}/draft",
                                  "/letters/{draft}/versions", "/letters/{draft}/attachments", "/letters/{draft}/return"])
def test_every_step_of_the_process_needs_its_csrf_token(app: Any, office_data: Offices, path: str) -> None:
    o = office_data
    client = logged_in(app, "ada")
    before = snapshot(o.store.url)
    target = path.format(i=o.mopac_inspection, spare=o.mopac_spare, area=o.mopac_area, draft=o.mopac_draft)
    response = client.post(target, {"invite-letter_date": "18/7/2018", "delete-confirm": "y", "why": "x", "sent_on": "7/9/2018",
                                    "kind": "annex", "answer-area": str(o.mopac_area), "answer-text": "x",
                                    "sha256": "0" * 64}, token=False)
    assert response.status_code == 400 and "missing its security token" in response.text
    assert snapshot(o.store.url) == before


@pytest.mark.parametrize("target", ["inspection owner", "finding owner", "update", "mark sent", "action", "download", "letter page",
                                    "meeting draft", "kent user as owner", "user change", "invite", "chase", "comments", "draft",
                                    "answer", "answer on our inspection", "retract", "submit", "approve", "publish", "published file",
                                    "correct", "delete", "upload version", "attachment", "version download", "preview", "return"])
def test_another_offices_record_is_not_found_unchanged_and_logged(app: Any, office_data: Offices, target: str,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    o = office_data
    client = logged_in(app, "ada")  # an admin of MOPAC: every role allows it, only the office does not
    requests = {
        "inspection owner": ("POST", f"/inspections/{o.kent_inspection}/owner", {"owner": str(o.users["dan"])}),
        "finding owner": ("POST", f"/findings/{o.kent_area}/owner", {"owner": ""}),
        "update": ("POST", f"/inspections/{o.mopac_inspection}/updates",
                   {"area": str(o.kent_area), "status": "complete", "text": "tampered"}),
        "mark sent": ("POST", f"/letters/{o.kent_letter}/sent", {"sent_on": "1/7/2022"}),
        "action": ("POST", f"/actions/{o.kent_action}", {"status": "dropped"}),
        "download": ("GET", f"/letters/{o.kent_letter}/download", None),
        "letter page": ("GET", f"/letters/{o.kent_letter}", None),
        "meeting draft": ("POST", f"/meetings/{o.kent_meeting}/draft", {"letter_date": ""}),
        "kent user as owner": ("POST", f"/inspections/{o.mopac_inspection}/owner", {"owner": str(o.users[KENT_USER])}),
        "user change": ("POST", f"/users/{o.users[KENT_USER]}", {"role": "viewer"}),
        "invite": ("POST", f"/inspections/{o.kent_inspection}/invite", {"invite-letter_date": "2/6/2022"}),
        "chase": ("POST", f"/inspections/{o.kent_inspection}/chase", {"chase-letter_date": "2/8/2022"}),
        "comments": ("POST", f"/inspections/{o.kent_inspection}/comments",
                     {"comments-reply": (io.BytesIO(b"tampered"), "reply.txt"), "comments-received": "1/7/2022"}),
        "draft": ("POST", f"/inspections/{o.kent_inspection}/draft", {"kind": "annex", "letter_date": "1/7/2022"}),
        "answer": ("POST", f"/inspections/{o.kent_inspection}/answers", {"answer-area": str(o.kent_area), "answer-text": "tampered"}),
        "answer on our inspection": ("POST", f"/inspections/{o.mopac_inspection}/answers",
                                     {"answer-area": str(o.kent_area), "answer-text": "tampered"}),
        "retract": ("POST", f"/findings/{o.kent_area}/updates/1/retract", {"why": "tampered"}),
        "submit": ("POST", f"/letters/{o.kent_letter}/submit", {}),
        "approve": ("POST", f"/letters/{o.kent_letter}/approve", {"sha256": "0" * 64}),
        "publish": ("POST", f"/inspections/{o.kent_inspection}/publish", {"publish-published_on": "1/7/2022"}),
        "published file": ("GET", f"/inspections/{o.kent_inspection}/published.pdf", None),
        "correct": ("POST", f"/inspections/{o.kent_inspection}/correct",
                    {"correct-title": "tampered", "correct-programme": "PEEL", "correct-published": "1/6/2022"}),
        "delete": ("POST", f"/inspections/{o.kent_inspection}/delete", {"delete-confirm": "y"}),
        "upload version": ("POST", f"/letters/{o.kent_letter}/versions",
                           {"version-file": (io.BytesIO(docx_bytes("tampered")), "x.docx"), "version-why": "tampered"}),
        "attachment": ("POST", f"/letters/{o.kent_letter}/attachments",
                       {"attachment-file": (io.BytesIO(b"tampered"), "x.pdf"), "attachment-why": "tampered"}),
        "version download": ("GET", f"/letters/{o.kent_letter}/versions/1/download", None),
        "preview": ("GET", f"/letters/{o.kent_letter}/versions/1/preview", None),
        "return": ("POST", f"/letters/{o.kent_letter}/return", {"return-comment": "tampered"}),
    }
    method, path, data = requests[target]
    before = snapshot(o.store.url)
    with caplog.at_level(logging.WARNING, logger="correspondence.web"):
        response = client.get(path) if method == "GET" else client.post(path, data, content_type="multipart/form-data")
    assert response.status_code == 404, response.text
    assert "not one of your office's records" in html.unescape(response.text)
    assert snapshot(o.store.url) == before
    assert any("belongs to another office" in record.message and "ada" in record.message for record in caplog.records), caplog.text


def test_another_offices_records_never_appear_in_lists(app: Any, office_data: Offices) -> None:
    client = logged_in(app, "vera")
    pages = "".join(client.get(path).text for path in ("/", "/inspections", "/letters", "/letters?q=private", "/meetings", "/actions"))
    assert "Kent" not in pages
    exported = client.get("/letters/export.csv").data.decode("utf-8-sig")
    assert "KENT/1/22" not in exported and "MOPAC06092018-D2188" in exported


def test_no_request_reaches_a_file_on_disk_whatever_a_record_says(app: Any, office_data: Offices, tmp_path: Path) -> None:
    """Files come from the store only: a record's old file path (damaged or hostile) is never read."""
    secret = tmp_path / "secret.docx"
    secret.write_bytes(b"PK\x03\x04 not for anyone")
    link = office_data.letters_dir / "innocent.docx"
    link.symlink_to(secret)
    with office_data.store.transaction() as session:
        outside = session.get(Letter, office_data.mopac_received)
        outside.file_path = str(secret)  # a record pointing outside, as a damaged or hostile record might
        through_link = session.get(Letter, office_data.mopac_draft)
        through_link.file_path = str(link)
        session.flush()
        relative = Letter(office_id=outside.office_id, direction=outside.direction, letter_date=outside.letter_date,
                          status=outside.status, file_path="../secret.docx")
        session.add(relative)
        session.flush()
        relative_id = relative.id
    client = logged_in(app, "ada")
    for letter_id in (office_data.mopac_received, relative_id):  # neither has a file in the store
        response = client.get(f"/letters/{letter_id}/download")
        assert response.status_code == 404 and b"not for anyone" not in response.data
    drafted = client.get(f"/letters/{office_data.mopac_draft}/download")  # the store's version, not the linked file
    assert drafted.status_code == 200 and drafted.data.startswith(b"PK") and b"not for anyone" not in drafted.data
    for path in ("/letters/..%2F..%2Fsecret.docx/download", "/static/..%2F..%2Fstore.py", "/static/../__init__.py",
                 "/settings/templates/..%2F..%2Fdb.docx"):
        response = client.get(path)
        assert response.status_code in (302, 404) and b"not for anyone" not in response.data, path


def test_login_is_rate_limited_and_a_wrong_password_says_no_more_than_that(app: Any) -> None:
    client = Browserless(app)
    for _ in range(5):
        wrong = client.login("dan", "not the password")
        assert wrong.status_code == 401 and "The user name or password is not right." in wrong.text
    unknown = client.login("nobody-at-all", "whatever it is")
    assert "The user name or password is not right." in unknown.text
    locked = client.login("dan", PASSWORD)
    assert locked.status_code == 401 and "Too many failed attempts. Try again in 15 minutes." in locked.text
    assert client.login("vera").status_code == 302  # another user is not locked out


def test_sessions_expire_when_idle_and_end_when_the_user_is_disabled(app: Any, office_data: Offices) -> None:
    client = logged_in(app, "dan")
    assert client.get("/").status_code == 200
    with office_data.store.transaction() as session:  # the session's row says when it was last seen: 31 minutes ago
        session.execute(update(WebSession).values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)))
    expired = client.get("/inspections")
    assert expired.status_code == 302 and expired.headers["Location"].startswith("/login")
    assert "Your session expired" in client.get(expired.headers["Location"]).text
    with office_data.store.reading() as session:
        assert session.scalar(select(WebSession.ended_why)) is SessionEnd.IDLE

    longest = logged_in(app, "dan")  # and none lasts more than 10 hours, however busy
    with office_data.store.transaction() as session:
        session.execute(update(WebSession).where(WebSession.ended_at.is_(None))
                        .values(created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=10, minutes=1)))
    assert "Your session expired" in longest.get(longest.get("/").headers["Location"]).text

    dan = logged_in(app, "dan")
    admin = logged_in(app, "ada")
    assert admin.post(f"/users/{office_data.users['dan']}", {"role": "drafter"}).status_code == 302  # "active" unticked
    assert dan.get("/").status_code == 302
    assert Browserless(app).login("dan").status_code == 401


def test_cookies_and_headers(app: Any) -> None:
    client = Browserless(app)
    response = client.login("vera")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-store"


def test_no_page_has_inline_script_or_style(app: Any, office_data: Offices) -> None:
    client = logged_in(app, "ada")
    for path in ("/", "/inspections", f"/inspections/{office_data.mopac_inspection}", "/letters", f"/letters/{office_data.mopac_draft}",
                 "/meetings", f"/meetings/{office_data.mopac_meeting}", "/actions", "/roles", "/settings", "/users", "/account",
                 "/inspections/upload"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\s(on[a-z]+|style)=", html), path


def test_login_refuses_a_redirect_to_another_site(app: Any) -> None:
    client = Browserless(app)
    page = client.get("/login?next=//evil.example.org/")
    from tests.web_support import csrf_token

    response = client.client.post("/login?next=//evil.example.org/", data={"csrf_token": csrf_token(page.text), "name": "vera", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_serve_refuses_a_port_in_use_and_says_where_each_offices_letters_are(cli: Any, tmp_path: Path) -> None:
    import socket

    cli.ok("office", "add", "--name", "Kent Police and Crime Commissioner", "--short", "KENT",
           "--letters", str(tmp_path / "kent-letters"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "--port", str(port), "--letters", str(tmp_path / "elsewhere"))
    assert "nobody can log in yet" in result.stderr  # the hints come first, then the one error line
    assert "--letters is deprecated and ignored" in result.stderr
    assert f"KENT's files: in the store, with copies in {tmp_path / 'kent-letters'}" in result.stderr
    assert not (tmp_path / "elsewhere").exists()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: cannot listen on 127.0.0.1:{port}")
