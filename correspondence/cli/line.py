"""corr line: an office's standard lines (approved wording), used by name in comments files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from correspondence.cli.common import Db, Json, OfficeName, emit_json, human_date, print_table, store_at
from correspondence.records.errors import InvalidInput

app = typer.Typer(no_args_is_help=True, help="Standard lines: an office's approved wording, with placeholders.")

Name = Annotated[str, typer.Argument(help="The line's name, e.g. welcome; a comments file includes it as [[welcome]].")]
Text = Annotated[Optional[str], typer.Option("--text", help="The wording; placeholders such as {force} are filled in each letter.")]
FromFile = Annotated[Optional[Path], typer.Option("--file", help="Read the wording from this text file instead.")]


def _wording(text: str | None, file: Path | None) -> str:
    if (text is None) == (file is None):
        raise InvalidInput("give the wording with --text or --file (one of them)")
    if file is not None:
        from correspondence.files.inputs import read_text

        return read_text(file)
    return text or ""


def _view(line) -> dict:  # noqa: ANN001 - models.StandardLine
    return {"office": line.office.short_name, "name": line.name, "text": line.text}


@app.command("add")
def line_add(name: Name, office: OfficeName, text: Text = None, file: FromFile = None, db: Db = None, json_output: Json = False) -> None:
    """Keep a new standard line for the office.

    Example: corr line add hold-to-account --office MOPAC --text "I will continue to hold the {chief_officer} to account."
    """
    from correspondence.organisation import standard_lines
    from correspondence.organisation.offices import get_office

    wording = _wording(text, file)
    with store_at(db).transaction() as session:
        data = _view(standard_lines.add_line(session, get_office(session, office), name, wording))
    emit_json(data) if json_output else typer.echo(f"added standard line [[{data['name']}]] for {data['office']}")


@app.command("set")
def line_set(name: Name, office: OfficeName, text: Text = None, file: FromFile = None, db: Db = None, json_output: Json = False) -> None:
    """Change a standard line's wording (letters already drafted keep theirs).

    Example: corr line set welcome --office MOPAC --text "I welcome this report on {force}."
    """
    from correspondence.organisation import standard_lines
    from correspondence.organisation.offices import get_office

    wording = _wording(text, file)
    with store_at(db).transaction() as session:
        data = _view(standard_lines.set_line(session, get_office(session, office), name, wording))
    emit_json(data) if json_output else typer.echo(f"changed standard line [[{data['name']}]] for {data['office']}")


@app.command("remove")
def line_remove(name: Name, office: OfficeName, db: Db = None) -> None:
    """Stop keeping a standard line.

    Example: corr line remove welcome --office MOPAC
    """
    from correspondence.organisation import standard_lines
    from correspondence.organisation.offices import get_office

    with store_at(db).transaction() as session:
        chosen = get_office(session, office)
        standard_lines.remove_line(session, chosen, name)
    typer.echo(f"removed standard line [[{name.strip().lower()}]] from {chosen.short_name}")


@app.command("retire")
def line_retire(name: Name, office: OfficeName, db: Db = None, json_output: Json = False) -> None:
    """Retire a standard line: no longer offered, and a draft that includes it is refused; letters
    drafted with it keep their words, and its name is not used again.

    Example: corr line retire welcome --office MOPAC
    """
    import datetime as dt

    from correspondence.organisation import standard_lines
    from correspondence.organisation.offices import get_office

    with store_at(db).transaction() as session:
        line = standard_lines.retire_line(session, get_office(session, office), name, dt.date.today())
        data = {**_view(line), "retired_on": line.retired_on.isoformat()}
    emit_json(data) if json_output else typer.echo(f"retired standard line [[{data['name']}]] of {data['office']}")


@app.command("list")
def line_list(office: OfficeName,
              retired: Annotated[bool, typer.Option("--retired", help="List the retired lines too.")] = False,
              db: Db = None, json_output: Json = False) -> None:
    """The office's standard lines, and the placeholders they may use.

    Example: corr line list --office MOPAC
    """
    from correspondence.organisation import standard_lines
    from correspondence.organisation.offices import get_office

    with store_at(db).transaction() as session:
        data = [{**_view(line), "retired_on": line.retired_on.isoformat() if line.retired_on else None}
                for line in standard_lines.list_lines(session, get_office(session, office), retired=retired)]
    if json_output:
        emit_json(data)
        return
    print_table(f"Standard lines of {office}", ["Name", "Wording"],
                [[f"[[{d['name']}]]" + (f" (retired {human_date(d['retired_on'])})" if d["retired_on"] else ""), d["text"]] for d in data])
    typer.echo("Placeholders: " + ", ".join(f"{{{name}}} ({what})" for name, (what, _) in standard_lines.PLACEHOLDERS.items()))


@app.command("show")
def line_show(name: Name, office: OfficeName, db: Db = None, json_output: Json = False) -> None:
    """One standard line's wording.

    Example: corr line show welcome --office MOPAC
    """
    from correspondence.organisation import standard_lines
    from correspondence.organisation.offices import get_office

    with store_at(db).transaction() as session:
        data = _view(standard_lines.get_line(session, get_office(session, office), name))
    emit_json(data) if json_output else typer.echo(data["text"])
