"""Logging in by e-mail, logging out, password reset, throttling, and the security headers."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import outbox
from notifications.models import Message
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def _log_in(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_it_logs_in_by_email_whatever_its_case(client):
    PersonFactory(email="dana.dcp@example.org")
    response = _log_in(client, "Dana.DCP@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_it_refuses_a_wrong_password_with_a_clear_message_and_keeps_the_email(client):
    PersonFactory(email="dana@example.org")
    response = _log_in(client, "dana@example.org", "wrong-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in body
    assert 'value="dana@example.org"' in body


def test_it_logs_out_by_post_only(client):
    person = PersonFactory()
    client.force_login(person)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def _reset_link(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)


def test_it_resets_a_password_by_email_sent_from_the_outbox(client):
    person = PersonFactory(email="reset.me@example.org", full_name="Reset Me")
    response = client.post(reverse("password_reset"), {"email": " Reset.Me@Example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == [], "nothing is sent inside the request"
    queued = Message.objects.get()
    assert (queued.recipient, queued.person, queued.template) == ("reset.me@example.org", person, "password_reset")
    assert "token" not in str(queued.context), "the link is made when the e-mail is sent, never stored"

    assert outbox.dispatch_due() == {"sent": 1, "failed": 0, "cancelled": 0}
    message = mail.outbox[0]
    assert message.to == ["reset.me@example.org"]
    assert message.subject == "Reset your Casework QA password"
    assert "Hello Reset Me" in message.body
    link = _reset_link(message)
    html = message.alternatives[0][0]
    assert f'href="http://localhost:8000{link}"' in html

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-brand-new-passphrase-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(new_password)


def test_it_does_not_reveal_whether_an_address_has_an_account(client):
    PersonFactory(email="known@example.org")
    statements = []
    for email in ("known@example.org", "nobody@example.org"):
        with CaptureQueriesContext(connection) as run:
            assert client.post(reverse("password_reset"), {"email": email})["Location"] == reverse(
                "password_reset_done"
            )
        statements.append([query["sql"].rsplit("; ", 1)[-1].split()[0] for query in run.captured_queries])
    # The same statements either way: the unknown address's message is written too, then rolled back.
    known, unknown = statements
    assert known[:5] == unknown[:5] == ["SELECT", "SAVEPOINT", "SAVEPOINT", "INSERT", "RELEASE"]
    assert "ROLLBACK" in unknown[5:] and "ROLLBACK" not in known
    assert list(Message.objects.values_list("recipient", flat=True)) == ["known@example.org"]
    assert mail.outbox == []
    outbox.dispatch_due()
    assert [message.to for message in mail.outbox] == [["known@example.org"]]


def test_a_second_request_within_the_minute_sends_no_second_email(client):
    PersonFactory(email="twice@example.org")
    for _ in range(2):
        client.post(reverse("password_reset"), {"email": "twice@example.org"})
    assert Message.objects.count() == 1


def test_a_reset_email_is_not_sent_to_someone_no_longer_active(client):
    person = PersonFactory(email="leaver@example.org")
    client.post(reverse("password_reset"), {"email": "leaver@example.org"})
    person.is_active = False
    person.save()
    assert outbox.dispatch_due() == {"sent": 0, "failed": 0, "cancelled": 1}
    assert mail.outbox == []


class TestThrottling:
    """django-axes locks a user+IP pair after repeated failures, never a whole office behind one proxy."""

    def test_it_locks_the_user_on_that_address_after_too_many_failures(self, client, settings):
        PersonFactory(email="target@example.org")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _log_in(client, "target@example.org", "wrong-password")
        locked = _log_in(client, "target@example.org")  # even the right password is refused now
        assert locked.status_code == 429
        assert "Too many failed log-in attempts" in locked.content.decode()

    def test_it_leaves_other_people_behind_the_same_address_alone(self, client, settings):
        PersonFactory(email="target@example.org")
        PersonFactory(email="colleague@example.org")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _log_in(client, "target@example.org", "wrong-password")
        assert _log_in(client, "colleague@example.org").status_code == 302

    def test_it_counts_the_account_whatever_the_case_or_spaces_of_what_was_typed(self, client, settings):
        PersonFactory(email="someone@x.example")
        typed = [
            "someone@x.example",
            "SOMEONE@X.EXAMPLE",
            " Someone@X.example ",
            "sOmEoNe@x.ExAmPlE",
            "SomeOne@x.example",
        ]
        for email in typed[: settings.AXES_FAILURE_LIMIT]:
            _log_in(client, email, "wrong-password")
        for email in typed:  # another casing, even with the right password, is the same locked account
            assert _log_in(client, email).status_code == 429
        assert "_auth_user_id" not in client.session

    def test_a_lookalike_that_only_the_database_folds_is_not_the_account(self, client):
        # PostgreSQL's upper() folds the dotless i into I; a log-in by it would be a second, uncounted name.
        PersonFactory(email="tim@x.example")
        assert _log_in(client, "t\u0131m@x.example").status_code == 200
        assert "_auth_user_id" not in client.session

    def test_failures_are_recorded_against_the_name_the_log_in_reads(self, client):
        PersonFactory(email="spaces@x.example")
        for typed in ("  SPACES@x.example\t", "Spaces@X.Example"):
            _log_in(client, typed, "wrong-password")
        assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [("spaces@x.example", 2)]
        assert _log_in(client, "  SPACES@x.example\t").status_code == 302
        assert not AccessAttempt.objects.exists(), "a success clears the account's failures, however they were typed"

    def test_it_leaves_the_same_person_on_another_address_alone(self, client, settings):
        PersonFactory(email="target@example.org")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            _log_in(client, "target@example.org", "wrong-password", ip="10.0.0.1")
        assert _log_in(client, "target@example.org", ip="10.0.0.2").status_code == 302


class TestSecurityHeaders:
    def test_it_sends_a_content_security_policy_without_inline_script(self, client):
        policy = client.get(reverse("login"))["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["script-src"] == "'self'"
        assert directives["default-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    @pytest.mark.parametrize("url", ["/", "/people/", "/accounts/login/", "/accounts/password_reset/"])
    def test_it_has_no_inline_script_in_pages(self, client, url, assessor):
        if url != "/accounts/login/":
            client.force_login(assessor)
        body = client.get(url).content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", body, flags=re.S)
        assert scripts, "pages load their scripts"
        for attributes, content in scripts:
            assert 'src="' in attributes and content.strip() == ""
        assert not re.search(r"\son[a-z]+=", body), "no inline event handlers"

    def test_it_sets_http_only_session_cookies_and_an_inactivity_timeout(self, client, settings):
        PersonFactory(email="cookie@example.org")
        response = _log_in(client, "cookie@example.org")
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"
        assert cookie["max-age"] == settings.SESSION_COOKIE_AGE
        assert settings.SESSION_SAVE_EVERY_REQUEST, "the timeout counts from the last request"
