"""Reporting periods on the business year (1 April – 31 March, written 2017-18), never the calendar year.

A Period is an inclusive range of days with a label. `parse` reads the labels back, so a period can travel in
a URL: "2017-18", "2017-18 Q2", "2017-05" (a month) or "2017-04-10..2017-05-31" (a custom range). It reads only
periods inside business years 2000-01 to 2099-00, so every page can step a year or more either side of one.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone


class PeriodError(ValueError):
    """Text that is not a period; the message says what is expected."""


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive
    label: str
    kind: str  # "year", "quarter", "month" or "custom"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> date:
        return self.end + timedelta(days=1)

    def __str__(self):
        return self.label


def business_year_of(day: date) -> int:
    """The calendar year in which the day's business year starts (1 March 2018 → 2017, for 2017-18)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def business_year(start_year: int) -> Period:
    return Period(date(start_year, 4, 1), date(start_year + 1, 3, 31), year_label(start_year), "year")


def quarter(start_year: int, number: int) -> Period:
    """Quarter 1–4 of a business year: Q1 Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec, Q4 Jan–Mar."""
    if number not in (1, 2, 3, 4):
        raise PeriodError("A quarter is numbered 1 to 4.")
    first_month = 4 + 3 * (number - 1)
    year = start_year + (first_month - 1) // 12
    first_month = (first_month - 1) % 12 + 1
    last_month = first_month + 2
    end = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return Period(date(year, first_month, 1), end, f"{year_label(start_year)} Q{number}", "quarter")


def quarter_number(day: date) -> int:
    return (day.month - 4) % 12 // 3 + 1


def quarter_of(day: date) -> Period:
    return quarter(business_year_of(day), quarter_number(day))


def month(year: int, month_number: int) -> Period:
    end = date(year, month_number, calendar.monthrange(year, month_number)[1])
    return Period(date(year, month_number, 1), end, f"{year}-{month_number:02d}", "month")


def month_of(day: date) -> Period:
    return month(day.year, day.month)


def custom(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError("A period cannot end before it starts.")
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}", "custom")


def this_quarter(today: date | None = None) -> Period:
    return quarter_of(today or timezone.localdate())


def last_quarter(today: date | None = None) -> Period:
    return quarter_of(this_quarter(today).start - timedelta(days=1))


def same_period_last_year(period: Period) -> Period:
    """The same quarter, month or business year one year earlier (a custom range shifts by a year)."""
    if period.kind == "year":
        return business_year(business_year_of(period.start) - 1)
    if period.kind == "quarter":
        return quarter(business_year_of(period.start) - 1, quarter_number(period.start))
    if period.kind == "month":
        return month(period.start.year - 1, period.start.month)
    return custom(_year_earlier(period.start), _year_earlier(period.end))


def _year_earlier(day: date) -> date:
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def previous(period: Period) -> Period:
    """The period of the same kind just before this one (a custom range: the same number of days before)."""
    if period.kind == "year":
        return business_year(business_year_of(period.start) - 1)
    if period.kind == "quarter":
        return quarter_of(period.start - timedelta(days=1))
    if period.kind == "month":
        return month_of(period.start - timedelta(days=1))
    return custom(period.start - timedelta(days=period.days), period.start - timedelta(days=1))


def recent_quarters(count: int, today: date | None = None) -> list[Period]:
    """The last `count` quarters, oldest first, ending with this quarter."""
    quarters = [this_quarter(today)]
    while len(quarters) < count:
        quarters.append(previous(quarters[-1]))
    return quarters[::-1]


def quarters_in(period: Period) -> list[Period]:
    """The quarters that overlap the period, oldest first."""
    quarters, current = [], quarter_of(period.start)
    while current.start <= period.end:
        quarters.append(current)
        current = quarter_of(current.end_exclusive)
    return quarters


_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})\s*Q([1-4])$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


def parse(text: str) -> Period:
    """Read a period label back: "2017-18", "2017-18 Q2", "2017-05" or "2017-04-10..2017-05-31"."""
    return _in_range(_parse(text))


def _parse(text: str) -> Period:
    text = (text or "").strip()
    if match := _QUARTER.match(text):
        start_year = _checked_year(*match.group(1, 2))
        return quarter(start_year, int(match.group(3)))
    if match := _YEAR.match(text):
        start_year, second = _reported_year(match.group(1)), int(match.group(2))
        if second == (start_year + 1) % 100:
            return business_year(start_year)
        if 1 <= second <= 12:
            return month(start_year, second)
    if match := _RANGE.match(text):
        try:
            start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        except ValueError as error:
            raise PeriodError(f"“{text}” is not a valid range of dates.") from error
        return custom(start, end)
    raise PeriodError(
        f"“{text}” is not a period. Use a business year (2017-18), a quarter (2017-18 Q2), "
        "a month (2017-05) or a range (2017-04-10..2017-05-31)."
    )


# The business years a typed period may fall in: far wider than any data, and far enough from the ends of the
# calendar (date.min, date.max) that a page stepping back or forward from the period never overflows.
FIRST_YEAR, LAST_YEAR = 2000, 2099
RANGE_MESSAGE = f"Periods run from {year_label(FIRST_YEAR)} to {year_label(LAST_YEAR)}."


def _in_range(period: Period) -> Period:
    if period.start < date(FIRST_YEAR, 4, 1) or period.end > date(LAST_YEAR + 1, 3, 31):
        raise PeriodError(f"“{period.label}” is outside the years reported on. {RANGE_MESSAGE}")
    return period


def _checked_year(first: str, second: str) -> int:
    start_year = _reported_year(first)
    if int(second) != (start_year + 1) % 100:
        raise PeriodError(f"{first}-{second} is not a business year: it runs from one April to the next March.")
    return start_year


def _reported_year(text: str) -> int:
    """A year as typed, refused before any date is made from it when it is far outside the range (year 0 or 9999)."""
    year = int(text)
    if not FIRST_YEAR - 1 <= year <= LAST_YEAR + 1:
        raise PeriodError(f"{text} is outside the years reported on. {RANGE_MESSAGE}")
    return year
