"""A letter's date that looks like a slip (issue 24): more than a month after today, or after the
response's last day, is asked about before anything is drafted; in the library, on the command line
(--confirm-date) and in the browser (a "Yes, this date is right" box once the date is questioned).

The example's inspection was published on 17 July 2018, so its response's last day is 10 September 2018."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select

from correspondence.drafting.drafts import DraftRequest, draft_followup
from correspondence.organisation.roles import Addressing
from correspondence.process.invitation import chase, invite
from correspondence.records.models import IssuedReference, Letter
from correspondence.records.store import acting_as
from correspondence.records.vocabulary import LetterStatus
from correspondence.register.date_checks import DateToConfirm, check_letter_date, one_month_after
from correspondence.tracking.deadline import response_due
from tests.conftest import Cli, assert_clean_error, snapshot
from tests.web_support import Browserless, Offices, text_of

TODAY = dt.date(2026, 12, 7)
LAST_DAY = dt.date(2027, 1, 14)
COMMISSIONER = ["--addressee", "Cressida Dick", "--addressee-role", "Commissioner"]


# --- the rule itself ---------------------------------------------------------------------------------


def test_exactly_one_month_ahead_is_fine_and_one_day_more_is_asked_about() -> None:
    check_letter_date(dt.date(2027, 1, 7), today=TODAY)
    with pytest.raises(DateToConfirm) as refused:
        check_letter_date(dt.date(2027, 1, 8), today=TODAY)
    assert refused.value.field == "letter_date"
    assert str(refused.value).startswith("letter_date: 8 January 2027 is more than a month after today (7 December 2026)")
    check_letter_date(dt.date(2027, 1, 8), today=TODAY, confirmed=True)  # said to be right: drafted


def test_the_slip_the_issue_measured_is_asked_about() -> None:
    with pytest.raises(DateToConfirm, match="1 January 2030 is more than a month after today"):
        check_letter_date(dt.date(2030, 1, 1), today=TODAY, last_day=LAST_DAY)


def test_the_last_day_itself_is_fine_and_the_day_after_is_asked_about_as_late() -> None:
    today = dt.date(2026, 12, 20)
    check_letter_date(LAST_DAY, today=today, last_day=LAST_DAY)
    with pytest.raises(DateToConfirm) as refused:
        check_letter_date(LAST_DAY + dt.timedelta(days=1), today=today, last_day=LAST_DAY)
    said = str(refused.value)
    assert "15 January 2027 is after 14 January 2027, the last day for the response" in said
    assert "for a response that is late, that is expected" in said  # a late response's drafter knows to confirm


def test_today_and_a_date_in_the_past_are_never_asked_about() -> None:
    check_letter_date(TODAY, today=TODAY, last_day=dt.date(2018, 9, 10))  # a late response drafted today
    check_letter_date(dt.date(2026, 12, 6), today=TODAY, last_day=dt.date(2018, 9, 10))
    check_letter_date(dt.date(2018, 9, 20), today=TODAY, last_day=dt.date(2018, 9, 10))
    with pytest.raises(DateToConfirm, match="8 December 2026 is after 10 September 2018"):  # a late letter dated ahead is
        check_letter_date(dt.date(2026, 12, 8), today=TODAY, last_day=dt.date(2018, 9, 10))


def test_a_month_from_the_end_of_january_is_the_end_of_february() -> None:
    assert one_month_after(dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert one_month_after(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert one_month_after(dt.date(2026, 12, 7)) == dt.date(2027, 1, 7)


# --- the library, where letters are drafted -------------------------------------------------------------


def _request(on: dt.date, today: dt.date, **extra: Any) -> DraftRequest:
    return DraftRequest(office="MOPAC", letter_date=on, today=today,
                        addressee=Addressing(name="Cressida Dick", role="Commissioner"), **extra)


def test_an_invitation_dated_years_ahead_is_refused_before_its_reference_is_spent(office_data: Offices) -> None:
    o = office_data
    with acting_as("dan"), o.store.transaction() as session:
        spent = session.scalar(select(func.count()).select_from(IssuedReference))
        with pytest.raises(DateToConfirm) as refused:
            invite(session, o.mopac_inspection, _request(dt.date(2030, 1, 1), TODAY))
        assert refused.value.field == "letter_date"
        assert session.scalar(select(func.count()).select_from(IssuedReference)) == spent
    with acting_as("dan"), o.store.transaction() as session:
        made = invite(session, o.mopac_inspection, _request(dt.date(2030, 1, 1), TODAY, confirm_date=True))
        assert session.get(Letter, made.letter_id).letter_date == dt.date(2030, 1, 1)


def test_a_reminder_after_the_last_day_and_a_follow_up_far_ahead_are_asked_about(office_data: Offices) -> None:
    o = office_data
    with acting_as("dan"):
        _chase_and_follow_up(o)


def _chase_and_follow_up(o: Offices) -> None:
    with o.store.transaction() as session:
        invited = invite(session, o.mopac_inspection, _request(dt.date(2018, 7, 18), dt.date(2018, 7, 18)))
        letter = session.get(Letter, invited.letter_id)  # as if it went (approval is not what this is about)
        letter.status, letter.sent_on = LetterStatus.SENT, dt.date(2018, 7, 18)
    today, ahead = dt.date(2018, 9, 12), dt.date(2018, 9, 13)  # after the last day, 10 September 2018
    with o.store.transaction() as session:
        with pytest.raises(DateToConfirm, match="13 September 2018 is after 10 September 2018, the last day for the response"):
            chase(session, o.mopac_inspection, _request(ahead, today))
    with o.store.transaction() as session:
        assert chase(session, o.mopac_inspection, _request(ahead, today, confirm_date=True)).reference
    with o.store.transaction() as session:
        with pytest.raises(DateToConfirm, match="4 May 2032 is more than a month after today"):
            draft_followup(session, o.mopac_meeting, DraftRequest(office="MOPAC", letter_date=dt.date(2032, 5, 4), today=TODAY))


# --- the command line ------------------------------------------------------------------------------------


def test_the_command_line_asks_for_confirm_date_in_one_line(example_cli: Cli, db_url: str) -> None:
    before = snapshot(db_url)
    refused = example_cli("invite", "1", "--office", "MOPAC", "--date", "1/1/2030", *COMMISSIONER)
    assert_clean_error(refused, "--date: 1 January 2030 is more than a month after today", "add --confirm-date if the date is right")
    assert snapshot(db_url) == before  # no letter, no reference spent
    made = example_cli.ok("invite", "1", "--office", "MOPAC", "--date", "1/1/2030", "--confirm-date", *COMMISSIONER)
    assert "drafted MOPAC01012030-" in made.stdout


def test_a_late_response_dated_ahead_needs_confirm_date_and_one_dated_today_does_not(example_cli: Cli) -> None:
    today = dt.date.today()
    assert today > response_due(dt.date(2018, 7, 17))
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    refused = example_cli("draft", "response", "1", "--office", "MOPAC", "--date", tomorrow)  # years after the last day
    assert_clean_error(refused, "after 10 September 2018, the last day for the response; for a response that is late, that is expected",
                       "add --confirm-date if the date is right")
    example_cli.ok("draft", "response", "1", "--office", "MOPAC", "--date", tomorrow, "--confirm-date")
    example_cli.ok("draft", "response", "1", "--office", "MOPAC")  # today: late, but no slip


def test_a_follow_up_far_ahead_needs_confirm_date_on_the_command_line(example_cli: Cli) -> None:
    ahead = (dt.date.today() + dt.timedelta(days=45)).strftime("%d/%m/%Y")
    assert_clean_error(example_cli("draft", "followup", "1", "--office", "MOPAC", "--date", ahead, *COMMISSIONER), "--date:", "--confirm-date")
    example_cli.ok("draft", "followup", "1", "--office", "MOPAC", "--date", ahead, "--confirm-date", *COMMISSIONER)


# --- the browser ---------------------------------------------------------------------------------------------


@pytest.fixture
def dan(app: Any) -> Browserless:
    browser = Browserless(app)
    assert browser.login("dan").status_code == 302
    return browser


def test_the_invitation_form_asks_to_confirm_a_slip_beside_the_date(dan: Browserless, office_data: Offices, db_url: str) -> None:
    o = office_data
    page = dan.get(f"/inspections/{o.mopac_inspection}")
    assert "invite-confirm_date" not in page.text  # the box is shown only once a date is questioned
    before = snapshot(db_url)
    typed = {"invite-letter_date": "1/1/2030", "invite-addressee": "Cressida Dick"}
    asked = dan.post(f"/inspections/{o.mopac_inspection}/invite", typed)
    assert asked.status_code == 422
    assert snapshot(db_url) == before
    summary = re.search(r'<div class="error-summary".*?</div>', asked.text, re.DOTALL).group(0)
    assert 'href="#invite-letter_date"' in summary  # the summary links to the date field
    assert "1 January 2030 is more than a month after today" in text_of(asked)
    assert "tick &#39;Yes, this date is right&#39; if it is" in asked.text or "tick 'Yes, this date is right' if it is" in asked.text
    assert 'id="invite-letter_date-error"' in asked.text  # beside the field too
    assert 'name="invite-confirm_date"' in asked.text and "Yes, this date is right" in asked.text
    assert 'value="1/1/2030"' in asked.text and 'value="Cressida Dick"' in asked.text  # what was typed, kept
    confirmed = dan.post(f"/inspections/{o.mopac_inspection}/invite", {**typed, "invite-confirm_date": "y"})
    assert confirmed.status_code == 302, text_of(confirmed)
    with o.store.reading() as session:
        letter = session.get(Letter, int(confirmed.headers["Location"].rsplit("/", 1)[1]))
        assert letter.letter_date == dt.date(2030, 1, 1)


def test_the_response_form_asks_about_a_late_date_and_keeps_the_paragraphs(dan: Browserless, office_data: Offices) -> None:
    o = office_data
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    typed = {"kind": "response", "letter_date": tomorrow, "comments": "# Commentary\nOur own words, kept."}
    asked = dan.post(f"/inspections/{o.mopac_inspection}/draft", typed)
    assert asked.status_code == 422
    assert "the last day for the response; for a response that is late, that is expected" in text_of(asked)
    assert 'href="#letter_date"' in asked.text and 'name="confirm_date"' in asked.text
    assert "Our own words, kept." in asked.text
    assert dan.post(f"/inspections/{o.mopac_inspection}/draft", {**typed, "confirm_date": "y"}).status_code == 302
