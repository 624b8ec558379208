"""Rates with their 95% interval, so that small numbers are not over-read.

The Wilson score interval (not the normal approximation): it stays inside 0–1 and behaves with small counts and
rates near 0 or 1, which is where team- and assessor-level figures live.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import sqrt

from django.conf import settings

from qa_platform.percent import percent, percent_of

Z_95 = 1.959963984540054


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The 95% Wilson score interval of successes/total, or None when there is nothing to judge."""
    if total <= 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half_width = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


@dataclass(frozen=True)
class Rate:
    """successes out of total, with its interval; `too_few` below the REPORTING_MIN_COUNT setting."""

    successes: int
    total: int

    @property
    def value(self) -> float | None:
        return self.successes / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.successes, self.total)

    @property
    def low(self) -> float | None:
        return self.interval[0] if self.total else None

    @property
    def high(self) -> float | None:
        return self.interval[1] if self.total else None

    @property
    def percent(self) -> Decimal | None:
        """The rate as the tables print it (half-up, one decimal), exact from the counts."""
        return percent_of(self.successes, self.total)

    @property
    def low_percent(self) -> Decimal | None:
        return percent(self.low)

    @property
    def high_percent(self) -> Decimal | None:
        return percent(self.high)

    @property
    def too_few(self) -> bool:
        return self.total < settings.REPORTING_MIN_COUNT

    def __str__(self):
        if not self.total:
            return "–"
        return f"{self.percent}% ({self.low_percent}–{self.high_percent}%, n={self.total})"


def rate_difference(first: Rate, other: Rate) -> Fraction | None:
    """other − first in proportion points, exactly (so it rounds as the tables print it), or None when either has
    nothing to judge."""
    if not first.total or not other.total:
        return None
    return Fraction(other.successes, other.total) - Fraction(first.successes, first.total)
