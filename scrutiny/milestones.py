"""When each scrutiny milestone falls due, and where a milestone stands on a day (rule 7).

Plain date arithmetic, no database. Calendar months are added with clamping to the end of the month, so a case
allocated on 31 January reaches one month on 28 (or 29) February, and one allocated on 29 February reaches two
years on 28 February. A milestone (or an action) is never due on a day nobody works: a due date on a weekend or
an England and Wales bank holiday moves to the next working day. The case's age (the overview's bands) is not
moved: it is counted by the calendar.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from qa_platform.working_days import is_working_day, next_working_day

MOT, TEN_MONTH, LRCC = "mot", "ten_month", "lrcc"

# 6 weeks for the case-plan MOT; 10 months and 2 years by the calendar.
MOT_AFTER = timedelta(days=42)
TEN_MONTH_MONTHS = 10
LRCC_MONTHS = 24

UPCOMING, DUE_SOON, DUE, OVERDUE = "upcoming", "due_soon", "due", "overdue"
STATUS_LABELS = {UPCOMING: "Upcoming", DUE_SOON: "Due soon", DUE: "Due", OVERDUE: "Overdue"}


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months on, or the last day of that month when it is shorter."""
    return day + relativedelta(months=months)


def due_on(kind: str, allocated_on: date) -> date:
    """The day a milestone of this kind falls due for a case allocated on `allocated_on`."""
    if kind == MOT:
        return allocated_on + MOT_AFTER
    if kind == TEN_MONTH:
        return add_months(allocated_on, TEN_MONTH_MONTHS)
    if kind == LRCC:
        return add_months(allocated_on, LRCC_MONTHS)
    raise ValueError(f"Unknown milestone kind {kind!r}.")


def on_working_day(day: date) -> date:
    """The day itself when it is a working day, otherwise the next working day (weekends, bank holidays)."""
    return day if is_working_day(day) else next_working_day(day)


def due_dates(allocated_on: date) -> dict[str, date]:
    """When each milestone is due: its calendar date, moved to the next working day when nobody works that day."""
    return {kind: on_working_day(due_on(kind, allocated_on)) for kind in (MOT, TEN_MONTH, LRCC)}


def timing(due: date, today: date, *, days_before: int) -> str:
    """Where a milestone not yet done stands: upcoming, due soon (within `days_before` days), due (today) or
    overdue (after its due date)."""
    if today > due:
        return OVERDUE
    if today == due:
        return DUE
    if today >= due - timedelta(days=days_before):
        return DUE_SOON
    return UPCOMING


# Age bands of open cases for the managers' overview, by the milestones' own dates.
BAND_UNDER_6_WEEKS = "under_6_weeks"
BAND_6_WEEKS_TO_10_MONTHS = "6_weeks_to_10_months"
BAND_10_MONTHS_TO_2_YEARS = "10_months_to_2_years"
BAND_OVER_2_YEARS = "over_2_years"
AGE_BANDS = {
    BAND_UNDER_6_WEEKS: "Under 6 weeks",
    BAND_6_WEEKS_TO_10_MONTHS: "6 weeks to 10 months",
    BAND_10_MONTHS_TO_2_YEARS: "10 months to 2 years",
    BAND_OVER_2_YEARS: "Over 2 years",
}


def band_boundaries(today: date) -> dict[str, date]:
    """The latest allocation date of a case in each band today (a case allocated on or before the date has reached
    the band's lower edge). Used to band cases in SQL with three date comparisons."""
    return {
        BAND_6_WEEKS_TO_10_MONTHS: today - MOT_AFTER,
        BAND_10_MONTHS_TO_2_YEARS: _latest_allocation_reaching(today, TEN_MONTH_MONTHS),
        BAND_OVER_2_YEARS: _latest_allocation_reaching(today, LRCC_MONTHS),
    }


def _latest_allocation_reaching(today: date, months: int) -> date:
    """The latest allocation date whose `months`-month date is on or before today.

    Clamping makes several allocation dates share one anniversary (29, 30, 31 December + 2 months all give the
    last day of February), so step back from the naive answer until the rule holds.
    """
    day = add_months(today, -months)
    # Allocations after `day` may still clamp onto today or earlier: move forward while they do.
    while add_months(day + timedelta(days=1), months) <= today:
        day += timedelta(days=1)
    return day


def age_band(allocated_on: date, today: date) -> str:
    if today >= due_on(LRCC, allocated_on):
        return BAND_OVER_2_YEARS
    if today >= due_on(TEN_MONTH, allocated_on):
        return BAND_10_MONTHS_TO_2_YEARS
    if today >= due_on(MOT, allocated_on):
        return BAND_6_WEEKS_TO_10_MONTHS
    return BAND_UNDER_6_WEEKS
