"""Correcting what was read from a report: a finding (cause of concern, recommendation, area for
improvement), a graded judgment or a figure added, corrected or removed, each change kept as an
InspectionCorrection with who made it, when and why, and the wording before and after.

The rules live here once, for the command line and the workspace:

- a finding's text is a sentence ending with a full stop, as an imported one is (``as_sentence``,
  which the report importer uses too); its number is positive and not another finding's of the same
  kind on the inspection; renumbering is correcting the number;
- a finding the force has updated, the office has answered or someone owns is not removed (its
  history would go with it): it is corrected instead;
- a corrected figure must have its phrase confirmed again before a letter quotes it;
- every change needs a reason (``why``), and names the change as a person would ("Recommendation 8");
- a letter already sent is never changed: it records what it said. A draft made before the latest
  correction of its inspection is flagged (``made_before_correction``) to be drafted again.

Each refusal gathers every problem at once (``CorrectionProblems``), each with its field, so a form
can say each beside its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from correspondence.records.dates import as_utc, in_the_uk, long_date
from correspondence.records.errors import InvalidInput, NotFound, Step, named
from correspondence.records.limits import check_value
from correspondence.records.models import (
    AnnexRequestRow,
    FindingOwner,
    ImprovementArea,
    Inspection,
    InspectionCorrection,
    Letter,
)
from correspondence.records.store import current_actor
from correspondence.records.vocabulary import AreaKind, Direction, FindingFor, LetterStatus
from correspondence.tracking.finding_for import for_label, is_for_force, parse_for

FINDING, JUDGMENT, FIGURE = "finding", "judgment", "figure"
ADDED, CORRECTED, REMOVED = "added", "corrected", "removed"
KIND_ORDER = {AreaKind.CAUSE_OF_CONCERN: 0, AreaKind.RECOMMENDATION: 1, AreaKind.AREA_FOR_IMPROVEMENT: 2}


class CorrectionProblems(InvalidInput):
    """Every problem with a correction at once, each as (field, what is wrong); the first is the
    error's own field, so a face that says one problem says the first."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        others = [f"{named(field)}: {message}" for field, message in problems[1:]]
        super().__init__("; ".join([problems[0][1], *others]), field=problems[0][0])
        self.problems = problems


def as_sentence(text: str) -> str:
    """A finding's wording as the sentence a letter quotes: a list's own punctuation ("; and", ",")
    taken off the end, and a full stop added where it has none (issue 23: imported findings lost
    theirs, so one table mixed both). The importer reads each listed finding through this."""
    text = re.sub(r"(?:[;,]?\s+(?:and|or)\b|[;,.])\s*$", "", text).strip()
    if text and not re.search(r"[.?!…][\"'”’)]*$", text):
        text += "."
    return text


# --- findings -------------------------------------------------------------------------------------------


def finding_label(kind: AreaKind, number: int) -> str:
    """How a person names a finding: "Recommendation 8", "Area for improvement 3"."""
    return f"{kind.value.capitalize()} {number}"


def add_finding(session: Session, inspection: Inspection, *, kind: Any, number: Any, text: str,
                timescale: str | None = None, for_whom: Any = None, for_name: str | None = None, why: str) -> ImprovementArea:
    """Add a finding the report makes and the store lacks (the importer missed it). It is for the
    force unless ``for_whom`` says otherwise (tracking/finding_for.py)."""
    problems: list[tuple[str, str]] = []
    whom = _whom(for_whom, for_name, problems) if for_whom is not None else (FindingFor.FORCE, None)
    parsed_kind = _kind(kind, problems)
    parsed_number = _number(number, problems)
    wording = _text(text, problems)
    when = _timescale(timescale, problems)
    reason = reason_given(why, problems)
    if parsed_kind is not None and parsed_number is not None:
        _number_free(inspection, parsed_kind, parsed_number, None, problems)
    refuse_all(problems)
    area = ImprovementArea(inspection=inspection, kind=parsed_kind, number=parsed_number, text=wording, timescale=when,
                           for_whom=whom[0], for_name=whom[1])
    session.add(area)
    session.flush()
    record_correction(session, inspection, FINDING, ADDED, finding_label(area.kind, area.number), "", _finding_words(area), reason)
    session.expire(inspection, ["areas"])
    return area


def correct_finding(session: Session, area: ImprovementArea, *, kind: Any = None, number: Any = None, text: str | None = None,
                    timescale: str | None = None, for_whom: Any = None, for_name: str | None = None, why: str) -> list[str]:
    """Correct a finding's kind, number, text or timescale (None leaves one as it is; an empty
    timescale removes it). The body it asks to act stays as it is unless ``for_whom`` is given.
    Returns the fields changed; nothing changed records nothing."""
    problems: list[tuple[str, str]] = []
    wanted: dict[str, Any] = {}
    if for_whom is not None:
        wanted["for_whom"], wanted["for_name"] = _whom(for_whom, for_name, problems)
    if kind is not None:
        wanted["kind"] = _kind(kind, problems)
    if number is not None:
        wanted["number"] = _number(number, problems)
    if text is not None:
        wanted["text"] = _text(text, problems)
    if timescale is not None:
        wanted["timescale"] = _timescale(timescale, problems)
    reason = reason_given(why, problems)
    new_kind, new_number = wanted.get("kind") or area.kind, wanted.get("number") or area.number
    if not problems and (new_kind, new_number) != (area.kind, area.number):
        _number_free(area.inspection, new_kind, new_number, area, problems)
    refuse_all(problems)
    changed = [name for name, value in wanted.items() if getattr(area, name) != value]
    if not changed:
        return []
    before = _finding_words(area)
    for name in changed:
        setattr(area, name, wanted[name])
    session.flush()
    record_correction(session, area.inspection, FINDING, CORRECTED, finding_label(area.kind, area.number), before, _finding_words(area), reason)
    session.expire(area.inspection, ["areas"])
    return changed


def remove_finding(session: Session, area: ImprovementArea, *, why: str) -> str:
    """Remove a finding the report does not make (read by mistake). Refused while the force's
    updates, an office's answers or an owner hang on it: their history would go with it. Its
    wording is kept in the correction. Returns its label."""
    label = finding_label(area.kind, area.number)
    held = _held_by(session, area)  # said first, whatever the reason given: it cannot be removed at all
    if held:
        raise InvalidInput(
            f"{label} has {' and '.join(held)}: removing it would lose that history",
            steps=[Step("correct_finding", "if the report makes it in other words, correct it instead", inspection=area.inspection_id, finding=area.code)])
    problems: list[tuple[str, str]] = []
    reason = reason_given(why, problems)
    refuse_all(problems)
    inspection = area.inspection
    before = _finding_words(area)
    for row in session.scalars(select(AnnexRequestRow).where(AnnexRequestRow.area_id == area.id)):
        session.delete(row)  # what a findings table sent to the force said of it; the letter's file keeps it
    session.delete(area)
    session.flush()
    record_correction(session, inspection, FINDING, REMOVED, label, before, "", reason)
    session.expire(inspection, ["areas"])
    return label


def find_finding(inspection: Inspection, area_id: Any) -> ImprovementArea:
    """The finding with record id ``area_id``, only if it is one of ``inspection``'s."""
    for area in inspection.areas:
        if str(area.id) == str(area_id).strip():
            return area
    raise NotFound(f"finding {area_id} is not one of inspection {inspection.id}'s")


def ordered(areas: Iterable[ImprovementArea]) -> list[ImprovementArea]:
    """Findings in a report's order: causes of concern, recommendations, areas for improvement, each by number."""
    return sorted(areas, key=lambda area: (KIND_ORDER.get(area.kind, 3), area.number))


def _held_by(session: Session, area: ImprovementArea) -> list[str]:
    held = []
    if area.updates:
        held.append(f"{len(area.updates)} update{'s' if len(area.updates) != 1 else ''} from the force")
    if area.answers:
        held.append("the office's answer" if len(area.answers) == 1 else f"{len(area.answers)} answers from the office")
    if session.scalar(select(func.count()).select_from(FindingOwner).where(FindingOwner.area_id == area.id)):
        held.append("an owner")
    return held


def _finding_words(area: ImprovementArea) -> str:
    when = f" (timescale: {area.timescale})" if area.timescale else ""
    whom = "" if is_for_force(area) else f" (for {for_label(area.for_whom, area.for_name, office='the office itself')})"
    return f"{finding_label(area.kind, area.number)}{when}{whom}: {area.text}"


def _whom(value: Any, name: str | None, problems: list[tuple[str, str]]) -> tuple[FindingFor | None, str | None]:
    try:
        return parse_for(value, name)
    except InvalidInput as error:
        problems.append((error.field or "for", error.refusal))
        return None, None


def _kind(value: Any, problems: list[tuple[str, str]]) -> AreaKind | None:
    if isinstance(value, AreaKind):
        return value
    if not str(value or "").strip():
        problems.append(("kind", "say what kind of finding it is: a cause of concern, a recommendation or an area for improvement"))
        return None
    try:
        return AreaKind.parse(value, field="kind")
    except InvalidInput:
        problems.append(("kind", f"{str(value).strip()!r} is not a kind of finding: give a cause of concern, a recommendation "
                                 "or an area for improvement"))
        return None


def _number(value: Any, problems: list[tuple[str, str]], field: str = "number") -> int | None:
    said = str(value if value is not None else "").strip()
    if not said:
        problems.append((field, "give its number, as the report numbers it"))
        return None
    if not said.isdigit() or int(said) < 1:
        problems.append((field, f"{said!r} is not a number of 1 or more"))
        return None
    if int(said) > 9999:
        problems.append((field, f"{said} is too large for a report's numbering"))
        return None
    return int(said)


def _text(value: str | None, problems: list[tuple[str, str]]) -> str:
    wording = as_sentence(" ".join((value or "").split()))
    if not wording:
        problems.append(("text", "give its wording, as the report has it"))
    return wording


def _timescale(value: str | None, problems: list[tuple[str, str]]) -> str | None:
    when = " ".join((value or "").split()) or None
    return checked(ImprovementArea.__table__.c.timescale, when, "the timescale", "timescale", problems)


def reason_given(value: str | None, problems: list[tuple[str, str]]) -> str:
    reason = " ".join((value or "").split())
    if not reason:
        problems.append(("why", "give the reason for the change: it is kept with it, for whoever reads it later"))
    return reason


def checked(column: Any, value: Any, label: str, field: str, problems: list[tuple[str, str]]) -> Any:
    try:
        return check_value(column, value, label)
    except InvalidInput as error:
        problems.append((field, error.refusal))
        return None


def _number_free(inspection: Inspection, kind: AreaKind, number: int, same: ImprovementArea | None,
                 problems: list[tuple[str, str]]) -> None:
    for area in inspection.areas:
        if area is not same and area.kind is kind and area.number == number:
            problems.append(("number", f"{finding_label(kind, number)} is already stored (\"{_short(area.text)}\"): "
                                       "give another number, or correct that one"))
            return


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def refuse_all(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise CorrectionProblems(problems)


def record_correction(session: Session, inspection: Inspection, subject: str, change: str, label: str, before: str, after: str,
            why: str) -> InspectionCorrection:
    correction = InspectionCorrection(inspection_id=inspection.id, actor=current_actor(), subject=subject, change=change,
                                      label=label[:300], before=before, after=after, why=why)
    session.add(correction)
    session.flush()
    return correction


# --- what the corrections mean for letters ----------------------------------------------------------------


def corrections_of(session: Session, inspection: Inspection) -> list[InspectionCorrection]:
    """The inspection's corrections, oldest first."""
    return list(session.scalars(select(InspectionCorrection).where(InspectionCorrection.inspection_id == inspection.id)
                                .order_by(InspectionCorrection.occurred_at, InspectionCorrection.id)))


def drafted_before_correction(session: Session, letters: Iterable[Letter]) -> dict[int, dt.datetime]:
    """Each draft among ``letters`` made before the latest correction of its inspection, with when
    that correction was made (one query for the whole list). A sent letter is never listed: it
    records what it said."""
    drafts = [letter for letter in letters if letter.status is LetterStatus.DRAFT and letter.direction is Direction.OUT
              and letter.inspection_id is not None]
    if not drafts:
        return {}
    latest = dict(session.execute(
        select(InspectionCorrection.inspection_id, func.max(InspectionCorrection.occurred_at))
        .where(InspectionCorrection.inspection_id.in_({letter.inspection_id for letter in drafts}))
        .group_by(InspectionCorrection.inspection_id)).all())
    flagged = {}
    for letter in drafts:
        corrected = latest.get(letter.inspection_id)
        if corrected is not None and letter.created_at is not None and as_utc(letter.created_at) < as_utc(corrected):
            flagged[letter.id] = as_utc(corrected)
    return flagged


def made_before_correction(session: Session, letters: Iterable[Letter]) -> set[int]:
    """The ids of the drafts among ``letters`` made before the latest correction of their inspection."""
    return set(drafted_before_correction(session, letters))


def before_correction_note(corrected_at: dt.datetime) -> str:
    """What a face says of a draft made before its inspection was corrected."""
    return f"drafted before the findings were corrected on {long_date(in_the_uk(corrected_at).date())}: draft it again"
