"""The section 55 process on the bundled example, from the report's publication to the response's.

Invite the Commissioner's comments, chase them, store them, clear the s.55 letter (an edit after
approval voids it), send it with its copies, publish it as an accessible page and a tagged PDF/A.
Each step is checked as an officer would notice it: the letters read back with python-docx, the
published files read back with pypdf and html.parser, and `corr due` / `inspection show`.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from correspondence.cli.wording import said as cli_said
from correspondence.files.pdf import libreoffice
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.docx_reading import read_letter

RESPONSE = "MOPAC06092018-D2188"  # the example's draft s.55 response
URL = "https://www.london.gov.uk/mopac/hmicfrs/crime-data-integrity-2018"
needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture
def office(example_cli: Cli) -> Cli:
    """The example with the Commissioner of 2018 recorded and three users: a drafter and two approvers."""
    cli = example_cli
    cli.ok("role", "add", "Commissioner", "Cressida Dick", "--from", "10/4/2017", "--until", "10/4/2022", "--office", "MOPAC",
           "--salutation", "Dear Cressida", "--address", "New Scotland Yard", "--address", "Victoria Embankment",
           "--address", "London SW1A 2JL")
    cli.ok("user", "add", "jo", "--office", "MOPAC", "--role", "drafter")
    cli.ok("user", "add", "pat", "--office", "MOPAC", "--role", "approver")
    cli.ok("user", "add", "sam", "--office", "MOPAC", "--role", "approver")
    return cli


def commissioner_reply(path: Path) -> Path:
    """The Commissioner's reply, as a force would send it: a letter, and the findings table filled in."""
    from docx import Document

    document = Document()
    for text in ("New Scotland Yard", "20 August 2018", "Dear Sophie",
                 "Thank you for inviting my comments on the Crime Data Integrity inspection of the MPS.",
                 "I welcome the report's finding that the leadership & culture of crime recording are outstanding."):
        document.add_paragraph(text)
    table = document.add_table(rows=3, cols=4)
    for row, cells in zip(table.rows, [["No.", "Area", "Status", "Update"],
                                       ["A3", "Use the N100 classification correctly.", "complete", "All investigators are trained in N100."],
                                       ["A7", "", "in progress", "Diversity fields are now on the crime record."]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("Yours sincerely")
    document.add_paragraph("Cressida Dick, Commissioner")
    document.save(str(path))
    return path


def invite_and_send(cli: Cli, *extra: str) -> str:
    reference = cli.json("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo", *extra)["reference"]
    cli.ok("letter", "sent", reference, "--date", "18/7/2018", "--as", "jo")
    return reference


def due(cli: Cli, today: str) -> dict:
    return next(item for item in cli.json("due", "--today", today) if item["inspection_id"] == 1)


def test_the_whole_process_from_publication_to_publication(office: Cli, tmp_path: Path) -> None:
    cli = office
    assert due(cli, "18/7/2018")["next_step"] == "invite the Commissioner's comments (s.55(4))"
    cli.ok("office", "set", "MOPAC", "--require-approval")

    # 1. The invitation: to the Commissioner of the day, by name, with the findings table and a reply-by date.
    invitation = cli.json("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo")
    letter = read_letter(Path(invitation["file"]))
    assert "Cressida Dick\nCommissioner\nNew Scotland Yard" in letter.text and "Dear Cressida" in letter.text
    assert "I would be grateful to receive your comments by 7 August 2018." in letter.text
    assert "by 10 September 2018" in letter.text  # the last day for publishing
    assert letter.tables[0][0] == ["No.", "Finding", "Status", "Update"]
    assert letter.tables[0][1][0] == "Areas for improvement"  # one row naming the kind, then its findings
    assert [row[0] for row in letter.tables[0][2:]] == [f"A{n}" for n in range(1, 8)]
    reference = invitation["reference"]
    assert due(cli, "19/7/2018")["next_step"] == f"send the invitation {reference}"

    # Clearance is required: the unapproved invitation is refused, then cleared by a second person.
    before = snapshot(cli.db_url)
    assert_clean_error(cli("letter", "sent", reference, "--date", "18/7/2018", "--as", "jo"),
                       "MOPAC requires approval before a letter is sent", "not submitted for approval")
    assert_clean_error(cli("letter", "sent", reference, "--date", "1/1/2099", "--as", "jo"),  # every reason, in one line
                       "--date: 1 January 2099 is in the future; MOPAC requires approval before a letter is sent")
    assert snapshot(cli.db_url) == before
    cli.ok("letter", "submit", reference, "--as", "jo")
    cli.ok("letter", "approve", reference, "--as", "pat")
    cli.ok("letter", "sent", reference, "--date", "18/7/2018", "--as", "jo")
    waiting = due(cli, "1/8/2018")
    assert (waiting["stage"], waiting["next_step"], waiting["next_on"]) == (
        "invited", "the Commissioner's comments are due", "2018-08-07")

    # Chasing: refused until the reply-by date has passed, then a reminder with a new date.
    assert_clean_error(cli("chase", "1", "--date", "7/8/2018", "--as", "jo"),
                       "the chief officer has until 7 August 2018 to comment", "a reminder can be dated from 8 August 2018")
    assert due(cli, "8/8/2018")["next_step"] == "chase the Commissioner's comments (due 7 August 2018)"
    reminder = cli.json("chase", "1", "--date", "8/8/2018", "--reply-by", "15/8/2018", "--as", "jo")
    text = read_letter(Path(reminder["file"])).text
    assert "On 18 July 2018 I invited your comments" in text and f"(our ref {reference})" in text
    assert "I have not yet received them." in text and "I would be grateful to receive your comments by 15 August 2018." in text
    assert "Dear Cressida" in text
    assert f"Please return by 15 August 2018. Our ref: {reminder['reference']}." in text  # the annex carries the new date
    cells = [cell for table in read_letter(Path(reminder["file"])).tables for row in table for cell in row]
    assert "A1" in cells and not any("Awaiting an update" in cell for cell in cells)  # a form for the force: Update cells left empty
    assert due(cli, "9/8/2018")["next_step"] == f"send the reminder {reminder['reference']} (comments were due 7 August 2018)"

    # 2. The Commissioner's comments: a received letter, its table read into the force's updates.
    stored = cli.json("comments", "add", "1", str(commissioner_reply(tmp_path / "reply.docx")), "--date", "20/8/2018",
                      "--ref", "MPS/CDI/2018", "--as", "jo")
    assert [(c["area"], c["after"], c["unchanged"]) for c in stored["changes"]] == [
        ("A3", "complete: All investigators are trained in N100.", False),
        ("A7", "in progress: Diversity fields are now on the crime record.", False),
    ] and stored["stored"] == 2
    received = cli.json("letter", "show", f"#{stored['letter_id']}")
    assert (received["direction"], received["kind"], received["inspection_id"], received["sender"]) == (
        "in", "chief officer's comments", 1, "Cressida Dick, Commissioner")
    areas = {a["code"]: a["latest_update"] for a in cli.json("inspection", "show", "1")["areas"]}
    assert areas["A3"] == {"status": "complete", "text": "All investigators are trained in N100.", "received_on": "2018-08-20"}
    context = cli.json("template", "context", "1", "--office", "MOPAC", "--date", "7/9/2018")
    assert context["chief_officer_comments"] == {"date": "20 August 2018", "date_iso": "2018-08-20",
                                                 "reference": "MPS/CDI/2018", "sender": "Cressida Dick, Commissioner",
                                                 "title": "Commissioner", "heading": "Response to the Commissioner's comments"}

    # 4. Clearance of the s.55 letter: a second person, and an edit after approval voids it.
    assert due(cli, "1/9/2018")["next_step"] == f"submit {RESPONSE} for approval"
    cli.ok("letter", "submit", RESPONSE, "--as", "sam")
    assert_clean_error(cli("letter", "approve", RESPONSE, "--as", "sam"), "MOPAC requires a second person to approve it")
    assert_clean_error(cli("letter", "approve", RESPONSE, "--as", "jo"), "jo is a drafter; this needs an approver or above")
    cli.ok("letter", "approve", RESPONSE, "--as", "pat")
    assert cli.json("letter", "show", RESPONSE)["approval"].startswith("approved by pat on ")
    _edit(cli, "I welcome the Commissioner's comments of 20 August 2018.")
    void = cli.json("letter", "show", RESPONSE)["approval"]
    assert void.startswith("approval is void: the file has changed since pat approved it on ") and void.endswith("submit it again")
    assert due(cli, "1/9/2018")["stage"] == "approved (approval void)"
    before = snapshot(cli.db_url)
    assert_clean_error(cli("letter", "sent", RESPONSE, "--date", "7/9/2018", "--as", "jo"),
                       f"letter {RESPONSE} cannot be sent: its approval is void")
    assert snapshot(cli.db_url) == before
    cli.ok("letter", "submit", RESPONSE, "--as", "jo")
    cli.ok("letter", "approve", RESPONSE, "--as", "pat")

    # 5. Sent: to the Home Secretary and HMICFRS, each copy with its date (s.55(6)).
    assert_clean_error(cli("publish", "1", "--date", "7/9/2018", "--as", "jo"), "has not been sent", f"{RESPONSE} is a draft")
    sent = cli.json("letter", "sent", RESPONSE, "--date", "7/9/2018", "--hmicfrs-date", "10/9/2018", "--as", "jo")
    assert sent["copies"] == [{"to": "Home Secretary", "sent_on": "2018-09-07"}, {"to": "HMICFRS", "sent_on": "2018-09-10"}]
    assert (due(cli, "8/9/2018")["stage"], due(cli, "8/9/2018")["next_step"]) == ("sent", "publish the response")

    # 6. Published: the package, and the deadline met only now.
    if libreoffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed, so the publication package cannot be made")
    assert_clean_error(cli("publish", "1", "--date", "6/9/2018", "--as", "jo"), "is before the response was sent, on 7 September 2018")
    out = tmp_path / "site"
    published = cli.json("publish", "1", "--date", "10/9/2018", "--url", URL, "--out", str(out), "--as", "jo")
    assert published["days_late"] == 0
    check_pdf(Path(published["pdf"]))
    check_html(Path(published["html"]))
    check_index(Path(published["index"]), Path(published["html"]).name)
    assert [i["inspection_id"] for i in cli.json("due", "--today", "11/9/2018")] == []
    before = snapshot(cli.db_url)
    assert_clean_error(cli("publish", "1", "--date", "10/9/2018", "--as", "jo"), "was already published on 10 September 2018")
    assert snapshot(cli.db_url) == before

    # The timeline: every step, with who did it.
    response = cli.json("inspection", "show", "1")["responses"][0]
    assert (response["stage"], response["published_on"], response["published_url"]) == ("published", "2018-09-10", URL)
    steps = [(step["date"], step["what"], step["by"]) for step in response["timeline"]]
    assert steps[0][:2] == ("2018-07-17", "HMICFRS published the report")  # one timeline: the report's story and the response's
    assert steps[1:4] == [
        ("2018-07-18", f"invitation to comment {reference} drafted to Cressida Dick, Commissioner; reply by 7 August 2018", "jo"),
        ("2018-07-18", f"invitation to comment {reference} sent", "jo"),
        ("2018-08-08", f"reminder {reminder['reference']} drafted to Cressida Dick, Commissioner", "jo"),
    ]
    assert [step for step in steps if step[1].startswith("chief officer's comments")] == [
        ("2018-08-20", f"chief officer's comments {response['comments']} received from Cressida Dick, Commissioner", "jo")]
    assert ("2018-09-10", "last day to publish the s.55 comments", "") in steps
    assert [step[0] for step in steps] == sorted(step[0] for step in steps)
    assert ("2018-09-07", f"s.55 response {RESPONSE} sent to the Home Secretary", "jo") in steps
    assert ("2018-09-10", f"s.55 response {RESPONSE} sent to HMICFRS", "jo") in steps
    assert ("2018-09-10", f"response published at {URL}", "jo") in steps
    approvals = [step for step in steps if step[1] == f"s.55 response {RESPONSE} approved"]
    assert [step[2] for step in approvals] == ["pat", "pat"]
    shown = cli.ok("inspection", "show", "1").stdout
    assert f"MOPAC's s.55 response: published on 10 September 2018 at {URL}" in shown
    assert "17 July 2018  HMICFRS published the report" in shown and f"10 September 2018  response published at {URL}  (jo)" in shown
    stages = [e["data"]["stage"] for e in reversed(cli.json("history", "--entity", "s55_responses", "--limit", "50"))
              if "stage" in e["data"]]
    assert stages[0] == "invitation drafted" and stages[-1] == ["sent", "published"]


def _edit(cli: Cli, sentence: str) -> None:
    """What an officer does: take the letter out, add a sentence in Word, save, and bring it back as a new version."""
    import tempfile

    from docx import Document

    path = Path(tempfile.mkdtemp(prefix="corr-edit-")) / "edited.docx"
    cli.ok("letter", "file", RESPONSE, "--to", str(path))
    document = Document(str(path))
    document.add_paragraph(sentence)
    document.save(str(path))
    cli.ok("letter", "version", "add", RESPONSE, str(path), "--why", "an edit in Word", "--as", "jo")


# --- the published files, read back -------------------------------------------------------------------


def check_pdf(path: Path) -> None:
    """Tagged (a structure tree, marked content), en-GB, titled, PDF/A-2 and PDF/UA in its XMP, and the text."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    title = "The Metropolitan Police Service: Crime Data Integrity inspection 2018 \u2013 response of the Mayor\u2019s Office for Policing and Crime"
    assert reader.metadata.title == title
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert re.search(r"<pdfaid:part>2</pdfaid:part>", xmp) and re.search(r"<pdfuaid:part>1</pdfuaid:part>", xmp)
    assert reader.xmp_metadata.dc_title == {"x-default": title}
    tags = _structure(root["/StructTreeRoot"])
    headings = [tag for tag in tags if re.fullmatch(r"/H\d", tag)]
    assert headings[0] == "/H1" and headings.count("/H1") == 1 and "/H2" in headings
    assert all(int(b[2:]) <= int(a[2:]) + 1 for a, b in zip(headings, headings[1:])), headings  # no level skipped
    assert {"/Table", "/TH", "/TD", "/L", "/LI", "/Link"} <= set(tags)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    # The letter was edited in Word without a heading over a response to the comments: the package
    # does not claim to hold one (tests/test_chief_officer_comments.py publishes one that does).
    for words in ("Our comments on the report Letter to", "This document holds its comments on the report and the Commissioner's comments.",
                  "Comments of the Commissioner", "Letter from Cressida Dick, Commissioner, dated 20 August 2018",
                  "copies of these comments were sent to the Home Secretary on 7 September 2018 and HMICFRS on 10 September 2018",
                  "89.5% (±1.64%)", "I welcome the Commissioner's comments of 20 August 2018.",
                  "All investigators are trained in N100.", "leadership & culture"):
        assert words in text, words
    # Annex A's heading once: the table's caption, taken from it, is not printed again under it
    assert text.count("Annex A: the force's update on each finding, and my response") == 1, text


def _structure(node: object) -> list[str]:
    tags: list[str] = []
    node = node.get_object()  # type: ignore[attr-defined]
    if "/S" in node:
        tags.append(str(node["/S"]))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            tags += _structure(kid)
    return tags


class Page(HTMLParser):
    """What a screen reader relies on: the language, the title, headings, tables, links."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = ""
        self.title = ""
        self.headings: list[tuple[int, str]] = []
        self.tables: list[dict] = []
        self.links: list[tuple[str, str]] = []
        self._open: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang", "")
        if tag == "table":
            self.tables.append({"caption": "", "th": [], "first_child": None})
        elif self.tables and self.tables[-1]["first_child"] is None and tag != "table":
            self.tables[-1]["first_child"] = tag
        if tag == "th":
            self.tables[-1]["th"].append(attributes.get("scope"))
        if tag == "a":
            self._href = attributes.get("href", "")
        self._open.append(tag)
        self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        text = " ".join("".join(self._text).split())
        if tag == "title":
            self.title = text
        elif re.fullmatch(r"h[1-6]", tag):
            self.headings.append((int(tag[1]), text))
        elif tag == "caption":
            self.tables[-1]["caption"] = text
        elif tag == "a":
            self.links.append((self._href, text))
        self._text = []


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def check_html(path: Path) -> None:
    page = parse(path)
    assert page.lang == "en-GB"
    assert page.title.startswith("The Metropolitan Police Service: Crime Data Integrity inspection 2018 – response of")
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), page.headings
    names = [text for _, text in page.headings]
    assert names[1:5] == ["Contents", "About this response", "Our comments on the report",
                          "Annex A: the force's update on each finding, and my response"]
    assert names[-1] == "Comments of the Commissioner"
    # The letter's table of graded questions, its Annex A, and the findings table of the comments.
    assert len(page.tables) == 3
    for table in page.tables:
        assert table["first_child"] == "caption" and table["caption"], table
        assert table["th"][:2] == ["col"] * 2 and "row" in table["th"]
    assert page.tables[1]["th"][:5] == ["col"] * 5  # Annex A: No., Finding, Status, the force's update, our response
    assert page.tables[1]["th"][5] == "rowgroup"  # "Areas for improvement": a title across the table, over its rows
    assert [t["caption"] for t in page.tables] == ["Table 1 of the letter",
                                                   "Annex A: the force's update on each finding, and my response",
                                                   "Table 1 of the Commissioner's comments"]
    assert all(text.strip() for _, text in page.links)
    assert ("#content", "Skip to main content") in page.links
    assert any(href.startswith("https://www.justiceinspectorates.gov.uk/") and "Crime Data Integrity" in text for href, text in page.links)


def check_index(path: Path, package: str) -> None:
    page = parse(path)
    assert page.lang == "en-GB" and [level for level, _ in page.headings] == [1]
    assert page.tables[0]["caption"] == "HMICFRS reports and our responses, newest first"
    assert page.tables[0]["th"] == ["col", "col", "col", "row"]
    hrefs = [href for href, _ in page.links]
    assert package in hrefs and package.replace(".html", ".pdf") in hrefs


# --- steps out of order, and other bad input: one line, nothing stored ------------------------------------


def _invited(cli: Cli) -> None:
    invite_and_send(cli)


def _invitation_drafted(cli: Cli) -> None:
    cli.ok("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo")


def _sent_uninvited(cli: Cli) -> None:
    cli.ok("letter", "sent", RESPONSE, "--date", "7/9/2018", "--as", "jo")


def _sent(cli: Cli) -> None:
    invite_and_send(cli)
    cli.ok("letter", "sent", RESPONSE, "--date", "7/9/2018", "--as", "jo")


STATES = {"office": lambda cli: None, "invitation drafted": _invitation_drafted, "invited": _invited,
          "sent uninvited": _sent_uninvited, "sent": _sent}
INVITE = ["invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo"]
REPLY = "REPLY"  # replaced by the Commissioner's reply written for the test

BAD = [
    ("office", [*INVITE, "--reply-by", "11/9/2018"],
     "--reply-by: 11 September 2018 is after 10 September 2018, the last day for publishing the response to inspection 1"),
    ("office", [*INVITE, "--reply-by", "18/7/2018"], "--reply-by: 18 July 2018 is not after the letter's date, 18 July 2018"),
    ("office", ["invite", "1", "--office", "MOPAC", "--date", "16/7/2018", "--as", "jo"],
     "--date: 16 July 2018 is before the report was published, on 17 July 2018"),
    ("office", ["invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "vic"], "vic is a viewer; this needs a drafter or above"),
    ("invited", INVITE, "MOPAC already invited comments on inspection 1"),
    ("office", ["chase", "1", "--date", "8/8/2018", "--as", "jo"], "MOPAC has not invited the chief officer's comments on inspection 1"),
    ("invitation drafted", ["chase", "1", "--date", "8/8/2018", "--as", "jo"], "is still a draft; mark it sent with 'corr letter sent"),
    ("invited", ["chase", "1", "--date", "1/8/2018", "--as", "jo"], "the chief officer has until 7 August 2018 to comment"),
    ("invited", ["chase", "1", "--date", "8/8/2018", "--reply-by", "20/9/2018", "--as", "jo"], "is after 10 September 2018"),
    ("office", ["comments", "add", "1", REPLY, "--date", "20/8/2018", "--as", "jo"], "MOPAC has not invited the chief officer's comments"),
    ("invited", ["comments", "add", "1", REPLY, "--date", "1/7/2018", "--as", "jo"], "--date: 1 July 2018 is before the invitation was sent, on 18 July 2018"),
    ("invited", ["comments", "add", "1", REPLY, "--date", "1/1/2999", "--as", "jo"], "--date: 1 January 2999 is in the future"),
    ("invited", ["comments", "add", "1", "no-such-reply.docx", "--date", "20/8/2018", "--as", "jo"], "no-such-reply.docx: no such file"),
    ("office", ["letter", "approve", RESPONSE, "--as", "pat"], f"letter {RESPONSE} has not been submitted for approval"),
    ("office", ["letter", "submit", RESPONSE, "--as", "nobody"], "'nobody' is not a user of MOPAC"),
    ("office", ["letter", "submit", RESPONSE, "--as", "vic"], "vic is a viewer; this needs a drafter or above"),
    ("sent", ["letter", "submit", RESPONSE, "--as", "jo"], f"letter {RESPONSE} is sent; only a draft goes through approval"),
    ("office", ["letter", "sent", RESPONSE, "--date", "7/9/2018", "--as", "vic"], "vic is a viewer; this needs a drafter or above"),
    ("office", ["letter", "sent", RESPONSE, "--date", "7/9/2018", "--hmicfrs-date", "1/9/2018", "--as", "jo"],
     "--hmicfrs-date: 1 September 2018 is before the letter's date, 7 September 2018"),
    ("office", ["office", "set", "MOPAC", "--reply-by-days", "60"], "--reply-by-days: 60 is not between 1 and 55"),
    ("office", ["publish", "1", "--date", "10/9/2018", "--as", "jo"],
     f"MOPAC's s.55 response to inspection 1 has not been sent: {RESPONSE} is a draft (not submitted for approval)"),
    ("sent uninvited", ["publish", "1", "--date", "10/9/2018", "--as", "jo"], "MOPAC has not invited the chief officer's comments on inspection 1"),
    ("sent", ["publish", "1", "--date", "1/1/2999", "--as", "jo"], "--date: 1 January 2999 is in the future"),
    ("sent", ["publish", "1", "--date", "10/9/2018", "--url", "ftp://example.org/x", "--as", "jo"], "--url: 'ftp://example.org/x' is not a web address"),
]


@pytest.mark.parametrize(("state", "args", "message"), BAD, ids=[f"{s}: {' '.join(a[:2])} {m[:40]}" for s, a, m in BAD])
def test_steps_out_of_order_are_refused_and_store_nothing(office: Cli, tmp_path: Path, state: str, args: list[str], message: str) -> None:
    office.ok("user", "add", "vic", "--office", "MOPAC", "--role", "viewer")
    STATES[state](office)
    reply = str(commissioner_reply(tmp_path / "reply.docx"))
    letters_before = sorted(path.name for path in (tmp_path / "letters").rglob("*"))
    before = snapshot(office.db_url)
    assert_clean_error(office(*[reply if arg == REPLY else arg for arg in args]), message)
    assert snapshot(office.db_url) == before
    assert sorted(path.name for path in (tmp_path / "letters").rglob("*")) == letters_before
    assert not (tmp_path / "publication").exists()


def test_a_table_row_matching_no_finding_stops_the_comments_unless_partial(office: Cli, tmp_path: Path) -> None:
    from docx import Document

    invite_and_send(office)
    reply = commissioner_reply(tmp_path / "reply.docx")
    document = Document(str(reply))
    document.tables[0].rows[2].cells[0].text = "R9"
    document.save(str(reply))
    before = snapshot(office.db_url)
    assert_clean_error(office("comments", "add", "1", str(reply), "--date", "20/8/2018", "--as", "jo"),
                       "1 row(s) of its findings table could not be matched (row 3: No. 'R9' is not a finding of inspection 1)",
                       "--partial")
    assert snapshot(office.db_url) == before
    stored = office.json("comments", "add", "1", str(reply), "--date", "20/8/2018", "--partial", "--as", "jo")
    assert [c["area"] for c in stored["changes"]] == ["A3"] and stored["unmatched"][0]["no"] == "R9"
    assert due(office, "21/8/2018")["stage"] == "comments received"


def test_comments_without_a_table_are_kept_as_text(office: Cli, tmp_path: Path) -> None:
    invite_and_send(office)
    reply = tmp_path / "reply.txt"
    reply.write_text("Dear Sophie\n\nI have no comments to add: the report is thorough & commendable.\n\nCressida Dick\n", encoding="utf-8")
    stored = office.json("comments", "add", "1", str(reply), "--date", "6/8/2018", "--as", "jo")
    assert stored["changes"] == [] and stored["stored"] == 0
    assert Path(stored["copy"]).read_text(encoding="utf-8") == reply.read_text(encoding="utf-8")  # the office's folder's copy
    found = office.json("letter", "list", "--text", "commendable")
    assert [letter["id"] for letter in found] == [stored["letter_id"]]


def test_an_office_without_required_approval_may_send_but_is_told_the_approval_is_void(office: Cli) -> None:
    office.ok("letter", "submit", RESPONSE, "--as", "jo")
    office.ok("letter", "approve", RESPONSE, "--as", "jo" if False else "pat")
    _edit(office, "A late edit.")
    result = office.ok("letter", "sent", RESPONSE, "--date", "7/9/2018", "--as", "jo")
    assert "marked MOPAC06092018-D2188 sent on 7 September 2018" in result.stdout
    assert "copies (s.55(6)): Home Secretary 7 September 2018; HMICFRS 7 September 2018" in result.stdout
    assert result.stderr.startswith(f"note: {RESPONSE}'s approval is void: the file has changed since pat approved it")


def test_approving_your_own_draft_is_allowed_when_the_office_does_not_require_a_second_person(office: Cli) -> None:
    office.ok("letter", "submit", RESPONSE, "--as", "pat")
    approved = office.json("letter", "approve", RESPONSE, "--as", "pat")
    assert (approved["step"], approved["by"]) == ("approved", "pat")
    assert approved["approval"].startswith("approved by pat on ")


def test_an_office_without_users_works_as_before_but_cannot_clear_letters(example_cli: Cli) -> None:
    example_cli.ok("letter", "sent", RESPONSE, "--date", "7/9/2018")  # no users: nobody's permission is asked
    example_cli.ok("letter", "supersede", RESPONSE, "--date", "8/9/2018")
    assert_clean_error(example_cli("letter", "submit", f"{RESPONSE}-v2", "--as", "jo"), "'jo' is not a user of MOPAC")


def test_once_chased_the_office_goes_on_without_the_comments_and_due_says_they_never_came(office: Cli) -> None:
    invite_and_send(office)
    reminder = office.json("chase", "1", "--date", "8/8/2018", "--as", "jo")["reference"]
    office.ok("letter", "sent", reminder, "--date", "8/8/2018", "--as", "jo")
    item = due(office, "20/8/2018")
    assert (item["stage"], item["next_step"], item["next_on"]) == ("chased", f"send {RESPONSE} (or submit it for approval)", "2018-09-10")
    assert item["notes"] == ["the Commissioner's comments have not come (due 7 August 2018)"]


def test_the_calendar_carries_the_reply_by_date_until_the_comments_come(office: Cli, tmp_path: Path) -> None:
    invite_and_send(office)
    calendar = tmp_path / "s55.ics"
    office.ok("due", "--ics", str(calendar), "--today", "1/8/2018")
    text = calendar.read_bytes().decode("utf-8").replace("\r\n ", "")
    assert "UID:inspection-1-MOPAC-reply-by@correspondence\r\nDTSTAMP:" in text
    assert "DTSTART;VALUE=DATE:20180807\r\n" in text and "SUMMARY:Chief officer comments due: Metropolitan Police Service\\, Crime Data Integrity" in text
    assert "DTSTART;VALUE=DATE:20180910\r\n" in text  # the last day is there too
    # Opened in Outlook, the reply-by event says how to chase in the workspace as well as on the command line.
    assert "If nothing has come\\, chase: Draft the reminder on the inspection page of the workspace\\, or corr chase 1." in text
    office.ok("comments", "add", "1", str(commissioner_reply(tmp_path / "reply.docx")), "--date", "6/8/2018", "--as", "jo")
    office.ok("due", "--ics", str(calendar), "--today", "7/8/2018")
    assert "reply-by" not in calendar.read_text(encoding="utf-8")


def test_annex_request_is_deprecated_and_points_to_draft_annex_and_invite(office: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORR_USER", "jo")  # who is acting, where a command has no --as
    result = office.ok("annex", "request", "1", "--office", "MOPAC", "--date", "18/7/2018")
    assert "note: 'corr annex request' is deprecated" in result.stderr
    assert "'corr draft annex'" in result.stderr and "'corr invite'" in result.stderr
    reference = result.stdout.split()[1]
    assert office.json("letter", "show", reference)["kind"] == "annex"  # as before: the table, not an invitation
    assert due(office, "19/7/2018")["next_step"] == "invite the Commissioner's comments (s.55(4))"


@needs_libreoffice
def test_a_response_published_late_without_the_chief_officers_comments_says_so(office: Cli, tmp_path: Path) -> None:
    invite_and_send(office)
    office.ok("letter", "sent", RESPONSE, "--date", "7/9/2018", "--as", "jo")
    result = office.ok("publish", "1", "--date", "12/9/2018", "--as", "jo")
    assert "note: published 2 days after the 56-day deadline" in result.stderr
    html = next((tmp_path / "publication" / "MOPAC").glob("*-response.html")).read_text(encoding="utf-8")
    expected = ("the Mayor&#x27;s Office for Policing and Crime invited the Commissioner&#x27;s comments on the report on "
                "18 July 2018, by 7 August 2018. No comments had been received when this response was published.")
    assert expected.replace("the Mayor", "The Mayor", 1) in html
    assert "This document holds its comments; the Commissioner had sent none when it was published (see below)." in html
    assert "holds all three" not in html
    assert "On 17 July 2018 HMICFRS, the inspectorate of police forces, published its report \u201c" in html
    assert "published HMICFRS&#x27;s report" not in html


@pytest.mark.parametrize(("date", "extra", "reply_by"), [
    ("1/9/2018", [], "5 September 2018"),  # the usual 7 August has passed: halfway to the last day, 10 September
    ("1/10/2018", [], "8 October 2018"),  # the 56 days have run out: a week on
    ("1/10/2018", ["--reply-by", "15/10/2018"], "15 October 2018"),  # and any later date the office chooses
])
def test_an_invitation_written_late_gets_a_reply_by_date_that_works(office: Cli, date: str, extra: list[str], reply_by: str) -> None:
    """The usual reply-by date (21 days after publication) had passed, so an invitation written later
    was refused, and once the 56 days had run out no date at all was accepted: a late office could
    not invite the comments it still has to publish."""
    invitation = office.json("invite", "1", "--office", "MOPAC", "--date", date, "--as", "jo", *extra)
    assert f"I would be grateful to receive your comments by {reply_by}." in read_letter(Path(invitation["file"])).text
    office.ok("letter", "sent", invitation["reference"], "--date", date, "--as", "jo")
    assert due(office, date)["next_step"] == "the Commissioner's comments are due"


def test_comments_from_a_chief_officer_with_a_very_long_name_are_still_stored(office: Cli, tmp_path: Path) -> None:
    """The reply's sender is made from the invitation's addressee: a name the invitation took (up to
    200 characters) plus the role overflowed the sender column, and the comments could never be stored."""
    cli = office
    name = ("Sir Mark Rowley QPM " * 10)[:199].strip()
    invitation = cli.json("invite", "1", "--office", "MOPAC", "--date", "1/8/2018", "--addressee", name,
                          "--addressee-role", "Commissioner", "--as", "jo")
    cli.ok("letter", "sent", invitation["reference"], "--date", "1/8/2018", "--as", "jo")
    stored = cli.json("comments", "add", "1", str(commissioner_reply(tmp_path / "reply.docx")), "--date", "20/8/2018", "--as", "jo")
    sender = cli.json("letter", "show", f"#{stored['letter_id']}")["sender"]
    assert sender.startswith("Sir Mark Rowley QPM Sir Mark") and sender.endswith("…") and len(sender) == 200


def test_a_second_draft_is_noted_and_the_next_step_follows_the_one_in_clearance(office: Cli, tmp_path: Path) -> None:
    """A stray second draft (dated later) took the next step away from the letter already awaiting
    approval; drafting it now says a draft exists, and the next step stays with the submitted one."""
    cli = office
    invite_and_send(cli)
    cli.ok("comments", "add", "1", str(commissioner_reply(tmp_path / "reply.docx")), "--date", "20/8/2018", "--as", "jo")
    cli.ok("letter", "submit", RESPONSE, "--as", "jo")
    answer = tmp_path / "answer.md"
    answer.write_text("# Response to the chief officer\nI welcome the Commissioner's comments.\n", encoding="utf-8")
    second = cli.json("draft", "response", "1", "--office", "MOPAC", "--date", "8/9/2018", "--comments", str(answer))
    assert second["notes"] == [f"MOPAC already has one draft of this response ({RESPONSE}, submitted); delete the one not wanted"]
    assert due(cli, "9/9/2018")["next_step"].startswith(f"approve {RESPONSE} (submitted by jo on ")
    cli.ok("letter", "delete", RESPONSE)
    assert due(cli, "9/9/2018")["next_step"] == f"send {second['reference']} (or submit it for approval)"


# --- national and thematic reports (no single force) ----------------------------------------------------------


def test_a_national_report_invites_the_chief_officer_of_the_offices_own_force() -> None:
    from correspondence.drafting.drafts import DraftRequest
    from correspondence.organisation.roles import Addressing
    from correspondence.process.invitation import _chief_officer, invitation_context
    from correspondence.process.responses import chief_officer_title
    from correspondence.process.stages import status_of
    from correspondence.records.errors import InvalidInput
    from correspondence.records.models import Force, Inspection, Office

    kent = Force(name="Kent Police", chief_officer_title="Chief Constable")
    office = Office(short_name="KENT", name="Kent PCC", force=kent, reply_by_days=21, date_format="%-d %B %Y", address="",
                    letterhead="", signatory_name="Matthew Scott", signatory_title="Police and Crime Commissioner")
    national = Inspection(force=None, programme="Vetting", title="An inspection of vetting, misconduct and misogyny",
                          published_on=dt.date(2022, 11, 2), areas=[])
    assert chief_officer_title(office, national) == "Chief Constable"
    context = invitation_context(None, national, office, reply_by=dt.date(2022, 11, 23), reference="R", letter_date=dt.date(2022, 11, 3),
                                 addressee=Addressing(name="Tim Smith", role="Chief Constable"), subject="S", cc="")
    assert context["force"] == {"name": "", "chief_officer_title": "Chief Constable"}
    assert (context["reply_by"], context["last_day"]) == ("23 November 2022", "27 December 2022")
    status = status_of(None, office, national, dt.date(2022, 11, 3), None, [])
    assert (status.stage, status.next_step) == ("not started", "invite the Chief Constable's comments (s.55(4))")
    office.force = None
    request = DraftRequest(office="KENT", letter_date=dt.date(2022, 11, 3), today=dt.date(2022, 11, 3))
    with pytest.raises(InvalidInput) as refused:
        _chief_officer(None, office, national, request)
    assert "is a national report and KENT oversees no force: name the chief officer with --to ROLE" in cli_said(refused.value)


@pytest.mark.parametrize("command", [["invite"], ["chase"], ["comments", "add"], ["publish"], ["letter", "submit"],
                                     ["letter", "approve"], ["letter", "sent"], ["office", "set"], ["due"], ["inspection", "show"]])
def test_the_process_commands_help_ends_with_an_example(command: list[str]) -> None:
    from typer.testing import CliRunner

    from correspondence.cli import app

    help_text = CliRunner(env={"COLUMNS": "200"}).invoke(app, [*command, "--help"]).stdout
    assert f"Example: corr {' '.join(command)} " in help_text


def test_a_deleted_invitation_can_be_drafted_again(office: Cli) -> None:
    first = office.json("invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--as", "jo")["reference"]
    office.ok("letter", "submit", first, "--as", "jo")  # its clearance record goes with it
    office.ok("letter", "delete", first)
    assert due(office, "19/7/2018")["next_step"] == "invite the Commissioner's comments (s.55(4))"
    second = office.json("invite", "1", "--office", "MOPAC", "--date", "19/7/2018", "--reply-by", "9/8/2018", "--as", "jo")
    assert second["reference"] != first
    assert (due(office, "19/7/2018")["reply_by"], due(office, "19/7/2018")["next_step"]) == (
        "2018-08-09", f"send the invitation {second['reference']}")
