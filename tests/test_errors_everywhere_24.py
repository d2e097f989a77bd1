"""The GOV.UK patterns on every form (issue 24): every problem at once in an error summary at the top
of the form, each linked to its field, what was typed kept, the form's panel left open; full names
of people, never login names; and no page with a library field name, an exception's class name or
an id such as "1:2"."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from correspondence.process import clearance
from correspondence.records.models import Letter, User
from correspondence.records.store import acting_as
from tests.web_support import Browserless, Offices, text_of


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def summary(response: Any) -> list[tuple[str, str]]:
    """Each problem in the page's error summaries: (the field it links to, what it says)."""
    found = []
    for block in re.findall(r'<div class="error-summary".*?</div>', response.text, flags=re.DOTALL):
        for target, said in re.findall(r'<a href="#([^"]+)">(.*?)</a>', block, flags=re.DOTALL):
            found.append((target, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", said)).split())))
    return found


def value_of(response: Any, field_id: str) -> str | None:
    tag = re.search(rf'<(?:input|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', response.text)
    assert tag, f"no field {field_id}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def test_adding_a_user_says_every_problem_at_once_each_linked_to_its_field(app: Any, office_data: Offices) -> None:
    ada = client(app, "ada")
    refused = ada.post("/users", {"name": "J Smith!", "full_name": "Jo Smith", "email": "not-an-address", "role": "drafter",
                                  "password": "short"})
    assert refused.status_code == 422
    problems = dict(summary(refused))
    assert set(problems) == {"name", "email", "password"}, problems
    assert "use letters, digits" in problems["name"] and "not an e-mail address" in problems["email"]
    assert "at least 10 characters" in problems["password"]
    assert (value_of(refused, "name"), value_of(refused, "full_name"), value_of(refused, "email")) == ("J Smith!", "Jo Smith", "not-an-address")
    taken = ada.post("/users", {"name": "dan", "role": "viewer", "password": "a long enough password"})
    assert summary(taken) == [("name", "Login name, for example jsmith: User 'dan' already exists; change them in the list of users below")]


def test_changing_a_user_links_the_problem_to_their_row(app: Any, office_data: Offices) -> None:
    ada = client(app, "ada")
    dan = office_data.users["dan"]
    refused = ada.post(f"/users/{dan}", {"role": "approver", "active": "y", "password": "short"})
    assert refused.status_code == 422
    assert summary(refused) == [(f"password-{dan}", "New password (leave empty to keep it): Must be at least 10 characters")]
    row = re.search(rf'<select[^>]*id="role-{dan}".*?</select>', refused.text, flags=re.DOTALL).group(0)
    assert re.search(r'<option value="approver" selected>', row), "the role chosen is kept"
    with office_data.store.reading() as session:
        assert session.get(User, dan).role.value == "drafter"


def test_a_chase_refused_keeps_its_panel_open_with_what_was_typed(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    page = f"/inspections/{office_data.mopac_inspection}"
    both = dan.post(f"{page}/chase", {"chase-letter_date": "31/2/2019", "chase-reply_by": "someday"})
    assert both.status_code == 422
    assert {target for target, _ in summary(both)} == {"chase-letter_date", "chase-reply_by"}, "both problems at once"
    refused = dan.post(f"{page}/chase", {"chase-letter_date": "1/8/2018", "chase-reply_by": "20/8/2018"})
    assert refused.status_code == 422
    said = summary(refused)
    assert said and said[0][0].startswith("chase-") and "invitation" in said[0][1].lower(), said
    assert re.search(r'<details class="step" id="step-chase" open>', refused.text), "the chase panel stays open"
    assert (value_of(refused, "chase-letter_date"), value_of(refused, "chase-reply_by")) == ("1/8/2018", "20/8/2018")


def test_publishing_and_marking_sent_link_their_problems_to_their_fields(app: Any, office_data: Offices) -> None:
    dan = client(app, "dan")
    sent = dan.post(f"/letters/{office_data.mopac_draft}/sent", {"sent_on": "7/9/2018", "hmicfrs_on": "1/9/2018"})
    assert sent.status_code == 422
    said = summary(sent)
    assert said and said[0][0] in ("sent_on", "hmicfrs_on"), said
    assert value_of(sent, "sent_on") == "7/9/2018"
    future = dan.post(f"/inspections/{office_data.mopac_inspection}/publish", {"publish-published_on": "1/1/2099"})
    assert future.status_code == 422
    assert [target for target, _ in summary(future)] == ["publish-published_on"]
    assert value_of(future, "publish-published_on") == "1/1/2099"


def test_people_are_named_by_their_full_names(app: Any, office_data: Offices) -> None:
    with office_data.store.transaction() as session:
        letter = session.get(Letter, office_data.mopac_draft)
        with acting_as("dan"):
            clearance.submit(session, letter)
        with acting_as("april"):
            clearance.approve(session, letter)
    dan = client(app, "dan")
    letter_page = text_of(dan.get(f"/letters/{office_data.mopac_draft}"))
    assert "Approved by April Example" in letter_page and "approved by april" not in letter_page.lower().replace("april example", "")
    timeline = re.search(r'<table class="[^"]*timeline.*?</table>', dan.get(f"/inspections/{office_data.mopac_inspection}").text,
                         flags=re.DOTALL).group(0)
    bys = set(re.findall(r'data-label="By">([^<]*)<', timeline)) - {""}
    assert bys and bys <= {"Dan Example", "April Example", "Ada Example", "Vera Example", "root"} | {
        name for name in bys if " " in name}, bys
    assert not bys & {"dan", "april", "ada", "vera"}, bys


# --- no developer words on any page -----------------------------------------------------------------

EXCEPTION = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Exception)\b")
ID_PAIR = re.compile(r">\s*\d+:\d+\s*<")
INDEXED = re.compile(r"\b[a-z_]+\[\d+\]")


def model_field_names() -> set[str]:
    """Every column name of the store with an underscore in it (held_on, overall_grade...)."""
    from correspondence.records.models import Base

    return {column.name for table in Base.metadata.tables.values() for column in table.columns if "_" in column.name}


def pages(o: Offices) -> list[str]:
    return ["/", "/inspections", f"/inspections/{o.mopac_inspection}", f"/inspections/{o.mopac_spare}", "/letters",
            "/letters?q=crime", f"/letters/{o.mopac_draft}", f"/letters/{o.mopac_received}", "/meetings",
            f"/meetings/{o.mopac_meeting}", "/actions", "/roles", "/settings", "/users", "/account", "/inspections/upload"]


@pytest.mark.parametrize("name", ["ada", "vera"])
def test_no_page_shows_a_field_name_an_exception_or_an_id(app: Any, office_data: Offices, name: str) -> None:
    browser = client(app, name)
    fields = model_field_names()
    for path in pages(office_data):
        response = browser.get(path)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, path
        words = text_of(response)
        assert not EXCEPTION.search(words), f"{path}: {EXCEPTION.search(words).group(0)}"
        assert not ID_PAIR.search(response.text), f"{path}: {ID_PAIR.search(response.text).group(0)}"
        assert not INDEXED.search(words), f"{path}: {INDEXED.search(words).group(0)}"
        named = sorted(field for field in fields if re.search(rf"(?<![{{\w]){field}(?![}}\w])", words))  # {held_on}: a placeholder
        assert named == [], f"{path} names {named}"


def test_a_refusal_naming_an_exception_class_is_said_without_it() -> None:
    from correspondence.records.errors import InvalidInput
    from correspondence.web.wording import said

    assert said(InvalidInput("reply.docx: cannot be read as a Word .docx file (PackageNotFoundError)")) == \
        "Reply.docx: cannot be read as a Word .docx file"
    assert said("it is damaged: BadZipFile; upload it again", capital=False) == "it is damaged; upload it again"


def test_marking_sent_says_a_wrong_date_and_a_missing_approval_at_once(app: Any, office_data: Offices) -> None:
    """Mark sent gave one problem at a time: put the date right, then learn the letter needed approval."""
    from correspondence.organisation.offices import get_office, update_office

    with office_data.store.transaction() as session:
        update_office(session, get_office(session, "MOPAC"), require_approval=True)
    dan = client(app, "dan")
    sent = dan.post(f"/letters/{office_data.mopac_draft}/sent", {"sent_on": "1/1/2099"})
    assert sent.status_code == 422
    words = text_of(sent)
    assert "1 January 2099 is in the future" in words and "MOPAC requires approval before a letter is sent" in words
    assert ("sent_on", "Date it was sent: 1 January 2099 is in the future") in summary(sent) or \
        any(target == "sent_on" and "in the future" in said for target, said in summary(sent))
    assert value_of(sent, "sent_on") == "1/1/2099"
    with office_data.store.reading() as session:
        assert session.get(Letter, office_data.mopac_draft).status.value == "draft"
