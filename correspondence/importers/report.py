"""Reading an HMICFRS report's facts out of its text, each with the line it came from.

Reports come as HMICFRS publication pages, PEEL summaries, news releases, recommendation-tracker
pages, third-party indexes and newspaper stories. This module reads the header facts (title, force,
programme, publication date, overall grade) and the graded judgments; report_figures reads the
rates, estimates and counts, report_areas the causes of concern, recommendations and areas for
improvement. The rules that keep it from inventing:

- the force is a force's name (the list in importers.forces, or a title "X Police: ..."), never a
  piece of a sentence; the programme and its year come from the title or front matter, never
  from a sentence such as "since the last inspection in 2022";
- a grade is one of the five grades written where grades are written: after a question or area,
  in a "The extent to which ... is good." sentence, in a news release's "the areas requiring
  improvement are ..."; "not yet graded" and "ungraded" are read as no grade;
- a report without an overall grade yields no grade;
- a report is national (on no single force, stored with none) only where the document says so: no
  force is named as inspected (title, "Police force:" line, first sentences), and the title or
  first sentences call it thematic or speak of the police service or forces as a whole ("An
  inspection of how the police ...", "all forces", "police forces in England and Wales"), or its
  recommendations address chief constables or forces in general. Otherwise the force is left
  unfound and the officer says which it is.
"""

from __future__ import annotations

import re
from typing import Any

from correspondence.importers.forces import find_forces
from correspondence.importers.lines import Line, document_lines, find_date, heading_like, is_furniture, is_prose
from correspondence.importers.report_areas import read_areas
from correspondence.importers.report_figures import read_measures
from correspondence.importers.report_findings import ReportFindings

_GRADES = "outstanding|good|adequate|requires\\s+improvement|requiring\\s+improvement|require\\s+improvement|inadequate"
UNGRADED = "not\\s+yet\\s+graded|ungraded"
_GRADE_LINE = re.compile(rf"^(?:graded\s*:?\s*|grade\s*:\s*|judg(?:e)?ment\s*:\s*)?(?P<grade>{_GRADES}|{UNGRADED})\.?$", re.IGNORECASE)
_TRAILING_GRADE = re.compile(rf"^(?P<area>[^:]{{3,150}}?)\s*[:\u2013\u2014-]\s*(?:graded\s+)?(?P<grade>{_GRADES})\.?$", re.IGNORECASE)
_OVERALL = re.compile(rf"^overall\s+(?:judg(?:e)?ment|grade)\b\s*:?\s*(?:graded\s+)?({_GRADES})?\.?$", re.IGNORECASE)
_PUBLISHED = re.compile(r"^(?:published(?:\s+on)?|publication\s+date|date\s+(?:of\s+)?publi(?:shed|cation))\s*:?\s*(.+)$", re.IGNORECASE)
_FORCE_LINE = re.compile(r"^police\s+forces?\s*:\s*(.+)$", re.IGNORECASE)
_URL = re.compile(r"https?://(?:www\.|hmicfrs\.)?justiceinspectorates\.gov\.uk/\S+")
_EXTENT = re.compile(rf"^(?P<question>the\s+extent\s+to\s+which\s+.+?)(?:\s+is)?\s*:?\s+(?P<grade>{_GRADES}|{UNGRADED})\.?$", re.IGNORECASE)
_PILLAR_WITH = re.compile(rf"\b(?P<question>the\s+(?:effectiveness|efficiency|legitimacy)\s+with\s+which\s+[^;,.]+?)\s+is\s+(?P<grade>{_GRADES})\b", re.IGNORECASE)
_IN_TERMS_OF = re.compile(r"^in\s+terms\s+of\s+its\s+(?:effectiveness|efficiency|legitimacy)\b", re.IGNORECASE)
_GRADED_AT = re.compile(rf"\bis\s+(?P<grade>{_GRADES})\s+at\s+(?P<question>[^,;.]+?)(?=\s*(?:[,;.]|\s+and\s+is\b|\s+it\s+is\b|$))", re.IGNORECASE)
_ONE_AREA = re.compile(rf"[‘'\"“]?(?P<grade>{_GRADES})[’'\"”]?\s+in\s+one\s+area\s*[–—-]\s*(?P<question>[a-z][^.;,]+)", re.IGNORECASE)
_AREAS_GRADED = re.compile(rf"\bthe\s+areas?\s+(?:requiring\s+improvement|(?:graded|rated|judged)\s+(?:as\s+)?[‘'\"“]?(?P<grade>{_GRADES})[’'\"”]?)\s+(?:are|is)\s+(?P<list>[^.]+)", re.IGNORECASE)
_TITLE_GRADE = re.compile(rf"[‘'\"“](?P<grade>{_GRADES})[’'\"”]", re.IGNORECASE)
_ANY_GRADE = re.compile(r"outstanding|good|adequate|improvement", re.IGNORECASE)  # a cheap test before the sentence patterns
_SKIPPED_BEFORE_GRADE = re.compile(r"^(?:last\s+updated|updated|published)\b", re.IGNORECASE)
_THEMATIC = re.compile(r"\bthematic\s+(?:inspection|review)\b|:\s*(?:a\s+)?thematic\b", re.IGNORECASE)
# the title or a first sentence speaking of the police service as a whole, not of one force
_NATIONAL_TITLE = re.compile(
    r"\bthematic\b|\bnational\b|\bthe\s+police\s+service\b(?!\s+of\b)|\bpolice\s+forces\b|\bforces\s+in\s+England\s+and\s+Wales\b"
    r"|^an?\s+(?:inspection|review|joint\s+inspection)\s+(?:of|into)\s+(?:how\s+(?:well\s+)?|whether\s+)?(?:the\s+)?police\b",
    re.IGNORECASE)
_NATIONAL_FRONT = re.compile(
    r"\bthematic\s+(?:inspection|review)\b|\b(?:all|every)\s+(?:\d+\s+|of\s+the\s+)?(?:police\s+)?forces\b"
    r"|\bpolice\s+forces\s+in\s+England\s+and\s+Wales\b|\bthe\s+police\s+service\s+in\s+England\s+and\s+Wales\b",
    re.IGNORECASE)
# a recommendation for forces in general: "chief constables should", "By 31 May 2026, all forces should", "Forces need to"
_FORCES_IN_GENERAL = re.compile(
    r"^(?:(?:by|within|from|before)\s+[^,]{1,40},\s*)?(?:all\s+|every\s+)?(?:chief\s+constables|chief\s+officers|(?:police\s+)?forces)\s+"
    r"(?:should|must|need|are\s+to|will)\b", re.IGNORECASE)
_JOINT = re.compile(r"conducted\s+jointly\s+by\s+.*?\(([A-Z]{2,8})\)\s+and\s+.*?\(([A-Z]{2,8})\)")



def parse_report(text: str) -> ReportFindings:
    """Everything the report states that the store holds, and nothing it does not state."""
    lines = [line if not is_furniture(line.text) else Line(line.number, "") for line in document_lines(text)]
    content = [line for line in lines if line.text]
    findings = ReportFindings()
    _title(content, findings)
    _published(document_lines(text[:20000]), content, findings)  # "Published on:" lines are page furniture elsewhere
    _force(content, findings)
    _programme(content, findings)
    _overall_grade(content, findings)
    _judgments(content, findings)
    read_measures(lines, findings)
    read_areas(content, findings)
    _stated_counts(content, findings)
    _national(content, findings)
    url = _URL.search(text)
    findings.source_url = url.group(0).rstrip(".,)") if url else None
    return findings


_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12}
# "we have made four recommendations", "highlighted a further 17 areas for improvement", or the count
# alone as a line ("17 areas for improvement" above a list); never "of the 22 recommendations made
# during that previous inspection", which counts another report's.
_STATED_COUNT = re.compile(
    r"(?:^|\b(?:made|makes|make|identified|identifies|identify|highlighted|highlights|raised|raises|found|sets\s+out|contains)\s+"
    r"(?:a\s+further\s+|a\s+total\s+of\s+)?)(\d{1,2}|" + "|".join(_COUNT_WORDS) + r")\s+"
    r"(areas?\s+for\s+improvement|recommendations?|causes?\s+of\s+concern)\b", re.IGNORECASE)
_SECTION_OF = {"area": "areas_for_improvement", "recommendation": "recommendations", "cause": "causes_of_concern"}


def _stated_counts(content: list[Line], findings: ReportFindings) -> None:
    """How many findings of each kind the report says it has, where it says so in words: the
    importer's lists are checked against it (ReportFindings.flags), so a list read short is seen."""
    for line in content:
        for match in _STATED_COUNT.finditer(line.text):
            if match.start() == 0 and line.text.strip() != match.group(0).strip():
                continue  # a bare count only as a line of its own, not a sentence's subject
            word = match.group(1).lower()
            count = int(word) if word.isdigit() else _COUNT_WORDS[word]
            section = _SECTION_OF[match.group(2).split()[0].lower().rstrip("s")]
            findings.stated.setdefault(section, (count, line))


# --- header fields ------------------------------------------------------------------------------


def _title(content: list[Line], findings: ReportFindings) -> None:
    """The first line, when it is a title; a report pasted from a story may have none."""
    if content and heading_like(content[0].text, min_words=2) and not _GRADE_LINE.match(content[0].text):
        findings.found("title", content[0].text, content[0])


def _front(content: list[Line], findings: ReportFindings, size: int = 8) -> list[Line]:
    """The front matter: the title and the lines just below it."""
    start = 1 if findings.title else 0
    return content[start : start + size]


def _published(lines: list[Line], content: list[Line], findings: ReportFindings) -> None:
    for line in lines[:120]:
        match = _PUBLISHED.match(line.text)
        day = find_date(match.group(1)) if match else None
        if day:
            findings.found("published", day.isoformat(), line)
            return
    if findings.title:  # "PEEL Assessment 2023-25: Dorset Police" then "9 April 2025"
        for line in content[1:3]:
            day = find_date(line.text)
            if day:
                findings.found("published", day.isoformat(), line)
                return


def _force(content: list[Line], findings: ReportFindings) -> None:
    title = findings.sources.get("title")
    if findings.title and title:
        named = find_forces(findings.title)
        if len(named) == 1:
            findings.found("force", named[0], Line(title.line, title.text))
            return
        head = re.match(r"^(?:[Tt]he\s+)?((?:[A-Z][\w'’&\-]*\s+){1,4}(?:Police(?:\s+Service)?|Constabulary))\s*(?::|\s[-–—]\s)", findings.title)
        if not named and head:
            findings.found("force", head.group(1), Line(title.line, title.text))
            return
        if len(named) > 1:
            return  # a joint report: the officer says which force
    for line in content[:60]:
        match = _FORCE_LINE.match(line.text)
        named = find_forces(match.group(1)) if match else []
        if len(named) == 1:
            findings.found("force", named[0], line)
            return
    for line in _front(content, findings, size=5):  # the first sentences: a full force name only
        named = find_forces(line.text, areas=False)
        if named:
            if len(named) == 1:
                findings.found("force", named[0], line)
            return


def _national(content: list[Line], findings: ReportFindings) -> None:
    """Whether the report says it is on no single force (see the module's rules); never a guess."""
    if findings.force or names_a_force(content, findings):
        return
    title = findings.sources.get("title")
    if findings.title and title and _NATIONAL_TITLE.search(findings.title):
        findings.found("national", True, Line(title.line, title.text))
        return
    for line in _front(content, findings, size=5):
        if _NATIONAL_FRONT.search(line.text):
            findings.found("national", True, line)
            return
    for section in ("recommendations", "causes_of_concern"):
        for index, area in enumerate(getattr(findings, section)):
            source = findings.sources.get(f"{section}[{index}]")
            if source is not None and _FORCES_IN_GENERAL.search(area.get("text", "")):
                findings.found("national", True, Line(source.line, source.text))
                return


def names_a_force(content: list[Line], findings: ReportFindings) -> list[str]:
    """The forces the report names where it would name the one it inspected: its title, a "Police
    force:" line, its first sentences (full force names there)."""
    named = find_forces(findings.title) if findings.title else []
    for line in content[:60]:
        match = _FORCE_LINE.match(line.text)
        if match:
            named += find_forces(match.group(1))
    for line in _front(content, findings, size=5):
        named += find_forces(line.text, areas=False)
    return list(dict.fromkeys(named))


def _programme(content: list[Line], findings: ReportFindings) -> None:
    front = _front(content, findings)
    headings = ([content[0]] if findings.title else []) + [line for line in front if heading_like(line.text, min_words=2)]
    for line in headings:
        if _THEMATIC.search(line.text) and not find_forces(line.text):  # "...: a thematic inspection", no force named
            findings.found("programme", "Thematic inspection", line)
            return
        if re.search(r"crime\s+data\s+integrity", line.text, re.IGNORECASE):
            findings.found("programme", "Crime Data Integrity", line)
            return
        peel = re.search(r"\bPEEL\b(?:\s+(?:assessment|inspection))?\s*:?\s*(20\d\d(?:[/-]\d{2,4})?)?", line.text, re.IGNORECASE)
        if peel:
            year = peel.group(1) or _title_year(findings.title)
            findings.found("programme", f"PEEL {year}" if year else "PEEL", line)
            return
        if re.search(r"\bpolice\s+custody\s+suites?\b|\bcustody\s+(?:suites?|inspection)\b", line.text, re.IGNORECASE):
            joint = next((_JOINT.search(other.text) for other in front if _JOINT.search(other.text)), None)
            label = f" (joint {joint.group(1)} and {joint.group(2)})" if joint else ""
            findings.found("programme", "Police custody inspection" + label, line)
            return
    first_sentence = next((line for line in front if is_prose(line.text)), None)
    if first_sentence and re.search(r"\bPEEL\b", first_sentence.text) and findings.title:
        year = _title_year(findings.title)  # "Dorset 2016" and "This is HMIC's third PEEL ... assessment"
        if year and re.fullmatch(rf".*\b{re.escape(year)}$", findings.title):
            findings.found("programme", f"PEEL {year}", first_sentence)


def _title_year(title: str | None) -> str | None:
    match = re.search(r"\b(20\d\d(?:[/-]\d{2,4})?)\b", title or "")
    return match.group(1) if match else None


def _grade(text: str) -> str:
    text = " ".join(text.lower().split())
    return "requires improvement" if text in ("requiring improvement", "require improvement") else text


def _overall_grade(content: list[Line], findings: ReportFindings) -> None:
    for index, line in enumerate(content):
        match = _OVERALL.match(line.text)
        if not match:
            continue
        if match.group(1):
            findings.found("overall_grade", _grade(match.group(1)), line)
            return
        for following in content[index + 1 : index + 3]:
            graded = _GRADE_LINE.match(following.text)
            if graded and not re.match(UNGRADED, graded.group("grade"), re.IGNORECASE):
                findings.found("overall_grade", _grade(graded.group("grade")), following)
                return
    if not findings.title:
        return
    for line in content[1:4]:  # a bare grade under the title: "Greater Manchester Police: ... 2016" / "Inadequate"
        graded = _GRADE_LINE.match(line.text)
        if graded and not re.match(UNGRADED, graded.group("grade"), re.IGNORECASE) and not line.text.lower().startswith("graded"):
            findings.found("overall_grade", _grade(graded.group("grade")), line)
            return
    quoted = {_grade(match.group("grade")) for match in _TITLE_GRADE.finditer(findings.title)}
    if len(quoted) == 1 and not (findings.programme or "").startswith("PEEL"):  # "Staffordshire Police 'requires improvement' when ..."
        title = findings.sources["title"]
        findings.found("overall_grade", quoted.pop(), Line(title.line, title.text))


# --- judgments ----------------------------------------------------------------------------------


def _judgments(content: list[Line], findings: ReportFindings) -> None:
    title = findings.sources.get("title")
    for index, line in enumerate(content):
        if title and line.number == title.line:
            continue
        for question, grade in _judgments_in(content, index):
            entry: dict[str, Any] = {"question": question, "grade": None if re.match(UNGRADED, grade, re.IGNORECASE) else _grade(grade)}
            if entry["grade"] is None:
                entry["grade_text"] = " ".join(grade.lower().split())
            if not any(j["question"].casefold() == question.casefold() for j in findings.judgments):
                findings.add("judgments", entry, line)


def _judgments_in(content: list[Line], index: int) -> list[tuple[str, str]]:
    text = content[index].text
    if _OVERALL.match(text) or _GRADE_LINE.match(text) or re.match(r"^(?:[•\-\*]|\d+[.)])\s", text):
        return []
    if len(text) <= 200 and not text.endswith((".", ",", ";", ":")) and (text.endswith("?") or len(text.split()) <= 12):
        following = content[index + 1 : index + 3]
        if following and _SKIPPED_BEFORE_GRADE.match(following[0].text):
            following = following[1:]
        graded = _GRADE_LINE.match(following[0].text) if following else None
        if graded:
            return [(text, graded.group("grade"))]
    trailing = _TRAILING_GRADE.match(text)
    if trailing and not re.match(r"^(?:overall|graded)\b", trailing.group("area"), re.IGNORECASE) and len(trailing.group("area").split()) <= 12:
        return [(trailing.group("area").strip(), trailing.group("grade"))]
    extent = _EXTENT.match(text)
    if extent:
        return [(extent.group("question"), extent.group("grade"))]
    found: list[tuple[str, str]] = []
    if not _ANY_GRADE.search(text):
        return found
    if _IN_TERMS_OF.match(text):  # PEEL 2014: "the force is good at X, it is outstanding at Y and is outstanding at Z"
        found += [(match.group("question").strip(), match.group("grade")) for match in _GRADED_AT.finditer(text)]
    found += [(match.group("question").strip(), match.group("grade")) for match in _PILLAR_WITH.finditer(text)]
    found += [(match.group("question").strip(), match.group("grade")) for match in _ONE_AREA.finditer(text)]
    for match in _AREAS_GRADED.finditer(text):  # "the areas requiring improvement are A; B; C, and D."
        grade = match.group("grade") or "requires improvement"
        parts = re.split(r"\s*;\s*|,?\s+and\s+(?=[a-z])|,\s+", match.group("list"))
        found += [(part.strip(), grade) for part in parts if 1 <= len(part.split()) <= 8]
    return found
