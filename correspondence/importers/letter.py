"""Reading a letter's register entry out of its text: reference, date, addressee, subject,
signatory and cc, each with the line it came from.

Real letters are untidy, and published ones more so: a web page wraps the letter in banners and
navigation, a blog quotes the letter it answers first, an FOI page holds the request and then the
reply, OCR runs a whole letterhead into one line. So the parser first finds the letter (the
salutation whose header carries a date or reference), then reads each field where letters put it:

- the sender's letterhead is told from the addressee block by position (the addressee block is the
  last one before the date and salutation), by labels ("To:", "From:"), by the contact lines
  that only a letterhead has ("Tel:", "www.") and by the signatory's own name;
- a date is a line that is only a date (a weekday, an ordinal, US order or OCR damage allowed), or
  "today (15 June 2017)" in the first lines, or a date just after the signature; never a date
  inside a sentence ("your letter of 9th May", "published on the 2 November 2022");
- the signatory comes from the sign-off, a "Response by Name, Title:" line above the salutation, a
  closing "Name / Title", or a letterhead that names its writer.

A field that is not there is left empty and reported; nothing is invented.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from correspondence.importers.lines import (
    Line,
    Source,
    date_in,
    document_lines,
    find_date,
    heading_like,
    is_furniture,
    is_prose,
)
from correspondence.importers.names import (
    HONORIFIC,
    greeting_kind,
    honoured_person_in,
    is_person,
    is_role,
    known_role_at_start,
    leading_person,
)

_OUR_REF = re.compile(r"^(?:our\s+ref(?:erence)?(?:\s+no)?\.?\s*:?|ref(?:erence)?(?:\s+no)?\.?\s*:)\s*(.*)$", re.IGNORECASE)
_THEIR_REF = re.compile(r"^your\s+ref", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^date\s*:\s*(.*)$", re.IGNORECASE)
_TO = re.compile(r"^to\s*:\s*(.*)$", re.IGNORECASE)
_FROM = re.compile(r"^from\s*:\s*(.*)$", re.IGNORECASE)
_CC = re.compile(r"^(?:cc|copy\s+to|copies\s+to)\s*[:.]?(?:\s+(.*))?$", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:re|subject)\s*:\s*(.+)$", re.IGNORECASE)
_DEAR = re.compile(r"^(?:[^\s]*?[a-z_])?(Dear)\b(.*)$")
_VALEDICTION = re.compile(
    r"^(?P<words>yours\s+(?:sincerely|faithfully|truly|ever)|(?:with\s+)?(?:kind|best|warm|warmest)\s+(?:regards|wishes)|regards)\b[,.]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_DELIVERY = re.compile(r"^\(?(?:(?:sent\s+)?(?:by|via)\s+(?:e-?mail|hand|post|courier)(?:\s+only)?|private\s+(?:and|&)\s+confidential"
                       r"|(?:strictly\s+)?private|confidential)\)?\.?$", re.IGNORECASE)
_CONTACT = re.compile(r"^(?:t|tel|telephone|phone|e|email|e-mail|fax|dx|direct\s+line|switchboard|web|website)\b\s*[:.]?\s*\S"
                      r"|\bwww\.|https?://|\bphone\s+[\d(]", re.IGNORECASE)
_POSTCODE_END = re.compile(r"\b[A-Z]{1,2}[0-9lIO][A-Z0-9]?\s*[0-9lIO][A-Z]{2}$")
_BARE_REFERENCE = re.compile(r"^(?=[A-Za-z0-9/\-.]*[A-Za-z])(?=[A-Za-z0-9/\-.]*(?:\d|/))[A-Za-z0-9][A-Za-z0-9/\-.]{3,39}$")
_INTRO = re.compile(
    r"^(?:response|comments?|statement|reply|letter|message)\s+(?:by|from)\s+(?P<who>.+?)(?:\s+to\s+.+)?:?$", re.IGNORECASE
)
_LETTER_TO = re.compile(r"^(?:open\s+)?letter\s+(?:from\s+.+?\s+)?to\s+(?:the\s+)?(?P<to>.+?)(?:\s+[-–—]\s+.*|\s*\(.*\))?$", re.IGNORECASE)
_TODAY = re.compile(r"\btoday\s*\((?P<date>[^)]+)\)|^today,?\s+(?P<lead>\d{1,2}\s+\w+\s+\d{4})", re.IGNORECASE)
_SPLIT_FLATTENED = re.compile(
    r"(?=\bDear\s)|(?=\bYours\s+(?:sincerely|faithfully))|(?=\b(?:Your|YOUR|Our|OUR)\s+[Rr]ef\b)|(?=\bR[Ee]\s?:\s)"
    r"|(?<=[A-Z][0-9lIO]\s[0-9][A-Z]{2})\s|(?<=[A-Z][0-9lIO][0-9A-Z]\s[0-9][A-Z]{2})\s|(?<=\D)\s(?=\d{1,2}\s?\.\s+[A-Z])"
)

FIELDS = ("reference", "date", "addressee_name", "addressee_role", "addressee_address", "salutation", "subject",
          "signatory_name", "signatory_title", "cc")


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
    cc: list[str] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)  # field -> the line it came from

    @property
    def missing(self) -> list[str]:
        wanted = {
            "reference": self.reference, "date": self.date, "addressee": self.addressee_name or self.addressee_role,
            "subject": self.subject, "signatory": self.signatory_name or self.signatory_title, "cc": self.cc,
        }
        return [name for name, value in wanted.items() if not value]

    def found(self, name: str, value: str | list[str] | None, line: Line) -> None:
        """Set a field once, with where it came from; a field already found is kept."""
        if not value or getattr(self, name):
            return
        setattr(self, name, value)
        self.sources[name] = Source.of(line)


@dataclass
class _Block:
    lines: list[Line]
    letterhead: bool = False  # followed by contact lines, or labelled From:

    @property
    def first(self) -> str:
        return self.lines[0].text


def parse_letter(text: str) -> LetterFindings:
    found = LetterFindings()
    lines = _readable_lines(text)
    salutations = [index for index, line in enumerate(lines) if _salutation(line.text)]
    start = _letter_start(lines, salutations)
    end = next((index for index in salutations if start is not None and index > start), len(lines))
    if start is not None:
        header = _header(lines, start)
        found.found("salutation", _salutation(lines[start].text), lines[start])
        body = lines[start + 1 : end]
    else:
        header, body = _leading_lines(lines)
    salutation_line = lines[start].number if start is not None else None
    _reference(header + [line for line in body[:8] if line.number == salutation_line], found)
    _date_from_header(header, found)
    _cc(header + body, found)
    _signatory(header, body, start is not None, found)
    _addressee(header, found)
    _subject(header, body, start is not None, found)
    if not found.date:
        _date_elsewhere(header, body, found)
    return found


# --- finding the letter -------------------------------------------------------------------------


def _readable_lines(text: str) -> list[Line]:
    """Non-empty lines without furniture; a line with a whole letter flattened into it is split
    where letter parts start (a date, "Dear", "Our ref", "Re:", a postcode, a numbered paragraph)."""
    readable: list[Line] = []
    for line in document_lines(text):
        if not line.text or is_furniture(line.text):
            if line.text.lower() == "letterhead":
                readable.append(line)  # kept as a marker: a letter starts here
            continue
        if len(line.text) > 200 and re.search(r"\bDear\s|\bOur\s+ref|\bYours\s+(?:sincerely|faithfully)", line.text, re.IGNORECASE):
            readable.extend(_unflatten(line))
        else:
            readable.append(line)
    return readable


def _unflatten(line: Line) -> list[Line]:
    text = line.text
    for match in reversed(list(_date_spans(text))):
        text = text[: match[0]] + "\n" + text[match[0] : match[1]] + "\n" + text[match[1] :]
    parts = []
    for piece in text.split("\n"):
        parts.extend(_SPLIT_FLATTENED.split(piece))
    pieces = []
    for part in parts:
        salutation = re.match(r"^(Dear\s+[^,]{1,60}?,)\s+(\S.*)$", part.strip())
        pieces.extend([salutation.group(1), salutation.group(2)] if salutation else [part])
    return [Line(line.number, piece.strip()) for piece in pieces if piece and piece.strip()]


def _date_spans(text: str) -> list[tuple[int, int]]:
    from correspondence.importers.lines import DATE_IN_TEXT

    return [(match.start(), match.end()) for match in DATE_IN_TEXT.finditer(text) if find_date(match.group(0))]


@functools.lru_cache(maxsize=4096)
def _salutation(text: str) -> str | None:
    match = _DEAR.match(text)
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


def _letter_start(lines: list[Line], salutations: list[int]) -> int | None:
    """The salutation of the letter itself: the first whose header has a date or our reference (a
    page may quote the letter it answers first), else the first."""
    for index in salutations:
        header = _header(lines, index)
        if any(_line_date(line.text) or _OUR_REF.match(line.text) or _looks_like_reference(line.text) for line in header):
            return index
    return salutations[0] if salutations else None


def _header(lines: list[Line], salutation: int) -> list[Line]:
    """The lines above the salutation that belong to this letter: back to the previous paragraph
    of running text, sign-off or "Letterhead" marker."""
    index = salutation
    while index > 0 and salutation - index < 30:
        text = lines[index - 1].text
        if (is_prose(text) and not _INTRO.match(text)) or _VALEDICTION.match(text) or text.lower() == "letterhead" or _salutation(text):
            break
        index -= 1
    return lines[index:salutation]


def _leading_lines(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """For a letter without a salutation: the lines before its first paragraph, and the rest."""
    index = 0
    while index < len(lines) and index < 30 and not is_prose(lines[index].text):
        index += 1
    return lines[:index], lines[index:]


# --- reference and date -------------------------------------------------------------------------


def _reference(lines: list[Line], found: LetterFindings) -> None:
    for index, line in enumerate(lines):
        if _THEIR_REF.match(line.text):
            continue
        match = _OUR_REF.match(line.text)
        if not match:
            continue
        value, source = match.group(1).strip(), line
        if not value and index + 1 < len(lines):
            value, source = lines[index + 1].text, lines[index + 1]
        reference = _reference_value(value)
        if reference:
            found.found("reference", reference, source)
            return
    for line in lines:
        if _looks_like_reference(line.text) and not find_date(line.text):
            found.found("reference", line.text, line)
            return


def _reference_value(value: str) -> str | None:
    """'U0 75995/TXF tracey . fc w ler' (OCR) is reference 'U0 75995/TXF': the leading tokens that
    carry a digit or a slash."""
    tokens = []
    for token in value.split()[:4]:
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9/\-.]*", token) and (re.search(r"[\d/]", token) or _looks_like_reference(token)):
            tokens.append(token)
        else:
            break
    reference = " ".join(tokens).rstrip(".")
    return reference if re.search(r"[A-Za-z]", reference) and re.search(r"[\d/]", reference) and len(reference) <= 60 else None


def _looks_like_reference(text: str) -> bool:
    return (bool(_BARE_REFERENCE.match(text)) and "@" not in text and not _POSTCODE_END.fullmatch(text)
            and not text.lower().startswith("www."))


def _line_date(text: str):  # noqa: ANN202 - dt.date | None
    labelled = _DATE_LABEL.match(text)
    return find_date(labelled.group(1)) if labelled else find_date(text)


def _date_from_header(header: list[Line], found: LetterFindings) -> None:
    for line in sorted(header, key=lambda line: not _DATE_LABEL.match(line.text)):  # "Date:" first
        day = _line_date(line.text)
        if day:
            found.found("date", day.isoformat(), line)
            return
    for line in header:  # "Open Letter to the Home Secretary (17 Dec 2012)", "..., dated 14 June 2023"
        match = re.search(r"(?:\(|\bdated\s+)([^()]{6,30}?)\)?\s*(?:\(accessible\))?$", line.text)
        if match and find_date(match.group(1)):
            found.found("date", find_date(match.group(1)).isoformat(), line)
            return


def _date_elsewhere(header: list[Line], body: list[Line], found: LetterFindings) -> None:
    """A date written in the first lines ("today (15 June 2017)") or just after the signature."""
    for line in (header + body)[:6]:
        match = _TODAY.search(line.text)
        day = find_date(match.group("date") or match.group("lead")) if match else None
        if day:
            found.found("date", day.isoformat(), line)
            return
    signed = next((index for index, line in enumerate(body) if _VALEDICTION.match(line.text)), None)
    if signed is None:
        return
    for line in body[signed : signed + 5]:
        day = find_date(line.text)
        if day:
            found.found("date", day.isoformat(), line)
            return


# --- cc, signatory, addressee, subject ----------------------------------------------------------


def _cc(lines: list[Line], found: LetterFindings) -> None:
    """'cc: HMICFRS', 'Cc: Mayor of London, Sophie Linden', or 'Cc:' with one recipient a line below."""
    for index, line in enumerate(lines):
        match = _CC.match(line.text)
        if not match:
            continue
        if match.group(1):
            items = [part.strip() for part in re.split(r"\s*[,;]\s*", match.group(1)) if part.strip()]
        else:
            items, previous = [], line.number
            for following in lines[index + 1 : index + 10]:
                if following.number > previous + 1 or _kind(following.text) not in ("text", "postcode", "contact"):
                    break
                items.append(following.text)
                previous = following.number
        found.found("cc", items, line)
        return


def _signatory(header: list[Line], body: list[Line], has_salutation: bool, found: LetterFindings) -> None:
    if _sign_off(body, found):
        return
    for line in header[-1:] if has_salutation else header[:3]:
        match = _INTRO.match(line.text)
        if match and _name_and_title(match.group("who"), line, found):
            return
    if _closing_lines(body[-8:], found):
        return
    blocks = _blocks(header)
    for position, block in enumerate(blocks):  # a letterhead naming its writer: "Kit Malthouse MP / Minister of State ..."
        named = is_person(block.first) and len(block.lines) > 1 and is_role(block.lines[1].text)
        if named and (block.letterhead or any(_could_be_addressee(later) for later in blocks[position + 1 :])):
            found.found("signatory_name", block.first, block.lines[0])
            found.found("signatory_title", block.lines[1].text, block.lines[1])
            return


def _sign_off(body: list[Line], found: LetterFindings) -> bool:
    for index, line in enumerate(body):
        match = _VALEDICTION.match(line.text)
        if not match:
            continue
        after = ([Line(line.number, match.group("rest"))] if match.group("rest") else []) + body[index + 1 : index + 7]
        for position, candidate in enumerate(after):
            text = candidate.text
            if _CC.match(text) or is_prose(text) or _line_date(text):
                break
            if _name_and_title(text, candidate, found):
                following = after[position + 1] if position + 1 < len(after) else None
                if not found.signatory_title and following and is_role(following.text):
                    found.found("signatory_title", following.text, following)
                return True
            if is_role(text):
                found.found("signatory_title", text, candidate)
                return True
        return False
    return False


def _name_and_title(text: str, line: Line, found: LetterFindings) -> bool:
    """'Roger Hirst, Police, Fire and Crime Commissioner', 'John Campion Police & Crime Commissioner'
    or a name alone."""
    text = text.strip().rstrip(":")
    if is_person(text):
        found.found("signatory_name", text, line)
        return True
    name, _, title = text.partition(",")
    title = re.sub(r"^the\s+", "", title.strip(), flags=re.IGNORECASE)
    if is_person(name) and is_role(title):
        found.found("signatory_name", name.strip(), line)
        found.found("signatory_title", title, line)
        return True
    leading = leading_person(text)
    if leading and is_role(leading[1]):
        found.found("signatory_name", leading[0], line)
        found.found("signatory_title", leading[1], line)
        return True
    return False


def _closing_lines(lines: list[Line], found: LetterFindings) -> bool:
    """A letter without a sign-off ending "Peter Fahy / Chief Constable" or "John Campion Police &
    Crime Commissioner West Mercia"."""
    for index in range(len(lines) - 1, -1, -1):
        text = lines[index].text
        following = lines[index + 1] if index + 1 < len(lines) else None
        if is_person(text) and following and is_role(following.text):
            found.found("signatory_name", text, lines[index])
            found.found("signatory_title", following.text, following)
            return True
        leading = leading_person(text)
        if leading and not is_person(text) and is_role(leading[1]):
            found.found("signatory_name", leading[0], lines[index])
            found.found("signatory_title", leading[1], lines[index])
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _kind(text: str) -> str:
    if _line_date(text):
        return "date"
    if _OUR_REF.match(text) or _THEIR_REF.match(text) or _looks_like_reference(text):
        return "ref"
    if _TO.match(text):
        return "to"
    if _FROM.match(text):
        return "from"
    if _CC.match(text):
        return "cc"
    if _SUBJECT.match(text) or _INTRO.match(text):
        return "subject"
    if _DELIVERY.match(text):
        return "delivery"
    if _CONTACT.search(text):
        return "contact"
    if is_prose(text) or text.lower() == "letterhead":
        return "other"
    return "postcode" if _POSTCODE_END.search(text) else "text"


def _blocks(header: list[Line]) -> list[_Block]:
    """Runs of name and address lines; a postcode ends one, a label, date or contact line too, and a
    person's name starts one ("Review ...: letter from Kit Malthouse MP" then "Kit Malthouse MP")."""
    blocks: list[_Block] = []
    current: list[Line] = []
    for line in header:
        kind = _kind(line.text)
        if kind in ("text", "postcode"):
            if current and is_person(line.text) and not any(is_person(l.text) or is_role(l.text) for l in current):
                blocks.append(_Block(current))
                current = []
            current.append(line)
            if kind == "postcode":
                blocks.append(_Block(current))
                current = []
            continue
        if current:
            blocks.append(_Block(current))
            current = []
        if kind == "contact" and blocks:
            blocks[-1].letterhead = True
        if kind == "from":
            blocks.append(_Block([line], letterhead=True))
    if current:
        blocks.append(_Block(current))
    return blocks


def _addressee(header: list[Line], found: LetterFindings) -> None:
    if _labelled_addressee(header, found):
        return
    blocks = [block for block in _blocks(header) if not block.letterhead]
    candidates = [block for block in blocks if _could_be_addressee(block)]
    chosen = None
    if len(candidates) >= 2 or (len(candidates) == 1 and len(_blocks(header)) >= 2):
        chosen = candidates[-1]
    elif len(candidates) == 1 and _starts_with_person(candidates[0]) and candidates[0].first != found.signatory_name:
        chosen = candidates[0]
    if chosen is not None and _starts_with_person(chosen) and found.signatory_name and chosen.first.startswith(found.signatory_name):
        chosen = None  # the block names our own signatory: it is the letterhead
    if chosen is not None:
        _split_block(chosen.lines, found)
    else:
        for line in header:  # "Phone ... Email ... Rt Hon Mike Penning MP Via email"
            if _kind(line.text) in ("contact", "delivery"):
                found.found("addressee_name", honoured_person_in(line.text), line)
    _from_salutation(found)
    if not found.addressee_role:
        for line in header:  # "Letter from DMPC to Commissioner - 22nd September Oversight Board"
            match = _LETTER_TO.match(line.text)
            if match and (is_role(match.group("to")) or known_role_at_start(match.group("to")) == (match.group("to"), "")):
                found.found("addressee_role", match.group("to"), line)


def _starts_with_person(block: _Block) -> bool:
    return is_person(block.first) or leading_person(block.first) is not None


def _could_be_addressee(block: _Block) -> bool:
    return not block.letterhead and (_starts_with_person(block) or is_role(block.first))


def _labelled_addressee(header: list[Line], found: LetterFindings) -> bool:
    """'To:' with the addressee on its line, the next line, or one recipient a line below it."""
    for index, line in enumerate(header):
        match = _TO.match(line.text)
        if not match:
            continue
        items = [Line(line.number, match.group(1))] if match.group(1) else []
        for following in header[index + 1 :]:
            if _kind(following.text) not in ("text", "postcode") or (items and following.number > items[-1].number + 1):
                break
            items.append(following)
        items = [Line(item.number, re.sub(r"^(?:by\s+)?e-?mail\s+to\s+(?:the\s+)?", "", item.text, flags=re.IGNORECASE))
                 for item in items]
        if len(items) == 1 or (items and _starts_with_person(_Block(items))):
            _split_block(items, found)
        elif items:
            found.found("addressee_role", "; ".join(item.text for item in items), items[0])
        _from_salutation(found)
        return bool(items)
    return False


def _split_block(block: list[Line], found: LetterFindings) -> None:
    """Name, role and address, on separate lines or flattened onto one."""
    first = block[0]
    rest: list[Line] = block[1:]
    if is_person(first.text):
        found.found("addressee_name", first.text, first)
    elif leading_person(first.text):
        name, remainder = leading_person(first.text)
        found.found("addressee_name", name, first)
        rest = [Line(first.number, remainder)] + rest if remainder else rest
    elif is_role(first.text) or known_role_at_start(first.text):
        rest = block
    else:
        return
    if rest:
        head = rest[0]
        known = known_role_at_start(head.text)
        if is_role(head.text):
            found.found("addressee_role", head.text, head)
            rest = rest[1:]
        elif known:
            found.found("addressee_role", known[0], head)
            rest = ([Line(head.number, known[1])] if known[1] else []) + rest[1:]
        else:
            flattened = re.match(r"^(.+?)\s+(\d.*)$", head.text)  # "Group Director Legal, ... Commission 3 More London ..."
            if flattened and is_role(flattened.group(1)):
                found.found("addressee_role", flattened.group(1), head)
                rest = [Line(head.number, flattened.group(2))] + rest[1:]
    address = [line for line in rest if line.text]
    if address:
        found.found("addressee_address", "\n".join(line.text for line in address), address[0])


def _from_salutation(found: LetterFindings) -> None:
    """'Dear Mr Druitt' names the addressee, 'Dear Home Secretary' their role, when nothing else did."""
    source = found.sources.get("salutation")
    if not found.salutation or source is None:
        return
    kind = greeting_kind(found.salutation[4:])
    if kind is None:
        return
    line = Line(source.line, source.text)
    if kind[0] == "name" and not found.addressee_name:
        found.found("addressee_name", kind[1], line)
    elif kind[0] == "role" and not found.addressee_role:
        found.found("addressee_role", kind[1], line)


def _subject(header: list[Line], body: list[Line], has_salutation: bool, found: LetterFindings) -> None:
    for line in header + body[:3]:
        match = _SUBJECT.match(line.text)
        if match:
            found.found("subject", match.group(1).strip(), line)
            return
    if has_salutation:
        if body and _subject_line(body[0].text, min_words=2) and not _signatory_intro(body[0].text):
            found.found("subject", body[0].text, body[0])
        elif (found.addressee_role or "").casefold() != "editor":  # a newspaper prints a letter under its own headline
            _heading_above(header, found)
        return
    dated = found.sources.get("date")
    for line in header:  # the first heading, after the date if there is one
        if dated and line.number < dated.line or re.fullmatch(r"\(.*\)", line.text):
            continue
        if _kind(line.text) in ("text", "subject") and _subject_line(line.text) and not (
                is_role(line.text) or _starts_with_person(_Block([line]))):
            found.found("subject", line.text, line)
            return


def _heading_above(header: list[Line], found: LetterFindings) -> None:
    """The heading that introduces a published letter: the nearest line above the salutation,
    passing over dates, references, delivery lines and a "Response by Name, Title:" line."""
    for line in reversed(header):
        if _kind(line.text) in ("date", "ref", "delivery", "contact", "cc", "to", "from") or _signatory_intro(line.text):
            continue
        if _subject_line(line.text) and not is_role(line.text) and not _starts_with_person(_Block([line])):
            found.found("subject", line.text, line)
        return


def _signatory_intro(text: str) -> bool:
    match = _INTRO.match(text)
    return bool(match) and is_person(match.group("who").split(",")[0].strip(" :"))


def _subject_line(text: str, min_words: int = 3) -> bool:
    return heading_like(text, min_words=min_words) and not text.endswith(":")