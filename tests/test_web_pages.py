"""What a user sees and gets from the web pages: the dashboard, uploading reports (and bad files),
force updates, owners, drafting and downloading, the register and its exports, templates."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from correspondence.files.letter_versions import letter_versions
from correspondence.records.models import ForceUpdate, Inspection, Letter, OfficeTemplate, ResponseOwner
from tests.conftest import FIXTURES, SEEDS, requires_seeds, snapshot
from tests.web_support import Browserless, Offices, csrf_token, text_of

REPORT = FIXTURES / "reports" / "cdi-shire-2019.txt"


@pytest.fixture
def dan(app: Any) -> Browserless:
    client = Browserless(app)
    assert client.login("dan").status_code == 302
    return client


def test_every_page_has_a_short_title_naming_it(dan: Browserless, office_data: Offices) -> None:
    """The title is what a browser tab, a bookmark and a screen reader announce first."""
    pages = {"/": "Dashboard", "/inspections": "Inspections", f"/inspections/{office_data.mopac_inspection}": "Crime Data Integrity",
             "/letters": "Register", f"/letters/{office_data.mopac_draft}": "MOPAC", f"/meetings/{office_data.mopac_meeting}": "",
             "/actions": "Actions", "/roles": "Role holders", "/settings": "Settings"}
    for path, names in pages.items():
        response = dan.get(path)
        assert response.status_code == 200, path
        title = html.unescape(re.search(r"<title>(.*?)</title>", response.text, flags=re.DOTALL).group(1))
        assert "<" not in title and "\n" not in title and len(title) < 150, f"{path}: {title[:200]!r}"
        assert names in title and title.endswith("– Correspondence – MOPAC"), f"{path}: {title!r}"


# --- the dashboard -----------------------------------------------------------------------------


def test_the_dashboard_shows_what_is_due_overdue_received_and_open(dan: Browserless, office_data: Offices) -> None:
    page = text_of(dan.get("/"))
    assert "Metropolitan Police Service: Crime Data Integrity" in page
    assert "10 September 2018" in page and "Overdue by" in page and "rag--red" in dan.get("/").text
    # the stage and next step are stages.status_of's, word for word what 'corr due' says
    assert "Not started Invite the Commissioner's comments (s.55(4)) now" in page
    from correspondence.process.due import due_responses

    with office_data.store.reading() as session:
        due = {item.inspection_id: item for item in due_responses(session, dt.date.today(), office="MOPAC")}
    item = due[office_data.mopac_inspection]
    assert f"{item.stage.capitalize()} {item.next_step[:1].upper()}{item.next_step[1:]} now" in page
    assert "MPS to share the draft Business Plan with MOPAC." in page  # an overdue action of the example meeting
    assert "Update on the Crime Data Integrity areas for improvement" in page  # the letter received
    assert "Nobody yet 1 1 3 5" in page  # 5 open findings: 1 with no update, 1 not started, 3 in progress, nobody owns them


def test_mine_shows_only_what_the_user_owns(dan: Browserless, office_data: Offices) -> None:
    assert "No response of yours is due." in text_of(dan.get("/?view=mine"))
    assert dan.post(f"/inspections/{office_data.mopac_inspection}/owner", {"owner": str(office_data.users["dan"])}).status_code == 302
    with office_data.store.transaction() as session:
        open_area = next(a for a in session.get(Inspection, office_data.mopac_inspection).areas if a.code == "A7")
        area_id = open_area.id
    assert dan.post(f"/findings/{area_id}/owner", {"owner": str(office_data.users["dan"])}).status_code == 302
    mine = text_of(dan.get("/?view=mine"))
    assert "Invite the Commissioner's comments (s.55(4))" in mine and "Dan Example" in mine
    assert "A7 Collect diversity information" in mine and "Not started" in mine
    everyone = text_of(dan.get("/"))
    assert "Dan Example 0 1 0 1" in everyone and "Nobody yet 1 0 3 4" in everyone


def test_an_owner_must_be_able_to_do_the_work(dan: Browserless, office_data: Offices) -> None:
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/owner", {"owner": str(office_data.users["vera"])})
    assert response.status_code == 302
    assert "vera is a viewer; this needs a drafter or above" in text_of(dan.get(response.headers["Location"]))
    with office_data.store.transaction() as session:
        assert session.query(ResponseOwner).count() == 0


# --- uploading a report ------------------------------------------------------------------------


def records(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Every table but the sessions', which hold what a page keeps between requests."""
    return {name: rows for name, rows in tables.items() if name != "web_sessions"}


def upload(client: Browserless, name: str, data: bytes) -> Any:
    return client.post("/inspections/upload", {"report": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_an_upload_is_previewed_then_stored_when_confirmed(dan: Browserless, office_data: Offices, db_url: str) -> None:
    with office_data.store.transaction() as session:  # the shire report is about a force KENT or MOPAC do not oversee
        from correspondence.organisation.offices import add_force, get_office

        get_office(session, "MOPAC").force = add_force(session, "Shire Constabulary")
    before = snapshot(db_url)
    preview = upload(dan, "shire.txt", REPORT.read_bytes())
    page = text_of(preview)
    assert preview.status_code == 200 and "Check what was found in shire.txt" in page
    assert 'value="Shire Constabulary: Crime Data Integrity inspection 2019"' in preview.text and "Requires improvement" in page
    assert "Nothing is stored yet" in page
    assert records(snapshot(db_url)) == records(before)  # a preview stores nothing (but the upload, in dan's session)
    token = preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    stored = dan.post("/inspections/upload/confirm", {"token": token})
    assert stored.status_code == 302
    shown = text_of(dan.get(stored.headers["Location"]))
    assert "Stored the inspection: Shire Constabulary: Crime Data Integrity inspection 2019" in shown
    again = dan.post("/inspections/upload/confirm", {"token": token})  # the same upload cannot be stored twice
    assert "That upload has expired or is not yours" in text_of(dan.get(again.headers["Location"]))


def test_a_report_on_another_force_is_refused_and_nothing_stored(dan: Browserless, db_url: str) -> None:
    preview = upload(dan, "shire.txt", REPORT.read_bytes())
    token = preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]
    before = snapshot(db_url)
    refused = dan.post("/inspections/upload/confirm", {"token": token})
    assert refused.status_code == 422
    page = text_of(refused)
    assert "There is a problem" in page and "the force" in page.lower()
    assert snapshot(db_url) == before


@pytest.mark.parametrize(("name", "data", "message"), [
    ("report.exe", b"MZ\x90\x00 a program", "report.exe is not a report the tool can read"),
    ("report.txt", b"\x00\x01\x02\x03" * 200, "report.txt could not be read: is binary, not text"),
    ("report.pdf", b"%PDF-1.7\n garbage that is not a PDF at all", "report.pdf could not be read: cannot be read as a PDF"),
    ("report.docx", b"PK\x03\x04 a damaged zip", "report.docx could not be read: cannot be read as a Word .docx file"),
    ("report.pdf", b"not even a pdf", "report.pdf could not be read: is not a PDF"),
    ("empty.txt", b"", "empty.txt could not be read: is empty"),
])
def test_a_bad_upload_gets_a_clear_message_and_nothing_is_stored(dan: Browserless, db_url: str, name: str, data: bytes, message: str) -> None:
    before = snapshot(db_url)
    response = upload(dan, name, data)
    assert response.status_code == 422
    page = text_of(response)
    assert message in page and "Nothing was stored." in page, page[-1500:]
    assert snapshot(db_url) == before
    assert "/tmp" not in page  # the server's own paths are never shown


def test_an_upload_that_is_too_large_is_refused_with_a_message(dan: Browserless, db_url: str) -> None:
    before = snapshot(db_url)
    response = upload(dan, "huge.txt", b"a" * (22 * 1024 * 1024))
    assert response.status_code == 413
    assert "That file is too large" in text_of(response) and "The largest file you can upload is 20 MB" in text_of(response)
    assert snapshot(db_url) == before


def test_an_upload_without_a_file_says_so(dan: Browserless) -> None:
    response = dan.post("/inspections/upload", {}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose the report's file" in text_of(response)


# --- updates, drafting, downloading, sending ----------------------------------------------------------


def test_a_force_update_is_recorded_and_shown_as_the_latest(dan: Browserless, office_data: Offices) -> None:
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/updates",
                        {"area": str(office_data.mopac_area), "status": "complete", "received": "1 September 2018",
                         "text": "Crimes are now recorded at first contact & audited."})
    assert response.status_code == 302
    page = text_of(dan.get(response.headers["Location"]))
    assert "The force's update on A1 is recorded." in page
    assert "Complete (1 September 2018) Crimes are now recorded at first contact & audited." in page


@pytest.mark.parametrize(("form", "message"), [
    ({"status": "complete", "text": "x"}, "Choose the finding"),
    ({"status": "complete", "text": ""}, "Enter the force's update"),
    ({"status": "complete", "text": "x", "received": "31/02/2019"}, "'31/02/2019' is not a real date (February 2019 has 28 days)"),
    ({"status": "complete", "text": "x", "received": "1/1/2099"}, "is in the future"),
])
def test_a_bad_update_is_refused_with_the_reason_and_nothing_stored(dan: Browserless, office_data: Offices, form: dict, message: str) -> None:
    if "Choose" not in message:
        form = {**form, "area": str(office_data.mopac_area)}
    with office_data.store.transaction() as session:
        before = session.query(ForceUpdate).count()
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/updates", form)
    assert response.status_code == 422 and message in text_of(response)
    with office_data.store.transaction() as session:
        assert session.query(ForceUpdate).count() == before


def test_drafting_from_the_page_gives_a_letter_to_download_read_and_mark_sent(dan: Browserless, office_data: Offices) -> None:
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/draft", {"kind": "response", "letter_date": "7/9/2018"})
    assert response.status_code == 302
    page = text_of(dan.get(response.headers["Location"]))
    assert "Drafted MOPAC" in page and "to Rt Hon Sajid Javid MP" in page
    assert "Kind s.55 response" in page and "s55 response" not in page  # as the Act is cited
    letter_id = int(response.headers["Location"].rsplit("/", 1)[1])
    download = dan.get(f"/letters/{letter_id}/download")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment;")
    document = Document(io.BytesIO(download.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Crime Data Integrity" in text and "Yours sincerely" in text and "Sajid Javid" in text
    sent = dan.post(f"/letters/{letter_id}/sent", {"sent_on": "7/9/2018"})
    assert sent.status_code == 302
    assert "is marked sent" in text_of(dan.get(sent.headers["Location"]))
    again = dan.post(f"/letters/{letter_id}/sent", {"sent_on": "7/9/2018"})
    assert again.status_code == 422 and "is sent, not a draft" in text_of(again)
    with office_data.store.transaction() as session:
        letter = session.get(Letter, letter_id)
        assert letter.status.value == "sent" and letter.sent_on == dt.date(2018, 9, 7)
        # kept in the store as the letter sent, byte for byte what was downloaded; a copy in the office's own folder
        (version,) = letter_versions(session, letter)
        assert letter.file_path is None and version.sha256 == letter.file_sha256 == hashlib.sha256(download.data).hexdigest()
        assert Path(version.mirror_path) == office_data.letters_dir.resolve() / "MOPAC07092018-D2189.docx"


def test_a_draft_that_cannot_be_made_says_why_and_spends_no_reference(dan: Browserless, office_data: Offices, db_url: str) -> None:
    before = snapshot(db_url)
    response = dan.post(f"/inspections/{office_data.mopac_inspection}/draft", {"kind": "response", "letter_date": "7/9/1999"})
    assert response.status_code == 422
    assert "Letter's date: 7 September 1999 is before the report was published, on 17 July 2018" in text_of(response)
    assert snapshot(db_url) == before
    assert sorted(p.name for p in office_data.letters_dir.iterdir()) == ["MOPAC06092018-D2188.docx"]


def test_drafting_a_second_response_says_a_draft_exists(dan: Browserless, office_data: Offices) -> None:
    drafted = dan.post(f"/inspections/{office_data.mopac_inspection}/draft", {"kind": "response", "letter_date": "8/9/2018"})
    assert drafted.status_code == 302
    page = text_of(dan.get(drafted.headers["Location"]))
    assert "MOPAC already has one draft of this response (MOPAC06092018-D2188, not submitted); delete the one not wanted." in page


def test_marking_sent_with_a_date_before_the_letter_is_refused(dan: Browserless, office_data: Offices) -> None:
    response = dan.post(f"/letters/{office_data.mopac_draft}/sent", {"sent_on": "1/9/2018"})
    assert response.status_code == 422 and "is before the letter's date, 7 September 2018" in text_of(response)


# --- the register -----------------------------------------------------------------------------------


def test_the_register_searches_filters_and_exports_what_it_shows(dan: Browserless, office_data: Offices) -> None:
    found = text_of(dan.get("/letters?q=recorded"))  # words in the letter's own file, stemmed
    assert "MOPAC06092018-D2188" in found and "1 letter." in found
    assert "0 letters." in text_of(dan.get("/letters?q=recorded&direction=in"))
    received = text_of(dan.get("/letters?direction=in"))
    assert "Metropolitan Police Service" in received and "MOPAC06092018-D2188" not in received
    partial = dan.get("/letters?q=recorded", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "MOPAC06092018-D2188" in partial.text  # htmx gets the results alone
    bad = dan.get("/letters?from=31/02/2019")
    assert bad.status_code == 422 and "From: '31/02/2019' is not a real date" in text_of(bad)
    rows = list(csv.reader(io.StringIO(dan.get("/letters/export.csv?direction=out").data.decode("utf-8-sig"))))
    assert rows[0][0] == "Reference" and [row[0] for row in rows[1:]] == ["MOPAC06092018-D2188"]
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(dan.get("/letters/export.xlsx").data))
    assert workbook.active.max_row == 3  # the heading, the draft and the letter received


def test_a_full_page_of_results_says_how_many_or_that_more_match(dan: Browserless, office_data: Offices) -> None:
    from correspondence.organisation.offices import get_office
    from correspondence.records.vocabulary import Direction
    from correspondence.register.letters import log_letter

    with office_data.store.transaction() as session:
        mopac = get_office(session, "MOPAC")
        for day in range(101):
            log_letter(session, office=mopac, direction=Direction.IN, letter_date=dt.date(2020, 1, 1) + dt.timedelta(days=day),
                       sender="Metropolitan Police Service", subject=f"Budget question {day}")
    assert "Showing the newest 100 of 103 letters." in text_of(dan.get("/letters"))
    searched = text_of(dan.get("/letters?q=budget"))
    assert "Showing the newest 100 letters that match; more match." in searched and "Budget question 100" in searched
    assert "Budget question 0 " not in searched  # the oldest is beyond the page


def test_a_letter_page_shows_its_thread(dan: Browserless, office_data: Offices) -> None:
    page = text_of(dan.get(f"/letters/{office_data.mopac_draft}"))
    assert "Thread" in page and "MOPAC06092018-D2188 (this letter)" in page and "Update on the Crime Data Integrity" in page


# --- meetings and actions -------------------------------------------------------------------------------


def test_a_meeting_is_added_from_the_page(dan: Browserless) -> None:
    bad = dan.post("/meetings", {"title": "Board", "held_on": "30/02/2024"})
    assert bad.status_code == 422 and "'30/02/2024' is not a real date" in text_of(bad)
    added = dan.post("/meetings", {"title": "MPS Oversight Board", "held_on": "4 July 2024",
                                   "themes": "Trust and confidence\n\nStop and search", "correspondence_issues": "Misconduct"})
    assert added.status_code == 302
    page = text_of(dan.get(added.headers["Location"]))
    assert "Stored the meeting." in page and "MPS Oversight Board, 4 July 2024" in page
    assert "Themes Trust and confidence Stop and search" in page and "Issues to be answered by correspondence Misconduct" in page


def test_an_action_is_added_updated_and_a_follow_up_drafted(dan: Browserless, office_data: Offices) -> None:
    added = dan.post(f"/meetings/{office_data.mopac_meeting}/actions", {"action": "MOPAC to publish the letter.", "lead": "MOPAC",
                                                                       "due": "1/6/2022"})
    assert added.status_code == 302 and "MOPAC to publish the letter." in text_of(dan.get(added.headers["Location"]))
    bad = dan.post(f"/meetings/{office_data.mopac_meeting}/actions", {"action": "", "due": "soon"})
    assert bad.status_code == 422 and "Enter what is to be done" in text_of(bad)
    done = dan.post(f"/actions/{office_data.mopac_action}", {"status": "done", "due": "", "back": "actions"})
    assert done.headers["Location"].endswith("/actions") and "changed status" in text_of(dan.get("/actions"))
    drafted = dan.post(f"/meetings/{office_data.mopac_meeting}/draft", {"letter_date": "4/5/2022"})
    assert drafted.status_code == 302 and "to Sir Steve House" in text_of(dan.get(drafted.headers["Location"]))


def test_dates_before_the_meeting_are_refused_in_the_pages_words(dan: Browserless, office_data: Offices, db_url: str) -> None:
    before = snapshot(db_url)
    early = dan.post(f"/meetings/{office_data.mopac_meeting}/draft", {"letter_date": "1/4/2022"})
    assert early.status_code == 422
    assert "Letter's date: 1 April 2022 is before the meeting, held on 21 April 2022" in text_of(early)
    action = dan.post(f"/meetings/{office_data.mopac_meeting}/actions", {"action": "Report back.", "due": "1/4/2022"})
    assert action.status_code == 422 and "Due date: 1 April 2022 is before the meeting, held on 21 April 2022" in text_of(action)
    assert "Report back." in action.text  # what was typed is kept
    update = dan.post(f"/actions/{office_data.mopac_action}", {"status": "open", "due": "20/4/2021"})
    assert not update.headers["Location"].endswith("#actions")  # the message is at the top of the page: not scrolled past it
    assert "Action 1: Due date: 20 April 2021 is before the meeting, held on 21 April 2022" in text_of(dan.get(update.headers["Location"]))
    assert snapshot(db_url) == before


# --- settings, templates, users, account -------------------------------------------------------------------


def _template_with(marker: str, variable: str = "") -> bytes:
    from correspondence.drafting.rendering import shipped_template

    document = Document(str(shipped_template("annex")))
    document.add_paragraph(marker + variable)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_uploaded_template_is_checked_and_then_used_for_drafts(app: Any, office_data: Offices) -> None:
    ada = Browserless(app)
    ada.login("ada")
    broken = ada.post("/settings/templates", {"template-kind": "annex",
                                              "template-template": (io.BytesIO(_template_with("Ours", " {{ no_such_name }}")), "ours.docx")},
                      content_type="multipart/form-data")
    assert broken.status_code == 422
    assert "ours.docx was not saved: uses {{ no_such_name }}, which the context does not provide" in text_of(broken)
    finished = Document()  # a letter already written, uploaded by mistake: every draft would be a copy of it
    finished.add_paragraph("Dear Sir Mark, thank you for your reply of 20 August 2018.")
    copy = _upload_template(ada, "annex", finished, "reply.docx")
    assert copy.status_code == 422
    assert "reply.docx was not saved: uses none of the letter's fields" in text_of(copy)
    not_word = ada.post("/settings/templates", {"template-kind": "annex", "template-template": (io.BytesIO(b"hello"), "notes.txt")},
                        content_type="multipart/form-data")
    assert "notes.txt was not saved: notes.txt: is not a Word .docx file" in text_of(not_word)
    with office_data.store.transaction() as session:
        assert session.query(OfficeTemplate).count() == 0
    good = ada.post("/settings/templates", {"template-kind": "annex", "template-template": (io.BytesIO(_template_with("OUR OWN ANNEX")), "ours.docx")},
                    content_type="multipart/form-data")
    assert good.status_code == 302
    assert "ours.docx is now the office's annex (findings table) template" in text_of(ada.get(good.headers["Location"]))
    drafted = ada.post(f"/inspections/{office_data.mopac_inspection}/draft", {"kind": "annex", "letter_date": "7/9/2018"})
    letter_id = int(drafted.headers["Location"].rsplit("/", 1)[1])
    document = Document(io.BytesIO(ada.get(f"/letters/{letter_id}/download").data))
    assert "OUR OWN ANNEX" in [p.text for p in document.paragraphs]
    downloaded = Document(io.BytesIO(ada.get("/settings/templates/annex.docx").data))
    assert "OUR OWN ANNEX" in [p.text for p in downloaded.paragraphs]


def _upload_template(admin: Browserless, kind: str, document: Any, name: str) -> Any:
    data = io.BytesIO()
    document.save(data)
    return admin.post("/settings/templates", {"template-kind": kind, "template-template": (io.BytesIO(data.getvalue()), name)},
                      content_type="multipart/form-data")


def test_settings_name_every_kind_of_template_and_take_each(app: Any, office_data: Offices) -> None:
    """The invitation and reminder templates had rows with no name and could not be uploaded."""
    ada = Browserless(app)
    ada.login("ada")
    page = ada.get("/settings").text
    for kind, title in (("invite", "Invitation to comment"), ("chase", "Reminder to comment"), ("response", "s.55 response")):
        assert f'<tr><td data-label="Letter">{title}</td>' in page
        assert f'<option value="{kind}">{title}</option>' in page
    from correspondence.drafting.rendering import shipped_template

    own = Document(str(shipped_template("invite")))
    own.add_paragraph("OUR OWN INVITATION {{ reference }}")
    kept = _upload_template(ada, "invite", own, "invite.docx")
    assert kept.status_code == 302
    assert "invite.docx is now the office's invitation to comment template" in text_of(ada.get(kept.headers["Location"]))


def test_office_settings_are_checked_by_the_library(app: Any) -> None:
    ada = Browserless(app)
    ada.login("ada")
    response = ada.post("/settings/references", {"refs-reference_scheme": "MOPAC-NO-NUMBER"})
    assert response.status_code == 422 and "{seq}" in text_of(response)
    response = ada.post("/settings/office", {"office-name": "MOPAC", "office-date_format": "%Q nonsense"})
    assert response.status_code == 422 and 'href="#office-date_format"' in response.text


def test_an_admin_adds_a_user_who_can_then_log_in(app: Any, office_data: Offices) -> None:
    ada = Browserless(app)
    ada.login("ada")
    short = ada.post("/users", {"name": "newbie", "role": "drafter", "password": "short"})
    assert short.status_code == 422 and "Password (at least 10 characters; they can change it): Must be at least 10 characters" in text_of(short)
    added = ada.post("/users", {"name": "Newbie", "full_name": "New Person", "role": "drafter", "password": "a long enough password"})
    assert added.status_code == 302 and "Added New Person (newbie) as drafter" in text_of(ada.get("/users"))
    assert Browserless(app).login("newbie", "a long enough password").status_code == 302
    last_admin = ada.post(f"/users/{office_data.users['ada']}", {"role": "viewer", "active": "y"})
    assert last_admin.status_code == 422 and "Ada Example is MOPAC's last admin; make someone else an admin first" in text_of(last_admin)
    assert ada.get("/users").status_code == 200  # still an admin


def test_a_user_changes_their_password_and_asks_for_the_morning_email(dan: Browserless, app: Any) -> None:
    wrong = dan.post("/account", {"password-current": "not it", "password-new": "a brand new password", "password-confirm": "a brand new password"})
    assert "Your current password is not right" in text_of(wrong)
    changed = dan.post("/account", {"password-current": "correct horse battery", "password-new": "a brand new password",
                                    "password-confirm": "a brand new password"})
    assert changed.status_code == 302
    assert dan.get("/").status_code == 200  # this session carries on, under a new key and so a new form token
    dan.token = csrf_token(dan.get("/account").text)
    assert Browserless(app).login("dan", "a brand new password").status_code == 302
    saved = dan.post("/account", {"account-email": "dan@mopac.example.org", "account-morning_email": "y"})
    assert saved.status_code == 302 and "Your account is saved." in text_of(dan.get("/account"))
    assert 'checked' in dan.get("/account").text.split('id="account-morning_email"', 1)[1][:40] or \
        'checked' in dan.get("/account").text.split('name="account-morning_email"', 1)[0][-80:]


@requires_seeds
def test_the_seed_report_is_previewed_with_its_grades_figures_and_findings(dan: Browserless) -> None:
    preview = upload(dan, "met-cdi-2018.txt", (SEEDS / "report-hmicfrs-met-cdi-2018-07-17.txt").read_bytes())
    page = text_of(preview)  # each value read is in its field, to change (issue 24)
    assert 'value="Metropolitan Police Service"' in preview.text and 'value="17 July 2018"' in preview.text
    assert '<option selected value="good">Good</option>' in preview.text
    assert "89.5% (±1.64%); over 94,500 reports of crime a year are not recorded" in page
    assert preview.text.count(">Area for improvement</option>") == 7 and "ensure that classification N100 is used correctly" in page


def test_a_long_unbroken_value_may_break_but_stays_escaped_and_words_stay_whole() -> None:
    from correspondence.web.security import breakable

    shown = str(breakable("Board-" + "x" * 45 + " <script>alert(1)</script> & Submitted"))
    assert "<script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Submitted" in shown
    assert shown.startswith("Board-xxxxxxxxxxxxxx<wbr>") and shown.count("<wbr>") == 2
    assert str(breakable("Submitted")) == "Submitted" and str(breakable(None)) == ""
