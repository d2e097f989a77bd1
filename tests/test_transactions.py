"""One transaction per command: a command that fails part-way leaves no trace."""

import pytest

from correspondence.records.errors import CorrespondenceError
from tests.conftest import assert_clean_error, snapshot


def test_failure_after_the_reference_was_reserved_rolls_everything_back(example_cli, tmp_path):
    # log_letter spends the reference (a ledger row and its event, flushed to the database)
    # before it reads --file; a missing file must undo all of that.
    cli = example_cli
    before = snapshot(cli.db_url)
    result = cli("letter", "log", "--office", "MOPAC", "--ref", "MOPAC01022019-D2500", "--date", "1/2/2019",
                 "--file", str(tmp_path / "missing.docx"))
    assert_clean_error(result, "--file", "missing.docx: no such file")
    assert snapshot(cli.db_url) == before
    # and the reference was not spent:
    cli.ok("letter", "log", "--office", "MOPAC", "--ref", "MOPAC01022019-D2500", "--date", "1/2/2019")


def test_failure_half_way_through_storing_an_inspection_rolls_back(cli, monkeypatch):
    """Fail only once the inspection and its judgments are written inside the transaction."""
    from sqlalchemy.orm import Session

    from correspondence.records.models import Inspection, Judgment
    from tests.conftest import FIXTURES

    original_flush = Session.flush
    written = []

    def flush_then_fail(self, *args, **kwargs):
        original_flush(self, *args, **kwargs)
        stored = list(self.identity_map.values())
        if any(isinstance(obj, Inspection) for obj in stored) and any(isinstance(obj, Judgment) for obj in stored):
            written.append(True)
            raise CorrespondenceError("simulated failure after writing")

    cli.ok("force", "add", "Leicestershire Police")
    before = snapshot(cli.db_url)
    monkeypatch.setattr(Session, "flush", flush_then_fail)
    result = cli("inspection", "add", str(FIXTURES / "leicestershire-cdi-2019.yaml"))
    monkeypatch.undo()
    assert written, "the command failed before it wrote anything, so this proves nothing"
    assert_clean_error(result, "simulated failure after writing")
    assert snapshot(cli.db_url) == before


def test_store_transaction_rolls_back_on_any_exception(db_url):
    from correspondence.organisation.offices import add_force, list_forces
    from correspondence.records.store import open_store

    store = open_store(db_url)
    with pytest.raises(RuntimeError):
        with store.transaction() as session:
            add_force(session, "Kent Police")
            raise RuntimeError("boom")
    with store.transaction() as session:
        assert list_forces(session) == []
    store.dispose()
