"""Screenshots of the web workspace's main pages, for the README (docs/screenshots/*.png).

    .venv/bin/python scripts/screenshots.py            # needs Debian's chromium at /usr/bin/chromium

It builds a throwaway office from the bundled example, adds two current inspections so the
dashboard shows red, amber and green, starts `corr serve` on it, logs in with headless Chromium
(driven by Playwright, which never downloads a browser) and saves each page. Run it again after
changing a page, and look at every picture before committing.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CORR_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PASSWORD = "correct horse battery"
SEED_REPORT = ROOT.parent / "shared" / "seeds" / "report-hmicfrs-met-cdi-2018-07-17.txt"


def build(db_url: str, letters: Path) -> dict[str, int]:
    sys.path.insert(0, str(ROOT))
    from correspondence.examples.bundled import load_example
    from correspondence.organisation.offices import get_office
    from correspondence.organisation.users import add_user
    from correspondence.records.store import open_store
    from correspondence.records.vocabulary import UpdateStatus, UserRole
    from correspondence.tracking import updates
    from correspondence.tracking.inspection_file import validate_inspection
    from correspondence.tracking.inspections import add_inspection
    from correspondence.tracking.owners import assign_finding, assign_response

    today = dt.date.today()
    store = open_store(db_url)
    with store.transaction() as session:
        example = load_example(session, letters)
        jo = add_user(session, "jsmith", office="MOPAC", role=UserRole.DRAFTER, full_name="Jo Smith",
                      email="jo.smith@example.org", password=PASSWORD)
        add_user(session, "pat", office="MOPAC", role=UserRole.ADMIN, full_name="Pat Khan", password=PASSWORD)
        office = get_office(session, "MOPAC")
        recent = []
        for days_ago, programme, grade in ((48, "PEEL 2025-27", "requires improvement"), (20, "Child protection", "adequate")):
            recent.append(add_inspection(session, validate_inspection({
                "force": "Metropolitan Police Service", "programme": programme, "overall_grade": grade,
                "title": f"{programme}: An inspection of the Metropolitan Police Service",
                "published": (today - dt.timedelta(days=days_ago)).isoformat(),
                "recommendations": ["Within six months, improve how the force answers non-emergency calls.",
                                    "Within three months, review how vulnerable victims are identified at first contact."],
                "areas_for_improvement": ["Make sure officers record stop and search encounters fully."],
            }, source="demo")))
        updates.add_update(session, recent[0].areas[0], status=UpdateStatus.IN_PROGRESS,
                           text="A new call-handling model is being piloted in two boroughs.", received_on=today - dt.timedelta(days=5), today=today)
        assign_response(session, office, recent[0], jo, today)
        assign_finding(session, office, recent[0].areas[1], jo, today)
        assign_finding(session, office, example.inspection.areas[6], jo, today)
        # the example's response part-way through the s.55 process: invited (and sent), the draft submitted
        from correspondence.drafting import drafts as drafting
        from correspondence.files.letter_versions import add_version
        from correspondence.organisation import roles
        from correspondence.process import clearance
        from correspondence.process.invitation import invite
        from correspondence.process.sending import mark_sent
        from correspondence.records.store import acting_as

        roles.add_holder(session, role="Commissioner", name="Cressida Dick", title="Commissioner", salutation="Dear Cressida",
                         office=office, starts_on=dt.date(2017, 4, 10), ends_on=dt.date(2022, 4, 9))
        with acting_as("jsmith"):
            made = invite(session, example.inspection.id, drafting.DraftRequest(office="MOPAC", letter_date=dt.date(2018, 7, 18),
                                                                                today=today, author="jsmith"))
            from correspondence.records.models import Letter

            mark_sent(session, session.get(Letter, made.letter_id), dt.date(2018, 7, 18), today)
            add_version(session, example.draft, edited(session, example.draft), file_name="MOPAC06092018-D2188 CE edits.docx",
                        why="The Chief Executive's edits to the opening paragraphs")
            clearance.submit(session, example.draft)
        ids = {"example": example.inspection.id, "recent": recent[0].id, "draft": example.draft.id, "meeting": example.meeting.id}
    store.dispose()
    return ids


def edited(session, letter) -> bytes:  # noqa: ANN001 - a session and a Letter
    """The draft as the Chief Executive sent it back from Word: one sentence changed."""
    import io

    from docx import Document

    from correspondence.files.letter_versions import current_version
    from correspondence.files.versions import read_bytes

    document = Document(io.BytesIO(read_bytes(session, current_version(session, letter))))
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("I welcome this report."):
            paragraph.text = paragraph.text.replace("I welcome this report.", "I welcome this report and its findings.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def serve(db_url: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    corr = Path(sys.executable).with_name("corr")
    process = subprocess.Popen([str(corr), "serve", "--db", db_url, "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("corr serve did not start")


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="corr-shots-") as scratch:
        folder = Path(scratch)
        db_url = f"sqlite:///{folder / 'office.db'}"
        ids = build(db_url, folder / "letters")
        process, base = serve(db_url)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860}, device_scale_factor=1)

                def shot(name: str, full: bool = False) -> None:
                    path = OUT / f"{name}.png"
                    page.screenshot(path=str(path), full_page=full)
                    print(f"saved {path.relative_to(ROOT)}")

                page.goto(base + "/login")
                shot("login")
                page.get_by_label("User name").fill("jsmith")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(base + "/")
                shot("dashboard", full=True)
                page.goto(base + "/?view=mine")
                shot("dashboard-mine", full=True)
                page.goto(f"{base}/inspections/{ids['example']}")
                shot("inspection")
                page.evaluate("document.getElementById('process').scrollIntoView()")
                shot("inspection-process")
                page.locator("#findings").scroll_into_view_if_needed()
                page.evaluate("document.getElementById('findings').scrollIntoView()")
                shot("inspection-findings")
                if SEED_REPORT.is_file():
                    page.goto(base + "/inspections/upload")
                    page.get_by_label("HMICFRS report").set_input_files(str(SEED_REPORT))
                    page.get_by_role("button", name="Read the report").click()
                    shot("upload-preview")
                page.goto(f"{base}/letters/{ids['draft']}")
                shot("letter", full=True)
                # the current version read in the browser: the PDF's frame is drawn in a tall window, not a full-page shot
                page.set_viewport_size({"width": 1280, "height": 1700})
                page.goto(f"{base}/letters/{ids['draft']}/versions/2/preview")
                page.wait_for_timeout(4000)  # LibreOffice makes the PDF once; Chromium's viewer then draws it
                shot("letter-preview")
                page.set_viewport_size({"width": 1280, "height": 860})
                page.goto(base + "/letters")
                page.get_by_label("Words", exact=True).fill("recorded")
                page.wait_for_url(lambda url: "q=recorded" in url)
                page.wait_for_timeout(300)
                shot("register")
                page.goto(f"{base}/meetings/{ids['meeting']}")
                shot("meeting")
                page.goto(base + "/settings")
                shot("settings")
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
