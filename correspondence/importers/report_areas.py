"""What HMICFRS asks of a force, as a report lists it: causes of concern, recommendations (with
their timescales) and areas for improvement.

They come under headings ("Areas for improvement", "Cause of concern", "Area for improvement 3"),
as "AFI" entries on index pages, as recommendations that follow a cause of concern with no heading
of their own ("Within three months, the force should: ..."), as numbered "HMICFRS recommends that
..." paragraphs, or quoted ("HMIC's recommendation that “reports of crime are recorded as crime”").
A text that stops mid-sentence at the end of the document, or that a PDF page break may have cut,
is marked as possibly cut rather than stored as if whole.
"""

from __future__ import annotations

import re
from typing import Any

from correspondence.files.pdf_text import CUT_MARK
from correspondence.importers.lines import Line
from correspondence.importers.report_findings import ReportFindings
from correspondence.tracking.corrections import as_sentence as _as_sentence  # the rule a corrected finding keeps too

_BULLET = re.compile(r"^(?:[\u2022\u2023\u25e6\u2043\u2219\u00b7\u25cf\-\*\u2013]|\(?[a-z0-9]{1,3}[.)])\s+")
_AREA_HEADING = re.compile(
    r"^(?P<kind>causes?\s+of\s+concern|recommendations?|areas?\s+for\s+improvement)(?:\s+(?P<number>\d+))?\s*:?$",
    re.IGNORECASE,
)
_AFI = re.compile(r"^(?:AFI|area\s+for\s+improvement)$", re.IGNORECASE)
_TIMESCALE = re.compile(
    r"\b(immediately|within\s+(?:the\s+next\s+)?(?:\d+|one|two|three|four|five|six|nine|twelve|eighteen)\s+(?:months?|weeks?|days?)"
    r"|by\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})",
    re.IGNORECASE,
)
_SHOULD_LEAD = re.compile(
    r"^(?:(?:within\s+\S+\s+(?:months?|weeks?|days?)|immediately|by\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}),?\s+)?"
    r"(?:the\s+force|chief\s+constables|all\s+forces|forces|the\s+constabulary)\s+(?:should|must)\b",
    re.IGNORECASE,
)
_RECOMMENDS = re.compile(
    r"^(?:(?:recommendation\s+)?(?P<number>\d{1,2})[.:)]?\s+)?(?P<text>(?:(?:by\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|within\s+\S+\s+months?),?\s+)?"
    r"(?:HMICFRS|HMIC|HM\s+Inspectorate\s+of\s+Constabulary(?:\s+and\s+Fire\s+(?:&|and)\s+Rescue\s+Services)?|we|the\s+inspectorate)"
    r"\s+recommends?\s+that\b.+)$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"\brecommendation\s+that\s+[“\"](?P<text>[^”\"]{5,300})[”\"]", re.IGNORECASE)
_ENDS_WHOLE = re.compile(r"[.;:!?)”’\"']$")


def read_areas(content: list[Line], findings: ReportFindings) -> None:
    targets = {"c": "causes_of_concern", "r": "recommendations", "a": "areas_for_improvement"}
    last = content[-1].number if content else 0
    index = 0
    while index < len(content):
        line = content[index]
        heading = _AREA_HEADING.match(line.text)
        if heading:
            section = targets[heading.group("kind")[0].lower()]
            number = int(heading.group("number")) if heading.group("number") else None
            index = _read_section(content, index + 1, section, number, findings, last)
            if section == "causes_of_concern":
                index = _recommendations_after(content, index, findings, last)
            continue
        if _AFI.match(line.text) and index + 1 < len(content):  # an index page: "AFI", the statement, its detail
            _add(findings, "areas_for_improvement", {"text": content[index + 1].text}, content[index + 1], last)
            index += 2
            continue
        recommends = _RECOMMENDS.match(line.text)
        if recommends:
            entry = {"text": recommends.group("text")}
            if recommends.group("number"):
                entry["number"] = int(recommends.group("number"))
            _with_timescale(entry, recommends.group("text"), anywhere=True)
            _add(findings, "recommendations", entry, line, last)
        elif _SHOULD_LEAD.match(line.text) and _TIMESCALE.match(line.text) and line.text.endswith(":"):
            index = _recommendations_after(content, index, findings, last)
            continue
        for quoted in _QUOTED.finditer(line.text):
            _add(findings, "recommendations", {"text": quoted.group("text").strip()}, line, last)
        index += 1


def _read_section(content: list[Line], index: int, section: str, number: int | None, findings: ReportFindings, last: int) -> int:
    """Read the items under one heading; returns where the section ends."""
    timescale = None
    items: list[Line] = []
    item_numbers: dict[int, int] = {}  # "1. HMICFRS recommends that ..." keeps its number
    while index < len(content):
        line = content[index]
        if _AREA_HEADING.match(line.text) or _AFI.match(line.text):
            break
        if _BULLET.match(line.text):
            numbered = re.match(r"^(\d{1,2})[.)]\s", line.text)
            items.append(Line(line.number, _BULLET.sub("", line.text, count=1)))
            if numbered:
                item_numbers[line.number] = int(numbered.group(1))
        elif line.text.endswith(":") and not items:
            found = _TIMESCALE.search(line.text)
            timescale = _timescale_words(found.group(1)) if found else timescale
        elif not items and (number is not None or not _is_heading(line.text)):
            items.append(line)  # a numbered area's text, a cause of concern's paragraph, or a single unbulleted item
        else:
            break
        index += 1
    for item in items:
        text = _as_sentence(item.text)
        if not text:
            continue
        entry: dict[str, Any] = {"text": text}
        if number is not None or item.number in item_numbers:
            entry["number"] = number if number is not None else item_numbers[item.number]
        if timescale:
            entry["timescale"] = timescale
        else:
            _with_timescale(entry, text, anywhere=section == "recommendations")
        _add(findings, section, entry, Line(item.number, item.text), last, whole_text=item.text)
    return index


def _recommendations_after(content: list[Line], index: int, findings: ReportFindings, last: int) -> int:
    """Recommendations with no heading of their own, after a cause of concern: each paragraph that
    starts "Within three months, the force should ..." or "The force should immediately:"."""
    while index < len(content):
        line = content[index]
        if not (_SHOULD_LEAD.match(line.text) or (_TIMESCALE.match(line.text) and re.search(r"\bshould\b", line.text))):
            break
        timescale = _TIMESCALE.search(line.text)
        following = content[index + 1] if index + 1 < len(content) else None
        if line.text.endswith(":") and following and _BULLET.match(following.text):
            index = _read_section(content, index, "recommendations", None, findings, last)
            continue
        text, source = line.text, line
        if line.text.endswith(":") and following and not _AREA_HEADING.match(following.text):
            text, source, index = f"{line.text} {following.text}", following, index + 1
        entry: dict[str, Any] = {"text": text}
        if timescale:
            entry["timescale"] = _timescale_words(timescale.group(1))
        _add(findings, "recommendations", entry, source, last)
        index += 1
    return index


def _with_timescale(entry: dict[str, Any], text: str, anywhere: bool = False) -> None:
    """A timescale the item starts with ("Within three months, ..."); for a recommendation, also
    one written inside it ("HMICFRS recommends that, by 31 March 2022, ..."), when it names only one."""
    found = list(_TIMESCALE.finditer(text))
    if found and (text.lower().startswith(found[0].group(1).lower()) or (anywhere and len(found) == 1)):
        entry["timescale"] = _timescale_words(found[0].group(1))


def _timescale_words(text: str) -> str:
    """'Within three months' -> 'within three months'; 'By 31 March 2022' -> 'by 31 March 2022'."""
    text = " ".join(text.split())
    return text[0].lower() + text[1:]


def _add(findings: ReportFindings, section: str, entry: dict[str, Any], line: Line, last: int, whole_text: str | None = None) -> None:
    """Add an area; one whose text is marked cut, or stops mid-sentence at the very end, is flagged."""
    text = entry["text"]
    cut = text.endswith(CUT_MARK.strip())
    if cut:
        entry["text"] = text[: -len(CUT_MARK.strip())].rstrip()
    ending = whole_text if whole_text is not None else text
    if line.number == last and not _ENDS_WHOLE.search(ending.rstrip()):
        cut = True
    if entry["text"] in [existing["text"] for existing in getattr(findings, section)]:
        return
    findings.add(section, entry, line, cut=cut)


def _is_heading(text: str) -> bool:
    return (len(text) <= 90 and text[:1].isupper() and not re.search(r"\d", text) and not text.endswith((".", ",", ";", ":"))
            and len(text.split()) <= 14)


