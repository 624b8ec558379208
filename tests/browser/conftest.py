"""Fixtures for the browser tests: a live server that serves the real static files, and Chromium via Playwright.

Playwright's sync API is used directly (no pytest-playwright). The browser is the system Chromium; Playwright
never downloads one. Each test (or each persona within a test) gets a fresh browser context: its own cookies.
"""

import os
import re

import pytest

# Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser.axe import assert_accessible  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000
# Console errors that mean the Content Security Policy blocked something.
CSP_ERROR = re.compile(r"Content Security Policy|Refused", re.IGNORECASE)


def _passthrough(application):
    return application


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but with static files served the way production serves them.

    pytest-django wraps the server in staticfiles' StaticFilesHandler, which looks files up through the finders
    by their plain names. With DEBUG off the pages link the hashed names from the manifest
    (CompressedManifestStaticFilesStorage), which the finders do not know, so every asset would be a 404 and no
    JavaScript would run. Handing /static/ through to the app instead lets WhiteNoise serve the collected files.
    """
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
    from pytest_django.live_server_helper import LiveServer

    if isinstance(staticfiles_storage, ManifestFilesMixin) and not staticfiles_storage.exists(
        staticfiles_storage.manifest_name
    ):
        pytest.fail(
            f"No static files manifest in {settings.STATIC_ROOT}: run `manage.py collectstatic --no-input` "
            "with the test settings first (`make test` does).",
            pytrace=False,
        )
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = _passthrough
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
            headless=True,
        )
    except Exception:
        playwright.stop()
        raise
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server):
    """Make a page in a fresh browser context (fresh cookies) whose relative URLs go to the live server.

    Each page gets ``console_errors``: the text of every console error and uncaught exception on it.
    """
    contexts = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(f"Uncaught: {error}"))
        page.console_errors = errors
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def log_in():
    """Log in through the real form and wait for the page it leads to."""

    def do(page: Page, email: str, password: str, *, path: str = "/accounts/login/") -> None:
        if path is not None:
            page.goto(path)
        # The labels end with crispy-forms' "*" for a required field.
        page.get_by_label(re.compile(r"^\s*E-mail address\b")).fill(email)
        page.get_by_label(re.compile(r"^\s*Password\b")).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state("load")

    return do


def assert_no_csp_violations(page: Page) -> None:
    blocked = [text for text in page.console_errors if CSP_ERROR.search(text)]
    assert not blocked, f"Content Security Policy violations on {page.url}: {blocked}"


def assert_assets_loaded(page: Page) -> None:
    """The page's CSS and JavaScript really arrived (they are served separately from the HTML)."""
    assert page.evaluate("typeof window.htmx") == "object", f"htmx did not load on {page.url}"
    assert page.evaluate("typeof window.bootstrap") == "object", f"Bootstrap JS did not load on {page.url}"
    # Bootstrap's CSS hides .d-none; unstyled, the session warning would be showing.
    display = page.evaluate("getComputedStyle(document.querySelector('.navbar')).display")
    assert display == "flex", f"Bootstrap CSS did not load on {page.url}"


@pytest.fixture
def page_checks():
    """Helpers shared by the browser tests (kept here: only this package's files may hold them)."""

    class Checks:
        no_csp_violations = staticmethod(assert_no_csp_violations)
        assets_loaded = staticmethod(assert_assets_loaded)
        # axe-core, WCAG 2.2 A/AA: no critical or serious violation (tests/browser/axe.py).
        accessible = staticmethod(assert_accessible)

    return Checks
