"""The demo case reviews: every age band, every milestone state the screens show, and a drawn closed-case sample
for the demo group leader to review. Safe to run again."""

import pytest
from django.utils import timezone

from organisation.demo import seed_demo
from organisation.models import Person
from scrutiny import milestones, reminders, selectors
from scrutiny.demo import GROUP_LEADER_EMAIL, seed_demo_case_reviews
from scrutiny.models import CaseReview, CaseReviewStatus, ClosedCaseDipSample, Decision

pytestmark = pytest.mark.django_db


def test_the_demo_case_reviews_give_every_screen_something_to_show():
    today = timezone.localdate()
    seed_demo(scale=0.1, today=today)
    added = seed_demo_case_reviews(today)
    assert added == CaseReview.objects.count() > 15
    assert seed_demo_case_reviews(today) == 0

    leader = Person.objects.get(email=GROUP_LEADER_EMAIL)
    overview = selectors.overview(leader, today)
    assert all(count > 0 for _, count in overview.bands)
    assert overview.overdue_total > 0 and overview.mot_done > 0
    assert selectors.mot_proposals(leader, today).count() == 3

    cases = selectors.with_next_milestone(selectors.visible_case_reviews(leader))
    timings = set()
    for case in cases.exclude(status=CaseReviewStatus.CLOSED):
        selectors.describe_next(case, today)
        timings.add(case.next_timing)
    assert {milestones.DUE_SOON, milestones.DUE, milestones.OVERDUE, milestones.UPCOMING} <= timings

    closed = CaseReview.objects.filter(status=CaseReviewStatus.CLOSED)
    assert closed.filter(decision=Decision.REFERRAL).exists() and closed.filter(heard_by_lrcc=True).exists()
    drawn = ClosedCaseDipSample.objects.select_related("case_review")
    assert drawn.exists() and all(item.case_review.decision == Decision.NON_REFERRAL for item in drawn)
    assert drawn.filter(reviewer=leader).exists()
    assert reminders.queue_due() > 0
