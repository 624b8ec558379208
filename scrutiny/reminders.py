"""Reminders of scrutiny milestones (rule 7), queued in the outbox by the hourly beat task.

Each pending milestone has a series of steps, each at 08:00 London time: SCRUTINY_REMINDER_DAYS_BEFORE days
before it is due, on the day it is due, and every 7 days after while it is overdue. The beat task queues the
latest step whose time has come, keyed `scrutiny:<milestone id>:<step>`, so a step is never sent twice however
often the task runs, and a step missed while the task was not running is replaced by the next one rather than
sent late alongside it. The LRCC secretary is told of a case reaching 2 years at the first two steps.

A message carries a condition checked just before sending: a milestone done, not selected for the MOT, or whose
case closed in the meantime sends nothing. Recording or closing also cancels the unsent ones at once.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications import outbox
from notifications.models import Message
from qa_platform.clock import LONDON, london_instant
from scrutiny.models import CaseReviewStatus, Milestone, MilestoneKind, MilestoneStatus
from scrutiny.services import reminder_key_prefix

REMINDER_TIME = time(8, 0)
OVERDUE_EVERY = timedelta(days=7)
CONDITION_STILL_PENDING = "scrutiny.reminders.milestone_still_pending"
BEFORE, DUE = "before", "due"


@dataclass(frozen=True)
class Step:
    name: str  # "before", "due" or "overdue:<week>"
    at: datetime  # UTC
    overdue_weeks: int = 0


def _at_eight(day: date) -> datetime:
    """08:00 in London on the day, as a UTC instant (so a clock change moves nothing)."""
    return london_instant(day, REMINDER_TIME)


def current_step(due_on: date, now: datetime, *, days_before: int) -> Step | None:
    """The latest reminder step whose time has come, or None before the first."""
    overdue_since = _at_eight(due_on)
    if now < overdue_since:
        before = _at_eight(due_on - timedelta(days=days_before))
        return Step(BEFORE, before) if days_before > 0 and now >= before else None
    weeks = (now.astimezone(LONDON).date() - due_on).days // OVERDUE_EVERY.days
    # Before 08:00 on the k-th weekly day the previous week's step still stands.
    if weeks and now < _at_eight(due_on + weeks * OVERDUE_EVERY):
        weeks -= 1
    if weeks == 0:
        return Step(DUE, overdue_since)
    return Step(f"overdue:{weeks}", _at_eight(due_on + weeks * OVERDUE_EVERY), weeks)


def _context(milestone: Milestone, step: Step) -> dict:
    case = milestone.case_review
    return {
        "milestone_id": milestone.pk,
        "kind": milestone.get_kind_display(),
        "is_mot": milestone.kind == MilestoneKind.MOT,
        "selected": milestone.selected_for_mot_at is not None,
        "reference": case.reference,
        "group_leader_name": case.group_leader.full_name,
        "case_review_manager_name": case.case_review_manager.full_name,
        "allocated_on": f"{case.allocated_on:%-d %B %Y}",
        "due_on": f"{milestone.due_on:%A %-d %B %Y}",
        "step": step.name.split(":")[0],
        "overdue_weeks": step.overdue_weeks,
        "path": reverse("scrutiny_case_detail", args=[case.pk]),
    }


def reminders_for(milestone: Milestone, step: Step) -> list[dict]:
    """The messages a milestone's step sends: to its group leader, and to the LRCC secretary for a case reaching
    2 years (its first two steps only)."""
    prefix = reminder_key_prefix(milestone.pk)
    context = _context(milestone, step)
    leader = milestone.case_review.group_leader
    messages = [
        {
            "dedupe_key": f"{prefix}{step.name}",
            "recipient": leader.email,
            "person": leader,
            "template": "scrutiny_milestone_reminder",
            "context": context,
            "due_at": step.at,
            "condition": CONDITION_STILL_PENDING,
        }
    ]
    secretary = settings.LRCC_SECRETARY_EMAIL
    if milestone.kind == MilestoneKind.LRCC and secretary and step.name in (BEFORE, DUE):
        messages.append(
            {
                "dedupe_key": f"{prefix}lrcc-secretary:{step.name}",
                "recipient": secretary,
                "person": None,
                "template": "scrutiny_lrcc_secretary",
                "context": context,
                "due_at": step.at,
                "condition": CONDITION_STILL_PENDING,
            }
        )
    return messages


def queue_due(now: datetime | None = None) -> int:
    """Queue every reminder step whose time has come and that has not been queued yet. Idempotent: returns how
    many messages it queued (0 when run again)."""
    now = now or timezone.now()
    days_before = settings.SCRUTINY_REMINDER_DAYS_BEFORE
    horizon = timezone.localdate(now) + timedelta(days=days_before)
    pending = (
        Milestone.objects.filter(status=MilestoneStatus.PENDING, due_on__lte=horizon)
        .exclude(case_review__status=CaseReviewStatus.CLOSED)
        .select_related("case_review__group_leader", "case_review__case_review_manager")
        .order_by("due_on", "pk")
    )
    wanted = []
    for milestone in pending.iterator(chunk_size=500):
        step = current_step(milestone.due_on, now, days_before=days_before)
        if step is not None:
            wanted += reminders_for(milestone, step)
    queued = 0
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        known = set(
            Message.objects.filter(dedupe_key__in=[m["dedupe_key"] for m in batch]).values_list("dedupe_key", flat=True)
        )
        for message in batch:
            if message["dedupe_key"] not in known and outbox.enqueue(**message):
                queued += 1
    return queued


def milestone_still_pending(message) -> bool:
    """Send only while the milestone is still pending on an open case."""
    return (
        Milestone.objects.filter(pk=message.context["milestone_id"], status=MilestoneStatus.PENDING)
        .exclude(case_review__status=CaseReviewStatus.CLOSED)
        .exists()
    )
