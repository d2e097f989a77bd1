"""Storing and finding inspections with their judgments, measures and improvement areas."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from correspondence.dates import long_date
from correspondence.errors import InvalidInput, NotFound
from correspondence.inspection_file import AREA_SECTIONS
from correspondence.models import Force, ImprovementArea, Inspection, Judgment, Measure
from correspondence.offices import get_force, get_or_add_force
from correspondence.records import record_number


def add_inspection(session: Session, spec: Any, *, add_force: bool = False) -> Inspection:
    """Store a validated InspectionSpec. The force must exist unless ``add_force``.

    Requiring the force guards against a typo ("Metropolitan Police Servce") quietly creating
    a second force whose inspections nobody will find.
    """
    force = get_or_add_force(session, spec.force) if add_force else get_force(session, spec.force)
    duplicate = session.scalar(
        select(Inspection).where(
            Inspection.force_id == force.id,
            Inspection.programme == spec.programme,
            Inspection.published_on == spec.published,
        )
    )
    if duplicate is not None:
        raise InvalidInput(
            f"{force.name}'s {spec.programme} inspection published {long_date(spec.published)} "
            f"is already stored as inspection {duplicate.id}"
        )
    inspection = Inspection(
        force=force,
        programme=spec.programme,
        title=spec.title,
        published_on=spec.published,
        source_url=spec.source_url,
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
        )
        for position, measure in enumerate(spec.measures, start=1)
    ]
    inspection.areas = [
        ImprovementArea(kind=kind, number=area.number, text=area.text, timescale=area.timescale)
        for section, kind in AREA_SECTIONS.items()
        for area in getattr(spec, section)
    ]
    session.add(inspection)
    session.flush()
    return inspection


def get_inspection(session: Session, inspection_id: int | str) -> Inspection:
    key = record_number(inspection_id, "inspection")
    inspection = session.scalar(_with_details(select(Inspection).where(Inspection.id == key)))
    if inspection is None:
        raise NotFound(f"no inspection {key}; see 'corr inspection list'")
    return inspection


def list_inspections(session: Session, force: str | None = None) -> list[Inspection]:
    query = _with_details(select(Inspection).join(Inspection.force))
    if force:
        query = query.where(Force.id == get_force(session, force).id)
    return list(session.scalars(query.order_by(Inspection.published_on.desc(), Inspection.id)))


def _with_details(query):  # noqa: ANN001, ANN202 - a Select
    return query.options(
        selectinload(Inspection.force),
        selectinload(Inspection.judgments),
        selectinload(Inspection.measures),
        selectinload(Inspection.areas),
    )
