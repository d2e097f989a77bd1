"""The library's refusals in the command line's words: each field as the option that sets it, and
each next step as the command to type.

The library refuses with data (records/errors.py): what is wrong, which field by its library
name, and the next step as an intent. Here a field becomes its option (``sent_on`` is ``--date``
on ``corr letter sent``) and an intent the command that does it ("mark it sent with 'corr letter
sent R1 --date DATE' first"). A field with no option of its own (a password typed at a prompt)
is named as the library names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from correspondence.records.database_errors import DatabaseProblem
from correspondence.records.errors import CorrespondenceError, Step

# Each field's option, wherever a command takes it.
OPTIONS: dict[str, str] = {
    "addressee_name": "--addressee",
    "how": "--no-reply-needed",
    "inspection": "--inspection",
    "note": "--note",
    "reference": "--ref",
    "action": "--action",
    "address": "--address",
    "answered_on": "--date",
    "comment": "--comment",
    "comments": "--comments",
    "date_from": "--from",
    "date_to": "--to",
    "db": "--db",
    "due_on": "--due",
    "email": "--email",
    "ends_on": "--until",
    "figure": "N",  # the figure's number, an argument of 'corr figure confirm' and 'corr figure quote'
    "file": "--file",
    "for": "--for",
    "for_name": "--name",
    "ci_half_width": "--ci",
    "chief_officer_title": "--chief-title",
    "denominator": "--denominator",
    "estimate_label": "--estimate-label",
    "estimate_per_year": "--estimate",
    "force": "--force",
    "grade": "--grade",
    "hmicfrs_on": "--hmicfrs-date",
    "host": "--host",
    "kind": "--kind",
    "letter_date": "--date",
    "letters_dir": "--letters",
    "login": "NAME",  # the login name, an argument of 'corr user add'
    "out": "--out",
    "national": "--national",
    "name": "--name",
    "national_average": "--national-average",
    "next_number": "--next-number",
    "no_action": "--no-action",
    "number": "--number",
    "numerator": "--numerator",
    "office": "--office",
    "overall_grade": "--grade",
    "owner": "owner",
    "password": "password",  # typed at a prompt (or --password-stdin): named as it is
    "pdf": "--pdf",
    "position": "--position",
    "short_name": "--short",
    "phrase": "--phrase",
    "programme": "--programme",
    "question": "--question",
    "rate": "--rate",
    "quoted": "N",  # the figure chosen ('corr figure quote INSPECTION N')
    "publication_date": "--date",
    "published_on": "--published",
    "received_on": "--date",
    "reply_by": "--reply-by",
    "reply_by_days": "--reply-by-days",
    "sender": "--from",
    "sent_on": "--date",
    "source_url": "--source-url",
    "starts_on": "--from",
    "status": "status",
    "subject": "--subject",
    "text": "--text",
    "title": "--title",
    "url": "--url",
    "why": "--why",
    "year": "--year",
}

def _role_holder(subject: Mapping[str, Any]) -> str:
    words = "add one with 'corr role add'"
    if subject.get("example") and subject.get("office"):
        words += f" (e.g. corr role add \"{subject['role']}\" NAME --from DATE --office {subject['office']})"
    return words


def _create(subject: Mapping[str, Any], what: str) -> str:
    return f"create {what} with 'corr init{' --db ' + subject['db'] if subject.get('db') else ''}'"


# Each next step as the command that takes it; a template is filled from the step's subject.
STEPS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "add_force": "add it with 'corr force add'",
    "add_line": "add one with 'corr line add'",
    "add_role_holder": _role_holder,
    "add_user": "an admin adds them with 'corr user add'",
    "answer_recommendations": "add the office's answer ('corr answer add {finding} --text ...') or the force's update "
                              "('corr update add'), or draft with --allow-missing to mark them as awaiting",
    "answer_chief_officer": "give --comments FILE with the response under a '{heading}' heading",
    "change_line": "change it with 'corr line set'",
    "change_user": "change them with 'corr user set'",
    "chase": "chase with 'corr chase {inspection}'",
    "check_template": "run 'corr template check {template}'",
    "choose_database": "choose another with --db, CORR_DATABASE_URL or 'corr config set db ...'",
    "choose_letter": "give --office or #ID",
    "comments_in_letters": "use them in 'draft response' or 'draft followup'",
    "confirm_date": "add --confirm-date if the date is right",
    "correct_inspection": "correct it with 'corr inspection set {inspection}' instead",
    "correct_finding": "correct it with 'corr finding set {inspection}:{finding} --text ... --why ...' instead",
    "create_database": lambda subject: _create(subject, "it"),
    "create_records": lambda subject: _create(subject, "them"),
    "draft_response": "draft it with 'corr draft response {inspection} --office {office}'",
    "find_letter": "see 'corr letter list'",
    "give": lambda subject: f"give it with {OPTIONS.get(subject['field'], subject['field'])}",
    "give_email_or_no_morning_email": "give one with --email, or --no-morning-email",
    "give_own_email": "give one with 'corr user set NAME --email ADDRESS'",
    "give_end_of_term": "give the day {holder}'s term ended with --until",
    "install_libreoffice": "install LibreOffice (e.g. apt-get install libreoffice-writer)",
    "install_libreoffice_or_no_pdf": "install LibreOffice (e.g. apt-get install libreoffice-writer) or leave out --pdf",
    "invite_first": "do that first with 'corr invite {inspection} --office {office}'",
    "list_inspections": "see 'corr inspection list'",
    "list_lines": "see 'corr line list --office {office}'",
    "list_meetings": "see 'corr meeting list'",
    "list_offices": "see 'corr office list'",
    "list_updates": "see 'corr update list'",
    "mark_sent_first": "mark it sent with 'corr letter sent {letter} --date DATE' first",
    "name_chief_officer": "name the chief officer with --to ROLE or --addressee NAME",
    "name_force": "give the force with --force",
    "give_report_values": lambda subject: "give " + " and ".join(f"--{name}" for name in subject["missing"].split()),
    "new_version_first": "add a new version with 'corr letter version add {letter} FILE --why ...' (or draft it again), then submit that",
    "or_name_addressee": "name the addressee with --addressee",
    "or_name_chief_officer": "name the addressee with --addressee",
    "or_no_action": "(or use --no-action --why ...)",
    "other_database": "use another database with --db",
    "other_force": "pass --other-force if you mean to write about another force's inspection",
    "publish_once_sent": "publish it once 'corr letter sent {letter}' has recorded it sent",
    "record_later_updates": "later updates go in with 'corr annex import'",
    "restart_numbering": "restart it with 'corr office set --next-number'",
    "restore_into_empty_folder": "restore into an empty letters folder with --letters DIR",
    "say_national": "pass --national if it is a national or thematic report on no single force",
    "send_or_delete_draft": "send it with 'corr letter sent {letter}', or withdraw the draft with 'corr letter withdraw {letter} --why ...'",
    "set_mail": "set them with 'corr mail set --office {office}'",
    "set_office_address": "an address for all time is the office's own (corr office set --address)",
    "store_matched_rows": "correct them, or pass --partial to store the comments and the {matched} matched row(s)",
    "submit_first": "submit it first with 'corr letter submit {letter}'",
    "supersede": "correct it with 'corr letter supersede {letter}'",
    "upgrade_tool": "upgrade correspondence here to the version the others use (see Upgrading in the documentation)",
    "use_database_file": "use it as it is with --db {path}, or 'corr backup NEW.zip --db {path}' to make a backup of it",
}


def option_for(field: str) -> str:
    """The option that sets ``field`` (a field the CLI names itself, "--today", as it is). One
    field is one option on every command that takes it: the library names fields so that it is."""
    return OPTIONS.get(field, field)


def step_words(step: Step) -> str:
    words = STEPS[step.action]
    return words(step.subject) if callable(words) else words.format(**step.subject)


def said(error: CorrespondenceError) -> str:
    """``error`` as the command line says it: one line, naming the option to change and the
    command to run next. A database that is busy or cannot be opened is named: the user chose it
    (--db, CORR_DATABASE_URL or corr.toml), so it is theirs to see (records/database_errors.py)."""
    if isinstance(error, DatabaseProblem):
        return error.naming_database
    return error.worded(option_for, step_words)
