"""Which IQAs and drafts a user may see: every assessments page reads through here."""

from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import Assessment, Case, Draft
from organisation import scoping
from organisation.models import Role


def in_period(assessments: QuerySet[Assessment], period) -> QuerySet[Assessment]:
    """IQAs of work done in the period (a qa_platform.periods.Period): reports and dip sampling go by the date of the
    work, as the scheme's returns do."""
    return assessments.filter(work_date__gte=period.start, work_date__lte=period.end)


# Roles whose holders read individual IQAs in their purview.
IQA_READER_ROLES = (Role.ASSESSOR, Role.DIP_SAMPLER)


def visible_assessments(user) -> QuerySet[Assessment]:
    """IQAs filed under a team in the user's assessor or dip sampler purview, and those they wrote or received."""
    own = Q(assessor=user) | Q(assessed=user) if getattr(user, "is_authenticated", False) else None
    return scoping.records_in_scope(user, Assessment.objects.all(), IQA_READER_ROLES, own=own)


def iqas_of_work_by(viewer, person) -> QuerySet[Assessment]:
    """The IQAs of the person's work that the viewer may open, newest work first, ready for a table of them."""
    return (
        visible_assessments(viewer)
        .filter(assessed=person)
        .select_related("assessor", "assessed", "team__unit", "case")
        .order_by("-work_date", "-pk")
    )


def same_work(viewer, *, assessed_id, activity, work_date, area_id, urn, excluding=None) -> list[Assessment]:
    """The IQAs already recorded of the same work: one person's work on one activity, date and case (URN), by
    anyone, oldest first (any but `excluding`, the IQA being amended). Whoever records it again is warned first.

    Each carries `visible`: whether `viewer` may open it, so the warning links only what they may see. One query.
    """
    same = Assessment.objects.filter(
        assessed_id=assessed_id, activity=activity, work_date=work_date, case__area_id=area_id, case__urn=urn
    ).exclude(pk=excluding)
    same = same.annotate(visible=Exists(visible_assessments(viewer).filter(pk=OuterRef("pk"))))
    return list(same.select_related("assessor", "assessed", "case").order_by("recorded_at", "pk"))


def registered_case(user, *, area_id, urn) -> tuple[bool, Case | None]:
    """Whether a case is registered under the URN in the area (the IQA form then reuses it), and the case itself
    only if the user may see an IQA on it: its court, unit and sensitive categories are no more than those IQAs
    show them. One query."""
    in_view = visible_assessments(user).filter(case=OuterRef("pk"))
    case = (
        Case.objects.filter(area_id=area_id, urn=urn).annotate(in_view=Exists(in_view)).select_related("unit").first()
    )
    if case is None:
        return False, None
    return True, case if case.in_view else None


def open_drafts(user) -> QuerySet[Draft]:
    return Draft.objects.filter(owner=user, submitted_at__isnull=True).select_related("assessed", "amends")


def six_months_before(day: date) -> date:
    return day - timedelta(days=183)
