"""The morning e-mail: each user's own work that is due or overdue, sent through the office's SMTP server.

What is a user's: the s.55 responses they own that are overdue or due within REMIND_WITHIN_DAYS,
and the open findings they own. Only users who asked for it (``morning_email``) and have an
e-mail address get one, and only when something is theirs. The reminders command sends them, for a
scheduled task each morning. The mail server and its settings are mail.py's.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.process.due import Due, due_responses
from correspondence.process.mail import connect, mail_settings
from correspondence.records.dates import long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput, Step
from correspondence.records.models import MailSettings, Office, User
from correspondence.tracking.finding_for import for_label, is_for_force
from correspondence.tracking.owners import OpenFinding, open_findings, response_owners

REMIND_WITHIN_DAYS = 14
SECURITY = ("none", "starttls", "ssl")


def set_mail_settings(session: Session, office: Office, *, host: str, port: int, sender: str, security: str = "none",
                      username: str = "") -> MailSettings:
    """Set how the office sends e-mail; every field is checked before anything is stored."""
    host, sender, security, username = host.strip(), sender.strip(), security.strip().lower(), username.strip()
    if not host or any(character.isspace() for character in host):
        raise InvalidInput("give the SMTP server's name, e.g. smtp.office.example.org", field="host")
    if not 0 < port < 65536:
        raise InvalidInput(f"port: {port} is not a port number (1 to 65535; usually 25, 587 or 465)")
    if security not in SECURITY:
        raise InvalidInput(f"security: {security!r}; expected one of: {', '.join(SECURITY)}")
    if "@" not in sender or any(character.isspace() for character in sender) or len(sender) > 320:
        raise InvalidInput(f"{sender!r} is not an e-mail address", field="sender", value=sender)
    settings = mail_settings(session, office) or MailSettings(office_id=office.id)
    settings.host, settings.port, settings.security, settings.username, settings.sender = host, port, security, username, sender
    session.add(settings)
    session.flush()
    return settings


@dataclass
class Reminder:
    user: User
    responses: list[Due] = field(default_factory=list)
    findings: list[OpenFinding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.responses and not self.findings


def reminders(session: Session, office: Office, today: dt.date) -> list[Reminder]:
    """One reminder per user of the office who wants one and has something due; by user name."""
    wanting = list(session.scalars(
        select(User).where(User.office_id == office.id, User.active.is_(True), User.morning_email.is_(True), User.email.is_not(None))
        .order_by(User.name)
    ))
    if not wanting:
        return []
    due = [item for item in due_responses(session, today, office=office.short_name) if item.days_left <= REMIND_WITHIN_DAYS]
    owners = response_owners(session, office, [item.inspection_id for item in due])
    findings = open_findings(session, office)
    result = []
    for user in wanting:
        reminder = Reminder(
            user,
            [item for item in due if owners.get(item.inspection_id) is not None and owners[item.inspection_id].id == user.id],
            [finding for finding in findings if finding.owner is not None and finding.owner.id == user.id],
        )
        if not reminder.empty:
            result.append(reminder)
    return result


def compose(reminder: Reminder, office: Office, sender: str, today: dt.date) -> EmailMessage:
    """The e-mail itself: plain text, what is overdue first."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = reminder.user.email
    count = len(reminder.responses) + len(reminder.findings)
    message["Subject"] = f"{office.short_name}: {count} item{'s' if count != 1 else ''} of yours due or overdue ({long_date(today)})"
    lines = [f"Good morning {reminder.user.display_name},", ""]
    if reminder.responses:
        lines.append("s.55 responses you own:")
        for item in reminder.responses:
            by = f"by {long_date(item.next_on)}" if item.next_on else "now"
            lines.append(f"- {item.force}, {item.programme} (inspection {item.inspection_id}): {item.state}; {item.stage}. "
                         f"Next: {item.next_step}, {by}.")
        lines.append("")
    if reminder.findings:
        lines.append("Findings you follow up that are still open:")
        for finding in reminder.findings:
            when = f", last update {long_date(finding.updated_on)}" if finding.updated_on else ""
            whose = "" if is_for_force(finding.area) else f" (for {for_label(finding.area.for_whom, finding.area.for_name, office='the office')})"
            lines.append(f"- {finding.code} of inspection {finding.inspection.id} ({finding.inspection.programme}){whose}: "
                         f"{finding.status}{when}. {_shorten(finding.area.text)}")
        lines.append("")
    lines.append("You get this because you asked for a morning e-mail in the correspondence workspace; "
                 "turn it off on your account page.")
    message.set_content("\n".join(lines) + "\n")
    return message


@dataclass
class Sent:
    user: str
    email: str
    items: int


def send_reminders(session: Session, office: Office, today: dt.date, *, dry_run: bool = False) -> list[Sent]:
    """Send the office's reminders through its SMTP server; the list of who got one."""
    settings = mail_settings(session, office)
    if settings is None:
        raise InvalidInput(f"{office.short_name} has no mail settings", steps=[Step("set_mail", "an admin sets them", office=office.short_name)])
    due = reminders(session, office, today)
    messages = [(reminder, compose(reminder, office, settings.sender, today)) for reminder in due]
    if messages and not dry_run:
        with connect(settings) as smtp:
            for reminder, message in messages:
                try:
                    smtp.send_message(message)
                except (OSError, smtplib.SMTPException) as error:
                    raise CorrespondenceError(f"sending to {reminder.user.email} through {settings.host}: {error}") from None
    return [Sent(r.user.name, r.user.email or "", len(r.responses) + len(r.findings)) for r, _ in messages]


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
