"""The forms of first setup and of the Settings page's sections (each with its CSRF token).

Each form checks only what a form can (a field left empty, two passwords that differ); every rule
about the values is the library's, and its refusals are put beside the field they are about."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from correspondence.importers.forces import FORCES
from correspondence.web.forms import UkDate, choice

FORCE_HINT = ("Leave empty for the usual title: Commissioner for the Metropolitan Police Service and the City of London "
              "Police, Chief Constable for every other force")
SCHEME_HINT = ("How the office's letter references are made: {seq} is the running number (required), "
               "{date:%d%m%Y} the letter's date, {yy} or {yyyy} its year (numbered afresh each year), {initials} the "
               "signatory's initials. For example, MOPAC{date:%d%m%Y}-D{seq} or OPCC/{seq}/{yy}")


def force_choices(extra: list[str] | tuple[str, ...] = ()) -> list[Any]:
    """The forces HMICFRS inspects (the importers' list), with any other already stored."""
    names = sorted(set(FORCES) | {name for name in extra if name})
    return [choice("", "Choose the force")] + [choice(name, name) for name in names]


def put_problem(form: FlaskForm, field_name: str | None, message: str, fallback: str) -> None:
    """Show a library refusal beside the field it is about (``fallback`` when it names none)."""
    target = getattr(form, field_name, None) if field_name else None
    if target is None:
        target = getattr(form, fallback)
    target.errors = [*list(target.errors or ()), message]


class SetupForm(FlaskForm):
    office_name = StringField("Office's full name", validators=[DataRequired(message="Enter the office's full name"), Length(max=200)],
                              description="For example, Mayor's Office for Policing and Crime")
    short_name = StringField("Short name", validators=[DataRequired(message="Enter a short name, for example MOPAC"), Length(max=50)],
                             render_kw={"autocapitalize": "characters", "spellcheck": "false"})
    signatory_name = StringField("Who signs the letters", validators=[Optional(), Length(max=200)])
    signatory_title = StringField("Their title", validators=[Optional(), Length(max=200)])
    address = TextAreaField("Postal address (one line each)", validators=[Optional(), Length(max=2000)])
    reference_scheme = StringField("Reference scheme", default="{seq}", validators=[DataRequired(message="Enter a reference scheme"),
                                                                                    Length(max=200)])
    force = SelectField("The force the office oversees", choices=force_choices(), validate_choice=False,
                        validators=[DataRequired(message="Choose the force the office oversees")])
    chief_officer_title = StringField("The chief officer's title", validators=[Optional(), Length(max=200)])
    admin_name = StringField("Your full name", validators=[DataRequired(message="Enter your full name"), Length(max=200)],
                             render_kw={"autocomplete": "name"})
    login = StringField("Your login name", validators=[DataRequired(message="Enter a login name, for example jsmith"), Length(max=100)],
                        render_kw={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"})
    email = EmailField("Your e-mail address", validators=[Optional(), Length(max=320)], render_kw={"autocomplete": "email"})
    password = PasswordField("Password (at least 10 characters)", validators=[DataRequired(message="Enter a password")],
                             render_kw={"autocomplete": "new-password"})
    password_again = PasswordField("Password again", validators=[DataRequired(message="Enter the password again"),
                                                                 EqualTo("password", message="The two passwords are not the same")],
                                   render_kw={"autocomplete": "new-password"})


class OfficeDetailsForm(FlaskForm):
    name = StringField("Office's full name", validators=[DataRequired(message="Enter the office's name"), Length(max=200)])
    address = TextAreaField("Postal address (one line each)", validators=[Optional(), Length(max=2000)])
    signatory_name = StringField("Who signs the letters", validators=[Optional(), Length(max=200)])
    signatory_title = StringField("Their title", validators=[Optional(), Length(max=200)])
    date_format = StringField("How letters write dates", validators=[DataRequired(message="Enter a date format"), Length(max=50)])
    letterhead = TextAreaField("Letterhead lines (phone, e-mail, web; one line each)", validators=[Optional(), Length(max=2000)])


class ApprovalForm(FlaskForm):
    require_approval = BooleanField("Every letter needs a second person's approval before it is sent")
    confirm_off = BooleanField("Yes, let letters be sent without a second person's approval")


class ReplyByForm(FlaskForm):
    reply_by_days = IntegerField("Days after the report's publication", validators=[
        DataRequired(message="Enter a number of days, for example 21"),
        NumberRange(min=1, max=55, message="Enter a number from 1 to 55 (the response is published within 56 days)")])


class ForceForm(FlaskForm):
    force = SelectField("The force the office oversees", choices=force_choices(), validate_choice=False,
                        validators=[DataRequired(message="Choose the force the office oversees")])
    chief_officer_title = StringField("The chief officer's title", validators=[Optional(), Length(max=200)])


class ReferencesForm(FlaskForm):
    reference_scheme = StringField("Reference scheme", validators=[DataRequired(message="Enter a reference scheme"), Length(max=200)])
    next_number = IntegerField("Next number (optional)", validators=[Optional(), NumberRange(min=1, message="Enter a number of 1 or more")])
    year = IntegerField("Year the next number is for", validators=[Optional(), NumberRange(min=1900, max=9999, message="Enter a year, for example 2026")])


class FolderForm(FlaskForm):
    letters_dir = StringField("Folder for copies of the office's files", validators=[Optional(), Length(max=1000)])


class LineAddForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Enter the line's name, for example welcome"), Length(max=100)],
                       render_kw={"spellcheck": "false", "autocapitalize": "none"})
    text = TextAreaField("Wording", validators=[DataRequired(message="Enter the line's wording"), Length(max=20000)])


class LineEditForm(FlaskForm):
    text = TextAreaField("Wording", validators=[DataRequired(message="Enter the line's wording"), Length(max=20000)])


class LineRetireForm(FlaskForm):
    """Only its CSRF token: the button that retires a standard line."""


class MailTestForm(FlaskForm):
    """Only its CSRF token: the button that sends a test e-mail to the admin."""


class HolderForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Enter the holder's name"), Length(max=200)])
    title = StringField("Title as held (if not the role's own)", validators=[Optional(), Length(max=200)])
    starts = StringField("First day in the role", validators=[DataRequired(message="Enter the first day"), UkDate()])
    ends = StringField("Last day in the role", validators=[Optional(), UkDate()])
    salutation = StringField("Salutation", validators=[Optional(), Length(max=200)])
    address = TextAreaField("Address (one line each)", validators=[Optional(), Length(max=2000)])


class HolderAddForm(HolderForm):
    role = StringField("Role", validators=[DataRequired(message="Enter the role, for example Chief Constable"), Length(max=200)])


class HolderEndForm(FlaskForm):
    ends = StringField("Last day in the role", validators=[DataRequired(message="Enter the last day in the role"), UkDate()])
