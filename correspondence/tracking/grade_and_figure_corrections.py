"""Correcting a report's graded judgments and figures: each one added, corrected or removed, kept as
an InspectionCorrection with who, when and why, as a finding is (tracking/corrections.py holds the
rules they share, and the findings).

A judgment or figure removed closes the gap: the others move up one, so they stay numbered 1, 2, ...
as the command line names them. A corrected figure loses its confirmed phrase: a letter quotes it
again only once its phrase is confirmed for the corrected figure.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from correspondence.records.errors import InvalidInput, NotFound
from correspondence.records.figures import describe_measure
from correspondence.records.models import Inspection, Judgment, Measure
from correspondence.records.vocabulary import Grade
from correspondence.tracking.corrections import (
    ADDED,
    CORRECTED,
    FIGURE,
    JUDGMENT,
    REMOVED,
    checked,
    reason_given,
    record_correction,
    refuse_all,
)

# --- judgments ------------------------------------------------------------------------------------------


def judgment_label(judgment: Judgment) -> str:
    return f"Judgment {judgment.position}"


def add_judgment(session: Session, inspection: Inspection, *, question: str, grade: Any, position: Any = None,
                 why: str) -> Judgment:
    """Add a graded question the report has and the store lacks; ``position`` (1, 2, ...) places
    it among the others (empty: last). A grade of "" or "not graded" is no grade."""
    problems: list[tuple[str, str]] = []
    asked = _question(question, problems)
    graded = _grade(grade, problems)
    place = _position(position, len(inspection.judgments) + 1, problems)
    reason = reason_given(why, problems)
    refuse_all(problems)
    judgment = Judgment(position=0, question=asked, grade=graded)
    _place(inspection.judgments, judgment, place)
    session.flush()
    record_correction(session, inspection, JUDGMENT, ADDED, judgment_label(judgment), "", _judgment_words(judgment), reason)
    return judgment


def correct_judgment(session: Session, judgment: Judgment, *, question: str | None = None, grade: Any = None,
                     position: Any = None, why: str) -> list[str]:
    """Correct a judgment's question, grade (``""``: not graded) or place. Returns the fields changed."""
    problems: list[tuple[str, str]] = []
    inspection = judgment.inspection
    wanted: dict[str, Any] = {}
    if question is not None:
        wanted["question"] = _question(question, problems)
    if grade is not None:
        wanted["grade"] = _grade(grade, problems)
    place = _position(position, len(inspection.judgments), problems) if position is not None and str(position).strip() else None
    reason = reason_given(why, problems)
    refuse_all(problems)
    changed = [name for name, value in wanted.items() if getattr(judgment, name) != value]
    if place is not None and place != judgment.position:
        changed.append("position")
    if not changed:
        return []
    before = _judgment_words(judgment)
    for name in changed:
        if name != "position":
            setattr(judgment, name, wanted[name])
    if place is not None:
        inspection.judgments.remove(judgment)
        _place(inspection.judgments, judgment, place)
    session.flush()
    record_correction(session, inspection, JUDGMENT, CORRECTED, judgment_label(judgment), before, _judgment_words(judgment), reason)
    return changed


def remove_judgment(session: Session, judgment: Judgment, *, why: str) -> str:
    """Remove a judgment the report does not make; the others close up. Returns its label."""
    problems: list[tuple[str, str]] = []
    reason = reason_given(why, problems)
    refuse_all(problems)
    inspection, label, before = judgment.inspection, judgment_label(judgment), _judgment_words(judgment)
    inspection.judgments.remove(judgment)
    _renumber(inspection.judgments)
    session.flush()
    record_correction(session, inspection, JUDGMENT, REMOVED, label, before, "", reason)
    return label


def find_judgment(inspection: Inspection, key: Any, *, by_position: bool = False) -> Judgment:
    """One of ``inspection``'s judgments, by record id (a form's) or by its number (the command line's)."""
    for judgment in inspection.judgments:
        if str(judgment.position if by_position else judgment.id) == str(key).strip():
            return judgment
    if by_position:
        numbers = ", ".join(str(j.position) for j in inspection.judgments) or "none"
        raise NotFound(f"inspection {inspection.id} has no judgment {key} (its judgments: {numbers})")
    raise NotFound(f"judgment {key} is not one of inspection {inspection.id}'s")


def _judgment_words(judgment: Judgment) -> str:
    return f"{judgment.question}: {judgment.grade.value if judgment.grade else 'not graded'}"


def _question(value: str | None, problems: list[tuple[str, str]]) -> str:
    asked = " ".join((value or "").split())
    if not asked:
        problems.append(("question", "give the question or area the report grades"))
        return ""
    return checked(Judgment.__table__.c.question, asked, "the question", "question", problems) or ""


def _grade(value: Any, problems: list[tuple[str, str]]) -> Grade | None:
    if isinstance(value, Grade) or value is None:
        return value
    said = " ".join(str(value).split())
    if not said or said.casefold() in ("not graded", "ungraded", "none"):
        return None
    try:
        return Grade.parse(said, field="grade")
    except InvalidInput:
        choices = ", ".join(grade.value for grade in Grade)
        problems.append(("grade", f"{said!r} is not a grade: give one of {choices}, or not graded"))
        return None


def _position(value: Any, last: int, problems: list[tuple[str, str]]) -> int:
    said = str(value if value is not None else "").strip()
    if not said:
        return last
    if not said.isdigit() or not 1 <= int(said) <= last:
        problems.append(("position", f"{said!r} is not a place from 1 to {last}"))
        return last
    return int(said)


def _place(items: list[Any], item: Any, place: int) -> None:
    items.insert(place - 1, item)
    _renumber(items)


def _renumber(items: list[Any]) -> None:
    for number, item in enumerate(items, start=1):
        item.position = number


# --- figures --------------------------------------------------------------------------------------------

FIGURE_FIELDS = ("name", "rate", "ci_half_width", "numerator", "denominator", "estimate_per_year", "estimate_label",
                 "national_average")


def figure_label(measure: Measure) -> str:
    return f"Figure {measure.position}"


def add_figure(session: Session, inspection: Inspection, *, why: str, **values: Any) -> Measure:
    """Add a figure the report gives and the store lacks: its name and a rate (with any
    confidence interval), a count (numerator and denominator), or an estimate a year. Letters
    quote it only once it is chosen and its phrase confirmed."""
    problems: list[tuple[str, str]] = []
    wanted = _figure_values(values, None, problems)
    reason = reason_given(why, problems)
    refuse_all(problems)
    measure = Measure(position=len(inspection.measures) + 1, quoted=False, **wanted)
    inspection.measures.append(measure)
    session.flush()
    record_correction(session, inspection, FIGURE, ADDED, figure_label(measure), "", _figure_words(measure), reason)
    return measure


def correct_figure(session: Session, measure: Measure, *, why: str, **values: Any) -> list[str]:
    """Correct a figure's name or values (a value given as "" is cleared; one not given stays).
    A figure corrected loses its confirmed phrase: a letter quotes it again only once its phrase is
    confirmed for the corrected figure. Returns the fields changed."""
    problems: list[tuple[str, str]] = []
    wanted = _figure_values(values, measure, problems)
    reason = reason_given(why, problems)
    refuse_all(problems)
    changed = [name for name, value in wanted.items() if getattr(measure, name) != value]
    if not changed:
        return []
    before = _figure_words(measure)
    for name in changed:
        setattr(measure, name, wanted[name])
    measure.phrase = None  # confirmed again before it is quoted
    session.flush()
    record_correction(session, measure.inspection, FIGURE, CORRECTED, figure_label(measure), before, _figure_words(measure), reason)
    return changed


def remove_figure(session: Session, measure: Measure, *, why: str) -> str:
    """Remove a figure the report does not give; the others close up. Returns its label."""
    problems: list[tuple[str, str]] = []
    reason = reason_given(why, problems)
    refuse_all(problems)
    inspection, label, before = measure.inspection, figure_label(measure), _figure_words(measure)
    inspection.measures.remove(measure)
    _renumber(inspection.measures)
    session.flush()
    record_correction(session, inspection, FIGURE, REMOVED, label, before, "", reason)
    return label


def _figure_words(measure: Measure) -> str:
    return f"{measure.name}: {describe_measure(measure) or 'no value'}"


_PERCENTS = ("rate", "ci_half_width", "national_average")
_COUNTS = ("numerator", "denominator", "estimate_per_year")


def _figure_values(values: dict[str, Any], measure: Measure | None, problems: list[tuple[str, str]]) -> dict[str, Any]:
    unknown = sorted(set(values) - set(FIGURE_FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0]} is not a field of a figure")
    given = {name: value for name, value in values.items() if value is not None}
    wanted: dict[str, Any] = {}
    for name, value in given.items():
        said = " ".join(str(value).split()).removesuffix("%").replace(",", "").strip()
        if name == "name":
            wanted[name] = checked(Measure.__table__.c.name, " ".join(str(value).split()), "the name", "name", problems) or ""
            if not wanted[name]:
                problems.append(("name", "give the figure's name, as the report gives it"))
        elif name == "estimate_label":
            wanted[name] = checked(Measure.__table__.c.estimate_label, said or None, "the estimate's label", name, problems)
        elif not said:
            wanted[name] = None
        elif name in _PERCENTS:
            wanted[name] = _percent(said, name, problems)
        else:
            wanted[name] = _count(said, name, problems)
    if measure is None and "name" not in wanted:
        problems.append(("name", "give the figure's name, as the report gives it"))
    merged = {name: wanted.get(name, getattr(measure, name, None) if measure is not None else None) for name in FIGURE_FIELDS}
    if not any(field == name for field, _ in problems for name in FIGURE_FIELDS if name != "name"):
        _figure_consistent(merged, problems)
    return wanted


def _percent(said: str, field: str, problems: list[tuple[str, str]]) -> Decimal | None:
    try:
        value = Decimal(said)
    except InvalidOperation:
        problems.append((field, f"{said!r} is not a percentage, such as 89.5"))
        return None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        problems.append((field, f"{said} is not a percentage from 0 to 100"))
        return None
    return value.quantize(Decimal("0.01"))


def _count(said: str, field: str, problems: list[tuple[str, str]]) -> int | None:
    if not said.isdigit():
        problems.append((field, f"{said!r} is not a whole number"))
        return None
    return checked(Measure.__table__.c[field], int(said), "the number", field, problems)


def _figure_consistent(values: dict[str, Any], problems: list[tuple[str, str]]) -> None:
    numerator, denominator = values["numerator"], values["denominator"]
    if (numerator is None) != (denominator is None):
        problems.append(("denominator" if denominator is None else "numerator", "give both the number counted and out of how many, or neither"))
    elif numerator is not None and denominator is not None:
        if denominator == 0:
            problems.append(("denominator", "out of how many must not be 0"))
        elif numerator > denominator:
            problems.append(("numerator", f"{numerator} is more than {denominator}, the number it is out of"))
    if values["ci_half_width"] is not None and values["rate"] is None:
        problems.append(("ci_half_width", "a confidence interval needs a rate"))
    if values["rate"] is None and numerator is None and values["estimate_per_year"] is None:
        problems.append(("rate", "give a rate, a count (how many out of how many) or an estimate a year"))
