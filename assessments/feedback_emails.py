"""Rules 4 and 5 by e-mail. 24 hours after an IQA is recorded, the assessed person is told of it and the assessor
reminded to give feedback (rule 5); if no feedback is recorded within five working days (rule 4), the assessor is
told it is overdue at 08:00 on the next working day. All three are queued in the outbox in the transaction that
records the IQA, with their times fixed then and stored in UTC; a condition checked just before sending drops a
reminder whose feedback has been recorded meanwhile (so a correction or deletion in admin is honoured too).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse

from assessments.models import Assessment, State
from assessments.rules import feedback_due
from notifications import outbox
from qa_platform.clock import london_instant
from qa_platform.working_days import next_working_day

DELAY = timedelta(hours=24)
# The overdue reminder arrives at the start of the working day, London time whatever the server's zone.
OVERDUE_REMINDER_TIME = time(8, 0)

CONDITION_FEEDBACK_NOT_GIVEN = "assessments.feedback_emails.feedback_not_given"
CONDITION_ACTION_OPEN = "assessments.feedback_emails.action_still_open"
CONDITION_ACTION_OPEN_AND_FEEDBACK_NOT_GIVEN = "assessments.feedback_emails.action_open_and_feedback_not_given"


def key_prefix(assessment_id) -> str:
    return f"iqa:{assessment_id}:"


def iqa_email_context(assessment: Assessment) -> dict:
    """What every e-mail about an IQA says of it: the link to it, the two people, the activity and the date of the
    work. No case and nobody's words: the e-mail links to the IQA, which shows them to those who may read them."""
    return {
        "iqa_id": assessment.pk,
        "path": reverse("iqa_detail", args=[assessment.pk]),
        "assessed_name": assessment.assessed.full_name,
        "assessor_name": assessment.assessor.full_name,
        "activity": assessment.get_activity_display(),
        "work_date": f"{assessment.work_date:%-d %B %Y}",
    }


def overdue_reminder_at(assessment) -> datetime:
    """08:00 Europe/London on the first working day after feedback was due, as a UTC instant.

    Worked out in London's local time, so the reminder is at 08:00 on either side of a clock change
    (07:00 UTC in summer time, 08:00 UTC in winter).
    """
    return london_instant(next_working_day(feedback_due(assessment)), OVERDUE_REMINDER_TIME)


def queue_for_recorded(assessment: Assessment) -> None:
    """Queue the overdue-feedback reminder, and the 24-hour e-mails under the policy in force (FEEDBACK_EMAIL_POLICY).

    The overdue reminder goes whatever the policy: the policy is about rule 5's e-mails, and feedback is due on
    every IQA (rule 4).
    """
    context = {
        **iqa_email_context(assessment),
        "action_required": assessment.action_required,
        "feedback_due": f"{feedback_due(assessment):%A %-d %B %Y}",
    }
    prefix = key_prefix(assessment.pk)
    outbox.enqueue(
        dedupe_key=f"{prefix}feedback-overdue",
        recipient=assessment.assessor.email,
        person=assessment.assessor,
        template="feedback_overdue",
        context=context,
        due_at=overdue_reminder_at(assessment),
        condition=CONDITION_FEEDBACK_NOT_GIVEN,
    )
    only_open_actions = settings.FEEDBACK_EMAIL_POLICY == "action_required"
    if only_open_actions and not assessment.action_required:
        return
    due_at = assessment.recorded_at + DELAY
    outbox.enqueue(
        dedupe_key=f"{prefix}assessed-notice",
        recipient=assessment.assessed.email,
        person=assessment.assessed,
        template="iqa_recorded",
        context=context,
        due_at=due_at,
        condition=CONDITION_ACTION_OPEN if only_open_actions else "",
    )
    outbox.enqueue(
        dedupe_key=f"{prefix}feedback-reminder",
        recipient=assessment.assessor.email,
        person=assessment.assessor,
        template="feedback_reminder",
        context=context,
        due_at=due_at,
        condition=CONDITION_ACTION_OPEN_AND_FEEDBACK_NOT_GIVEN if only_open_actions else CONDITION_FEEDBACK_NOT_GIVEN,
    )


# Conditions: each takes the message about to be sent and says whether it is still wanted.


def action_still_open(message) -> bool:
    """The older policy: e-mail only while the action is required and not yet marked taken."""
    return Assessment.objects.filter(pk=message.context["iqa_id"], action_required=True, state=State.RECORDED).exists()


def feedback_not_given(message) -> bool:
    """A reminder to give feedback is only wanted while the IQA is there and has no feedback recorded."""
    return Assessment.objects.filter(pk=message.context["iqa_id"], feedback__isnull=True).exists()


def action_open_and_feedback_not_given(message) -> bool:
    return action_still_open(message) and feedback_not_given(message)


def cancel_for(assessment_id, reason) -> int:
    return outbox.cancel(key_prefix(assessment_id), reason)
