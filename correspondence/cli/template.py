"""corr template: checking templates and showing what they are filled from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from correspondence.cli.common import Comments, Db, DraftDate, Json, OptionalOffice, emit_json, option_date, store_at
from correspondence.records.errors import CorrespondenceError

app = typer.Typer(no_args_is_help=True, help="Check templates and see the data they are filled from.")


@app.command("check")
def template_check(
    file: Annotated[Path, typer.Argument(help="The .docx template to check.")],
    kind: Annotated[str, typer.Option("--kind", help="response, followup, annex, invite or chase: which context it is filled from.")] = "response",
) -> None:
    """Report Jinja syntax errors (with their line) and names the context does not provide.

    Example: corr template check our-response.docx --kind response
    """
    from correspondence.drafting.rendering import check_template
    from correspondence.examples.samples import sample_context
    from correspondence.files import gate

    context = sample_context(_template_kind(kind))
    gate.admit(file, gate.TEMPLATE)  # what every template taken in passes (files/gate.py)
    problems = check_template(file, context)
    if problems:
        for problem in problems:
            typer.echo(f"{file}: {problem}", err=True)
        raise typer.Exit(1)
    described = {"response": "an s.55 response", "followup": "a follow-up", "annex": "an annex",
                 "invite": "an invitation to comment", "chase": "a reminder"}.get(_template_kind(kind), kind)
    typer.echo(f"{file}: OK for {described}")


@app.command("context")
def template_context(
    record: Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number (or the meeting's, with --kind followup).")],
    kind: Annotated[str, typer.Option("--kind", help="response, followup, annex, invite or chase.")] = "response",
    office: OptionalOffice = None,
    date: DraftDate = None,
    comments: Comments = None,
    db: Db = None,
    json_output: Json = True,
) -> None:
    """The exact data a template is filled from, for a real inspection or meeting (with --comments,
    the office's paragraphs as they would be placed).

    Example: corr template context 1 --office MOPAC --date 7/9/2018 --comments our-comments.md
    """
    import datetime as dt

    from correspondence.drafting.comments import read_comments_file
    from correspondence.drafting.drafts import DraftRequest
    from correspondence.process.template_context import office_for
    from correspondence.process.template_context import template_context as build

    chosen = _template_kind(kind)
    with store_at(db).reading() as session:
        short = office or office_for(session, chosen, record)
        today = dt.date.today()
        request = DraftRequest(office=short, letter_date=option_date(date, "--date") or today, today=today,
                               comments=read_comments_file(comments) if comments is not None else None)
        data = build(session, chosen, record, request)
    emit_json(data)


def _template_kind(kind: str) -> str:
    cleaned = kind.strip().lower().replace("-", "")
    if cleaned not in {"response", "followup", "annex", "invite", "chase"}:
        raise CorrespondenceError(f"--kind: unknown kind {kind!r}; expected response, followup, annex, invite or chase")
    return cleaned
