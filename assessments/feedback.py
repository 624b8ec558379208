"""Feedback on an IQA (rule 4) and the actions that follow it (rule 3): recording feedback, where each IQA's
feedback stands, and the assessor's home-page lists of overdue feedback and open actions.

One feedback record per IQA. Its author records it and may correct it later (a wrong date or mode is better put
right than left standing; every version is kept in the audit history) until the IQA is closed. An IQA closed
without feedback still owes it, so its feedback can still be recorded, once.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Window
from django.utils import timezone

from assessments.models import Assessment, Feedback, FeedbackMode, State
from assessments.rules import feedback_due, last_overdue_recording_day
from organisation import scoping
from organisation.models import Role

GIVEN, DUE, OVERDUE = "given", "due", "overdue"
# How many of each list the home page shows; it says how many more there are.
HOME_LIST_LENGTH = 10

GIVEN_ON_MISSING_MESSAGE = "Enter the date the feedback was given."
GIVEN_ON_IN_FUTURE_MESSAGE = "Feedback cannot have been given in the future."
GIVEN_ON_BEFORE_WORK_MESSAGE = "Feedback cannot have been given before the work was done, on {work_date:%-d %B %Y}."
NO_CONTENT_MESSAGE = "Write the positive points, the issues to address, or both."
MODE_MESSAGE = "Choose how the feedback was given."
CLOSED_MESSAGE = "This IQA is closed: its feedback can no longer be changed."


# --- Rules ----------------------------------------------------------------------------------------------------


def feedback_errors(*, assessment, given_on, mode, positive_points, issues_to_address, today) -> dict[str, str]:
    """What is wrong with a feedback record: {field (or "__all__"): message}."""
    errors = {}
    if given_on is None:
        errors["given_on"] = GIVEN_ON_MISSING_MESSAGE
    elif given_on > today:
        errors["given_on"] = GIVEN_ON_IN_FUTURE_MESSAGE
    elif given_on < assessment.work_date:
        errors["given_on"] = GIVEN_ON_BEFORE_WORK_MESSAGE.format(work_date=assessment.work_date)
    if mode not in FeedbackMode.values:
        errors["mode"] = MODE_MESSAGE
    if not (positive_points or "").strip() and not (issues_to_address or "").strip():
        errors["__all__"] = NO_CONTENT_MESSAGE
    return errors


def may_record_feedback(assessment, user, existing: Feedback | None) -> bool:
    """The author records feedback; they correct it until the IQA is closed."""
    if assessment.assessor_id != user.pk:
        return False
    return existing is None or assessment.state != State.CLOSED


def may_read_feedback(assessment, user) -> bool:
    """What was said in feedback is for the author, the assessed person and dip samplers over the IQA's team.

    Others who can open the IQA (another assessor over the team) see only whether it was given and when.
    """
    if user.pk in (assessment.assessor_id, assessment.assessed_id):
        return True
    in_purview = Assessment.objects.filter(pk=assessment.pk)
    return scoping.records_in_scope(user, in_purview, Role.DIP_SAMPLER).exists()


# --- Writing --------------------------------------------------------------------------------------------------


NOT_AUTHOR_MESSAGE = "Only the IQA's author records its feedback."


def feedback_record(
    *,
    assessment: Assessment,
    recorded_by,
    given_on: date,
    mode: str,
    positive_points: str = "",
    issues_to_address: str = "",
) -> tuple[Feedback, bool]:
    """Record (or correct) the feedback given on an IQA. Returns (feedback, created_now).

    Raises ValidationError for anyone but the author, for bad input or for a closed IQA whose feedback is already
    recorded. The IQA row is locked first, so two submits at once give one record.
    """
    if assessment.assessor_id != recorded_by.pk:
        raise ValidationError(NOT_AUTHOR_MESSAGE)
    fields = {
        "given_on": given_on,
        "mode": mode,
        "positive_points": (positive_points or "").strip(),
        "issues_to_address": (issues_to_address or "").strip(),
    }
    errors = feedback_errors(assessment=assessment, today=timezone.localdate(), **fields)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        existing = Feedback.objects.filter(assessment=locked).first()
        if not may_record_feedback(locked, recorded_by, existing):
            raise ValidationError(CLOSED_MESSAGE)
        if existing is None:
            return Feedback.objects.create(assessment=locked, recorded_by=recorded_by, **fields), True
        changed = [name for name, value in fields.items() if getattr(existing, name) != value]
        for name in changed:
            setattr(existing, name, fields[name])
        if changed:
            existing.save(update_fields=changed)
        return existing, False


# --- Reading one IQA ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackStatus:
    state: str  # GIVEN, DUE or OVERDUE
    due_on: date
    given_on: date | None = None

    @property
    def overdue_since(self) -> date | None:
        """The first day the feedback was late (the day after it was due), if it is or was late."""
        late = self.state == OVERDUE or (self.given_on is not None and self.given_on > self.due_on)
        return self.due_on + timedelta(days=1) if late else None

    @property
    def given_on_time(self) -> bool | None:
        return None if self.given_on is None else self.given_on <= self.due_on


def feedback_of(assessment: Assessment) -> Feedback | None:
    """The IQA's feedback record, or None (a query unless it was select_related)."""
    try:
        return assessment.feedback
    except Feedback.DoesNotExist:
        return None


def feedback_status(assessment: Assessment, today: date) -> FeedbackStatus:
    """Rule 4: feedback is given, due (by the fifth working day after the assessment) or overdue."""
    due_on = feedback_due(assessment)
    given = feedback_of(assessment)
    if given is not None:
        return FeedbackStatus(GIVEN, due_on, given.given_on)
    return FeedbackStatus(DUE if today <= due_on else OVERDUE, due_on)


# --- The assessor's home page ---------------------------------------------------------------------------------


@dataclass
class HomeList:
    """The first few items of a list and how many there are in all."""

    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def first_of(queryset: QuerySet) -> HomeList:
    """The first HOME_LIST_LENGTH rows and the full count, in one query (the count is a window over every row)."""
    rows = list(queryset.annotate(list_total=Window(Count("pk")))[:HOME_LIST_LENGTH])
    return HomeList(rows, rows[0].list_total if rows else 0)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def overdue_feedback(user, today: date) -> HomeList:
    """IQAs the user recorded whose feedback is overdue and not recorded, most overdue first (one query).

    Closed IQAs are included: closing one settles its action (rule 3), not the feedback owed on it (rule 4).
    """
    cutoff = _start_of(last_overdue_recording_day(today) + timedelta(days=1))
    overdue = first_of(
        Assessment.objects.filter(assessor=user, feedback__isnull=True, recorded_at__lt=cutoff)
        .select_related("assessed")
        .order_by("recorded_at", "pk")
    )
    for iqa in overdue.items:
        iqa.feedback_status = FeedbackStatus(OVERDUE, feedback_due(iqa))
        iqa.days_overdue = (today - iqa.feedback_status.due_on).days
    return overdue


def open_actions(user, today: date) -> HomeList:
    """IQAs the user recorded with an action required and not yet marked taken, oldest first, with their age in
    days since the IQA was recorded (one query)."""
    actions = first_of(
        Assessment.objects.filter(assessor=user, action_required=True, state=State.RECORDED)
        .select_related("assessed")
        .order_by("recorded_at", "pk")
    )
    for iqa in actions.items:
        iqa.age_days = (today - timezone.localdate(iqa.recorded_at)).days
    return actions


def home_card(user, today: date) -> dict[str, HomeList]:
    """The assessor's feedback-and-actions card: two queries."""
    return {"overdue_feedback": overdue_feedback(user, today), "open_actions": open_actions(user, today)}
