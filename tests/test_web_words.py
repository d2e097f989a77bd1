"""Each face says a refusal's next step in its own words: the CLI names the command, the web the
page, button or field, and no page ever tells a policy officer to type a `corr` command.

The hint is written once, where the library refuses (errors.CorrespondenceError's ``cli`` and
``web``); str(error) stays what the CLI has always printed."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from docx import Document

from correspondence.records.errors import InvalidInput, NotFound, NotPermitted, extended, for_web
from correspondence.records.models import Letter, RoleHolder
from correspondence.records.vocabulary import LetterKind
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.web_support import Browserless, Offices, text_of

COMMAND = re.compile(r"\bcorr [a-z]")


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def refusal_of(response: Any) -> str:
    """The page's 'There is a problem' message (or the flashed error), as a reader sees it."""
    found = re.search(r'<div class="error-summary".*?<p>(.*?)</p>', response.text, flags=re.DOTALL) or \
        re.search(r'<div class="notice notice--error"[^>]*>(.*?)</div>', response.text, flags=re.DOTALL)
    assert found, f"no refusal on the page: {text_of(response)[:500]}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


def assert_web_words(response: Any, *fragments: str) -> None:
    said = refusal_of(response)
    for fragment in fragments:
        assert fragment in said, said
    assert not COMMAND.search(text_of(response)) and "--" not in said, said


# --- one error, two faces --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [InvalidInput, NotFound, NotPermitted])
def test_str_is_the_clis_words_and_for_web_the_webs(kind: type) -> None:
    error = kind("the invitation R1 is still a draft", cli="mark it sent with 'corr letter sent R1 --date DATE' first",
                 web="mark it sent on its letter page first")
    assert str(error) == "the invitation R1 is still a draft; mark it sent with 'corr letter sent R1 --date DATE' first"
    assert for_web(error) == "the invitation R1 is still a draft; mark it sent on its letter page first"
    no_web_way = kind("no force named 'Nowhere'", cli="add it with 'corr force add'")
    assert str(no_web_way) == "no force named 'Nowhere'; add it with 'corr force add'" and for_web(no_web_way) == "no force named 'Nowhere'"
    plain = kind("--date: 31 February is not a real date")
    assert str(plain) == for_web(plain) == "--date: 31 February is not a real date"


def test_a_message_without_separate_hints_loses_the_clause_naming_a_command_on_the_web() -> None:
    assert for_web(InvalidInput("template x.docx: unexpected '}'; run 'corr template check x.docx'")) == "template x.docx: unexpected '}'"
    assert for_web("letter R1's file is missing; a sent letter must keep its file (see 'corr check')") == \
        "letter R1's file is missing; a sent letter must keep its file"


def test_a_refusal_passed_on_keeps_both_faces_hints() -> None:
    holder = NotFound("no holder of the role 'Commissioner' is recorded on 1 May 2023", cli="add one with 'corr role add'",
                      web="add one on the Role holders page")
    again = extended(holder, cli=", or name the addressee with --addressee", web=", or give the chief officer's name")
    assert str(again) == f"{holder}, or name the addressee with --addressee"
    assert for_web(again) == ("no holder of the role 'Commissioner' is recorded on 1 May 2023; add one on the Role holders page, "
                              "or give the chief officer's name")


def test_the_cli_still_names_its_commands(office_cli: Cli) -> None:
    cli = office_cli
    assert_clean_error(cli("chase", "1", "--office", "MOPAC", "--as", "jo"), "MOPAC has not invited the chief officer's comments on inspection 1; "
                       "do that first with 'corr invite 1 --office MOPAC'")
    assert_clean_error(cli("letter", "show", "NOPE/1"), "no letter with reference 'NOPE/1'; see 'corr letter list'")
    assert_clean_error(cli("user", "add", "jo", "--office", "MOPAC", "--role", "viewer"), "user 'jo' already exists; change them with 'corr user set'")
    assert_clean_error(cli("draft", "response", "1", "--office", "MOPAC", "--to", "Nobody In Post", "--date", "7/9/2018"),
                       "no holder of the role 'Nobody In Post' is recorded on 7 September 2018; add one with 'corr role add', "
                       "or name the addressee with --addressee")


@pytest.fixture
def office_cli(example_cli: Cli) -> Cli:
    example_cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter")
    return example_cli


# --- every refusal a web user can reach, in the web's words --------------------------------------------------


@pytest.fixture
def dan(app: Any) -> Browserless:
    return client(app, "dan")


def invite(dan: Browserless, o: Offices) -> int:
    made = dan.post(f"/inspections/{o.mopac_inspection}/invite", {"invite-letter_date": "18/7/2018"})
    assert made.status_code == 302, text_of(made)
    return int(made.headers["Location"].rsplit("/", 1)[1])


def reply(rows: list[list[str]] | None = None) -> io.BytesIO:
    document = Document()
    document.add_paragraph("Dear Sophie, we accept the findings.")
    if rows:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, cells in zip(table.rows, rows):
            for cell, text in zip(row.cells, cells):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def test_the_process_steps_refuse_in_the_webs_words(dan: Browserless, office_data: Offices, db_url: str) -> None:
    o = office_data
    before = snapshot(db_url)
    chased = dan.post(f"/inspections/{o.mopac_inspection}/chase", {"chase-letter_date": "8/8/2018"})
    assert_web_words(chased, "MOPAC has not invited the chief officer's comments on inspection",
                     "do that first with 'Draft the invitation', and mark it sent on its letter page")
    assert snapshot(db_url) == before

    invitation = invite(dan, o)
    with o.store.reading() as session:
        reference = session.get(Letter, invitation).reference
    again = dan.post(f"/inspections/{o.mopac_inspection}/invite", {"invite-letter_date": "19/7/2018"})
    assert_web_words(again, f"MOPAC already invited comments on inspection {o.mopac_inspection}: {reference}",
                     f"(a draft), reply by 7 August 2018; mark it sent on its letter page ({reference}), or delete the draft there")
    early = dan.post(f"/inspections/{o.mopac_inspection}/comments",
                     {"comments-reply": (reply(), "reply.docx"), "comments-received": "1/8/2018"}, content_type="multipart/form-data")
    assert_web_words(early, f"The invitation {reference} is still a draft; mark it sent on its letter page first")

    assert dan.post(f"/letters/{invitation}/sent", {"sent_on": "18/7/2018"}).status_code == 302
    sent_already = dan.post(f"/inspections/{o.mopac_inspection}/invite", {"invite-letter_date": "19/7/2018"})
    assert_web_words(sent_already, "(sent 18 July 2018)", "chase the comments with 'Draft the reminder'")

    unmatched = dan.post(f"/inspections/{o.mopac_inspection}/comments",
                         {"comments-reply": (reply([["No.", "Area", "Status", "Update"], ["Z9", "", "complete", "Done."],
                                                    ["A1", "", "Finished", "Done."]]), "table.docx"),
                          "comments-received": "1/8/2018"}, content_type="multipart/form-data")
    assert_web_words(unmatched, "table.docx could not be stored", "so nothing was stored; correct them, or tick 'Store it even if",
                     "row 3: A1's Status: unknown update status 'Finished'")
    assert refusal_of(unmatched).lower().count("nothing was stored") == 1
    assert dan.post(f"/inspections/{o.mopac_inspection}/comments", {"comments-reply": (reply(), "reply.docx"), "comments-received": "1/8/2018"},
                    content_type="multipart/form-data").status_code == 302
    twice = dan.post(f"/inspections/{o.mopac_inspection}/comments", {"comments-reply": (reply(), "reply.docx"), "comments-received": "2/8/2018"},
                     content_type="multipart/form-data")
    assert_web_words(twice, "are already stored", "later updates go in with 'Record the update' under Findings")

    unsent = dan.post(f"/inspections/{o.mopac_inspection}/publish", {"publish-published_on": "10/9/2018"})
    assert_web_words(unsent, "MOPAC06092018-D2188 is a draft", "publish it once it is marked sent on its letter page")


def test_drafting_and_publishing_what_is_not_ready_is_refused_in_the_webs_words(dan: Browserless, office_data: Offices) -> None:
    o = office_data
    unanswered = dan.post(f"/inspections/{o.mopac_spare}/draft", {"kind": "response", "letter_date": "1/4/2019"})
    assert_web_words(unanswered, "has one recommendation with neither an answer from MOPAC nor an update from the force (R1)",
                     "s.55(5B) requires each to be answered: add the office's answer or the force's update under Findings, "
                     "or tick 'Draft even if a recommendation has neither an update nor our answer'")
    nothing = dan.post(f"/inspections/{o.mopac_spare}/publish", {"publish-published_on": "1/4/2019"})
    assert_web_words(nothing, "has not been sent: no s.55 letter has been drafted; draft it with 'Draft the letter'")
    with o.store.transaction() as session:  # the Commissioner of 2018 not recorded: nobody to address the invitation to
        session.query(RoleHolder).filter(RoleHolder.role == "Commissioner").delete()
    nobody = dan.post(f"/inspections/{o.mopac_inspection}/invite", {"invite-letter_date": "18/7/2018"})
    assert_web_words(nobody, "No holder of the role 'Commissioner' is recorded on 18 July 2018; add one on the Role holders page, "
                     "or give the chief officer's name")


def test_forms_refuse_in_their_own_labels(app: Any, dan: Browserless, office_data: Offices) -> None:
    """Refusals named the library's fields (ends_on, held_on, host, email) where the form says
    'Last day in the role' or 'Date it was held'."""
    o = office_data
    no_reason = dan.post(f"/inspections/{o.mopac_inspection}/answers", {"answer-area": str(o.mopac_area), "answer-no_action": "y"})
    assert_web_words(no_reason, "No reason given for taking no action: s.55(5B) asks why; give it under 'Why no action will be taken'")
    empty = dan.post(f"/inspections/{o.mopac_inspection}/answers", {"answer-area": str(o.mopac_area)})
    assert_web_words(empty, "What the office has done or will do: say what the office has done or will do (or tick 'No action' and say why)")
    ahead = dan.post("/meetings", {"title": "Board", "held_on": "1/1/2031"})
    assert_web_words(ahead, "Date it was held: 1 January 2031 is more than a year ahead; check the year")
    ada = client(app, "ada")
    ended = ada.post("/roles", {"role": "Commissioner", "name": "Sir Mark Rowley", "starts": "12/9/2022", "ends": "11/9/2022"})
    assert_web_words(ended, "Last day in the role: 11 September 2022 is before 'First day in the role', 12 September 2022")
    mail = ada.post("/settings/mail", {"mail-host": " ", "mail-port": "25", "mail-security": "none", "mail-sender": "x@example.org"})
    assert "SMTP server" in text_of(mail) and "host:" not in text_of(mail)


def test_approval_and_deletion_refuse_in_the_webs_words(app: Any, dan: Browserless, office_data: Offices) -> None:
    o = office_data
    april = client(app, "april")
    page = april.get(f"/letters/{o.mopac_draft}").text
    sha256 = re.search(r'name="sha256"[^>]*value="([0-9a-f]{64})"', page)
    approved = april.post(f"/letters/{o.mopac_draft}/approve", {"sha256": sha256.group(1) if sha256 else "0" * 64})
    assert_web_words(approved, "has not been submitted for approval; submit it first with 'Submit for approval' on this page")

    assert dan.post(f"/letters/{o.mopac_draft}/sent", {"sent_on": "7/9/2018"}).status_code == 302
    refused = client(app, "ada").post(f"/inspections/{o.mopac_inspection}/delete", {"delete-confirm": "y"})
    assert_web_words(refused, "the sent letter(s) MOPAC06092018-D2188 refer to it; correct its details with 'Save the corrections' instead")


def test_an_admin_adding_a_user_twice_is_told_where_to_change_them(app: Any, office_data: Offices) -> None:
    refused = client(app, "ada").post("/users", {"name": "dan", "role": "viewer", "password": "a long enough password"})
    assert_web_words(refused, "User 'dan' already exists; change them in the list of users below")


# --- the sweep: no page names a command ----------------------------------------------------------------------


def test_no_page_the_permission_matrix_visits_names_a_corr_command(app: Any, office_data: Offices) -> None:
    """Every route of the permission matrix, taken as the admin (who may take them all), in its order;
    each answer (a redirect followed to the page it lands on, with its message) read as a user reads it."""
    from tests.test_web import _actions

    ada = client(app, "ada")
    seen = 0
    for what, method, path, data, _needed in _actions(office_data):
        form = data() if callable(data) else data
        path = path() if callable(path) else path
        response = ada.get(path) if method == "GET" else ada.post(path, form, content_type="multipart/form-data")
        if response.status_code == 302:
            response = ada.get(response.headers["Location"])
        if not response.mimetype.startswith("text/html"):
            continue  # a download: the letter or template itself
        seen += 1
        assert not COMMAND.search(text_of(response)), f"{what}: {COMMAND.search(text_of(response))} in {text_of(response)[:3000]}"
    assert seen >= 30
    with office_data.store.reading() as session:  # the process pages were met at each stage, not all refused early
        assert session.query(Letter).filter(Letter.kind == LetterKind.INVITATION).count() == 1
