"""When IQAs were done (seed 001, 5.17 and annex C): by the third of the month and the month of the quarter."""

from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractDay, ExtractMonth

from assessments.models import (
    Assessment,
)
from qa_platform.clock import LONDON
from qa_platform.periods import Period

FIRST_MONTHS, SECOND_MONTHS = (4, 7, 10, 1), (5, 8, 11, 2)  # months 1 and 2 of the business quarters


@dataclass
class Timing:
    """IQAs recorded in a period by when they were recorded: the thirds of the month (days 1–10, 11–20, 21 to the
    end) and the months of the business quarter. Each set of three adds up to `iqas`, the shares' denominator."""

    iqas: int = 0
    month_thirds: tuple[int, int, int] = (0, 0, 0)
    quarter_months: tuple[int, int, int] = (0, 0, 0)

    @classmethod
    def from_counts(cls, row: dict) -> "Timing":
        """From the counts of the IQAs (`iqas`) and of those in the first two thirds of the month (`third_1`,
        `third_2`) and months of the quarter (`month_1`, `month_2`): the last of each is the rest."""
        iqas, third_1, third_2, month_1, month_2 = (
            row[name] or 0 for name in ("iqas", "third_1", "third_2", "month_1", "month_2")
        )
        return cls(
            iqas=iqas,
            month_thirds=(third_1, third_2, iqas - third_1 - third_2),
            quarter_months=(month_1, month_2, iqas - month_1 - month_2),
        )


def recorded_in(assessments: QuerySet[Assessment], period: Period) -> QuerySet[Assessment]:
    """IQAs recorded (the day in London) in the period, whatever the date of the work."""
    start, end = (datetime.combine(day, time.min, tzinfo=LONDON) for day in (period.start, period.end_exclusive))
    return assessments.filter(recorded_at__gte=start, recorded_at__lt=end)


def timing(assessments: QuerySet[Assessment], period: Period) -> Timing:
    """When the IQAs were done (seed 001, 5.17 and annex C): those recorded in the period, by the day each was
    recorded in London, to show the rush at the end of the month and of the quarter. The date of the work would
    hide it. One query."""
    day = ExtractDay("recorded_at", tzinfo=LONDON)
    month = ExtractMonth("recorded_at", tzinfo=LONDON)
    row = (
        recorded_in(assessments, period)
        .annotate(recorded_day=day, recorded_month=month)
        .aggregate(
            iqas=Count("pk"),
            third_1=Count("pk", filter=Q(recorded_day__lte=10)),
            third_2=Count("pk", filter=Q(recorded_day__gt=10, recorded_day__lte=20)),
            month_1=Count("pk", filter=Q(recorded_month__in=FIRST_MONTHS)),
            month_2=Count("pk", filter=Q(recorded_month__in=SECOND_MONTHS)),
        )
    )
    return Timing.from_counts(row)
