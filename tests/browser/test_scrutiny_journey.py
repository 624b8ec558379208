"""Journey: a group leader finds an overdue 10-month scrutiny on their case list, opens the case, records the
scrutiny with an action (refused once, keeping what was typed), and the pending reminder is cancelled."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from notifications.models import Message
from scrutiny import milestones, reminders
from scrutiny.models import MilestoneAction, MilestoneKind, MilestoneStatus
from tests.factories import PASSWORD
from tests.scrutiny.factories import CaseReviewFactory

pytestmark = pytest.mark.browser

ACTION = "Chase the Crown Court for the trial transcript"


@pytest.fixture
def overdue_case(transactional_db, org, group_leader, case_review_manager):
    """A case allocated 10 months and 3 weeks ago, its MOT done, with the overdue reminder queued and not yet sent."""
    today = timezone.localdate()
    allocated = milestones.add_months(today - timedelta(days=21), -milestones.TEN_MONTH_MONTHS)
    case = CaseReviewFactory(
        reference="CCRC/00777/2025",
        applicant_name="Jordan Applicant",
        allocated_on=allocated,
        team=org.team_a1a,
        group_leader=group_leader,
        case_review_manager=case_review_manager,
    )
    case.milestones.filter(kind=MilestoneKind.MOT).update(
        status=MilestoneStatus.DONE, done_on=allocated + timedelta(days=45), done_by=group_leader
    )
    assert reminders.queue_due() == 1
    return case


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_group_leader_records_an_overdue_10_month_scrutiny_with_an_action_and_the_reminder_stops(
    overdue_case, group_leader, case_review_manager, new_page, log_in, page_checks
):
    ten_month = overdue_case.milestones.get(kind=MilestoneKind.TEN_MONTH)
    reminder = Message.objects.get(dedupe_key__startswith=f"scrutiny:{ten_month.pk}:overdue:")
    assert reminder.sent_at is None and reminder.cancelled_at is None

    page = new_page()
    log_in(page, group_leader.email, PASSWORD)
    with page.expect_navigation():
        page.locator("[data-testid=main-navigation] a[data-nav=case_scrutiny]").click()
    page_checks.assets_loaded(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Case reviews")
    row = page.get_by_test_id("case-row").filter(has_text="CCRC/00777/2025")
    expect(row).to_contain_text("10-month scrutiny")
    expect(row).to_contain_text("Overdue")
    page_checks.accessible(page)

    with page.expect_navigation():
        row.get_by_role("link", name="CCRC/00777/2025").click()
    expect(page.get_by_test_id("applicant")).to_have_text("Jordan Applicant")
    card = page.get_by_test_id("milestone-ten_month")
    expect(card.get_by_test_id("milestone-status")).to_have_text("Pending")
    expect(card).to_contain_text("Overdue")
    page_checks.accessible(page)
    with page.expect_navigation():
        card.get_by_role("link", name="Record the 10-month scrutiny").click()

    # Refused without an outcome or an owner for the action, keeping everything typed.
    today = timezone.localdate()
    page.get_by_label("No", exact=True).check()
    page.get_by_label(re.compile(r"^\s*Causes of delay")).fill("The transcript has been awaited for two months.")
    page.locator("#id_actions-0-description").fill(ACTION)
    page.locator("#id_actions-0-due_on").fill((today + timedelta(days=14)).isoformat())
    submit(page, "Record the 10-month scrutiny")
    expect(page.get_by_role("status").filter(has_text="Nothing has been saved")).to_be_visible()
    expect(page.get_by_text("Write what the scrutiny found and decided.")).to_be_visible()
    expect(page.get_by_text("Choose who owns the action.")).to_be_visible()
    expect(page.locator("#id_actions-0-description")).to_have_value(ACTION)
    expect(page.get_by_label(re.compile(r"^\s*Causes of delay"))).to_have_value(
        "The transcript has been awaited for two months."
    )
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    page_checks.accessible(page)
    assert Message.objects.get(pk=reminder.pk).cancelled_at is None

    page.get_by_label(re.compile(r"^\s*Outcome")).fill("Case plan revised; transcript chased.")
    page.locator("#id_actions-0-owner").select_option(label=case_review_manager.full_name)
    submit(page, "Record the 10-month scrutiny")
    assert re.search(rf"/scrutiny/cases/{overdue_case.pk}/#milestones$", page.url), page.url
    expect(page.get_by_role("status").filter(has_text="The 10-month scrutiny is recorded.")).to_be_visible()
    card = page.get_by_test_id("milestone-ten_month")
    expect(card.get_by_test_id("milestone-status")).to_have_text("Done")
    expect(card.get_by_test_id("actions")).to_contain_text(ACTION)
    expect(card.get_by_test_id("actions")).to_contain_text(case_review_manager.full_name)
    expect(page.get_by_test_id("timeline")).to_contain_text("10-month scrutiny done")
    page_checks.accessible(page)

    ten_month.refresh_from_db()
    assert (ten_month.status, ten_month.done_by, ten_month.done_on) == (MilestoneStatus.DONE, group_leader, today)
    action = MilestoneAction.objects.get()
    # A date typed on a weekend or bank holiday is kept as the next working day.
    assert (action.owner, action.due_on) == (case_review_manager, milestones.on_working_day(today + timedelta(days=14)))
    # The pending reminder is cancelled, and no further step is queued for the milestone.
    reminder.refresh_from_db()
    assert reminder.cancelled_at is not None and reminder.sent_at is None
    assert reminders.queue_due() == 0
    assert not Message.objects.filter(dedupe_key__startswith=f"scrutiny:{ten_month.pk}:", cancelled_at=None).exists()

    page_checks.no_csp_violations(page)
    assert page.console_errors == []
