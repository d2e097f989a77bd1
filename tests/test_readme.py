"""The examples in README.md and in every page of the documentation (docs/**/*.md), run as written, so
they cannot drift from what the tool does.

Pages: README.md and every Markdown page under docs/, found by walking the folder, so a page added later
is covered without changing this test. Each page is one test, named by its path.

Blocks: every fenced ``sh`` block is run, in order. Each line (with its ``\\`` continuations) must be a
``corr`` command, and must succeed; lines starting with ``#`` explain and are not run. On a command's
line, a comment ``# shows: TEXT`` requires TEXT in its output, and ``-> letters/NAME`` requires that
file afterwards. ``export NAME=VALUE`` lines set a variable for the rest of their folder. A block that
cannot run as written is marked on the line before its fence with ``<!-- not run: the reason -->``.

Folders: each page's examples run in a new, empty folder of their own (with the input files below), so
no page depends on the order of the site's navigation or on another page's leftovers. A page whose
examples go on from another page's records says so, anywhere in the page, with
``<!-- examples go on from: getting-started.md guide/index.md -->`` (paths from docs/): those pages'
examples, and those they go on from in turn, run first in the same folder, each once. A walkthrough
that starts from nothing (``corr example``) is marked ``<!-- in a new folder -->``: it runs in a folder
of its own, and the page's blocks after it go on where the page's others left off.

The CLI reference (docs/reference/cli.md) is written at build time from the commands' own help; its
examples are checked in tests/test_docs.py.
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
DOCS = ROOT / "docs"
NOT_RUN = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->")
NEW_FOLDER = re.compile(r"<!--\s*in a new folder\s*-->")
GOES_ON_FROM = re.compile(r"<!--\s*examples go on from:\s*(.+?)\s*-->")
# Every runnable example that README.md held before its examples moved into docs/: the count must not fall.
EXAMPLES_BEFORE_THE_SITE = 89


@dataclass
class Example:
    page: str  # README.md, or a page's path from docs/
    line: int  # in that page
    argv: list[str]
    shows: list[str]
    files: list[str]
    folder: str = ""  # "" for the page's folder, else the folder of its own walkthrough
    sets: str = ""  # for an export line, NAME=VALUE (and argv is empty)

    def __str__(self) -> str:
        return f"{self.page} line {self.line}: {shlex.join(self.argv) if self.argv else 'export ' + self.sets}"


def pages() -> dict[str, Path]:
    """README.md and every docs page, by the name the markers use (a page's path from docs/)."""
    found = {"README.md": README}
    found.update({path.relative_to(DOCS).as_posix(): path for path in sorted(DOCS.rglob("*.md"))})
    return found


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


def examples(text: str, page: str = "README.md") -> list[Example]:
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
                result.append(Example(page, start, [], [], [], folder, sets=words[1]))  # for the commands after it
                continue
            assert words and words[0] == "corr", (
                f"{page} line {start}: a runnable sh block holds only corr commands (and export NAME=VALUE); mark the block "
                f"<!-- not run: reason --> if it cannot run as written: {command.strip()!r}"
            )
            shows = re.findall(r"shows: (.+?)\s*$", comment)
            files = re.findall(r"-> (letters/\S+)", comment)
            result.append(Example(page, start, words[1:], shows, files, folder))
    return result


def goes_on_from(text: str) -> list[str]:
    """The pages whose examples a page's examples go on from, in the order it names them."""
    return [name for marker in GOES_ON_FROM.findall(text) for name in marker.split()]


def with_what_they_go_on_from(page: str, known: dict[str, Path]) -> list[str]:
    """The pages to run, in order, for ``page``: what it goes on from (recursively, each once), then itself."""
    order: list[str] = []

    def visit(name: str, chain: tuple[str, ...]) -> None:
        assert name in known, f"{chain[-1]} goes on from {name}, which is not a page (names are paths from docs/)"
        assert name not in chain, f"pages go on from each other in a circle: {' -> '.join([*chain, name])}"
        if name in order:
            return
        for before in goes_on_from(known[name].read_text(encoding="utf-8")):
            visit(before, (*chain, name))
        order.append(name)

    visit(page, ("",))
    return order


def test_the_parser_reads_blocks_markers_continuations_and_comments():
    text = "\n".join([
        "```sh", "corr office add --short LLR \\", '    --name "A & B"   # shows: added', "export CORR_USER=jo", "corr due  # -> letters/X.docx", "```",
        "<!-- not run: needs a report -->", "```sh", "corr inspection import report.pdf", "```",
        "```yaml", "corr: not a command", "```",
        "1. A step:", "", "    ```sh", "    corr due", "    ```",
    ])
    found = examples(text)
    assert [(e.line, e.argv, e.shows, e.files) for e in found] == [
        (2, ["office", "add", "--short", "LLR", "--name", "A & B"], ["added"], []),
        (4, [], [], []),
        (5, ["due"], [], ["letters/X.docx"]),
        (17, ["due"], [], []),
    ]
    with pytest.raises(AssertionError, match="holds only corr commands"):
        examples("```sh\nrm -rf letters\n```")


def test_pages_go_on_from_the_pages_they_name_first_each_once(tmp_path):
    (tmp_path / "guide").mkdir()
    (tmp_path / "start.md").write_text("# Start\n", encoding="utf-8")
    (tmp_path / "guide" / "a.md").write_text("<!-- examples go on from: start.md -->\n", encoding="utf-8")
    (tmp_path / "guide" / "b.md").write_text("<!-- examples go on from: guide/a.md start.md -->\n", encoding="utf-8")
    known = {path.relative_to(tmp_path).as_posix(): path for path in tmp_path.rglob("*.md")}
    assert with_what_they_go_on_from("guide/b.md", known) == ["start.md", "guide/a.md", "guide/b.md"]
    (tmp_path / "start.md").write_text("<!-- examples go on from: guide/b.md -->\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="in a circle"):
        with_what_they_go_on_from("guide/b.md", known)


def test_no_example_was_lost_when_the_readme_moved_into_the_docs():
    everything = [example for name, path in pages().items() for example in examples(path.read_text(encoding="utf-8"), name)]
    assert len(everything) >= EXAMPLES_BEFORE_THE_SITE, f"only {len(everything)} runnable examples in the README and docs"


@pytest.mark.parametrize("page", list(pages()))
def test_every_example_runs_as_written(page, tmp_path, monkeypatch):
    known = pages()
    runner = CliRunner(env={"COLUMNS": "200"})
    variables: dict[str, dict[str, str]] = {}
    for name in with_what_they_go_on_from(page, known):
        for example in examples(known[name].read_text(encoding="utf-8"), name):
            # siblings: a corr.toml in one is not seen from another
            folder = tmp_path / (f"{name.replace('/', '-')}-{example.folder}" if example.folder else "page")
            if not (folder / "tests").exists():
                _input_files(folder)
            monkeypatch.chdir(folder)
            scope = f"{name}:{example.folder}" if example.folder else ""
            if example.sets:
                key, value = example.sets.split("=", 1)
                variables.setdefault(scope, {})[key] = value
                continue
            result = runner.invoke(app, example.argv, env=variables.get(scope, {}))
            output = result.stdout + result.stderr
            before = "" if name == page else f" (run before {page}, which goes on from it)"
            assert result.exit_code == 0, f"{example}{before} failed:\n{output}\n{result.exception!r}"
            for text in example.shows:
                assert text in output, f"{example}{before}: {text!r} is not in its output:\n{output}"
            for file in example.files:
                assert (folder / file).is_file(), (
                    f"{example}{before}: {file} was not written; letters/ holds {sorted(p.name for p in (folder / 'letters').iterdir())}"
                )


def _input_files(folder: Path) -> None:
    """The files the examples name, as an office would have them."""
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
