"""What every command shares: the --db and --json options, opening the store, and printing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from correspondence.records.errors import CorrespondenceError

if TYPE_CHECKING:
    from correspondence.records.store import Store

Db = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        envvar="CORR_DATABASE_URL",
        help="Database URL or SQLite file [default: db in corr.toml (see 'corr config'), else correspondence.db in this folder].",
        show_default=False,
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
OfficeName = Annotated[str, typer.Option("--office", help="The office's short name, e.g. MOPAC.")]
OptionalOffice = Annotated[Optional[str], typer.Option("--office", help="The office's short name, e.g. MOPAC.")]

# Options of the draft commands (and of the commands that make a letter the same way).
DraftDate = Annotated[Optional[str], typer.Option("--date", help="The letter's date [default: today].")]
ConfirmDate = Annotated[bool, typer.Option("--confirm-date", help="The letter's date is right, though it is more than a month ahead or after the response's last day.")]
TemplateFile = Annotated[Optional[Path], typer.Option("--template", help="A custom .docx template instead of the shipped one.")]
OutDir = Annotated[Optional[Path], typer.Option("--out", help="Folder for a copy of the letter to open in Word (the letter itself is kept in the store) [default: letters in this folder, or the office's own folder if it names one].")]
OtherForce = Annotated[bool, typer.Option("--other-force", help="Draft even though the inspection is of a force the office does not oversee.")]
ToRole = Annotated[Optional[str], typer.Option("--to", help="Address it to the holder of this role on the letter's date.")]
AddresseeName = Annotated[Optional[str], typer.Option("--addressee", help="Address it to this name instead of a role holder.")]
AddresseeRole = Annotated[Optional[str], typer.Option("--addressee-role", help="With --addressee: their role or title.")]
AddressLines = Annotated[Optional[list[str]], typer.Option("--address", help="With --addressee: one address line; repeat.")]
Salutation = Annotated[Optional[str], typer.Option("--salutation", help="With --addressee, e.g. \"Dear Steve\".")]
Cc = Annotated[Optional[str], typer.Option("--cc", help="Copied to.")]
Subject = Annotated[Optional[str], typer.Option("--subject", help="The subject line [default: from the report or meeting].")]
Author = Annotated[str, typer.Option("--author", envvar="CORR_USER", help="Your initials, for schemes using {author}.")]
Pdf = Annotated[bool, typer.Option("--pdf", help="Also save a PDF (needs LibreOffice).")]
Comments = Annotated[Optional[Path], typer.Option(
    "--comments", help="The office's own paragraphs: a text or Markdown file with # Opening, # Commentary, # Closing, and in "
                 "an s.55 response # Response to the chief officer (required once their comments are stored).")]


BACKGROUND_NICENESS = 10  # of Unix's -20 (first) to 19 (last); other commands run at 0
NICENESS_VARIABLE = "CORR_BACKGROUND_NICENESS"


def give_way() -> None:
    """Run the rest of this command at a lower CPU priority, so that it gives way to other work.

    For the bulk commands (backup, export, letter export, check): on a shared office machine a
    colleague's `corr due` or the web workspace should not wait for a nightly backup. They read a
    snapshot and take no lock anyone waits for; what they still share is the processors, and on a
    busy machine a process at niceness 10 gets about a tenth of the share of one at 0 (a backup
    still finishes when the machine is otherwise idle). CORR_BACKGROUND_NICENESS sets another
    level (0: none). Never raises the priority of a process started lower; where the system has
    no niceness (Windows), nothing changes."""
    import os

    value = os.environ.get(NICENESS_VARIABLE, "")
    try:
        wanted = int(value) if value else BACKGROUND_NICENESS
    except ValueError:
        wanted = -1  # refused below, as a number out of range is
    if not 0 <= wanted <= 19:
        raise CorrespondenceError(f"{NICENESS_VARIABLE}: {value!r} is not a whole number from 0 to 19")
    try:
        current = os.nice(0)
        if current < wanted:
            os.nice(wanted - current)
    except (AttributeError, OSError):
        pass


def store_at(db: str | None, *, create: bool = False) -> Store:
    """The chosen database. Only init, example and restore create one: any other command on a
    database that does not exist says which one it looked for and how to choose."""
    from correspondence.records.store import open_store

    store = open_store(db, create=create)
    for note in store.migration_notes:  # what an upgrade found (a letter's file that differs from its record): said once, as it happens
        typer.echo(f"note: {note}", err=True)
    return store


def option_date(text: str | None, option: str) -> Any:
    if text is None:
        return None
    from correspondence.records.dates import parse_date

    return parse_date(text, field=option)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """Plain aligned text (see tables.py): wrapped between words in a terminal, whole when piped."""
    from correspondence.cli.tables import print_table as print_plain

    print_plain(title, columns, rows)
    sys.stdout.flush()


def print_fields(data: dict[str, Any], skip: tuple[str, ...] = ()) -> None:
    width = max(len(key) for key in data)
    for key, value in data.items():
        if key in skip or value in (None, ""):
            continue
        text = str(value).replace("\n", ", ")
        typer.echo(f"{key.replace('_', ' '):<{width}}  {text}")


def human_date(value: Any) -> str:
    """A date, or ISO text from a view, as a letter writes it: '7 September 2018'."""
    if not value:
        return ""
    from correspondence.records.dates import long_date, parse_date

    return long_date(parse_date(value))


def joined_lines(values: list[str] | None) -> str:
    return "\n".join(line.strip() for line in values or [] if line.strip())



# Who is acting, for the commands whose permission depends on it (see users.authorise).
ActingAs = Annotated[
    Optional[str],
    typer.Option("--as", help="Act as this user of the office (default: CORR_USER, else your login name).", show_default=False),
]


def acting(name: str | None) -> Any:
    """The context in which changes are recorded as ``name``'s (nothing changes when no name is given)."""
    from contextlib import nullcontext

    if not name or not name.strip():
        return nullcontext()
    from correspondence.records.store import acting_as

    return acting_as(name.strip().lower())
