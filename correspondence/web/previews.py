"""Reading a version of a letter in the browser: its page, with the PDF embedded (or the Word file's
plain rendering where there is no LibreOffice), and the PDF itself, inline.

What is shown is the library's (files/preview.py): a .pdf as it is, a .docx as the PDF LibreOffice
made of it, kept once per version. The conversion runs after the reading session that checked the
user may see the letter has closed, so no request holds the database while LibreOffice works.

The approver approves the version they are reading: the preview of a submitted draft's current
version carries the same Approve form as the letter page, with that version's SHA-256, shown only
to whoever clearance.may_approve would let approve it. On this blueprint (the register's)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from flask import abort, make_response, render_template
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from correspondence.files.letter_versions import current_version
from correspondence.files.preview import Preview, preview_of, preview_pdf
from correspondence.files.versions import version_number
from correspondence.process.clearance import clearance_state, may_approve
from correspondence.records.dates import in_the_uk, long_date
from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import FileVersion, Letter, User
from correspondence.records.vocabulary import Direction, LetterStatus
from correspondence.web.forms import ApproveForm
from correspondence.web.register import blueprint
from correspondence.web.security import framed_by_own_pages, reading, record, refuse, store

LARGEST_NUMBER = 2**31 - 1  # a version number no database column holds is simply not found


@blueprint.route("/letters/<letter_id>/versions/<int:number>/preview")
@login_required
def preview(letter_id: str, number: int) -> Any:
    with reading() as db:
        letter, version = _version(db, letter_id, number)
        current = current_version(db, letter)
        is_current = current is not None and current.id == version.id
        clearance = clearance_state(db, letter) if letter.direction is Direction.OUT else None
        user = db.get(User, current_user.id)
        approvable = (is_current and clearance is not None and letter.status is LetterStatus.DRAFT and user is not None
                      and may_approve(db, letter, user))
        page = {
            "letter": letter, "label": letter.label, "version": version, "is_current": is_current,
            "current_number": current.number if current is not None else None,
            "added_by": _who(db, version.added_by), "added_at": _when(version.added_at),
            "clearance": clearance if is_current and letter.status is LetterStatus.DRAFT else None,
            "approve_form": ApproveForm(sha256=version.sha256) if approvable else None,
        }
        version_id = version.id
    shown: Preview = preview_of(store(), version_id)  # no session open while LibreOffice converts
    return render_template("letter_preview.html", shown=shown, document=Markup(shown.html), **page)  # noqa: S704 - safe_html's


@blueprint.route("/letters/<letter_id>/versions/<int:number>/preview.pdf")
@login_required
def preview_file(letter_id: str, number: int) -> Any:
    with reading() as db:
        _letter, version = _version(db, letter_id, number)
        version_id, stem = version.id, version.file_name.rsplit(".", 1)[0] or "version"
    shown = preview_of(store(), version_id)
    if not shown.is_pdf:
        abort(404)  # no PDF of this version (no LibreOffice): its page shows the plain rendering
    with reading() as db:
        try:
            content = preview_pdf(db, shown)
        except CorrespondenceError as error:  # stored bytes that no longer match their SHA-256: logged, never served
            refuse(404, str(error))
    if content is None:
        abort(404)
    response = make_response(content)
    response.mimetype = "application/pdf"
    name = f"{stem}.pdf"
    response.headers["Content-Disposition"] = f"inline; filename=\"{_ascii(name)}\"; filename*=UTF-8''{quote(name)}"
    framed_by_own_pages(response)
    return response


def _version(db: Any, letter_id: str, number: int) -> tuple[Letter, FileVersion]:
    """The letter (if the user may see it: another office's is 404) and its version ``number`` (or 404)."""
    letter = record(db, Letter, letter_id)
    version = version_number(db, letter, number) if 0 < number <= LARGEST_NUMBER else None
    if version is None:
        abort(404)
    return letter, version


def _who(db: Any, name: str) -> str:
    """A user's full name where the store knows them, else the name recorded."""
    full = db.scalar(select(User.full_name).where(User.name == name).limit(1))
    return f"{full} ({name})" if full else name


def _when(moment: dt.datetime | None) -> str:
    """'7 September 2018 at 2:05pm', in the UK."""
    if moment is None:
        return ""
    local = in_the_uk(moment)
    hour = local.hour % 12 or 12
    return f"{long_date(local.date())} at {hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def _ascii(name: str) -> str:
    return "".join(char if char.isascii() and char.isprintable() and char not in '"\\' else "_" for char in name)
