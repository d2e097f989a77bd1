"""Which inspections an office answers: those of the force it oversees, and national ones.

One rule, written twice over: as a query condition (``visible_to``) for lists, and for one
inspection in hand (``concerns_office``) for permission checks.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_

from correspondence.records.models import Inspection, Office


def visible_to(office: Office) -> ColumnElement[bool]:
    """The inspections an office answers: those of the force it oversees, and national ones (no force)."""
    national = Inspection.force_id.is_(None)
    return or_(national, Inspection.force_id == office.force_id) if office.force_id else or_(national, false())


def concerns_office(inspection: Inspection, office: Office) -> bool:
    """The same rule as visible_to, for one inspection in hand."""
    return inspection.force_id is None or inspection.force_id == office.force_id
