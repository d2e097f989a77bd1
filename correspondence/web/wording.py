"""The library's refusals in the workspace's words: each field as its form's label, and each next
step as the page, button or box that takes it.

The library refuses with data (records/errors.py): what is wrong, which field by its library
name, and the next step as an intent. A page says it with the labels of the form that was sent
(each view passes its own, over the defaults here), and a step as a policy officer would take it
in the browser; a step the workspace has no way to take is left unsaid, never worded as a command
to type. The page's error summary links the message to the field it is about (``error.field``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from correspondence.records.errors import CorrespondenceError, Step

# Labels a field has on most forms; each view passes its form's own over these.
LABELS: dict[str, str] = {
    "comment": "Comments for the drafter",
    "email": "E-mail address",
    "ends_on": "Last day",
    "full_name": "Full name",
    "letter_date": "Letter's date",
    "owner": "Owner",
    "password": "Password",
    "starts_on": "First day",
    "text": "Text",
    "why": "Why",
}

StepWords = str | Callable[[Mapping[str, Any], Mapping[str, str]], str] | None

# Each next step as the workspace takes it; None where it has no way to (the step is not said).
STEPS: dict[str, StepWords] = {
    "add_force": None,
    "add_line": "an admin adds one under 'Standard lines' on the Settings page",
    "add_role_holder": "add one on the Role holders page",
    "add_user": "an admin adds them on the Users page",
    "answer_recommendations": "add the office's answer or the force's update under Findings, or tick 'Draft even if a "
                              "recommendation has neither an update nor our answer' to mark them as awaiting",
    "answer_chief_officer": "write the response under a '{heading}' heading in 'The office's own paragraphs'",
    "change_line": None,
    "change_user": "change them in the list of users below",
    "chase": "chase the comments with 'Draft the reminder'",
    "check_template": "upload the template again on the Settings page, which lists every problem, or remove it there",
    "choose_database": None,
    "choose_letter": None,
    "comments_in_letters": "use them in the s.55 response",
    "confirm_date": "tick 'Yes, this date is right' if it is",
    "correct_inspection": "correct its details with 'Save the corrections' instead",
    "correct_finding": "use its Correct link on the inspection's page instead",
    "create_database": None,
    "create_records": None,
    "draft_response": "draft it with 'Draft the letter'",
    "find_letter": "search the Register",
    "give": lambda subject, labels: f"give it under '{labels.get(subject['field'], subject['field'])}'",
    "give_email_or_no_morning_email": "give an e-mail address, or untick the morning e-mail",
    "give_own_email": "add it on the 'Your account' page first",
    "give_end_of_term": "give the day {holder}'s term ended",
    "install_libreoffice": "ask whoever runs the workspace to install LibreOffice",
    "install_libreoffice_or_no_pdf": "ask whoever runs the workspace to install LibreOffice",
    "invite_first": "do that first with 'Draft the invitation', and mark it sent on its letter page",
    "list_inspections": "see the Inspections page",
    "list_lines": None,
    "list_meetings": "see the Meetings page",
    "list_offices": None,
    "list_updates": "they are under 'All updates' in its row of the findings table",
    "mark_sent_first": "mark it sent on its letter page first",
    "name_chief_officer": "give the chief officer's name",
    "name_force": "give it under 'Force inspected'",
    "give_report_values": "fill it in on the preview",
    "new_version_first": "upload a new version of it on its letter page (or draft it again), then submit that",
    "or_name_addressee": None,
    "or_name_chief_officer": "give the chief officer's name",
    "or_no_action": "(or tick 'No action' and say why)",
    "other_database": None,
    "other_force": None,
    "publish_once_sent": "publish it once it is marked sent on its letter page",
    "record_later_updates": "later updates go in with 'Record the update' under Findings",
    "restart_numbering": "an administrator can restart it from the command line",
    "restore_into_empty_folder": None,
    "say_national": "tick 'This is a national or thematic report on no single force' if it is",
    "send_or_delete_draft": "mark it sent on its letter page ({letter}), or withdraw the draft there",
    "set_mail": "an admin sets them under 'Mail for the morning reminders' in Settings",
    "set_office_address": None,
    "store_matched_rows": "correct them, or tick 'Store it even if some rows...' to store the comments and the {matched} "
                          "matched row(s)",
    "submit_first": "submit it first with 'Submit for approval' on this page",
    "supersede": None,  # a correction is started from the command line for now
    "upgrade_tool": "ask whoever runs the workspace to upgrade it",
    "use_database_file": None,
}


def said(error: CorrespondenceError | Exception | str, labels: Mapping[str, str] | None = None, *, capital: bool = True) -> str:
    """The refusal as the page says it: the field it is about as the form's label ("Date it was
    sent: 8 June 2030 is in the future"), other fields it names in quotes, and the next step as the
    workspace takes it; with a capital, unless it goes after words of the page's own."""
    if not isinstance(error, CorrespondenceError):
        message = without_exception_names(str(error))
        return message[:1].upper() + message[1:] if capital else message
    known = {**LABELS, **(labels or {})}
    message = error.worded(
        lambda field: f"'{known[field]}'" if field in known else field.replace("_", " "),
        lambda step: _step_words(step, known),
        lead_field=lambda field: known.get(field),
    )
    for where, label in known.items():  # a file's own names for its parts ("meeting: held_on:")
        if ": " in where:
            message = message.replace(f"{where}:", f"{label}:")
    message = without_exception_names(message)
    return message[:1].upper() + message[1:] if capital else message


# A Python exception's class name in a refusal ("cannot be read as a Word .docx file (PackageNotFoundError)",
# "it is damaged: BadZipFile"): the server's log has it; a page says the sentence without it.
_EXCEPTION = r"(?:[A-Z][a-z0-9]+)+(?:Error|Exception|Warning)|BadZipFile"
_EXCEPTION_IN_BRACKETS = re.compile(rf"\s*\((?:{_EXCEPTION})(?::[^)]*)?\)")
_EXCEPTION_ENDING = re.compile(rf":\s*(?:{_EXCEPTION})(?=$|[;.])")
_EXCEPTION_BEFORE_DETAIL = re.compile(rf"\b(?:{_EXCEPTION}):\s*")


def without_exception_names(message: str) -> str:
    """``message`` with any exception class name taken out (in brackets, with the detail after it)."""
    message = _EXCEPTION_IN_BRACKETS.sub("", message)
    return _EXCEPTION_BEFORE_DETAIL.sub("", _EXCEPTION_ENDING.sub("", message))


def _step_words(step: Step, labels: Mapping[str, str]) -> str | None:
    words = STEPS[step.action]
    if words is None:
        return None
    return words(step.subject, labels) if callable(words) else words.format(**step.subject)


def onto_form(form: Any, error: CorrespondenceError | Exception | str, fields: Mapping[str, str],
              labels: Mapping[str, str] | None = None) -> None:
    """Put the library's refusal on ``form``, so the form's own error summary shows it, linked to
    its field, with every other problem the form had, and the form's panel stays open with what
    was typed: beside the field the refusal is about (``fields`` maps the library's field names to
    the form's), or, when it is about no field of this form, at the top of the form's summary
    (linked to the form's first field)."""
    field_name = fields.get(error.field or "") if isinstance(error, CorrespondenceError) else None
    target = getattr(form, field_name, None) if field_name else None
    if target is not None:
        text = said(type(error)(error.refusal, value=error.value, steps=error.steps, joined=error.joined), labels)
        target.errors = [*target.errors, text]
        return
    form.form_errors = [*form.form_errors, said(error, labels)]
