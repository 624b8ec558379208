"""Dip sample rates per activity against the target of 10% of IQAs in each activity (rule 6, seed 001 5.40)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from assessments.models import Activity, Assessment
from qa_platform import sampling

TARGET = 0.10


def required_for(iqas: int, target: float = TARGET) -> int:
    """Dip samples needed for a number of IQAs: 10% rounded up, so any IQAs at all need at least one."""
    return sampling.sample_size(iqas, target * 100)


@dataclass(frozen=True)
class ActivityRate:
    activity: str
    iqas: int
    dip_sampled: int
    target: float = TARGET

    @property
    def activity_label(self) -> str:
        return Activity(self.activity).label

    @property
    def rate(self) -> float | None:
        return self.dip_sampled / self.iqas if self.iqas else None

    @property
    def required(self) -> int:
        return required_for(self.iqas, self.target)

    @property
    def meets_target(self) -> bool:
        """At least 10% (rounded up) of the activity's IQAs dip sampled; an activity with no IQAs meets it."""
        return self.dip_sampled >= self.required


def dip_sample_rates(assessments: QuerySet[Assessment]) -> list[ActivityRate]:
    """One row per activity (all four, in the scheme's order) for IQAs already scoped and filtered to a period.

    Only recorded dip samples count; a selected one not yet done does not. One query.
    """
    counts = {
        row["activity"]: row
        for row in assessments.order_by()
        .values("activity")
        .annotate(iqas=Count("pk"), dip_sampled=Count("pk", filter=Q(dip_sample__recorded_at__isnull=False)))
    }
    return [
        ActivityRate(
            activity=activity.value,
            iqas=counts.get(activity.value, {}).get("iqas", 0),
            dip_sampled=counts.get(activity.value, {}).get("dip_sampled", 0),
        )
        for activity in Activity
    ]
