"""corr template: checking templates and showing what they are filled from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from correspondence.cli.common import Db, DraftDate, Json, OptionalOffice, emit_json, option_date, store_at
from correspondence.errors import CorrespondenceError

app = typer.Typer(no_args_is_help=True, help="Check templates and see the data they are filled from.")


@app.command("check")
def template_check(
    file: Annotated[Path, typer.Argument(help="The .docx template to check.")],
    kind: Annotated[str, typer.Option("--kind", help="response, followup or annex: which context it is filled from.")] = "response",
) -> None:
    """Report Jinja syntax errors (with their line) and names the context does not provide."""
    from correspondence.rendering import check_template
    from correspondence.samples import sample_context

    problems = check_template(file, sample_context(_template_kind(kind)))
    if problems:
        for problem in problems:
            typer.echo(f"{file}: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{file}: OK for a {kind} letter")


@app.command("context")
def template_context(
    record: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number (or the meeting's, with --kind followup).")],
    kind: Annotated[str, typer.Option("--kind", help="response, followup or annex.")] = "response",
    office: OptionalOffice = None,
    date: DraftDate = None,
    db: Db = None,
    json_output: Json = True,
) -> None:
    """The exact data a template is filled from, for a real inspection or meeting."""
    import datetime as dt

    from correspondence.drafting import DraftRequest, office_for
    from correspondence.drafting import template_context as build

    chosen = _template_kind(kind)
    with store_at(db).reading() as session:
        short = office or office_for(session, chosen, record)
        today = dt.date.today()
        request = DraftRequest(office=short, letter_date=option_date(date, "--date") or today, today=today)
        data = build(session, chosen, record, request)
    emit_json(data)


def _template_kind(kind: str) -> str:
    cleaned = kind.strip().lower().replace("-", "")
    if cleaned not in {"response", "followup", "annex"}:
        raise CorrespondenceError(f"--kind: unknown kind {kind!r}; expected response, followup or annex")
    return cleaned
