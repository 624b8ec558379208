"""Journey: after recording an IQA with action required, the assessor records the feedback they gave, marks the
action taken and closes the IQA, which is refused until the action is taken (rules 3 and 4)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments import rules
from assessments.models import Feedback, State
from tests.factories import PASSWORD, AssessmentFactory

pytestmark = pytest.mark.browser

ACTION = "Discuss the missing case strategy with Alex and check it is recorded on the file."
CLOSE_REFUSED = "This IQA requires action: mark the action taken before closing it."


@pytest.fixture
def iqa(transactional_db, assessor, assessed, org):
    """A recorded IQA with action required, written straight into the live server's database."""
    return AssessmentFactory(
        assessor=assessor,
        assessed=assessed,
        team=org.team_a1a,
        work_date=timezone.localdate() - timedelta(days=1),
        action_required=True,
        action_description=ACTION,
    )


def field(page: Page, label: str):
    # Required fields' labels end with crispy-forms' "*".
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\b"))


def status_message(page: Page, text: str):
    return page.get_by_role("status").filter(has_text=text)


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_the_assessor_records_feedback_marks_the_action_taken_and_closes_the_iqa(
    iqa, assessor, new_page, log_in, page_checks
):
    page = new_page()
    log_in(page, assessor.email, PASSWORD)
    page.goto(f"/iqas/{iqa.pk}/")
    page_checks.assets_loaded(page)
    expect(page.get_by_test_id("state")).to_have_text("Recorded")
    expect(page.get_by_test_id("action")).to_contain_text(ACTION)

    # Closing is refused while the action is open: no button, and the page says why.
    expect(page.get_by_test_id("close")).to_have_count(0)
    expect(page.get_by_text(CLOSE_REFUSED)).to_be_visible()
    page_checks.accessible(page)

    # Feedback is due; the form starts at today's date.
    section = page.get_by_test_id("feedback")
    due = rules.feedback_due(iqa)
    expect(section.get_by_test_id("feedback-status")).to_have_text(
        f"Feedback due by {due:%A %-d %B %Y}, five working days after the assessment."
    )
    today = timezone.localdate()
    expect(field(section, "Date the feedback was given")).to_have_value(today.isoformat())

    # Sent back without a mode or anything said, keeping what was typed.
    field(section, "Date the feedback was given").fill(iqa.work_date.isoformat())
    submit(page, "Record the feedback")
    assert not Feedback.objects.exists()
    section = page.get_by_test_id("feedback")
    expect(status_message(page, "The feedback has not been recorded")).to_be_visible()
    expect(section).to_contain_text("Choose how the feedback was given.")
    expect(section).to_contain_text("Write the positive points, the issues to address, or both.")
    expect(field(section, "Date the feedback was given")).to_have_value(iqa.work_date.isoformat())
    page_checks.accessible(page)

    section.get_by_label("Video call", exact=True).check()
    section.get_by_label("Positive points").fill("Charging decision well reasoned.")
    section.get_by_label("Issues to address").fill("Record a case strategy on every file.")
    submit(page, "Record the feedback")
    assert re.search(rf"/iqas/{iqa.pk}/#feedback$", page.url), page.url
    expect(status_message(page, "The feedback is recorded.")).to_be_visible()
    section = page.get_by_test_id("feedback")
    expect(section.get_by_test_id("feedback-status")).to_contain_text(
        f"Feedback was given on {iqa.work_date:%A %-d %B %Y} by video call, within five working days"
    )
    expect(section.get_by_test_id("feedback-given")).to_contain_text("Charging decision well reasoned.")
    expect(section.get_by_test_id("feedback-given")).to_contain_text("Record a case strategy on every file.")
    given = Feedback.objects.get()
    assert (given.assessment_id, given.mode, given.recorded_by_id) == (iqa.pk, "video", assessor.pk)

    # Recording feedback does not settle the action: closing is still refused.
    expect(page.get_by_test_id("close")).to_have_count(0)
    expect(page.get_by_text(CLOSE_REFUSED)).to_be_visible()

    action_form = page.get_by_test_id("action-form")
    field(action_form, "Date the action was taken").fill(today.isoformat())
    field(action_form, "What was done").fill("Talked it through; the strategy is now on the file.")
    submit(page, "Mark the action taken")
    expect(status_message(page, "The action is marked taken.")).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("Action taken")
    expect(page.get_by_test_id("action")).to_contain_text("the strategy is now on the file")
    expect(page.get_by_text(CLOSE_REFUSED)).to_have_count(0)

    submit(page, "Close the IQA")
    expect(status_message(page, "The IQA is closed.")).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("Closed")
    iqa.refresh_from_db()
    assert iqa.state == State.CLOSED
    assert iqa.action_taken_note == "Talked it through; the strategy is now on the file."
    # Closed: the feedback stays, and can no longer be corrected.
    expect(page.get_by_test_id("feedback-given")).to_contain_text("Charging decision well reasoned.")
    expect(page.get_by_test_id("feedback-form")).to_have_count(0)
    page_checks.accessible(page)

    page_checks.no_csp_violations(page)
    assert page.console_errors == []
