"""Reading a letter's register entry out of its text: reference, date, addressee, subject,
signatory and cc, each with the line it came from.

Real letters are untidy, and published ones more so: a web page wraps the letter in banners and
navigation, a blog quotes the letter it answers first, an FOI page holds the request and then the
reply, OCR runs a whole letterhead into one line. So the parser first finds the letter (the
salutation whose header carries a date or reference, or whose first line is a labelled reference;
when several letters share a page and nothing says which is the letter, it reads none of them),
then reads each field where letters put it:

- the sender's letterhead is told from the addressee block by position (the addressee block is the
  last one before the date and salutation), by labels ("To:", "From:"), by the contact lines
  that only a letterhead has ("Tel:", "www.") and by the signatory's own name, and taken only when
  it surely is one (letter_people);
- a date is a line that is only a date (a weekday, an ordinal, US order or OCR damage allowed), or
  "today (15 June 2017)" in the first lines, or a date just after the signature; never a date
  inside a sentence ("your letter of 9th May", "published on the 2 November 2022"), nor a page's
  date stamp above a text that has no letter header;
- the subject is labelled, or the heading just after the salutation or the date, or the heading
  that introduces a published letter; never a paragraph's first line, and on a page without a
  letter header only a heading that says it introduces a letter;
- the signatory comes from the sign-off, a "Response by Name, Title:" line above the salutation, a
  closing "Name / Title", or a letterhead that names its writer.

A field that is not there, or that the letter does not settle, is left empty and reported; nothing
is guessed. benchmarks/letter_precision.py measures this on real letters kept apart from the
development corpus.
"""

from __future__ import annotations

import re

from correspondence.importers.letter_findings import LetterFindings
from correspondence.importers.letter_lines import (
    CC,
    DATE_LABEL,
    INTRO,
    OUR_REF,
    OUR_REF_INSIDE,
    SUBJECT,
    THEIR_REF,
    VALEDICTION,
    Block,
    kind_of,
    line_date,
    looks_like_reference,
    salutation_in,
    signatory_intro,
    starts_with_person,
)
from correspondence.importers.letter_people import read_addressee, read_signatory
from correspondence.importers.lines import (
    DATE_IN_TEXT,
    Line,
    document_lines,
    find_date,
    heading_like,
    is_furniture,
    is_prose,
)
from correspondence.importers.names import is_role

_TODAY = re.compile(r"\btoday\s*\((?P<date>[^)]+)\)|^today,?\s+(?P<lead>\d{1,2}\s+\w+\s+\d{4})", re.IGNORECASE)
_SPLIT_FLATTENED = re.compile(
    r"(?=\bDear\s)|(?=\bYours\s+(?:sincerely|faithfully))|(?=\b(?:Your|YOUR|Our|OUR)\s+[Rr]ef\b)|(?=\bR[Ee]\s?:\s)"
    r"|(?<=[A-Z][0-9lIO]\s[0-9][A-Z]{2})\s|(?<=[A-Z][0-9lIO][0-9A-Z]\s[0-9][A-Z]{2})\s|(?<=\D)\s(?=\d{1,2}\s?\.\s+[A-Z])"
)



def parse_letter(text: str) -> LetterFindings:
    found = LetterFindings()
    lines = _readable_lines(text)
    salutations = [index for index, line in enumerate(lines) if salutation_in(line.text)]
    start = _letter_start(lines, salutations)
    if start == _AMBIGUOUS:
        return found  # several letters on the page and nothing says which is the letter: nothing is read
    end = next((index for index in salutations if start is not None and index > start), len(lines))
    after_sign_off = False
    if start is not None:
        header = _header(lines, start)
        found.found("salutation", salutation_in(lines[start].text), lines[start])
        body = lines[start + 1 : end]
        first = start - len(header)
        after_sign_off = first > 0 and bool(VALEDICTION.match(lines[first - 1].text))
    else:
        header, body = _leading_lines(lines)
    salutation_line = lines[start].number if start is not None else None
    _reference(header + [line for line in body[:8] if line.number == salutation_line]
               + [line for line in body[:2] if OUR_REF.match(line.text)], found)
    _date_from_header(header if start is not None or _has_letter_parts(header) else [], found)
    _cc(header + body, found)
    # Just after another letter's sign-off, the lines above the salutation start with that letter's
    # signature: who this letter is to can then only come from a label or the salutation.
    people_header = [line for line in header if not after_sign_off or kind_of(line.text) not in ("text", "postcode")]
    read_signatory(people_header, body, start is not None, found)
    read_addressee(people_header, found)
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
    return [(match.start(), match.end()) for match in DATE_IN_TEXT.finditer(text) if find_date(match.group(0))]


_AMBIGUOUS = -1


def _letter_start(lines: list[Line], salutations: list[int]) -> int | None:
    """The salutation of the letter itself: the first whose header has a date or our reference, or
    whose first lines are a labelled reference ("Freedom of Information Request Reference No: ..."):
    a page may quote the letter it answers first. A page with one salutation: that one. A page with
    several and none of them so marked (a request and its reply, a quoted letter and the answer):
    which is the letter is not known, and _AMBIGUOUS says so."""
    for index in salutations:
        header = _header(lines, index)
        if any(line_date(line.text) or OUR_REF.match(line.text) or looks_like_reference(line.text) for line in header):
            return index
        if any(OUR_REF.match(line.text) and not THEIR_REF.match(line.text) for line in lines[index + 1 : index + 3]):
            return index
    if len(salutations) > 1:
        return _AMBIGUOUS
    return salutations[0] if salutations else None


def _header(lines: list[Line], salutation: int) -> list[Line]:
    """The lines above the salutation that belong to this letter: back to the previous paragraph
    of running text, sign-off or "Letterhead" marker."""
    index = salutation
    while index > 0 and salutation - index < 30:
        text = lines[index - 1].text
        if (is_prose(text) and not INTRO.match(text)) or VALEDICTION.match(text) or text.lower() == "letterhead" or salutation_in(text):
            break
        index -= 1
    return lines[index:salutation]


def _has_letter_parts(header: list[Line]) -> bool:
    """Whether the lines above a text without a salutation are a letter's header: an address block
    or letterhead (a postcode, contact lines), a reference, a "To:" or "From:" label. Without them
    a date there is the page's (a blog's "Thursday, April 28, 2016", a newspaper's "Date: Monday
    15th April 2013" above a letter to the editor), and a heading is the page's too unless it says
    it introduces a letter."""
    return any(kind_of(line.text) in ("postcode", "contact", "ref", "to", "from") for line in header)


def _leading_lines(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """For a letter without a salutation: the lines before its first paragraph, and the rest."""
    index = 0
    while index < len(lines) and index < 30 and not is_prose(lines[index].text):
        index += 1
    return lines[:index], lines[index:]


# --- reference and date -------------------------------------------------------------------------


def _reference(lines: list[Line], found: LetterFindings) -> None:
    for index, line in enumerate(lines):
        if THEIR_REF.match(line.text):
            continue
        match = OUR_REF.match(line.text) or OUR_REF_INSIDE.search(line.text)
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
        if looks_like_reference(line.text) and not find_date(line.text):
            found.found("reference", line.text, line)
            return


def _reference_value(value: str) -> str | None:
    """'U0 75995/TXF tracey . fc w ler' (OCR) is reference 'U0 75995/TXF': the leading tokens that
    carry a digit or a slash."""
    tokens = []
    words = value.split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]) and re.search(r"\d", words[1]):
        tokens.append(words.pop(0))  # a series letter code before the number: "RFI 2015-096", "FOI 2024-118"
    for token in words[:4]:
        if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9/\-.]*", token) and (re.search(r"[\d/]", token) or looks_like_reference(token)):
            tokens.append(token)
        else:
            break
    reference = " ".join(tokens).rstrip(".")
    if re.fullmatch(r"\d{6,}", reference):
        return reference  # a labelled case number: "Reference No: 2010080000104"
    return reference if re.search(r"[A-Za-z]", reference) and re.search(r"[\d/]", reference) and len(reference) <= 60 else None


def _date_from_header(header: list[Line], found: LetterFindings) -> None:
    for line in sorted(header, key=lambda line: not DATE_LABEL.match(line.text)):  # "Date:" first
        day = line_date(line.text)
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
    signed = next((index for index, line in enumerate(body) if VALEDICTION.match(line.text)), None)
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
        match = CC.match(line.text)
        if not match:
            continue
        if match.group(1):
            items = [part.strip() for part in re.split(r"\s*[,;]\s*", match.group(1)) if part.strip()]
        else:
            items, previous = [], line.number
            for following in lines[index + 1 : index + 10]:
                if following.number > previous + 1 or kind_of(following.text) not in ("text", "postcode", "contact"):
                    break
                items.append(following.text)
                previous = following.number
        found.found("cc", items, line)
        return


def _subject(header: list[Line], body: list[Line], has_salutation: bool, found: LetterFindings) -> None:
    for line in header + body[:3]:
        match = SUBJECT.match(line.text)
        if match:
            found.found("subject", match.group(1).strip(), line)
            return
    if has_salutation:
        following = body[1] if len(body) > 1 else None
        if body and _subject_line(body[0].text, min_words=2, following=following) and not signatory_intro(body[0].text):
            found.found("subject", body[0].text, body[0])
        elif (found.addressee_role or "").casefold() != "editor":  # a newspaper prints a letter under its own headline
            _heading_above(header, found)
        return
    dated = found.sources.get("date")
    # In a letter's header, the first heading after the date, or below the letterhead or address
    # block: a letter puts its subject there, and a line above a letterhead is the page's ("Sei
    # sulla pagina 1 di 12"). On a page with no letter header, only a heading that says it
    # introduces a letter ("Open letter from ...", "A message from ...", "Response by ..."): the
    # first heading of any page is as likely its site's motto or its breadcrumbs.
    structured = _has_letter_parts(header)
    blocks_end = max((line.number for line in header if kind_of(line.text) in ("contact", "postcode")), default=0)
    for position, line in enumerate(header):
        if not structured and not _NAMES_A_LETTER.search(line.text) and not _running_text(
                line.text, header[position + 1] if position + 1 < len(header) else None):
            continue
        if dated and line.number < dated.line or line.number < blocks_end or re.fullmatch(r"\(.*\)", line.text):
            continue
        following = header[position + 1] if position + 1 < len(header) else None
        if kind_of(line.text) in ("text", "subject") and _running_text(line.text, following):
            return  # the letter's text has begun and no heading came before it
        if kind_of(line.text) in ("text", "subject") and _subject_line(line.text, following=following) and not (
                is_role(line.text) or starts_with_person(Block([line]))):
            found.found("subject", line.text, line)
            return


def _heading_above(header: list[Line], found: LetterFindings) -> None:
    """The heading that introduces a published letter: the nearest line above the salutation,
    passing over delivery lines and a "Response by Name, Title:" line. A letter whose header has its
    date, reference or an address (a letter as sent, not as introduced by a page) has its subject
    below the salutation or labelled "Re:", so a line above such a header's salutation is not taken
    ("Reply contact name is Senior Force Disclosure Decision Maker")."""
    if any(kind_of(line.text) in ("date", "ref", "postcode") for line in header):
        return
    for line in reversed(header):
        kind = kind_of(line.text)
        if kind in ("date", "ref", "delivery", "contact", "cc", "to", "from") or signatory_intro(line.text):
            continue
        if kind == "postcode":
            return  # the salutation follows an address block: there is no heading above it
        if _subject_line(line.text) and not is_role(line.text) and not starts_with_person(Block([line])):
            found.found("subject", line.text, line)
        return


_NAMES_A_LETTER = re.compile(
    r"\b(?:letters?|message|statement|response|reply|comments|writes|evidence|submission)\b", re.IGNORECASE)

# A sentence of the letter rather than its heading: "I write in connection with your request ...".
_OPENS_A_SENTENCE = re.compile(r"^(?:I|I['’](?:m|ve|d)|We|We['’](?:re|ve)|Please|Thank\s+you|Thanks|Many\s+thanks)\b")


def _subject_line(text: str, min_words: int = 3, following: Line | None = None) -> bool:
    """A heading: not a sentence's start, not a line of a paragraph wrapped onto the next line."""
    if _running_text(text, following):
        return False
    return heading_like(text, min_words=min_words) and not text.endswith(":")


def _running_text(text: str, following: Line | None = None) -> bool:
    """A line of the letter's paragraphs: it starts in lower case or as a sentence does ("I write
    ..."), or the paragraph wraps onto the next line ("It has been reported ... that" / "two former")."""
    first_letter = re.search(r"[A-Za-z]", text)
    if first_letter is None:
        return False
    if first_letter.group(0).islower() or _OPENS_A_SENTENCE.match(text):
        return True
    return following is not None and bool(re.match(r"^[a-z]", following.text))
