"""Uploading an HMICFRS report: read it, preview what was found with the line of the report each
value came from, every value open to change and every value the store needs and the importer did
not find as an empty field; store it only when the form is sent, with what the officer gave over
what was read (the library lays it over: importers.report_edits)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import login_required

from correspondence.importers.forces import canonical_force
from correspondence.importers.report_edits import FindingEdit, ReportEdits
from correspondence.importers.storing import import_inspection, match_force, read_report
from correspondence.organisation.oversight import concerns_office
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.models import Office
from correspondence.records.vocabulary import UserRole
from correspondence.tracking.inspections import AlreadyStored
from correspondence.web.forms import DATE_HINT, UploadForm, date_value
from correspondence.web.inspections import blueprint
from correspondence.web.security import office, permit, reading, transaction
from correspondence.web.staging import stage_upload, staging_path
from correspondence.web.upload_forms import ANOTHER_FORCE, DO_NOT_STORE, FIELDS, KINDS, PreviewForm, as_read, filled_in
from correspondence.web.wording import onto_form, said

# The library's names for what it could not find, as the preview says them.
MISSING_WORDS = {"title": "the title", "force": "the force inspected", "programme": "the inspection programme",
                 "published": "the date it was published", "overall_grade": "an overall grade",
                 "judgments": "graded judgments", "measures": "figures"}
NEEDED = ("title", "programme", "published")  # what the store cannot do without (the force, or national, too)


@blueprint.route("/inspections/upload", methods=["GET", "POST"])
@login_required
def upload() -> Any:
    form = UploadForm()
    with reading() as db:
        permit(db, UserRole.DRAFTER)
        ours = office(db)
        force_name = ours.force.name if ours.force else None
    if not form.validate_on_submit():
        return render_template("upload.html", form=form, force_name=force_name), (422 if form.is_submitted() else 200)
    try:
        name, token, staged = stage_upload(form.report.data, called="a report", fallback_name="report")
    except InvalidInput as refused:
        return _upload_error(form, force_name, str(refused))
    try:
        findings = read_report(staged)
    except CorrespondenceError as error:
        staged.unlink(missing_ok=True)
        return _upload_error(form, force_name, f"{name} could not be read: {_without_path(said(error, capital=False), staged)}. "
                                               "Nothing was stored.")
    session.setdefault("uploads", {})[token] = {"name": name, "suffix": staged.suffix}
    session.modified = True
    preview = PreviewForm(formdata=None, data={**as_read(findings), "token": token})
    return _preview_page(preview, findings, name)


@blueprint.route("/inspections/upload/confirm", methods=["POST"])
@login_required
def confirm_upload() -> Any:
    uploads = session.get("uploads", {})
    token = request.form.get("token", "")
    if token not in uploads:
        flash("That upload has expired or is not yours. Upload the report again.", "error")
        return redirect(url_for("inspections.upload"))
    staged_info = uploads[token]
    staged = staging_path(token, staged_info["suffix"])
    try:
        read = read_report(staged)
    except CorrespondenceError:  # the staged file is gone (the server was restarted and its folder emptied)
        flash("That upload has expired. Upload the report again.", "error")
        return redirect(url_for("inspections.upload"))
    form = PreviewForm(formdata=filled_in(request.form, read))
    with reading() as db:
        permit(db, UserRole.DRAFTER)
        other = _other_force(db, office(db), form)
    if other and form.about.data == DO_NOT_STORE:  # whatever else the form says: nothing is to be stored
        _forget(uploads, token, staged)
        flash(f"Nothing was stored: {staged_info['name']} was not kept.", "success")
        return redirect(url_for("inspections.upload"))
    valid = form.validate_on_submit()
    if other and form.about.data != ANOTHER_FORCE:  # said with every other problem, at once
        form.about.errors = [*form.about.errors, f"Choose whether to store this report about {other['force']}"]
        valid = False
    if not valid:
        return _preview_page(form, read, staged_info["name"], status=422)
    try:
        with transaction() as db:
            permit(db, UserRole.DRAFTER)
            ours = office(db)
            findings = read_report(staged, edits=_edits(form))
            inspection = import_inspection(db, staged, findings, file_name=Path(staged_info["name"]).name, office=ours,
                                           add_force=bool(other))
            stored = {"id": inspection.id, "title": inspection.title, "ours": concerns_office(inspection, ours),
                      "force": inspection.force.name if inspection.force else None}
    except AlreadyStored as error:
        return _preview_page(form, read, staged_info["name"], status=422, stored=error)
    except CorrespondenceError as error:
        onto_form(form, _without_path_error(error, staged), FIELDS, {field: getattr(form, name).label.text for field, name in FIELDS.items()})
        return _preview_page(form, read, staged_info["name"], status=422)
    _forget(uploads, token, staged)
    if stored["ours"]:
        flash(f"Stored the inspection: {stored['title']}.", "success")
        return redirect(url_for("inspections.show", inspection_id=stored["id"]))
    flash(f"Stored {stored['title']} as a report about {stored['force']}. This office's lists show reports on the force it "
          "oversees and national reports, so it is not among them; offices in the workspace that oversee "
          f"{stored['force']} see it among theirs.", "success")
    return redirect(url_for("inspections.index"))


# --- helpers ------------------------------------------------------------------------------------


def _edits(form: PreviewForm) -> ReportEdits:
    """The form's values, for the library to lay over what was read."""
    force = (form.force.data or "").strip()
    return ReportEdits(
        title=form.title.data, programme=form.programme.data, published=date_value(form.published),
        force=force, national=bool(form.national.data) and not force, overall_grade=form.overall_grade.data or "",
        source_url=(form.source_url.data or "").strip(),
        findings=[FindingEdit(section=entry.form.kind.data, text=entry.form.text.data or "",
                              number=int(entry.form.number.data) if (entry.form.number.data or "").strip() else None,
                              timescale=entry.form.timescale.data or None, read_as=entry.form.read_as.data or None)
                  for entry in form.findings],
    )


def _other_force(db: Any, ours: Office, form: PreviewForm) -> dict[str, str] | None:
    """The force the report is about, when it is not the one this office oversees: {"force": its name
    as it would be stored, "ours": the office's force}; None for the office's own, or a national report."""
    typed = " ".join((form.force.data or "").split())
    if not typed:
        return None
    known = match_force(db, typed)
    if known is not None and known.id == ours.force_id:
        return None
    return {"force": known.name if known else (canonical_force(typed) or typed),
            "ours": ours.force.name if ours.force else ""}


def _preview_page(form: PreviewForm, findings: Any, name: str, *, status: int = 200, stored: AlreadyStored | None = None) -> Any:
    with reading() as db:
        ours = office(db)
        other = _other_force(db, ours, form) if form.force.data else None
        force_name = ours.force.name if ours.force else None
    return render_template("upload_preview.html", name=name, form=form, preview=_preview(findings, form), other=other,
                           force_name=force_name, problems=form.problems(), stored=stored,
                           date_hint=DATE_HINT), status


def _preview(findings: Any, form: PreviewForm) -> dict[str, Any]:
    """What was found, as the rest of the workspace writes it, each value with the line of the report it
    was read from, and what the officer must look at, in plain words."""
    from types import SimpleNamespace

    from correspondence.records.figures import describe_measure

    def where(key: str) -> dict[str, Any] | None:
        source = findings.sources.get(key)
        return {"line": source.line, "text": source.text, "cut": source.cut} if source else None

    def grade(value: str | None) -> str | None:
        return value.capitalize() if value else None

    missing = [key for key in findings.missing if key in MISSING_WORDS]
    notes = [f"The report says it has {count} {section.replace('_', ' ')} (line {line.number}), but {len(getattr(findings, section))} "
             "were read: add the others on the inspection's page once it is stored, or a letter will give the wrong number."
             for section, (count, line) in findings.stated.items() if len(getattr(findings, section)) < count]
    notes += [f"Not stored, as the report gives it no grade ({j['grade_text']}): {j['question']}"
              for j in findings.judgments if j.get("grade") is None]
    cut = [f"{KINDS[section]} {index + 1}" for section in KINDS for index, _ in enumerate(getattr(findings, section))
           if (where(f"{section}[{index}]") or {}).get("cut")]
    return {
        "sources": {key: where(key) for key in ("title", "force", "programme", "published", "overall_grade", "source_url", "national")},
        "needed": [MISSING_WORDS[key] for key in missing if key in NEEDED or (key == "force" and not findings.national)],
        "findings": [where(entry.form.read_as.data) if entry.form.read_as.data else None for entry in form.findings],
        "cut": cut,
        "notes": notes,
        "judgments": [(j["question"], grade(j["grade"]), where(f"judgments[{index}]")) for index, j in enumerate(findings.judgments)],
        "measures": [(m["name"], describe_measure(SimpleNamespace(
            rate=m.get("rate"), ci_half_width=m.get("ci"), numerator=m.get("numerator"), denominator=m.get("denominator"),
            estimate_per_year=m.get("estimate_per_year"), estimate_label=m.get("estimate_label"),
            national_average=m.get("national_average"))), where(f"measures[{index}]")) for index, m in enumerate(findings.measures)],
    }


def _forget(uploads: dict[str, Any], token: str, staged: Path) -> None:
    staged.unlink(missing_ok=True)
    uploads.pop(token, None)
    session.modified = True


def _upload_error(form: UploadForm, force_name: str | None, message: str) -> Any:
    return render_template("upload.html", form=form, force_name=force_name, error=message), 422


def _without_path(message: str, staged: Path) -> str:
    """The library names the file it read; the user knows it by the name they uploaded."""
    message = message.replace(f"{staged}: ", "").replace(str(staged), "the file")
    return message.replace(staged.name, "the report")


def _without_path_error(error: CorrespondenceError, staged: Path) -> CorrespondenceError:
    return type(error)(_without_path(error.refusal, staged), field=error.field, value=error.value, steps=error.steps,
                       joined=error.joined)
