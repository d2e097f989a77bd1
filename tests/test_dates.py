import datetime as dt

import pytest

from correspondence.records.dates import long_date, parse_date
from correspondence.records.errors import InvalidInput


@pytest.mark.parametrize(
    "text",
    ["7 September 2018", "7th September 2018", "07/09/2018", "7/9/18", "2018-09-07", "7 Sept 2018", "07.09.2018", " 7\u00a0September  2018 "],
)
def test_common_uk_forms_all_mean_the_same_day(text):
    assert parse_date(text) == dt.date(2018, 9, 7)


def test_numeric_dates_are_day_first():
    assert parse_date("04/05/2022") == dt.date(2022, 5, 4)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("31/02/2019", "February 2019 has 28 days"), ("29/02/2023", "February 2023 has 28 days"), ("12/13/2019", "no month 13")],
)
def test_impossible_dates_are_refused_with_the_reason(text, reason):
    with pytest.raises(InvalidInput, match=reason):
        parse_date(text, field="--date")


def test_leap_day_is_accepted_in_a_leap_year():
    assert parse_date("29/02/2024") == dt.date(2024, 2, 29)


def test_words_that_are_not_a_date_name_the_field():
    with pytest.raises(InvalidInput, match=r"^--date: 'next Tuesday' is not a date"):
        parse_date("next Tuesday", field="--date")
    with pytest.raises(InvalidInput, match="'Septober' is not a month"):
        parse_date("7 Septober 2018")


def test_letters_write_dates_without_leading_zero():
    assert long_date(dt.date(2018, 9, 7)) == "7 September 2018"
    assert long_date(dt.date(2020, 1, 16)) == "16 January 2020"
