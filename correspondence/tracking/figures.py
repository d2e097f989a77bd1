"""The figures a letter quotes: the office confirms the phrase that names each figure, and chooses
which the letters quote, from either face.

A figure is quoted only when it is chosen, its phrase confirmed and it is for the report's own period
(records.figures.quotable). Confirming checks that the phrase reads as a name for the figure inside
a sentence; the faces show the sentence it makes (drafting.phrasing.preview) before and after.
A figure belongs to its inspection, so for a national report the choice is every office's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from correspondence.records.errors import InvalidInput, NotFound
from correspondence.records.figures import phrase_problem, quotable
from correspondence.records.models import Inspection, Measure


@dataclass
class Chosen:
    """What a choice changed: the figures now quoted and those no longer, by number."""

    quoted: list[int]
    dropped: list[int]
    unconfirmed: list[int]  # chosen, but not quoted until their phrase is confirmed


class FigureProblems(InvalidInput):
    """Several figures' problems at once, each with its field (``phrase-ID``, ``quoted-ID``), so a form
    can say each beside its figure."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems), field=problems[0][0])
        self.problems = problems


def figure(inspection: Inspection, number: int | str) -> Measure:
    """The inspection's figure numbered ``number`` (1, 2, ... in the report's order)."""
    try:
        wanted = int(str(number).strip())
    except ValueError:
        raise InvalidInput(f"{number!r} is not a figure's number: give 1, 2, ...", field="figure") from None
    for measure in inspection.measures:
        if measure.position == wanted:
            return measure
    numbers = ", ".join(str(m.position) for m in inspection.measures) or "none"
    raise NotFound(f"inspection {inspection.id} has no figure {wanted} (its figures: {numbers})")


def by_id(inspection: Inspection, measure_id: int | str) -> Measure:
    """The figure with record id ``measure_id``, only if it is one of ``inspection``'s (a form's ids are
    checked here: an id of another inspection's figure is not found)."""
    for measure in inspection.measures:
        if str(measure.id) == str(measure_id).strip():
            return measure
    raise NotFound(f"figure {measure_id} is not one of inspection {inspection.id}'s")


def confirm_phrase(measure: Measure, phrase: str) -> str:
    """Store ``phrase`` as the words letters name the figure by: a noun phrase ("the crime-recording
    rate", "audited rape reports accurately recorded" for a count), checked to read inside a sentence.
    Returns the phrase as stored (spaces tidied)."""
    text = " ".join((phrase or "").split())
    problem = phrase_problem(phrase or "")
    if problem:
        raise InvalidInput(problem, field="phrase")
    measure.phrase = text
    return text


def clear_phrase(measure: Measure) -> None:
    """Withdraw the confirmation: the figure is not quoted until a phrase is confirmed again."""
    measure.phrase = None


def quote(measure: Measure, on: bool = True) -> None:
    """Choose the figure for letters (``on``) or leave it out. Chosen, it is quoted once its phrase is
    confirmed; a figure of an earlier period cannot be chosen (it would be stated as current)."""
    if on and measure.period:
        raise InvalidInput(f"figure {measure.position} is for {measure.period}, not the report's own period: "
                           "a letter never states it as the report's finding", field="quoted")
    measure.quoted = on


def choose(session: Session, inspection: Inspection, chosen: Iterable[int | str], phrases: dict[str, str] | None = None) -> Chosen:
    """Make ``chosen`` (record ids of the inspection's figures) the figures letters quote and leave out
    the rest, confirming any phrase given in ``phrases`` (id -> phrase; an empty one withdraws the
    confirmation) first. Every problem is found before anything changes, and all are raised together
    (FigureProblems)."""
    wanted = {str(by_id(inspection, measure_id).id) for measure_id in chosen}
    phrases = phrases or {}
    for measure_id in phrases:
        by_id(inspection, measure_id)
    problems = []
    for measure in inspection.measures:
        key = str(measure.id)
        typed = phrases.get(key)
        if typed is not None and typed.strip():
            problem = phrase_problem(typed)
            if problem:
                problems.append((f"phrase-{key}", f"figure {measure.position}'s phrase {problem}"))
        if key in wanted and measure.period:
            problems.append((f"quoted-{key}", f"figure {measure.position} is for {measure.period}, not the report's own "
                                              "period: a letter never states it as the report's finding"))
    if problems:
        raise FigureProblems(problems)
    before = {measure.id for measure in inspection.measures if quotable(measure)}
    for measure in inspection.measures:
        key = str(measure.id)
        if key in phrases:
            if phrases[key].strip():
                confirm_phrase(measure, phrases[key])
            else:
                clear_phrase(measure)
        measure.quoted = key in wanted
    session.flush()
    after = {measure.id for measure in inspection.measures if quotable(measure)}
    return Chosen(
        quoted=[m.position for m in inspection.measures if m.id in after],
        dropped=[m.position for m in inspection.measures if m.id in before - after],
        unconfirmed=[m.position for m in inspection.measures if m.quoted and not (m.phrase or "").strip()],
    )


def quoted_figures(inspection: Inspection) -> list[Measure]:
    """The figures letters about ``inspection`` quote, in the report's order."""
    return [measure for measure in inspection.measures if quotable(measure)]
