"""Journey: each demo log-in sees its own navigation, and no one else's.

The expected links are written out here, from the grants demo.organisation.build_demo_logins makes, so that a
wrong change to the navigation fails this test rather than being mirrored by it.
"""

import re

import pytest
from django.utils import timezone

from demo import organisation as demo
from tests.browser.demo_case_reviews import seed_case_review_group

pytestmark = pytest.mark.browser

EXPECTED_NAVIGATION = {
    "assessor": {"home", "own_iqas", "assessor", "people"},
    "prosecutor": {"home", "own_iqas"},
    "dip.sampler": {"home", "own_iqas", "dip_sampler", "people"},
    "performance": {"home", "own_iqas", "performance_viewer", "people"},
    "comments": {"home", "own_iqas", "comments_viewer", "people"},
    "scrutiny": {"home", "own_iqas", "case_scrutiny", "people"},
    "case.manager": {"home", "own_iqas", "case_reviews"},  # no role: named on demo case reviews
    "national": {"home", "own_iqas", "national_viewer", "people"},
    "question.sets": {"home", "own_iqas", "question_set_admin", "admin"},
    "admin": {"home", "own_iqas", "admin"},
}
# Each persona's own section: (nav key, heading of the page it opens). The prosecutor has none.
OWN_SECTION = {
    "assessor": ("assessor", "My IQAs"),
    "dip.sampler": ("dip_sampler", "Dip sampling"),
    "performance": ("performance_viewer", "Performance dashboard"),
    "comments": ("comments_viewer", "Comments extract"),
    "scrutiny": ("case_scrutiny", "Case reviews"),
    "case.manager": ("case_reviews", "Case reviews"),
    "national": ("national_viewer", "Performance dashboard"),
    "question.sets": ("question_set_admin", "Question sets"),
    "admin": ("admin", "Site administration"),
}
SECTION_PATHS = {
    "assessor": "/iqas/",
    "dip_sampler": "/dip-samples/",
    "case_scrutiny": "/scrutiny/",
    "case_reviews": "/scrutiny/",
    "performance_viewer": "/reports/",
    "comments_viewer": "/reports/comments/",
    "national_viewer": "/reports/",
}
# A section each persona does not hold (national viewers also see performance, so not that one for them).
SOMEONE_ELSES_SECTION = {
    "assessor": "dip_sampler",
    "prosecutor": "assessor",
    "dip.sampler": "assessor",
    "performance": "national_viewer",
    "comments": "performance_viewer",
    "scrutiny": "assessor",
    "case.manager": "case_scrutiny",
    "national": "assessor",
    "question.sets": "assessor",
    "admin": "question_set_admin",
}
NAV_LINKS = "[data-testid=main-navigation] a[data-nav]"


def test_expectations_cover_every_demo_login():
    assert set(EXPECTED_NAVIGATION) == {login.email.split("@")[0] for login in demo.DEMO_LOGINS}


@pytest.fixture
def demo_logins(transactional_db, settings):
    # A fast hasher for the demo password: hashing it (once here, once per log-in) is not what is under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    teams = demo.build_structure()
    demo.build_demo_logins(timezone.localdate())
    seed_case_review_group(teams, timezone.localdate())
    return {login.email.split("@")[0]: login for login in demo.DEMO_LOGINS}


@pytest.mark.parametrize("persona", list(EXPECTED_NAVIGATION))
def test_each_demo_login_sees_its_own_navigation(persona, demo_logins, new_page, log_in, page_checks, live_server):
    login = demo_logins[persona]
    page = new_page()

    log_in(page, login.email, demo.DEMO_PASSWORD)

    # Home page, signed in as this persona, with the assets loaded and nothing blocked or broken.
    assert page.url == live_server.url + "/"
    first_name = login.full_name.split(" ")[0]
    assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {first_name}"
    assert page.get_by_test_id("signed-in-as").inner_text() == login.full_name
    page_checks.assets_loaded(page)
    assert page.console_errors == [], f"console errors on the home page: {page.console_errors}"

    nav = {link.get_attribute("data-nav") for link in page.locator(NAV_LINKS).all()}
    assert nav == EXPECTED_NAVIGATION[persona]
    assert page.locator(f"{NAV_LINKS}[data-nav=home]").get_attribute("aria-current") == "page"

    if persona in OWN_SECTION:
        key, heading = OWN_SECTION[persona]
        with page.expect_navigation():
            page.locator(f"{NAV_LINKS}[data-nav={key}]").click()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        if key != "admin":
            assert page.url == f"{live_server.url}{SECTION_PATHS.get(key, f'/roles/{key}/')}"
            assert page.locator(f"{NAV_LINKS}[data-nav={key}]").get_attribute("aria-current") == "page"
            page_checks.assets_loaded(page)
            assert page.console_errors == [], f"console errors on {page.url}: {page.console_errors}"

    # Someone else's section is simply not there for this persona.
    other = SOMEONE_ELSES_SECTION[persona]
    response = page.goto(f"/roles/{other}/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert page.title().startswith("Page not found")
    # ...and the 404 page still shows only this persona's own navigation.
    assert {link.get_attribute("data-nav") for link in page.locator(NAV_LINKS).all()} == EXPECTED_NAVIGATION[persona]

    page_checks.no_csp_violations(page)

    # Log out from the home page; the log-in page follows.
    page.goto("/")
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    assert re.fullmatch(re.escape(live_server.url) + r"/accounts/login/", page.url)
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert page.locator(NAV_LINKS).count() == 0
    assert page.get_by_role("button", name="Log out").count() == 0
    page_checks.no_csp_violations(page)

    # Logged out for real: the home page asks for a log-in again.
    page.goto("/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/"
