"""Journey: a dip sampler reviews a past selection: from the dip sampling section to the page of past selections,
into one selection (its rule, seed, strata and a re-draw check), and on to one of the dip samples it drew."""

import re

import pytest
from playwright.sync_api import Page, expect

from dipsampling import selection, services
from qa_platform.periods import this_quarter
from tests.factories import PASSWORD, AssessmentFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def drawn(transactional_db, assessor, assessed, org, dip_sampler):
    """A random selection of this quarter over twelve IQAs in the dip sampler's unit: it draws two."""
    for _ in range(12):
        AssessmentFactory(assessor=assessor, assessed=assessed, team=org.team_a1a)
    proposal = selection.propose_random(dip_sampler, this_quarter(), seed=4242)
    return services.selection_confirm(user=dip_sampler, proposal=proposal, assessment_ids=proposal.assessment_ids)


def follow(page: Page, link) -> None:
    with page.expect_navigation():
        link.click()


def test_a_dip_sampler_re_checks_a_past_selection(drawn, dip_sampler, new_page, log_in, page_checks):
    page = new_page()
    log_in(page, dip_sampler.email, PASSWORD)
    follow(page, page.locator("[data-testid=main-navigation] a[data-nav=dip_sampler]"))
    follow(page, page.get_by_test_id("dip-nav").get_by_role("link", name="Past selections"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Past selections")
    row = page.get_by_test_id("selections").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Sam Sampler")
    expect(row).to_contain_text("4242")
    expect(row).to_contain_text(this_quarter().label)
    page_checks.assets_loaded(page)
    page_checks.accessible(page)

    follow(page, row.get_by_role("link"))
    expect(page.get_by_test_id("selection-seed")).to_have_text("4242")
    expect(page.get_by_test_id("selection-rule")).to_contain_text("10% of each activity's IQAs in the period")
    expect(page.get_by_test_id("selection-drawn")).to_have_text("2")
    expect(page.get_by_test_id("redraw")).to_contain_text("gives the same IQAs")
    expect(page.get_by_test_id("selection-strata")).to_contain_text("Case progression")
    dip_samples = page.get_by_test_id("selection-dip-samples").locator("tbody tr")
    expect(dip_samples).to_have_count(2)
    page_checks.accessible(page)

    follow(page, dip_samples.first.get_by_role("link", name=re.compile("Selected, not yet recorded")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dip sample")
    page_checks.accessible(page)
