"""Who a letter is to and who signed it: the addressee block, labels and salutation; the sign-off.

The addressee block is the last block of names and address lines before the date and salutation;
a block followed by contact lines, labelled "From:", or naming our own signatory is the letterhead.
A block read by its position is taken only when it surely is an addressee (a role, a titled name, a
name followed by a role or by an address with its postcode) and the salutation names nobody else;
an address only when it ends in its postcode. Anything less is left empty for the officer to fill.
The signatory comes from the sign-off, a "Response by Name, Title:" line above the salutation, a
closing "Name / Title" with no sign-off, or a letterhead that names its writer.
"""

from __future__ import annotations

import re

from correspondence.importers.letter_findings import LetterFindings
from correspondence.importers.letter_lines import (
    CC,
    INTRO,
    LETTER_TO,
    TO,
    VALEDICTION,
    Block,
    blocks_of,
    could_be_addressee,
    kind_of,
    line_date,
    starts_with_person,
)
from correspondence.importers.lines import Line, is_prose
from correspondence.importers.names import (
    HONORIFIC,
    POST_NOMINAL,
    greeting_kind,
    honoured_person_in,
    is_person,
    is_role,
    known_role_at_start,
    leading_person,
)


def read_signatory(header: list[Line], body: list[Line], has_salutation: bool, found: LetterFindings) -> None:
    if _sign_off(body, found):
        return
    for line in header[-1:] if has_salutation else header[:3]:
        match = INTRO.match(line.text)
        if match and _name_and_title(match.group("who"), line, found):
            return
    if _closing_lines(body[-8:], found):
        return
    blocks = blocks_of(header)
    for position, block in enumerate(blocks):  # a letterhead naming its writer: "Kit Malthouse MP / Minister of State ..."
        named = is_person(block.first) and len(block.lines) > 1 and is_role(block.lines[1].text)
        if named and (block.letterhead or any(could_be_addressee(later) for later in blocks[position + 1 :])):
            found.found("signatory_name", block.first, block.lines[0])
            found.found("signatory_title", block.lines[1].text, block.lines[1])
            return


def _sign_off(body: list[Line], found: LetterFindings) -> bool:
    for index, line in enumerate(body):
        match = VALEDICTION.match(line.text)
        if not match:
            continue
        after = ([Line(line.number, match.group("rest"))] if match.group("rest") else []) + body[index + 1 : index + 7]
        for position, candidate in enumerate(after):
            text = candidate.text
            if CC.match(text) or is_prose(text) or line_date(text):
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


def read_addressee(header: list[Line], found: LetterFindings) -> None:
    if _labelled_addressee(header, found):
        return
    blocks = [block for block in blocks_of(header) if not block.letterhead]
    candidates = [block for block in blocks if could_be_addressee(block)]
    chosen = None
    if len(candidates) >= 2 or (len(candidates) == 1 and len(blocks_of(header)) >= 2):
        chosen = candidates[-1]
    elif len(candidates) == 1 and starts_with_person(candidates[0]) and candidates[0].first != found.signatory_name:
        chosen = candidates[0]
    if chosen is not None and starts_with_person(chosen) and found.signatory_name and chosen.first.startswith(found.signatory_name):
        chosen = None  # the block names our own signatory: it is the letterhead
    if chosen is not None and not _sure_of(chosen, found):
        chosen = None
    if chosen is not None:
        _split_block(chosen.lines, found)
    else:
        for line in header:  # "Phone ... Email ... Rt Hon Mike Penning MP Via email"
            if kind_of(line.text) in ("contact", "delivery"):
                found.found("addressee_name", honoured_person_in(line.text), line)
    _from_salutation(found)
    if not found.addressee_role:
        for line in header:  # "Letter from DMPC to Commissioner - 22nd September Oversight Board"
            match = LETTER_TO.match(line.text)
            if match and (is_role(match.group("to")) or known_role_at_start(match.group("to")) == (match.group("to"), "")):
                found.found("addressee_role", match.group("to"), line)


def _sure_of(block: Block, found: LetterFindings) -> bool:
    """Whether a block read by its position is surely the addressee. A block that starts with a role
    is; one that starts with a name is when the name carries a title ("Mr", "Rt Hon", "MP"), a
    role follows it, or an address with a postcode does ("Related Links" above a page's links is
    two capitalised words, nothing more). And a name the salutation contradicts ("Dear Sadiq Khan"
    under "Commissioner's Application") is not the addressee's."""
    name, rest = _name_of(block.first)
    if name is None:
        return True
    if not _agrees_with_salutation(name, found):
        return False
    titled = bool(re.match(rf"(?:{HONORIFIC})\s", name) or re.search(rf"\b{POST_NOMINAL}$", name))
    next_line = rest or (block.lines[1].text if len(block.lines) > 1 else "")
    followed_by_role = bool(next_line) and (is_role(next_line) or known_role_at_start(next_line) is not None)
    return titled or followed_by_role or any(kind_of(line.text) == "postcode" for line in block.lines)


def _name_of(text: str) -> tuple[str | None, str]:
    if is_person(text):
        return text.strip().rstrip(","), ""
    leading = leading_person(text)
    return (leading[0], leading[1]) if leading else (None, "")


def _agrees_with_salutation(name: str, found: LetterFindings) -> bool:
    """'Mr Bob Jones' and 'Dear Mr Jones', 'Andrew Cooke QPM' and 'Dear Andy': a word in common, or a
    first name and its short form. True when the salutation names nobody ('Dear Home Secretary')."""
    kind = greeting_kind(found.salutation[4:]) if found.salutation else None
    if kind is None or kind[0] != "name":
        return True
    greeted, named = _name_words(kind[1]), _name_words(name)
    return any(word == other or (len(word) >= 3 and other.startswith(word[:3])) for word in greeted for other in named)


def _name_words(text: str) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", text)
    return [word.casefold() for word in words
            if not re.fullmatch(rf"(?:{HONORIFIC}|{POST_NOMINAL}|Hon|Rt|The|and)\.?", word, flags=re.IGNORECASE)]


def _labelled_addressee(header: list[Line], found: LetterFindings) -> bool:
    """'To:' with the addressee on its line, the next line, or one recipient a line below it."""
    for index, line in enumerate(header):
        match = TO.match(line.text)
        if not match:
            continue
        items = [Line(line.number, match.group(1))] if match.group(1) else []
        for following in header[index + 1 :]:
            if kind_of(following.text) not in ("text", "postcode") or (items and following.number > items[-1].number + 1):
                break
            items.append(following)
        items = [Line(item.number, re.sub(r"^(?:by\s+)?e-?mail\s+to\s+(?:the\s+)?", "", item.text, flags=re.IGNORECASE))
                 for item in items]
        if len(items) == 1 or (items and starts_with_person(Block(items))):
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
        found.found("addressee_name", first.text.rstrip(" ,"), first)  # "The Rt Hon ... MP," on a comma-ended line
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
            found.found("addressee_role", head.text.rstrip(" ,"), head)
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
    if address and kind_of(address[-1].text) == "postcode":  # an address is sure when it ends in its postcode
        found.found("addressee_address", "\n".join(line.text.rstrip(" ,") for line in address), address[0])


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
