"""Every command that writes a file for people says clearly when it cannot, and writes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import assert_clean_error, snapshot

COMMANDS = {
    "letter export csv": (["letter", "export", "--csv"], "r.csv"),
    "letter export xlsx": (["letter", "export", "--xlsx"], "r.xlsx"),
    "annex request csv": (["annex", "request", "1", "--csv"], "a.csv"),
    "export": (["export", "--out"], "e.json"),
    "backup": (["backup"], "b.db"),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_a_missing_folder_is_one_clear_line(example_cli, tmp_path, name):
    args, filename = COMMANDS[name]
    target = tmp_path / "no-such-folder" / filename
    before = snapshot(example_cli.db_url)
    assert_clean_error(example_cli(*args, str(target)), f"the folder {target.parent} does not exist")
    assert snapshot(example_cli.db_url) == before
    assert not target.parent.exists()


@pytest.mark.parametrize("name", COMMANDS)
def test_a_folder_given_as_the_file_is_one_clear_line(example_cli, tmp_path, name):
    args, _ = COMMANDS[name]
    assert_clean_error(example_cli(*args, str(tmp_path)), f"{tmp_path} is a folder; give a file name")


def test_a_calendar_that_cannot_be_written_is_one_clear_line(example_cli, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    assert_clean_error(example_cli("due", "--ics", str(blocker / "s55.ics")), "cannot write")
