"""Milestone dates at the edges of months and leap years, timing, and the age bands of the overview."""

from datetime import date, timedelta

import pytest

from scrutiny import milestones as m


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 3, 31), 10, date(2026, 1, 31)),
        (date(2025, 4, 30), 10, date(2026, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_it_adds_calendar_months_clamping_to_the_month_end(day, months, expected):
    assert m.add_months(day, months) == expected


def test_it_dates_the_three_milestones_from_the_allocated_day():
    assert m.due_dates(date(2024, 2, 29)) == {
        m.MOT: date(2024, 4, 11),  # 42 days
        m.TEN_MONTH: date(2024, 12, 30),  # 29 December 2024 is a Sunday
        m.LRCC: date(2026, 3, 2),  # no 29 February in 2026, and 28 February is a Saturday
    }


def test_it_dates_a_case_allocated_on_31_january():
    assert m.due_dates(date(2025, 1, 31)) == {
        m.MOT: date(2025, 3, 14),
        m.TEN_MONTH: date(2025, 12, 1),  # 30 November 2025 is a Sunday
        m.LRCC: date(2027, 2, 1),  # 31 January 2027 is a Sunday
    }


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 27), date(2026, 11, 27)),  # a Friday stays
        (date(2026, 11, 28), date(2026, 11, 30)),  # a Saturday moves to Monday
        (date(2026, 11, 29), date(2026, 11, 30)),  # a Sunday too
        (date(2026, 12, 25), date(2026, 12, 29)),  # Christmas (Friday), then a weekend and Boxing Day substitute
        (date(2027, 3, 26), date(2027, 3, 30)),  # Good Friday, then Easter Monday
    ],
)
def test_a_due_date_on_a_day_nobody_works_moves_to_the_next_working_day(day, expected):
    assert m.on_working_day(day) == expected


def test_a_10_month_scrutiny_falling_on_a_saturday_is_due_the_monday_after():
    allocated = date(2026, 1, 28)  # 10 months on is Saturday 28 November 2026
    assert m.due_on(m.TEN_MONTH, allocated) == date(2026, 11, 28)
    assert m.due_dates(allocated)[m.TEN_MONTH] == date(2026, 11, 30)


def test_it_counts_6_weeks_as_42_days_across_the_leap_day():
    assert m.due_on(m.MOT, date(2024, 2, 1)) == date(2024, 3, 14)
    assert m.due_on(m.MOT, date(2025, 2, 1)) == date(2025, 3, 15)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 1), m.UPCOMING),
        (date(2026, 3, 3), m.DUE_SOON),  # 7 days before
        (date(2026, 3, 9), m.DUE_SOON),
        (date(2026, 3, 10), m.DUE),
        (date(2026, 3, 11), m.OVERDUE),
    ],
)
def test_it_says_whether_a_milestone_is_upcoming_due_soon_due_or_overdue(today, expected):
    assert m.timing(date(2026, 3, 10), today, days_before=7) == expected


def test_it_bands_cases_by_age_on_the_milestone_dates():
    today = date(2026, 2, 28)
    assert m.age_band(today - timedelta(days=41), today) == m.BAND_UNDER_6_WEEKS
    assert m.age_band(today - timedelta(days=42), today) == m.BAND_6_WEEKS_TO_10_MONTHS
    assert m.age_band(date(2025, 4, 30), today) == m.BAND_10_MONTHS_TO_2_YEARS  # clamped onto today
    assert m.age_band(date(2025, 5, 1), today) == m.BAND_6_WEEKS_TO_10_MONTHS
    assert m.age_band(date(2024, 2, 29), today) == m.BAND_OVER_2_YEARS  # 2 years fell on 28 February


def test_the_sql_band_boundaries_agree_with_the_bands_every_day_for_three_years():
    """The overview bands cases with date comparisons; they must agree with age_band on every allocation date."""
    for offset in range(0, 365 * 3, 5):
        today = date(2024, 1, 1) + timedelta(days=offset)
        edges = m.band_boundaries(today)
        for age in range(0, 800):
            allocated = today - timedelta(days=age)
            if allocated <= edges[m.BAND_OVER_2_YEARS]:
                expected = m.BAND_OVER_2_YEARS
            elif allocated <= edges[m.BAND_10_MONTHS_TO_2_YEARS]:
                expected = m.BAND_10_MONTHS_TO_2_YEARS
            elif allocated <= edges[m.BAND_6_WEEKS_TO_10_MONTHS]:
                expected = m.BAND_6_WEEKS_TO_10_MONTHS
            else:
                expected = m.BAND_UNDER_6_WEEKS
            assert m.age_band(allocated, today) == expected, (today, allocated)
