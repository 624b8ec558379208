"""Rule 5 end to end: a real Celery worker and beat, on real Redis and PostgreSQL, sending to a real SMTP server.

IQAs are recorded (and committed) here; the worker and beat run in their own processes with their clocks moved
forward (tests/notifications/shifted_clock.py). Ten minutes short of 24 hours nothing arrives; just past 24 hours
each IQA's assessed person and assessor get exactly one e-mail each, and the outbox rows are marked sent.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from assessments import feedback_emails
from notifications.models import Message
from notifications.tasks import dispatch_outbox
from tests.celery_harness import celery_on_own_queue
from tests.factories import AssessmentFactory, PersonFactory

pytestmark = pytest.mark.celery

NOT_YET = timedelta(hours=23, minutes=50)
PAST_DUE = timedelta(hours=24, minutes=5)
RECORDED = "An assessment of your work has been recorded"
FOLLOW_UP = "An assessment of your work needs follow-up"
REMINDER = "Reminder: give feedback on an assessment you recorded"


@pytest.fixture
def celery(transactional_db, mailbox, tmp_path):
    with celery_on_own_queue(
        "outbox", [dispatch_outbox.name], mailbox, tmp_path, FEEDBACK_EMAIL_POLICY="all"
    ) as processes:
        yield processes


def record_iqa(**fields):
    """Record an IQA as assessments.services does: the IQA and its e-mails committed in one transaction."""
    with transaction.atomic():
        assessment = AssessmentFactory(**fields)
        feedback_emails.queue_for_recorded(assessment)
    return assessment


def test_the_24_hour_emails_go_out_once_each_from_a_real_worker_and_beat(celery, mailbox):
    assessor = PersonFactory(email="dana.assessor@example.org")
    first = record_iqa(assessor=assessor, assessed=PersonFactory(email="alex.assessed@example.org"))
    second = record_iqa(
        assessor=assessor,
        assessed=PersonFactory(email="casey.colleague@example.org"),
        action_required=True,
        action_description="Review the charging decision.",
    )
    # Recorded an hour later than the others: its e-mails are not due yet when theirs are.
    later = record_iqa(recorded_at=timezone.now() + timedelta(hours=1))

    celery.start(shift=NOT_YET)
    celery.wait_for(lambda: celery.dispatches_done() >= 2, "two dispatches 23 h 50 m on")
    assert mailbox.received() == []
    assert not Message.objects.filter(sent_at__isnull=False).exists()
    celery.stop()

    celery.start(shift=PAST_DUE)
    celery.wait_for(lambda: len(mailbox.received()) >= 4, "four e-mails 24 h 5 m on")
    dispatches = celery.dispatches_done()
    celery.wait_for(lambda: celery.dispatches_done() >= dispatches + 2, "two more dispatches (no duplicates)")

    assert sorted(mailbox.received()) == sorted(
        [
            (("alex.assessed@example.org",), RECORDED, f"iqa:{first.pk}:assessed-notice"),
            (("dana.assessor@example.org",), REMINDER, f"iqa:{first.pk}:feedback-reminder"),
            (("casey.colleague@example.org",), FOLLOW_UP, f"iqa:{second.pk}:assessed-notice"),
            (("dana.assessor@example.org",), REMINDER, f"iqa:{second.pk}:feedback-reminder"),
        ]
    )
    sent = Message.objects.filter(sent_at__isnull=False)
    assert sorted(sent.values_list("dedupe_key", "attempts")) == sorted(
        [(f"iqa:{iqa.pk}:{kind}", 1) for iqa in (first, second) for kind in ("assessed-notice", "feedback-reminder")]
    )
    # Sent on the worker's clock, a day on from when they were recorded.
    assert all(message.sent_at >= message.due_at for message in sent)
    assert {f"iqa:{later.pk}:assessed-notice", f"iqa:{later.pk}:feedback-reminder"} <= set(
        Message.objects.pending().values_list("dedupe_key", flat=True)
    )
