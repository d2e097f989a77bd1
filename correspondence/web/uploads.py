"""Uploading an HMICFRS report: read it, preview what was found with the line of the report each
value came from (as `corr inspection import --dry-run` prints it), and store it only once confirmed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask_login import login_required

from correspondence.importers.storing import import_inspection, read_report
from correspondence.organisation.oversight import concerns_office
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.vocabulary import UserRole
from correspondence.web.forms import ConfirmUploadForm, UploadForm
from correspondence.web.inspections import blueprint
from correspondence.web.security import office, permit, reading, transaction
from correspondence.web.staging import stage_upload, staging_path
from correspondence.web.wording import said


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
        return _upload_error(form, force_name, f"{name} could not be read: {_without_path(str(error), staged)}. Nothing was stored.")
    session.setdefault("uploads", {})[token] = {"name": name, "suffix": staged.suffix}
    session.modified = True
    return render_template("upload_preview.html", name=name, findings=findings, preview=_preview(findings),
                           confirm=ConfirmUploadForm(token=token), force_name=force_name)


@blueprint.route("/inspections/upload/confirm", methods=["POST"])
@login_required
def confirm_upload() -> Any:
    form = ConfirmUploadForm()
    uploads = session.get("uploads", {})
    if not form.validate_on_submit() or form.token.data not in uploads:
        flash("That upload has expired or is not yours. Upload the report again.", "error")
        return redirect(url_for("inspections.upload"))
    token = form.token.data
    staged_info = uploads[token]
    staged = staging_path(token, staged_info["suffix"])
    try:
        with transaction() as db:
            permit(db, UserRole.DRAFTER)
            ours = office(db)
            force = ours.force.name if (form.our_force.data and ours.force) else None  # the force wins over "national"
            findings = read_report(staged, force=force, national=bool(form.national.data))
            inspection = import_inspection(db, staged, findings, file_name=Path(staged_info["name"]).name)
            if not concerns_office(inspection, ours):
                raise InvalidInput(f"this report is about {inspection.force.name}, and {ours.short_name} answers reports on "
                                   f"{ours.force.name if ours.force else 'no force yet'}. Nothing was stored")
            stored_id, title = inspection.id, inspection.title
    except CorrespondenceError as error:
        message = _without_path(said(error), staged)
        with reading() as db:
            ours = office(db)
            force_name = ours.force.name if ours.force else None
        if error.field in ("force", "national"):  # summary linked to the box that puts it right; ticks kept
            box = form.our_force if (error.field == "force" and force_name) else form.national
            box.errors = [*box.errors, message]
            message = None
        findings = None
        try:
            findings = read_report(staged)
        except CorrespondenceError:
            pass
        if findings is None:
            return _upload_error(UploadForm(), force_name, message)
        return render_template("upload_preview.html", name=staged_info["name"], findings=findings, preview=_preview(findings),
                               confirm=form, force_name=force_name, error=message and message[:1].upper() + message[1:]), 422
    staged.unlink(missing_ok=True)
    uploads.pop(token, None)
    session.modified = True
    flash(f"Stored inspection {stored_id}: {title}.", "success")
    return redirect(url_for("inspections.show", inspection_id=stored_id))


# --- helpers ------------------------------------------------------------------------------------


def _preview(findings: Any) -> dict[str, Any]:
    """What was found, written as the rest of the workspace writes it (dates, grades, figures), each
    value with the line of the report it was read from (findings.sources, as --dry-run shows them)."""
    from types import SimpleNamespace

    from correspondence.records.dates import long_date, parse_date
    from correspondence.records.figures import describe_measure

    def grade(value: str | None) -> str | None:
        return value.capitalize() if value else None

    def where(key: str) -> dict[str, Any] | None:
        source = findings.sources.get(key)
        return {"line": source.line, "text": source.text, "cut": source.cut} if source else None

    fields = [
        ("Title", findings.title, "title"), ("Force", findings.force, "force"),
        *([("National or thematic", "Yes: it will be stored with no force" if findings.national else None, "national")]
          if not findings.force else []),
        ("Programme", findings.programme, "programme"),
        ("Published", long_date(parse_date(findings.published)) if findings.published else None, "published"),
        ("Overall grade", grade(findings.overall_grade), "overall_grade"), ("Link to the report", findings.source_url, "source_url"),
    ]
    areas = {section: [(area, where(f"{section}[{index}]")) for index, area in enumerate(getattr(findings, section))]
             for section in ("causes_of_concern", "recommendations", "areas_for_improvement")}
    return {
        "fields": [(label, value, where(key)) for label, value, key in fields],
        "judgments": [(j["question"], grade(j["grade"]), where(f"judgments[{index}]")) for index, j in enumerate(findings.judgments)],
        "measures": [(m["name"], describe_measure(SimpleNamespace(
            rate=m.get("rate"), ci_half_width=m.get("ci"), numerator=m.get("numerator"), denominator=m.get("denominator"),
            estimate_per_year=m.get("estimate_per_year"), estimate_label=m.get("estimate_label"),
            national_average=m.get("national_average"))), where(f"measures[{index}]")) for index, m in enumerate(findings.measures)],
        "areas": areas,
        "flags": list(findings.flags),
    }


def _upload_error(form: UploadForm, force_name: str | None, message: str) -> Any:
    return render_template("upload.html", form=form, force_name=force_name, error=message), 422


def _without_path(message: str, staged: Path) -> str:
    """The library names the file it read; the user knows it by the name they uploaded."""
    message = message.replace(f"{staged}: ", "").replace(str(staged), "the file")
    return message.replace(staged.name, "the report")
