"""One request id in every JSON log line of a request, of the Celery tasks it publishes and of the sending of the
e-mails it queued."""

import io
import json
import logging

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Message
from notifications.tasks import dispatch_outbox
from ops import request_id
from organisation.models import Role
from qa_platform.celery import app
from tests.factories import RoleGrantFactory
from tests.form_tokens import with_token


@pytest.fixture
def json_log():
    """What the configured console handler writes (its JSON formatter and request id filter), one dict per line."""
    console = next(handler for handler in logging.getLogger().handlers if handler.get_name() == "console")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_the_console_writes_one_json_object_per_line(json_log):
    with request_id.bound("abcdef0123456789"):
        logging.getLogger("tests.ops").warning("Hello %s", "world", extra={"iqa": 12})
    (line,) = json_log()
    assert line["message"] == "Hello world"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "abcdef0123456789"
    assert line["iqa"] == 12


@pytest.fixture
def second_assessor(neighbour, org):
    RoleGrantFactory(person=neighbour, role=Role.ASSESSOR, team=org.team_a1b)
    return neighbour


def test_a_request_and_the_sending_of_its_emails_share_a_request_id(
    client, json_log, dip_sampler, assessor, second_assessor
):
    client.force_login(dip_sampler)
    response = client.post(
        reverse("exercise_new"),
        with_token(
            {
                "title": "Standard setting",
                "activity": "advice",
                "case_study": "The police asked for early advice.",
                "assessors": [assessor.pk, second_assessor.pk],
            }
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    the_request = response["X-Request-ID"]
    assert len(the_request) == 32

    request_lines = [line for line in json_log() if line["logger"] == "qa_platform.requests"]
    assert [(line["method"], line["route"], line["status"]) for line in request_lines] == [
        ("POST", "exercise_new", 302)
    ]
    assert request_lines[0]["request_id"] == the_request
    assert set(Message.objects.values_list("request_id", flat=True)) == {the_request}

    # Later, beat's dispatch task sends them: under a task id of its own, each sending under the request's id.
    dispatch_outbox.apply()
    assert len(mail.outbox) == 2
    sent_lines = [line for line in json_log() if line["message"].startswith("Outbox sent message")]
    assert len(sent_lines) == 2
    assert {line["request_id"] for line in sent_lines} == {the_request}


def test_a_well_formed_request_id_from_the_proxy_is_kept_and_a_bad_one_replaced(client, db):
    kept = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert kept["X-Request-ID"] == "lb-7f3a9c21-0001"
    replaced = client.get("/accounts/login/", HTTP_X_REQUEST_ID='x" injected\nline')
    assert replaced["X-Request-ID"] != 'x" injected\nline' and len(replaced["X-Request-ID"]) == 32


def test_a_task_published_in_a_request_carries_its_id_to_the_worker(json_log, db):
    """Published for real onto the broker: the message's headers hold the id; the worker side sets it again."""
    queue = "request-id-test"
    broker = app.connection_for_write()
    try:
        with request_id.bound("req-0123456789abcdef"):
            app.send_task("notifications.dispatch_outbox", queue=queue)
        with broker.SimpleQueue(queue) as simple:
            message = simple.get(timeout=5)
            headers = message.headers
            message.ack()
    finally:
        broker.close()
    assert headers[request_id.HEADER] == "req-0123456789abcdef"

    # The worker's prerun hook sets it from the headers for the task's log lines, and clears it afterwards.
    dispatch_outbox.apply(headers={request_id.HEADER: headers[request_id.HEADER]})
    task_lines = [line for line in json_log() if line["message"].startswith("Outbox dispatch:")]
    assert task_lines and {line["request_id"] for line in task_lines} == {"req-0123456789abcdef"}
    assert request_id.current() == ""


def test_a_task_beat_published_logs_under_its_own_task_id(json_log, db):
    result = dispatch_outbox.apply()
    task_lines = [line for line in json_log() if line["message"].startswith("Outbox dispatch:")]
    assert task_lines and {line["request_id"] for line in task_lines} == {result.id}
