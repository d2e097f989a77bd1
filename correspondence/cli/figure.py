"""corr figure: which of a report's figures the letters quote, and the words they name each by."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from correspondence.cli.common import Db, Json, emit_json, print_table, store_at

app = typer.Typer(no_args_is_help=True, help="The figures letters quote: confirm each one's phrase and choose them.")

InspectionId = Annotated[str, typer.Argument(metavar="INSPECTION", help="The inspection's number.")]
Number = Annotated[str, typer.Argument(metavar="N", help="The figure's number, as 'corr figure list' shows it.")]


@app.command("list")
def figure_list(inspection_id: InspectionId, db: Db = None, json_output: Json = False) -> None:
    """List an inspection's figures: each one's value, its confirmed phrase, whether letters quote
    it, and the sentence a letter makes of it.

    A letter quotes a figure only when it is chosen ('corr figure quote'), its phrase is confirmed
    ('corr figure confirm') and it is for the report's own period.

    Example: corr figure list 1
    """
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).reading() as session:
        inspection = get_inspection(session, inspection_id)
        rows = [_row(measure, inspection.published_on) for measure in inspection.measures]
        title = inspection.title
    if json_output:
        emit_json(rows)
        return
    print_table(f"{title}: figures", ["N", "Figure", "Value", "Phrase", "Letters"],
                [[r["number"], r["name"], r["value"], r["phrase"] or "(not confirmed)", r["state"]] for r in rows])
    for row in rows:
        if row["sentence"]:
            typer.echo(f"{row['number']}: {row['sentence']}")


@app.command("confirm")
def figure_confirm(
    inspection_id: InspectionId,
    number: Number,
    phrase: Annotated[str, typer.Option("--phrase", help="The words a letter names the figure by, e.g. \"the crime-recording rate\"; "
                                        "for a count, what was counted, e.g. \"audited rape reports accurately recorded\".")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the sentence it would make; store nothing.")] = False,
    db: Db = None,
) -> None:
    """Confirm the phrase a letter names a figure by, and show the sentence it makes.

    The phrase is a name, not a sentence: at most 15 words, no full stop. Letters quote the figure
    once it is also chosen ('corr figure quote').

    Example: corr figure confirm 1 1 --phrase "the crime-recording rate"
    """
    from correspondence.drafting.phrasing import preview
    from correspondence.tracking.figures import confirm_phrase, figure
    from correspondence.tracking.inspections import get_inspection

    store = store_at(db)
    with (store.reading() if dry_run else store.transaction()) as session:
        inspection = get_inspection(session, inspection_id)
        measure = figure(inspection, number)
        stored = confirm_phrase(measure, phrase)
        sentence = preview(measure, inspection.published_on, stored)
        state, position = _row(measure, inspection.published_on)["state"], measure.position
        if dry_run:
            session.rollback()
    typer.echo(f"{'would confirm' if dry_run else 'confirmed'} figure {position}: \"{stored}\" ({state})")
    typer.echo(f"  {sentence}")


@app.command("quote")
def figure_quote(
    inspection_id: InspectionId,
    number: Number,
    off: Annotated[bool, typer.Option("--off", help="Leave the figure out of letters instead.")] = False,
    db: Db = None,
) -> None:
    """Choose a figure for letters to quote (or, with --off, leave it out).

    A chosen figure is quoted once its phrase is confirmed; a figure of an earlier period (a previous
    inspection's) cannot be chosen.

    Example: corr figure quote 1 2

    Example: corr figure quote 1 2 --off
    """
    from correspondence.tracking.figures import figure, quote
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        measure = figure(inspection, number)
        quote(measure, not off)
        row = _row(measure, inspection.published_on)
    typer.echo(f"figure {row['number']} ({row['name']}): {row['state']}")
    if row["sentence"]:
        typer.echo(f"  {row['sentence']}")


def _row(measure: Any, published_on: Any) -> dict[str, Any]:
    from correspondence.cli.views import figure_state
    from correspondence.drafting.phrasing import preview
    from correspondence.records.figures import describe_measure, quotable

    state = figure_state(measure)  # said as 'corr inspection show' says it
    return {"number": measure.position, "name": measure.name, "value": describe_measure(measure), "phrase": measure.phrase,
            "period": measure.period, "quoted": quotable(measure), "chosen": bool(measure.quoted), "state": state,
            "sentence": preview(measure, published_on) if quotable(measure) else ""}
