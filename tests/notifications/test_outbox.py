"""The outbox: queue once, claim, send, retry with back-off, give up visibly, cancel, and rule 5's e-mails."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import feedback_emails
from assessments.models import State
from notifications import outbox
from notifications.models import Message
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


def queue(key="event:1:someone", due_at=NOON, **fields):
    fields = {"recipient": "someone@example.org", "template": "feedback_reminder", **fields}
    return outbox.enqueue(dedupe_key=key, due_at=due_at, **fields)


class FailingBackend:
    """An e-mail backend whose SMTP server refuses everything."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


def test_a_message_is_queued_once_per_dedupe_key():
    assert queue() is True
    assert queue() is False
    assert Message.objects.count() == 1


def test_nothing_is_sent_before_it_is_due_and_it_is_sent_once_after():
    queue(context={"assessor_name": "Dana", "path": "/iqas/1/"})
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        assert outbox.dispatch_due() == {"sent": 0, "failed": 0, "cancelled": 0}
    with time_machine.travel(NOON, tick=False):
        assert outbox.dispatch_due()["sent"] == 1
        assert outbox.dispatch_due()["sent"] == 0
    assert len(mail.outbox) == 1
    message = Message.objects.get()
    assert (message.sent_at, message.attempts, message.status) == (NOON, 1, "sent")
    assert mail.outbox[0].to == ["someone@example.org"]
    assert "http://localhost:8000/iqas/1/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_failure_is_retried_with_back_off_and_given_up_visibly(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.FailingBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    queue()
    with time_machine.travel(NOON, tick=False):
        assert outbox.dispatch_due()["failed"] == 1
    message = Message.objects.get()
    assert message.attempts == 1
    assert message.next_attempt_at == NOON + timedelta(minutes=1)
    assert "SMTP server refused" in message.last_error
    with time_machine.travel(NOON + timedelta(seconds=59), tick=False):
        assert outbox.dispatch_due()["failed"] == 0  # waits for its back-off
    with time_machine.travel(NOON + timedelta(minutes=1), tick=False):
        outbox.dispatch_due()
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (2, NOON + timedelta(minutes=3))
    with time_machine.travel(NOON + timedelta(minutes=3), tick=False):
        outbox.dispatch_due()
    message.refresh_from_db()
    assert (message.attempts, message.failed_at, message.status) == (3, NOON + timedelta(minutes=3), "given up")
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert outbox.dispatch_due()["failed"] == 0


def test_back_off_doubles_up_to_an_hour():
    assert [outbox.backoff(n) for n in (1, 2, 3, 7, 8, 20)] == [
        timedelta(minutes=minutes) for minutes in (1, 2, 4, 60, 60, 60)
    ]


def test_send_again_requeues_a_message_given_up_on(settings):
    queue()
    Message.objects.update(failed_at=NOON, attempts=8, last_error="boom")
    outbox.send_again(Message.objects.all())
    assert outbox.dispatch_due()["sent"] == 1


def test_cancelling_stops_only_what_is_unsent_for_that_event():
    queue("iqa:1:assessed-notice")
    queue("iqa:1:feedback-reminder")
    queue("iqa:12:assessed-notice")
    Message.objects.filter(dedupe_key="iqa:1:feedback-reminder").update(sent_at=NOON)
    assert outbox.cancel("iqa:1:", "deleted") == 1
    with time_machine.travel(NOON, tick=False):
        assert outbox.dispatch_due()["sent"] == 1
    assert mail.outbox[0].extra_headers["X-Outbox-Key"] == "iqa:12:assessed-notice"


def test_a_crash_while_sending_leaves_the_message_to_send_again(monkeypatch):
    queue()

    def crash(self):
        raise SystemExit("worker killed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", crash)
    with time_machine.travel(NOON, tick=False), pytest.raises(SystemExit):
        outbox.dispatch_due()
    message = Message.objects.get()
    assert (message.attempts, message.sent_at) == (0, None)


def test_dispatch_takes_a_fixed_number_of_queries_per_message():
    for number in range(3):
        queue(f"event:{number}:x")
    with time_machine.travel(NOON, tick=False), CaptureQueriesContext(connection) as captured:
        outbox.dispatch_due()
    # per message: savepoint, claim, update, release; then one claim that finds nothing (and its savepoint)
    assert len(captured) == 3 * 4 + 3


# --- Rule 5: the 24-hour e-mails --------------------------------------------------------------------------------


@pytest.fixture
def iqa(assessor, assessed, org):
    with time_machine.travel(NOON, tick=False):
        return AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a, recorded_at=timezone.now())


def test_recording_an_iqa_queues_both_emails_for_24_hours_later(iqa, assessor, assessed):
    feedback_emails.queue_for_recorded(iqa)
    due = {message.recipient: message.due_at for message in Message.objects.all()}
    assert due == {assessed.email: NOON + timedelta(hours=24), assessor.email: NOON + timedelta(hours=24)}
    with time_machine.travel(NOON + timedelta(hours=24), tick=False):
        assert outbox.dispatch_due()["sent"] == 2
    notice = next(email for email in mail.outbox if email.to == [assessed.email])
    assert notice.subject == "An assessment of your work has been recorded"
    assert f"/iqas/{iqa.pk}/" in notice.body
    reminder = next(email for email in mail.outbox if email.to == [assessor.email])
    # Five working days from Friday 20 November 2026.
    assert "Friday 27 November 2026" in reminder.body


def test_no_internal_data_goes_in_the_subject(iqa, assessed):
    iqa.action_required, iqa.action_description = True, "Retrain on disclosure"
    feedback_emails.queue_for_recorded(iqa)
    with time_machine.travel(NOON + timedelta(hours=24), tick=False):
        outbox.dispatch_due()
    subjects = [email.subject for email in mail.outbox]
    assert "An assessment of your work needs follow-up" in subjects
    assert not any(assessed.full_name in subject or "disclosure" in subject.lower() for subject in subjects)


def test_the_older_policy_sends_only_while_an_action_is_open(settings, iqa, assessor, assessed, org):
    settings.FEEDBACK_EMAIL_POLICY = "action_required"
    feedback_emails.queue_for_recorded(iqa)
    # No action required: no 24-hour e-mail (only rule 4's overdue-feedback reminder, whatever the policy).
    assert list(Message.objects.values_list("template", flat=True)) == ["feedback_overdue"]
    with time_machine.travel(NOON, tick=False):
        open_action = AssessmentFactory(
            assessor=assessor,
            assessed=assessed,
            team=org.team_a1a,
            action_required=True,
            action_description="Retrain",
            recorded_at=timezone.now(),
        )
        taken = AssessmentFactory(
            assessor=assessor,
            assessed=assessed,
            team=org.team_a1a,
            action_required=True,
            action_description="Retrain",
            recorded_at=timezone.now(),
        )
    feedback_emails.queue_for_recorded(open_action)
    feedback_emails.queue_for_recorded(taken)
    taken.state = State.ACTION_TAKEN
    taken.save()
    with time_machine.travel(NOON + timedelta(hours=24), tick=False):
        assert outbox.dispatch_due() == {"sent": 2, "failed": 0, "cancelled": 2}
    assert {email.extra_headers["X-Outbox-Key"].split(":")[1] for email in mail.outbox} == {str(open_action.pk)}


def test_deleting_an_iqa_cancels_its_unsent_emails(iqa):
    feedback_emails.queue_for_recorded(iqa)
    iqa.answers.all().delete()
    iqa.delete()
    assert Message.objects.filter(cancelled_at__isnull=False).count() == 3  # the overdue-feedback reminder too
    with time_machine.travel(NOON + timedelta(days=2), tick=False):
        assert outbox.dispatch_due()["sent"] == 0


def test_24_hours_is_24_real_hours_across_the_clocks_going_back():
    # Recorded at 09:00 BST on Saturday 24 October 2026; the clocks go back at 02:00 on the 25th.
    recorded = datetime(2026, 10, 24, 8, tzinfo=UTC)
    queue(due_at=recorded + feedback_emails.DELAY)
    with time_machine.travel(datetime(2026, 10, 25, 7, 59, tzinfo=UTC), tick=False):
        assert outbox.dispatch_due()["sent"] == 0  # a minute short of 24 real hours
    with time_machine.travel(datetime(2026, 10, 25, 8, 0, tzinfo=UTC), tick=False):
        assert outbox.dispatch_due()["sent"] == 1
    with time_machine.travel(datetime(2026, 10, 26, 8, 0, tzinfo=UTC), tick=False):
        assert outbox.dispatch_due()["sent"] == 0
