"""A letter's files on its page: the versions listed with who, when and why, a new version uploaded
after editing in Word (what is refused, and how it is said), enclosures and attachments, and a page
whose SQL statements do not grow with the versions a letter has. Through Flask's test client."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import pytest
from sqlalchemy import event, func, select

from correspondence.files.letter_versions import add_attachment, add_version
from correspondence.records.models import FileVersion, Letter
from correspondence.records.store import acting_as
from tests.conftest import snapshot
from tests.docx_files import docx_bytes, macro_enabled, with_external_template
from tests.web_support import Browserless, Offices, text_of


def client(app: Any, name: str) -> Browserless:
    browser = Browserless(app)
    assert browser.login(name).status_code == 302
    return browser


def upload(browser: Browserless, letter_id: int, content: bytes | None, name: str = "edited.docx", why: str = "the CEO's edits") -> Any:
    data: dict[str, Any] = {"version-why": why}
    if content is not None:
        data["version-file"] = (io.BytesIO(content), name)
    return browser.post(f"/letters/{letter_id}/versions", data, content_type="multipart/form-data")


def versions(o: Offices, letter_id: int) -> list[tuple[int, str, str, str]]:
    with o.store.reading() as session:
        return [(v.number, v.file_name, v.added_by, v.why) for v in
                session.scalars(select(FileVersion).where(FileVersion.letter_id == letter_id).order_by(FileVersion.number))]


def test_a_new_version_is_listed_downloaded_and_becomes_the_letter(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    edited = docx_bytes("Dear Home Secretary, with the Chief Executive's edits.")
    done = upload(dan, o.mopac_draft, edited)
    assert done.status_code == 302
    page = text_of(dan.get(done.headers["Location"]))
    assert "Version 2 (edited.docx) is stored and is now the letter" in page
    assert "2 (current)" in page and "Dan Example, " in page and "the CEO's edits" in page and "drafted" in page
    current = dan.get(f"/letters/{o.mopac_draft}/download")
    assert current.data == edited and current.headers["Content-Disposition"].startswith("attachment;")
    first = dan.get(f"/letters/{o.mopac_draft}/versions/1/download")
    assert first.status_code == 200 and first.data != edited and first.data.startswith(b"PK")
    assert dan.get(f"/letters/{o.mopac_draft}/versions/3/download").status_code == 404
    with o.store.reading() as session:
        letter = session.get(Letter, o.mopac_draft)
        assert letter.file_sha256 == hashlib.sha256(edited).hexdigest() and "Chief Executive's edits" in letter.body_text
    assert versions(o, o.mopac_draft)[-1] == (2, "edited.docx", "dan", "the CEO's edits")
    timeline = text_of(dan.get(f"/inspections/{o.mopac_inspection}"))  # the response's steps, each with who took it
    assert "s.55 response MOPAC06092018-D2188: version 2 added: the CEO's edits Dan Example" in timeline


@pytest.mark.parametrize(("content", "name", "why", "says"), [
    (None, "x.docx", "edits", "Word file (.docx): Choose the edited .docx file"),
    (b"PK\x03\x04 not a real package", "edited.docx", "edits", "edited.docx: is not a Word .docx file"),
    (docx_bytes("fine"), "edited.pdf", "edits", "edited.pdf: is not a Word .docx file"),
    (macro_enabled(), "edited.docx", "edits", "edited.docx: is a macro-enabled document"),
    (with_external_template(), "edited.docx", "edits", "edited.docx: loads attachedTemplate from outside the document"),
    (docx_bytes("fine"), "edited.docx", "", "What changed: Say what changed in this version"),
], ids=["no file", "not a zip", "not .docx", "macro-enabled renamed", "external template", "no reason"])
def test_a_bad_upload_is_refused_against_its_field_and_nothing_is_stored(app: Any, office_data: Offices, db_url: str,
                                                                         content: bytes | None, name: str, why: str, says: str) -> None:
    dan = client(app, "dan")
    before = snapshot(db_url)
    refused = upload(dan, office_data.mopac_draft, content, name, why)
    assert refused.status_code == 422
    page = refused.text
    assert 'href="#version-' in page  # the error summary links to the field
    assert says in text_of(refused)
    if why:
        assert re.search(rf">\s*{why}</textarea>", page)  # what was typed is kept
    assert snapshot(db_url) == before


def test_a_sent_letter_takes_no_new_version_and_another_offices_letter_is_not_found(app: Any, office_data: Offices, db_url: str) -> None:
    o = office_data
    dan = client(app, "dan")
    assert dan.post(f"/letters/{o.mopac_draft}/sent", {"sent_on": "7/9/2018"}).status_code == 302
    page = text_of(dan.get(f"/letters/{o.mopac_draft}"))
    assert "Upload a new version" not in page
    before = snapshot(db_url)
    refused = upload(dan, o.mopac_draft, docx_bytes("too late"))
    assert refused.status_code == 422 and "was sent; a sent letter takes no new version" in text_of(refused)
    assert snapshot(db_url) == before
    kim = client(app, "kim")
    assert upload(kim, o.mopac_draft, docx_bytes("not ours")).status_code == 404
    assert kim.get(f"/letters/{o.mopac_draft}/versions/1/download").status_code == 404
    vera = client(app, "vera")  # a viewer reads and downloads, but uploads nothing
    assert vera.get(f"/letters/{o.mopac_draft}/versions/1/download").status_code == 200
    assert upload(vera, o.mopac_received, docx_bytes("x")).status_code == 403


def test_enclosures_and_attachments_are_kept_with_their_letter(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    added = dan.post(f"/letters/{o.mopac_received}/attachments",
                     {"attachment-file": (io.BytesIO(b"%PDF-1.4 the force's action plan"), "action plan.pdf"),
                      "attachment-why": "Annex B: the force's action plan"}, content_type="multipart/form-data")
    assert added.status_code == 302
    page = text_of(dan.get(f"/letters/{o.mopac_received}"))
    assert "Attachments" in page and re.search(r"action plan\.pdf ?: Annex B: the force's action plan", page)
    with o.store.reading() as session:
        (kept,) = session.scalars(select(FileVersion).where(FileVersion.letter_id == o.mopac_received,
                                                            FileVersion.purpose == "attachment"))
        kept_id = kept.id
    assert dan.get(f"/letters/{o.mopac_received}/files/{kept_id}/download").data == b"%PDF-1.4 the force's action plan"
    assert dan.get(f"/letters/{o.mopac_draft}/files/{kept_id}/download").status_code == 404  # not this letter's
    refused = dan.post(f"/letters/{o.mopac_received}/attachments", {"attachment-file": (io.BytesIO(b"x"), "x.pdf"),
                                                                   "attachment-why": ""}, content_type="multipart/form-data")
    assert refused.status_code == 422 and "What it is: Say what the file is" in text_of(refused)


def test_the_letter_page_makes_the_same_statements_however_many_versions_and_files(app: Any, office_data: Offices) -> None:
    o = office_data
    dan = client(app, "dan")
    statements: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(o.store.engine, "before_cursor_execute", count)
        try:
            assert dan.get(f"/letters/{o.mopac_draft}").status_code == 200
        finally:
            event.remove(o.store.engine, "before_cursor_execute", count)
        return len(statements)

    dan.get(f"/letters/{o.mopac_draft}")
    few = queries()
    with acting_as("dan"), o.store.transaction() as session:
        letter = session.get(Letter, o.mopac_draft)
        for number in range(8):
            add_version(session, letter, docx_bytes(f"version {number}"), file_name=f"v{number}.docx", why=f"edit {number}")
            add_attachment(session, letter, f"enclosure {number}".encode(), file_name=f"e{number}.txt", why=f"enclosure {number}")
    page = text_of(dan.get(f"/letters/{o.mopac_draft}"))
    assert "9 (current)" in page and re.search(r"e7\.txt ?: enclosure 7", page)
    assert queries() == few
    with o.store.reading() as session:
        assert session.scalar(select(func.count()).select_from(FileVersion).where(FileVersion.letter_id == o.mopac_draft)) == 17


KILL_ONCE_THE_VERSION_IS_WRITTEN = """
import os, signal
from correspondence.files import letter_versions
real = letter_versions.keep_letter_file
def killed(*args, **kwargs):
    real(*args, **kwargs)  # the bytes and the version are written in the transaction, which never commits
    os.kill(os.getpid(), signal.SIGKILL)
letter_versions.keep_letter_file = killed
"""


def test_a_process_killed_during_an_upload_leaves_no_half_version(example_cli: Any, tmp_path: Any) -> None:
    """The server or a command killed mid-upload: the letter is as it was, no version and no bytes kept,
    and the upload can be made again."""
    import os
    import signal
    import subprocess
    import sys

    edited = tmp_path / "edited.docx"
    edited.write_bytes(docx_bytes("Edited in Word, then the power went."))
    before = snapshot(example_cli.db_url)
    code = (f"{KILL_ONCE_THE_VERSION_IS_WRITTEN}\nimport sys\nsys.argv = ['corr', 'letter', 'version', 'add', 'MOPAC06092018-D2188', "
            f"{str(edited)!r}, '--why', 'edits', '--db', {example_cli.db_url!r}]\nfrom correspondence.cli import main\nmain()\n")
    killed = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ}, capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(example_cli.db_url) == before
    example_cli.ok("letter", "version", "add", "MOPAC06092018-D2188", str(edited), "--why", "edits, again")
    assert [v["why"] for v in example_cli.json("letter", "version", "list", "MOPAC06092018-D2188")] == ["drafted", "edits, again"]
