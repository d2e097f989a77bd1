"""The README and the documentation site hold together: links lead somewhere, every shell example is one the
tests run (or says why not), and the command reference's examples are real commands.

The examples themselves are run by tests/test_readme.py; `mkdocs build --strict` (in .ci/run) checks the
site's own links and anchors, and these tests check the README's too, without building the site.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from tests.test_help import assert_real_example, command_at, every_command, leaf_commands

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]
FENCED = re.compile(r"^(\s*)(```|~~~).*?^\1\2\s*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""(?:src|href)=["']([^"']+)["']""")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
EXPLICIT_ID = re.compile(r"\{\s*#([\w-]+)\s*\}\s*$")


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _prose(text: str) -> str:
    """The page without its code, where brackets are not links."""
    return INLINE_CODE.sub("", FENCED.sub("", text))


def links(page: Path) -> list[str]:
    prose = _prose(page.read_text(encoding="utf-8"))
    return [target for target in LINK.findall(prose) + HTML_LINK.findall(prose)
            if not re.match(r"^[a-z][a-z0-9+.-]*:", target) and not target.startswith("//")]


def anchors(page: Path) -> set[str]:
    """The anchors a page's headings get (Python-Markdown's, as MkDocs makes them; GitHub's agree for these)."""
    found = set()
    for heading in HEADING.findall(FENCED.sub("", page.read_text(encoding="utf-8"))):
        explicit = EXPLICIT_ID.search(heading)
        found.add(explicit.group(1) if explicit else slugify(heading, "-"))
    return found


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_relative_link_points_at_a_file_that_exists(page):
    for target in links(page):
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        assert destination.exists(), f"{_name(page)}: the link to {target} leads nowhere"
        if anchor and destination.suffix == ".md":
            assert anchor in anchors(destination), f"{_name(page)}: {destination.name} has no heading #{anchor}"


def test_the_link_checker_finds_links_and_leaves_code_alone(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "See [the guide](guide/index.md#start), ![a picture](images/a.png){ width=\"32%\" }, <img src=\"b.png\">,\n"
        "[a site](https://example.org) and `[not](a-link.md)`.\n\n```yaml\nx: [y](z.md)\n```\n",
        encoding="utf-8",
    )
    assert links(page) == ["guide/index.md#start", "images/a.png", "b.png"]
    page.write_text("# 5. In the browser\n## The office's voice\n### corr office set {#corr-office-set}\n", encoding="utf-8")
    assert anchors(page) == {"5-in-the-browser", "the-offices-voice", "corr-office-set"}


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_shell_examples_are_sh_blocks_so_the_tests_see_them(page):
    """A shell example fenced as bash, shell or console would escape tests/test_readme.py unmarked."""
    for fence in re.findall(r"^\s*```\s*(\w+)", page.read_text(encoding="utf-8"), re.MULTILINE):
        assert fence not in {"bash", "shell", "console", "shell-session", "zsh"}, (
            f"{_name(page)}: write shell examples as ```sh blocks (marked <!-- not run: reason --> if they cannot run)"
        )


@functools.cache
def _reference():
    """The MkDocs hook that writes the CLI reference, loaded as MkDocs loads it (from its file)."""
    spec = importlib.util.spec_from_file_location("cli_reference", DOCS / "hooks" / "cli_reference.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_has_every_command_with_its_help():
    reference = _reference()
    root = reference.commands()
    page = reference.render(root, reference.pages_running(DOCS), reference.page_titles(DOCS))
    every = ["corr", *(f"corr {' '.join(command.path)}" for command in reference.walk(root)[1:])]
    assert len(every) > 90
    for name in every[1:]:
        assert f"# {name} {{#{name.replace(' ', '-')}}}" in page, f"{name} is missing from the CLI reference"
    assert "<code>--next-number NUMBER</code>" in page  # options as --help shows them, humanised
    assert "corr office set LLR --next-number 114 --year 2019" in page  # the examples the help ends with
    assert "[Getting started](../getting-started.md)" in page  # and, for a command without one, the pages that run it


def test_the_cli_reference_walks_the_same_commands_as_the_app():
    reference = _reference()
    shown = {tuple(command.path) for command in reference.walk(reference.commands())}
    hidden = {tuple(path) for path in every_command() if getattr(command_at(path), "hidden", False)}
    assert shown == {tuple(path) for path in every_command()} - hidden


def test_every_example_in_the_cli_reference_is_a_command_with_options_it_takes():
    """The reference's examples are the commands' own help: each must parse as the command it names
    (they are not run: they name files an office has), and every command has at least one (as
    tests/test_help.py asks of its help)."""
    reference = _reference()
    commands = reference.walk(reference.commands())
    examples = [(command.name, example) for command in commands for example in command.examples]
    without = {" ".join(["corr", *path]) for path in leaf_commands()} - {name for name, _ in examples}
    assert not without, f"the reference shows no example for {sorted(without)}"
    for name, example in examples:
        assert_real_example(name, example)
