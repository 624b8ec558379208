from datetime import date

import pytest

from reporting import periods
from reporting.periods import PeriodError


def test_it_puts_january_to_march_in_the_business_year_that_began_the_april_before():
    assert periods.business_year_of(date(2018, 3, 31)) == 2017
    assert periods.business_year_of(date(2018, 4, 1)) == 2018


def test_it_labels_business_years_across_the_century():
    assert periods.business_year(2017).label == "2017-18"
    assert periods.business_year(1999).label == "1999-00"
    assert periods.business_year(2017).days == 365
    assert periods.business_year(2019).days == 366  # 29 February 2020


@pytest.mark.parametrize(
    ("number", "start", "end"),
    [
        (1, date(2017, 4, 1), date(2017, 6, 30)),
        (2, date(2017, 7, 1), date(2017, 9, 30)),
        (3, date(2017, 10, 1), date(2017, 12, 31)),
        (4, date(2018, 1, 1), date(2018, 3, 31)),
    ],
)
def test_it_numbers_quarters_from_april(number, start, end):
    q = periods.quarter(2017, number)
    assert (q.start, q.end, q.label) == (start, end, f"2017-18 Q{number}")
    assert periods.quarter_of(start) == q
    assert periods.quarter_of(end) == q


def test_it_finds_this_quarter_last_quarter_and_the_same_quarter_last_year():
    today = date(2018, 2, 14)
    assert periods.this_quarter(today).label == "2017-18 Q4"
    assert periods.last_quarter(today).label == "2017-18 Q3"
    assert periods.last_quarter(date(2018, 4, 2)).label == "2017-18 Q4"
    assert periods.same_period_last_year(periods.this_quarter(today)).label == "2016-17 Q4"
    assert periods.same_period_last_year(periods.business_year(2017)).label == "2016-17"
    assert periods.same_period_last_year(periods.month(2020, 2)).end == date(2019, 2, 28)


def test_it_shifts_a_custom_range_ending_on_29_february_to_the_28th():
    shifted = periods.same_period_last_year(periods.custom(date(2020, 2, 1), date(2020, 2, 29)))
    assert (shifted.start, shifted.end) == (date(2019, 2, 1), date(2019, 2, 28))


def test_it_lists_recent_quarters_oldest_first():
    labels = [q.label for q in periods.recent_quarters(5, date(2018, 5, 1))]
    assert labels == ["2017-18 Q1", "2017-18 Q2", "2017-18 Q3", "2017-18 Q4", "2018-19 Q1"]


def test_it_lists_the_quarters_a_period_overlaps():
    labels = [q.label for q in periods.quarters_in(periods.custom(date(2017, 6, 30), date(2018, 1, 1)))]
    assert labels == ["2017-18 Q1", "2017-18 Q2", "2017-18 Q3", "2017-18 Q4"]


def test_it_steps_back_one_period_of_the_same_kind():
    assert periods.previous(periods.month(2018, 1)).label == "2017-12"
    assert periods.previous(periods.quarter(2018, 1)).label == "2017-18 Q4"
    custom = periods.custom(date(2018, 1, 11), date(2018, 1, 20))
    assert periods.previous(custom) == periods.custom(date(2018, 1, 1), date(2018, 1, 10))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2017-18", date(2017, 4, 1), date(2018, 3, 31)),
        ("2017-18 Q2", date(2017, 7, 1), date(2017, 9, 30)),
        ("2017-18q4", date(2018, 1, 1), date(2018, 3, 31)),
        ("2017-05", date(2017, 5, 1), date(2017, 5, 31)),
        ("2017-04-10..2017-05-31", date(2017, 4, 10), date(2017, 5, 31)),
    ],
)
def test_it_parses_its_own_labels(text, start, end):
    period = periods.parse(text)
    assert (period.start, period.end) == (start, end)
    assert periods.parse(period.label) == period


@pytest.mark.parametrize(
    "text", ["", "2017", "2017-19", "2017-13", "2017-19 Q1", "2017-18 Q5", "2018-02-30..2018-03-01"]
)
def test_it_refuses_text_that_is_not_a_period_with_a_message(text):
    with pytest.raises(PeriodError, match=r"\S"):
        periods.parse(text)


def test_it_refuses_a_range_that_ends_before_it_starts():
    with pytest.raises(PeriodError, match="cannot end before"):
        periods.parse("2018-05-01..2018-04-01")
