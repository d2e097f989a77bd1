"""The office's voice: its own paragraphs (--comments), its answers to findings, its standard lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, assert_clean_error, snapshot, write
from tests.docx_reading import read_letter

THIS_YEAR = dt.date.today().strftime("%y")


@pytest.fixture
def llr(cli):
    """Leicestershire with its 2017 and 2019 inspections: two recommendations and an area for improvement."""
    cli.ok("force", "add", "Leicestershire Police")
    cli.ok("office", "add", "--name", "OPCC for Leicester, Leicestershire & Rutland", "--short", "LLR",
           "--force", "Leicestershire Police", "--signatory", "Lord Willy Bach",
           "--signatory-title", "Police and Crime Commissioner", "--reference-scheme", "OPCC/{seq}/{yy}")
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2017.yaml"))
    cli.ok("inspection", "add", str(FIXTURES / "llr-cdi-2019.yaml"))
    cli.ok("line", "add", "press-on", "--office", "LLR", "--text",
           "I will keep pressing {force} to improve, and will hold the {chief_officer} to account for it.")
    return cli


COMMENTS = """\
<!-- draft 2: agreed with the Commissioner on 14 May -->
# Opening

It was **pleasing** to see the progress {force} has made since
the inspection of 2017: *real* progress.

# Commentary

## What I will press for

- recording every crime within **24 hours**;
  - including crimes reported by partners;
- a better audit.

1. First, the audit plan.
2. Then the training.

> The inspection focused on technical compliance.

    Indented text in a plain file is a paragraph, not code.

# Closing

[[press-on]]
"""


def _answer_both(cli):
    cli.ok("answer", "add", "2:R1", "--text", "I have asked for a monthly report on recording within 24 hours.", "--date", "1/5/2019")
    cli.ok("answer", "add", "2:R2", "--no-action", "--why", "The force's own review of N100 use is complete.", "--date", "1/5/2019")


def test_comments_are_placed_where_the_template_says_with_their_formatting(llr, tmp_path):
    _answer_both(llr)
    comments = write(tmp_path / "comments.md", COMMENTS)
    result = llr.json("draft", "response", "2", "--office", "LLR", "--date", "17/5/2019", "--comments", str(comments))
    letter = read_letter(Path(result["file"]))
    texts = [text for _, text in letter.paragraphs]
    opening = texts.index("It was pleasing to see the progress Leicestershire Police has made since the inspection of 2017: real progress.")
    assert texts[opening - 1].startswith("I write in response to the report")  # straight after the statutory opening
    assert texts.index("What I will press for") > texts.index("My response to each recommendation is as follows.")
    assert "pleasing" in letter.bold_texts() and "real" in letter.italic_texts()
    # bullets on two levels in the template's own list styles, and numbered items that number themselves
    assert letter.styled("List Bullet") == ["recording every crime within 24 hours;", "a better audit."]
    assert letter.styled("List Bullet 2") == ["including crimes reported by partners;"]
    assert "1.\tFirst, the audit plan." in texts and "2.\tThen the training." in texts
    assert "What I will press for" in letter.bold_texts() and "24 hours" in letter.bold_texts()
    assert "The inspection focused on technical compliance." in letter.italic_texts()
    assert "Indented text in a plain file is a paragraph, not code." in texts
    assert not any("agreed with the Commissioner" in text or "<!--" in text for text in texts)  # notes stay out
    # the closing standard line, its placeholders filled, replaces the default closing and keeps with the signature
    closing = texts.index("Yours sincerely") - 1
    assert texts[closing] == "I will keep pressing Leicestershire Police to improve, and will hold the Chief Constable to account for it."
    assert "I will continue to hold the Chief Constable to account for the force's progress" not in letter.text
    paragraph_xml = letter.document.paragraphs[closing]._p.xml
    assert "<w:keepNext/>" in paragraph_xml


def test_the_office_answers_each_recommendation_in_the_letter_and_in_annex_a(llr, tmp_path):
    _answer_both(llr)  # no force update at all: the office's answers alone satisfy s.55(5B)
    result = llr.json("draft", "response", "2", "--office", "LLR", "--date", "17/5/2019")
    assert result["awaiting_update"] == []
    letter = read_letter(Path(result["file"]))
    text = letter.text
    assert ("My response to each recommendation is as follows.\n"
            "Recommendation 1: Within 3 months, ensure crimes are recorded < 24 hours after report & \"without delay\".\n"
            "I have asked for a monthly report on recording within 24 hours.\n"
            "Recommendation 2: Review the force's use of 'N100' classifications.\n"
            "I do not propose to take any action on this. The force's own review of N100 use is complete.") in text
    assert letter.styled("Heading 1") == ["Annex A: the force's update on each finding, and my response"]
    rows = {row[0]: row for row in letter.tables[-1][1:]}
    assert rows["R1"][3] == "Awaiting an update from the force" and rows["R1"][4].startswith("I have asked for a monthly report")
    assert rows["R2"][4] == "No action proposed. The force's own review of N100 use is complete."
    assert rows["A1"][4] == "—"  # not answered: a dash, never a blank cell in a letter to the Home Secretary


def test_the_latest_answer_of_the_drafting_office_is_used(llr, tmp_path):
    llr.ok("answer", "add", "2:R1", "--text", "First thoughts.", "--date", "1/5/2019")
    llr.ok("answer", "add", "2:R1", "--text", "Agreed plan: quarterly audits.", "--date", "3/5/2019")
    llr.ok("update", "add", "2:R2", "--status", "complete", "--text", "Reviewed.", "--date", "2/5/2019")
    listed = llr.json("answer", "list", "2")
    assert [a["text"] for a in listed[0]["answers"]] == ["First thoughts.", "Agreed plan: quarterly audits."]
    letter = read_letter(Path(llr.json("draft", "response", "2", "--office", "LLR")["file"]))
    assert "Agreed plan: quarterly audits." in letter.text and "First thoughts." not in letter.text
    assert "The force reports that its work on this is complete (see Annex A)." in letter.text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2:R1"], "--text: say what the office has done or will do"),
        (["2:R1", "--no-action"], "no reason given for taking no action: s.55(5B) asks why; give it with --why"),
        (["2:R1", "--text", "x", "--no-action", "--why", "y"], "give --text or --no-action with --why, not both"),
        (["2:R1", "--text", "x", "--why", "y"], "--why goes with --no-action"),
        (["2:R9", "--text", "x"], "inspection 2 has no area R9 (it has: R1, R2, A1)"),
        (["2:R1", "--text", "x", "--date", "1/1/2999"], "--date: 1 January 2999 is in the future"),
        (["2:R1", "--text", "x", "--office", "NOPE"], "no office 'NOPE'"),
    ],
)
def test_bad_answers_are_refused_and_store_nothing(llr, args, message):
    before = snapshot(llr.db_url)
    assert_clean_error(llr("answer", "add", *args), message)
    assert snapshot(llr.db_url) == before


BAD_COMMENTS = [
    ("unknown-section.md", "# Opening\n\nFine.\n\n# Conclusion\n\nNo.\n", "unknown-section.md line 5: unknown section '# Conclusion'"),
    ("unknown-line.md", "# Closing\n\n[[press_on]]\n", "unknown-line.md line 3: no standard line [[press_on]] (this office has: press-on)"),
    ("unknown-placeholder.md", "Thanks to {forse}.\n", "unknown-placeholder.md line 1: unknown placeholder {forse}; use one of {office}"),
    ("wrong-letter.md", "\nAfter the {meeting} meeting.\n", "wrong-letter.md line 2: {meeting} has no value in an s.55 response"),
    ("unclosed.md", "One.\n\nTwo **strong\nthree.\n", "unclosed.md line 3: '**' is not closed"),
    ("image.md", "See ![chart](chart.png).\n", "image.md line 1: images are not supported"),
    ("rule.md", "One.\n\n***\n\nTwo.\n", "rule.md line 3: horizontal rules are not supported"),
    ("empty.md", "  \n\n", "empty.md: is empty"),
    ("letter.docx", "not really", "letter.docx: a comments file is text (.txt) or Markdown (.md)"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_COMMENTS, ids=[case[0] for case in BAD_COMMENTS])
def test_bad_comments_files_are_one_clear_line_and_nothing_is_drafted(llr, tmp_path, name, content, message):
    _answer_both(llr)
    path = write(tmp_path / name, content)
    before = snapshot(llr.db_url)
    assert_clean_error(llr("draft", "response", "2", "--office", "LLR", "--comments", str(path)), message)
    assert snapshot(llr.db_url) == before
    assert not (tmp_path / "letters").exists() or not any((tmp_path / "letters").iterdir())


def test_comments_files_that_are_not_text(llr, tmp_path):
    _answer_both(llr)
    binary = tmp_path / "comments.txt"
    binary.write_bytes(b"\xff\xfe\x00binary")
    assert_clean_error(llr("draft", "response", "2", "--office", "LLR", "--comments", str(binary)), "not a UTF-8 text file")
    assert_clean_error(llr("draft", "response", "2", "--office", "LLR", "--comments", str(tmp_path / "none.md")), "none.md: no such file")
    big = write(tmp_path / "big.md", "word " * 50_000)
    assert_clean_error(llr("draft", "response", "2", "--office", "LLR", "--comments", str(big)), "a comments file may be at most 200,000")
    standard_line_gone_wrong = write(tmp_path / "c.md", "[[press-on]]\n")
    llr.ok("line", "set", "press-on", "--office", "LLR", "--text", "See you at the {chief_officer}'s meeting on {held_on}.")
    assert_clean_error(llr("draft", "response", "2", "--office", "LLR", "--comments", str(standard_line_gone_wrong)),
                       "c.md line 1: standard line 'press-on': {held_on} has no value in an s.55 response")


def test_a_plain_text_comments_file_is_read_as_paragraphs(llr, tmp_path):
    _answer_both(llr)
    comments = write(tmp_path / "comments.txt", "I welcome the report.\nIt is fair.\n\n- one point\n- another\n")
    letter = read_letter(Path(llr.json("draft", "response", "2", "--office", "LLR", "--comments", str(comments))["file"]))
    assert "I welcome the report. It is fair." in letter.text
    assert letter.styled("List Bullet") == ["one point", "another"]


def test_a_follow_up_takes_comments_too(example_cli, tmp_path):
    comments = write(tmp_path / "board.md", "# Opening\n\nThe {meeting} on {held_on} was a good one.\n\n"
                                            "# Closing\n\nI look forward to our **next** meeting.\n")
    result = example_cli.json("draft", "followup", "1", "--office", "MOPAC", "--date", "4/5/2022", "--comments", str(comments))
    letter = read_letter(Path(result["file"]))
    texts = [text for _, text in letter.paragraphs]
    assert "The MPS Oversight Board on 21 April 2022 was a good one." in texts
    assert texts[texts.index("Yours sincerely") - 1] == "I look forward to our next meeting."
    assert "I look forward to your reply on the issues above." not in texts  # the office's closing replaces the default
    refused = example_cli("draft", "annex", "1", "--office", "MOPAC", "--comments", str(comments))
    assert refused.exit_code == 2 and "No such option: --comments" in refused.output  # an annex has no paragraphs of its own


def test_standard_lines_are_kept_listed_changed_and_removed(llr):
    listed = llr.json("line", "list", "--office", "LLR")
    assert listed == [{"office": "LLR", "name": "press-on",
                       "text": "I will keep pressing {force} to improve, and will hold the {chief_officer} to account for it.", "retired_on": None}]
    assert "[[press-on]]" in llr.ok("line", "list", "--office", "LLR").stdout  # shown as written, not taken for markup
    llr.ok("line", "add", "Welcome", "--office", "LLR", "--text", "I welcome the report on {force} ({{sic}}).")
    assert llr.ok("line", "show", "welcome", "--office", "LLR").stdout.strip() == "I welcome the report on {force} ({{sic}})."
    llr.ok("line", "set", "welcome", "--office", "LLR", "--text", "I welcome this report.")
    llr.ok("line", "remove", "press-on", "--office", "LLR")
    assert [line["name"] for line in llr.json("line", "list", "--office", "LLR")] == ["welcome"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "welcome2", "--office", "LLR", "--text", "On {forse}."], "unknown placeholder {forse}; use one of {office}"),
        (["add", "press-on", "--office", "LLR", "--text", "Again."], "LLR already has a standard line 'press-on'"),
        (["add", "two words", "--office", "LLR", "--text", "x"], "standard line name 'two words': use letters, digits"),
        (["add", "nested", "--office", "LLR", "--text", "[[press-on]] too"], "a standard line cannot include another"),
        (["add", "blank", "--office", "LLR", "--text", "  "], "a standard line must say something"),
        (["add", "neither", "--office", "LLR"], "give the wording with --text or --file"),
        (["show", "nope", "--office", "LLR"], "LLR has no standard line 'nope'"),
        (["set", "nope", "--office", "LLR", "--text", "x"], "LLR has no standard line 'nope'"),
        (["remove", "nope", "--office", "LLR"], "LLR has no standard line 'nope'"),
    ],
)
def test_bad_standard_lines_are_refused(llr, args, message):
    before = snapshot(llr.db_url)
    assert_clean_error(llr("line", *args), message)
    assert snapshot(llr.db_url) == before


def test_template_context_shows_the_comments_as_placed(llr, tmp_path):
    comments = write(tmp_path / "c.md", "# Closing\n\n[[press-on]] **Thank you.**\n")
    context = llr.json("template", "context", "2", "--office", "LLR", "--date", "17/5/2019", "--comments", str(comments))
    assert context["comments"]["opening"] == [] and context["comments"]["commentary"] == []
    (closing,) = context["comments"]["closing"]
    assert closing["style"] == "paragraph"
    assert closing["runs"] == [
        {"text": "I will keep pressing Leicestershire Police to improve, and will hold the Chief Constable to account for it. ",
         "bold": False, "italic": False},
        {"text": "Thank you.", "bold": True, "italic": False},
    ]


def test_comments_are_text_never_template_code(llr, tmp_path):
    """What the office types is printed as typed: Word-special characters, Jinja tags, tabs and
    characters XML cannot hold never break the letter or run as template code."""
    _answer_both(llr)
    typed = 'Costs & benefits <b>not bold</b> "quoted" {{ office.name }} {%p if true %} \x0c done\n\n- a\tb\n'
    comments = write(tmp_path / "hostile.md", typed)
    letter = read_letter(Path(llr.json("draft", "response", "2", "--office", "LLR", "--comments", str(comments))["file"]))
    # {{ and }} are the way to write a literal brace; nothing is evaluated
    assert 'Costs & benefits <b>not bold</b> "quoted" { office.name } {%p if true %} done' in letter.text
    assert letter.styled("List Bullet") == ["a\tb"]
