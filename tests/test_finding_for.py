"""Whom a finding is for (issue 23, item 2): read from a recommendation's wording, settable by hand,
and what follows from it: the force is asked only about its own findings, and the s.55 letter
answers one for the Home Office or the College of Policing in its own words, naming the office's
force in a national report's letter.

The national thematic (tests/fixtures/national-thematic-2026.txt) is the project's own text, written
from the facts of such reports (recommendations for the Home Office, the College of Policing and
chief constables, each with a timescale); no corpus prose is copied.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest

from correspondence.records.errors import InvalidInput
from correspondence.records.vocabulary import FindingFor
from correspondence.tracking.finding_for import parse_for, read_addressee
from tests.conftest import CORPUS, FIXTURES, requires_corpus

THEMATIC = FIXTURES / "national-thematic-2026.txt"
PUBLISHED = dt.date(2026, 5, 14)
INVITED = dt.date(2026, 5, 20)
ANSWERED = dt.date(2026, 6, 10)
LETTER = dt.date(2026, 6, 22)
R1_ANSWER = "I will press the Home Office to consult forces on the definition of risk before it is set."
R2_WHY = "The College's practice will apply to Kent Police as to every force; I will scrutinise its adoption when it is published."
R4_ANSWER = "I will ask the Chief Constable to report on information sharing at my Performance and Accountability Board."
NO_ACTION = "I do not propose to take any action on this."


# --- the importer reads whom a recommendation is for from its own wording -------------------------------


@pytest.mark.parametrize(("wording", "expected"), [
    ("The Home Office should publish new guidance.", (FindingFor.HOME_OFFICE, None)),
    ("By 31 March 2027, the Home Office, working with the NPCC and the College of Policing, should amend the regulations.",
     (FindingFor.HOME_OFFICE, None)),
    ("The College of Policing should revise its practice.", (FindingFor.COLLEGE_OF_POLICING, None)),
    ("The NPCC lead for missing people should set up a working group.", (FindingFor.NPCC, None)),
    ("Within six months, chief constables should review their training.", (FindingFor.FORCE, None)),
    ("Police and crime commissioners should ask their chief constables for assurance.", (FindingFor.OFFICE, None)),
    ("Policing bodies should review how they scrutinise this.", (FindingFor.OFFICE, None)),
    ("HMICFRS recommends that, by 30 June 2027, the Independent Office for Police Conduct should report.",
     (FindingFor.OTHER, "Independent Office for Police Conduct")),
    # names no body as the one who should act: nothing is read, and the finding stays the force's
    ("The force should immediately review its crime-recording processes.", (FindingFor.FORCE, None)),
    ("Forces need to improve how they record the reasons.", None),
    ("To support the Home Office's review, forces should share their data.", None),
    ("The national lead should review the guidance.", None),
])
def test_whom_a_recommendation_is_for_is_read_from_its_wording_and_never_guessed(wording: str, expected: Any) -> None:
    assert read_addressee(wording) == expected


def test_the_importer_reads_the_national_thematics_addressees_and_leaves_the_rest_for_the_force() -> None:
    from correspondence.importers.report import parse_report

    found = parse_report(THEMATIC.read_text(encoding="utf-8")).as_inspection_data()
    whom = {f"R{area['number']}": area.get("for", "force") for area in found["recommendations"]}
    assert whom == {"R1": "Home Office", "R2": "College of Policing", "R3": "force", "R4": "force"}
    assert "for" not in found["areas_for_improvement"][0]  # "Forces need to improve ..." names no body


@requires_corpus
def test_the_corpus_recommendations_all_ask_the_force_and_are_read_so() -> None:
    """The real reports in the development corpus make recommendations only to the force ("The force
    should ..."): the importer must not read any other body into them."""
    from benchmarks.scoring import load_facts
    from correspondence.files.documents import read_document
    from correspondence.importers.report import parse_report

    checked = 0
    for file, facts in sorted(load_facts(CORPUS).items()):
        if facts["kind"] != "report" or not facts.get("recommendations"):
            continue
        for recommendation in facts["recommendations"]:  # the answer key's own texts
            assert read_addressee(recommendation["text"]) in (None, (FindingFor.FORCE, None)), (file, recommendation["text"][:60])
        found = parse_report(read_document(CORPUS / file)).as_inspection_data()
        assert all("for" not in area for section in ("recommendations", "causes_of_concern", "areas_for_improvement")
                   for area in found.get(section, [])), file
        checked += 1
    assert checked >= 2


# --- settable by hand: the inspection file, the command line, the workspace ------------------------------


def _spec(**area: Any) -> Any:
    from correspondence.tracking.inspection_file import validate_inspection

    return validate_inspection({"programme": "Thematic inspection", "title": "A thematic", "published": "14 May 2026",
                                "recommendations": [{"text": "Someone should do something.", **area}]}, source="thematic.yaml")


def test_the_inspection_file_says_whom_a_finding_is_for() -> None:
    assert (_spec().recommendations[0].for_whom, _spec().recommendations[0].for_name) == (FindingFor.FORCE, None)
    assert _spec(**{"for": "College of Policing"}).recommendations[0].for_whom is FindingFor.COLLEGE_OF_POLICING
    other = _spec(**{"for": "other: Independent Office for Police Conduct"}).recommendations[0]
    assert (other.for_whom, other.for_name) == (FindingFor.OTHER, "Independent Office for Police Conduct")
    named = _spec(**{"for": "other", "for_name": "Crown Prosecution Service"}).recommendations[0]
    assert (named.for_whom, named.for_name) == (FindingFor.OTHER, "Crown Prosecution Service")
    for bad, said in (({"for": "other"}, "recommendations[0]: for_name: name the body the finding is for"),
                      ({"for": "Home Office", "for_name": "Home Office"}, "a name is given only for another body"),
                      ({"for": "the Treasury"}, "expected one of: force, office, Home Office, College of Policing, NPCC, other")):
        with pytest.raises(InvalidInput) as refused:
            _spec(**bad)
        assert said in str(refused.value) and "thematic.yaml" in str(refused.value)


def test_parse_for_takes_what_a_person_types() -> None:
    assert parse_for("college") == (FindingFor.COLLEGE_OF_POLICING, None)
    assert parse_for("chief constables") == (FindingFor.FORCE, None)
    assert parse_for("National Police Chiefs' Council") == (FindingFor.NPCC, None)
    with pytest.raises(InvalidInput) as refused:
        parse_for("other", "x" * 201)
    assert refused.value.field == "for_name"


def test_the_cli_sets_whom_a_finding_is_for_and_refuses_in_one_line(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "thematic.yaml"
    path.write_text("programme: Thematic inspection\ntitle: A thematic\npublished: 14 May 2026\n"
                    "recommendations:\n  - The force should do one thing.\n  - The force should do another.\n", encoding="utf-8")
    inspection = cli.json("inspection", "add", str(path))["id"]
    said = cli.ok("inspection", "finding-for", f"{inspection}:R2", "--for", "College of Policing").stdout
    assert said.strip() == f"R2 of inspection {inspection} is now for: College of Policing"
    other = cli.json("inspection", "finding-for", f"{inspection}:R1", "--for", "other: Crown Prosecution Service")
    assert (other["for"], other["for_name"], other["changed"]) == ("other", "Crown Prosecution Service", True)
    shown = cli.ok("inspection", "show", str(inspection)).stdout
    assert "for: College of Policing (the force is not asked about it)" in shown
    refused = cli.fails("inspection", "finding-for", f"{inspection}:R1", "--for", "other")
    assert "--name" in refused.stderr and "name the body" in refused.stderr
    cli.fails("inspection", "finding-for", f"{inspection}:R9", "--for", "force")
    assert cli.json("inspection", "show", str(inspection))["areas"][0]["for_name"] == "Crown Prosecution Service"


def test_the_cli_command_help_ends_with_an_example() -> None:
    from typer.testing import CliRunner

    from correspondence.cli import app

    help_text = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["inspection", "finding-for", "--help"]).stdout
    assert "Example: corr inspection finding-for 3:R2 --for \"College of Policing\"" in help_text


def test_the_workspace_sets_whom_a_finding_is_for(app: Any, office_data: Any) -> None:
    from correspondence.records.models import ImprovementArea
    from tests.conftest import snapshot
    from tests.web_support import Browserless

    o = office_data
    page = f"/inspections/{o.mopac_inspection}"
    viewer = Browserless(app)
    viewer.login("vera")
    assert viewer.post(f"{page}/finding-for", {"for-area": str(o.mopac_area), "for-for_whom": "NPCC"}).status_code == 403
    drafter = Browserless(app)
    drafter.login("dan")
    before = snapshot(o.store.url)
    assert drafter.post(f"{page}/finding-for", {"for-area": str(o.mopac_area), "for-for_whom": "NPCC"}, token=False).status_code == 400
    refused = drafter.post(f"{page}/finding-for", {"for-area": str(o.mopac_area), "for-for_whom": "other", "for-for_name": ""})
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert '<a href="#for-for_name">The other body\'s name: Name the body the finding is for</a>' in text
    assert re.search(r'<option selected value="other">|<option value="other" selected>', refused.text)  # what was chosen is kept
    assert snapshot(o.store.url) == before
    done = drafter.post(f"{page}/finding-for", {"for-area": str(o.mopac_area), "for-for_whom": "other",
                                                "for-for_name": "Independent Office for Police Conduct"})
    assert done.status_code == 302
    shown = html.unescape(drafter.get(page).text)
    assert "is now for the Independent Office for Police Conduct. The force is not asked about it." in shown
    assert "For Independent Office for Police Conduct" in shown
    with o.store.reading() as session:
        area = session.get(ImprovementArea, o.mopac_area)
        assert (area.for_whom, area.for_name) == (FindingFor.OTHER, "Independent Office for Police Conduct")
    # another office's finding, through this office's inspection: not found
    kent = drafter.post(f"{page}/finding-for", {"for-area": str(o.kent_area), "for-for_whom": "NPCC"})
    assert kent.status_code == 404


# --- the national thematic, drafted and read back ----------------------------------------------------------


def build_thematic(db_url: str, folder: Path) -> dict[str, Any]:
    """Kent's office, the national thematic imported from its text, the office's answers and the
    force's update, the invitation and the s.55 response drafted. Returns the drafted files and ids."""
    from correspondence.drafting.drafts import DraftRequest
    from correspondence.importers.report import parse_report
    from correspondence.organisation import offices, roles
    from correspondence.process.invitation import invite
    from correspondence.process.s55_letter import draft_response
    from correspondence.records.models import AnnexRequest
    from correspondence.records.store import open_store
    from correspondence.records.transactions import in_one_transaction
    from correspondence.records.vocabulary import UpdateStatus
    from correspondence.tracking import answers, updates
    from correspondence.tracking.inspection_file import validate_inspection
    from correspondence.tracking.inspections import add_inspection
    from correspondence.tracking.updates import find_area

    letters = folder / "letters"
    store = open_store(db_url)

    def request(day: dt.date) -> DraftRequest:
        return DraftRequest(office="KENT", letter_date=day, today=day, out_dir=letters)

    def work(session: Any) -> dict[str, Any]:
        kent_force = offices.add_force(session, "Kent Police")
        kent = offices.add_office(
            session, name="Office of the Kent Police and Crime Commissioner", short_name="KENT",
            address="Sessions House\nCounty Road\nMaidstone\nME14 1PB", signatory_name="Matthew Scott",
            signatory_title="Kent Police and Crime Commissioner", reference_scheme="KPCC/{seq}/{yy}", force=kent_force,
        )
        roles.add_holder(session, role="Chief Constable", name="Tim Smith", salutation="Dear Tim", office=kent,
                         starts_on=dt.date(2023, 6, 1), address="Police Headquarters\nSutton Road\nMaidstone\nME15 9BZ")
        data = parse_report(THEMATIC.read_text(encoding="utf-8")).as_inspection_data()
        data["programme"] = "Thematic inspection"  # as the officer gives it on import (--programme)
        thematic = add_inspection(session, validate_inspection(data, source=str(THEMATIC)))
        invitation = invite(session, thematic.id, request(INVITED))
        asked = [row.area_id for row in session.query(AnnexRequest).filter_by(letter_id=invitation.letter_id).one().rows]

        def area(code: str) -> Any:
            return find_area(session, f"{thematic.id}:{code}")

        answers.add_answer(session, area("R1"), kent, text=R1_ANSWER, answered_on=ANSWERED, today=ANSWERED)
        answers.add_answer(session, area("R2"), kent, text=None, no_action=True, why=R2_WHY, answered_on=ANSWERED, today=ANSWERED)
        answers.add_answer(session, area("R4"), kent, text=R4_ANSWER, answered_on=ANSWERED, today=ANSWERED)
        updates.add_update(session, area("R3"), status=UpdateStatus.IN_PROGRESS, received_on=ANSWERED, today=ANSWERED,
                           text="Supervisors in the control room are being trained to assess the risk to missing children.")
        response = draft_response(session, thematic.id, request(LETTER))
        return {"invitation": invitation.path, "response": response.path, "asked": asked,
                "force_areas": [area(code).id for code in ("R3", "R4", "A1")]}

    try:
        return in_one_transaction(store, work)
    finally:
        store.dispose()


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def test_the_invitation_asks_the_force_only_about_its_own_findings(db_url: str, tmp_path: Path) -> None:
    drafted = build_thematic(db_url, tmp_path)
    text = _docx_text(drafted["invitation"])
    assert "every report of a missing child is risk-assessed" in text and "shares information on missing children" in text
    assert "amend the statutory guidance" not in text and "authorised professional practice" not in text
    assert "The report contains two recommendations and one area for improvement for the force." in text
    assert ("The report also has one recommendation for the Home Office and one recommendation for the College of "
            "Policing, which this letter does not ask you about.") in text
    assert sorted(drafted["asked"]) == sorted(drafted["force_areas"])  # what the returned table is matched against


def test_a_national_thematics_response_answers_each_body_in_its_own_words(db_url: str, tmp_path: Path) -> None:
    """Drafted, rendered by LibreOffice and read back from the PDF."""
    from correspondence.files.pdf import convert_to_pdf, libreoffice

    drafted = build_thematic(db_url, tmp_path)
    if libreoffice() is None:
        text = _docx_text(drafted["response"])
    else:
        from pypdf import PdfReader

        reader = PdfReader(str(convert_to_pdf(drafted["response"])))
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert f"This recommendation is for the Home Office; {R1_ANSWER}" in text
    assert f"This recommendation is for the College of Policing. {R2_WHY}" in text
    assert NO_ACTION not in text and "No action proposed" not in text
    assert "Kent Police reports that its work on this is in progress (see Annex A)." in text
    assert "The force reports" not in text
    assert "Awaiting an update from the force" not in text
    assert R4_ANSWER in text
    # Annex A shows whom the others are for, and names the office's force
    assert "This recommendation is for the Home Office." in text and "This recommendation is for the College of Policing." in text
    assert "Awaiting an update from Kent Police" in text  # the area for improvement, not yet updated
    assert "Annex A: Kent Police's update on each finding, and my response" in text
    assert "for Kent Police's progress on each of the findings for the force." in text


# --- the wording, for every kind of addressee ------------------------------------------------------------


@pytest.mark.parametrize(("answer", "no_action", "why", "status", "whom", "expected"), [
    # another body: whom it is for, then the office's own words
    ("We will follow the College's work.", False, None, None, {"body": "the College of Policing"},
     "This recommendation is for the College of Policing; we will follow the College's work."),
    ("Kent Police will adopt it.", False, None, None, {"body": "the NPCC"},
     "This recommendation is for the NPCC. Kent Police will adopt it."),
    (None, True, "it is the Home Office's to decide", None, {"body": "the Home Office"},
     "This recommendation is for the Home Office. It is the Home Office's to decide."),
    (None, False, None, "in progress", {"body": "the Home Office", "force": "Kent Police"},
     "This recommendation is for the Home Office. Kent Police reports that its work on this is in progress (see Annex A)."),
    (None, False, None, None, {"body": "the College of Policing", "noun": "cause of concern"},
     "This cause of concern is for the College of Policing; my response to it will follow."),
    # the office itself: its own action
    ("I will commission an audit.", False, None, None, {"own": True}, "I will commission an audit."),
    (None, True, "The panel already does this", None, {"own": True}, f"{NO_ACTION} The panel already does this."),
    (None, False, None, None, {"own": True}, "This recommendation is for me as the policing body; my response to it will follow."),
    # the force, named as a national report's letter names it
    (None, False, None, "complete", {"force": "the Metropolitan Police Service"},
     "The Metropolitan Police Service reports that its work on this is complete (see Annex A)."),
    (None, False, None, None, {"force": "Kent Police"}, "I am awaiting Kent Police's update on this, and will publish it when it arrives."),
    (None, False, None, None, {}, "I am awaiting the force's update on this, and will publish it when it arrives."),
])
def test_the_letter_answers_each_finding_in_words_fitting_whom_it_is_for(answer, no_action, why, status, whom, expected) -> None:
    from correspondence.drafting import phrasing
    from correspondence.records.vocabulary import UpdateStatus

    said = phrasing.response_to_finding(answer, no_action, why, UpdateStatus(status) if status else None, **whom)
    assert said == expected
    if whom.get("body"):
        assert NO_ACTION not in said


def test_annex_a_and_the_closing_count_only_the_forces_findings() -> None:
    from correspondence.drafting import phrasing

    assert phrasing.annex_pointer(True, 4, True, force="Kent Police", n_for_force=2) == (
        "Annex A lists them, with Kent Police's latest update on the two for the force, and my response.")
    assert phrasing.annex_pointer(False, 2, False, n_for_force=0) == "Annex A lists them."
    assert phrasing.annex_pointer(True, 3, True) == "Annex A sets out the force's latest update on each of them, with my response."
    assert phrasing.response_closing("Chief Constable", 1, force="Kent Police", of=3) == (
        "I will continue to hold the Chief Constable to account for Kent Police's progress on the finding for the force.")
    assert phrasing.answer_cell(None, True, "it is the Home Office's to decide", body="the Home Office") == (
        "It is the Home Office's to decide.")


def test_a_returned_annex_row_saying_whom_a_finding_is_for_is_no_update(db_url: str, tmp_path: Path) -> None:
    """The s.55 letter's Annex A, sent back by the force as it was: the rows for the Home Office and
    the College are not updates and not unmatched; the CSV table for the force holds only its own."""
    import csv

    from correspondence.drafting.annex import AnnexRow, match_rows, write_csv
    from correspondence.records.store import open_store
    from correspondence.tracking.inspections import list_inspections

    build_thematic(db_url, tmp_path)
    store = open_store(db_url)
    try:
        with store.transaction() as session:
            thematic = list_inspections(session)[0]
            rows = [AnnexRow(2, "R1", "", "", "This recommendation is for the Home Office."),
                    AnnexRow(3, "R2", "", "", "This recommendation is for the College of Policing."),
                    AnnexRow(4, "A1", "", "", "Awaiting an update from Kent Police"),
                    AnnexRow(5, "R4", "", "complete", "Information is now shared on the day.")]
            changes, unmatched, blank = match_rows(thematic, rows)
            assert [change.area.code for change in changes] == ["R4"] and not unmatched and len(blank) == 3
            path = write_csv(session, thematic, tmp_path / "annex.csv", made_on=LETTER)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            assert [row[0] for row in csv.reader(handle)][1:] == ["R3", "R4", "A1"]
    finally:
        store.dispose()
