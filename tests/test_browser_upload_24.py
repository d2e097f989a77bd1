"""Issue 24, in a real browser: a real HMICFRS page with no publication date is uploaded, the date is
filled in on the preview, the report stored; on the inspection's page a finding read cut short is
corrected and a missing one added; the s.55 response is drafted, and the Word letter read back holds
the corrected text and the right count. A report on another force is warned about on the preview.
axe-core runs on every page on the way (Playwright driving /usr/bin/chromium, as tests/test_browser.py).

The page is HMICFRS's recommendation tracker for Lincolnshire Police's 2018 crime data integrity
inspection, from the development corpus: it gives no date, and its third recommendation stops
mid-word ("officers wh"). Screenshots of the preview go to CORR_SCREENSHOTS when it is set.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from correspondence.organisation.users import add_user
from correspondence.records.store import open_store
from correspondence.records.vocabulary import UserRole
from tests.conftest import CORPUS, requires_corpus
from tests.docx_reading import read_letter
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, Officer, playwright_api, serve
from tests.web_support import quick_hash

pytestmark = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"no Chromium at {CHROMIUM} (install Debian's chromium, or set CORR_CHROMIUM)")

TRACKER = CORPUS / "reports" / "report-hmicfrs-recommendation-tracker-lincolnshire-cdi-2018-cause-of-concern.txt"
ANOTHER_FORCE = CORPUS / "reports" / "report-hmicfrs-durham-peel-2017-summary.txt"
WHOLE = ("Within six months, the force should: design and provide training for all staff and officers who make "
         "crime-recording decisions.")
ADDED = "Within six months, the force should review how it records crimes reported by other agencies."
SHOTS = Path(os.environ["CORR_SCREENSHOTS"]) if os.environ.get("CORR_SCREENSHOTS") else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def lincolnshire_office(db_url: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The Lincolnshire commissioner's office, overseeing Lincolnshire Police, with one drafter; letters
    go out without a second person's approval, to keep the walk short (approval has its own tests)."""
    from correspondence.organisation.offices import add_force, add_office

    store = open_store(db_url)
    with store.transaction() as session:
        force = add_force(session, "Lincolnshire Police")
        add_office(session, name="Office of the Police and Crime Commissioner for Lincolnshire", short_name="OPCCL", force=force,
                   address="Deepdale Lane\nNettleham\nLincoln\nLN2 2LT", signatory_name="Marc Jones",
                   signatory_title="Police and Crime Commissioner for Lincolnshire", reference_scheme="OPCC/{seq}/{date:%y}",
                   letters_dir=tmp_path / "letters", require_approval=False)
        user = add_user(session, "dan", office="OPCCL", role=UserRole.DRAFTER, full_name="Dan Example")
        user.password_hash = quick_hash()
    store.dispose()
    process, url = serve(db_url, tmp_path / "serve.log")
    try:
        yield url, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=30)


def shoot(officer: Officer, name: str) -> None:
    """The page at 1,280 and 390 px wide, whole, into CORR_SCREENSHOTS (when set)."""
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        officer.page.set_viewport_size({"width": width, "height": 900})
        officer.page.screenshot(path=str(SHOTS / f"upload-preview-{name}-{width}.png"), full_page=True)
        wide = officer.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{name} scrolls sideways at {width} px"
    officer.page.set_viewport_size({"width": 1280, "height": 900})


@requires_corpus
def test_an_officer_fills_in_the_date_corrects_and_adds_findings_and_drafts_the_response(browser: Any, lincolnshire_office: tuple[str, Path]) -> None:
    base, folder = lincolnshire_office
    report = folder / "lincolnshire-cdi-2018-tracker.txt"
    shutil.copyfile(TRACKER, report)
    dan = Officer(browser, base, folder)
    dan.login("dan")

    # the upload: the date is not in the page, so the preview has an empty field for it
    dan.go("/inspections/upload")
    dan.page.get_by_label("HMICFRS report").set_input_files(str(report))
    dan.page.get_by_role("button", name="Read the report").click()
    text = dan.text()
    assert "Check what was found in lincolnshire-cdi-2018-tracker.txt" in text
    assert "The tool could not find the date it was published in the report" in text
    assert "This recommendation may be cut short in the report as read; check it against the report." in text
    assert "recommendations[" not in text and "Not found in the report: published" not in text
    assert dan.page.get_by_label("Date the report was published").input_value() == ""
    assert dan.page.get_by_label("Title").input_value() == "Lincolnshire Police: Crime Data Integrity inspection 2018 (8945)"
    dan.accessible()

    # stored without the date: the whole preview comes back, the error beside the field, what was typed kept
    dan.page.get_by_label("Title").fill("Lincolnshire Police: Crime Data Integrity inspection 2018")
    dan.page.get_by_role("button", name="Store the inspection").click()
    assert "There is a problem" in dan.text() and "Date the report was published: Enter the date the report was published" in dan.text()
    assert dan.page.get_by_label("Title").input_value() == "Lincolnshire Police: Crime Data Integrity inspection 2018"
    dan.accessible()
    shoot(dan, "date-missing-error")
    dan.page.get_by_role("link", name="Date the report was published: Enter the date the report was published").click()
    assert dan.page.evaluate("document.activeElement.id") == "published"
    dan.page.get_by_label("Date the report was published").fill("17/7/2018")
    dan.page.get_by_role("button", name="Store the inspection").click()
    dan.page.wait_for_url(re.compile(r".*/inspections/\d+$"))
    assert "Stored the inspection: Lincolnshire Police: Crime Data Integrity inspection 2018." in dan.text()
    assert "17 July 2018" in dan.text()
    dan.accessible()
    inspection_path = dan.page.url.replace(base, "")

    # the recommendation read cut short, corrected on its own page
    dan.page.get_by_role("link", name="Correct recommendation 3").click()
    dan.accessible()
    dan.page.get_by_label("Text", exact=True).fill(WHOLE)
    dan.page.get_by_label("Why are you making this change?").fill("The report's page stops mid-word; the text is from the full report.")
    dan.page.get_by_role("button", name="Save the correction").click()
    dan.page.wait_for_url(re.compile(r".*/inspections/\d+(#.*)?$"))
    assert WHOLE in dan.text()
    dan.accessible()

    # and the one the tracker does not list, added
    dan.page.get_by_role("link", name="Add a finding").click()
    dan.accessible()
    dan.page.get_by_label("Kind").select_option(label="Recommendation")
    dan.page.get_by_label("Number").fill("4")
    dan.page.get_by_label("Text", exact=True).fill(ADDED)
    dan.page.get_by_label("Timescale").fill("within six months")
    dan.page.get_by_label("Why are you making this change?").fill("The full report makes a fourth recommendation.")
    dan.page.get_by_role("button", name="Add the finding").click()
    dan.page.wait_for_url(re.compile(r".*/inspections/\d+(#.*)?$"))
    assert ADDED in dan.text()
    dan.accessible()

    # invite the chief constable's comments, mark it sent, then draft the s.55 response
    dan.go(inspection_path)
    dan.page.get_by_label("Invitation's date").fill("18 July 2018")
    dan.page.get_by_label("Chief officer's name, if no holder of the role is recorded for the date").fill("Bill Skelly")
    dan.page.get_by_role("button", name="Draft the invitation").click()
    dan.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    dan.page.get_by_label("Date it was sent").fill("18 July 2018")
    dan.page.get_by_role("button", name="Mark sent").click()
    assert "is marked sent" in dan.text()
    dan.go(inspection_path)
    dan.page.get_by_label("Letter's date").fill("10 September 2018")
    awaiting = dan.page.get_by_label(re.compile("Draft even if a recommendation has neither an update nor our answer"))
    if awaiting.count():
        awaiting.check()
    dan.page.get_by_role("button", name="Draft the letter").click()
    dan.page.wait_for_url(re.compile(r".*/letters/\d+$"))
    dan.accessible()
    with dan.page.expect_download() as waiting:
        dan.page.get_by_role("link", name="Download the letter (.docx)").click()
    saved = folder / "response.docx"
    waiting.value.save_as(saved)
    letter = read_letter(saved)
    everything = letter.text + "\n" + "\n".join(cell for table in letter.tables for row in table for cell in row)
    assert "makes four recommendations" in everything, letter.text
    assert "crime-recording decisions" in everything and "officers wh " not in everything and "[…]" not in everything
    assert "review how it records crimes reported by other agencies" in everything
    dan.close()


@requires_corpus
def test_a_report_on_another_force_is_warned_about_on_the_preview(browser: Any, lincolnshire_office: tuple[str, Path]) -> None:
    base, folder = lincolnshire_office
    report = folder / "durham-peel-2017.txt"
    shutil.copyfile(ANOTHER_FORCE, report)
    dan = Officer(browser, base, folder)
    dan.login("dan")
    dan.go("/inspections/upload")
    dan.page.get_by_label("HMICFRS report").set_input_files(str(report))
    dan.page.get_by_role("button", name="Read the report").click()
    assert "This report is about Durham Constabulary; this office oversees Lincolnshire Police." in dan.text()
    dan.accessible()
    shoot(dan, "another-force")
    dan.page.get_by_label("Do not store it").check()
    dan.page.get_by_role("button", name="Store the inspection").click()
    dan.page.wait_for_url(re.compile(r".*/inspections/upload$"))
    assert "Nothing was stored: durham-peel-2017.txt was not kept." in dan.text()
    assert "corr " not in dan.text()
    dan.close()
