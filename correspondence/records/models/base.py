"""The declarative base every model shares: its naming convention and the column types they use."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Enum, MetaData, Numeric
from sqlalchemy.orm import DeclarativeBase

from correspondence.records.vocabulary import Vocabulary

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


DEFAULT_CHIEF_OFFICER_TITLE = "Chief Constable"  # every force but the Met, whose head is its Commissioner

# Rates such as 89.5 and confidence half-widths such as 1.64 are kept as exact decimals.
Percent = Numeric(6, 2)


def vocabulary(enum_class: type[Vocabulary]) -> Enum:
    """Store an enum as its readable value in a plain string column, portable to any database."""
    return Enum(
        enum_class,
        values_callable=lambda members: [member.value for member in members],
        native_enum=False,
        validate_strings=True,
        length=32,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
