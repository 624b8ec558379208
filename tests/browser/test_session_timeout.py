"""The inactivity timeout as a user meets it: the warning, "Stay logged in", and the log-out at the end.

Sessions end SESSION_COOKIE_AGE seconds after the last request (SESSION_SAVE_EVERY_REQUEST); static/js/site.js
warns SESSION_TIMEOUT_WARNING_SECONDS (120) before that. The `settings` fixture shortens the session for one
test; the live server runs in a thread of this process, so it sees the change.
"""

import re
import time

import pytest

from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.browser

WARNING = "#session-warning"


@pytest.fixture
def person(transactional_db):
    return PersonFactory(email="ines.inactive@example.org", full_name="Ines Inactive")


def test_warning_appears_before_the_session_ends_and_stay_logged_in_hides_it(
    settings, person, page, log_in, live_server, page_checks
):
    settings.SESSION_COOKIE_AGE = 125  # the warning is due 120 s before the end: about 5 s after the page loads
    log_in(page, person.email, PASSWORD)
    assert page.url == live_server.url + "/"
    page_checks.assets_loaded(page)
    warning = page.locator(WARNING)
    assert warning.is_hidden()
    shown_after = time.monotonic()

    warning.wait_for(state="visible", timeout=15_000)

    assert time.monotonic() - shown_after > 2, "the warning came far too early"
    assert warning.get_attribute("role") == "alertdialog"
    countdown = warning.locator("[data-session-countdown]").inner_text()
    assert re.fullmatch(r"\d+ (second|minute)s?", countdown), countdown
    assert "logged out in" in warning.inner_text()
    # The warning dialog itself, open over the page.
    page_checks.accessible(page)
    stay = warning.get_by_role("button", name="Stay logged in")
    assert stay.evaluate("button => button === document.activeElement"), "focus should move to 'Stay logged in'"

    with page.expect_response(lambda response: response.url.endswith("/session/keepalive/")) as keepalive:
        stay.click()
    assert keepalive.value.status == 200
    assert keepalive.value.json() == {"authenticated": True, "expires_in": 125}
    warning.wait_for(state="hidden", timeout=5_000)

    # Still logged in, and no request was blocked by the Content Security Policy along the way.
    page.reload()
    assert page.url == live_server.url + "/"
    assert page.get_by_test_id("signed-in-as").inner_text() == "Ines Inactive"
    page_checks.no_csp_violations(page)
    assert page.console_errors == [], page.console_errors


def test_an_inactive_session_ends_on_the_log_in_page(settings, person, page, log_in, live_server, page_checks):
    # Short enough to live through for real: the browser timer, the session cookie and the server's session
    # all run out, so the check afterwards is that the session really ended, not just that the page moved.
    settings.SESSION_COOKIE_AGE = 5
    log_in(page, person.email, PASSWORD)
    assert page.url == live_server.url + "/"
    page_checks.assets_loaded(page)
    page.locator(WARNING).wait_for(state="visible", timeout=3_000)  # under two minutes left from the start
    assert re.fullmatch(r"\d+ seconds?", page.locator("[data-session-countdown]").inner_text())

    page.wait_for_url(re.compile(r"/accounts/login/\?.*timed_out=1"), timeout=20_000)

    assert "next=%2F" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert page.get_by_role("status").filter(has_text="logged out after a period of inactivity").is_visible()
    assert page.get_by_role("button", name="Log out").count() == 0

    # The session is over: the home page asks for a log-in again, without the inactivity message.
    page.goto("/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/"
    assert page.get_by_text("logged out after a period of inactivity").count() == 0

    # Logging in again carries on where the user was.
    settings.SESSION_COOKIE_AGE = 1800
    log_in(page, person.email, PASSWORD, path=None)
    assert page.url == live_server.url + "/"
    assert page.get_by_test_id("signed-in-as").inner_text() == "Ines Inactive"
    page_checks.no_csp_violations(page)
