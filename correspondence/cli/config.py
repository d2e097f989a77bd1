"""corr config: settings that save typing --db on every command."""

from __future__ import annotations

from typing import Annotated

import typer

from correspondence.cli.common import Json, emit_json, print_table
from correspondence.records.errors import CorrespondenceError

HEADING = "# correspondence settings (see 'corr config --help')"

app = typer.Typer(no_args_is_help=True, help="Settings kept in corr.toml, so --db is not needed on every command.")

KeyArgument = Annotated[str, typer.Argument(metavar="KEY", help="db (the database) or letters (the default letters folder).")]
UserFlag = Annotated[bool, typer.Option("--user", help="Use your own settings file instead of the one in this folder.")]


@app.command("show")
def config_show(json_output: Json = False) -> None:
    """The settings in force here, and the file each comes from.

    Example: corr config show
    """
    from correspondence.files.letter_files import default_folder
    from correspondence.records.settings import KEYS, every_setting, folder_file, user_file
    from correspondence.records.store import choose_database

    database, source = choose_database(None)
    found = every_setting()
    data = {
        "db": database, "db_from": source,
        "letters": str(default_folder()), "letters_from": str(found["letters"].source) if found["letters"] else "the default: letters beside corr.toml, or in the working folder",
        "folder_file": str(folder_file() or "(none)"), "user_file": str(user_file()),
    }
    if json_output:
        emit_json(data)
        return
    print_table("Settings", ["Setting", "Value", "From"], [
        ["db", data["db"], data["db_from"]], ["letters", data["letters"], data["letters_from"]],
    ])
    typer.echo(f"folder settings: {data['folder_file']}\nyour settings:   {data['user_file']}")
    typer.echo("keys: " + "; ".join(f"{key}: {meaning}" for key, meaning in KEYS.items()))


@app.command("set")
def config_set(
    key: KeyArgument,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="A file, folder or database URL; a relative path is taken from the settings file's folder.")],
    user: UserFlag = False,
) -> None:
    """Save a setting in corr.toml in this folder (or, with --user, in your own settings).

    Example: corr config set db office.db
    """
    from pathlib import Path

    from correspondence.records.settings import FILE_NAME, user_file, write_setting

    path = user_file() if user else Path.cwd() / FILE_NAME
    if "://" not in value:
        target = Path(value).expanduser().resolve()
        if user:
            value = str(target)  # your own settings apply in every folder, so the path must not depend on one
        if key == "db" and not target.exists():
            typer.echo(f"note: {target} does not exist yet; create it with 'corr init'", err=True)
    write_setting(path, key, value, heading=HEADING)
    typer.echo(f"{key} = {value} saved in {path}")


@app.command("unset")
def config_unset(key: KeyArgument, user: UserFlag = False) -> None:
    """Remove a setting from corr.toml in this folder (or, with --user, from your own settings).

    Example: corr config unset db

    Example: corr config unset letters --user
    """
    from pathlib import Path

    from correspondence.records.settings import FILE_NAME, user_file, write_setting

    path = user_file() if user else Path.cwd() / FILE_NAME
    if not path.is_file():
        raise CorrespondenceError(f"{path}: no settings file here")
    write_setting(path, key, None, heading=HEADING)
    typer.echo(f"{key} removed from {path}")
