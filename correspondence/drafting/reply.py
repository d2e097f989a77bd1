"""Drafting a reply to a letter received: a draft of ours (kind reply) that names the letter it
answers, carries the sender's reference as "Your ref" and ours from the office's scheme as "Our ref",
is addressed to the sender, and is headed "Re: <their subject>".

The shipped reply template (templates/reply.docx, built by scripts/make_templates.py) is filled
from the context every letter shares (drafting/context.py letter_context) and the letter it answers
(``their_reference``, ``their_date``, ``their_subject``). When the reply is marked sent, the letter
it answers is answered on that day (register/post.py answered_by).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from correspondence.drafting.context import letter_context
from correspondence.drafting.drafts import Draft, DraftRequest, draft_letter
from correspondence.organisation import roles
from correspondence.records.dates import format_date, long_date
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.records.limits import fit
from correspondence.records.models import Letter
from correspondence.records.resources import templates_dir
from correspondence.records.vocabulary import Direction, LetterKind, LetterStatus

REPLY_TEMPLATE = "reply.docx"


def draft_reply(session: Session, letter: Letter, request: DraftRequest) -> Draft:
    """A draft reply to ``letter`` (a letter received), dated ``request.letter_date``."""
    if letter.direction is not Direction.IN or letter.status is not LetterStatus.RECEIVED:
        raise InvalidInput(f"letter {letter.label} is one of ours; only a letter received is replied to")
    if request.letter_date < letter.letter_date:
        raise InvalidInput(f"{long_date(request.letter_date)} is before the letter it answers, dated "
                           f"{long_date(letter.letter_date)}", field="letter_date")
    office = letter.office
    addressee = request.addressee or reply_addressee(session, letter, request.letter_date)
    subject = request.subject or fit(f"Re: {letter.subject}" if letter.subject else "Re: your letter", Letter.subject)
    their = {
        "their_reference": letter.reference or "",
        "their_date": format_date(letter.letter_date, office.date_format),
        "their_subject": letter.subject or "",
    }
    if request.template is None:
        request.template = templates_dir() / REPLY_TEMPLATE

    def context(parts: dict[str, Any]) -> dict[str, Any]:
        return {**letter_context(office, **parts), **their}

    def answers(reply: Letter) -> None:
        reply.in_reply_to = letter
        reply.their_reference = letter.reference
        reply.inspection = letter.inspection
        reply.force = letter.force

    return draft_letter(session, office, request, "reply", LetterKind.REPLY, addressee, subject, context,
                        inspection=letter.inspection, with_letter=answers)


def reply_addressee(session: Session, letter: Letter, on: dt.date) -> roles.Addressing:
    """Who the reply goes to: the letter's sender as it was logged ("Name, Title"), with the address
    and salutation the office records for them when their title is a role they hold on ``on``."""
    name, _, title = (letter.sender or "").partition(", ")
    name, title = name.strip(), title.strip()
    if title:
        try:
            holder = roles.addressing(session, title, on, letter.office)
        except CorrespondenceError:
            holder = None
        if holder is not None and holder.name.lower() == name.lower():
            return holder
    salutation = f"Dear {name}" if name else "Dear Sir or Madam"
    return roles.Addressing(name=name, role=title, salutation=salutation)
