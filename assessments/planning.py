"""Planned IQAs: assessors diarise IQAs by week so they are spread through the quarter (seed 001, 5.17).

Plans belong to their assessor alone: every read and write here is filtered by the assessor.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Assessment, PlannedAssessment
from organisation.models import Person

DONE, OVERDUE, THIS_WEEK, PLANNED = "Done", "Overdue", "This week", "Planned"


def week_start(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def open_plans(assessor: Person) -> QuerySet[PlannedAssessment]:
    """The assessor's plans not yet done by a recorded IQA."""
    return PlannedAssessment.objects.filter(assessor=assessor, assessment__isnull=True)


def plan_status(plan: PlannedAssessment, today: date) -> str:
    if plan.assessment_id is not None:
        return DONE
    if plan.is_overdue(today):
        return OVERDUE
    if plan.week_starting == week_start(today):
        return THIS_WEEK
    return PLANNED


def plans_for_home(user: Person, today: date) -> dict:
    """This week's open plans, the overdue ones, and how many are planned for later weeks (two queries)."""
    monday = week_start(today)
    plans = open_plans(user).filter(week_starting__lte=monday).select_related("assessed")
    due, overdue = [], []
    for plan in plans:
        # A week that started before this Monday ended (on Sunday) before today.
        (due if plan.week_starting == monday else overdue).append(plan)
    return {
        "due": due,
        "overdue": overdue,
        "upcoming_count": open_plans(user).filter(week_starting__gt=monday).count(),
    }


def plan_create(*, assessor: Person, assessed: Person, activity: str, week: date, note: str = "") -> PlannedAssessment:
    """Diarise an IQA for the week holding `week`. The caller has checked that `assessed` is in scope."""
    return PlannedAssessment.objects.create(
        assessor=assessor, assessed=assessed, activity=activity, week_starting=week_start(week), note=note
    )


def plan_cancel(*, plan: PlannedAssessment) -> None:
    """Remove an open plan; a done plan stays as the record of the IQA it led to."""
    if plan.assessment_id is not None:
        raise ValidationError("A plan that an IQA has done cannot be cancelled.")
    plan.delete()


def plan_link(*, assessment: Assessment) -> PlannedAssessment | None:
    """Mark as done the plan this IQA fulfils, if any; called by the recording service.

    The plan is the earliest open one of the same assessor, assessed person and activity for the week the IQA
    was recorded or an earlier week: an overdue plan is settled before this week's. The week is taken from
    when the IQA was recorded, since a plan diarises the assessor's work, not the prosecutor's.
    """
    recorded_week = week_start(timezone.localdate(assessment.recorded_at))
    candidates = (
        open_plans(assessment.assessor_id)
        .filter(assessed_id=assessment.assessed_id, activity=assessment.activity, week_starting__lte=recorded_week)
        .order_by("week_starting", "pk")
    )
    for plan in candidates:
        # Set only if still open, so two IQAs recorded at once never both claim the same plan.
        claimed = PlannedAssessment.objects.filter(pk=plan.pk, assessment__isnull=True).update(assessment=assessment)
        if claimed:
            plan.assessment = assessment
            return plan
    return None
