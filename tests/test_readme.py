"""The README's examples, run as written, so they cannot drift from what the tool does.

Every fenced ``sh`` block is run, in order, against one new database in an empty folder. Each line
(with its ``\\`` continuations) must be a ``corr`` command, and must succeed. On a command's line,
a comment ``# shows: TEXT`` requires TEXT in its output, and ``-> letters/NAME`` requires that file
afterwards. A block that cannot run as written is marked on the line before its fence with
``<!-- not run: the reason -->``; a section added later is covered without changing this test.
A walkthrough that starts from nothing (``corr example``) is marked ``<!-- in a new folder -->``: it
runs in a folder of its own, with the same input files, and the blocks after it go on where the
others left off. ``export NAME=VALUE`` lines set a variable for the rest of their folder.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from correspondence.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
NOT_RUN = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->")
NEW_FOLDER = re.compile(r"<!--\s*in a new folder\s*-->")


@dataclass
class Example:
    line: int  # in README.md
    argv: list[str]
    shows: list[str]
    files: list[str]
    folder: str = ""  # "" for the shared folder, else the folder of its own walkthrough
    sets: str = ""  # for an export line, NAME=VALUE (and argv is empty)

    def __str__(self) -> str:
        return f"README.md line {self.line}: {shlex.join(self.argv)}"


def blocks(text: str) -> list[tuple[int, list[str], str | None, bool]]:
    """(first line number, lines, reason it is not run, whether it runs in a new folder) of each sh block."""
    lines = text.splitlines()
    found, index = [], 0
    while index < len(lines):
        if lines[index].strip() == "```sh":
            before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
            marked = NOT_RUN.search(before)
            end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
            found.append((index + 2, lines[index + 1:end], marked.group(1) if marked else None, bool(NEW_FOLDER.search(before))))
            index = end
        index += 1
    return found


def examples(text: str) -> list[Example]:
    result = []
    for first, lines, reason, new_folder in blocks(text):
        if reason:
            continue
        folder = f"walkthrough-{first}" if new_folder else ""
        pending, start = "", first
        for number, line in enumerate(lines, start=first):
            if not pending:
                start = number
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
                continue
            command, pending = pending + line, ""
            if not command.strip() or command.lstrip().startswith("#"):
                continue  # blank lines and comment lines explain; they do not run
            words = shlex.split(command, comments=True)
            comment = command.split(" #", 1)[1] if " #" in command else ""
            if len(words) == 2 and words[0] == "export" and "=" in words[1]:
                result.append(Example(start, [], [], [], folder, sets=words[1]))  # for the commands after it
                continue
            assert words and words[0] == "corr", (
                f"README.md line {start}: a runnable sh block holds only corr commands (and export NAME=VALUE); mark the block "
                f"<!-- not run: reason --> if it cannot run as written: {command.strip()!r}"
            )
            shows = re.findall(r"shows: (.+?)\s*$", comment)
            files = re.findall(r"-> (letters/\S+)", comment)
            result.append(Example(start, words[1:], shows, files, folder))
    return result


def test_the_parser_reads_blocks_markers_continuations_and_comments():
    text = "\n".join([
        "```sh", "corr office add --short LLR \\", '    --name "A & B"   # shows: added', "export CORR_USER=jo", "corr due  # -> letters/X.docx", "```",
        "<!-- not run: needs a report -->", "```sh", "corr inspection import report.pdf", "```",
        "```yaml", "corr: not a command", "```",
    ])
    found = examples(text)
    assert [(e.line, e.argv, e.shows, e.files) for e in found] == [
        (2, ["office", "add", "--short", "LLR", "--name", "A & B"], ["added"], []),
        (4, [], [], []),
        (5, ["due"], [], ["letters/X.docx"]),
    ]
    with pytest.raises(AssertionError, match="holds only corr commands"):
        examples("```sh\nrm -rf letters\n```")


def test_every_readme_example_runs_as_written(tmp_path, monkeypatch):
    found = examples(README.read_text(encoding="utf-8"))
    assert len(found) > 40, "the README's examples were not found"
    runner = CliRunner(env={"COLUMNS": "200"})
    variables: dict[str, dict[str, str]] = {}
    for example in found:
        folder = tmp_path / (example.folder or "readme")  # siblings: a corr.toml in one is not seen from another
        if not (folder / "tests").exists():
            _input_files(folder)
        monkeypatch.chdir(folder)
        if example.sets:
            name, value = example.sets.split("=", 1)
            variables.setdefault(example.folder, {})[name] = value
            continue
        result = runner.invoke(app, example.argv, env=variables.get(example.folder, {}))
        output = result.stdout + result.stderr
        assert result.exit_code == 0, f"{example} failed:\n{output}\n{result.exception!r}"
        for text in example.shows:
            assert text in output, f"{example}: {text!r} is not in its output:\n{output}"
        for name in example.files:
            assert (folder / name).is_file(), f"{example}: {name} was not written; letters/ holds {sorted(p.name for p in (folder / 'letters').iterdir())}"


def _input_files(folder: Path) -> None:
    """The files the README's examples name, as an office would have them."""
    folder.mkdir(exist_ok=True)
    (folder / "tests").symlink_to(ROOT / "tests")
    shutil.copyfile(ROOT / "templates" / "s55-response.docx", folder / "our-response.docx")
    _plan_letter(folder / "plan-letter.docx")
    _commissioner_reply(folder / "commissioner-reply.docx")
    (folder / "ours.md").write_text(
        "# Opening\nI welcome this re-inspection of crime recording by {force}.\n\n"
        "# Commentary\n- I will ask the force to report its recording rate to me every quarter.\n",
        encoding="utf-8",
    )


def _plan_letter(path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("Our ref: OPCC/98/19")
    document.add_paragraph("Dear Home Secretary, I enclose the police and crime plan for 2019.")
    document.save(str(path))


def _commissioner_reply(path: Path) -> None:
    """The Commissioner's comments on the example's report, as an office would receive them."""
    from docx import Document

    document = Document()
    document.add_paragraph("Our ref: MPS/CDI/2018")
    document.add_paragraph("20 August 2018")
    document.add_paragraph("Dear Sophie,")
    document.add_paragraph("Thank you for the opportunity to comment on the inspection of crime data integrity. "
                           "The Service accepts the recommendations and has begun work on each of them.")
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph("Cressida Dick")
    document.add_paragraph("Commissioner")
    document.save(str(path))
