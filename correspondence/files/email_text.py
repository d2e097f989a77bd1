"""The text of an e-mail saved as a file (.eml), as a person reads it: its From, To, Date and Subject
lines, its text (the plain part, else the HTML part as text) and the names of its attachments, never
its MIME source (base64 and boundaries). Read with the standard library's ``email`` package; for what
an e-mail says as a letter, see importers/email_letter.py."""

from __future__ import annotations

import email
import email.policy

from correspondence.files.html_text import html_to_text
from correspondence.records.errors import InvalidInput


def email_text(content: bytes, shown: str) -> str:
    try:
        message = email.message_from_bytes(content, policy=email.policy.default)
        lines = [f"{header}: {' '.join(str(message[header]).split())}" for header in ("From", "To", "Date", "Subject")
                 if message.get(header)]
        body = message.get_body(preferencelist=("plain", "html"))
        text = ""
        if body is not None:
            text = body.get_content()
            text = html_to_text(text) if body.get_content_type() == "text/html" else text
        names = [part.get_filename() or "an attachment without a name" for part in message.iter_attachments()]
    except (RecursionError, LookupError, ValueError, TypeError, AttributeError, IndexError):
        raise InvalidInput(f"{shown}: cannot be read as an e-mail") from None
    attached = [f"Attachments: {'; '.join(names)}"] if names else []
    return "\n".join([*lines, "", text, *attached])
