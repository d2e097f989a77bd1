"""Issue 24, item 5: findings, judgments and figures read from a report can be added, corrected and
removed, from the command line and the workspace, each change kept with who, when and why and shown
on the inspection's timeline; a sent letter is never changed, and a draft made before a correction is
flagged, and drafted again gives the corrected text and count."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from correspondence.records.models import ImprovementArea, Inspection, Letter, Measure
from correspondence.records.vocabulary import AreaKind
from correspondence.tracking import corrections
from tests.conftest import assert_clean_error, snapshot, write
from tests.docx_reading import read_letter
from tests.web_support import Browserless, text_of

TRUNCATED = "The force should make sure that its supervisors review each investigatio [...]"
WHOLE = "The force should make sure that its supervisors review each investigation and record what they decided."
NINTH = "The force should publish how quickly it answers non-emergency calls."
TENTH = "By 31 March 2020, the force should review how it uses its intelligence."

REPORT = f"""\
force: Metropolitan Police Service
programme: PEEL 2018/19
title: "PEEL 2018/19: Metropolitan Police Service"
published: 2019-05-02
recommendations:
  - The force should improve how it answers emergency calls.
  - The force should review its crime recording.
  - The force should train its investigators.
  - The force should improve victim care.
  - The force should supervise investigations.
  - The force should record stop and search.
  - The force should improve vetting.
  - "{TRUNCATED}"
"""


@pytest.fixture
def peel(example_cli, tmp_path, monkeypatch):
    """The example's office with a PEEL report whose import stored 8 of its 10 recommendations, the
    eighth cut short (inspection 2), and an s.55 response drafted from it."""
    monkeypatch.setenv("CORR_USER", "pat")
    example_cli.ok("inspection", "add", str(write(tmp_path / "peel.yaml", REPORT)))
    return example_cli


def draft(cli) -> tuple[dict, str]:
    drafted = cli.json("draft", "response", "2", "--office", "MOPAC", "--date", "20/5/2019", "--allow-missing")
    return drafted, read_letter(Path(drafted["file"])).text


# --- the library and the command line ------------------------------------------------------------------


def test_a_missing_recommendation_added_and_a_cut_one_corrected_reach_the_next_draft(peel):
    first, text = draft(peel)
    assert "The report makes eight recommendations." in text and TRUNCATED in text
    peel.ok("office", "set", "MOPAC", "--no-require-approval")
    peel.ok("letter", "sent", first["reference"], "--date", "20/5/2019")
    sent_before = peel.json("letter", "show", first["reference"])
    stale, _ = draft(peel)

    peel.ok("finding", "set", "2:R8", "--text", WHOLE, "--why", "the import cut it short")
    peel.ok("finding", "add", "2", "--kind", "recommendation", "--number", "10", "--text", TENTH, "--why", "the import missed it")
    added = peel.ok("finding", "add", "2", "--kind", "recommendation", "--number", "9", "--text", NINTH.rstrip("."),
                    "--why", "the import missed it")
    assert "added Recommendation 9 to inspection 2" in added.stdout

    # the sent letter records what it said: its file and record are as they were, and it is not flagged
    sent_after = peel.json("letter", "show", first["reference"])
    assert sent_after["versions"] == sent_before["versions"] and "made_before_correction" not in sent_after
    assert TRUNCATED in read_letter(Path(first["file"])).text
    # the draft made before is flagged, on the letter and on the inspection
    flagged = peel.json("letter", "show", stale["reference"])["made_before_correction"]
    assert re.fullmatch(r"drafted before the findings were corrected on \d{1,2} \w+ \d{4}: draft it again", flagged)
    shown = peel.ok("inspection", "show", "2").stdout
    assert f"{stale['reference']} (MOPAC): drafted before the findings were corrected on" in shown
    assert first["reference"] + " (MOPAC): drafted before" not in shown
    assert "Recommendation 8 corrected by pat: the import cut it short" in shown
    assert "Recommendation 10 added by pat: the import missed it" in shown

    again, text = draft(peel)
    assert "The report makes 10 recommendations." in text  # one to nine in words, 10 and over in figures (phrasing.number)
    assert f"Recommendation 8: {WHOLE}" in text and TRUNCATED not in text
    assert f"Recommendation 9: {NINTH}" in text  # a full stop added, as an imported finding has
    assert text.index("Recommendation 8:") < text.index("Recommendation 9:") < text.index("Recommendation 10:")
    assert "made_before_correction" not in peel.json("letter", "show", again["reference"])


def test_each_correction_is_kept_with_who_when_why_and_the_words_before(peel):
    peel.ok("finding", "set", "2:R8", "--text", WHOLE, "--why", "the import cut it short")
    data = peel.json("inspection", "show", "2")
    [made] = data["corrections"]
    assert (made["label"], made["change"], made["by"], made["why"]) == ("Recommendation 8", "corrected", "pat", "the import cut it short")
    assert made["before"] == f"Recommendation 8: {TRUNCATED}" and made["after"] == f"Recommendation 8: {WHOLE}"
    # on the response's timeline, once there is a response
    peel.ok("invite", "2", "--office", "MOPAC", "--date", "6/5/2019", "--addressee", "Cressida Dick")
    timeline = peel.json("inspection", "show", "2")["responses"][0]["timeline"]
    assert any(step["what"] == "Recommendation 8 corrected: the import cut it short" and step["by"] == "pat" for step in timeline)


def test_refusals_say_every_problem_and_change_nothing(peel):
    before = snapshot(peel.db_url)
    assert_clean_error(peel("finding", "add", "2", "--kind", "advice", "--number", "0", "--text", " ", "--why", ""),
                       "--kind: 'advice' is not a kind of finding", "--number: '0' is not a number of 1 or more",
                       "--text: give its wording", "--why: give the reason for the change")
    assert_clean_error(peel("finding", "add", "2", "--kind", "recommendation", "--number", "3", "--text", "Again.", "--why", "x"),
                       "--number: Recommendation 3 is already stored (\"The force should train its investigators.\")")
    assert_clean_error(peel("finding", "set", "2:R8", "--number", "7", "--why", "renumbering"), "Recommendation 7 is already stored")
    assert_clean_error(peel("finding", "set", "2:R8", "--text", WHOLE, "--why", "  "), "--why: give the reason")
    assert_clean_error(peel("finding", "set", "2:R11", "--text", WHOLE, "--why", "x"), "inspection 2 has no area R11")
    assert snapshot(peel.db_url) == before


def test_a_finding_with_the_forces_updates_is_not_removed_one_without_is(peel):
    peel.ok("update", "add", "2:R1", "--status", "in progress", "--text", "Under way.", "--date", "10/5/2019")
    before = snapshot(peel.db_url)
    assert_clean_error(peel("finding", "remove", "2:R1", "--why", "not in the report"),
                       "Recommendation 1 has 1 update from the force: removing it would lose that history",
                       "correct it with 'corr finding set 2:R1")
    assert snapshot(peel.db_url) == before
    peel.ok("finding", "remove", "2:R8", "--why", "read twice")
    data = peel.json("inspection", "show", "2")
    assert [area["code"] for area in data["areas"]] == [f"R{n}" for n in range(1, 8)]
    assert data["corrections"][-1]["before"] == f"Recommendation 8: {TRUNCATED}"
    _, text = draft(peel)
    assert "The report makes seven recommendations." in text


def test_renumbering_and_changing_the_kind(peel):
    peel.ok("finding", "set", "2:R8", "--number", "12", "--why", "numbered as in the report")
    peel.ok("finding", "set", "2:R7", "--kind", "area for improvement", "--number", "1", "--why", "an area for improvement")
    codes = [area["code"] for area in peel.json("inspection", "show", "2")["areas"]]
    assert codes == ["R1", "R2", "R3", "R4", "R5", "R6", "R12", "A1"]
    assert "nothing to change" in peel.ok("finding", "set", "2:R12", "--number", "12", "--why", "again").stdout


def test_whom_a_finding_is_for_stays_unless_given(peel):
    peel.ok("finding", "add", "2", "--kind", "recommendation", "--number", "9", "--for", "College of Policing", "--why", "missed",
            "--text", "The College of Policing should publish guidance on supervising investigations")
    peel.ok("finding", "set", "2:R9", "--text", "The College of Policing should publish national guidance", "--why", "reworded")
    [ninth] = [area for area in peel.json("inspection", "show", "2")["areas"] if area["code"] == "R9"]
    assert (ninth["for"], ninth["text"]) == ("College of Policing", "The College of Policing should publish national guidance.")
    assert_clean_error(peel("finding", "set", "2:R9", "--for", "other", "--why", "x"), "--name: name the body the finding is for")


def test_judgments_and_figures_are_corrected_and_a_corrected_figure_is_quoted_only_once_confirmed_again(peel):
    peel.ok("judgment", "add", "1", "--question", "How well does the force record crime?", "--grade", "good", "--why", "missed")
    peel.ok("judgment", "set", "1", "4", "--grade", "adequate", "--position", "1", "--why", "read from the wrong row")
    judgments = peel.json("inspection", "show", "1")["judgments"]
    assert (judgments[0]["question"], judgments[0]["grade"], len(judgments)) == ("How well does the force record crime?", "adequate", 4)
    peel.ok("judgment", "remove", "1", "1", "--why", "not graded in the report")
    assert len(peel.json("inspection", "show", "1")["judgments"]) == 3

    said = peel.ok("figure", "set", "1", "1", "--rate", "89.6", "--why", "misread").stdout
    assert "89.6% (±1.64%)" in said and "confirm its phrase again" in said
    measures = peel.json("inspection", "show", "1")["measures"]
    assert measures[0]["phrase"] is None
    peel.ok("figure", "confirm", "1", "1", "--phrase", "the force's overall crime-recording rate")
    assert_clean_error(peel("figure", "set", "1", "1", "--rate", "101", "--why", "x"), "--rate: 101 is not a percentage from 0 to 100")
    assert_clean_error(peel("figure", "add", "1", "--name", "Counted", "--numerator", "5", "--why", "x"),
                       "--denominator: give both the number counted and out of how many")
    peel.ok("figure", "add", "1", "--name", "Audited reports", "--numerator", "5", "--denominator", "8", "--why", "missed")
    peel.ok("figure", "remove", "1", "2", "--why", "not this report's")
    names = [measure["name"] for measure in peel.json("inspection", "show", "1")["measures"]]
    assert names[-1] == "Audited reports" and "Violence against the person recording rate" not in names


# --- the library's rules ------------------------------------------------------------------------------


def test_the_sentence_rule_is_the_importers(peel):
    from correspondence.importers import report_areas

    assert report_areas._as_sentence is corrections.as_sentence
    assert corrections.as_sentence("review its plans; and") == "review its plans."
    assert corrections.as_sentence("Is it done?") == "Is it done?"


def test_made_before_correction_asks_once_for_a_list(peel):
    from sqlalchemy import event, select

    from correspondence.records.store import open_store

    first, _ = draft(peel)
    peel.ok("finding", "set", "2:R8", "--text", WHOLE, "--why", "cut short")
    second, _ = draft(peel)
    store = open_store(peel.db_url)
    try:
        with store.reading() as session:
            letters = list(session.scalars(select(Letter)))
            statements = []
            event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
            flagged = corrections.made_before_correction(session, letters)
            assert flagged == {first["letter_id"]} and len(statements) == 1
    finally:
        store.dispose()


# --- the workspace -------------------------------------------------------------------------------------


def logged_in(app, name="dan") -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def area_ids(store, inspection_id) -> dict[str, int]:
    with store.reading() as session:
        return {area.code: area.id for area in session.get(Inspection, inspection_id).areas}


def test_adding_and_correcting_a_finding_in_the_browser(app, office_data):
    browser = logged_in(app)
    inspection = office_data.mopac_inspection
    page = browser.get(f"/inspections/{inspection}")
    assert 'Correct<span class="visually-hidden"> area for improvement 1</span>' in page.text
    assert f'href="/inspections/{inspection}/findings/add"' in page.text

    form = browser.get(f"/inspections/{inspection}/findings/add")
    for label in ("Kind", "Number", "Text", "Timescale", "Why are you making this change?", "Add the finding"):
        assert label in form.text
    refused = browser.post(f"/inspections/{inspection}/findings/add", {"kind": "", "number": "x", "text": "Kept as typed", "why": ""})
    assert refused.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', refused.text, flags=re.DOTALL).group(0)
    for field in ("kind", "number", "why"):
        assert f'href="#{field}"' in summary
    assert "Kept as typed" in refused.text

    done = browser.post(f"/inspections/{inspection}/findings/add", {"kind": "recommendation", "number": "1",
                                                                    "text": "The force should audit its crime recording",
                                                                    "timescale": "within six months", "why": "The import missed it"})
    assert done.status_code == 302
    page = browser.get(f"/inspections/{inspection}")
    assert "The force should audit its crime recording." in page.text
    timeline = re.search(r'<table[^>]*id="timeline".*?</table>', page.text, flags=re.DOTALL).group(0)
    assert "timeline__step--correction" in timeline and "Recommendation 1 added: The import missed it" in text_of_html(timeline)
    assert "Dan Example" in timeline
    # the example's draft was made before: flagged on the inspection and on its page
    assert "Drafted before the findings were corrected on" in text_of(page)
    assert "Drafted before the findings were corrected on" in text_of(browser.get(f"/letters/{office_data.mopac_draft}"))

    ids = area_ids(office_data.store, inspection)
    correct = browser.get(f"/inspections/{inspection}/findings/{ids['A2']}/correct")
    assert correct.status_code == 200 and "Save the correction" in correct.text and "Remove this finding" in correct.text
    duplicate = browser.post(f"/inspections/{inspection}/findings/{ids['A2']}/correct",
                             {"kind": "area for improvement", "number": "3", "text": "Record every reported rape without delay.",
                              "timescale": "", "why": "renumbering"})
    assert duplicate.status_code == 422 and "Area for improvement 3 is already stored" in text_of(duplicate)
    fixed = browser.post(f"/inspections/{inspection}/findings/{ids['A2']}/correct",
                         {"kind": "area for improvement", "number": "2", "text": "Record every reported rape on the day it is reported",
                          "timescale": "", "why": "read wrongly"})
    assert fixed.status_code == 302
    with office_data.store.reading() as session:
        assert session.get(ImprovementArea, ids["A2"]).text == "Record every reported rape on the day it is reported."


def text_of_html(fragment: str) -> str:
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_removing_in_the_browser_is_refused_with_what_to_do_when_the_finding_has_history(app, office_data):
    browser = logged_in(app)
    inspection, area = office_data.mopac_inspection, office_data.mopac_area
    page = browser.get(f"/inspections/{inspection}/findings/{area}/remove")
    assert page.status_code == 200 and "Remove the finding" in page.text
    refused = browser.post(f"/inspections/{inspection}/findings/{area}/remove", {"why": "not in the report"})
    assert refused.status_code == 422
    said = text_of(refused)
    assert "Area for improvement 1 has 1 update from the force" in said and "Correct link" in said
    no_why = browser.post(f"/inspections/{inspection}/findings/{area}/remove", {"why": ""})
    assert no_why.status_code == 422 and 'href="#why"' in no_why.text


def test_another_offices_inspection_or_another_inspections_finding_is_not_found(app, office_data):
    browser = logged_in(app)
    mopac, kent, spare = office_data.mopac_inspection, office_data.kent_inspection, office_data.mopac_spare
    assert browser.get(f"/inspections/{kent}/findings/add").status_code == 404
    assert browser.post(f"/inspections/{kent}/findings/add", {"kind": "recommendation", "number": "5", "text": "x",
                                                             "why": "x"}).status_code == 404
    assert browser.get(f"/inspections/{mopac}/findings/{office_data.kent_area}/correct").status_code == 404
    assert browser.get(f"/inspections/{spare}/findings/{office_data.mopac_area}/correct").status_code == 404
    assert browser.post(f"/inspections/{spare}/findings/{office_data.mopac_area}/remove", {"why": "x"}).status_code == 404
    assert logged_in(app, "vera").get(f"/inspections/{mopac}/findings/add").status_code == 403
    with office_data.store.reading() as session:
        assert len(session.get(Inspection, kent).areas) == 1


def test_judgments_and_figures_in_the_browser(app, office_data):
    browser = logged_in(app)
    inspection = office_data.mopac_inspection
    with office_data.store.reading() as session:
        found = session.get(Inspection, inspection)
        judgment, measure = found.judgments[0].id, found.measures[0].id
    assert browser.get(f"/inspections/{inspection}/judgments/{judgment}/correct").status_code == 200
    done = browser.post(f"/inspections/{inspection}/judgments/{judgment}/correct",
                        {"question": "How effective is the force at recording reported crime?", "grade": "adequate",
                         "position": "1", "why": "misread"})
    assert done.status_code == 302
    figures = browser.get(f"/inspections/{inspection}/figures")
    assert 'Correct<span class="visually-hidden"> figure 1</span>' in figures.text and "Add a figure" in figures.text
    page = browser.get(f"/inspections/{inspection}/figures/{measure}/correct")
    assert 'value="89.5"' in page.text
    refused = browser.post(f"/inspections/{inspection}/figures/{measure}/correct", {"name": "Overall crime-recording rate",
                                                                                   "rate": "189", "why": ""})
    assert refused.status_code == 422 and 'href="#rate"' in refused.text and 'href="#why"' in refused.text
    done = browser.post(f"/inspections/{inspection}/figures/{measure}/correct",
                        {"name": "Overall crime-recording rate", "rate": "89.6", "ci_half_width": "1.64",
                         "estimate_per_year": "94500", "estimate_label": "reports of crime a year not recorded", "why": "misread"})
    assert done.status_code == 302
    with office_data.store.reading() as session:
        corrected = session.get(Measure, measure)
        assert str(corrected.rate) == "89.60" and corrected.phrase is None  # confirmed again before it is quoted
    other = office_data.kent_inspection
    assert browser.get(f"/inspections/{other}/figures/add").status_code == 404
    assert browser.get(f"/inspections/{office_data.mopac_spare}/figures/{measure}/correct").status_code == 404


def test_kinds_are_ordered_as_a_report_orders_them(peel):
    assert list(corrections.KIND_ORDER) == list(AreaKind)
