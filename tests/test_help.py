"""Help pages read as plain English, for every command, including commands added later."""

from __future__ import annotations

import re
import shlex

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


def command_at(path: list[str]):  # noqa: ANN201 - a click command
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


def leaf_commands() -> list[list[str]]:
    """Every command that does something (not a group of commands), hidden ones left out as their help is."""
    return [path for path in every_command() if path and not getattr(command_at(path), "commands", None)
            and not command_at(path).hidden]


EXAMPLE_PREFIX = "Example:"


def trailing_examples(help_text: str) -> list[str]:
    """The examples a help text ends with: the paragraphs at its end that each start 'Example:'."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", help_text.strip()) if part.strip()]
    found = []
    while paragraphs and paragraphs[-1].startswith(EXAMPLE_PREFIX):
        found.insert(0, paragraphs.pop())
    return found


def assert_real_example(name: str, example: str) -> None:
    """The example (``corr ...``, as a help gives it) is a command of the app, the one called ``name``,
    with options it takes and the arguments it needs. It is parsed, not run: it names files an office has."""
    words = shlex.split(example)
    assert words[:1] == ["corr"], f"the help of {name} gives an example that is not a corr command: {example}"
    words = words[1:]
    command, depth = typer.main.get_command(app), 0
    while hasattr(command, "commands") and depth < len(words) and words[depth] in command.commands:
        command, depth = command.commands[words[depth]], depth + 1
    assert " ".join(["corr", *words[:depth]]) == name, f"the help of {name} gives an example of another command: {example}"
    ctx = command.context_class(command, info_name=name)
    takes = {opt for param in command.get_params(ctx) for opt in (*param.opts, *param.secondary_opts)}
    for word in words[depth:]:
        if word.startswith("-"):
            assert word.split("=", 1)[0] in takes, f"{name} takes no option {word}, as its example has it: {example}"
    command.make_context(name, words[depth:])  # raises on a missing argument or a value of the wrong kind


@pytest.mark.parametrize("path", leaf_commands(), ids=" ".join)
def test_every_command_ends_its_help_with_an_example_of_itself(path):
    """Like sqlite-utils: each command's help ends with an example, one paragraph each, so that --help
    and the docs' reference show each on its own rather than run into the text before it."""
    name = " ".join(["corr", *path])
    text = command_at(path).help or ""
    examples = trailing_examples(text)
    assert examples, f"the help of {name} does not end with 'Example: {name} ...'"
    assert text.count(EXAMPLE_PREFIX) == len(examples), f"the help of {name} has an example that is not at its end, in a paragraph of its own"
    shown = ["".join(part.split()) for part in re.split(r"\n\s*\n", help_of(path))]
    for paragraph in examples:
        assert "\n" not in paragraph, f"the help of {name} runs two lines into one paragraph: {paragraph!r}"
        assert_real_example(name, paragraph.removeprefix(EXAMPLE_PREFIX).strip())
        assert "".join(paragraph.split()) in shown, f"corr {' '.join(path)} --help does not show {paragraph!r} on its own"


def test_the_example_check_catches_what_it_is_for():
    assert trailing_examples("Does it.\n\nExample: corr a\n\nExample: corr b\n") == ["Example: corr a", "Example: corr b"]
    assert trailing_examples("Does it. Example: corr a") == []
    assert_real_example("corr office set", "corr office set LLR --next-number 114 --year 2019")
    for wrong in ("corr office set LLR --next 114", "corr office show MOPAC", "corr office set --name X", "corr office set LLR --year x"):
        with pytest.raises(Exception):  # noqa: B017 - an AssertionError or click's own, whichever finds it first
            assert_real_example("corr office set", wrong)


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
    assert re.search(r"--out\s+FOLDER\s+Folder for a copy of the letter to open in Word .* \(default: letters in this folder, "
                     r"or the office's own folder if it names one\)\.", text)
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
