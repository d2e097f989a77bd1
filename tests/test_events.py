"""The append-only event log records every change, in the same transaction as the change."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import snapshot


def events(cli, entity=None):
    args = ["history", "--limit", "1000"] + (["--entity", entity] if entity else [])
    return cli.json(*args)


def test_every_stored_row_has_a_create_event(example_cli):
    rows = snapshot(example_cli.db_url)
    created = {(e["entity"], e["entity_id"]) for e in events(example_cli) if e["change"] == "create"}
    for table in ("forces", "offices", "inspections", "judgments", "measures", "improvement_areas", "letters",
                  "issued_references", "role_holders"):
        ids = {row[0] for row in rows[table]}
        assert ids, f"example stored no {table}"
        assert {(table, row_id) for row_id in ids} <= created, f"{table} rows without a create event"


def test_create_event_holds_the_values_and_who_made_them(example_cli, monkeypatch):
    monkeypatch.setenv("CORR_USER", "jpi")
    example_cli.ok("letter", "log", "--office", "MOPAC", "--ref", "JC/jpi/1", "--date", "6 January 2020",
                   "--subject", "West Mercia & CDI")
    (event,) = [e for e in events(example_cli, "letters") if e["data"].get("reference") == "JC/jpi/1"]
    assert event["actor"] == "jpi" and event["change"] == "create"
    assert event["data"]["letter_date"] == "2020-01-06" and event["data"]["subject"] == "West Mercia & CDI"


def test_delete_is_logged_with_the_deleted_values(example_cli):
    example_cli.ok("letter", "log", "--office", "MOPAC", "--ref", "D-1", "--date", "1/1/2020", "--status", "draft")
    example_cli.ok("letter", "delete", "D-1")
    deletes = [e for e in events(example_cli, "letters") if e["change"] == "delete"]
    assert [e["data"]["reference"] for e in deletes] == ["D-1"]


def test_update_is_logged_as_old_and_new_values(example_cli):
    from correspondence.records.store import Store
    from correspondence.records.vocabulary import LetterStatus
    from correspondence.register.letters import get_letter

    example_cli.ok("letter", "log", "--office", "MOPAC", "--ref", "U-1", "--date", "1/1/2020", "--status", "draft")
    store = Store(example_cli.db_url)
    with store.transaction() as session:
        get_letter(session, "U-1").status = LetterStatus.SENT
    store.dispose()
    (update,) = [e for e in events(example_cli, "letters") if e["change"] == "update"]
    assert update["data"] == {"status": ["draft", "sent"]}


@pytest.mark.parametrize("statement", ["UPDATE events SET actor = 'someone else'", "DELETE FROM events",
                                       "DELETE FROM issued_references", "UPDATE issued_references SET reference = 'X'"])
def test_the_log_and_reference_ledger_refuse_changes_in_the_database_itself(example_cli, statement):
    before = snapshot(example_cli.db_url)
    engine = create_engine(example_cli.db_url)
    with pytest.raises(DBAPIError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text(statement))
    engine.dispose()
    assert snapshot(example_cli.db_url) == before
