"""The figures a letter quotes, from the inspection's drafting step: for each figure its value, the
phrase a letter names it by (confirmed here), a preview of the sentence it makes, and whether letters
quote it, as `corr figure confirm|quote` do (tracking/figures.py).

Every figure id the form sends is checked to be one of this inspection's (tracking.figures.by_id), and
the inspection to be one the user may change. The page reads the inspection with its figures in a
fixed number of statements, however many figures it has.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from correspondence.drafting.phrasing import preview
from correspondence.records.errors import CorrespondenceError, NotFound
from correspondence.records.figures import describe_measure, phrase_problem, quote_state
from correspondence.records.models import Inspection
from correspondence.records.vocabulary import UserRole
from correspondence.tracking.figures import FigureProblems, by_id, choose
from correspondence.tracking.inspections import get_inspection
from correspondence.web.inspections import blueprint
from correspondence.web.security import reading, record, refuse, transaction
from correspondence.web.wording import said


class FiguresForm(FlaskForm):
    """Only the CSRF token: the figures' fields are named by their ids (phrase-ID, quoted-ID)."""


@blueprint.route("/inspections/<inspection_id>/figures")
@login_required
def figures(inspection_id: str, typed: dict[str, str] | None = None, chosen: set[str] | None = None,
            problems: list[tuple[str, str]] | None = None, status: int = 200) -> Any:
    """The figures and the sentences they make; a refused form comes back as it was typed."""
    with reading() as db:
        inspection = get_inspection(db, record(db, Inspection, inspection_id).id)
        rows = [_row(measure, inspection.published_on, typed, chosen) for measure in inspection.measures]
        errors = dict(problems or [])
        for row in rows:
            row["phrase_error"] = errors.get(f"phrase-{row['id']}", "")
            row["quoted_error"] = errors.get(f"quoted-{row['id']}", "")
        return render_template("figures.html", inspection=inspection, rows=rows, form=FiguresForm(),
                               problems=problems or [], previewing=typed is not None and not problems,
                               may_change=current_user.can("drafter")), status


@blueprint.route("/inspections/<inspection_id>/figures", methods=["POST"])
@login_required
def choose_figures(inspection_id: str) -> Any:
    """Confirm the phrases typed and make the ticked figures the ones letters quote (``preview``:
    show the sentences the typed phrases make, storing nothing)."""
    form = FiguresForm()
    with reading() as db:
        inspection = get_inspection(db, record(db, Inspection, inspection_id, UserRole.DRAFTER).id)
        ids = {str(measure.id) for measure in inspection.measures}
    typed = {key.removeprefix("phrase-"): value for key, value in request.form.items() if key.startswith("phrase-")}
    chosen = {key.removeprefix("quoted-") for key in request.form if key.startswith("quoted-")}
    unknown = sorted((set(typed) | chosen) - ids)
    if unknown:  # a figure of another inspection (or none): a tampered form
        refuse(404, f"figure {unknown[0]} is not one of inspection {inspection_id}'s")
    if not form.validate_on_submit():
        return figures(inspection_id, typed, chosen, [("csrf", "The form had expired: choose again and save.")], 400)
    if request.form.get("action") == "preview":
        problems = [(f"phrase-{key}", f"Figure {_number(inspection, key)}'s phrase {problem}")
                    for key, value in typed.items() if value.strip() and (problem := phrase_problem(value))]
        return figures(inspection_id, typed, chosen, problems, 422 if problems else 200)
    try:
        with transaction() as db:
            inspection = get_inspection(db, record(db, Inspection, inspection_id, UserRole.DRAFTER).id)
            done = choose(db, inspection, chosen, typed)
    except FigureProblems as refused:
        return figures(inspection_id, typed, chosen, [(where, message[:1].upper() + message[1:]) for where, message in refused.problems], 422)
    except NotFound:
        refuse(404, f"a figure the form sent is not one of inspection {inspection_id}'s")
    except CorrespondenceError as error:
        return figures(inspection_id, typed, chosen, [("figures", said(error))], 422)
    quoted = ", ".join(str(n) for n in done.quoted)
    message = f"Letters now quote figure{'s' if len(done.quoted) != 1 else ''} {quoted}." if done.quoted else "Letters now quote no figure."
    if done.unconfirmed:
        waiting = ", ".join(str(n) for n in done.unconfirmed)
        message += f" Chosen but not quoted until a phrase is confirmed: {waiting}."
    flash(message, "success")
    return redirect(url_for("inspections.figures", inspection_id=inspection_id))


def _row(measure: Any, published_on: Any, typed: dict[str, str] | None, chosen: set[str] | None) -> dict[str, Any]:
    key = str(measure.id)
    phrase = typed.get(key, measure.phrase or "") if typed is not None else (measure.phrase or "")
    ticked = key in chosen if chosen is not None else bool(measure.quoted)
    sentence = preview(measure, published_on, phrase) if phrase.strip() and not phrase_problem(phrase) and not measure.period else ""
    state = {"quoted": "Quoted", "earlier period": f"Not quoted: it is for {measure.period}, not the report's own period",
             "awaiting phrase": "Chosen, not quoted until its phrase is confirmed",
             "not chosen": "Not quoted"}[quote_state(measure)]
    return {"id": key, "number": measure.position, "name": measure.name, "value": describe_measure(measure),
            "phrase": phrase, "ticked": ticked, "sentence": sentence, "state": state, "period": measure.period or ""}


def _number(inspection: Inspection, key: str) -> int:
    return by_id(inspection, key).position
