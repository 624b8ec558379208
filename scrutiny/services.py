"""Writing case reviews and their scrutiny: every save keeps the milestones current; closing cancels what is
pending (and its reminders), reopening restores it."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import outbox
from organisation.models import Person, Team
from scrutiny import milestones, selectors
from scrutiny.models import (
    CaseReview,
    CaseReviewStatus,
    Milestone,
    MilestoneAction,
    MilestoneKind,
    MilestoneStatus,
    OneToOneNote,
)


def reminder_key_prefix(milestone_id) -> str:
    return f"scrutiny:{milestone_id}:"


def milestones_sync(case_review: CaseReview) -> list[Milestone]:
    """Make the case's three milestones agree with its allocated date and status.

    Due dates follow the allocated date until a milestone is done (a done one keeps the date it was done against).
    A closed case's pending milestones are cancelled with their unsent reminders; an open case's cancelled ones are
    pending again.
    """
    existing = {milestone.kind: milestone for milestone in case_review.milestones.all()}
    result = []
    for kind, due in milestones.due_dates(case_review.allocated_on).items():
        milestone = existing.get(kind) or Milestone(case_review=case_review, kind=kind, due_on=due)
        changed = milestone.pk is None
        if milestone.status in (MilestoneStatus.PENDING, MilestoneStatus.CANCELLED) and milestone.due_on != due:
            milestone.due_on, changed = due, True
        if case_review.is_closed and milestone.status == MilestoneStatus.PENDING:
            milestone.status, milestone.cancelled_at, changed = MilestoneStatus.CANCELLED, timezone.now(), True
        elif not case_review.is_closed and milestone.status == MilestoneStatus.CANCELLED:
            milestone.status, milestone.cancelled_at, changed = MilestoneStatus.PENDING, None, True
        if changed:
            milestone.save()
        if milestone.status == MilestoneStatus.CANCELLED:
            outbox.cancel(reminder_key_prefix(milestone.pk), "The case was closed.")
        result.append(milestone)
    return result


def case_review_errors(case_review: CaseReview) -> dict[str, str]:
    """What is wrong with a case review as it stands: {field: message}."""
    errors = {}
    if case_review.allocated_on and case_review.allocated_on > timezone.localdate():
        errors["allocated_on"] = "A case cannot be allocated in the future."
    if case_review.case_review_manager_id and case_review.case_review_manager_id == case_review.group_leader_id:
        errors["group_leader"] = "The group leader scrutinises the case review manager's work: choose someone else."
    if case_review.status == CaseReviewStatus.CLOSED:
        for name, message in (
            ("decision", "Choose the decision the case was closed with."),
            ("decided_by", "Say who made the decision."),
            ("closed_on", "Enter the date the case was closed."),
        ):
            if not getattr(case_review, name):
                errors[name] = message
        if case_review.closed_on and case_review.allocated_on and case_review.closed_on < case_review.allocated_on:
            errors["closed_on"] = "A case cannot close before it was allocated."
    return errors


def case_review_save(case_review: CaseReview) -> CaseReview:
    """Save a case review (new or changed) and keep its milestones current, in one transaction.

    Reopening a closed case clears its decision: it will be decided again.
    """
    if not case_review.is_closed:
        case_review.decision = case_review.decided_by = ""
        case_review.closed_on = None
    errors = case_review_errors(case_review)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case_review.save()
        milestones_sync(case_review)
    return case_review


NOT_MANAGED = "Only the case review manager, the group leader and case scrutiny holders over the case change it."
OPEN_STATUSES = (CaseReviewStatus.UNDER_REVIEW, CaseReviewStatus.PROVISIONAL_DECISION)
DETAIL_FIELDS = (
    "reference",
    "applicant_name",
    "offence_summary",
    "allocated_on",
    "team",
    "case_review_manager",
    "group_leader",
)


def _in_app_errors(user, case_review: CaseReview, changed: set[str]) -> dict[str, str]:
    """What the in-app forms refuse beyond case_review_errors: a reference used twice, a team or a person outside
    what the user may choose, and a change after which the user would no longer see the case (a 404 next time)."""
    errors = case_review_errors(case_review)
    if not case_review.reference:
        errors["reference"] = "Enter the CCRC case reference."
    elif CaseReview.objects.filter(reference=case_review.reference).exclude(pk=case_review.pk).exists():
        errors["reference"] = "Another case review has this reference: check it."
    teams = selectors.case_review_teams(user)
    if "team" in changed and not teams.filter(pk=case_review.team_id).exists():
        errors["team"] = "Choose a team you oversee or manage case reviews in."
    people = selectors.case_review_people(teams)
    for name in ("case_review_manager", "group_leader"):
        if name in changed and name not in errors and not people.filter(pk=getattr(case_review, f"{name}_id")).exists():
            errors[name] = "Choose someone in post in one of your case review teams."
    if not errors and not _would_see(user, case_review):
        errors[NON_FIELD_ERRORS] = (
            "You would no longer see this case: name yourself as its case review manager or group leader, or choose "
            "a team you oversee."
        )
    return errors


def _would_see(user, case_review: CaseReview) -> bool:
    if user.pk in (case_review.case_review_manager_id, case_review.group_leader_id):
        return True
    return selectors.case_permissions(user, case_review).oversees


def _save_checked(user, case_review: CaseReview, changed: set[str]) -> CaseReview:
    errors = _in_app_errors(user, case_review, changed)
    if errors:
        raise ValidationError(errors)
    try:
        return case_review_save(case_review)
    except IntegrityError as error:  # the same reference saved a moment ago by someone else
        raise ValidationError({"reference": "Another case review has this reference: check it."}) from error


def case_review_open(
    *,
    user,
    reference: str,
    applicant_name: str,
    offence_summary: str,
    allocated_on: date,
    team: Team,
    case_review_manager: Person,
    group_leader: Person,
) -> CaseReview:
    """Open a case review from the app, with its three milestones (the same save as admin's: case_review_save).

    Raises ValidationError {field: message} for anything the user should put right."""
    case_review = CaseReview(
        reference=reference.strip(),
        applicant_name=applicant_name.strip(),
        offence_summary=offence_summary.strip(),
        allocated_on=allocated_on,
        team=team,
        case_review_manager=case_review_manager,
        group_leader=group_leader,
    )
    return _save_checked(user, case_review, set(DETAIL_FIELDS))


def _check_manages(user, case_review: CaseReview) -> None:
    """Changing, closing and reopening a case are for its CRM and group leader and case scrutiny holders over it."""
    if not selectors.case_permissions(user, case_review).manage:
        raise ValidationError(NOT_MANAGED)


def case_review_update(*, user, case_review: CaseReview, status: str, **details) -> CaseReview:
    """Correct an open case's details (any of DETAIL_FIELDS) or move it between under review and provisional
    decision. A corrected allocated date moves its pending milestones. Closing and reopening have their own
    services. For the case's case review manager and group leader, and case scrutiny holders over it."""
    if case_review.is_closed:
        raise ValidationError("This case is closed: reopen it before changing it.")
    if status not in OPEN_STATUSES:
        raise ValidationError(
            {"status": "Choose under review or provisional decision; close the case on its own form."}
        )
    _check_manages(user, case_review)
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not a case review detail: {', '.join(sorted(unknown))}")
    changed = set()
    for name, value in details.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(case_review, name) != value:
            setattr(case_review, name, value)
            changed.add(name)
    case_review.status = status
    return _save_checked(user, case_review, changed)


def case_review_close(
    *, case_review: CaseReview, user, decision: str, decided_by: str, heard_by_lrcc: bool, closed_on: date
) -> CaseReview:
    """Close a case with its decision: its pending milestones and their unsent reminders are cancelled. For those
    who manage the case (as case_review_update)."""
    if case_review.is_closed:
        raise ValidationError("This case is already closed.")
    _check_manages(user, case_review)
    case_review.status = CaseReviewStatus.CLOSED
    case_review.decision, case_review.decided_by = decision, decided_by
    case_review.heard_by_lrcc, case_review.closed_on = heard_by_lrcc, closed_on
    return case_review_save(case_review)


def case_review_reopen(*, case_review: CaseReview, user) -> CaseReview:
    """Reopen a closed case (after post-closure correspondence, a complaint, a judicial review or the closed-case
    dip sample, seed 000 3.1(3)-(6)): it is under review again, its decision cleared, its milestones pending. For
    those who manage the case."""
    if not case_review.is_closed:
        raise ValidationError("This case is not closed.")
    _check_manages(user, case_review)
    case_review.status = CaseReviewStatus.UNDER_REVIEW
    return case_review_save(case_review)


# --- Scrutiny --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner_id: int
    due_on: date


NOT_SCRUTINISING = "Only the group leader and case scrutiny holders over the case record its scrutiny."
NOT_FOLLOWING_UP = "Only the action's owner, the group leader and case scrutiny holders over the case follow it up."
NOT_NOTING = "Only those named on the case and case scrutiny holders over it record its 1:1 notes."


def milestone_record(
    *,
    milestone: Milestone,
    user,
    done_on: date,
    case_plan_fit_for_purpose: bool | None,
    causes_of_delay: str,
    outcome: str,
    actions: list[ActionInput] = (),
) -> Milestone:
    """Record a milestone's scrutiny as done, with any actions it raised; its reminders stop. For the case's group
    leader and case scrutiny holders over it (rule 7).

    The milestone row is locked, so two submits at once record it once. Raises ValidationError when the user may
    not scrutinise the case, or the milestone is no longer pending (done already, not selected, or the case closed).
    """
    if not selectors.case_permissions(user, milestone.case_review).scrutinise:
        raise ValidationError(NOT_SCRUTINISING)
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if locked.status != MilestoneStatus.PENDING:
            raise ValidationError(f"This {locked.get_kind_display()} is {locked.get_status_display().lower()}.")
        locked.status, locked.done_on, locked.done_by = MilestoneStatus.DONE, done_on, user
        locked.case_plan_fit_for_purpose = case_plan_fit_for_purpose
        locked.causes_of_delay, locked.outcome = causes_of_delay.strip(), outcome.strip()
        if locked.kind == MilestoneKind.MOT and locked.selected_for_mot_at is None:
            locked.selected_for_mot_at, locked.selected_by = timezone.now(), user
        locked.save()
        MilestoneAction.objects.bulk_create(
            MilestoneAction(
                milestone=locked,
                description=a.description.strip(),
                owner_id=a.owner_id,
                due_on=milestones.on_working_day(a.due_on),
            )
            for a in actions
        )
        outbox.cancel(reminder_key_prefix(locked.pk), "The scrutiny was recorded.")
    return locked


@dataclass(frozen=True)
class MotSelection:
    selected: int
    not_selected: int


def mot_select(*, user, milestone_ids: set[int], selected_ids: set[int], today: date | None = None) -> MotSelection:
    """Record the group leader's MOT dip sample: of the MOTs proposed to them (selectors.mot_proposals: pending, not
    yet decided, on open cases past 6 weeks in their purview) among `milestone_ids`, the ticked ones are selected
    (and stay pending until done), the others are marked not selected (and their reminders stop).

    Raises ValidationError when none of them is still to decide."""
    proposed = list(selectors.mot_proposals(user, today or timezone.localdate()).filter(pk__in=milestone_ids))
    if not proposed:
        raise ValidationError("Those cases have already been decided on: the list below is up to date.")
    now = timezone.now()
    chosen = [m.pk for m in proposed if m.pk in selected_ids]
    passed = [m.pk for m in proposed if m.pk not in selected_ids]
    with transaction.atomic():
        pending = Milestone.objects.filter(kind=MilestoneKind.MOT, status=MilestoneStatus.PENDING)
        selected = pending.filter(pk__in=chosen, selected_for_mot_at__isnull=True).update(
            selected_for_mot_at=now, selected_by=user
        )
        not_selected = pending.filter(pk__in=passed, selected_for_mot_at__isnull=True).update(
            status=MilestoneStatus.NOT_SELECTED, selected_by=user
        )
        for pk in passed:
            outbox.cancel(reminder_key_prefix(pk), "Not selected for the case-plan MOT.")
    return MotSelection(selected=selected, not_selected=not_selected)


def action_follow_up(*, action: MilestoneAction, user, completed_on: date | None, follow_up: str) -> MilestoneAction:
    """Record an action's follow-up: for its owner and those who scrutinise its case."""
    if not selectors.case_permissions(user, action.milestone.case_review).follow_up(action):
        raise ValidationError(NOT_FOLLOWING_UP)
    action.completed_on, action.follow_up = completed_on, follow_up.strip()
    action.save(update_fields=["completed_on", "follow_up"])
    return action


def one_to_one_record(*, case_review: CaseReview, user, met_on: date, note: str) -> OneToOneNote:
    """A 1:1 note on the case: for those named on it and case scrutiny holders over it."""
    if not selectors.case_permissions(user, case_review).note_one_to_one:
        raise ValidationError(NOT_NOTING)
    return OneToOneNote.objects.create(case_review=case_review, recorded_by=user, met_on=met_on, note=note.strip())
