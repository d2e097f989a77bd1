"""Each face says a refusal in its own words: the CLI names the option and the command, the web the
form's label and the page, button or field, and no page ever tells a policy officer to type a
`corr` command.

The library refuses with data (records/errors.py: the field, the value, the next step as an
intent); cli/wording.py and web/wording.py word it, and the library itself names no command,
option or form label."""

from __future__ import annotations

import ast
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from correspondence.cli.wording import OPTIONS as CLI_OPTIONS
from correspondence.cli.wording import STEPS as CLI_STEPS
from correspondence.cli.wording import said as cli_said
from correspondence.records.errors import InvalidInput, NotFound, NotPermitted, Step, named
from correspondence.records.models import Letter, RoleHolder
from correspondence.records.vocabulary import LetterKind
from correspondence.web.wording import STEPS as WEB_STEPS
from correspondence.web.wording import said as web_said
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.web_support import Browserless, Offices, text_of

COMMAND = re.compile(r"\bcorr [a-z]")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]+")  # --date, --allow-missing (not an em-dash, not a "-- table" rule)
PACKAGE = Path(__file__).resolve().parents[1] / "correspondence"


def library_modules() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path.relative_to(PACKAGE).parts[0] not in ("cli", "web")]


def library_strings() -> list[tuple[str, str]]:
    """(file:line, text) of every string literal in the library, docstrings included; the pieces
    of an f-string one by one."""
    found = []
    for path in library_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node.value))
    return found


def library_names() -> tuple[set[str], set[str]]:
    """The step actions (``Step("...")``) and fields (``field="..."``, ``named("...")``) the library names."""
    steps, fields = set(), set()
    for path in library_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "Step" and node.args and isinstance(node.args[0], ast.Constant):
                steps.add(node.args[0].value)
                fields |= {keyword.value.value for keyword in node.keywords
                           if keyword.arg == "field" and isinstance(keyword.value, ast.Constant)}
            elif name == "named" and node.args and isinstance(node.args[0], ast.Constant):
                fields.add(node.args[0].value)
            elif name in ("InvalidInput", "NotFound", "NotPermitted", "CorrespondenceError", "check_after_report", "parse"):
                fields |= {keyword.value.value for keyword in node.keywords
                           if keyword.arg == "field" and isinstance(keyword.value, ast.Constant) and keyword.value.value.islower()}
    return steps, fields


def web_labels() -> set[str]:
    """The workspace's own words a library message must not borrow: each form field's label of three
    words or more, and each button (a short label like "Title" is a word any sentence may hold)."""
    from wtforms import Form

    import correspondence.web.auth as auth
    import correspondence.web.forms as forms

    labels = set()
    for module in (forms, auth):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Form):
                for unbound in vars(value).values():
                    text = (getattr(unbound, "args", None) or ("",))[0]
                    if isinstance(text, str) and len(text.split()) >= 3:
                        labels.add(text)
    for template in (PACKAGE / "web" / "templates").glob("*.html"):
        for button in re.findall(r"<button[^>]*>\s*([^<{]+?)\s*</button>", template.read_text(encoding="utf-8")):
            if len(button.split()) >= 2:
                labels.add(button)
    return labels


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def refusal_of(response: Any) -> str:
    """The page's 'There is a problem' message (or the flashed error), as a reader sees it."""
    found = re.search(r'<div class="error-summary".*?</h2>\s*(?:<p>|<ul>)(.*?)(?:</p>|</ul>)', response.text, flags=re.DOTALL) or \
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
def test_one_refusal_is_worded_by_each_face(kind: type) -> None:
    error = kind("the invitation R1 is still a draft", steps=[Step("mark_sent_first", "record it as sent first", letter="R1")])
    assert cli_said(error) == "the invitation R1 is still a draft; mark it sent with 'corr letter sent R1 --date DATE' first"
    assert web_said(error) == "The invitation R1 is still a draft; mark it sent on its letter page first"
    assert str(error) == "the invitation R1 is still a draft; record it as sent first"  # plain words, for logs
    no_web_way = kind("no force named 'Nowhere'", steps=[Step("add_force", "add the force first", force="Nowhere")])
    assert cli_said(no_web_way) == "no force named 'Nowhere'; add it with 'corr force add'"
    assert web_said(no_web_way) == "No force named 'Nowhere'"
    dated = kind("31 February is not a real date", field="sent_on")
    assert cli_said(dated) == "--date: 31 February is not a real date"
    assert web_said(dated, {"sent_on": "Date it was sent"}) == "Date it was sent: 31 February is not a real date"
    assert (dated.field, str(dated)) == ("sent_on", "sent_on: 31 February is not a real date")


def test_a_refusal_naming_other_fields_names_them_as_each_face_does() -> None:
    error = InvalidInput(f"11 September 2022 is before {named('starts_on')}, 12 September 2022", field="ends_on")
    assert cli_said(error) == "--until: 11 September 2022 is before --from, 12 September 2022"
    assert web_said(error, {"starts_on": "First day in the role", "ends_on": "Last day in the role"}) == \
        "Last day in the role: 11 September 2022 is before 'First day in the role', 12 September 2022"
    assert error.fields() == ["ends_on", "starts_on"]


def test_a_refusal_passed_on_keeps_both_faces_hints() -> None:
    holder = NotFound("no holder of the role 'Commissioner' is recorded on 1 May 2023",
                      steps=[Step("add_role_holder", "add one", role="Commissioner", office="MOPAC")])
    again = holder.with_steps(Step("or_name_chief_officer", "or name the chief officer"))
    assert cli_said(again) == f"{cli_said(holder)}, or name the addressee with --addressee"
    assert web_said(again) == ("No holder of the role 'Commissioner' is recorded on 1 May 2023; add one on the Role holders page, "
                               "or give the chief officer's name")
    where = InvalidInput("8 June 2030 is in the future", field="received_on").prefixed("reply.docx: ")
    assert cli_said(where) == "reply.docx: --date: 8 June 2030 is in the future"


def test_a_step_with_no_way_on_the_web_is_left_unsaid_never_worded_as_a_command() -> None:
    error = InvalidInput("template x.docx: unexpected '}'", steps=[Step("check_template", "check the template", template="x.docx")])
    assert cli_said(error) == "template x.docx: unexpected '}'; run 'corr template check x.docx'"
    assert web_said(error) == ("Template x.docx: unexpected '}'; upload the template again on the Settings page, which lists every "
                               "problem, or remove it there")
    other = InvalidInput("inspection 3 is of Kent Police, but MOPAC oversees the Met", steps=[Step("other_force", "say so")])
    assert web_said(other) == "Inspection 3 is of Kent Police, but MOPAC oversees the Met" and "--other-force" in cli_said(other)


def test_every_step_and_field_the_library_names_has_each_faces_words() -> None:
    """A step or field added in the library without words in a face would be said in the library's
    plain words (or fail): each face must say, for every one, how it is done there or that it cannot be."""
    steps, fields = library_names()
    assert steps and fields
    assert sorted(steps - set(CLI_STEPS)) == [] and sorted(steps - set(WEB_STEPS)) == []
    assert sorted(fields - set(CLI_OPTIONS)) == [], "fields with no option of the command line's"


def test_the_library_names_no_command_option_or_form_label() -> None:
    """What the CLI and the web say is theirs alone: no string in the library (messages, docstrings)
    names a corr command, an option, or a label or button of the workspace's forms."""
    found = [f"{where}: {text[:120]!r}" for where, text in library_strings()
             if COMMAND.search(text) or OPTION.search(text) and " " in text  # a lone "--headless" is LibreOffice's argument
             or any(label in text for label in web_labels())]
    assert found == []


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
                     f"(a draft), reply by 7 August 2018; mark it sent on its letter page ({reference}), or withdraw the draft there")
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
