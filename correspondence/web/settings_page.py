"""The Settings page: every setting of the office, each section a form of its own that an admin
sends (with an error summary and what was typed kept), written through the library, so the event
log records who changed what; everyone else sees the values. At the bottom, the latest changes.

Its routes join the admin blueprint (admin.settings...)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from correspondence.drafting.office_templates import (
    KIND_TITLES,
    check_kind,
    list_templates,
    office_template,
    remove_template,
    template_bytes,
)
from correspondence.drafting.rendering import shipped_template
from correspondence.examples.template_check import checked_template, keep_template
from correspondence.organisation import offices, standard_lines
from correspondence.organisation.reference_schemes import numbered_per_year
from correspondence.organisation.settings_log import settings_changes
from correspondence.process.mail import send_test
from correspondence.process.reminders import mail_settings, set_mail_settings
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import StandardLine, User
from correspondence.records.vocabulary import UserRole
from correspondence.register import references
from correspondence.web.admin import blueprint
from correspondence.web.forms import MailForm, RemoveTemplateForm, TemplateForm
from correspondence.web.security import office, permit, reading, transaction
from correspondence.web.settings_forms import (
    FORCE_HINT,
    SCHEME_HINT,
    ApprovalForm,
    FolderForm,
    ForceForm,
    LineAddForm,
    LineEditForm,
    LineRetireForm,
    MailTestForm,
    OfficeDetailsForm,
    ReferencesForm,
    ReplyByForm,
    force_choices,
    put_problem,
)
from correspondence.web.wording import said

LABELS = {
    "name": "Office's full name", "address": "Postal address", "signatory_name": "Who signs the letters",
    "signatory_title": "Their title", "date_format": "How letters write dates", "letterhead": "Letterhead lines",
    "reply_by_days": "Days after the report's publication", "require_approval": "Second-person approval",
    "letters_dir": "Folder for copies of the office's files", "reference_scheme": "Reference scheme",
    "next_number": "Next number", "year": "Year the next number is for", "force": "The force the office oversees",
    "chief_officer_title": "The chief officer's title", "text": "Wording", "host": "SMTP server", "sender": "Send from",
    "port": "Port", "email": "Your e-mail address",
}
SECTIONS = (("office", "The office"), ("approval", "Approval before sending"), ("reply-by", "The chief officer's comments"),
            ("force", "The force"), ("references", "References"), ("folder", "A folder for copies"),
            ("lines", "Standard lines"), ("holders", "Role holders"), ("templates", "Letter templates"),
            ("mail", "Mail"), ("changes", "Changes to settings"))


def _bare(problem: CorrespondenceError) -> str:
    """A refusal to put beside its own field: the field not named again."""
    return said(problem, {**LABELS, problem.field or "": ""})


def _lines(value: str | None) -> str | None:
    if value is None:
        return None
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


@blueprint.route("/settings", methods=["GET"])
@login_required
def settings(forms: dict[str, Any] | None = None, status: int = 200, error: str = "") -> Any:
    forms = dict(forms or {})
    with reading() as db:
        permit(db, UserRole.VIEWER)
        ours = office(db)
        mail = mail_settings(db, ours)
        force = ours.force
        lines = standard_lines.list_lines(db, ours, retired=True)
        defaults: dict[str, Any] = {
            "office": lambda: OfficeDetailsForm(prefix="office", data={
                "name": ours.name, "address": ours.address, "signatory_name": ours.signatory_name,
                "signatory_title": ours.signatory_title, "date_format": ours.date_format, "letterhead": ours.letterhead}),
            "approval": lambda: ApprovalForm(prefix="approval", data={"require_approval": ours.require_approval}),
            "reply_by": lambda: ReplyByForm(prefix="reply", data={"reply_by_days": ours.reply_by_days}),
            "force": lambda: ForceForm(prefix="force", data={"force": force.name if force else "",
                                                             "chief_officer_title": force.chief_officer_title if force else ""}),
            "references": lambda: ReferencesForm(prefix="refs", data={"reference_scheme": ours.reference_scheme}),
            "folder": lambda: FolderForm(prefix="folder", data={"letters_dir": ours.letters_dir or ""}),
            "line_add": lambda: LineAddForm(prefix="line"),
            "mail": lambda: MailForm(prefix="mail", data={
                "host": mail.host, "port": mail.port, "security": mail.security, "username": mail.username, "sender": mail.sender,
            } if mail else {"port": 25, "security": "none"}),
            "template": lambda: TemplateForm(prefix="template"),
        }
        for name, make in defaults.items():
            if name not in forms:
                forms[name] = make()
        forms["force"].force.choices = force_choices([force.name] if force else [])
        line_forms = {line.id: forms.get(f"line-{line.id}") or LineEditForm(prefix=f"line-{line.id}", data={"text": line.text})
                      for line in lines if line.retired_on is None}
        today = dt.date.today()
        next_reference = references.preview(db, ours, on=today, author="")
        admin_email = None
        if current_user.can("admin"):
            admin_email = db.get(User, current_user.id).email
        return render_template(
            "settings.html", office=ours, force=force, forms=forms, line_forms=line_forms, lines=lines, mail=mail,
            templates=list_templates(db, ours), kind_titles=KIND_TITLES, remove_form=RemoveTemplateForm(),
            retire_form=LineRetireForm(), test_form=MailTestForm(prefix="test"), changes=settings_changes(db, ours),
            next_reference=next_reference, per_year=numbered_per_year(ours.reference_scheme), this_year=today.year,
            sections=SECTIONS, scheme_hint=SCHEME_HINT, force_hint=FORCE_HINT, placeholders=standard_lines.PLACEHOLDERS,
            admin_email=admin_email, error=error,
        ), status


def _admin_post(form: FlaskForm) -> bool:
    """Checks the user may change settings (403 if not) and whether the form's own checks pass."""
    with reading() as db:
        permit(db, UserRole.ADMIN)
    return form.validate_on_submit()


def _done(message: str, anchor: str) -> Any:
    flash(message, "success")
    return redirect(url_for("admin.settings", _anchor=f"{anchor}-heading"))


@blueprint.route("/settings/office", methods=["POST"])
@login_required
def settings_office() -> Any:
    form = OfficeDetailsForm(prefix="office")
    if not _admin_post(form):
        return settings({"office": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            changed = offices.update_office(db, office(db), **{name: _lines(getattr(form, name).data) for name in (
                "name", "address", "signatory_name", "signatory_title", "date_format", "letterhead")})
    except CorrespondenceError as problem:
        put_problem(form, problem.field, _bare(problem), "name")
        return settings({"office": form}, 422)
    words = [LABELS.get(name, name).lower() if name not in ("name",) else "the office's full name" for name in changed]
    return _done(f"Changed {', '.join(words)}." if changed else "Nothing to change.", "office")


@blueprint.route("/settings/approval", methods=["POST"])
@login_required
def settings_approval() -> Any:
    form = ApprovalForm(prefix="approval")
    if not _admin_post(form):
        return settings({"approval": form}, 422)
    wanted = bool(form.require_approval.data)
    with reading() as db:
        now_on = office(db).require_approval
    if now_on and not wanted and not form.confirm_off.data:  # turning it off: asked once more, the GOV.UK way
        form.confirm_off.errors = ["Tick the box to confirm that letters may be sent without a second person's approval"]
        return settings({"approval": form}, 422)
    with transaction() as db:
        permit(db, UserRole.ADMIN)
        changed = offices.update_office(db, office(db), require_approval=wanted)
    if not changed:
        return _done("Nothing to change.", "approval")
    return _done("Second-person approval is on: every letter is approved by a second person before it is sent." if wanted else
                 "Second-person approval is off: letters can be marked sent without anyone else's approval.", "approval")


@blueprint.route("/settings/reply-by", methods=["POST"])
@login_required
def settings_reply_by() -> Any:
    form = ReplyByForm(prefix="reply")
    if not _admin_post(form):
        return settings({"reply_by": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            changed = offices.update_office(db, office(db), reply_by_days=form.reply_by_days.data)
    except CorrespondenceError as problem:
        put_problem(form, "reply_by_days", _bare(problem), "reply_by_days")
        return settings({"reply_by": form}, 422)
    days = form.reply_by_days.data
    return _done(f"Invitations now ask for the chief officer's comments {days} day{'s' if days != 1 else ''} after the report's "
                 "publication." if changed else "Nothing to change.", "reply-by")


@blueprint.route("/settings/force", methods=["POST"])
@login_required
def settings_force() -> Any:
    form = ForceForm(prefix="force")
    if not _admin_post(form):
        return settings({"force": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            ours = office(db)
            force = offices.get_or_add_force(db, form.force.data)
            changed = ["force"] if offices.set_force(db, ours, force.name) else []
            if offices.set_chief_officer_title(db, force, form.chief_officer_title.data):
                changed.append("title")
            title, name = force.chief_officer_title, force.name
    except CorrespondenceError as problem:
        put_problem(form, problem.field, _bare(problem), "force")
        return settings({"force": form}, 422)
    if not changed:
        return _done("Nothing to change.", "force")
    return _done(f"The office oversees {name}; its chief officer is the {title}.", "force")


@blueprint.route("/settings/references", methods=["POST"])
@login_required
def settings_references() -> Any:
    form = ReferencesForm(prefix="refs")
    if not _admin_post(form):
        return settings({"references": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            ours = office(db)
            changed = offices.update_office(db, ours, reference_scheme=form.reference_scheme.data)
            if form.next_number.data is not None:
                year = form.year.data
                if year is None and numbered_per_year(ours.reference_scheme):
                    year = dt.date.today().year
                if not numbered_per_year(ours.reference_scheme):
                    year = None
                references.set_next_number(db, ours, form.next_number.data, year)
                changed.append("next number")
            elif form.year.data is not None:
                form.year.errors = ["Give the next number the year is for, or leave the year empty"]
                return settings({"references": form}, 422)
            next_reference = references.preview(db, ours, on=dt.date.today(), author="")
    except CorrespondenceError as problem:
        put_problem(form, problem.field, _bare(problem), "reference_scheme")
        return settings({"references": form}, 422)
    return _done(f"Saved. The next letter dated today takes {next_reference}." if changed else "Nothing to change.", "references")


@blueprint.route("/settings/folder", methods=["POST"])
@login_required
def settings_folder() -> Any:
    form = FolderForm(prefix="folder")
    if not _admin_post(form):
        return settings({"folder": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            ours = office(db)
            changed = offices.update_office(db, ours, letters_dir=form.letters_dir.data or "")
            folder = ours.letters_dir
    except CorrespondenceError as problem:
        put_problem(form, "letters_dir", _bare(problem), "letters_dir")
        return settings({"folder": form}, 422)
    if not changed:
        return _done("Nothing to change.", "folder")
    return _done(f"Each new file is also copied to {folder}." if folder else "Files are no longer copied to a folder; the store "
                 "keeps them all.", "folder")


@blueprint.route("/settings/lines", methods=["POST"])
@login_required
def settings_line_add() -> Any:
    form = LineAddForm(prefix="line")
    if not _admin_post(form):
        return settings({"line_add": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            name = standard_lines.add_line(db, office(db), form.name.data, form.text.data).name
    except CorrespondenceError as problem:
        put_problem(form, problem.field if problem.field == "text" else ("text" if "placeholder" in problem.refusal else "name"),
                    _bare(problem), "name")
        return settings({"line_add": form}, 422)
    return _done(f"Added the standard line [[{name}]].", "lines")


@blueprint.route("/settings/lines/<int:line_id>", methods=["POST"])
@login_required
def settings_line_edit(line_id: int) -> Any:
    form = LineEditForm(prefix=f"line-{line_id}")
    valid = _admin_post(form)
    with reading() as db:
        line = _line(db, line_id)
    if not valid:
        return settings({f"line-{line_id}": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            name = standard_lines.set_line(db, office(db), line.name, form.text.data).name
    except CorrespondenceError as problem:
        put_problem(form, "text", _bare(problem), "text")
        return settings({f"line-{line_id}": form}, 422)
    return _done(f"Changed the wording of [[{name}]]. Letters already drafted keep theirs.", "lines")


@blueprint.route("/settings/lines/<int:line_id>/retire", methods=["POST"])
@login_required
def settings_line_retire(line_id: int) -> Any:
    form = LineRetireForm()
    valid = _admin_post(form)
    with reading() as db:
        line = _line(db, line_id)
    if valid:
        try:
            with transaction() as db:
                permit(db, UserRole.ADMIN)
                name = standard_lines.retire_line(db, office(db), line.name, dt.date.today()).name
        except CorrespondenceError as problem:
            flash(said(problem), "error")
            return redirect(url_for("admin.settings", _anchor="lines-heading"))
        return _done(f"Retired the standard line [[{name}]]: it is no longer offered, and a draft that includes it is refused.",
                     "lines")
    return redirect(url_for("admin.settings", _anchor="lines-heading"))


def _line(db: Any, line_id: int) -> Any:
    """One of the office's standard lines by its number; another office's, or none, is not found."""
    line = db.get(StandardLine, line_id)
    if line is None or line.office_id != office(db).id:
        abort(404)
    return line


@blueprint.route("/settings/mail", methods=["POST"])
@login_required
def settings_mail() -> Any:
    form = MailForm(prefix="mail")
    if not _admin_post(form):
        return settings({"mail": form}, 422)
    try:
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            set_mail_settings(db, office(db), host=form.host.data, port=form.port.data, sender=form.sender.data,
                              security=form.security.data, username=form.username.data or "")
    except CorrespondenceError as problem:
        put_problem(form, problem.field or ("port" if "port" in problem.refusal else "security" if "security" in problem.refusal else None),
                    _bare(problem), "host")
        return settings({"mail": form}, 422)
    return _done("Mail settings saved. Send a test e-mail to check them.", "mail")


@blueprint.route("/settings/mail/test", methods=["POST"])
@login_required
def settings_mail_test() -> Any:
    form = MailTestForm(prefix="test")
    if not _admin_post(form):
        return redirect(url_for("admin.settings", _anchor="mail-heading"))
    with reading() as db:
        ours = office(db)
        mail = mail_settings(db, ours)
        me = db.get(User, current_user.id)
        email, name = me.email, me.display_name
    if mail is None:
        return settings(status=422, error="There are no mail settings to test yet: save them first.")
    try:
        sent_to = send_test(mail, ours, email, name)  # no transaction open while the mail server is talked to
    except CorrespondenceError as problem:
        return settings(status=422, error=said(problem, {**LABELS, "email": "E-mail address"}))
    return _done(f"A test e-mail was sent to {sent_to} through {mail.host}. If it has not arrived in a few minutes, look in "
                 "your junk mail, then ask whoever runs the mail server.", "mail")


@blueprint.route("/settings/templates", methods=["POST"])
@login_required
def settings_templates() -> Any:
    form = TemplateForm(prefix="template")
    if not _admin_post(form):
        return settings({"template": form}, 422)
    upload = form.template.data
    data = upload.read()
    try:
        checked = checked_template(form.kind.data, upload.filename or "template.docx", data)  # before the transaction: filling it in holds no lock
        with transaction() as db:
            permit(db, UserRole.ADMIN)
            kept = keep_template(db, office(db), checked, dt.date.today())
            label = f"{kept.file_name} is now the office's {KIND_TITLES[kept.kind].lower()} template"
    except CorrespondenceError as problem:
        put_problem(form, "template", said(problem, {**LABELS, problem.field or "": ""}, capital=False), "template")  # it starts with the file's name
        return settings({"template": form}, 422)
    return _done(f"{label}. It was checked by drafting the example letter with it, and nothing failed.", "templates")


@blueprint.route("/settings/templates/remove", methods=["POST"])
@login_required
def settings_template_remove() -> Any:
    form = RemoveTemplateForm()
    if _admin_post(form):
        try:
            with transaction() as db:
                permit(db, UserRole.ADMIN)
                remove_template(db, office(db), form.kind.data)
            flash("The office's own template is removed; drafts use the shipped one again.", "success")
        except CorrespondenceError as problem:
            flash(said(problem), "error")
    return redirect(url_for("admin.settings", _anchor="templates-heading"))


@blueprint.route("/settings/templates/<kind>.docx")
@login_required
def settings_template_download(kind: str) -> Any:
    """The template drafts of this kind use now (the office's own, or the shipped one), to edit in Word."""
    try:
        kind = check_kind(kind)
    except CorrespondenceError:
        return redirect(url_for("admin.settings"))
    with reading() as db:
        permit(db, UserRole.VIEWER)
        ours = office(db)
        own = office_template(db, ours, kind)
        data = template_bytes(own) if own else shipped_template(kind).read_bytes()
        name = own.file_name if own else shipped_template(kind).name
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, max_age=0,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

