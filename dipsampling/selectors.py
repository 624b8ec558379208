"""What a dip sampler may sample and see: every dip sampling page reads through here.

A dip sampler samples recorded IQAs filed under teams in their dip sampler purview, never an IQA they recorded
as assessor nor one of their own work (as challenges are decided: assessments/challenges.py).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet

from assessments.models import Assessment
from assessments.selectors import in_period  # noqa: F401 - the queue and rates filter by it
from dipsampling.models import ConsistencyExercise, DipSample, ExerciseParticipant, Selection
from dipsampling.remarks import remark_rows
from organisation import scoping
from organisation.models import Role


def samplable_assessments(user) -> QuerySet[Assessment]:
    """IQAs the user may dip sample, sampled already or not."""
    in_purview = scoping.records_in_scope(user, Assessment.objects.all(), Role.DIP_SAMPLER)
    return in_purview.exclude(assessor=user).exclude(assessed=user)


def unsampled_assessments(user) -> QuerySet[Assessment]:
    """The queue: IQAs in scope not yet selected for a dip sample."""
    return samplable_assessments(user).filter(dip_sample__isnull=True)


def dip_samples_in_scope(user) -> QuerySet[DipSample]:
    """Dip samples (selected or recorded) on IQAs the user may dip sample."""
    return DipSample.objects.filter(assessment__in=samplable_assessments(user))


def selections_in_scope(user) -> QuerySet[Selection]:
    """Past selections a dip sampler may re-check: those they made, and those that took an IQA filed under a team in
    their dip sampler purview (a unit's dip samplers see one another's draws, an area's see its units'). None for
    anyone without the role."""
    if Role.DIP_SAMPLER not in scoping.roles_held(user):
        return Selection.objects.none()
    in_purview = DipSample.objects.filter(selection=OuterRef("pk"))
    condition = scoping.scope_condition(user, Role.DIP_SAMPLER, team_field="assessment__team")
    if condition is not None:
        in_purview = in_purview.filter(condition)
    return Selection.objects.filter(Q(made_by=user) | Exists(in_purview))


def exercises_for(user) -> QuerySet[ConsistencyExercise]:
    """Consistency exercises the user organises or is invited to."""
    if not getattr(user, "is_authenticated", False):
        return ConsistencyExercise.objects.none()
    return ConsistencyExercise.objects.filter(Q(organiser=user) | Q(participants__assessor=user)).distinct()


def exercises_awaiting_answers(user, limit: int = 5) -> list[ExerciseParticipant]:
    """Consistency exercises the user is invited to and has not answered while answering is open (one query).

    Invitations go to assessors by e-mail; the home page lists them too, so an assessor who is not a dip sampler
    (and so has no dip sampling section) can find them again.
    """
    return list(
        ExerciseParticipant.objects.filter(
            assessor=user, submitted_at__isnull=True, exercise__answering_closed_at__isnull=True
        )
        .select_related("exercise")
        .order_by("invited_at")[:limit]
    )


def dip_samples_to_record(user) -> int:
    """Dip samples the user selected and has not yet recorded (one query)."""
    return DipSample.objects.filter(dip_sampler=user, recorded_at__isnull=True).count()


def iqa_section(assessment, answers) -> dict:
    """The IQA page's dip sample, once recorded, with its re-marks beside the answers. One query for the re-marks,
    and one for the dip sample unless the IQA was fetched with select_related("dip_sample__dip_sampler")."""
    try:
        dip_sample = assessment.dip_sample
    except ObjectDoesNotExist:
        dip_sample = None
    if dip_sample is None or not dip_sample.is_recorded:
        return {"dip_sample": None, "dip_sample_rows": []}
    rows = remark_rows(dip_sample, answers)
    return {"dip_sample": dip_sample, "dip_sample_rows": rows if any(row["remark"] for row in rows) else []}
