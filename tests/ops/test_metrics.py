"""/metrics: request latency by route, and the outbox's sent, given-up, backlog and oldest due figures."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.db import OperationalError
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from notifications import outbox
from notifications.models import Message

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def samples(response) -> dict:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_request_latency_is_counted_by_route_method_and_status(client, db):
    before = samples(client.get("/metrics"))
    key = ("qa_http_request_duration_seconds_count", (("method", "GET"), ("route", "login"), ("status", "200")))
    client.get("/accounts/login/")
    client.get("/accounts/login/")
    after = samples(client.get("/metrics"))
    assert after[key] - before.get(key, 0) == 2


def test_the_outbox_figures_come_from_the_database(client, db):
    now = timezone.now()
    for key, due in [("a", 50), ("b", 10), ("c", -30), ("d", 90), ("e", 120)]:
        outbox.enqueue(
            dedupe_key=key, recipient=f"{key}@example.org", template="t", due_at=now - timedelta(minutes=due)
        )
    Message.objects.filter(dedupe_key="d").update(sent_at=now)
    Message.objects.filter(dedupe_key="e").update(failed_at=now, attempts=8)
    Message.objects.filter(dedupe_key="b").update(attempts=1)
    found = samples(client.get("/metrics"))
    assert found[("qa_outbox_sent_total", ())] == 1
    assert found[("qa_outbox_failed_total", ())] == 1
    assert found[("qa_outbox_backlog", ())] == 2  # a and b: c is not yet due
    assert found[("qa_outbox_retrying", ())] == 1
    assert 50 * 60 <= found[("qa_outbox_oldest_due_seconds", ())] < 51 * 60


def test_a_metrics_token_is_required_when_set(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


def _sentry_loaded(**env) -> bool:
    environment = {key: value for key, value in os.environ.items() if key != "SENTRY_DSN"}
    program = "import sys, django; django.setup(); print('sentry_sdk' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", program],
        cwd=BASE_DIR,
        env={**environment, "DJANGO_SETTINGS_MODULE": "qa_platform.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip() == "True"


def test_sentry_is_imported_only_when_a_dsn_is_set():
    assert not _sentry_loaded()
    assert _sentry_loaded(SENTRY_DSN="https://public@sentry.invalid/1")


def test_sentry_events_carry_the_request_id():
    from ops.request_id import bound
    from ops.sentry import before_send

    with bound("abcdef0123456789"):
        event = before_send({"message": "boom"}, {})
    assert event["tags"]["request_id"] == "abcdef0123456789"


def test_a_database_down_still_gives_the_request_metrics(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(Message.objects, "aggregate", broken)
    response = client.get("/metrics")
    assert response.status_code == 200
    found = samples(response)
    assert found[("qa_outbox_readable", ())] == 0
    assert ("qa_outbox_backlog", ()) not in found
