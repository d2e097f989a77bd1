"""Every template is filled within a fixed budget of time and memory (drafting/bounded.py).

Issue 22 measured three templates that took the drafter's machine (or the workspace) down: three
nested loops over range(10000) ran until killed, and two that build gigabytes of text ended in a
MemoryError traceback; uploaded on the web, the loop kept a server thread busy and, on SQLite,
held the write lock so nobody could log in. Each is now refused in one line naming the template
and what it asked for, by `corr template check`, by a draft and by the Settings page, and the next
letter drafts as usual.
"""

from __future__ import annotations

import io
import resource
import threading
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from typer.testing import CliRunner

from correspondence.cli import app as cli_app
from correspondence.records.models import Letter, OfficeTemplate
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.web_support import Browserless, Offices, text_of

LOOPS = ("{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000) %}{% endfor %}"
         "{% endfor %}{% endfor %}{{ reference }}")
LIST_OF_COPIES = "{{ [range(100000)|join] * 100000 }}{{ reference }}"
REPLACED = "{% set s = range(100000)|join %}{{ (s ~ s ~ s ~ s)|replace('1', s) }}{{ reference }}"
RECURSION = "{% macro again(n) %}{{ again(n) }}{% endmacro %}{{ again(1) }}{{ reference }}"
SECONDS = 2  # the budget these tests set for loops, so a runaway loop costs each test 2 s, not 10
MEGABYTES = 64  # and for memory, with 60 s to reach it however loaded the machine is


@pytest.fixture(autouse=True)
def _short_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORR_TEMPLATE_SECONDS", str(SECONDS))


def _memory_budget_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORR_TEMPLATE_SECONDS", "60")
    monkeypatch.setenv("CORR_TEMPLATE_MEMORY_MB", str(MEGABYTES))


def _template_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph("Our reference: {{ reference }}")
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _template(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(_template_bytes(text))
    return path


@pytest.mark.parametrize(("text", "says"), [
    (LOOPS, f"it was still being filled in after {SECONDS} seconds, the most a template may take"),
    (LIST_OF_COPIES, f"it asked for more than {MEGABYTES} MB of memory while being filled in, the most a template may use"),
    (REPLACED, f"it asked for more than {MEGABYTES} MB of memory while being filled in"),
    (RECURSION, "a macro calls itself more deeply than a template may"),
], ids=["nested loops", "a list of copies", "replace with itself", "a macro calling itself"])
def test_template_check_reports_a_template_over_the_budget(tmp_path: Path, text: str, says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if "memory" in says:
        _memory_budget_only(monkeypatch)
    path = _template(tmp_path, "greedy.docx", text)
    grown_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = CliRunner().invoke(cli_app, ["template", "check", str(path), "--kind", "annex"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"{path}: {says}" in result.stderr
    assert "Traceback" not in result.output and "MemoryError" not in result.output
    # The memory was asked for in the worker, never in the process running the command.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - grown_before < 200 * 1024


def test_a_draft_from_a_template_over_the_budget_is_refused_and_stores_nothing(example_cli: Cli, tmp_path: Path, db_url: str,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(db_url)
    for name, text, says in (("loops.docx", LOOPS, f"template loops.docx was still being filled in after {SECONDS} seconds"),
                             ("copies.docx", LIST_OF_COPIES, f"template copies.docx asked for more than {MEGABYTES} MB of memory")):
        if "memory" in says:
            _memory_budget_only(monkeypatch)
        template = _template(tmp_path, name, text)
        result = example_cli("draft", "annex", "1", "--office", "MOPAC", "--template", str(template), "--out", str(tmp_path / "out"))
        assert_clean_error(result, says, "nothing was made from it", f"run 'corr template check {template}'")
    assert snapshot(db_url) == before  # no reference spent, no letter, no file version
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    # The next letter drafts as usual: the worker that ran out was replaced.
    good = _template(tmp_path, "good.docx", "An annex of our own")
    drafted = example_cli.ok("draft", "annex", "1", "--office", "MOPAC", "--template", str(good), "--out", str(tmp_path / "out"))
    assert "drafted" in drafted.stdout


def test_the_budget_setting_is_checked(example_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORR_TEMPLATE_SECONDS", "forever")
    good = _template(tmp_path, "good.docx", "An annex of our own")
    result = example_cli("draft", "annex", "1", "--office", "MOPAC", "--template", str(good))
    assert_clean_error(result, "CORR_TEMPLATE_SECONDS: 'forever' is not a number")


def test_an_uploaded_template_over_the_budget_is_refused_and_holds_nobody_up(app: Any, office_data: Offices, db_url: str) -> None:
    ada, dan = Browserless(app), Browserless(app)
    ada.login("ada")
    dan.login("dan")
    answers: dict[str, Any] = {}

    def upload() -> None:
        answers["upload"] = ada.post("/settings/templates", {"template-kind": "annex",
                                                            "template-template": (io.BytesIO(_template_bytes(LOOPS)), "loops.docx")},
                                     content_type="multipart/form-data")

    uploading = threading.Thread(target=upload)
    uploading.start()
    # While the template is being filled in, a colleague saves an action: no lock is held for it.
    saved = dan.post(f"/meetings/{office_data.mopac_meeting}/actions", {"action": "Report back on the loops.", "due": "1/6/2022"})
    still_checking = uploading.is_alive()
    uploading.join(timeout=60)
    assert saved.status_code == 302 and still_checking
    refused = answers["upload"]
    assert refused.status_code == 422
    page = text_of(refused)
    assert "There is a problem" in page
    assert f"loops.docx was not saved: it was still being filled in after {SECONDS} seconds, the most a template may take" in page
    with office_data.store.transaction() as session:
        assert session.query(OfficeTemplate).count() == 0
        assert session.query(Letter).count() > 0  # the office's letters are all still there


def test_a_letter_drafted_in_the_workspace_with_a_greedy_template_is_refused_cleanly(app: Any, office_data: Offices,
                                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _memory_budget_only(monkeypatch)
    from correspondence.examples.template_check import CheckedTemplate, keep_template
    from correspondence.records.models import Office

    # An office template kept before this budget existed (so never checked against it).
    with office_data.store.transaction() as session:
        mopac = session.query(Office).filter_by(short_name="MOPAC").one()
        keep_template(session, mopac, CheckedTemplate("followup", "greedy.docx", _template_bytes(LIST_OF_COPIES)),
                      __import__("datetime").date(2022, 5, 1))
    dan = Browserless(app)
    dan.login("dan")
    refused = dan.post(f"/meetings/{office_data.mopac_meeting}/draft", {"letter_date": "1/6/2022"})
    page = text_of(refused)
    assert refused.status_code == 422, page
    assert f"asked for more than {MEGABYTES} MB of memory while being filled in" in page
    assert "Traceback" not in page and "MemoryError" not in page


def test_a_template_named_relative_to_the_folder_the_command_runs_in_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker filling templates outlives the folder it was started in: a template named as
    'ours.docx' is the one in the folder each command runs in, not in the first one's."""
    for folder, text in (("first", "The first office's annex {{ reference }}"), ("second", "An annex of {{ no_such_name }}")):
        (tmp_path / folder).mkdir()
        _template(tmp_path / folder, "ours.docx", text)
    for folder, says in (("first", "ours.docx: OK"), ("second", "uses {{ no_such_name }}, which the context does not provide")):
        monkeypatch.chdir(tmp_path / folder)
        result = CliRunner().invoke(cli_app, ["template", "check", "ours.docx", "--kind", "annex"])
        assert says in result.output, result.output
