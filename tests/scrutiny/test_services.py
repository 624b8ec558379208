"""Milestones follow the allocated date; closing cancels what is pending and its reminders; reopening restores it;
recording a scrutiny, the MOT selection and the checks on a case review."""

from datetime import date, timedelta

import pghistory.models
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Message
from scrutiny import reminders, services
from scrutiny.models import CaseReviewStatus, DecidedBy, Decision, MilestoneKind, MilestoneStatus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


def milestones_of(case):
    return {m.kind: m for m in case.milestones.all()}


def close(case, **fields):
    defaults = {
        "decision": Decision.NON_REFERRAL,
        "decided_by": DecidedBy.SINGLE,
        "heard_by_lrcc": False,
        "closed_on": TODAY,
    }
    return services.case_review_close(case_review=case, user=case.group_leader, **{**defaults, **fields})


def test_it_creates_the_three_milestones_when_a_case_is_saved(make_case):
    case = make_case(date(2024, 2, 29))
    assert {kind: (m.due_on, m.status) for kind, m in milestones_of(case).items()} == {
        MilestoneKind.MOT: (date(2024, 4, 11), MilestoneStatus.PENDING),
        MilestoneKind.TEN_MONTH: (date(2024, 12, 30), MilestoneStatus.PENDING),  # not Sunday 29 December
        MilestoneKind.LRCC: (date(2026, 3, 2), MilestoneStatus.PENDING),  # not Saturday 28 February
    }


def test_it_moves_pending_milestones_when_the_allocated_date_is_corrected_but_not_done_ones(make_case, group_leader):
    case = make_case(date(2025, 1, 31))
    mot = milestones_of(case)[MilestoneKind.MOT]
    services.milestone_record(
        milestone=mot,
        user=group_leader,
        done_on=date(2025, 3, 14),
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="Fine.",
    )
    case.allocated_on = date(2025, 1, 1)
    services.case_review_save(case)
    after = milestones_of(case)
    assert after[MilestoneKind.MOT].due_on == date(2025, 3, 14)  # done against its date
    assert after[MilestoneKind.TEN_MONTH].due_on == date(2025, 11, 3)  # 1 November 2025 is a Saturday
    assert after[MilestoneKind.LRCC].due_on == date(2027, 1, 4)  # New Year's Day, then a weekend


def test_closing_cancels_pending_milestones_and_their_unsent_reminders_and_reopening_restores_them(
    make_case, group_leader
):
    case = make_case(date(2025, 12, 1))  # MOT done, 10-month and LRCC pending
    mot = milestones_of(case)[MilestoneKind.MOT]
    services.milestone_record(
        milestone=mot,
        user=group_leader,
        done_on=date(2026, 1, 20),
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="OK",
    )
    ten_month = milestones_of(case)[MilestoneKind.TEN_MONTH]
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 9, 24, 9, 0)), tick=False):
        assert reminders.queue_due() == 1  # the 10-month "before" reminder
    queued = Message.objects.get(dedupe_key=f"scrutiny:{ten_month.pk}:before")
    assert queued.sent_at is None

    close(case)
    statuses = {kind: m.status for kind, m in milestones_of(case).items()}
    assert statuses == {
        MilestoneKind.MOT: MilestoneStatus.DONE,
        MilestoneKind.TEN_MONTH: MilestoneStatus.CANCELLED,
        MilestoneKind.LRCC: MilestoneStatus.CANCELLED,
    }
    queued.refresh_from_db()
    assert queued.cancelled_at is not None

    services.case_review_reopen(case_review=case, user=case.group_leader)
    case.refresh_from_db()
    assert case.status == CaseReviewStatus.UNDER_REVIEW and case.decision == "" and case.closed_on is None
    statuses = {kind: m.status for kind, m in milestones_of(case).items()}
    assert statuses == {
        MilestoneKind.MOT: MilestoneStatus.DONE,
        MilestoneKind.TEN_MONTH: MilestoneStatus.PENDING,
        MilestoneKind.LRCC: MilestoneStatus.PENDING,
    }


def test_recording_a_milestone_keeps_its_outcome_and_actions_and_stops_its_reminders(
    make_case, group_leader, case_review_manager
):
    case = make_case(date(2025, 12, 1))
    ten_month = milestones_of(case)[MilestoneKind.TEN_MONTH]
    Message.objects.create(
        dedupe_key=f"scrutiny:{ten_month.pk}:overdue:1",
        recipient="gl@example.org",
        template="scrutiny_milestone_reminder",
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    action = services.ActionInput("Chase the forensic report", case_review_manager.pk, date(2026, 12, 4))
    recorded = services.milestone_record(
        milestone=ten_month,
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=False,
        causes_of_delay="Waiting for the forensic report.",
        outcome="Plan revised.",
        actions=[action],
    )
    assert (recorded.status, recorded.done_by, recorded.case_plan_fit_for_purpose) == (
        MilestoneStatus.DONE,
        group_leader,
        False,
    )
    assert list(recorded.actions.values_list("description", "owner", "due_on")) == [
        ("Chase the forensic report", case_review_manager.pk, date(2026, 12, 4))
    ]
    assert Message.objects.get(dedupe_key=f"scrutiny:{ten_month.pk}:overdue:1").cancelled_at is not None
    with pytest.raises(ValidationError):  # recorded once
        services.milestone_record(
            milestone=ten_month,
            user=group_leader,
            done_on=TODAY,
            case_plan_fit_for_purpose=True,
            causes_of_delay="",
            outcome="x",
        )


def test_an_action_due_on_a_saturday_is_due_the_monday_after(make_case, group_leader, case_review_manager):
    case = make_case(date(2025, 12, 1))
    saturday = date(2026, 11, 28)
    recorded = services.milestone_record(
        milestone=milestones_of(case)[MilestoneKind.TEN_MONTH],
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="Plan revised.",
        actions=[services.ActionInput("Chase the transcript", case_review_manager.pk, saturday)],
    )
    assert recorded.actions.get().due_on == date(2026, 11, 30)


def test_the_mot_selection_marks_ticked_cases_selected_and_the_rest_not_selected(make_case, group_leader):
    first, second = make_case(TODAY - timedelta(days=50)), make_case(TODAY - timedelta(days=60))
    mot_first, mot_second = milestones_of(first)[MilestoneKind.MOT], milestones_of(second)[MilestoneKind.MOT]
    ids = {mot_first.pk, mot_second.pk}
    made = services.mot_select(user=group_leader, milestone_ids=ids, selected_ids={mot_first.pk}, today=TODAY)
    assert (made.selected, made.not_selected) == (1, 1)
    mot_first.refresh_from_db()
    mot_second.refresh_from_db()
    assert mot_first.status == MilestoneStatus.PENDING and mot_first.selected_by == group_leader
    assert mot_second.status == MilestoneStatus.NOT_SELECTED and mot_second.selected_for_mot_at is None
    # Run again (a double submit): nothing changes.
    with pytest.raises(ValidationError, match="already been decided"):
        services.mot_select(user=group_leader, milestone_ids=ids, selected_ids={mot_second.pk}, today=TODAY)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"allocated_on": TODAY + timedelta(days=1)}, "allocated_on"),
        ({"status": CaseReviewStatus.CLOSED}, "decision"),
        ({"status": CaseReviewStatus.CLOSED, "decision": Decision.REFERRAL}, "decided_by"),
    ],
)
def test_it_refuses_a_case_review_that_does_not_add_up(make_case, change, field):
    case = make_case(TODAY - timedelta(days=5))
    for name, value in change.items():
        setattr(case, name, value)
    with pytest.raises(ValidationError) as error:
        services.case_review_save(case)
    assert field in error.value.message_dict


def test_it_refuses_the_case_review_manager_as_their_own_group_leader(make_case, case_review_manager):
    with pytest.raises(ValidationError) as error:
        make_case(TODAY, group_leader=case_review_manager)
    assert "group_leader" in error.value.message_dict


def test_it_keeps_the_history_of_a_milestone_from_creation_to_cancellation(make_case, group_leader):
    case = make_case(date(2026, 1, 5))
    ten_month = milestones_of(case)[MilestoneKind.TEN_MONTH]
    close(case)
    events = pghistory.models.Events.objects.tracks(ten_month).order_by("pgh_created_at", "pgh_id")
    assert [(event.pgh_label, event.pgh_data["status"]) for event in events] == [
        ("insert", MilestoneStatus.PENDING),
        ("update", MilestoneStatus.CANCELLED),
    ]
    case_events = pghistory.models.Events.objects.tracks(case).order_by("pgh_created_at", "pgh_id")
    assert [event.pgh_data["status"] for event in case_events] == [CaseReviewStatus.UNDER_REVIEW, "closed"]


def test_the_scrutiny_services_refuse_whoever_may_not_act_on_the_case(make_case, group_leader, outsider):
    """The rules of who may act live in the services, whatever calls them (the views 404 before them)."""
    case = make_case(TODAY - timedelta(days=50))
    mot = milestones_of(case)[MilestoneKind.MOT]
    with pytest.raises(ValidationError, match="record its scrutiny"):
        services.milestone_record(
            milestone=mot, user=outsider, done_on=TODAY, case_plan_fit_for_purpose=True, causes_of_delay="", outcome=""
        )
    with pytest.raises(ValidationError, match="1:1 notes"):
        services.one_to_one_record(case_review=case, user=outsider, met_on=TODAY, note="x")
    with pytest.raises(ValidationError, match="change it"):
        services.case_review_close(
            case_review=case,
            user=outsider,
            decision=Decision.NON_REFERRAL,
            decided_by=DecidedBy.SINGLE,
            heard_by_lrcc=False,
            closed_on=TODAY,
        )
    recorded = services.milestone_record(
        milestone=mot,
        user=group_leader,
        done_on=TODAY,
        case_plan_fit_for_purpose=True,
        causes_of_delay="",
        outcome="",
        actions=[services.ActionInput("Chase", group_leader.pk, TODAY)],
    )
    with pytest.raises(ValidationError, match="follow it up"):
        services.action_follow_up(action=recorded.actions.get(), user=outsider, completed_on=TODAY, follow_up="x")
    mot.refresh_from_db()
    case.refresh_from_db()
    assert mot.done_by == group_leader and not case.one_to_one_notes.exists() and not case.is_closed
