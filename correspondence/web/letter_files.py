"""A letter's files from its page: download the current version or any earlier one, upload a new
version edited in Word, and add an enclosure (ours) or an attachment (received).

Every file comes from the store (files/versions.py), checked against its SHA-256 as it is read; the
library decides what may be added (letter_versions.add_version refuses a sent letter, a file that
is not a plain Word document, a missing reason). A refusal about a field is shown against that field
in the form's error summary, with what was typed kept. Routes are on the register's blueprint.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, send_file, url_for
from flask_login import login_required

from correspondence.files.gate import read_upload
from correspondence.files.letter_versions import add_attachment, add_version, attachments_of, letter_versions
from correspondence.files.versions import read_bytes, version_number
from correspondence.records.errors import CorrespondenceError, NotPermitted
from correspondence.records.models import FileVersion, Letter
from correspondence.records.transactions import in_one_transaction
from correspondence.records.vocabulary import UserRole
from correspondence.web.forms import AttachmentForm, VersionForm
from correspondence.web.register import blueprint, show
from correspondence.web.security import reading, record, refuse, store
from correspondence.web.wording import said

MAX_UPLOAD_NAME = 300
FIELDS = {"file": "file", "why": "why"}


@blueprint.route("/letters/<letter_id>/download")
@login_required
def download(letter_id: str) -> Any:
    """The letter's current version."""
    with reading() as db:
        letter = record(db, Letter, letter_id)
        versions = letter_versions(db, letter)
        if not versions:
            refuse(404, f"letter {letter.label} has no file")
        return _send(db, versions[-1])


@blueprint.route("/letters/<letter_id>/versions/<int:number>/download")
@login_required
def download_version(letter_id: str, number: int) -> Any:
    with reading() as db:
        letter = record(db, Letter, letter_id)
        version = version_number(db, letter, number)
        if version is None:
            refuse(404, f"letter {letter.label} has no version {number}")
        return _send(db, version)


@blueprint.route("/letters/<letter_id>/files/<int:file_id>/download")
@login_required
def download_attachment(letter_id: str, file_id: int) -> Any:
    with reading() as db:
        letter = record(db, Letter, letter_id)
        found = next((item for item in attachments_of(db, letter) if item.id == file_id), None)
        if found is None:
            refuse(404, f"letter {letter.label} has no file {file_id}")
        return _send(db, found)


@blueprint.route("/letters/<letter_id>/versions", methods=["POST"])
@login_required
def upload_version(letter_id: str) -> Any:
    """A new version of a draft, edited in Word: stored with who and why; any approval is void."""
    def said_done(version: FileVersion) -> str:
        return (f"Version {version.number} ({version.file_name}) is stored and is now the letter. Any approval given before is "
                "void: submit it for approval again.")

    return _upload(letter_id, VersionForm(prefix="version"), "version_form", add_version, said_done, "versions")


@blueprint.route("/letters/<letter_id>/attachments", methods=["POST"])
@login_required
def upload_attachment(letter_id: str) -> Any:
    """An enclosure sent with one of our drafts, or an attachment that came with a letter received."""
    return _upload(letter_id, AttachmentForm(prefix="attachment"), "attachment_form", add_attachment,
                   lambda stored: f"{stored.file_name} is kept with the letter.", "files")


def _upload(letter_id: str, form: Any, form_name: str, keep: Callable[..., FileVersion], said_done: Callable[[FileVersion], str],
            anchor: str) -> Any:
    """Take the form's file and reason, let the library keep them (or refuse) in one transaction,
    and say what happened: a refusal about the file or the reason against that field, any other at
    the top of the page."""
    with reading() as db:
        record(db, Letter, letter_id, UserRole.DRAFTER)
    if not form.validate_on_submit():
        return show(letter_id, status=422, **{form_name: form})
    upload = form.file.data
    name = (upload.filename or "file").replace("\\", "/").rsplit("/", 1)[-1][:MAX_UPLOAD_NAME]
    content = read_upload(upload, name)  # files/gate.py: at most the largest file taken; the library admits what it is

    def work(db: Any) -> FileVersion:
        letter = record(db, Letter, letter_id, UserRole.DRAFTER)
        return keep(db, letter, content, file_name=name, why=form.why.data or "")

    try:
        stored = in_one_transaction(store(), work)
    except NotPermitted as error:
        return show(letter_id, error=said(error), status=403)
    except CorrespondenceError as error:
        if error.field not in FIELDS:  # about the letter itself (sent meanwhile, say): said at the top of the page
            return show(letter_id, error=said(error), status=422)
        return show(letter_id, status=422, **{form_name: _against_field(form, error)})
    flash(said_done(stored), "success")
    return redirect(url_for("register.show", letter_id=letter_id, _anchor=anchor))


def _against_field(form: Any, error: CorrespondenceError) -> Any:
    """The library's refusal shown against the form's field it is about."""
    field = getattr(form, FIELDS[error.field or ""])
    field.errors = [*field.errors, said(error, {"file": "the file", "why": field.label.text})]
    return form


def _send(db: Any, version: FileVersion) -> Any:
    content = read_bytes(db, version)
    return send_file(io.BytesIO(content), as_attachment=True, download_name=version.file_name, mimetype=version.media_type,
                     max_age=0, etag=version.sha256)
