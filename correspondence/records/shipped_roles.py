"""The role holders every store starts with: the Home Secretaries in post since 2010.

A s.55 response goes "to the Home Secretary", so every store must know who held that office on
any letter's date. The list ships with the tool (``data/home_secretaries.csv``) and is added to a
store when it is created or migrated, and again when a new release adds a name.
"""

from __future__ import annotations

import csv

from sqlalchemy import select
from sqlalchemy.orm import Session

from correspondence.records.dates import parse_date
from correspondence.records.models import RoleHolder
from correspondence.records.resources import data_file

HOME_SECRETARY = "Home Secretary"
HOME_OFFICE_ADDRESS = "Home Office\n2 Marsham Street\nLondon\nSW1P 4DF"


def ensure_shipped_roles(session: Session) -> int:
    """Add any shipped national role holder the database lacks; returns how many were added."""
    missing = missing_shipped_roles(session)
    session.add_all(missing)
    return len(missing)


def missing_shipped_roles(session: Session) -> list[RoleHolder]:
    """The shipped national role holders the database lacks (read only: nothing is added)."""
    existing = {
        (holder.role, holder.name, holder.starts_on)
        for holder in session.scalars(select(RoleHolder).where(RoleHolder.office_id.is_(None)))
    }
    missing = []
    with data_file("home_secretaries.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            starts_on = parse_date(row["starts_on"])
            if (HOME_SECRETARY, row["name"], starts_on) in existing:
                continue
            missing.append(
                RoleHolder(
                    role=HOME_SECRETARY,
                    name=row["name"],
                    salutation=row["salutation"],
                    address=HOME_OFFICE_ADDRESS,
                    starts_on=starts_on,
                    ends_on=parse_date(row["ends_on"]) if row["ends_on"] else None,
                )
            )
    return missing
