"""The one validation layer (correspondence/limits.py): driven by the column definitions, so a
column added later is covered without anyone remembering to add a check."""

from __future__ import annotations

import pytest
from sqlalchemy import Integer, String

from correspondence.records.errors import InvalidInput
from correspondence.records.limits import INT32_MAX, check_value, clean_text
from correspondence.records.models import Base, Force

STRING_COLUMNS = [
    (table.name, column) for table in Base.metadata.sorted_tables for column in table.columns
    if isinstance(column.type, String) and getattr(column.type, "length", None) and not getattr(column.type, "enums", None)
]
INTEGER_COLUMNS = [
    (table.name, column) for table in Base.metadata.sorted_tables for column in table.columns if isinstance(column.type, Integer)
]


@pytest.mark.parametrize(("table", "column"), STRING_COLUMNS, ids=[f"{t}.{c.name}" for t, c in STRING_COLUMNS])
def test_every_text_column_refuses_text_longer_than_it_holds(table, column):
    length = column.type.length
    assert check_value(column, "x" * length, "field") == "x" * length
    with pytest.raises(InvalidInput, match=rf"field is too long \({length + 1:,} characters; at most {length:,} fit\)"):
        check_value(column, "x" * (length + 1), "field")


@pytest.mark.parametrize(("table", "column"), INTEGER_COLUMNS, ids=[f"{t}.{c.name}" for t, c in INTEGER_COLUMNS])
def test_every_integer_column_refuses_numbers_postgresql_cannot_hold(table, column):
    assert check_value(column, INT32_MAX, "field") == INT32_MAX
    with pytest.raises(InvalidInput, match="out of range"):
        check_value(column, INT32_MAX + 1, "field")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("stop & search\x0bsecond line", "stop & search\nsecond line"),  # Word's manual line break
        ("page\x0cbreak", "page\nbreak"),
        ("windows\r\nline", "windows\nline"),
        ("a\x00b\x08c\x1fd\x7fe", "abcde"),
        ("tab\tkept", "tab\tkept"),
        ("bad byte \udcff", "bad byte \ufffd"),  # an undecodable byte in a command-line argument
        ("plain text & <tags> \"quotes\"", "plain text & <tags> \"quotes\""),
    ],
)
def test_control_characters_are_cleaned(typed, stored):
    assert clean_text(typed) == stored


def test_a_flush_checks_every_new_row(tmp_path):
    from correspondence.records.store import Store

    store = Store(f"sqlite:///{tmp_path / 'limits.db'}")
    store.migrate()
    with pytest.raises(InvalidInput, match="force name is too long"):
        with store.transaction() as session:
            session.add(Force(name="F" * 201))
    with store.transaction() as session:
        session.add(Force(name="Kent\x0b Police\x00"))
    with store.reading() as session:
        assert session.query(Force.name).scalar() == "Kent\n Police"
    store.dispose()


def test_a_reading_session_cannot_write(tmp_path):
    from correspondence.records.store import Store

    store = Store(f"sqlite:///{tmp_path / 'limits.db'}")
    store.migrate()
    with pytest.raises(RuntimeError, match="read-only"):
        with store.reading() as session:
            session.add(Force(name="Kent Police"))
            session.flush()
    store.dispose()
