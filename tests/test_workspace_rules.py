"""The rules below the web pages, table-driven: urgency colours, login rate limits over time, which
records are an office's, and an inspection's timeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from correspondence.organisation.logins import MAX_FAILURES_PER_NAME, WINDOW, log_in
from correspondence.organisation.users import belongs_to
from correspondence.process.due import urgency
from correspondence.process.timeline import timeline
from correspondence.records.models import (
    Action,
    ForceUpdate,
    ImprovementArea,
    Inspection,
    Letter,
    Meeting,
    Office,
    User,
)
from correspondence.records.store import current_actor
from tests.web_support import PASSWORD, Offices, build_offices


@pytest.mark.parametrize(("days_left", "colour"), [
    (-30, "red"), (-1, "red"), (0, "red"), (7, "red"), (8, "amber"), (21, "amber"), (22, "green"), (55, "green"),
])
def test_urgency_by_days_left(days_left: int, colour: str) -> None:
    assert urgency(days_left) == colour


@pytest.fixture
def offices(db_url: str, tmp_path: Path) -> Offices:
    data = build_offices(db_url, tmp_path / "letters")
    yield data
    data.store.dispose()


def test_a_locked_name_opens_again_after_the_window_and_a_success_resets_the_count(offices: Offices) -> None:
    now = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    store = offices.store
    for minute in range(MAX_FAILURES_PER_NAME - 1):
        assert log_in(store, "dan", "wrong", "10.0.0.1", now + dt.timedelta(minutes=minute)).user is None
    assert log_in(store, "dan", PASSWORD, "10.0.0.1", now + dt.timedelta(minutes=5)).user is not None  # resets
    for minute in range(MAX_FAILURES_PER_NAME):
        log_in(store, "dan", "wrong", "10.0.0.2", now + dt.timedelta(minutes=6 + minute))
    locked = log_in(store, "dan", PASSWORD, "10.0.0.3", now + dt.timedelta(minutes=12))
    assert locked.user is None and locked.refusal.startswith("Too many failed attempts. Try again in")
    later = now + dt.timedelta(minutes=6 + MAX_FAILURES_PER_NAME) + WINDOW
    assert log_in(store, "dan", PASSWORD, "10.0.0.3", later).user is not None


@pytest.mark.parametrize(("model", "mopac_field", "kent_field"), [
    (Inspection, "mopac_inspection", "kent_inspection"),
    (ImprovementArea, "mopac_area", "kent_area"),
    (Letter, "mopac_draft", "kent_letter"),
    (Meeting, "mopac_meeting", "kent_meeting"),
    (Action, "mopac_action", "kent_action"),
])
def test_which_records_are_an_offices(offices: Offices, model: type, mopac_field: str, kent_field: str) -> None:
    from sqlalchemy import select

    with offices.store.transaction() as session:
        mopac = session.scalar(select(Office).where(Office.short_name == "MOPAC"))
        kent = session.scalar(select(Office).where(Office.short_name == "KENT"))
        ours, theirs = session.get(model, getattr(offices, mopac_field)), session.get(model, getattr(offices, kent_field))
        assert belongs_to(ours, mopac) and not belongs_to(ours, kent)
        assert belongs_to(theirs, kent) and not belongs_to(theirs, mopac)
        update = session.scalar(select(ForceUpdate).where(ForceUpdate.area_id == offices.kent_area))
        assert belongs_to(update, kent) and not belongs_to(update, mopac)
        user = session.get(User, offices.users["dan"])
        assert belongs_to(user, mopac) and not belongs_to(user, kent)


def test_the_timeline_tells_the_inspections_story_in_date_order(offices: Offices) -> None:
    from sqlalchemy import select

    with offices.store.transaction() as session:
        mopac = session.scalar(select(Office).where(Office.short_name == "MOPAC"))
        me = current_actor()  # who loaded the example: CORR_USER or the login name
        steps = timeline(session, mopac, session.get(Inspection, offices.mopac_inspection), dt.date(2018, 9, 8))
        assert [(step.on.isoformat(), step.what, step.by) for step in steps] == [
            ("2018-07-17", "HMICFRS published the report", me),
            ("2018-08-20", "7 updates from the force recorded", ""),
            ("2018-08-20", "received letter #1: Update on the Crime Data Integrity areas for improvement", me),
            ("2018-09-07", "s.55 response MOPAC06092018-D2188 drafted to Rt Hon Sajid Javid MP, Home Secretary", me),
            ("2018-09-10", "last day to publish the s.55 comments", ""),
        ]
        later = timeline(session, mopac, session.get(Inspection, offices.mopac_inspection), dt.date(2018, 9, 11))
        assert later[-1].what == "last day to publish the s.55 comments (passed)"


def test_a_reading_transaction_sees_the_data_and_refuses_to_write(offices: Offices) -> None:
    from correspondence.records.models import Force

    with offices.store.reading() as session:
        assert session.query(Force).count() == 2
    with pytest.raises(RuntimeError, match="read-only session .*nothing was stored"):
        with offices.store.reading() as session:
            session.add(Force(name="Nowhere Police"))
            session.flush()
    with offices.store.reading() as session:
        assert session.query(Force).count() == 2
