"""How letters put facts into sentences, in British English: one place for every phrasing rule.

Drafted letters quote the store, but a list of data is not a letter. These rules turn grades,
counts, figures and findings into sentences an office would sign: numbers below ten in words
("two recommendations"), the right verb for each kind of finding ("raises a cause of concern,
makes two recommendations and identifies three areas for improvement"), grades as predicates
("graded the force as requiring improvement overall"), PEEL areas in one sentence and graded
questions in a short table, figures compared with the previous inspection and the national
average ("84.1%, up from 78.5% in 2017 and just below the national average of 87.7%"), the
inspectorate named as it was on the letter's date, and subjects that do not repeat themselves.

Everything here is a pure function of plain values, so tests can run every grade, count and
combination through it (tests/test_phrasing.py); context.py feeds it from the store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from correspondence.records.figures import count_of, percent, rate_with_interval, whole
from correspondence.records.vocabulary import AreaKind, Grade, UpdateStatus

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


# --- numbers, plurals and lists -----------------------------------------------------------------


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
    first = words[0]
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


# --- the inspectorate -----------------------------------------------------------------------------

FIRE_AND_RESCUE_ADDED = dt.date(2017, 7, 19)  # HMIC took on fire and rescue inspection: HMICFRS
ACCESSION_OF_CHARLES_III = dt.date(2022, 9, 8)  # Her Majesty's became His Majesty's


@dataclass(frozen=True)
class Inspectorate:
    name: str
    short_name: str


def inspectorate_on(day: dt.date) -> Inspectorate:
    """The inspectorate as it was named on ``day``: HMIC until 18 July 2017, then HMICFRS, and
    His Majesty's rather than Her Majesty's from 8 September 2022."""
    majesty = "His Majesty's" if day >= ACCESSION_OF_CHARLES_III else "Her Majesty's"
    if day < FIRE_AND_RESCUE_ADDED:
        return Inspectorate(f"{majesty} Inspectorate of Constabulary", "HMIC")
    return Inspectorate(f"{majesty} Inspectorate of Constabulary and Fire & Rescue Services", "HMICFRS")


# --- grades ----------------------------------------------------------------------------------------

_PREDICATES = {
    Grade.OUTSTANDING: "outstanding",
    Grade.GOOD: "good",
    Grade.ADEQUATE: "adequate",
    Grade.REQUIRES_IMPROVEMENT: "requiring improvement",
    Grade.INADEQUATE: "inadequate",
}
NOT_GRADED = "Not graded"


def graded_as(grade: Grade) -> str:
    """The grade after 'graded the force as': 'good', 'requiring improvement'."""
    return _PREDICATES[grade]


def grade_label(grade: Grade | None) -> str:
    """The grade as a table cell prints it: 'Good', 'Requires improvement', 'Not graded'."""
    return NOT_GRADED if grade is None else grade.value[:1].upper() + grade.value[1:]


def quoted_grade(grade: Grade) -> str:
    return f"‘{grade.value}’"


@dataclass
class GradeProse:
    """The grades of an inspection as a letter gives them: one sentence, and a short table when
    the graded items are questions (too long to list in a sentence)."""

    sentence: str = ""
    table: list[dict[str, str]] = field(default_factory=list)  # each {"item": ..., "grade": ...}
    column: str = ""  # the table's first heading: "Question" or "Area"


def is_question(item: str) -> bool:
    """A graded question ('How effective is the force at ...?', 'The extent to which ...') rather
    than a short area name ('Investigating crime')."""
    return item.rstrip().endswith("?") or len(item.split()) > 8


def grades(inspectorate: str, force: str, overall: Grade | None, judgments: Sequence[tuple[str, Grade | None]]) -> GradeProse:
    """What the inspectorate graded: overall, then each area in a sentence or each question in a table."""
    overall_clause = f"as {graded_as(overall)} overall" if overall else ""
    if not judgments:
        return GradeProse(f"{inspectorate} graded {force} {overall_clause}." if overall else "")
    if any(is_question(item) for item, _ in judgments):
        column = "Question" if all(item.rstrip().endswith("?") for item, _ in judgments) else "Area"
        examined = _examined(len(judgments), column.lower())
        if overall:
            lead = f"{inspectorate} graded {force} {overall_clause}, and graded {examined} as follows:"
        elif all(grade is None for _, grade in judgments):
            lead = f"{inspectorate} did not grade {examined}:"
        else:
            lead = f"{inspectorate} graded {examined} as follows:"
        table = [{"item": item, "grade": grade_label(grade)} for item, grade in judgments]
        return GradeProse(lead, table, column)
    return GradeProse(_area_sentences(inspectorate, force, overall_clause, judgments))


def _examined(n: int, noun: str) -> str:
    if n == 1:
        return f"the {noun} it examined"
    return f"the {number(n)} {plural(noun)} it examined"


def _area_sentences(inspectorate: str, force: str, overall_clause: str, judgments: Sequence[tuple[str, Grade | None]]) -> str:
    graded = [(lower_first(item), grade) for item, grade in judgments if grade is not None]
    ungraded = [lower_first(item) for item, grade in judgments if grade is None]
    sentences = []
    if overall_clause:
        sentences.append(f"{inspectorate} graded {force} {overall_clause}.")
        subject = "It graded the force"
    else:
        subject = f"{inspectorate} graded {force}"
    if graded:
        groups = [(grade, [item for item, g in graded if g is grade]) for grade in Grade]
        groups = [(grade, items) for grade, items in groups if items]
        if len(groups) == 1:
            grade, items = groups[0]
            if len(items) == 1:
                where = f"in one area ({items[0]})"
            else:
                every = "both areas" if len(items) == 2 else f"all {number(len(items))} areas"
                where = f"in {every} it graded ({join(items)})"
            sentences.append(f"{subject} as {graded_as(grade)} {where}.")
        else:
            parts = []
            for position, (grade, items) in enumerate(groups):
                noun = counted(len(items), "area") if position == 0 else number(len(items))
                parts.append(f"as {graded_as(grade)} in {noun} ({join(items)})")
            sentences.append(f"{subject} {join(parts)}.")
    if ungraded:
        if graded or overall_clause:
            sentences.append(f"It did not grade {join(ungraded)}.")
        else:
            sentences.append(f"{inspectorate} did not grade {join(ungraded)}.")
    return " ".join(sentences)


def grade_change(before: Grade, now: Grade) -> str:
    """'improved from ‘inadequate’ to ‘requires improvement’', 'is unchanged at ‘good’'."""
    order = list(Grade)  # best first
    if before is now:
        return f"is unchanged at {quoted_grade(now)}"
    verb = "has improved" if order.index(now) < order.index(before) else "has fallen"
    return f"{verb} from {quoted_grade(before)} to {quoted_grade(now)}"


def previous_inspection(inspectorate: str, programme: str, published: str, before: Grade | None, now: Grade | None) -> str:
    """The sentence on the last inspection of the same force and programme."""
    text = f"{inspectorate}'s previous {_programme_name(programme)} inspection of the force was published on {published}"
    if before is None:
        return text + "."
    text += f" and graded it as {graded_as(before)} overall."
    if now is not None:
        text += f" The force's overall grade {grade_change(before, now)}."
    return text


# --- figures ---------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measure as phrasing needs it (models.Measure has these names too, bar ``before``)."""

    name: str
    rate: Decimal | None = None
    ci_half_width: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    estimate_per_year: int | None = None
    estimate_label: str | None = None
    national_average: Decimal | None = None


_NAMES_A_RATE = re.compile(r"\b(?:rate|percentage|proportion|level|score|compliance)$", re.IGNORECASE)
JUST = Decimal(5)  # within five percentage points of the national average is "just" above or below


def against_average(rate: Decimal, average: Decimal, ci_half_width: Decimal | None = None) -> str:
    """'in line with', 'just below', 'above' ... the national average."""
    difference = Decimal(rate) - Decimal(average)
    if difference == 0 or (ci_half_width is not None and abs(difference) <= Decimal(ci_half_width)):
        position = "in line with"
    else:
        side = "above" if difference > 0 else "below"
        position = f"just {side}" if abs(difference) <= JUST else side
    return f"{position} the national average of {percent(average)}"


def against_before(rate: Decimal, before: Decimal, when: str) -> str:
    """'up from 78.5% in 2017', 'down from ...', 'unchanged from ...'."""
    if Decimal(rate) == Decimal(before):
        return f"unchanged from {percent(before)} {when}"
    return f"{'up' if rate > before else 'down'} from {percent(before)} {when}"


def figures(measures: Sequence[Any], inspectorate: str, before: dict[str, Decimal] | None = None, before_when: str = "") -> list[str]:
    """The report's figures as paragraphs: a sentence per rate (compared with the previous
    inspection and the national average), then the counts in one sentence.

    ``before`` maps a measure's name (casefolded) to its rate at the previous inspection;
    ``before_when`` is how to say when that was ("in 2017").
    """
    before = before or {}
    rates, counts, estimates = [], [], []
    estimated = False  # whether a rate has already said "HMICFRS estimates"
    for measure in measures:
        if measure.rate is not None:
            rates.append(_rate_sentence(measure, inspectorate, before.get(measure.name.casefold()), before_when, estimated))
            estimated = estimated or measure.estimate_per_year is not None
        elif measure.numerator is not None and measure.denominator is not None:
            counts.append(_count_phrase(measure))
        elif measure.estimate_per_year is not None:
            estimates.append(f"{inspectorate} estimates that there are over {whole(measure.estimate_per_year)} "
                             f"{measure.estimate_label or lower_first(measure.name)}.")
    paragraphs = []
    if rates or estimates:
        paragraphs.append(" ".join(rates + estimates))
    if counts:
        lead = f"{inspectorate} also found" if rates or estimates else f"{inspectorate} found"
        paragraphs.append(f"{lead} {join(counts)}.")
    return paragraphs


def _rate_sentence(measure: Any, inspectorate: str, before: Decimal | None, before_when: str, estimated_before: bool = False) -> str:
    """'The overall crime-recording rate was 89.5% (±1.64%), which HMICFRS estimates leaves over
    94,500 reports of crime a year not recorded.' Later rates say it more briefly ('leaving over ...'),
    and a rate with comparisons gives its estimate in a sentence of its own, so 'which' is never
    ambiguous."""
    name = lower_first(measure.name)
    rate = rate_with_interval(measure.rate, measure.ci_half_width)
    if _NAMES_A_RATE.search(name):  # "the overall crime-recording rate was 89.5%"
        name = name if name.lower().startswith("the ") else "the " + name
        text = f"{name[:1].upper()}{name[1:]} was {rate}"
    else:  # "HMICFRS measured emergency calls answered within ten seconds at 71.3%"
        text = f"{inspectorate} measured {name} at {rate}"
    if measure.numerator is not None and measure.denominator is not None:
        text += f" ({count_of(measure.numerator, measure.denominator)})"
    clauses = []
    if before is not None:
        clauses.append(against_before(measure.rate, before, before_when))
    if measure.national_average is not None:
        clauses.append(against_average(measure.rate, measure.national_average, measure.ci_half_width))
    if clauses:
        text += ", " + join(clauses)
    if measure.estimate_per_year is None:
        return text + "."
    estimate = f"over {whole(measure.estimate_per_year)} {measure.estimate_label or 'reports of crime a year not recorded'}"
    if clauses:
        return f"{text}. {inspectorate} estimates that this leaves {estimate}."
    if estimated_before:
        return f"{text}, leaving {estimate}."
    return f"{text}, which {inspectorate} estimates leaves {estimate}."


def _count_phrase(measure: Any) -> str:
    text = f"{count_of(measure.numerator, measure.denominator)} {lower_first(measure.name)}"
    if measure.national_average is not None:
        text += f" (national average {percent(measure.national_average)})"
    return text


# --- findings --------------------------------------------------------------------------------------

_VERBS = {AreaKind.CAUSE_OF_CONCERN: "raises", AreaKind.RECOMMENDATION: "makes", AreaKind.AREA_FOR_IMPROVEMENT: "identifies"}


def findings_list(counts: dict[AreaKind, int]) -> str:
    """'one cause of concern, two recommendations and three areas for improvement'."""
    return join(counted(counts[kind], kind.value) for kind in AreaKind if counts.get(kind))


def findings_summary(counts: dict[AreaKind, int]) -> str:
    """'The report raises one cause of concern, makes two recommendations and identifies three
    areas for improvement.' Each kind of finding takes its own verb."""
    parts = [f"{_VERBS[kind]} {counted(counts[kind], kind.value)}" for kind in AreaKind if counts.get(kind)]
    if not parts:
        return "The report makes no recommendations and identifies no causes of concern or areas for improvement."
    return f"The report {join(parts)}."


def finding_label(kind: AreaKind, number_within_kind: int, how_many_of_kind: int) -> str:
    """'Recommendation 2'; a lone cause of concern is just 'Cause of concern'."""
    title = kind.value[:1].upper() + kind.value[1:]
    if kind is AreaKind.CAUSE_OF_CONCERN and how_many_of_kind == 1:
        return title
    return f"{title} {number_within_kind}"


def group_title(kind: AreaKind, n: int) -> str:
    """An annex group's heading: 'Recommendations', 'Area for improvement'."""
    name = kind.value if n == 1 else plural(kind.value)
    return name[:1].upper() + name[1:]


def annex_pointer(any_answers: bool, n_findings: int, any_updates: bool = True) -> str:
    """The sentence pointing to Annex A; where the force has given no update by the letter's date,
    it says the updates are awaited rather than promise updates the annex does not hold."""
    each = "each of them" if n_findings > 1 else "it"
    if not any_updates:
        them = "them" if n_findings > 1 else "it"
        awaited = "the force's update on each is awaited" if n_findings > 1 else "the force's update on it is awaited"
        return f"Annex A lists {them}{' with my response' if any_answers else ''}; {awaited}."
    if any_answers:
        return f"Annex A sets out the force's latest update on {each}, with my response."
    return f"Annex A sets out the force's latest update on {each}."


_STATUS_SENTENCES = {
    UpdateStatus.COMPLETE: "The force reports that its work on this is complete (see Annex A).",
    UpdateStatus.IN_PROGRESS: "The force reports that its work on this is in progress (see Annex A).",
    UpdateStatus.NOT_STARTED: "The force reports that it has not yet started work on this (see Annex A).",
}
AWAITING_FORCE = "I am awaiting the force's update on this, and will publish it when it arrives."
NO_ACTION = "I do not propose to take any action on this."


def response_to_finding(answer: str | None, no_action: bool, why: str | None, status: UpdateStatus | None) -> str:
    """What the letter says about one recommendation (or cause of concern): the office's own
    answer first (s.55(5B) asks what the policing body has done or will do, or why nothing),
    else what the force reports, else that the force's update is awaited."""
    if no_action:
        return f"{NO_ACTION} {sentence(why or '')}".strip()
    if answer:
        return sentence(answer)
    if status is not None:
        return _STATUS_SENTENCES[status]
    return AWAITING_FORCE


def answer_cell(answer: str | None, no_action: bool, why: str | None) -> str:
    """The office's answer as Annex A's 'Our response' column gives it."""
    if no_action:
        return f"No action proposed. {sentence(why or '')}".strip()
    return answer or ""


# --- openings, closings and subjects ----------------------------------------------------------------


def _programme_name(programme: str) -> str:
    """'Crime Data Integrity inspection' -> 'Crime Data Integrity', so 'inspection' is not said twice."""
    return re.sub(r"\s+(?:inspections?|programme)$", "", programme.strip(), flags=re.IGNORECASE) or programme


def response_opening(inspectorate: Inspectorate, title: str, published: str, programme: str) -> str:
    return (
        f"I write in response to the report “{title}”, published by {inspectorate.name} "
        f"({inspectorate.short_name}) on {published} as part of its {_programme_name(programme)} programme of "
        "inspections. This letter and its annex are my comments on the report under section 55 of the Police Act 1996."
    )


def response_closing(chief_officer_title: str, n_findings: int) -> str:
    if n_findings == 0:
        return "I thank the inspectorate for its report."
    these = "each of these findings" if n_findings > 1 else "this finding"
    return f"I will continue to hold the {chief_officer_title} to account for the force's progress on {these}."


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def inspection_subject(force: str, programme: str, year: int) -> str:
    """'Kent Police: PEEL 2025-27 inspection', never '... PEEL 2025-27 inspection 2026': the
    year is added only when the programme has none, 'inspection' only when it lacks it, and
    the force only when the programme does not already name it."""
    programme = " ".join(programme.split())
    has_year = re.search(r"\b(19|20)\d\d\b", programme)
    subject = programme
    if not re.search(r"\binspections?\b", programme, re.IGNORECASE):
        subject += " inspection"
    if not has_year:
        subject += f" {year}"
    force_words = _words(force)
    if _words(programme)[: len(force_words)] == force_words:
        return subject
    return f"{force}: {subject}"


def update_request_title(force: str, title: str) -> str:
    """The annex-only document's heading, naming the force once even when the report's title does."""
    if set(_words(force)) <= set(_words(title)):
        return f"Update on the findings of {title}"
    return f"{force}: update on the findings of {title}"


def meeting_subject(title: str, held_on: str) -> str:
    title = " ".join(title.split())
    if held_on in title:
        return title
    return f"{title}: {held_on}"


# --- follow-up letters ---------------------------------------------------------------------------------


def meeting_thanks(title: str, held_on: str) -> str:
    meeting = title if re.search(r"\bmeeting\b", title, re.IGNORECASE) else f"{title} meeting"
    return f"Thank you, and your team, for the {meeting} on {held_on}."


def themes_lead(themes: Sequence[str]) -> str:
    """One theme is a sentence; several are introduced for a list; none say nothing."""
    if not themes:
        return ""
    if len(themes) == 1:
        return f"The key strategic theme running through the items on the agenda was {sentence(lower_first(themes[0]))}"
    return f"The {number(len(themes))} key strategic themes running through the items on the agenda were:"


def followup_purpose(correspondence_issues: int, other_issues: int, actions: int) -> str:
    """Why the letter is written: never 'the issues we were not able to cover' when there are none."""
    issues = correspondence_issues + other_issues
    arising = "the action arising from" if actions == 1 else "the actions arising from"
    if issues and actions:
        text = f"Following the meeting, I am writing to follow up the issues we were not able to cover and to confirm {arising} it."
    elif issues:
        text = "Following the meeting, I am writing to follow up the issues we were not able to cover."
    elif actions:
        return f"I am writing to confirm {arising} the meeting."
    else:
        return ""
    if correspondence_issues and other_issues:
        text += " Some need a reply by correspondence and some will be discussed at other meetings; I have grouped them below."
    elif correspondence_issues:
        text += " I would be grateful for a reply to each of them by correspondence." if correspondence_issues > 1 else \
            " I would be grateful for a reply to it by correspondence."
    else:
        text += " They will be discussed at other meetings, as set out below." if other_issues > 1 else \
            " It will be discussed at another meeting, as set out below."
    return text


def actions_note(actions: int, carried: int) -> str:
    """The paragraph under 'Actions arising' pointing to the annex."""
    if not actions and not carried:
        return ""
    still_open = f"{counted(carried, 'action')} from earlier meetings that {'remains' if carried == 1 else 'remain'} open"
    if not actions:
        return f"The annex lists {still_open}; I would be grateful for an update on {'it' if carried == 1 else 'each of them'}."
    if actions == 1:
        text = ("The action arising from the meeting is set out in the annex. I would be grateful if it could be "
                "completed in the timescale indicated.")
    else:
        text = ("The actions arising from the meeting are set out in the annex. I would be grateful if they could be "
                "completed in the timescales indicated.")
    if carried:
        text += f" The annex also lists {still_open}."
    return text


def followup_closing(correspondence_issues: int, actions: int, carried: int) -> str:
    """The last line before 'Yours sincerely' when the office gives no closing of its own."""
    if correspondence_issues:
        return "I look forward to your reply on the issues above."
    if actions or carried:
        return "I look forward to hearing of progress on the actions."
    return "I look forward to our next meeting."
