"""The top-level ``corr`` application, the one place the package's errors become messages, and the
one place help pages are made readable for people who are not programmers.

Help is tidied here, once, for every command (those added later included), rather than option by
option: typer would show Python types (<str>, <list[str]>, <int range> [x>=0]), lower-case
argument names beside upper-case ones, and (because its rich mode reads "[default: today]" in a
help text as markup) drop such notes and leave " ." behind.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from correspondence.cli.logs import keep_database_errors
from correspondence.cli.wording import said
from correspondence.records.errors import CorrespondenceError

DATE_OPTIONS = {"date", "date_from", "date_to", "today", "due", "on", "starts", "ends", "until", "published", "held_on", "sent_on"}
_BRACKETED = re.compile(r"\s*\[([^\]]+)\]")


# Every top-level command, in the order `corr --help` lists them: getting started, the records,
# drafting, tracking, safety. (name, module in correspondence.cli, attribute: a command function or
# a typer.Typer group). Each is imported and built only when it is run or its help is shown.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("init", "setup", "init"), ("example", "setup", "example"),
    ("office", "office", "app"), ("force", "force", "app"), ("inspection", "inspection", "app"),
    ("figure", "figure", "app"), ("finding", "finding", "app"), ("judgment", "finding", "judgment_app"),
    ("letter", "letter", "app"), ("role", "role", "app"), ("draft", "draft", "app"), ("answer", "answer", "app"),
    ("line", "line", "app"), ("template", "template", "app"), ("meeting", "meeting", "app"),
    ("update", "update", "app"), ("action", "action", "app"), ("annex", "annex", "app"), ("user", "user", "app"),
    ("owner", "owner", "app"), ("mail", "serve", "mail_app"), ("config", "config", "app"),
    # The s.55 process, in its order: invite, chase, the chief officer's comments, ..., publish.
    ("invite", "process", "invite"), ("chase", "process", "chase"), ("comments", "comments", "app"),
    ("publish", "process", "publish"), ("due", "due", "due"),
    ("backup", "backup", "backup"), ("export", "backup", "export_all"), ("restore", "backup", "restore_all"),
    ("check", "backup", "check"), ("history", "history", "history"), ("serve", "serve", "serve"),
    ("remind", "serve", "remind"),
)


class _LazyCommands(MutableMapping):
    """The top-level commands, each made into a click command the first time it is asked for.

    Building every command's options from its signature took longer than most commands' work, and
    a command only ever needs itself; ``corr --help`` needs only each command's one-line summary.
    """

    def __init__(self) -> None:
        self._where = {name: (module, attribute) for name, module, attribute in COMMANDS}
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in self._where:
                raise KeyError(name)
            self._built[name] = _build(name, self._source(name))
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command
        self._where.setdefault(name, ("", ""))

    def __delitem__(self, name: str) -> None:
        del self._where[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def _source(self, name: str) -> Any:
        module, attribute = self._where[name]
        return getattr(importlib.import_module(f"correspondence.cli.{module}"), attribute)

    def summary(self, name: str, limit: int) -> str:
        """The command's one-line help, as its built command would give it, without building it."""
        if name in self._built:
            return self._built[name].get_short_help_str(limit)
        from typer._click.utils import make_default_short_help

        source = self._source(name)
        if isinstance(source, typer.Typer):
            from typer.main import TyperInfo, solve_typer_info_help

            text = solve_typer_info_help(TyperInfo(source))
        else:
            text = inspect.getdoc(source) or ""
        return make_default_short_help(_BRACKETED.sub(r" (\1)", text), limit).strip()


def _build(name: str, source: Any) -> Any:
    """The click command typer makes of a command function or a typer.Typer group."""
    from typer.main import CommandInfo, TyperInfo, get_command_from_info, get_group_from_info

    if isinstance(source, typer.Typer):
        command = get_group_from_info(TyperInfo(source, name=name), pretty_exceptions_short=True,
                                      rich_markup_mode=None, suggest_commands=True)
    else:
        command = get_command_from_info(CommandInfo(name=name, callback=source), pretty_exceptions_short=True,
                                        rich_markup_mode=None)
    humanise(command)
    return command


class _ReportingGroup(TyperGroup):
    """Turn the package's errors, from any subcommand, into a one-line message and exit 1; and
    load each command only when it is needed (see _LazyCommands)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands()

    def main(self, *args: Any, **kwargs: Any) -> Any:
        humanise(self)
        keep_database_errors()  # what a database said goes to errors.log, not beside the one line (cli/logs.py)
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands.keys())

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands with their one-line summaries, building none of them."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            formatter.write_dl([(name, self.commands.summary(name, limit)) for name in names])

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CorrespondenceError as error:
            typer.echo(f"error: {said(error)}", err=True)
            raise typer.Exit(1) from None


def humanise(command: Any) -> None:
    """Make every command's help read as plain English (see the module docstring)."""
    if getattr(command, "_humanised", False):
        return
    command._humanised = True
    if command.help:
        command.help = _BRACKETED.sub(r" (\1)", command.help)
    for param in command.params:
        _humanise_param(param)
    make_help_option = command.get_help_option

    def help_option(ctx: Any) -> Any:  # click makes --help on demand; it is a switch like any other
        option = make_help_option(ctx)
        if option is not None:
            _humanise_param(option)
        return option

    command.get_help_option = help_option
    commands = getattr(command, "commands", {})
    if not isinstance(commands, _LazyCommands):  # the lazy ones are humanised as they are built
        for sub in commands.values():
            humanise(sub)


def _humanise_param(param: Any) -> None:
    if getattr(param, "help", None):
        param.help = _BRACKETED.sub(r" (\1)", param.help)
    param._get_number_range_help_str = lambda: None
    if param.param_type_name == "argument":
        if param.metavar is None:
            param.metavar = param.name.upper() + ("..." if param.nargs != 1 else "")
        label = param.metavar
        param._usage_display_name = lambda: label if param.required else f"[{label}]"
        param.display_type = param.display_type_rich = lambda ctx: None  # the name says what it is
        return
    shown = _option_label(param)
    param.display_type = param.display_type_rich = lambda ctx: shown


def _option_label(param: Any) -> str | None:
    """What an option takes, in words: nothing for a switch, else TEXT, NUMBER, DATE, FILE or FOLDER."""
    if getattr(param, "is_flag", False) or param.type_descriptor.annotation is bool:
        return None
    if param.metavar:
        return param.metavar
    descriptor = param.type_descriptor
    if descriptor.is_path:
        words = (param.help or "").lower()
        folder, file = words.find("folder"), words.find("file")
        return "FOLDER" if folder >= 0 and (file < 0 or folder < file) else "FILE"
    if descriptor.annotation in (int, float) or descriptor.is_ranged:
        return "NUMBER"
    name = param.name or ""
    if name in DATE_OPTIONS or name.endswith("_date"):
        return "DATE"
    return "TEXT"


app = typer.Typer(
    cls=_ReportingGroup,
    no_args_is_help=True,
    add_completion=False,
    # Plain help, as click writes it: rich's formatting cost more to import than typer itself.
    rich_markup_mode=None,
    context_settings={"max_content_width": 120},  # the terminal's width, up to 120 columns
    help="Draft, log and track the formal letters of a police and crime commissioner's office.",
)


def _show_version(value: bool) -> None:
    if value:
        from correspondence import __version__

        typer.echo(f"corr (correspondence) {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Draft, log and track the formal letters of a police and crime commissioner's office."""
