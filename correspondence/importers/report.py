"""Reading an HMICFRS report's facts out of its text.

The reports follow house styles: Crime Data Integrity reports put "graded good" under each
question, give rates as "89.5 percent (with a confidence interval of +/- 1.64 percent)", counts as
"98 of 118 ...", and list areas for improvement as bullets under a heading; PEEL reports grade each
area on the line after its name and number each area for improvement. This module reads those
patterns and reports every field it could not find instead of guessing: a report without an
overall grade yields no grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from correspondence.dates import parse_date
from correspondence.errors import CorrespondenceError
from correspondence.vocabulary import Grade

_GRADES = "outstanding|good|adequate|requires improvement|inadequate"
_GRADE_LINE = re.compile(rf"^(?:graded\s*:?\s*|grade\s*:\s*|judg(?:e)?ment\s*:\s*)?({_GRADES})\.?$", re.IGNORECASE)
_TRAILING_GRADE = re.compile(rf"^(?P<area>[^:]{{3,150}}?)\s*[:\u2013\u2014-]\s*(?:graded\s+)?(?P<grade>{_GRADES})\.?$", re.IGNORECASE)
_OVERALL = re.compile(rf"^overall\s+(?:judg(?:e)?ment|grade)\b\s*:?\s*(?:graded\s+)?({_GRADES})?\.?$", re.IGNORECASE)
_PUBLISHED = re.compile(r"^(?:published(?:\s+on)?|publication\s+date|date\s+(?:of\s+)?publi(?:shed|cation))\s*:?\s*(.+)$", re.IGNORECASE)
_FORCE_LINE = re.compile(r"^police\s+forces?\s*:\s*(.+)$", re.IGNORECASE)
_NUMBER = r"\d+(?:\.\d+)?"
_PERCENT = r"\s*(?:percent|per\s+cent|%)"
_RATE_WITH_CI = re.compile(
    rf"({_NUMBER}){_PERCENT}(?:[^.()]|\([^()]{{0,60}}\)){{0,200}}?\((?:with\s+)?a\s+confidence\s+interval\s+of\s*(?:\+/-|±|\+/−|plus\s+or\s+minus)\s*({_NUMBER}){_PERCENT}\)",
    re.IGNORECASE,
)
_ESTIMATE = re.compile(r"\b[Oo]ver\s+(\d{1,3}(?:,\d{3})+|\d{4,})\s+([a-z][a-z ,\-]{2,80}?\b(?:a|each|per)\s+year)(\s+(?:are|is)\s+not\s+recorded)?", re.IGNORECASE)
_COUNT = re.compile(
    r"\b(\d{1,3}(?:,\d{3})*|\d+)\s+(?:out\s+)?of\s*(\d{1,3}(?:,\d{3})*|\d+)\s+([A-Za-z](?:(?!\s+and\s+\d)[^.;:,()\n]){2,120})"
)
_BULLET = re.compile(r"^(?:[\u2022\u2023\u25e6\u2043\u2219\u00b7\u25cf\-\*\u2013]|\(?[a-z0-9]{1,3}[.)])\s+")
_AREA_HEADING = re.compile(
    r"^(?P<kind>causes?\s+of\s+concern|recommendations?|areas?\s+for\s+improvement)(?:\s+(?P<number>\d+))?\s*:?$",
    re.IGNORECASE,
)
_TIMESCALE = re.compile(
    r"\b(immediately|within\s+(?:the\s+next\s+)?(?:\d+|one|two|three|four|five|six|nine|twelve|eighteen)\s+(?:months?|weeks?|days?)|by\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://www\.justiceinspectorates\.gov\.uk/\S+")
_FURNITURE_LINE = re.compile(
    r"^(skip to|accept|reject|we use cookies|cookie|cookies|menu|search|home\b|share|print|back to top|©|copyright|page \d+( of \d+)?$|\d+$)",
    re.IGNORECASE,
)

FIELDS = ("title", "force", "programme", "published", "overall_grade", "judgments", "measures",
          "causes_of_concern", "recommendations", "areas_for_improvement")


@dataclass
class ReportFindings:
    title: str | None = None
    force: str | None = None
    programme: str | None = None
    published: str | None = None  # ISO date
    overall_grade: str | None = None
    source_url: str | None = None
    judgments: list[dict[str, str]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    causes_of_concern: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    areas_for_improvement: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Fields not found. Area kinds count as found when any kind was found: a report with
        areas for improvement and no recommendations has simply made none."""
        absent = [name for name in FIELDS[:7] if not getattr(self, name)]
        if not (self.causes_of_concern or self.recommendations or self.areas_for_improvement):
            absent.append("areas (causes of concern, recommendations, areas for improvement)")
        return absent

    def as_inspection_data(self) -> dict[str, Any]:
        """The findings in the inspection file format (see inspection_file), empty fields left out."""
        data: dict[str, Any] = {
            "force": self.force, "programme": self.programme, "title": self.title, "published": self.published,
            "source_url": self.source_url, "overall_grade": self.overall_grade,
            "judgments": self.judgments, "measures": self.measures, "causes_of_concern": self.causes_of_concern,
            "recommendations": self.recommendations, "areas_for_improvement": self.areas_for_improvement,
        }
        return {key: value for key, value in data.items() if value not in (None, "", [])}


def parse_report(text: str) -> ReportFindings:
    """Everything the report states that the store holds, and nothing it does not state."""
    lines = [line.strip() for line in text.splitlines()]
    content = [line for line in lines if line and not _FURNITURE_LINE.match(line)]
    blocks = _blocks(lines)
    findings = ReportFindings()
    findings.title = _title(content)
    findings.published = _published(content)
    findings.force = _force(findings.title, content)
    findings.programme = _programme(findings.title, text)
    findings.overall_grade = _overall_grade(content)
    findings.judgments = _judgments(content)
    findings.measures = _measures(blocks)
    _areas(content, findings)
    url = _URL.search(text)
    findings.source_url = url.group(0).rstrip(".,)") if url else None
    return findings


# --- header fields ------------------------------------------------------------------------------


def _title(content: list[str]) -> str | None:
    for line in content[:40]:
        if len(line.split()) >= 3 and re.search(r"inspection|PEEL|report|effectiveness|efficiency", line, re.IGNORECASE):
            return line
    return None


def _published(content: list[str]) -> str | None:
    for line in content[:80]:
        match = _PUBLISHED.match(line)
        if match:
            try:
                return parse_date(match.group(1).strip()).isoformat()
            except CorrespondenceError:
                continue
    return None


def _force(title: str | None, content: list[str]) -> str | None:
    if title:
        head = title.split(":", 1)[0].strip()
        if ":" in title and re.search(r"police|constabulary|service|force", head, re.IGNORECASE) and not head.upper().startswith("PEEL"):
            return re.sub(r"^the\s+", "", head, flags=re.IGNORECASE)
        match = re.search(r"inspection\s+of\s+(?:the\s+)?(.+?)(?:\s+\d{4}(?:/\d{2,4})?)?$", title, re.IGNORECASE)
        if match:
            return match.group(1).strip()
    for line in content[:80]:
        match = _FORCE_LINE.match(line)
        if match:
            return match.group(1).strip()
    return None


def _programme(title: str | None, text: str) -> str | None:
    if title and re.search(r"crime\s+data\s+integrity", title, re.IGNORECASE):
        return "Crime Data Integrity"
    if title and re.search(r"\bPEEL\b", title):
        year = re.search(r"\b(20\d{2}(?:/\d{2,4})?)\b", title)
        return f"PEEL {year.group(1)}" if year else "PEEL"
    if title and ":" in title:
        rest = title.split(":", 1)[1]
        rest = re.sub(r"\s*(?:inspection|re-inspection)?\s*(?:20\d{2}(?:/\d{2,4})?)?\s*$", "", rest, flags=re.IGNORECASE).strip()
        return rest or None
    if re.search(r"crime\s+data\s+integrity", text[:5000], re.IGNORECASE):
        return "Crime Data Integrity"
    return None


def _grade(text: str) -> str:
    return Grade.parse(text).value


def _overall_grade(content: list[str]) -> str | None:
    for index, line in enumerate(content):
        match = _OVERALL.match(line)
        if not match:
            continue
        if match.group(1):
            return _grade(match.group(1))
        for following in content[index + 1 : index + 3]:
            graded = _GRADE_LINE.match(following)
            if graded:
                return _grade(graded.group(1))
    return None


def _judgments(content: list[str]) -> list[dict[str, str]]:
    judgments: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, line in enumerate(content):
        if _OVERALL.match(line) or _GRADE_LINE.match(line) or _BULLET.match(line):
            continue
        question, grade = None, None
        following = content[index + 1] if index + 1 < len(content) else ""
        graded = _GRADE_LINE.match(following)
        if graded and len(line) <= 200 and not line.endswith((".", ",", ";")):
            question, grade = line, graded.group(1)
        else:
            trailing = _TRAILING_GRADE.match(line)
            if trailing and not re.match(r"^overall\b", trailing.group("area"), re.IGNORECASE):
                question, grade = trailing.group("area").strip(), trailing.group("grade")
        if question and question.casefold() not in seen:
            seen.add(question.casefold())
            judgments.append({"question": question, "grade": _grade(grade)})
    return judgments


# --- measures -----------------------------------------------------------------------------------


def _blocks(lines: list[str]) -> list[str]:
    """Paragraphs: runs of non-empty lines joined, so wrapped sentences read whole."""
    blocks, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def _is_heading(block: str) -> bool:
    return (
        len(block) <= 90
        and block[:1].isupper()
        and not re.search(r"\d", block)
        and not block.endswith((".", ",", ";", ":"))
        and not _GRADE_LINE.match(block)
        and not _BULLET.match(block)
        and len(block.split()) <= 14
    )


def _measures(blocks: list[str]) -> list[dict[str, Any]]:
    rates: dict[tuple[str, str], str] = {}  # (rate, ci) -> heading of its last mention
    estimates: list[tuple[int, str, str]] = []
    counts: list[dict[str, Any]] = []
    heading = ""
    for block in blocks:
        if _AREA_HEADING.match(block):
            heading = ""  # figures after the findings lists belong to no named section
            continue
        if _is_heading(block):
            heading = block
            continue
        for match in _RATE_WITH_CI.finditer(block):
            rates[(match.group(1), match.group(2))] = heading
        for match in _ESTIMATE.finditer(block):
            label = " ".join((match.group(2) + (match.group(3) or "")).split())
            if not match.group(3) and re.search(r"not\s+record|fails?\s+to\s+record", block[max(0, match.start() - 40) : match.start()]):
                label += " not recorded"  # "is not recording over 1,890 ... each year"
            estimates.append((int(match.group(1).replace(",", "")), label, heading))
        for match in _COUNT.finditer(block):
            numerator, denominator = int(match.group(1).replace(",", "")), int(match.group(2).replace(",", ""))
            phrase = match.group(3).strip()
            if 0 < denominator and numerator <= denominator and not re.match(r"(?:the|these|those|them|it|our|its)\b", phrase, re.IGNORECASE):
                name = f"{heading}: {phrase}" if heading else phrase
                entry = {"name": name, "numerator": numerator, "denominator": denominator}
                if entry not in counts:
                    counts.append(entry)

    measures: list[dict[str, Any]] = []
    for (rate, ci), where in rates.items():
        measures.append({"name": where or "Recording rate", "rate": rate, "ci": ci})
    placed: set[int] = set()
    for measure in measures:
        for number, label, where in estimates:
            if where == measure["name"] and number not in placed and "estimate_per_year" not in measure:
                measure["estimate_per_year"], measure["estimate_label"] = number, label
                placed.add(number)
    for number, label, where in estimates:
        if number not in placed:
            measures.append({"name": where or "Estimate", "estimate_per_year": number, "estimate_label": label})
            placed.add(number)
    return measures + counts


# --- causes of concern, recommendations, areas for improvement ---------------------------------


def _areas(content: list[str], findings: ReportFindings) -> None:
    targets = {"c": findings.causes_of_concern, "r": findings.recommendations, "a": findings.areas_for_improvement}
    index = 0
    while index < len(content):
        match = _AREA_HEADING.match(content[index])
        if not match:
            index += 1
            continue
        target = targets[match.group("kind")[0].lower()]
        number = int(match.group("number")) if match.group("number") else None
        index = _read_area_section(content, index + 1, target, number)


def _read_area_section(content: list[str], index: int, target: list[dict[str, Any]], number: int | None) -> int:
    """Read the items under one heading; returns where the section ends."""
    timescale = None
    items: list[str] = []
    while index < len(content):
        line = content[index]
        if _AREA_HEADING.match(line):
            break
        if _BULLET.match(line):
            items.append(_BULLET.sub("", line, count=1))
        elif line.endswith(":") and not items:
            found = _TIMESCALE.search(line)
            timescale = found.group(1).lower() if found else timescale
        elif number is not None and not items:
            items.append(line)  # a numbered area's text is the paragraph after its heading
        elif not items and not _is_heading(line):
            items.append(line)  # a cause of concern's paragraph, or a single unbulleted item
        else:
            break
        index += 1
    for text in items:
        text = re.sub(r"(?:[;,]?\s+(?:and|or)\b|[;,.])\s*$", "", text).strip()  # list punctuation
        if not text:
            continue
        found = _TIMESCALE.search(text)
        entry: dict[str, Any] = {"text": text}
        if number is not None:
            entry["number"] = number
        if timescale or (found and text.lower().startswith(found.group(1).lower())):
            entry["timescale"] = timescale or found.group(1).lower()
        if entry["text"] not in [existing["text"] for existing in target]:
            target.append(entry)
    return index
