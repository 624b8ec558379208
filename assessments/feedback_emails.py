"""Rule 5: 24 hours after an IQA is recorded, the assessed person is told of it and the assessor reminded to give
feedback. Queued in the outbox in the transaction that records the IQA; times are UTC, fixed when it happens."""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, State
from notifications import outbox
from qa_platform.working_days import add_working_days

DELAY = timedelta(hours=24)
FEEDBACK_WORKING_DAYS = 5


def key_prefix(assessment_id) -> str:
    return f"iqa:{assessment_id}:"


def feedback_due(assessment) -> date:
    """Rule 4: feedback within five working days of the assessment (England and Wales bank holidays)."""
    return add_working_days(timezone.localdate(assessment.recorded_at), FEEDBACK_WORKING_DAYS)


def queue_for_recorded(assessment: Assessment) -> None:
    """Queue both e-mails, under the policy in force (FEEDBACK_EMAIL_POLICY)."""
    only_open_actions = settings.FEEDBACK_EMAIL_POLICY == "action_required"
    if only_open_actions and not assessment.action_required:
        return
    context = {
        "iqa_id": assessment.pk,
        "path": reverse("iqa_detail", args=[assessment.pk]),
        "assessed_name": assessment.assessed.full_name,
        "assessor_name": assessment.assessor.full_name,
        "activity": assessment.get_activity_display(),
        "work_date": f"{assessment.work_date:%-d %B %Y}",
        "action_required": assessment.action_required,
        "feedback_due": f"{feedback_due(assessment):%A %-d %B %Y}",
    }
    due_at = assessment.recorded_at + DELAY
    condition = "assessments.feedback_emails.action_still_open" if only_open_actions else ""
    prefix = key_prefix(assessment.pk)
    outbox.enqueue(
        dedupe_key=f"{prefix}assessed-notice",
        recipient=assessment.assessed.email,
        person=assessment.assessed,
        template="iqa_recorded",
        context=context,
        due_at=due_at,
        condition=condition,
    )
    outbox.enqueue(
        dedupe_key=f"{prefix}feedback-reminder",
        recipient=assessment.assessor.email,
        person=assessment.assessor,
        template="feedback_reminder",
        context=context,
        due_at=due_at,
        condition=condition,
    )


def action_still_open(message) -> bool:
    """The older policy: e-mail only while the action is required and not yet marked taken."""
    return Assessment.objects.filter(pk=message.context["iqa_id"], action_required=True, state=State.RECORDED).exists()


def cancel_for(assessment_id, reason) -> int:
    return outbox.cancel(key_prefix(assessment_id), reason)
