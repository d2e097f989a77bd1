"""The top-level ``corr`` application, the one place the package's errors become messages, and the
one place help pages are made readable for people who are not programmers.

Help is tidied here, once, for every command (those added later included), rather than option by
option: typer would show Python types (<str>, <list[str]>, <int range> [x>=0]), lower-case
argument names beside upper-case ones, and (because its rich mode reads "[default: today]" in a
help text as markup) drop such notes and leave " ." behind.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from correspondence.errors import CorrespondenceError

DATE_OPTIONS = {"date", "date_from", "date_to", "today", "due", "on", "starts", "ends", "until", "published", "held_on", "sent_on"}
_BRACKETED = re.compile(r"\s*\[([^\]]+)\]")


class _ReportingGroup(TyperGroup):
    """Turn the package's errors, from any subcommand, into a one-line message and exit 1."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        humanise(self)
        return super().main(*args, **kwargs)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CorrespondenceError as error:
            typer.echo(f"error: {error}", err=True)
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
    for sub in getattr(command, "commands", {}).values():
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
