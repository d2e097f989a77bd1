"""Correcting what was read from a report, on pages of their own: add, correct or remove a finding
(cause of concern, recommendation, area for improvement), a graded judgment or a figure, each change
kept with who made it, when and why (tracking/corrections.py), and shown on the inspection's timeline.

A drafter's change. The inspection must be one the user's office answers, and the finding, judgment
or figure one of that inspection's: anything else is not found (404), as a tampered link would be.
Every problem comes back at once, each beside its field, with what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from correspondence.records.errors import CorrespondenceError, InvalidInput, NotFound
from correspondence.records.figures import describe_measure
from correspondence.records.models import Inspection
from correspondence.records.vocabulary import UserRole
from correspondence.tracking import corrections as fix
from correspondence.tracking import grade_and_figure_corrections as grades
from correspondence.tracking.figures import by_id
from correspondence.tracking.inspections import get_inspection
from correspondence.web.correction_forms import (
    FIGURE_FIELDS,
    FINDING_FIELDS,
    JUDGMENT_FIELDS,
    WHY_HINT,
    FigureForm,
    FindingForm,
    JudgmentForm,
    RemoveForm,
)
from correspondence.web.inspections import blueprint
from correspondence.web.security import reading, record, transaction
from correspondence.web.wording import onto_form

AFTER = " Drafts about it made before now are marked to be drafted again; a sent letter is never changed."


# --- findings ------------------------------------------------------------------------------------


@blueprint.route("/inspections/<inspection_id>/findings/add", methods=["GET", "POST"])
@login_required
def add_finding(inspection_id: str) -> Any:
    form = FindingForm()
    return _handle(inspection_id, None, form, "finding_add.html", FINDING_FIELDS, "findings",
                   lambda db, inspection, _item: fix.add_finding(db, inspection, kind=form.kind.data, number=form.number.data,
                                                                 text=form.text.data, timescale=form.timescale.data, why=form.why.data),
                   lambda area: f"{fix.finding_label(area.kind, area.number)} is added.")


@blueprint.route("/inspections/<inspection_id>/findings/<area_id>/correct", methods=["GET", "POST"])
@login_required
def correct_finding(inspection_id: str, area_id: str) -> Any:
    form = FindingForm() if request.method == "POST" else None
    return _handle(inspection_id, area_id, form, "finding_correct.html", FINDING_FIELDS, "findings",
                   lambda db, _inspection, area: fix.correct_finding(
                       db, area, kind=form.kind.data, number=form.number.data, text=form.text.data,  # type: ignore[union-attr]
                       timescale=form.timescale.data, why=form.why.data),  # type: ignore[union-attr]
                   None)


@blueprint.route("/inspections/<inspection_id>/findings/<area_id>/remove", methods=["GET", "POST"])
@login_required
def remove_finding(inspection_id: str, area_id: str) -> Any:
    form = RemoveForm()
    return _handle(inspection_id, area_id, form, "finding_remove.html", {"why": "why"}, "findings",
                   lambda db, _inspection, area: fix.remove_finding(db, area, why=form.why.data), lambda label: f"{label} is removed.")


# --- judgments -----------------------------------------------------------------------------------


@blueprint.route("/inspections/<inspection_id>/judgments/add", methods=["GET", "POST"])
@login_required
def add_judgment(inspection_id: str) -> Any:
    form = JudgmentForm()
    return _handle(inspection_id, None, form, "judgment_add.html", JUDGMENT_FIELDS, "judgments",
                   lambda db, inspection, _item: grades.add_judgment(db, inspection, question=form.question.data, grade=form.grade.data,
                                                                  position=form.position.data, why=form.why.data),
                   lambda judgment: f"{grades.judgment_label(judgment)} is added.")


@blueprint.route("/inspections/<inspection_id>/judgments/<judgment_id>/correct", methods=["GET", "POST"])
@login_required
def correct_judgment(inspection_id: str, judgment_id: str) -> Any:
    form = JudgmentForm() if request.method == "POST" else None
    return _handle(inspection_id, judgment_id, form, "judgment_correct.html", JUDGMENT_FIELDS, "judgments",
                   lambda db, _inspection, judgment: grades.correct_judgment(
                       db, judgment, question=form.question.data, grade=form.grade.data,  # type: ignore[union-attr]
                       position=form.position.data, why=form.why.data),  # type: ignore[union-attr]
                   None)


@blueprint.route("/inspections/<inspection_id>/judgments/<judgment_id>/remove", methods=["GET", "POST"])
@login_required
def remove_judgment(inspection_id: str, judgment_id: str) -> Any:
    form = RemoveForm()
    return _handle(inspection_id, judgment_id, form, "judgment_remove.html", {"why": "why"}, "judgments",
                   lambda db, _inspection, judgment: grades.remove_judgment(db, judgment, why=form.why.data),
                   lambda label: f"{label} is removed.")


# --- figures -------------------------------------------------------------------------------------


def _figure_values(form: FigureForm) -> dict[str, Any]:
    return {name: getattr(form, name).data or "" for name in FIGURE_FIELDS if name != "why"}


@blueprint.route("/inspections/<inspection_id>/figures/add", methods=["GET", "POST"])
@login_required
def add_figure(inspection_id: str) -> Any:
    form = FigureForm()
    return _handle(inspection_id, None, form, "figure_add.html", FIGURE_FIELDS, "figures",
                   lambda db, inspection, _item: grades.add_figure(db, inspection, why=form.why.data, **_figure_values(form)),
                   lambda measure: f"{grades.figure_label(measure)} is added. Letters quote it once it is chosen and its phrase confirmed.")


@blueprint.route("/inspections/<inspection_id>/figures/<measure_id>/correct", methods=["GET", "POST"])
@login_required
def correct_figure(inspection_id: str, measure_id: str) -> Any:
    form = FigureForm() if request.method == "POST" else None
    return _handle(inspection_id, measure_id, form, "figure_correct.html", FIGURE_FIELDS, "figures",
                   lambda db, _inspection, measure: grades.correct_figure(db, measure, why=form.why.data,  # type: ignore[union-attr]
                                                                       **_figure_values(form)),  # type: ignore[arg-type]
                   None)


@blueprint.route("/inspections/<inspection_id>/figures/<measure_id>/remove", methods=["GET", "POST"])
@login_required
def remove_figure(inspection_id: str, measure_id: str) -> Any:
    form = RemoveForm()
    return _handle(inspection_id, measure_id, form, "figure_remove.html", {"why": "why"}, "figures",
                   lambda db, _inspection, measure: grades.remove_figure(db, measure, why=form.why.data),
                   lambda label: f"{label} is removed.")


# --- one way for all of them ---------------------------------------------------------------------


_FIND = {"findings": fix.find_finding, "judgments": grades.find_judgment, "figures": by_id}


def _handle(inspection_id: str, item_id: str | None, form: Any, template: str, fields: dict[str, str], subject: str,
            change: Callable[[Any, Inspection, Any], Any], done: Callable[[Any], str] | None) -> Any:
    """Show the page (GET), or make the change and go back to the inspection; a refusal comes back
    on the page with every problem beside its field and what was typed kept."""
    with reading() as db:
        inspection, item = _records(db, inspection_id, item_id, subject)
        if form is None:
            form = _filled(subject, item)
        if request.method == "GET":
            return _page(template, inspection, item, subject, form)
        if not form.validate_on_submit():
            return _page(template, inspection, item, subject, form, 422)
    try:
        with transaction() as db:
            inspection, item = _records(db, inspection_id, item_id, subject)
            label = _label(subject, item) if item is not None else ""
            result = change(db, inspection, item)
            if done is None:  # a correction: what it changed, under the item's label after it
                message = f"{_label(subject, item)} is corrected." if result else "Nothing was different, so nothing was changed."
            else:
                message = done(label if isinstance(result, str) else result)
    except fix.CorrectionProblems as refused:
        for field, problem in refused.problems:
            onto_form(form, InvalidInput(problem, field=field), fields)
        return _again(template, inspection_id, item_id, subject, form)
    except CorrespondenceError as error:
        onto_form(form, error, fields)
        return _again(template, inspection_id, item_id, subject, form)
    if subject == "figures" and done is None and result:
        message += " Confirm its phrase again below before letters quote it."
    flash(message + AFTER, "success")
    if subject == "figures":
        return redirect(url_for("inspections.figures", inspection_id=inspection_id))
    return redirect(url_for("inspections.show", inspection_id=inspection_id, _anchor="findings" if subject == "findings" else "grades"))


def _records(db: Any, inspection_id: str, item_id: str | None, subject: str) -> tuple[Inspection, Any]:
    inspection = get_inspection(db, record(db, Inspection, inspection_id, UserRole.DRAFTER).id)
    if item_id is None:
        return inspection, None
    try:
        return inspection, _FIND[subject](inspection, item_id)
    except NotFound:
        abort(404)  # another inspection's, or none: a tampered link


def _again(template: str, inspection_id: str, item_id: str | None, subject: str, form: Any) -> Any:
    with reading() as db:
        inspection, item = _records(db, inspection_id, item_id, subject)
        return _page(template, inspection, item, subject, form, 422)


def _page(template: str, inspection: Inspection, item: Any, subject: str, form: Any, status: int = 200) -> Any:
    return render_template(template, inspection=inspection, item=item, form=form, why_hint=WHY_HINT,
                           label=_label(subject, item) if item is not None else "", was=_was(subject, item)), status


def _label(subject: str, item: Any) -> str:
    if subject == "findings":
        return fix.finding_label(item.kind, item.number)
    return grades.judgment_label(item) if subject == "judgments" else grades.figure_label(item)


def _was(subject: str, item: Any) -> str:
    """The item as stored, in words, for the page to show above the form."""
    if item is None:
        return ""
    if subject == "findings":
        return item.text
    if subject == "judgments":
        return f"{item.question}: {item.grade.value if item.grade else 'not graded'}"
    return f"{item.name}: {describe_measure(item) or 'no value'}"


def _filled(subject: str, item: Any) -> Any:
    """The correction form filled from the item as stored."""
    if subject == "findings":
        return FindingForm(formdata=None, kind=item.kind.value, number=str(item.number), text=item.text, timescale=item.timescale or "")
    if subject == "judgments":
        return JudgmentForm(formdata=None, question=item.question, grade=item.grade.value if item.grade else "", position=str(item.position))
    values = {name: _shown(getattr(item, name)) for name in FIGURE_FIELDS if name != "why"}
    return FigureForm(formdata=None, **values)


def _shown(value: Any) -> str:
    """A stored value as a person types it: 89.5, not 89.50."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
