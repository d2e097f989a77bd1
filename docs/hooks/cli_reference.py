"""A MkDocs hook: the CLI reference, written at build time from the commands themselves.

The page ``reference/cli.md`` holds one marker, ``<!-- cli-reference -->``; what follows it is a note for
readers of the unbuilt page (on GitHub, say), and is replaced too. At build time this hook walks
the ``corr`` application (``typer.main.get_command``), command by command, commands added later
included, and replaces the marker with each command's usage line, its help, its arguments and options
exactly as ``--help`` gives them (click's own help records), and the examples its help ends with. The
options most commands share (``--db``, ``--json``, ``--help``) are found by counting and shown once.
Each command also names the pages of the site whose ``sh`` examples use it. Nothing here is a copy kept
by hand: change a command's help and the page follows.
"""

from __future__ import annotations

import html
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"
EXAMPLE = re.compile(r"Example:\s*(corr\b[^\n]*)")
FENCE = re.compile(r"^```sh\s*$(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


@dataclass
class Command:
    path: list[str]  # e.g. ["office", "set"]; [] for corr itself
    usage: str
    help: str
    summary: str
    arguments: list[tuple[str, str]]
    options: list[tuple[str, str]]
    examples: list[str]
    deprecated: bool
    subcommands: list[Command] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(["corr", *self.path])

    @property
    def anchor(self) -> str:
        return "-".join(["corr", *self.path])


def commands() -> Command:
    """Every command of ``corr``, as a tree, in the order ``corr --help`` lists them."""
    import typer.main

    from correspondence.cli import app

    root = typer.main.get_command(app)
    return _describe(root, root.context_class(root, info_name="corr"), [])


def _describe(command: Any, ctx: Any, path: list[str]) -> Command:
    text = (command.help or "").strip()
    examples = EXAMPLE.findall(text)
    prose = EXAMPLE.sub("", text)
    records = [(param, param.get_help_record(ctx)) for param in command.get_params(ctx)]
    found = Command(
        path=path,
        usage=" ".join(["corr", *path, *command.collect_usage_pieces(ctx)]),
        help="\n".join(line.rstrip() for line in prose.splitlines()).strip(),
        summary=command.get_short_help_str(400),
        arguments=[record for param, record in records if record and param.param_type_name == "argument"],
        options=[record for param, record in records if record and param.param_type_name != "argument"],
        examples=[example.strip() for example in examples],
        deprecated=bool(getattr(command, "deprecated", False)),
    )
    for name in getattr(command, "list_commands", lambda ctx: [])(ctx):
        sub = command.commands[name]
        if getattr(sub, "hidden", False):
            continue
        found.subcommands.append(_describe(sub, sub.context_class(sub, info_name=name, parent=ctx), [*path, name]))
    return found


def walk(command: Command) -> list[Command]:
    return [command, *(each for sub in command.subcommands for each in walk(sub))]


def pages_running(docs: Path) -> dict[str, list[str]]:
    """For each command ("corr office add"), the docs pages whose ``sh`` examples use it."""
    found: dict[str, list[str]] = {}
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for block in FENCE.findall(text):
            for line in block.replace("\\\n", " ").splitlines():
                try:
                    words = shlex.split(line, comments=True)
                except ValueError:
                    continue
                if len(words) < 2 or words[0] != "corr":
                    continue
                for depth in (3, 2, 1):  # the longest command path the words start with
                    name = " ".join(words[:depth])
                    pages = found.setdefault(name, [])
                    relative = page.relative_to(docs).as_posix()
                    if relative not in pages:
                        pages.append(relative)
    return found


def page_titles(docs: Path) -> dict[str, str]:
    """Each page's title: its first level-one heading."""
    titles = {}
    for page in docs.rglob("*.md"):
        heading = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE)
        if heading:
            titles[page.relative_to(docs).as_posix()] = heading.group(1).strip()
    return titles


def _html(text: str) -> str:
    return html.escape(text, quote=False)


def _paragraphs(text: str) -> str:
    return "\n".join(f"<p>{_html(' '.join(part.split()))}</p>" for part in re.split(r"\n\s*\n", text) if part.strip())


def _table(heading: str, rows: list[tuple[str, str]], what: str = "What it is") -> str:
    """A table of names (in code, never broken) and what each is; a div, so the theme still styles the table."""
    body = "\n".join(f"<tr><td><code>{left}</code></td><td>{right}</td></tr>" for left, right in rows)
    return (f'<div class="cli-table" markdown="0">\n<table>\n<thead><tr><th>{heading}</th><th>{what}</th></tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>\n</div>")


def _escaped(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(_html(left), _html(right)) for left, right in rows]


def _command_rows(commands: list[Command]) -> list[tuple[str, str]]:
    return [(f'<a href="#{sub.anchor}">{_html(sub.name)}</a>', _html(sub.summary)) for sub in commands]


def common_options(root: Command) -> list[tuple[str, str]]:
    """The options (exactly as their help gives them) that most commands share, to show once."""
    leaves = [command for command in walk(root)[1:] if not command.subcommands]
    counts: dict[tuple[str, str], int] = {}
    for command in leaves:
        for option in command.options:
            counts[option] = counts.get(option, 0) + 1
    return [option for option, count in counts.items() if count * 2 > len(leaves)]


def _title(page: str, titles: dict[str, str]) -> str:
    return titles.get(page) or page.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ").capitalize()


def render(root: Command, running: dict[str, list[str]], titles: dict[str, str]) -> str:
    """The reference as Markdown (headings, so the table of contents lists every command) and HTML."""
    common = common_options(root)
    out = [_table("Command", _command_rows(root.subcommands), "What it does"), ""]
    if common:
        out += ["## Options most commands take {#common-options}", "",
                "Shown here once rather than under each command that takes them:", "",
                _table("Option", _escaped(common)), ""]
    for command in walk(root)[1:]:
        level = min(1 + len(command.path), 4)
        out += ["", f"{'#' * level} {command.name} {{#{command.anchor}}}", ""]
        if command.deprecated:
            out += ['!!! warning "Deprecated"', "    Kept so that old scripts still run; see its help for what replaces it.", ""]
        out += ["```text", command.usage, "```", "", _paragraphs(command.help), ""]
        if command.subcommands:
            out += [_table("Command", _command_rows(command.subcommands), "What it does"), ""]
            continue
        if command.arguments:
            out += [_table("Argument", _escaped(command.arguments)), ""]
        own = [option for option in command.options if option not in common]
        if own:
            out += [_table("Option", _escaped(own)), ""]
        shared = [option[0].split()[0] for option in command.options if option in common and option[0] != "--help"]
        if shared:
            out += ["Also " + ", ".join(f"`{name}`" for name in shared) + " ([options most commands take](#common-options)).", ""]
        if command.examples:
            out += ["Example" + ("s" if len(command.examples) > 1 else "") + ":", "", "```sh", *command.examples, "```", ""]
        pages = [page for page in running.get(command.name, []) if page != PAGE]
        if pages:
            links = ", ".join(f"[{_title(page, titles)}](../{page})" for page in pages)
            out += [f"In these pages: {links}.", ""]
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{PAGE} must hold the marker {MARKER}, where the reference goes")
    docs = Path(config["docs_dir"])
    before = markdown.split(MARKER, 1)[0]  # what follows the marker is for readers of the unbuilt page
    return before + render(commands(), pages_running(docs), page_titles(docs)) + "\n"
