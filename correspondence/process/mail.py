"""The office's mail server: its settings and a connection to it, for every e-mail the tool sends
(the morning reminders, reminders.py; clearance's notices, clearance_mail.py).

The password, if the server needs one, is never stored: it comes from CORR_SMTP_PASSWORD.
"""

from __future__ import annotations

import os
import smtplib
import ssl

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.records.errors import CorrespondenceError
from correspondence.records.models import MailSettings, Office

PASSWORD_VARIABLE = "CORR_SMTP_PASSWORD"


def mail_settings(session: Session, office: Office) -> MailSettings | None:
    return session.scalar(select(MailSettings).where(MailSettings.office_id == office.id))


def connect(settings: MailSettings) -> smtplib.SMTP:
    """A connection to the office's SMTP server, logged in where it needs it; a refusal in one line."""
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=30, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            password = os.environ.get(PASSWORD_VARIABLE)
            if not password:
                smtp.close()
                raise CorrespondenceError(f"the mail server needs a password for {settings.username}: set {PASSWORD_VARIABLE}")
            smtp.login(settings.username, password)
    except (OSError, smtplib.SMTPException) as error:
        raise CorrespondenceError(f"cannot send mail through {settings.host}:{settings.port}: {error}") from None
    return smtp
