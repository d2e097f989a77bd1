"""The forms for correcting what was read from a report: a finding, a graded judgment or a figure
added, corrected or removed (web/corrections.py). Each carries its CSRF token; the library
(tracking/corrections.py) checks the values and gives every problem at once, each put beside its field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length

from correspondence.records.vocabulary import AreaKind, Grade
from correspondence.web.forms import choice

WHY = "Why are you making this change?"
WHY_HINT = "Kept with the change and shown on the inspection's timeline, for example: the import cut the recommendation short."

KIND_CHOICES = [choice("", "Choose the kind")] + [choice(kind.value, kind.value.capitalize()) for kind in AreaKind]
GRADE_CHOICES = [choice("", "Not graded")] + [choice(grade.value, grade.value.capitalize()) for grade in Grade]


class FindingForm(FlaskForm):
    kind = SelectField("Kind", choices=KIND_CHOICES, validate_choice=False)
    number = StringField("Number", validators=[Length(max=10)])
    text = TextAreaField("Text", validators=[Length(max=20000)])
    timescale = StringField("Timescale", validators=[Length(max=200)])
    why = TextAreaField(WHY, validators=[Length(max=2000)])


class RemoveForm(FlaskForm):
    why = TextAreaField(WHY, validators=[Length(max=2000)])


class JudgmentForm(FlaskForm):
    question = StringField("Question or area graded", validators=[Length(max=500)])
    grade = SelectField("Grade", choices=GRADE_CHOICES, validate_choice=False)
    position = StringField("Place in the list", validators=[Length(max=10)])
    why = TextAreaField(WHY, validators=[Length(max=2000)])


class FigureForm(FlaskForm):
    name = StringField("Name", validators=[Length(max=500)])
    rate = StringField("Rate (%)", validators=[Length(max=20)])
    ci_half_width = StringField("Confidence interval, plus or minus (%)", validators=[Length(max=20)])
    numerator = StringField("Number counted", validators=[Length(max=20)])
    denominator = StringField("Out of", validators=[Length(max=20)])
    estimate_per_year = StringField("Estimate a year", validators=[Length(max=20)])
    estimate_label = StringField("What the estimate counts", validators=[Length(max=500)])
    national_average = StringField("National average (%)", validators=[Length(max=20)])
    why = TextAreaField(WHY, validators=[Length(max=2000)])


FINDING_FIELDS = {name: name for name in ("kind", "number", "text", "timescale", "why")}
JUDGMENT_FIELDS = {name: name for name in ("question", "grade", "position", "why")}
FIGURE_FIELDS = {name: name for name in ("name", "rate", "ci_half_width", "numerator", "denominator", "estimate_per_year",
                                         "estimate_label", "national_average", "why")}
