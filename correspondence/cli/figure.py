"""corr figure: which of a report's figures the letters quote, and the words they name each by."""

from __future__ import annotations

from typing import Annotated, Any, Optional

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


# --- correcting what was read: add, set, remove (tracking/corrections.py) -------------------------------

Why = Annotated[str, typer.Option("--why", help="Why you are making the change, kept with it, e.g. \"the import misread it\".")]
Name = Annotated[Optional[str], typer.Option("--name", help="The figure's name, as the report gives it.")]
Rate = Annotated[Optional[str], typer.Option("--rate", help="A percentage, e.g. 89.5 (\"\" to clear it).")]
Ci = Annotated[Optional[str], typer.Option("--ci", help="With --rate: its confidence interval, plus or minus, e.g. 1.64.")]
Numerator = Annotated[Optional[str], typer.Option("--numerator", help="A count: how many, e.g. 98 (with --denominator).")]
Denominator = Annotated[Optional[str], typer.Option("--denominator", help="A count: out of how many, e.g. 118.")]
Estimate = Annotated[Optional[str], typer.Option("--estimate", help="An estimate a year, e.g. 22000.")]
EstimateLabel = Annotated[Optional[str], typer.Option("--estimate-label", help="What the estimate counts, e.g. \"crimes a year\".")]
National = Annotated[Optional[str], typer.Option("--national-average", help="The national average, a percentage.")]


@app.command("add")
def figure_add(inspection_id: InspectionId, why: Why, name: Name = None, rate: Rate = None, ci: Ci = None,
               numerator: Numerator = None, denominator: Denominator = None, estimate: Estimate = None,
               estimate_label: EstimateLabel = None, national_average: National = None, db: Db = None) -> None:
    """Add a figure the report gives that was not stored. Letters quote it once it is chosen and
    its phrase confirmed ('corr figure quote', 'corr figure confirm').

    Example: corr figure add 3 --name "Crime recording accuracy" --rate 89.5 --ci 1.64 --why "the import missed it"
    """
    from correspondence.tracking.grade_and_figure_corrections import add_figure
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        measure = add_figure(session, inspection, why=why, name=name or "", rate=rate, ci_half_width=ci, numerator=numerator,
                             denominator=denominator, estimate_per_year=estimate, estimate_label=estimate_label,
                             national_average=national_average)
        row = _row(measure, inspection.published_on)
    typer.echo(f"added figure {row['number']} ({row['name']}): {row['value']}; {row['state']}")


@app.command("set")
def figure_set(inspection_id: InspectionId, number: Number, why: Why, name: Name = None, rate: Rate = None, ci: Ci = None,
               numerator: Numerator = None, denominator: Denominator = None, estimate: Estimate = None,
               estimate_label: EstimateLabel = None, national_average: National = None, db: Db = None) -> None:
    """Correct a figure's name or values; what is not given stays as it is. A corrected figure's
    phrase must be confirmed again ('corr figure confirm') before a letter quotes it.

    Example: corr figure set 3 1 --rate 89.5 --why "the import read the national average"
    """
    from correspondence.tracking.figures import figure
    from correspondence.tracking.grade_and_figure_corrections import correct_figure
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        measure = figure(inspection, number)
        changed = correct_figure(session, measure, why=why, name=name, rate=rate, ci_half_width=ci, numerator=numerator,
                                 denominator=denominator, estimate_per_year=estimate, estimate_label=estimate_label,
                                 national_average=national_average)
        row = _row(measure, inspection.published_on)
    if not changed:
        typer.echo(f"figure {row['number']} ({row['name']}): nothing to change")
        return
    typer.echo(f"corrected figure {row['number']} ({row['name']}): {row['value']}; {row['state']}")
    typer.echo("confirm its phrase again before letters quote it: 'corr figure confirm'")


@app.command("remove")
def figure_remove(inspection_id: InspectionId, number: Number, why: Why, db: Db = None) -> None:
    """Remove a figure the report does not give; the figures after it move up one.

    Example: corr figure remove 3 4 --why "a figure of another force"
    """
    from correspondence.tracking.figures import figure
    from correspondence.tracking.grade_and_figure_corrections import remove_figure
    from correspondence.tracking.inspections import get_inspection

    with store_at(db).transaction() as session:
        inspection = get_inspection(session, inspection_id)
        label = remove_figure(session, figure(inspection, number), why=why)
    typer.echo(f"removed {label.lower()} from inspection {inspection_id}")


def _row(measure: Any, published_on: Any) -> dict[str, Any]:
    from correspondence.cli.views import figure_state
    from correspondence.drafting.phrasing import preview
    from correspondence.records.figures import describe_measure, quotable

    state = figure_state(measure)  # said as 'corr inspection show' says it
    return {"number": measure.position, "name": measure.name, "value": describe_measure(measure), "phrase": measure.phrase,
            "period": measure.period, "quoted": quotable(measure), "chosen": bool(measure.quoted), "state": state,
            "sentence": preview(measure, published_on) if quotable(measure) else ""}
