"""The workspace's forms (Flask-WTF: each carries its CSRF token), with messages a user can act on.

Dates are typed as people write them ("7 September 2018", "07/09/2018") and read by the same
parser the CLI uses; the library checks everything else when the form's values reach it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from correspondence.drafting.office_templates import KIND_TITLES
from correspondence.records.errors import CorrespondenceError
from correspondence.records.vocabulary import ActionStatus, UpdateStatus, UserRole

DATE_HINT = "For example, 7 September 2018 or 07/09/2018"

try:
    from wtforms.fields.choices import SelectChoice as _SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) pairs
    _SelectChoice = None


def choice(value: str, label: str) -> Any:
    """One option of a select field, in the form this WTForms takes."""
    return _SelectChoice(value, label) if _SelectChoice else (value, label)


class UkDate:
    """A date in any common UK form; an empty field is left to Optional/DataRequired."""

    def __call__(self, form: Any, field: Any) -> None:
        if not (field.data or "").strip():
            return
        from correspondence.records.dates import parse_date

        try:
            parse_date(field.data, field=None)
        except CorrespondenceError as error:
            raise ValidationError(str(error)) from None


def date_value(field: Any, default: dt.date | None = None) -> dt.date | None:
    from correspondence.records.dates import parse_date

    text = (field.data or "").strip()
    return parse_date(text) if text else default



def _choices(vocabulary: Any) -> list[tuple[str, str]]:
    return [choice(member.value, member.value.capitalize()) for member in vocabulary]


class UpdateForm(FlaskForm):
    area = SelectField("Finding", choices=[], validate_choice=False, validators=[DataRequired(message="Choose the finding")])
    status = SelectField("Status", choices=_choices(UpdateStatus))
    received = StringField("Date the force gave it", validators=[Optional(), UkDate()])
    text = TextAreaField("What the force says it has done", validators=[DataRequired(message="Enter the force's update"), Length(max=20000)])


FINDING_FOR_CHOICES = [("force", "The force"), ("office", "The office itself"), ("Home Office", "The Home Office"),
                       ("College of Policing", "The College of Policing"), ("NPCC", "The NPCC"), ("other", "Another body (name it below)")]


class FindingForForm(FlaskForm):
    """Whom a finding is for (tracking.finding_for): the force, the office, or another body."""
    area = SelectField("Finding", choices=[], validate_choice=False, validators=[DataRequired(message="Choose the finding")])
    for_whom = SelectField("Whom it is for", choices=[choice(*pair) for pair in FINDING_FOR_CHOICES], validate_choice=False)
    for_name = StringField("The other body's name", validators=[Optional(), Length(max=200)])


class DraftForm(FlaskForm):
    kind = SelectField("Letter", choices=[choice("response", "s.55 response to the Home Secretary, with Annex A"),
                                         choice("annex", "The findings table on its own (annex)")])
    letter_date = StringField("Letter's date", validators=[Optional(), UkDate()])
    comments = TextAreaField("The office's own paragraphs (s.55 response only)", validators=[Optional(), Length(max=200_000)])
    allow_missing = BooleanField("Draft even if a recommendation has neither an update nor our answer (the annex marks it as awaiting one)")
    confirm_date = BooleanField("Yes, this date is right")  # shown once a date looks like a slip (register/date_checks.py)


class AnswerForm(FlaskForm):
    area = SelectField("Finding answered", choices=[], validate_choice=False, validators=[DataRequired(message="Choose the finding")])
    text = TextAreaField("What the office has done or will do", validators=[Optional(), Length(max=20000)])
    no_action = BooleanField("The office will take no action on it")
    why = TextAreaField("Why no action will be taken", validators=[Optional(), Length(max=20000)])
    answered = StringField("Date the office decided it", validators=[Optional(), UkDate()])


class RetractForm(FlaskForm):
    why = StringField("Why it is withdrawn", validators=[DataRequired(message="Say why the update is withdrawn"), Length(max=2000)])


class InviteForm(FlaskForm):
    letter_date = StringField("Invitation's date", validators=[Optional(), UkDate()])
    reply_by = StringField("Comments asked for by", validators=[Optional(), UkDate()])
    addressee = StringField("Chief officer's name, if no holder of the role is recorded for the date", validators=[Optional(), Length(max=200)])
    confirm_date = BooleanField("Yes, this date is right")  # shown once a date looks like a slip (register/date_checks.py)


class ChaseForm(FlaskForm):
    letter_date = StringField("Reminder's date", validators=[Optional(), UkDate()])
    reply_by = StringField("New date to ask for the comments by (optional)", validators=[Optional(), UkDate()])
    confirm_date = BooleanField("Yes, this date is right")  # shown once a date looks like a slip (register/date_checks.py)


class CommentsForm(FlaskForm):
    reply = FileField("The chief officer's reply", validators=[FileRequired(message="Choose the reply's file")])
    received = StringField("Date of the reply", validators=[DataRequired(message="Enter the date of the reply"), UkDate()])
    reference = StringField("Their reference (optional)", validators=[Optional(), Length(max=200)])
    partial = BooleanField("Store it even if some rows of its findings table cannot be matched (the matched rows are stored)")


class PublishForm(FlaskForm):
    published_on = StringField("Date it is published", validators=[DataRequired(message="Enter the date it is published"), UkDate()])
    url = StringField("Where it is published (web address, optional)", validators=[Optional(), Length(max=1000)])


class CorrectForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(message="Enter the report's title"), Length(max=1000)])
    programme = StringField("Programme", validators=[DataRequired(message="Enter the programme"), Length(max=200)])
    published = StringField("Published", validators=[DataRequired(message="Enter the publication date"), UkDate()])
    source_url = StringField("Link to the report (optional)", validators=[Optional(), Length(max=1000)])
    grade = SelectField("Overall grade", choices=[])


class DeleteForm(FlaskForm):
    confirm = BooleanField("Yes, delete this inspection with its findings and the force's updates",
                           validators=[DataRequired(message="Tick the box to confirm")])


class FollowupForm(FlaskForm):
    letter_date = StringField("Letter's date", validators=[Optional(), UkDate()])
    confirm_date = BooleanField("Yes, this date is right")  # shown once a date looks like a slip (register/date_checks.py)


class SentForm(FlaskForm):
    sent_on = StringField("Date it was sent", validators=[Optional(), UkDate()])
    hmicfrs_on = StringField("Date HMICFRS's copy went", validators=[Optional(), UkDate()])


class SubmitForm(FlaskForm):
    """Submitting a draft for approval: nothing to fill in but the CSRF token."""


class ApproveForm(FlaskForm):
    sha256 = HiddenField("The file approved", validators=[DataRequired(), Length(min=64, max=64)])


class UploadForm(FlaskForm):
    report = FileField("HMICFRS report", validators=[FileRequired(message="Choose the report's file")])


class MeetingForm(FlaskForm):
    title = StringField("Meeting", validators=[DataRequired(message="Enter the meeting's name"), Length(max=500)])
    held_on = StringField("Date it was held", validators=[DataRequired(message="Enter the date it was held"), UkDate()])
    themes = TextAreaField("Themes (one a line)", validators=[Optional(), Length(max=20000)])
    correspondence_issues = TextAreaField("Issues to be answered by correspondence (one a line)", validators=[Optional(), Length(max=20000)])
    other_issues = TextAreaField("Issues for other meetings (one a line)", validators=[Optional(), Length(max=20000)])


class ActionStatusForm(FlaskForm):
    status = SelectField("Status", choices=_choices(ActionStatus))
    due = StringField("Due date", validators=[Optional(), UkDate()])


class ActionAddForm(FlaskForm):
    action = TextAreaField("Action", validators=[DataRequired(message="Enter what is to be done"), Length(max=5000)])
    timing = StringField("Timing, as the annex says it", validators=[Optional(), Length(max=200)])
    lead = StringField("Lead", validators=[Optional(), Length(max=200)])
    due = StringField("Due date", validators=[Optional(), UkDate()])


class RoleForm(FlaskForm):
    role = StringField("Role", validators=[DataRequired(message="Enter the role, for example Chief Constable"), Length(max=200)])
    name = StringField("Name", validators=[DataRequired(message="Enter the holder's name"), Length(max=200)])
    starts = StringField("First day in the role", validators=[DataRequired(message="Enter the first day"), UkDate()])
    ends = StringField("Last day in the role (if it has ended)", validators=[Optional(), UkDate()])
    salutation = StringField("Salutation, for example Dear Steve", validators=[Optional(), Length(max=200)])
    address = TextAreaField("Address (one line each)", validators=[Optional(), Length(max=2000)])


class OfficeForm(FlaskForm):
    name = StringField("Office's full name", validators=[DataRequired(message="Enter the office's name"), Length(max=200)])
    address = TextAreaField("Postal address (one line each)", validators=[Optional(), Length(max=2000)])
    signatory_name = StringField("Who signs the letters", validators=[Optional(), Length(max=200)])
    signatory_title = StringField("Their title", validators=[Optional(), Length(max=200)])
    reference_scheme = StringField("Reference scheme", validators=[DataRequired(message="Enter a reference scheme"), Length(max=200)])
    date_format = StringField("How letters write dates", validators=[DataRequired(message="Enter a date format"), Length(max=50)])
    letterhead = TextAreaField("Letterhead lines (phone, e-mail, web; one line each)", validators=[Optional(), Length(max=2000)])


class MailForm(FlaskForm):
    host = StringField("SMTP server", validators=[DataRequired(message="Enter the mail server's name"), Length(max=200)])
    port = IntegerField("Port", validators=[DataRequired(message="Enter the port, usually 25, 587 or 465"), NumberRange(min=1, max=65535)])
    security = SelectField("Security", choices=[choice("none", "None (a relay inside the office network)"), choice("starttls", "STARTTLS"), choice("ssl", "SSL/TLS")])
    username = StringField("User name, if the server needs one (the password is set on the server as CORR_SMTP_PASSWORD)", validators=[Optional(), Length(max=200)])
    sender = EmailField("Send from", validators=[DataRequired(message="Enter the address reminders come from"), Length(max=320)])


class TemplateForm(FlaskForm):
    kind = SelectField("Kind of letter", choices=[choice(kind, title) for kind, title in KIND_TITLES.items()])
    template = FileField("Word template (.docx)", validators=[FileRequired(message="Choose the .docx file")])


class RemoveTemplateForm(FlaskForm):
    kind = StringField("Kind", validators=[DataRequired()])


class UserAddForm(FlaskForm):
    name = StringField("Login name, for example jsmith", validators=[DataRequired(message="Enter a login name"), Length(max=100)])
    full_name = StringField("Full name", validators=[Optional(), Length(max=200)])
    email = EmailField("E-mail address", validators=[Optional(), Length(max=320)])
    role = SelectField("Role", choices=[choice(role.value, role.value.capitalize()) for role in UserRole])
    password = PasswordField("Password (at least 10 characters; they can change it)", validators=[DataRequired(message="Enter a password")],
                             render_kw={"autocomplete": "new-password"})


class UserSetForm(FlaskForm):
    role = SelectField("Role", choices=[choice(role.value, role.value.capitalize()) for role in UserRole])
    active = BooleanField("Can log in and act")
    password = PasswordField("New password (leave empty to keep it)", validators=[Optional()], render_kw={"autocomplete": "new-password"})


class VersionForm(FlaskForm):
    """A new version of a draft, edited in Word: the file and why it was made."""

    file = FileField("Word file (.docx)", validators=[FileRequired(message="Choose the edited .docx file")])
    why = TextAreaField("What changed", validators=[DataRequired(message="Say what changed in this version"), Length(max=1000)])


class AttachmentForm(FlaskForm):
    """An enclosure sent with one of our letters, or an attachment that came with a letter received."""

    file = FileField("File", validators=[FileRequired(message="Choose the file")])
    why = StringField("What it is", validators=[DataRequired(message="Say what the file is"), Length(max=1000)])


class ReturnForm(FlaskForm):
    """Returning a submitted letter to its drafter: the comments are required (clearance.return_to_drafter)."""

    comment = TextAreaField("Comments for the drafter", validators=[DataRequired(message="Enter your comments for the drafter"),
                                                                   Length(max=20000)])
