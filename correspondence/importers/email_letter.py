"""Reading the post: a letter's file or an e-mail (.eml), and what it says, each value with where it
was read.

An e-mail is read with the standard library's ``email`` package (policy ``default``): its From,
Date, Subject and To, its text (the plain part, else the HTML part as text) and its attachments. An
e-mail is often a short covering note with the real letter attached as a PDF or Word file: when the
e-mail's own text is not a letter (no salutation with a date) and is short, and an attachment reads
as a letter, the letter's values are read from that attachment, and the reading says so. Values
come only from what the letter or the e-mail says (the letter parser's, and the e-mail's own
header when the e-mail is the letter); nothing is guessed, and a value not found is left out.

Limits: the file's size (files/gate.py, as every document), at most MAX_ATTACHMENTS attachments,
MAX_PARTS parts in all and e-mails inside e-mails at most MAX_DEPTH deep; each attachment passes the
gate as a file kept with a letter (a Word file's zip bomb, macros, entities), and one that does not
is listed as not kept, with why.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from correspondence.files import gate
from correspondence.files.documents import admitted_text, tidy
from correspondence.files.html_text import html_to_text
from correspondence.importers.letter import parse_letter
from correspondence.importers.letter_findings import LetterFindings
from correspondence.records.errors import CorrespondenceError, InvalidInput
from correspondence.register.post import IMAGES  # a logo or a scan: kept as it came, never opened

MAX_ATTACHMENTS = 30
MAX_PARTS = 200
MAX_DEPTH = 3  # an e-mail forwarded inside an e-mail inside an e-mail
COVERING_NOTE_WORDS = 150  # a covering note is short; a letter written in the e-mail itself is usually longer
FIELDS = ("sender", "sender_title", "letter_date", "reference", "addressee_name", "addressee_role", "subject")


@dataclass(frozen=True)
class Found:
    """A value and where it was read: "line 4: 13 March 2025", "the e-mail's From line: ..."."""

    value: str
    where: str
    cut: bool = False


@dataclass
class Attachment:
    name: str
    content: bytes
    kept: bool = True
    why_not: str = ""  # why it is not kept (it did not pass the gate)
    kind: gate.Kind | None = None


@dataclass
class Email:
    sender_name: str = ""
    sender_address: str = ""
    to: str = ""
    date: dt.date | None = None
    subject: str = ""
    header: dict[str, str] = field(default_factory=dict)  # "From" -> "From: Jane Smith <jane@example.org>"
    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class PostReading:
    """What a file of the post says, for the person logging it to check and complete."""

    name: str
    is_email: bool
    text: str  # for the register's search
    found: dict[str, Found] = field(default_factory=dict)
    read_from: str = ""  # "" (the file itself), else the attachment the letter was read from
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def value(self, name: str) -> str:
        return self.found[name].value if name in self.found else ""


def read_post(source: Path | bytes, name: str) -> PostReading:
    """What the letter or e-mail in ``source`` (a file, or its bytes, called ``name``) says. Refused
    with InvalidInput (about the file) when it is not a document the tool reads, or an e-mail past
    the limits."""
    admitted = gate.admit(source, gate.READ, name=name)
    if admitted.kind is not gate.Kind.EMAIL:
        text = admitted_text(admitted)
        return PostReading(name, False, text, found=_from_findings(parse_letter(text)))
    message = read_email(admitted.content, name)
    return _email_reading(message, name)


def read_email(content: bytes, name: str) -> Email:
    """The e-mail's header, text and attachments (each checked by the gate)."""
    try:
        message = email.message_from_bytes(content, policy=email.policy.default)
        _check_shape(message, name)
        return _read_message(message, name)
    except InvalidInput:
        raise
    except (RecursionError, LookupError, ValueError, TypeError, AttributeError, IndexError) as error:
        raise InvalidInput(f"{name}: cannot be read as an e-mail ({_plain_error(error)})", field="file", value=name) from None


# --- the e-mail ---------------------------------------------------------------------------------


def _check_shape(message: EmailMessage, name: str) -> None:
    """Refuse an e-mail nested too deep or made of too many parts, before anything is decoded."""
    parts = 0
    waiting: list[tuple[EmailMessage, int]] = [(message, 0)]
    while waiting:
        part, depth = waiting.pop()
        parts += 1
        if parts > MAX_PARTS:
            raise InvalidInput(f"{name}: has more than {MAX_PARTS} parts; an e-mail the tool reads has a few", field="file", value=name)
        if part.is_multipart():
            inner_depth = depth + 1 if part.get_content_type() == "message/rfc822" else depth
            if inner_depth > MAX_DEPTH:
                raise InvalidInput(f"{name}: holds e-mails inside e-mails more than {MAX_DEPTH} deep; save the e-mail that "
                                   "holds the letter on its own", field="file", value=name)
            waiting.extend((inner, inner_depth) for inner in part.get_payload())


def _read_message(message: EmailMessage, name: str) -> Email:
    read = Email()
    sender = _addresses(message, "From")
    if sender:
        read.sender_name, read.sender_address = sender[0]
    read.to = "; ".join(display or address for display, address in _addresses(message, "To"))
    read.subject = " ".join(str(message.get("Subject", "") or "").split())
    read.date = _date(message)
    for header in ("From", "Date", "Subject", "To"):
        if message.get(header):
            read.header[header] = f"{header}: {' '.join(str(message[header]).split())}"[:160]
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        text = body.get_content()
        read.text = tidy(html_to_text(text) if body.get_content_type() == "text/html" else text)
    attachments = list(message.iter_attachments())
    if len(attachments) > MAX_ATTACHMENTS:
        raise InvalidInput(f"{name}: has {len(attachments)} attachments; at most {MAX_ATTACHMENTS} are taken", field="file", value=name)
    names: set[str] = set()
    for number, part in enumerate(attachments, start=1):
        read.attachments.append(_attachment(part, number, names))
    return read


def _addresses(message: EmailMessage, header: str) -> list[tuple[str, str]]:
    value = message.get(header)
    if value is None:
        return []
    found = getattr(value, "addresses", None)
    if found is not None:
        return [(" ".join(address.display_name.split()), address.addr_spec) for address in found]
    return [(" ".join(display.split()), address) for display, address in email.utils.getaddresses([str(value)])]


def _date(message: EmailMessage) -> dt.date | None:
    value = message.get("Date")
    if not value:
        return None
    try:
        moment = getattr(value, "datetime", None) or email.utils.parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return moment.date() if moment is not None else None


def _attachment(part: EmailMessage, number: int, names: set[str]) -> Attachment:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()[0]
        content = inner.as_bytes(policy=email.policy.default)
        default = f"forwarded-{number}.eml"
    else:
        content = part.get_payload(decode=True) or b""
        default = f"attachment-{number}"
    name = _unique(_safe_name(part.get_filename() or default), names)
    if content.startswith(IMAGES):
        return Attachment(name, content)
    try:
        admitted = gate.admit(content, gate.ENCLOSURE, name=name)
    except InvalidInput as refused:
        return Attachment(name, content, kept=False, why_not=refused.refusal.removeprefix(f"{name}: "))
    return Attachment(name, content, kind=admitted.kind)


def _safe_name(name: str) -> str:
    plain = name.replace("\\", "/").rsplit("/", 1)[-1]
    plain = re.sub(r"[\x00-\x1f]", "", plain).strip() or "attachment"
    return plain[:200]


def _unique(name: str, names: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, count = name, 1
    while candidate.lower() in names:
        count += 1
        candidate = f"{stem} ({count}).{suffix}" if dot else f"{name} ({count})"
    names.add(candidate.lower())
    return candidate


def _plain_error(error: Exception) -> str:
    return "it is nested too deeply" if isinstance(error, RecursionError) else "its parts are damaged"


# --- what it says -------------------------------------------------------------------------------


def _email_reading(message: Email, name: str) -> PostReading:
    body = parse_letter(message.text) if message.text.strip() else None
    text = "\n".join([*message.header.values(), "", message.text])
    reading = PostReading(name, True, text, attachments=message.attachments)
    if body is not None and _is_letter(body):
        reading.found = _from_findings(body, "the e-mail's text")
        _fill_from_header(reading, message)
        return reading
    letter = _attached_letter(message) if _words(message.text) <= COVERING_NOTE_WORDS else None
    if letter is not None:
        attachment, findings, letter_text = letter
        reading.read_from = attachment.name
        reading.found = _from_findings(findings, attachment.name)
        reading.text = f"{text}\n\n{letter_text}"
        reading.notes.append(f"The e-mail is a short covering note, so the letter's details were read from the attached "
                             f"letter, {attachment.name}.")
        return reading
    reading.found = _from_findings(body, "the e-mail's text") if body is not None else {}
    _fill_from_header(reading, message)
    return reading


def _is_letter(findings: LetterFindings) -> bool:
    return bool(findings.salutation and (findings.date or findings.reference))


def _attached_letter(message: Email) -> tuple[Attachment, LetterFindings, str] | None:
    for attachment in message.attachments:
        if not attachment.kept or attachment.kind not in (gate.Kind.PDF, gate.Kind.WORD, gate.Kind.TEXT, gate.Kind.HTML):
            continue
        try:
            text = admitted_text(gate.admit(attachment.content, gate.READ, name=attachment.name))
        except CorrespondenceError:
            continue
        findings = parse_letter(text)
        if _is_letter(findings):
            return attachment, findings, text
    return None


def _fill_from_header(reading: PostReading, message: Email) -> None:
    """The e-mail is the letter: what its header says, where the text did not say it."""
    header = {
        "sender": (message.sender_name or message.sender_address, "From"),
        "letter_date": (message.date.isoformat() if message.date else "", "Date"),
        "subject": (message.subject, "Subject"),
        "addressee_name": (message.to if ";" not in message.to else "", "To"),
    }
    for key, (value, line) in header.items():
        if value and key not in reading.found and line in message.header:
            reading.found[key] = Found(value, f"the e-mail's {message.header[line]}")


def _from_findings(findings: LetterFindings, where: str = "") -> dict[str, Found]:
    names = {"sender": "signatory_name", "sender_title": "signatory_title", "letter_date": "date", "reference": "reference",
             "addressee_name": "addressee_name", "addressee_role": "addressee_role", "subject": "subject"}
    found = {}
    for key, attribute in names.items():
        value = getattr(findings, attribute)
        source = findings.sources.get(attribute)
        if not value or source is None:
            continue
        place = f"line {source.line} of {where}" if where else f"line {source.line}"
        found[key] = Found(str(value), f"{place}: {source.text}", source.cut)
    return found


def _words(text: str) -> int:
    return len(text.split())
