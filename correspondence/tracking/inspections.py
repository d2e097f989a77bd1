"""Storing and finding inspections with their judgments, measures and improvement areas."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from correspondence.organisation.offices import get_force, get_or_add_force
from correspondence.organisation.oversight import visible_to
from correspondence.records.dates import long_date
from correspondence.records.errors import InvalidInput, NotFound, NotPermitted, Step
from correspondence.records.models import (
    AnnexRequest,
    Force,
    ImprovementArea,
    Inspection,
    Judgment,
    Letter,
    Measure,
    Office,
    S55Response,
)
from correspondence.records.record_numbers import record_number
from correspondence.records.vocabulary import Grade, LetterStatus
from correspondence.records.web_addresses import web_address
from correspondence.tracking.inspection_file import AREA_SECTIONS


def add_inspection(session: Session, spec: Any, *, add_force: bool = False) -> Inspection:
    """Store a validated InspectionSpec. The force must exist unless ``add_force``; a spec with
    no force is a national or thematic report.

    Requiring the force guards against a typo ("Metropolitan Police Servce") quietly creating
    a second force whose inspections nobody will find.
    """
    if spec.force is None:
        force = None
    else:
        force = get_or_add_force(session, spec.force) if add_force else get_force(session, spec.force)
    _refuse_duplicate(session, force, spec.programme, spec.published)
    inspection = Inspection(
        force=force,
        programme=spec.programme,
        title=spec.title,
        published_on=spec.published,
        source_url=web_address(spec.source_url, field="source_url"),
        overall_grade=spec.overall_grade,
    )
    inspection.judgments = [
        Judgment(position=position, question=judgment.question, grade=judgment.grade)
        for position, judgment in enumerate(spec.judgments, start=1)
    ]
    inspection.measures = [
        Measure(
            position=position,
            name=measure.name,
            rate=measure.rate,
            ci_half_width=measure.ci,
            numerator=measure.numerator,
            denominator=measure.denominator,
            estimate_per_year=measure.estimate_per_year,
            estimate_label=measure.estimate_label,
            national_average=measure.national_average,
            phrase=measure.phrase,
            period=measure.period,
            quoted=bool(measure.quoted),
        )
        for position, measure in enumerate(spec.measures, start=1)
    ]
    inspection.areas = [
        ImprovementArea(kind=kind, number=area.number, text=area.text, timescale=area.timescale,
                        for_whom=area.for_whom, for_name=area.for_name)
        for section, kind in AREA_SECTIONS.items()
        for area in getattr(spec, section)
    ]
    session.add(inspection)
    session.flush()
    return inspection


def _refuse_duplicate(session: Session, force: Force | None, programme: str, published: Any, same: int | None = None) -> None:
    query = select(Inspection).where(
        Inspection.force_id == (force.id if force else None),
        Inspection.programme == programme,
        Inspection.published_on == published,
    )
    if same is not None:
        query = query.where(Inspection.id != same)
    duplicate = session.scalar(query)
    if duplicate is not None:
        # named by its own title: "the national Thematic inspection inspection" read badly (issue 23)
        whose = "" if force else ", a national report on no single force"
        raise AlreadyStored(
            f"{duplicate.title} (published {long_date(published)}) is already stored as inspection {duplicate.id}{whose}",
            value=published, stored_id=duplicate.id, stored_force_id=duplicate.force_id,
        )


class AlreadyStored(InvalidInput):
    """The report is stored already: as data, the stored inspection (``stored_id``, its force's id),
    the publication date that makes it the same report (``value``; no ``field``, so the command line
    says it as before) and whether the office storing it again can see it (``visible``: None until
    ``seen`` says), so a face may link to the one stored, or say it is there without naming another
    office's record."""

    def __init__(self, refusal: str = "", *, stored_id: int | None = None, stored_force_id: int | None = None,
                 visible: bool | None = None, **kwargs: Any) -> None:
        super().__init__(refusal, **kwargs)
        self.stored_id, self.stored_force_id, self.visible = stored_id, stored_force_id, visible

    def seen(self, visible: bool) -> AlreadyStored:
        """The same refusal, saying whether the office storing it sees the one stored (oversight.concerns_office)."""
        return AlreadyStored(self.refusal, field=self.field, value=self.value, steps=self.steps, joined=self.joined,
                             stored_id=self.stored_id, stored_force_id=self.stored_force_id, visible=visible)


CORRECTABLE = ("title", "programme", "published_on", "source_url", "overall_grade", "force")


def correct_inspection(session: Session, inspection: Inspection, *, today: Any, **changes: Any) -> list[str]:
    """Correct an inspection's fields (None leaves one alone); each change goes to the event log.

    ``force`` is a force's name, or "" for a national report; ``overall_grade`` may be "" for
    none. Returns the names changed.
    """
    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise InvalidInput(f"{unknown[0]} is not a field of an inspection that can be corrected")
    wanted = {field: value for field, value in changes.items() if value is not None}
    if "force" in wanted:
        name = wanted.pop("force").strip()
        wanted["force_id"] = get_force(session, name).id if name else None
    if "overall_grade" in wanted and isinstance(wanted["overall_grade"], str):
        grade = wanted["overall_grade"].strip()
        wanted["overall_grade"] = Grade.parse(grade, field="overall_grade") if grade else None
    for field in ("title", "programme"):
        if field in wanted:
            wanted[field] = " ".join(wanted[field].split())
            if not wanted[field]:
                raise InvalidInput("must not be empty", field=field)
    if "published_on" in wanted and wanted["published_on"] > today:
        raise InvalidInput(f"{long_date(wanted['published_on'])} is in the future", field="published_on")
    if "source_url" in wanted:
        wanted["source_url"] = web_address(wanted["source_url"], field="source_url")
    changed = [field for field, value in wanted.items() if getattr(inspection, field) != value]
    for field in changed:
        setattr(inspection, field, wanted[field])
    if changed:
        force = session.get(Force, inspection.force_id) if inspection.force_id else None
        _refuse_duplicate(session, force, inspection.programme, inspection.published_on, same=inspection.id)
        session.flush()
        session.expire(inspection, ["force"])
    return ["force" if field == "force_id" else field for field in changed]


def delete_inspection(session: Session, inspection: Inspection, *, by_office: Office | None = None) -> list[Letter]:
    """Remove a wrongly stored inspection with its findings and updates, all in the event log.

    Refused once a sent letter refers to it: that letter answers it, and a sent letter's record
    never changes. Drafts and received letters that referred to it are kept and unlinked; they
    are returned so the person deleting can see them. ``by_office`` is the office asking (the web's
    admin, who sees only their office's records): a national report that another office has
    letters or a response about is that office's too, and is not theirs to delete.
    """
    letters = list(session.scalars(select(Letter).where(Letter.inspection_id == inspection.id).order_by(Letter.id)))
    if by_office is not None:
        others = {letter.office.short_name for letter in letters if letter.office_id != by_office.id}
        others |= {response.office.short_name for response in session.scalars(
            select(S55Response).where(S55Response.inspection_id == inspection.id, S55Response.office_id != by_office.id))}
        if others:
            raise NotPermitted(
                f"inspection {inspection.id} cannot be deleted by {by_office.short_name}: "
                f"{', '.join(sorted(others))} also {'has' if len(others) == 1 else 'have'} letters or a response about it"
            )
    sent = [letter for letter in letters if letter.status is LetterStatus.SENT]
    if sent:
        names = ", ".join(letter.label for letter in sent)
        raise InvalidInput(
            f"inspection {inspection.id} cannot be deleted: the sent letter(s) {names} refer to it",
            steps=[Step("correct_inspection", "correct its details instead", inspection=inspection.id)],
        )
    for letter in letters:
        letter.inspection = None
    for request in session.scalars(select(AnnexRequest).where(AnnexRequest.inspection_id == inspection.id)):
        session.delete(request)
    session.flush()
    session.delete(inspection)  # its judgments, measures, areas and their updates go with it
    session.flush()
    return letters


def check_after_report(inspection: Inspection, day: Any, *, field: str) -> None:
    """Nothing about a report happens before it was published: a letter about it, the force's
    update on a finding, the office's answer (a mistyped year would otherwise be quoted, or a
    letter say the report came out after it)."""
    if day < inspection.published_on:
        raise InvalidInput(f"{long_date(day)} is before the report was published, on {long_date(inspection.published_on)}",
                           field=field)


def get_inspection(session: Session, inspection_id: int | str, *, for_letter: bool = False) -> Inspection:
    """The inspection with its force, judgments, measures and areas; ``for_letter`` also loads
    each area's updates and answers, which a letter quotes (one query each, not one per area)."""
    key = record_number(inspection_id, "inspection")
    query = _with_details(select(Inspection).where(Inspection.id == key))
    if for_letter:
        areas = selectinload(Inspection.areas)
        query = query.options(areas.selectinload(ImprovementArea.updates), areas.selectinload(ImprovementArea.answers))
    inspection = session.scalar(query)
    if inspection is None:
        raise NotFound(f"no inspection {key}", steps=[Step("list_inspections", "see the inspections stored")])
    return inspection


def list_inspections(session: Session, force: str | None = None, office: Office | None = None) -> list[Inspection]:
    """Inspections, newest first: of one force, or those an office answers (see visible_to)."""
    query = _with_details(select(Inspection).outerjoin(Inspection.force))
    if force:
        query = query.where(Force.id == get_force(session, force).id)
    if office is not None:
        query = query.where(visible_to(office))
    return list(session.scalars(query.order_by(Inspection.published_on.desc(), Inspection.id)))


def _with_details(query):  # noqa: ANN001, ANN202 - a Select
    return query.options(
        selectinload(Inspection.force),
        selectinload(Inspection.judgments),
        selectinload(Inspection.measures),
        selectinload(Inspection.areas),
    )


def get_response(session: Session, office: Office, inspection: Inspection) -> S55Response | None:
    """The office's s.55 response to ``inspection``, if it has begun one (what the process steps move
    on, and what a letter's context reads the chief officer's comments from)."""
    return session.scalar(
        select(S55Response).where(S55Response.office_id == office.id, S55Response.inspection_id == inspection.id)
    )
