"""What both parsers read documents as: numbered lines, page furniture, dates, and where a value came from.

Every value the importers extract carries a ``Source``: the number of the line of the document's
text it came from and that line, so an officer can check "13 September 2024" against line 14 at a
glance (a dry run shows both). Page furniture (skip links, menus, cookie text, "archived
version" notices, "Published"/"Updated" stamps of the web page) is recognised here once for both.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass
from typing import NamedTuple

from correspondence.records.dates import MONTHS, parse_date
from correspondence.records.errors import CorrespondenceError


class Line(NamedTuple):
    number: int  # 1-based, in the document's text as read
    text: str


@dataclass(frozen=True)
class Source:
    """Where a value came from: the line number and the line itself (shortened if long)."""

    line: int
    text: str
    cut: bool = False  # the value may be cut short (the text stops, or a PDF page break could not be joined)

    @classmethod
    def of(cls, line: Line, cut: bool = False) -> Source:
        text = line.text if len(line.text) <= 160 else line.text[:157] + "..."
        return cls(line.number, text, cut)

    def describe(self) -> str:
        return f"line {self.line}: {self.text}"


def document_lines(text: str) -> list[Line]:
    """The text's lines, numbered from 1, with markup and markdown removed and spaces tidied."""
    return [Line(number, _clean(raw)) for number, raw in enumerate(text.splitlines(), start=1)]


def _clean(line: str) -> str:
    if "<" in line:
        line = _MARKUP.sub("", line)  # stray markup such as <u>...</u>
    line = line.strip()
    if line.startswith("#"):
        line = re.sub(r"^#{1,6}\s+", "", line)  # markdown headings
    if "**" in line:
        line = re.sub(r"\*\*(.+?)\*\*", r"\1", line)
    if line.endswith("|"):
        line = line.rstrip("| ")  # a banner's trailing separator
    return " ".join(line.split())


_MARKUP = re.compile(r"</?[a-zA-Z][^>]*>")


# --- page furniture -----------------------------------------------------------------------------

_FURNITURE = re.compile(
    r"""^(?:
        skip\ to\b.* | .*\bskip\ to\ (?:main\ )?content\b.* | accessibility(?:\ settings)?\b.* | (?:open|close)\ menu
        | menu | home | search | share(?:\ this\ page)? | print(?:\ this\ (?:document|page))? | contents | youtube
        | back\ to\ top | correspondence | news | most\ read | become\ a\ supporter | read\ more:? | get\ the\ report
        | related\ links | follow\ (?:us\ )?on\ (?:twitter|facebook|x|instagram|linkedin)\b.* | sign\ up\ for\b.*\bnewsletters?\b.*
        | comment\ on\ this\ (?:story|article|post)\b.*
        | text\ size:.* | .*\bchange\ font\ size\b.* | view\ (?:text\ only|full\ website)\b.*
        | .*\b(?:we|this\ site)\ uses?\ cookies\b.* | (?:accept|reject)(?:\ all)?\ cookies | cookie\ (?:settings|preferences)
        | this\ entry\ was\ posted\ in\b.* | bookmark\ the\ permalink\.?
        | .*\barchived\ (?:version|page|copy|content|news)\b.* | this\ (?:page|content)\ (?:is|has\ been)\ archived\b.*
        | this\ was\ published\ under\ the\b.* | applies\ to\ (?:england|wales|scotland|northern\ ireland)\b.*
        | (?:last\ )?updated(?:\ on)?:?\ .* | published(?:\ on)?:?\ \d.* | posted(?:\ on)?:?\ .*
        | home\s*[›>»/].* | page\ \d+(?:\ of\ \d+)? | \d{1,3} | ©.* | crown\ copyright.* | official[\ -]sensitive | letterhead
        | \d+\ attachments? | source\ ·.* | publication\ types?:.* | applicable\ forces | read\ more\ about\b.*
        | contact\ (?-i:[A-Z][a-z]+\ [A-Z][a-z'\-]+) | \[.*\] | (?:[^|]+\|){2,}[^|]*
        | .*\blogo | .*-\ credit:\ .*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


@functools.lru_cache(maxsize=4096)
def is_furniture(text: str) -> bool:
    """Web page or print furniture: never a fact of the letter or report."""
    return bool(text) and len(text) <= 250 and bool(_FURNITURE.match(text))


# --- the shape of a line ------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s\-]+", text) if word]


@functools.lru_cache(maxsize=4096)
def is_prose(text: str) -> bool:
    """A sentence of running text rather than a heading, name or address line."""
    if len(text) > 160:
        return True
    return len(words(text)) >= 8 and text.rstrip("’'\"”)").endswith((".", "!", "?", ":", ";"))


@functools.lru_cache(maxsize=4096)
def heading_like(text: str, *, min_words: int = 3) -> bool:
    """A title or subject line: a few words, not a sentence, not a date or a bare number."""
    if not text or is_prose(text) or find_date(text) or len(text) > 200:
        return False
    if text.endswith((".", ",", ";")) and not text.endswith("..."):
        return False
    return len(words(text)) >= min_words and bool(re.search(r"[A-Za-z]{3}", text))


# --- dates --------------------------------------------------------------------------------------

_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?,?\s+(?:the\s+)?"
_MONTH = r"[A-Za-z]{3,10}\.?"
_DIGIT = r"[0-9lIO]"  # OCR reads 1 as l or I and 0 as O
_DAY_MONTH_YEAR = rf"(?P<day>\d{{1,2}}|[lI]\d|\d[lIO])(?:st|nd|rd|th)?\s+(?P<month>{_MONTH}),?\s+(?P<year>[12]{_DIGIT}(?:\s?{_DIGIT}){{2}})"
_MONTH_DAY_YEAR = rf"(?P<month2>{_MONTH})\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?,\s+(?P<year2>[12]\d{{3}})"
_WHOLE_DATE = re.compile(rf"^(?:date\s*:?\s*)?(?:{_WEEKDAY})?(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR})\.?$", re.IGNORECASE)
DATE_IN_TEXT = re.compile(rf"\b(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR})\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"^(?:date\s*:?\s*)?(\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def find_date(text: str) -> dt.date | None:
    """The date a line consists of ("13th September 2024", "Wednesday 27 July 2021", "29/06/2020",
    "October 14, 2011", OCR's "23 January 201 2"), or None. A line with more than a date is not a date."""
    text = text.strip().rstrip("|").strip()
    numeric = _NUMERIC_DATE.match(text)
    if numeric:
        return _safe_date(numeric.group(1))
    match = _WHOLE_DATE.match(text)
    return _date_from(match) if match else None


def date_in(text: str) -> tuple[dt.date, re.Match[str]] | None:
    """The first whole date written inside running text, with where it is."""
    for match in DATE_IN_TEXT.finditer(text):
        found = _date_from(match)
        if found:
            return found, match
    return None


def _date_from(match: re.Match[str]) -> dt.date | None:
    groups = match.groupdict()
    day, month, year = (groups["day"], groups["month"], groups["year"]) if groups.get("day") else (
        groups["day2"], groups["month2"], groups["year2"])
    month_name = _month(month.rstrip("."))
    if month_name is None:
        return None
    day = _ocr_digits(day)
    year = _ocr_digits(year.replace(" ", ""))
    return _safe_date(f"{day} {month_name} {year}")


def _month(word: str) -> str | None:
    lowered = word.casefold()
    for name in MONTHS:
        if lowered in (name.casefold(), name[:3].casefold()) or (lowered == "sept" and name == "September"):
            return name
    if len(lowered) >= 6:  # OCR damage: "Septernber"
        close = difflib.get_close_matches(lowered, [name.casefold() for name in MONTHS], n=1, cutoff=0.85)
        if close:
            return close[0].capitalize()
    return None


def _ocr_digits(text: str) -> str:
    return text.replace("l", "1").replace("I", "1").replace("O", "0")


def _safe_date(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except CorrespondenceError:
        return None


