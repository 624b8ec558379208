"""Journey: a performance manager compares two teams over two quarters, side by side with intervals, and downloads
the comparison as XLSX, whose figures match the page's."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.reporting.conftest import make_small_dataset

pytestmark = pytest.mark.browser

TWO_QUARTERS = "2025-07-01..2025-12-31"  # 2025-26 Q2 and Q3


@pytest.fixture
def data(transactional_db, org, assessor):
    """The hand-counted IQAs of the reporting tests, written straight into the live server's database."""
    return make_small_dataset(org, assessor)


def test_a_performance_manager_compares_two_teams_over_two_quarters_and_downloads_the_xlsx(
    data, org, performance_viewer, new_page, log_in, page_checks
):
    page = new_page()
    log_in(page, performance_viewer.email, PASSWORD)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    with page.expect_navigation():
        page.get_by_role("link", name="Performance").first.click()
    expect(page.get_by_role("heading", name="Performance dashboard")).to_be_visible()
    page_checks.assets_loaded(page)
    # The charts are drawn inline from the dashboard's own figures: no request for them, nothing the CSP blocks.
    for name in ("questions", "trend", "timing"):
        expect(page.get_by_test_id(f"chart-{name}").locator("svg")).to_be_visible()
    expect(page.get_by_role("img", name="Fully met rate by question")).to_be_visible()
    assert not [url for url in requested if "/chart/" in url]
    page_checks.accessible(page)
    page_checks.no_csp_violations(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Compare", exact=True).click()
    page_checks.accessible(page)
    page.locator("#id_period").fill(TWO_QUARTERS)
    page.locator("#id_values").select_option(label=[str(org.team_a1a), str(org.team_a1b)])
    with page.expect_navigation():
        page.get_by_test_id("compare-submit").click()

    side_by_side = page.get_by_test_id("table-compare")
    expect(side_by_side.get_by_role("columnheader", name=str(org.team_a1a), exact=True)).to_be_visible()
    expect(side_by_side.get_by_role("columnheader", name=str(org.team_a1b), exact=True)).to_be_visible()
    fully_met = side_by_side.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Fully met", exact=True))
    # Team A1a: 23 of 26 answers fully met over the two quarters; team A1b: 19 of 20.
    expect(fully_met).to_contain_text("88.5%")
    expect(fully_met).to_contain_text("95.0%")
    by_quarter = page.get_by_test_id("table-by_quarter")
    expect(by_quarter.get_by_role("columnheader", name="2025-26 Q2")).to_be_visible()
    expect(by_quarter.get_by_role("columnheader", name="2025-26 Q3")).to_be_visible()
    expect(page.get_by_text("too few to judge").first).to_be_visible()
    page_checks.accessible(page)
    page_checks.no_csp_violations(page)

    with page.expect_download() as download_info:
        page.get_by_test_id("compare-xlsx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        workbook = openpyxl.load_workbook(io.BytesIO(file.read()))
    sheet = workbook["Side by side"]
    header = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "Fully met")
    assert row[header.index(f"{org.team_a1a} %")] == 88.5  # 88.46…, half-up to one decimal as on the page
    assert row[header.index(f"{org.team_a1b} %")] == 95.0
    assert row[header.index(f"{org.team_a1a} n")] == 26
