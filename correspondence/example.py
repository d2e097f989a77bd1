"""The bundled example: MOPAC, the Met, its 2018 CDI inspection and MOPAC's s.55 response.

It lets a new user see the whole product work on real facts before entering their own.
Loading it twice changes nothing: the second run finds the office and reports what is there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence import inspections, letters, offices
from correspondence.inspection_file import load_inspection_file
from correspondence.models import Inspection, Letter, Office
from correspondence.roles import HOME_SECRETARY
from correspondence.vocabulary import Direction, LetterKind, LetterStatus

EXAMPLE_INSPECTION = Path(__file__).parent / "examples" / "met-cdi-2018.yaml"
OFFICE_SHORT_NAME = "MOPAC"


@dataclass
class Example:
    office: Office
    inspection: Inspection
    letter: Letter
    newly_loaded: bool


def load_example(session: Session) -> Example:
    existing = session.scalar(select(Office).where(Office.short_name == OFFICE_SHORT_NAME))
    if existing is not None:
        return _already_loaded(session, existing)

    force = offices.add_force(session, "Metropolitan Police Service", chief_officer_title="Commissioner")
    office = offices.add_office(
        session,
        name="Mayor's Office for Policing and Crime",
        short_name=OFFICE_SHORT_NAME,
        address="City Hall\nKamal Chunchie Way\nLondon\nE16 1ZE",
        signatory_name="Sophie Linden",
        signatory_title="Deputy Mayor for Policing and Crime",
        reference_scheme="MOPAC{date:%d%m%Y}-D{seq}",
        force=force,
    )
    inspection = inspections.add_inspection(session, load_inspection_file(EXAMPLE_INSPECTION))
    letter = letters.log_letter(
        session,
        office=office,
        direction=Direction.OUT,
        reference="MOPAC06092018-D2188",
        letter_date=dt.date(2018, 9, 7),
        status=LetterStatus.SENT,
        addressee=letters.Addressee(role=HOME_SECRETARY),
        cc="HMICFRS",
        subject="Force report for the Crime Data Integrity inspection",
        kind=LetterKind.S55_RESPONSE,
        inspection_id=inspection.id,
    )
    return Example(office, inspection, letter, newly_loaded=True)


def _already_loaded(session: Session, office: Office) -> Example:
    letter = session.scalar(
        select(Letter).where(Letter.office_id == office.id, Letter.reference == "MOPAC06092018-D2188")
    )
    inspection = session.scalar(
        select(Inspection).where(Inspection.force_id == office.force_id, Inspection.programme == "Crime Data Integrity")
    )
    if letter is None or inspection is None:
        from correspondence.errors import CorrespondenceError

        raise CorrespondenceError("an office MOPAC exists but is not the bundled example; use another database with --db")
    return Example(office, inspections.get_inspection(session, inspection.id), letter, newly_loaded=False)
