"""/healthz and `manage.py health` fail for each dependency stopped, and pass when everything is up.

The running PostgreSQL and Redis are never stopped: the test points the settings (or the connection) at a closed
port instead. "Worker stopped" is the normal state of a test: no worker runs unless a test starts one.
"""

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from notifications import outbox
from notifications.tasks import dispatch_outbox
from qa_platform.celery import app

BASE_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(autouse=True)
def quick_worker_ping(settings):
    # No worker runs in most of these tests: each /healthz then waits this long for one to answer.
    settings.HEALTH_WORKER_TIMEOUT_SECONDS = 0.3


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def beat_ran_just_now(db):
    PeriodicTask.objects.filter(task=dispatch_outbox.name).update(last_run_at=timezone.now() - timedelta(seconds=30))


@pytest.fixture
def worker():
    """A real Celery worker on the test's Redis, answering pings (on a queue of its own: it runs no one's tasks)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "qa_platform",
            "worker",
            "--pool",
            "solo",
            "-n",
            f"health-{os.getpid()}@%h",
            "-Q",
            f"health-{os.getpid()}",
            "-l",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not app.control.ping(timeout=0.5):
        assert process.poll() is None and time.monotonic() < deadline, "the worker did not start"
    yield process
    process.terminate()
    process.wait(timeout=20)


def findings(response):
    return {check["name"]: check for check in response.json()["checks"]}


@pytest.mark.celery
def test_healthy_when_everything_is_up(client, worker, beat_ran_just_now, settings):
    settings.HEALTH_WORKER_TIMEOUT_SECONDS = 2
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"
    assert set(findings(response)) == {"database", "redis", "worker", "beat", "outbox"}
    assert response["Cache-Control"] == "no-store"


def test_no_worker_answering_fails(client, beat_ran_just_now):
    response = client.get("/healthz")
    assert response.status_code == 503
    found = findings(response)
    assert found["worker"] == {"name": "worker", "ok": False, "detail": "no Celery worker answered"}
    assert all(found[name]["ok"] for name in ("database", "redis", "beat", "outbox"))


def test_redis_stopped_fails(client, settings, closed_port, beat_ran_just_now):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/healthz?only=database,redis")
    assert response.status_code == 503
    found = findings(response)
    assert not found["redis"]["ok"] and "unreachable" in found["redis"]["detail"]
    assert found["database"]["ok"]


@pytest.mark.django_db(transaction=True)
def test_database_stopped_fails(client, closed_port):
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port
    try:
        response = client.get("/healthz?only=database,redis,beat,outbox")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert response.status_code == 503
    found = findings(response)
    assert found["database"] == {"name": "database", "ok": False, "detail": "PostgreSQL unreachable (OperationalError)"}
    assert not found["beat"]["ok"] and not found["outbox"]["ok"]
    assert found["redis"]["ok"]


def test_beat_stale_fails(client, db):
    PeriodicTask.objects.filter(task=dispatch_outbox.name).update(last_run_at=timezone.now() - timedelta(minutes=11))
    response = client.get("/healthz?only=beat")
    assert response.status_code == 503
    assert findings(response)["beat"]["detail"] == "beat last ran a task 11 min ago"


def test_beat_that_never_ran_fails(client, db):
    PeriodicTask.objects.update(last_run_at=None)
    assert client.get("/healthz?only=beat").status_code == 503


def test_an_email_due_too_long_ago_and_unsent_fails(client, beat_ran_just_now):
    outbox.enqueue(
        dedupe_key="late", recipient="a@example.org", template="t", due_at=timezone.now() - timedelta(minutes=16)
    )
    outbox.enqueue(
        dedupe_key="recent", recipient="b@example.org", template="t", due_at=timezone.now() - timedelta(minutes=5)
    )
    response = client.get("/healthz?only=outbox")
    assert response.status_code == 503
    assert findings(response)["outbox"]["detail"] == "1 e-mail(s) due more than 15 min ago and unsent"


def test_recent_and_sent_emails_are_healthy(client, beat_ran_just_now):
    from notifications.models import Message

    outbox.enqueue(
        dedupe_key="recent", recipient="b@example.org", template="t", due_at=timezone.now() - timedelta(minutes=5)
    )
    outbox.enqueue(
        dedupe_key="sent", recipient="c@example.org", template="t", due_at=timezone.now() - timedelta(hours=2)
    )
    Message.objects.filter(dedupe_key="sent").update(sent_at=timezone.now())
    assert client.get("/healthz?only=outbox,beat").status_code == 200


def test_it_answers_on_any_host_over_plain_http(client, settings, beat_ran_just_now):
    settings.ALLOWED_HOSTS = ["qa.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz?only=database", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_unknown_check_names_are_refused(client):
    response = client.get("/healthz?only=database,disk")
    assert response.status_code == 400
    assert "disk" in response.json()["error"]


def test_the_command_prints_each_check_and_fails_like_the_page(beat_ran_just_now, capsys, settings, closed_port):
    call_command("health", only="database,beat")
    assert "ok      database" in capsys.readouterr().out
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    with pytest.raises(CommandError, match="Unhealthy: redis"):
        call_command("health", only="database,redis")
    assert "FAILING redis" in capsys.readouterr().out
