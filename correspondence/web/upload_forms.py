"""The form of an uploaded report's preview: every value the importer read, to check and change, and
an empty field for each one the store needs and the importer did not find.

The fields start as the report was read. A field a request does not send at all keeps what was
read (a script posting only the upload's token stores the report as read); a field sent empty is
empty, and one the store needs is refused beside its label.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from correspondence.importers.report_findings import AREA_FIELDS, ReportFindings
from correspondence.records.vocabulary import Grade
from correspondence.web.forms import DATE_HINT, UkDate, choice

KINDS = {"causes_of_concern": "Cause of concern", "recommendations": "Recommendation",
         "areas_for_improvement": "Area for improvement"}
ANOTHER_FORCE, DO_NOT_STORE = "another", "not"

# The library's names for the values, as this form's fields (for a refusal put beside its field).
FIELDS = {"title": "title", "programme": "programme", "published": "published", "force": "force",
          "national": "national", "overall_grade": "overall_grade", "source_url": "source_url"}


class WholeNumber:
    def __call__(self, form: Any, field: Any) -> None:
        text = (field.data or "").strip()
        if text and (not text.isdigit() or not 1 <= int(text) <= 9999):
            raise ValidationError("Enter a whole number, such as 3")


class FindingEntry(Form):
    """One finding as read (or as changed): its kind, number, text and timescale."""

    kind = SelectField("Kind", choices=[choice(key, label) for key, label in KINDS.items()])
    number = StringField("Number", validators=[Optional(), WholeNumber()])
    text = TextAreaField("Text", validators=[Optional(), Length(max=20000)])
    timescale = StringField("Timescale", validators=[Optional(), Length(max=200)])
    read_as = HiddenField()


class PreviewForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    title = StringField("Title", validators=[DataRequired(message="Enter the report's title"), Length(max=500)])
    programme = StringField("Inspection programme",
                            validators=[DataRequired(message="Enter the inspection programme, for example PEEL 2018/19"), Length(max=200)])
    published = StringField("Date the report was published",
                            validators=[DataRequired(message="Enter the date the report was published"), UkDate()])
    force = StringField("Force inspected", validators=[Length(max=200)])
    national = BooleanField("This is a national or thematic report on no single force")
    overall_grade = SelectField("Overall grade", choices=[choice("", "No overall grade"),
                                                         *[choice(grade.value, grade.value.capitalize()) for grade in Grade]])
    source_url = StringField("Link to the report on the web", validators=[Optional(), Length(max=1000)])
    findings = FieldList(FormField(FindingEntry))
    about = RadioField("What do you want to do with it?", choices=[choice(ANOTHER_FORCE, "Store it"), choice(DO_NOT_STORE, "Do not store it")],
                       validators=[Optional()], validate_choice=False)

    hints = {"published": DATE_HINT}

    def validate_force(self, field: Any) -> None:
        if not (field.data or "").strip() and not self.national.data:
            raise ValidationError("Enter the force the report inspected, or tick 'This is a national or thematic report "
                                  "on no single force' if it is one")

    def validate_national(self, field: Any) -> None:
        if field.data and (self.force.data or "").strip():
            raise ValidationError("A report on one force is not a national report: empty 'Force inspected', or untick this")

    def validate_findings(self, field: Any) -> None:
        """Two findings of a kind with one number would be one finding twice in a letter."""
        seen: dict[tuple[str, str], Any] = {}
        for entry in field:
            number = (entry.form.number.data or "").strip()
            if not number or not (entry.form.text.data or "").strip():
                continue
            key = (entry.form.kind.data, number.lstrip("0"))
            if key in seen:
                entry.form.number.errors = [*entry.form.number.errors,
                                            f"{KINDS.get(key[0], 'Finding')} {number} is given twice; give each its own number"]
            seen[key] = entry

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        return valid and not any(entry.form.number.errors for entry in self.findings)

    def problems(self) -> list[tuple[str, str, str]]:
        """Every error on the form as (the field's id, its label, the message), in the page's order,
        for the summary at the top: each finding's fields named with the finding ("Recommendation 3: Number")."""
        found: list[tuple[str, str, str]] = []
        for name in ("title", "programme", "published", "force", "national", "overall_grade", "source_url"):
            field = getattr(self, name)
            found += [(field.id, field.label.text, message) for message in field.errors]
        for position, entry in enumerate(self.findings, start=1):
            named = finding_name(entry.form, position)
            for part in (entry.form.kind, entry.form.number, entry.form.text, entry.form.timescale):
                found += [(part.id, f"{named}: {part.label.text}", message) for message in part.errors]
        found += [(self.about.id, "Store it or not", message) for message in self.about.errors]
        return found


def finding_name(entry: Any, position: int) -> str:
    number = (entry.number.data or "").strip()
    return f"{KINDS.get(entry.kind.data, 'Finding')} {number or position}"


def as_read(findings: ReportFindings) -> dict[str, Any]:
    """The form's values as the report was read."""
    return {
        "title": findings.title or "", "programme": findings.programme or "",
        "published": _uk(findings.published), "force": findings.force or "", "national": bool(findings.national),
        "overall_grade": findings.overall_grade or "", "source_url": findings.source_url or "",
        "findings": [{"kind": section, "number": str(area.get("number") or index + 1), "text": area.get("text", ""),
                      "timescale": area.get("timescale") or "", "read_as": f"{section}[{index}]"}
                     for section in AREA_FIELDS for index, area in enumerate(getattr(findings, section))],
    }


def filled_in(posted: MultiDict, findings: ReportFindings) -> MultiDict:
    """What was posted, with each value a request did not send at all taken as read (see the module)."""
    read = as_read(findings)
    data = MultiDict(posted)
    for name in ("title", "programme", "published", "force", "overall_grade", "source_url"):
        if name not in data:
            data[name] = read[name]
    if "national" not in data and "force" not in posted and read["national"]:
        data["national"] = "y"
    if not any(key.startswith("findings-") for key in data):
        for index, entry in enumerate(read["findings"]):
            for key, value in entry.items():
                data[f"findings-{index}-{key}"] = value
    return data


def _uk(iso: str | None) -> str:
    if not iso:
        return ""
    from correspondence.records.dates import long_date, parse_date

    return long_date(parse_date(iso))
