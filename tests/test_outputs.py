"""Every command that writes a file for people says clearly when it cannot, and writes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import assert_clean_error, snapshot

COMMANDS = {
    "letter export csv": (["letter", "export", "--csv"], "r.csv"),
    "letter export xlsx": (["letter", "export", "--xlsx"], "r.xlsx"),
    "invite csv": (["invite", "1", "--office", "MOPAC", "--date", "18/7/2018", "--csv"], "a.csv"),
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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["draft", "annex", "1", "--office", "MOPAC", "--out", "/proc/no-letters-here"], "/proc/no-letters-here"),
        (["draft", "annex", "1", "--office", "MOPAC", "--template", "{tmp}"], "is a folder, not a .docx file"),
        (["annex", "import", "{tmp}/folder.csv", "--inspection", "1"], "folder.csv: is a folder, not a file"),
        (["restore", "{tmp}"], "is a folder, not a backup"),
        (["letter", "supersede", "MOPAC06092018-D2188", "--file", "{tmp}"], "is a folder, not a file"),
    ],
    ids=["draft into an unwritable folder", "a folder as template", "a folder as annex", "a folder to restore", "a folder as new version"],
)
def test_folders_and_unwritable_places_are_one_clear_line(example_cli, tmp_path, args, message):
    (tmp_path / "folder.csv").mkdir()
    example_cli.ok("letter", "sent", "MOPAC06092018-D2188", "--date", "7/9/2018")
    before = snapshot(example_cli.db_url)
    result = example_cli(*[arg.replace("{tmp}", str(tmp_path)) for arg in args])
    assert_clean_error(result, message.replace("{tmp}", str(tmp_path)))
    assert snapshot(example_cli.db_url) == before
