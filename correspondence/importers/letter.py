"""Reading a letter's register entry out of its text: reference, date, addressee, subject,
signatory and cc.

Real letters are untidy: the addressee's name, role and address may share one line; the reference
may be labelled "Our ref", "Our Ref:" or stand alone; a salutation may be OCR'd as "Dear Home
Scentary"; a scribbled signature may be transcribed as nonsense before or after the name. So each
field is looked for where letters put it, checked for the shape it must have, and left empty
(and reported) when it is not there. Nothing is invented.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from correspondence.dates import parse_date
from correspondence.errors import CorrespondenceError

ADDRESSEE_ROLES = (
    "Home Secretary", "Secretary of State for the Home Department", "Minister of State for Policing",
    "Policing Minister", "Acting Commissioner", "Deputy Commissioner", "Commissioner", "Acting Chief Constable",
    "Temporary Chief Constable", "Deputy Chief Constable", "Chief Constable", "HM Chief Inspector of Constabulary",
    "Chief Executive",
)
SENDER_ROLES = (
    "Deputy Mayor for Policing and Crime", "Police and Crime Commissioner", "Police & Crime Commissioner",
    "Police, Fire and Crime Commissioner", "Police, Fire & Crime Commissioner", "Deputy Police and Crime Commissioner",
    "Mayor of London", "Chief Executive", "Commissioner", "Chief Constable",
)
_ROLE_PATTERN = "|".join(re.escape(role) for role in sorted(ADDRESSEE_ROLES, key=len, reverse=True))
_SENDER_PATTERN = "|".join(re.escape(role) for role in sorted(SENDER_ROLES, key=len, reverse=True))
_REF_LABEL = re.compile(r"^(?:our\s+)?ref(?:erence)?(?:\s+no)?\.?\s*:?\s*(.*)$", re.IGNORECASE)
_THEIR_REF = re.compile(r"^your\s+ref", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^date\s*:?\s*(.*)$", re.IGNORECASE)
_TO_LABEL = re.compile(r"^to\s*:\s*(.*)$", re.IGNORECASE)
_CC = re.compile(r"^cc\s*[:.]?\s+(.+)$", re.IGNORECASE)
_SALUTATION = re.compile(r"^dear\s+(.+?)[,.]?$", re.IGNORECASE)
_VALEDICTION = re.compile(r"^(?:yours\s+(?:sincerely|faithfully|truly)|kind\s+regards|best\s+wishes|with\s+best\s+wishes)\b[,.]?$", re.IGNORECASE)
_SUBJECT_LABEL = re.compile(r"^(?:re|subject)\s*:\s*(.+)$", re.IGNORECASE)
_BARE_REFERENCE = re.compile(r"^(?=[A-Za-z0-9/\-.]*[A-Za-z])(?=[A-Za-z0-9/\-.]*(?:\d|/))[A-Za-z0-9][A-Za-z0-9/\-.]{3,39}$")
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")
_NAME = re.compile(r"^(?:(?:Rt\.?\s+Hon\.?|Sir|Dame|Lord|Lady|Dr\.?|Mr\.?|Mrs\.?|Ms\.?)\s+)*[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){1,3}(?:\s+(?:MP|KC|QC|CBE|OBE|QPM))*$")


@dataclass
class LetterFindings:
    reference: str | None = None
    date: str | None = None  # ISO
    addressee_name: str | None = None
    addressee_role: str | None = None
    addressee_address: str | None = None
    salutation: str | None = None
    subject: str | None = None
    signatory_name: str | None = None
    signatory_title: str | None = None
    cc: str | None = None

    @property
    def missing(self) -> list[str]:
        wanted = {
            "reference": self.reference, "date": self.date, "addressee": self.addressee_name or self.addressee_role,
            "subject": self.subject, "signatory": self.signatory_name, "cc": self.cc,
        }
        return [name for name, value in wanted.items() if not value]


def parse_letter(text: str) -> LetterFindings:
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line for line in lines if line]
    found = LetterFindings()
    salutation_at = next((i for i, line in enumerate(lines) if _SALUTATION.match(line)), None)
    header_end = salutation_at if salutation_at is not None else min(len(lines), 15)
    header = lines[:header_end]

    found.reference = _reference(header)
    found.date = _date(header)
    found.cc = _cc(lines)
    if salutation_at is not None:
        found.salutation = lines[salutation_at]
    _addressee(header, found)
    found.subject = _subject(lines, salutation_at)
    _signatory(lines, found)
    return found


def _clean(line: str) -> str:
    line = re.sub(r"</?[a-zA-Z][^>]*>", "", line)  # stray markup such as <u>...</u>
    line = re.sub(r"^#{1,6}\s+", "", line)  # markdown headings
    line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)
    return " ".join(line.split())


def _value_after_label(lines: list[str], index: int, value: str) -> tuple[str | None, int]:
    if value:
        return value, index
    if index + 1 < len(lines):
        return lines[index + 1], index + 1
    return None, index


def _reference(header: list[str]) -> str | None:
    for index, line in enumerate(header):
        if _THEIR_REF.match(line):
            continue
        match = _REF_LABEL.match(line)
        if match and (match.group(1) or index + 1 < len(header)):
            value, _ = _value_after_label(header, index, match.group(1).strip())
            if value and _looks_like_reference(value):
                return value
    for line in header:
        if _looks_like_reference(line) and not _is_date(line):
            return line
    return None


def _looks_like_reference(text: str) -> bool:
    return bool(_BARE_REFERENCE.match(text)) and "@" not in text and not _POSTCODE.match(text) and not text.lower().startswith("www.")


def _is_date(text: str) -> bool:
    try:
        parse_date(text)
    except CorrespondenceError:
        return False
    return True


def _date(header: list[str]) -> str | None:
    for index, line in enumerate(header):
        match = _DATE_LABEL.match(line)
        if match:
            value, _ = _value_after_label(header, index, match.group(1).strip())
            if value and _is_date(value):
                return parse_date(value).isoformat()
    for line in header:
        if _is_date(line):
            return parse_date(line).isoformat()
    return None


def _cc(lines: list[str]) -> str | None:
    for line in lines:
        match = _CC.match(line)
        if match:
            return match.group(1).strip()
    return None


def _addressee(header: list[str], found: LetterFindings) -> None:
    for index, line in enumerate(header):
        match = _TO_LABEL.match(line)
        if match:
            value, _ = _value_after_label(header, index, match.group(1).strip())
            if value:
                value = re.sub(r"^(?:by\s+)?e-?mail\s+to\s+(?:the\s+)?", "", value, flags=re.IGNORECASE)
                _split_addressee([value], found)
                if found.addressee_name or found.addressee_role:
                    return
    block = []
    for line in header:
        if _REF_LABEL.match(line) or _DATE_LABEL.match(line) or _CC.match(line) or _is_date(line) or "|" in line:
            if block:
                break
            continue
        if found.reference and line == found.reference:
            break
        block.append(line)
    if block:
        _split_addressee(block, found)
    if not found.addressee_role and found.salutation:
        _role_from_salutation(found)


def _split_addressee(block: list[str], found: LetterFindings) -> None:
    """Name, role and address, whether on separate lines or flattened onto one."""
    first = block[0]
    role = re.search(rf"\b({_ROLE_PATTERN})\b", first, re.IGNORECASE)
    if role:
        name = first[: role.start()].strip(" ,")
        address = [first[role.end() :].strip(" ,")] + block[1:]
    elif len(block) > 1 and re.search(rf"\b({_ROLE_PATTERN})\b", block[1], re.IGNORECASE):
        name, role = first, re.search(rf"\b({_ROLE_PATTERN})\b", block[1], re.IGNORECASE)
        address = [block[1][role.end() :].strip(" ,")] + block[2:]
    else:
        name, address = (first if _NAME.match(first) else ""), block[1:] if _NAME.match(first) else []
    if role:
        found.addressee_role = _canonical_role(role.group(1))
    found.addressee_name = name or None
    lines = [line for line in address if line]
    found.addressee_address = "\n".join(lines) or None


def _canonical_role(text: str) -> str:
    for role in ADDRESSEE_ROLES:
        if role.lower() == text.lower():
            return role
    return text


def _role_from_salutation(found: LetterFindings) -> None:
    """'Dear Home Scentary' is OCR for 'Dear Home Secretary': a close match names the role."""
    match = _SALUTATION.match(found.salutation or "")
    if not match:
        return
    greeting = match.group(1).lower()
    close = difflib.get_close_matches(greeting, [role.lower() for role in ADDRESSEE_ROLES], n=1, cutoff=0.8)
    if close:
        found.addressee_role = _canonical_role(close[0])


def _subject(lines: list[str], salutation_at: int | None) -> str | None:
    for line in lines[: (salutation_at or 15) + 3]:
        match = _SUBJECT_LABEL.match(line)
        if match:
            return match.group(1).strip()
    raw_underlined = None
    for line in lines[: (salutation_at or 15) + 3]:
        if re.match(r"^(response|re)\b.*(inspection|report)", line, re.IGNORECASE) and len(line) < 200:
            raw_underlined = line
            break
    if raw_underlined:
        return raw_underlined
    if salutation_at is not None and salutation_at + 1 < len(lines):
        candidate = lines[salutation_at + 1]
        if len(candidate) <= 150 and not candidate.endswith((".", ":", ",")) and len(candidate.split()) >= 2:
            return candidate
    if salutation_at is None:  # no salutation: a title-like line in the header (e.g. a heading)
        for line in lines[:15]:
            if ":" in line and re.search(r"inspection|report|meeting", line, re.IGNORECASE) and len(line) < 200 and not line.endswith("."):
                return line
    return None


def _signatory(lines: list[str], found: LetterFindings) -> None:
    valediction = next((i for i, line in enumerate(lines) if _VALEDICTION.match(line)), None)
    if valediction is not None:
        after = lines[valediction + 1 : valediction + 7]
        for index, line in enumerate(after):
            if _CC.match(line):
                break
            sender_role = re.search(rf"\b({_SENDER_PATTERN})\b", line, re.IGNORECASE)
            if sender_role and sender_role.start() > 0:  # "John Campion Police & Crime Commissioner"
                found.signatory_name, found.signatory_title = line[: sender_role.start()].strip(" ,"), line[sender_role.start() :].strip()
                return
            following = after[index + 1] if index + 1 < len(after) else ""
            if _NAME.match(line) and re.search(rf"\b({_SENDER_PATTERN})\b", following, re.IGNORECASE):
                found.signatory_name, found.signatory_title = line, following
                return
        for line in after:
            if _NAME.match(line):
                found.signatory_name = line
                return
        return
    for line in reversed(lines[-8:]):  # no valediction: a closing "Name Role" line
        sender_role = re.search(rf"\b({_SENDER_PATTERN})\b", line, re.IGNORECASE)
        if sender_role and sender_role.start() > 0 and _NAME.match(line[: sender_role.start()].strip(" ,")):
            found.signatory_name, found.signatory_title = line[: sender_role.start()].strip(" ,"), line[sender_role.start() :].strip()
            return
