"""Every demo log-in's pages pass axe-core (WCAG 2.2 A/AA) with no critical or serious violation.

Each persona logs in and follows, from the home page, every link in its own navigation and then every tab of each
section it opens (reports, dip sampling, case scrutiny), running axe on each page it reaches (and on the log-in
page first), on the demo data `make run` seeds. The personas are read from demo.organisation, so a role added there
is walked here too.
"""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from demo import organisation as demo
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

NAV_LINKS = "[data-testid=main-navigation] a[data-nav]"
SECTION_LINKS = "main .nav a.nav-link[href]"


@pytest.fixture
def demo_logins(transactional_db, settings):
    # A fast hasher for the demo password: hashing it (once here, once per log-in) is not what is under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The demo as `make run` seeds it (at a tenth of the staff, case reviews included): pages full of figures.
    call_command("seed_demo", scale=0.1, verbosity=0)
    return {login.email.split("@")[0]: login for login in demo.DEMO_LOGINS}


@pytest.mark.parametrize("persona", [login.email.split("@")[0] for login in demo.DEMO_LOGINS])
def test_every_page_in_each_personas_navigation_is_accessible(persona, demo_logins, new_page, log_in, live_server):
    page = new_page()
    page.goto("/accounts/login/")
    assert_accessible(page)

    log_in(page, demo_logins[persona].email, demo.DEMO_PASSWORD, path=None)
    assert page.url == live_server.url + "/"
    assert_accessible(page)

    keys = [link.get_attribute("data-nav") for link in page.locator(NAV_LINKS).all()]
    assert "home" in keys
    if persona == "case.manager":  # no role: the link comes from the demo cases naming them
        assert "case_reviews" in keys
    checked = set()
    for key in keys:
        if key == "home":
            continue
        page.goto("/")
        follow(page, page.locator(f"{NAV_LINKS}[data-nav={key}]"))
        section_url = page.url
        assert urlsplit(section_url).path not in {"/", "/accounts/login/"}, f"{key} led to {section_url}"
        check(page, checked)
        # The section's own tabs or pills (reports, dip sampling, case scrutiny): each page they link, once.
        for href in [link.get_attribute("href") for link in page.locator(SECTION_LINKS).all()]:
            if urlsplit(href).path in checked:
                continue
            page.goto(section_url)
            follow(page, page.locator(SECTION_LINKS).and_(page.locator(f'[href="{href}"]')))
            check(page, checked)
    # Every persona but the assessed person (who holds no section) walked at least one section page.
    assert len(checked) >= len(keys) - 1, checked


def follow(page, link) -> None:
    with page.expect_navigation():
        link.first.click()
    page.wait_for_load_state("load")


def check(page, checked: set[str]) -> None:
    assert_accessible(page)
    checked.add(urlsplit(page.url).path)
