"""Keeping a draft posted after the session ended (assessments/rescue.py): only for a browser that had a session
here, from our own pages, of a bounded size; and expired sessions are cleared every day."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from assessments import rescue
from organisation.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db

OURS = {"Origin": "http://testserver"}
CROSS_SITE = {"Origin": "https://attacker.example"}


def draft_url(draft, autosave=False):
    return f"/iqas/drafts/{draft.pk}/" + ("autosave/" if autosave else "")


def session_ended(browser, person):
    """Log the browser in, then let its session expire on the server: the browser still sends the cookie."""
    browser.force_login(person)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    return browser


def restored_comment(browser, person, draft):
    browser.force_login(person)
    browser.get(draft_url(draft))
    draft.refresh_from_db()
    return draft.data.get("Q9-comment")


@pytest.mark.parametrize("autosave", [False, True])
def test_a_post_after_the_session_ended_is_kept_and_restored(client, assessor, make_draft, autosave):
    draft = make_draft()
    session_ended(client, assessor)
    response = client.post(draft_url(draft, autosave), {"Q9-comment": "Typed before the timeout"}, headers=OURS)
    body = response.content.decode() if autosave else ""
    assert "restored when you return" in body if autosave else response.status_code == 302
    assert restored_comment(client, assessor, draft) == ["Typed before the timeout"]


def test_what_was_kept_is_only_ever_restored_into_the_owners_draft(client, assessor, colleague, make_draft):
    draft = make_draft()
    session_ended(client, assessor)
    client.post(draft_url(draft), {"Q9-comment": "Someone's text"}, headers=OURS)
    client.force_login(colleague)  # someone else logs in on the same browser
    assert client.get(draft_url(draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.data == {}


def test_the_referer_stands_for_a_missing_origin_and_trusted_origins_count(client, assessor, make_draft, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://qa.example.org"]
    first, second, third = make_draft(), make_draft(), make_draft()
    session_ended(client, assessor)
    client.post(
        draft_url(first), {"Q9-comment": "Referer"}, headers={"Referer": f"http://testserver{draft_url(first)}"}
    )
    client.post(draft_url(second), {"Q9-comment": "Trusted"}, headers={"Origin": "https://qa.example.org"})
    client.post(draft_url(third), {"Q9-comment": "Other"}, headers={"Referer": "https://qa.example.org.evil/"})
    client.force_login(assessor)
    assert [restored_comment(client, assessor, draft) for draft in (first, second, third)] == [
        ["Referer"],
        ["Trusted"],
        None,
    ]


@pytest.mark.parametrize("autosave", [False, True])
@pytest.mark.parametrize("headers", [CROSS_SITE, {"Origin": "null"}, {}], ids=["cross-site", "null", "none"])
def test_a_post_not_from_our_pages_is_never_kept(client, assessor, make_draft, autosave, headers):
    draft = make_draft()
    session_ended(client, assessor)
    response = client.post(draft_url(draft, autosave), {"Q9-comment": "Planted"}, headers=headers)
    if autosave:
        assert rescue.NOT_KEPT_MESSAGE in response.content.decode()
    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0
    assert restored_comment(client, assessor, draft) is None


@pytest.mark.parametrize("autosave", [False, True])
def test_a_post_from_a_browser_without_a_session_here_writes_no_session(client, assessor, make_draft, autosave):
    draft = make_draft()
    for _ in range(5):
        response = client.post(draft_url(draft, autosave), {"Q9-comment": "x" * 1000}, headers=OURS)
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()
    assert restored_comment(client, assessor, draft) is None


def test_a_cross_site_post_without_a_csrf_token_gets_the_403_and_writes_nothing(assessor, make_draft):
    """The probe's post: signed out, no CSRF token, 2.5 MB a time, from another site."""
    draft = make_draft()
    browser = Client(enforce_csrf_checks=True)
    for path in (draft_url(draft), draft_url(draft, autosave=True)):
        for _ in range(3):
            assert browser.post(path, {"Q9-comment": "x" * 100_000}, headers=CROSS_SITE).status_code == 403
    session_ended(browser, assessor)
    assert browser.post(draft_url(draft), {"Q9-comment": "Planted"}, headers=CROSS_SITE).status_code == 403
    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0


def test_a_stale_token_post_from_the_owners_own_page_is_still_kept(assessor, make_draft):
    draft = make_draft()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(assessor)
    response = browser.post(
        draft_url(draft), {"csrfmiddlewaretoken": "stale" * 8, "Q9-comment": "Not lost"}, headers=OURS
    )
    assert response["Location"] == draft_url(draft)
    assert "Not lost</textarea>" in browser.get(draft_url(draft)).content.decode()


@pytest.mark.parametrize("autosave", [False, True])
def test_a_post_too_large_to_keep_is_refused_with_a_message(client, assessor, make_draft, autosave):
    draft = make_draft()
    session_ended(client, assessor)
    too_long = "x" * (rescue.MAX_KEPT_BYTES + 1)
    response = client.post(draft_url(draft, autosave), {"Q9-comment": too_long}, headers=OURS, follow=not autosave)
    assert "too much to keep while you are logged out" in response.content.decode()
    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0
    assert restored_comment(client, assessor, draft) is None


def test_expired_sessions_are_cleared_every_day(client, assessor, colleague):
    entry = PeriodicTask.objects.get(task=clear_expired_sessions.name)
    assert entry.enabled
    assert (entry.interval.every, entry.interval.period) == (1, IntervalSchedule.DAYS)
    client.force_login(colleague)
    live = client.session.session_key
    Client().force_login(assessor)
    Session.objects.exclude(session_key=live).update(expire_date=timezone.now() - timedelta(seconds=1))
    clear_expired_sessions()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
