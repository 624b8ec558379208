"""Journeys: the case review manager's day and the group leader's case review forms, through links only from the
home page, with axe on every page reached.

- The group leader records a 10-month scrutiny with three actions, using "Add another action" (no JavaScript
  needed); one typed for a Saturday is due the Monday after. The case review manager, who holds no role, finds
  *Case reviews* in their navigation, opens their case and follows up the action they own.
- The group leader opens a case review, corrects it, closes it with its decision and reopens it.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from qa_platform.working_days import is_working_day
from scrutiny import milestones
from scrutiny.models import CaseReview, CaseReviewStatus, MilestoneAction, MilestoneKind, MilestoneStatus
from tests.factories import PASSWORD
from tests.scrutiny.factories import CaseReviewFactory

pytestmark = pytest.mark.browser

REFERENCE = "CCRC/00888/2025"


def label(text: str):
    """A field's label, which crispy-forms ends with "*" when the field is required."""
    return re.compile(rf"^\s*{re.escape(text)}")


def click(page: Page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    page.wait_for_load_state("load")


def next_saturday(day):
    return day + timedelta(days=(5 - day.weekday()) % 7 or 7)


@pytest.fixture
def overdue_case(transactional_db, org, group_leader, case_review_manager):
    """A case allocated 10 months and 3 weeks ago, its MOT done: the 10-month scrutiny is overdue."""
    allocated = milestones.add_months(timezone.localdate() - timedelta(days=21), -milestones.TEN_MONTH_MONTHS)
    case = CaseReviewFactory(
        reference=REFERENCE,
        applicant_name="Jordan Applicant",
        allocated_on=allocated,
        team=org.team_a1a,
        group_leader=group_leader,
        case_review_manager=case_review_manager,
    )
    case.milestones.filter(kind=MilestoneKind.MOT).update(
        status=MilestoneStatus.DONE, done_on=allocated + timedelta(days=45), done_by=group_leader
    )
    return case


def test_the_case_review_manager_follows_up_the_action_the_group_leaders_scrutiny_gave_them(
    overdue_case, group_leader, case_review_manager, new_page, log_in, page_checks
):
    today = timezone.localdate()
    saturday = next_saturday(today)

    # The group leader records the 10-month scrutiny with three actions.
    page = new_page()
    log_in(page, group_leader.email, PASSWORD)
    click(page, page.locator("[data-testid=main-navigation] a[data-nav=case_scrutiny]"))
    click(page, page.get_by_test_id("case-row").get_by_role("link", name=REFERENCE))
    click(page, page.get_by_role("link", name="Record the 10-month scrutiny"))
    page_checks.accessible(page)
    expect(page.get_by_test_id("action-row")).to_have_count(2)
    page.get_by_label("No", exact=True).check()
    page.get_by_label(label("Outcome")).fill("Case plan reset; the transcript is chased.")
    page.locator("#id_actions-0-description").fill("Chase the Crown Court for the transcript")
    page.locator("#id_actions-0-owner").select_option(label=case_review_manager.full_name)
    page.locator("#id_actions-0-due_on").fill(saturday.isoformat())
    page.locator("#id_actions-1-description").fill("Brief the commissioner on the delay")
    page.locator("#id_actions-1-owner").select_option(label=group_leader.full_name)
    page.locator("#id_actions-1-due_on").fill((saturday + timedelta(days=3)).isoformat())
    click(page, page.get_by_role("button", name="Add another action"))
    # One more row, everything typed kept, nothing refused yet, the new row's first field focused.
    expect(page.get_by_test_id("action-row")).to_have_count(3)
    expect(page.locator("#id_actions-0-description")).to_have_value("Chase the Crown Court for the transcript")
    expect(page.locator("#id_actions-1-owner")).to_have_value(str(group_leader.pk))
    expect(page.get_by_label(label("Outcome"))).to_have_value("Case plan reset; the transcript is chased.")
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    expect(page.locator("#id_actions-2-description")).to_be_focused()
    expect(page.get_by_text("Nothing has been saved")).to_have_count(0)
    page_checks.accessible(page)
    page.locator("#id_actions-2-description").fill("Ask the police for the custody record")
    page.locator("#id_actions-2-owner").select_option(label=case_review_manager.full_name)
    page.locator("#id_actions-2-due_on").fill((saturday + timedelta(days=10)).isoformat())
    # Enter in a field records the scrutiny (it does not add another row).
    page.locator("#id_actions-2-description").press("Enter")
    expect(page.get_by_role("status").filter(has_text="The 10-month scrutiny is recorded.")).to_be_visible()
    expect(page.get_by_test_id("milestone-ten_month").get_by_test_id("actions").locator("tbody tr")).to_have_count(3)
    first = MilestoneAction.objects.get(description__startswith="Chase the Crown Court")
    assert first.due_on == milestones.on_working_day(saturday) and is_working_day(first.due_on)  # not the Saturday

    # The case review manager, with no role, finds the case from their navigation and follows up their action.
    page = new_page()
    log_in(page, case_review_manager.email, PASSWORD)
    page_checks.accessible(page)
    expect(page.get_by_test_id("scrutiny-card")).to_be_visible()
    click(page, page.locator("[data-testid=main-navigation] a[data-nav=case_reviews]"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Case reviews")
    page_checks.accessible(page)
    click(page, page.get_by_test_id("case-row").get_by_role("link", name=REFERENCE))
    expect(page.get_by_test_id("applicant")).to_have_text("Jordan Applicant")
    page_checks.accessible(page)
    actions = page.get_by_test_id("milestone-ten_month").get_by_test_id("actions")
    expect(actions.get_by_role("link", name=re.compile("^Follow up"))).to_have_count(2)  # their two, not the GL's
    expect(page.get_by_role("link", name=re.compile("^Record the"))).to_have_count(0)  # the scrutiny is the GL's
    click(page, actions.get_by_role("link", name=re.compile("Follow up Chase the Crown Court")))
    page_checks.accessible(page)
    page.get_by_label(label("Follow-up")).fill("")
    click(page, page.get_by_role("button", name="Record the follow-up"))
    expect(page.get_by_text("Write what the follow-up found.")).to_be_visible()
    page.get_by_label(label("Completed on")).fill(today.isoformat())
    page.get_by_label(label("Follow-up")).fill("Transcript received and read.")
    click(page, page.get_by_role("button", name="Record the follow-up"))
    expect(page.get_by_role("status").filter(has_text="The follow-up is recorded.")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("Transcript received and read.")
    page_checks.accessible(page)
    first.refresh_from_db()
    assert (first.completed_on, first.follow_up) == (today, "Transcript received and read.")
    page_checks.no_csp_violations(page)
    assert page.console_errors == []


def test_the_group_leader_opens_corrects_closes_and_reopens_a_case_review(
    transactional_db, org, group_leader, case_review_manager, new_page, log_in, page_checks
):
    today = timezone.localdate()
    # An allocation date whose 10 months fall on a Saturday.
    allocated = today - timedelta(days=100)
    while milestones.due_on(milestones.TEN_MONTH, allocated).weekday() != 5:
        allocated -= timedelta(days=1)

    page = new_page()
    log_in(page, group_leader.email, PASSWORD)
    click(page, page.locator("[data-testid=main-navigation] a[data-nav=case_scrutiny]"))
    click(page, page.get_by_role("link", name="Open a case review"))
    page_checks.accessible(page)
    page.get_by_label(label("Applicant")).fill("Robin Applicant")
    page.get_by_label(label("Offence")).fill("Robbery (2019), conviction")
    page.get_by_label(label("Allocated on")).fill(allocated.isoformat())
    page.get_by_label(label("Team")).select_option(label=str(org.team_a1a))
    page.get_by_label(label("Case review manager")).select_option(label=case_review_manager.full_name)
    expect(page.get_by_label(label("Group leader"))).to_have_value(str(group_leader.pk))  # themselves to start
    click(page, page.get_by_role("button", name="Open the case review"))
    expect(page.get_by_text("Enter the CCRC case reference.")).to_be_visible()
    expect(page.get_by_label(label("Applicant"))).to_have_value("Robin Applicant")
    page_checks.accessible(page)
    page.get_by_label(label("CCRC case reference")).fill("CCRC/00999/2026")
    click(page, page.get_by_role("button", name="Open the case review"))
    expect(page.get_by_role("status").filter(has_text="is open, with its three scrutiny milestones")).to_be_visible()
    case = CaseReview.objects.get(reference="CCRC/00999/2026")
    ten_month = case.milestones.get(kind=MilestoneKind.TEN_MONTH)
    assert ten_month.due_on == milestones.due_on(milestones.TEN_MONTH, allocated) + timedelta(days=2)  # Monday
    expect(page.get_by_test_id("milestone-ten_month")).to_contain_text(f"Due Monday {ten_month.due_on.day} ")
    page_checks.accessible(page)

    click(page, page.get_by_role("link", name="Change the case review"))
    page_checks.accessible(page)
    page.get_by_label(label("Offence")).fill("Robbery (2019), conviction and sentence")
    page.get_by_label(label("Status")).select_option(label="Provisional decision")
    click(page, page.get_by_role("button", name="Save the changes"))
    expect(page.get_by_role("status").filter(has_text="is updated")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Provisional decision")
    expect(page.get_by_test_id("case-summary")).to_contain_text("conviction and sentence")

    click(page, page.get_by_role("link", name="Close the case"))
    page_checks.accessible(page)
    page.get_by_label("Single decision-maker").check()
    click(page, page.get_by_role("button", name="Close the case"))
    expect(page.get_by_text("Choose the decision the case was closed with.")).to_be_visible()
    expect(page.get_by_label("Single decision-maker")).to_be_checked()
    page_checks.accessible(page)
    page.get_by_label("Non-referral").check()
    click(page, page.get_by_role("button", name="Close the case"))
    expect(page.get_by_test_id("case-status")).to_have_text("Closed")
    expect(page.get_by_test_id("milestone-ten_month").get_by_test_id("milestone-status")).to_have_text(
        "Cancelled (case closed)"
    )
    page_checks.accessible(page)

    click(page, page.get_by_role("button", name="Reopen the case"))
    expect(page.get_by_role("status").filter(has_text="is reopened")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Under review")
    expect(page.get_by_test_id("milestone-ten_month").get_by_test_id("milestone-status")).to_have_text("Pending")
    page_checks.accessible(page)
    case.refresh_from_db()
    assert (case.status, case.decision, case.closed_on) == (CaseReviewStatus.UNDER_REVIEW, "", None)
    page_checks.no_csp_violations(page)
    assert page.console_errors == []
