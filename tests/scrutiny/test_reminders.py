"""Reminder timing and dedupe with the clock moved: before, on the due date and weekly while overdue, at 08:00
London time; never twice for a step; none once the milestone is done or the case closed."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from notifications import outbox
from notifications.models import Message
from scrutiny import reminders, services
from scrutiny.models import DecidedBy, Decision, MilestoneKind, MilestoneStatus

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Allocated 2 February 2026: the 10-month scrutiny falls due on Wednesday 2 December 2026.
ALLOCATED = date(2026, 2, 2)
TEN_MONTH_DUE = date(2026, 12, 2)


def london(day, hour=8, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def queue_at(moment):
    with time_machine.travel(moment, tick=False):
        return reminders.queue_due()


def keys():
    return set(Message.objects.values_list("dedupe_key", flat=True))


@pytest.fixture
def ten_month(make_case, group_leader):
    """A case whose MOT is settled, so only its 10-month (and far-off LRCC) scrutiny remains."""
    with time_machine.travel(london(date(2026, 3, 1)), tick=False):
        case = make_case(ALLOCATED)
    milestones = {m.kind: m for m in case.milestones.all()}
    milestones[MilestoneKind.MOT].status = MilestoneStatus.NOT_SELECTED
    milestones[MilestoneKind.MOT].save()
    return milestones[MilestoneKind.TEN_MONTH]


@pytest.mark.parametrize(
    ("due", "now", "expected"),
    [
        (TEN_MONTH_DUE, london(date(2026, 11, 25), 7, 59), None),
        (TEN_MONTH_DUE, london(date(2026, 11, 25)), "before"),
        (TEN_MONTH_DUE, london(date(2026, 12, 2), 7, 59), "before"),
        (TEN_MONTH_DUE, london(date(2026, 12, 2)), "due"),
        (TEN_MONTH_DUE, london(date(2026, 12, 9), 7, 59), "due"),
        (TEN_MONTH_DUE, london(date(2026, 12, 9)), "overdue:1"),
        (TEN_MONTH_DUE, london(date(2026, 12, 23), 23, 0), "overdue:3"),
        # British Summer Time: 08:00 London is 07:00 UTC.
        (date(2026, 7, 1), datetime(2026, 7, 1, 6, 59, tzinfo=UTC), "before"),
        (date(2026, 7, 1), datetime(2026, 7, 1, 7, 0, tzinfo=UTC), "due"),
    ],
)
def test_it_finds_the_latest_step_whose_time_has_come(due, now, expected):
    step = reminders.current_step(due, now, days_before=7)
    assert (step.name if step else None) == expected


def test_it_has_no_early_step_when_the_setting_is_zero():
    assert reminders.current_step(TEN_MONTH_DUE, london(date(2026, 12, 1)), days_before=0) is None


def test_it_reminds_the_group_leader_before_on_the_day_and_weekly_once_per_step(ten_month, group_leader):
    prefix = f"scrutiny:{ten_month.pk}:"
    assert queue_at(london(date(2026, 11, 25), 7, 59)) == 0
    assert queue_at(london(date(2026, 11, 25), 8, 0)) == 1
    assert queue_at(london(date(2026, 11, 25), 9, 0)) == 0  # the hourly run again: nothing new
    assert queue_at(london(TEN_MONTH_DUE, 8, 30)) == 1
    assert queue_at(london(date(2026, 12, 8), 23, 0)) == 0
    assert queue_at(london(date(2026, 12, 9), 8, 0)) == 1
    assert queue_at(london(date(2026, 12, 16), 8, 0)) == 1
    assert queue_at(london(date(2026, 12, 16), 9, 0)) == 0
    assert keys() == {f"{prefix}before", f"{prefix}due", f"{prefix}overdue:1", f"{prefix}overdue:2"}
    before = Message.objects.get(dedupe_key=f"{prefix}before")
    assert (before.recipient, before.due_at) == (group_leader.email, london(date(2026, 11, 25)).astimezone(UTC))


def test_a_case_found_already_overdue_gets_only_the_current_step(ten_month):
    assert queue_at(london(date(2026, 12, 24), 10, 0)) == 1
    assert keys() == {f"scrutiny:{ten_month.pk}:overdue:3"}


def test_the_reminder_sent_names_the_case_and_how_late_it_is(ten_month, group_leader):
    queue_at(london(date(2026, 12, 9), 8, 0))
    with time_machine.travel(london(date(2026, 12, 9), 8, 1), tick=False):
        assert outbox.dispatch_due() == {"sent": 1, "failed": 0, "cancelled": 0}
    [sent] = mail.outbox
    case = ten_month.case_review
    assert sent.to == [group_leader.email]
    assert sent.subject == f"Overdue: 10-month scrutiny of case {case.reference}"
    assert "1 week overdue" in sent.body
    assert f"/scrutiny/cases/{case.pk}/" in sent.body
    html = sent.alternatives[0][0]
    assert "1 week overdue" in html and f"/scrutiny/cases/{case.pk}/" in html


def test_a_milestone_done_before_its_reminder_goes_sends_nothing(ten_month, group_leader):
    queue_at(london(TEN_MONTH_DUE, 8, 0))
    # Recorded in admin or by a bulk update, bypassing the service's cancel: the send-time check still holds.
    type(ten_month).objects.filter(pk=ten_month.pk).update(
        status=MilestoneStatus.DONE, done_on=TEN_MONTH_DUE, done_by=group_leader
    )
    with time_machine.travel(london(TEN_MONTH_DUE, 8, 1), tick=False):
        assert outbox.dispatch_due() == {"sent": 0, "failed": 0, "cancelled": 1}
        assert reminders.queue_due() == 0
    assert mail.outbox == []


def test_closing_the_case_stops_its_reminders(ten_month):
    queue_at(london(TEN_MONTH_DUE, 8, 0))
    with time_machine.travel(london(TEN_MONTH_DUE, 8, 0), tick=False):
        services.case_review_close(
            case_review=ten_month.case_review,
            user=ten_month.case_review.group_leader,
            decision=Decision.NON_REFERRAL,
            decided_by=DecidedBy.SINGLE,
            heard_by_lrcc=False,
            closed_on=TEN_MONTH_DUE,
        )
    with time_machine.travel(london(date(2026, 12, 30), 8, 0), tick=False):
        assert reminders.queue_due() == 0
        assert outbox.dispatch_due()["sent"] == 0
    assert Message.objects.get().cancelled_at is not None
    assert mail.outbox == []


def test_the_lrcc_secretary_is_told_of_a_case_reaching_2_years(make_case, settings):
    settings.LRCC_SECRETARY_EMAIL = "lrcc.secretary@example.org"
    with time_machine.travel(london(date(2024, 12, 1)), tick=False):
        case = make_case(date(2024, 12, 1))
    for milestone in case.milestones.exclude(kind=MilestoneKind.LRCC):
        milestone.status = MilestoneStatus.DONE if milestone.kind != MilestoneKind.MOT else "not_selected"
        milestone.done_on, milestone.done_by = milestone.due_on, case.group_leader
        milestone.save()
    lrcc = case.milestones.get(kind=MilestoneKind.LRCC)
    prefix = f"scrutiny:{lrcc.pk}:"
    queue_at(london(date(2026, 11, 24)))
    queue_at(london(date(2026, 12, 1)))
    queue_at(london(date(2026, 12, 8)))
    assert keys() == {
        f"{prefix}before",
        f"{prefix}due",
        f"{prefix}overdue:1",
        f"{prefix}lrcc-secretary:before",
        f"{prefix}lrcc-secretary:due",
    }
    assert Message.objects.get(dedupe_key=f"{prefix}lrcc-secretary:due").recipient == "lrcc.secretary@example.org"


def test_no_secretary_is_told_when_none_is_configured(make_case, settings):
    settings.LRCC_SECRETARY_EMAIL = ""
    with time_machine.travel(london(date(2024, 12, 1)), tick=False):
        make_case(date(2024, 12, 1))
    queue_at(london(date(2026, 12, 1)))
    assert not any("lrcc-secretary" in key for key in keys())


def test_the_lrcc_secretary_is_asked_to_list_the_case(make_case, settings):
    settings.LRCC_SECRETARY_EMAIL = "lrcc.secretary@example.org"
    with time_machine.travel(london(date(2024, 12, 1)), tick=False):
        case = make_case(date(2024, 12, 1))
    case.milestones.filter(kind=MilestoneKind.MOT).update(status=MilestoneStatus.NOT_SELECTED)
    case.milestones.filter(kind=MilestoneKind.TEN_MONTH).update(
        status=MilestoneStatus.DONE, done_on=date(2025, 10, 1), done_by=case.group_leader
    )
    queue_at(london(date(2026, 12, 1), 9, 0))
    with time_machine.travel(london(date(2026, 12, 1), 9, 1), tick=False):
        assert outbox.dispatch_due()["sent"] == 2
    secretary = next(message for message in mail.outbox if message.to == ["lrcc.secretary@example.org"])
    assert secretary.subject == f"Case {case.reference} has been under review for 2 years: for the LRCC"
    for body in (secretary.body, secretary.alternatives[0][0]):
        assert "Long-Running Cases Review Committee: please list it" in body
        assert f"/scrutiny/cases/{case.pk}/" in body
