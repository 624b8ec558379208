"""Rule 7 end to end: a real Celery beat and worker, on real Redis and PostgreSQL, sending to a real SMTP server.

Case reviews are allocated (and committed) here at dates chosen around a day D two days ahead; the worker and beat
run in their own processes with their clocks moved (tests/notifications/shifted_clock.py), first to 07:50 London
on D, then to 08:05. Beat runs the scrutiny task and the outbox dispatch every second. At each clock exactly the
expected reminders arrive, each once, however many more times the tasks run.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from notifications.models import Message
from notifications.tasks import dispatch_outbox
from scrutiny import milestones, services
from scrutiny.models import DecidedBy, Decision, MilestoneKind, MilestoneStatus
from scrutiny.tasks import scrutiny_hourly
from tests.celery_harness import celery_on_own_queue
from tests.factories import PersonFactory, TeamFactory
from tests.scrutiny.factories import CaseReviewFactory

pytestmark = pytest.mark.celery
LONDON = ZoneInfo("Europe/London")
SECRETARY = "lrcc.secretary@example.org"


@pytest.fixture
def celery(transactional_db, mailbox, tmp_path):
    """Beat runs both tasks every second onto a queue of this test's own, which only this worker reads."""
    settings_env = {"SCRUTINY_REMINDER_DAYS_BEFORE": "7", "LRCC_SECRETARY_EMAIL": SECRETARY}
    tasks = [dispatch_outbox.name, scrutiny_hourly.name]
    with celery_on_own_queue("scrutiny", tasks, mailbox, tmp_path, **settings_env) as processes:
        yield processes


def allocated_for(kind: str, due: date) -> date:
    if kind == MilestoneKind.TEN_MONTH:
        return milestones.add_months(due, -milestones.TEN_MONTH_MONTHS)
    return milestones.add_months(due, -milestones.LRCC_MONTHS)


def case_with_only(kind: str, due: date, leader, **fields):
    """A case whose `kind` milestone is due on `due`, its earlier milestones settled so only that one reminds."""
    case = CaseReviewFactory(allocated_on=allocated_for(kind, due), group_leader=leader, **fields)
    for milestone in case.milestones.exclude(kind=kind).exclude(kind=MilestoneKind.LRCC):
        milestone.status = MilestoneStatus.DONE if milestone.kind != MilestoneKind.MOT else "not_selected"
        milestone.done_on, milestone.done_by = milestone.due_on, leader
        milestone.save()
    return case, case.milestones.get(kind=kind)


def shift_to(day: date, hour: int, minute: int) -> timedelta:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON) - timezone.now()


def test_a_real_beat_and_worker_send_exactly_the_reminders_due_once_each(celery, mailbox):
    day = timezone.localdate() + timedelta(days=2)  # D
    team = TeamFactory()
    leader = PersonFactory(email="gwen.leader@example.org")
    _, due_today = case_with_only(MilestoneKind.TEN_MONTH, day, leader, team=team)
    _, due_in_a_week = case_with_only(MilestoneKind.TEN_MONTH, day + timedelta(days=7), leader, team=team)
    _, two_weeks_late = case_with_only(MilestoneKind.TEN_MONTH, day - timedelta(days=14), leader, team=team)
    case_with_only(MilestoneKind.TEN_MONTH, day + timedelta(days=8), leader, team=team)  # not yet in the window
    closed, _ = case_with_only(MilestoneKind.TEN_MONTH, day, leader, team=team)
    services.case_review_close(
        case_review=closed,
        user=closed.group_leader,
        decision=Decision.NON_REFERRAL,
        decided_by=DecidedBy.SINGLE,
        heard_by_lrcc=False,
        closed_on=timezone.localdate(),
    )
    lrcc_case, lrcc = case_with_only(MilestoneKind.LRCC, day, leader, team=team)
    lrcc_case.milestones.filter(kind=MilestoneKind.TEN_MONTH).update(
        status=MilestoneStatus.DONE, done_on=day, done_by=leader
    )

    def received():
        return sorted((recipients[0], key) for recipients, _, key in mailbox.received())

    gl = leader.email
    before_eight = [
        (gl, f"scrutiny:{due_today.pk}:before"),
        (gl, f"scrutiny:{two_weeks_late.pk}:overdue:1"),
        (gl, f"scrutiny:{lrcc.pk}:before"),
        (SECRETARY, f"scrutiny:{lrcc.pk}:lrcc-secretary:before"),
    ]
    celery.start(shift=shift_to(day, 7, 50))
    celery.wait_for(lambda: len(mailbox.received()) >= len(before_eight), "the reminders due before 08:00 on D")
    dispatches = celery.dispatches_done()
    celery.wait_for(lambda: celery.dispatches_done() >= dispatches + 3, "three more dispatches (no duplicates)")
    assert received() == sorted(before_eight)
    celery.stop()

    after_eight = [
        (gl, f"scrutiny:{due_today.pk}:due"),
        (gl, f"scrutiny:{due_in_a_week.pk}:before"),
        (gl, f"scrutiny:{two_weeks_late.pk}:overdue:2"),
        (gl, f"scrutiny:{lrcc.pk}:due"),
        (SECRETARY, f"scrutiny:{lrcc.pk}:lrcc-secretary:due"),
    ]
    celery.start(shift=shift_to(day, 8, 5))
    expected = sorted(before_eight + after_eight)
    celery.wait_for(lambda: len(mailbox.received()) >= len(expected), "the reminders due at 08:00 on D")
    dispatches = celery.dispatches_done()
    celery.wait_for(lambda: celery.dispatches_done() >= dispatches + 3, "three more dispatches (no duplicates)")
    assert received() == expected
    sent = Message.objects.filter(sent_at__isnull=False)
    assert sorted(sent.values_list("recipient", "dedupe_key")) == expected
    assert set(sent.values_list("attempts", flat=True)) == {1}
    # The closed case's milestones were cancelled: nothing was queued for them at either clock.
    for milestone_id in closed.milestones.values_list("pk", flat=True):
        assert not Message.objects.filter(dedupe_key__startswith=f"scrutiny:{milestone_id}:").exists()
