"""The London clock: the scheme's days and reminder times are London's, whatever zone the server runs in."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_instant(day: date, at: time) -> datetime:
    """`at` o'clock in London on `day`, as a UTC instant: the same wall-clock time on either side of a clock change
    (08:00 is 07:00 UTC in summer time and 08:00 UTC in winter)."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)
