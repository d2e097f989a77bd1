"""The office's mail server: its settings and a connection to it, for every e-mail the tool sends
(the morning reminders, reminders.py; clearance's notices, clearance_mail.py).

The password, if the server needs one, is never stored: it comes from CORR_SMTP_PASSWORD.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.records.errors import CorrespondenceError, InvalidInput, Step
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
        raise CorrespondenceError(f"cannot send mail through {settings.host}:{settings.port}: {plainly(error, settings)}") from None
    return smtp


def plainly(error: BaseException, settings: MailSettings) -> str:
    """What went wrong talking to the mail server, as an admin can act on it."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return f"the server refused the user name {settings.username} or its password"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        said = "; ".join(f"{address}: {_reply(code, text)}" for address, (code, text) in error.recipients.items())
        return f"the server refused to deliver to {said}"
    if isinstance(error, smtplib.SMTPSenderRefused):
        return f"the server refused to send from {settings.sender}: {_reply(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"the server said {_reply(error.smtp_code, error.smtp_error)}"
    if isinstance(error, ConnectionRefusedError):
        return "nothing answered on that port (check the server's name and port)"
    if isinstance(error, socket.gaierror):
        return f"no server named {settings.host} was found"
    if isinstance(error, (TimeoutError, socket.timeout)):
        return "the server did not answer within 30 seconds"
    if isinstance(error, ssl.SSLError):
        return f"the secure connection failed ({error.reason or error}); check the security setting"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return "the server does not offer STARTTLS; check the security setting"
    return str(error)


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


def send_test(settings: MailSettings, office: Office, to: str | None, name: str) -> str:
    """Send one short message through the office's saved settings to ``to`` (the admin's own
    address), to show they work; the address it went to, or a refusal worded plainly."""
    if not to:
        raise InvalidInput(f"{name} has no e-mail address to send a test to", field="email",
                           steps=[Step("give_own_email", "give your e-mail address first")])
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = f"{office.short_name}: a test of the correspondence workspace's mail settings"
    message.set_content(f"This is a test sent by {name} from the correspondence workspace, through {settings.host}:"
                        f"{settings.port}. The morning e-mails and the notices of letters to approve go the same way.\n")
    smtp = connect(settings)
    try:
        smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise CorrespondenceError(f"the test e-mail to {to} was not sent: {plainly(error, settings)}") from None
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return to
