"""The kinds of line a letter's header and sign-off are made of, shared by the letter parser's parts.

A line is a date, a reference, a label ("To:", "From:", "Cc:", "Re:"), a delivery note ("By email
only"), a letterhead's contact line ("Tel:", "www."), running text, or a name or address line;
name and address lines group into blocks, which tell the sender's letterhead from the addressee.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from correspondence.importers.lines import Line, find_date, is_prose
from correspondence.importers.names import HONORIFIC, is_person, is_role, leading_person

OUR_REF = re.compile(
    r"^(?:our\s+ref(?:erence)?(?:\s+no)?\.?\s*:?|ref(?:erence)?(?:\s+no)?\.?\s*:"
    r"|(?:freedom\s+of\s+information\s+|foi\s+|information\s+|request\s+|case\s+|file\s+)+ref(?:erence)?\s*(?:no|number)?\.?\s*:)\s*(.*)$",
    re.IGNORECASE,
)
OUR_REF_INSIDE = re.compile(r"\bour\s+ref(?:erence)?\.?\s*:\s*(\S.*)$", re.IGNORECASE)  # "Received on 23/08/2017 Our Ref: DC/FOI 782/17"
THEIR_REF = re.compile(r"^your\s+ref", re.IGNORECASE)
DATE_LABEL = re.compile(r"^date\s*:\s*(.*)$", re.IGNORECASE)
TO = re.compile(r"^to\s*:\s*(.*)$", re.IGNORECASE)
FROM = re.compile(r"^from\s*:\s*(.*)$", re.IGNORECASE)
CC = re.compile(r"^(?:cc|copy\s+to|copies\s+to)\s*[:.]?(?:\s+(.*))?$", re.IGNORECASE)
SUBJECT = re.compile(r"^(?:re|subject)\s*:\s*(.+)$", re.IGNORECASE)
DEAR = re.compile(r"^(?:[^\s]*?[a-z_])?[\"“‘']?(Dear)\b(.*)$")  # a letter quoted on a page may open with a quotation mark
VALEDICTION = re.compile(
    r"^(?P<words>yours\s+(?:sincerely|faithfully|truly|ever)|(?:with\s+)?(?:kind|best|warm|warmest)\s+(?:regards|wishes)|regards)\b[,.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
DELIVERY = re.compile(r"^\(?(?:(?:sent\s+)?(?:by|via)\s+(?:e-?mail|hand|post|courier)(?:\s+only)?|private\s+(?:and|&)\s+confidential"
                       r"|(?:strictly\s+)?private|confidential)\)?\.?$", re.IGNORECASE)
CONTACT = re.compile(r"^(?:t|tel|telephone|phone|e|email|e-mail|fax|dx|direct\s+line|switchboard|web|website)\b\s*[:.]?\s*\S"
                      r"|\bwww\.|https?://|\bphone\s+[\d(]", re.IGNORECASE)
POSTCODE_END = re.compile(r"\b[A-Z]{1,2}[0-9lIO][A-Z0-9]?\s*[0-9lIO][A-Z]{2}$")
BARE_REFERENCE = re.compile(r"^(?=[A-Za-z0-9/\-.]*[A-Za-z])(?=[A-Za-z0-9/\-.]*(?:\d|/))[A-Za-z0-9][A-Za-z0-9/\-.]{3,39}$")
INTRO = re.compile(
    r"^(?:response|comments?|statement|reply|letter|message)\s+(?:by|from)\s+(?P<who>.+?)(?:\s+to\s+.+)?:?$", re.IGNORECASE
)
LETTER_TO = re.compile(r"^(?:open\s+)?letter\s+(?:from\s+.+?\s+)?to\s+(?:the\s+)?(?P<to>.+?)(?:\s+[-–—]\s+.*|\s*\(.*\))?$", re.IGNORECASE)


@dataclass
class Block:
    lines: list[Line]
    letterhead: bool = False  # followed by contact lines, or labelled From:

    @property
    def first(self) -> str:
        return self.lines[0].text


@functools.lru_cache(maxsize=4096)
def salutation_in(text: str) -> str | None:
    match = DEAR.match(text)
    if not match:
        return None
    rest = match.group(2)
    if not rest.strip():
        return "Dear"
    if re.match(r"^\s+[^:;!?]{1,60}?[,.:]?$", rest) and len(rest.split()) <= 8:
        return "Dear" + rest.rstrip()
    inline = re.match(r"^\s+([^,.:;]{1,60}?),\s+\S", rest)
    if inline and len(inline.group(1).split()) <= 6:
        return f"Dear {inline.group(1)},"
    honoured = re.match(rf"^\s+((?:{HONORIFIC})\s+[A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+)?)\b", rest)
    return f"Dear {honoured.group(1)}" if honoured else None


def looks_like_reference(text: str) -> bool:
    return (bool(BARE_REFERENCE.match(text)) and "@" not in text and not POSTCODE_END.fullmatch(text)
            and not text.lower().startswith("www."))


def line_date(text: str):
    labelled = DATE_LABEL.match(text)
    return find_date(labelled.group(1)) if labelled else find_date(text)


@functools.lru_cache(maxsize=4096)
def kind_of(text: str) -> str:
    if line_date(text):
        return "date"
    if OUR_REF.match(text) or THEIR_REF.match(text) or looks_like_reference(text):
        return "ref"
    if TO.match(text):
        return "to"
    if FROM.match(text):
        return "from"
    if CC.match(text):
        return "cc"
    if SUBJECT.match(text) or INTRO.match(text):
        return "subject"
    if DELIVERY.match(text):
        return "delivery"
    if CONTACT.search(text):
        return "contact"
    if is_prose(text) or text.lower() == "letterhead":
        return "other"
    return "postcode" if POSTCODE_END.search(text) else "text"


def blocks_of(header: list[Line]) -> list[Block]:
    """Runs of name and address lines; a postcode ends one, a label, date or contact line too, and a
    person's name starts one ("Review ...: letter from Kit Malthouse MP" then "Kit Malthouse MP")."""
    blocks: list[Block] = []
    current: list[Line] = []
    for line in header:
        kind = kind_of(line.text)
        if kind in ("text", "postcode"):
            if current and is_person(line.text) and not any(is_person(other.text) or is_role(other.text) for other in current):
                blocks.append(Block(current))
                current = []
            current.append(line)
            if kind == "postcode":
                blocks.append(Block(current))
                current = []
            continue
        if current:
            blocks.append(Block(current))
            current = []
        if kind == "contact" and blocks:
            blocks[-1].letterhead = True
        if kind == "from":
            blocks.append(Block([line], letterhead=True))
    if current:
        blocks.append(Block(current))
    return blocks


def starts_with_person(block: Block) -> bool:
    return is_person(block.first) or leading_person(block.first) is not None


def could_be_addressee(block: Block) -> bool:
    return not block.letterhead and (starts_with_person(block) or is_role(block.first))


def signatory_intro(text: str) -> bool:
    match = INTRO.match(text)
    return bool(match) and is_person(match.group("who").split(",")[0].strip(" :"))
