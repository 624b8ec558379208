"""Working days in England and Wales: weekdays that are not bank holidays.

Bank holidays come from the maintained `holidays` package (England's calendar is England and Wales'),
never from a hand-typed list.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays_around(today: date, years_back: int = 6) -> list[date]:
    """Every bank holiday from `years_back` years before today's year to the end of next year, in order: the list
    that SQL counting working days takes as a parameter."""
    return sorted(day for year in range(today.year - years_back, today.year + 2) for day in _bank_holidays(year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day`, counting from the day after: from a Saturday, 1 gives Monday."""
    for _ in range(count):
        day += timedelta(days=1)
        while not is_working_day(day):
            day += timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    return add_working_days(day, 1)
