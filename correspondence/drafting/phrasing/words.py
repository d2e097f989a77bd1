"""Words for numbers, plurals and lists, and names as a sentence carries them: "two recommendations",
"the Metropolitan Police Service", "a, b and c"."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number(n: int) -> str:
    """One to nine in words, 10 and over in figures ("12", "1,250"); nought is "no"."""
    if n == 0:
        return "no"
    if 0 < n < 10:
        return _WORDS[n]
    return f"{n:,}"


def plural(noun: str) -> str:
    """The plural of a noun phrase: the head noun changes ("area for improvement" -> "areas for
    improvement", "cause of concern" -> "causes of concern")."""
    words = noun.split(" ")
    head = next((i - 1 for i, word in enumerate(words) if i > 0 and word in ("of", "for", "in", "at", "from")), len(words) - 1)
    words[head] = _plural_word(words[head])
    return " ".join(words)


def _plural_word(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def counted(n: int, noun: str) -> str:
    """'one recommendation', 'two recommendations', 'no causes of concern', '12 areas for improvement'."""
    return f"{number(n)} {noun if n == 1 else plural(noun)}"


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c': British style, no comma before the last 'and' unless an
    item has an 'and' of its own ('preventing and deterring crime, and investigating crime')."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    serial = "," if any(f" {conjunction} " in item for item in items) else ""
    return f"{', '.join(items[:-1])}{serial} {conjunction} {items[-1]}"


def lower_first(phrase: str) -> str:
    """A heading-style phrase as it reads mid-sentence: 'Investigating crime' -> 'investigating
    crime', but 'MPS culture', 'Violence Against Women and Girls' and 'Kent Police' keep their
    capitals (an acronym, or other capitalised words, mean the capitals are the phrase's own)."""
    words = phrase.split()
    if not words:
        return phrase
    first = words[0].rstrip(",;:")  # 'Building, supporting and protecting the workforce'
    if not re.fullmatch(r"[A-Z][a-z'’-]*", first):
        return phrase
    if any(re.fullmatch(r"[A-Z][a-z'’-]+", word) for word in words[1:]):
        return phrase
    return phrase[:1].lower() + phrase[1:]


def sentence(text: str) -> str:
    """Text as a sentence: stripped, with a full stop unless it already ends in punctuation."""
    text = " ".join(text.split())
    if not text:
        return ""
    return text if text[-1] in ".!?" or text[-2:] in (".”", ".’", '."', ".'", ".)") else text + "."


_TAKES_THE = re.compile(r"^(?:Metropolitan|British Transport|City of London|Ministry of Defence|Civil Nuclear|Police Service)\b|\bService\b")


def force_name(name: str) -> str:
    """A force's name as it reads mid-sentence: 'the Metropolitan Police Service', 'the Police
    Service of Northern Ireland', but 'Kent Police' and 'Durham Constabulary'."""
    name = " ".join(name.split())
    if name.lower().startswith("the ") or not _TAKES_THE.search(name):
        return name
    return f"the {name}"


_OFFICE_TAKES_THE = re.compile(r"^(?:Office|Mayor's Office|Police and Crime Commissioner|Police, Fire and Crime Commissioner)\b|\b(?:Office|Authority|Board|Panel)\b")


def office_name(name: str) -> str:
    """An office's name as it reads mid-sentence: 'the Mayor's Office for Policing and Crime',
    'the Office of the Kent Police and Crime Commissioner'."""
    name = " ".join(name.split())
    if name.lower().startswith("the ") or not _OFFICE_TAKES_THE.search(name):
        return name
    return f"the {name}"


_THEMATIC = re.compile(r"^\s*(?:national\s+|joint\s+)?thematic\b", re.IGNORECASE)


def is_thematic(programme: str) -> bool:
    """A thematic programme ('Thematic', 'Thematic: vetting, misconduct and misogyny'): a report on
    a subject across forces, not an inspection of one force in a named programme."""
    return bool(_THEMATIC.match(programme or ""))


def programme_name(programme: str) -> str:
    """'Crime Data Integrity inspection' -> 'Crime Data Integrity', so 'inspection' is not said
    twice; any thematic programme is just 'thematic' ('its previous thematic inspection')."""
    if is_thematic(programme):
        return "thematic"
    return re.sub(r"\s+(?:inspections?|programme)$", "", programme.strip(), flags=re.IGNORECASE) or programme


LETTERHEAD_LINE = 54  # characters of the office's name that fit one letterhead line (14 pt bold Arial, 16 cm)


def balanced_lines(text: str, width: int = LETTERHEAD_LINE) -> list[str]:
    """``text`` in as few lines of at most about ``width`` characters as it needs, the lines as
    nearly equal in length as its words allow: a long office name on a letterhead breaks as
    'Office of the Police and Crime Commissioner' / 'for Wiltshire and Swindon' rather than leaving
    'Swindon' alone on the second line."""
    words = text.split()
    if len(" ".join(words)) <= width or len(words) < 2:
        return [" ".join(words)] if words else []
    count = -(-len(" ".join(words)) // width)  # lines needed
    count = min(count, len(words))

    def length(i: int, j: int) -> int:
        return len(" ".join(words[i:j]))

    # best[k][i]: the least possible longest line setting words[i:] in k lines, and where the first breaks
    n = len(words)
    best: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n):
        best[1, i] = (length(i, n), n)
    for k in range(2, count + 1):
        for i in range(n - k + 1):
            best[k, i] = min((max(length(i, j), best[k - 1, j][0]), j) for j in range(i + 1, n - k + 2))
    lines, i = [], 0
    for k in range(count, 0, -1):
        j = best[k, i][1]
        lines.append(" ".join(words[i:j]))
        i = j
    return lines
