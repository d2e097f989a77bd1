"""National and thematic reports imported: stored with no force where the report says it is on no
single force, refused (with what to do) where it cannot be told, found again rather than stored
twice, and answered by an office in a letter naming its own force.

The national thematic (tests/fixtures/national-thematic-2026.txt) is the project's own text, written
from the facts of such a report (four recommendations, two of them for the Home Office and the
College of Policing, two for chief constables, one area for improvement for forces).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, FIXTURES, assert_clean_error, requires_corpus, snapshot, write
from tests.web_support import Browserless, text_of

THEMATIC = FIXTURES / "national-thematic-2026.txt"
TITLE = "An inspection of how the police respond to missing children: thematic inspection 2026"
# a report that names no force and does not say it is national: nobody can tell which it is
UNSAID = "Policing in austerity: one year on\n\nPublished on: 1 May 2015\n\nThe inspectorate found that neighbourhood teams had been cut.\n"
R1_ANSWER = "I will ask the Home Office to publish the new guidance in time for the force's training year."
R2_WHY = "The College's practice is national; Kent Police will adopt it when it is published."


def _areas(stored: dict[str, Any]) -> list[tuple[str, str]]:
    return [(area["code"], area["for"]) for area in stored["areas"]]


# --- the rule, in the library -------------------------------------------------------------------------


def test_a_thematic_report_says_it_is_on_no_single_force_and_is_read_so() -> None:
    from correspondence.importers.report import parse_report

    found = parse_report(THEMATIC.read_text(encoding="utf-8"))
    assert (found.force, found.national, found.programme) == (None, True, "Thematic inspection")
    assert found.sources["national"].line == 1  # read from its title, shown with the line
    assert "force" not in found.missing


@pytest.mark.parametrize(("text", "national"), [
    ("An inspection of how well the police tackle fraud\n\nPublished on: 5 August 2021\n", True),
    ("Stalking and harassment: a thematic inspection\n\nPublished on: 1 June 2017\n", True),
    ("Child protection\n\nPublished on: 1 June 2017\n\nWe inspected how all forces in England and Wales protect children.\n", True),
    ("Custody services\n\nPublished on: 1 June 2017\n\nRecommendations\n\nRecommendation 1\n\n"
     "By 1 June 2018, chief constables should review their custody staffing.\n", True),
    # a force named as the one inspected: its report, never national
    ("Kent Police: a thematic inspection of stalking\n\nPublished on: 1 June 2017\n", False),
    ("Child protection\n\nPublished on: 1 June 2017\n\nThis inspection of Kent Police looked at how all forces' guidance is used.\n", False),
    ("Police Service of Northern Ireland: custody\n\nPublished on: 1 June 2017\n", False),
    # nothing says it is national: left for the officer
    (UNSAID, False),
])
def test_a_report_is_national_only_where_it_says_so(text: str, national: bool) -> None:
    from correspondence.importers.report import parse_report

    found = parse_report(text)
    assert found.national is national
    if national:
        assert found.force is None


# --- the command line ----------------------------------------------------------------------------------


def test_the_national_thematic_imports_with_no_force_and_each_finding_for_whom_its_words_say(cli) -> None:
    shown = cli.ok("inspection", "import", str(THEMATIC), "--dry-run").stdout
    assert "yes: stored with no force" in shown and "[for: Home Office]" in shown and "[for: College of Policing]" in shown
    assert cli.json("inspection", "import", str(THEMATIC), "--dry-run")["national"] is True
    result = cli.ok("inspection", "import", str(THEMATIC))
    assert "a national report on no single force" in result.stdout
    stored = cli.json("inspection", "show", "1")
    assert (stored["force"], stored["programme"], stored["title"]) == (None, "Thematic inspection", TITLE)
    assert _areas(stored) == [("R1", "Home Office"), ("R2", "College of Policing"), ("R3", "force"), ("R4", "force"), ("A1", "force")]


def test_the_same_national_report_imported_again_is_found_as_the_one_stored(cli) -> None:
    cli.ok("inspection", "import", str(THEMATIC))
    before = snapshot(cli.db_url)
    for again in ([], ["--programme", "Thematic: missing children"]):  # the same day and title, another programme
        result = cli("inspection", "import", str(THEMATIC), *again)
        assert_clean_error(result, "is already stored as inspection 1, a national report on no single force")
    assert snapshot(cli.db_url) == before


def test_a_report_that_does_not_say_whose_it_is_is_refused_until_the_officer_says(cli, tmp_path: Path) -> None:
    report = write(tmp_path / "austerity.txt", UNSAID)
    before = snapshot(cli.db_url)
    refused = cli("inspection", "import", str(report), "--programme", "Austerity")
    assert_clean_error(refused, "names no force as the one it inspected", "give the force with --force",
                       "pass --national if it is a national or thematic report")
    assert snapshot(cli.db_url) == before
    shown = cli.ok("inspection", "import", str(report), "--national", "--dry-run").stdout
    assert "yes: stored with no force" in shown
    stored = cli.json("inspection", "import", str(report), "--national", "--programme", "Austerity")
    assert stored["force"] is None


def test_a_force_given_wins_and_national_is_refused_for_a_report_naming_its_force(cli, tmp_path: Path) -> None:
    cli.ok("force", "add", "Kent Police")
    stored = cli.json("inspection", "import", str(THEMATIC), "--force", "Kent Police", "--national")
    assert stored["force"] == "Kent Police"
    named = write(tmp_path / "kent.txt", "Kent Police: stalking\n\nPublished on: 1 June 2017\n\nAreas for improvement\n\n"
                                        "Area for improvement 1\n\nThe force should train its call handlers.\n")
    before = snapshot(cli.db_url)
    assert_clean_error(cli("inspection", "import", str(named), "--national", "--programme", "Stalking"),
                       "--national", "names Kent Police as the force it inspected", "give the force with --force")
    assert snapshot(cli.db_url) == before


# --- the development corpus ------------------------------------------------------------------------------


@requires_corpus
def test_the_corpus_national_reports_import_with_no_force_and_no_force_report_is_taken_for_one(cli) -> None:
    from correspondence.files.documents import read_document
    from correspondence.importers.report import parse_report

    facts = json.loads((CORPUS / "facts.json").read_text(encoding="utf-8"))["documents"]
    reports = {name: fact for name, fact in facts.items() if fact.get("kind") == "report"}
    national = [name for name, fact in reports.items() if fact.get("force") is None]
    if not national:
        pytest.skip("the corpus holds no national report")
    for name, fact in reports.items():
        found = parse_report(read_document(CORPUS / name))
        assert found.national is (fact.get("force") is None), name
    for name in national:
        fact = reports[name]
        args = ["--programme", fact["programme"]] if fact.get("programme") else []
        stored = cli.json("inspection", "import", str(CORPUS / name), *args)
        assert stored["force"] is None and stored["published_on"] == fact["publication_date"], name
        assert len(stored["areas"]) == sum(len(fact.get(kind) or []) for kind in ("causes_of_concern", "recommendations", "areas_for_improvement"))
        for area in stored["areas"]:  # a body named only where the finding's words name it
            if area["for"] != "force":
                assert area["for"].split(":")[0].lower() in area["text"].lower() or area["for"] == "NPCC", (name, area)


# --- the web import page -------------------------------------------------------------------------------


@pytest.fixture
def dan(app: Any) -> Browserless:
    client = Browserless(app)
    assert client.login("dan").status_code == 302
    return client


def _upload(client: Browserless, name: str, data: bytes) -> tuple[Any, str]:
    preview = client.post("/inspections/upload", {"report": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert preview.status_code == 200
    return preview, preview.text.split('name="token" value="', 1)[1].split('"', 1)[0]


def test_the_upload_page_stores_a_national_thematic_with_no_force(dan: Browserless, office_data: Any) -> None:
    from correspondence.records.models import Inspection

    preview, token = _upload(dan, "missing-children.txt", THEMATIC.read_bytes())
    box = re.search(r'<input[^>]*name="national"[^>]*>', preview.text)  # ticked as read, to untick (issue 24)
    assert box is not None and "checked" in box.group(0) and 'name="force" type="text" value=""' in preview.text
    stored = dan.post("/inspections/upload/confirm", {"token": token})
    assert stored.status_code == 302
    with office_data.store.reading() as session:
        inspection = session.query(Inspection).filter_by(title=TITLE).one()
        assert inspection.force_id is None


def test_the_upload_page_asks_whose_report_it_is_and_keeps_what_was_ticked(dan: Browserless, db_url: str) -> None:
    _, token = _upload(dan, "austerity.txt", UNSAID.encode())
    before = snapshot(db_url)
    refused = dan.post("/inspections/upload/confirm", {"token": token})
    assert refused.status_code == 422 and snapshot(db_url) == before
    page = text_of(refused)  # every problem at once, each linked to its field (issue 24)
    assert "There is a problem" in page
    assert "Force inspected: Enter the force the report inspected, or tick 'This is a national or thematic report on no single force' if it is one" in page
    assert 'href="#force"' in refused.text and 'href="#programme"' in refused.text
    stored = dan.post("/inspections/upload/confirm", {"token": token, "national": "y"})
    # the programme is still not found: refused again, the tick kept
    assert stored.status_code == 422 and "Inspection programme: Enter the inspection programme, for example PEEL 2018/19" in text_of(stored)
    box = re.search(r'<input[^>]*name="national"[^>]*>', stored.text)
    assert box is not None and "checked" in box.group(0)


# --- the scenario: Kent's office answers a national thematic, drafted and read back --------------------------


def test_kents_office_answers_the_national_thematic_naming_its_force_and_each_body(cli, tmp_path: Path) -> None:
    """Imported with the CLI, answered, drafted, rendered with LibreOffice and read back with pdftotext."""
    cli.ok("force", "add", "Kent Police")
    cli.ok("office", "add", "--name", "Office of the Kent Police and Crime Commissioner", "--short", "KENT", "--force", "Kent Police",
           "--address", "Sessions House", "--address", "Maidstone ME14 1PB", "--signatory", "Matthew Scott",
           "--signatory-title", "Kent Police and Crime Commissioner", "--reference-scheme", "KPCC/{seq}/{yy}")
    cli.ok("role", "add", "Chief Constable", "Tim Smith", "--from", "1/6/2023", "--office", "KENT", "--salutation", "Dear Tim")
    inspection = str(cli.json("inspection", "import", str(THEMATIC))["id"])
    cli.ok("answer", "add", f"{inspection}:R1", "--text", R1_ANSWER, "--office", "KENT", "--date", "1/6/2026")
    cli.ok("answer", "add", f"{inspection}:R2", "--no-action", "--why", R2_WHY, "--office", "KENT", "--date", "1/6/2026")
    drafted = cli.json("draft", "response", inspection, "--office", "KENT", "--date", "1/7/2026", "--allow-missing")
    docx = Path(drafted["file"])
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and pdftotext are needed to render the letter and read it back")
    out = tmp_path / "rendered"
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)], check=True, capture_output=True, timeout=180)
    text = " ".join(subprocess.run(["pdftotext", str(out / f"{docx.stem}.pdf"), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    assert "Dear Home Secretary" in text and "as one of its thematic inspections" in text
    assert f"This recommendation is for the Home Office; {R1_ANSWER}" in text
    assert f"This recommendation is for the College of Policing. {R2_WHY}" in text
    assert "I am awaiting Kent Police's update on this" in text and "Kent Police's update on the three for the force is awaited" in text
    assert "Annex A: Kent Police's update on each finding" in text
    # none of the faults of issue 23: no "no action" for another body's recommendation, no nameless force
    assert "I do not propose to take any action" not in text and "The force reports" not in text
    assert "Awaiting an update from the force" not in text
