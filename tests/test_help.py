"""Help pages read as plain English, for every command, including commands added later."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from correspondence import __version__
from correspondence.cli import app


def every_command() -> list[list[str]]:
    """Every command path, found by walking the app, so a new command is checked without listing it."""
    found = []

    def walk(command, path):  # noqa: ANN001
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def help_of(path: list[str]) -> str:
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("path", every_command(), ids=lambda path: " ".join(path) or "corr")
def test_help_has_no_programmer_types_or_stray_marks(path):
    text = help_of(path)
    for programmer in ("<str>", "<bool>", "<int", "<path>", "list[", "x>=", "x<="):
        assert programmer not in text, f"{programmer!r} in the help of corr {' '.join(path)}"
    assert not re.search(r"\w \.(\s|$)", text), f"a stray ' .' in the help of corr {' '.join(path)}"
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    arguments = usage.split("[OPTIONS]", 1)[1].split() if "[OPTIONS]" in usage else []
    for argument in arguments:
        name = argument.strip("[]{}.")
        assert name == name.upper(), f"argument {argument} of corr {' '.join(path)} is not in capitals like the others"


def test_help_says_what_options_take_in_words():
    text = " ".join(help_of(["draft", "response"]).split())  # as read, whatever the width it wrapped at
    assert re.search(r"--date\s+DATE\s+The letter's date \(default: today\)\.", text)
    assert re.search(r"--out\s+FOLDER\s+Folder for the letter \(default: the office's letters folder\)\.", text)
    assert re.search(r"--allow-missing\s+Draft even if", text)  # a switch takes nothing
    assert re.search(r"--limit\s+NUMBER\s+Show at most", help_of(["letter", "list"]))
    assert "office set [OPTIONS] SHORT_NAME" in help_of(["office", "set"])
    assert "letter import [OPTIONS] FILES..." in help_of(["letter", "import"])


def test_version():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"corr (correspondence) {__version__}"


def test_the_list_of_commands_gives_each_command_its_own_summary():
    """corr --help lists every command without building it; each line must still be the command's own."""
    commands = typer.main.get_command(app).commands
    names = list(commands.keys())
    unbuilt = {name: commands.summary(name, 60) for name in names}
    assert len(names) > 25 and all(unbuilt.values())
    for name in names:
        assert unbuilt[name] == commands[name].get_short_help_str(60), name
    assert "Police forces." in " ".join(help_of([]).split())
