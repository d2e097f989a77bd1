"""The figures a report states: recording rates (with or without a confidence interval), estimates of
crimes not recorded, and counts ("98 of 118", "61 of the 86 relevant cases", "23 of these").

A rate is read as a recording rate only when its clause says so ("recorded 91.67 per cent",
"a recording rate of 81.2 percent"); one whose clause says the crimes went unrecorded ("18,900
crimes were not recorded – some 16%") is kept as the share NOT recorded, named so, and one that is
merely the complement of a rate in the same paragraph ("The 18.8 percent ... that went unrecorded")
is not a figure of its own. A number is never computed: 100 - 16 is not written anywhere.

A figure the text ties to an earlier period ("compared to 93.4% in the 2017 inspection", "In the past
... an 83% level of compliance") is kept with that period, so no letter states it as the report's
finding. Every name given here is the importer's own label, so no phrase is set: a letter quotes a
figure only once a person has confirmed the words that name it. Only a Crime Data Integrity report's
headline measure, its overall recording rate, is marked as chosen for letters; the office chooses any
other.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from correspondence.importers.lines import Line
from correspondence.importers.report_findings import ReportFindings

_NUMBER = r"\d+(?:\.\d+)?"
_PERCENT = r"\s*(?:percent|per\s+cent|%)"
_GAP = rf"(?:(?!{_NUMBER}{_PERCENT})[^.()]|\([^()]{{0,60}}\)|\.\d)"
_RATE_WITH_CI = re.compile(
    rf"(?P<rate>{_NUMBER}){_PERCENT}{_GAP}{{0,200}}?\((?:(?:with\s+)?a\s+confidence\s+interval\s+of\s*)?(?:\+/-|±|\+/−|plus\s+or\s+minus)\s*(?P<ci>{_NUMBER}){_PERCENT}\)",
    re.IGNORECASE,
)
_RATE = re.compile(rf"(?<![\d.])(?P<rate>{_NUMBER}){_PERCENT}", re.IGNORECASE)
_NATIONAL = re.compile(rf"\bnational\s+(?:rate|average)\s+(?:was|is|of)\s+(?P<rate>{_NUMBER}){_PERCENT}", re.IGNORECASE)
_UNRECORDED = re.compile(r"\b(?:unrecorded|not\s+(?:been\s+)?recorded|not\s+recording|fails?\s+to\s+record|failed\s+to\s+record)\b", re.IGNORECASE)
_RECORDED_BEFORE = re.compile(
    r"\b(?:records?|recorded|recording\s+rate\b[^.]{0,80}?\b(?:of|was|is|at)|compliance\s+(?:rate\s+)?(?:of|was|is|at|stands\s+at))"
    r"\s+(?:(?:around|about|approximately|only|just|some|an?)\s+)*$",
    re.IGNORECASE,
)
_RECORDED_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:(?:of\s+[^.,;]{0,80}?\s+)?(?<!that\s)(?<!which\s)(?:were|was|are|is|had\s+been|have\s+been)\s+"
    r"(?:\w+ly\s+)?recorded\b(?!\s+(?:in\s+)?(?:this|that)\s+way|\s+(?:through|via|using))|(?:level\s+of\s+)?compliance\b)",
    re.IGNORECASE,
)
_UNRECORDED_AFTER = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:of\s+[^.;]{0,80}?\s+)?(?:that\s+|which\s+)?(?:went|go|goes|were|was|are|is|being|remained?)\s+"
    r"(?:un-?recorded|not\s+(?:been\s+)?recorded)\b",
    re.IGNORECASE,
)
_UNRECORDED_BEFORE = re.compile(
    r"\b(?:not\s+(?:been\s+)?recorded|unrecorded|fails?\s+to\s+record|not\s+recording)\b[^.]{0,40}?(?:[–—]|,|\bor\b)\s*"
    r"(?:(?:some|around|about|approximately|roughly)\s+)?$",
    re.IGNORECASE,
)
_LEVELS_BEFORE = re.compile(r"\blevels?\s+of\s+$", re.IGNORECASE)
_ESTIMATE = re.compile(r"\b[Oo]ver\s+(\d{1,3}(?:,\d{3})+|\d{4,})\s+([a-z][a-z ,\-]{2,80}?\b(?:a|each|per)\s+year)(\s+(?:are|is)\s+not\s+recorded)?", re.IGNORECASE)
_ESTIMATE_LOOSE = re.compile(
    r"\b(?:over|more\s+than|approximately|around|about|some|estimated\s+that|estimate\s+that)\s+(\d{1,3}(?:,\d{3})+)\s+(?P<what>(?:reported\s+)?crimes?|reports\s+of\s+crime)\b",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"\b(\d{1,3}(?:,\d{3})*|\d+)\s+(?:out\s+)?of\s*(?:the\s+)?(\d{1,3}(?:,\d{3})*|\d+)\s+([A-Za-z](?:(?!\s+and\s+\d)[^.;:,()\n]){2,120})"
)
_OF_THESE = re.compile(r"\b(\d{1,3}(?:,\d{3})*|\d+)\s+of\s+(?:these|them)\b")
_ONLY_WERE = re.compile(
    r"\b(\d{1,3}(?:,\d{3})*|\d+)\s+(?:[a-z]+\s+){0,3}should\s+have\s+been\s+recorded[^.]{0,40}?\bbut\s+only\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:actually\s+)?were\b",
    re.IGNORECASE,
)
_THOUSANDS = re.compile(r"\d,\d\d\d|\d\d\d\d")
_COUNT_HINT = re.compile(r"\d\s+(?:out\s+)?of|should\s+have\s+been")
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_AREA_HEADING = re.compile(r"^(?:causes?\s+of\s+concern|recommendations?|areas?\s+for\s+improvement|overall\s+judg(?:e)?ment)(?:\s+\d+)?\s*:?$",
                           re.IGNORECASE)
_GRADE_LINE = re.compile(r"^(?:graded\s*:?\s*)?(?:outstanding|good|adequate|requires\s+improvement|inadequate)\.?$", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[\u2022\u2023\u25e6\u2043\u2219\u00b7\u25cf\-\*\u2013]|\(?[a-z0-9]{1,3}[.)])\s+")


@dataclass
class _Paragraph:
    text: str
    line: Line  # its first line
    heading: str


NEAR = 600  # characters: how far before a figure its sentence's words are looked for


@dataclass
class _Sentences:
    """Where the sentences of a paragraph start, found once: asking for each figure's sentence by
    searching back from it read the paragraph again for every figure (quadratic in a paragraph of
    figures without a full stop)."""
    text: str
    stops: list[int] = field(init=False)  # where each ". " is

    def __post_init__(self) -> None:
        self.stops = [match.start() for match in re.finditer(r"\. ", self.text)]

    def start(self, position: int) -> int:
        """``max(text.rfind(". ", 0, position), 0)``, no further back than NEAR."""
        index = bisect.bisect_right(self.stops, position - 2) - 1
        return max(self.stops[index] if index >= 0 else 0, position - NEAR, 0)

    def end(self, position: int) -> int:
        """``text.find(". ", position)`` (the paragraph's end when there is none), no further than NEAR."""
        index = bisect.bisect_left(self.stops, position)
        found = self.stops[index] if index < len(self.stops) else len(self.text)
        return min(found, position + NEAR)


@dataclass
class _Rate:
    rate: str
    ci: str | None
    heading: str
    paragraph: int
    position: int
    line: Line
    unrecorded: bool
    name: str | None = None
    period: str | None = None  # an earlier period the text ties it to ("the 2017 inspection")
    by_level: bool = False  # read as a recording rate only from "the current levels of 97%"


def read_measures(lines: list[Line], findings: ReportFindings) -> None:
    paragraphs = _paragraphs(lines)
    rates = _rates(paragraphs)
    estimates = _estimates(paragraphs)
    index = _EstimateIndex(estimates)
    national_in: dict[int, re.Match[str] | None] = {}  # each paragraph searched once, however many rates it holds
    placed: set[int] = set()
    measures: list[tuple[dict[str, Any], Line]] = []
    headline = _headline(rates, findings.programme)
    for rate in rates:
        if rate.unrecorded:  # named for what it is, so no letter quotes it as a recording rate
            name = "Share of reported crime not recorded" + (f" ({rate.heading})" if rate.heading else "")
        else:
            name = rate.name or rate.heading or "Recording rate"
        if rate.period:
            name += f" ({rate.period})"
        measure: dict[str, Any] = {"name": name, "rate": rate.rate}
        if rate.ci:
            measure["ci"] = rate.ci
        if rate.unrecorded:
            measure["unrecorded_share"] = True
        if rate.period:
            measure["period"] = rate.period
        measure["quoted"] = rate is headline
        national = None
        for number in range(rate.paragraph, min(rate.paragraph + 2, len(paragraphs))):
            if number not in national_in:
                national_in[number] = _NATIONAL.search(paragraphs[number].text)
            national = national or national_in[number]
        if national and not rate.unrecorded and not rate.period:
            measure["national_average"] = national.group("rate")
        estimate = index.estimate_for(rate, placed) if not rate.period else None
        if estimate:
            measure["estimate_per_year"], measure["estimate_label"] = estimate[0], estimate[1]
            placed.add(estimate[0])
        measures.append((measure, rate.line))
    for number, label, heading, _paragraph, _position, line in estimates:
        if number not in placed:
            measures.append(({"name": heading or "Estimate", "estimate_per_year": number, "estimate_label": label,
                              "quoted": False}, line))
            placed.add(number)
    counts = _counts(paragraphs)
    for measure, line in measures + counts:
        findings.add("measures", measure, line)


def _headline(rates: list[_Rate], programme: str | None) -> _Rate | None:
    """A Crime Data Integrity report's headline measure: its first overall recording rate of its own
    period (not the share not recorded, not a crime type's rate, not a level read as "the current
    levels of 97%"). Other reports' headline cannot be told from the text: none is chosen."""
    if not programme or "crime data integrity" not in programme.casefold():
        return None
    for rate in rates:
        if not (rate.unrecorded or rate.period or rate.name or rate.by_level):
            return rate
    return None


_EARLIER = r"(?:previous|last|earlier|prior|original|first)"
_YEAR = r"(?:19|20)\d\d(?:[/-]\d\d)?"
# After a figure: "in the 2017 inspection", "at the previous inspection", "in 2017", "last year".
_PERIOD_AFTER = re.compile(
    rf"^\s*(?:\([^)]*\)\s*)?(?:of\s+[^.,;()]{{0,60}}?\s+)?(?:in|at|during|for|from)\s+"
    rf"(?P<period>(?:the\s+)?(?:{_YEAR}\s+)?{_EARLIER}\s+(?:inspection|report|audit|year|period)|(?:the\s+)?{_YEAR}"
    rf"(?:\s+(?:inspection|report|audit))?|the\s+past)\b"
    rf"|^\s*(?:\([^)]*\)\s*)?(?P<last>last\s+year|a\s+year\s+(?:earlier|before))\b",
    re.IGNORECASE,
)
# Just before a figure: "compared to", "up from", "down from", "than" (the figure is the earlier one).
_COMPARED_BEFORE = re.compile(r"\b(?:compared\s+(?:to|with)|up\s+from|down\s+from|rising\s+from|falling\s+from|from|than|against)"
                              r"\s+(?:(?:an?|the|around|about|some|only|just)\s+)*$", re.IGNORECASE)
# Earlier in the figure's sentence: "In the past ...", "Previously ...", "At the last inspection ...".
_PAST_BEFORE = re.compile(rf"\b(?:in\s+the\s+past|previously|at\s+(?:the|its|our)\s+{_EARLIER}\s+inspection)\b", re.IGNORECASE)


def _period(sentences: _Sentences, start: int, end: int) -> str | None:
    """The earlier period the text ties the figure at ``start``..``end`` to, or None for the report's
    own: "in the 2017 inspection" after it, "compared to" just before it with a year or an earlier
    inspection after it, or "In the past" earlier in its sentence."""
    text = sentences.text
    before = text[sentences.start(start) : start]
    after = text[end : end + 120]
    found = _PERIOD_AFTER.match(after)
    if found is not None:
        period = " ".join((found.group("period") or found.group("last")).split())
        earlier = re.search(_EARLIER, period, re.IGNORECASE) or "past" in period.lower() or found.group("last")
        if earlier or _COMPARED_BEFORE.search(before[-60:]):
            return period
    if _COMPARED_BEFORE.search(before[-60:]) and re.search(rf"\b{_EARLIER}\b", after[:60], re.IGNORECASE):
        return "an earlier inspection"
    past = _PAST_BEFORE.search(before)
    if past is not None:
        return " ".join(past.group(0).split()).lower().removeprefix("in ").removeprefix("at ")
    return None


def _paragraphs(lines: list[Line]) -> list[_Paragraph]:
    """Paragraphs (runs of non-empty lines, joined so wrapped sentences read whole), each with the
    heading it sits under. The document's title names no section, and figures after the findings
    lists belong to no named section."""
    paragraphs: list[_Paragraph] = []
    current: list[Line] = []
    heading, first = "", True

    def close() -> None:
        nonlocal heading, first
        if not current:
            return
        text = " ".join(line.text for line in current)
        if _AREA_HEADING.match(text):
            heading = ""
        elif _is_heading(text):
            heading = "" if first else text
        else:
            paragraphs.append(_Paragraph(text, current[0], heading))
        first = False
        current.clear()

    for line in lines:
        if line.text:
            current.append(line)
        else:
            close()
    close()
    return paragraphs


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


_CLAUSE_END = re.compile(r"[.;]\s|\s[–—]\s|,\s")


def _clause(sentences: _Sentences, start: int, end: int) -> tuple[str, str]:
    """The words before a figure (back to the sentence's start) and after it (to the clause's end,
    at most 70 characters: only those are searched, not the rest of the paragraph)."""
    text = sentences.text
    before = text[sentences.start(start) : start]
    stop = _CLAUSE_END.search(text, end, end + 73)
    after = text[end : stop.start() if stop is not None else end + 70]
    return before, after[:70]


def _polarity(sentences: _Sentences, start: int, end: int, about_compliance: bool) -> str | None:
    """'rec' when the words around a percentage make it a recording rate ("records around 91
    percent", "a recording rate of", "91% of reported crimes were recorded", "an 83% level of
    compliance"), 'un' when they make it the share not recorded ("that went unrecorded", "18,900
    crimes were not recorded – some 16%"), else None ("80.6 percent of crime that is recorded came
    through ..." is neither)."""
    text = sentences.text
    before, after = text[sentences.start(start) : start], text[end : end + 140]
    if _UNRECORDED_AFTER.match(after) or _UNRECORDED_BEFORE.search(before):
        return "un"
    if _RECORDED_BEFORE.search(before) or _RECORDED_AFTER.match(after):
        return "rec"
    if _LEVELS_BEFORE.search(before) and about_compliance:
        return "rec"  # "the current levels of 97%", after "an 83% level of compliance"
    return None





def _rates(paragraphs: list[_Paragraph]) -> list[_Rate]:
    found: list[_Rate] = []
    first_of: dict[tuple[Decimal, bool], _Rate] = {}  # each rate (and whether it is the share unrecorded) as first found
    recorded: set[Decimal] = set()  # the recording rates found so far, for the complement test
    for number, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if "%" not in text and "per" not in text:
            continue  # no percentage: the patterns below are costly
        sentences = _Sentences(text)
        about_compliance = re.search(r"\bcompliance\b|\bcrime\s+recording\b", text, re.IGNORECASE) is not None
        candidates: list[tuple[int, int, str, str | None]] = []
        taken: list[tuple[int, int]] = []  # the confidence intervals' spans, in order and apart
        for match in _RATE_WITH_CI.finditer(text):
            candidates.append((match.start(), match.end(), match.group("rate"), match.group("ci")))
            taken.append((match.start("ci"), match.end("ci")))
        starts = {start for start, *_ in candidates}
        taken_starts = [start for start, _ in taken]
        for match in _RATE.finditer(text):
            at = bisect.bisect_right(taken_starts, match.start()) - 1
            inside = (at >= 0 and match.start() < taken[at][1]) or match.start() in starts
            if not inside and not _NATIONAL.search(text[max(0, match.start() - 40) : match.end()]):
                candidates.append((match.start(), match.end(), match.group("rate"), None))
        paragraph_rates: list[_Rate] = []
        for start, end, rate, ci in sorted(candidates):
            polarity = _polarity(sentences, start, end, about_compliance)
            if polarity is None and ci is None:
                continue  # a percentage that is not about recording crime
            paragraph_rates.append(_Rate(rate, ci, paragraph.heading, number, start, paragraph.line, polarity == "un",
                                         _rate_name(sentences, start), _period(sentences, start, end),
                                         _LEVELS_BEFORE.search(sentences.text[sentences.start(start) : start]) is not None))
        recorded_here = {Decimal(rate.rate) for rate in paragraph_rates if not rate.unrecorded}
        for rate in paragraph_rates:
            value = Decimal(rate.rate)
            if rate.unrecorded and rate.ci is None and (100 - value in recorded_here or 100 - value in recorded):
                continue  # "The 18.8 percent ... that went unrecorded": the complement of the rate, not a figure
            twin = first_of.get((value, rate.unrecorded))
            if twin is not None:  # the same rate again, as a headline or in a later section
                if rate.ci and not twin.ci:
                    twin.ci = rate.ci
                if rate.heading and rate.ci:
                    twin.heading, twin.name = rate.heading, None  # named after the section that reports it in full
                continue
            found.append(rate)
            first_of[(value, rate.unrecorded)] = rate
            if not rate.unrecorded:
                recorded.add(value)
    return found


def _rate_name(sentences: _Sentences, position: int) -> str | None:
    sentence = sentences.text[sentences.start(position) : sentences.end(position)]
    match = re.search(r"recording\s+rate\s+for\s+([a-z][a-z \-]{2,40}?)\s+(?:is|was|at)\b", sentence, re.IGNORECASE)
    return f"Recording rate for {match.group(1)}" if match else None


def _estimates(paragraphs: list[_Paragraph]) -> list[tuple[int, str, str, int, int, Line]]:
    """Every estimate of crimes not recorded, with its section, paragraph and position (an estimate
    repeated in a later section is listed again, so a rate can take the one from its own section)."""
    found: list[tuple[int, str, str, int, int, Line]] = []
    for number, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if not _THOUSANDS.search(text):
            continue  # estimates are thousands
        sentences = _Sentences(text)
        strict = set()
        for match in _ESTIMATE.finditer(text):
            label = " ".join((match.group(2) + (match.group(3) or "")).split())
            if not match.group(3) and _UNRECORDED.search(text[max(0, match.start() - 40) : match.start()]):
                label += " not recorded"  # "is not recording over 1,890 ... each year"
            value = int(match.group(1).replace(",", ""))
            strict.add(value)
            found.append((value, label, paragraph.heading, number, match.start(), paragraph.line))
        when: tuple[re.Match[str] | None] | None = None  # the paragraph's "each year", looked for once
        for match in _ESTIMATE_LOOSE.finditer(text):
            value = int(match.group(1).replace(",", ""))
            before, after = _clause(sentences, match.start(), match.end())
            if value in strict or not _UNRECORDED.search(before + " " + match.group(0) + " " + after):
                continue
            if when is None:
                when = (re.search(r"\b(?:each|a|per)\s+year\b|\bover\s+(?:just\s+)?one\s+year\b|\bone-year\b", text),)
            label = " ".join(f"{match.group('what').lower()} {when[0].group(0) if when[0] else ''} not recorded".split())
            found.append((value, label, paragraph.heading, number, match.start(), paragraph.line))
    return found


_Estimate = tuple[int, str, str, int, int, Line]  # value, label, heading, paragraph, position, line
NEAREST_TRIED = 64  # estimates tried either side of a rate in its paragraph (a real paragraph has a handful)


class _EstimateIndex:
    """The estimates by section and by paragraph, so each rate finds its own without reading every
    estimate in the report (rates times estimates was quadratic in a report made of figures)."""

    def __init__(self, estimates: list[_Estimate]) -> None:
        self.by_heading: dict[str, list[_Estimate]] = {}
        self.next_in_heading: dict[str, int] = {}
        self.by_paragraph: dict[int, list[_Estimate]] = {}
        self.positions: dict[int, list[int]] = {}
        for estimate in estimates:
            self.by_heading.setdefault(estimate[2], []).append(estimate)
            self.by_paragraph.setdefault(estimate[3], []).append(estimate)  # in order of position: found by finditer
        for paragraph, found in self.by_paragraph.items():
            found.sort(key=lambda estimate: estimate[4])
            self.positions[paragraph] = [estimate[4] for estimate in found]

    def estimate_for(self, rate: _Rate, placed: set[int]) -> tuple[int, str] | None:
        """The estimate that goes with a rate: one in the same section, else the nearest in the same
        paragraph. An estimate once placed stays placed, so the section's list is read forward once."""
        if rate.heading:
            in_section = self.by_heading.get(rate.heading, [])
            at = self.next_in_heading.get(rate.heading, 0)
            while at < len(in_section) and in_section[at][0] in placed:
                at += 1
            self.next_in_heading[rate.heading] = at
            if at < len(in_section):
                return in_section[at][0], in_section[at][1]
        here = self.by_paragraph.get(rate.paragraph, [])
        middle = bisect.bisect_left(self.positions[rate.paragraph], rate.position) if here else 0
        near = here[max(0, middle - NEAREST_TRIED) : middle + NEAREST_TRIED]
        same = [(abs(position - rate.position), number, label) for number, label, _heading, _paragraph, position, _line in near
                if number not in placed]
        if same:
            _, number, label = min(same)
            return number, label
        return None


def _counts(paragraphs: list[_Paragraph]) -> list[tuple[dict[str, Any], Line]]:
    counts: list[tuple[dict[str, Any], Line]] = []
    seen: set[tuple[int, int]] = set()

    def add(numerator: int, denominator: int, phrase: str, paragraph: _Paragraph) -> None:
        if 0 < denominator and numerator <= denominator and (numerator, denominator) not in seen:
            seen.add((numerator, denominator))
            name = f"{paragraph.heading}: {phrase}" if paragraph.heading else phrase
            counts.append(({"name": name, "numerator": numerator, "denominator": denominator}, paragraph.line))

    for paragraph in paragraphs:
        text = paragraph.text
        if not _COUNT_HINT.search(text):
            continue
        sentences = _Sentences(text)
        for match in _COUNT.finditer(text):
            phrase = match.group(3).strip()
            if not re.match(r"(?:the|these|those|them|it|our|its)\b", phrase, re.IGNORECASE):
                add(_int(match.group(1)), _int(match.group(2)), phrase, paragraph)
        for match in _OF_THESE.finditer(text):  # "50 incidents were reviewed ... 23 of these": the last number before it
            sentence_start = sentences.start(match.start())
            earlier = list(re.finditer(r"\b(\d{1,3}(?:,\d{3})*|\d+)\s+(?:of\s+the\s+)?([a-z][a-z\- ]{2,60})", text[sentence_start : match.start()]))
            earlier = [found for found in earlier if not re.match(r"(?:19|20)\d\d\b", found.group(1))]
            if earlier:
                add(_int(match.group(1)), _int(earlier[-1].group(1)), earlier[-1].group(2).strip(), paragraph)
        for match in _ONLY_WERE.finditer(text):  # "16 crimes should have been recorded, but only 6 were"
            add(_int(match.group(2)), _int(match.group(1)), "should have been recorded and were", paragraph)
    return counts


def _int(text: str) -> int:
    return _WORDS[text.lower()] if text.lower() in _WORDS else int(text.replace(",", ""))
