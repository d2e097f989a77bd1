"""Documents people upload (a report, the chief officer's reply), held in the staging folder under
a random name until they are read: only the types the importers read, no larger than they read,
and never under a name the uploader chose."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import current_app

from correspondence.files.documents import MAX_BYTES
from correspondence.records.errors import InvalidInput

UPLOAD_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".txt"}  # a report, or the chief officer's reply
POST_SUFFIXES = UPLOAD_SUFFIXES | {".eml"}  # the post: a letter, or an e-mail saved from Outlook


def stage_upload(upload: Any, *, called: str, fallback_name: str, suffixes: set[str] = UPLOAD_SUFFIXES) -> tuple[str, str, Path]:
    """Save ``upload`` (a werkzeug FileStorage) to the staging folder: (the name the user knows it by,
    its token, the staged path). A type the importers cannot read, or a file too large, is refused
    with InvalidInput naming the file (``called``: "a report", "a file"), and nothing is left behind."""
    name = Path(upload.filename or fallback_name).name
    suffix = Path(name).suffix.lower()
    if suffix not in suffixes:
        raise InvalidInput(f"{name} is not {called} the tool can read. Upload a PDF, a Word .docx, "
                           f"a saved web page (.html){', an e-mail (.eml)' if '.eml' in suffixes else ''} or a text file. "
                           "Nothing was stored.")
    token = secrets.token_hex(16)
    staged = staging_path(token, suffix)
    upload.save(staged)
    if staged.stat().st_size > MAX_BYTES:
        staged.unlink()
        raise InvalidInput(f"{name} is larger than {MAX_BYTES // 1024 // 1024} MB. Nothing was stored.")
    return name, token, staged


def staging_path(token: str, suffix: str) -> Path:
    """Where an upload with this token waits; a token or suffix that is not one we made is refused."""
    if not token.isalnum() or suffix not in POST_SUFFIXES:
        raise InvalidInput("not an upload")
    return Path(current_app.config["UPLOAD_DIR"]) / f"{token}{suffix}"
