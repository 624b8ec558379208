"""Journey: a dip sampler selects a random sample for the quarter, records a dip sample with re-marks (refused
first without the comment on the casework, keeping what was typed), and the assessor sees the outcome (rule 6)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dipsampling.models import DipSample, Selection
from notifications.models import Message
from qa_platform.periods import this_quarter
from tests.factories import PASSWORD, AssessmentFactory

pytestmark = pytest.mark.browser

IQA_COMMENT = "Q9 was marked fully met, but no case strategy is recorded on the file."
CASEWORK_COMMENT = "Prompt, courteous work; the case strategy is missing."


@pytest.fixture
def iqas(transactional_db, assessor, assessed, org):
    """Twelve recorded IQAs this quarter in the dip sampler's unit: 10% rounded up is two."""
    return [AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a) for _ in range(12)]


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_dip_sampler_selects_a_sample_records_a_dip_sample_and_the_assessor_sees_it(
    iqas, dip_sampler, assessor, new_page, log_in, page_checks
):
    page = new_page()
    log_in(page, dip_sampler.email, PASSWORD)

    # The navigation's dip sampling section opens the queue, which links the challenge queue too.
    with page.expect_navigation():
        page.locator("[data-testid=main-navigation] a[data-nav=dip_sampler]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dip sampling")
    expect(page.get_by_test_id("dip-queue").locator("tbody tr")).to_have_count(12)
    expect(page.get_by_test_id("challenge-queue-link")).to_be_visible()
    page_checks.assets_loaded(page)
    page_checks.accessible(page)

    # A random selection for this quarter: two IQAs, with the seed shown and kept.
    with page.expect_navigation():
        page.get_by_test_id("dip-nav").get_by_role("link", name="Select a sample").click()
    page.get_by_label("Selection").select_option("random")
    page_checks.accessible(page)
    page.get_by_label("Quarter").fill(this_quarter().label)
    submit(page, "Propose")
    expect(page.get_by_test_id("strata")).to_contain_text("Case progression")
    page_checks.accessible(page)
    seed = int(page.get_by_test_id("seed").inner_text())
    submit(page, "Confirm the selection")
    expect(page.get_by_role("status").filter(has_text="2 IQAs selected for dip sampling")).to_be_visible()
    assert Selection.objects.get().seed == seed
    rows = page.get_by_test_id("my-dip-samples").locator("tbody tr")
    expect(rows).to_have_count(2)
    page_checks.accessible(page)

    # Record the first: re-mark Q9 as not met; sent back without the casework comment, keeping what was typed.
    with page.expect_navigation():
        rows.first.get_by_role("link", name=re.compile("Record")).click()
    page.get_by_label("Q9 re-mark").select_option("not_met")
    page.get_by_label("Q9 comment").fill("No strategy on the file")
    page.get_by_label(re.compile(r"^\s*Comment on the standard of the IQA")).fill(IQA_COMMENT)
    page.get_by_label("IQA too lenient").check()
    submit(page, "Record the dip sample")
    expect(page.get_by_text("every dip sample carries both comments").first).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*Comment on the standard of the IQA"))).to_have_value(IQA_COMMENT)
    expect(page.get_by_label("Q9 re-mark")).to_have_value("not_met")
    page_checks.accessible(page)
    assert not DipSample.objects.filter(recorded_at__isnull=False).exists()

    page.get_by_label(re.compile(r"^\s*Comment on the work done on the case")).fill(CASEWORK_COMMENT)
    submit(page, "Record the dip sample")
    expect(page.get_by_role("status").filter(has_text="The dip sample is recorded")).to_be_visible()
    expect(page.get_by_test_id("agreement-Q9")).to_have_text("Assessor's answer too lenient")
    page_checks.accessible(page)
    recorded = DipSample.objects.get(recorded_at__isnull=False)
    assert recorded.sampled_on == timezone.localdate()
    assert Message.objects.filter(dedupe_key=f"dip_sample:{recorded.pk}:outcome", recipient=assessor.email).exists()
    page_checks.no_csp_violations(page)

    # The assessor sees the outcome, both comments and the re-mark on the IQA page.
    assessor_page = new_page()
    log_in(assessor_page, assessor.email, PASSWORD)
    assessor_page.goto(f"/iqas/{recorded.assessment_id}/")
    section = assessor_page.get_by_test_id("iqa-dip-sample")
    expect(section.get_by_test_id("dip-sample-outcome")).to_contain_text("IQA too lenient")
    expect(section).to_contain_text(IQA_COMMENT)
    expect(section).to_contain_text(CASEWORK_COMMENT)
    expect(section.get_by_test_id("agreement-Q9")).to_have_text("Assessor's answer too lenient")
    page_checks.accessible(assessor_page)
    page_checks.no_csp_violations(assessor_page)
