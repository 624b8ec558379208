"""The monthly random dip sample of closed cases (rule 8; seed 000, section 3(6) and its note 11).

On the first working day of each month, a random selection of the cases closed in the month before: only
non-referrals decided by a single decision-maker, never referrals, committee decisions or cases heard by the
LRCC (those were debated by several people already). SCRUTINY_CLOSED_SAMPLE_PERCENT of each unit's eligible cases
are drawn, at least one where there is any. The rule and the random seed are stored with the draw, and a month is
drawn once (a unique month), however often the task runs. Each drawn case goes to a reviewer: a case scrutiny
holder over its unit who was not its case review manager or group leader, spreading the work evenly. The reviewer
is told through the outbox.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from notifications import outbox
from organisation import scoping
from organisation.models import Role
from qa_platform import sampling
from qa_platform.working_days import next_working_day
from scrutiny.models import (
    DECISION_CRITERIA,
    CaseReview,
    CaseReviewStatus,
    ClosedCaseDipSample,
    DecidedBy,
    Decision,
    MonthlyClosedCaseSample,
)
from scrutiny.selectors import visible_case_reviews

RULE = (
    "Cases closed in {month:%B %Y} with a non-referral decided by a single decision-maker and not heard by the "
    "LRCC; {percent}% of each unit's eligible cases (at least one) drawn at random."
)


def first_working_day(month_start: date) -> date:
    return next_working_day(month_start - date.resolution)


def previous_month(day: date) -> date:
    """The first day of the month before the day's month."""
    return (day.replace(day=1) - date.resolution).replace(day=1)


def eligible_cases(month: date):
    """Closed cases of the month that the dip sample may draw (rule 8's exclusions)."""
    next_month = (month.replace(day=28) + date.resolution * 4).replace(day=1)
    return CaseReview.objects.filter(
        status=CaseReviewStatus.CLOSED,
        closed_on__gte=month,
        closed_on__lt=next_month,
        decision=Decision.NON_REFERRAL,
        decided_by=DecidedBy.SINGLE,
        heard_by_lrcc=False,
    )


def sample_size(eligible: int, percent: int) -> int:
    """SCRUTINY_CLOSED_SAMPLE_PERCENT of a unit's eligible cases, rounded up: at least one where there is any."""
    return sampling.sample_size(eligible, percent)


def draw(cases_by_unit: dict[int, list[int]], *, seed: int, percent: int) -> list[int]:
    """The ids drawn from each unit's eligible case ids, unit by unit in id order (qa_platform/sampling.py):
    repeatable from the seed."""
    units = sorted(cases_by_unit)
    strata = [(cases_by_unit[unit_id], sample_size(len(cases_by_unit[unit_id]), percent)) for unit_id in units]
    return [pk for drawn in sampling.draw(strata, seed=seed) for pk in drawn]


def _reviewers_by_case(cases: list[CaseReview], day: date) -> dict[int, list[int]]:
    """Who may review each case: case scrutiny holders whose purview covers its team, not named on it. One query."""
    reviewers = scoping.holders_over(Role.CASE_SCRUTINY, on=day, excluding=("case_review_manager", "group_leader"))
    rows = CaseReview.objects.filter(pk__in=[case.pk for case in cases]).annotate(reviewers=reviewers)
    return {pk: list(ids) for pk, ids in rows.values_list("pk", "reviewers")}


def closed_case_sample_draw(*, today: date | None = None, force: bool = False) -> MonthlyClosedCaseSample | None:
    """Draw last month's sample if today is the first working day of the month (or later in the month, should the
    task not have run that day) and it has not been drawn. `force` draws on any day. Returns the draw or None."""
    today = today or timezone.localdate()
    if not force and today < first_working_day(today.replace(day=1)):
        return None
    month = previous_month(today)
    if MonthlyClosedCaseSample.objects.filter(month=month).exists():
        return None
    percent = settings.SCRUTINY_CLOSED_SAMPLE_PERCENT
    cases = list(eligible_cases(month).select_related("team__unit"))
    by_unit = defaultdict(list)
    for case in cases:
        by_unit[case.team.unit_id].append(case.pk)
    seed = sampling.new_seed(48)
    drawn = set(draw(by_unit, seed=seed, percent=percent))
    chosen = sorted((case for case in cases if case.pk in drawn), key=lambda case: case.pk)
    reviewers = _reviewers_by_case(chosen, today)
    try:
        with transaction.atomic():
            sample = MonthlyClosedCaseSample.objects.create(
                month=month, rule=RULE.format(month=month, percent=percent), seed=seed, eligible_count=len(cases)
            )
            _assign(sample, chosen, reviewers)
    except IntegrityError:
        return None  # another worker drew this month at the same moment
    return sample


def _assign(sample: MonthlyClosedCaseSample, chosen: list[CaseReview], reviewers: dict[int, list[int]]) -> None:
    """Each drawn case to the least-loaded reviewer this month, the lowest id on a tie: the work is spread evenly.
    Each reviewer is told."""
    load = defaultdict(int)
    for case in chosen:
        candidates = reviewers[case.pk]
        reviewer = min(candidates, key=lambda pk: (load[pk], pk)) if candidates else None
        if reviewer:
            load[reviewer] += 1
        item = ClosedCaseDipSample.objects.create(sample=sample, case_review=case, reviewer_id=reviewer)
        if reviewer:
            _tell_reviewer(item, case)


def _tell_reviewer(item: ClosedCaseDipSample, case: CaseReview) -> None:
    reviewer = item.reviewer
    outbox.enqueue(
        dedupe_key=f"scrutiny:closed-sample:{item.pk}:assigned",
        recipient=reviewer.email,
        person=reviewer,
        template="scrutiny_closed_case_sample",
        context={
            "reviewer_name": reviewer.full_name,
            "reference": case.reference,
            "closed_on": f"{case.closed_on:%-d %B %Y}",
            "path": reverse("scrutiny_closed_review", args=[item.pk]),
        },
    )


def visible_items(user):
    """Closed-case dip samples the user reviews, or whose case is in their case scrutiny purview."""
    if not getattr(user, "is_authenticated", False):
        return ClosedCaseDipSample.objects.none()
    return ClosedCaseDipSample.objects.filter(
        Q(reviewer=user) | Q(case_review__in=visible_case_reviews(user, named=False))
    )


REVIEW_FIELDS = (*(name for name, _ in DECISION_CRITERIA), "comments", "should_reopen", "reopen_reasons")
NOT_THE_REVIEWER = "Only the reviewer the case was drawn for records its review."


def closed_case_review_record(*, item: ClosedCaseDipSample, user, **review) -> ClosedCaseDipSample:
    """The reviewer records their review of a drawn closed case (seed 000, 1.2): each decision criterion, comments,
    and whether it should be reopened and why (the REVIEW_FIELDS), dated today. Only its reviewer may."""
    if item.reviewer_id != user.pk:
        raise ValidationError(NOT_THE_REVIEWER)
    unknown = set(review) - set(REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"Not a closed-case review field: {', '.join(sorted(unknown))}")
    for name, value in review.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.reviewed_on = timezone.localdate()
    item.save()
    return item
