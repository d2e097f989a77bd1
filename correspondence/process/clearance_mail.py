"""E-mail about clearance, through the office's mail server (mail.py): to the approvers when a letter
is submitted, and to the drafter who submitted it when it is returned (with the comments) or approved.

Each message is written while the step is recorded and sent only once its transaction has committed
(the session's ``after_commit``), so nobody is told of a step that was then rolled back; and a
message that cannot be sent is logged and said, never undoing the step. Where the office has no mail
settings, or nobody to tell has an e-mail address, nothing is sent and the ``Notice`` says why.

A message names the letter's reference, its subject and addressee, and the office; the workspace has
no address of its own to link to, so it says where the letter is found in it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from correspondence.process.mail import connect, mail_settings
from correspondence.records.dates import long_date
from correspondence.records.models import Letter, LetterClearance, MailSettings, User
from correspondence.records.vocabulary import UserRole

log = logging.getLogger("correspondence.mail")
PENDING = "correspondence.clearance_mail"  # the notices to send once the transaction commits
NOTICES = "correspondence.clearance_notices"  # every notice of the transaction, sent or not, for the faces to say
APPROVING_ROLES = tuple(role for role in UserRole if role.includes(UserRole.APPROVER))


@dataclass
class Notice:
    """The e-mail one clearance step sends, and, once its transaction has committed, what became of it."""

    what: str  # "submission", "return" or "approval"
    recipients: list[str] = field(default_factory=list)  # "name <address>"
    unsent_because: str = ""  # why nothing is sent: no mail settings, nobody with an address
    sent: bool = False
    error: str = ""  # why sending failed, once it was tried
    messages: list[EmailMessage] = field(default_factory=list, repr=False)
    settings: MailSettings | None = field(default=None, repr=False)

    def summary(self) -> str:
        """One line for the faces: who was e-mailed, or why nobody was."""
        if self.unsent_because:
            return f"no e-mail sent: {self.unsent_because}"
        if self.error:
            return f"the e-mail to {', '.join(self.recipients)} could not be sent ({self.error}); the step is recorded all the same"
        if self.sent:
            return f"e-mailed {', '.join(self.recipients)}"
        return f"an e-mail to {', '.join(self.recipients)} goes once this is saved"


def tell_approvers(session: Session, step: LetterClearance, version: str, day: str) -> Notice:
    """On submission: every active approver (and admin) of the office with an e-mail address, but
    the one who submitted it."""
    letter, by = step.letter, step.user
    approvers = list(session.scalars(
        select(User).where(User.office_id == letter.office_id, User.active.is_(True), User.role.in_(APPROVING_ROLES),
                           User.email.is_not(None), User.id != by.id).order_by(User.name)
    ))
    subject = f"{letter.office.short_name}: {letter.label} is awaiting your approval"
    body = [
        f"{by.display_name} submitted {_about(letter)} for approval on {day} ({version}).",
        "",
        f"It is in your list of letters awaiting approval on the dashboard of {letter.office.short_name}'s correspondence "
        f"workspace, and in the register as {letter.label}. Read it there, then approve it, or return it to the drafter "
        "with your comments.",
    ]
    footer = f"You get this because you may approve {letter.office.short_name}'s letters."
    return _queue(session, Notice("submission"), letter, approvers, subject, body, footer,
                  nobody=f"no other approver of {letter.office.short_name} has an e-mail address")


def tell_drafter(session: Session, step: LetterClearance, submitted: LetterClearance, version: str, day: str) -> Notice:
    """On a return or an approval: the person who submitted the letter, unless they took the step themselves."""
    letter, by, drafter = step.letter, step.user, submitted.user
    people = [drafter] if drafter.id != by.id and drafter.active and drafter.email else []
    if step.comment:
        what = "return"
        subject = f"{letter.office.short_name}: {letter.label} is returned to you with comments"
        body = [f"{by.display_name} returned {_about(letter)} to you on {day} ({version}), with these comments:",
                "", *(f"    {line}" for line in step.comment.splitlines()), "",
                "Make a new version of the letter with the changes, and submit it for approval again."]
    else:
        what = "approval"
        subject = f"{letter.office.short_name}: {letter.label} is approved"
        body = [f"{by.display_name} approved {_about(letter)} on {day}: exactly {version}, as you submitted it.",
                "", "It may now be sent. A new version from now on voids the approval."]
    footer = f"You get this because you submitted {letter.label} for approval."
    return _queue(session, Notice(what), letter, people, subject, body, footer, nobody=_nobody(drafter, by))


def notices(session: Session) -> list[Notice]:
    """The notices of this transaction's clearance steps: those to send once it commits (each is
    updated then, in place) and those that send nothing, with why."""
    return list(session.info.get(NOTICES, []))


# --- writing and sending -------------------------------------------------------------------------


def _queue(session: Session, notice: Notice, letter: Letter, people: list[User], subject: str, body: list[str],
           footer: str, *, nobody: str) -> Notice:
    session.info.setdefault(NOTICES, []).append(notice)
    settings = mail_settings(session, letter.office)
    if settings is None:
        notice.unsent_because = f"{letter.office.short_name} has no mail settings"
        return notice
    if not people:
        notice.unsent_because = nobody
        return notice
    notice.settings = settings
    for person in people:
        message = EmailMessage()
        message["From"] = settings.sender
        message["To"] = person.email
        message["Subject"] = subject
        message.set_content("\n".join([f"Dear {person.display_name},", "", *body, "", footer]) + "\n")
        notice.messages.append(message)
        notice.recipients.append(f"{person.name} <{person.email}>")
    pending = session.info.setdefault(PENDING, [])
    if not pending:
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_rollback", _drop_pending)
    pending.append(notice)
    return notice


def _send_pending(session: Session) -> None:
    """After the commit: send each notice. Nothing here may raise: the steps are stored."""
    for notice in session.info.pop(PENDING, []):
        try:
            assert notice.settings is not None
            with connect(notice.settings) as smtp:
                for message in notice.messages:
                    smtp.send_message(message)
            notice.sent = True
        except Exception as error:  # noqa: BLE001 - a mail failure is logged and said, never raised after the commit
            notice.error = str(error) or type(error).__name__
            log.warning("clearance e-mail (%s) to %s not sent: %s", notice.what, ", ".join(notice.recipients), notice.error)


def _drop_pending(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(NOTICES, None)


def _about(letter: Letter) -> str:
    subject = f', "{letter.subject}"' if letter.subject else ""
    to = ", ".join(part for part in (letter.addressee_name, letter.addressee_role) if part)
    return f"{letter.label}{subject}{f' to {to}' if to else ''} ({letter.kind.label}, dated {long_date(letter.letter_date)})"


def _nobody(drafter: User, by: User) -> str:
    if drafter.id == by.id:
        return f"{drafter.name} submitted it"
    if not drafter.active:
        return f"{drafter.name} is disabled"
    return f"{drafter.name} has no e-mail address"

