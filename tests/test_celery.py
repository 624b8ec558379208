"""The Celery app talks to the real Redis broker, and a real worker answers on it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from qa_platform.celery import app

BASE_DIR = Path(__file__).resolve().parent.parent


def test_it_uses_json_only_and_the_database_beat_scheduler():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.broker_url == settings.REDIS_URL
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert app.conf.timezone == "Europe/London"


def test_every_beat_entry_names_a_registered_task_and_a_migrated_database_has_its_row(db):
    from django_celery_beat.models import PeriodicTask

    app.loader.import_default_modules()
    rows = dict(PeriodicTask.objects.values_list("name", "task"))
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert rows.get(name) == entry["task"], name


def test_beat_writes_the_settings_schedule_and_keeps_a_row_an_admin_paused(db):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import ModelEntry

    PeriodicTask.objects.filter(name="Clear expired sessions").update(enabled=False)
    PeriodicTask.objects.filter(name="Send due e-mails from the outbox").delete()
    # What DatabaseScheduler.setup_schedule does with the settings' entries (the scheduler itself closes the test's
    # connection).
    for name, entry in app.conf.beat_schedule.items():
        ModelEntry.from_entry(name, app=app, **entry)
    outbox = PeriodicTask.objects.get(name="Send due e-mails from the outbox")
    assert (outbox.task, outbox.enabled, outbox.interval.every, outbox.interval.period) == (
        "notifications.dispatch_outbox",
        True,
        60,
        "seconds",
    )
    assert not PeriodicTask.objects.get(name="Clear expired sessions").enabled


@pytest.fixture
def worker():
    name = f"test-{os.getpid()}@%h"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "qa_platform", "worker", "--pool", "solo", "-n", name, "-l", "WARNING"],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    process.terminate()
    process.wait(timeout=20)


def test_it_runs_a_real_worker_on_the_redis_broker(worker):
    deadline = time.monotonic() + 30
    replies = []
    while time.monotonic() < deadline and not replies:
        assert worker.poll() is None, worker.stderr.read().decode()
        replies = app.control.ping(timeout=1.0)
    assert any(name.startswith(f"test-{os.getpid()}@") for reply in replies for name in reply)
