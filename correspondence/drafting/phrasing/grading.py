"""Grades as letters give them: predicates ("graded the force as requiring improvement overall"),
PEEL areas in one sentence and graded questions in a short table, and changes since the last
inspection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from correspondence.drafting.phrasing.words import counted, join, lower_first, number, plural, programme_name
from correspondence.records.vocabulary import Grade

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


MOST_AREAS_IN_A_SENTENCE = 4  # more areas than this, and a sentence listing them is hard to follow


def needs_a_table(items: Sequence[str]) -> bool:
    """Whether graded items are better shown as a table than listed in a sentence: questions;
    any name holding a comma ('Building, supporting and protecting the workforce'), which a list
    joined with commas cannot show; or more areas than a reader can follow in one sentence."""
    return (any(is_question(item) for item in items) or any("," in item for item in items)
            or len(items) > MOST_AREAS_IN_A_SENTENCE)


def grades(inspectorate: str, force: str, overall: Grade | None, judgments: Sequence[tuple[str, Grade | None]]) -> GradeProse:
    """What the inspectorate graded: overall, then each area in a sentence, or in a table (under
    a lead-in that counts only the items graded) when the items are questions, name themselves
    with commas, or are more than four."""
    overall_clause = f"as {graded_as(overall)} overall" if overall else ""
    if not judgments:
        return GradeProse(f"{inspectorate} graded {force} {overall_clause}." if overall else "")
    if needs_a_table([item for item, _ in judgments]):
        column = "Question" if all(item.rstrip().endswith("?") for item, _ in judgments) else "Area"
        n_graded = sum(1 for _, grade in judgments if grade is not None)
        examined = _examined(len(judgments), column.lower())
        if n_graded == 0:
            lead = f"{inspectorate} graded {force} {overall_clause}, and did not grade {examined}:" if overall else \
                f"{inspectorate} did not grade {examined}:"
        else:
            which = examined if n_graded == len(judgments) else f"{number(n_graded)} of {examined}"
            if overall:
                lead = f"{inspectorate} graded {force} {overall_clause}, and graded {which} as follows:"
            else:
                lead = f"{inspectorate} graded {which} as follows:"
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
    text = f"{inspectorate}'s previous {programme_name(programme)} inspection of the force was published on {published}"
    if before is None:
        return text + "."
    text += f" and graded it as {graded_as(before)} overall."
    if now is not None:
        text += f" The force's overall grade {grade_change(before, now)}."
    return text
