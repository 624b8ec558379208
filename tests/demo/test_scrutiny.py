"""The demo case reviews: every age band, every milestone state the screens show, and a drawn closed-case sample
for the demo group leader to review. Safe to run again."""

import pytest
from django.utils import timezone

from demo.organisation import seed_demo
from demo.scrutiny import CASE_MANAGER_EMAIL, GROUP_LEADER_EMAIL, seed_demo_case_reviews
from organisation.models import Person
from qa_platform.working_days import is_working_day
from scrutiny import milestones, reminders, selectors
from scrutiny.models import CaseReview, CaseReviewStatus, ClosedCaseDipSample, Decision, MilestoneAction

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
    # Nothing is due on a weekend or bank holiday: "due today" shows only on a working day.
    due_today = {milestones.DUE} if is_working_day(today) else set()
    assert {milestones.DUE_SOON, milestones.OVERDUE, milestones.UPCOMING, *due_today} <= timings

    closed = CaseReview.objects.filter(status=CaseReviewStatus.CLOSED)
    assert closed.filter(decision=Decision.REFERRAL).exists() and closed.filter(heard_by_lrcc=True).exists()
    drawn = ClosedCaseDipSample.objects.select_related("case_review")
    assert drawn.exists() and all(item.case_review.decision == Decision.NON_REFERRAL for item in drawn)
    assert drawn.filter(reviewer=leader).exists()
    assert reminders.queue_due() > 0


def test_the_demo_case_review_manager_manages_cases_and_owns_an_action_to_follow_up():
    today = timezone.localdate()
    seed_demo(scale=0.1, today=today)
    seed_demo_case_reviews(today)
    manager = Person.objects.get(email=CASE_MANAGER_EMAIL)
    assert not manager.role_grants.exists()
    managed = CaseReview.objects.filter(case_review_manager=manager)
    assert managed.count() >= 3
    assert MilestoneAction.objects.filter(owner=manager, completed_on=None).exists()
    assert selectors.named_on_case_reviews(manager)

    # Demo data from before the log-in: the case manager is handed cases on the next run, once.
    other = CaseReview.objects.exclude(case_review_manager=manager).first().case_review_manager
    managed.update(case_review_manager=other)
    assert seed_demo_case_reviews(today) == 0
    handed = set(managed.values_list("pk", flat=True))
    assert handed
    assert seed_demo_case_reviews(today) == 0
    assert set(managed.values_list("pk", flat=True)) == handed
